"""Page generation on a synthetic authority: escaping, structure, layers, determinism."""

from __future__ import annotations

import json
import re

import pytest
from _site_synthetic import EVIL, build, download_files, site_inputs, site_options

from geo.core.errors import ConfigError
from geo.presentation.site.assets import (
    find_external_urls,
    tile_allowed_prefixes,
    tile_layer_options,
)
from geo.presentation.site.build import PageBudgetError, build_site, page_weights, write_site
from geo.presentation.site.build import site_options as site_options_fn
from geo.presentation.site.downloads import UNDOCUMENTED, describe, dictionary_table
from geo.presentation.site.maps import deterministic_ids, render_parts, site_map

ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return build()


def html(files: dict[str, bytes], path: str) -> str:
    return files[path].decode("utf-8")


def page_data(files: dict[str, bytes], path: str) -> dict:
    text = files[path.replace(".html", ".data.js")].decode("utf-8")
    return json.loads(text.removeprefix("window.GEO_PAGE = ").removesuffix(";\n"))


def test_a_name_with_markup_is_text_everywhere(files):
    raw = EVIL.encode()
    assert [path for path, data in files.items() if raw in data] == []
    page = html(files, "priority-neighbourhood/script-alert-1-script.html")
    assert f"<h1>{ESCAPED}</h1>" in page
    assert f"<title>{ESCAPED} (priority neighbourhood)" in page
    drawn = html(files, "drawn-neighbourhood/script-alert-1-script.html")
    assert f"<h1>{ESCAPED}</h1>" in drawn
    assert ESCAPED in html(files, "ward/armley.html")  # local name in the LSOA table
    data = files["priority-neighbourhood/script-alert-1-script.data.js"].decode()
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in data
    assert EVIL in json.dumps(
        page_data(files, "priority-neighbourhood/script-alert-1-script.html"), ensure_ascii=False
    )
    assert "\\u003cscript\\u003e" in files["assets/search-index.js"].decode()


def test_every_page_has_language_title_one_heading_and_search(files):
    pages = [p for p in files if p.endswith(".html")]
    assert len(pages) == 18  # with the glossary (issue 12) and the England page (issue 16)
    for path in pages:
        text = html(files, path)
        assert text.startswith('<!DOCTYPE html>\n<html lang="en">'), path
        assert re.search(r"<title>[^<]+\| Deprivation in Synthshire</title>", text), path
        assert text.count("<h1>") == 1, path
        assert 'role="search"' in text and "assets/search-index.js" in text, path
        assert "user-scalable=no" not in text, path
        assert not re.search(r"_[0-9a-f]{32}", text), f"random Folium id left in {path}"


def test_build_is_byte_reproducible(files):
    assert build() == files


def test_ward_page_breadcrumbs_summary_layers_and_table(files):
    page = html(files, "ward/armley.html")
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', page, re.S).group(0)
    assert re.findall(r">([^<>]+)</(?:a|li)>", crumbs) == [
        "City", "West (historic wedge)", "Inner West (community committee)", "Armley",
    ]  # fmt: skip
    assert (
        "1 of its 2 LSOAs is in the most deprived 10% nationally (IoD2025); for Synthshire as a whole it is 1 of 5 (20%)."
        in page
    )
    assert (
        '<tr id="lsoa-E01000001">' in page
        and '<th scope="col" data-type="number"><button type="button">IMD rank 2019</button></th>'
        in page
    )
    assert (
        "Priority neighbourhoods</h3>" in page
        and 'href="../priority-neighbourhood/script-alert-1-script.html"' in page
    )
    data = page_data(files, "ward/armley.html")
    ids = [layer["id"] for layer in data["layers"]]
    assert ids[:2] == ["imd-2019", "imd-2025"]
    assert {"income-2025", "living_environment-2025", "score-2019", "score-2025"} <= set(ids)
    assert [layer["id"] for layer in data["layers"] if layer["show"]] == ["imd-2025"]
    legends = [layer["legend"] for layer in data["layers"]]
    assert len(set(legends)) == len(legends), "one legend per layer"
    assert data["features"] == 2  # Armley's two LSOAs on the opening layer
    assert data["legends"][legends[1]]["items"][0] == ["#440154", "1: most deprived 10%"]
    tips = {layer["id"]: [f[0] for f in layer["fields"]] for layer in data["layers"]}
    assert tips["imd-2025"] == [
        "IMD 2025 national rank (1 = most deprived of 33,755)",
        "IMD 2025 national decile",
        "Rank change since IoD2019",
    ]
    feature = data["geometries"]["lsoa21"]["features"][0]
    assert feature["k"] == "E01000001" and feature["w"] == "Armley" and feature["l"] == EVIL
    col = data["layers"][1]["col"]
    assert feature["r"][col] == [90, 1, -10] and feature["c"][col] == 0


