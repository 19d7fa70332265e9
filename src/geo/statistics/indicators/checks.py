"""Checks of small-area series against the totals their publisher gives for the authority.

DWP publishes each Stat-Xplore table by MSOA and by local authority. Summing the
authority's MSOAs should give the authority's published total in every period, within what
disclosure control moves: each cell is rounded or perturbed by a few (so about ``4 × √n``
over ``n`` MSOAs) and each suppressed cell (``..``) hides up to :data:`PER_SUPPRESSED`.
:func:`published_totals` lists every period with the sum, the published total, the
difference, the tolerance and whether it holds; :func:`check_published_totals` raises if any
period fails. Where the MSOA table lacks some of the authority's MSOAs (``msoas_not_in_file``),
the sum cannot be compared: ``within_tolerance`` is empty (not checked) and a warning says so.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

import pandas as pd

from geo.core.errors import ConservationError
from geo.statistics.indicators.geographies import msoa21_codes, msoa21_of_lsoa21
from geo.statistics.indicators.readers import read_statxplore

logger = logging.getLogger(__name__)

PER_SUPPRESSED = 5.0
"""Largest count a suppressed Stat-Xplore cell may hide ("nil or negligible")."""

PER_ROOT_AREA = 4.0
"""Rounding and perturbation allowance per √(number of MSOAs summed)."""

COLUMNS: tuple[str, ...] = ("source", "period", "msoas", "msoas_suppressed", "msoas_not_in_file",
                            "msoa_sum", "published_total", "difference", "tolerance",
                            "within_tolerance")  # fmt: skip


def published_totals(
    msoa_path: Path | str,
    ltla_path: Path | str,
    *,
    lsoa21: pd.DataFrame,
    msoa21_names: Path | str,
    lad_name: str,
    source: str,
) -> pd.DataFrame:
    """Compare the authority's MSOA sums with its published total, period by period.

    Args:
        msoa_path: The Stat-Xplore MSOA table.
        ltla_path: The same table by local authority.
        lsoa21: ``lsoa_code, lsoa_name`` of the authority's LSOA 2021s (to find its MSOAs).
        msoa21_names: The MSOA 2021 names file.
        lad_name: The authority's name as Stat-Xplore writes it (``Leeds``).
        source: Label of the series in the output.

    Returns:
        :data:`COLUMNS`, one row per period.

    Raises:
        ConservationError: the authority is not in the local-authority table, or a period
            of one table is missing from the other.

    """
    links = msoa21_of_lsoa21(lsoa21, msoa21_names)
    msoa = read_statxplore(msoa_path)
    codes = msoa21_codes(msoa.drop_duplicates(["area_name", "line"])["area_name"], links,
                         source=str(msoa_path))  # fmt: skip
    mine = msoa.loc[msoa["area_name"].isin(set(codes["msoa_name"]))]
    ltla = read_statxplore(ltla_path)
    total = ltla.loc[ltla["area_name"] == lad_name].set_index("period")["value"]
    if total.empty:
        msg = f"{ltla_path}: no row for local authority {lad_name!r}"
        raise ConservationError(msg)
    sums = mine.groupby("period").agg(msoas=("value", "size"),
                                      msoas_suppressed=("value", lambda v: int(v.isna().sum())),
                                      msoa_sum=("value", "sum"))  # fmt: skip
    missing = sorted(set(sums.index) ^ set(total.index))
    if missing:
        msg = f"{msoa_path} / {ltla_path}: period(s) {missing} in one table only"
        raise ConservationError(msg)
    out = sums.reset_index()
    out["published_total"] = out["period"].map(total)
    out["difference"] = out["msoa_sum"] - out["published_total"]
    out["tolerance"] = (PER_SUPPRESSED * out["msoas_suppressed"]
                        + PER_ROOT_AREA * math.sqrt(len(codes)))  # fmt: skip
    absent = int((~codes["in_file"]).sum())
    out["msoas_not_in_file"] = absent
    out["within_tolerance"] = (out["difference"].abs() <= out["tolerance"]).astype("boolean")
    if absent:
        out["within_tolerance"] = pd.array([pd.NA] * len(out), dtype="boolean")
        logger.warning("%s: not checked against the published total: %d of the authority's "
                       "MSOAs are not in %s", source, absent, msoa_path)  # fmt: skip
    logger.info("%s: %d periods, largest |difference| %.0f, %d outside the tolerance", source,
                len(out), out["difference"].abs().max(), int((~out["within_tolerance"]).sum()))  # fmt: skip
    return out.assign(source=source).loc[:, list(COLUMNS)]


def check_published_totals(table: pd.DataFrame) -> pd.DataFrame:
    """Raise :class:`ConservationError` naming every period outside its tolerance."""
    bad = table.loc[table["within_tolerance"].astype("boolean").eq(False).fillna(False)]

    if not bad.empty:
        shown = ", ".join(f"{r.source} {r.period}: MSOA sum {r.msoa_sum:.0f} vs published "
                          f"{r.published_total:.0f} (tolerance {r.tolerance:.0f})"
                          for r in bad.head(5).itertuples(index=False))  # fmt: skip
        msg = f"MSOA sums differ from the published authority totals: {shown}"
        raise ConservationError(msg)
    return table
