"""England's figure of the framework indicators whose source files cover all of England.

The profiles set an area beside the city and, where the data allow, England. Sources read
here cover every English LSOA (BEIS fuel poverty; the Census 2021 tables, which cover
England and Wales: English LSOAs ``E01…`` only are summed), so England's value is the same
``Σ numerator / Σ denominator × multiplier`` as any area's. Other series (DWP Stat-Xplore
MSOA files, police.uk for one force, the Leeds-only files) have no England figure here.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from geo.statistics.indicators import readers
from geo.statistics.indicators.metadata import Indicator
from geo.statistics.indicators.tidy import compute_value

logger = logging.getLogger(__name__)

COLUMNS: tuple[str, ...] = ("indicator", "period", "numerator", "denominator", "value", "lsoas")
"""Columns of ``data/processed/indicators/england.csv``."""

ENGLAND_BUILDERS = ("fuel_poverty", "census21_share")
"""Builders whose datasets cover all of England."""


def _england(df: pd.DataFrame) -> pd.DataFrame:
    return df.loc[df["lsoa_code"].astype(str).str.startswith("E01")]


def england_row(meta: Indicator, datasets: Mapping[str, Path | str]) -> dict[str, object] | None:
    """Return England's row of one indicator, or None when its source does not cover England."""
    if meta.builder == "fuel_poverty":
        table = _england(readers.read_fuel_poverty_lsoa(datasets[meta.datasets[0]]))
        num, den, period = (
            table["fuel_poor"].sum(),
            table["households"].sum(),
            str(meta.params["period"]),
        )
        n = len(table)
    elif meta.builder == "census21_share":
        long = _england(readers.read_census_long(datasets[meta.datasets[0]],
                                                 category=str(meta.params["category"]),
                                                 total=str(meta.params["total"])))  # fmt: skip
        wanted = list(meta.params["categories"])
        num = long.loc[long["category"].isin(wanted), "n"].sum()
        den = long.groupby("lsoa_code")["total"].first().sum()
        period, n = "2021", long["lsoa_code"].nunique()
    else:
        return None
    value = compute_value(pd.Series([num]), pd.Series([den]), meta).iloc[0]
    logger.info(
        "England %s %s: %.0f / %.0f = %.4g (%d LSOAs)", meta.name, period, num, den, value, n
    )
    return {"indicator": meta.name, "period": period, "numerator": num, "denominator": den,
            "value": value, "lsoas": n}  # fmt: skip


def england_indicators(
    metas: Mapping[str, Indicator], datasets: Mapping[str, Path | str]
) -> pd.DataFrame:
    """England's rows of every indicator whose source covers England (:data:`COLUMNS`)."""
    rows = [r for meta in metas.values() if (r := england_row(meta, datasets)) is not None]
    return pd.DataFrame(rows, columns=list(COLUMNS))
