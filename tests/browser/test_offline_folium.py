"""A Folium page built with the vendored assets works in Chromium with no network at all."""

from __future__ import annotations

from pathlib import Path

import branca.colormap
import folium
import folium.plugins
import pytest

from geo.presentation.site.assets import copy_assets, find_external_urls, localise

LEEDS = (53.8, -1.55)


def square(x0: float, y0: float, size: float, **properties: object) -> dict[str, object]:
    ring = [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


SQUARES = {
    "type": "FeatureCollection",
    "features": [
        square(-1.56 + 0.01 * i, 53.795, 0.008, name=f"LSOA {i}", decile=i + 1) for i in range(3)
    ],
}
OUTLINE = {"type": "FeatureCollection", "features": [square(-1.565, 53.79, 0.04, name="Ward")]}
N_PATHS = len(SQUARES["features"]) + len(OUTLINE["features"])


def build_map(*, localised: bool, site: Path) -> Path:
    """Save a map with two overlays, a legend, a marker, LayerControl and Draw."""
    m = folium.Map(location=LEEDS, zoom_start=13, tiles=None)
    colours = branca.colormap.LinearColormap(["#d7191c", "#2c7bb6"], vmin=1, vmax=10)
    colours.caption = "IMD decile"
    folium.GeoJson(
        SQUARES,
        name="Neighbourhoods",
        style_function=lambda f: {"fillColor": colours(f["properties"]["decile"])},
        tooltip=folium.GeoJsonTooltip(fields=["name", "decile"]),
    ).add_to(m)
    folium.GeoJson(OUTLINE, name="Ward boundary", style_function=lambda f: {"fill": False}).add_to(
        m
    )
    folium.Marker(LEEDS, icon=folium.Icon(prefix="fa", icon="circle-info")).add_to(m)
    colours.add_to(m)
    folium.plugins.Draw().add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    if localised:
        localise(m, assets_url="assets/vendor")
        copy_assets(site)
    m.save(site / "index.html")
    return site / "index.html"


def test_localised_map_loads_offline(tmp_path, browser, serve, open_page):
    build_map(localised=True, site=tmp_path)
    assert find_external_urls(tmp_path) == []

    page, failed, errors, external = open_page(browser, serve(tmp_path) + "index.html")

    assert failed == []
    assert errors == []
    assert external == []
    assert page.locator(".folium-map.leaflet-container").count() == 1
    assert page.evaluate("document.querySelectorAll('path.leaflet-interactive').length") == N_PATHS
    assert page.locator(".leaflet-draw-toolbar a.leaflet-draw-draw-polygon").count() == 1
    assert page.locator(".leaflet-control-layers-overlays label").count() == 2
    # Vendored CSS and fonts really applied: Font Awesome glyph and the d3 legend.
    assert page.evaluate("typeof L.Control.Draw === 'function' && typeof d3 === 'object'")
    family = page.evaluate(
        "getComputedStyle(document.querySelector('.awesome-marker i.fa-solid, "
        ".awesome-marker i.fa'), '::before').fontFamily"
    )
    assert "Font Awesome" in family
    assert page.evaluate("document.fonts.check('900 12px \"Font Awesome 6 Free\"')")
    assert page.locator(".legend svg, svg#legend, .leaflet-control svg").count() >= 1


def test_harness_sees_cdn_requests_of_an_unlocalised_map(tmp_path, browser, serve, open_page):
    build_map(localised=False, site=tmp_path)
    assert find_external_urls(tmp_path)

    _, failed, errors, external = open_page(
        browser, serve(tmp_path) + "index.html", wait_until="load"
    )

    assert any("cdn.jsdelivr.net/npm/leaflet@1.9.3" in url for url in external)
    assert failed
    assert errors  # "L is not defined": the map script ran without Leaflet


@pytest.mark.parametrize(
    ("body", "rule"),
    [('<img src="pixel.png">', "image-alt"), ('<button type="button"></button>', "button-name")],
)
def test_run_axe_reports_wcag_violations(tmp_path, browser, serve, open_page, run_axe, body, rule):
    (tmp_path / "page.html").write_text(
        f'<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>{body}</main>'
        "</body></html>",
        encoding="utf-8",
    )
    page = open_page(browser, serve(tmp_path) + "page.html").page

    violations = run_axe(page)

    assert rule in {v["id"] for v in violations}
    assert all(any(t.startswith("wcag2") for t in v["tags"]) for v in violations)
