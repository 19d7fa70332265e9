"""Aggregate one LSOA-level indicator to every tier of the membership table."""

from geo.indicators import aggregate_indicator, load_indicator_registry, read_indicator
from geo.indicators.membership import read_membership
from geo.io import write_csv
from geo.logs import logged

with logged(snakemake.log[0]):
    meta = load_indicator_registry(snakemake.input.registry)[snakemake.wildcards.indicator]
    lsoa = read_indicator(snakemake.input.indicator, meta)
    membership = read_membership(snakemake.input.membership)
    table = aggregate_indicator(lsoa, membership, meta, source=snakemake.input.indicator)
    write_csv(table, snakemake.output[0])
