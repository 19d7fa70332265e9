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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import matplotlib as mpl

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


@dataclass(frozen=True)
class Legend:
    """The key of one map layer: a title and one colour and label per class."""

    title: str
    colours: tuple[str, ...]
    labels: tuple[str, ...]
    note: str = ""

    def __post_init__(self) -> None:
        if len(self.colours) != len(self.labels):
            msg = (
                f"legend {self.title!r}: {len(self.colours)} colours but {len(self.labels)} labels"
            )
            raise ValueError(msg)

    def to_json(self) -> dict[str, object]:
        """Return the legend as the page script reads it."""
        return {
            "title": self.title,
            "items": [list(pair) for pair in zip(self.colours, self.labels, strict=True)],
            "note": self.note,
        }


def decile_legend(title: str) -> Legend:
    """Legend of a national-decile layer: ten fixed classes, each labelled."""
    return Legend(
        title=title,
        colours=DECILE_COLOURS,
        labels=DECILE_LABELS,
        note="National deciles: the same classes on every map.",
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
