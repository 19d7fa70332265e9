"""Which LSOAs make up each area of each tier, in each LSOA geography.

Tiers (:data:`TIERS`):

``city``
    The local authority: every LSOA.
``ward``
    Wards, from the population-weighted best fit of LSOAs to wards (:mod:`geo.geography.wards`).
``community_committee``, ``wedge_2010``
    Groups of wards from a local lookup (:func:`geo.geography.wards.read_ward_groups`); absent when
    the authority has none.
``priority_neighbourhood``
    The LSOAs in the national most deprived 1% in the chosen IoD vintage, each an area named
    by its local name (the LSOA code when it has none).
``priority_ward``
    The wards holding at least one priority neighbourhood.
``designated_2017``
    The LSOAs flagged ``designated_priority_2017`` in the local-names lookup; absent
    without one.

The first four tiers partition the authority: every LSOA lies in exactly one of their areas.
Areas are defined on one geography (LSOA 2011 or 2021) and carried to the other with
:func:`geo.geography.crosswalk.map_members`; a carried LSOA may belong to an area only in part
(``share`` < 1).

Tables built here:

*members* (:data:`MEMBER_COLUMNS`)
    ``tier, area_code, lsoa_year, lsoa_code, share``: one row per LSOA (of each geography)
    per area.
*areas* (:data:`AREA_COLUMNS`)
    One row per area of each tier: ``tier, area_code, area_name`` and its parents
    (``lad_code, ward_code, ward_name, community_committee_code, community_committee,
    wedge_2010_code, wedge_2010``; empty where not relevant), ``wards`` (number of wards of a
    group), ``priority_neighbourhoods`` (number in a ward), ``designated_2017`` (a priority
    neighbourhood that is also a 2017 designated one) and ``priority_neighbourhood`` (a 2017
    designated neighbourhood that is also a priority neighbourhood).
*membership* (:data:`MEMBERSHIP_COLUMNS`, written as ``lsoa_membership.csv``)
    One row per LSOA of each geography: ``lsoa_geography`` (``LSOA11``/``LSOA21``),
    ``lsoa_code, lsoa_name, lad_code, lad_name``; the ward (``ward_code, ward_name,
    ward_method, ward_population_share``, see :mod:`geo.geography.wards`); ``community_committee_code,
    community_committee, wedge_2010_code, wedge_2010``; ``local_name``;
    ``in_priority_neighbourhood`` with ``priority_neighbourhood_code`` (codes joined by
    ``;`` in the rare case of two) and ``priority_neighbourhood_share``; ``in_priority_ward``;
    ``in_designated_2017`` with ``designated_2017_code`` and ``designated_2017_share``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from geo.core.checks import require_columns, require_unique, show
from geo.core.errors import GeoInputError
from geo.core.io import read_csv
from geo.geography.crosswalk import (
    LSOA_CODE_COLUMNS,
    build_crosswalk,
    code_columns,
    map_members,
    read_lsoa_changes,
)
from geo.geography.wards import assign_wards, city_wards, read_ward_best_fit, read_ward_groups
from geo.inputs.imd import VINTAGES, lsoa_geography

logger = logging.getLogger(__name__)

TIERS: tuple[str, ...] = (
    "city", "ward", "community_committee", "wedge_2010",
    "priority_neighbourhood", "priority_ward", "designated_2017",
)  # fmt: skip
"""Every tier, in output order."""

PARTITIONING: tuple[str, ...] = ("city", "ward", "community_committee", "wedge_2010")
"""Tiers whose areas partition the authority (checked for conservation)."""

GROUP_TIERS: tuple[str, ...] = ("community_committee", "wedge_2010")
"""Tiers made of groups of wards, from the ward-groups lookup."""

MEMBER_COLUMNS = ("tier", "area_code", "lsoa_year", "lsoa_code", "share")
PARENT_COLUMNS = (
    "lad_code", "ward_code", "ward_name", "community_committee_code", "community_committee",
    "wedge_2010_code", "wedge_2010",
)  # fmt: skip
AREA_COLUMNS = (
    "tier", "area_code", "area_name", *PARENT_COLUMNS,
    "wards", "priority_neighbourhoods", "designated_2017", "priority_neighbourhood",
)  # fmt: skip
MEMBERSHIP_COLUMNS = (
    "lsoa_geography", "lsoa_code", "lsoa_name", "lad_code", "lad_name",
    "ward_code", "ward_name", "ward_method", "ward_population_share",
    "community_committee_code", "community_committee", "wedge_2010_code", "wedge_2010",
    "local_name",
    "in_priority_neighbourhood", "priority_neighbourhood_code", "priority_neighbourhood_share",
    "in_priority_ward",
    "in_designated_2017", "designated_2017_code", "designated_2017_share",
)  # fmt: skip

_YES = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False,
        "false": False, "0": False}  # fmt: skip
_CODE_FIELDS = {column: year for year, column in LSOA_CODE_COLUMNS.items()}


@dataclass(frozen=True)
class LocalNames:
    """Local names of LSOAs and the 2017 designated neighbourhoods (``lsoa_local_names``)."""

    table: pd.DataFrame
    """``lsoa_code, local_name, designated_2017`` (bool)."""
    lsoa_year: int
    """Geography of ``lsoa_code``."""


def read_local_names(
    path: str, *, lsoa_codes: Mapping[int, set[str]], source: str | None = None
) -> LocalNames:
    """Read a local-names lookup: ``lsoa11_code`` (or ``lsoa21_code``), ``local_name``,
    ``designated_priority_2017`` (yes/no).

    Args:
        path: The CSV.
        lsoa_codes: The authority's LSOA codes per geography year.
        source: Name for messages.

    Raises:
        GeoInputError: no code column; a missing column; a flag that is not yes/no; a code
            that is not an LSOA of the authority (each named).
        JoinError: a code listed twice.

    """  # noqa: D205
    source = source or str(path)
    df = read_csv(path, dtype={"designated_priority_2017": "str"})
    field = next((f for f in _CODE_FIELDS if f in df.columns), None)
    if field is None:
        msg = f"{source}: no LSOA code column; expected one of {list(_CODE_FIELDS)}"
        raise GeoInputError(msg)
    require_columns(df, [field, "local_name", "designated_priority_2017"], source=source)
    year = _CODE_FIELDS[field]
    df = df.rename(columns={field: "lsoa_code"})
    require_unique(df, "lsoa_code", source=source)
    flags = df["designated_priority_2017"].fillna("no").astype(str).str.strip().str.lower()
    bad = df.loc[~flags.isin(list(_YES)), ["lsoa_code", "designated_priority_2017"]]
    if not bad.empty:
        pairs = [f"{c}: {v!r}" for c, v in bad.itertuples(index=False)]
        msg = f"{source}: field 'designated_priority_2017' must be yes or no; got {show(pairs)}"
        raise GeoInputError(msg)
    unknown = sorted(set(df["lsoa_code"]) - lsoa_codes.get(year, set()))
    if unknown:
        msg = f"{source}: field {field!r} lists code(s) that are not LSOAs of the authority: {show(unknown)}"
        raise GeoInputError(msg)
    table = pd.DataFrame({
        "lsoa_code": df["lsoa_code"],
        "local_name": df["local_name"].astype("string").str.strip(),
        "designated_2017": flags.map(_YES).astype(bool),
    })  # fmt: skip
    logger.info(
        "%s: %d local names, %d designated in 2017",
        source,
        len(table),
        table["designated_2017"].sum(),
    )
    return LocalNames(table.sort_values("lsoa_code", ignore_index=True), year)


def names_on(names: LocalNames, year: int, crosswalk: pd.DataFrame | None) -> pd.Series:
    """Local name of LSOAs of ``year``, indexed by code.

    Carried across geographies only where unambiguous: an unchanged LSOA keeps its name and
    each part of a split one gets ``"<name> (part)"``; merged and irregular LSOAs have none.
    """
    named = names.table.dropna(subset=["local_name"]).set_index("lsoa_code")["local_name"]
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


@dataclass(frozen=True)
class Geography:
    """The authority's LSOAs in one geography, with their wards."""

    year: int
    lsoas: pd.DataFrame
    """``lsoa_code, lsoa_name, lad_code, lad_name`` (one row per LSOA)."""
    wards: pd.DataFrame
    """From :func:`geo.geography.wards.assign_wards`."""


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


