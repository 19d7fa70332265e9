"""LSOA 2001 ↔ LSOA 2011: the ONS lookup, the authority of each 2001 LSOA, derived shapes.

IMD 2004, 2007 and 2010 are published on the 32,482 LSOAs of 2001. The ONS lookup
(``lookup_lsoa01_lsoa11``, ``LSOA01CD, LSOA01NM, LSOA11CD, LSOA11NM, CHGIND``) links each
to the 2011 LSOAs it became, with a change indicator: **U** unchanged, **S** one 2001 LSOA
split into several 2011 LSOAs, **M** several 2001 LSOAs merged into one 2011 LSOA, **X** an
irregular change. No link is ever dropped.

- The **authority** of a 2001 LSOA is the district (2013 code) of the 2011 LSOAs it links
  to; all of them lie in one district (:mod:`geo.inputs.lsoa01`).
- **Link shares** (:func:`link_shares`): ``share_of_lsoa01``, the fraction of the 2001
  LSOA's people living in this 2011 LSOA, and ``share_of_lsoa11``, the fraction of the 2011
  LSOA's people coming from this 2001 LSOA. A 2011 LSOA's people are split among the 2001
  LSOAs linked to it in proportion to their 2001-era population (IoD2010 mid-2008); each
  2001 LSOA's parts are then weighed by those people (2011 LSOA population, IoD2015 mid-2012).
  U links are 1 and 1; S links share the 2001 LSOA by the 2011 parts' population; M links are
  1 of the 2001 LSOA; X links are apportioned by both.
- **Shapes** (:func:`derive_lsoa01_boundaries`) from the 2011 LSOA boundaries, with
  ``geometry_method``: U ``unchanged`` (the 2011 shape, exact); S ``dissolved`` (the union of
  the 2011 parts, exact up to the boundaries' generalisation); M ``shared`` (the 2001 shapes
  inside one 2011 LSOA cannot be recovered: each gets the whole 2011 shape, so shared shapes
  overlap); X ``apportioned`` (each 2011 LSOA goes wholly to the 2001 LSOA holding most of its
  people, and a 2001 LSOA gets the union of the 2011 LSOAs given to it, or, given none,
  ``shared``: the shape of the 2011 LSOA holding most of its people).
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geo.core.checks import check_geometry, show
from geo.core.errors import GeoInputError, JoinError
from geo.inputs.lsoa import authority_lsoas, read_lsoa_boundaries

logger = logging.getLogger(__name__)

LINK_COLUMNS = ("lsoa01_code", "lsoa11_code", "change_code", "share_of_lsoa01", "share_of_lsoa11")
"""Columns of :func:`link_shares`."""

GEOMETRY_METHODS = {
    "unchanged": "the 2011 LSOA's shape (the same LSOA)",
    "dissolved": "the union of the 2011 LSOAs it was split into",
    "shared": "the shape of the 2011 LSOA it was merged into, shared with the other LSOAs merged",
    "apportioned": "the union of the 2011 LSOAs most of whose people it holds (irregular change)",
}
"""``geometry_method`` of a derived 2001 LSOA shape → what it is."""


def link_shares(
    lookup: pd.DataFrame, *, population01: pd.Series, population11: pd.Series, source: str
) -> pd.DataFrame:
    """Each link with its two population shares (module docstring).

    Args:
        lookup: From :func:`read_lsoa01_lookup` (the links of whole groups: every link of
            every LSOA involved).
        population01: 2001 LSOA population (IoD2010 mid-2008), by code.
        population11: 2011 LSOA population (IoD2015 mid-2012), by code.
        source: Name of the lookup for messages.

    Returns:
        :data:`LINK_COLUMNS`, sorted by ``lsoa01_code, lsoa11_code``.

    Raises:
        GeoInputError: a population needed for a share is missing or the parts of an LSOA
            have none (named).

    """
    links = lookup.loc[:, ["lsoa01_code", "lsoa11_code", "change_code"]].copy()
    for col, pop, what in (("lsoa01_code", population01, "2001 (mid-2008)"),
                           ("lsoa11_code", population11, "2011 (mid-2012)")):  # fmt: skip
        absent = sorted(set(links[col]) - set(pop.index))
        if absent:
            msg = f"{source}: no LSOA {what} population for {show(absent)}; cannot apportion the links"
            raise GeoInputError(msg)
    p01 = links["lsoa01_code"].map(population01).astype(float)
    p11 = links["lsoa11_code"].map(population11).astype(float)
    # A 2011 LSOA's people split among its 2001 parents by their population.
    total01 = p01.groupby(links["lsoa11_code"]).transform("sum")
    n01 = links.groupby("lsoa11_code")["lsoa01_code"].transform("size")
    links["share_of_lsoa11"] = (p01 / total01).where(n01 > 1, 1.0)
    part = p11 * links["share_of_lsoa11"]
    total = part.groupby(links["lsoa01_code"]).transform("sum")
    n11 = links.groupby("lsoa01_code")["lsoa11_code"].transform("size")
    zero = links.loc[(n11 > 1) & (total <= 0), "lsoa01_code"]
    if not zero.empty:
        msg = f"{source}: the 2011 parts of LSOA 2001 {show(zero)} have no population"
        raise GeoInputError(msg)
    links["share_of_lsoa01"] = (part / total).where(n11 > 1, 1.0)
    links["share_of_lsoa11"] = links["share_of_lsoa11"].fillna(1.0)
    out = links.loc[:, list(LINK_COLUMNS)].sort_values(["lsoa01_code", "lsoa11_code"])
    counts = out["change_code"].value_counts()
    logger.info("LSOA 2001 → 2011: %d links (%s)", len(out),
                ", ".join(f"{k} {counts.get(k, 0)}" for k in "USMX"))  # fmt: skip
    return out.reset_index(drop=True)


def authority_links(links: pd.DataFrame, codes01: list[str], *, source: str) -> pd.DataFrame:
    """Return the links of the authority's 2001 LSOAs; every one of them must have a link."""
    mine = links.loc[links["lsoa01_code"].isin(codes01)]
    missing = sorted(set(codes01) - set(mine["lsoa01_code"]))
    if missing:
        msg = f"{source}: {len(missing)} LSOA 2001(s) of the authority have no 2011 link: {show(missing)}"
        raise JoinError(msg)
    return mine.reset_index(drop=True)


