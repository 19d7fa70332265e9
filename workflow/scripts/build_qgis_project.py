"""The QGIS project of every GeoPackage: in data/processed/ and for the site's downloads."""

from pathlib import Path

from geo.core.logs import logged
from geo.model.tiers import tier_registry
from geo.presentation.gis.project import write_qgis_project

with logged(snakemake.log[0]):
    p, o = snakemake.params, snakemake.output
    gpkgs = {name: snakemake.input[name] for name in p.names}
    title = f"English Indices of Deprivation, {p.lad_code}"
    tiers = tier_registry(p.tier_config)
    write_qgis_project(gpkgs, o.processed, title=title, tiers=tiers)
    # site/downloads/ holds every GeoPackage in one folder
    flat = {name: Path(path).name for name, path in gpkgs.items()}
    write_qgis_project(gpkgs, o.downloads, title=title, sources=flat, tiers=tiers)
