"""Static SVG charts of the area profiles, written directly as markup and embedded inline.

Each chart is a :class:`Chart`: its SVG markup (an accessible image: ``role="img"`` with a
``<title>`` and a ``<desc>`` holding the alt text) and that alt text, built from the same
numbers the chart draws, so a screen-reader user or a reader of the printed page gets every
figure.

The markup is written by hand, not drawn with matplotlib: the site has about a thousand
charts and a matplotlib figure costs tens of milliseconds where these cost tens of
microseconds. The same numbers give the same bytes; the size is responsive (a ``viewBox``,
no width or height); text stays text; every ``id`` is prefixed with the chart's id, so many
charts can share one page.

Charts:

* :func:`decile_chart` — the area's LSOAs across the ten national IMD deciles, one bar per
  release in each decile;
* :func:`series_chart` — an indicator's time series for the area, with the city for
  comparison. A period without a figure is a *gap* in the line (never a zero); a
  suppressed value is marked on the axis with a cross and named in the alt text.

The pieces (:func:`svg_open`, :func:`polyline_runs`, :func:`cross`, :func:`short_number`)
are shared with the framework's trend charts (:mod:`geo.presentation.profiles.framework`).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from geo.model.tiers import CITY

VINTAGE_COLOURS: Final[tuple[str, ...]] = (
    "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#2171b5", "#08306b",
)  # fmt: skip
"""Bar colours of the releases, oldest lightest (distinct in greyscale print too); a chart
of n releases takes the last n."""

AREA_COLOUR: Final = "#b35900"
CITY_COLOUR: Final = "#4a4a4a"
SUPPRESSED_COLOUR: Final = "#a50f15"
AXIS_COLOUR: Final = "#4a4a4a"
GRID_COLOUR: Final = "#d9d9d9"
TEXT_COLOUR: Final = "#1b1b1b"


@dataclass(frozen=True)
class Chart:
    """An inline SVG chart with its accessible name and description."""

    id: str
    title: str
    alt: str
    """The description read out in place of the picture, built from the numbers."""
    svg: str


@dataclass(frozen=True)
class Point:
    """One period of a series: its value, or None when there is no figure."""

    period: str
    value: float | None
    suppressed: bool = False
    """True when the figure exists but is withheld (small numbers)."""


# --- SVG pieces ------------------------------------------------------------------------------


def svg_open(chart_id: str, *, title: str, desc: str, width: float, height: float,
             cls: str = "chart-svg") -> str:  # fmt: skip
    """Open an inline chart: ``role="img"``, its viewBox, ``<title>`` and ``<desc>``."""
    return (
        f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="{cls}" '
        f'viewBox="0 0 {width:g} {height:g}" focusable="false" font-family="DejaVu Sans, sans-serif" '
        f'fill="{TEXT_COLOUR}">'
        f'<title id="{chart_id}-title">{html.escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{html.escape(desc)}</desc>'
    )


def text(x: float, y: float, content: str, *, size: float = 8, anchor: str = "start",
         transform: str = "") -> str:  # fmt: skip
    """Write a text label (escaped)."""
    extra = f' text-anchor="{anchor}"' if anchor != "start" else ""
    extra += f' transform="{transform}"' if transform else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}"{extra}>{html.escape(content)}</text>'
    )


def polyline_runs(points: Sequence[str | None]) -> list[str]:
    """Join consecutive ``"x,y"`` points into polylines, breaking at each gap (None)."""
    runs: list[list[str]] = [[]]
    for p in points:
        if p is None:
            runs.append([])
        else:
            runs[-1].append(p)
    return [" ".join(r) for r in runs if r]


def line(points: str, colour: str, *, dashed: bool, single: bool) -> str:
    """One run of a series: a polyline, or a dot when the run is a single point."""
    if single:
        cx, cy = points.split(",")
        return f'<circle cx="{cx}" cy="{cy}" r="2.2" fill="{colour}"/>'
    dash = ' stroke-dasharray="3 2"' if dashed else ""
    width = "1" if dashed else "1.6"
    cls = "comparison" if dashed else "area"
    return (f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="{width}"'
            f'{dash} class="{cls}"/>')  # fmt: skip


def cross(cx: float, cy: float) -> str:
    """Mark a suppressed figure on the axis."""
    return (f'<path d="M{cx - 3:.1f},{cy - 3:.1f}L{cx + 3:.1f},{cy + 3:.1f}M{cx - 3:.1f},'
            f'{cy + 3:.1f}L{cx + 3:.1f},{cy - 3:.1f}" stroke="{SUPPRESSED_COLOUR}" '
            f'stroke-width="1.2" class="suppressed"/>')  # fmt: skip


def short_number(v: float) -> str:
    """Format an axis label: ``12k``, ``640``, ``3.5``, ``0.25``."""
    if v >= 10_000:
        return f"{v / 1000:,.0f}k"
    if v >= 100:
        return f"{v:,.0f}"
    if v == 0:
        return "0"
    return f"{v:.1f}" if v >= 1 else f"{v:.2f}"


def tick_label(ticks: Sequence[float]) -> Callable[[float], str]:
    """Return how the ticks read: ``12k`` from 10,000 up, whole numbers when every tick is one."""
    if ticks and ticks[-1] < 10_000 and all(float(t).is_integer() for t in ticks):
        return lambda v: f"{v:,.0f}"
    return short_number


def nice_ticks(top: float, *, integer: bool = False, most: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top``: steps of 1, 2, 2.5 or 5 × 10ⁿ.

    >>> nice_ticks(13, integer=True)
    [0, 5, 10, 15]
    >>> nice_ticks(0.9)
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    if not top > 0 or math.isinf(top):
        return [0, 1]
    raw = top / (most - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if integer:
        step = max(1, math.ceil(step))
    n = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) if not integer else int(i * step) for i in range(n + 1)]


@dataclass(frozen=True)
class Frame:
    """The plotting box of a chart in its viewBox, and the top of its value axis."""

    left: float
    top: float
    width: float
    height: float
    ymax: float

    @property
    def bottom(self) -> float:
        """Return the y of the box's bottom edge (the value 0)."""
        return self.top + self.height

    def y(self, value: float) -> float:
        """Return the height of ``value`` (0 at the bottom of the box)."""
        return self.bottom - self.height * value / self.ymax


