"""Readers of the framework's real series, each coping with its published format.

Every reader returns a plain long table and raises :class:`IndicatorError` naming the file,
the line (1-based, as an editor shows it) and the offending value when the input is not
what the publisher writes:

:func:`read_statxplore`
    A DWP Stat-Xplore CSV export: optional title lines (``Stat-Xplore``, the table title,
    ``Filters:`` …), a header row ``Year|Month, <period>, <period> - Annotations, …``, a row
    naming the geography level, one row per area, then ``Total`` and footnotes. ``..`` is a
    suppressed (nil or negligible) figure: it stays missing, never 0. A ``(p)`` after a
    period marks it provisional.
:func:`read_police_uk`
    police.uk street-level CSVs: one record per crime or anti-social behaviour incident with
    ``Month``, ``LSOA code`` and ``Crime type``; counted per (month, LSOA, crime type).
:func:`read_fuel_poverty_lsoa`
    The BEIS sub-regional fuel poverty workbook: the LSOA sheet, a header row found below
    its title rows (LSOA code, number of households, number of fuel-poor households).
:func:`read_census_long`
    Census 2021 long tables (``.csv`` or ``.csv.gz``): one row per LSOA × category with the
    count ``n`` and the LSOA total.
:func:`read_census2011_population`
    Census 2011 usual residents and households per LSOA 2011, numbers with thousands
    separators ("1,563").
"""

from __future__ import annotations

import csv
import gzip
import io
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from geo.core.checks import require_columns, show
from geo.statistics.indicators.tidy import IndicatorError

logger = logging.getLogger(__name__)

SUPPRESSED = ".."
"""Stat-Xplore's mark of a suppressed figure (nil or negligible)."""

_MONTHS = {m: i for i, m in enumerate(
    ("January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"), start=1)}  # fmt: skip
_FY = re.compile(r"^(?P<start>\d{4})/(?P<end>\d{2})$")
_MONTH = re.compile(r"^(?P<month>[A-Z][a-z]+) (?P<year>\d{4})$")
_PROVISIONAL = re.compile(r"\s*\((?:p|r)\)\s*$")


@dataclass(frozen=True)
class StatXplorePeriod:
    """A period column of a Stat-Xplore table: the label as published and as stored."""

    label: str
    """As in the file: ``2021/22 (p)``, ``August 2015``."""
    period: str
    """Sortable label: ``FYE2022`` for 2021/22, ``2015-08`` for August 2015."""
    provisional: bool


def statxplore_period(label: str, *, source: str) -> StatXplorePeriod:
    """Turn a Stat-Xplore period header into a sortable period label.

    Financial years ``2014/15`` become ``FYE2015`` (the financial year ending March 2015);
    months ``August 2015`` become ``2015-08``; ``(p)`` marks a provisional figure.

    Raises:
        IndicatorError: the header is neither form (naming ``source`` and the header).

    """
    text = label.strip()
    provisional = bool(re.search(r"\(p\)\s*$", text))
    core = _PROVISIONAL.sub("", text)
    if m := _FY.match(core):
        start, end = int(m["start"]), int(m["end"])
        if (start + 1) % 100 != end:
            msg = f"{source}: period header {label!r} is not a financial year (YYYY/YY)"
            raise IndicatorError(msg)
        return StatXplorePeriod(text, f"FYE{start + 1}", provisional)
    if (m := _MONTH.match(core)) and m["month"] in _MONTHS:
        return StatXplorePeriod(text, f"{m['year']}-{_MONTHS[m['month']]:02d}", provisional)
    msg = (f"{source}: period header {label!r} is neither a financial year ('2014/15') nor a "
           f"month ('August 2015')")  # fmt: skip
    raise IndicatorError(msg)


def _number(text: str, *, source: str, line: int, field: str) -> float | None:
    """Read a Stat-Xplore cell: a count, ``..`` (suppressed → None) or empty (None)."""
    value = text.strip()
    if value in {SUPPRESSED, ""}:
        return None
    try:
        out = float(value.replace(",", ""))
    except ValueError:
        out = float("nan")
    if out != out or out < 0:  # NaN: not a number
        msg = f"{source}: line {line}: field {field!r} has value {text!r}, not a count or '..'"
        raise IndicatorError(msg)
    return out


