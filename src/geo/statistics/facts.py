"""Facts: what changed between releases and where each area stands, as tables.

The stage between the statistics and the pages: the site and the profiles format and phrase
these tables and compute nothing of their own.

*LSOA changes* (:func:`lsoa_changes`, ``data/processed/facts/lsoa_changes.csv``)
    One row per LSOA of the later release of each pair of consecutive releases:
    ``vintage_from, vintage_to, lsoa_code, lsoa_code_from`` (the same LSOA, or its one 2011
    predecessor across the 2021 change: unchanged or split; empty for merged or irregular
    LSOAs, which are not compared one to one), ``change_code``, ``rank_from, rank_to,
    rank_change`` (later minus earlier: negative = ranked relatively more deprived) and
    ``move``: ``into_1pct``, ``into_10pct``, ``out_of_10pct``, ``out_of_1pct`` (crossing the
    configured national thresholds of each release) or empty.
*LSOA long run* (:func:`lsoa_long_run`, ``data/processed/facts/lsoa_long_run.csv``)
    Each LSOA's national IMD rank and decile in every release (``imd_rank_<v>``,
    ``imd_decile_<v>``), one row per chain of ONS links LSOA 2001 → 2011 → 2021 with both
    change codes; see :data:`RANKS_ARE_RELATIVE` for how to read it.
*Area ranks* (:func:`area_ranks`, ``data/processed/facts/area_ranks.csv``)
    Each area's rank within its tier by IMD average score in each release
    (``tier, area_code, vintage, imd_average_score, rank_in_tier, areas_ranked``; 1 = most
    deprived; ties share the better rank; tiers of one area are left out).
*What stands out* (:func:`area_standouts`, ``data/processed/facts/area_standouts.csv``)
    Each domain of each area set against the city's in each release (:class:`DomainGap`):
    ``tier, area_code, vintage, domain, area_share_10pct, city_share_10pct,
    share_gap_points`` (LSOAs in the domain's national 10%), ``area_average_rank,
    city_average_rank, average_rank_gap`` (reversed average ranks: larger = more deprived),
    ``more_deprived`` and ``order`` (1 = the domain on which the area is most deprived
    relative to the city).
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

import pandas as pd

from geo.geography.crosswalk import code_columns, single_parents
from geo.model.domains import DOMAINS, Domain
from geo.model.releases import VINTAGES, Thresholds
from geo.model.tiers import Build, TierRegistry

logger = logging.getLogger(__name__)

MoveKind = Literal["into_1pct", "into_10pct", "out_of_10pct", "out_of_1pct"]
MOVES: Final[tuple[MoveKind, ...]] = ("into_1pct", "into_10pct", "out_of_10pct", "out_of_1pct")
"""Kinds of threshold move, most deprived first."""

LSOA_CHANGE_COLUMNS: Final = (
    "vintage_from", "vintage_to", "lsoa_code", "lsoa_code_from", "change_code",
    "rank_from", "rank_to", "rank_change", "move",
)  # fmt: skip
AREA_RANK_COLUMNS: Final = (
    "tier", "area_code", "vintage", "imd_average_score", "rank_in_tier", "areas_ranked",
)  # fmt: skip


def classify_move(
    rank_from: int, rank_to: int, *, before: tuple[int, int], after: tuple[int, int]
) -> MoveKind | None:
    """Which national threshold an LSOA crossed between two releases, if any.

    Args:
        rank_from: National IMD rank in the earlier release.
        rank_to: In the later release.
        before: Largest ranks inside the 1% and 10% in the earlier release.
        after: In the later release.

    """
    t1b, t10b = before
    t1a, t10a = after
    if rank_to <= t1a and rank_from > t1b:
        return "into_1pct"
    if rank_to <= t10a < rank_from:
        return "into_10pct"
    if rank_from <= t10b and rank_to > t10a:
        return "out_of_10pct"
    if rank_from <= t1b and t1a < rank_to <= t10a:
        return "out_of_1pct"
    return None


def _pair(
    before: pd.DataFrame,
    after: pd.DataFrame,
    *,
    vintages: tuple[int, int],
    crosswalks: Mapping[int, pd.DataFrame] | None,
    thresholds: Thresholds,
) -> pd.DataFrame:
    a, b = vintages
    va, vb = VINTAGES[a], VINTAGES[b]
    codes = after["lsoa_code"].astype(str)
    if va.lsoa_year == vb.lsoa_year:
        parent = pd.Series(codes.to_numpy(), index=codes.to_numpy())
        change = pd.Series("U", index=codes.to_numpy())
    else:
        links = crosswalks.get(va.lsoa_year) if crosswalks else None
        years = (va.lsoa_year, vb.lsoa_year)
        parent = single_parents(links, years=years).reindex(codes.to_numpy())
        dst = code_columns(*years)[1]
        change = (
            links.drop_duplicates(dst).set_index(dst)["change_code"]
            if links is not None
            else pd.Series(dtype="string")
        ).reindex(codes.to_numpy())
    rank_before = before.set_index("lsoa_code")["imd_rank"]
    rank_after = after.set_index("lsoa_code")["imd_rank"]
    out = pd.DataFrame({
        "vintage_from": a, "vintage_to": b, "lsoa_code": codes.to_numpy(),
        "lsoa_code_from": parent.to_numpy(), "change_code": change.to_numpy(),
    })  # fmt: skip
    out["rank_from"] = out["lsoa_code_from"].map(rank_before).astype("Int64")
    out["rank_to"] = out["lsoa_code"].map(rank_after).astype("Int64")
    out["rank_change"] = (out["rank_to"] - out["rank_from"]).astype("Int64")
    t_before, t_after = va.thresholds(thresholds), vb.thresholds(thresholds)
    out["move"] = pd.Series(dtype="object", index=out.index)
    out["move"] = [
        None if pd.isna(f) or pd.isna(t) else classify_move(int(f), int(t), before=t_before, after=t_after)
        for f, t in zip(out["rank_from"], out["rank_to"], strict=True)
    ]  # fmt: skip
    out["move"] = out["move"].astype("object").where(out["move"].notna(), None)
    return out


def lsoa_changes(
    layers: Mapping[int, pd.DataFrame],
    *,
    crosswalk: pd.DataFrame | None,
    thresholds: Thresholds,
    lsoa01_links: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each LSOA's rank change and threshold move between consecutive releases (module doc).

    Args:
        layers: Release → the authority's LSOA table (``lsoa_code, imd_rank``).
        crosswalk: The authority's LSOA 2011 → 2021 crosswalk (needed across 2021).
        thresholds: The configured national thresholds.
        lsoa01_links: The LSOA 2001 → 2011 links (:func:`geo.geography.lsoa01.link_shares`;
            needed from IoD2010 to IoD2015).

    """
    vintages = sorted(layers)
    links = {2011: crosswalk, 2001: lsoa01_links}
    crosswalks = {y: t for y, t in links.items() if t is not None}
    frames = [
        _pair(layers[a], layers[b], vintages=(a, b), crosswalks=crosswalks, thresholds=thresholds)
        for a, b in itertools.pairwise(vintages)
    ]
    if not frames:
        return pd.DataFrame(columns=list(LSOA_CHANGE_COLUMNS))
    out = pd.concat(frames, ignore_index=True).loc[:, list(LSOA_CHANGE_COLUMNS)]
    moved = out["move"].value_counts().reindex(list(MOVES), fill_value=0)
    logger.info("LSOA changes: %d rows; moves %s", len(out),
                ", ".join(f"{k} {v}" for k, v in moved.items()))  # fmt: skip
    return out.sort_values(["vintage_to", "lsoa_code"], ignore_index=True)