def value_grid(frame: Frame, ticks: Sequence[float], label: Callable[[float], str], *,
               size: float) -> list[str]:  # fmt: skip
    """Draw the value axis: a light line per tick (the axis at 0) and its label at the left."""
    parts = []
    for t in ticks:
        y = frame.y(t)
        parts.append(f'<line x1="{frame.left:g}" y1="{y:.1f}" x2="{frame.left + frame.width:g}" '
                     f'y2="{y:.1f}" stroke="{GRID_COLOUR if t else AXIS_COLOUR}" stroke-width="0.6"/>')  # fmt: skip
        parts.append(text(frame.left - 3, y + size * 0.35, label(t), size=size, anchor="end"))
    return parts


# --- formatting ------------------------------------------------------------------------------


def format_count(value: float) -> str:
    """Format a count: ``"12"``, or ``"2.4"`` for a fractional (apportioned) count."""
    if abs(value - round(value)) < 0.05:
        return f"{round(value):,}"
    return f"{value:,.1f}"


def value_formatter(unit: str, *, kind: str = "proportion") -> Callable[[float], str]:
    """Return how a value reads: ``"12.3%"`` for a share, ``"1,234"`` for a count."""
    if unit.startswith("%"):
        return lambda v: f"{v:,.1f}%"
    if kind == "count":
        return lambda v: f"{v:,.0f}"
    return lambda v: f"{v:,.1f}"


# --- decile chart ----------------------------------------------------------------------------


