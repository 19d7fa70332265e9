"""Map geometry: simplified as a coverage (no gaps), rounded, compactly encoded."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo.core.errors import GeometryError
from geo.presentation.site.geometry import bounds, decode_geometry, encode_geometry, simplify_layer

CRS = "EPSG:27700"
X0, Y0 = 430_000.0, 433_000.0


def jagged_neighbours() -> gpd.GeoSeries:
    """Two 1 km squares sharing a zig-zag edge with many small vertices."""
    ys = np.linspace(Y0, Y0 + 1000, 101)
    xs = X0 + 1000 + np.where(np.arange(101) % 2, 3.0, -3.0)
    edge = list(zip(xs, ys, strict=True))
    left = shapely.Polygon([(X0, Y0), *edge, (X0, Y0 + 1000)])
    right = shapely.Polygon([*edge, (X0 + 2000, Y0 + 1000), (X0 + 2000, Y0)])
    return gpd.GeoSeries([left, right], index=["a", "b"], crs=CRS)


def test_coverage_simplification_leaves_no_gap_or_overlap():
    simplified = simplify_layer(jagged_neighbours(), tolerance_m=20, coverage=True, source="test")
    assert simplified.crs.to_string() == "EPSG:4326"
    back = simplified.to_crs(CRS)
    assert back.count_coordinates().sum() < jagged_neighbours().count_coordinates().sum() / 4
    a, b = back.loc["a"], back.loc["b"]
    assert a.intersection(b).area < 1e-3
    assert abs(shapely.union_all(back.to_numpy()).area - (a.area + b.area)) < 1e-3
    assert shapely.coverage_is_valid(back.to_numpy())


def test_polygons_simplified_one_by_one_may_overlap_and_stay_apart():
    drawn = gpd.GeoSeries([shapely.box(X0, Y0, X0 + 500, Y0 + 500), shapely.box(X0 + 400, Y0, X0 + 900, Y0 + 500)],
                          crs=CRS)  # fmt: skip
    out = simplify_layer(drawn, tolerance_m=5, coverage=False, source="drawn").to_crs(CRS)
    assert out.iloc[0].intersection(out.iloc[1]).area == pytest.approx(100 * 500, rel=1e-3)


def test_simplify_needs_metres():
    wgs = gpd.GeoSeries([shapely.box(-1.6, 53.8, -1.5, 53.9)], crs="EPSG:4326")
    with pytest.raises(GeometryError, match="needs a projected CRS"):
        simplify_layer(wgs, tolerance_m=10, coverage=True, source="wards")


def test_encode_round_trips_at_the_given_precision():
    shell = [(-1.55, 53.8), (-1.54, 53.8), (-1.54, 53.81), (-1.55, 53.81)]
    hole = [(-1.548, 53.802), (-1.542, 53.802), (-1.542, 53.808)]
    geom = shapely.MultiPolygon(
        [shapely.Polygon(shell, [hole]), shapely.box(-1.5, 53.7, -1.49, 53.71)]
    )
    encoded = encode_geometry(geom, decimals=5)
    assert encoded[0][0][:2] == [-155000, 5380000]
    assert all(isinstance(v, int) for rings in encoded for ring in rings for v in ring)
    back = decode_geometry(encoded, decimals=5)
    assert back.equals_exact(shapely.MultiPolygon(geom.geoms), tolerance=1e-5)
    assert len(back.geoms[0].interiors) == 1


def test_rounding_drops_repeated_points_and_keeps_tiny_features():
    tiny = shapely.box(-1.5, 53.8, -1.5 + 2e-5, 53.8 + 2e-5)
    encoded = encode_geometry(tiny, decimals=4)  # collapses at 4 places: encoded at 6
    assert decode_geometry(encoded, decimals=6).area == pytest.approx(tiny.area, rel=1e-6)
    dup = shapely.Polygon([(0, 0), (0.000001, 0), (1, 0), (1, 1), (0, 1)])
    assert len(encode_geometry(dup, decimals=3)[0][0]) == 8  # four distinct corners


def test_encode_rejects_non_polygons():
    with pytest.raises(GeometryError, match="cannot encode LineString"):
        encode_geometry(shapely.LineString([(0, 0), (1, 1)]), decimals=4)


def test_bounds_are_south_west_north_east():
    layer = gpd.GeoSeries([shapely.box(-1.8, 53.7, -1.3, 53.95)], crs="EPSG:4326")
    assert bounds(layer) == [[53.7, -1.8], [53.95, -1.3]]
