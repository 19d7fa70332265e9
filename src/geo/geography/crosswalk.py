"""LSOA 2011 ↔ LSOA 2021 crosswalk from the ONS lookup and its change codes.

The ONS lookup (``lookup_lsoa11_lsoa21``) links every LSOA 2011 to the LSOA 2021s it became,
with a change code: **U** unchanged (same code and boundary), **S** an LSOA 2011 split into
two or more LSOA 2021s, **M** two or more LSOA 2011s merged into one LSOA 2021, **X** an
irregular change (the lookup links each LSOA to every LSOA of the other year it overlaps).
No link is ever dropped: every LSOA of the authority is carried into the other geography.

:func:`build_crosswalk` returns one row per link with two population shares:

``share_of_lsoa11``
    Fraction of the LSOA 2011's people living in this LSOA 2021: 1 for U and M; for S and X
    the Census 2021 population of this LSOA 2021 over that of every LSOA 2021 linked to the
    LSOA 2011 (the parts of a split LSOA lie wholly inside it).
``share_of_lsoa21``
    Fraction of the LSOA 2021's people coming from this LSOA 2011: 1 for U and S; for M and X
    the mid-2015 population (IoD2019 File 6) of this LSOA 2011 over that of every LSOA 2011
    linked to the LSOA 2021.

For X the shares treat each linked LSOA as if it lay wholly in the other; X links are kept
and flagged (``change_code``), never dropped. :func:`map_members` moves an area's LSOAs from
one geography to the other with these shares; :func:`link_lsoas` pairs the LSOAs of two IoD
releases (the same LSOA, or the crosswalk's links across the 2021 change) for comparisons.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import pandas as pd

from geo.core.checks import require_columns, show
from geo.core.errors import GeoInputError, JoinError
from geo.core.io import read_csv

logger = logging.getLogger(__name__)

CHANGE_CODES: dict[str, str] = {
    "U": "unchanged",
    "S": "split",
    "M": "merged",
    "X": "irregular change",
}
"""ONS change code → plain-English description."""

CROSSWALK_COLUMNS = (
    "lsoa11_code",
    "lsoa21_code",
    "change_code",
    "share_of_lsoa11",
    "share_of_lsoa21",
)
"""Columns of :func:`build_crosswalk`."""

LSOA_CODE_COLUMNS: dict[int, str] = {2011: "lsoa11_code", 2021: "lsoa21_code"}
"""LSOA geography year → column holding its codes in the lookup and the crosswalk."""

LINKED_YEARS: dict[frozenset[int], tuple[str, str]] = {
    frozenset({2011, 2021}): ("lsoa11_code", "lsoa21_code"),
    frozenset({2001, 2011}): ("lsoa01_code", "lsoa11_code"),
}
"""Pairs of LSOA geographies an ONS lookup links → their code columns (earlier, later):
this crosswalk (2011 ↔ 2021) and the LSOA 2001 → 2011 links of :mod:`geo.geography.lsoa01`."""

_LOOKUP_COLUMNS = (*LSOA_CODE_COLUMNS.values(), "change_code")


def code_columns(from_year: int, to_year: int) -> tuple[str, str]:
    """Code columns of the ``from_year`` and ``to_year`` LSOAs (2011 ↔ 2021 or 2001 ↔ 2011)."""
    pair = LINKED_YEARS.get(frozenset({from_year, to_year}))
    if pair is None or from_year == to_year:
        msg = (
            f"cannot link LSOAs from {from_year} to {to_year}; years must be 2011 and 2021, "
            "or 2001 and 2011"
        )
        raise ValueError(msg)
    return pair if from_year < to_year else (pair[1], pair[0])


def read_lsoa_changes(path: str, *, source: str | None = None) -> pd.DataFrame:
    """Read the ONS LSOA 2011 → LSOA 2021 lookup: ``lsoa11_code, lsoa21_code, change_code``.

    Raises:
        GeoInputError: a column is missing, a change code is not U/S/M/X, or a link is
            repeated (each named).

    """
    source = source or str(path)
    df = read_csv(path)
    require_columns(df, _LOOKUP_COLUMNS, source=source)
    df = df.loc[:, list(_LOOKUP_COLUMNS)].copy()
    bad = df.loc[~df["change_code"].isin(list(CHANGE_CODES))]
    if not bad.empty:
        pairs = [f"{a}→{b}: {c!r}" for a, b, c in bad.itertuples(index=False)]
        msg = f"{source}: field 'change_code' must be one of U/S/M/X; got {show(pairs)}"
        raise GeoInputError(msg)
    dup = df.duplicated(["lsoa11_code", "lsoa21_code"], keep=False)
    if dup.any():
        pairs = [
            f"{a}→{b}"
            for a, b in df.loc[dup, ["lsoa11_code", "lsoa21_code"]].itertuples(index=False)
        ]
        msg = f"{source}: repeated LSOA 2011 → LSOA 2021 link(s): {show(pairs)}"
        raise JoinError(msg)
    return df


def _shares(
    links: pd.DataFrame, population: pd.Series, *, group: str, part: str, what: str
) -> pd.Series:
    """Return each ``part``'s population share of its ``group`` (1 where it is the only part)."""
    size = links.groupby(group)[part].transform("size")
    needed = links.loc[size > 1, part]
    missing = sorted(set(needed) - set(population.index))
    if missing:
        groups = links.loc[links[part].isin(missing), group]
        msg = (
            f"{what}: no population for {len(missing)} part(s) {show(missing)} of "
            f"{show(groups)}; cannot apportion the change"
        )
        raise GeoInputError(msg)
    pop = links[part].map(population).where(size > 1, 1.0).astype(float)
    total = pop.groupby(links[group]).transform("sum")
    zero = links.loc[(size > 1) & (total <= 0), group]
    if not zero.empty:
        msg = f"{what}: the parts of {show(zero)} have zero total population"
        raise GeoInputError(msg)
    return (pop / total).where(size > 1, 1.0)


