"""Trends and emerging issues: each area's change over recent months against the city's.

From a monthly indicator (households on Universal Credit by default, config
``watchlist.trends``), for each area of the watched tiers and each window of ``w`` months
(12 and 36 by default):

- ``value_to`` is the area's figure in the latest month the city has a figure for,
  ``value_from`` its figure ``w`` months before;
- ``change = value_to − value_from`` and ``city_change`` the same for the city, both in the
  indicator's unit (per 100 households for UC);
- ``change_vs_city = (change − city_change) × s``, with ``s`` = 1 when higher is worse, −1
  when higher is better: positive means the area worsened faster than the city.

An area is **listed** when ``change_vs_city ≥ worse_than_city_by`` (config), at most
``top`` per tier and window, largest first (ties at the cut are all kept). Areas missing
either figure are not ranked. This is descriptive: it says which areas moved furthest
relative to the city over the window, not where they will go next.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from geo.core.errors import ConfigError
from geo.model.tiers import CITY, PRIORITY_NEIGHBOURHOOD, WARD
from geo.statistics.indicators import Indicator

logger = logging.getLogger(__name__)

COLUMNS: tuple[str, ...] = (
    "indicator", "tier", "area_code", "area_name", "window_months", "period_from", "period_to",
    "value_from", "value_to", "change", "city_change", "change_vs_city", "is_estimate",
    "rank", "listed",
)  # fmt: skip
"""Columns of ``watchlist_trends.csv``: one row per area × window (listed or not)."""


@dataclass(frozen=True)
class TrendRules:
    """The trend section's settings (config ``watchlist.trends``)."""

    indicator: str = "universal_credit_households"
    windows_months: tuple[int, ...] = (12, 36)
    tiers: tuple[str, ...] = (WARD.key, PRIORITY_NEIGHBOURHOOD.key)
    worse_than_city_by: float = 1.0
    top: int = 10

    @classmethod
    def from_config(cls, raw: Mapping[str, Any] | None) -> TrendRules:
        """Read ``watchlist.trends``; raise :class:`ConfigError` naming a bad key."""
        raw = dict(raw or {})
        unknown = sorted(set(raw) - set(cls.__dataclass_fields__))
        if unknown:
            msg = f"config watchlist.trends: unknown key(s) {unknown}"
            raise ConfigError(msg)
        windows = tuple(int(w) for w in raw.get("windows_months", cls.windows_months))
        if not windows or any(w <= 0 for w in windows):
            msg = f"config watchlist.trends.windows_months must be positive months, got {windows}"
            raise ConfigError(msg)
        return cls(
            indicator=str(raw.get("indicator", cls.indicator)),
            windows_months=windows,
            tiers=tuple(str(t) for t in raw.get("tiers", cls.tiers)),
            worse_than_city_by=float(raw.get("worse_than_city_by", cls.worse_than_city_by)),
            top=int(raw.get("top", cls.top)),
        )


def month_before(period: str, months: int) -> str:
    """``2023-11`` minus 12 months → ``2022-11``."""
    year, month = (int(x) for x in period.split("-"))
    index = year * 12 + (month - 1) - months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def area_trends(table: pd.DataFrame, meta: Indicator, *, rules: TrendRules) -> pd.DataFrame:
    """Compute every area's change per window against the city's, and list the fastest worsening.

    Args:
        table: The indicator's ``<name>_by_tier.csv`` (monthly periods ``YYYY-MM``).
        meta: Its metadata (polarity).
        rules: Windows, tiers, threshold and cap.

    Returns:
        :data:`COLUMNS`, sorted by window, tier, rank.

    Raises:
        ConfigError: the indicator's periods are not months, or the city has no figure.

    """
    df = table.assign(period=table["period"].astype(str), area_code=table["area_code"].astype(str))
    if not df["period"].str.fullmatch(r"\d{4}-\d{2}").all():
        msg = f"watchlist.trends: indicator {meta.name!r} is not monthly (periods YYYY-MM)"
        raise ConfigError(msg)
    city = df.loc[df["tier"] == CITY.key].set_index("period")["value"].dropna()
    if city.empty:
        msg = f"watchlist.trends: indicator {meta.name!r} has no city figure"
        raise ConfigError(msg)
    latest = max(city.index)
    sign = -1.0 if meta.polarity == "higher_is_better" else 1.0
    values = df.set_index(["tier", "area_code", "period"])["value"]
    names = df.drop_duplicates(["tier", "area_code"]).set_index(["tier", "area_code"])["area_name"]
    estimate = df.loc[df["period"] == latest].set_index(["tier", "area_code"])["is_estimate"] \
        if "is_estimate" in df.columns else pd.Series(dtype=bool)  # fmt: skip
    rows = []
    for window in rules.windows_months:
        start = month_before(latest, window)
        city_change = city.get(latest, np.nan) - city.get(start, np.nan)
        for tier in rules.tiers:
            areas = names.loc[[tier]] if tier in names.index.get_level_values(0) else names.iloc[:0]
            for key, name in areas.items():
                t, code = cast(tuple[str, str], key)
                v_from = values.get((t, code, start), np.nan)
                v_to = values.get((t, code, latest), np.nan)
                change = v_to - v_from
                rows.append({
                    "indicator": meta.name, "tier": t, "area_code": code, "area_name": name,
                    "window_months": window, "period_from": start, "period_to": latest,
                    "value_from": v_from, "value_to": v_to, "change": change,
                    "city_change": city_change, "change_vs_city": (change - city_change) * sign,
                    "is_estimate": bool(str(estimate.get((t, code), False)).lower() == "true"),
                })  # fmt: skip
    out = pd.DataFrame(rows, columns=[c for c in COLUMNS if c not in ("rank", "listed")])
    return select(out, rules=rules)


def select(trends: pd.DataFrame, *, rules: TrendRules) -> pd.DataFrame:
    """Rank each (window, tier) by ``change_vs_city`` and flag the listed areas."""
    out = trends.copy()
    out["rank"] = (
        out.groupby(["window_months", "tier"])["change_vs_city"]
        .rank(method="min", ascending=False)
        .astype("Int64")
    )
    out["listed"] = (out["change_vs_city"] >= rules.worse_than_city_by) & (out["rank"] <= rules.top)
    out["listed"] = out["listed"].fillna(False).astype(bool)
    logger.info("Trends: %d area-windows, %d listed (worse than the city by >= %g, top %d)",
                len(out), int(out["listed"].sum()), rules.worse_than_city_by, rules.top)  # fmt: skip
    return out.loc[:, list(COLUMNS)].sort_values(
        ["window_months", "tier", "rank", "area_code"], ignore_index=True, na_position="last"
    )


def windows_text(windows: Sequence[int]) -> str:
    """``12 months and 36 months`` (for page text)."""
    parts = [f"{w} months" for w in windows]
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)
