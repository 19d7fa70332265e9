"""Aggregate one LSOA-level indicator to every tier of the membership tables."""

from geo.core.io import read_parquet, write_csv
from geo.core.logs import logged
from geo.statistics.indicators import aggregate_indicator, load_indicator_registry, read_indicator
from geo.statistics.indicators.membership import from_tier_tables

with logged(snakemake.log[0]):
    i = snakemake.input
    meta = load_indicator_registry(i.registry)[snakemake.wildcards.indicator]
    lsoa = read_indicator(i.indicator, meta)
    membership = from_tier_tables(
        read_parquet(i.members),
        read_parquet(i.areas),
        partition_tiers=snakemake.params.partition_tiers,
    )
    table = aggregate_indicator(lsoa, membership, meta, source=i.indicator)
    write_csv(table, snakemake.output[0])
