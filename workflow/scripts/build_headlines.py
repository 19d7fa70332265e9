"""Headline figures per vintage for the configured authority."""

from geo.headlines import build_headlines
from geo.io import read_parquet, write_csv
from geo.logs import logged

with logged(snakemake.log[0]):
    p = snakemake.params
    paths = dict(zip(map(int, p.vintages), snakemake.input, strict=True))
    table = build_headlines(
        {v: read_parquet(path) for v, path in paths.items()},
        lad_code=p.lad_code,
        thresholds=p.thresholds,
        sources=paths,
    )
    write_csv(table, snakemake.output[0])
