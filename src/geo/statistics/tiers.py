"""Spatial tiers: the official IoD summary measures and a map layer for every area.

From the LSOA layers (:mod:`geo.inputs.lsoa`) and the members of each area
(:mod:`geo.geography.membership`), :func:`build_tiers` computes for every area of every tier and every
vintage the official summary measures (:func:`geo.statistics.measures.summarise_areas`: population-
weighted average score and rank with the vintage's own denominators, the Employment domain
weighted by its working-age denominator; extent; local concentration; proportion of LSOAs in
the national 10%; income and employment scales). Percentiles are always the national ones
published with the LSOA; nothing is re-ranked inside an area.

Summary table of a tier (``data/processed/summaries/<tier>.csv``), one row per area per
vintage, columns in this order:

- ``area_code, area_name, tier, vintage, lsoa_geography`` (``LSOA11``/``LSOA21``: the LSOAs
  the vintage is published on), ``lad_code``;
- the tier's parents and facts, from the registry (:mod:`geo.model.tiers`): the code and
  name of each enclosing tier, innermost first (``ward_code, ward_name`` of a neighbourhood,
  then any ward groups, e.g. Leeds's ``community_committee_code, community_committee``),
  ``wards`` (wards in a group), ``priority_neighbourhoods`` (in a ward), ``priority_order``
  (priority wards, 1 = most deprived on ``tiers.priority_ward_order`` in the priority vintage:
  a summary measure, or the national rank of the ward's most deprived LSOA),
  and for a single-LSOA tier a flag per other such tier (a neighbourhood in the other list);
- ``area_km2``: area of the dissolved LSOAs (coverage-cleaned); ``display_area_covered``
  (wards): share of the ward's display boundary covered by its best-fit LSOAs (empty without
  display boundaries);
- :data:`geo.statistics.measures.SUMMARY_COLUMNS` (``population, lsoas, lsoas_in_national_1pct,
  lsoas_in_national_10pct, lsoas_in_national_20pct, imd_average_score, imd_average_rank, imd_proportion_10pct,
  imd_extent, imd_local_concentration``, then ``<domain>_average_score, _average_rank,
  _proportion_10pct`` per domain, ``income_scale, employment_scale``); an LSOA belonging to
  an area only in part counts by its share;
- ``population_source``: the population denominator used, naming any substitute.

Map layers (``data/processed/tiers/<tier>.gpkg``): one layer per vintage (``imd2015``…) with
the same columns, ``geometry_source`` and the area's polygon in the configured CRS. Polygons
are LSOAs dissolved as a coverage; wards (and the committees, wedges and priority wards built
from them) use the display boundaries when configured. The ward GeoPackage then also holds
``best_fit_lsoa11`` / ``best_fit_lsoa21``: the dissolved best-fit LSOAs of each ward.

Conservation checks fail the build (:class:`geo.core.errors.ConservationError`), naming the
offending LSOAs or areas: every LSOA in exactly one area of each partitioning tier; tier
populations sum to the city's; each dissolved area matches its LSOAs' area and tier areas sum
to the city's within 0.1%.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.core.checks import show
from geo.core.errors import ConservationError, GeoInputError
from geo.geography.coverage import clean_coverage, dissolve
from geo.geography.wards import display_coverage, read_ward_boundaries
from geo.inputs.imd import population_sources
from geo.model.releases import OFFICIAL, VINTAGES, Thresholds, lsoa_geography
from geo.model.tiers import Build, TierRegistry
from geo.statistics.measures import COUNT_COLUMNS, SUMMARY_COLUMNS, rank_areas, summarise_areas

logger = logging.getLogger(__name__)

AREA_TOLERANCE = 0.001
"""Relative tolerance of the area conservation checks (0.1%)."""

ORDER_MEASURES = tuple(c for c in SUMMARY_COLUMNS if c not in ("population", "lsoas"))
"""Summary columns a priority-ward order may use (larger = more deprived)."""

LSOA_RANK_ORDER = "most_deprived_lsoa_rank"
"""Priority-ward order by the national IMD rank of each ward's most deprived LSOA (its most
deprived priority neighbourhood), lowest rank first: the order of the council's diagram."""

_DENOMINATORS = {"employment": "employment_population"}


