"""The data dictionary: what every output column means, its unit and its source.

One dictionary for every writer: the site's downloads page, the GeoPackages' field
descriptions (``gpkg_data_columns``), the XLSX data-dictionary sheets and the CSVW metadata
all read :func:`describe`. Columns are documented by exact name first, then by patterns for
the per-domain and per-authority-year families.
"""

from __future__ import annotations

import re
from typing import Final

from geo.model.domains import DOMAINS
from geo.model.tiers import CORE, WARD, Build, TierRegistry, core_registry

IOD = "English Indices of Deprivation (MHCLG), national LSOA files"
ONS = "ONS (Open Geography Portal)"
DERIVED = "Computed by this pipeline"
LOCAL = "The authority's own lookup (config authorities)"
UNDOCUMENTED = "(not documented)"

Entry = tuple[str, str, str]
"""Meaning, unit, source."""

_DOMAIN_LABELS = {d.stem: d.label for d in DOMAINS}
_INDEX_LABELS = {"imd": "Index of Multiple Deprivation", **_DOMAIN_LABELS}
_INDEX = "|".join(sorted(_INDEX_LABELS, key=len, reverse=True))

EXACT: Final[dict[str, Entry]] = {
    # identifiers
    "lsoa_code": (
        "LSOA code (2001, 2011 or 2021 boundaries, as lsoa_geography says)",
        "ONS code",
        ONS,
    ),
    "lsoa_name": ("LSOA name", "text", ONS),
    "lsoa_code_from": ("LSOA code in the earlier release's geography", "ONS code", ONS),
    "lsoa_geography": (
        "LSOA boundaries the release is published on: LSOA01 (2004, 2007, 2010), LSOA11 (2015, 2019) or LSOA21 (2025)",
        "text",
        IOD,
    ),
    "lad_code": ("Local authority district code", "ONS code", ONS),
    "lad_name": ("Local authority district name", "text", ONS),
    "vintage": ("Release of the English Indices of Deprivation", "year", IOD),
    "vintage_from": ("Earlier release compared", "year", IOD),
    "vintage_to": ("Later release compared", "year", IOD),
    "area_code": ("Code of the area (ONS code, or a slug for local areas)", "code", DERIVED),
    "area_name": ("Name of the area, exactly as published or drawn", "text", DERIVED),
    "tier": ("Tier the area belongs to (city, ward, priority_neighbourhood …)", "text", DERIVED),
    "ward_code": ("Ward code (ONS, December 2022/2024 wards)", "ONS code", ONS),
    "ward_name": ("Ward name", "text", ONS),
    "ward_method": (
        "How the LSOA was assigned to its ward (ONS population-weighted best fit, or via the 2011–2021 lookup)",
        "text",
        DERIVED,
    ),
    "ward_population_share": (
        "Share of the LSOA's population in its best-fit ward",
        "share 0–1",
        ONS,
    ),
    "local_name": ("Local name used in council reports", "text", LOCAL),
    "priority_order": (
        "Order of the priority ward in the priority release (1 = first): by the national "
        "rank of its most deprived LSOA, or by the configured summary measure "
        "(tiers.priority_ward_order)",
        "rank",
        DERIVED,
    ),
    # LSOA values
    "population": (
        "Population: the denominator of the summary measures (see population_source)",
        "people",
        IOD,
    ),
    "employment_population": (
        "Working-age population: denominator of the Employment domain",
        "people",
        IOD,
    ),
    "income_numerator": (
        "People income-deprived (Income domain numerator, IoD File 8)",
        "people",
        IOD,
    ),
    "employment_numerator": (
        "People employment-deprived (Employment domain numerator)",
        "people",
        IOD,
    ),
    "population_source": (
        "Which population denominator the LSOA uses (sources can differ by LSOA), naming any substitute",
        "text",
        DERIVED,
    ),
    "national_percentile": (
        "National IMD percentile: ceil(100 × rank / number of LSOAs in England)",
        "percentile 1–100",
        DERIVED,
    ),
    "in_national_1pct": (
        "In the most deprived 1% of LSOAs in England (IMD rank ≤ N/100)",
        "true/false",
        DERIVED,
    ),
    "in_national_10pct": (
        "In the most deprived 10% of LSOAs in England (IMD decile 1)",
        "true/false",
        IOD,
    ),
    "in_national_20pct": (
        "In the most deprived 20% of LSOAs in England (IMD deciles 1–2)",
        "true/false",
        IOD,
    ),
    # headlines
    "lsoas": ("Number of LSOAs (counting an LSOA partly inside by its share)", "LSOAs", DERIVED),
    "lsoas_in_national_1pct": ("LSOAs in the national most deprived 1%", "LSOAs", DERIVED),
    "lsoas_in_national_10pct": ("LSOAs in the national most deprived 10%", "LSOAs", DERIVED),
    "lsoas_in_national_20pct": (
        "LSOAs in the national most deprived 20% (IMD deciles 1–2)",
        "LSOAs",
        DERIVED,
    ),
    "share_in_national_20pct": (
        "Share of the authority's LSOAs in the national most deprived 20%",
        "share 0–1",
        DERIVED,
    ),
    "population_in_national_20pct": (
        "People living in LSOAs in the national most deprived 20%",
        "people",
        DERIVED,
    ),
    "share_in_national_10pct": (
        "Share of the authority's LSOAs in the national most deprived 10%",
        "share 0–1",
        DERIVED,
    ),
    "population_in_national_10pct": (
        "People living in LSOAs in the national most deprived 10%",
        "people",
        DERIVED,
    ),
    "lad_rank_by_share_in_10pct": (
        "Rank of the authority among all authorities by share of LSOAs in the national 10% (1 = highest)",
        "rank",
        DERIVED,
    ),
    "lads_ranked": ("Number of local authorities ranked in the release", "count", IOD),
    # summary measures
    "area_km2": ("Area of the dissolved LSOAs (or of the drawn polygon)", "km²", DERIVED),
    # ward shapes from Output Areas (ward_shape_agreement.csv, ward_output_areas.csv)
    "oa_code": ("Output Area code (ONS, 2011)", "ONS code", ONS),
    "oa_ward_method": (
        "How the Output Area was assigned to its ward: 'postcodes' (the ward of most of its "
        "NSPL postcodes) or 'lsoa21_best_fit' (no postcode: the ward of its LSOA 2021)",
        "text",
        DERIVED,
    ),
    "oa_postcodes": (
        "Live NSPL postcodes of the authority inside the Output Area",
        "postcodes",
        DERIVED,
    ),
    "oa_ward_postcode_share": (
        "Share of the Output Area's postcodes in its ward (empty when it has none)",
        "share 0–1",
        DERIVED,
    ),
    "output_areas": ("Output Areas making up the ward shape", "Output Areas", DERIVED),
    "output_areas_without_postcodes": (
        "Output Areas of the ward with no postcode (assigned by their LSOA 2021's best fit)",
        "Output Areas",
        DERIVED,
    ),
    "output_areas_split_by_postcodes": (
        "Output Areas of the ward whose postcodes lie in two or more wards",
        "Output Areas",
        DERIVED,
    ),
    "ward_postcodes": (
        "Live NSPL postcodes inside the ward shape's Output Areas",
        "postcodes",
        DERIVED,
    ),
    "shape_km2": ("Area of the ward shape (dissolved Output Areas)", "km²", DERIVED),
    "official_km2": ("Area of the published (simplified) ward outline", "km²", ONS),
    "agreement_official": (
        "Area agreement of the ward shape with the published outline: intersection over union (1 = same area)",
        "share 0–1",
        DERIVED,
    ),
    "official_area_covered": (
        "Share of the published outline's area inside the ward shape",
        "share 0–1",
        DERIVED,
    ),
    "best_fit_km2": ("Area of the union of the ward's best-fit LSOAs 2021", "km²", DERIVED),
    "agreement_best_fit": (
        "Area agreement of the ward shape with its best-fit LSOAs 2021: intersection over union (1 = same area)",
        "share 0–1",
        DERIVED,
    ),
    "vertices": ("Vertices of the ward shape", "vertices", DERIVED),
    "vertices_per_km": ("Vertices of the ward shape per km of its boundary", "per km", DERIVED),
    "official_vertices_per_km": (
        "Vertices of the published outline per km of its boundary",
        "per km",
        DERIVED,
    ),
    "display_area_covered": (
        "Share of the ward's official boundary covered by its best-fit LSOAs",
        "share 0–1",
        DERIVED,
    ),
    "income_scale": ("Income scale: people income-deprived in the area", "people", DERIVED),
    "employment_scale": (
        "Employment scale: people employment-deprived in the area",
        "people",
        DERIVED,
    ),
    "geometry_source": ("Where the area's polygon comes from", "text", DERIVED),
    # drawn neighbourhoods
    "apportion_method": (
        "How LSOA figures are shared with the drawn neighbourhood (by postcode points or area)",
        "text",
        DERIVED,
    ),
    "fit_verdict": (
        "'best-fit LSOA set' (whole LSOAs to within 5%) or 'apportioned'",
        "text",
        DERIVED,
    ),
    "contributing_lsoas": ("LSOAs contributing a share to the neighbourhood", "LSOAs", DERIVED),
    "lsoas_inside": ("LSOAs wholly inside (share ≥ fit threshold)", "LSOAs", DERIVED),
    "lsoas_split": ("LSOAs split by the boundary", "LSOAs", DERIVED),
    "lsoas_outside": (
        "Touching LSOAs counted as outside (share ≤ 1 − threshold)",
        "LSOAs",
        DERIVED,
    ),
    "best_fit_lsoas": ("Codes of the LSOAs wholly inside, joined by ';'", "codes", DERIVED),
    "area_share_in_whole_lsoas": (
        "Share of the neighbourhood's area in LSOAs wholly inside",
        "share 0–1",
        DERIVED,
    ),
    "population_share_in_whole_lsoas": (
        "Share of the neighbourhood's population in LSOAs wholly inside",
        "share 0–1",
        DERIVED,
    ),
    "population_by_area": ("Population apportioned by area shares", "people", DERIVED),
    "population_by_postcodes": (
        "Population apportioned by postcode-point shares",
        "people",
        DERIVED,
    ),
    "notes": ("Notes typed with the drawing", "text", "Drawn neighbourhood files"),
    "illustrative": (
        "True for the illustrative polygons shipped with the project (replace with agreed boundaries)",
        "true/false",
        "Drawn neighbourhood files",
    ),
    "source_file": (
        "File the drawn neighbourhood was read from",
        "file name",
        "Drawn neighbourhood files",
    ),
    "lsoa_population": ("The LSOA's population (as in the release)", "people", IOD),
    "area_share": ("Share of the LSOA's area inside the neighbourhood", "share 0–1", DERIVED),
    "population_share": (
        "Share of the LSOA's postcode points inside the neighbourhood",
        "share 0–1",
        DERIVED,
    ),
    "population_share_basis": (
        "What population_share is based on (postcodes, or area where an LSOA has none)",
        "text",
        DERIVED,
    ),
    "share_used": ("Share of the LSOA counted in the neighbourhood", "share 0–1", DERIVED),
    "population_apportioned": ("LSOA population × share used", "people", DERIVED),
    "fit": ("The LSOA is inside, split or outside", "text", DERIVED),
    "share_of_neighbourhood_area": (
        "Share of the neighbourhood's area in this LSOA",
        "share 0–1",
        DERIVED,
    ),
    "overlap_m2": ("Area of the overlap of neighbourhood and LSOA", "m²", DERIVED),
    "postcodes_in_lsoa": ("NSPL postcode points in the LSOA", "count", "ONS NSPL (August 2024)"),
    "postcodes_inside": (
        "NSPL postcode points of the LSOA inside the neighbourhood",
        "count",
        "ONS NSPL (August 2024)",
    ),
    # drawn versus LSOA-based neighbourhoods
    "drawn_code": (
        "Code of the drawn neighbourhood paired with the priority LSOA",
        "code",
        DERIVED,
    ),
    "drawn_name": (
        "Name of the drawn neighbourhood paired with the priority LSOA",
        "text",
        "Drawn neighbourhood files",
    ),
    "pairing_population_share": (
        "Share of the priority LSOA's population inside the drawn neighbourhood",
        "share 0–1",
        DERIVED,
    ),
    "pairing_area_share": (
        "Share of the priority LSOA's area inside the drawn neighbourhood",
        "share 0–1",
        DERIVED,
    ),
    "drawn_fit_verdict": (
        "Fit verdict of the drawn neighbourhood (see fit_verdict)",
        "text",
        DERIVED,
    ),
    # rank changes
    "rank_from": ("National IMD rank in the earlier release (1 = most deprived)", "rank", IOD),
    "rank_to": ("National IMD rank in the later release (1 = most deprived)", "rank", IOD),
    "change_code": (
        "ONS LSOA 2011 → 2021 change: U unchanged, S split, M merged, X irregular",
        "code",
        ONS,
    ),
    "move": (
        "Threshold crossed between the releases: into_1pct, into_10pct, out_of_10pct or "
        "out_of_1pct (the configured national thresholds); empty if none",
        "text",
        DERIVED,
    ),
    "rank_in_tier": (
        "Rank of the area among its tier's areas by IMD average score (1 = most deprived)",
        "rank",
        DERIVED,
    ),
    "areas_ranked": ("Areas of the tier ranked in the release", "count", DERIVED),
    "domain": ("IoD domain (stem: income, employment, education, health …)", "text", IOD),
    "area_share_10pct": (
        "Share of the area's LSOAs in the domain's national most deprived 10%",
        "share 0–1",
        DERIVED,
    ),
    "city_share_10pct": (
        "Share of the city's LSOAs in the domain's national most deprived 10%",
        "share 0–1",
        DERIVED,
    ),
    "share_gap_points": ("Area's share minus the city's", "percentage points", DERIVED),
    "area_average_rank": (
        "Area's population-weighted average rank on the domain, reversed (larger = more deprived)",
        "rank",
        DERIVED,
    ),
    "city_average_rank": (
        "City's population-weighted average rank on the domain, reversed (larger = more deprived)",
        "rank",
        DERIVED,
    ),
    "average_rank_gap": (
        "Area's average rank minus the city's (positive: the area ranks as more deprived)",
        "rank",
        DERIVED,
    ),
    "more_deprived": (
        "Whether the area ranks as more deprived than the city on the domain",
        "true/false",
        DERIVED,
    ),
    "order": (
        "Order of the domain for the area: 1 = most deprived relative to the city",
        "rank",
        DERIVED,
    ),
    "is_authority": ("Whether the row is the configured authority itself", "true/false", DERIVED),
    "similarity_rank": (
        "Order of similarity to the authority by domain profile (1 = most similar)",
        "rank",
        DERIVED,
    ),
    "distance": (
        "Euclidean distance from the authority on standardised domain average ranks",
        "distance",
        DERIVED,
    ),
    "rank_change": (
        "rank_to − rank_from: negative = ranked relatively more deprived",
        "ranks",
        DERIVED,
    ),
    "percentile_from": (
        "National IMD percentile in the earlier release",
        "percentile 1–100",
        DERIVED,
    ),
    "percentile_to": ("National IMD percentile in the later release", "percentile 1–100", DERIVED),
    "status": ("remained / moved_in / moved_out of the national most deprived 1%", "text", DERIVED),
    "status_text": ("The status in words (relative to other LSOAs)", "text", DERIVED),
    "relative_change": ("The rank change in words (relative to other LSOAs)", "text", DERIVED),
    "change_type": (
        "ONS LSOA 2011→2021 change code: U unchanged, S split, M merged, X irregular",
        "code",
        ONS,
    ),
    "change_note": ("What the change type means for this row", "text", DERIVED),
    # classification breaks
    "layer": ("Map layer classed", "text", DERIVED),
    "field": ("Column classed", "text", DERIVED),
    "scheme": ("Classification scheme (mapclassify fisher_jenks or quantiles)", "text", DERIVED),
    "k": ("Number of classes", "count", DERIVED),
    "class": ("Class number (1 = lowest values)", "number", DERIVED),
    "lower": ("Lower bound of the class (exclusive, except for class 1)", "as the field", DERIVED),
    "upper": ("Upper bound of the class (inclusive)", "as the field", DERIVED),
    "count": ("Values in the class", "count", DERIVED),
    # indicators (docs/indicators.md): tidy tables, tier sums and the catalogue
    "indicator": (
        "Registered indicator (src/geo/statistics/indicators/registry.yaml)",
        "name",
        DERIVED,
    ),
    "geography": ("LSOA boundaries of the period: LSOA11 or LSOA21", "text", DERIVED),
    "period": (
        "Period of the value (sorts in time order: 2019, 2024-03, 2022/23)",
        "text",
        "Indicator source",
    ),
    "numerator": (
        "Numerator of the indicator (summed over the area's LSOAs)",
        "as the indicator",
        "Indicator source",
    ),
    "denominator": (
        "Denominator of the indicator (summed over the area's LSOAs)",
        "as the indicator",
        "Indicator source",
    ),
    "value": (
        "Value: numerator / denominator × multiplier (counts: numerator × multiplier); empty for a gap",
        "as the unit",
        DERIVED,
    ),
    "suppressed": (
        "Whether the value is suppressed by the indicator's small-count rule",
        "true/false",
        DERIVED,
    ),
    "lsoas_missing": (
        "Source areas (LSOAs; MSOAs for MSOA-level periods) of the area without a value in the period (left out of the sums)",
        "areas",
        DERIVED,
    ),
    "source_geography": (
        "Geography the period is published on: LSOA11, LSOA21, MSOA11, MSOA21 or LAD",
        "text",
        DERIVED,
    ),
    "method": (
        "How the value was made: a sum of whole source areas (exact), or source counts shared to LSOAs by population or postcode points (an estimate)",
        "text",
        DERIVED,
    ),
    "is_estimate": (
        "Whether the value is an estimate: some source area was shared with other areas rather than summed whole",
        "true/false",
        DERIVED,
    ),
    "theme": (
        "Framework theme of the indicator on the profiles (empty: not in the framework)",
        "text",
        DERIVED,
    ),
    "licence": ("Licence of the indicator's source data", "text", DERIVED),
    "period_type": (
        "What a period is: release, census, financial_year, month, month_of_year, year or snapshot",
        "text",
        DERIVED,
    ),
    "geographies": ("Geographies the indicator's periods are published on", "text", DERIVED),
    # published-total checks (data/processed/indicators/published_total_checks.csv)
    "msoas": ("MSOAs of the authority summed", "count", DERIVED),
    "msoas_suppressed": ("MSOAs whose figure is suppressed ('..') in the period", "count", DERIVED),
    "msoa_sum": (
        "Sum of the authority's MSOA figures (suppressed ones left out)",
        "as the series",
        DERIVED,
    ),
    "published_total": (
        "The publisher's own total for the authority",
        "as the series",
        "Indicator source",
    ),
    "difference": ("MSOA sum minus the published total", "as the series", DERIVED),
    "tolerance": (
        "Largest difference allowed: 5 per suppressed MSOA plus 4 × √(MSOAs) for rounding and perturbation",
        "as the series",
        DERIVED,
    ),
    "within_tolerance": (
        "Whether |difference| ≤ tolerance; empty when some of the authority's MSOAs are not in the file (not checked)",
        "true/false",
        DERIVED,
    ),
    "msoas_not_in_file": (
        "MSOAs of the authority the MSOA table does not name (their values are gaps)",
        "count",
        DERIVED,
    ),
    # watchlist trends (data/processed/watchlist_trends.csv)
    "window_months": ("Length of the trend window", "months", DERIVED),
    "period_from": ("First month of the window", "YYYY-MM", DERIVED),
    "period_to": ("Last month of the window (the latest with a city figure)", "YYYY-MM", DERIVED),
    "value_to": ("The area's value in the last month of the window", "as the unit", DERIVED),
    "city_change": ("The city's change over the window", "as the unit", DERIVED),
    "change_vs_city": (
        "The area's change minus the city's, signed so that positive is worsening faster than the city",
        "as the unit",
        DERIVED,
    ),
    "rank": (
        "Rank within tier and window by change_vs_city (1 = worsening fastest)",
        "rank",
        DERIVED,
    ),
    "listed": (
        "Whether the area is listed on the watchlist's trend section",
        "true/false",
        DERIVED,
    ),
    "title": ("Title of the indicator", "text", DERIVED),
    "definition": ("Definition of the indicator: numerator and denominator", "text", DERIVED),
    "unit": ("Unit of the value", "text", DERIVED),
    "kind": (
        "Kind of the row: an indicator's kind (proportion, rate, count) or a watchlist item's (near_national_1pct, rank_worsened …)",
        "text",
        DERIVED,
    ),
    "multiplier": (
        "Multiplier of the value (100 for a percentage, 1,000 for per 1,000, 1 for counts)",
        "number",
        DERIVED,
    ),
    "polarity": ("Whether a higher value is worse or better", "text", DERIVED),
    "suppression": ("The indicator's small-count suppression rule", "text", DERIVED),
    "source": ("Publisher and dataset of the indicator", "text", DERIVED),
    "source_url": ("Official page of the indicator's source", "URL", DERIVED),
    "datasets": ("Registry datasets the indicator is built from", "names", DERIVED),
    "periods": ("Periods built, separated by spaces", "text", DERIVED),
    "authorities": (
        "Local authorities the indicator's files cover (empty: all)",
        "ONS codes",
        DERIVED,
    ),
    # watchlist
    "code": ("Code of the LSOA or area", "code", DERIVED),
    "name": ("Name of the LSOA or area", "text", DERIVED),
    "measure": ("Rank or summary measure the watchlist item is about", "column name", DERIVED),
    "value_from": ("Value of the measure in the earlier release", "as the measure", DERIVED),
    "change": ("value − value_from", "as the measure", DERIVED),
    "threshold_rank": (
        "National rank at the threshold the LSOA is near (1% or 10%)",
        "rank",
        DERIVED,
    ),
    "compared_with": ("What the change is compared with", "text", DERIVED),
    "release_lad_code": (
        "District code as the release coded it (IMD 2004/2007: the 354 pre-2009 districts it ranked)",
        "code",
        IOD,
    ),
    "release_lad_name": ("District name as the release named it", "text", IOD),
    "geometry_method": (
        "How the LSOA 2001 shape was derived from 2011 LSOAs: unchanged (exact), dissolved (a "
        "split LSOA, the union of its parts), shared (merged: the 2011 shape, shared with the "
        "other LSOAs merged), apportioned (irregular change: the 2011 LSOAs most of whose "
        "people it holds)",
        "text",
        DERIVED,
    ),
    "change_2001_2011": (
        "ONS change code LSOA 2001 → 2011: U unchanged, S split, M merged, X irregular",
        "code",
        ONS,
    ),
    "change_2011_2021": (
        "ONS change code LSOA 2011 → 2021: U unchanged, S split, M merged, X irregular",
        "code",
        ONS,
    ),
    "reason": ("Why the item is on the watchlist, worded relatively", "text", DERIVED),
}
"""Columns documented by exact name."""

