"""Headline figures per vintage for one authority, and its rank among all authorities.

The rank is among the authorities of that release: for IMD 2004 and 2007 the 354 districts
they were published for (``release_lad_code``), for IoD2010 and IoD2015 the 326 of 2009–2019,
for IoD2019 317 and IoD2025 296. An authority that was not one district of a release (formed
by merging several, as in 2009) cannot be ranked in it: an error names the districts.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import duckdb
import pandas as pd

from geo.core.checks import show
from geo.core.errors import GeoInputError
from geo.inputs.imd import population_sources
from geo.inputs.lsoa import add_national_flags, authority_lsoas
from geo.model.releases import VINTAGES

logger = logging.getLogger(__name__)

COLUMNS = (
    "vintage", "lad_code", "lad_name", "lsoas", "lsoas_in_national_1pct",
    "lsoas_in_national_10pct", "share_in_national_10pct", "population_in_national_10pct",
    "lsoas_in_national_20pct", "share_in_national_20pct", "population_in_national_20pct",
    "population_source", "lad_rank_by_share_in_10pct", "lads_ranked",
)  # fmt: skip
"""Columns of ``headlines.csv``: the 1%, 10% and 20% bands side by side."""


def district_column(national: pd.DataFrame) -> str:
    """Return the district column a release ranked its authorities by.

    ``release_lad_code`` where the release coded its districts apart from ``lad_code`` (IMD
    2004 and 2007: the 354 pre-2009 districts), else ``lad_code``.
    """
    return "release_lad_code" if "release_lad_code" in national.columns else "lad_code"


def rank_authorities(national: pd.DataFrame, *, by: str = "lad_code") -> pd.DataFrame:
    """Every authority's share of LSOAs in the national 10% and its rank (1 = highest share).

    Ties share the lower (better) rank, as in MHCLG's File 10 ("1, 2, 2, 4").
    ``national`` must carry ``by`` (the district code) and the boolean ``in_national_10pct``;
    the result's code column is ``lad_code``.
    """
    con = duckdb.connect()
    con.register(
        "lsoas",
        pd.DataFrame({"lad_code": national[by].to_numpy(),
                      "in_national_10pct": national["in_national_10pct"].to_numpy()}),
    )  # fmt: skip
    return con.execute(
        """
        SELECT lad_code,
               avg(in_national_10pct::DOUBLE) AS share_in_national_10pct,
               rank() OVER (ORDER BY avg(in_national_10pct::DOUBLE) DESC) AS lad_rank_by_share_in_10pct,
               count(*) OVER () AS lads_ranked
        FROM lsoas GROUP BY lad_code ORDER BY lad_code
        """
    ).df()


def headline_row(
    national: pd.DataFrame,
    *,
    lad_code: str,
    vintage: int,
    thresholds: Mapping[str, float],
    source: str,
) -> dict[str, object]:
    """One row of ``headlines.csv`` for ``lad_code`` in ``vintage``."""
    v = VINTAGES[vintage]
    flagged = add_national_flags(national, vintage=v, thresholds=thresholds)
    mine = authority_lsoas(flagged, lad_code=lad_code, vintage=vintage, source=source)
    by = district_column(flagged)
    ranked = rank_authorities(flagged, by=by).set_index("lad_code")
    own = sorted(set(mine[by].astype(str)))
    if len(own) != 1:
        msg = (
            f"{source}: the LSOAs of {lad_code} lie in {len(own)} districts of IoD{vintage} "
            f"(field {by!r}: {show(own)}); the release ranks no district that is the authority"
        )
        raise GeoInputError(msg)
    row = {
        "vintage": vintage,
        "lad_code": lad_code,
        "lad_name": mine["lad_name"].iloc[0],
        "lsoas": len(mine),
        "lsoas_in_national_1pct": int(mine["in_national_1pct"].sum()),
        "lsoas_in_national_10pct": int(mine["in_national_10pct"].sum()),
        "share_in_national_10pct": float(mine["in_national_10pct"].mean()),
        "population_in_national_10pct": float(
            mine.loc[mine["in_national_10pct"], "population"].sum()
        ),
        "population_source": (
            population_sources(mine["population_source"])
            if "population_source" in mine
            else v.population_source
        ),
        "lad_rank_by_share_in_10pct": int(ranked["lad_rank_by_share_in_10pct"].to_dict()[own[0]]),
        "lads_ranked": len(ranked),
        "lsoas_in_national_20pct": int(mine["in_national_20pct"].sum()),
        "share_in_national_20pct": float(mine["in_national_20pct"].mean()),
        "population_in_national_20pct": float(
            mine.loc[mine["in_national_20pct"], "population"].sum()
        ),
    }
    logger.info("Headlines IoD%d %s: %s", vintage, lad_code, row)
    return row


def build_headlines(
    tables: Mapping[int, pd.DataFrame],
    *,
    lad_code: str,
    thresholds: Mapping[str, float],
    sources: Mapping[int, str] | None = None,
) -> pd.DataFrame:
    """``headlines.csv``: one :func:`headline_row` per vintage of ``tables``, in vintage order.

    ``tables`` maps each vintage to its national table; ``sources`` names them in messages.
    """
    rows = [
        headline_row(
            table, lad_code=lad_code, vintage=int(vintage), thresholds=thresholds,
            source=str((sources or {}).get(vintage, f"IoD{vintage} national table")),
        )
        for vintage, table in tables.items()
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=list(COLUMNS)).sort_values("vintage", ignore_index=True)
