"""Issue 12 part 1 in Chromium: postcode and tolerant search, the glossary, the ward story, print.

Runs on the real site of the shared Leeds build (``built_repo``). Postcodes are sampled
from the NSPL file the pipeline reads (every live Leeds postcode is in the index); made-up
ones are well-formed postcodes absent from it. Screenshots of the home page, a ward, a
neighbourhood and a profile at 1366×768 and 390×844 go to ``data/processed/screenshots/``
of the built copy and of the project.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from _pipeline import ROOT

from geo.inputs.postcodes import read_nspl

pytestmark = pytest.mark.integration

SCREENSHOT_DIR = Path("data/processed/screenshots")
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
LAD = "E08000035"


@pytest.fixture(scope="module")
def site(built_repo: Path) -> Path:
    return built_repo / "site"


@pytest.fixture(scope="module")
def base(site: Path, serve: Any) -> str:
    return serve(site)


@pytest.fixture(scope="module")
def nspl(built_repo: Path) -> pd.DataFrame:
    path = next((built_repo / "data/raw/postcodes_leeds").glob("*.csv"))
    table = read_nspl(path)
    return table.loc[table["lad_code"] == LAD]


def _first(site: Path, folder: str) -> str:
    pages = sorted(p.name for p in (site / folder).glob("*.html") if p.name != "index.html")
    assert pages, folder
    return f"{folder}/{pages[0]}"


def _postcode_result(page: Any, text: str) -> str:
    box = page.get_by_label("Search areas or postcodes")
    box.fill(text)
    result = page.locator("#site-search-results .postcode-result")
    page.wait_for_function(
        "t => { const r = document.querySelector('#site-search-results .postcode-result');"
        " return r && r.textContent.indexOf(t) === 0; }",
        arg=text.upper().replace("  ", " "),
    )
    return result.inner_text()


def test_postcode_search_finds_every_sampled_live_postcode(
    built_repo, base, browser, open_page, nspl
):
    lsoa = pd.read_csv(built_repo / "data/processed/lsoa_imd_2025.csv", dtype=str)
    names = lsoa.set_index("LSOA21CD")["LSOA21NM"]
    summary = pd.read_csv(built_repo / "data/processed/summaries/ward.csv", dtype=str)
    wards = summary.drop_duplicates("area_code").set_index("area_code")["area_name"].to_dict()
    sample = nspl.sample(200, random_state=12)
    log = open_page(browser, base + "index.html")
    page = log.page
    found = 0
    for row in sample.itertuples(index=False):
        text = _postcode_result(page, row.postcode)
        assert "not a live postcode" not in text, row.postcode
        assert names[row.lsoa21_code] in text, (row.postcode, text)
        assert wards[row.ward_code] in text, (row.postcode, text)
        assert "IoD2025" in text and "IoD2019" in text and "IoD2015" in text, text
        found += 1
    assert found == 200
    # the links lead to the ward page row of the LSOA and to the ward
    links = page.locator("#site-search-results a")
    assert links.count() >= 2
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert any("#lsoa-" in h for h in hrefs) and any(h.startswith("ward/") for h in hrefs)
    assert not log.failed_requests and not log.console_errors


def test_postcode_search_finds_none_of_twenty_made_up_postcodes(base, browser, open_page, nspl):
    live = set(nspl["postcode"])
    rng = random.Random(12)
    outwards = sorted({p.split(" ")[0] for p in live})
    made_up: list[str] = []
    while len(made_up) < 20:
        outward = rng.choice([*outwards, "LS99", "ZZ1", "XY12"])
        inward = f"{rng.randint(0, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        code = f"{outward} {inward}"
        if code not in live and code not in made_up:
            made_up.append(code)
    page = open_page(browser, base + "ward/armley.html").page
    for code in made_up:
        assert "is not a live postcode" in _postcode_result(page, code), code


@pytest.mark.parametrize(("typed", "expected"), [("armly", "Armley"), ("hedingley", "Headingley & Hyde Park"),
                                                  ("Burmantofs", "Burmantofts & Richmond Hill")])  # fmt: skip
def test_tolerant_name_search(base, browser, open_page, typed, expected):
    page = open_page(browser, base + "index.html").page
    page.get_by_label("Search areas or postcodes").fill(typed)
    first = page.locator("#site-search-results a").first
    first.wait_for()
    assert first.locator(".hit-name").inner_text() == expected


def test_glossary_is_linked_from_every_table_and_explains_the_words(site, base, browser, open_page):
    text = (site / "glossary.html").read_text(encoding="utf-8")
    for words in ("about 1,500 people", "Decile 1 is the most deprived 10%", "The national 1%",
                  "Extent", "Local concentration", "Rank change", "more deprived"):  # fmt: skip
        assert words in text, words
    for path in ("index.html", "ward/armley.html", _first(site, "priority-neighbourhood")):
        page = open_page(browser, base + path).page
        tables = page.locator("table.data").count()
        links = page.locator("a.glossary-link")
        assert tables > 0 and links.count() >= tables + 1, path
        links.first.click()
        page.wait_for_url("**/glossary.html")
        assert page.locator("h1").inner_text() == "What the words mean"


def test_ward_page_tells_the_story(built_repo, base, browser, open_page):
    changes = pd.read_csv(built_repo / "data/processed/facts/lsoa_changes.csv", dtype=str)
    membership = pd.read_csv(built_repo / "data/processed/lsoa_membership.csv", dtype=str)
    summary = pd.read_csv(built_repo / "data/processed/summaries/ward.csv")
    page = open_page(browser, base + "ward/armley.html").page
    story = page.locator("section:has(#story-heading)")
    rows = story.locator("#story tbody tr")
    armley = summary.loc[summary["area_name"] == "Armley"].sort_values("vintage")
    assert rows.count() == len(armley) == 6  # a row per release, 2004 to 2025
    for i, r in enumerate(armley.itertuples(index=False)):
        cells = rows.nth(i).locator("td").all_inner_texts()
        assert cells == [str(int(r.lsoas)), str(int(r.lsoas_in_national_10pct)),
                         str(int(r.lsoas_in_national_1pct))]  # fmt: skip
    codes = set(membership.loc[membership["ward_name"] == "Armley", "lsoa_code"])
    moved = changes.loc[changes["lsoa_code"].isin(codes) & changes["move"].notna()]
    text = story.inner_text()
    for code in moved["lsoa_code"]:
        assert code in text or story.locator(f'a[href="#lsoa-{code}"]').count() == 1, code
    assert story.locator('a[href$="profiles/ward/armley.html"]').count() == 1
    # whole counts as integers in the story and the summary ("14", never "14.0")
    for part in (story.locator("#story").inner_text(), page.locator(".lead-summary").inner_text()):
        assert not re.search(r"\b\d+\.0\b", part), part


def test_area_page_prints_without_navigation_and_nothing_cut_off(base, browser, open_page):
    page = open_page(browser, base + "ward/armley.html").page
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    for selector in (".site-nav", ".site-search", ".breadcrumbs", ".leaflet-control-container"):
        hidden = page.evaluate(
            "s => [...document.querySelectorAll(s)].every(e => getComputedStyle(e).display === 'none')",
            selector,
        )
        assert hidden, selector
    wide = page.evaluate(
        "() => [...document.querySelectorAll('main table')].filter("
        "t => t.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length"
    )
    assert wide == 0
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"


def test_profile_has_a_small_map_of_its_lsoas(site, base, browser, open_page):
    page = open_page(browser, base + "profiles/ward/armley.html").page
    svg = page.locator("svg.profile-map")
    assert svg.count() == 1
    n = page.locator("svg.profile-map path").count()
    assert n == page.locator(".lsoa-deciles tbody tr, #profile-lsoas tbody tr").count() or n >= 10
    assert svg.get_attribute("role") == "img"


def test_screenshots_at_both_sizes(built_repo, site, base, browser, open_page):
    shots = {
        "home": "index.html",
        "ward_armley": "ward/armley.html",
        "neighbourhood": _first(site, "priority-neighbourhood"),
        "profile_armley": "profiles/ward/armley.html",
    }
    out = built_repo / SCREENSHOT_DIR
    out.mkdir(parents=True, exist_ok=True)
    names = []
    for label, (w, h) in SIZES.items():
        for name, path in shots.items():
            page = open_page(browser, base + path).page
            page.set_viewport_size({"width": w, "height": h})
            page.wait_for_timeout(300)
            file = out / f"{name}_{label}.png"
            page.screenshot(path=str(file), full_page=False)
            assert file.stat().st_size > 5_000
            names.append(file.name)
    project = ROOT / SCREENSHOT_DIR
    project.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy2(out / name, project / name)
