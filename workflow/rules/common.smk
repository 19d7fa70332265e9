# Helper functions shared by the rule files (no rules here).

from geo.inputs.imd import VINTAGES as IOD


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
}
