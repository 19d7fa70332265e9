"""England's summary measures per release: the national column of the area profiles."""

from geo.core.io import read_parquet, write_csv
from geo.core.jobs import keyed
from geo.core.logs import logged
from geo.presentation.profiles.national import england_summary

with logged(snakemake.log[0]):
    tables = {int(v): read_parquet(path) for v, path in keyed(snakemake.input, "table").items()}
    write_csv(england_summary(tables), snakemake.output[0])
