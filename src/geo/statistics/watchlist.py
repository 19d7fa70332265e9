"""Watchlist: LSOAs near the national thresholds, LSOAs whose rank worsened, areas that moved.

Three rules, each configurable (config key ``watchlist``):

Near a national threshold (kind ``near_national_<p>pct``)
    For each configured vintage and threshold ``p`` (config ``thresholds``), the threshold
    rank is ``T = floor(N × p / 100)`` (328 or 3,284 of N = 32,844; 337 or 3,375 of
    33,755). An LSOA with IMD rank ``r`` is listed when ``|r − T| <= m``, ``m`` being
    ``threshold_margin_ranks[<threshold key>]``: the ``m + 1`` ranks ``T − m … T`` inside
    the threshold and the ``m`` ranks ``T + 1 … T + m`` outside it.
Rank worsened (kind ``rank_worsened``)
    Between consecutive configured vintages, an LSOA is listed when its rank moved towards
    rank 1 by more than ``rank_worsened_by`` ranks. The earlier rank is first put on the
    later release's scale (``r × N_later / N_earlier``; exact for 2015 → 2019, where N is
    the same). Across the 2021 LSOA changes (2019 → 2025) the LSOA 2011 → 2021 lookup links
    them, using only links whose change code is in ``change_codes``: **U** (unchanged) and
    **S** (split: each 2021 part is compared with the rank of the 2011 LSOA it came from)
    directly; **M** (merged) and **X** (irregular) against the most deprived linked 2011
    LSOA, so that a merged LSOA is listed only if it ranks worse than every one of its
    parts did.
Area moved (kind ``area_moved``)
    For each tier in ``tiers`` (summaries ``data/processed/summaries/<tier>.csv``), each
    summary measure in ``area_measures`` and each pair of consecutive vintages, the
    ``top_areas`` areas that moved furthest towards the more deprived end (ties included;
    only areas that moved that way). Shares (``*_proportion_10pct``, ``*_extent``) are
    compared in percentage points; reversed average ranks (``*_average_rank``,
    ``*_local_concentration``, higher = more deprived) on the later release's scale.

All text is relative ("nearer the most deprived end, relative to all LSOAs in England"):
the IMD ranks areas; it does not measure how much deprivation rose or fell.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo.core.checks import require_columns, show
from geo.core.errors import GeoInputError
from geo.core.io import read_csv
from geo.geography.crosswalk import link_lsoas
from geo.model.domains import INDICES, rank_col
from geo.model.releases import VINTAGES, Vintage
from geo.model.tiers import WARD

logger = logging.getLogger(__name__)

COLUMNS: tuple[str, ...] = (
    "kind", "tier", "code", "name", "local_name", "ward_code", "ward_name", "measure",
    "vintage_from", "vintage", "value_from", "value", "change", "threshold_rank",
    "compared_with", "reason",
)  # fmt: skip
"""Columns of ``watchlist.csv``, one row per item."""

SHARE_SUFFIXES = ("_proportion_10pct", "_extent")
RANK_SUFFIXES = ("_average_rank", "_local_concentration")
_LABELS = {idx.stem: idx.short for idx in INDICES}
_MEASURE_WORDS = {
    "proportion_10pct": "share of LSOAs in the national most deprived 10%",
    "extent": "extent (weighted share of residents in the most deprived 30% of LSOAs nationally)",
    "average_rank": "population-weighted average rank (reversed: higher = more deprived)",
    "local_concentration": "local concentration (reversed rank: higher = more deprived)",
}


@dataclass(frozen=True)
class WatchlistRules:
    """The configurable parts of the rules (see the module docstring)."""

    threshold_margin_ranks: Mapping[str, int]
    rank_worsened_by: int
    change_codes: tuple[str, ...] = ("U", "S", "M")
    indices: tuple[str, ...] = ("imd",)
    tiers: tuple[str, ...] = ()
    """Tiers whose areas are watched (config ``watchlist.tiers``)."""
    area_measures: tuple[str, ...] = ("imd_proportion_10pct", "imd_extent")
    top_areas: int = 3
    thresholds: Mapping[str, float] = field(
        default_factory=lambda: {"most_deprived_1pct": 1, "most_deprived_10pct": 10}
    )

    @classmethod
    def from_config(
        cls, watchlist: Mapping[str, Any], thresholds: Mapping[str, float]
    ) -> WatchlistRules:
        """Rules from the ``watchlist`` and ``thresholds`` config sections, checked."""
        margins = dict(watchlist["threshold_margin_ranks"])
        unknown = sorted(set(margins) - set(thresholds))
        if unknown:
            msg = (f"config watchlist.threshold_margin_ranks: {unknown} are not thresholds "
                   f"(config thresholds has {sorted(thresholds)})")  # fmt: skip
            raise GeoInputError(msg)
        bad = [
            m for m in watchlist["area_measures"] if not m.endswith(SHARE_SUFFIXES + RANK_SUFFIXES)
        ]
        if bad:
            msg = f"config watchlist.area_measures: {bad} are not comparable across vintages"
            raise GeoInputError(msg)
        stems = {d.stem for d in INDICES}
        bad = [i for i in watchlist["indices"] if i not in stems]
        if bad:
            msg = f"config watchlist.indices: {bad} are not index stems ({sorted(stems)})"
            raise GeoInputError(msg)
        return cls(
            threshold_margin_ranks={k: int(v) for k, v in margins.items()},
            rank_worsened_by=int(watchlist["rank_worsened_by"]),
            change_codes=tuple(watchlist["change_codes"]),
            indices=tuple(watchlist["indices"]),
            tiers=tuple(watchlist["tiers"]),
            area_measures=tuple(watchlist["area_measures"]),
            top_areas=int(watchlist["top_areas"]),
            thresholds=dict(thresholds),
        )


def _n(value: float) -> str:
    return f"{value:,.0f}"


def _pct_label(percent: float) -> str:
    return f"{percent:g}%"


# --- near a national threshold ----------------------------------------------------------


def near_thresholds(
    layer: pd.DataFrame, *, vintage: int, rules: WatchlistRules, source: str
) -> pd.DataFrame:
    """LSOAs of ``layer`` within the margin of each national threshold (IMD rank)."""
    require_columns(layer, ["lsoa_code", "lsoa_name", "imd_rank"], source=source)
    v = VINTAGES[vintage]
    rows = []
    for key, margin in rules.threshold_margin_ranks.items():
        percent = rules.thresholds[key]
        t = v.threshold_rank(percent)
        rank = pd.to_numeric(layer["imd_rank"])
        hit = layer.loc[(rank - t).abs() <= margin]
        for code, name, rank_i in zip(
            hit["lsoa_code"], hit["lsoa_name"], hit["imd_rank"].astype(int), strict=True
        ):
            side = "inside" if rank_i <= t else "outside"
            distance = abs(rank_i - t)
            where = ("at its threshold rank" if distance == 0
                     else f"{_n(distance)} rank{'s' if distance > 1 else ''} from its threshold")  # fmt: skip
            rows.append({
                "kind": f"near_national_{percent:g}pct", "tier": "lsoa", "code": code,
                "name": name, "measure": "imd_rank", "vintage": vintage,
                "value": rank_i, "threshold_rank": t,
                "reason": (f"IoD{vintage} IMD rank {_n(rank_i)} of {_n(v.n_national)}: {side} the "
                           f"national most deprived {_pct_label(percent)} (ranks 1–{_n(t)}), "
                           f"{where} (margin {_n(margin)} ranks)"),
            })  # fmt: skip
    return pd.DataFrame(rows)


# --- rank worsened ------------------------------------------------------------------------


def _compared_links(
    before: pd.Series,
    after: pd.Series,
    lookup: pd.DataFrame | None,
    *,
    years: tuple[int, int],
    change_codes: Sequence[str],
    source: str,
) -> pd.DataFrame:
    """Links (``code_before, code_after, change_code``) between two LSOA code sets.

    The same LSOA on one geography (change code ``U``, always compared); across the 2021
    change the links of the LSOA 2011 → 2021 ``lookup`` with both ends in the authority
    (:func:`geo.geography.crosswalk.link_lsoas`), keeping those whose change code is in
    ``change_codes``.
    """
    links = link_lsoas(before, after, lookup, year_from=years[0], year_to=years[1],
                       both_ends=True, source=source)  # fmt: skip
    compared = links["change_code"].isin(change_codes) | (years[0] == years[1])
    if not compared.all():
        dropped = links.loc[~compared, "change_code"]
        logger.info("%s: %d link(s) with change code(s) %s not compared (config change_codes %s)",
                    source, len(dropped), show(dropped), list(change_codes))  # fmt: skip
    return (
        links.loc[compared]
        .rename(columns={"lsoa_code_from": "code_before", "lsoa_code": "code_after"})
        .reset_index(drop=True)
    )


def _link_note(change: str, parents: list[tuple[str, int]], n_before: int) -> str:
    if change == "U":
        return ""
    if change == "S":
        return f"; LSOA 2021 split from {parents[0][0]} (compared with its rank)"
    listed = ", ".join(f"{c} (rank {_n(r)} of {_n(n_before)})" for c, r in parents)
    word = "merged from" if change == "M" else "irregularly linked to"
    return f"; {word} {listed}: compared with the most deprived"


def rank_worsened(
    before: pd.DataFrame,
    after: pd.DataFrame,
    *,
    vintages: tuple[int, int],
    lookup: pd.DataFrame | None,
    rules: WatchlistRules,
    source: str,
) -> pd.DataFrame:
    """LSOAs whose rank on each of ``rules.indices`` moved towards 1 by more than the margin."""
    vb, va = VINTAGES[vintages[0]], VINTAGES[vintages[1]]
    links = _compared_links(before["lsoa_code"], after["lsoa_code"], lookup,
                            years=(vb.lsoa_year, va.lsoa_year), change_codes=rules.change_codes,
                            source=source)  # fmt: skip
    names = after.set_index("lsoa_code")["lsoa_name"]
    rows = []
    for stem in rules.indices:
        col = rank_col(stem)
        rb = pd.to_numeric(before.set_index("lsoa_code")[col])
        ra = pd.to_numeric(after.set_index("lsoa_code")[col])
        linked = links.assign(rank_before=links["code_before"].map(rb)).dropna(
            subset=["rank_before"]
        )
        for code, group in linked.groupby("code_after", sort=True):
            if pd.isna(ra.get(code)):
                continue
            base = group.sort_values(["rank_before", "code_before"]).iloc[0]
            scaled = float(base["rank_before"]) * va.n_national / vb.n_national
            moved = scaled - float(ra[code])
            if moved <= rules.rank_worsened_by:
                continue
            parents = [
                (str(c), int(r))
                for c, r in zip(group["code_before"], group["rank_before"], strict=True)
            ]
            rows.append(_worsened_row(str(code), str(names[code]), stem, vb, va, base, int(ra[code]), moved,
                                      parents, rules))  # fmt: skip
    return pd.DataFrame(rows)


def _worsened_row(
    code: str,
    name: str,
    stem: str,
    vb: Vintage,
    va: Vintage,
    base: pd.Series,
    rank_after: int,
    moved: float,
    parents: list[tuple[str, int]],
    rules: WatchlistRules,
) -> dict[str, object]:
    change = str(base["change_code"])
    scale = (
        ""
        if vb.n_national == va.n_national
        else (f"; IoD{vb.year} rank rescaled to {_n(va.n_national)} LSOAs")
    )
    return {
        "kind": "rank_worsened", "tier": "lsoa", "code": code, "name": name,
        "measure": rank_col(stem), "vintage_from": vb.year, "vintage": va.year,
        "value_from": int(base["rank_before"]), "value": rank_after, "change": -round(moved),
        "compared_with": " ".join(c for c, _ in parents) if change != "U" else "",
        "reason": (f"{_LABELS[stem]} rank {_n(base['rank_before'])} of {_n(vb.n_national)} "
                   f"(IoD{vb.year}) → {_n(rank_after)} of {_n(va.n_national)} (IoD{va.year}): "
                   f"{_n(moved)} ranks nearer the most deprived end relative to all LSOAs in "
                   f"England, more than the {_n(rules.rank_worsened_by)} watched"
                   f"{scale}{_link_note(change, parents, vb.n_national)}"),
    }  # fmt: skip


# --- areas that moved ------------------------------------------------------------------


def _summary_frame(df: pd.DataFrame, tier: str, *, source: str) -> pd.DataFrame:
    """``vintage, code, name`` + measures from a tier summaries table."""
    code_col = next((c for c in ("area_code", f"{tier}_code", "code") if c in df.columns), None)
    name_col = next(
        (c for c in ("area_name", f"{tier}_name", tier, "name") if c in df.columns), None
    )
    if code_col is None or "vintage" not in df.columns:
        msg = f"{source}: need a 'vintage' column and an area code column ('area_code' or '{tier}_code')"
        raise GeoInputError(msg)
    out = df.rename(columns={code_col: "code"})
    out["name"] = df[name_col] if name_col else out["code"]
    return out


def _ordinal(n: int) -> str:
    """Return the ordinal prefix of a place: "" for 1 ("the largest"), else "2nd ", "3rd "."""
    if n == 1:
        return ""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix} "


def area_movers(
    summaries: Mapping[str, pd.DataFrame], *, vintages: Sequence[int], rules: WatchlistRules
) -> pd.DataFrame:
    """Areas of each tier whose summary measures moved furthest towards more deprived."""
    rows = []
    pairs = list(pairwise(sorted(vintages)))
    for tier in rules.tiers:
        if tier not in summaries:
            logger.warning("Watchlist: no summaries for tier %r; its areas are not watched", tier)
            continue
        df = _summary_frame(summaries[tier], tier, source=f"summaries/{tier}.csv")
        require_columns(df, rules.area_measures, source=f"summaries/{tier}.csv")
        for measure in rules.area_measures:
            for vb, va in pairs:
                rows += _movers(df, tier, measure, vb, va, rules)
    return pd.DataFrame(rows)


def _movers(
    df: pd.DataFrame, tier: str, measure: str, vb: int, va: int, rules: WatchlistRules
) -> list[dict[str, object]]:
    b = df.loc[df["vintage"] == vb].set_index("code")
    a = df.loc[df["vintage"] == va].set_index("code")
    common = b.index.intersection(a.index)
    if common.empty:
        return []
    share = measure.endswith(SHARE_SUFFIXES)
    scale = 1.0 if share else VINTAGES[va].n_national / VINTAGES[vb].n_national
    before = pd.to_numeric(b.loc[common, measure]) * scale
    after = pd.to_numeric(a.loc[common, measure])
    moved = (after - before).dropna()
    moved = moved[moved > 0]
    if moved.empty:
        return []
    top = moved.nlargest(rules.top_areas, keep="all")
    stem, words = measure.split("_", 1)
    label = f"{_LABELS.get(stem, stem)} {_MEASURE_WORDS[words]}"
    order = moved.rank(ascending=False, method="min")
    out = []
    for code, change in top.items():
        vb_raw, va_raw = float(b.loc[code, measure]), float(a.loc[code, measure])
        if share:
            values = f"{vb_raw:.1%} (IoD{vb}) → {va_raw:.1%} (IoD{va}), +{change * 100:.1f} points"
        else:
            values = (f"{_n(vb_raw)} of {_n(VINTAGES[vb].n_national)} (IoD{vb}) → {_n(va_raw)} of "
                      f"{_n(VINTAGES[va].n_national)} (IoD{va}), {_n(change)} places nearer the most "
                      f"deprived end on the IoD{va} scale")  # fmt: skip
        out.append({
            "kind": "area_moved", "tier": tier, "code": code, "name": a.loc[code, "name"],
            "measure": measure, "vintage_from": vb, "vintage": va, "value_from": vb_raw,
            "value": va_raw, "change": float(change),
            "reason": (f"{label}: {values}; the {_ordinal(int(order[code]))}largest move towards "
                       f"the more deprived end, relative to England, of the {len(common)} "
                       f"{tier.replace('_', ' ')}s"),
        })  # fmt: skip
    return out


# --- the whole list ------------------------------------------------------------------------


def build_watchlist(
    layers: Mapping[int, pd.DataFrame],
    *,
    rules: WatchlistRules,
    lookup: pd.DataFrame | None,
    summaries: Mapping[str, pd.DataFrame],
    wards: pd.DataFrame | None = None,
    local_names: pd.DataFrame | None = None,
    lsoa01_links: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Build the watchlist (:data:`COLUMNS`) from the authority's LSOA layers and tier summaries.

    Args:
        layers: IoD vintage → the authority's LSOA table (``lsoa_code``, ``lsoa_name``,
            ``<index>_rank``).
        rules: The rules.
        lookup: The authority's LSOA 2011 → 2021 crosswalk (:func:`geo.geography.crosswalk.build_crosswalk`)
            or the ONS lookup (``lsoa11_code, lsoa21_code, change_code``); needed when
            consecutive vintages are on different LSOA geographies.
        summaries: Tier name → its summaries table (one row per area and vintage).
        wards: ``geography, lsoa_code, ward_code, ward_name`` to name each LSOA's ward.
        local_names: ``lsoa_code, local_name`` (local names used in council reports).
        lsoa01_links: The LSOA 2001 → 2011 links (:func:`geo.geography.lsoa01.link_shares`);
            needed from a release on LSOA 2001 to one on LSOA 2011 (IoD2010 → IoD2015).

    """
    vintages = sorted(layers)
    parts = [
        near_thresholds(layers[v], vintage=v, rules=rules, source=f"IoD{v} LSOAs") for v in vintages
    ]
    for vb, va in pairwise(vintages):
        links = lsoa01_links if VINTAGES[vb].lsoa_year == 2001 else lookup
        parts.append(rank_worsened(layers[vb], layers[va], vintages=(vb, va), lookup=links, rules=rules,
                                   source=f"IoD{vb} → IoD{va}"))  # fmt: skip
    parts.append(area_movers(summaries, vintages=vintages, rules=rules))
    parts = [p for p in parts if not p.empty]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(COLUMNS))
    out = _add_wards(out, wards)
    if local_names is not None and not out.empty:
        names = local_names.drop_duplicates("lsoa_code").set_index("lsoa_code")["local_name"]
        out["local_name"] = out["code"].map(names).where(out["tier"] == "lsoa")
    out = out.reindex(columns=list(COLUMNS))
    for col in ("vintage_from", "vintage", "threshold_rank"):
        out[col] = out[col].astype("Int64")
    kinds = out.groupby("kind").size().to_dict() if not out.empty else {}
    logger.info("Watchlist: %d items %s", len(out), kinds)
    order = {"near": 0, "rank": 1, "area": 2}
    out["_order"] = out["kind"].str.split("_").str[0].map(order)
    return (out.sort_values(["_order", "kind", "vintage", "tier", "code", "measure"], ignore_index=True)
            .drop(columns="_order"))  # fmt: skip


