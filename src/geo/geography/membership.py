"""Which LSOAs make up each area of each tier, in each LSOA geography.

The tiers and how each is built come from the registry (:mod:`geo.model.tiers`); this
module only carries out the builds. The releases on LSOA 2001 get members carried from LSOA
2011 through the ONS 2001 → 2011 links (:func:`carry_to_lsoa01`), each with the ward holding
most of its people in the human export. Areas are defined on one geography (LSOA 2011 or 2021)
and carried to the other with :func:`geo.geography.crosswalk.map_members`, so a carried
LSOA may belong to an area only in part (``share`` < 1); partitioning tiers are assigned on
each geography directly (wards by the ONS best fit, boundary tiers by the largest overlap),
so every LSOA lies wholly in one of their areas.

The machine interface (the one membership contract) is two long tables:

*members* (:data:`MEMBER_COLUMNS`, ``data/interim/tier_members.parquet``)
    ``tier, area_code, lsoa_year, lsoa_code, share``: one row per LSOA (of each geography)
    per area, with the share of the LSOA's people in the area.
*areas* (``data/interim/tier_areas.parquet``)
    One row per area of each tier: ``tier, area_code, area_name, lad_code``, the code and
    name columns of the tiers enclosing it, and the facts of
    :meth:`geo.model.tiers.TierRegistry.fact_columns` (empty where not relevant).

*membership* (``lsoa_membership.csv``) is a human export only: one row per LSOA of each
geography with its ward, groups, local name and, per tier, whether it is in an area
(``in_<tier>``, ``<tier>_code``, ``<tier>_share``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.core.checks import require_columns, require_unique, show
from geo.core.errors import GeoInputError, JoinError
from geo.core.io import read_csv, read_vector
from geo.geography.crosswalk import (
    LSOA_CODE_COLUMNS,
    build_crosswalk,
    code_columns,
    map_members,
    read_lsoa_changes,
)
from geo.geography.lsoa01 import authority_links
from geo.geography.wards import assign_wards, city_wards, read_ward_best_fit, read_ward_groups
from geo.model.releases import VINTAGES, lsoa_geography
from geo.model.tiers import WARD, Build, Tier, TierRegistry

logger = logging.getLogger(__name__)

MEMBER_COLUMNS = ("tier", "area_code", "lsoa_year", "lsoa_code", "share")

_YES = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False,
        "false": False, "0": False}  # fmt: skip
_CODE_FIELDS = {column: year for year, column in LSOA_CODE_COLUMNS.items()}


def _lsoa_lookup(path: str, source: str) -> tuple[pd.DataFrame, str, int]:
    """Read an LSOA lookup CSV: its table (codes as ``lsoa_code``), code field and year."""
    df = read_csv(path, dtype={"lsoa11_code": "str", "lsoa21_code": "str"})
    field = next((f for f in _CODE_FIELDS if f in df.columns), None)
    if field is None:
        msg = f"{source}: no LSOA code column; expected one of {list(_CODE_FIELDS)}"
        raise GeoInputError(msg)
    df = df.rename(columns={field: "lsoa_code"})
    require_unique(df, "lsoa_code", source=source)
    return df, field, _CODE_FIELDS[field]


def _check_codes(codes: pd.Series, known: set[str], *, field: str, source: str) -> None:
    unknown = sorted(set(codes) - known)
    if unknown:
        msg = f"{source}: field {field!r} lists code(s) that are not LSOAs of the authority: {show(unknown)}"
        raise GeoInputError(msg)


@dataclass(frozen=True)
class LocalNames:
    """Local names of LSOAs (``authorities.<lad>.local_names``)."""

    names: pd.Series
    """Local name by LSOA code."""
    lsoa_year: int
    """Geography of the codes."""


def read_local_names(
    path: str, *, lsoa_codes: Mapping[int, set[str]], source: str | None = None
) -> LocalNames:
    """Read a local-names lookup: ``lsoa11_code`` (or ``lsoa21_code``) and ``local_name``.

    Raises:
        GeoInputError: no code column; no ``local_name``; a code that is not an LSOA of the
            authority (each named).
        JoinError: a code listed twice.

    """
    source = source or str(path)
    df, field, year = _lsoa_lookup(path, source)
    require_columns(df, ["local_name"], source=source)
    _check_codes(df["lsoa_code"], lsoa_codes.get(year, set()), field=field, source=source)
    names = df.set_index("lsoa_code")["local_name"].astype("string").str.strip().dropna()
    logger.info("%s: %d local names", source, len(names))
    return LocalNames(names.sort_index(), year)


def read_lsoa_flags(
    path: str, *, field: str, lsoa_codes: Mapping[int, set[str]], source: str | None = None
) -> tuple[list[str], int]:
    """Return the LSOAs flagged yes in ``field`` of a lookup, and the geography of its codes.

    Raises:
        GeoInputError: no code column or no ``field``; a flag that is not yes/no; a code
            that is not an LSOA of the authority (each named).

    """
    source = source or str(path)
    df, code_field, year = _lsoa_lookup(path, source)
    require_columns(df, [field], source=source)
    flags = df[field].fillna("no").astype(str).str.strip().str.lower()
    bad = df.loc[~flags.isin(list(_YES)), ["lsoa_code", field]]
    if not bad.empty:
        pairs = [f"{c}: {v!r}" for c, v in bad.itertuples(index=False)]
        msg = f"{source}: field {field!r} must be yes or no; got {show(pairs)}"
        raise GeoInputError(msg)
    _check_codes(df["lsoa_code"], lsoa_codes.get(year, set()), field=code_field, source=source)
    flagged = sorted(df.loc[flags.map(_YES).astype(bool), "lsoa_code"])
    logger.info("%s: %d LSOAs flagged in %r", source, len(flagged), field)
    return flagged, year


def names_on(names: LocalNames, year: int, crosswalk: pd.DataFrame | None) -> pd.Series:
    """Local name of LSOAs of ``year``, indexed by code.

    Carried across geographies only where unambiguous: an unchanged LSOA keeps its name and
    each part of a split one gets ``"<name> (part)"``; merged and irregular LSOAs have none.
    """
    named = names.names
    if year == names.lsoa_year:
        return named
    if crosswalk is None:
        msg = f"local names are on LSOA {names.lsoa_year}; LSOA {year} names need the crosswalk"
        raise ValueError(msg)
    src, dst = code_columns(names.lsoa_year, year)
    links = crosswalk.loc[crosswalk[src].isin(named.index)]
    out = {}
    for s, d, change in links[[src, dst, "change_code"]].itertuples(index=False):
        if change == "U":
            out[d] = named[s]
        elif change == "S" and names.lsoa_year == 2011:
            out[d] = f"{named[s]} (part)"
    return pd.Series(out, dtype="string", name="local_name")


# --- boundary tiers ------------------------------------------------------------------------


def read_boundary_areas(
    path: str, *, tier: Tier, crs: str, source: str | None = None
) -> gpd.GeoDataFrame:
    """Areas of a boundary-file tier: ``area_code, area_name, geometry`` in ``crs``.

    Raises:
        GeoInputError: the code or name field is missing, or a code is listed twice.

    """
    source = source or str(path)
    gdf = read_vector(path)
    assert tier.field is not None and tier.name_field is not None
    require_columns(gdf, [tier.field, tier.name_field], source=source)
    gdf = gdf.rename(columns={tier.field: "area_code", tier.name_field: "area_name"})
    require_unique(gdf, "area_code", source=source)
    gdf = gdf.loc[:, ["area_code", "area_name", "geometry"]].to_crs(crs)
    gdf["geometry"] = shapely.make_valid(gdf.geometry.to_numpy())
    return gdf.sort_values("area_code", ignore_index=True)


def best_fit(
    lsoas: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, *, tier: str, year: int
) -> pd.DataFrame:
    """Assign each LSOA to the area holding most of its area.

    Returns:
        ``area_code, lsoa_code, share`` (share 1), one row per LSOA.

    Raises:
        GeoInputError: an LSOA overlaps no area (named).

    """
    left = lsoas[["lsoa_code", "geometry"]].reset_index(drop=True)
    pairs = left.sjoin(areas[["area_code", "geometry"]], predicate="intersects", how="inner")
    a = shapely.intersection(
        left.geometry.to_numpy()[pairs.index.to_numpy()],
        areas.geometry.to_numpy()[pairs["index_right"].to_numpy()],
    )
    pairs = pairs.assign(overlap=shapely.area(a))
    pairs = pairs.sort_values(["lsoa_code", "overlap", "area_code"], ascending=[True, False, True])
    best = pairs.drop_duplicates("lsoa_code")
    missing = sorted(set(left["lsoa_code"]) - set(best["lsoa_code"]))
    if missing:
        msg = f"tier {tier!r} (LSOA {year}): LSOA(s) overlapping no area: {show(missing)}"
        raise GeoInputError(msg)
    covered = best["overlap"].to_numpy() / shapely.area(
        left.set_index("lsoa_code").geometry.loc[best["lsoa_code"]].to_numpy()
    )
    logger.info(
        "tier %s (LSOA %d): %d LSOAs by best fit; median share inside %.3f, lowest %.3f",
        tier, year, len(best), float(np.median(covered)), float(covered.min()),
    )  # fmt: skip
    return pd.DataFrame({"area_code": best["area_code"].to_numpy(),
                         "lsoa_code": best["lsoa_code"].to_numpy(), "share": 1.0})  # fmt: skip


# --- members -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Geography:
    """The authority's LSOAs in one geography, with their wards."""

    year: int
    lsoas: pd.DataFrame
    """``lsoa_code, lsoa_name, lad_code, lad_name`` (one row per LSOA)."""
    wards: pd.DataFrame
    """From :func:`geo.geography.wards.assign_wards`."""
    shapes: gpd.GeoDataFrame | None = None
    """``lsoa_code, geometry`` (for boundary tiers)."""