PATTERNS: Final[tuple[tuple[re.Pattern[str], Entry], ...]] = (
    (
        re.compile(
            r"^(imd_average_score|imd_average_rank|imd_extent|imd_local_concentration|"
            r"imd_proportion_10pct|income_scale|employment_scale)_rank$"
        ),
        (
            "Rank among all authorities on {0} (1 = most deprived, as MHCLG's File 10)",
            "rank",
            DERIVED,
        ),
    ),
    (re.compile(r"^LSOA(01|11|21)CD$"), ("LSOA code (20{0} boundaries)", "ONS code", ONS)),
    (
        re.compile(r"^lsoa(01|11|21)_code$"),
        ("LSOA code (20{0} boundaries); empty where the geography is not built", "ONS code", ONS),
    ),
    (
        re.compile(r"^imd_rank_(\d{4})$"),
        ("Published national IMD rank in the release of {0} (1 = most deprived)", "rank", IOD),
    ),
    (
        re.compile(r"^imd_decile_(\d{4})$"),
        (
            "Published national IMD decile in the release of {0} (1 = most deprived 10%)",
            "decile 1–10",
            IOD,
        ),
    ),
    (re.compile(r"^LSOA(01|11|21)NM$"), ("LSOA name (20{0} boundaries)", "text", ONS)),
    (
        re.compile(r"^LAD(\d\d)CD$"),
        ("Local authority district code as coded in the release (20{0} codes)", "ONS code", IOD),
    ),
    (re.compile(r"^LAD(\d\d)NM$"), ("Local authority district name (20{0})", "text", IOD)),
    (
        re.compile(rf"^({_INDEX})_rank$"),
        ("National rank on the {label} (1 = most deprived in England)", "rank", IOD),
    ),
    (
        re.compile(rf"^({_INDEX})_decile$"),
        ("National decile on the {label} (1 = most deprived 10%)", "decile 1–10", IOD),
    ),
    (
        re.compile(rf"^({_INDEX})_score$"),
        (
            "Published score on the {label} (higher = more deprived; empty where not published)",
            "score",
            IOD,
        ),
    ),
    (
        re.compile(rf"^({_INDEX})_average_score$"),
        ("Population-weighted average {label} score", "score", DERIVED),
    ),
    (
        re.compile(rf"^({_INDEX})_average_rank$"),
        (
            "Population-weighted average {label} rank, reversed so that higher = more deprived (IoD Technical Report)",
            "rank",
            DERIVED,
        ),
    ),
    (
        re.compile(rf"^({_INDEX})_proportion_10pct$"),
        (
            "Share of the area's LSOAs in the national most deprived 10% on the {label}",
            "share 0–1",
            DERIVED,
        ),
    ),
    (
        re.compile(r"^imd_extent$"),
        (
            "Extent: share of the population in the most deprived 30% of LSOAs nationally, weighted (1 for percentiles 1–10, sliding to 0 at 31)",
            "share 0–1",
            DERIVED,
        ),
    ),
    (
        re.compile(r"^imd_local_concentration$"),
        (
            "Local concentration: population-weighted average rank of the most deprived LSOAs holding 10% of the area's people (higher = more deprived)",
            "rank",
            DERIVED,
        ),
    ),
)
"""Column families documented by pattern; ``{0}`` is the first group, ``{label}`` its index."""


