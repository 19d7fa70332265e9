"""Population and IoD summary measures for drawn neighbourhoods, apportioned from LSOAs.

A drawn neighbourhood rarely follows LSOA boundaries, so each LSOA it touches contributes a
*share* of itself: its population (and the employment denominator and the income and
employment numerators) times the share, and the share itself to the LSOA counts. The
official summary measures then follow from :func:`geo.statistics.measures.summarise_areas`, with the
national ranks, deciles and scores of the LSOAs unchanged.

Two ways to set each LSOA's share (config ``neighbourhoods.apportion``):

``area``
    The baseline: the share of the LSOA's area inside the neighbourhood. It assumes people
    are spread evenly over the LSOA, which they are not where an LSOA holds a park, a
    cemetery, an industrial estate or fields.

``postcode`` (default)
    Population-weighted at the finest level the data offers: the share of the LSOA's
    postcode locations (NSPL, config ``neighbourhoods.postcodes``) that lie inside the
    neighbourhood. Each LSOA's population is thus spread over the places where its addresses
    are, not over its parks and yards.

Why postcodes. Census 2021 population is published (in the data mirror) only per LSOA: no
Output Area counts are there, and the 2011 Output Area boundaries carry no population.
Splitting an LSOA by its OAs would assume that its four to six OAs hold equal numbers of
people (OAs range from 40 to 250 households), is no finer than about 300 people, and the
2011 OAs cut across the 2021 LSOAs that were split. The NSPL places every postcode (about 15
addresses) at the mean position of its addresses: Leeds LSOAs hold 23,160 distinct postcode
locations, a median of 42 per LSOA and at least 15. Each location weighs 1 and counts for the
LSOA whose polygon contains it, for LSOA 2011 and 2021 alike, so the weights follow the
boundaries actually used. Postcodes sharing exactly the same coordinates count once
(:func:`read_postcode_points`): they are PO boxes and large users placed at a delivery
office (315 at one point in New Wortley), not homes. Caveats: postcodes differ in size,
non-residential and terminated postcodes cannot otherwise be told apart in the file, and the
August 2024 postcodes stand in for where people lived in 2015 too. An LSOA with no postcode
location inside its polygon falls back to its area share, and the fit table says so
(``population_share_basis``).

Fit diagnostics per neighbourhood × LSOA (:func:`lsoa_shares`, :func:`fit_table`): the share
of the LSOA inside by area and by population (postcodes), the share used, and whether the
LSOA is ``inside`` (share ≥ the fit threshold, 0.95 by default), ``outside`` (≤ 1 − threshold)
or ``split``. A neighbourhood's verdict is ``best-fit LSOA set`` when at least one LSOA is
inside and none is split, i.e. the neighbourhood is, to within 5% of each LSOA, a set of
whole LSOAs and its figures are those of that set; otherwise ``apportioned``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.core.checks import merge_validated, require_columns
from geo.core.errors import ConfigError
from geo.core.io import read_csv
from geo.inputs.imd import population_sources
from geo.model.releases import VINTAGES
from geo.model.tiers import DRAWN_NEIGHBOURHOOD
from geo.statistics.measures import SUMMARY_COLUMNS, summarise_areas

logger = logging.getLogger(__name__)

TIER = DRAWN_NEIGHBOURHOOD.key
"""Tier name of the drawn neighbourhoods in the summary tables."""

METHODS: dict[str, str] = {
    "postcode": "postcode-weighted (share of the LSOA's NSPL postcode points inside)",
    "area": "area-weighted (share of the LSOA's area inside)",
}
"""Apportionment methods and how the output names them (column ``apportion_method``)."""

VERDICTS = ("best-fit LSOA set", "apportioned")

SNAP = 1e-9
"""Area shares within this of 0 or 1 are taken as 0 or 1 (floating-point noise)."""

SHARE_COLUMNS: tuple[str, ...] = (
    "area_code", "lsoa_code", "lsoa_area_m2", "overlap_m2", "area_share",
    "share_of_neighbourhood_area", "postcodes_in_lsoa", "postcodes_inside",
    "population_share", "population_share_basis",
)  # fmt: skip
"""Columns of :func:`lsoa_shares`."""

FIT_COLUMNS: tuple[str, ...] = (
    "vintage", "area_code", "area_name", "lsoa_code", "lsoa_name", "lsoa_population",
    "area_share", "population_share", "population_share_basis", "share_used",
    "population_apportioned", "fit", "share_of_neighbourhood_area", "overlap_m2",
    "postcodes_in_lsoa", "postcodes_inside", "apportion_method",
)  # fmt: skip
"""Columns of the fit table (one row per neighbourhood × LSOA it overlaps)."""

DIAGNOSTIC_COLUMNS: tuple[str, ...] = (
    "apportion_method", "fit_verdict", "contributing_lsoas", "lsoas_inside", "lsoas_split",
    "lsoas_outside", "best_fit_lsoas", "area_share_in_whole_lsoas",
    "population_share_in_whole_lsoas", "population_by_area", "population_by_postcodes",
)  # fmt: skip
"""Fit diagnostics added to each neighbourhood's summary row."""

