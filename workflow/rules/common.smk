# Helper functions shared by the rule files (no rules here).

from geo.model.releases import VINTAGES as IOD


def raw(name):
    """Path of a retrieved registry dataset under data/raw/."""
    return str(REGISTRY[name].raw_path())


def boundary_dataset(vintage):
    """Registry name of the LSOA boundaries for an IoD vintage."""
    key = "lsoa21" if IOD[int(vintage)].lsoa_year == 2021 else "lsoa11"
    return config["boundaries"][key]
