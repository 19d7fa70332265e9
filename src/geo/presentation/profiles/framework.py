"""The performance framework on a profile: indicators by theme, each with its trend.

Indicators with a ``theme`` in the registry (poverty and income, work and benefits, children
and education, crime and safety, health, housing) are shown here rather than among the
IMD-derived "Indicators over time": per indicator a small trend chart (the area solid, the
city dashed), the latest value beside the city's, the change since the first period, the
period, the method (exact sum or estimate) and the source under it. A theme's framework
measures that have no real source in the data (attainment, absence, long-term empty homes)
are named as gaps, with the file that would fill them in ``docs/indicators.md``.

Charts are SVG written directly (:func:`trend_svg`), not drawn with matplotlib: a profile
holds about twenty of them and the site a few thousand, and a hand-written polyline costs
microseconds where a matplotlib figure costs tens of milliseconds.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from geo.model.tiers import CITY
from geo.presentation.profiles.charts import (
    AREA_COLOUR,
    CITY_COLOUR,
    Point,
    cross,
    line,
    polyline_runs,
    series_alt,
    series_values,
    short_number,
    svg_open,
    value_formatter,
)
from geo.statistics.indicators import Indicator
from geo.statistics.indicators.metadata import THEMES

GAPS: dict[str, tuple[str, ...]] = {
    "children": ("school attainment (Key Stage 2 and 4)", "school absence"),
    "housing": ("long-term empty homes",),
    "work": ("the claimant count (households on Universal Credit stand in for it)",),
}
"""Framework measures without a real small-area source here, by theme."""


@dataclass(frozen=True)
class FrameworkIndicator:
    """One framework indicator on a profile."""

    meta: Indicator
    svg: str
    alt: str
    periods: tuple[str, ...]
    first_period: str
    first_value: float | None
    latest_period: str
    latest_value: float | None
    city_latest: float | None
    change: float | None
    """Latest minus first value (in the indicator's unit); None without both."""
    method: str
    is_estimate: bool
    fmt_latest: str
    fmt_city: str
    fmt_change: str
    england_period: str = ""
    fmt_england: str = ""
    """England's figure (the latest period England has), or empty when the data have none."""


@dataclass(frozen=True)
class FrameworkTheme:
    """A framework theme: its heading, indicators and the measures without a source."""

    key: str
    heading: str
    indicators: tuple[FrameworkIndicator, ...]
    gaps: tuple[str, ...]


def _period_key(period: str) -> tuple[int, str]:
    return (0, period)


def _points(rows: pd.DataFrame) -> list[Point]:
    values = pd.to_numeric(rows["value"]).astype("float64").tolist()
    hidden = (rows["suppressed"].astype(str).str.lower() == "true").tolist() \
        if "suppressed" in rows.columns else [False] * len(rows)  # fmt: skip
    return [Point(str(p), None if math.isnan(v) else v, bool(h))
            for p, v, h in zip(rows["period"], values, hidden, strict=True)]  # fmt: skip


def trend_svg(
    area: Sequence[Point],
    city: Sequence[Point] | None,
    *,
    periods: Sequence[str],
    chart_id: str,
    title: str,
    desc: str,
    width: int = 220,
    height: int = 90,
) -> str:
    """Write a small trend chart as inline SVG: the area solid, the city dashed.

    A period without a figure breaks the line (never a zero); a suppressed figure is a
    cross on the axis. The first and last periods label the x axis, 0 and the top the y axis.
    """
    left, right, top, bottom = 34, 6, 6, 16
    w, h = width - left - right, height - top - bottom
    ys_area = series_values(area, periods)
    ys_city = series_values(city or (), periods)
    finite = [y for y in ys_area + ys_city if not math.isnan(y)]
    ymax = max(finite, default=1.0) * 1.1 or 1.0
    n = len(periods)

    def x(i: int) -> float:
        return left + (w * i / (n - 1) if n > 1 else w / 2)

    def y(v: float) -> float:
        return top + h - h * v / ymax

    def paths(ys: Sequence[float]) -> list[str]:
        return polyline_runs(
            [None if math.isnan(v) else f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(ys)]
        )

    parts = [
        svg_open(
            chart_id, title=title, desc=desc, width=width, height=height, cls="chart-svg trend"
        ),
        f'<line x1="{left}" y1="{top + h}" x2="{left + w}" y2="{top + h}" stroke="#4a4a4a" stroke-width="0.6"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + h}" stroke="#4a4a4a" stroke-width="0.6"/>',
        f'<text x="{left - 3}" y="{top + h}" text-anchor="end" font-size="7">0</text>',
        f'<text x="{left - 3}" y="{top + 6}" text-anchor="end" font-size="7">{short_number(ymax)}</text>',
        f'<text x="{left}" y="{height - 4}" font-size="7">{html.escape(periods[0])}</text>',
    ]
    if n > 1:
        parts.append(f'<text x="{left + w}" y="{height - 4}" text-anchor="end" font-size="7">'
                     f'{html.escape(periods[-1])}</text>')  # fmt: skip
    for pts in paths(ys_city) if city is not None else []:
        parts.append(line(pts, CITY_COLOUR, dashed=True, single=" " not in pts))
    for pts in paths(ys_area):
        parts.append(line(pts, AREA_COLOUR, dashed=False, single=" " not in pts))
    hidden = {q.period for q in area if q.suppressed}
    parts += [cross(x(i), top + h) for i, p in enumerate(periods) if p in hidden]
    parts.append("</svg>")
    return "".join(parts)


def _latest(points: Sequence[Point]) -> tuple[str, float | None]:
    for p in reversed(points):
        if p.value is not None and not p.suppressed:
            return p.period, p.value
    return (points[-1].period if points else ""), None


def _first(points: Sequence[Point]) -> tuple[str, float | None]:
    for p in points:
        if p.value is not None and not p.suppressed:
            return p.period, p.value
    return (points[0].period if points else ""), None


def framework_indicator(
    meta: Indicator,
    table: pd.DataFrame,
    *,
    tier: str,
    code: str,
    area_name: str,
    city_name: str,
    england: pd.DataFrame | None = None,
) -> FrameworkIndicator | None:
    """Return the indicator for one area, or None when the area has no row."""
    table = table.assign(
        period=table["period"].astype(str), area_code=table["area_code"].astype(str)
    )
    mine = table.loc[(table["tier"] == tier) & (table["area_code"] == code)].sort_values("period")
    if mine.empty:
        return None
    periods = tuple(sorted(table["period"].unique(), key=_period_key))
    city_rows = table.loc[table["tier"] == CITY.key].sort_values("period")
    area_pts = _points(mine)
    city_pts = (
        _points(city_rows)
        if not city_rows.empty and meta.kind != "count" and tier != CITY.key
        else None
    )
    fmt = value_formatter(meta.unit, kind=meta.kind)
    chart_id = f"fw-{meta.name.replace('_', '-')}"
    alt = series_alt(area_pts, periods, title=meta.title, unit=meta.unit, area_name=area_name,
                     city=city_pts, city_name=city_name, fmt=fmt)  # fmt: skip
    svg = trend_svg(
        area_pts, city_pts, periods=periods, chart_id=chart_id, title=meta.title, desc=alt
    )
    first_p, first_v = _first(area_pts)
    last_p, last_v = _latest(area_pts)
    city_v = dict((p.period, p.value) for p in city_pts or ()).get(last_p)
    change = None if first_v is None or last_v is None or first_p == last_p else last_v - first_v
    latest_row = mine.loc[mine["period"] == last_p].iloc[0]
    method = str(latest_row.get("method", "")) if "method" in mine.columns else ""
    estimate = str(latest_row.get("is_estimate", False)).lower() == "true"
    return FrameworkIndicator(
        meta=meta, svg=svg, alt=alt, periods=periods, first_period=first_p, first_value=first_v,
        latest_period=last_p, latest_value=last_v, city_latest=city_v, change=change,
        method=method, is_estimate=estimate,
        fmt_latest="–" if last_v is None else fmt(last_v),
        fmt_city="–" if city_v is None else fmt(city_v),
        fmt_change=_change_text(change, meta),
        **_england(england, meta, fmt),
    )  # fmt: skip


def _england(
    england: pd.DataFrame | None, meta: Indicator, fmt: Callable[[float], str]
) -> dict[str, str]:
    if england is None or england.empty:
        return {}
    rows = england.loc[england["indicator"] == meta.name].dropna(subset=["value"])
    if rows.empty:
        return {}
    last = rows.sort_values("period").iloc[-1]
    return {"england_period": str(last["period"]), "fmt_england": fmt(float(last["value"]))}


def _change_text(change: float | None, meta: Indicator) -> str:
    if change is None:
        return "–"
    if meta.unit.startswith("%"):
        return f"{change:+.1f} percentage points"
    return f"{change:+,.1f}" if meta.kind != "count" else f"{change:+,.0f}"


def framework_themes(
    indicators: Mapping[str, tuple[Indicator, pd.DataFrame]],
    *,
    tier: str,
    code: str,
    area_name: str,
    city_name: str,
    england: pd.DataFrame | None = None,
) -> tuple[FrameworkTheme, ...]:
    """Every framework theme for one area, in :data:`THEMES` order (themes with no data too)."""
    out = []
    for key, heading in THEMES.items():
        views = []
        for meta, table in indicators.values():
            if meta.theme != key:
                continue
            view = framework_indicator(meta, table, tier=tier, code=code, area_name=area_name,
                                       city_name=city_name, england=england)  # fmt: skip
            if view is not None:
                views.append(view)
        out.append(FrameworkTheme(key, heading, tuple(views), GAPS.get(key, ())))
    return tuple(out)
