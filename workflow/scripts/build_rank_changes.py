"""Rank changes of the authority's most deprived LSOAs between two IoD releases."""

from geo.core.io import read_csv, read_parquet, write_csv
from geo.core.logs import logged
from geo.statistics.rank_changes import build_rank_changes

with logged(snakemake.log[0]):
    i, w = snakemake.input, snakemake.wildcards
    table = build_rank_changes(
        read_parquet(i.table_from),
        read_parquet(i.table_to),
        vintage_from=int(w.vintage_from),
        vintage_to=int(w.vintage_to),
        membership=read_csv(i.membership, dtype={"local_name": "str"}),
        crosswalk=read_parquet(i.crosswalk),
        percent=snakemake.params.percent,
    )
    write_csv(table, snakemake.output[0])
