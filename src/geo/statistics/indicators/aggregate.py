"""Aggregate an LSOA-level indicator to every area of every tier, then suppress small counts.

Rates are never averaged: an area's value is ``Σ numerator / Σ denominator × multiplier``
over its LSOAs. Each period is aggregated on the membership of its own LSOA geography
(IoD2019 periods on LSOA 2011, IoD2025 on LSOA 2021), so a time series may cross the 2021
LSOA changes.

Conventions:

- An LSOA without a numerator (or, for proportions and rates, a denominator) in a period
  leaves both out of its area's sums; ``lsoas_missing`` counts such LSOAs. For counts a
  partial total would read as a fall, so a count is NaN unless every LSOA has a value.
- An area with no data in a period is a gap (NaN), never 0; every area has a row for
  every period of the indicator.
- A period published on MSOAs or the whole authority is summed over source areas
  (:func:`geo.statistics.indicators.geographies.source_members`): exact where the area is
  made of whole source areas, otherwise the source counts are shared to LSOAs by population
  and the row is an estimate (``is_estimate``); ``method`` names how each value was made,
  ``source_geography`` what it was published on. LSOA-level periods of areas holding LSOAs
  in part (wards on LSOA 2011, drawn neighbourhoods) are estimates in the same way.
- After aggregation, a value is suppressed by the indicator's rule (see
  :class:`geo.statistics.indicators.metadata.Suppression`): ``value`` and ``numerator`` become NaN and
  ``suppressed`` is True.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from geo.core.checks import show
from geo.core.errors import JoinError
from geo.model.tiers import DRAWN_NEIGHBOURHOOD
from geo.statistics.indicators.geographies import LSOA_OF, method_of, source_members
from geo.statistics.indicators.metadata import LSOA_GEOGRAPHIES, Indicator
from geo.statistics.indicators.tidy import compute_value, validate_indicator

logger = logging.getLogger(__name__)

COLUMNS: tuple[str, ...] = (
    "indicator", "tier", "area_code", "area_name", "period", "lsoa_geography", "numerator",
    "denominator", "value", "suppressed", "lsoas", "lsoas_missing", "source_geography",
    "method", "is_estimate",
)  # fmt: skip
"""Columns of an aggregated indicator table (``<indicator>_by_tier.csv``)."""


def _period_sums(
    rows: pd.DataFrame, members: pd.DataFrame, meta: Indicator, *, period: str, source: str
) -> pd.DataFrame:
    """Sum one period's LSOA rows over the areas of ``members`` (one LSOA geography)."""
    geography = str(rows["geography"].iloc[0])
    unmatched = sorted(set(rows["area_code"]) - set(members["lsoa_code"]))
    if unmatched and geography in LSOA_GEOGRAPHIES:
        msg = (f"{source}: {len(unmatched)} {geography} LSOA(s) of period {period} are in no "
               f"area of the membership table: {show(unmatched)}")  # fmt: skip
        raise JoinError(msg)
    if unmatched:  # MSOA/LAD files cover more than the authority: keep its own areas
        rows = rows.loc[rows["area_code"].isin(set(members["lsoa_code"]))]
    if "whole" not in members.columns:
        members = members.assign(whole=(members["share"] - 1).abs() <= 1e-9, basis="")
    data = rows.rename(columns={"area_code": "lsoa_code"})[
        ["lsoa_code", "numerator", "denominator"]
    ]
    joined = members.merge(data, on="lsoa_code", how="left", validate="m:1")
    has_data = joined["numerator"].notna()
    if meta.has_denominator:
        has_data &= joined["denominator"].notna()
    joined["num"] = (joined["numerator"] * joined["share"]).where(has_data)
    joined["den"] = (joined["denominator"] * joined["share"]).where(has_data)
    joined["missing"] = (~has_data).astype("int64")
    joined["part"] = (~joined["whole"].astype(bool)).astype("int64")
    sums = joined.groupby(["tier", "area_code"], sort=True).agg(
        numerator=("num", lambda s: s.sum(min_count=1)),
        denominator=("den", lambda s: s.sum(min_count=1)),
        lsoas=("lsoa_code", "size"),
        lsoas_missing=("missing", "sum"),
        parts=("part", "sum"),
        basis=("basis", "first"),
    )
    if not meta.has_denominator:
        sums.loc[sums["lsoas_missing"] > 0, "numerator"] = np.nan
    sums = sums.reset_index()
    sums["is_estimate"] = sums["parts"] > 0
    sums["method"] = [
        method_of(geography, whole=not est, tier=str(t), basis=str(b),
                  drawn_tier=DRAWN_NEIGHBOURHOOD.key)
        for t, est, b in zip(sums["tier"], sums["is_estimate"], sums["basis"], strict=True)
    ]  # fmt: skip
    return sums.drop(columns=["parts", "basis"]).assign(
        period=period, lsoa_geography=LSOA_OF[geography], source_geography=geography
    )