@dataclass(frozen=True)
class TierSources:
    """What the local tiers are read from, already read."""

    ward_groups: Mapping[str, pd.DataFrame]
    """Tier key → ``ward_code, ward_name, <code column>, <name column>``."""
    lsoa_sets: Mapping[str, tuple[list[str], int]]
    """Tier key → the LSOAs of its areas and their geography (single-LSOA tiers)."""
    boundaries: Mapping[str, gpd.GeoDataFrame]
    """Tier key → its areas (boundary tiers)."""
    names: LocalNames | None = None


def _whole(tier: str, area: pd.Series, codes: pd.Series, year: int) -> pd.DataFrame:
    return pd.DataFrame({"tier": tier, "area_code": area.to_numpy(), "lsoa_year": year,
                         "lsoa_code": codes.to_numpy(), "share": 1.0})  # fmt: skip


def _carry(
    tier: str, codes: list[str], def_year: int, years: list[int], crosswalk: pd.DataFrame | None
) -> list[pd.DataFrame]:
    """Members in every geography of areas that are single LSOAs of ``def_year``."""
    base = pd.DataFrame({"area_code": codes, "lsoa_code": codes, "share": 1.0})
    out = []
    for year in years:
        if year == def_year:
            mapped = base
        elif crosswalk is None:
            msg = f"{tier}: areas on LSOA {def_year} need the crosswalk for LSOA {year}"
            raise ValueError(msg)
        else:
            mapped = map_members(base, crosswalk, from_year=def_year, to_year=year)
        out.append(mapped.assign(tier=tier, lsoa_year=year))
    return out


