# Helper functions shared by the rule files (no rules here).

from geo.model.releases import VINTAGES as IOD
from geo.model.tiers import authority_plan

TIER_PLAN = authority_plan(config)
# What a job needs to rebuild the tier registry (params, so a change reruns the job).
TIER_CONFIG = {
    "lad_code": config["lad_code"],
    "authorities": {config["lad_code"]: config["authorities"].get(config["lad_code"]) or {}},
}


def raw(name):
    """Path of a retrieved registry dataset under data/raw/."""
    return str(REGISTRY[name].raw_path())


def boundary_dataset(vintage):
    """Registry name of the LSOA boundaries for an IoD vintage."""
    key = "lsoa21" if IOD[int(vintage)].lsoa_year == 2021 else "lsoa11"
    return config["boundaries"][key]


# How GeoPackages are packaged for QGIS (geo.presentation.gis.gpkg): the registry gives the
# provenance in the layer metadata; graduated styles use the site's classification.
GPKG_REGISTRY = "data/registry.yaml"
GPKG_STYLE = {
    "scheme": config["site"]["classification"]["scheme"],
    "k": config["site"]["classification"]["k"],
    "tier_config": TIER_CONFIG,
}