TIER_COLUMNS: tuple[str, ...] = (
    "area_code", "area_name", "tier", "vintage", "lsoa_geography", "lad_code", "ward_name",
    "area_km2", *SUMMARY_COLUMNS, "population_source", *DIAGNOSTIC_COLUMNS, "notes",
    "illustrative", "source_file",
)  # fmt: skip
"""Columns of the ``drawn_neighbourhood`` tier, like the other tiers' summaries
(:mod:`geo.statistics.tiers`) plus the diagnostics; ``ward_name`` is the ``ward`` property as drawn.
The GeoPackage layers add ``geometry_source`` and the drawn polygon."""

COMPARE_MEASURES: tuple[str, ...] = (
    "population", "lsoas", "imd_average_score", "imd_average_rank", "imd_proportion_10pct",
    "imd_extent", "imd_local_concentration", "income_scale", "employment_scale",
)  # fmt: skip
"""Measures set side by side in the LSOA-based vs drawn comparison."""

DENOMINATORS = {"employment": "employment_population"}
"""The Employment domain is weighted by the working-age population (Technical Report 3.8.9)."""


def check_settings(settings: Mapping[str, Any]) -> Mapping[str, Any]:
    """Check the ``neighbourhoods`` config beyond its schema; return it unchanged.

    Raises:
        ConfigError: Naming the key: an unknown method, or ``apportion: postcode`` without
            a ``postcodes`` dataset.

    """
    method = settings["apportion"]
    if method not in METHODS:
        msg = f"config neighbourhoods.apportion: {method!r} is not one of {', '.join(METHODS)}"
        raise ConfigError(msg)
    if method == "postcode" and not settings.get("postcodes"):
        msg = (
            "config neighbourhoods.apportion: 'postcode' needs a postcode dataset in "
            "neighbourhoods.postcodes (or use 'area')"
        )
        raise ConfigError(msg)
    return settings


# --------------------------------------------------------------------------------------
# Postcode points
# --------------------------------------------------------------------------------------


def read_postcode_points(
    path: Path | str, *, crs: str, source: str | None = None
) -> gpd.GeoDataFrame:
    """Postcode locations (columns ``postcode``, ``lat``, ``long``, WGS84) projected to ``crs``.

    Postcodes at exactly the same coordinates count once: NSPL places PO-box and other
    large-user postcodes at their delivery office, so one point in Leeds holds 315
    postcodes and 220 points hold more than five (a fifth of all Leeds postcodes), none of
    them homes. Rows without coordinates are dropped. Both are logged.

    Returns:
        One row per distinct location: ``postcode`` (the first), ``postcodes`` (how many
        share the location) and point geometry.

    """
    source = source or str(path)
    df = read_csv(path, dtype={"postcode": "str"})
    require_columns(df, ["postcode", "lat", "long"], source=source)
    df["lat"], df["long"] = pd.to_numeric(df["lat"]), pd.to_numeric(df["long"])
    known = df["lat"].notna() & df["long"].notna()
    if (~known).any():
        logger.info("%s: %d postcode(s) without coordinates dropped", source, int((~known).sum()))
    grouped = df.loc[known].groupby(["lat", "long"], sort=True)
    places = grouped.agg(
        postcode=("postcode", "first"), postcodes=("postcode", "size")
    ).reset_index()
    stacked = places["postcodes"] > 1
    logger.info(
        "%s: %d postcodes at %d distinct locations; %d location(s) hold several postcodes "
        "(up to %d: PO boxes and large users at delivery offices) and count once",
        source, int(known.sum()), len(places), int(stacked.sum()), int(places["postcodes"].max()),
    )  # fmt: skip
    points = gpd.GeoDataFrame(
        places[["postcode", "postcodes"]],
        geometry=gpd.points_from_xy(places["long"], places["lat"]),
        crs="EPSG:4326",
    )
    return points.to_crs(crs)