def ward_table(wards: pd.DataFrame, registry: TierRegistry, sources: TierSources) -> pd.DataFrame:
    """Each ward with the code and name of every ward group holding it.

    Raises:
        GeoInputError: a group lies in more than one area of its declared parent (named).

    """
    out = wards.loc[:, ["ward_code", "ward_name"]]
    for tier in registry.built(Build.WARD_GROUPS):
        g = sources.ward_groups[tier.key].drop(columns="ward_name")
        out = out.merge(g, on="ward_code", how="left", validate="1:1")
    for tier in registry.built(Build.WARD_GROUPS):
        parent = registry.parent_of(tier)
        if parent is None:
            continue
        pairs = out[[tier.code_column, parent.code_column]].drop_duplicates()
        split = pairs.loc[pairs[tier.code_column].duplicated(keep=False), tier.code_column]
        if not split.empty:
            msg = (
                f"tier {tier.key!r}: area(s) {show(sorted(set(split)))} lie in more than one "
                f"{parent.singular.lower()} (its parent tier {parent.key!r})"
            )
            raise GeoInputError(msg)
    return out


def _holding_codes(
    tier: Tier, geographies: Mapping[int, Geography], lsoa_sets: Mapping[str, tuple[list[str], int]]
) -> pd.Series:
    """Count the ``tier.source`` areas in each ward (wards holding none left out)."""
    assert tier.source is not None
    codes, year = lsoa_sets[tier.source]
    return geographies[year].wards.set_index("lsoa_code").loc[codes, "ward_code"].value_counts()


def _members_on(
    tier: Tier,
    geo: Geography,
    wards: pd.DataFrame,
    geographies: Mapping[int, Geography],
    sources: TierSources,
) -> pd.DataFrame:
    """Members of a tier assigned on one geography (every build but single LSOAs)."""
    year = geo.year
    if tier.build is Build.AUTHORITY:
        return _whole(tier.key, geo.lsoas["lad_code"], geo.lsoas["lsoa_code"], year)
    if tier.build in (Build.WARDS, Build.WARD_GROUPS):
        return _whole(tier.key, wards[tier.code_column], wards["lsoa_code"], year)
    if tier.build is Build.HOLDING:
        held = _holding_codes(tier, geographies, sources.lsoa_sets)
        inside = wards.loc[wards["ward_code"].isin(held.index)]
        return _whole(tier.key, inside["ward_code"], inside["lsoa_code"], year)
    if tier.build is Build.BOUNDARY:
        assert geo.shapes is not None
        fit = best_fit(geo.shapes, sources.boundaries[tier.key], tier=tier.key, year=year)
        return fit.assign(tier=tier.key, lsoa_year=year)
    msg = f"tier {tier.key!r}: a {tier.build.value} tier is not built from LSOAs here"
    raise ValueError(msg)


