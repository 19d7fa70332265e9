"""Wards: LSOA → ward best fit for each LSOA geography, ward groupings and display boundaries.

Statistics for wards are built from whole LSOAs, each assigned to one ward by the ONS
*population-weighted* best fit (never by area overlap):

- LSOA 2021 → ward: the ONS LSOA (2021) → Ward (May 2024) best-fit lookup
  (``lookup_lsoa21_ward24``), ``ward_method = "best_fit"``;
- LSOA 2011 → ward: through the LSOA 2011 → 2021 crosswalk (:mod:`geo.geography.crosswalk`) and then
  the 2021 best fit. ``ward_method`` records how: ``"U"`` (unchanged LSOA), ``"M"`` (merged
  into one LSOA 2021), ``"S"`` (split, every part in the same ward), ``"S_population"`` (split
  with parts in different wards: the ward holding most of the parts' Census 2021 residents)
  and ``"X_population"`` (irregular change: likewise, by the population shares of the
  crosswalk). ``ward_population_share`` is the share of the LSOA's people (Census 2021
  parts) in the chosen ward: 1 except for split or irregular LSOAs straddling wards.

Display boundaries (December 2022 wards, generalised) are for maps only;
:func:`display_coverage` reports the share of each ward's display area covered by its
best-fit LSOAs.
"""

from __future__ import annotations

import logging
import re

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from geo.core.checks import check_geometry, require_columns, require_unique, show
from geo.core.errors import GeoInputError, JoinError
from geo.core.io import read_csv, read_vector, vector_path

logger = logging.getLogger(__name__)

WARD_COLUMNS = ("lsoa_code", "ward_code", "ward_name", "ward_method", "ward_population_share")
"""Columns of :func:`assign_wards`."""


_BEST_FIT = {"lsoa21_code": "lsoa21_code", "ward24_code": "ward_code",
             "ward24_name": "ward_name", "ltla24_code": "ward_lad_code"}  # fmt: skip
_BOUNDARY_CODE_FIELDS = ("ward22_code", "WD22CD", "ward24_code", "WD24CD", "ward_code")
_BOUNDARY_NAME_FIELDS = ("ward22_name", "WD22NM", "ward24_name", "WD24NM", "ward_name")


def slug(name: str) -> str:
    """Code for a named group without an official code: ``"Inner East"`` → ``"inner_east"``."""
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


def read_ward_best_fit(path: str, *, source: str | None = None) -> pd.DataFrame:
    """Read the national LSOA 2021 → ward best-fit lookup.

    Returns:
        ``lsoa21_code, ward_code, ward_name, ward_lad_code``, one row per LSOA 2021.

    Raises:
        GeoInputError: a column is missing.
        JoinError: an LSOA 2021 is assigned to two wards, or a ward code has two names
            (both named).

    """
    source = source or str(path)
    df = read_csv(path)
    require_columns(df, _BEST_FIT, source=source)
    df = df.rename(columns=_BEST_FIT).loc[:, list(_BEST_FIT.values())].drop_duplicates()
    twice = df.loc[df["lsoa21_code"].duplicated(keep=False)]
    if not twice.empty:
        pairs = [
            f"{c} ({w})" for c, w in twice[["lsoa21_code", "ward_code"]].itertuples(index=False)
        ]
        msg = f"{source}: LSOA(s) assigned to two or more wards: {show(pairs)}"
        raise JoinError(msg)
    require_unique(df, "lsoa21_code", source=source)
    names = df[["ward_code", "ward_name"]].drop_duplicates()
    renamed = names.loc[names["ward_code"].duplicated(keep=False), "ward_code"]
    if not renamed.empty:
        msg = f"{source}: ward code(s) with more than one name: {show(renamed)}"
        raise GeoInputError(msg)
    return df.reset_index(drop=True)


def city_wards(best_fit: pd.DataFrame, *, lad_code: str, source: str) -> pd.DataFrame:
    """Return the authority's wards (``ward_code, ward_name``) in the best-fit lookup, by code."""
    wards = best_fit.loc[best_fit["ward_lad_code"] == lad_code, ["ward_code", "ward_name"]]
    if wards.empty:
        msg = f"{source}: no ward of local authority {lad_code!r} (field 'ltla24_code')"
        raise GeoInputError(msg)
    return wards.drop_duplicates().sort_values("ward_code", ignore_index=True)


def _wards_lsoa21(codes: list[str], best_fit: pd.DataFrame, *, source: str) -> pd.DataFrame:
    missing = sorted(set(codes) - set(best_fit["lsoa21_code"]))
    if missing:
        msg = f"{source}: ward lookup has no ward for {len(missing)} LSOA 2021(s): {show(missing)}"
        raise JoinError(msg)
    out = pd.DataFrame({"lsoa_code": codes}).merge(
        best_fit.rename(columns={"lsoa21_code": "lsoa_code"}), on="lsoa_code", validate="1:1"
    )
    out["ward_method"] = "best_fit"
    out["ward_population_share"] = 1.0
    return out