def decile_alt(counts: Mapping[int, Sequence[float]], *, area_name: str) -> str:
    """Describe :func:`decile_chart`: every non-zero bar, release by release."""
    parts = []
    for vintage in sorted(counts):
        values = list(counts[vintage])
        total = sum(values)
        listed = [f"decile {d}: {format_count(n)}" for d, n in enumerate(values, 1) if n >= 0.05]
        body = "; ".join(listed) if listed else "no LSOAs"
        parts.append(f"IoD{vintage} ({format_count(total)} LSOAs): {body}")
    return (
        f"Bar chart of the LSOAs of {area_name} by national IMD decile (decile 1 = the most "
        f"deprived 10% of LSOAs in England), one bar per release. " + ". ".join(parts) + "."
    )


def decile_chart(counts: Mapping[int, Sequence[float]], *, chart_id: str, area_name: str) -> Chart:
    """Draw the area's LSOAs in each national IMD decile, one bar per release.

    Args:
        counts: Release → ten counts (decile 1 first); fractional for apportioned areas.
        chart_id: Unique id on the page (prefix of every id in the SVG).
        area_name: For the title and alt text.

    Raises:
        ValueError: a release has other than ten counts, or there are more releases than
            bar colours.

    """
    vintages = sorted(counts)
    for v in vintages:
        if len(counts[v]) != 10:
            msg = f"decile_chart: IoD{v} has {len(counts[v])} counts, expected 10"
            raise ValueError(msg)
    if len(vintages) > len(VINTAGE_COLOURS):
        msg = f"decile_chart: {len(vintages)} releases, more than the {len(VINTAGE_COLOURS)} bar colours"
        raise ValueError(msg)
    title = f"{area_name}: LSOAs by national IMD decile"
    alt = decile_alt(counts, area_name=area_name)
    width, height = 660, 200
    ticks = nice_ticks(max((max(counts[v], default=0) for v in vintages), default=0), integer=True)
    frame = Frame(left=46, top=22, width=width - 46 - 8, height=height - 22 - 50, ymax=ticks[-1])
    colours = dict(
        zip(vintages, VINTAGE_COLOURS[len(VINTAGE_COLOURS) - len(vintages) :], strict=True)
    )
    parts = [
        svg_open(chart_id, title=title, desc=alt, width=width, height=height),
        f'<g id="{chart_id}-axes">',
        *value_grid(frame, ticks, tick_label(ticks), size=8),
        *_decile_labels(frame, height),
        "</g>",
        *_decile_bars(chart_id, frame, counts, colours),
        f'<g id="{chart_id}-legend">',
    ]
    x0 = frame.left + frame.width - 54 * len(vintages)
    for i, (v, colour) in enumerate(colours.items()):
        parts.append(f'<rect x="{x0 + 54 * i:.1f}" y="4" width="9" height="9" fill="{colour}" '
                     f'stroke="{TEXT_COLOUR}" stroke-width="0.5"/>')  # fmt: skip
        parts.append(text(x0 + 54 * i + 12, 12, f"IoD{v}", size=7))
    parts.append("</g></svg>\n")
    return Chart(chart_id, title, alt, "".join(parts))


def _decile_labels(frame: Frame, height: float) -> list[str]:
    """Label the deciles (1 most deprived … 10 least deprived) and both axes."""
    slot, parts = frame.width / 10, []
    for d in range(1, 11):
        cx = frame.left + slot * (d - 0.5)
        parts.append(text(cx, frame.bottom + 11, str(d), anchor="middle"))
        if d in (1, 10):
            parts.append(
                text(cx, frame.bottom + 20, "most" if d == 1 else "least", size=7, anchor="middle")
            )
            parts.append(text(cx, frame.bottom + 28, "deprived", size=7, anchor="middle"))
    middle = frame.top + frame.height / 2
    parts.append(
        text(frame.left + frame.width / 2, height - 4, "National IMD decile", anchor="middle")
    )
    parts.append(
        text(12, middle, "LSOAs", anchor="middle", transform=f"rotate(-90 12 {middle:.1f})")
    )
    return parts


