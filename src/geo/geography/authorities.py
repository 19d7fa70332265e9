"""Every English local authority as a polygon, dissolved from the national LSOA 2021 coverage.

The England page maps all authorities (:mod:`geo.presentation.site.england`). No authority
boundary file is needed: each LSOA 2021 lies in exactly one authority of the ONS LSOA 2021 →
ward → LAD 2024 lookup, so the authorities are the union of their LSOAs. The generalised
LSOA boundaries are first made a clean coverage (:func:`geo.geography.coverage.clean_coverage`),
so neighbouring authorities share their edges exactly and no sliver is left between them.
"""

from __future__ import annotations

import logging

import geopandas as gpd
import pandas as pd

from geo.core.checks import check_geometry, require_columns, show
from geo.core.errors import GeoInputError, JoinError
from geo.core.io import read_csv, read_vector
from geo.geography.coverage import clean_coverage, dissolve

logger = logging.getLogger(__name__)

ENGLAND_PREFIX = "E"
"""Codes of English LSOAs and authorities start with E (Welsh ones with W)."""

AUTHORITY_COLUMNS = ("lad_code", "lad_name", "lsoas")
"""Columns of :func:`authority_shapes` besides the geometry."""

LSOA21_CODE_FIELDS = ("lsoa21_code", "LSOA21CD")


def read_inputs(boundaries: str, lookup: str) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Read the national LSOA 2021 boundaries (code as ``lsoa21_code``) and the LAD lookup.

    Raises:
        GeoInputError: the boundary file has no LSOA 2021 code field (naming those expected).

    """
    layer = read_vector(boundaries)
    field = next((f for f in LSOA21_CODE_FIELDS if f in layer.columns), None)
    if field is None:
        msg = f"{boundaries}: no LSOA 2021 code field; expected one of {LSOA21_CODE_FIELDS}, found {list(layer.columns)}"
        raise GeoInputError(msg)
    return layer.rename(columns={field: "lsoa21_code"}), read_csv(lookup)


def authority_shapes(
    lsoas: gpd.GeoDataFrame,
    lookup: pd.DataFrame,
    *,
    crs: str,
    source: str,
    lookup_source: str,
) -> gpd.GeoDataFrame:
    """Dissolve the English LSOAs 2021 into their local authorities.

    Args:
        lsoas: National LSOA 2021 boundaries with ``lsoa21_code`` (any CRS; Welsh LSOAs
            are left out).
        lookup: ``lsoa21_code, ltla24_code, ltla24_name``, one row per LSOA 2021.
        crs: Projected CRS of the result (metres).
        source: The boundary file, for messages.
        lookup_source: The lookup file, for messages.

    Returns:
        ``lad_code, lad_name, lsoas, geometry``: one polygon per English authority, by code.

    Raises:
        GeoInputError: a column is missing, or an authority code has two names.
        JoinError: an English LSOA has no authority in the lookup, or two (naming them).
        GeometryError: a boundary is unsound, or the LSOAs do not clean into a coverage.

    """
    require_columns(lsoas, ["lsoa21_code"], source=source)
    require_columns(lookup, ["lsoa21_code", "ltla24_code", "ltla24_name"], source=lookup_source)
    english = lsoas.loc[
        lsoas["lsoa21_code"].str.startswith(ENGLAND_PREFIX), ["lsoa21_code", "geometry"]
    ]
    english = check_geometry(english.to_crs(crs), source=source, id_col="lsoa21_code", repair=False)
    links = lookup.loc[:, ["lsoa21_code", "ltla24_code", "ltla24_name"]].drop_duplicates()
    twice = links.loc[links["lsoa21_code"].duplicated(keep=False), "lsoa21_code"]
    if not twice.empty:
        msg = f"{lookup_source}: LSOA(s) in two or more authorities (field 'ltla24_code'): {show(twice)}"
        raise JoinError(msg)
    names = links[["ltla24_code", "ltla24_name"]].drop_duplicates()
    renamed = names.loc[names["ltla24_code"].duplicated(keep=False), "ltla24_code"]
    if not renamed.empty:
        msg = f"{lookup_source}: authority code(s) with more than one name (field 'ltla24_name'): {show(renamed)}"
        raise GeoInputError(msg)
    members = english[["lsoa21_code"]].merge(links, on="lsoa21_code", how="left", validate="1:1")
    orphans = members.loc[members["ltla24_code"].isna(), "lsoa21_code"]
    if not orphans.empty:
        msg = f"{lookup_source}: no authority (field 'ltla24_code') for LSOA(s) of {source}: {show(orphans)}"
        raise JoinError(msg)
    coverage = clean_coverage(english, id_col="lsoa21_code", source=source)
    shapes = dissolve(
        coverage,
        members.rename(columns={"ltla24_code": "area_code", "lsoa21_code": "lsoa_code"}),
    )
    counts = members.groupby("ltla24_code")["lsoa21_code"].size()
    out = gpd.GeoDataFrame(
        {
            "lad_code": shapes.index.to_numpy(),
            "lad_name": names.set_index("ltla24_code")["ltla24_name"]
            .reindex(shapes.index)
            .to_numpy(),
            "lsoas": counts.reindex(shapes.index).to_numpy(),
        },
        geometry=shapes.to_numpy(),
        crs=crs,
    )
    logger.info(
        "Authorities: %d English authorities from %d LSOAs 2021 (%s)",
        len(out),
        len(english),
        source,
    )
    return out