def assign_points(points: gpd.GeoDataFrame, lsoas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Each point with the ``lsoa_code`` of the LSOA polygon holding it; others dropped.

    A point on a shared boundary goes to the LSOA with the smaller code.
    """
    joined = gpd.sjoin(
        points[[points.geometry.name]], lsoas[["lsoa_code", lsoas.geometry.name]],
        how="inner", predicate="intersects",
    )  # fmt: skip
    joined = joined.sort_values("lsoa_code", kind="stable")
    joined = joined.loc[~joined.index.duplicated(keep="first")].sort_index()
    logger.info(
        "%d of %d postcode points lie in the %d LSOAs", len(joined), len(points), len(lsoas)
    )
    return gpd.GeoDataFrame(joined[["lsoa_code", "geometry"]], crs=points.crs)


# --------------------------------------------------------------------------------------
# Shares
# --------------------------------------------------------------------------------------


def _pairs(areas: gpd.GeoDataFrame, lsoas: gpd.GeoDataFrame) -> pd.DataFrame:
    """Every (area, LSOA) pair whose overlap has area, with the overlap and the shares."""
    a_idx, l_idx = lsoas.sindex.query(areas.geometry.to_numpy(), predicate="intersects")
    a_geom = areas.geometry.to_numpy()[a_idx]
    l_geom = lsoas.geometry.to_numpy()[l_idx]
    overlap = shapely.area(shapely.intersection(a_geom, l_geom))
    lsoa_area = shapely.area(l_geom)
    share = overlap / lsoa_area
    share = np.where(share >= 1 - SNAP, 1.0, np.where(share <= SNAP, 0.0, share))
    pairs = pd.DataFrame(
        {
            "area_code": areas["area_code"].to_numpy()[a_idx],
            "lsoa_code": lsoas["lsoa_code"].to_numpy()[l_idx],
            "lsoa_area_m2": lsoa_area,
            "overlap_m2": overlap,
            "area_share": share,
            "share_of_neighbourhood_area": overlap / shapely.area(a_geom),
        }
    )
    return pairs.loc[pairs["area_share"] > 0].reset_index(drop=True)


def _postcode_counts(
    pairs: pd.DataFrame, areas: gpd.GeoDataFrame, points: gpd.GeoDataFrame
) -> pd.DataFrame:
    """Postcodes of each pair's LSOA: in the LSOA, and inside the area."""
    total = points.groupby("lsoa_code").size().rename("postcodes_in_lsoa")
    p_idx, a_idx = areas.sindex.query(points.geometry.to_numpy(), predicate="intersects")
    inside = (
        pd.DataFrame({"area_code": areas["area_code"].to_numpy()[a_idx],
                      "lsoa_code": points["lsoa_code"].to_numpy()[p_idx]})
        .groupby(["area_code", "lsoa_code"]).size().rename("postcodes_inside")
    )  # fmt: skip
    out = pairs.join(total, on="lsoa_code").join(inside, on=["area_code", "lsoa_code"])
    counts = ["postcodes_in_lsoa", "postcodes_inside"]
    out[counts] = out[counts].fillna(0).astype("int64")
    return out


def lsoa_shares(
    areas: gpd.GeoDataFrame, lsoas: gpd.GeoDataFrame, points: gpd.GeoDataFrame | None
) -> pd.DataFrame:
    """Share of each LSOA inside each area, by area and by population (postcodes).

    Args:
        areas: Drawn areas with ``area_code`` and geometry, in the LSOAs' CRS (metres).
        lsoas: LSOAs with ``lsoa_code`` and geometry.
        points: Postcode points with the ``lsoa_code`` holding them (:func:`assign_points`);
            None when there is no postcode dataset (population shares are then area shares).

    Returns:
        One row per (area, LSOA) overlapping with area, columns :data:`SHARE_COLUMNS`.
        ``area_share`` is the share of the LSOA's area inside the area;
        ``population_share`` the share of its postcode points inside (the area share when
        the LSOA has none, as ``population_share_basis`` says).

    """
    if areas.crs != lsoas.crs:
        msg = f"areas are in {areas.crs}, LSOAs in {lsoas.crs}; project them to one CRS"
        raise ValueError(msg)
    pairs = _pairs(areas, lsoas)
    if points is None:
        pairs["postcodes_in_lsoa"] = 0
        pairs["postcodes_inside"] = 0
        no_points = "area (no postcode dataset)"
    else:
        pairs = _postcode_counts(pairs, areas, points)
        no_points = "area (no postcode point in the LSOA)"
    has = pairs["postcodes_in_lsoa"] > 0
    pairs["population_share"] = np.where(
        has,
        pairs["postcodes_inside"] / pairs["postcodes_in_lsoa"].where(has, 1),
        pairs["area_share"],
    )
    pairs["population_share_basis"] = np.where(has, "postcodes", no_points)
    if (~has).any():
        logger.warning(
            "%d LSOA(s) touched have no postcode point; shared by area: %s",
            pairs.loc[~has, "lsoa_code"].nunique(),
            ", ".join(sorted(pairs.loc[~has, "lsoa_code"].unique())[:10]),
        )
    return pairs[list(SHARE_COLUMNS)]


def classify_fit(share: pd.Series, *, threshold: float) -> pd.Series:
    """``inside`` (≥ threshold), ``outside`` (≤ 1 − threshold) or ``split``."""
    fit = np.where(
        share >= threshold, "inside", np.where(share <= 1 - threshold, "outside", "split")
    )
    return pd.Series(fit, index=share.index, dtype="str")


def fit_table(
    shares: pd.DataFrame,
    lsoas: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    vintage: int,
    method: str,
    threshold: float,
) -> pd.DataFrame:
    """Shares joined to the LSOAs' populations, with the share used and the fit class.

    Args:
        shares: From :func:`lsoa_shares`.
        lsoas: The vintage's LSOA layer (``lsoa_code``, ``lsoa_name``, ``population``).
        areas: ``area_code`` and ``area_name`` of every area.
        vintage: IoD vintage of ``lsoas``.
        method: ``postcode`` or ``area`` (:data:`METHODS`).
        threshold: Share at or above which an LSOA counts as inside.

    Returns:
        One row per (area, LSOA), columns :data:`FIT_COLUMNS`, sorted.

    """
    if method not in METHODS:
        msg = f"apportionment method {method!r} is not one of {', '.join(METHODS)}"
        raise ValueError(msg)
    fit = merge_validated(
        shares, pd.DataFrame(lsoas[["lsoa_code", "lsoa_name", "population"]]), on="lsoa_code",
        left_name="neighbourhood shares", right_name=f"IoD{vintage} LSOA layer", validate="m:1",
    )  # fmt: skip
    fit = merge_validated(
        fit, pd.DataFrame(areas[["area_code", "area_name"]]), on="area_code",
        left_name="neighbourhood shares", right_name="neighbourhoods", validate="m:1",
    )  # fmt: skip
    fit = fit.rename(columns={"population": "lsoa_population"})
    fit["vintage"] = vintage
    fit["share_used"] = fit["population_share" if method == "postcode" else "area_share"]
    fit["population_apportioned"] = fit["lsoa_population"] * fit["share_used"]
    fit["fit"] = classify_fit(fit["share_used"], threshold=threshold)
    fit["apportion_method"] = METHODS[method]
    return fit[list(FIT_COLUMNS)].sort_values(["area_code", "lsoa_code"], ignore_index=True)


def empty_fit_table() -> pd.DataFrame:
    """Return a fit table with no rows."""
    return pd.DataFrame({col: pd.Series([], dtype="object") for col in FIT_COLUMNS})


# --------------------------------------------------------------------------------------
# Summaries
# --------------------------------------------------------------------------------------


def contributions(fit: pd.DataFrame, lsoas: pd.DataFrame) -> pd.DataFrame:
    """Rows for :func:`geo.statistics.measures.summarise_areas`: each LSOA's attributes × its share.

    Population and the employment denominator are multiplied by the share here;
    ``summarise_areas`` multiplies the numerators (``share_col="share_used"``).
    """
    used = fit.loc[fit["share_used"] > 0, ["area_code", "lsoa_code", "share_used"]]
    attributes = pd.DataFrame(lsoas.drop(columns=["geometry"], errors="ignore"))
    rows = merge_validated(
        used, attributes, on="lsoa_code", left_name="fit table", right_name="LSOA layer",
        validate="m:1",
    )  # fmt: skip
    rows["population"] = rows["population"] * rows["share_used"]
    if "employment_population" in rows:
        rows["employment_population"] = rows["employment_population"] * rows["share_used"]
    return rows


def summarise_contributions(
    rows: pd.DataFrame, *, vintage: int, area_codes: Sequence[str]
) -> pd.DataFrame:
    """Summary measures of every area in ``area_codes``; NaN for an area with no people.

    An area none of whose LSOAs contributes a person (e.g. drawn over a park under postcode
    weighting) keeps its row with population 0 and NaN measures, with a warning.
    """
    denominators = {k: v for k, v in DENOMINATORS.items() if v in rows}
    summary = pd.DataFrame(columns=["area_code", *SUMMARY_COLUMNS])
    if not rows.empty:
        summary = summarise_areas(
            rows, area_col="area_code", n_national=VINTAGES[vintage].n_national,
            population_col="population", share_col="share_used", denominator_cols=denominators,
        )  # fmt: skip
    empty = sorted(set(area_codes) - set(summary["area_code"]))
    if empty:
        logger.warning("IoD%d: no population apportioned to %s; measures left empty", vintage,
                       ", ".join(empty))  # fmt: skip
        blank = pd.DataFrame({"area_code": empty, "population": 0.0, "lsoas": 0.0})
        summary = pd.concat([summary, blank], ignore_index=True) if not summary.empty else blank
    return summary.set_index("area_code").reindex(list(area_codes)).reset_index()


def diagnostics(fit: pd.DataFrame, areas: gpd.GeoDataFrame, *, threshold: float) -> pd.DataFrame:
    """Per-area fit diagnostics (:data:`DIAGNOSTIC_COLUMNS`) from one vintage's fit table."""
    f = fit.assign(
        contributing=fit["share_used"] > 0,
        inside=fit["fit"] == "inside",
        split=fit["fit"] == "split",
        outside_used=(fit["fit"] == "outside") & (fit["share_used"] > 0),
        whole_area=np.where(fit["fit"] == "inside", fit["share_of_neighbourhood_area"], 0.0),
        whole_pop=np.where(fit["fit"] == "inside", fit["population_apportioned"], 0.0),
        by_area=fit["lsoa_population"] * fit["area_share"],
        by_postcodes=fit["lsoa_population"] * fit["population_share"],
        best=fit["lsoa_code"].where(fit["share_used"] >= 0.5),
    )
    g = f.groupby("area_code")
    out = pd.DataFrame(
        {
            "contributing_lsoas": g["contributing"].sum(),
            "lsoas_inside": g["inside"].sum(),
            "lsoas_split": g["split"].sum(),
            "lsoas_outside": g["outside_used"].sum(),
            "best_fit_lsoas": g["best"].agg(lambda s: ";".join(sorted(s.dropna()))),
            "area_share_in_whole_lsoas": g["whole_area"].sum(),
            "population_share_in_whole_lsoas": g["whole_pop"].sum()
            / g["population_apportioned"].sum().replace(0, np.nan),
            "population_by_area": g["by_area"].sum(),
            "population_by_postcodes": g["by_postcodes"].sum(),
        }
    )
    out = out.reindex(areas["area_code"].to_numpy())
    counts = ["contributing_lsoas", "lsoas_inside", "lsoas_split", "lsoas_outside"]
    out[counts] = out[counts].fillna(0).astype("int64")
    out["best_fit_lsoas"] = out["best_fit_lsoas"].fillna("")
    best = (out["lsoas_inside"] > 0) & (out["lsoas_split"] == 0)
    out["fit_verdict"] = np.where(best, VERDICTS[0], VERDICTS[1])
    return out.rename_axis("area_code").reset_index()


def summarise_drawn(
    areas: gpd.GeoDataFrame,
    fit: pd.DataFrame,
    lsoas: pd.DataFrame,
    *,
    vintage: int,
    method: str,
    threshold: float,
) -> gpd.GeoDataFrame:
    """Build the ``drawn_neighbourhood`` tier of one vintage: summary measures, diagnostics.

    Args:
        areas: Validated neighbourhoods (:mod:`geo.inputs.neighbourhoods`) with ``area_code``
            (their id) and ``area_name`` (their name) added.
        fit: This vintage's :func:`fit_table`.
        lsoas: The vintage's LSOA layer (canonical columns).
        vintage: IoD vintage.
        method: Apportionment method, for the ``apportion_method`` column.
        threshold: Fit threshold of the verdict.

    Returns:
        One row per area with :data:`TIER_COLUMNS` and geometry, in the areas' order.

    """
    codes = list(areas["area_code"])
    summary = summarise_contributions(contributions(fit, lsoas), vintage=vintage, area_codes=codes)
    diag = diagnostics(fit, areas, threshold=threshold)
    out = areas[["area_code", "area_name", "ward", "notes", "illustrative", "source_file",
                 "geometry"]].merge(summary, on="area_code", validate="1:1")  # fmt: skip
    out = out.merge(diag, on="area_code", validate="1:1").rename(columns={"ward": "ward_name"})
    out["tier"] = TIER
    out["vintage"] = vintage
    out["lsoa_geography"] = VINTAGES[vintage].lsoa_geography
    out["lad_code"] = _single(lsoas, "lad_code")
    out["area_km2"] = out.geometry.area / 1e6
    out["population_source"] = (
        population_sources(lsoas["population_source"]) if "population_source" in lsoas else ""
    )
    out["apportion_method"] = METHODS[method]
    out["geometry_source"] = "drawn: " + out["source_file"].astype(str)
    return gpd.GeoDataFrame(
        out[[*TIER_COLUMNS, "geometry_source", "geometry"]], geometry="geometry", crs=areas.crs
    )


def _single(frame: pd.DataFrame, col: str) -> str:
    """Return the one value of ``col`` in ``frame`` (empty if absent)."""
    if col not in frame:
        return ""
    values = pd.Series(frame[col]).dropna().unique()
    return str(values[0]) if len(values) else ""


def empty_tier(crs: str = "EPSG:27700") -> gpd.GeoDataFrame:
    """Return a tier layer with no rows (an authority with no drawn neighbourhoods)."""
    numeric = {*SUMMARY_COLUMNS, *DIAGNOSTIC_COLUMNS[2:], "vintage", "area_km2"} - {
        "best_fit_lsoas"
    }
    data = {
        col: pd.Series([], dtype="float64" if col in numeric else "str")
        for col in (*TIER_COLUMNS, "geometry_source")
    }
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries([], crs=crs), crs=crs)