_COMPARED: Final = re.compile(r"^(lsoa|drawn)_(.+)$")
_DIFFERENCE: Final = re.compile(r"^(.+)_difference$")


def tier_columns(tiers: TierRegistry) -> dict[str, Entry]:
    """Meaning, unit and source of the columns the tiers add (their codes, names, flags)."""
    out: dict[str, Entry] = {}
    for tier in tiers:
        kind = tier.singular.lower()
        source = DERIVED if tier in CORE or tier.build is Build.NATIONAL_PERCENT else LOCAL
        if tier.build in (Build.WARD_GROUPS, Build.BOUNDARY):
            how = " (slug of its name)" if tier.build is Build.WARD_GROUPS else ""
            out[tier.code_column] = (f"Code of the {kind}{how}", "code", source)
            out[tier.name_column] = (tier.singular, "text", source)
        if tier.build is Build.WARD_GROUPS:
            out[WARD.count_column] = ("Number of wards in the area", "count", DERIVED)
        if tier.build is Build.HOLDING and tier.source is not None and tier.source in tiers:
            held = tiers[tier.source]
            out[held.count_column] = (f"Number of {held.plural} in the area", "count", DERIVED)
            out[f"in_{tier.key}"] = (f"Whether the LSOA is in a {kind}", "true/false", DERIVED)
        if tier.single_lsoas:
            out[tier.key] = (f"Whether the neighbourhood is also a {kind}", "true/false", source)
            out[f"in_{tier.key}"] = (
                f"Whether the LSOA is (partly) in a {kind}",
                "true/false",
                DERIVED,
            )
            out[tier.code_column] = (f"Code(s) of its {kind}(s), joined by ';'", "code", DERIVED)
            out[f"{tier.key}_share"] = (f"Share of the LSOA in {tier.plural}", "share 0–1", DERIVED)
    return out


