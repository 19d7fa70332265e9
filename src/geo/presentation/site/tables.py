"""HTML data tables of the site as data: columns, cells and sort keys for the templates.

Every map page carries its numbers as a sortable table too (``GeoSite.sortableTables`` in
``static/site.js`` sorts on the cells' ``data-value``), so nothing is only on the map. Cell
text is escaped by the templates' autoescaping.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Column:
    """A column heading; ``numeric`` columns sort by number and align right."""

    label: str
    numeric: bool = False
    sortable: bool = True


def lsoa_columns(
    vintages: Sequence[int], *, partial: bool, decile_label: str = "Decile"
) -> list[Column]:
    """Head an LSOA table: code, names, ward, share inside (if partial), rank and decile per release."""
    cols = [Column("LSOA code"), Column("LSOA name"), Column("Local name"), Column("Ward")]
    if partial:
        cols.append(Column("Share inside", True))
    for v in vintages:
        cols += [Column(f"IMD rank {v}", True), Column(f"{decile_label} {v}", True)]
    return cols


@dataclass(frozen=True)
class Cell:
    """One cell: its text, its sort value and an optional link."""

    text: str
    value: str = ""
    href: str | None = None
    header: bool = False


@dataclass(frozen=True)
class Row:
    """One row; ``id`` makes it a link target (``#lsoa-E01011294``)."""

    cells: tuple[Cell, ...]
    id: str | None = None


@dataclass(frozen=True)
class Table:
    """A table with a caption; ``sortable`` adds buttons to the column headings."""

    id: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    sortable: bool = True
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row.cells) != len(self.columns):
                msg = (
                    f"table {self.id!r}: a row has {len(row.cells)} cells for "
                    f"{len(self.columns)} columns"
                )
                raise ValueError(msg)


def missing(value: object) -> bool:
    """Return True for None, NaN and pandas' missing values."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def number(value: object, decimals: int = 0, *, percent: bool = False) -> Cell:
    """Make a numeric cell: ``1,234`` or ``12.3``; ``percent`` shows a 0–1 share as ``12.3%``."""
    if missing(value):
        return Cell("–", "")
    x = float(value)  # type: ignore[arg-type]
    shown = 100 * x if percent else x
    text = f"{shown:,.{decimals}f}" + ("%" if percent else "")
    return Cell(text, repr(round(x, 6)))


def count(value: object) -> Cell:
    """Make a count cell: a whole number as ``14``, a fractional (apportioned) one as ``2.4``."""
    if missing(value):
        return Cell("–", "")
    x = float(value)  # type: ignore[arg-type]
    text = f"{round(x):,}" if abs(x - round(x)) < 0.05 else f"{x:,.1f}"
    return Cell(text, repr(round(x, 6)))


def text(value: object, href: str | None = None, *, header: bool = False) -> Cell:
    """Make a text cell (empty for a missing value)."""
    shown = "" if missing(value) else str(value)
    return Cell(shown, shown, href, header)


def signed(value: object) -> Cell:
    """Make a signed whole-number cell: ``+1,234``, ``−56`` (minus sign), ``0``."""
    if missing(value):
        return Cell("–", "")
    x = round(float(value))  # type: ignore[arg-type]
    shown = f"+{x:,}" if x > 0 else (f"\u2212{-x:,}" if x < 0 else "0")
    return Cell(shown, str(x))


def columns(*specs: tuple[str, bool] | str) -> tuple[Column, ...]:
    """Columns from labels (text) and ``(label, numeric)`` pairs."""
    out = []
    for spec in specs:
        if isinstance(spec, str):
            out.append(Column(spec))
        else:
            out.append(Column(spec[0], spec[1]))
    return tuple(out)


def rows(
    cells: Sequence[Sequence[Cell]], ids: Sequence[str | None] | None = None
) -> tuple[Row, ...]:
    """Rows from lists of cells, with optional ids."""
    ids = ids or [None] * len(cells)
    return tuple(Row(tuple(c), i) for c, i in zip(cells, ids, strict=True))
