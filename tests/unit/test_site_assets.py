"""Vendored assets, localised Folium pages, the external-URL scan and tile options."""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from pathlib import Path

import branca.colormap
import folium
import folium.plugins
import pytest
from branca.element import JavascriptLink

from geo.core.errors import ConfigError
from geo.presentation.site.assets import (
    CDN_ASSETS,
    DROPPED_CDN_ASSETS,
    MANIFEST_NAME,
    OSM_TILES,
    TEST_ONLY_PACKAGES,
    VENDOR_DIR,
    copy_assets,
    css_references,
    find_external_urls,
    localise,
    tile_allowed_prefixes,
    tile_layer_options,
)

CDN_LEAFLET = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
SQUARE = {
    "type": "Feature",
    "properties": {"name": "a"},
    "geometry": {
        "type": "Polygon",
        "coordinates": [[[-1.55, 53.8], [-1.54, 53.8], [-1.54, 53.81], [-1.55, 53.8]]],
    },
}


def full_map(**kwargs: object) -> folium.Map:
    m = folium.Map(location=(53.8, -1.55), zoom_start=12, **kwargs)
    folium.GeoJson(SQUARE, name="squares").add_to(m)
    branca.colormap.LinearColormap(["red", "blue"], vmin=0, vmax=1).add_to(m)
    folium.plugins.Draw().add_to(m)
    folium.LayerControl().add_to(m)
    return m


def render(m: folium.Map) -> str:
    return m.get_root().render()


def manifest() -> dict:
    return json.loads((VENDOR_DIR / MANIFEST_NAME).read_text(encoding="utf-8"))


# --- the vendor folder -----------------------------------------------------------------


def test_manifest_lists_every_vendored_file_with_its_sha256():
    listed = {entry["path"]: entry for entry in manifest()["files"]}
    on_disk = {
        p.relative_to(VENDOR_DIR).as_posix()
        for p in VENDOR_DIR.rglob("*")
        if p.is_file() and p.name != MANIFEST_NAME and "__pycache__" not in p.parts
    }
    assert set(listed) == on_disk
    for path, entry in listed.items():
        data = (VENDOR_DIR / path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], path
        assert entry["version"] and entry["license"] and entry["package"], path


def test_every_cdn_asset_and_css_reference_is_vendored():
    listed = {entry["path"] for entry in manifest()["files"]}
    assert set(CDN_ASSETS.values()) <= listed
    for path in (p for p in listed if p.endswith(".css")):
        css = (VENDOR_DIR / path).read_text(encoding="utf-8")
        for ref in css_references(css):
            target = ref.split("#")[0].split("?")[0]
            if target:
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
                assert resolved in listed, f"{path} references {ref}"


def test_every_vendored_package_has_a_licence_file():
    packages = manifest()["packages"]
    for name, package in packages.items():
        if name != "generated":
            assert (VENDOR_DIR / package["license_file"]).is_file(), name
    assert not [p for p in VENDOR_DIR.rglob("*") if p.suffix in (".map", ".scss")]


