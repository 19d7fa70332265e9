"""Read the pipeline outputs the profiles are built from into a :class:`ProfileInputs`."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from geo.core.checks import require_columns
from geo.core.io import read_csv, read_geoparquet, read_parquet
from geo.model.releases import Thresholds
from geo.model.tiers import CITY, TierRegistry
from geo.presentation.profiles.model import ProfileInputs
from geo.presentation.site.inputs import read_facts
from geo.statistics.indicators import load_indicator_registry
from geo.statistics.indicators.sources import read_lsoa_tables

logger = logging.getLogger(__name__)

SUMMARY_COLUMNS = ["area_code", "area_name", "vintage", "lsoas", "lsoas_in_national_20pct",
                   "lsoas_in_national_10pct", "lsoas_in_national_1pct", "imd_average_score", "imd_average_rank"]  # fmt: skip
INDICATOR_COLUMNS = ["indicator", "tier", "area_code", "period", "numerator", "denominator",
                     "value", "suppressed"]  # fmt: skip


def read_profile_inputs(
    *,
    lad_code: str,
    layers: Mapping[int, str | Path],
    summaries: Mapping[str, str | Path],
    england: str | Path,
    membership: str | Path,
    members: str | Path,
    areas: str | Path,
    crosswalk: str | Path | None,
    drawn_fit: str | Path | None,
    registry: str | Path,
    indicators: Mapping[str, str | Path],
    tiers: TierRegistry,
    thresholds: Thresholds,
    lsoa_changes: str | Path | None = None,
    area_standouts: str | Path | None = None,
) -> ProfileInputs:
    """Read every input of the profiles (paths as the rule passes them).

    Raises:
        GeoInputError: a file lacks a column the profiles need (naming file and columns).
        KeyError: an indicator table is given for a name the registry lacks.

    """
    sums = {
        t: read_csv(p, dtype={"area_code": "str", "area_name": "str"}) for t, p in summaries.items()
    }
    for tier, table in sums.items():
        require_columns(table, SUMMARY_COLUMNS, source=str(summaries[tier]))
    if CITY.key not in sums or sums[CITY.key].empty:
        msg = f"profiles: the city summary (summaries/{CITY.key}.csv) is required"
        raise ValueError(msg)
    lad_name = str(sums[CITY.key]["area_name"].iloc[0])
    eng = read_csv(england)
    require_columns(eng, SUMMARY_COLUMNS, source=str(england))
    ms = read_csv(membership, dtype={"local_name": "str", "ward_code": "str", "ward_name": "str"})
    require_columns(
        ms,
        ["lsoa_geography", "lsoa_code", "lsoa_name", "ward_name", "local_name"],
        source=str(membership),
    )
    member_table = read_parquet(members)
    require_columns(
        member_table, ["tier", "area_code", "lsoa_year", "lsoa_code", "share"], source=str(members)
    )
    area_table = read_parquet(areas)
    area_table["area_code"] = area_table["area_code"].astype(str)
    fit = None
    if drawn_fit is not None:
        fit = read_csv(drawn_fit, dtype={"area_code": "str"})
        if not fit.empty:
            require_columns(
                fit, ["vintage", "area_code", "lsoa_code", "share_used"], source=str(drawn_fit)
            )
    metas = load_indicator_registry(registry)
    tables: dict[str, tuple[object, pd.DataFrame]] = {}
    for name, path in indicators.items():
        table = read_csv(path, dtype={"area_code": "str", "period": "str"})
        require_columns(table, INDICATOR_COLUMNS, source=str(path))
        tables[name] = (metas[name], table)
    return ProfileInputs(
        lad_code=lad_code, lad_name=lad_name, summaries=sums, england=eng,
        layers=read_lsoa_tables(dict(layers)), membership=ms, members=member_table, areas=area_table,
        crosswalk=read_parquet(crosswalk) if crosswalk else None, drawn_fit=fit,
        indicators=tables,  # type: ignore[arg-type]
        tiers=tiers, thresholds=thresholds,
        lsoa_changes=read_facts(lsoa_changes) if lsoa_changes else None,
        area_standouts=read_facts(area_standouts) if area_standouts else None,
        shapes=read_geoparquet(layers[max(layers)]).set_index("lsoa_code").geometry,
    )  # fmt: skip
