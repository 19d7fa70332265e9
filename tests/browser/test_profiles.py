"""Area profiles in Chromium: load offline without errors, accessible, print on at most two
A4 pages; a screenshot of a ward profile goes to ``data/processed/screenshots/``."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from _pipeline import ROOT, run_snakemake

from geo.presentation.profiles.pdf import count_pdf_pages, profile_pages

pytestmark = pytest.mark.integration

PAGES = (
    "profiles/ward/armley.html",
    "profiles/community-committee/inner-east.html",
    "profiles/priority-neighbourhood/cliftons-nowells.html",
    "profiles/index.html",
    "watchlist.html",
)
SCREENSHOT_DIR = Path("data/processed/screenshots")
MAX_PAGES = 4  # two pages of deprivation figures, two of the performance framework


@pytest.fixture(scope="module")
def site(built_repo: Path) -> Path:
    return built_repo / "site"


@pytest.fixture(scope="module")
def base(site: Path, serve: Any) -> str:
    return serve(site)


def first_drawn(site: Path) -> str:
    pages = sorted((site / "profiles/drawn-neighbourhood").glob("*.html"))
    assert pages, "no drawn neighbourhood profiles"
    return f"profiles/drawn-neighbourhood/{pages[0].name}"


@pytest.mark.parametrize("path", [*PAGES, "drawn"])
def test_profile_pages_load_offline_and_pass_axe(site, base, browser, open_page, run_axe, path):
    path = first_drawn(site) if path == "drawn" else path
    page, failed, errors, external = open_page(browser, base + path)
    assert failed == [], path
    assert errors == [], path
    assert external == [], path
    assert page.title().endswith("Deprivation in Leeds")
    violations = run_axe(page)
    assert violations == [], [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in violations
    ]


def test_charts_are_accessible_images(site, base, browser, open_page):
    page = open_page(browser, base + "profiles/ward/armley.html").page
    charts = page.locator("svg.chart-svg")
    assert charts.count() >= 2
    for i in range(charts.count()):
        svg = charts.nth(i)
        assert svg.get_attribute("role") == "img"
        title_id, desc_id = svg.get_attribute("aria-labelledby").split()
        assert page.locator(f"#{title_id}").text_content()
        assert any(ch.isdigit() for ch in page.locator(f"#{desc_id}").text_content())


def test_every_profile_prints_on_at_most_four_a4_pages(site, browser, built_repo):
    """The optional PDF rule prints every profile with Chromium; each fits four A4 pages."""
    run_snakemake(built_repo, "export_profile_pdfs")
    counts = pd.read_csv(built_repo / "data/processed/profiles_pdf/page_counts.csv")
    assert len(counts) == len(profile_pages(site)) >= 33 + 10 + 12
    assert counts["pages"].between(1, MAX_PAGES).all(), counts.loc[counts["pages"] > MAX_PAGES]
    pdf = built_repo / "data/processed/profiles_pdf/ward/armley.pdf"
    assert count_pdf_pages(pdf.read_bytes()) == int(
        counts.set_index("profile").loc["ward/armley.html", "pages"]
    )


def test_print_hides_navigation_and_search(site, base, browser, open_page):
    page = open_page(browser, base + "profiles/ward/armley.html").page
    page.emulate_media(media="print")
    for selector in (".site-header", ".breadcrumbs", "#site-search", ".profile-links"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator(".lsoa-deciles").is_visible()


def test_ward_profile_screenshot(site, base, browser, built_repo):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(base + "profiles/ward/armley.html", wait_until="networkidle")
        shots = []
        for target_dir in (built_repo / SCREENSHOT_DIR, ROOT / SCREENSHOT_DIR):
            target_dir.mkdir(parents=True, exist_ok=True)
            shots.append(target_dir / "profile_ward_armley.png")
        page.screenshot(path=str(shots[0]), full_page=True)
        page.emulate_media(media="print")
        page.screenshot(
            path=str(shots[0].with_name("profile_ward_armley_print.png")), full_page=True
        )
    finally:
        context.close()
    for name in ("profile_ward_armley.png", "profile_ward_armley_print.png"):
        src = built_repo / SCREENSHOT_DIR / name
        assert src.stat().st_size > 10_000
        if src.resolve() != (ROOT / SCREENSHOT_DIR / name).resolve():
            shutil.copy2(src, ROOT / SCREENSHOT_DIR / name)