def build_members(
    geographies: Mapping[int, Geography],
    *,
    registry: TierRegistry,
    wards: pd.DataFrame,
    sources: TierSources,
    crosswalk: pd.DataFrame | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Members and areas of every LSOA-based tier of ``registry`` (module docstring).

    Args:
        geographies: The authority's LSOAs and their wards per geography year.
        registry: The tiers (:func:`geo.model.tiers.tier_registry`); the drawn tier is
            built elsewhere (:mod:`geo.statistics.apportion`).
        wards: The authority's wards (``ward_code, ward_name``), from
            :func:`geo.geography.wards.city_wards`; a ward with no best-fit LSOA is still an
            area.
        sources: The local tiers' inputs, read.
        crosswalk: LSOA 2011 ↔ 2021 crosswalk; needed when areas are carried across.

    Returns:
        ``(members, areas)``.

    """
    years = sorted(geographies)
    for key, (_codes, year) in sources.lsoa_sets.items():
        if year not in geographies:
            msg = f"tier {key!r} is defined on LSOA {year}, which is not built"
            raise ValueError(msg)
    ward_info = ward_table(wards, registry, sources)
    members: list[pd.DataFrame] = []
    for year in years:
        geo = geographies[year]
        w = geo.wards.merge(ward_info.drop(columns="ward_name"), on="ward_code", how="left")
        for tier in registry.lsoa_tiers:
            if not tier.single_lsoas:
                members.append(_members_on(tier, geo, w, geographies, sources))
    for tier in registry.lsoa_tiers:
        if tier.single_lsoas:
            codes, def_year = sources.lsoa_sets[tier.key]
            members += _carry(tier.key, sorted(codes), def_year, years, crosswalk)
    table = pd.concat(members, ignore_index=True).loc[:, list(MEMBER_COLUMNS)]
    table = table.sort_values(["tier", "lsoa_year", "area_code", "lsoa_code"], ignore_index=True)
    areas = _areas(geographies, registry=registry, ward_info=ward_info, sources=sources,
                   members=table, crosswalk=crosswalk)  # fmt: skip
    logger.info(
        "Tiers: %s",
        ", ".join(f"{t} {n}" for t, n in areas.groupby("tier", sort=False).size().items()),
    )
    return table, areas


def area_columns(registry: TierRegistry) -> list[str]:
    """Columns of the areas table: identity, every parent column, every fact column."""
    cols = ["tier", "area_code", "area_name", "lad_code"]
    for tier in registry:
        for c in (*registry.parent_columns(tier), *registry.fact_columns(tier)):
            if c not in cols:
                cols.append(c)
    return cols


def _single_lsoa_rows(
    tier: Tier,
    geographies: Mapping[int, Geography],
    *,
    registry: TierRegistry,
    ward_info: pd.DataFrame,
    sources: TierSources,
    members: pd.DataFrame,
    crosswalk: pd.DataFrame | None,
) -> pd.DataFrame:
    """Areas that are single LSOAs: named locally (else by code), with their ward."""
    codes, year = sources.lsoa_sets[tier.key]
    geo = geographies[year]
    by = geo.wards.set_index("lsoa_code").loc[codes, ["ward_code"]].reset_index()
    by = by.merge(ward_info, on="ward_code", how="left", validate="m:1")
    names = (
        names_on(sources.names, year, crosswalk)
        if sources.names is not None
        else pd.Series(dtype="string")
    )
    by["area_code"] = by["lsoa_code"]
    by["area_name"] = by["lsoa_code"].map(names).fillna(by["lsoa_code"])
    for other in registry.fact_columns(tier):
        there = members.loc[(members["tier"] == other) & (members["lsoa_year"] == year)]
        by[other] = by["lsoa_code"].isin(set(there["lsoa_code"]))
    return by.assign(tier=tier.key)


def _areas(
    geographies: Mapping[int, Geography],
    *,
    registry: TierRegistry,
    ward_info: pd.DataFrame,
    sources: TierSources,
    members: pd.DataFrame,
    crosswalk: pd.DataFrame | None,
) -> pd.DataFrame:
    """One row per area of each tier with its name, parents and facts."""
    first = geographies[min(geographies)].lsoas
    lad_code, lad_name = first[["lad_code", "lad_name"]].iloc[0]
    ward_rows = ward_info.assign(area_code=ward_info["ward_code"], area_name=ward_info["ward_name"])
    for holding in registry.built(Build.HOLDING):
        assert holding.source is not None
        count = _holding_codes(holding, geographies, sources.lsoa_sets)
        col = registry[holding.source].count_column
        ward_rows[col] = ward_rows["ward_code"].map(count).fillna(0).astype(int)
    rows = []
    for tier in registry.lsoa_tiers:
        if tier.build is Build.AUTHORITY:
            found = pd.DataFrame({"area_code": [lad_code], "area_name": [lad_name]})
        elif tier.single_lsoas:
            found = _single_lsoa_rows(tier, geographies, registry=registry, ward_info=ward_info,
                                      sources=sources, members=members, crosswalk=crosswalk)  # fmt: skip
        else:
            found = _ward_or_boundary_rows(tier, registry, ward_rows, ward_info, sources)
        rows.append(found.assign(tier=tier.key))
    areas = pd.concat(rows, ignore_index=True).assign(lad_code=lad_code)
    return _typed_areas(areas, registry)


def _ward_or_boundary_rows(
    tier: Tier,
    registry: TierRegistry,
    ward_rows: pd.DataFrame,
    ward_info: pd.DataFrame,
    sources: TierSources,
) -> pd.DataFrame:
    """Areas of a tier of wards, groups of wards or a boundary file."""
    if tier.build is Build.WARDS:
        return ward_rows
    if tier.build is Build.HOLDING:
        assert tier.source is not None
        return ward_rows.loc[ward_rows[registry[tier.source].count_column] > 0]
    if tier.build is Build.WARD_GROUPS:
        keep = [tier.code_column, tier.name_column, *registry.parent_columns(tier)]
        g = ward_info.groupby(keep, as_index=False).agg(
            **{WARD.count_column: ("ward_code", "size")}
        )
        return g.assign(area_code=g[tier.code_column], area_name=g[tier.name_column])
    return pd.DataFrame(sources.boundaries[tier.key][["area_code", "area_name"]])


def _typed_areas(areas: pd.DataFrame, registry: TierRegistry) -> pd.DataFrame:
    """Return the areas table in registry order, with every column and nullable types."""
    cols = area_columns(registry)
    for col in cols:
        if col not in areas:
            areas[col] = pd.NA
    order = areas["tier"].map({t: i for i, t in enumerate(registry.keys)})
    areas = areas.assign(_order=order).sort_values(["_order", "area_code"], ignore_index=True)
    areas = areas.loc[:, cols]
    counts = {WARD.count_column, *(registry[h.source].count_column
                                   for h in registry.built(Build.HOLDING) if h.source)}  # fmt: skip
    flags = {t.key for t in registry if t.single_lsoas}
    for col in areas.columns:
        if col in counts:
            areas[col] = areas[col].astype("Int64")
        elif col in flags:
            areas[col] = areas[col].astype("boolean")
    return areas


# --- the human export ----------------------------------------------------------------------


def _joined_codes(members: pd.DataFrame, tier: str, year: int) -> pd.DataFrame:
    sub = members.loc[(members["tier"] == tier) & (members["lsoa_year"] == year)]
    return sub.groupby("lsoa_code").agg(code=("area_code", ";".join), share=("share", "sum"))


def membership_columns(registry: TierRegistry) -> list[str]:
    """Columns of ``lsoa_membership.csv`` for the tiers of ``registry``."""
    cols = ["lsoa_geography", "lsoa_code", "lsoa_name", "lad_code", "lad_name",
            "ward_code", "ward_name", "ward_method", "ward_population_share"]  # fmt: skip
    for tier in registry.built(Build.WARD_GROUPS):
        cols += [tier.code_column, tier.name_column]
    cols.append("local_name")
    for tier in registry.lsoa_tiers:
        if tier.single_lsoas:
            cols += [f"in_{tier.key}", tier.code_column, f"{tier.key}_share"]
        elif tier.build is Build.HOLDING:
            cols.append(f"in_{tier.key}")
        elif tier.build is Build.BOUNDARY:
            cols += [tier.code_column, tier.name_column]
    return cols


def membership_table(
    members: pd.DataFrame,
    areas: pd.DataFrame,
    geographies: Mapping[int, Geography],
    *,
    registry: TierRegistry,
    ward_info: pd.DataFrame,
    names: LocalNames | None,
    crosswalk: pd.DataFrame | None,
) -> pd.DataFrame:
    """One row per LSOA of each geography with its areas (:func:`membership_columns`)."""
    frames = []
    for year, geo in sorted(geographies.items()):
        w = geo.lsoas.merge(geo.wards, on="lsoa_code", validate="1:1")
        w = w.merge(ward_info.drop(columns="ward_name"), on="ward_code", how="left", validate="m:1")
        w.insert(0, "lsoa_geography", lsoa_geography(year))
        local = names_on(names, year, crosswalk) if names is not None else pd.Series(dtype="string")
        w["local_name"] = w["lsoa_code"].map(local).astype("string")
        for tier in registry.lsoa_tiers:
            sub = members.loc[(members["tier"] == tier.key) & (members["lsoa_year"] == year)]
            if tier.single_lsoas:
                j = _joined_codes(members, tier.key, year)
                w[tier.code_column] = w["lsoa_code"].map(j["code"]).astype("string")
                w[f"{tier.key}_share"] = w["lsoa_code"].map(j["share"]).fillna(0.0)
                w[f"in_{tier.key}"] = w[f"{tier.key}_share"] > 0
            elif tier.build is Build.HOLDING:
                w[f"in_{tier.key}"] = w["lsoa_code"].isin(sub["lsoa_code"])
            elif tier.build is Build.BOUNDARY:
                # One area per LSOA: an LSOA 2001 carried in part into two is shown in the
                # one holding most of it.
                best = sub.sort_values(["lsoa_code", "share", "area_code"],
                                       ascending=[True, False, True]).drop_duplicates("lsoa_code")  # fmt: skip
                code = best.set_index("lsoa_code")["area_code"]
                name = areas.loc[areas["tier"] == tier.key].set_index("area_code")["area_name"]
                w[tier.code_column] = w["lsoa_code"].map(code)
                w[tier.name_column] = w[tier.code_column].map(name)
        frames.append(w)
    out = pd.concat(frames, ignore_index=True)
    cols = membership_columns(registry)
    for col in cols:
        if col not in out:
            out[col] = pd.NA
    return out.loc[:, cols]


# --- assembly ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Membership:
    """Everything :func:`build_membership` derives, ready to write."""

    members: pd.DataFrame
    """:data:`MEMBER_COLUMNS`."""
    areas: pd.DataFrame
    """:func:`area_columns`."""
    membership: pd.DataFrame
    """:func:`membership_columns` (``lsoa_membership.csv``)."""
    crosswalk: pd.DataFrame
    """:data:`geo.geography.crosswalk.CROSSWALK_COLUMNS` for the authority."""


def _geographies_from_layers(
    layers: Mapping[int, gpd.GeoDataFrame],
) -> dict[int, tuple[pd.DataFrame, gpd.GeoDataFrame | None]]:
    """Return the authority's LSOAs (and shapes) per geography year; vintages must agree."""
    out: dict[int, tuple[pd.DataFrame, gpd.GeoDataFrame | None]] = {}
    for vintage, layer in sorted(layers.items()):
        year = VINTAGES[vintage].lsoa_year
        lsoas = pd.DataFrame(layer.loc[:, ["lsoa_code", "lsoa_name", "lad_code", "lad_name"]])
        lsoas = lsoas.sort_values("lsoa_code", ignore_index=True)
        if year in out:
            differ = set(out[year][0]["lsoa_code"]) ^ set(lsoas["lsoa_code"])
            if differ:
                msg = f"IoD{vintage}: the authority's LSOA {year} set differs from another vintage's: {show(differ)}"
                raise GeoInputError(msg)
            continue
        shapes = (
            gpd.GeoDataFrame(layer[["lsoa_code", "geometry"]], geometry="geometry", crs=layer.crs)
            if isinstance(layer, gpd.GeoDataFrame)
            else None
        )
        out[year] = (lsoas, shapes)
    return out


def read_tier_sources(
    registry: TierRegistry,
    *,
    datasets: Mapping[str, str],
    lsoa_codes: Mapping[int, set[str]],
    wards: pd.DataFrame,
    priority: Mapping[str, tuple[list[str], int]],
    local_names: str | None,
    crosswalk_crs: str,
) -> TierSources:
    """Read the inputs of every tier of ``registry`` (``datasets``: dataset → path).

    ``priority`` holds each national-percent tier's LSOAs and their geography year, by key.
    """
    groups, sets, bounds = {}, {}, {}
    for tier in registry:
        path = datasets.get(tier.dataset or "")
        where = f"{path} (dataset {tier.dataset}, tier {tier.key})"
        if tier.build is Build.WARD_GROUPS:
            assert path is not None and tier.field is not None
            groups[tier.key] = read_ward_groups(path, wards=wards, field=tier.field,
                                                code_column=tier.code_column,
                                                name_column=tier.name_column, source=where)  # fmt: skip
        elif tier.build is Build.NATIONAL_PERCENT:
            sets[tier.key] = priority[tier.key]
        elif tier.build is Build.LSOA_FLAG:
            assert path is not None and tier.field is not None
            sets[tier.key] = read_lsoa_flags(path, field=tier.field, lsoa_codes=lsoa_codes,
                                             source=where)  # fmt: skip
        elif tier.build is Build.BOUNDARY:
            assert path is not None
            bounds[tier.key] = read_boundary_areas(path, tier=tier, crs=crosswalk_crs, source=where)
    names = read_local_names(local_names, lsoa_codes=lsoa_codes) if local_names else None
    return TierSources(groups, sets, bounds, names)


def _national_1pct(
    layers: Mapping[int, gpd.GeoDataFrame], vintage: int, *, tier: str
) -> tuple[list[str], int]:
    """Return the LSOAs flagged ``in_national_1pct`` in ``vintage`` and their geography year."""
    if vintage not in layers:
        msg = (
            f"tier {tier!r}: IoD{vintage} is not among the built vintages {sorted(layers)} "
            "(config tiers.priority_vintage / tiers.extra_priority_vintages)"
        )
        raise GeoInputError(msg)
    layer = layers[vintage]
    codes = sorted(layer.loc[layer["in_national_1pct"].astype(bool), "lsoa_code"])
    logger.info("IoD%d: %d LSOAs in the national 1%% (tier %s)", vintage, len(codes), tier)
    return codes, VINTAGES[vintage].lsoa_year


def build_membership(
    layers: Mapping[int, gpd.GeoDataFrame],
    *,
    registry: TierRegistry,
    lad_code: str,
    priority_vintage: int,
    ward_lookup: str,
    lsoa_changes: str,
    population11: pd.DataFrame,
    population21: pd.DataFrame,
    datasets: Mapping[str, str],
    local_names: str | None = None,
    lsoa01_links: pd.DataFrame | None = None,
) -> Membership:
    """Assign the authority's LSOAs to wards and to the areas of every tier.

    Args:
        layers: Vintage → LSOA layer of the authority (:mod:`geo.inputs.lsoa`, canonical
            columns, with geometry for boundary tiers); must include ``priority_vintage``.
        registry: The tiers to build.
        lad_code: The authority.
        priority_vintage: IoD vintage whose national 1% defines the priority neighbourhoods.
        ward_lookup: Path of the ONS LSOA 2021 → ward best-fit lookup.
        lsoa_changes: Path of the ONS LSOA 2011 → 2021 lookup.
        population11: ``lsoa_code, population`` of LSOA 2011s (for merged LSOAs).
        population21: ``lsoa_code, population`` of LSOA 2021s (for split LSOAs).
        datasets: Registry dataset → path of each local tier's input.
        local_names: Path of the LSOA local-names lookup, or None.
        lsoa01_links: LSOA 2001 → 2011 links with shares
            (:func:`geo.geography.lsoa01.link_shares`), needed when ``layers`` hold a release
            on 2001 LSOAs: their members are carried from LSOA 2011 (:func:`carry_to_lsoa01`).

    Returns:
        A :class:`Membership`.

    """
    if priority_vintage not in layers:
        msg = f"config tiers.priority_vintage: IoD{priority_vintage} is not among the built vintages {sorted(layers)}"
        raise GeoInputError(msg)
    layers01 = {v: g for v, g in layers.items() if VINTAGES[v].lsoa_year == 2001}
    layers = {v: g for v, g in layers.items() if v not in layers01}
    found = _geographies_from_layers(layers)
    changes = read_lsoa_changes(lsoa_changes)
    empty = pd.DataFrame({"lsoa_code": []})
    crosswalk = build_crosswalk(
        changes, lsoa11=found.get(2011, (empty, None))[0]["lsoa_code"],
        lsoa21=found.get(2021, (empty, None))[0]["lsoa_code"],
        population11=population11.set_index("lsoa_code")["population"],
        population21=population21.set_index("lsoa_code")["population"], source=lsoa_changes,
    )  # fmt: skip
    best = read_ward_best_fit(ward_lookup)
    wards = city_wards(best, lad_code=lad_code, source=ward_lookup)
    geographies = {
        year: Geography(
            year,
            table,
            assign_wards(
                table["lsoa_code"].tolist(),
                lsoa_year=year,
                best_fit=best,
                lad_code=lad_code,
                crosswalk=crosswalk,
                source=ward_lookup,
            ),
            shapes,
        )
        for year, (table, shapes) in found.items()
    }
    codes = {year: set(t["lsoa_code"]) for year, (t, _s) in found.items()}
    priority = {
        tier.key: _national_1pct(layers, tier.vintage or priority_vintage, tier=tier.key)
        for tier in registry.built(Build.NATIONAL_PERCENT)
    }
    crs = str(next(iter(layers.values())).crs)
    sources = read_tier_sources(
        registry, datasets=datasets, lsoa_codes=codes, wards=wards, priority=priority,
        local_names=local_names, crosswalk_crs=crs,
    )  # fmt: skip
    members, areas = build_members(
        geographies, registry=registry, wards=wards, sources=sources, crosswalk=crosswalk
    )
    table = membership_table(members, areas, geographies, registry=registry,
                             ward_info=ward_table(wards, registry, sources),
                             names=sources.names, crosswalk=crosswalk)  # fmt: skip
    if layers01:
        if lsoa01_links is None:
            msg = f"IoD{min(layers01)} is on LSOA 2001: its tiers need the LSOA 2001 → 2011 links"
            raise ValueError(msg)
        lsoas01 = _geographies_from_layers(layers01)[2001][0]
        carried = carry_to_lsoa01(members, lsoa01_links, lsoas01["lsoa_code"].tolist())
        members = pd.concat([members, carried], ignore_index=True).sort_values(
            ["tier", "lsoa_year", "area_code", "lsoa_code"], ignore_index=True
        )
        geo01 = Geography(2001, lsoas01, _carried_wards(carried, wards))
        rows01 = membership_table(members, areas, {2001: geo01}, registry=registry,
                                  ward_info=ward_table(wards, registry, sources),
                                  names=None, crosswalk=None)  # fmt: skip
        if sources.names is not None and sources.names.lsoa_year == 2011:
            unchanged = lsoa01_links.loc[lsoa01_links["change_code"] == "U"]
            same = unchanged.set_index("lsoa01_code")["lsoa11_code"]
            rows01["local_name"] = rows01["lsoa_code"].map(same).map(sources.names.names)
        table = pd.concat([rows01, table], ignore_index=True)
    return Membership(members, areas, table, crosswalk)


def _carried_wards(carried: pd.DataFrame, wards: pd.DataFrame) -> pd.DataFrame:
    """Each LSOA 2001's ward: the one holding the largest share of its people (2011 wards)."""
    w = carried.loc[carried["tier"] == WARD.key].sort_values(
        ["lsoa_code", "share", "area_code"], ascending=[True, False, True]
    )
    best = w.drop_duplicates("lsoa_code").rename(columns={"area_code": "ward_code"})
    best = best.merge(wards[["ward_code", "ward_name"]], on="ward_code", how="left", validate="m:1")
    return pd.DataFrame({
        "lsoa_code": best["lsoa_code"].to_numpy(), "ward_code": best["ward_code"].to_numpy(),
        "ward_name": best["ward_name"].to_numpy(),
        "ward_method": "carried from LSOA 2011 (ward holding most of its people)",
        "ward_population_share": best["share"].to_numpy(),
    })  # fmt: skip


def carry_to_lsoa01(members: pd.DataFrame, links: pd.DataFrame, codes01: list[str]) -> pd.DataFrame:
    """Members on LSOA 2001 of every tier, carried from its LSOA 2011 members.

    An LSOA 2001's share of its people in an area is the sum over its links of the share of
    its people living in the linked LSOA 2011 (``share_of_lsoa01``) times that LSOA 2011's
    share in the area: every LSOA 2001 of the authority is carried (none dropped), and in a
    partitioning tier its shares sum to 1 (split across areas where its 2011 parts are).

    Raises:
        JoinError: an LSOA 2001 of the authority has no link, or links to an LSOA 2011 that
            is not among the members (named).

    """
    own = authority_links(links, codes01, source="LSOA 2001 → 2011 links")
    on11 = members.loc[members["lsoa_year"] == 2011]
    outside = sorted(set(own["lsoa11_code"]) - set(on11["lsoa_code"]))
    if outside:
        msg = f"LSOA 2001 → 2011 links: 2011 LSOA(s) {show(outside)} are not LSOAs of the authority"
        raise JoinError(msg)
    joined = own.loc[:, ["lsoa01_code", "lsoa11_code", "share_of_lsoa01"]].merge(
        on11, left_on="lsoa11_code", right_on="lsoa_code", how="inner", validate="m:m"
    )
    joined["share"] = joined["share"] * joined["share_of_lsoa01"]
    out = joined.groupby(["tier", "area_code", "lsoa01_code"], as_index=False, sort=True)[
        "share"
    ].sum()
    out["share"] = out["share"].clip(upper=1.0)
    out = out.loc[out["share"] > 0].rename(columns={"lsoa01_code": "lsoa_code"})
    logger.info("Tiers carried to LSOA 2001: %d LSOAs, %d member rows", len(set(codes01)), len(out))
    return out.assign(lsoa_year=2001).loc[:, list(MEMBER_COLUMNS)]
