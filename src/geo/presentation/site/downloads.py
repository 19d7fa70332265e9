"""The downloads page: the files, a data dictionary of every column, provenance, licence.

:func:`geo.model.dictionary.describe` documents a column by name: its meaning, unit and
source (the same dictionary the GeoPackages, workbooks and CSVW metadata use). The dictionary
on the page lists every column of every CSV offered, with the files it appears in; a column
:func:`describe` does not know is listed as undocumented (and logged), and the tests fail on
it. Provenance comes from the dataset registry: version, official URL, sha256, licence.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable, Mapping, Sequence

from geo.inputs.registry import Dataset
from geo.model.dictionary import UNDOCUMENTED, describe
from geo.model.tiers import TierRegistry
from geo.presentation.site import tables as tb
from geo.presentation.site.model import Download
from geo.presentation.site.tables import Cell

logger = logging.getLogger(__name__)

__all__ = ["UNDOCUMENTED", "describe"]


def csv_columns(data: bytes) -> list[str]:
    """Return the header row of a CSV file's bytes (UTF-8, with or without a byte-order mark)."""
    first = data.decode("utf-8-sig").splitlines()[:1]
    return next(csv.reader(io.StringIO(first[0]))) if first else []


def dictionary_table(
    files: Mapping[str, bytes], tiers: TierRegistry | None = None
) -> tuple[tb.Table, list[str]]:
    """Build the data dictionary of the CSVs in ``files`` (name → bytes); list undocumented columns."""
    where: dict[str, list[str]] = {}
    for name, data in sorted(files.items()):
        if name.endswith(".csv"):
            for column in csv_columns(data):
                where.setdefault(column, []).append(name)
    rows = []
    undocumented = []
    for column in sorted(where, key=str.casefold):
        entry = describe(column, tiers)
        if entry is None:
            undocumented.append(column)
            entry = (UNDOCUMENTED, "", "")
        meaning, unit, source = entry
        shown = ", ".join(where[column][:4]) + (
            f" and {len(where[column]) - 4} more" if len(where[column]) > 4 else ""
        )
        rows.append(
            [
                Cell(column, column, header=True),
                tb.text(meaning),
                tb.text(unit),
                tb.text(source),
                tb.text(shown),
            ]
        )
    if undocumented:
        logger.warning(
            "Data dictionary: %d undocumented column(s): %s",
            len(undocumented),
            ", ".join(undocumented),
        )
    table = tb.Table("dictionary-table", f"Data dictionary ({len(rows)} columns)",
                     tb.columns("Column", "Meaning", "Unit", "Source", "Files"), tb.rows(rows),
                     note="GeoPackage layers hold the same columns as the CSV of the same name, plus geometry_source and the polygon.")  # fmt: skip
    return table, undocumented


_KINDS = ((".gpkg", "GeoPackage"), (".qgz", "QGIS project"), (".xlsx", "Excel workbook"),
          (".csv-metadata.json", "CSVW metadata (JSON)"))  # fmt: skip


def files_table(downloads: Sequence[Download], sizes: Mapping[str, int]) -> tb.Table:
    """Tabulate the files offered, linked relative to ``downloads/index.html``."""
    rows = []
    for d in downloads:
        kind = next((k for end, k in _KINDS if d.name.endswith(end)), "CSV")
        rows.append([Cell(d.name, d.name, d.name, header=True), tb.text(d.title), tb.text(kind),
                     tb.number(sizes.get(d.name, 0) / 1024, 0)])  # fmt: skip
    return tb.Table("files-table", f"Downloads ({len(rows)} files)",
                    tb.columns("File", "Contents", "Format", ("Size (KB)", True)), tb.rows(rows))  # fmt: skip


def provenance_table(
    registry: Mapping[str, Dataset], used: Iterable[str] | None = None
) -> tb.Table:
    """Every registry dataset (or those in ``used``): version, URL, checksum, licence."""
    names = sorted(registry) if used is None else sorted(set(used) & set(registry))
    rows = []
    for name in names:
        d = registry[name]
        rows.append([
            Cell(name, name, header=True), tb.text(d.title), tb.text(d.publisher), tb.text(d.version),
            tb.text(d.url or "(no public URL)", d.url or None), Cell(d.sha256, d.sha256),
            tb.text(d.licence), tb.text(d.status),
        ])  # fmt: skip
    return tb.Table("provenance-table", f"Input datasets ({len(rows)})",
                    tb.columns("Dataset", "Title", "Publisher", "Version", "Official URL", "SHA-256", "Licence", "Status"),
                    tb.rows(rows),
                    note="Status: official (as published), official-converted (the official content in another format), transcribed (official values copied from another copy of the table), derivative or derived (re-shaped by a third party or this project), local (a council lookup).")  # fmt: skip


def breaks_table(breaks: Sequence[Mapping[str, object]]) -> tb.Table:
    """Tabulate the classes of every continuous map layer (``classification_breaks.csv``)."""
    rows = [[Cell(str(b["layer"]), str(b["layer"]), header=True), tb.text(b["scheme"]), tb.number(b["class"]),
             tb.number(b["lower"], 3), tb.number(b["upper"], 3), tb.number(b["count"])] for b in breaks]  # fmt: skip
    return tb.Table("breaks-table", "Class breaks of the continuous map layers",
                    tb.columns("Layer", "Scheme", ("Class", True), ("Lower", True), ("Upper", True), ("Count", True)),
                    tb.rows(rows), note="A value is in the first class whose upper bound it does not exceed.")  # fmt: skip
