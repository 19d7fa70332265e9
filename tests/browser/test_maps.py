"""The maps of the built site in Chromium: furniture, tooltips, keyboard, weight, draw page.

Runs on the one real Leeds build (``built_repo``). Sizes: a laptop (1366×768) and a phone
(390×844). "Controls" are every Leaflet control drawn over the map (zoom, key, layer
switch, scale, attribution, draw toolbar); their share of the map is measured on a 4 px
grid, so overlapping controls count once.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.inputs.neighbourhoods import read_neighbourhood_file

pytestmark = pytest.mark.integration

SIZES = {"laptop": (1366, 768), "phone": (390, 844)}
TIER_DIRS = (
    "community-committee", "ward", "priority-neighbourhood", "drawn-neighbourhood",
    "designated-2017", "wedge",
)  # fmt: skip
UNUSED = ("jquery", "bootstrap.bundle", "awesome-markers", "fontawesome", "awesome.rotate")


@pytest.fixture(scope="module")
def site(built_repo: Path) -> Path:
    return built_repo / "site"


@pytest.fixture(scope="module")
def base(site: Path, serve: Any) -> str:
    return serve(site)


def first_area_page(site: Path, tier_dir: str) -> str:
    pages = sorted(p for p in (site / tier_dir).glob("*.html") if p.name != "index.html")
    assert pages, f"no area page under {tier_dir}/"
    return f"{tier_dir}/{pages[0].name}"


def map_pages(site: Path) -> list[str]:
    """Every page of the site with a map (it has a data file beside it)."""
    return sorted(
        str(p.relative_to(site)).replace(".data.js", ".html") for p in site.rglob("*.data.js")
    )


def sample_pages(site: Path) -> list[str]:
    """The home page, every tier overview and one area page per tier."""
    pages = [
        "index.html",
        *(f"{d}/index.html" for d in TIER_DIRS if (site / d / "index.html").exists()),
    ]
    pages += [first_area_page(site, d) for d in TIER_DIRS if (site / d).is_dir()]
    return pages


def open_at(browser: Any, url: str, size: tuple[int, int]) -> Any:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="networkidle")
    page.errors = errors
    return page


COVERAGE = """() => {
  const map = document.querySelector('.folium-map');
  const m = map.getBoundingClientRect();
  const rects = Array.from(map.querySelectorAll('.leaflet-control'))
    .filter(c => c.offsetParent !== null)
    .map(c => c.getBoundingClientRect());
  let inside = 0, total = 0;
  for (let x = m.left + 2; x < m.right; x += 4) {
    for (let y = m.top + 2; y < m.bottom; y += 4) {
      total += 1;
      if (rects.some(r => x >= r.left && x < r.right && y >= r.top && y < r.bottom)) inside += 1;
    }
  }
  return inside / total;
}"""

HOVERABLE = """() => {
  const map = document.querySelector('.folium-map').getBoundingClientRect();
  const points = [];
  for (const path of document.querySelectorAll('path.leaflet-interactive')) {
    const r = path.getBoundingClientRect();
    for (const [fx, fy] of [[0.5, 0.5], [0.3, 0.3], [0.7, 0.7]]) {
      const x = r.x + r.width * fx, y = r.y + r.height * fy;
      if (x > map.left && x < map.right && y > map.top && y < map.bottom && document.elementFromPoint(x, y) === path) points.push([x, y]);
    }
  }
  return points;
}"""

TIP_CHECK = """() => {
  const tip = document.querySelector('.geo-tooltip:not([hidden])');
  if (!tip) return null;
  const t = tip.getBoundingClientRect(), m = document.querySelector('.folium-map').getBoundingClientRect();
  tip.style.pointerEvents = 'auto';  // elementFromPoint skips pointer-events: none
  const top = [[0.5, 0.5], [0.05, 0.05], [0.95, 0.95], [0.05, 0.95], [0.95, 0.05]].every(
    ([fx, fy]) => tip.contains(document.elementFromPoint(t.left + t.width * fx, t.top + t.height * fy)));
  tip.style.pointerEvents = '';
  return {inside: t.left >= m.left && t.right <= m.right && t.top >= m.top && t.bottom <= m.bottom,
          onTop: top, text: tip.innerText};
}"""


@pytest.mark.parametrize("size", list(SIZES))
def test_controls_cover_little_of_the_map_and_tooltips_stay_inside_on_top(
    site, base, browser, size
):
    report = {}
    for path in sample_pages(site):
        page = open_at(browser, base + path, SIZES[size])
        try:
            page.locator(".folium-map").scroll_into_view_if_needed()
            # polygons measured mid-animation are not where the mouse will find them
            assert not page.evaluate("!!GeoSite.maps[0].map._animatingZoom"), path
            share = page.evaluate(COVERAGE)
            report[path] = round(share, 3)
            assert share <= 0.15, f"{path} at {size}: controls cover {share:.0%} of the map"
            points = page.evaluate(HOVERABLE)
            assert points, f"{path}: no polygon reachable by the mouse"
            # the corners are where a tooltip is most likely cut off or under a control
            for x, y in sorted(points, key=lambda p: (p[0], p[1]))[:: max(1, len(points) // 6)]:
                page.mouse.move(x, y, steps=2)
                page.wait_for_function(  # the hover is handled asynchronously on a busy machine
                    "document.querySelector('.geo-tooltip:not([hidden])') !== null", timeout=10000
                )
                tip = page.evaluate(TIP_CHECK)
                assert tip is not None, f"{path}: no tooltip at {x:.0f},{y:.0f}"
                assert tip["inside"] and tip["onTop"], f"{path} at {size}: tooltip {tip}"
            assert page.errors == []
        finally:
            page.context.close()
    print(f"control cover at {size}: {json.dumps(report)}")


def test_on_a_phone_the_key_and_layer_switch_sit_below_the_map(base, browser):
    page = open_at(browser, base + "ward/armley.html", SIZES["phone"])
    try:
        assert page.locator(".folium-map .geo-key").count() == 0
        panel = page.locator(".geo-map-panel")
        assert panel.locator(".geo-key").is_visible()
        layers = panel.get_by_role("button", name="Show map layers")
        assert layers.get_attribute("aria-expanded") == "false"
        assert not panel.locator(".geo-layer-form").is_visible()
        layers.click()
        assert panel.locator(".geo-layer-form").is_visible()
        map_box = page.locator(".map-box").bounding_box()
        assert panel.bounding_box()["y"] >= map_box["y"] + map_box["height"]
    finally:
        page.context.close()


def choose(page: Any, *labels: str) -> None:
    toggle = page.get_by_role("button", name="Show map layers")
    if toggle.count():
        toggle.click()
    for label in labels:
        page.get_by_label(label, exact=True).check()


def test_layer_switch_is_grouped_and_outlines_stay_on_top(built_repo, base, browser, open_page):
    page = open_page(browser, base + "ward/armley.html").page
    groups = page.locator(".geo-layer-form legend").all_inner_texts()
    assert groups == ["Release", "Measure", "Boundaries"] or groups[:2] == ["Release", "Measure"]
    radios = page.locator(".geo-layer-form input[type=radio]").count()
    layers = page.evaluate("GEO_PAGE.layers.length")
    assert radios < layers and layers > 12
    outline = ".leaflet-geoLines-pane path"
    assert page.locator(outline).count() >= 1
    choose(page, "IoD2019")
    choose(page, "IoD2025", "Crime: national decile")
    assert page.locator('.geo-legend[data-layer="crime-2025"]').is_visible()
    choose(page, "IoD2019")  # crime is on IoD2025 only: the switch falls back to the IMD
    assert page.locator('.geo-legend[data-layer="imd-2019"]').is_visible()
    assert page.get_by_label("Crime: national decile", exact=True).is_disabled()
    z = page.evaluate(
        "['overlay', 'geoHalo', 'geoLines'].map(p => +getComputedStyle(document.querySelector(`.leaflet-${p}-pane`)).zIndex)"
    )
    assert z[0] < z[1] < z[2]
    assert page.locator(outline).count() >= 1


def test_map_pages_load_only_what_they_use_and_build_hidden_layers_on_demand(
    site, base, browser, open_page
):
    page = open_page(browser, base + "index.html").page
    sources = page.evaluate(
        "Array.from(document.querySelectorAll('script[src], link[href]')).map(e => e.src || e.href)"
    )
    assert [s for s in sources if any(u in s for u in UNUSED)] == []
    assert page.evaluate("typeof window.jQuery") == "undefined"
    drawn = page.evaluate("document.querySelectorAll('.leaflet-overlay-pane path').length")
    lsoas = page.evaluate("GEO_PAGE.geometries.lsoa21.features.length")
    assert drawn == lsoas  # one release's polygons, not 13 layers of them
    for path in sample_pages(site):
        html = (site / path).read_text(encoding="utf-8")
        assert not any(u in html for u in UNUSED), path


def test_every_map_page_is_usable_within_a_second(site, base, browser):
    """``GeoSite.usableAt``: ms from navigation start until polygons and controls are live."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    times = {}
    try:
        for path in map_pages(site):
            runs = []
            for _ in range(2):  # the faster of two loads: the machine is shared
                page.goto(base + path, wait_until="load")
                runs.append(page.evaluate("GeoSite.usableAt"))
            times[path] = min(runs)
    finally:
        context.close()
    slow = {p: t for p, t in times.items() if not t or t > 1000}
    slowest = max(times, key=lambda p: times[p] or 0)
    median = sorted(times.values())[len(times) // 2]
    print(
        f"time to usable: median {median:.0f} ms, max {times[slowest]:.0f} ms ({slowest}), {len(times)} pages"
    )
    assert slow == {}


def test_polygons_are_out_of_the_tab_order_and_the_map_is_one_stop(base, browser, open_page):
    page = open_page(browser, base + "index.html").page
    stops = page.evaluate(
        """() => Array.from(document.querySelectorAll('.folium-map *, .folium-map'))
          .filter(e => e.tabIndex >= 0 && e.offsetParent !== null && !e.closest('[hidden]'))
          .map(e => e.tagName.toLowerCase())"""
    )
    assert "path" not in stops and "svg" not in stops
    assert stops[0] == "div" and stops.count("div") == 1


def test_fifteen_tabs_reach_the_first_table_from_the_search_box(base, browser, open_page):
    page = open_page(browser, base + "index.html").page
    page.get_by_label("Search areas").focus()
    presses = 0
    for _ in range(15):
        page.keyboard.press("Tab")
        presses += 1
        if page.evaluate(
            "(() => { const t = document.querySelector('main table'); const w = t.closest('[tabindex]') || t;"
            " return w.contains(document.activeElement) || document.activeElement === w; })()"
        ):
            break
    else:
        pytest.fail("15 Tab presses from the search box did not reach the first table")
    print(f"Tab presses from the search box to the first table: {presses}")


def test_arrow_keys_announce_areas_and_enter_opens_one(base, browser, open_page):
    page = open_page(browser, base + "ward/index.html").page
    page.locator(".folium-map").focus()
    page.keyboard.press("ArrowRight")
    live = page.locator(".folium-map ~ [aria-live], .map-box ~ [aria-live]").first
    first = live.inner_text()
    assert first.startswith("Adel & Wharfedale, 1 of ") and "Enter" in first
    assert page.locator(".leaflet-geoFocus-pane path").count() == 2
    page.keyboard.press("ArrowRight")
    assert ", 2 of " in live.inner_text()
    page.keyboard.press("ArrowLeft")
    assert live.inner_text() == first
    page.keyboard.press("Enter")
    page.wait_for_url("**/ward/adel-wharfedale.html")
    assert page.locator("h1").inner_text() == "Adel & Wharfedale"


def test_a_skip_link_passes_each_map(base, browser, open_page):
    page = open_page(browser, base + "ward/armley.html").page
    link = page.get_by_role("link", name="Skip the map")
    link.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "after-map"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.folium-map') === null")


def every_kind_of_page(site: Path) -> list[str]:
    """Every page of every kind: each top-level page, tier overview and rank-change page,
    every ward page (the councillors' own), and the first and last page of every other
    folder of areas and profiles (the pages of a folder share one template; they differ in
    data). 75 of the 195 pages of Leeds: axe on all of them takes about 2.5 minutes here."""
    pages = sorted(
        str(p.relative_to(site)) for p in site.rglob("*.html") if "assets" not in p.parts
    )
    keep = []
    for folder in sorted({str(Path(p).parent) for p in pages}):
        inside = [p for p in pages if str(Path(p).parent) == folder]
        if folder in {".", "ward", "rank-changes"}:
            keep += inside
            continue
        areas = [p for p in inside if not p.endswith("index.html")]
        keep += [p for p in inside if p.endswith("index.html")]
        keep += sorted({*areas[:1], *areas[-1:]})
    return sorted(keep)


@pytest.mark.parametrize("size", list(SIZES))
def test_axe_finds_no_wcag22_violation_on_every_kind_of_page(site, base, browser, run_axe, size):
    pages = every_kind_of_page(site)
    if size == "phone":
        pages = [*sample_pages(site), "draw.html", "england.html", "rank-changes/2019-2025.html"]
    context = browser.new_context(viewport={"width": SIZES[size][0], "height": SIZES[size][1]})
    page = context.new_page()
    found = {}
    try:
        for path in pages:
            page.goto(base + path, wait_until="load")
            violations = run_axe(page)
            if violations:
                found[path] = [
                    (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:2])
                    for v in violations
                ]
    finally:
        context.close()
    print(f"axe (WCAG 2.2 A/AA) on {len(pages)} pages at {size}: {len(found)} with violations")
    assert found == {}