def describe(column: str, tiers: TierRegistry | None = None) -> Entry | None:
    """Meaning, unit and source of ``column``; None if it is not documented.

    ``tiers`` (the authority's, :func:`geo.model.tiers.tier_registry`) documents the columns
    its tiers add (:func:`tier_columns`); without it only the core tiers' are known.

    Columns of the drawn-versus-LSOA comparison (``lsoa_<measure>``, ``drawn_<measure>``,
    ``<measure>_difference``) are described from the measure they compare.
    """
    if column in EXACT:
        return EXACT[column]
    by_tier = tier_columns(tiers if tiers is not None else core_registry())
    if column in by_tier:
        return by_tier[column]
    for pattern, (meaning, unit, source) in PATTERNS:
        match = pattern.match(column)
        if match:
            group = match.group(1) if match.groups() else ""
            label = _INDEX_LABELS.get(group, group)
            return meaning.format(group, label=label), unit, source
    compared = _COMPARED.match(column)
    if compared:
        inner = describe(compared.group(2), tiers)
        if inner is not None:
            whose = (
                "Priority neighbourhood (LSOA-based)"
                if compared.group(1) == "lsoa"
                else "Drawn neighbourhood"
            )
            return f"{whose}: {inner[0][:1].lower()}{inner[0][1:]}", inner[1], DERIVED
    difference = _DIFFERENCE.match(column)
    if difference:
        inner = describe(difference.group(1), tiers)
        if inner is not None:
            return (
                f"Drawn minus LSOA-based: {inner[0][:1].lower()}{inner[0][1:]}",
                inner[1],
                DERIVED,
            )
    return None


def title_of(column: str, tiers: TierRegistry | None = None) -> str:
    """Return a short label of ``column``: its meaning up to the first qualification."""
    compared = _COMPARED.match(column)
    if compared and describe(compared.group(2), tiers) is not None:
        whose = "LSOA-based" if compared.group(1) == "lsoa" else "Drawn"
        return f"{whose}: {title_of(compared.group(2), tiers)}"
    difference = _DIFFERENCE.match(column)
    if difference and describe(difference.group(1), tiers) is not None:
        return f"Drawn minus LSOA-based: {title_of(difference.group(1), tiers)}"
    entry = describe(column, tiers)
    if entry is None:
        return column
    return re.split(r" \(|: |; | — ", entry[0], maxsplit=1)[0]


def description_of(column: str, tiers: TierRegistry | None = None) -> str:
    """Return ``column``'s meaning, unit and source as one text; empty if undocumented."""
    entry = describe(column, tiers)
    if entry is None:
        return ""
    meaning, unit, source = entry
    return f"{meaning}. Unit: {unit}. Source: {source}."
