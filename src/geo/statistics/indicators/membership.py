"""LSOA → area membership: which LSOAs make up each area of each tier, per LSOA geography.

The canonical membership table is long, one row per (geography, tier, area, LSOA):
``geography`` (``LSOA11`` / ``LSOA21``), ``tier`` (e.g. ``ward``), ``area_code``,
``area_name``, ``lsoa_code`` and ``share`` (the fraction of the LSOA inside the area; 1 for
whole LSOAs). :func:`normalise_membership` accepts

- that long form (``vintage`` or ``lsoa_geography`` may stand for ``geography``), or
- the wide ``lsoa_membership.csv`` of :mod:`geo.geography.membership`: one row per LSOA and
  geography, one ``<tier>_code`` column per tier with ``<tier>_name`` (or ``<tier>``) for
  its names and/or ``<tier>_share`` for partial membership; ``lad_code`` / ``lad_name`` are
  the ``city`` tier; codes joined by ``;`` list several areas. A tier without a name
  column (priority neighbourhoods) takes the ``local_name`` of the LSOA whose code is the
  area's code, else the code.

It checks that no whole LSOA sits twice in a tier, that shares lie in (0, 1], and that
every tier named in ``partition_tiers`` covers every LSOA of the authority exactly once.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from geo.core.checks import require_columns, show
from geo.core.errors import JoinError
from geo.core.io import read_csv
from geo.model.releases import VINTAGES, lsoa_geography
from geo.model.tiers import CITY, DRAWN_NEIGHBOURHOOD
from geo.statistics.indicators.metadata import LSOA_GEOGRAPHIES

logger = logging.getLogger(__name__)

COLUMNS: tuple[str, ...] = ("geography", "tier", "area_code", "area_name", "lsoa_code", "share")
"""Columns of the canonical membership table."""

_LSOA_FIELDS = ("lsoa_code", "LSOA11CD", "LSOA21CD", "lsoa11_code", "lsoa21_code")
_WIDE_CODE = re.compile(r"^(?P<tier>[a-z0-9_]+)_code$")
_NOT_TIERS = {"lsoa", "lsoa11", "lsoa21", "area"}
_TIER_ALIASES = {"lad": CITY.key}
"""Wide ``lad_code`` / ``lad_name`` columns are the ``city`` tier (the whole authority)."""


def _geography(df: pd.DataFrame, *, source: str) -> pd.Series:
    """LSOA geography of each row, from ``geography``, ``lsoa_geography`` or ``vintage``."""
    for col in ("geography", "lsoa_geography"):
        if col in df.columns:
            return df[col].astype("string")
    if "vintage" in df.columns:
        vintages = pd.to_numeric(df["vintage"], errors="coerce")
        unknown = sorted(set(vintages.dropna().astype(int)) - set(VINTAGES))
        if unknown or vintages.isna().any():
            msg = f"{source}: field 'vintage' has unknown value(s) {show(unknown or ['(empty)'])}"
            raise JoinError(msg)
        return vintages.astype(int).map(lambda v: VINTAGES[v].lsoa_geography).astype("string")
    lsoa_cols = [c for c in ("LSOA11CD", "LSOA21CD") if c in df.columns]
    if len(lsoa_cols) == 1:
        return pd.Series(lsoa_cols[0][:6], index=df.index, dtype="string")
    msg = f"{source}: no 'geography' (LSOA11/LSOA21) or 'vintage' column to tell LSOA geographies apart"
    raise JoinError(msg)


def _wide_tiers(columns: Iterable[str]) -> dict[str, tuple[str, str | None, str | None]]:
    """Tier → (code column, name column, share column) found in a wide table's columns."""
    cols = list(columns)
    tiers: dict[str, tuple[str, str | None, str | None]] = {}
    for col in cols:
        m = _WIDE_CODE.match(col)
        if not m or m["tier"] in _NOT_TIERS:
            continue
        stem = m["tier"]
        name = next((c for c in (f"{stem}_name", stem) if c in cols), None)
        share = f"{stem}_share" if f"{stem}_share" in cols else None
        if name is None and share is None:
            continue  # a code without a name or share column is an attribute, not a tier
        tiers[_TIER_ALIASES.get(stem, stem)] = (col, name, share)
    return tiers


