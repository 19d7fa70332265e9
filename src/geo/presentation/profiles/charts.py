"""Static SVG charts of the area profiles, drawn with matplotlib and embedded inline.

Each chart is a :class:`Chart`: its SVG markup (an accessible image: ``role="img"`` with a
``<title>`` and a ``<desc>`` holding the alt text) and that alt text, built from the same
numbers the chart draws, so a screen-reader user or a reader of the printed page gets every
figure.

Two builds give the same bytes: the figures are made with :class:`matplotlib.figure.Figure`
(no pyplot state, no GUI backend), ``svg.hashsalt`` is the chart's id, the SVG metadata
carries no date, and text stays text (``svg.fonttype: none``) instead of glyph outlines.
Every ``id`` inside a chart is prefixed with the chart's id, so many charts can share one
page without clashing ids.

Charts:

* :func:`decile_chart` — the area's LSOAs across the ten national IMD deciles, one bar per
  release in each decile;
* :func:`series_chart` — an indicator's time series for the area, with the city for
  comparison. A period without a figure is a *gap* in the line (never a zero); a
  suppressed value is marked on the axis with a cross and named in the alt text.
"""

from __future__ import annotations

import html
import io
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import matplotlib as mpl
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from geo.model.tiers import CITY

VINTAGE_COLOURS: Final[tuple[str, ...]] = ("#c6dbef", "#6baed6", "#2171b5", "#08306b")
"""Bar colours of the releases, oldest lightest (distinct in greyscale print too)."""

AREA_COLOUR: Final = "#b35900"
CITY_COLOUR: Final = "#4a4a4a"
SUPPRESSED_COLOUR: Final = "#a50f15"

_RC: Final[dict[Any, Any]] = {
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.edgecolor": "#4a4a4a",
    "axes.labelcolor": "#1b1b1b",
    "xtick.color": "#1b1b1b",
    "ytick.color": "#1b1b1b",
    "axes.spines.top": False,
    "axes.spines.right": False,
}


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


# --- SVG post-processing ---------------------------------------------------------------------

_ID = re.compile(r'\bid="([^"]+)"')
_URL_REF = re.compile(r"url\(#([^)]+)\)")
_HREF_REF = re.compile(r'href="#([^"]+)"')