def test_copy_assets_is_idempotent_and_leaves_out_test_only_packages(tmp_path):
    target = copy_assets(tmp_path)
    (target / "stray.js").write_text("stale", encoding="utf-8")
    first = {p.relative_to(target): p.read_bytes() for p in target.rglob("*") if p.is_file()}

    assert copy_assets(tmp_path) == target == tmp_path / "assets" / "vendor"

    second = {p.relative_to(target): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    assert set(first) - set(second) == {Path("stray.js")}
    assert {k: v for k, v in first.items() if k != Path("stray.js")} == second
    assert (target / "leaflet/dist/leaflet.js").is_file()
    assert not any((target / package).exists() for package in TEST_ONLY_PACKAGES)
    site_manifest = json.loads((target / MANIFEST_NAME).read_text(encoding="utf-8"))
    copied = {k.as_posix() for k in second if k.name != MANIFEST_NAME}
    assert {entry["path"] for entry in site_manifest["files"]} == copied


# --- localise --------------------------------------------------------------------------


def test_localise_points_every_asset_at_the_vendored_copies(tmp_path):
    m = full_map(tiles=None)
    localise(m, assets_url="assets/vendor/")
    m.save(tmp_path / "index.html")
    html = (tmp_path / "index.html").read_text(encoding="utf-8")

    assert '<script src="assets/vendor/leaflet/dist/leaflet.js">' in html
    assert '<script src="assets/vendor/leaflet-draw/dist/leaflet.draw.js">' in html
    assert '<script src="assets/vendor/d3/d3.min.js">' in html  # added by branca at render
    assert "glyphicons" not in html
    assert find_external_urls(tmp_path) == []


def test_localise_raises_naming_a_cdn_asset_with_no_vendored_copy():
    m = full_map(tiles=None)
    folium.plugins.Fullscreen().add_to(m)
    with pytest.raises(
        ValueError, match=r"Control\.Fullscreen\.js.*Fullscreen.*leaflet\.fullscreen"
    ):
        localise(m, assets_url="assets/vendor")


def test_localise_raises_on_an_unknown_header_link_added_while_rendering():
    m = folium.Map(tiles=None)
    localise(m, assets_url="assets/vendor")
    m.get_root().header.add_child(JavascriptLink("https://cdn.example.org/x.js"), name="x")
    with pytest.raises(ValueError, match=r"JavascriptLink 'x'.*cdn\.example\.org/x\.js"):
        render(m)


@pytest.mark.parametrize("assets_url", ["", "  ", "https://cdn.example.org/", "//x/", "file:///v"])
def test_localise_rejects_an_assets_url_that_is_not_relative(assets_url):
    with pytest.raises(ValueError, match="assets_url="):
        localise(folium.Map(tiles=None), assets_url=assets_url)


def test_localised_maps_do_not_leak_into_each_other_or_into_folium():
    map_js = list(folium.Map.default_js)
    draw_css = list(folium.plugins.Draw.default_css)
    top, nested, plain = full_map(tiles=None), full_map(tiles=None), full_map(tiles=None)

    localise(top, assets_url="assets/vendor")
    localise(nested, assets_url="../assets/vendor")
    top_html, nested_html, plain_html = render(top), render(nested), render(plain)

    assert 'src="assets/vendor/leaflet/dist/leaflet.js"' in top_html
    assert "../assets/vendor" not in top_html
    assert 'src="../assets/vendor/leaflet/dist/leaflet.js"' in nested_html
    assert 'src="../assets/vendor/d3/d3.min.js"' in nested_html
    assert CDN_LEAFLET in plain_html and "assets/vendor" not in plain_html
    assert folium.Map.default_js == map_js
    assert folium.plugins.Draw.default_css == draw_css


def test_localise_again_repoints_the_page():
    m = full_map(tiles=None)
    localise(m, assets_url="assets/vendor")
    render(m)
    localise(m, assets_url="../../assets/vendor")
    html = render(m)
    assert 'src="../../assets/vendor/leaflet/dist/leaflet.js"' in html
    assert 'src="../../assets/vendor/d3/d3.min.js"' in html
    assert 'src="assets/vendor/' not in html


def test_glyphicons_are_the_only_dropped_asset():
    assert list(DROPPED_CDN_ASSETS) == [
        url for _, url in folium.Map.default_css if url not in CDN_ASSETS
    ]


# --- find_external_urls ----------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_find_external_urls_reports_requests_of_the_sites_own_files(tmp_path):
    page = write(
        tmp_path / "index.html",
        '<html><head><script src="https://cdn.example.org/lib.js"></script>'
        '<link rel="stylesheet" href="//fonts.example.org/f.css">'
        "<style>body{background:url('https://img.example.org/bg.png')}</style></head>"
        '<body><img srcset="https://img.example.org/a.png 1x, b.png 2x">'
        '<a href="https://www.gov.uk/iod">source</a> <p>see https://example.org/text</p>'
        "<!-- <script src='https://cdn.example.org/commented.js'></script> -->"
        '<svg xmlns="http://www.w3.org/2000/svg"></svg>'
        "<script>L.tileLayer('https://tile.example.org/{z}/{x}/{y}.png');"
        "document.createElementNS('http://www.w3.org/2000/svg', 'svg')</script>"
        "</body></html>",
    )
    css = write(
        tmp_path / "css/site.css",
        "/* https://licence.example.org */ @import 'https://x.org/a.css';",
    )
    data = write(
        tmp_path / "data/areas.geojson", '{"properties": {"url": "https:\\/\\/x.org\\/p"}}'
    )

    assert find_external_urls(tmp_path) == [
        (css, "https://x.org/a.css"),
        (data, "https://x.org/p"),
        (page, "https://cdn.example.org/lib.js"),
        (page, "//fonts.example.org/f.css"),
        (page, "https://img.example.org/bg.png"),
        (page, "https://img.example.org/a.png"),
        (page, "https://tile.example.org/{z}/{x}/{y}.png"),
    ]
    allowed = ("https://tile.example.org/", "https://x.org/")
    assert [url for _, url in find_external_urls(tmp_path, allowed=allowed)] == [
        "https://cdn.example.org/lib.js",
        "//fonts.example.org/f.css",
        "https://img.example.org/bg.png",
        "https://img.example.org/a.png",
    ]


def test_find_external_urls_passes_the_vendored_folder(tmp_path):
    assert find_external_urls(VENDOR_DIR) == []
    copy_assets(tmp_path)
    assert find_external_urls(tmp_path) == []


def test_find_external_urls_scans_a_modified_vendored_file_as_the_sites_own(tmp_path):
    target = copy_assets(tmp_path)
    leaflet = target / "leaflet/dist/leaflet.js"
    leaflet.write_text(leaflet.read_text(encoding="utf-8") + "\nfetch('https://evil.example.org')")
    urls = [url for path, url in find_external_urls(tmp_path) if path == leaflet]
    assert "https://evil.example.org" in urls
    assert "http://www.w3.org/2000/svg" not in urls


def test_find_external_urls_checks_its_css_references_in_vendored_css(tmp_path):
    target = copy_assets(tmp_path)
    css = target / "leaflet/dist/leaflet.css"
    css.write_text(css.read_text(encoding="utf-8") + "a{background:url(https://x.org/i.png)}")
    assert find_external_urls(tmp_path) == [(css, "https://x.org/i.png")]


def test_find_external_urls_names_a_missing_site(tmp_path):
    with pytest.raises(NotADirectoryError, match="nowhere"):
        find_external_urls(tmp_path / "nowhere")


def test_css_references_skip_comments_and_data_uris():
    css = (
        '/* url(https://commented.org/a.png) */ a{background:url("data:image/svg+xml,'
        "%3csvg xmlns='http://www.w3.org/2000/svg'%3e\")} b{src:url( '../f.woff2' ) "
        "format('woff2'),url(f.ttf)} @import \"x.css\";"
    )
    assert css_references(css) == ["../f.woff2", "f.ttf", "x.css"]


# --- tiles -----------------------------------------------------------------------------


def test_tile_layer_options_none_and_osm():
    assert tile_layer_options("none") == {"tiles": None, "attr": None}
    osm = tile_layer_options("osm")
    assert osm["tiles"] == OSM_TILES
    assert "OpenStreetMap" in (osm["attr"] or "")
    assert tile_allowed_prefixes(osm) == (
        "https://tile.openstreetmap.org/",
        "https://www.openstreetmap.org/copyright",
    )
    assert tile_allowed_prefixes(tile_layer_options("none")) == ()


def test_tile_layer_options_accepts_a_template_with_attribution():
    options = tile_layer_options("https://tiles.example.org/{z}/{x}/{y}.png", attribution="© Ex")
    assert options == {"tiles": "https://tiles.example.org/{z}/{x}/{y}.png", "attr": "© Ex"}
    local = tile_layer_options("tiles/{z}/{x}/{y}.png", attribution="© Ex")
    assert tile_allowed_prefixes(local) == ()


@pytest.mark.parametrize(
    ("tiles", "attribution", "problem"),
    [
        ("https://tiles.example.org/{z}/{x}.png", "© Ex", "missing {y}"),
        ("https://tiles.example.org/{z}/{x}/{y}.png", None, "needs an attribution"),
        ("https://tiles.example.org/{z}/{x}/{y}.png", " ", "needs an attribution"),
        ("https://{s}.tiles.example.org/{z}/{x}/{y}.png", "© Ex", "fixed host"),
        ("//tiles.example.org/{z}/{x}/{y}.png", "© Ex", "explicit http"),
        ("ftp://tiles.example.org/{z}/{x}/{y}.png", "© Ex", "fixed host"),
        ("OpenStreetMap", None, "missing {z}, {x}, {y}"),
        ("none", "© Ex", "only used with a URL template"),
    ],
)
def test_tile_layer_options_rejects_naming_the_value(tiles, attribution, problem):
    with pytest.raises(
        ConfigError, match=re.escape(f"tiles={tiles!r}") + ".*" + re.escape(problem)
    ):
        tile_layer_options(tiles, attribution=attribution)


def test_osm_map_has_only_tile_urls_outside_the_site(tmp_path):
    options = tile_layer_options("osm")
    m = folium.Map(location=(53.8, -1.55), **options)
    localise(m, assets_url="assets/vendor")
    m.save(tmp_path / "index.html")
    assert [url for _, url in find_external_urls(tmp_path)] == [
        OSM_TILES,
        "https://www.openstreetmap.org/copyright",
    ]
    assert find_external_urls(tmp_path, allowed=tile_allowed_prefixes(options)) == []


def test_data_files_offered_for_download_are_not_requests(tmp_path):
    from geo.presentation.site.assets import find_external_urls

    (tmp_path / "downloads").mkdir()
    (tmp_path / "downloads" / "t.csv-metadata.json").write_text(
        '{"@context": "http://www.w3.org/ns/csvw"}'
    )
    (tmp_path / "page.data.json").write_text('{"u": "https://cdn.example.org/x.js"}')
    found = [(p.name, u) for p, u in find_external_urls(tmp_path)]
    assert found == [("page.data.json", "https://cdn.example.org/x.js")]
