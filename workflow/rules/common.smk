# Definitions shared by the workflow files: path helpers, the authority's tier plan, the
# settings passed on to jobs and the target lists derived from the config. The stage files
# (inputs, geography, statistics, presentation) declare the jobs.


from geo.model.releases import VINTAGES as IOD
from geo.model.tiers import authority_plan

TIER_PLAN = authority_plan(config)
# What a job needs to rebuild the tier registry (params, so a change reruns the job).
TIER_CONFIG = {
    "lad_code": config["lad_code"],
    "tiers": {"extra_priority_vintages": config["tiers"]["extra_priority_vintages"]},
    "authorities": {config["lad_code"]: config["authorities"].get(config["lad_code"]) or {}},
}


def raw(name):
    """Path of a retrieved registry dataset under data/raw/."""
    return str(REGISTRY[name].raw_path())


def lsoa_layer(vintage):
    """The authority's LSOA layer of a release (data/interim/)."""
    return f"data/interim/lsoa_imd{vintage}.parquet"


def national_table(vintage):
    """The national canonical IoD table of a release (data/interim/)."""
    return f"data/interim/imd{vintage}_england.parquet"


def by_vintage(name, path):
    """One named input per built release, ``<name>_<year>`` (geo.core.jobs.keyed reads them)."""
    return {f"{name}_{v}": path(v) for v in VINTAGES}


def boundary_dataset(vintage):
    """Registry name of the LSOA boundaries for an IoD vintage (2001: derived from 2011)."""
    key = "lsoa21" if IOD[int(vintage)].lsoa_year == 2021 else "lsoa11"
    return config["boundaries"][key]


# The England page maps every authority, dissolved from the national LSOA 2021 boundaries
# (whatever boundaries the authority's own layers use).
ENGLAND_LSOA21 = "lsoa21_bsc_ew"
AUTHORITY_SHAPES = "data/interim/authority_shapes.parquet"


# The releases on 2001 LSOAs (IMD 2004, 2007, 2010) and what links them to 2011 LSOAs.
LSOA01_VINTAGES = sorted(v for v in VINTAGES if IOD[int(v)].lsoa_year == 2001)
LSOA01_LINKS = "data/interim/lsoa01_links.parquet"
LSOA01_BOUNDARIES = "data/interim/lsoa01_boundaries.parquet"


def lsoa_boundaries(vintage):
    """Boundaries a release's LSOA layer is joined to: a registry file, or the derived 2001 shapes."""
    if IOD[int(vintage)].lsoa_year == 2001:
        return LSOA01_BOUNDARIES
    return raw(boundary_dataset(vintage))


# How GeoPackages are packaged for QGIS (geo.presentation.gis.gpkg): the registry gives the
# provenance in the layer metadata; graduated styles use the site's classification.
GPKG_REGISTRY = "data/registry.yaml"
GPKG_STYLE = {
    "scheme": config["site"]["classification"]["scheme"],
    "k": config["site"]["classification"]["k"],
    "tier_config": TIER_CONFIG,
}

TIER_DATASETS = {name: raw(name) for name in TIER_PLAN.tier_datasets}
RANK_CHANGE_TARGETS = [
    f"data/processed/rank_changes_{a}_{b}.csv"
    for a, b in zip(sorted(VINTAGES), sorted(VINTAGES)[1:])
]


from pathlib import Path

from geo.statistics.apportion import check_settings
from geo.inputs.neighbourhoods import neighbourhood_files

NEIGHBOURHOODS = check_settings(config["neighbourhoods"])
PRIORITY_VINTAGE = config["tiers"]["priority_vintage"]
NEIGHBOURHOOD_DIR = Path(NEIGHBOURHOODS["dir"]) / config["lad_code"]
NEIGHBOURHOOD_FILES = [p.name for p in neighbourhood_files(NEIGHBOURHOOD_DIR)]

# The registry file of postcode points, if one is configured.
POSTCODE_INPUT = (
    {"postcodes": raw(NEIGHBOURHOODS["postcodes"])} if NEIGHBOURHOODS["postcodes"] else {}
)

