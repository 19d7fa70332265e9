"""England's figure of each framework indicator whose source covers all of England."""

from geo.core.io import write_csv
from geo.core.logs import logged
from geo.statistics.indicators import load_indicator_registry
from geo.statistics.indicators.england import england_indicators

with logged(snakemake.log[0]):
    metas = load_indicator_registry(snakemake.input.registry)
    chosen = {name: metas[name] for name in snakemake.params.indicators}
    datasets = {name: snakemake.input[name] for name in snakemake.params.datasets}
    write_csv(england_indicators(chosen, datasets), snakemake.output[0])