def _statxplore_header(
    rows: list[list[str]], *, source: str
) -> tuple[int, list[StatXplorePeriod], int]:
    """Find the header row; return its index, the periods and the row width."""
    header_at = next((i for i, r in enumerate(rows)
                      if len(r) >= 3 and r[0].strip() in {"Year", "Month", "Quarter"}), None)  # fmt: skip
    if header_at is None:
        msg = f"{source}: no Stat-Xplore header row (first cell 'Year' or 'Month' followed by periods)"
        raise IndicatorError(msg)
    header = [c.strip() for c in rows[header_at]]
    while header and header[-1] == "":
        header.pop()
    values = header[1::2]
    notes = header[2::2]
    if len(values) != len(notes):
        msg = f"{source}: line {header_at + 1}: period {values[-1]!r} has no annotation column"
        raise IndicatorError(msg)
    for v, n in zip(values, notes, strict=True):
        if n != f"{_PROVISIONAL.sub('', v)} - Annotations":
            msg = (f"{source}: line {header_at + 1}: column after {v!r} is {n!r}, expected "
                   f"'{_PROVISIONAL.sub('', v)} - Annotations'")  # fmt: skip
            raise IndicatorError(msg)
    periods = [statxplore_period(v, source=f"{source}: line {header_at + 1}") for v in values]
    return header_at, periods, len(header)


def read_statxplore(path: Path | str) -> pd.DataFrame:
    """Read a Stat-Xplore CSV export as a long table.

    Returns:
        ``area_name, line, period, label, provisional, value`` — one row per area × period
        in the file's order of periods; ``value`` NaN where suppressed (``..``); ``line``
        the area's line in the file. The ``Total`` row and footnotes are left out;
        ``Unknown`` stays. Names may repeat across Great Britain (Scottish intermediate
        zones): the join to codes (:func:`geo.statistics.indicators.geographies.msoa21_codes`)
        fails on a repeated name it needs.

    Raises:
        IndicatorError: naming the file and line: no header row; a period header of the
            wrong form; a header value column without its annotation column; a row with
            the wrong number of cells; a value that is neither a count nor ``..``.

    """
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"{source}: cannot read as UTF-8 text: {exc}"
        raise IndicatorError(msg) from exc
    rows = list(csv.reader(io.StringIO(text)))
    header_at, periods, width = _statxplore_header(rows, source=source)
    records = _statxplore_rows(rows, header_at, periods, width, source=source)
    if not records:
        msg = f"{source}: no area rows below the header on line {header_at + 1}"
        raise IndicatorError(msg)
    out = pd.DataFrame(
        records, columns=["area_name", "line", "period", "label", "provisional", "value"]
    )
    out["value"] = out["value"].astype("float64")
    logger.info("Read %s: %d areas × %d periods (%s to %s), %d suppressed", source,
                out["line"].nunique(), len(periods), periods[0].period, periods[-1].period,
                int(out["value"].isna().sum()))  # fmt: skip
    return out


def _statxplore_rows(
    rows: list[list[str]],
    header_at: int,
    periods: list[StatXplorePeriod],
    width: int,
    *,
    source: str,
) -> list[tuple[str, int, str, str, bool, float | None]]:
    """Read the area rows below the header, up to ``Total`` or the blank line before the notes."""
    records: list[tuple[str, int, str, str, bool, float | None]] = []
    for i in range(header_at + 1, len(rows)):
        row = rows[i]
        line = i + 1
        cells = [c for c in row]
        while cells and cells[-1].strip() == "" and len(cells) > width:
            cells.pop()
        if not cells or all(c.strip() == "" for c in cells):
            if records:
                break  # the blank line before the footnotes
            continue
        name = cells[0].strip()
        if len(cells) <= 2 and not records:
            continue  # the geography-level row ("National - Regional - LA - OAs")
        if name == "Total":
            break
        if len(cells) != width:
            msg = f"{source}: line {line}: {len(cells)} cells, expected {width} (area {name!r})"
            raise IndicatorError(msg)
        for k, p in enumerate(periods):
            value = _number(cells[1 + 2 * k], source=source, line=line, field=p.label)
            records.append((name, line, p.period, p.label, p.provisional, value))
    return records


POLICE_COLUMNS: tuple[str, ...] = ("Month", "LSOA code", "Crime type")
_YEAR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_LSOA_CODE = re.compile(r"^[EW]010\d{5}$")