def _wide_to_long(df: pd.DataFrame, lsoa_col: str, *, source: str) -> pd.DataFrame:
    tiers = _wide_tiers(df.columns)
    if not tiers:
        msg = (f"{source}: no tier columns: expected 'tier'/'area_code' or '<tier>_code' with "
               f"'<tier>_name' (or '<tier>') columns")  # fmt: skip
        raise JoinError(msg)
    frames = []
    for tier, (code_col, name_col, share_col) in tiers.items():
        codes = df[code_col].astype("string")
        part = pd.DataFrame({
            "geography": df["geography"], "tier": tier, "area_code": codes,
            "area_name": df[name_col].astype("string") if name_col else _names_of_lsoa_areas(df, lsoa_col, codes),
            "lsoa_code": df[lsoa_col],
            "share": pd.to_numeric(df[share_col]) if share_col else 1.0,
        }).dropna(subset=["area_code"])  # fmt: skip
        part = part.loc[part["area_code"].str.strip() != ""]
        frames.append(_split_joined(part, source=source))
    return pd.concat(frames, ignore_index=True)


def _names_of_lsoa_areas(df: pd.DataFrame, lsoa_col: str, codes: pd.Series) -> pd.Series:
    """Name areas of a tier without a name column.

    An area coded like an LSOA (a neighbourhood made of one LSOA) takes that LSOA's
    ``local_name``; any other area its code.
    """
    if "local_name" not in df.columns:
        return codes
    local = df["local_name"].astype("string")
    named = pd.DataFrame({"lsoa": df[lsoa_col].astype("string"), "name": local}).dropna()
    names = named.drop_duplicates("lsoa").set_index("lsoa")["name"]
    return codes.map(names).astype("string").fillna(codes)


def _split_joined(part: pd.DataFrame, *, source: str) -> pd.DataFrame:
    """Rows whose ``area_code`` joins several codes (``a;b``) become one row per code.

    The wide table gives only the LSOA's total share, so it is divided equally (logged).
    """
    joined = part["area_code"].str.contains(";", regex=False)
    if not joined.any():
        return part
    logger.warning("%s: tier %s: LSOA(s) %s in several areas; their share is divided equally",
                   source, part["tier"].iloc[0], show(part.loc[joined, "lsoa_code"]))  # fmt: skip
    split = part.loc[joined].assign(area_code=part.loc[joined, "area_code"].str.split(";"))
    split = split.explode("area_code")
    split["share"] = split["share"] / split.groupby(level=0)["area_code"].transform("size")
    split["area_name"] = split["area_code"]
    return pd.concat([part.loc[~joined], split], ignore_index=True)


def normalise_membership(
    df: pd.DataFrame, *, source: str, partition_tiers: Iterable[str] = ()
) -> pd.DataFrame:
    """Canonical long membership table (:data:`COLUMNS`) from a long or wide table, checked.

    Raises:
        JoinError: naming ``source`` when a column is missing, a geography is unknown, an
            LSOA sits twice in one tier (or two vintages of one geography disagree), a share
            is outside (0, 1], or a partitioning tier leaves an LSOA of the authority out.

    """
    lsoa_col = next((c for c in _LSOA_FIELDS if c in df.columns), None)
    if lsoa_col is None:
        msg = f"{source}: no LSOA code column; expected one of {', '.join(_LSOA_FIELDS)}"
        raise JoinError(msg)
    df = df.assign(geography=_geography(df, source=source))
    if {"tier", "area_code"} <= set(df.columns):
        long = pd.DataFrame({
            "geography": df["geography"], "tier": df["tier"], "area_code": df["area_code"],
            "area_name": df["area_name"] if "area_name" in df.columns else df["area_code"],
            "lsoa_code": df[lsoa_col], "share": df["share"] if "share" in df.columns else 1.0,
        })  # fmt: skip
    else:
        long = _wide_to_long(df, lsoa_col, source=source)
    require_columns(long, COLUMNS, source=source)
    long = long.astype({"geography": "string", "tier": "string", "area_code": "string",
                        "area_name": "string", "lsoa_code": "string", "share": "float64"})  # fmt: skip
    long = long.drop_duplicates(ignore_index=True)  # vintages sharing a geography repeat rows
    _check(long, source=source, partition_tiers=tuple(partition_tiers))
    counts = long.groupby(["geography", "tier"])["area_code"].nunique().reset_index()
    logger.info(
        "%s: membership of %s",
        source,
        "; ".join(f"{g} {t}: {n} areas" for g, t, n in
                  zip(counts["geography"], counts["tier"], counts["area_code"], strict=True)),
    )  # fmt: skip
    return long.sort_values(["geography", "tier", "area_code", "lsoa_code"], ignore_index=True)