def test_draw_page_figures_keyboard_shape_and_narrow_screen(built_repo, base, browser, tmp_path):
    page = open_at(browser, base + "draw.html", (1280, 1000))
    try:
        page.locator(".folium-map").evaluate(
            "el => el.scrollIntoView({block: 'center', behavior: 'instant'})"
        )
        page.locator(".leaflet-draw-draw-rectangle").click()
        box = page.locator(".folium-map").bounding_box()
        cx, cy = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5
        page.mouse.move(cx - 20, cy - 20)
        page.mouse.down()
        page.mouse.move(cx + 20, cy + 20, steps=5)
        page.mouse.up()
        figures = page.locator("#drawn-list .draw-figures").first
        figures.wait_for()
        text = figures.inner_text()
        assert "Touches " in text and " people live inside it" in text and "IMD IoD" in text
        # keyboard: two LSOAs of one ward picked from the list become one shape
        data = page.evaluate(
            "GEO_PAGE.geometries[GEO_PAGE.layers[0].geometry].features.map(f => [f.k, f.w])"
        )
        armley = sorted(code for code, ward in data if ward == "Armley")[:2]
        for code in armley:
            page.locator("#pick-input").fill(code)
            page.locator("#pick-input").press("Enter")
        assert page.locator("#pick-list li").count() == 2
        page.locator("#pick-make").click()
        page.locator("#draw-name-2").fill("Two LSOAs")
        page.locator("#draw-name-1").fill("Rectangle")
        shape_text = page.locator("#drawn-list .drawn-item").nth(1).inner_text()
        assert "Touches" in shape_text
        with page.expect_download() as download:
            page.locator("#draw-export").click()
        target = tmp_path / "drawn.geojson"
        download.value.save_as(target)
        outline = gpd.read_parquet(built_repo / "data/interim/authority_outline.parquet")
        layer = read_neighbourhood_file(
            target, outline=shapely.union_all(outline.geometry.to_numpy())
        )
        assert layer["name"].tolist() == ["Rectangle", "Two LSOAs"]
        lsoas = gpd.read_file(
            built_repo / "data/processed/lsoa_imd.gpkg", layer="imd2025"
        ).set_index("LSOA21CD")
        union = shapely.union_all(lsoas.loc[armley].to_crs(layer.crs).geometry.to_numpy())
        made = layer.geometry.iloc[1]
        assert made.is_valid and made.symmetric_difference(union).area / union.area < 0.02
    finally:
        page.context.close()
    narrow = open_at(browser, base + "draw.html", (320, 700))
    try:
        assert narrow.evaluate("document.documentElement.scrollWidth") <= 320
    finally:
        narrow.context.close()