@dataclass
class TierOutput:
    """One tier's outputs."""

    summary: pd.DataFrame
    """All vintages, columns as in the module docstring."""
    layers: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    """GeoPackage layer name → layer."""


def _covers_wards(registry: TierRegistry, tier: str) -> bool:
    """Whether ``tier``'s areas are wards (their display coverage is reported)."""
    return registry[tier].build in (Build.WARDS, Build.HOLDING)


def summary_columns(registry: TierRegistry, tier: str) -> list[str]:
    """Columns of the summary table of ``tier``, in order."""
    spec = registry[tier]
    extra = ["display_area_covered"] if _covers_wards(registry, tier) else []
    return [
        "area_code", "area_name", "tier", "vintage", "lsoa_geography", "lad_code",
        *registry.parent_columns(spec), *registry.fact_columns(spec), "area_km2", *extra,
        *SUMMARY_COLUMNS, "population_source",
    ]  # fmt: skip


# --- conservation checks -------------------------------------------------------------------


def check_partition(members: pd.DataFrame, city_codes: set[str], *, tier: str, year: int) -> None:
    """Every LSOA of the city in exactly one area of ``tier``, wholly.

    Raises:
        ConservationError: naming LSOAs in no area, in two or more areas, in part only, or
            not in the city.

    """
    where = f"tier {tier!r} (LSOA {year})"
    counts = members.groupby("lsoa_code")["area_code"].agg(list)
    twice = counts.loc[counts.map(len) > 1]
    if not twice.empty:
        pairs = [f"{c} in {', '.join(a)}" for c, a in twice.items()]
        msg = f"{where}: {len(twice)} LSOA(s) in more than one area: {show(pairs)}"
        raise ConservationError(msg)
    problems = {
        "in no area": sorted(city_codes - set(counts.index)),
        "not in the city": sorted(set(counts.index) - city_codes),
        "only in part": sorted(members.loc[~np.isclose(members["share"], 1.0), "lsoa_code"]),
    }
    for what, codes in problems.items():
        if codes:
            msg = f"{where}: {len(codes)} LSOA(s) {what}: {show(codes)}"
            raise ConservationError(msg)


def check_carried_partition(
    members: pd.DataFrame, city_codes: set[str], *, tier: str, year: int
) -> None:
    """Every LSOA of the city wholly in ``tier``: its shares over the areas sum to 1.

    For LSOAs carried from another geography (LSOA 2001 from 2011), one LSOA may lie in
    several areas in part.

    Raises:
        ConservationError: naming LSOAs in no area, not in the city, or whose shares do not
            sum to 1.

    """
    where = f"tier {tier!r} (LSOA {year}, carried from LSOA 2011)"
    total = members.groupby("lsoa_code")["share"].sum()
    problems = {
        "in no area": sorted(city_codes - set(total.index)),
        "not in the city": sorted(set(total.index) - city_codes),
        "with shares not summing to 1": sorted(total.index[~np.isclose(total.to_numpy(), 1.0)]),
    }
    for what, codes in problems.items():
        if codes:
            msg = f"{where}: {len(codes)} LSOA(s) {what}: {show(codes)}"
            raise ConservationError(msg)


def check_populations(
    summary: pd.DataFrame, expected: pd.Series, city_population: float, *, tier: str, vintage: int
) -> None:
    """Each area's population equals its LSOAs' and the tier's total equals the city's.

    Args:
        summary: ``area_code, population`` of the tier.
        expected: Sum of member LSOA populations per area code.
        city_population: The city's population.
        tier: For messages.
        vintage: For messages.

    Raises:
        ConservationError: naming the areas whose population is off, or the totals.

    """
    got = summary.set_index("area_code")["population"]
    diff = (got - expected.reindex(got.index).fillna(0.0)).abs()
    off = diff.loc[diff > 1e-6 * max(city_population, 1.0)]
    if not off.empty:
        msg = (
            f"tier {tier!r} IoD{vintage}: population differs from its LSOAs' for {show(off.index)}"
        )
        raise ConservationError(msg)
    total = float(got.sum())
    if abs(total - city_population) > 1e-6 * max(city_population, 1.0):
        biggest = got.sort_values(ascending=False).head(5)
        listed = ", ".join(f"{a} {p:,.0f}" for a, p in biggest.items())
        msg = (
            f"tier {tier!r} IoD{vintage}: populations sum to {total:,.1f}, the city has "
            f"{city_population:,.1f} (largest areas: {listed})"
        )
        raise ConservationError(msg)