LONG_RUN_KEYS: Final = (
    "lsoa01_code", "lsoa11_code", "lsoa21_code", "change_2001_2011", "change_2011_2021",
)  # fmt: skip
"""Identifying columns of :func:`lsoa_long_run`; then ``imd_rank_<v>`` and ``imd_decile_<v>``."""

RANKS_ARE_RELATIVE: Final = (
    "IMD ranks are relative: a rank says how an LSOA compares with the other LSOAs of England "
    "in that release, not whether its deprivation rose or fell. The indicators, their years "
    "and the LSOAs themselves (2001, 2011 and 2021 boundaries) changed between releases."
)
"""The caveat every long-series table and page carries."""


def lsoa_long_run(
    layers: Mapping[int, pd.DataFrame],
    *,
    crosswalk: pd.DataFrame | None,
    lsoa01_links: pd.DataFrame | None,
) -> pd.DataFrame:
    """Each LSOA's national IMD rank in every release, linked across the three geographies.

    One row per chain of ONS links ``LSOA 2001 → LSOA 2011 → LSOA 2021`` touching the
    authority: an unchanged LSOA is one row; a split, merged or irregular one gives a row
    per link (the change codes say which), so every LSOA of every geography appears at least
    once and none is dropped. A geography not built is left empty.

    Returns:
        :data:`LONG_RUN_KEYS`, then ``imd_rank_<v>`` and ``imd_decile_<v>`` per release.

    Raises:
        ValueError: a release on LSOA 2001 without ``lsoa01_links``, or on both 2011 and 2021
            without ``crosswalk``.

    """
    years = {VINTAGES[v].lsoa_year: v for v in sorted(layers)}
    codes = {y: sorted(layers[v]["lsoa_code"].astype(str)) for y, v in years.items()}
    if 2011 in codes:
        chain = pd.DataFrame({"lsoa11_code": codes[2011]})
    else:
        chain = pd.DataFrame({"lsoa11_code": pd.Series(dtype="object")})
    if 2001 in codes:
        if lsoa01_links is None:
            msg = "lsoa_long_run: releases on LSOA 2001 need the LSOA 2001 → 2011 links"
            raise ValueError(msg)
        l01 = lsoa01_links.loc[lsoa01_links["lsoa01_code"].isin(codes[2001]),
                               ["lsoa01_code", "lsoa11_code", "change_code"]]  # fmt: skip
        l01 = l01.rename(columns={"change_code": "change_2001_2011"})
        chain = chain.merge(l01, on="lsoa11_code", how="outer", validate="1:m")
    if 2021 in codes:
        if 2011 in codes:
            if crosswalk is None:
                msg = "lsoa_long_run: releases on LSOA 2011 and 2021 need the crosswalk"
                raise ValueError(msg)
            l21 = crosswalk.loc[:, ["lsoa11_code", "lsoa21_code", "change_code"]]
            l21 = l21.rename(columns={"change_code": "change_2011_2021"})
            chain = chain.merge(l21, on="lsoa11_code", how="outer", validate="m:m")
        else:
            chain = pd.DataFrame({"lsoa21_code": codes[2021]})
    for col in LONG_RUN_KEYS:
        if col not in chain:
            chain[col] = pd.NA
    out = chain.loc[:, list(LONG_RUN_KEYS)]
    for v in sorted(layers):
        col = f"lsoa{VINTAGES[v].lsoa_year % 100:02d}_code"
        table = layers[v].set_index(layers[v]["lsoa_code"].astype(str))
        out[f"imd_rank_{v}"] = out[col].map(table["imd_rank"]).astype("Int64")
        out[f"imd_decile_{v}"] = out[col].map(table["imd_decile"]).astype("Int64")
    out = out.sort_values(["lsoa11_code", "lsoa01_code", "lsoa21_code"], ignore_index=True)
    logger.info("LSOA long run: %d rows over %s", len(out),
                ", ".join(f"LSOA {y} {len(c)}" for y, c in sorted(codes.items())))  # fmt: skip
    return out