def as_areas(neighbourhoods: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Rename validated neighbourhoods' ``id``/``name`` to the tier's ``area_code``/``area_name``."""
    return neighbourhoods.rename(columns={"id": "area_code", "name": "area_name"})


# --------------------------------------------------------------------------------------
# LSOA-based priority neighbourhoods vs drawn ones
# --------------------------------------------------------------------------------------


def pair_with_drawn(priority: Sequence[str], fit: pd.DataFrame) -> pd.DataFrame:
    """For each priority LSOA, the drawn neighbourhood holding most of its population.

    Args:
        priority: LSOA codes (of ``fit``'s geography).
        fit: A fit table (:func:`fit_table`) of the same geography.

    Returns:
        ``lsoa_code, drawn_code, drawn_name, pairing_population_share,
        pairing_area_share``; the drawn columns are empty for an LSOA no drawn area holds.
        Ties go to the larger area share, then the smaller code.

    """
    rows = fit.loc[fit["lsoa_code"].isin(priority)]
    rows = rows.sort_values(["lsoa_code", "population_share", "area_share", "area_code"],
                            ascending=[True, False, False, True])  # fmt: skip
    best = rows.drop_duplicates("lsoa_code").set_index("lsoa_code")
    best = best.loc[best["population_share"] > 0]
    out = pd.DataFrame({"lsoa_code": list(priority)})
    picked = best[["area_code", "area_name", "population_share", "area_share"]].rename(
        columns={"area_code": "drawn_code", "area_name": "drawn_name",
                 "population_share": "pairing_population_share",
                 "area_share": "pairing_area_share"}
    )  # fmt: skip
    return out.join(picked, on="lsoa_code")


def lsoa_based_summaries(
    priority: gpd.GeoDataFrame,
    lsoas: gpd.GeoDataFrame,
    points: gpd.GeoDataFrame | None,
    *,
    vintage: int,
    method: str,
    threshold: float,
) -> pd.DataFrame:
    """Summary measures of each LSOA-based priority neighbourhood in one vintage.

    Where the vintage's layer holds the LSOA (same code) the figures are that LSOA's own;
    otherwise (an LSOA 2011 split or merged by 2021) its polygon is apportioned over the
    vintage's LSOAs like a drawn area.

    Args:
        priority: The priority LSOAs (``lsoa_code``, geometry) of the defining vintage.
        lsoas: The vintage's LSOA layer.
        points: Postcode points assigned to ``lsoas`` (None: area shares).
        vintage: IoD vintage of ``lsoas``.
        method: Apportionment method for the carried ones.
        threshold: Fit threshold (config ``neighbourhoods.fit_threshold``).

    """
    codes = list(priority["lsoa_code"])
    same = [c for c in codes if c in set(lsoas["lsoa_code"])]
    carried = priority.loc[~priority["lsoa_code"].isin(same), ["lsoa_code", "geometry"]]
    fit = pd.DataFrame({"area_code": same, "lsoa_code": same, "share_used": 1.0})
    if not carried.empty:
        areas = carried.rename(columns={"lsoa_code": "area_code"}).assign(area_name="")
        shares = lsoa_shares(areas, lsoas, points)
        more = fit_table(shares, lsoas, areas, vintage=vintage, method=method, threshold=threshold)
        fit = pd.concat([fit, more[["area_code", "lsoa_code", "share_used"]]], ignore_index=True)
    return summarise_contributions(contributions(fit, lsoas), vintage=vintage, area_codes=codes)


def compare_drawn(
    pairs: pd.DataFrame,
    names: Mapping[str, str],
    lsoa_based: Mapping[int, pd.DataFrame],
    drawn: pd.DataFrame,
) -> pd.DataFrame:
    """Each LSOA-based priority neighbourhood beside its drawn one, per vintage.

    Args:
        pairs: From :func:`pair_with_drawn`.
        names: LSOA code → name of the LSOA-based neighbourhood.
        lsoa_based: Vintage → :func:`lsoa_based_summaries`.
        drawn: The drawn tier (all vintages; ``area_code``, ``vintage``, measures,
            ``fit_verdict``).

    Returns:
        One row per vintage × priority LSOA: ``vintage, lsoa_code, lsoa_name, drawn_code,
        drawn_name, pairing_population_share, pairing_area_share, drawn_fit_verdict``, then
        for each of :data:`COMPARE_MEASURES` ``lsoa_<m>``, ``drawn_<m>`` and
        ``<m>_difference`` (drawn − LSOA-based).

    """
    frames = []
    measures = list(COMPARE_MEASURES)
    for vintage, lsoa in lsoa_based.items():
        left = pairs.assign(vintage=vintage, lsoa_name=pairs["lsoa_code"].map(names))
        own = lsoa.assign(area_code=lsoa["area_code"].astype("string")).set_index("area_code")
        left = left.assign(lsoa_code=left["lsoa_code"].astype("string"))
        left = left.join(own[measures].add_prefix("lsoa_"), on="lsoa_code")
        right = drawn.loc[drawn["vintage"] == vintage].set_index("area_code")
        right = right[[*measures, "fit_verdict"]].add_prefix("drawn_")
        frames.append(left.join(right, on="drawn_code"))
    if not frames:
        return pd.DataFrame()
    out = pd.concat(frames, ignore_index=True)
    for m in measures:
        out[f"{m}_difference"] = out[f"drawn_{m}"] - out[f"lsoa_{m}"]
    head = ["vintage", "lsoa_code", "lsoa_name", "drawn_code", "drawn_name",
            "pairing_population_share", "pairing_area_share", "drawn_fit_verdict"]  # fmt: skip
    tail = [c for m in measures for c in (f"lsoa_{m}", f"drawn_{m}", f"{m}_difference")]
    return out[head + tail]


# --------------------------------------------------------------------------------------
# Whole steps (one call per workflow script)
# --------------------------------------------------------------------------------------


def shares_by_vintage(
    neighbourhoods: gpd.GeoDataFrame,
    layers: Mapping[int, gpd.GeoDataFrame],
    points: gpd.GeoDataFrame | None,
) -> pd.DataFrame:
    """:func:`lsoa_shares` of validated neighbourhoods in each vintage's LSOA geography.

    Args:
        neighbourhoods: Validated neighbourhoods (``id``, geometry).
        layers: Vintage → LSOA layer, in the neighbourhoods' CRS.
        points: Postcode points (not yet assigned to LSOAs), or None.

    Returns:
        ``vintage`` then :data:`SHARE_COLUMNS`.

    """
    areas = as_areas(neighbourhoods)
    frames = []
    for vintage, lsoas in layers.items():
        assigned = assign_points(points, lsoas) if points is not None else None
        frames.append(lsoa_shares(areas, lsoas, assigned).assign(vintage=vintage))
    if not frames:
        return pd.DataFrame(columns=["vintage", *SHARE_COLUMNS])
    return pd.concat(frames, ignore_index=True)[["vintage", *SHARE_COLUMNS]]


def build_drawn_tier(
    neighbourhoods: gpd.GeoDataFrame,
    shares: Iterable[pd.DataFrame],
    layers: Mapping[int, gpd.GeoDataFrame],
    *,
    method: str,
    threshold: float,
) -> tuple[dict[int, gpd.GeoDataFrame], pd.DataFrame, pd.DataFrame]:
    """Build the ``drawn_neighbourhood`` tier of every vintage and the fit table.

    Args:
        neighbourhoods: All validated neighbourhoods (:func:`geo.inputs.neighbourhoods.check_neighbourhoods`).
        shares: :func:`shares_by_vintage` of all of them (one frame per file).
        layers: Vintage → LSOA layer.
        method: ``postcode`` or ``area``.
        threshold: Fit threshold (0.95: an LSOA ≥ 95% inside is inside, ≤ 5% outside).

    Returns:
        Vintage → tier layer (:data:`TIER_COLUMNS` + geometry; no rows when there are no
        neighbourhoods), the tier table of all vintages (:data:`TIER_COLUMNS`) and the fit
        table of all vintages (:data:`FIT_COLUMNS`).

    """
    areas = as_areas(neighbourhoods)
    frames = [f for f in shares if not f.empty]
    all_shares = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["vintage", *SHARE_COLUMNS]
    )  # fmt: skip
    missing = sorted(set(areas["area_code"]) - set(all_shares["area_code"]))
    if missing:
        msg = f"no LSOA shares for neighbourhood(s) {', '.join(missing)}; rerun their apportionment"
        raise ValueError(msg)
    tiers: dict[int, gpd.GeoDataFrame] = {}
    fits = []
    for vintage, lsoas in layers.items():
        if areas.empty:
            tiers[vintage] = empty_tier(lsoas.crs)
            continue
        own = all_shares.loc[all_shares["vintage"] == vintage].drop(columns="vintage")
        fit = fit_table(own, lsoas, areas, vintage=vintage, method=method, threshold=threshold)
        tiers[vintage] = summarise_drawn(
            areas, fit, lsoas, vintage=vintage, method=method, threshold=threshold
        )
        fits.append(fit)
    fit_all = pd.concat(fits, ignore_index=True) if fits else empty_fit_table()
    table = pd.concat([pd.DataFrame(t[list(TIER_COLUMNS)]) for t in tiers.values()],
                      ignore_index=True)  # fmt: skip
    logger.info("drawn_neighbourhood tier: %d neighbourhood(s) x %d vintage(s), method %s",
                len(areas), len(layers), method)  # fmt: skip
    return tiers, table, fit_all


def build_comparison(
    layers: Mapping[int, gpd.GeoDataFrame],
    *,
    priority_vintage: int,
    fit: pd.DataFrame,
    tier: pd.DataFrame,
    points: gpd.GeoDataFrame | None,
    method: str,
    threshold: float,
    membership: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """LSOA-based priority neighbourhoods (national 1% LSOAs) vs their drawn ones.

    The priority LSOAs are those flagged ``in_national_1pct`` in ``priority_vintage``'s
    layer (the ``priority_neighbourhood`` tier); each is paired with the drawn neighbourhood
    holding most of its population in that vintage (:func:`pair_with_drawn`), then both are
    set side by side in every vintage of ``layers`` (:func:`compare_drawn`). Each is named by
    its ``local_name`` in ``membership`` (``lsoa_membership.csv``) or else its LSOA name.
    """
    if priority_vintage not in layers:
        msg = f"the priority vintage {priority_vintage} is not among the vintages {sorted(layers)}"
        raise ValueError(msg)
    base = layers[priority_vintage]
    priority = base.loc[
        base["in_national_1pct"].astype(bool), ["lsoa_code", "lsoa_name", "geometry"]
    ]
    codes = list(priority["lsoa_code"])
    own_fit = fit.loc[fit["vintage"] == priority_vintage] if not fit.empty else fit
    pairs = pair_with_drawn(codes, own_fit) if not own_fit.empty else pd.DataFrame(
        {"lsoa_code": codes, "drawn_code": None, "drawn_name": None,
         "pairing_population_share": np.nan, "pairing_area_share": np.nan}
    )  # fmt: skip
    lsoa_based = {}
    for vintage, lsoas in layers.items():
        assigned = assign_points(points, lsoas) if points is not None else None
        lsoa_based[vintage] = lsoa_based_summaries(
            priority, lsoas, assigned, vintage=vintage, method=method, threshold=threshold
        )
    names = dict(zip(priority["lsoa_code"], priority["lsoa_name"], strict=True))
    if membership is not None and {"lsoa_code", "local_name"} <= set(membership.columns):
        geography = VINTAGES[priority_vintage].lsoa_geography
        rows = membership
        if "lsoa_geography" in membership:
            rows = membership.loc[membership["lsoa_geography"] == geography]
        local = rows.dropna(subset=["local_name"]).set_index("lsoa_code")["local_name"]
        names |= {c: str(local[c]) for c in codes if c in local.index}
    drawn = tier if not tier.empty else pd.DataFrame(
        columns=["area_code", "vintage", *COMPARE_MEASURES, "fit_verdict"]
    )  # fmt: skip
    logger.info("Compared %d IoD%d priority LSOA(s) with drawn neighbourhoods", len(codes),
                priority_vintage)  # fmt: skip
    return compare_drawn(pairs, names, lsoa_based, drawn)