def check_areas(
    dissolved: pd.Series, expected: pd.Series, city_area: float, *, tier: str, year: int
) -> None:
    """Each dissolved area matches its LSOAs' area; the tier's areas sum to the city's.

    Args:
        dissolved: Area (m²) of each dissolved area, by area code.
        expected: Sum of the member LSOAs' areas, by area code.
        city_area: Area of the dissolved city.
        tier: For messages.
        year: LSOA geography, for messages.

    Raises:
        ConservationError: naming the areas off by more than :data:`AREA_TOLERANCE`, or the
            totals.

    """
    rel = (dissolved - expected.reindex(dissolved.index)).abs() / expected.reindex(dissolved.index)
    off = rel.loc[~(rel <= AREA_TOLERANCE)]
    if not off.empty:
        listed = [f"{a} ({100 * r:.2f}%)" for a, r in off.items()]
        msg = (
            f"tier {tier!r} (LSOA {year}): dissolved area differs from its LSOAs' by more than "
            f"{100 * AREA_TOLERANCE:g}% for {show(listed)}"
        )
        raise ConservationError(msg)
    total = float(dissolved.sum())
    if abs(total - city_area) > AREA_TOLERANCE * city_area:
        msg = (
            f"tier {tier!r} (LSOA {year}): areas sum to {total / 1e6:.3f} km², the city is "
            f"{city_area / 1e6:.3f} km² (more than {100 * AREA_TOLERANCE:g}% apart)"
        )
        raise ConservationError(msg)


# --- summaries ------------------------------------------------------------------------------


