"""CSVW metadata (<file>.csv-metadata.json) beside every CSV output."""

from geo.core.logs import logged
from geo.model.tiers import tier_registry
from geo.presentation.gis.tables import write_csvw

with logged(snakemake.log[0]):
    tiers = tier_registry(snakemake.params.tier_config)
    write_csvw(list(snakemake.input), list(snakemake.output), tiers=tiers)
