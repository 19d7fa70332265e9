"""Map geometry for the site: simplified as a coverage, rounded, compactly encoded.

Each layer is simplified as a whole: ``shapely.coverage_clean`` makes neighbours share their
edges vertex for vertex, then ``GeoSeries.simplify_coverage`` simplifies every shared edge
once, so neighbours keep meeting exactly (no gaps, no overlaps). A layer whose polygons may
overlap (hand-drawn neighbourhoods) is not a coverage; its polygons are simplified one by
one. The result is projected to WGS84 and its coordinates rounded to the precision the
page's zoom needs (4 decimals ≈ 11 m on the city map, 5 ≈ 1 m on area maps); a vertex
shared by two neighbours rounds to the same point in both, so rounding opens no gap.

:func:`encode_geometry` writes a (Multi)Polygon as lists of integer coordinate deltas,
about half the size of GeoJSON text; ``GeoSite.decode`` in ``static/site.js`` turns it back
into a GeoJSON MultiPolygon (:func:`decode_geometry` is its Python twin, for tests).
"""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.core.errors import GeometryError

logger = logging.getLogger(__name__)

WGS84 = "EPSG:4326"

Encoded = list[list[list[int]]]
"""Polygons → rings → flat ``[x0, y0, dx1, dy1, …]`` in units of 10^-decimals degrees."""


SNAP_M = 0.1
"""Snapping distance (m) for a coverage whose neighbours disagree by a vertex."""


def simplify_layer(
    geometry: gpd.GeoSeries, *, tolerance_m: float, coverage: bool, source: str
) -> gpd.GeoSeries:
    """Simplify a layer's polygons, together as a coverage or one by one; return WGS84.

    Args:
        geometry: Polygons in a projected CRS in metres (EPSG:27700).
        tolerance_m: Simplification tolerance in metres; 0 keeps every vertex.
        coverage: True for a layer whose polygons tile without overlapping (LSOAs, wards,
            any subset of them): cleaned with ``shapely.coverage_clean`` and simplified with
            ``simplify_coverage``, so neighbours keep sharing their edges. False for polygons
            that may overlap (hand-drawn neighbourhoods): each simplified on its own.
        source: Name of the layer, for messages.

    Raises:
        GeometryError: the CRS is missing or not in metres, a polygon is empty, or a
            ``coverage`` layer is not a valid coverage once cleaned.

    """
    crs = geometry.crs
    if crs is None or not crs.is_projected:
        msg = f"{source}: simplify needs a projected CRS in metres, got {crs}"
        raise GeometryError(msg)
    values = geometry.to_numpy()
    empty = shapely.is_empty(values) | shapely.is_missing(values)
    if empty.any():
        msg = f"{source}: empty or missing geometry for {list(geometry.index[empty])}"
        raise GeometryError(msg)
    if coverage:
        cleaned = shapely.coverage_clean(values)
        if not shapely.coverage_is_valid(cleaned):
            # areas dissolved from LSOAs can disagree by a vertex where three meet: snap
            edges = ~shapely.is_empty(shapely.coverage_invalid_edges(cleaned))
            logger.warning(
                "%s: edges of %s do not match their neighbours'; snapping within %g m",
                source, list(geometry.index[edges]), SNAP_M,
            )  # fmt: skip
            cleaned = shapely.coverage_clean(values, snapping_distance=SNAP_M)
        if not shapely.coverage_is_valid(cleaned):
            edges = ~shapely.is_empty(shapely.coverage_invalid_edges(cleaned))
            msg = f"{source}: not a valid coverage once cleaned; invalid edges on {list(geometry.index[edges])}"
            raise GeometryError(msg)
        out = gpd.GeoSeries(cleaned, index=geometry.index, crs=crs)
        if tolerance_m > 0:
            out = out.simplify_coverage(tolerance_m)
    else:
        out = gpd.GeoSeries(values, index=geometry.index, crs=crs)
        if tolerance_m > 0:
            out = out.simplify(tolerance_m, preserve_topology=True)
    before = int(shapely.get_num_coordinates(values).sum())
    after = int(shapely.get_num_coordinates(out.to_numpy()).sum())
    logger.info(
        "%s: simplified %d polygons %s at %g m: %d → %d vertices",
        source, len(out), "as a coverage" if coverage else "one by one", tolerance_m, before, after,
    )  # fmt: skip
    return out.to_crs(WGS84)


def _ring(coords: np.ndarray, scale: float) -> list[int]:
    """Flat delta-encoded integer ring, closing point and repeated points dropped."""
    ints = np.round(coords[:, :2] * scale).astype(np.int64)
    if len(ints) > 1 and (ints[0] == ints[-1]).all():
        ints = ints[:-1]
    keep = np.ones(len(ints), dtype=bool)
    keep[1:] = (np.diff(ints, axis=0) != 0).any(axis=1)
    ints = ints[keep]
    if len(ints) < 3:
        return []
    deltas = np.vstack([ints[:1], np.diff(ints, axis=0)])
    return [int(v) for v in deltas.ravel()]


def _polygons(geom: BaseGeometry) -> list[shapely.Polygon]:
    if isinstance(geom, shapely.Polygon):
        return [geom]
    if isinstance(geom, shapely.MultiPolygon):
        return list(geom.geoms)
    if isinstance(geom, shapely.GeometryCollection):
        return [p for g in geom.geoms for p in _polygons(g)]
    return []


def encode_geometry(geom: BaseGeometry, *, decimals: int) -> Encoded:
    """Encode a (Multi)Polygon in lon/lat as rings of integer deltas at ``decimals`` places.

    Rings that collapse when rounded are dropped; if every ring of the geometry collapses,
    it is encoded at two more decimal places, so no feature vanishes from a map.

    Raises:
        GeometryError: ``geom`` holds no polygon.

    """
    polygons = _polygons(geom)
    if not polygons:
        msg = f"cannot encode {geom.geom_type} as a map polygon"
        raise GeometryError(msg)
    scale = 10.0**decimals
    encoded: Encoded = []
    for polygon in polygons:
        shell = _ring(np.asarray(polygon.exterior.coords), scale)
        if not shell:
            continue
        holes = [_ring(np.asarray(r.coords), scale) for r in polygon.interiors]
        encoded.append([shell, *(h for h in holes if h)])
    if not encoded:
        return encode_geometry(geom, decimals=decimals + 2)
    return encoded


def decode_geometry(encoded: Encoded, *, decimals: int) -> shapely.MultiPolygon:
    """Decode :func:`encode_geometry` output to a MultiPolygon (inverse up to rounding)."""
    scale = 10.0**decimals
    polygons = []
    for rings in encoded:
        closed = []
        for flat in rings:
            xy = np.cumsum(np.asarray(flat, dtype=np.int64).reshape(-1, 2), axis=0) / scale
            closed.append(np.vstack([xy, xy[:1]]))
        polygons.append(shapely.Polygon(closed[0], closed[1:]))
    return shapely.MultiPolygon(polygons)


def bounds(geometry: gpd.GeoSeries) -> list[list[float]]:
    """``[[south, west], [north, east]]`` of a WGS84 layer, as Leaflet's fitBounds takes it."""
    west, south, east, north = (float(v) for v in geometry.total_bounds)
    return [[round(south, 5), round(west, 5)], [round(north, 5), round(east, 5)]]