def summarise_members(
    layer: pd.DataFrame,
    members: pd.DataFrame,
    *,
    vintage: int,
    tier: str,
    thresholds: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Summary measures of each area from its members' rows of ``layer``.

    Raises:
        GeoInputError: a member LSOA is not in the vintage's layer (naming it and its area),
            e.g. a part of a split, merged or irregular LSOA missing from the IMD table.

    """
    missing = members.loc[~members["lsoa_code"].isin(layer["lsoa_code"])]
    if not missing.empty:
        pairs = [
            f"{c} (area {a})"
            for c, a in missing[["lsoa_code", "area_code"]].itertuples(index=False)
        ]
        msg = f"tier {tier!r}: LSOA(s) missing from the IoD{vintage} table: {show(pairs)}"
        raise GeoInputError(msg)
    table = pd.DataFrame(layer.drop(columns="geometry", errors="ignore"))
    joined = members[["area_code", "lsoa_code", "share"]].merge(
        table, on="lsoa_code", validate="m:1"
    )
    for col in ("population", "employment_population"):
        joined[col] = joined[col] * joined["share"]
    partial = bool((joined["share"] < 1).any())
    return summarise_areas(
        joined, area_col="area_code", n_national=VINTAGES[vintage].n_national,
        share_col="share" if partial else None, denominator_cols=_DENOMINATORS,
        thresholds=Thresholds.from_config(thresholds) if thresholds else OFFICIAL,
    )  # fmt: skip


def _empty_summary() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="str" if c == "area_code" else "float64")
                         for c in ("area_code", *SUMMARY_COLUMNS)})  # fmt: skip


def _priority_order(
    summary: pd.DataFrame,
    *,
    measure: str,
    vintage: int,
    members: pd.DataFrame,
    layer: pd.DataFrame,
) -> pd.Series:
    """Rank of each priority ward on ``measure`` in ``vintage`` (1 = most deprived).

    ``measure`` is a summary column (:data:`ORDER_MEASURES`, larger first) or
    :data:`LSOA_RANK_ORDER`: the national IMD rank of the ward's most deprived member LSOA
    in ``vintage`` (``members`` of the tier on the vintage's geography, ``layer`` its LSOA
    table), lowest first.
    """
    if measure == LSOA_RANK_ORDER:
        rows = _most_deprived_lsoa_rank(members, layer).reindex(
            summary.loc[summary["vintage"] == vintage, "area_code"]
        )
        if rows.isna().any():
            msg = (
                f"config tiers.priority_ward_order: {measure!r}: no LSOA of IoD{vintage} in "
                f"priority ward(s) {show(rows.index[rows.isna()])}"
            )
            raise GeoInputError(msg)
        order = rows.rank(method="min", ascending=True).astype(int)
    else:
        if measure not in ORDER_MEASURES:
            allowed = [*ORDER_MEASURES, LSOA_RANK_ORDER]
            msg = f"config tiers.priority_ward_order: {measure!r} is not one of {allowed}"
            raise GeoInputError(msg)
        rows = summary.loc[summary["vintage"] == vintage].set_index("area_code")[measure]
        if rows.isna().any():
            msg = (
                f"config tiers.priority_ward_order: {measure!r} is not available in IoD{vintage} "
                f"for priority ward(s) {show(rows.index[rows.isna()])}"
            )
            raise GeoInputError(msg)
        order = rank_areas(rows).astype(int)
    logger.info("Priority wards by %s in IoD%d: %s", measure, vintage,
                ", ".join(f"{order[a]}. {a}" for a in order.sort_values().index))  # fmt: skip
    return order


def _most_deprived_lsoa_rank(members: pd.DataFrame, layer: pd.DataFrame) -> pd.Series:
    """National IMD rank of the most deprived LSOA of each area (``members`` with a share)."""
    held = members.loc[members["share"] > 0, ["area_code", "lsoa_code"]]
    ranks = held.merge(
        pd.DataFrame(layer[["lsoa_code", "imd_rank"]]), on="lsoa_code", how="left", validate="m:1"
    )
    missing = ranks.loc[ranks["imd_rank"].isna()]
    if not missing.empty:
        pairs = [f"{c} (area {a})" for a, c in missing.itertuples(index=False)]
        msg = f"priority ward order: LSOA(s) without an IMD rank: {show(pairs)}"
        raise GeoInputError(msg)
    return ranks.groupby("area_code")["imd_rank"].min().astype(float)


# --- geometry -------------------------------------------------------------------------------


@dataclass
class _Geometry:
    """Coverage-cleaned LSOAs of one geography, the city polygon and the LSOA areas."""

    coverage: gpd.GeoSeries
    city: shapely.Geometry
    lsoa_area: pd.Series


def _geometry(layer: gpd.GeoDataFrame, *, year: int) -> _Geometry:
    coverage = clean_coverage(layer, id_col="lsoa_code", source=f"LSOA {year} boundaries")
    city = shapely.coverage_union_all(coverage.to_numpy())
    return _Geometry(
        coverage, city, pd.Series(shapely.area(coverage.to_numpy()), index=coverage.index)
    )


def _display(
    display: gpd.GeoDataFrame, areas: pd.DataFrame, tier: str, registry: TierRegistry
) -> gpd.GeoSeries:
    """Display polygons of a ward-based tier, dissolved from the ward display coverage."""
    ward = registry.built(Build.WARDS)[0].key
    wards = areas.loc[areas["tier"] == ward]
    if _covers_wards(registry, tier):
        codes = areas.loc[areas["tier"] == tier, "area_code"]
        return gpd.GeoSeries(
            display.set_index("ward_code").geometry.loc[list(codes)].rename_axis("area_code")
        )
    members = pd.DataFrame(
        {
            "area_code": wards[registry[tier].code_column].to_numpy(),
            "lsoa_code": wards["ward_code"].to_numpy(),
        }
    )
    return dissolve(display.set_index("ward_code").geometry, members)


def read_display_boundaries(
    path: str | None,
    areas: pd.DataFrame,
    *,
    registry: TierRegistry,
    crs: str,
    dataset: str | None,
) -> gpd.GeoDataFrame | None:
    """Display boundaries of the wards of ``areas`` (:func:`geo.geography.wards.read_ward_boundaries`).

    None when the authority has no ward boundaries dataset (``path`` None): wards are then
    drawn from their best-fit LSOAs.
    """
    if path is None:
        return None
    ward = registry.built(Build.WARDS)[0].key
    wards = areas.loc[areas["tier"] == ward, ["area_code", "area_name"]]
    return read_ward_boundaries(
        path,
        wards=wards.set_axis(["ward_code", "ward_name"], axis=1),
        crs=crs,
        source=f"{path} (dataset {dataset})",
    )


# --- assembly -------------------------------------------------------------------------------


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Nullable columns without missing values as plain numpy dtypes (for GeoPackage/CSV)."""
    out = frame.copy()
    for col in out.columns:
        dtype = str(out[col].dtype)
        if dtype in ("boolean", "Int64") and not out[col].isna().any():
            out[col] = out[col].astype("bool" if dtype == "boolean" else "int64")
        elif dtype in ("boolean", "Int64"):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out


def _tier_rows(
    tier: str, vintage: int, summary: pd.DataFrame, areas: pd.DataFrame, km2: pd.Series,
    covered: pd.Series | None, population_source: str,
) -> pd.DataFrame:  # fmt: skip
    """Return the tier's summary rows of one vintage, one per area (no LSOAs: zero counts)."""
    info = areas.loc[areas["tier"] == tier].set_index("area_code")
    s = summary.set_index("area_code").reindex(info.index)
    empty = s["lsoas"].isna()
    if empty.any():
        logger.warning(
            "tier %r IoD%d: no LSOA in %s; measures left empty",
            tier,
            vintage,
            show(info.index[empty]),
        )
        s.loc[empty, ["population", "lsoas", *COUNT_COLUMNS]] = 0.0
    rows = info.join(s).reset_index()
    rows["vintage"] = vintage
    rows["lsoa_geography"] = lsoa_geography(VINTAGES[vintage].lsoa_year)
    rows["area_km2"] = rows["area_code"].map(km2 / 1e6)
    rows["display_area_covered"] = rows["area_code"].map(covered) if covered is not None else np.nan
    rows["population_source"] = population_source
    return rows


def build_tiers(
    layers: Mapping[int, gpd.GeoDataFrame],
    *,
    members: pd.DataFrame,
    areas: pd.DataFrame,
    registry: TierRegistry,
    priority_vintage: int,
    priority_ward_order: str,
    thresholds: Mapping[str, float],
    ward_boundaries: gpd.GeoDataFrame | None = None,
    display_source: str = "ward display boundaries",
) -> dict[str, TierOutput]:
    """Summaries and map layers of every tier present in ``areas`` (see module docstring).

    Args:
        layers: Vintage → LSOA layer of the authority (canonical columns, projected CRS).
        members: From :func:`geo.geography.membership.build_members` (:data:`geo.geography.membership.MEMBER_COLUMNS`).
        areas: From :func:`geo.geography.membership.build_members`.
        registry: The tiers (:func:`geo.model.tiers.tier_registry`).
        priority_vintage: Vintage ordering the priority wards.
        priority_ward_order: Summary column ordering the priority wards (larger first), or
            :data:`LSOA_RANK_ORDER` (the national rank of each ward's most deprived LSOA,
            lowest first).
        thresholds: Config ``thresholds`` (national 1% and 10%, percent).
        ward_boundaries: Ward display boundaries (``ward_code, ward_name, geometry``) in the
            layers' CRS, or None to draw wards from their best-fit LSOAs.
        display_source: Name of the display boundaries for ``geometry_source``.

    Returns:
        Tier name → :class:`TierOutput`, in registry order.

    Raises:
        ConservationError: a conservation check failed (offending LSOAs or areas named).
        GeoInputError: a member LSOA is missing from a vintage's table; a bad order measure.

    """
    if priority_vintage not in layers:
        msg = (
            f"config tiers.priority_vintage: IoD{priority_vintage} is not among the built "
            f"vintages {sorted(layers)}"
        )
        raise GeoInputError(msg)
    tiers = [t.key for t in registry.lsoa_tiers]  # a tier with no areas gets empty outputs
    partitioning = {t.key for t in registry if t.partitions}
    years = sorted({VINTAGES[v].lsoa_year for v in layers})
    by_year = {year: members.loc[members["lsoa_year"] == year] for year in years}
    dissolved: dict[tuple[str, int], gpd.GeoSeries] = {}
    for year in years:
        first = next(layers[v] for v in sorted(layers) if VINTAGES[v].lsoa_year == year)
        if year == 2001:
            _check_lsoa01(by_year[year], first, tiers, years=years, partitioning=partitioning)
            continue
        dissolved |= _dissolve_tiers(
            _geometry(first, year=year), by_year[year], tiers, year=year, partitioning=partitioning
        )
    if 2001 in years:
        dissolved |= {(tier, 2001): dissolved[tier, 2011] for tier in tiers}
    covered: dict[int, pd.Series] = {}
    if ward_boundaries is not None:
        cleaned = clean_coverage(ward_boundaries, id_col="ward_code", source=display_source)
        ward_boundaries = ward_boundaries.set_geometry(cleaned.to_numpy(), crs=ward_boundaries.crs)
        ward = registry.built(Build.WARDS)[0].key
        # LSOA 2001 areas are drawn from their 2011 LSOAs: the same shapes as 2011.
        covered = {
            year: _covered(ward_boundaries, dissolved[ward, year], year=year) for year in years
        }
    rows: dict[str, list[pd.DataFrame]] = {t: [] for t in tiers}
    for vintage, layer in sorted(layers.items()):
        year = VINTAGES[vintage].lsoa_year
        for tier in tiers:
            summary = _summarise_tier(layer, by_year[year], tier=tier, vintage=vintage,
                                      partitions=tier in partitioning, thresholds=thresholds)  # fmt: skip
            km2 = pd.Series(
                shapely.area(dissolved[tier, year].to_numpy()).astype(float),
                index=dissolved[tier, year].index,
            )
            cov = covered.get(year) if _covers_wards(registry, tier) else None
            source = population_sources(layer["population_source"])
            rows[tier].append(_tier_rows(tier, vintage, summary, areas, km2, cov, source))
        logger.info(
            "IoD%d: populations of every partitioning tier sum to the city's (%s)",
            vintage,
            f"{layer['population'].sum():,.0f}",
        )
    out: dict[str, TierOutput] = {}
    for tier in tiers:
        table = pd.concat(rows[tier], ignore_index=True)
        if registry[tier].build is Build.HOLDING:
            year = VINTAGES[priority_vintage].lsoa_year
            order = _priority_order(
                table, measure=priority_ward_order, vintage=priority_vintage,
                members=by_year[year].loc[by_year[year]["tier"] == tier],
                layer=layers[priority_vintage],
            )  # fmt: skip
            table["priority_order"] = table["area_code"].map(order)
            table = table.sort_values(["vintage", "priority_order"], ignore_index=True)
        else:
            table = table.sort_values(["vintage", "area_code"], ignore_index=True)
        table = _plain(table.loc[:, summary_columns(registry, tier)])
        out[tier] = TierOutput(
            table,
            _layers(
                tier,
                table,
                layers,
                dissolved,
                areas,
                ward_boundaries,
                display_source,
                registry=registry,
            ),
        )
    return out


def _check_lsoa01(
    members: pd.DataFrame,
    layer: pd.DataFrame,
    tiers: list[str],
    *,
    years: list[int],
    partitioning: set[str],
) -> None:
    """Check the members carried to LSOA 2001 (:func:`geo.geography.membership.carry_to_lsoa01`).

    Their areas are the 2011 ones, drawn from their 2011 LSOAs (2001 shapes may be shared),
    so LSOA 2011 must be built; each partitioning tier must hold every 2001 LSOA wholly.
    """
    if 2011 not in years:
        msg = "releases on LSOA 2001 need a release on LSOA 2011 (2015 or 2019) built"
        raise GeoInputError(msg)
    for tier in sorted(partitioning & set(tiers)):
        check_carried_partition(
            members.loc[members["tier"] == tier], set(layer["lsoa_code"]), tier=tier, year=2001
        )


def _dissolve_tiers(
    geometry: _Geometry,
    members: pd.DataFrame,
    tiers: list[str],
    *,
    year: int,
    partitioning: set[str],
) -> dict[tuple[str, int], gpd.GeoSeries]:
    """Dissolve every tier's areas on one geography and check the partitioning tiers."""
    out: dict[tuple[str, int], gpd.GeoSeries] = {}
    city_codes = set(geometry.coverage.index)
    for tier in tiers:
        m = members.loc[members["tier"] == tier]
        if tier in partitioning:
            check_partition(m, city_codes, tier=tier, year=year)
        out[tier, year] = dissolve(geometry.coverage, m)
        if tier in partitioning:
            lsoa_area = m["lsoa_code"].map(geometry.lsoa_area)
            expected = lsoa_area.groupby(m["area_code"]).sum()
            dissolved = pd.Series(
                shapely.area(out[tier, year].to_numpy()).astype(float), index=out[tier, year].index
            )
            check_areas(dissolved, expected, geometry.city.area, tier=tier, year=year)
    logger.info(
        "LSOA %d: every partitioning tier covers the city (%.3f km²)",
        year,
        geometry.city.area / 1e6,
    )
    return out


def _covered(display: gpd.GeoDataFrame, best_fit: gpd.GeoSeries, *, year: int) -> pd.Series:
    """Return the share of each ward's display area covered by its best-fit LSOAs."""
    covered = display_coverage(display.set_index("ward_code").geometry, best_fit)
    low = covered.loc[covered < 0.8]
    if not low.empty:
        logger.warning(
            "LSOA %d: best-fit LSOAs cover under 80%% of the display area of ward(s) %s",
            year,
            show(low.index),
        )
    return covered


def _summarise_tier(
    layer: pd.DataFrame,
    members: pd.DataFrame,
    *,
    tier: str,
    vintage: int,
    partitions: bool,
    thresholds: Mapping[str, float],
) -> pd.DataFrame:
    """Summarise one tier in one vintage; check partitioning tiers against the city."""
    m = members.loc[members["tier"] == tier]
    if m.empty:
        return _empty_summary()
    summary = summarise_members(layer, m, vintage=vintage, tier=tier, thresholds=thresholds)
    if partitions:
        population = layer.set_index("lsoa_code")["population"]
        expected = (m["lsoa_code"].map(population) * m["share"]).groupby(m["area_code"]).sum()
        city = float(layer["population"].sum())
        check_populations(summary, expected, city, tier=tier, vintage=vintage)
    return summary


def _layers(
    tier: str,
    table: pd.DataFrame,
    layers: Mapping[int, gpd.GeoDataFrame],
    dissolved: Mapping[tuple[str, int], gpd.GeoSeries],
    areas: pd.DataFrame,
    ward_boundaries: gpd.GeoDataFrame | None,
    display_source: str,
    *,
    registry: TierRegistry,
) -> dict[str, gpd.GeoDataFrame]:
    """GeoPackage layers of one tier: one per vintage, plus best-fit wards when drawn apart."""
    crs = next(iter(layers.values())).crs
    use_display = ward_boundaries is not None and registry[tier].from_wards
    shown = (
        _display(ward_boundaries, areas, tier, registry)
        if use_display and ward_boundaries is not None
        else None
    )
    out: dict[str, gpd.GeoDataFrame] = {}
    for vintage in sorted(layers):
        year = VINTAGES[vintage].lsoa_year
        rows = table.loc[table["vintage"] == vintage].copy()
        if shown is not None:
            geoms = rows["area_code"].map(shown)
            rows["geometry_source"] = display_source
        else:
            geoms = rows["area_code"].map(dissolved[tier, year])
            drawn = lsoa_geography(2011 if year == 2001 else year)
            rows["geometry_source"] = f"dissolved {drawn} boundaries (coverage-cleaned)"
        out[f"imd{vintage}"] = gpd.GeoDataFrame(
            rows, geometry=gpd.GeoSeries(geoms.to_numpy(), crs=crs, index=rows.index)
        )
    if registry[tier].build is Build.WARDS and use_display:
        for year in sorted({VINTAGES[v].lsoa_year for v in layers} - {2001}):
            vintage = max(v for v in layers if VINTAGES[v].lsoa_year == year)
            rows = table.loc[
                table["vintage"] == vintage,
                ["area_code", "area_name", "lsoas", "area_km2", "display_area_covered"],
            ]
            geoms = rows["area_code"].map(dissolved[tier, year])
            layer = gpd.GeoDataFrame(rows.assign(geometry_source=f"dissolved best-fit {lsoa_geography(year)} boundaries"),
                                     geometry=gpd.GeoSeries(geoms.to_numpy(), crs=crs, index=rows.index))  # fmt: skip
            out[f"best_fit_{lsoa_geography(year).lower()}"] = layer
    return out


__all__ = [
    "AREA_TOLERANCE", "LSOA_RANK_ORDER", "ORDER_MEASURES", "TierOutput", "build_tiers", "check_areas",
    "check_partition", "check_populations", "read_display_boundaries", "summarise_members",
    "summary_columns",
]  # fmt: skip
