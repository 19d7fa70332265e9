"""One XLSX workbook per tier (and of the LSOAs): a sheet per release, a data dictionary."""

from geo.core.logs import logged
from geo.model.tiers import tier_registry
from geo.presentation.gis.tables import write_workbook

with logged(snakemake.log[0]):
    p = snakemake.params
    tiers = tier_registry(p.tier_config)
    for name, path in zip(p.names, snakemake.output, strict=True):
        title = f"English Indices of Deprivation, {p.lad_code}: {name}"
        write_workbook(snakemake.input[name], path, title=title, tiers=tiers)
