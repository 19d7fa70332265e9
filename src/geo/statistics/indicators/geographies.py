"""Indicator geographies: the source areas an indicator is published on, and their LSOAs.

An indicator period may be published on LSOAs (2011 or 2021), MSOAs (2011 or 2021, or MSOA
2021 *names*, as Stat-Xplore writes them) or the whole authority (``LAD``). To sum it to a
tier, each source area is linked to the LSOAs it is made of, with a population weight per
LSOA (the *links* table, :data:`LINK_COLUMNS`):

``MSOA11``
    ONS LSOA 2011 → MSOA 2011 lookup (``lookup_lsoa11_msoa11``); weights: the IoD2019 File 6
    mid-2015 population of each LSOA 2011.
``MSOA21``
    An LSOA 2021 belongs to the MSOA whose ONS name is its own less the final letter
    (``Leeds 001A`` → ``Leeds 001``), coded through the House of Commons Library names file
    (``msoa21_names``); weights: Census 2021 usual residents.
``LAD``
    Every LSOA of the authority, on either LSOA geography, weighted as above.

:func:`source_members` turns the LSOA membership of every area into membership in source
areas: an area's share of a source area is the population share of the source's LSOAs
inside it. Where every source area touching an area lies wholly inside it (share 1), the
area's sum is exact; otherwise the source counts are shared to LSOAs by population and the
result is an estimate (:func:`method_of`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from geo.core.checks import show
from geo.core.errors import JoinError
from geo.core.io import read_csv
from geo.statistics.indicators.metadata import LSOA_GEOGRAPHIES
from geo.statistics.indicators.tidy import IndicatorError

logger = logging.getLogger(__name__)

MSOA_GEOGRAPHIES: tuple[str, ...] = ("MSOA11", "MSOA21")

LSOA_OF: dict[str, str] = {"LSOA11": "LSOA11", "LSOA21": "LSOA21", "MSOA11": "LSOA11",
                           "MSOA21": "LSOA21", "LAD": "LSOA21"}  # fmt: skip
"""Source geography → the LSOA geography its areas are made of (authority totals: 2021)."""

LINK_COLUMNS: tuple[str, ...] = ("geography", "source_code", "lsoa_geography", "lsoa_code",
                                 "weight", "weight_source")  # fmt: skip
"""Columns of the links table: source area → LSOA with its population weight."""

WHOLE_TOL = 1e-9
"""A share within this of 1 is whole."""


def msoa21_of_lsoa21(lsoas: pd.DataFrame, names_path: Path | str) -> pd.DataFrame:
    """Link LSOA 2021s to MSOA 2021 codes through their names.

    Args:
        lsoas: ``lsoa_code, lsoa_name`` of the authority's LSOA 2021s (``Leeds 001A``).
        names_path: The House of Commons Library MSOA 2021 names file
            (``msoa21cd, msoa21nm, msoa21hclnm``).

    Returns:
        ``lsoa_code, msoa_code, msoa_name, msoa_local_name``.

    Raises:
        IndicatorError: an LSOA name without a final letter, or whose MSOA name is not in
            the names file (naming the file, the LSOAs and the names).

    """
    names = _msoa21_names(names_path)
    lsoa_name = lsoas["lsoa_name"].astype("string").str.strip()
    bad = ~lsoa_name.str.match(r"^.+ \d{3}[A-Z]$")
    if bad.any():
        msg = f"LSOA 2021 name(s) not of the form '<MSOA name>X': {show(lsoa_name[bad])}"
        raise IndicatorError(msg)
    base = pd.DataFrame({"lsoa_code": lsoas["lsoa_code"].astype("string"),
                         "msoa_name": lsoa_name.str[:-1]})  # fmt: skip
    out = base.merge(names, on="msoa_name", how="left", validate="m:1")
    unmatched = out.loc[out["msoa_code"].isna(), "msoa_name"]
    if len(unmatched):
        msg = f"{names_path}: field 'msoa21nm' has no row for MSOA name(s) {show(sorted(set(unmatched)))}"
        raise IndicatorError(msg)
    return out.loc[:, ["lsoa_code", "msoa_code", "msoa_name", "msoa_local_name"]]


def _msoa21_names(path: Path | str) -> pd.DataFrame:
    df = read_csv(path, dtype={"msoa21cd": "string", "msoa21nm": "string"})
    missing = [c for c in ("msoa21cd", "msoa21nm", "msoa21hclnm") if c not in df.columns]
    if missing:
        msg = f"{path}: missing column(s) {missing}"
        raise IndicatorError(msg)
    dup = df["msoa21nm"].duplicated(keep=False)
    if dup.any():
        msg = f"{path}: field 'msoa21nm' repeats {show(df.loc[dup, 'msoa21nm'])}"
        raise IndicatorError(msg)
    return pd.DataFrame({"msoa_name": df["msoa21nm"].str.strip(),
                         "msoa_code": df["msoa21cd"].str.strip(),
                         "msoa_local_name": df["msoa21hclnm"].astype("string")})  # fmt: skip


def msoa21_codes(
    names: Iterable[str],
    links: pd.DataFrame,
    *,
    source: str,
    lines: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Code the authority's MSOAs in a table that names them (Stat-Xplore).

    An MSOA of the authority the file does not name (Stat-Xplore tables built on the 2011
    MSOAs lack the MSOAs new in 2021, such as Bradford 062–065) is returned with
    ``in_file`` False and a warning: its values are gaps, never zeros, and sums over areas
    holding it count it in ``lsoas_missing``. A file naming none of the authority's MSOAs
    is an error.

    Args:
        names: Area names as published (all of Great Britain), one per row of the file.
        links: :func:`msoa21_of_lsoa21` of the authority: the MSOAs wanted.
        source: The file, for messages.
        lines: Name → line in the file, for messages.

    Returns:
        ``msoa_name, msoa_code, in_file``: one row per MSOA of the authority.

    Raises:
        IndicatorError: no MSOA of the authority is named in the file, or one is named on
            two lines (naming the file, the names and the lines).

    """
    wanted = links[["msoa_name", "msoa_code"]].drop_duplicates().sort_values("msoa_code")
    published = pd.Series(list(names), dtype="string")
    counts = published.value_counts()
    absent = sorted(set(wanted["msoa_name"]) - set(counts.index))
    if len(absent) == len(wanted):
        msg = f"{source}: none of the authority's {len(wanted)} MSOA names is in the file: {show(absent)}"
        raise IndicatorError(msg)
    if absent:
        logger.warning("%s: %d of the authority's %d MSOA names are not in the file (their "
                       "values are gaps): %s", source, len(absent), len(wanted), show(absent))  # fmt: skip
    twice = sorted(n for n in wanted["msoa_name"] if counts.get(n, 0) > 1)
    if twice:
        where = f" (line {lines[twice[0]]})" if lines and twice[0] in lines else ""
        msg = f"{source}: MSOA name(s) on more than one line: {show(twice)}{where}"
        raise IndicatorError(msg)
    if not absent:
        logger.info("%s: all %d MSOA names of the authority matched", source, len(wanted))
    return wanted.assign(in_file=~wanted["msoa_name"].isin(absent)).reset_index(drop=True)