def build_crosswalk(
    changes: pd.DataFrame,
    *,
    lsoa11: Iterable[str],
    lsoa21: Iterable[str],
    population11: pd.Series,
    population21: pd.Series,
    source: str = "LSOA 2011 → LSOA 2021 lookup",
) -> pd.DataFrame:
    """Links touching the authority's LSOAs, with population shares (see module docstring).

    Args:
        changes: From :func:`read_lsoa_changes` (national).
        lsoa11: The authority's LSOA 2011 codes.
        lsoa21: The authority's LSOA 2021 codes.
        population11: Population of LSOA 2011s (mid-2015), indexed by code; needed for the
            LSOA 2011s of M and X links.
        population21: Census 2021 population of LSOA 2021s, indexed by code; needed for the
            LSOA 2021s of S and X links.
        source: Name of the lookup for messages.

    Returns:
        :data:`CROSSWALK_COLUMNS`, one row per link, sorted by ``lsoa11_code, lsoa21_code``.

    Raises:
        GeoInputError: an authority LSOA has no link (named), or a population needed for a
            share is missing (naming the parts and their LSOA).

    """
    codes11, codes21 = set(lsoa11), set(lsoa21)
    for year, codes, col in ((2011, codes11, "lsoa11_code"), (2021, codes21, "lsoa21_code")):
        missing = sorted(codes - set(changes[col]))
        if missing:
            msg = f"{source}: no row for {len(missing)} LSOA {year} code(s) of the authority: {show(missing)}"
            raise JoinError(msg)
    touching = changes["lsoa11_code"].isin(codes11) | changes["lsoa21_code"].isin(codes21)
    near11 = set(changes.loc[touching, "lsoa11_code"])
    near21 = set(changes.loc[touching, "lsoa21_code"])
    # Every link of every LSOA involved, so shares are computed over whole groups.
    links = changes.loc[
        changes["lsoa11_code"].isin(near11) | changes["lsoa21_code"].isin(near21)
    ].copy()
    links["share_of_lsoa11"] = _shares(
        links, population21, group="lsoa11_code", part="lsoa21_code",
        what=f"{source} (split LSOA 2011s, Census 2021 population)",
    )  # fmt: skip
    links["share_of_lsoa21"] = _shares(
        links, population11, group="lsoa21_code", part="lsoa11_code",
        what=f"{source} (merged LSOA 2021s, mid-2015 population)",
    )  # fmt: skip
    out = links.loc[touching.loc[links.index], list(CROSSWALK_COLUMNS)]
    out = out.sort_values(["lsoa11_code", "lsoa21_code"], ignore_index=True)
    counts = out["change_code"].value_counts().reindex(list(CHANGE_CODES), fill_value=0)
    logger.info(
        "Crosswalk: %d links for %d LSOA 2011 and %d LSOA 2021 (%s)",
        len(out), len(codes11), len(codes21), ", ".join(f"{k} {v}" for k, v in counts.items()),
    )  # fmt: skip
    return out


