"""The ONS LSOA 2001 → 2011 lookup and the district of each 2001 LSOA.

IMD 2004, 2007 and 2010 are published on the 32,482 LSOAs of 2001. The ONS lookup
(``lookup_lsoa01_lsoa11``: ``LSOA01CD, LSOA01NM, LSOA11CD, LSOA11NM, CHGIND``) links each to
the 2011 LSOAs it became (U unchanged, S split, M merged, X irregular); the district of a
2001 LSOA is that of its 2011 LSOAs. The shares and shapes derived from the links are in
:mod:`geo.geography.lsoa01`.
"""

from __future__ import annotations

import pandas as pd

from geo.core.checks import require_columns, show
from geo.core.errors import GeoInputError, JoinError
from geo.core.io import read_csv

LOOKUP_COLUMNS = {
    "LSOA01CD": "lsoa01_code",
    "LSOA01NM": "lsoa01_name",
    "LSOA11CD": "lsoa11_code",
    "CHGIND": "change_code",
}
"""ONS lookup field → column of :func:`read_lsoa01_lookup`."""


def read_lsoa01_lookup(path: str, *, source: str | None = None) -> pd.DataFrame:
    """Read the ONS LSOA 2001 → 2011 lookup, England only (codes ``E01…``).

    Returns:
        ``lsoa01_code, lsoa01_name, lsoa11_code, change_code``, one row per link.

    Raises:
        GeoInputError: a field is missing or a change code is not U/S/M/X (named).
        JoinError: a link is repeated (named).

    """
    source = source or str(path)
    df = read_csv(path)
    require_columns(df, LOOKUP_COLUMNS, source=source)
    df = df.rename(columns=LOOKUP_COLUMNS).loc[:, list(LOOKUP_COLUMNS.values())]
    df = df.loc[df["lsoa01_code"].astype(str).str.startswith("E")].reset_index(drop=True)
    bad = df.loc[~df["change_code"].isin(["U", "S", "M", "X"])]
    if not bad.empty:
        pairs = [f"{a}→{b}: {c!r}" for a, b, c in bad[["lsoa01_code", "lsoa11_code", "change_code"]].itertuples(index=False)]  # fmt: skip
        msg = f"{source}: field 'CHGIND' must be one of U/S/M/X; got {show(pairs)}"
        raise GeoInputError(msg)
    dup = df.duplicated(["lsoa01_code", "lsoa11_code"], keep=False)
    if dup.any():
        pairs = [f"{a}→{b}" for a, b in df.loc[dup, ["lsoa01_code", "lsoa11_code"]].itertuples(index=False)]  # fmt: skip
        msg = f"{source}: repeated LSOA 2001 → 2011 link(s): {show(pairs)}"
        raise JoinError(msg)
    return df


def lsoa01_authorities(
    lookup: pd.DataFrame, districts: pd.DataFrame, *, source: str, districts_source: str
) -> pd.DataFrame:
    """Return the district of each 2001 LSOA, through its 2011 LSOAs.

    Args:
        lookup: From :func:`read_lsoa01_lookup`.
        districts: ``lsoa11_code, lad_code, lad_name`` for every English 2011 LSOA.
        source: Name of the lookup for messages.
        districts_source: Name of ``districts`` for messages.

    Returns:
        ``lsoa_code, lsoa_name, lad_code, lad_name``, one row per 2001 LSOA, sorted.

    Raises:
        JoinError: a linked 2011 LSOA has no district (named).
        GeoInputError: a 2001 LSOA links to 2011 LSOAs in two districts (named).

    """
    missing = sorted(set(lookup["lsoa11_code"]) - set(districts["lsoa11_code"]))
    if missing:
        msg = f"{source}: field 'LSOA11CD' has 2011 LSOA(s) not in {districts_source}: {show(missing)}"
        raise JoinError(msg)
    joined = lookup.merge(districts, on="lsoa11_code", how="left", validate="m:1")
    spans = joined.groupby("lsoa01_code")["lad_code"].nunique()
    if (spans > 1).any():
        msg = f"{source}: LSOA 2001(s) linked to 2011 LSOAs of more than one district: {show(spans.index[spans > 1])}"
        raise GeoInputError(msg)
    out = joined.drop_duplicates("lsoa01_code").rename(
        columns={"lsoa01_code": "lsoa_code", "lsoa01_name": "lsoa_name"}
    )
    return out.loc[:, ["lsoa_code", "lsoa_name", "lad_code", "lad_name"]].sort_values(
        "lsoa_code", ignore_index=True
    )
