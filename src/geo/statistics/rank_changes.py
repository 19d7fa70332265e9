"""How the authority's most deprived LSOAs moved between two IoD releases, LSOA by LSOA.

One row per link between an LSOA of the earlier release and an LSOA of the later one, for
every link where either end is in the national most deprived 1% (configurable) of its
release. Releases on the same LSOAs (IoD2015 → IoD2019) link each LSOA to itself. Across
the 2011 → 2021 LSOA change (IoD2019 → IoD2025) the ONS lookup links them: **U** unchanged,
**S** split (each part compared with the whole 2011 LSOA, so a split LSOA gives one row per
part), **M** merged (each 2011 LSOA compared with the merged one), **X** irregular (kept and
flagged). No LSOA is dropped: a part missing from either IMD table is an error.

Columns (:data:`RANK_CHANGE_COLUMNS`):

``lsoa_code``
    LSOA of the later release's geography (the one to map).
``lsoa_code_from``
    LSOA of the earlier release's geography (equal to ``lsoa_code`` when unchanged).
``local_name``
    Local name of the earlier LSOA (else of the later one); empty when it has none.
``ward_code``, ``ward_name``
    Best-fit ward of ``lsoa_code`` (:mod:`geo.geography.wards`).
``vintage_from``, ``vintage_to``, ``rank_from``, ``rank_to``
    The releases and the published national IMD ranks (1 = most deprived).
``rank_change``
    ``rank_to − rank_from``: negative = ranked relatively more deprived than before. The
    two releases rank different numbers of LSOAs across the 2021 change (32,844 and 33,755),
    so compare ``percentile_from`` and ``percentile_to`` (national, ``ceil(100 rank / N)``)
    too.
``status``
    ``remained`` (in the 1% in both), ``moved_in`` (only in the later), ``moved_out``
    (only in the earlier).
``status_text``, ``relative_change``
    The same in words, always relative to other LSOAs ("moved into the most deprived 1% of
    LSOAs in England"): a rank says how an area compares, not whether its deprivation rose.
``change_type``, ``change_note``
    ONS change code (U/S/M/X; U for releases on the same LSOAs) and what it means here.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from geo.core.checks import require_columns, show
from geo.core.errors import GeoInputError
from geo.geography.crosswalk import CHANGE_CODES, link_lsoas
from geo.model.releases import VINTAGES

logger = logging.getLogger(__name__)

RANK_CHANGE_COLUMNS = (
    "lsoa_code", "lsoa_code_from", "local_name", "ward_code", "ward_name",
    "vintage_from", "vintage_to", "rank_from", "rank_to", "rank_change",
    "percentile_from", "percentile_to", "status", "status_text", "relative_change",
    "change_type", "change_note",
)  # fmt: skip
STATUSES = ("remained", "moved_in", "moved_out")


def _ranks(links: pd.DataFrame, table: pd.DataFrame, *, col: str, vintage: int) -> pd.Series:
    """National IMD rank of each link's ``col`` LSOA; an error names any LSOA not ranked."""
    require_columns(table, ["lsoa_code", "imd_rank"], source=f"IoD{vintage} table")
    rank = links[col].map(table.set_index("lsoa_code")["imd_rank"])
    if rank.isna().any():
        bad = links.loc[rank.isna()]
        cases = [
            f"{r.lsoa_code_from} → {r.lsoa_code} ({r.change_type})"
            for r in bad.itertuples(index=False)
        ]
        msg = (
            f"IoD{vintage} table has no IMD rank for {show(bad[col])}; needed for the "
            f"link(s) {show(cases)}"
        )
        raise GeoInputError(msg)
    return rank.astype("int64")


def _note(
    row: pd.Series,
    *,
    same_geography: bool,
    merged: pd.Series,
    years: tuple[int, int] = (2011, 2021),
) -> str:
    kind = row["change_type"]
    before, after = years
    if same_geography:
        return "same LSOA in both releases"
    if kind == "U":
        return f"LSOA unchanged in {after}"
    if kind == "S":
        return f"{row['lsoa_code_from']} was split in {after}; this part is compared with the whole {before} LSOA"
    if kind == "M":
        return (f"{' and '.join(merged[row['lsoa_code']])} were merged into {row['lsoa_code']} in "
                f"{after}; the merged LSOA is compared with each")  # fmt: skip
    return f"irregular boundary change between {row['lsoa_code_from']} and {row['lsoa_code']}; compare with care"