def msoa11_of_lsoa11(lsoa_codes: Iterable[str], lookup_path: Path | str) -> pd.DataFrame:
    """Link LSOA 2011s to MSOA 2011s through the ONS lookup; every LSOA must be found."""
    df = read_csv(lookup_path, dtype={"lsoa11_code": "string", "msoa11_code": "string"})
    missing = [c for c in ("lsoa11_code", "msoa11_code") if c not in df.columns]
    if missing:
        msg = f"{lookup_path}: missing column(s) {missing}"
        raise IndicatorError(msg)
    base = pd.DataFrame({"lsoa_code": pd.Series(list(lsoa_codes), dtype="string")})
    look = df.rename(columns={"lsoa11_code": "lsoa_code", "msoa11_code": "msoa_code"})
    out = base.merge(look[["lsoa_code", "msoa_code"]], on="lsoa_code", how="left", validate="1:1")
    if out["msoa_code"].isna().any():
        msg = f"{lookup_path}: field 'lsoa11_code' lacks LSOA(s) {show(out.loc[out['msoa_code'].isna(), 'lsoa_code'])}"
        raise IndicatorError(msg)
    return out


def build_links(
    *,
    lad_code: str,
    lsoa11: pd.DataFrame | None,
    lsoa21: pd.DataFrame | None,
    msoa11_lookup: Path | str | None,
    msoa21_names: Path | str | None,
) -> pd.DataFrame:
    """Links of every source geography to the authority's LSOAs, with population weights.

    Args:
        lad_code: The authority (the ``LAD`` source area).
        lsoa11: ``lsoa_code, population`` of the LSOA 2011s (IoD2019 File 6), or None.
        lsoa21: ``lsoa_code, lsoa_name, population`` of the LSOA 2021s (Census 2021), or None.
        msoa11_lookup: The LSOA11 → MSOA11 lookup, or None.
        msoa21_names: The MSOA 2021 names file, or None.

    Returns:
        :data:`LINK_COLUMNS`.

    """
    by_lsoa: dict[str, pd.DataFrame] = {}
    for geography, lsoas, basis in (("LSOA11", lsoa11, "IoD2019 File 6 mid-2015 population"),
                                    ("LSOA21", lsoa21, "Census 2021 usual residents")):  # fmt: skip
        if lsoas is None:
            continue
        weight = pd.to_numeric(lsoas["population"]).astype("float64")
        bad = weight.isna() | (weight <= 0)
        if bad.any():
            msg = f"{geography} population weights missing or 0 for {show(lsoas.loc[bad, 'lsoa_code'])}"
            raise IndicatorError(msg)
        codes = lsoas["lsoa_code"].astype("string").to_numpy()
        by_lsoa[geography] = pd.DataFrame({"geography": geography, "source_code": codes,
                                           "lsoa_geography": geography, "lsoa_code": codes,
                                           "weight": weight.to_numpy(), "weight_source": basis})  # fmt: skip
    if not by_lsoa:
        msg = "no LSOA layer to link indicator geographies to"
        raise IndicatorError(msg)
    frames = list(by_lsoa.values())
    if "LSOA11" in by_lsoa and msoa11_lookup is not None:
        msoa11 = msoa11_of_lsoa11(by_lsoa["LSOA11"]["lsoa_code"], msoa11_lookup)
        frames.append(by_lsoa["LSOA11"].assign(geography="MSOA11",
                                               source_code=msoa11["msoa_code"].to_numpy()))  # fmt: skip
    if "LSOA21" in by_lsoa and lsoa21 is not None and msoa21_names is not None:
        msoa21 = msoa21_of_lsoa21(lsoa21, msoa21_names)
        frames.append(by_lsoa["LSOA21"].assign(geography="MSOA21",
                                               source_code=msoa21["msoa_code"].to_numpy()))  # fmt: skip
    whole = by_lsoa.get(LSOA_OF["LAD"], next(iter(by_lsoa.values())))
    frames.append(whole.assign(geography="LAD", source_code=lad_code))
    out = pd.concat(frames, ignore_index=True).loc[:, list(LINK_COLUMNS)]
    for g, part in out.groupby("geography"):
        logger.info(
            "Links %s: %d source area(s), %d LSOAs", g, part["source_code"].nunique(), len(part)
        )
    return out.sort_values(["geography", "source_code", "lsoa_code"], ignore_index=True)


