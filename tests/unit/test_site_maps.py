"""Map shell and map data of the site: only Leaflet loaded, grouped layers, the palette sent."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import box

from geo.presentation.site.legends import PALETTE, decile_legend
from geo.presentation.site.mapdata import MapData
from geo.presentation.site.maps import DRAW_STYLE, UNUSED_ASSETS, render_parts, site_map

BOUNDS = [[53.7, -1.8], [53.9, -1.3]]
TILES = {"tiles": None, "attr": None}


@pytest.mark.parametrize("draw", [False, True])
def test_map_pages_load_leaflet_but_none_of_the_unused_libraries(draw):
    parts = render_parts(site_map(BOUNDS, tiles=TILES, draw=draw), assets_url="assets/vendor")
    page = parts.header + parts.script
    assert "assets/vendor/leaflet/dist/leaflet.js" in page
    for word in ("jquery", "bootstrap.bundle", "awesome-markers", "fontawesome", "awesome.rotate"):
        assert word not in page
    assert "leaflet.draw.js" in page if draw else "leaflet.draw" not in page
    assert '"keyboard": false' in parts.script  # the page script owns the arrow keys
    assert set(UNUSED_ASSETS) >= {"jquery", "bootstrap", "awesome_markers"}


def test_the_draw_toolbar_draws_with_the_strong_line():
    parts = render_parts(site_map(BOUNDS, tiles=TILES, draw=True), assets_url="assets/vendor")
    assert DRAW_STYLE["color"] == PALETTE["draw"] and '"className": "geo-drawn"' in parts.script


def test_layers_carry_their_release_and_measure_and_the_page_its_palette():
    data = MapData("t")
    shapes = gpd.GeoSeries([box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=4326)
    data.add_geometry("lsoa21", shapes, [{"n": "a"}, {"n": "b"}], decimals=4)
    legend = decile_legend("IMD")
    for vintage, measure in (
        (2025, "IMD: national decile"),
        (2025, "Crime: national decile"),
        (2019, "IMD: national decile"),
    ):
        data.add_layer(f"{measure[:4]}-{vintage}", f"{measure} {vintage}", geometry="lsoa21", legend=legend,
                       classes=[0, 9], values=[[1], [2]], fields=[("x", "int")], release=f"IoD{vintage}",
                       measure=measure, edge="#1b1b1b" if vintage == 2019 else None)  # fmt: skip
    out = data.to_json()
    assert [(layer["release"], layer["measure"]) for layer in out["layers"]] == [
        ("IoD2025", "IMD: national decile"), ("IoD2025", "Crime: national decile"),
        ("IoD2019", "IMD: national decile"),
    ]  # fmt: skip
    assert [layer.get("edge") for layer in out["layers"]] == [None, None, "#1b1b1b"]
    assert out["palette"]["halo"] == PALETTE["halo"] and out["palette"]["fillOpacity"] == 0.8
    assert out["legends"][0]["strip"] == ["1 = most deprived 10%", "10 = least deprived"]
    assert len(out["legends"][0]["items"]) == 10
