"""Colours and legends of the site's maps: fixed national deciles, classed values, statuses.

Three kinds of map layer, each with one legend:

* **National deciles** (the IMD and each domain): the fixed classes 1–10 of the national
  ranking, the same colours on every page and vintage, every class labelled. The palette is
  viridis sampled at ten points, dark for decile 1 (most deprived): it changes monotonically
  in lightness, so it stays ordered for readers with any colour-vision deficiency and in
  greyscale.
* **Classed continuous values** (scores): classes from :mod:`geo.presentation.site.classify`, coloured
  with ColorBrewer's YlOrRd (sequential, colour-blind safe), dark for the most deprived.
* **Categories** (rank-change status): Okabe–Ito colours chosen to differ in lightness too.

A legend is data (:class:`Legend`); the page script draws it with text nodes, so its labels
are never interpreted as markup.

This module is also the one place the map's line colours are declared (:data:`PALETTE`,
sent to the page script in each page's data and to the stylesheet as CSS custom
properties): the white halo drawn under every outline, the edge of highlighted polygons,
the focus ring and the line of the area chosen from the keyboard. :func:`contrast_ratio`
is WCAG 2.2's; :func:`outline_problems` checks a line colour against every fill the site
draws (each blended at :data:`FILL_OPACITY` over the map background), and the site build
refuses a configured tier colour that fails it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import matplotlib as mpl

from geo.core.errors import ConfigError

DECILE_COLOURS: Final[tuple[str, ...]] = (
    "#440154", "#482878", "#3e4989", "#31688e", "#26828e",
    "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725",
)  # fmt: skip
"""Colour of national deciles 1 (most deprived) to 10 (least deprived): viridis."""

DECILE_LABELS: Final[tuple[str, ...]] = (
    "1: most deprived 10%",
    *(f"{d}: {10 * (d - 1)}–{10 * d}% most deprived" for d in range(2, 10)),
    "10: least deprived 10%",
)
"""Label of every national decile, 1 first."""

NO_DATA_COLOUR: Final = "#bdbdbd"
"""Fill of a polygon without a value."""

STATUS_COLOURS: Final[dict[str, str]] = {
    "remained": "#d55e00",
    "moved_in": "#f0e442",
    "moved_out": "#0072b2",
}
"""Rank-change status → colour (Okabe–Ito vermillion, yellow, blue)."""

STATUS_LABELS: Final[dict[str, str]] = {
    "remained": "Remained in the most deprived 1%",
    "moved_in": "Moved into the most deprived 1%",
    "moved_out": "Moved out of the most deprived 1%",
}
"""Rank-change status → plain-English label (relative wording only)."""

SCORE_COLOURMAP: Final = "YlOrRd"

MAX_SCORE_CLASSES: Final = 9
"""Most classes a continuous layer has (``site.classification.k`` in the config schema)."""

FILL_OPACITY: Final = 0.8
"""Opacity of every polygon fill (the colour seen is the fill blended over the background)."""

MAP_BACKGROUND: Final = "#ffffff"
"""Background of the map where no polygon is drawn (and of the page around it)."""

HALO: Final = "#ffffff"
"""Colour of the halo drawn under every outline, so a dark line stands out on dark fills."""

HALO_EXTRA: Final = 3.0
"""The halo is this many pixels wider than its line."""

FILL_EDGE: Final = "#ffffff"
"""Thin edge between neighbouring filled polygons (decoration; the fills carry the data)."""

HIGHLIGHT_EDGE: Final = "#1b1b1b"
"""Edge of highlighted polygons drawn on the bare background (rank-change statuses)."""

CONTEXT_LINE: Final = "#767676"
"""Outline of the neighbouring LSOAs drawn, unfilled, around an area for orientation."""

FOCUS: Final = "#e8590c"
"""Focus ring of every control, and of the map itself (3 px, on every page background)."""

DRAW_LINE: Final = "#000000"
"""Line of a shape drawn on the draw page (4 px, over a white halo)."""

FOCUS_LINE: Final = "#000000"
"""Line (over its halo) of the area chosen with the arrow keys on a map."""

LABEL: Final = "#1b1b1b"
"""Text of the maps' place labels, drawn over a halo of :data:`HALO` (text: 4.5:1 at least)."""