def _check(long: pd.DataFrame, *, source: str, partition_tiers: tuple[str, ...]) -> None:
    unknown = ~long["geography"].isin(LSOA_GEOGRAPHIES)
    if unknown.any():
        msg = f"{source}: field 'geography' must be LSOA11 or LSOA21; got {show(long.loc[unknown, 'geography'])}"
        raise JoinError(msg)
    bad_share = ~((long["share"] > 0) & (long["share"] <= 1))
    if bad_share.any():
        msg = f"{source}: field 'share' outside (0, 1] for LSOA(s) {show(long.loc[bad_share, 'lsoa_code'])}"
        raise JoinError(msg)
    whole = long.loc[long["share"] == 1]
    dup = whole.duplicated(["geography", "tier", "lsoa_code"], keep=False)
    if dup.any():
        rows = (
            whole.loc[dup]
            .groupby(["geography", "tier", "lsoa_code"])["area_code"]
            .agg(lambda s: "/".join(sorted(s)))
            .reset_index()
        )
        shown = show(f"{r[0]} {r[1]} {r[2]} in {r[3]}" for r in rows.itertuples(index=False))
        msg = f"{source}: LSOA(s) in more than one area of a tier: {shown}"
        raise JoinError(msg)
    for geography, part in long.groupby("geography"):
        everyone = set(part["lsoa_code"])
        for tier in partition_tiers:
            members = part.loc[part["tier"] == tier]
            if members.empty:
                msg = f"{source}: no {geography} rows for tier {tier!r}"
                raise JoinError(msg)
            covered = members.groupby("lsoa_code")["share"].sum()
            left_out = sorted(everyone - set(covered.index))
            if left_out:
                msg = f"{source}: tier {tier!r} ({geography}) leaves out LSOA(s) {show(left_out)}"
                raise JoinError(msg)
            partial = covered.index[(covered - 1).abs() > 1e-9]
            if len(partial):
                msg = f"{source}: tier {tier!r} ({geography}) shares do not add to 1 for {show(partial)}"
                raise JoinError(msg)


def add_authority_tier(
    membership: pd.DataFrame, *, code: str, name: str, tier: str = CITY.key
) -> pd.DataFrame:
    """Add a tier holding one area, the whole authority (every LSOA), unless ``tier`` exists."""
    if (membership["tier"] == tier).any():
        return membership
    lsoas = membership[["geography", "lsoa_code"]].drop_duplicates()
    whole = lsoas.assign(tier=tier, area_code=code, area_name=name, share=1.0)
    out = pd.concat([membership, whole.loc[:, list(COLUMNS)]], ignore_index=True)
    return out.astype({c: "string" for c in COLUMNS if c != "share"})


def read_membership(path: Path | str, *, partition_tiers: Iterable[str] = ()) -> pd.DataFrame:
    """Read a membership CSV (long or wide) as the canonical, checked long table."""
    df = read_csv(path, dtype={c: "string" for c in ("lsoa_code", "area_code", "tier")})
    return normalise_membership(df, source=str(path), partition_tiers=partition_tiers)