def read_police_uk(path: Path | str) -> pd.DataFrame:
    """Count police.uk street-level records per (month, LSOA, crime type).

    Records without an LSOA code (no location) are counted apart and logged; they belong to
    no LSOA.

    Returns:
        ``month, lsoa_code, crime_type, records``.

    Raises:
        IndicatorError: naming the file and line: a missing column; a ``Month`` not
            ``YYYY-MM``; an ``LSOA code`` that is not an LSOA code; an empty crime type.

    """
    source = str(path)
    try:
        df = pd.read_csv(path, dtype="string", keep_default_na=False, encoding="utf-8-sig")
    except (OSError, ValueError) as exc:
        msg = f"{source}: cannot read as CSV: {exc}"
        raise IndicatorError(msg) from exc
    try:
        require_columns(df, POLICE_COLUMNS, source=source)
    except Exception as exc:
        raise IndicatorError(str(exc)) from exc
    month = df["Month"].str.strip()
    code = df["LSOA code"].str.strip()
    kind = df["Crime type"].str.strip()
    for field, bad in (
        ("Month", ~month.str.match(_YEAR_MONTH)),
        ("LSOA code", (code != "") & ~code.str.match(_LSOA_CODE)),
        ("Crime type", kind == ""),
    ):
        if bad.any():
            first = int(bad.to_numpy().argmax())
            value = df[field].iloc[first]
            msg = (f"{source}: line {first + 2}: field {field!r} has value {value!r}"
                   f"{' (expected YYYY-MM)' if field == 'Month' else ''}"
                   f"{f' (and {int(bad.sum()) - 1} more)' if bad.sum() > 1 else ''}")  # fmt: skip
            raise IndicatorError(msg)
    located = code != ""
    if (~located).any():
        logger.info("%s: %d record(s) without a location (no LSOA) left out", source,
                    int((~located).sum()))  # fmt: skip
    counts = (
        pd.DataFrame({"month": month, "lsoa_code": code, "crime_type": kind})
        .loc[located]
        .groupby(["month", "lsoa_code", "crime_type"], sort=True)
        .size()
        .rename("records")
        .reset_index()
    )
    logger.info("Read %s: %d records in %d LSOAs, %d crime types", source,
                int(counts["records"].sum()), counts["lsoa_code"].nunique(),
                counts["crime_type"].nunique())  # fmt: skip
    return counts


FUEL_POVERTY_FIELDS: dict[str, tuple[str, ...]] = {
    "lsoa_code": ("LSOA Code", "LSOA code"),
    "households": ("Number of households", "Number of Households"),
    "fuel_poor": ("Number of households in fuel poverty", "Number of Households in fuel poverty"),
}
"""Canonical column → the headers BEIS uses for it (the first found is taken)."""


def _match_header(cells: Sequence[object]) -> dict[str, int] | None:
    text = [str(c).strip().replace("\n", " ") if c is not None else "" for c in cells]
    lower = [t.lower() for t in text]
    found: dict[str, int] = {}
    for key, names in FUEL_POVERTY_FIELDS.items():
        for name in names:
            if name.lower() in lower:
                found[key] = lower.index(name.lower())
                break
    return found if len(found) == len(FUEL_POVERTY_FIELDS) else None


def _find_table(
    wb: Any, sheet: str | None, *, source: str
) -> tuple[str, int, list[tuple[Any, ...]]]:
    """Return the sheet, header row index and rows of the LSOA table (closing the workbook)."""
    try:
        names = [sheet] if sheet else list(wb.sheetnames)
        missing = [n for n in names if n not in wb.sheetnames]
        if missing:
            msg = f"{source}: no sheet {missing[0]!r} (sheets: {', '.join(wb.sheetnames)})"
            raise IndicatorError(msg)
        found = None
        for name in names:
            rows = list(wb[name].iter_rows(values_only=True, max_row=40))
            at = next((i for i, r in enumerate(rows) if _match_header(r)), None)
            if at is not None:
                found = name, at, list(wb[name].iter_rows(values_only=True))
                break
    finally:
        wb.close()
    if found is None:
        msg = (f"{source}: no sheet with a header row of "
               f"{', '.join(n[0] for n in FUEL_POVERTY_FIELDS.values())} in its first 40 rows "
               f"(sheets searched: {', '.join(names)})")  # fmt: skip
        raise IndicatorError(msg)
    return found