LABELS = """() => Array.from(document.querySelectorAll('.geo-label')).map(n => {
  const r = n.firstChild.getBoundingClientRect();
  return {kind: n.className.match(/geo-label-(\\S+)/)[1], text: n.textContent,
          x: r.left + r.width / 2, y: r.top + r.height / 2};
})"""


def zoom_to(page: Any, call: str, zoom: int) -> None:
    """Call ``map.<call>`` once the map has settled (a call during the opening fit is lost)."""
    page.wait_for_function("!GeoSite.maps[0].map._animatingZoom")
    page.wait_for_timeout(300)
    page.evaluate(f"GeoSite.maps[0].map.{call}")
    page.wait_for_function(f"GeoSite.maps[0].map.getZoom() === {zoom}", timeout=5000)
    page.wait_for_timeout(100)


def test_place_labels_follow_the_zoom_and_stay_out_of_the_way(built_repo, base, browser):
    summaries = built_repo / "data/processed/summaries"
    wards = set(pd.read_csv(summaries / "ward.csv")["area_name"])
    committees = set(pd.read_csv(summaries / "community_committee.csv")["area_name"])
    page = open_at(browser, base + "index.html", (1366, 768))
    try:
        page.locator(".folium-map").scroll_into_view_if_needed()
        shown = page.evaluate(LABELS)
        assert {lb["kind"] for lb in shown} == {"community_committee"}  # the city at a glance
        assert {lb["text"] for lb in shown} == committees
        assert page.evaluate("document.querySelector('.leaflet-geoLabels-pane')"
                             ".getAttribute('aria-hidden')") == "true"  # fmt: skip
        zoom_to(page, "setZoom(12, {animate: false})", 12)
        at12 = page.evaluate(LABELS)
        assert {lb["kind"] for lb in at12} == {"ward"} and {lb["text"] for lb in at12} <= wards
        zoom_to(page, "setView([53.7996, -1.5983], 13, {animate: false})", 13)
        at13 = page.evaluate(LABELS)
        assert {lb["kind"] for lb in at13} == {"place"}
        assert "Armley & New Wortley" in {lb["text"] for lb in at13}
        # A label never takes the pointer: under its middle is the map's own polygon.
        box = page.locator(".folium-map").bounding_box()
        inside = [lb for lb in at13 if box["x"] + 40 < lb["x"] < box["x"] + box["width"] - 40
                  and box["y"] + 40 < lb["y"] < box["y"] + box["height"] - 40]  # fmt: skip
        assert inside
        for lb in inside[:5]:
            tag = page.evaluate(f"document.elementFromPoint({lb['x']}, {lb['y']}).tagName")
            assert tag.lower() in {"path", "svg", "div"}
            assert page.evaluate(
                f"!document.elementFromPoint({lb['x']}, {lb['y']}).closest('.geo-label')"
            )
        assert page.errors == []
    finally:
        page.context.close()
