"""Aggregate one LSOA-level indicator to every tier of the membership table."""

from geo.core.io import write_csv
from geo.core.logs import logged
from geo.statistics.indicators import aggregate_indicator, load_indicator_registry, read_indicator
from geo.statistics.indicators.membership import read_membership

with logged(snakemake.log[0]):
    meta = load_indicator_registry(snakemake.input.registry)[snakemake.wildcards.indicator]
    lsoa = read_indicator(snakemake.input.indicator, meta)
    membership = read_membership(snakemake.input.membership)
    table = aggregate_indicator(lsoa, membership, meta, source=snakemake.input.indicator)
    write_csv(table, snakemake.output[0])
