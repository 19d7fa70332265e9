"""The built map site in Chromium: loads offline, draws every feature, accessible, searchable.

Runs on the real site the pipeline builds (``built_repo``), served from a local HTTP server;
a synthetic site checks that a name made of markup renders as text. Screenshots of the
index, a ward page and a neighbourhood page go to ``data/processed/screenshots/`` of the
built copy and of the project.
"""

from __future__ import annotations

import functools
import json
import shutil
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
import shapely
import yaml
from _pipeline import ROOT
from _site_synthetic import EVIL
from _site_synthetic import build as build_synthetic

from geo.inputs.neighbourhoods import read_neighbourhood_file
from geo.presentation.site.assets import (
    find_external_urls,
    tile_allowed_prefixes,
    tile_layer_options,
)
from geo.presentation.site.build import PAGE_BUDGET_BYTES, page_weights

pytestmark = pytest.mark.integration

TIER_DIRS = (
    "community-committee", "ward", "priority-neighbourhood", "drawn-neighbourhood",
    "designated-2017", "wedge",
)  # fmt: skip
FIXED_PAGES = (
    "index.html", "ward/index.html", "priority-ward/index.html", "rank-changes/2015-2019.html",
    "rank-changes/2019-2025.html", "draw.html", "downloads/index.html",
)  # fmt: skip
SCREENSHOT_DIR = Path("data/processed/screenshots")


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


def page_for(site: Path, key: str) -> str:
    if key == "ward":
        return "ward/armley.html"
    return first_area_page(site, key) if key in TIER_DIRS else key


def expected_features(site: Path, path: str) -> int:
    text = (site / path.replace(".html", ".data.js")).read_text(encoding="utf-8")
    data = json.loads(text.removeprefix("window.GEO_PAGE = ").removesuffix(";\n"))
    return int(data["features"])


def paths_drawn(page: Any) -> int:
    return int(page.evaluate("document.querySelectorAll('path.leaflet-interactive').length"))


@pytest.mark.parametrize("key", [*TIER_DIRS, *FIXED_PAGES])
def test_page_loads_offline_and_draws_every_feature(site, base, browser, open_page, key):
    path = page_for(site, key)
    page, failed, errors, external = open_page(browser, base + path)
    assert failed == [], path
    assert errors == [], path
    assert external == [], path
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.title().strip() and page.locator("h1").count() == 1
    if path != "downloads/index.html":
        assert paths_drawn(page) == expected_features(site, path) > 0, path
        assert page.locator(".geo-legend:not([hidden])").count() >= 1, path
    assert page.locator("table.sortable").count() >= 1 or path == "draw.html"


def test_maps_draw_as_many_polygons_as_the_area_has_lsoas(built_repo, base, browser, open_page):
    membership = pd.read_csv(built_repo / "data/processed/lsoa_membership.csv")
    armley = membership.loc[membership["ward_name"] == "Armley"]
    counts = armley["lsoa_geography"].value_counts()
    page = open_page(browser, base + "ward/armley.html").page
    assert paths_drawn(page) == counts["LSOA21"]
    choose(page, "IoD2019")
    assert paths_drawn(page) == counts["LSOA11"]
    city = open_page(browser, base + "index.html").page
    assert paths_drawn(city) == len(pd.read_csv(built_repo / "data/processed/lsoa_imd_2025.csv"))


def legend_visible(page: Any, layer: str) -> bool:
    return bool(page.locator(f'.geo-legend[data-layer="{layer}"]').is_visible())


def choose(page: Any, *labels: str) -> None:
    """Open the layer switch (if closed) and check each labelled release, measure or overlay."""
    toggle = page.get_by_role("button", name="Show map layers")
    if toggle.count():
        toggle.click()
    for label in labels:
        page.get_by_label(label, exact=True).check()


def test_each_legend_shows_and_hides_with_its_layer(base, browser, open_page):
    page = open_page(browser, base + "ward/armley.html").page
    shown = page.eval_on_selector_all(
        ".geo-legend", "ns => ns.filter(n => n.offsetParent).map(n => n.dataset.layer)"
    )
    assert sorted(shown) == ["imd-2025", "outline-area"]  # the shown layers'; others on demand
    assert legend_visible(page, "imd-2025") and not legend_visible(page, "imd-2019")
    choose(page, "IoD2019")
    assert legend_visible(page, "imd-2019") and not legend_visible(page, "imd-2025")
    choose(page, "IoD2025", "Crime: national decile")
    assert legend_visible(page, "crime-2025") and not legend_visible(page, "imd-2019")
    assert page.locator('.geo-legend[data-layer="crime-2025"] li').count() == 10

    city = open_page(browser, base + "index.html").page
    assert not legend_visible(city, "outline-ward")
    choose(city, "Wards")
    assert legend_visible(city, "outline-ward")
    city.get_by_label("Wards", exact=True).uncheck()
    assert not legend_visible(city, "outline-ward")


