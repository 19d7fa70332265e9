"""Aggregate one indicator to every tier of the membership tables and the drawn neighbourhoods."""

from geo.core.io import read_csv, read_parquet, write_csv
from geo.core.logs import logged
from geo.statistics.indicators import aggregate_indicator, load_indicator_registry, read_indicator
from geo.statistics.indicators.membership import from_drawn_fit, from_tier_tables

with logged(snakemake.log[0]):
    i = snakemake.input
    meta = load_indicator_registry(i.registry)[snakemake.wildcards.indicator]
    lsoa = read_indicator(i.indicator, meta)
    membership = from_tier_tables(
        read_parquet(i.members),
        read_parquet(i.areas),
        partition_tiers=snakemake.params.partition_tiers,
        drawn=from_drawn_fit(read_csv(i.drawn_fit), source=i.drawn_fit),
    )
    table = aggregate_indicator(
        lsoa, membership, meta, source=i.indicator, links=read_parquet(i.links)
    )
    write_csv(table, snakemake.output[0])
