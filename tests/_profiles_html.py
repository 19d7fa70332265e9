"""Read the figures a profile page carries in its data attributes, to compare with the CSVs."""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser

import pandas as pd


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict[str, str]] = []
        self._open: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "data-measure" in a:
            self._open = {**a, "text": ""}

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag in ("td", "dd"):
            self.cells.append(self._open)
            self._open = None


def measure_cells(html: str) -> list[dict[str, str]]:
    """Every element with ``data-measure``: its attributes and visible text."""
    parser = _Cells()
    parser.feed(html)
    return parser.cells


def shown_number(text: str) -> float | None:
    """The number a cell shows (``"12.3%"`` → 0.123, ``"1,234"`` → 1234), None for a dash."""
    text = text.strip()
    if text in ("–", ""):
        return None
    value = float(re.sub(r"[,%]", "", text))
    return value / 100 if text.endswith("%") else value


def check_cells_against(cells: list[dict[str, str]], tables: dict[str, pd.DataFrame]) -> int:
    """Assert each cell's value and text equal its row of ``tables[source]``; return the count.

    ``tables``: ``area`` (the tier's summary), ``city`` and ``england``, each with
    ``area_code``, ``vintage`` and the measure columns.
    """
    checked = 0
    for c in cells:
        table = tables[c["data-source"]]
        rows = table.loc[
            (table["area_code"].astype(str) == c["data-code"])
            & (table["vintage"] == int(c["data-vintage"]))
        ]
        assert len(rows) == 1, f"no single CSV row for {c}"
        expected = rows.iloc[0].get(c["data-measure"], float("nan"))
        if pd.isna(expected):
            assert "data-value" not in c and c["text"].strip() == "–", c
            continue
        assert math.isclose(
            float(c["data-value"]), float(expected), rel_tol=1e-12, abs_tol=1e-12
        ), c
        shown = shown_number(c["text"])
        assert shown is not None, c
        decimals = len(c["text"].strip().rstrip("%").partition(".")[2])
        scale = 100 if c["text"].strip().endswith("%") else 1
        assert abs(shown - float(expected)) <= 0.51 * 10 ** (-decimals) / scale + 1e-12, c
        checked += 1
    return checked