def _wards_lsoa11(
    codes: list[str], best_fit: pd.DataFrame, crosswalk: pd.DataFrame, *, source: str
) -> pd.DataFrame:
    missing = sorted(set(codes) - set(crosswalk["lsoa11_code"]))
    if missing:
        msg = (
            f"LSOA 2011 → 2021 crosswalk: no link for {len(missing)} LSOA 2011(s): {show(missing)}"
        )
        raise JoinError(msg)
    links = crosswalk.loc[crosswalk["lsoa11_code"].isin(codes)]
    no_ward = sorted(set(links["lsoa21_code"]) - set(best_fit["lsoa21_code"]))
    if no_ward:
        parents = links.loc[links["lsoa21_code"].isin(no_ward), "lsoa11_code"]
        msg = (
            f"{source}: ward lookup has no ward for LSOA 2021(s) {show(no_ward)}, "
            f"part(s) of LSOA 2011 {show(parents)}"
        )
        raise JoinError(msg)
    links = links.merge(best_fit, on="lsoa21_code", validate="m:1")
    by_ward = links.groupby(
        ["lsoa11_code", "ward_code", "ward_name", "ward_lad_code"], as_index=False
    ).agg(ward_population_share=("share_of_lsoa11", "sum"), change_code=("change_code", "first"))
    n_wards = by_ward.groupby("lsoa11_code")["ward_code"].transform("size")
    # Largest population share first; equal shares: the lower ward code, for a stable result.
    best = by_ward.sort_values(
        ["lsoa11_code", "ward_population_share", "ward_code"], ascending=[True, False, True]
    ).drop_duplicates("lsoa11_code")
    straddling = n_wards.loc[best.index] > 1
    best["ward_method"] = best["change_code"].where(
        ~straddling, best["change_code"] + "_population"
    )
    for row in best.loc[straddling].to_dict("records"):
        logger.info(
            "LSOA 2011 %s (%s) straddles wards; assigned to %s (%s) holding %.1f%% of its "
            "Census 2021 residents", row["lsoa11_code"], row["change_code"], row["ward_code"],
            row["ward_name"], 100 * row["ward_population_share"],
        )  # fmt: skip
    out = pd.DataFrame({"lsoa_code": codes}).merge(
        best.rename(columns={"lsoa11_code": "lsoa_code"}), on="lsoa_code", validate="1:1"
    )
    return out.drop(columns="change_code")


def assign_wards(
    codes: list[str],
    *,
    lsoa_year: int,
    best_fit: pd.DataFrame,
    lad_code: str,
    crosswalk: pd.DataFrame | None = None,
    source: str = "ward lookup",
) -> pd.DataFrame:
    """Assign each LSOA of the authority to one ward (see the module docstring).

    Args:
        codes: The authority's LSOA codes of the ``lsoa_year`` geography.
        lsoa_year: 2011 or 2021.
        best_fit: From :func:`read_ward_best_fit`.
        lad_code: The authority; every assigned ward must belong to it.
        crosswalk: From :func:`geo.geography.crosswalk.build_crosswalk`; required for 2011.
        source: Name of the ward lookup for messages.

    Returns:
        :data:`WARD_COLUMNS`, one row per code, in the order of ``codes``.

    Raises:
        JoinError: the lookup has no ward for an LSOA (or for a part of a changed LSOA 2011),
            naming it.
        GeoInputError: an LSOA's ward lies in another authority (named).

    """
    codes = list(codes)
    require_unique(
        pd.DataFrame({"lsoa_code": codes}), "lsoa_code", source=f"LSOA {lsoa_year} codes"
    )
    if lsoa_year == 2021:
        out = _wards_lsoa21(codes, best_fit, source=source)
    elif lsoa_year == 2011:
        if crosswalk is None:
            msg = "assign_wards: LSOA 2011 wards need the LSOA 2011 → 2021 crosswalk"
            raise ValueError(msg)
        out = _wards_lsoa11(codes, best_fit, crosswalk, source=source)
    else:
        msg = f"assign_wards: lsoa_year must be 2011 or 2021, got {lsoa_year!r}"
        raise ValueError(msg)
    outside = out.loc[out["ward_lad_code"] != lad_code]
    if not outside.empty:
        pairs = [
            f"{c} → {w} ({lad})"
            for c, w, lad in outside[["lsoa_code", "ward_code", "ward_lad_code"]].itertuples(
                index=False
            )
        ]
        msg = f"{source}: LSOA {lsoa_year}(s) of {lad_code} assigned to a ward of another authority: {show(pairs)}"
        raise GeoInputError(msg)
    counts = out["ward_method"].value_counts().sort_index()
    logger.info(
        "LSOA %d → ward: %d LSOAs in %d wards (%s)", lsoa_year, len(out), out["ward_code"].nunique(),
        ", ".join(f"{k} {v}" for k, v in counts.items()),
    )  # fmt: skip
    return out.loc[:, list(WARD_COLUMNS)]


