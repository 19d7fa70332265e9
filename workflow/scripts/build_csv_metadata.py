"""CSVW metadata (<file>.csv-metadata.json) beside every CSV output."""

from geo.core.logs import logged
from geo.presentation.gis.tables import write_csvw

with logged(snakemake.log[0]):
    write_csvw(list(snakemake.input), list(snakemake.output))