def test_split_lsoa_compares_with_its_2011_parent(files):
    data = page_data(files, "ward/beeston-holbeck.html")
    layer = next(layer for layer in data["layers"] if layer["id"] == "imd-2025")
    parts = {f["k"]: f["r"][layer["col"]] for f in data["geometries"]["lsoa21"]["features"]}
    assert parts["E01033001"] == [28000, 9, -2000] and parts["E01033002"] == [31000, 10, 1000]


def test_drawn_page_shows_shares_and_fit(files):
    page = html(files, "drawn-neighbourhood/script-alert-1-script.html")
    assert "Fit to LSOAs" in page and "Share inside" in page
    data = page_data(files, "drawn-neighbourhood/script-alert-1-script.html")
    shares = {f["k"]: f.get("s") for f in data["geometries"]["lsoa21"]["features"]}
    assert shares == {"E01000001": None, "E01000002": 0.4}
    outline = next(o for o in data["overlays"] if o["id"] == "outline-area")
    assert outline["show"] and not outline["interactive"]


def test_index_overlays_tiers_and_links_every_tier(files):
    page = html(files, "index.html")
    for url in ("community-committee/index.html", "ward/index.html", "priority-neighbourhood/index.html",
                "drawn-neighbourhood/index.html", "wedge/index.html", "rank-changes/2019-2025.html"):  # fmt: skip
        assert f'href="{url}"' in page, url
    data = page_data(files, "index.html")
    assert [o["label"] for o in data["overlays"]] == [
        "Historic wedges", "Community committees", "Wards", "Priority neighbourhoods", "Drawn neighbourhoods",
    ]  # fmt: skip
    assert not any(o["show"] for o in data["overlays"])
    assert data["features"] == 5  # the 2021 LSOAs, IMD 2025 deciles
    # The national 20% beside the 10%: sentence and headline table (3 of 5 LSOAs in 2025).
    assert "In IoD2025, 3 of its 5 LSOAs (60.0%) are in the most deprived 20% nationally." in page
    assert "Share in national 20%" in page


def test_rank_change_and_draw_pages(files):
    data = page_data(files, "rank-changes/2019-2025.html")
    assert data["features"] == 1 and data["layers"][0]["id"] == "status"
    assert "1 remained in the most deprived 1%, 0 moved into it and 0 moved out of it" in html(
        files, "rank-changes/2019-2025.html"
    )
    draw = html(files, "draw.html")
    assert 'id="draw-export"' in draw and "data/raw/neighbourhoods/E08000099/" in draw
    assert "new L.Control.Draw" in draw and "GeoSite.drawPage(" in draw
    assert page_data(files, "draw.html")["wards"] == ["Armley", "Beeston & Holbeck"]


def test_downloads_page_has_dictionary_provenance_and_licence(files):
    page = html(files, "downloads/index.html")
    assert '<a href="ward.csv">ward.csv</a>' in page and files["downloads/ward.csv"]
    assert "0" * 64 in page and "https://assets.publishing.service.gov.uk/file2.xlsx" in page
    assert "Open Government Licence v3.0" in page
    assert "Contains OS data &copy; Crown copyright and database right" in page
    assert UNDOCUMENTED not in page


def test_authority_without_local_tiers_still_builds():
    files = build(local_tiers=False, drawn=False)
    pages = {p for p in files if p.endswith(".html")}
    assert not any(
        p.startswith(("community-committee/", "wedge/", "drawn-neighbourhood/")) for p in pages
    )
    assert {
        "index.html",
        "ward/armley.html",
        "priority-neighbourhood/script-alert-1-script.html",
        "draw.html",
    } <= pages
    crumbs = re.search(
        r'<nav class="breadcrumbs".*?</nav>', html(files, "ward/armley.html"), re.S
    ).group(0)
    assert re.findall(r">([^<>]+)</(?:a|li)>", crumbs) == ["City", "Armley"]
    assert "Community committees" not in html(files, "index.html")


def test_page_budget_is_enforced():
    inputs = site_inputs()
    with pytest.raises(
        PageBudgetError, match=r"over the budget of 5,000 bytes with their data: .*index\.html \("
    ):
        build_site(
            inputs,
            site_options(),
            download_files=download_files(inputs),
            neighbourhood_folder="x/",
            budget=5_000,
        )


def test_page_weights_count_own_data_only():
    files = {
        "a.html": b"12345",
        "a.data.js": b"123",
        "a.extra.json": b"1",
        "b.html": b"1",
        "assets/site.js": b"1" * 99,
    }
    assert page_weights(files) == {"a.html": 9, "b.html": 1}


def test_map_parts_are_deterministic_and_localised():
    def parts():
        return render_parts(site_map([[53.7, -1.8], [53.9, -1.3]], tiles=tile_layer_options("none"), draw=True),
                            assets_url="../assets/vendor")  # fmt: skip

    first, second = parts(), parts()
    assert first == second
    assert re.search(r'id="map_\d{3}"', first.html)
    assert (
        "https://" not in first.header
        and "../assets/vendor/leaflet/dist/leaflet.js" in first.header
    )
    assert "viewport" not in first.header
    assert "GeoSite.mapPage(map_" in first.script and "GeoSite.drawPage(map_" in first.script