def _save_svg(fig: Figure, *, salt: str) -> str:
    buffer = io.StringIO()
    with mpl.rc_context({"svg.hashsalt": salt, **_RC}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def inline_svg(svg: str, *, chart_id: str, title: str, desc: str) -> str:
    """Matplotlib's SVG document made ready to embed in HTML.

    Drops the XML declaration, doctype, metadata and the global style rule; makes the size
    responsive (the ``viewBox`` stays); prefixes every id and reference with ``chart_id``;
    adds ``role="img"``, a ``<title>`` and a ``<desc>`` (escaped) labelling the image.
    """
    start = svg.find("<svg")
    if start < 0:
        msg = f"chart {chart_id!r}: no <svg> element in the rendered output"
        raise ValueError(msg)
    svg = svg[start:]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r"<defs>\s*<style[^>]*>.*?</style>\s*</defs>\s*", "", svg, flags=re.S)
    svg = _ID.sub(lambda m: f'id="{chart_id}-{m.group(1)}"', svg)
    svg = _URL_REF.sub(lambda m: f"url(#{chart_id}-{m.group(1)})", svg)
    svg = _HREF_REF.sub(lambda m: f'href="#{chart_id}-{m.group(1)}"', svg)
    head_end = svg.index(">") + 1
    head = svg[:head_end]
    head = re.sub(r'\s(width|height)="[^"]*"', "", head)
    head = head.replace(
        "<svg",
        f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'class="chart-svg" focusable="false"',
        1,
    )
    labels = (
        f'<title id="{chart_id}-title">{html.escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{html.escape(desc)}</desc>'
    )
    return head + labels + svg[head_end:].rstrip() + "\n"


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
        chart_id: Unique id on the page (prefix of every id in the SVG, and the hash salt).
        area_name: For the title and alt text.

    Raises:
        ValueError: a release has other than ten counts.

    """
    vintages = sorted(counts)
    for v in vintages:
        if len(counts[v]) != 10:
            msg = f"decile_chart: IoD{v} has {len(counts[v])} counts, expected 10"
            raise ValueError(msg)
    colours = VINTAGE_COLOURS[-len(vintages) :] if len(vintages) <= len(VINTAGE_COLOURS) else None
    with mpl.rc_context(_RC):
        fig = Figure(figsize=(6.6, 2.0))
        fig.subplots_adjust(left=0.075, right=0.99, bottom=0.33, top=0.96)
        ax = fig.add_subplot()
        width = 0.8 / max(len(vintages), 1)
        for i, v in enumerate(vintages):
            offset = (i - (len(vintages) - 1) / 2) * width
            ax.bar([d + offset for d in range(1, 11)], list(counts[v]), width,
                   label=f"IoD{v}", color=colours[i] if colours else None,
                   edgecolor="#1b1b1b", linewidth=0.5)  # fmt: skip
        ax.set_xticks(
            range(1, 11), ["1\nmost\ndeprived", *map(str, range(2, 10)), "10\nleast\ndeprived"]
        )
        ax.set_xlim(0.4, 10.6)
        ax.set_xlabel("National IMD decile")
        ax.set_ylabel("LSOAs")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(frameon=False, ncols=len(vintages), loc="upper right", fontsize=7)
    title = f"{area_name}: LSOAs by national IMD decile"
    alt = decile_alt(counts, area_name=area_name)
    svg = inline_svg(_save_svg(fig, salt=chart_id), chart_id=chart_id, title=title, desc=alt)
    return Chart(chart_id, title, alt, svg)


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
    xs, numeric = _positions(periods)
    ys = series_values(area, periods)
    suppressed = [x for x, p in zip(xs, periods, strict=True)
                  if any(q.period == p and q.suppressed for q in area)]  # fmt: skip
    with mpl.rc_context(_RC):
        fig = Figure(figsize=(2.2, 1.4))
        fig.subplots_adjust(left=0.22, right=0.96, bottom=0.15, top=0.84)
        ax = fig.add_subplot()
        (line,) = ax.plot(xs, ys, color=AREA_COLOUR, marker="o", markersize=4, linewidth=1.8,
                          label=area_name, zorder=3)  # fmt: skip
        line.set_gid("area")
        if city is not None:
            (line,) = ax.plot(xs, series_values(city, periods), color=CITY_COLOUR, linestyle="--",
                              marker="s", markersize=3, linewidth=1, label=city_name, zorder=2)  # fmt: skip
            line.set_gid(CITY.key)
        top = max(
            [y for y in ys + series_values(city or (), periods) if not math.isnan(y)], default=1.0
        )
        ax.set_ylim(0, top * 1.15 if top > 0 else 1.0)
        if suppressed:
            ax.plot(suppressed, [0] * len(suppressed), linestyle="none", marker="x", markersize=6,
                    color=SUPPRESSED_COLOUR, clip_on=False, label="suppressed",
                    gid="suppressed")  # fmt: skip
        ax.set_xticks(xs, list(periods))
        if top >= 10_000:
            ax.yaxis.set_major_formatter(
                FuncFormatter(lambda y, _: f"{y / 1000:,.0f}k" if y else "0")
            )
        pad = 0.5 if not numeric or len(xs) < 2 else (max(xs) - min(xs)) * 0.08
        ax.set_xlim(min(xs) - pad, max(xs) + pad) if xs else None
        ax.set_ylabel(unit if len(unit) <= 18 else unit.split(" of ")[0], fontsize=7)
        ax.tick_params(labelsize=7)
        ax.legend(frameon=False, fontsize=6.5, loc="lower left", ncols=2,
                  bbox_to_anchor=(0, 1.0), borderaxespad=0.2, handlelength=1.6)  # fmt: skip
    alt = series_alt(area, periods, title=title, unit=unit, area_name=area_name, city=city,
                     city_name=city_name, fmt=fmt)  # fmt: skip
    svg = inline_svg(_save_svg(fig, salt=chart_id), chart_id=chart_id, title=title, desc=alt)
    return Chart(chart_id, title, alt, svg)