def search(page: Any, text: str) -> Any:
    box = page.get_by_label("Search areas")
    box.fill(text)
    results = page.locator("#site-search-results a")
    results.first.wait_for()
    return results


@pytest.mark.parametrize("start", ["index.html", "downloads/index.html"])
def test_searching_armley_reaches_the_armley_ward_page(base, browser, open_page, start):
    page = open_page(browser, base + start).page
    results = search(page, "Armley")
    assert results.first.locator(".hit-name").inner_text() == "Armley"
    assert "Ward" in results.first.inner_text()
    page.get_by_label("Search areas").press("Enter")
    page.wait_for_url("**/ward/armley.html")
    assert page.locator("h1").inner_text() == "Armley"


def test_search_by_lsoa_code_and_keyboard(built_repo, base, browser, open_page):
    membership = pd.read_csv(built_repo / "data/processed/lsoa_membership.csv")
    armley = membership.loc[
        (membership["ward_name"] == "Armley") & ~membership["in_priority_neighbourhood"]
    ]
    code = sorted(armley["lsoa_code"])[0]
    page = open_page(browser, base + "index.html").page
    results = search(page, code)
    assert "LSOA in Armley" in results.first.inner_text()
    page.get_by_label("Search areas").press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('#site-search-results') !== null")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/ward/armley.html#lsoa-{code}")
    assert page.locator(f"#lsoa-{code}").count() == 1


def test_tables_sort_from_the_keyboard(base, browser, open_page):
    page = open_page(browser, base + "ward/armley.html").page
    header = page.locator("#lsoas thead th", has_text="IMD rank 2025")
    button = header.locator("button")
    button.focus()
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "ascending"
    index = page.locator("#lsoas thead th").all_inner_texts().index("IMD rank 2025")
    values = page.evaluate(
        f"Array.from(document.querySelectorAll('#lsoas tbody tr')).map(r => r.cells[{index}].dataset.value || r.cells[{index}].textContent)"
    )
    numbers = [float(v) for v in values if v.strip() not in ("", "–")]
    assert numbers == sorted(numbers) and len(numbers) > 5
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "descending"


HOVERABLE = """() => {
  for (const path of document.querySelectorAll('path.leaflet-interactive')) {
    path.scrollIntoView({block: 'center', behavior: 'instant'});
    const r = path.getBoundingClientRect();
    for (const [fx, fy] of [[0.5, 0.5], [0.3, 0.3], [0.7, 0.7], [0.3, 0.7], [0.7, 0.3]]) {
      const x = r.x + r.width * fx, y = r.y + r.height * fy;
      if (document.elementFromPoint(x, y) === path) return [x, y];
    }
  }
  return null;
}"""


def hover_a_feature(page: Any) -> None:
    """Move the mouse over a polygon that no control covers (tooltips open on hover)."""
    point = page.evaluate(HOVERABLE)
    assert point is not None, "no polygon is reachable by the mouse"
    page.mouse.move(point[0], point[1], steps=2)


def test_tooltip_names_the_lsoa(base, browser, open_page):
    page = open_page(browser, base + "ward/armley.html").page
    hover_a_feature(page)
    tip = page.locator(".geo-tooltip").last
    tip.wait_for()
    text = tip.inner_text()
    assert (
        "Ward: " in text and "national rank" in text and "national decile" in text and "E0" in text
    )


def test_no_file_references_an_external_url(built_repo, site):
    config = yaml.safe_load((built_repo / "config.yaml").read_text())
    site_config = config.get("site") or {}
    tiles = tile_layer_options(
        site_config.get("tiles", "none"), attribution=site_config.get("tile_attribution")
    )
    assert find_external_urls(site, allowed=tile_allowed_prefixes(tiles)) == []


