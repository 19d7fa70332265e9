"""Profile pages on a synthetic authority: every area, numbers equal to the inputs, charts
with gaps and suppression, escaping, the watchlist page, England's row, PDF page counts."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from _profiles_html import check_cells_against, measure_cells
from _profiles_synthetic import PROFILE_TIERS, profile_inputs
from _site_synthetic import EVIL

from geo.model.domains import DOMAINS
from geo.presentation.profiles.model import build_profile, decile_counts, plan_profiles
from geo.presentation.profiles.national import england_summary
from geo.presentation.profiles.pdf import count_pdf_pages
from geo.presentation.profiles.render import build_profile_files

WATCHLIST = pd.DataFrame([
    {"kind": "near_national_1pct", "tier": "lsoa", "code": "E01000001", "name": "Synth 001", "local_name": EVIL,
     "ward_code": "W1", "ward_name": "Armley", "measure": "imd_rank", "vintage_from": None, "vintage": 2019,
     "value_from": None, "value": 100, "change": None, "threshold_rank": 328, "compared_with": None,
     "reason": "IoD2019 IMD rank 100 of 32,844: inside the national most deprived 1%"},
    {"kind": "area_moved", "tier": "ward", "code": "W2", "name": "Beeston & Holbeck", "local_name": None,
     "ward_code": None, "ward_name": None, "measure": "imd_proportion_10pct", "vintage_from": 2019, "vintage": 2025,
     "value_from": 0.0, "value": 0.25, "change": 0.25, "threshold_rank": None, "compared_with": None,
     "reason": "moved furthest"},
])  # fmt: skip


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return build_profile_files(profile_inputs(), site_title="Deprivation in Synthshire", tiers=PROFILE_TIERS,
                               rank_pairs=[(2019, 2025)], watchlist=WATCHLIST, budget=1_500_000)  # fmt: skip


def page(files: dict[str, bytes], path: str) -> str:
    return files[path].decode("utf-8")


def test_a_profile_for_every_area_of_the_profiled_tiers(files):
    profiles = sorted(p for p in files if p.startswith("profiles/") and p != "profiles/index.html")
    assert profiles == [
        "profiles/community-committee/inner-west.html",
        "profiles/drawn-neighbourhood/script-alert-1-script.html",
        "profiles/priority-neighbourhood/script-alert-1-script.html",
        "profiles/ward/armley.html", "profiles/ward/beeston-holbeck.html",
    ]  # fmt: skip
    index = page(files, "profiles/index.html")
    for p in profiles:
        assert f'href="../{p}"' in index


def test_numbers_on_the_page_equal_the_summaries():
    inputs = profile_inputs()
    files = build_profile_files(inputs, site_title="T", tiers=PROFILE_TIERS)
    city = inputs.summaries["city"]
    for tier, slug in (("ward", "ward/armley"), ("community_committee", "community-committee/inner-west"),
                       ("drawn_neighbourhood", "drawn-neighbourhood/script-alert-1-script")):  # fmt: skip
        cells = measure_cells(page(files, f"profiles/{slug}.html"))
        n = check_cells_against(
            cells, {"area": inputs.summaries[tier], "city": city, "england": inputs.england}
        )
        assert n > 40
        assert {c["data-source"] for c in cells} == {"area", "city", "england"}


def test_decile_counts_match_the_share_in_the_national_10pct():
    inputs = profile_inputs()
    plan = plan_profiles(inputs, PROFILE_TIERS)
    for tier in ("ward", "drawn_neighbourhood"):
        for area in plan[tier].values():
            profile = build_profile(inputs, area)
            summary = inputs.summaries[tier].set_index(["area_code", "vintage"])
            for vintage, counts in profile.deciles.items():
                row = summary.loc[(area.code, vintage)]
                if tier == "ward":  # whole LSOAs: exact
                    assert counts[0] == row["lsoas_in_national_10pct"]
                    assert sum(counts) == row["lsoas"]
    drawn = build_profile(inputs, plan["drawn_neighbourhood"]["evil"])
    assert sum(drawn.deciles[2019]) == pytest.approx(1.4)  # 1 whole LSOA + 0.4 of another


def test_decile_counts_refuse_unknown_deciles():
    layer = pd.DataFrame({"lsoa_code": ["A"], "imd_decile": [np.nan]})
    with pytest.raises(ValueError, match="without a national imd decile"):
        decile_counts(layer, pd.Series({"A": 1.0}))


def test_indicator_chart_gap_and_suppressed_value(files):
    html = page(files, "profiles/ward/armley.html")
    assert "Line chart of Claimant rate (% of residents aged 16-64) for Armley, with Synthshire for comparison. " \
           "2019: 15.0% (Synthshire 10.0%); 2020: no figure for Armley (Synthshire 11.0%); " \
           "2021: suppressed (small numbers) (Synthshire 12.0%)." in html  # fmt: skip
    assert 'id="ind-claimants-suppressed"' in html
    assert "suppressed (numerator &lt; 10)" in html and "no figure" in html
    # W2 has a real zero in 2021: drawn as 0, not as a gap
    other = page(files, "profiles/ward/beeston-holbeck.html")
    assert "2021: 0.0% (Synthshire 12.0%)" in other


def test_standouts_and_changes_are_relative(files):
    html = page(files, "profiles/ward/armley.html")
    assert "What stands out" in html and "Changes between releases" in html
    text = re.sub(r"<[^>]+>", " ", html)
    assert not re.search(r"deprivation (increased|decreased|rose|fell)", text, re.I)


def test_names_are_escaped(files):
    for path in ("profiles/priority-neighbourhood/script-alert-1-script.html",
                 "profiles/drawn-neighbourhood/script-alert-1-script.html", "watchlist.html", "profiles/index.html"):  # fmt: skip
        html = page(files, path)
        assert EVIL not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path


def test_profiles_use_the_site_layout_and_print_css(files):
    html = page(files, "profiles/ward/armley.html")
    assert 'href="../../assets/site.css"' in html and 'src="../../assets/search-index.js"' in html
    assert 'href="../../assets/profiles.css"' in html and 'id="site-search-input"' in html
    assert 'href="../../ward/armley.html"' in html  # its map page
    css = files["assets/profiles.css"].decode()
    assert "@media print" in css and "size: A4" in css and ".site-header" in css


def test_watchlist_page_links(files):
    html = page(files, "watchlist.html")
    assert 'href="ward/armley.html#lsoa-E01000001"' in html  # the LSOA's row on its ward page
    assert 'href="profiles/ward/armley.html"' in html  # its ward's profile
    assert 'href="profiles/ward/beeston-holbeck.html"' in html  # a ward that moved
    assert html.count('class="data sortable"') == 2
    assert "+25.0 points" in html


def test_profiles_without_local_tiers():
    inputs = profile_inputs(local_tiers=False, drawn=False)
    assert "community_committee" not in inputs.tiers
    # another authority's tiers in profiles.tiers are skipped; the drawn tier has no areas here
    files = build_profile_files(inputs, site_title="T", tiers=PROFILE_TIERS)
    assert "community_committee" in PROFILE_TIERS
    assert not any(p.startswith("profiles/community-committee/") for p in files)
    assert not any(p.startswith("profiles/drawn-neighbourhood/") for p in files)
    assert "profiles/ward/armley.html" in files
    tiers = [t for t in PROFILE_TIERS if t in inputs.tiers]
    assert build_profile_files(inputs, site_title="T", tiers=tiers) == files


def test_build_is_deterministic():
    a = build_profile_files(
        profile_inputs(), site_title="T", tiers=PROFILE_TIERS, watchlist=WATCHLIST
    )
    b = build_profile_files(
        profile_inputs(), site_title="T", tiers=PROFILE_TIERS, watchlist=WATCHLIST
    )
    assert a == b


def test_parallel_build_equals_serial(files):
    parallel = build_profile_files(profile_inputs(), site_title="Deprivation in Synthshire", tiers=PROFILE_TIERS,
                                   rank_pairs=[(2019, 2025)], watchlist=WATCHLIST, budget=1_500_000,
                                   workers=2)  # fmt: skip
    assert list(parallel) == list(files)
    assert parallel == files


def test_budget_is_enforced():
    with pytest.raises(ValueError, match="over the budget of 1,000 bytes"):
        build_profile_files(profile_inputs(), site_title="T", tiers=PROFILE_TIERS, budget=1_000)


def test_england_summary_by_definition():
    n = 32_844
    rng = np.random.default_rng(1)
    ranks = rng.permutation(n) + 1
    table = pd.DataFrame({"lsoa_code": [f"E{i:08d}" for i in range(n)], "imd_rank": ranks,
                          "imd_decile": np.ceil(ranks * 10 / n).astype(int), "imd_score": 50 - ranks / 1000,
                          "population": 1500.0, "employment_population": 900.0})  # fmt: skip
    for d in DOMAINS:
        table[f"{d.stem}_rank"] = ranks
        table[f"{d.stem}_decile"] = table["imd_decile"]
    out = england_summary({2019: table})
    r = out.iloc[0]
    assert r["area_code"] == "E92000001" and r["lsoas"] == n
    assert r["imd_proportion_10pct"] == pytest.approx(3_284 / n)
    assert r["lsoas_in_national_1pct"] == 328
    assert r["imd_average_rank"] == pytest.approx((n + 1) / 2)  # equal populations: the midpoint
    with pytest.raises(ValueError, match="32,843 LSOAs, expected 32,844"):
        england_summary({2019: table.iloc[1:]})


def test_count_pdf_pages():
    pdf = b"%PDF-1.4\n1 0 obj <</Type /Pages /Kids [2 0 R 3 0 R]>>\n2 0 obj <</Type /Page>>\n3 0 obj <</Type/Page /Parent 1 0 R>>"
    assert count_pdf_pages(pdf) == 2


def test_search_index_lists_profiles_and_the_watchlist(files):
    from geo.presentation.site.search import search_index

    inputs = profile_inputs()
    plan = plan_profiles(inputs, PROFILE_TIERS)
    lsoas = pd.DataFrame(columns=["lsoa_code", "lsoa_name", "local_name", "ward_code"])
    index = search_index(
        plan,
        lsoas,
        city_name="Synthshire",
        city_code="E08000099",
        tiers=inputs.tiers,
        extra_paths=frozenset(files),
    )
    by_url = {e["url"]: e for e in index}
    assert by_url["profiles/ward/armley.html"]["name"] == "Armley (profile)"
    assert by_url["profiles/ward/armley.html"]["kind"] == "Ward profile"
    assert "watchlist.html" in by_url
    assert "profiles/wedge/west.html" not in by_url  # wedges have no profile


def test_the_map_caption_counts_the_latest_releases_lsoas():
    # The LSOA table lists every LSOA of any release (2011 and 2021 codes); the small map
    # and its caption are of the latest release only.
    inputs = profile_inputs()
    plan = plan_profiles(inputs, tiers=PROFILE_TIERS)
    armley = next(a for a in plan["ward"].values() if a.name == "Armley")
    profile = build_profile(inputs, armley)
    latest = [row for row in profile.lsoas if profile.latest in row.ranks]
    assert profile.latest_lsoas == len(latest) > 0
    old = replace(profile.lsoas[0], code="E01999999", ranks={min(profile.vintages): (5, 1)})
    with_old = replace(profile, lsoas=(*profile.lsoas, old))  # an LSOA of an older geography
    assert with_old.latest_lsoas == len(latest) < len(with_old.lsoas)