def _add_wards(out: pd.DataFrame, wards: pd.DataFrame | None) -> pd.DataFrame:
    if out.empty:
        return out
    out = out.copy()
    out["ward_code"] = pd.Series(pd.NA, index=out.index, dtype="string")
    out["ward_name"] = pd.Series(pd.NA, index=out.index, dtype="string")
    is_ward = out["tier"] == WARD.key
    out.loc[is_ward, "ward_code"] = out.loc[is_ward, "code"]
    out.loc[is_ward, "ward_name"] = out.loc[is_ward, "name"]
    if wards is None:
        return out
    lsoa = out["tier"] == "lsoa"
    geography = out["vintage"].map(lambda v: VINTAGES[int(v)].lsoa_geography)
    key = pd.MultiIndex.from_arrays([geography[lsoa], out.loc[lsoa, "code"]])
    w = wards.drop_duplicates(["geography", "lsoa_code"]).set_index(["geography", "lsoa_code"])
    found = key.isin(w.index)
    if not found.all():
        logger.warning("Watchlist: no ward for %s", show(np.asarray(out.loc[lsoa, "code"])[~found]))
    idx = out.index[lsoa][found]
    out.loc[idx, "ward_code"] = w.loc[key[found], "ward_code"].to_numpy()
    out.loc[idx, "ward_name"] = w.loc[key[found], "ward_name"].to_numpy()
    return out


