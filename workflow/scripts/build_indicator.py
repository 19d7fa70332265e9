"""Build one registered indicator as a tidy LSOA-level table for the authority."""

from geo.core.io import write_csv
from geo.core.jobs import keyed
from geo.core.logs import logged
from geo.statistics.indicators import SourceInputs, build_indicator, load_indicator_registry
from geo.statistics.indicators.sources import read_lsoa_tables

with logged(snakemake.log[0]):
    meta = load_indicator_registry(snakemake.input.registry)[snakemake.wildcards.indicator]
    layers = read_lsoa_tables(keyed(snakemake.input, "layer"))
    datasets = {name: snakemake.input[name] for name in meta.datasets}
    table = build_indicator(meta, SourceInputs(layers=layers, datasets=datasets))
    write_csv(table, snakemake.output[0])