def read_ward_groups(
    path: str,
    *,
    wards: pd.DataFrame,
    field: str,
    code_column: str,
    name_column: str,
    source: str | None = None,
) -> pd.DataFrame:
    """Read a ward → group lookup (a column ``field`` naming each ward's group), by ward name.

    Args:
        path: CSV with ``ward_name`` and ``field``.
        wards: The authority's wards (``ward_code, ward_name``) from :func:`city_wards`.
        field: Column of the group names.
        code_column: Output column of the group codes (:func:`slug` of the names).
        name_column: Output column of the group names.
        source: Name of the lookup for messages.

    Returns:
        ``ward_code, ward_name, <code_column>, <name_column>``, one row per ward of ``wards``.

    Raises:
        GeoInputError: a column is missing or empty; the lookup names a ward the authority
            does not have, or leaves out one of its wards (each named).
        JoinError: a ward is listed twice.

    """
    source = source or str(path)
    df = read_csv(path)
    require_columns(df, ["ward_name", field], source=source)
    df = df.loc[:, ["ward_name", field]]
    require_unique(df, "ward_name", source=source)
    blank = df.loc[df[field].isna() | (df[field].astype(str).str.strip() == ""), "ward_name"]
    if not blank.empty:
        msg = f"{source}: field {field!r} is empty for ward(s) {show(blank)}"
        raise GeoInputError(msg)
    unknown = sorted(set(df["ward_name"]) - set(wards["ward_name"]))
    if unknown:
        msg = (
            f"{source}: field 'ward_name' names {len(unknown)} unknown ward(s) {show(unknown)}; "
            f"the authority's wards are e.g. {show(wards['ward_name'], 5)}"
        )
        raise GeoInputError(msg)
    left_out = sorted(set(wards["ward_name"]) - set(df["ward_name"]))
    if left_out:
        msg = f"{source}: no row for ward(s) {show(left_out)}"
        raise GeoInputError(msg)
    out = wards.merge(df, on="ward_name", validate="1:1")
    out[name_column] = out[field].astype(str).str.strip()
    out[code_column] = out[name_column].map(slug)
    cols = ["ward_code", "ward_name", code_column, name_column]
    return out.loc[:, cols].sort_values("ward_code", ignore_index=True)


def read_ward_boundaries(
    path: str, *, wards: pd.DataFrame, crs: str, source: str | None = None
) -> gpd.GeoDataFrame:
    """Read display boundaries for the authority's wards, checked and projected to ``crs``.

    The file may hold other wards (a national file); it must hold every ward of ``wards``.

    Returns:
        ``ward_code, ward_name, geometry`` (names from ``wards``), sorted by code.

    Raises:
        GeoInputError: no ward code field, or wards missing from the file (named).
        GeometryError: no CRS, or an empty or unrepairable geometry.

    """
    source = source or str(path)
    fields = list(pyogrio.read_info(vector_path(path))["fields"])
    field = next((f for f in _BOUNDARY_CODE_FIELDS if f in fields), None)
    if field is None:
        msg = (
            f"{source}: no ward code field; expected one of {_BOUNDARY_CODE_FIELDS}, found {fields}"
        )
        raise GeoInputError(msg)
    name_field = next((f for f in _BOUNDARY_NAME_FIELDS if f in fields), None)
    gdf = read_vector(path, columns=[f for f in (field, name_field) if f])
    gdf = gdf.rename(
        columns={field: "ward_code", **({name_field: "file_name"} if name_field else {})}
    )
    gdf = gdf.loc[gdf["ward_code"].isin(wards["ward_code"])]
    require_unique(gdf, "ward_code", source=f"{source} field {field!r}")
    missing = sorted(set(wards["ward_code"]) - set(gdf["ward_code"]))
    if missing:
        msg = f"{source}: no boundary for {len(missing)} ward(s) (field {field!r}): {show(missing)}"
        raise GeoInputError(msg)
    gdf = check_geometry(gdf, source=source, id_col="ward_code", repair=True).to_crs(crs)
    gdf = gdf.merge(wards, on="ward_code", validate="1:1")
    if "file_name" in gdf:
        renamed = gdf.loc[gdf["file_name"] != gdf["ward_name"]]
        for row in renamed.itertuples(index=False):
            logger.info("%s: ward %s is named %r here, %r in the lookup", source, row.ward_code,
                        row.file_name, row.ward_name)  # fmt: skip
    gdf = gdf.loc[:, ["ward_code", "ward_name", "geometry"]].sort_values(
        "ward_code", ignore_index=True
    )
    return gpd.GeoDataFrame(gdf, geometry="geometry", crs=crs)


def display_coverage(display: gpd.GeoSeries, best_fit: gpd.GeoSeries) -> pd.Series:
    """Share of each ward's display area covered by the union of its best-fit LSOAs.

    Args:
        display: Display geometry, indexed by ward code.
        best_fit: Dissolved best-fit LSOAs of each ward, indexed by ward code (same CRS).

    Returns:
        Share in [0, 1] per ward code of ``display``.

    """
    joined = best_fit.reindex(display.index)
    inter = shapely.intersection(display.values, joined.values)
    share = shapely.area(inter) / shapely.area(display.values)
    return pd.Series(share, index=display.index, name="display_area_covered").fillna(0.0)
