"""The national picture the profiles compare with: England's own summary measures.

England's row is computed exactly as every area's (:func:`geo.statistics.tiers.summarise_members`), over
all LSOAs of England with their whole populations, so the profile's three columns (area,
city, England) are one measure applied three times. Two values follow from the definitions
and make good checks:

* ``imd_proportion_10pct`` is ``floor(N / 10) / N`` (3,284 of 32,844 for IoD2015 and IoD2019,
  3,375 of 33,755 for IoD2025): 10% by definition;
* ``imd_average_rank`` (ranks reversed, larger = more deprived) is near the midpoint
  ``(N + 1) / 2`` (16,422.5 of 32,844), not exactly, because it is population-weighted.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Final

import pandas as pd

from geo.core.checks import require_columns
from geo.model.releases import VINTAGES
from geo.statistics.measures import SUMMARY_COLUMNS
from geo.statistics.tiers import summarise_members

logger = logging.getLogger(__name__)

ENGLAND_CODE: Final = "E92000001"
ENGLAND_NAME: Final = "England"


def midpoint_rank(vintage: int) -> float:
    """``(N + 1) / 2``: the average rank of England if every LSOA had the same population."""
    return (VINTAGES[vintage].n_national + 1) / 2


def england_summary(tables: Mapping[int, pd.DataFrame]) -> pd.DataFrame:
    """England's summary measures per release, in the columns of the tier summaries.

    Args:
        tables: Release → the national LSOA table (``data/interim/imd<v>_england.parquet``,
            canonical columns of :data:`geo.inputs.imd.CANONICAL`), every LSOA of England.

    Returns:
        One row per release: ``area_code`` (E92000001), ``area_name``, ``tier`` (england),
        ``vintage``, ``lsoa_geography`` and :data:`geo.statistics.measures.SUMMARY_COLUMNS`.

    Raises:
        ValueError: a table does not hold exactly the release's ``n_national`` LSOAs (naming
            the release and both counts), so a partial table never passes for England.

    """
    rows = []
    for vintage, table in sorted(tables.items()):
        require_columns(
            table, ["lsoa_code", "imd_rank", "population"], source=f"IoD{vintage} table"
        )
        info = VINTAGES[int(vintage)]
        n = int(table["lsoa_code"].nunique())
        if n != info.n_national:
            msg = f"IoD{vintage} national table: {n:,} LSOAs, expected {info.n_national:,}"
            raise ValueError(msg)
        members = pd.DataFrame(
            {"area_code": ENGLAND_CODE, "lsoa_code": table["lsoa_code"], "share": 1.0}
        )
        summary = summarise_members(table, members, vintage=int(vintage), tier="england")
        summary.insert(1, "area_name", ENGLAND_NAME)
        summary.insert(2, "tier", "england")
        summary.insert(3, "vintage", int(vintage))
        summary.insert(4, "lsoa_geography", info.lsoa_geography)
        rows.append(summary)
        r = summary.iloc[0]
        logger.info(
            "England IoD%d: %d LSOAs, %.1f%% in the national 10%%, average rank %.1f "
            "(midpoint %.1f), average score %.2f",
            vintage, n, 100 * r["imd_proportion_10pct"], r["imd_average_rank"],
            midpoint_rank(int(vintage)), r["imd_average_score"],
        )  # fmt: skip
    out = pd.concat(rows, ignore_index=True)
    return out[["area_code", "area_name", "tier", "vintage", "lsoa_geography", *SUMMARY_COLUMNS]]