def area_ranks(summaries: Mapping[str, pd.DataFrame], *, tiers: TierRegistry) -> pd.DataFrame:
    """Each area's rank within its tier by IMD average score, per release (module doc)."""
    frames = []
    for tier, table in summaries.items():
        if tier not in tiers or tiers[tier].build is Build.AUTHORITY or table.empty:
            continue
        for vintage, rows in table.groupby("vintage", sort=True):
            scored = rows.loc[:, ["area_code", "imd_average_score"]].dropna()
            if len(scored) < 2:
                continue
            rank = scored["imd_average_score"].rank(ascending=False, method="min")
            frames.append(scored.assign(
                tier=tier, vintage=int(str(vintage)), rank_in_tier=rank.astype(int),
                areas_ranked=len(scored),
            ))  # fmt: skip
    if not frames:
        return pd.DataFrame(columns=list(AREA_RANK_COLUMNS))
    out = pd.concat(frames, ignore_index=True).loc[:, list(AREA_RANK_COLUMNS)]
    out["area_code"] = out["area_code"].astype(str)
    return out.sort_values(["tier", "vintage", "rank_in_tier", "area_code"], ignore_index=True)


SHARE_EPSILON = 0.05
"""Share gaps smaller than this many percentage points count as equal."""


def as_float(value: object) -> float | None:
    """Read a CSV cell as a float; None when it is empty, NaN or not a number."""
    if value is None:
        return None
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def _number(row: Mapping[str, object], key: str) -> float | None:
    return as_float(row.get(key))