PAGE_BACKGROUNDS: Final[tuple[str, ...]] = (
    "#ffffff", "#1d3557", "#eef2f7", "#e8f0fb", "#fff3bf",
)  # fmt: skip
"""Every background a focusable element sits on (page, header, table head, search hit,
targeted table row): the stylesheet's ``--geo-bg-*`` properties."""

PALETTE: Final[dict[str, str]] = {
    "background": MAP_BACKGROUND, "halo": HALO, "fillEdge": FILL_EDGE,
    "highlightEdge": HIGHLIGHT_EDGE, "context": CONTEXT_LINE, "focus": FOCUS,
    "focusLine": FOCUS_LINE, "draw": DRAW_LINE, "noData": NO_DATA_COLOUR, "label": LABEL,
}  # fmt: skip

"""The line colours the page script and stylesheet use, by name."""

MIN_CONTRAST: Final = 3.0
"""WCAG 2.2 SC 1.4.11 (non-text contrast): 3:1 for lines and focus indicators."""


@dataclass(frozen=True)
class Legend:
    """The key of one map layer: a title and one colour and label per class."""

    title: str
    colours: tuple[str, ...]
    labels: tuple[str, ...]
    note: str = ""
    strip: tuple[str, str] | None = None
    """Draw the classes as one row of numbered swatches with these two end labels (an
    ordered scale such as the deciles: small on the map, every class still labelled)."""

    def __post_init__(self) -> None:
        if len(self.colours) != len(self.labels):
            msg = (
                f"legend {self.title!r}: {len(self.colours)} colours but {len(self.labels)} labels"
            )
            raise ValueError(msg)

    def to_json(self) -> dict[str, object]:
        """Return the legend as the page script reads it."""
        out: dict[str, object] = {
            "title": self.title,
            "items": [list(pair) for pair in zip(self.colours, self.labels, strict=True)],
            "note": self.note,
        }
        if self.strip is not None:
            out["strip"] = list(self.strip)
        return out


def decile_legend(title: str) -> Legend:
    """Legend of a national-decile layer: ten fixed classes, each labelled."""
    return Legend(
        title=title,
        colours=DECILE_COLOURS,
        labels=DECILE_LABELS,
        note="National deciles: the same classes on every map.",
        strip=("1 = most deprived 10%", "10 = least deprived"),
    )


def sequential_colours(k: int) -> tuple[str, ...]:
    """``k`` colours of the score palette, lightest (least deprived) first."""
    if k < 2:
        msg = f"k={k}: a classed layer needs at least 2 classes"
        raise ValueError(msg)
    cmap = mpl.colormaps[SCORE_COLOURMAP]
    return tuple(mpl.colors.to_hex(cmap(0.12 + 0.83 * i / (k - 1))) for i in range(k))


def format_number(value: float, decimals: int) -> str:
    """``value`` with thousands separators and ``decimals`` decimal places."""
    return f"{value:,.{decimals}f}"


def class_labels(bins: Sequence[float], *, minimum: float, decimals: int) -> tuple[str, ...]:
    """Labels ``"a to b"`` of classes whose upper bounds are ``bins`` (lowest first)."""
    lowers = [minimum, *bins[:-1]]
    labels = []
    for i, (low, high) in enumerate(zip(lowers, bins, strict=True)):
        lo, hi = format_number(low, decimals), format_number(high, decimals)
        labels.append(f"{lo} to {hi}" if i == 0 else f"over {lo} to {hi}")
    return tuple(labels)


def class_legend(
    title: str, bins: Sequence[float], *, minimum: float, decimals: int = 1, note: str = ""
) -> Legend:
    """Legend of a classed continuous layer with class upper bounds ``bins``."""
    return Legend(
        title=title,
        colours=sequential_colours(len(bins)),
        labels=class_labels(bins, minimum=minimum, decimals=decimals),
        note=note,
    )