def test_every_page_is_within_the_budget(site):
    files = {
        str(p.relative_to(site)): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and p.suffix in (".html", ".js", ".json")
    }
    weights = page_weights(files)
    assert len(weights) > 60
    heaviest = max(weights, key=lambda k: weights[k])
    print(f"heaviest page: {heaviest}, {weights[heaviest]:,} bytes")
    assert weights[heaviest] <= PAGE_BUDGET_BYTES


def test_draw_page_exports_a_file_the_neighbourhood_reader_accepts(
    built_repo, base, browser, open_page, tmp_path
):
    page = open_page(browser, base + "draw.html").page
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.locator(".folium-map").evaluate(
        "el => el.scrollIntoView({block: 'center', behavior: 'instant'})"
    )
    page.locator(".leaflet-draw-draw-rectangle").click()
    box = page.locator(".folium-map").bounding_box()
    cx, cy = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5
    page.mouse.move(cx - 15, cy - 15)
    page.mouse.down()
    page.mouse.move(cx + 15, cy + 15, steps=5)
    page.mouse.up()
    name = page.locator("#draw-name-1")
    name.wait_for()
    name.fill(EVIL)
    page.locator("#draw-ward-1").select_option("Armley")
    page.locator("#draw-notes-1").fill("Drawn in the browser test")
    with page.expect_download() as download:
        page.locator("#draw-export").click()
    target = tmp_path / "drawn.geojson"
    download.value.save_as(target)
    data = json.loads(target.read_text())
    assert data["features"][0]["properties"] == {
        "name": EVIL,
        "ward": "Armley",
        "notes": "Drawn in the browser test",
    }
    outline = gpd.read_parquet(built_repo / "data/interim/authority_outline.parquet")
    layer = read_neighbourhood_file(target, outline=shapely.union_all(outline.geometry.to_numpy()))
    assert layer["name"].tolist() == [EVIL] and layer["ward"].tolist() == ["Armley"]
    assert layer.geometry.iloc[0].area > 1000


SHOT_SIZES = {"laptop": (1366, 768), "phone": (390, 844)}


def test_screenshots_of_index_ward_neighbourhood_and_profile(built_repo, site, base, browser):
    pages = {
        "index": "index.html",
        "ward_armley": "ward/armley.html",
        "priority_neighbourhood": first_area_page(site, "priority-neighbourhood"),
        "profile_armley": "profiles/ward/armley.html",
    }
    out = built_repo / SCREENSHOT_DIR
    out.mkdir(parents=True, exist_ok=True)
    shots = []
    for size, (width, height) in SHOT_SIZES.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        try:
            for stem, path in pages.items():
                if not (site / path).exists():
                    continue
                page = context.new_page()
                page.goto(base + path, wait_until="networkidle")
                if page.locator(".folium-map").count():
                    page.locator(".folium-map").scroll_into_view_if_needed()
                name = f"{stem}_{size}.png"
                page.screenshot(path=str(out / name), full_page=False)
                assert (out / name).stat().st_size > 10_000
                shots.append(name)
                page.close()
        finally:
            context.close()
    assert len(shots) >= 6
    project = ROOT / SCREENSHOT_DIR
    project.mkdir(parents=True, exist_ok=True)
    for name in shots:
        shutil.copy2(out / name, project / name)


def record_dialog(dialogs: list[str], dialog: Any) -> None:
    dialogs.append(dialog.message)
    dialog.dismiss()


def test_a_name_made_of_markup_renders_as_text(tmp_path, serve, browser):
    build_synthetic(tmp_path / "site")
    base = serve(tmp_path / "site")
    context = browser.new_context()
    try:
        for path in (
            "priority-neighbourhood/script-alert-1-script.html",
            "drawn-neighbourhood/script-alert-1-script.html",
        ):
            page = context.new_page()
            dialogs: list[str] = []
            errors: list[str] = []
            page.on("dialog", functools.partial(record_dialog, dialogs))
            page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
            page.goto(base + path, wait_until="networkidle")
            assert page.locator("h1").inner_text() == EVIL
            hover_a_feature(page)
            assert EVIL in page.locator(".geo-tooltip").last.inner_text()
            assert EVIL in search(page, "script").first.inner_text()
            assert (
                page.evaluate(
                    "document.querySelectorAll('main script, .geo-tooltip script').length"
                )
                == 0
            )
            assert dialogs == [] and errors == []
    finally:
        context.close()