# Ward display shapes built from Output Areas and postcodes (geo.geography.ward_shapes), when
# the authority has Output Areas, published ward outlines and postcodes; else the outlines.
LSOA21_VINTAGE = max((v for v in VINTAGES if IOD[int(v)].lsoa_year == 2021), default=None)
WARD_SHAPES = bool(
    TIER_PLAN.output_areas and TIER_PLAN.ward_boundaries and POSTCODE_INPUT and LSOA21_VINTAGE
)
WARD_DISPLAY = (
    {"ward_boundaries": "data/interim/ward_shapes.gpkg"}
    if WARD_SHAPES
    else {"ward_boundaries": raw(TIER_PLAN.ward_boundaries)} if TIER_PLAN.ward_boundaries else {}
)
WARD_SHAPE_OUTPUTS = (
    ["data/processed/ward_shape_agreement.csv", "data/processed/ward_output_areas.csv"]
    if WARD_SHAPES
    else []
)
# The DWP MSOA sums are checked on the 2021 LSOAs: only when a release is on them.
PUBLISHED_TOTAL_CHECKS = (
    ["data/processed/indicators/published_total_checks.csv"] if LSOA21_VINTAGE else []
)

LSOA_LAYERS = expand("data/interim/lsoa_imd{vintage}.parquet", vintage=VINTAGES)
VALIDATED = "data/interim/neighbourhoods/validated/{nb_file}.parquet"
SHARES = "data/interim/neighbourhoods/shares/{nb_file}.parquet"

INDICATOR_NAMES = [
    name
    for name, meta in INDICATORS.items()
    if (config["indicators"]["only"] is None or name in config["indicators"]["only"])
    and name not in config["indicators"]["exclude"]
    and meta.covers(config["lad_code"])
]
# Summaries exist only for the tiers the authority has (statistics.smk); the others are skipped.
WATCHED_TIERS = [t for t in config["watchlist"]["tiers"] if t in TIER_PLAN.lsoa_tiers]
PARTITION_TIERS = [t.key for t in TIER_PLAN.registry if t.partitions]
# The watchlist's trend section (geo.statistics.trends): only when its indicator is built.
TRENDS = {"indicator": "universal_credit_households", **config["watchlist"].get("trends", {})}
TRENDS_INPUT = (
    {"trends": "data/processed/watchlist_trends.csv"}
    if TRENDS["indicator"] in INDICATOR_NAMES
    else {}
)
# England's figure of the indicators whose sources cover England (geo.statistics.indicators.england)
from geo.statistics.indicators.england import ENGLAND_BUILDERS

ENGLAND_INDICATORS = [n for n in INDICATOR_NAMES if INDICATORS[n].builder in ENGLAND_BUILDERS]
ENGLAND_DATASETS = sorted({d for n in ENGLAND_INDICATORS for d in INDICATORS[n].datasets})
# Every indicator of each tier in one CSV (site downloads indicators_<tier>.csv)
INDICATOR_TIERS = list(TIER_PLAN.registry.keys)
INDICATOR_DOWNLOADS = expand("data/processed/indicators/tiers/{tier}.csv", tier=INDICATOR_TIERS)
PROFILE_OUTPUTS = [
    *expand("data/processed/indicators/{indicator}_by_tier.csv", indicator=INDICATOR_NAMES),
    "data/processed/indicators/catalogue.csv",
    *PUBLISHED_TOTAL_CHECKS,
    "data/processed/watchlist.csv",
    *TRENDS_INPUT.values(),
    *INDICATOR_DOWNLOADS,
    "data/processed/indicators/england.csv",
]

PROFILE_SUMMARY_TIERS = [
    t.key for t in TIER_PLAN.registry
    if t.build == "authority" or t.key in config["profiles"]["tiers"]
]
PROFILE_PAGES = "data/interim/profile_pages"
PROFILE_PDFS = "data/processed/profiles_pdf"
PROFILE_PDF_TARGETS = [PROFILE_PDFS] if config["profiles"]["pdf"] else []

from geo.presentation.site.inputs import site_downloads

SITE_TIERS = list(TIER_PLAN.registry.keys)
SITE_RANK_PAIRS = list(zip(sorted(VINTAGES), sorted(VINTAGES)[1:]))
SITE_DOWNLOADS = site_downloads(
    registry=TIER_PLAN.registry,
    tiers=SITE_TIERS, vintages=sorted(VINTAGES), rank_pairs=SITE_RANK_PAIRS
)
SITE_SUMMARIES = expand("data/processed/summaries/{tier}.csv", tier=SITE_TIERS)
