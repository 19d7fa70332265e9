"""The watchlist: LSOAs near the national thresholds, worsened ranks, areas that moved."""

from geo.core.io import read_csv, read_parquet, write_csv
from geo.core.jobs import keyed
from geo.core.logs import logged
from geo.statistics.indicators.membership import from_tier_tables
from geo.statistics.indicators.sources import read_lsoa_tables
from geo.statistics.watchlist import WatchlistRules, build_watchlist, lsoa_context

with logged(snakemake.log[0]):
    p = snakemake.params
    rules = WatchlistRules.from_config(p.rules, p.thresholds)
    layers = read_lsoa_tables(keyed(snakemake.input, "layer"))
    summaries = {
        t: read_csv(path) for t, path in zip(p.tiers, snakemake.input.summaries, strict=True)
    }
    members = from_tier_tables(
        read_parquet(snakemake.input.members),
        read_parquet(snakemake.input.areas),
        partition_tiers=p.partition_tiers,
    )
    wards, local_names = lsoa_context(members, snakemake.input.membership)
    table = build_watchlist(
        layers,
        rules=rules,
        lookup=read_parquet(snakemake.input.crosswalk),
        summaries=summaries,
        wards=wards,
        local_names=local_names,
        lsoa01_links=(
            read_parquet(snakemake.input.lsoa01_links)
            if snakemake.input.get("lsoa01_links")
            else None
        ),
    )
    write_csv(table, snakemake.output[0])