def lsoa_context(
    members: pd.DataFrame, membership_path: Path | str
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Each LSOA's ward (``geography, lsoa_code, ward_code, ward_name``) and local names.

    Wards come from the canonical long membership (``members``,
    :func:`geo.statistics.indicators.membership.from_tier_tables`), for LSOA 2001s from
    ``lsoa_membership.csv``; local names from the
    ``local_name`` column of ``lsoa_membership.csv`` when it has one (None otherwise).
    """
    raw = read_csv(membership_path, dtype=dict.fromkeys(("lsoa_code", "local_name"), "string"))
    wards = members.loc[
        members["tier"] == WARD.key, ["geography", "lsoa_code", "area_code", "area_name"]
    ]
    wards = wards.rename(columns={"area_code": "ward_code", "area_name": "ward_name"})
    # LSOA 2001s are not in the indicators' membership: their ward (the one holding most of
    # their people) comes from lsoa_membership.csv.
    if {"lsoa_geography", "ward_code", "ward_name"} <= set(raw.columns):
        rest = raw.loc[~raw["lsoa_geography"].isin(set(wards["geography"]))]
        rest = rest.rename(columns={"lsoa_geography": "geography"})
        wards = pd.concat([wards, rest.loc[:, list(wards.columns)]], ignore_index=True)
    if "local_name" not in raw.columns or "lsoa_code" not in raw.columns:
        return wards, None
    names = raw.loc[raw["local_name"].notna(), ["lsoa_code", "local_name"]].drop_duplicates(
        "lsoa_code"
    )
    return wards, names