def source_members(
    members: pd.DataFrame, links: pd.DataFrame, *, geography: str, source: str
) -> pd.DataFrame:
    """Membership of every area in the source areas of ``geography``.

    An area's share of a source area is ``Σ share × weight / Σ weight`` over the source's
    LSOAs (``share`` the LSOA's share in the area, 0 for LSOAs outside it).

    Args:
        members: Canonical LSOA membership (:mod:`geo.statistics.indicators.membership`).
        links: :func:`build_links`.
        geography: The source geography.
        source: The indicator file, for messages.

    Returns:
        ``tier, area_code, area_name, lsoa_code`` (the source area's code), ``share``,
        ``whole`` (the source area lies wholly in the area), ``basis`` (how shares were
        made: the weights' source), for every area and source area it touches.

    Raises:
        JoinError: the links have no ``geography`` rows, or the area's LSOAs are not all
            linked to a source area.

    """
    if geography in LSOA_GEOGRAPHIES:
        out = members.loc[members["geography"] == geography].copy()
        out["whole"] = (out["share"] - 1).abs() <= WHOLE_TOL
        out["basis"] = ""
        return out
    link = links.loc[links["geography"] == geography]
    if link.empty:
        msg = f"{source}: no links from {geography} to LSOAs (have {show(links['geography'])})"
        raise JoinError(msg)
    lsoa_geography = str(link["lsoa_geography"].iloc[0])
    mine = members.loc[members["geography"] == lsoa_geography]
    joined = mine.merge(link[["lsoa_code", "source_code", "weight"]], on="lsoa_code", how="left",
                        validate="m:1")  # fmt: skip
    if joined["source_code"].isna().any():
        msg = (f"{source}: {lsoa_geography} LSOA(s) of the membership not linked to any "
               f"{geography}: {show(joined.loc[joined['source_code'].isna(), 'lsoa_code'])}")  # fmt: skip
        raise JoinError(msg)
    totals = link.groupby("source_code")["weight"].sum()
    joined["part"] = joined["share"] * joined["weight"]
    sums = (
        joined.groupby(["tier", "area_code", "source_code"], sort=True)
        .agg(area_name=("area_name", "first"), part=("part", "sum"))
        .reset_index()
    )
    sums["share"] = (sums["part"] / sums["source_code"].map(totals)).clip(upper=1.0)
    sums["whole"] = (sums["share"] - 1).abs() <= WHOLE_TOL
    sums.loc[sums["whole"], "share"] = 1.0
    sums["basis"] = str(link["weight_source"].iloc[0])
    sums = sums.loc[sums["share"] > 0]
    return sums.rename(columns={"source_code": "lsoa_code"}).assign(geography=geography)[
        ["geography", "tier", "area_code", "area_name", "lsoa_code", "share", "whole", "basis"]
    ]


