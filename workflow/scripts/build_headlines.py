"""Headline figures per vintage for the configured authority."""

from geo.core.io import read_parquet, write_csv
from geo.core.jobs import keyed
from geo.core.logs import logged
from geo.statistics.headlines import build_headlines

with logged(snakemake.log[0]):
    p = snakemake.params
    paths = keyed(snakemake.input, "table")
    table = build_headlines(
        {v: read_parquet(path) for v, path in paths.items()},
        lad_code=p.lad_code,
        thresholds=p.thresholds,
        sources=paths,
    )
    write_csv(table, snakemake.output[0])