def _decile_bars(chart_id: str, frame: Frame, counts: Mapping[int, Sequence[float]],
                 colours: Mapping[int, str]) -> list[str]:  # fmt: skip
    """Draw one group of bars per release, side by side within each decile's slot."""
    slot = frame.width / 10
    bar = 0.8 * slot / max(len(colours), 1)
    parts = []
    for i, (v, colour) in enumerate(colours.items()):
        parts.append(
            f'<g id="{chart_id}-iod{v}" fill="{colour}" stroke="{TEXT_COLOUR}" stroke-width="0.5">'
        )
        for d, n in enumerate(counts[v]):
            if n > 0:
                x0 = frame.left + slot * (d + 0.1) + bar * i
                parts.append(f'<rect x="{x0:.1f}" y="{frame.y(n):.1f}" width="{bar:.1f}" '
                             f'height="{frame.bottom - frame.y(n):.1f}"/>')  # fmt: skip
        parts.append("</g>")
    return parts


# --- indicator time series -------------------------------------------------------------------


def series_values(points: Sequence[Point], periods: Sequence[str]) -> list[float]:
    """Return the y values of ``points`` over ``periods``: NaN (a gap, never 0) where none."""
    by_period = {p.period: p for p in points}
    out = []
    for period in periods:
        point = by_period.get(period)
        value = None if point is None or point.suppressed else point.value
        out.append(math.nan if value is None else float(value))
    return out


def _positions(periods: Sequence[str]) -> tuple[list[float], bool]:
    """Return the x positions: the years when every period is one, else 0, 1, 2 …."""
    try:
        return [float(p) for p in periods], True
    except ValueError:
        return [float(i) for i in range(len(periods))], False


def series_alt(
    area: Sequence[Point],
    periods: Sequence[str],
    *,
    title: str,
    unit: str,
    area_name: str,
    city: Sequence[Point] | None,
    city_name: str,
    fmt: Callable[[float], str],
) -> str:
    """Describe :func:`series_chart`: the area's figure (and the city's) in every period."""
    mine = {p.period: p for p in area}
    theirs = {p.period: p for p in city or ()}
    parts = []
    for period in periods:
        p = mine.get(period)
        if p is not None and p.suppressed:
            text = f"{period}: suppressed (small numbers)"
        elif p is None or p.value is None:
            text = f"{period}: no figure for {area_name}"
        else:
            text = f"{period}: {fmt(p.value)}"
        c = theirs.get(period)
        if city is not None and c is not None and c.value is not None and not c.suppressed:
            text += f" ({city_name} {fmt(c.value)})"
        parts.append(text)
    against = f", with {city_name} for comparison" if city is not None else ""
    return f"Line chart of {title} ({unit}) for {area_name}{against}. " + "; ".join(parts) + "."


