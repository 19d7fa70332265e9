"""The tables for spreadsheets and linked data: XLSX workbooks and CSVW metadata.

* :func:`write_workbook`: one workbook per tier (and one of the LSOAs), a sheet per IoD
  release, a data-dictionary sheet and an about sheet with the licence. Core properties
  carry a fixed date and the zip entries fixed dates, so rebuilds are byte-identical.
* :func:`csvw_metadata`: the W3C CSVW description (``<file>.csv-metadata.json``) of a CSV:
  a ``tableSchema`` with every column's name, title, description and datatype, from
  :mod:`geo.model.dictionary`; :func:`check_csvw` checks a CSV against it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import math
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

from geo.core.io import atomic_path
from geo.model.dictionary import UNDOCUMENTED, describe, description_of, title_of
from geo.model.tiers import TierRegistry
from geo.presentation.gis.metadata import ATTRIBUTION, LICENCE, LICENCE_URL
from geo.presentation.gis.project import zip_bytes

logger = logging.getLogger(__name__)

FIXED_DATE: Final = dt.datetime(2000, 1, 1)
"""Creation and modification date of every workbook (for byte-identical rebuilds)."""

CSVW_CONTEXT: Final = "http://www.w3.org/ns/csvw"
BOOLEAN_FORMAT: Final = "True|False"
"""How pandas writes booleans, as a CSVW boolean format."""


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return None if isinstance(value, float) and math.isnan(value) else value


def _sheet(wb: Workbook, title: str, frame: pd.DataFrame) -> None:
    ws = wb.create_sheet(title=title[:31])
    ws.append(list(frame.columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False):
        ws.append([_cell(v) for v in row])
    ws.freeze_panes = "A2"


def workbook_bytes(
    frames: Sequence[pd.DataFrame], *, title: str, tiers: TierRegistry | None = None
) -> bytes:
    """Return the XLSX of ``frames``: a sheet per release, a data dictionary, an about sheet."""
    wb = Workbook()
    wb.remove(wb.active)
    columns: list[str] = []
    for frame in frames:
        columns += [c for c in frame.columns if c not in columns]
        if "vintage" in frame and not frame.empty:
            for vintage, rows in frame.groupby("vintage", sort=True):
                _sheet(wb, f"IoD{int(str(vintage))}", rows)
        else:
            _sheet(wb, "data", frame)
    dictionary = pd.DataFrame(
        [(c, title_of(c, tiers), *(describe(c, tiers) or (UNDOCUMENTED, "", ""))) for c in columns],
        columns=["column", "title", "meaning", "unit", "source"],
    )
    _sheet(wb, "Data dictionary", dictionary)
    about = pd.DataFrame(
        [("title", title), ("licence", f"{LICENCE} ({LICENCE_URL})"), ("attribution", ATTRIBUTION),
         ("national ranks", "The published ones; nothing is re-ranked within the authority.")],
        columns=["item", "value"],
    )  # fmt: skip
    _sheet(wb, "About", about)
    wb.properties.title = title
    wb.properties.creator = "deprivation geography pipeline"
    wb.properties.created = FIXED_DATE
    wb.properties.modified = FIXED_DATE
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    return zip_bytes(entries)


def write_workbook(
    csvs: Sequence[Path | str], path: Path | str, *, title: str, tiers: TierRegistry | None = None
) -> None:
    """Write the workbook of the CSVs ``csvs`` (one or a CSV per release) to ``path``."""
    frames = [pd.read_csv(csv, encoding="utf-8-sig", low_memory=False) for csv in csvs]
    with atomic_path(path) as tmp:
        tmp.write_bytes(workbook_bytes(frames, title=title, tiers=tiers))
    logger.info("Wrote %s (%d rows)", path, sum(len(f) for f in frames))


def _datatype(series: pd.Series) -> str | dict[str, str]:
    if pd.api.types.is_bool_dtype(series):
        return {"base": "boolean", "format": BOOLEAN_FORMAT}
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "number"
    values = set(series.dropna().astype(str))
    if values and values <= {"True", "False"}:
        return {"base": "boolean", "format": BOOLEAN_FORMAT}
    return "string"


def csvw_metadata(
    csv: Path | str, *, title: str | None = None, tiers: TierRegistry | None = None
) -> dict[str, Any]:
    """Return the CSVW metadata of ``csv``: its columns' titles, descriptions and datatypes."""
    csv = Path(csv)
    frame = pd.read_csv(csv, encoding="utf-8-sig", low_memory=False, keep_default_na=False,
                        na_values=[""])  # fmt: skip
    columns = []
    for column in frame.columns:
        entry: dict[str, Any] = {
            "name": re.sub(r"[^A-Za-z0-9_]", "_", column),
            "titles": column,
            "datatype": _datatype(frame[column]),
        }
        if describe(column, tiers) is not None:
            entry["dc:title"] = title_of(column, tiers)
            entry["dc:description"] = description_of(column, tiers)
        else:
            logger.warning("%s: column %s is not in the data dictionary", csv, column)
        columns.append(entry)
    return {
        "@context": CSVW_CONTEXT,
        "url": csv.name,
        "dc:title": title or csv.stem.replace("_", " "),
        "dc:license": {"@id": LICENCE_URL},
        "dc:rights": ATTRIBUTION,
        "dialect": {"encoding": "utf-8", "header": True},
        "tableSchema": {"columns": columns},
    }


def write_csvw(
    csvs: Sequence[Path | str], outputs: Sequence[Path | str], tiers: TierRegistry | None = None
) -> None:
    """Write the CSVW metadata of each CSV in ``csvs`` to the matching path of ``outputs``."""
    for csv, out in zip(csvs, outputs, strict=True):
        meta = csvw_metadata(csv, tiers=tiers)
        with atomic_path(out) as tmp:
            tmp.write_text(json.dumps(meta, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                           encoding="utf-8")  # fmt: skip
    logger.info("Wrote CSVW metadata of %d CSV files", len(csvs))


_PARSERS: Final[Mapping[str, Any]] = {
    "integer": lambda v: int(v),
    "number": lambda v: float(v),
    "string": str,
}


def check_csvw(csv: Path | str, meta: Mapping[str, Any]) -> list[str]:
    """Problems of ``csv`` against its CSVW metadata (empty when it conforms).

    Checks that the header matches the columns' titles, in order, and that every non-empty
    cell parses as its column's datatype.
    """
    frame = pd.read_csv(csv, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    columns = meta["tableSchema"]["columns"]
    problems = []
    titles = [c["titles"] for c in columns]
    if list(frame.columns) != titles:
        problems.append(f"header {list(frame.columns)} != titles {titles}")
        return problems
    for column in columns:
        datatype = column["datatype"]
        for value in frame[column["titles"]]:
            if value == "":
                continue
            try:
                if isinstance(datatype, dict):
                    if value not in datatype["format"].split("|"):
                        raise ValueError(value)
                else:
                    _PARSERS[datatype](value)
            except (ValueError, KeyError):
                problems.append(f"{column['titles']}: {value!r} is not {datatype}")
                break
    return problems
