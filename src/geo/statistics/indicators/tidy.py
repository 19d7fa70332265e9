"""The tidy indicator table: one row per (area, period), checked on every read and write.

Columns, in order (:data:`COLUMNS`):

``area_code``
    ONS code of the area (an LSOA code for LSOA-level files).
``geography``
    Geography of ``area_code``: ``LSOA11`` or ``LSOA21`` for LSOA-level files. Every
    period uses one geography.
``period``
    Label of the period, sorting in time order: ``2019``, ``2024-03``, ``2023-Q4``,
    ``2022/23``.
``numerator``
    Count (people, households, LSOAs…); empty where not published. Never negative.
``denominator``
    Population at risk; empty for counts (indicator kind ``count``). Never negative, never 0.
``value``
    ``numerator / denominator × multiplier`` (``numerator × multiplier`` for counts); empty
    where the numerator or denominator is. Checked against the numbers it derives from.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from geo.core.checks import require_columns, show
from geo.core.errors import GeoInputError
from geo.statistics.indicators.metadata import SOURCE_GEOGRAPHIES, Indicator

logger = logging.getLogger(__name__)

COLUMNS: tuple[str, ...] = ("area_code", "geography", "period", "numerator", "denominator", "value")
"""Columns of a tidy indicator table, in order."""

KEY: tuple[str, str] = ("area_code", "period")

_RTOL = 1e-6


class IndicatorError(GeoInputError):
    """An indicator table or its metadata is not what the pipeline needs."""


def compute_value(numerator: pd.Series, denominator: pd.Series, meta: Indicator) -> pd.Series:
    """``numerator / denominator × multiplier`` (counts: ``numerator × multiplier``).

    NaN where an input is NaN; never 0 in place of a missing value.
    """
    num = pd.to_numeric(numerator).astype("float64")
    if not meta.has_denominator:
        return num * meta.multiplier
    den = pd.to_numeric(denominator).astype("float64")
    return (num / den.where(den > 0)) * meta.multiplier


def tidy_frame(
    area_code: pd.Series | list[str],
    *,
    geography: str,
    period: str,
    numerator: pd.Series,
    denominator: pd.Series | None,
    meta: Indicator,
) -> pd.DataFrame:
    """Assemble the tidy rows of one period, computing ``value`` from the counts."""
    codes = pd.Series(area_code).reset_index(drop=True).astype("string")
    num = pd.Series(numerator).reset_index(drop=True).astype("float64")
    den = (
        pd.Series(np.nan, index=num.index, dtype="float64")
        if denominator is None
        else pd.Series(denominator).reset_index(drop=True).astype("float64")
    )
    df = pd.DataFrame({"area_code": codes, "geography": geography, "period": str(period),
                       "numerator": num, "denominator": den})  # fmt: skip
    df["value"] = compute_value(df["numerator"], df["denominator"], meta)
    return df


def _rows(df: pd.DataFrame, mask: pd.Series, *cols: str) -> str:
    """Preview offending rows as ``area/period (col=value, …)``."""
    shown = [
        f"{r.area_code}/{r.period} (" + ", ".join(f"{c}={getattr(r, c)!r}" for c in cols) + ")"
        for r in df.loc[mask].head(5).itertuples(index=False)
    ]
    more = f" … and {int(mask.sum()) - 5} more" if int(mask.sum()) > 5 else ""
    return ", ".join(shown) + more


def _coerce_numbers(df: pd.DataFrame, *, source: str) -> pd.DataFrame:
    out = df.copy()
    for col in ("numerator", "denominator", "value"):
        converted = pd.to_numeric(out[col], errors="coerce")
        bad = converted.isna() & out[col].notna() & (out[col].astype("string").str.strip() != "")
        if bad.any():
            msg = f"{source}: field {col!r} is not a number in row(s) {_rows(out, bad, col)}"
            raise IndicatorError(msg)
        out[col] = converted.astype("float64")
    for col in ("area_code", "geography", "period"):
        text = out[col].astype("string").str.strip()
        empty = text.isna() | (text == "")
        if empty.any():
            msg = f"{source}: field {col!r} is empty in {int(empty.sum())} row(s)"
            raise IndicatorError(msg)
        out[col] = text
    return out


def _check_keys(df: pd.DataFrame, *, geographies: tuple[str, ...] | None, source: str) -> None:
    dup = df.duplicated(list(KEY), keep=False)
    if dup.any():
        pairs = df.loc[dup, list(KEY)].drop_duplicates()
        msg = (f"{source}: duplicate (area_code, period) pair(s): "
               f"{show(f'{a}/{p}' for a, p in pairs.itertuples(index=False))}")  # fmt: skip
        raise IndicatorError(msg)
    if geographies is not None:
        bad = ~df["geography"].isin(geographies)
        if bad.any():
            msg = (f"{source}: field 'geography' must be one of {', '.join(geographies)}; "
                   f"got {show(df.loc[bad, 'geography'])}")  # fmt: skip
            raise IndicatorError(msg)
    per_period = df.groupby("period")["geography"].nunique()
    mixed = per_period.index[per_period > 1]
    if len(mixed):
        msg = f"{source}: period(s) {show(mixed)} mix geographies; use one geography per period"
        raise IndicatorError(msg)


def _check_counts(df: pd.DataFrame, meta: Indicator, *, source: str) -> None:
    for col in ("numerator", "denominator"):
        neg = df[col] < 0
        if neg.any():
            msg = f"{source}: negative count in field {col!r}: {_rows(df, neg, col)}"
            raise IndicatorError(msg)
    if not meta.has_denominator:
        given = df["denominator"].notna()
        if given.any():
            msg = (f"{source}: indicator {meta.name!r} is a count, so 'denominator' must be "
                   f"empty; got {_rows(df, given, 'denominator')}")  # fmt: skip
            raise IndicatorError(msg)
        return
    zero = (df["denominator"] == 0) & df["numerator"].notna()
    if zero.any():
        msg = f"{source}: denominator is 0 in row(s) {_rows(df, zero, 'numerator', 'denominator')}"
        raise IndicatorError(msg)
    if meta.kind == "proportion":
        over = df["numerator"] > df["denominator"]
        if over.any():
            msg = (f"{source}: numerator > denominator for proportion {meta.name!r}: "
                   f"{_rows(df, over, 'numerator', 'denominator')}")  # fmt: skip
            raise IndicatorError(msg)


def _check_values(df: pd.DataFrame, meta: Indicator, *, source: str) -> None:
    expected = compute_value(df["numerator"], df["denominator"], meta)
    both = expected.notna() & df["value"].notna()
    off = both & ~np.isclose(df["value"], expected, rtol=_RTOL, atol=1e-9)
    if off.any():
        shown = _rows(df.assign(expected=expected), off, "value", "expected")
        msg = (f"{source}: field 'value' is not numerator / denominator × {meta.multiplier:g} "
               f"in row(s) {shown}")  # fmt: skip
        raise IndicatorError(msg)
    orphan = df["value"].notna() & expected.isna()
    if orphan.any():
        msg = (f"{source}: field 'value' is given where the numerator or denominator is "
               f"empty: {_rows(df, orphan, 'numerator', 'denominator', 'value')}")  # fmt: skip
        raise IndicatorError(msg)


def validate_indicator(
    df: pd.DataFrame,
    meta: Indicator,
    *,
    source: str,
    geographies: tuple[str, ...] | None = SOURCE_GEOGRAPHIES,
) -> pd.DataFrame:
    """Check a tidy indicator table and return it typed, ordered and sorted.

    Args:
        df: The table (:data:`COLUMNS`; extra columns are dropped).
        meta: The indicator's metadata (kind, multiplier, declared periods).
        source: Name of the file or step, used in every error message.
        geographies: Allowed values of ``geography``; None allows any.

    Raises:
        IndicatorError: naming ``source``, the field and the offending values: a missing
            column; an empty key; a duplicate (area_code, period); an unknown geography or
            one period on two geographies; a period not declared in the metadata; a
            non-numeric, negative or zero count; numerator > denominator for a proportion;
            a denominator on a count; a ``value`` that does not follow from the counts.

    """
    try:
        require_columns(df, COLUMNS, source=source)
    except GeoInputError as exc:
        raise IndicatorError(str(exc)) from exc
    out = _coerce_numbers(df.loc[:, list(COLUMNS)], source=source)
    _check_keys(out, geographies=geographies, source=source)
    if meta.periods:
        undeclared = sorted(set(out["period"]) - set(meta.periods))
        if undeclared:
            msg = (f"{source}: period(s) {show(undeclared)} are not declared for indicator "
                   f"{meta.name!r} (declared: {', '.join(meta.periods)})")  # fmt: skip
            raise IndicatorError(msg)
        wrong = [p for p, g in out.groupby("period")["geography"].first().items()
                 if meta.periods[str(p)].geography != g]  # fmt: skip
        if wrong:
            msg = f"{source}: period(s) {show(wrong)} are not on the geography declared in the registry"
            raise IndicatorError(msg)
    _check_counts(out, meta, source=source)
    _check_values(out, meta, source=source)
    return out.sort_values(["period", "area_code"], ignore_index=True)


def read_indicator(
    path: Path | str, meta: Indicator, *, geographies: tuple[str, ...] | None = SOURCE_GEOGRAPHIES
) -> pd.DataFrame:
    """Read a tidy indicator CSV and validate it (errors name the file)."""
    try:
        df = pd.read_csv(path, dtype={"area_code": "string", "geography": "string",
                                      "period": "string"}, encoding="utf-8-sig")  # fmt: skip
    except (OSError, ValueError) as exc:
        msg = f"{path}: cannot read as CSV: {exc}"
        raise IndicatorError(msg) from exc
    out = validate_indicator(df, meta, source=str(path), geographies=geographies)
    logger.info("Read indicator %s from %s: %d rows, periods %s", meta.name, path, len(out),
                ", ".join(sorted(out["period"].unique())))  # fmt: skip
    return out
