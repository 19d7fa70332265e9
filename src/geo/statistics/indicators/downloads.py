"""Indicator downloads: every registered indicator of one tier in one CSV, with its flags.

One row per indicator × area × period, with the indicator's title, theme, unit and source,
and the flags a reader needs to use the figure: ``suppressed``, ``is_estimate`` and the
``method`` that made it (exact sum of whole source areas, or source counts shared by
population), on the ``source_geography`` it was published on.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import pandas as pd

from geo.statistics.indicators.metadata import THEMES, Indicator

logger = logging.getLogger(__name__)

COLUMNS: tuple[str, ...] = (
    "indicator", "title", "theme", "unit", "tier", "area_code", "area_name", "period", "value",
    "numerator", "denominator", "suppressed", "is_estimate", "method", "source_geography",
    "lsoa_geography", "lsoas_missing", "source", "licence",
)  # fmt: skip
"""Columns of ``data/processed/indicators/tiers/<tier>.csv``."""


def tier_download(
    tables: Mapping[str, pd.DataFrame], metas: Mapping[str, Indicator], *, tier: str
) -> pd.DataFrame:
    """Gather the rows of ``tier`` from every ``<indicator>_by_tier.csv``.

    Raises:
        KeyError: a table names an indicator the registry lacks.

    """
    parts = []
    for name, table in tables.items():
        meta = metas[name]
        rows = table.loc[table["tier"].astype(str) == tier].copy()
        if rows.empty:
            continue
        rows["title"] = meta.title
        rows["theme"] = THEMES.get(meta.theme, "")
        rows["unit"] = meta.unit
        rows["source"] = meta.source
        rows["licence"] = meta.licence
        parts.append(rows.reindex(columns=list(COLUMNS)))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(COLUMNS))
    logger.info("Indicators of tier %s: %d rows, %d indicators, %d estimates", tier, len(out),
                out["indicator"].nunique(), int(out["is_estimate"].astype(str).eq("True").sum()))  # fmt: skip
    return out.sort_values(["indicator", "area_code", "period"], ignore_index=True)