@dataclass(frozen=True)
class DomainGap:
    """One domain of an area beside the city's, in one release."""

    domain: Domain
    vintage: int
    area_share: float | None
    """Share (0–1) of the area's LSOAs in the domain's national 10%."""
    city_share: float | None
    area_rank: float | None
    """Average rank, reversed: larger = more deprived."""
    city_rank: float | None

    @property
    def share_gap(self) -> float | None:
        """Area's share minus the city's, in percentage points."""
        if self.area_share is None or self.city_share is None:
            return None
        return 100 * (self.area_share - self.city_share)

    @property
    def rank_gap(self) -> float | None:
        """Area's average rank minus the city's (positive: the area ranks as more deprived)."""
        if self.area_rank is None or self.city_rank is None:
            return None
        return self.area_rank - self.city_rank

    @property
    def more_deprived(self) -> bool:
        """Whether the area ranks as more deprived than the city on this domain."""
        share, rank = self.share_gap, self.rank_gap
        if share is not None and share > SHARE_EPSILON:
            return True
        share_level = share is None or abs(share) <= SHARE_EPSILON
        return share_level and rank is not None and rank > 0

    def sort_key(self) -> tuple[float, float]:
        """Largest share gap first, then largest average-rank gap."""
        share = self.share_gap if self.share_gap is not None else -math.inf
        rank = self.rank_gap if self.rank_gap is not None else -math.inf
        return (-round(share, 6), -rank)


def domain_gaps(
    area: Mapping[str, object], city: Mapping[str, object], *, vintage: int,
    domains: Sequence[Domain] = DOMAINS,
) -> list[DomainGap]:  # fmt: skip
    """Set every domain of an area's summary row against the city's, most deprived first."""
    gaps = [
        DomainGap(
            d,
            vintage,
            _number(area, f"{d.stem}_proportion_10pct"),
            _number(city, f"{d.stem}_proportion_10pct"),
            _number(area, f"{d.stem}_average_rank"),
            _number(city, f"{d.stem}_average_rank"),
        )
        for d in domains
    ]
    return sorted(gaps, key=DomainGap.sort_key)