def status_legend(title: str) -> Legend:
    """Legend of a rank-change status layer."""
    return Legend(
        title=title,
        colours=tuple(STATUS_COLOURS.values()),
        labels=tuple(STATUS_LABELS[s] for s in STATUS_COLOURS),
    )


def outline_legend(title: str, label: str, colour: str) -> Legend:
    """Legend of a boundary overlay: one line colour."""
    return Legend(title=title, colours=(colour,), labels=(label,), note="outline")


# --- contrast --------------------------------------------------------------------------


def _rgb(colour: str) -> tuple[float, float, float]:
    r, g, b, _ = mpl.colors.to_rgba(colour)
    return r, g, b


def relative_luminance(colour: str) -> float:
    """WCAG 2.2 relative luminance of an sRGB colour (``"#rrggbb"`` or a named colour)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.2 contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)))
    return (lb + 0.05) / (la + 0.05)


def blend(colour: str, background: str, opacity: float) -> str:
    """``colour`` drawn at ``opacity`` over ``background``, as ``"#rrggbb"``."""
    front, back = _rgb(colour), _rgb(background)
    r, g, b = (opacity * f + (1 - opacity) * c for f, c in zip(front, back, strict=True))
    return mpl.colors.to_hex((r, g, b))


def map_fills() -> dict[str, str]:
    """Every fill colour a map draws, as seen (blended over the background), by name."""
    fills: dict[str, str] = {"background": MAP_BACKGROUND}
    named = [(f"decile {i}", c) for i, c in enumerate(DECILE_COLOURS, 1)]
    named += [(f"status {s}", c) for s, c in STATUS_COLOURS.items()]
    named += [("no data", NO_DATA_COLOUR)]
    for k in range(2, MAX_SCORE_CLASSES + 1):
        named += [(f"score class {i + 1} of {k}", c) for i, c in enumerate(sequential_colours(k))]
    for name, colour in named:
        fills[name] = blend(colour, MAP_BACKGROUND, FILL_OPACITY)
    return fills


def outline_problems(colour: str, *, halo: str = HALO) -> list[str]:
    """Why a line of ``colour`` over its ``halo`` fails 3:1 on some fill (empty: it passes).

    A line passes when it differs from its own halo by 3:1 (so it reads wherever it is
    drawn) and, over every fill, the line or its halo differs from the fill by 3:1 (so the
    pair stands out from the polygons it crosses).
    """
    problems = []
    own = contrast_ratio(colour, halo)
    if own < MIN_CONTRAST:
        problems.append(f"{own:.2f}:1 against its halo {halo}")
    for name, fill in map_fills().items():
        best = max(contrast_ratio(colour, fill), contrast_ratio(halo, fill))
        if best < MIN_CONTRAST:
            problems.append(f"{best:.2f}:1 against the {name} fill {fill}")
    return problems


def check_outline_colour(colour: str, *, where: str) -> None:
    """Raise :class:`ConfigError` naming ``where`` if ``colour`` fails :func:`outline_problems`."""
    try:
        problems = outline_problems(colour)
    except ValueError as error:
        msg = f"{where}: value {colour!r} is not a colour ({error})"
        raise ConfigError(msg) from error
    if problems:
        msg = (
            f"{where}: outline colour {colour!r} is below {MIN_CONTRAST:g}:1 "
            f"({'; '.join(problems[:3])}); choose a darker colour"
        )
        raise ConfigError(msg)


def css_properties() -> str:
    """Return the palette as CSS custom properties (``:root { --geo-focus: ...; }``)."""
    lines = [f"  --geo-{_kebab(k)}: {v};" for k, v in PALETTE.items()]
    lines += [f"  --geo-bg-{i}: {c};" for i, c in enumerate(PAGE_BACKGROUNDS)]
    return ":root {\n" + "\n".join(lines) + "\n}\n"


def _kebab(name: str) -> str:
    return "".join(f"-{c.lower()}" if c.isupper() else c for c in name)
