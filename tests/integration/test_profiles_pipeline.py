"""Issue 6 (profiles) on the real data: a profile for every ward, committee and priority
neighbourhood (LSOA-based and drawn), whose numbers equal the summaries CSVs; England's row;
Bradford's profiles without the Leeds-only tiers."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from _profiles_html import check_cells_against, measure_cells

pytestmark = pytest.mark.integration

TIER_DIRS = {
    "ward": "ward",
    "community_committee": "community-committee",
    "priority_neighbourhood": "priority-neighbourhood",
    "drawn_neighbourhood": "drawn-neighbourhood",
}


def summary(repo: Path, tier: str) -> pd.DataFrame:
    return pd.read_csv(repo / f"data/processed/summaries/{tier}.csv", dtype={"area_code": "str"})


def profile_files(repo: Path, tier: str) -> list[Path]:
    return sorted((repo / "site/profiles" / TIER_DIRS[tier]).glob("*.html"))


def area_code_of(html: str) -> str:
    marker = 'data-area-code="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


@pytest.mark.parametrize(
    ("tier", "expected"),
    [
        ("ward", 33),
        ("community_committee", 10),
        ("priority_neighbourhood", 12),
        ("drawn_neighbourhood", None),
    ],
)
def test_a_profile_for_every_area(built_repo: Path, tier: str, expected: int | None):
    table = summary(built_repo, tier)
    codes = set(table["area_code"])
    if tier == "priority_neighbourhood":  # the LSOAs in the national 1% of IoD2019
        assert set(table.loc[table["vintage"] == 2019, "area_code"]) == codes
    if expected is not None:
        assert len(codes) == expected
    assert codes, f"no {tier} areas"
    pages = profile_files(built_repo, tier)
    shown = {area_code_of(p.read_text(encoding="utf-8")) for p in pages}
    assert shown == codes
    assert len(pages) == len(codes)


@pytest.mark.parametrize("tier", list(TIER_DIRS))
def test_numbers_on_every_profile_equal_the_summaries(built_repo: Path, tier: str):
    tables = {
        "area": summary(built_repo, tier),
        "city": summary(built_repo, "city"),
        "england": pd.read_csv(
            built_repo / "data/processed/england_summary.csv", dtype={"area_code": "str"}
        ),
    }
    total = 0
    for page in profile_files(built_repo, tier):
        cells = measure_cells(page.read_text(encoding="utf-8"))
        assert {c["data-source"] for c in cells} == {"area", "city", "england"}, page.name
        total += check_cells_against(cells, tables)
    assert total > 100 * len(profile_files(built_repo, tier)) // 2


def test_england_by_definition(built_repo: Path):
    eng = pd.read_csv(built_repo / "data/processed/england_summary.csv").set_index("vintage")
    for vintage, n in ((2015, 32_844), (2019, 32_844), (2025, 33_755)):
        r = eng.loc[vintage]
        assert r["lsoas"] == n and r["lsoas_in_national_10pct"] == n // 10
        assert math.isclose(r["imd_proportion_10pct"], (n // 10) / n)
        assert abs(r["imd_average_rank"] - (n + 1) / 2) < 0.05 * n  # near the midpoint


def test_watchlist_page_lists_every_entry(built_repo: Path):
    html = (built_repo / "site/watchlist.html").read_text(encoding="utf-8")
    table = pd.read_csv(built_repo / "data/processed/watchlist.csv", dtype={"code": "str"})
    for kind, rows in table.groupby("kind"):
        assert f"({len(rows)})</caption>" in html, kind
    releases = html.split('<section aria-labelledby="trends-heading"')[0]  # then the trends
    assert releases.count("<tr") - releases.count("<thead><tr") == len(table)


def test_bradford_profiles_without_local_tiers(bradford: Path):
    repo = bradford
    out = repo / "data/interim/profile_pages/profiles"

    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == [
        "priority-neighbourhood", "priority-neighbourhood-2015", "ward"
    ]  # fmt: skip
    wards = summary(repo, "ward")
    assert len(list((out / "ward").glob("*.html"))) == wards["area_code"].nunique()
    page = next((out / "ward").glob("*.html")).read_text(encoding="utf-8")
    assert "Bradford" in page and "What stands out" in page


def test_the_small_map_counts_the_wards_lsoas_of_the_latest_release(built_repo: Path):
    wards = summary(built_repo, "ward")
    latest = int(wards["vintage"].max())
    armley = wards.loc[(wards["area_name"] == "Armley") & (wards["vintage"] == latest)]
    lsoas = int(armley["lsoas"].iloc[0])
    html = (built_repo / "site/profiles/ward/armley.html").read_text(encoding="utf-8")
    assert f"The {lsoas} LSOAs of Armley (IoD{latest})" in html