def build_rank_changes(
    table_from: pd.DataFrame,
    table_to: pd.DataFrame,
    *,
    vintage_from: int,
    vintage_to: int,
    membership: pd.DataFrame,
    crosswalk: pd.DataFrame | None = None,
    percent: float = 1,
) -> pd.DataFrame:
    """Rank changes of the authority's LSOAs in the national ``percent``% of either release.

    Args:
        table_from: National table of the earlier release (``lsoa_code, imd_rank``).
        table_to: National table of the later release.
        vintage_from: Earlier IoD vintage.
        vintage_to: Later IoD vintage.
        membership: The authority's LSOAs (:data:`geo.geography.membership.MEMBERSHIP_COLUMNS`; uses
            ``lsoa_geography, lsoa_code, ward_code, ward_name, local_name``).
        crosswalk: LSOA 2011 ↔ 2021 crosswalk (:mod:`geo.geography.crosswalk`) across the
            2021 change; the LSOA 2001 → 2011 links (:mod:`geo.geography.lsoa01`) from IoD2010
            to IoD2015.
        percent: National threshold, e.g. 1 for the most deprived 1% (rank ≤ ⌊N/100⌋).

    Returns:
        :data:`RANK_CHANGE_COLUMNS`, sorted by status, then later rank.

    Raises:
        GeoInputError: an LSOA (or a part of a split, merged or irregular one) is missing from
            either IMD table or from the crosswalk (named).

    """
    v_from, v_to = VINTAGES[vintage_from], VINTAGES[vintage_to]
    geo = membership.set_index(["lsoa_geography", "lsoa_code"])
    g_from, g_to = v_from.lsoa_geography, v_to.lsoa_geography
    same = g_from == g_to
    links = link_lsoas(
        membership.loc[membership["lsoa_geography"] == g_from, "lsoa_code"],
        membership.loc[membership["lsoa_geography"] == g_to, "lsoa_code"],
        crosswalk,
        year_from=v_from.lsoa_year,
        year_to=v_to.lsoa_year,
        source=f"LSOA {v_from.lsoa_year} → {v_to.lsoa_year} crosswalk",
    ).rename(columns={"change_code": "change_type"})
    links["rank_from"] = _ranks(links, table_from, col="lsoa_code_from", vintage=vintage_from)
    links["rank_to"] = _ranks(links, table_to, col="lsoa_code", vintage=vintage_to)
    in_from = links["rank_from"] <= v_from.threshold_rank(percent)
    in_to = links["rank_to"] <= v_to.threshold_rank(percent)
    out = links.loc[in_from | in_to].copy()
    out["status"] = np.select(
        [in_from[out.index] & in_to[out.index], in_to[out.index]],
        ["remained", "moved_in"],
        "moved_out",
    )
    top = f"the most deprived {percent:g}% of LSOAs in England"
    out["status_text"] = out["status"].map({
        "remained": f"remained in {top}", "moved_in": f"moved into {top}", "moved_out": f"moved out of {top}",
    })  # fmt: skip
    out["rank_change"] = out["rank_to"] - out["rank_from"]
    out["relative_change"] = [
        "same national rank" if d == 0
        else f"moved {abs(d):,} places towards the {'most' if d < 0 else 'least'} deprived end of the national ranking"
        for d in out["rank_change"]
    ]  # fmt: skip
    out["percentile_from"] = v_from.percentile(out["rank_from"].to_numpy()).astype("int64")
    out["percentile_to"] = v_to.percentile(out["rank_to"].to_numpy()).astype("int64")
    out["vintage_from"], out["vintage_to"] = vintage_from, vintage_to
    merged = links.groupby("lsoa_code")["lsoa_code_from"].agg(sorted)
    years = (v_from.lsoa_year, v_to.lsoa_year)
    out["change_note"] = [
        _note(r, same_geography=same, merged=merged, years=years) for _, r in out.iterrows()
    ]
    to_keys = pd.MultiIndex.from_arrays([[g_to] * len(out), out["lsoa_code"]])
    from_keys = pd.MultiIndex.from_arrays([[g_from] * len(out), out["lsoa_code_from"]])
    for col in ("ward_code", "ward_name"):
        out[col] = geo[col].reindex(to_keys).to_numpy()
    name_from = geo["local_name"].reindex(from_keys).to_numpy()
    name_to = geo["local_name"].reindex(to_keys).to_numpy()
    out["local_name"] = pd.Series(name_from, index=out.index).fillna(
        pd.Series(name_to, index=out.index)
    )
    out = out.assign(_s=out["status"].map({s: i for i, s in enumerate(STATUSES)}))
    out = out.sort_values(["_s", "rank_to", "lsoa_code_from"], ignore_index=True)
    counts = out["status"].value_counts().reindex(list(STATUSES), fill_value=0)
    kinds = out["change_type"].value_counts().reindex(list(CHANGE_CODES), fill_value=0)
    logger.info(
        "IoD%d → IoD%d: %d rows (%s; change types %s); %d in the %g%% before, %d after",
        vintage_from, vintage_to, len(out), ", ".join(f"{k} {v}" for k, v in counts.items()),
        ", ".join(f"{k} {v}" for k, v in kinds.items()), int(in_from.sum()), percent, int(in_to.sum()),
    )  # fmt: skip
    return out.loc[:, list(RANK_CHANGE_COLUMNS)]
