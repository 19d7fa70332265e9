"""Check the authority's MSOA sums of each DWP series against DWP's authority totals."""

import pandas as pd

from geo.core.io import read_parquet, write_csv
from geo.core.logs import logged
from geo.statistics.indicators.checks import check_published_totals, published_totals

with logged(snakemake.log[0]):
    i, p = snakemake.input, snakemake.params
    layer = read_parquet(i.layer).drop(columns="geometry", errors="ignore")
    lad_name = str(layer["lad_name"].iloc[0])
    tables = [
        published_totals(i[f"{name}_msoa"], i[f"{name}_ltla"], lsoa21=layer,
                         msoa21_names=i.msoa21_names, lad_name=lad_name, source=name)
        for name in p.series
    ]  # fmt: skip
    write_csv(check_published_totals(pd.concat(tables, ignore_index=True)), snakemake.output[0])