def derive_lsoa01_boundaries(
    links: pd.DataFrame, shapes11: gpd.GeoDataFrame, *, source: str
) -> gpd.GeoDataFrame:
    """Shapes of 2001 LSOAs from their 2011 LSOAs (module docstring).

    Args:
        links: From :func:`link_shares`, restricted to the LSOAs wanted
            (:func:`authority_links`).
        shapes11: ``lsoa_code, geometry`` of every 2011 LSOA the links reach.
        source: Name of the 2011 boundaries for messages.

    Returns:
        ``lsoa_code, geometry_method, geometry`` in the CRS of ``shapes11``, one row per
        2001 LSOA of ``links``.

    Raises:
        GeoInputError: a linked 2011 LSOA has no shape (named).

    """
    shape = shapes11.set_index("lsoa_code").geometry
    missing = sorted(set(links["lsoa11_code"]) - set(shape.index))
    if missing:
        msg = f"{source}: no boundary for 2011 LSOA(s) {show(missing)} linked to the authority's 2001 LSOAs"
        raise GeoInputError(msg)
    # Each 2011 LSOA is given wholly to the 2001 LSOA holding most of its people.
    ranked = links.sort_values(["lsoa11_code", "share_of_lsoa11", "lsoa01_code"],
                               ascending=[True, False, True])  # fmt: skip
    owner = ranked.drop_duplicates("lsoa11_code").set_index("lsoa11_code")["lsoa01_code"]
    rows = []
    for code, group in links.groupby("lsoa01_code", sort=True):
        change = set(group["change_code"])
        given = group.loc[group["lsoa11_code"].map(owner) == code, "lsoa11_code"].tolist()
        if change == {"U"}:
            method, parts = "unchanged", group["lsoa11_code"].tolist()
        elif change == {"S"}:
            method, parts = "dissolved", group["lsoa11_code"].tolist()
        elif "X" in change and given:
            method, parts = "apportioned", given
        else:  # M, or an X LSOA that holds most of no 2011 LSOA
            largest = group.sort_values(["share_of_lsoa01", "lsoa11_code"], ascending=[False, True])
            method, parts = "shared", [largest["lsoa11_code"].iloc[0]]
        geom = (
            shapely.union_all(shape.loc[parts].to_numpy())
            if len(parts) > 1
            else shape.loc[parts[0]]
        )
        rows.append((code, method, geom))
    out = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=["lsoa_code", "geometry_method", "geometry"]),
        geometry="geometry", crs=shapes11.crs,
    )  # fmt: skip
    counts = out["geometry_method"].value_counts()
    logger.info("Derived %d LSOA 2001 shapes from %s (%s)", len(out), source,
                ", ".join(f"{k} {v}" for k, v in counts.items()))  # fmt: skip
    return out


def lsoa01_boundaries(
    national: pd.DataFrame,
    links: pd.DataFrame,
    boundaries11: Path | str,
    *,
    lad_code: str,
    vintage: int,
    crs: str,
    repair: bool,
    source: str,
    boundaries_source: str,
) -> gpd.GeoDataFrame:
    """Shapes of the authority's 2001 LSOAs (in ``crs``), derived from its 2011 LSOA boundaries.

    ``national`` is a 2001-LSOA release's table (the authority's LSOAs), ``links`` the
    national LSOA 2001 → 2011 links with shares (:func:`link_shares`).
    Every 2001 LSOA of the authority is linked and gets a shape; see
    :func:`derive_lsoa01_boundaries` for ``geometry_method``.
    """
    mine = authority_lsoas(national, lad_code=lad_code, vintage=vintage, source=source)
    own = authority_links(links, sorted(mine["lsoa_code"]), source=f"{source} + LSOA 2001 links")
    shapes11 = read_lsoa_boundaries(
        boundaries11, sorted(set(own["lsoa11_code"])), source=boundaries_source, repair=repair
    ).to_crs(crs)
    derived = derive_lsoa01_boundaries(own, shapes11, source=boundaries_source)
    return check_geometry(derived, source=f"LSOA 2001 shapes from {boundaries_source}",
                          id_col="lsoa_code", repair=repair)  # fmt: skip