def suppress(df: pd.DataFrame, meta: Indicator) -> pd.DataFrame:
    """Apply the indicator's suppression rule to aggregated rows.

    Rows with a value whose numerator or denominator is below the rule's minimum get
    ``value`` and ``numerator`` NaN and ``suppressed`` True; gaps stay unsuppressed gaps.
    """
    rule = meta.suppression
    small = pd.Series(False, index=df.index)
    if rule.min_numerator:
        small |= df["numerator"] < rule.min_numerator
    if rule.min_denominator:
        small |= df["denominator"] < rule.min_denominator
    small &= df["value"].notna()
    out = df.copy()
    out["suppressed"] = small
    out.loc[small, ["value", "numerator"]] = np.nan
    if small.any():
        logger.info("%s: suppressed %d value(s) (%s)", meta.name, int(small.sum()), rule.describe())
    return out


def aggregate_indicator(
    lsoa: pd.DataFrame,
    membership: pd.DataFrame,
    meta: Indicator,
    *,
    source: str,
    links: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Aggregate a tidy LSOA-level indicator to every area of every tier of ``membership``.

    Args:
        lsoa: Tidy LSOA-level table (:data:`geo.statistics.indicators.tidy.COLUMNS`); validated here.
        membership: Canonical membership (:func:`geo.statistics.indicators.membership.normalise_membership`).
        meta: The indicator's metadata (kind, multiplier, suppression rule).
        source: Name of the indicator file, used in error messages.
        links: Source area → LSOA links with population weights
            (:func:`geo.statistics.indicators.geographies.build_links`); needed for periods
            published on MSOAs or the authority.

    Returns:
        One row per (tier, area, period) with :data:`COLUMNS`, sorted by tier, area, period.

    Raises:
        IndicatorError: if ``lsoa`` fails validation.
        JoinError: if a period's geography has no membership rows, or an LSOA of the
            indicator is in no area.

    """
    lsoa = validate_indicator(lsoa, meta, source=source)
    periods = lsoa.groupby("period", sort=True)["geography"].first()
    parts = []
    cached: dict[str, pd.DataFrame] = {}
    for period, geography in periods.items():
        if geography not in LSOA_GEOGRAPHIES and links is None:
            msg = f"{source}: period {period} is on {geography}: aggregating it needs the links to LSOAs"
            raise JoinError(msg)
        lsoa_geography = LSOA_OF[str(geography)]
        if (membership["geography"] != lsoa_geography).all():
            msg = (f"{source}: period {period} is on {geography}, but the membership table has "
                   f"no {lsoa_geography} rows (it has {show(membership['geography'])})")  # fmt: skip
            raise JoinError(msg)
        if str(geography) not in cached:
            cached[str(geography)] = source_members(
                membership, links if links is not None else pd.DataFrame(),
                geography=str(geography), source=source,
            )  # fmt: skip
        members = cached[str(geography)]
        rows = lsoa.loc[lsoa["period"] == period]
        parts.append(_period_sums(rows, members, meta, period=str(period), source=source))
    sums = pd.concat(parts, ignore_index=True)
    areas = membership.groupby(["tier", "area_code"], sort=True)["area_name"].first().reset_index()
    grid = areas.merge(
        periods.rename("source_geography").rename_axis("period").reset_index(), how="cross"
    )
    grid["lsoa_geography"] = grid["source_geography"].map(LSOA_OF)
    out = grid.merge(sums, on=["tier", "area_code", "period", "lsoa_geography", "source_geography"],
                     how="left", validate="1:1")  # fmt: skip
    out[["lsoas", "lsoas_missing"]] = out[["lsoas", "lsoas_missing"]].fillna(0).astype("int64")
    out["is_estimate"] = out["is_estimate"].astype("boolean").fillna(False).astype(bool)
    out["method"] = out["method"].fillna("no source area in this area")
    out["value"] = compute_value(out["numerator"], out["denominator"], meta)
    out = suppress(out, meta).assign(indicator=meta.name)
    gaps = int(out["value"].isna().sum() - out["suppressed"].sum())
    logger.info("%s: aggregated %d LSOA rows to %d (tier, area, period) rows; %d gap(s)",
                meta.name, len(lsoa), len(out), gaps)  # fmt: skip
    return out.loc[:, list(COLUMNS)].sort_values(["tier", "area_code", "period"], ignore_index=True)
