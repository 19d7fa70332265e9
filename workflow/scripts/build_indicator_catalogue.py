"""One row of metadata per built indicator, with the periods it holds."""

from geo.core.io import write_csv
from geo.core.logs import logged
from geo.statistics.indicators import load_indicator_registry, read_indicator
from geo.statistics.indicators.metadata import catalogue

with logged(snakemake.log[0]):
    registry = load_indicator_registry(snakemake.input.registry)
    tables = {
        name: read_indicator(path, registry[name])
        for name, path in zip(snakemake.params.indicators, snakemake.input.tables, strict=True)
    }
    write_csv(catalogue(registry, tables), snakemake.output[0])
