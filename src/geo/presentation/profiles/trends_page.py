"""The watchlist page's trend section: areas whose indicator worsened fastest against the city.

Reads ``data/processed/watchlist_trends.csv`` (:mod:`geo.statistics.trends`) and tabulates
the listed areas of each window, with the numbers behind the selection: the area's figure at
the start and end of the window, its change, the city's change and the difference.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import pandas as pd

from geo.model.tiers import TierRegistry
from geo.presentation.profiles.model import profile_path
from geo.presentation.site import tables as tb
from geo.presentation.site.model import Area
from geo.presentation.site.pages import rel


def _signed(value: object, unit: str) -> tb.Cell:
    if tb.missing(value):
        return tb.Cell("–", "")
    x = float(value)  # type: ignore[arg-type]
    return tb.Cell(f"{x:+.2f}".replace("-", "\u2212") + f" {unit}", repr(round(x, 6)))


def trend_table(rows: pd.DataFrame, *, window: int, unit: str, plan: Mapping[str, Mapping[str, Area]],
                profiled: Mapping[str, Mapping[str, Area]], path: str, tiers: TierRegistry) -> tb.Table:  # fmt: skip
    """Tabulate the listed areas of one window (sortable)."""
    cols = tb.columns("Area", "Tier", "From", "To", ("Value then", True), ("Value now", True),
                      ("Change", True), ("City change", True), ("Faster than the city by", True),
                      "Estimate")  # fmt: skip
    out = []
    for row in cast(list[dict[str, Any]], rows.to_dict("records")):
        tier, code = str(row["tier"]), str(row["area_code"])
        area = profiled.get(tier, {}).get(code)
        link = rel(path, profile_path(area)) if area is not None else (
            rel(path, plan[tier][code].url) if code in plan.get(tier, {}) else None)  # fmt: skip
        label = tiers[tier].singular if tier in tiers else tier
        out.append([
            tb.Cell(str(row["area_name"]), str(row["area_name"]), link, header=True), tb.text(label),
            tb.text(row["period_from"]), tb.text(row["period_to"]), tb.number(row["value_from"], 2),
            tb.number(row["value_to"], 2), _signed(row["change"], ""), _signed(row["city_change"], ""),
            _signed(row["change_vs_city"], unit), tb.text("yes" if str(row["is_estimate"]).lower() == "true" else ""),
        ])  # fmt: skip
    return tb.Table(f"trend-{window}m", f"Worsening faster than the city over {window} months ({len(out)})",
                    cols, tb.rows(out))  # fmt: skip


def trends_context(trends: pd.DataFrame | None, *, title: str, unit: str, threshold: str,
                   plan: Mapping[str, Mapping[str, Area]], profiled: Mapping[str, Mapping[str, Area]],
                   path: str, tiers: TierRegistry) -> dict[str, Any]:  # fmt: skip
    """Template context of the trend section (empty when there are no trends)."""
    if trends is None or trends.empty:
        return {"trends": []}
    sections = []
    for key, rows in trends.groupby("window_months", sort=True):
        window = int(cast(int, key))
        listed = rows.loc[rows["listed"].astype(str).str.lower() == "true"].sort_values(
            ["change_vs_city", "area_code"], ascending=[False, True])  # fmt: skip
        first = rows.iloc[0]
        sections.append({
            "window": window, "listed": len(listed), "compared": int(rows["change"].notna().sum()),
            "period_from": str(first["period_from"]), "period_to": str(first["period_to"]),
            "city_change": float(first["city_change"]),
            "table": trend_table(listed, window=window, unit=unit, plan=plan, profiled=profiled,
                                 path=path, tiers=tiers),
        })  # fmt: skip
    return {"trends": sections, "trend_title": title, "trend_unit": unit,
            "trend_threshold": threshold}  # fmt: skip