def standouts(gaps: Sequence[DomainGap], *, limit: int = 3) -> list[DomainGap]:
    """Pick the (at most ``limit``) domains on which the area is most deprived vs the city."""
    return [g for g in sorted(gaps, key=DomainGap.sort_key) if g.more_deprived][:limit]


STANDOUT_COLUMNS: Final = (
    "tier", "area_code", "vintage", "domain", "area_share_10pct", "city_share_10pct",
    "share_gap_points", "area_average_rank", "city_average_rank", "average_rank_gap",
    "more_deprived", "order",
)  # fmt: skip
_DOMAINS_BY_STEM: Final = {d.stem: d for d in DOMAINS}


def area_standouts(summaries: Mapping[str, pd.DataFrame], *, tiers: TierRegistry) -> pd.DataFrame:
    """Every domain of every area beside the city's, per release (module doc)."""
    city_key = next(t.key for t in tiers if t.build is Build.AUTHORITY)
    city = summaries.get(city_key, pd.DataFrame())
    if city.empty:
        return pd.DataFrame(columns=list(STANDOUT_COLUMNS))
    city_rows = {
        int(r["vintage"]): {str(k): v for k, v in r.items()} for r in city.to_dict("records")
    }
    rows = []
    for tier, table in summaries.items():
        if tier not in tiers or tiers[tier].build is Build.AUTHORITY:
            continue
        for record in table.to_dict("records"):
            area = {str(k): v for k, v in record.items()}
            vintage = int(str(area["vintage"]))
            if vintage not in city_rows:
                continue
            gaps = domain_gaps(area, city_rows[vintage], vintage=vintage)
            for order, g in enumerate(gaps, start=1):
                rows.append({
                    "tier": tier, "area_code": str(area["area_code"]), "vintage": vintage,
                    "domain": g.domain.stem, "area_share_10pct": g.area_share,
                    "city_share_10pct": g.city_share, "share_gap_points": g.share_gap,
                    "area_average_rank": g.area_rank, "city_average_rank": g.city_rank,
                    "average_rank_gap": g.rank_gap, "more_deprived": g.more_deprived, "order": order,
                })  # fmt: skip
    out = pd.DataFrame(rows, columns=list(STANDOUT_COLUMNS))
    return out.sort_values(["tier", "area_code", "vintage", "order"], ignore_index=True)


def gaps_from_table(table: pd.DataFrame, tier: str, code: str, vintage: int) -> list[DomainGap]:
    """Read the :class:`DomainGap` rows of one area in one release from the facts, in order."""
    mine = (
        (table["tier"] == tier)
        & (table["area_code"].astype(str) == code)
        & (table["vintage"] == vintage)
    )
    rows = table.loc[mine].sort_values("order")
    return [
        DomainGap(
            _DOMAINS_BY_STEM[str(r["domain"])],
            vintage,
            as_float(r["area_share_10pct"]),
            as_float(r["city_share_10pct"]),
            as_float(r["area_average_rank"]),
            as_float(r["city_average_rank"]),
        )
        for r in rows.to_dict("records")
    ]


def position(ranks: pd.DataFrame, tier: str, code: str, vintage: int) -> tuple[int, int] | None:
    """``(rank_in_tier, areas_ranked)`` of one area in one release, or None."""
    rows = ranks.loc[
        (ranks["tier"] == tier) & (ranks["area_code"].astype(str) == code) & (ranks["vintage"] == vintage)
    ]  # fmt: skip
    if rows.empty:
        return None
    return int(rows["rank_in_tier"].iloc[0]), int(rows["areas_ranked"].iloc[0])


__all__ = [
    "AREA_RANK_COLUMNS", "LSOA_CHANGE_COLUMNS", "MOVES", "SHARE_EPSILON", "STANDOUT_COLUMNS",
    "DomainGap", "area_ranks", "area_standouts", "as_float", "classify_move", "domain_gaps",
    "gaps_from_table", "lsoa_changes", "position", "standouts",
]  # fmt: skip