def series_chart(
    area: Sequence[Point],
    *,
    periods: Sequence[str],
    chart_id: str,
    title: str,
    unit: str,
    area_name: str,
    city: Sequence[Point] | None = None,
    city_name: str = "",
    kind: str = "proportion",
) -> Chart:
    """Draw an indicator's time series for an area (solid) and the city (dashed).

    Args:
        area: The area's points; periods absent here or with ``value`` None are gaps.
        periods: Every period of the indicator, in order (the x axis).
        chart_id: Unique id on the page.
        title: The indicator's title.
        unit: Its unit (``"% of residents"``, ``"people"``).
        area_name: The area's name.
        city: The city's points for comparison, or None (e.g. on the city's own profile).
        city_name: The city's name.
        kind: The indicator's kind (``count`` values read as whole numbers).

    """
    fmt = value_formatter(unit, kind=kind)
    alt = series_alt(area, periods, title=title, unit=unit, area_name=area_name, city=city,
                     city_name=city_name, fmt=fmt)  # fmt: skip
    width, height = 220, 140
    xs, _ = _positions(periods)
    ys = series_values(area, periods)
    ys_city = series_values(city or (), periods)
    finite = [v for v in ys + (ys_city if city is not None else []) if not math.isnan(v)]
    ticks = nice_ticks(max(finite, default=0.0) * 1.05, integer=kind == "count", most=4)
    frame = Frame(left=38, top=26, width=width - 38 - 8, height=height - 26 - 18, ymax=ticks[-1])
    span = (max(xs) - min(xs)) if len(xs) > 1 else 0.0
    pad = span * 0.08

    def x(i: int) -> float:
        if not span:
            return frame.left + frame.width / 2
        return frame.left + frame.width * (xs[i] - min(xs) + pad) / (span + 2 * pad)

    def points(values: Sequence[float]) -> list[str]:
        return polyline_runs(
            [
                None if math.isnan(v) else f"{x(i):.1f},{frame.y(v):.1f}"
                for i, v in enumerate(values)
            ]
        )

    parts = [svg_open(chart_id, title=title, desc=alt, width=width, height=height)]
    parts.append(f'<g id="{chart_id}-axes">')
    parts += value_grid(frame, ticks, tick_label(ticks), size=7)
    every = max(1, math.ceil(len(periods) / 6))  # at most about six period labels
    for i, period in enumerate(periods):
        if i % every == 0 or i == len(periods) - 1:
            parts.append(text(x(i), frame.bottom + 10, period, size=6.5, anchor="middle"))
    label = unit if len(unit) <= 18 else unit.split(" of ")[0]
    middle = frame.top + frame.height / 2
    parts.append(
        text(9, middle, label, size=7, anchor="middle", transform=f"rotate(-90 9 {middle:.1f})")
    )
    parts.append("</g>")
    if city is not None:
        parts.append(f'<g id="{chart_id}-{CITY.key}">')
        parts += [line(p, CITY_COLOUR, dashed=True, single=" " not in p) for p in points(ys_city)]
        parts.append("</g>")
    parts.append(f'<g id="{chart_id}-area">')
    parts += [line(p, AREA_COLOUR, dashed=False, single=" " not in p) for p in points(ys)]
    parts += [f'<circle cx="{x(i):.1f}" cy="{frame.y(v):.1f}" r="2" fill="{AREA_COLOUR}"/>'
              for i, v in enumerate(ys) if not math.isnan(v)]  # fmt: skip
    parts.append("</g>")
    hidden = {q.period for q in area if q.suppressed}
    if hidden:
        parts.append(f'<g id="{chart_id}-suppressed">')
        parts += [cross(x(i), frame.bottom) for i, p in enumerate(periods) if p in hidden]
        parts.append("</g>")
    parts.append(_legend(chart_id, area_name, city_name if city is not None else None,
                         suppressed=bool(hidden), width=width))  # fmt: skip
    parts.append("</svg>\n")
    return Chart(chart_id, title, alt, "".join(parts))


def _legend(chart_id: str, area_name: str, city_name: str | None, *, suppressed: bool,
            width: float) -> str:  # fmt: skip
    """Write the key above a series chart, starting a row when an entry does not fit."""
    entries = [(area_name, "area"), *([(city_name, "comparison")] if city_name else []),
               *([("suppressed", "suppressed")] if suppressed else [])]  # fmt: skip
    parts, x0, row = [f'<g id="{chart_id}-legend">'], 4.0, 0
    for name, kind in entries:
        size = 15 + 3.9 * len(name) + 8  # swatch, text at about 3.9 px a character, gap
        if x0 > 4 and x0 + size > width:
            x0, row = 4.0, row + 1
        cy = 7 + 10 * row
        if kind == "suppressed":
            parts.append(cross(x0 + 6, cy))
        else:
            colour, dash = (
                (AREA_COLOUR, "") if kind == "area" else (CITY_COLOUR, ' stroke-dasharray="3 2"')
            )
            parts.append(f'<line x1="{x0:.1f}" y1="{cy}" x2="{x0 + 12:.1f}" y2="{cy}" stroke="{colour}" '
                         f'stroke-width="1.6"{dash}/>')  # fmt: skip
        parts.append(text(x0 + 15, cy + 2.3, name, size=6.5))
        x0 += size
    parts.append("</g>")
    return "".join(parts)