def _with_groups(wards: pd.DataFrame, groups: pd.DataFrame | None) -> pd.DataFrame:
    """``wards`` (with ``ward_code``) plus the group columns of each ward, when given."""
    if groups is None:
        return wards
    return wards.merge(groups.drop(columns="ward_name"), on="ward_code", how="left", validate="m:1")


def build_members(
    geographies: Mapping[int, Geography],
    *,
    wards: pd.DataFrame,
    priority_year: int,
    priority_codes: list[str],
    groups: pd.DataFrame | None,
    names: LocalNames | None,
    crosswalk: pd.DataFrame | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Members and areas of every tier (see the module docstring).

    Args:
        geographies: The authority's LSOAs and their wards per geography year.
        wards: The authority's wards (``ward_code, ward_name``), from
            :func:`geo.geography.wards.city_wards`; a ward with no best-fit LSOA is still an area.
        priority_year: Geography of ``priority_codes``.
        priority_codes: LSOAs in the national 1% in the priority vintage.
        groups: Ward groups from :func:`geo.geography.wards.read_ward_groups`, or None.
        names: Local names, or None.
        crosswalk: LSOA 2011 ↔ 2021 crosswalk; needed when areas are carried across.

    Returns:
        ``(members, areas)`` with :data:`MEMBER_COLUMNS` and :data:`AREA_COLUMNS`.

    """
    years = sorted(geographies)
    for what, year in (("priority neighbourhoods", priority_year),
                       ("local names", names.lsoa_year if names else priority_year)):  # fmt: skip
        if year not in geographies:
            msg = f"{what} are on LSOA {year}, which is not built"
            raise ValueError(msg)
    pn = sorted(priority_codes)
    designated = (
        sorted(names.table.loc[names.table["designated_2017"], "lsoa_code"]) if names else []
    )
    pn_wards = set(geographies[priority_year].wards.set_index("lsoa_code").loc[pn, "ward_code"])
    members: list[pd.DataFrame] = []
    for year in years:
        geo = geographies[year]
        w = _with_groups(geo.wards, groups)
        members.append(_whole("city", geo.lsoas["lad_code"], geo.lsoas["lsoa_code"], year))
        members.append(_whole("ward", w["ward_code"], w["lsoa_code"], year))
        for tier in GROUP_TIERS if groups is not None else ():
            members.append(_whole(tier, w[f"{tier}_code"], w["lsoa_code"], year))
        inside = w.loc[w["ward_code"].isin(pn_wards)]
        members.append(_whole("priority_ward", inside["ward_code"], inside["lsoa_code"], year))
    members += _carry("priority_neighbourhood", pn, priority_year, years, crosswalk)
    if names is not None:
        members += _carry("designated_2017", designated, names.lsoa_year, years, crosswalk)
    table = pd.concat(members, ignore_index=True).loc[:, list(MEMBER_COLUMNS)]
    table = table.sort_values(["tier", "lsoa_year", "area_code", "lsoa_code"], ignore_index=True)
    names_year = names.lsoa_year if names else priority_year
    pn_in_names_year = set(table.loc[(table["tier"] == "priority_neighbourhood")
                                     & (table["lsoa_year"] == names_year), "lsoa_code"])  # fmt: skip
    areas = _areas(geographies, wards=wards, priority_year=priority_year, pn=pn,
                   designated=designated, groups=groups, names=names, crosswalk=crosswalk,
                   pn_in_names_year=pn_in_names_year)  # fmt: skip
    logger.info(
        "Tiers: %s",
        ", ".join(f"{t} {n}" for t, n in areas.groupby("tier", sort=False).size().items()),
    )
    return table, areas


def _neighbourhoods(
    tier: str, codes: list[str], geo: Geography, ward_info: pd.DataFrame, names: pd.Series
) -> pd.DataFrame:
    """Areas that are single LSOAs: named locally (else by code), with their ward."""
    by = geo.wards.set_index("lsoa_code").loc[codes, ["ward_code"]].reset_index()
    by = by.merge(ward_info, on="ward_code", how="left", validate="m:1")
    by["area_code"] = by["lsoa_code"]
    by["area_name"] = by["lsoa_code"].map(names).fillna(by["lsoa_code"])
    return by.assign(tier=tier)


def _areas(
    geographies: Mapping[int, Geography],
    *,
    wards: pd.DataFrame,
    priority_year: int,
    pn: list[str],
    designated: list[str],
    groups: pd.DataFrame | None,
    names: LocalNames | None,
    crosswalk: pd.DataFrame | None,
    pn_in_names_year: set[str],
) -> pd.DataFrame:
    """One row per area of each tier with its name and parents (:data:`AREA_COLUMNS`)."""
    lad_code, lad_name = geographies[priority_year].lsoas[["lad_code", "lad_name"]].iloc[0]
    city = pd.DataFrame({"tier": ["city"], "area_code": [lad_code], "area_name": [lad_name]})
    ward_info = _with_groups(wards[["ward_code", "ward_name"]], groups)
    in_pn = (
        geographies[priority_year].wards.set_index("lsoa_code").loc[pn, "ward_code"].value_counts()
    )
    ward_rows = ward_info.assign(
        tier="ward", area_code=ward_info["ward_code"], area_name=ward_info["ward_name"],
        priority_neighbourhoods=ward_info["ward_code"].map(in_pn).fillna(0).astype(int),
    )  # fmt: skip
    rows = [
        city,
        ward_rows,
        ward_rows.loc[ward_rows["priority_neighbourhoods"] > 0].assign(tier="priority_ward"),
    ]
    for tier in GROUP_TIERS if groups is not None else ():
        g = ward_info.groupby([f"{tier}_code", tier], as_index=False).agg(
            wards=("ward_code", "size")
        )
        if tier == "community_committee":
            wedge = ward_info[
                ["community_committee_code", "wedge_2010_code", "wedge_2010"]
            ].drop_duplicates()
            g = g.merge(wedge, on="community_committee_code", validate="1:1")
        rows.append(g.assign(tier=tier, area_code=g[f"{tier}_code"], area_name=g[tier]))
    empty = pd.Series(dtype="string")
    pn_names = names_on(names, priority_year, crosswalk) if names else empty
    pn_rows = _neighbourhoods(
        "priority_neighbourhood", pn, geographies[priority_year], ward_info, pn_names
    )
    rows.append(pn_rows.assign(designated_2017=pn_rows["lsoa_code"].isin(designated)))
    if names is not None:
        year = names.lsoa_year
        d_rows = _neighbourhoods("designated_2017", designated, geographies[year], ward_info,
                                 names_on(names, year, crosswalk))  # fmt: skip
        rows.append(
            d_rows.assign(priority_neighbourhood=d_rows["lsoa_code"].isin(pn_in_names_year))
        )
    areas = pd.concat(rows, ignore_index=True).assign(lad_code=lad_code)
    for col in AREA_COLUMNS:
        if col not in areas:
            areas[col] = pd.NA
    order = areas["tier"].map({t: i for i, t in enumerate(TIERS)})
    areas = areas.assign(_order=order).sort_values(["_order", "area_code"], ignore_index=True)
    areas = areas.loc[:, list(AREA_COLUMNS)]
    for col in ("wards", "priority_neighbourhoods"):
        areas[col] = areas[col].astype("Int64")
    for col in ("designated_2017", "priority_neighbourhood"):
        areas[col] = areas[col].astype("boolean")
    return areas


def _joined_codes(members: pd.DataFrame, tier: str, year: int) -> pd.DataFrame:
    sub = members.loc[(members["tier"] == tier) & (members["lsoa_year"] == year)]
    return sub.groupby("lsoa_code").agg(code=("area_code", ";".join), share=("share", "sum"))


def membership_table(
    members: pd.DataFrame,
    geographies: Mapping[int, Geography],
    *,
    groups: pd.DataFrame | None,
    names: LocalNames | None,
    crosswalk: pd.DataFrame | None,
) -> pd.DataFrame:
    """One row per LSOA of each geography with its areas (:data:`MEMBERSHIP_COLUMNS`)."""
    frames = []
    for year, geo in sorted(geographies.items()):
        w = geo.lsoas.merge(_with_groups(geo.wards, groups), on="lsoa_code", validate="1:1")
        w.insert(0, "lsoa_geography", lsoa_geography(year))
        local = names_on(names, year, crosswalk) if names is not None else pd.Series(dtype="string")
        w["local_name"] = w["lsoa_code"].map(local).astype("string")
        for tier, flag in (("priority_neighbourhood", "in_priority_neighbourhood"),
                           ("designated_2017", "in_designated_2017")):  # fmt: skip
            j = _joined_codes(members, tier, year)
            w[f"{tier}_code"] = w["lsoa_code"].map(j["code"]).astype("string")
            w[f"{tier}_share"] = w["lsoa_code"].map(j["share"]).fillna(0.0)
            w[flag] = w[f"{tier}_share"] > 0
        pw = members.loc[
            (members["tier"] == "priority_ward") & (members["lsoa_year"] == year), "lsoa_code"
        ]
        w["in_priority_ward"] = w["lsoa_code"].isin(pw)
        frames.append(w)
    out = pd.concat(frames, ignore_index=True)
    for col in MEMBERSHIP_COLUMNS:
        if col not in out:
            out[col] = pd.NA
    return out.loc[:, list(MEMBERSHIP_COLUMNS)]


@dataclass(frozen=True)
class Membership:
    """Everything :func:`build_membership` derives, ready to write."""

    members: pd.DataFrame
    """:data:`MEMBER_COLUMNS`."""
    areas: pd.DataFrame
    """:data:`AREA_COLUMNS`."""
    membership: pd.DataFrame
    """:data:`MEMBERSHIP_COLUMNS` (``lsoa_membership.csv``)."""
    crosswalk: pd.DataFrame
    """:data:`geo.geography.crosswalk.CROSSWALK_COLUMNS` for the authority."""


def _geographies_from_layers(layers: Mapping[int, pd.DataFrame]) -> dict[int, pd.DataFrame]:
    """Return the authority's LSOAs per geography year; vintages of one geography must agree."""
    out: dict[int, pd.DataFrame] = {}
    for vintage, layer in sorted(layers.items()):
        year = VINTAGES[vintage].lsoa_year
        lsoas = pd.DataFrame(layer.loc[:, ["lsoa_code", "lsoa_name", "lad_code", "lad_name"]])
        lsoas = lsoas.sort_values("lsoa_code", ignore_index=True)
        if year in out:
            differ = set(out[year]["lsoa_code"]) ^ set(lsoas["lsoa_code"])
            if differ:
                msg = f"IoD{vintage}: the authority's LSOA {year} set differs from another vintage's: {show(differ)}"
                raise GeoInputError(msg)
            continue
        out[year] = lsoas
    return out


def build_membership(
    layers: Mapping[int, pd.DataFrame],
    *,
    lad_code: str,
    priority_vintage: int,
    ward_lookup: str,
    lsoa_changes: str,
    population11: pd.DataFrame,
    population21: pd.DataFrame,
    community_committees: str | None = None,
    local_names: str | None = None,
) -> Membership:
    """Assign the authority's LSOAs to wards and to the areas of every tier.

    Args:
        layers: Vintage → LSOA layer of the authority (:mod:`geo.inputs.lsoa`, canonical columns);
            must include ``priority_vintage``.
        lad_code: The authority.
        priority_vintage: IoD vintage whose national 1% defines the priority neighbourhoods.
        ward_lookup: Path of the ONS LSOA 2021 → ward best-fit lookup.
        lsoa_changes: Path of the ONS LSOA 2011 → 2021 lookup.
        population11: ``lsoa_code, population``: mid-2015 population of LSOA 2011s (for
            merged LSOAs), e.g. the IoD2019 national table.
        population21: ``lsoa_code, population``: Census 2021 population of LSOA 2021s (for
            split LSOAs), from :func:`geo.inputs.imd.census_population`.
        community_committees: Path of the ward → committee/wedge lookup, or None.
        local_names: Path of the LSOA local-names lookup, or None.

    Returns:
        A :class:`Membership`.

    """
    if priority_vintage not in layers:
        msg = f"config tiers.priority_vintage: IoD{priority_vintage} is not among the built vintages {sorted(layers)}"
        raise GeoInputError(msg)
    lsoas = _geographies_from_layers(layers)
    changes = read_lsoa_changes(lsoa_changes)
    crosswalk = build_crosswalk(
        changes, lsoa11=lsoas.get(2011, pd.DataFrame({"lsoa_code": []}))["lsoa_code"],
        lsoa21=lsoas.get(2021, pd.DataFrame({"lsoa_code": []}))["lsoa_code"],
        population11=population11.set_index("lsoa_code")["population"],
        population21=population21.set_index("lsoa_code")["population"], source=lsoa_changes,
    )  # fmt: skip
    best_fit = read_ward_best_fit(ward_lookup)
    wards = city_wards(best_fit, lad_code=lad_code, source=ward_lookup)
    geographies = {
        year: Geography(
            year,
            table,
            assign_wards(
                table["lsoa_code"].tolist(),
                lsoa_year=year,
                best_fit=best_fit,
                lad_code=lad_code,
                crosswalk=crosswalk,
                source=ward_lookup,
            ),
        )
        for year, table in lsoas.items()
    }
    groups = read_ward_groups(community_committees, wards=wards) if community_committees else None
    codes = {year: set(t["lsoa_code"]) for year, t in lsoas.items()}
    names = read_local_names(local_names, lsoa_codes=codes) if local_names else None
    layer = layers[priority_vintage]
    priority = sorted(layer.loc[layer["in_national_1pct"].astype(bool), "lsoa_code"])
    logger.info("IoD%d: %d priority neighbourhoods (national 1%%)", priority_vintage, len(priority))
    year = VINTAGES[priority_vintage].lsoa_year
    members, areas = build_members(
        geographies, wards=wards, priority_year=year, priority_codes=priority,
        groups=groups, names=names, crosswalk=crosswalk,
    )  # fmt: skip
    table = membership_table(members, geographies, groups=groups, names=names, crosswalk=crosswalk)
    return Membership(members, areas, table, crosswalk)
