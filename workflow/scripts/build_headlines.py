"""Headline figures per vintage for the configured authority."""

from geo.headlines import build_headlines, headline_row
from geo.io import read_parquet, write_csv
from geo.logs import logged

with logged(snakemake.log[0]):
    p = snakemake.params
    rows = [
        headline_row(
            read_parquet(path),
            lad_code=p.lad_code,
            vintage=int(v),
            thresholds=p.thresholds,
            source=path,
        )
        for v, path in zip(p.vintages, snakemake.input, strict=True)
    ]
    write_csv(build_headlines(rows), snakemake.output[0])
