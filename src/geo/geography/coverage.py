"""Polygon coverages: make a layer a clean coverage, then dissolve groups of it.

Generalised LSOA boundaries are not a valid coverage (neighbours overlap by slivers and
their shared edges do not match vertex for vertex), so dissolving them with a plain union is
slow and leaves slivers. :func:`clean_coverage` runs ``shapely.coverage_clean`` once per
layer; :func:`dissolve` then merges groups with ``shapely.coverage_union_all``, which is exact
and fast on a clean coverage.
"""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.core.checks import show
from geo.core.errors import GeometryError

logger = logging.getLogger(__name__)


def clean_coverage(gdf: gpd.GeoDataFrame, *, id_col: str, source: str) -> gpd.GeoSeries:
    """Return the layer's polygons as a clean coverage, indexed by ``id_col``.

    Raises:
        GeometryError: a polygon vanished or stopped being polygonal in cleaning, or the
            result is still not a valid coverage (naming the polygons with invalid edges).

    """
    geoms = gdf.geometry.to_numpy()
    cleaned = shapely.coverage_clean(geoms)
    ids = gdf[id_col].to_numpy()
    bad = shapely.is_empty(cleaned) | ~np.isin(shapely.get_type_id(cleaned), [3, 6])
    if bad.any():
        msg = f"{source}: cleaning the coverage left no polygon for {id_col} {show(ids[bad])}"
        raise GeometryError(msg)
    if not shapely.coverage_is_valid(cleaned):
        edges = shapely.coverage_invalid_edges(cleaned)
        culprits = ids[~shapely.is_empty(edges)]
        msg = f"{source}: not a valid coverage after cleaning; invalid edges on {id_col} {show(culprits)}"
        raise GeometryError(msg)
    before, after = shapely.area(geoms), shapely.area(cleaned)
    change = np.abs(after - before) / before
    worst = int(np.argmax(change))
    logger.info(
        "%s: cleaned %d polygons into a coverage; largest area change %.2g%% (%s)",
        source, len(cleaned), 100 * change[worst], ids[worst],
    )  # fmt: skip
    return gpd.GeoSeries(cleaned, index=pd.Index(ids, name=id_col), crs=gdf.crs)


def dissolve(coverage: gpd.GeoSeries, members: pd.DataFrame) -> gpd.GeoSeries:
    """Union the polygons of each area: ``members`` has ``area_code`` and ``lsoa_code``.

    ``coverage`` must be a clean coverage (from :func:`clean_coverage`) indexed by the codes
    in ``members['lsoa_code']``; every member must be present. Returns one (Multi)Polygon per
    area code, sorted by code.
    """
    missing = sorted(set(members["lsoa_code"]) - set(coverage.index))
    if missing:
        msg = f"dissolve: no polygon for {show(missing)}"
        raise GeometryError(msg)
    names, geoms = [], []
    for area, codes in members.groupby("area_code", sort=True)["lsoa_code"]:
        names.append(area)
        geoms.append(shapely.coverage_union_all(coverage.loc[list(codes)].to_numpy()))
    return gpd.GeoSeries(geoms, index=pd.Index(names, name="area_code"), crs=coverage.crs)