def from_drawn_fit(fit: pd.DataFrame, *, source: str) -> pd.DataFrame:
    """Canonical membership of the drawn neighbourhoods from their fit table.

    Each LSOA counts with ``share_used``, the share its population was apportioned by
    (postcode points inside the drawn boundary, or area), so indicators follow the same
    apportionment as population. Releases on one LSOA geography give the same shares;
    differing ones are an error.

    Raises:
        JoinError: a missing column, or two releases on one geography disagreeing.

    """
    need = ["vintage", "area_code", "area_name", "lsoa_code", "share_used"]
    require_columns(fit, need, source=source)
    rows = fit.loc[pd.to_numeric(fit["share_used"]) > 0, need].copy()
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "share" else "string")
                             for c in COLUMNS})  # fmt: skip
    rows["geography"] = rows["vintage"].astype(int).map(lambda v: VINTAGES[v].lsoa_geography)
    rows["share"] = pd.to_numeric(rows["share_used"]).clip(upper=1.0)
    spread = rows.groupby(["geography", "area_code", "lsoa_code"])["share"].agg(["min", "max"])
    differ = spread.index[(spread["max"] - spread["min"]) > 1e-9]
    if len(differ):
        msg = f"{source}: releases on one LSOA geography give different shares for {show(f'{a}/{b}/{c}' for a, b, c in differ)}"
        raise JoinError(msg)
    rows = rows.drop_duplicates(["geography", "area_code", "lsoa_code"])
    out = rows.assign(tier=DRAWN_NEIGHBOURHOOD.key).loc[:, list(COLUMNS)]
    return out.astype({c: "string" for c in COLUMNS if c != "share"})


def from_tier_tables(
    members: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    partition_tiers: Iterable[str],
    source: str = "tier_members",
    drawn: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Build the canonical long table from the pipeline's ``tier_members`` and ``tier_areas``.

    This is the one machine interface of membership: shares are the real ones (an LSOA
    shared by two areas keeps its population shares), names come from the areas table.

    ``drawn`` (:func:`from_drawn_fit`) adds the drawn neighbourhoods with their apportioned
    LSOA shares.

    Raises:
        JoinError: a member's area is not in the areas table; a check of
            :func:`normalise_membership` fails (each named).

    """
    names = areas.assign(area_code=areas["area_code"].astype(str)).set_index(["tier", "area_code"])
    # Indicators are on LSOA 2011 and 2021 (LSOA_GEOGRAPHIES); the members carried to LSOA
    # 2001 for the IMD 2004–2010 tiers are not indicator geographies.
    members = members.loc[members["lsoa_year"].map(lsoa_geography).isin(LSOA_GEOGRAPHIES)]
    long = pd.DataFrame({
        "geography": members["lsoa_year"].map(lsoa_geography),
        "tier": members["tier"].astype(str),
        "area_code": members["area_code"].astype(str),
        "lsoa_code": members["lsoa_code"].astype(str),
        "share": members["share"].astype(float),
    })  # fmt: skip
    keys = pd.MultiIndex.from_frame(long[["tier", "area_code"]])
    long["area_name"] = names["area_name"].reindex(keys).to_numpy()
    unknown = long.loc[long["area_name"].isna(), ["tier", "area_code"]].drop_duplicates()
    if not unknown.empty:
        msg = f"{source}: area(s) missing from tier_areas: {show(f'{t} {a}' for t, a in unknown.itertuples(index=False))}"
        raise JoinError(msg)
    out = normalise_membership(long.loc[:, list(COLUMNS)], source=source,
                               partition_tiers=partition_tiers)  # fmt: skip
    if drawn is None or drawn.empty:
        return out
    # drawn neighbourhoods may overlap one another, so they skip the one-area-per-LSOA check
    return pd.concat([out.loc[out["tier"] != DRAWN_NEIGHBOURHOOD.key], drawn], ignore_index=True)