def test_deterministic_ids_renames_every_element():
    m = site_map([[53.7, -1.8], [53.9, -1.3]], tiles=tile_layer_options("osm"))
    count = deterministic_ids(m.get_root())
    assert count > 5
    assert re.fullmatch(r"map_\d{3}", m.get_name())
    assert not any(re.search(r"[0-9a-f]{32}", key) for key in m._children)
    assert not re.search(r"[0-9a-f]{32}", m.get_root().render())


@pytest.mark.parametrize(
    ("column", "meaning"),
    [
        ("LSOA21CD", "LSOA code (2021 boundaries)"),
        ("LAD19NM", "Local authority district name (2019)"),
        (
            "health_decile",
            "National decile on the Health Deprivation and Disability (1 = most deprived 10%)",
        ),
        ("imd_average_rank", "Population-weighted average Index of Multiple Deprivation rank"),
        ("drawn_imd_extent", "Drawn neighbourhood: extent"),
        ("imd_extent_difference", "Drawn minus LSOA-based: extent"),
    ],
)
def test_dictionary_describes_columns(column, meaning):
    entry = describe(column)
    assert entry is not None and entry[0].startswith(meaning)


def test_dictionary_lists_undocumented_columns():
    table, undocumented = dictionary_table({"x.csv": "\ufefflsoa_code,mystery\n1,2\n".encode()})
    assert undocumented == ["mystery"]
    assert [row.cells[0].text for row in table.rows] == ["lsoa_code", "mystery"]
    assert table.rows[1].cells[1].text == UNDOCUMENTED


SITE_CONFIG = {
    "title": None, "tiles": "none", "tile_attribution": None,
    "simplify_m": {"city": 25, "area": 5}, "coordinate_decimals": {"city": 4, "area": 5},
    "domain_vintages": [], "page_budget_bytes": 1_500_000,
}  # fmt: skip


def test_site_options_from_config():
    options = site_options_from(SITE_CONFIG)
    assert options.title == "Deprivation in Synthshire"
    assert options.domain_vintages == (2025,)
    assert options.tiles == {"tiles": None, "attr": None}
    with pytest.raises(
        ConfigError, match=r"site.domain_vintages: \[2015\] not among the built vintages"
    ):
        site_options_from({**SITE_CONFIG, "domain_vintages": [2015]})
    with pytest.raises(ConfigError, match="needs an attribution"):
        site_options_from({**SITE_CONFIG, "tiles": "https://tiles.example.org/{z}/{x}/{y}.png"})


def site_options_from(config: dict) -> object:
    return site_options_fn(
        config, lad_name="Synthshire", vintages=[2019, 2025], priority_vintage=2019
    )


def test_optional_tiles_are_the_only_external_url(tmp_path):
    inputs = site_inputs()
    options = site_options(tiles=tile_layer_options("osm"))
    files = build_site(
        inputs, options, download_files=download_files(inputs), neighbourhood_folder="x/"
    )
    write_site(files, tmp_path / "site")
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in files["index.html"].decode()
    assert find_external_urls(tmp_path / "site", allowed=tile_allowed_prefixes(options.tiles)) == []
    assert {url for _, url in find_external_urls(tmp_path / "site")} == {
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://www.openstreetmap.org/copyright",
    }  # fmt: skip


def test_extra_pages_are_copied_in_and_linked():
    inputs = site_inputs()
    extra = {"profiles/index.html": b"<p>profiles</p>", "profiles/ward/armley.html": b"<p>armley</p>",
             "watchlist.html": b"<p>watch</p>"}  # fmt: skip
    files = build_site(inputs, site_options(), download_files=download_files(inputs), neighbourhood_folder="x/",
                       extra_files=extra)  # fmt: skip
    assert files["profiles/ward/armley.html"] == b"<p>armley</p>"
    index = html(files, "index.html")
    assert (
        '<a href="profiles/index.html">Profiles</a>' in index
        and '<a href="watchlist.html">Watchlist</a>' in index
    )
    assert 'href="../profiles/ward/armley.html">Printable profile of Armley</a>' in html(
        files, "ward/armley.html"
    )
    assert "Printable profile" not in html(files, "ward/beeston-holbeck.html")
    with pytest.raises(ValueError, match=r"would replace the site's own: ward/armley\.html"):
        build_site(inputs, site_options(), download_files=download_files(inputs), neighbourhood_folder="x/",
                   extra_files={"ward/armley.html": b"x"})  # fmt: skip


def test_drawn_page_says_an_illustrative_boundary_is_illustrative(files):
    assert "This boundary is illustrative" in html(
        files, "drawn-neighbourhood/script-alert-1-script.html"
    )
    assert "most deprived 1% in England in IoD2019." in html(
        files, "priority-neighbourhood/index.html"
    )