def map_members(
    members: pd.DataFrame, crosswalk: pd.DataFrame, *, from_year: int, to_year: int
) -> pd.DataFrame:
    """Express areas made of LSOAs of ``from_year`` in LSOAs of ``to_year``.

    Args:
        members: ``area_code, lsoa_code, share`` (``share`` = fraction of the LSOA in the
            area), LSOAs of the ``from_year`` geography.
        crosswalk: From :func:`build_crosswalk`.
        from_year: 2011 or 2021.
        to_year: 2011 or 2021.

    Returns:
        ``area_code, lsoa_code, share`` in the ``to_year`` geography: a 2021 LSOA gets the
        share of its people coming from the area (``share_of_lsoa21``), a 2011 LSOA the share
        of its people living in the area (``share_of_lsoa11``); shares of one LSOA in one area
        are summed and capped at 1.

    Raises:
        JoinError: an LSOA of ``members`` has no link in the crosswalk (named).

    """
    if from_year == to_year:
        return members.loc[:, ["area_code", "lsoa_code", "share"]].reset_index(drop=True)
    src, dst = code_columns(from_year, to_year)
    share = "share_of_lsoa21" if to_year == 2021 else "share_of_lsoa11"
    missing = sorted(set(members["lsoa_code"]) - set(crosswalk[src]))
    if missing:
        msg = f"LSOA {from_year} → {to_year} crosswalk: no link for {show(missing)}"
        raise JoinError(msg)
    joined = members.merge(crosswalk[[src, dst, share]], left_on="lsoa_code", right_on=src)
    joined["share"] = joined["share"] * joined[share]
    out = joined.groupby(["area_code", dst], as_index=False, sort=True)["share"].sum()
    out["share"] = out["share"].clip(upper=1.0)
    empty = out["share"] <= 0
    if empty.any():
        logger.warning("LSOA %d → %d: %d link(s) with no population left out: %s", from_year,
                       to_year, int(empty.sum()), show(out.loc[empty, dst]))  # fmt: skip
    return out.loc[~empty].rename(columns={dst: "lsoa_code"}).reset_index(drop=True)


def link_lsoas(
    codes_from: Iterable[str],
    codes_to: Iterable[str],
    crosswalk: pd.DataFrame | None,
    *,
    year_from: int,
    year_to: int,
    both_ends: bool = False,
    source: str = "LSOA 2011 → 2021 crosswalk",
) -> pd.DataFrame:
    """Pair the authority's LSOAs of two IoD releases, LSOA by LSOA.

    On one geography (``year_from == year_to``) each LSOA in both sets is linked to itself
    with change code ``U`` (an LSOA in one set only is logged and left out). Across the 2021
    change the ``crosswalk`` (:func:`build_crosswalk`, or the lookup of
    :func:`read_lsoa_changes`) links them: every link with either end among the codes, or
    with ``both_ends`` only links with both ends among them.

    Returns:
        ``lsoa_code_from, lsoa_code, change_code``, one row per link.

    Raises:
        GeoInputError: an LSOA of ``codes_from`` (unless ``both_ends``) or of ``codes_to``
            has no link (named); the crosswalk lacks a column.
        ValueError: no crosswalk across the 2021 change.

    """
    wanted_from, wanted_to = set(codes_from), set(codes_to)
    if year_from == year_to:
        if wanted_from != wanted_to:
            odd = wanted_from ^ wanted_to
            logger.warning("%s: %d LSOAs in one release only, not compared: %s", source,
                           len(odd), show(odd))  # fmt: skip
        common = sorted(wanted_from & wanted_to)
        return pd.DataFrame({"lsoa_code_from": common, "lsoa_code": common, "change_code": "U"})
    if crosswalk is None:
        msg = f"{source}: LSOA {year_from} → {year_to} links need the crosswalk"
        raise ValueError(msg)
    src, dst = code_columns(year_from, year_to)
    require_columns(crosswalk, [src, dst, "change_code"], source=source)
    from_in, to_in = crosswalk[src].isin(wanted_from), crosswalk[dst].isin(wanted_to)
    links = crosswalk.loc[(from_in & to_in) if both_ends else (from_in | to_in)]
    links = links.loc[:, [src, dst, "change_code"]].rename(
        columns={src: "lsoa_code_from", dst: "lsoa_code"}
    )
    checks = [(year_to, year_from, wanted_to, "lsoa_code")]
    if not both_ends:
        checks.insert(0, (year_from, year_to, wanted_from, "lsoa_code_from"))
    for year, other, wanted, col in checks:
        missing = sorted(wanted - set(links[col]))
        if missing:
            msg = (f"{source}: {len(missing)} LSOA {year}(s) of the authority have no LSOA "
                   f"{other} link: {show(missing)}")  # fmt: skip
            raise GeoInputError(msg)
    return links.reset_index(drop=True)


def single_parents(
    crosswalk: pd.DataFrame | None, *, years: tuple[int, int] = (2011, 2021)
) -> pd.Series:
    """Each later LSOA with exactly one earlier LSOA (unchanged or split) → that LSOA.

    The one-to-one comparison of an LSOA across an LSOA change (``years``: 2011 → 2021 with
    the crosswalk, 2001 → 2011 with the LSOA 2001 links), used for rank changes on the site,
    the profiles and the facts; merged and irregular LSOAs are left out.
    """
    src, dst = code_columns(*years)
    if crosswalk is None or crosswalk.empty:
        return pd.Series(dtype="string", name=src)
    links = crosswalk.loc[:, [src, dst]].drop_duplicates()
    n = links.groupby(dst)[src].transform("size")
    single = links.loc[n == 1]
    return pd.Series(
        single[src].astype(str).to_numpy(),
        index=pd.Index(single[dst].astype(str), name=dst),
        name=src,
    ).sort_index()