def read_fuel_poverty_lsoa(path: Path | str, *, sheet: str | None = None) -> pd.DataFrame:
    """Read the LSOA table of a BEIS sub-regional fuel poverty workbook.

    Args:
        path: The workbook.
        sheet: Its sheet name; default the first sheet with the LSOA header (``Table 3``
            in the 2022 tables).

    Returns:
        ``lsoa_code, households, fuel_poor`` (counts; empty cells NaN).

    Raises:
        IndicatorError: naming the file, sheet and row: no sheet with a header row of
            the three columns; a count that is not a number; an LSOA listed twice.

    """
    import openpyxl

    source = str(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        msg = f"{source}: cannot open as an xlsx workbook: {exc}"
        raise IndicatorError(msg) from exc
    name, header_at, rows = _find_table(wb, sheet, source=source)
    cols = _match_header(rows[header_at]) or {}
    records = []
    for i in range(header_at + 1, len(rows)):
        row = rows[i]
        code = row[cols["lsoa_code"]] if len(row) > cols["lsoa_code"] else None
        if code is None or not _LSOA_CODE.match(str(code).strip()):
            continue  # blank rows, notes and regional totals below the table
        rec: dict[str, object] = {"lsoa_code": str(code).strip()}
        for key in ("households", "fuel_poor"):
            cell = row[cols[key]]
            if cell is None or str(cell).strip() == "":
                rec[key] = None
                continue
            try:
                rec[key] = float(str(cell).replace(",", ""))
            except ValueError:
                msg = (f"{source}: sheet {name!r} row {i + 1}: field {key!r} has value "
                       f"{cell!r}, not a number")  # fmt: skip
                raise IndicatorError(msg) from None
        records.append(rec)
    out = pd.DataFrame(records, columns=["lsoa_code", "households", "fuel_poor"])
    if out.empty:
        msg = f"{source}: sheet {name!r}: no LSOA rows below the header on row {header_at + 1}"
        raise IndicatorError(msg)
    dup = out["lsoa_code"].duplicated()
    if dup.any():
        msg = f"{source}: sheet {name!r}: LSOA(s) listed twice: {show(out.loc[dup, 'lsoa_code'])}"
        raise IndicatorError(msg)
    logger.info("Read %s sheet %r: %d LSOAs, %.0f households, %.0f fuel poor", source, name,
                len(out), out["households"].sum(), out["fuel_poor"].sum())  # fmt: skip
    return out.astype({"households": "float64", "fuel_poor": "float64"})


def _open_text(path: Path | str) -> io.TextIOBase:
    if str(path).endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig")
    return Path(path).open(encoding="utf-8-sig")


def read_census_long(
    path: Path | str, *, category: str, total: str, count: str = "n", code: str = "lsoa21_code"
) -> pd.DataFrame:
    """Read a Census 2021 long table (``.csv`` or ``.csv.gz``) and check its arithmetic.

    Returns:
        ``lsoa_code, category, n, total`` — one row per LSOA × category.

    Raises:
        IndicatorError: naming the file and line: a missing column; a count that is not a
            whole non-negative number; an LSOA whose categories do not add to its total.

    """
    source = str(path)
    try:
        with _open_text(path) as fh:
            df = pd.read_csv(fh, dtype="string", keep_default_na=False)
    except (OSError, ValueError, EOFError) as exc:
        msg = f"{source}: cannot read as CSV: {exc}"
        raise IndicatorError(msg) from exc
    try:
        require_columns(df, [code, category, total, count], source=source)
    except Exception as exc:
        raise IndicatorError(str(exc)) from exc
    out = pd.DataFrame({"lsoa_code": df[code].str.strip(), "category": df[category].str.strip()})
    for field, name in ((count, "n"), (total, "total")):
        numbers = pd.to_numeric(df[field].str.replace(",", "", regex=False), errors="coerce")
        bad = numbers.isna() | (numbers < 0)
        if bad.any():
            first = int(bad.to_numpy().argmax())
            msg = (f"{source}: line {first + 2}: field {field!r} has value "
                   f"{df[field].iloc[first]!r}, not a count")  # fmt: skip
            raise IndicatorError(msg)
        out[name] = numbers.astype("float64")
    sums = out.groupby("lsoa_code").agg(n=("n", "sum"), total=("total", "first"))
    off = sums.index[(sums["n"] - sums["total"]).abs() > 0.5]
    if len(off):
        msg = f"{source}: categories of {field!r} do not add to {total!r} for LSOA(s) {show(off)}"
        raise IndicatorError(msg)
    return out


def read_census2011_population(path: Path | str) -> pd.DataFrame:
    """Read Census 2011 usual residents and households per LSOA 2011 (thousands separators).

    The file has two blank header cells and three ``Persons`` columns (all, in households,
    communal); the first ``Persons`` is all usual residents.

    Returns:
        ``lsoa_code, residents, households``.

    Raises:
        IndicatorError: naming the file and line: a missing column; a number that is not
            a count.

    """
    source = str(path)
    try:
        with _open_text(path) as fh:
            rows = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"{source}: cannot read as CSV: {exc}"
        raise IndicatorError(msg) from exc
    if not rows:
        msg = f"{source}: empty file"
        raise IndicatorError(msg)
    header = [c.strip() for c in rows[0]]
    need = {"LSOA Code", "Persons", "Households"}
    if not need <= set(header):
        msg = f"{source}: line 1: missing column(s) {sorted(need - set(header))}"
        raise IndicatorError(msg)
    ci, pi, hi = header.index("LSOA Code"), header.index("Persons"), header.index("Households")
    records = []
    for i, row in enumerate(rows[1:], start=2):
        if not row or all(c.strip() == "" for c in row):
            continue
        rec: dict[str, object] = {"lsoa_code": row[ci].strip()}
        for key, j in (("residents", pi), ("households", hi)):
            cell = row[j].strip() if j < len(row) else ""
            if not re.fullmatch(r"\d{1,3}(,\d{3})*|\d+", cell):
                msg = f"{source}: line {i}: field {header[j]!r} has value {cell!r}, not a count"
                raise IndicatorError(msg)
            rec[key] = float(cell.replace(",", ""))
        records.append(rec)
    return pd.DataFrame(records, columns=["lsoa_code", "residents", "households"])


def read_phe_local_health(path: Path | str, *, columns: Sequence[str]) -> pd.DataFrame:
    """Read PHE Local Health MSOA 2011 indicators (one snapshot, the period in each header).

    Headers run over several lines ("Fuel Poverty" newline "2018"); their whitespace is folded to
    single spaces ("Fuel Poverty 2018", commas kept) before ``columns`` are matched.

    Returns:
        ``msoa_code, msoa_name`` and the requested ``columns`` (numbers; empty → NaN).

    Raises:
        IndicatorError: naming the file and line: a missing column; a value that is not a
            number.

    """
    source = str(path)
    try:
        with _open_text(path) as fh:
            reader = csv.reader(fh)
            rows, lines = [], []
            for row in reader:
                rows.append(row)
                lines.append(reader.line_num)
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"{source}: cannot read as CSV: {exc}"
        raise IndicatorError(msg) from exc
    if not rows:
        msg = f"{source}: empty file"
        raise IndicatorError(msg)
    header = [" ".join(c.replace(",", " ,").split()).replace(" ,", ",") for c in rows[0]]
    need = ["Code", "Label", *columns]
    missing = [c for c in need if c not in header]
    if missing:
        msg = f"{source}: line 1: missing column(s) {missing} (has {header})"
        raise IndicatorError(msg)
    at = {c: header.index(c) for c in need}
    records = []
    for i, row in zip(lines[1:], rows[1:], strict=True):
        if not row or all(c.strip() == "" for c in row):
            continue
        rec: dict[str, object] = {
            "msoa_code": row[at["Code"]].strip(),
            "msoa_name": row[at["Label"]].strip(),
        }
        for c in columns:
            cell = row[at[c]].strip() if at[c] < len(row) else ""
            try:
                rec[c] = float(cell.replace(",", "")) if cell else float("nan")
            except ValueError:
                msg = f"{source}: line {i}: field {c!r} has value {cell!r}, not a number"
                raise IndicatorError(msg) from None
        records.append(rec)
    return pd.DataFrame(records, columns=["msoa_code", "msoa_name", *columns])