def method_of(geography: str, *, whole: bool, tier: str, basis: str, drawn_tier: str) -> str:
    """Name how an area's figure was made from source areas of ``geography``."""
    if whole:
        return f"sum of whole {geography}s" if geography != "LAD" else "authority total"
    if geography in LSOA_GEOGRAPHIES:
        if tier == drawn_tier:
            return f"{geography} counts apportioned by postcode points inside the drawn boundary"
        return f"{geography} counts shared by population where an LSOA is split between areas"
    return f"{geography} counts shared to {LSOA_OF[geography]}s by population ({basis})"


def links_from_layers(
    layers: Mapping[int, pd.DataFrame],
    *,
    lad_code: str,
    census21: pd.DataFrame | None,
    msoa11_lookup: Path | str | None,
    msoa21_names: Path | str | None,
) -> pd.DataFrame:
    """:func:`build_links` from the authority's LSOA layers.

    LSOA 2011 weights: the ``population`` of the latest release on LSOA 2011 (IoD2019 File
    6, mid-2015); LSOA 2021 names from the latest release on LSOA 2021, weights Census 2021
    usual residents (``census21``: ``lsoa_code, population``).
    """
    from geo.model.releases import VINTAGES

    def latest(geography: str) -> pd.DataFrame | None:
        on = [v for v in sorted(layers) if VINTAGES[v].lsoa_geography == geography]
        return layers[on[-1]] if on else None

    lsoa11 = latest("LSOA11")
    lsoa21 = latest("LSOA21")
    if lsoa21 is not None:
        if census21 is None:
            msg = "LSOA 2021 links need Census 2021 population weights"
            raise IndicatorError(msg)
        lsoa21 = (
            lsoa21[["lsoa_code", "lsoa_name"]]
            .astype("string")
            .merge(
                census21.astype({"lsoa_code": "string"}), on="lsoa_code", how="left", validate="1:1"
            )
        )
    return build_links(
        lad_code=lad_code,
        lsoa11=None if lsoa11 is None else lsoa11[["lsoa_code", "population"]],
        lsoa21=lsoa21,
        msoa11_lookup=msoa11_lookup if lsoa11 is not None else None,
        msoa21_names=msoa21_names if lsoa21 is not None else None,
    )
