"""Reading and validating drawn neighbourhoods (geo.inputs.neighbourhoods) on synthetic files.

The authority is a 200 m square of British National Grid; files are written in the test,
in WGS84 (like the Leaflet Draw export) or another CRS.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import LineString, Point, Polygon, box, mapping

from geo.core.errors import GeoInputError
from geo.core.text import escape_html, slugify
from geo.inputs.neighbourhoods import (
    COLUMNS,
    authority_outline,
    check_neighbourhoods,
    neighbourhood_files,
    read_neighbourhood_file,
)

X0, Y0 = 430_000.0, 433_000.0
OUTLINE = box(X0, Y0, X0 + 200, Y0 + 200)


def bng(x: float, y: float, w: float, h: float) -> Polygon:
    """A rectangle at (x, y) metres from the authority's corner."""
    return box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + h)


def to_wgs84(geom: Any) -> dict[str, Any]:
    return mapping(gpd.GeoSeries([geom], crs=27700).to_crs(4326).iloc[0])


def feature(geom: Any, **props: Any) -> dict[str, Any]:
    geometry = geom if isinstance(geom, dict) or geom is None else to_wgs84(geom)
    return {"type": "Feature", "properties": props, "geometry": geometry}


def write_geojson(path: Path, *features: dict[str, Any], crs: str | None = None) -> Path:
    """A FeatureCollection; no ``crs`` member unless given (RFC 7946: WGS84)."""
    doc: dict[str, Any] = {"type": "FeatureCollection", "features": list(features)}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(doc))
    return path


def read(path: Path, **kwargs: Any) -> gpd.GeoDataFrame:
    return read_neighbourhood_file(path, outline=OUTLINE, authority="E08000035 Leeds", **kwargs)


# --------------------------------------------------------------------------------------
# Accepted inputs
# --------------------------------------------------------------------------------------


def test_draw_plugin_export_is_accepted_unchanged(tmp_path: Path) -> None:
    """What Leaflet Draw exports: a FeatureCollection in lon/lat with no crs member."""
    square = bng(10, 10, 100, 50)
    ring = [[round(x, 7), round(y, 7)] for x, y in to_wgs84(square)["coordinates"][0]]
    path = tmp_path / "data.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "Holbeck west"},
                        "geometry": {"type": "Polygon", "coordinates": [ring]},
                    }
                ],
            }
        )
    )
    got = read(path)
    assert list(got.columns) == list(COLUMNS)
    assert got.crs == "EPSG:27700"
    row = got.iloc[0]
    assert (row["id"], row["name"], row["ward"], row["notes"]) == (
        "holbeck-west",
        "Holbeck west",
        "",
        "",
    )
    assert not row["illustrative"]
    assert row["source_file"] == str(path) and row["feature"] == 1
    assert row.geometry.area == pytest.approx(5000, rel=1e-4)
    assert row.geometry.symmetric_difference(square).area < 1.0


def test_declared_crs_is_honoured(tmp_path: Path) -> None:
    """A GeoJSON crs member (EPSG:27700) and a GeoPackage in Web Mercator."""
    square = bng(0, 0, 100, 100)
    gj = write_geojson(
        tmp_path / "bng.geojson",
        feature(mapping(square), name="A", id="a-1", ward="Armley", illustrative="yes"),
        crs="urn:ogc:def:crs:EPSG::27700",
    )
    got = read(gj).iloc[0]
    assert got.geometry.equals_exact(square, 1e-6)
    assert (got["id"], got["ward"], got["illustrative"]) == ("a-1", "Armley", True)
    gpkg = tmp_path / "merc.gpkg"
    gdf = gpd.GeoDataFrame({"name": ["B"]}, geometry=[square], crs=27700).to_crs(3857)
    pyogrio.write_dataframe(gdf, gpkg, driver="GPKG")
    assert read(gpkg).geometry.iloc[0].symmetric_difference(square).area < 1.0


def test_every_layer_of_a_geopackage_is_read(tmp_path: Path) -> None:
    path = tmp_path / "two.gpkg"
    for layer, name, geom in [("west", "W", bng(0, 0, 50, 50)), ("east", "E", bng(100, 0, 50, 50))]:
        gdf = gpd.GeoDataFrame({"name": [name]}, geometry=[geom], crs=27700)
        pyogrio.write_dataframe(gdf, path, layer=layer, driver="GPKG", append=path.exists())
    assert sorted(read(path)["name"]) == ["E", "W"]
    bad = gpd.GeoDataFrame({"name": ["X"]}, geometry=[Point(X0, Y0)], crs=27700)
    pyogrio.write_dataframe(bad, path, layer="points", driver="GPKG", append=True)
    with pytest.raises(GeoInputError, match=r"two\.gpkg: layer 'points' feature 1 \(name 'X'\)"):
        read(path)


def test_html_names_are_kept_as_text(tmp_path: Path) -> None:
    name = "<script>alert(1)</script> & <b>Beeston</b>"
    got = read(write_geojson(tmp_path / "x.geojson", feature(bng(0, 0, 50, 50), name=name)))
    assert got["name"].iloc[0] == name
    assert got["id"].iloc[0] == "script-alert-1-script-b-beeston-b"
    assert escape_html(name) == (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;Beeston&lt;/b&gt;"
    )
    assert escape_html(None) == "" and escape_html(float("nan")) == ""


def test_slug_is_stable_and_plain() -> None:
    assert slugify("St Hilda's, Copperfields, Gartons") == "st-hildas-copperfields-gartons"
    assert slugify("  Café  Römer’s ") == "cafe-romers"
    assert slugify("!!!") == ""


def test_files_in_folder(tmp_path: Path) -> None:
    assert neighbourhood_files(tmp_path / "absent") == []
    for name in ("b.geojson", "a.GPKG", "c.json", "README.md", "style.qml"):
        (tmp_path / name).write_text("")
    assert [p.name for p in neighbourhood_files(tmp_path)] == ["a.GPKG", "b.geojson", "c.json"]


def test_outline_is_the_union_of_lsoas() -> None:
    lsoas = gpd.GeoDataFrame(
        {"lsoa_code": ["A", "B"], "lad_code": ["E08000035"] * 2, "lad_name": ["Leeds"] * 2},
        geometry=[bng(0, 0, 100, 200), bng(100, 0, 100, 200)],
        crs=27700,
    )
    out = authority_outline(lsoas)
    assert out["authority"].iloc[0] == "E08000035 Leeds"
    assert out.geometry.iloc[0].equals(OUTLINE.normalize()) or out.geometry.iloc[
        0
    ].symmetric_difference(OUTLINE).area == pytest.approx(0)


# --------------------------------------------------------------------------------------
# Validation: every message names the file, the feature and its name
# --------------------------------------------------------------------------------------

BOWTIE = Polygon([(X0 + 10, Y0 + 10), (X0 + 60, Y0 + 60), (X0 + 60, Y0 + 10), (X0 + 10, Y0 + 60)])
CASES = {
    "missing name": (
        feature(bng(0, 0, 50, 50), ward="Armley"),
        r"bad\.geojson: feature 1 \(no name\): property 'name' is missing or empty",
    ),
    "blank name": (feature(bng(0, 0, 50, 50), name="   "), r"feature 1 \(no name\)"),
    "control characters": (
        feature(bng(0, 0, 50, 50), name="Holbeck\x1b"),
        r"feature 1 \(name 'Holbeck\\x1b'\): the name holds control characters",
    ),
    "bad id": (
        feature(bng(0, 0, 50, 50), name="Holbeck", id="holbeck/../x"),
        r"feature 1 \(name 'Holbeck'\): property 'id' 'holbeck/\.\./x' must be",
    ),
    "bad flag": (
        feature(bng(0, 0, 50, 50), name="Holbeck", illustrative="maybe"),
        r"property 'illustrative' must be true or false, got 'maybe'",
    ),
    "empty geometry": (
        feature(None, name="Nowhere"),
        r"feature 1 \(name 'Nowhere'\): has no geometry \(empty\)",
    ),
    "zero area": (
        feature(Polygon([(X0, Y0), (X0 + 50, Y0 + 50), (X0 + 100, Y0 + 100)]), name="Flat"),
        r"feature 1 \(name 'Flat'\): has almost no area",
    ),
    "point": (
        feature(Point(X0 + 50, Y0 + 50), name="Dot"),
        r"feature 1 \(name 'Dot'\): geometry is a Point, not a Polygon or MultiPolygon$",
    ),
    "circle": (
        feature(Point(X0 + 50, Y0 + 50), name="Round", radius=40.0),
        r"geometry is a Point, not a Polygon or MultiPolygon \(a circle from the draw tool",
    ),
    "line": (
        feature(LineString([(X0, Y0), (X0 + 90, Y0 + 90)]), name="Road"),
        r"feature 1 \(name 'Road'\): geometry is a LineString",
    ),
    "self-intersection": (
        feature(BOWTIE, name="Bow"),
        r"feature 1 \(name 'Bow'\): invalid geometry: Self-intersection\[-?\d+\.\d+ \d+\.\d+\] "
        r"\(coordinates in EPSG:4326\); fix it .* or set neighbourhoods\.repair_invalid: true",
    ),
    "outside": (
        feature(bng(150, 0, 100, 100), name="Over the border"),
        r"feature 1 \(name 'Over the border'\): 50\.0% of its area \(5,000 m²\) lies outside "
        r"the authority E08000035 Leeds; at most 0\.5% may",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_problem_is_reported_with_file_feature_and_name(tmp_path: Path, case: str) -> None:
    feat, pattern = CASES[case]
    good = feature(bng(100, 100, 50, 50), name="Fine")
    path = write_geojson(tmp_path / "bad.geojson", feat, good)
    with pytest.raises(GeoInputError) as err:
        read(path)
    message = str(err.value)
    assert str(path) in message
    assert re.search(pattern, message, flags=re.MULTILINE), message
    assert "Fine" not in message


def test_all_problems_of_a_file_are_listed_together(tmp_path: Path) -> None:
    path = write_geojson(
        tmp_path / "two.geojson",
        feature(bng(0, 0, 50, 50)),
        feature(Point(X0, Y0), name="Dot"),
    )
    with pytest.raises(GeoInputError, match=r"two\.geojson: 2 problem\(s\)") as err:
        read(path)
    assert "feature 1 (no name)" in str(err.value) and "feature 2 (name 'Dot')" in str(err.value)


def test_geopackage_without_crs_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "nocrs.gpkg"
    gdf = gpd.GeoDataFrame({"name": ["A"]}, geometry=[bng(0, 0, 50, 50)], crs=None)
    with pytest.warns(UserWarning, match="crs"):
        pyogrio.write_dataframe(gdf, path, driver="GPKG")
    with pytest.raises(GeoInputError, match=r"nocrs\.gpkg: missing CRS; the file does not say"):
        read(path)


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    path = write_geojson(tmp_path / "empty.geojson")
    with pytest.raises(GeoInputError, match=r"empty\.geojson: holds no (features|layer)"):
        read(path)


def test_unreadable_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.geojson"
    path.write_text("{not json")
    with pytest.raises(GeoInputError, match=r"broken\.geojson: cannot read"):
        read(path)


def test_invalid_geometry_repaired_only_when_allowed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write_geojson(tmp_path / "bow.geojson", feature(BOWTIE, name="Bow"))
    with caplog.at_level(logging.WARNING, logger="geo"):
        got = read(path, repair_invalid=True)
    assert got.geometry.iloc[0].is_valid
    assert got.geometry.iloc[0].area == pytest.approx(1250, rel=1e-3)
    assert re.search(
        r"feature 1 \(name 'Bow'\): repaired invalid geometry: Self-intersection\[", caplog.text
    )


def test_small_sliver_outside_is_clipped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # 0.3 m of a 100 m wide area lies outside: 0.3% (under the 0.5% tolerance).
    path = write_geojson(tmp_path / "edge.geojson", feature(bng(100.3, 0, 100, 100), name="Edge"))
    with caplog.at_level(logging.WARNING, logger="geo"):
        got = read(path)
    assert got.geometry.iloc[0].area == pytest.approx(9970, rel=1e-4)
    assert OUTLINE.buffer(1e-6).contains(got.geometry.iloc[0])
    assert re.search(
        r"edge\.geojson: feature 1 \(name 'Edge'\): clipped 30\.\d m² \(0\.30\d%\) lying outside "
        r"the authority E08000035 Leeds",
        caplog.text,
    )


def test_duplicate_names_within_a_file(tmp_path: Path) -> None:
    path = write_geojson(
        tmp_path / "dup.geojson",
        feature(bng(0, 0, 50, 50), name="Holbeck"),
        feature(bng(100, 0, 50, 50), name="holbeck "),
    )
    with pytest.raises(GeoInputError, match=r"duplicate name 'holbeck': .*feature 1 .*feature 2"):
        read(path)


# --------------------------------------------------------------------------------------
# Across files
# --------------------------------------------------------------------------------------


def layers(tmp_path: Path, *specs: tuple[str, Polygon, dict[str, Any]]) -> list[gpd.GeoDataFrame]:
    return [
        read(write_geojson(tmp_path / f"{stem}.geojson", feature(geom, **props)))
        for stem, geom, props in specs
    ]


def test_duplicates_across_files_are_errors(tmp_path: Path) -> None:
    files = layers(
        tmp_path,
        ("a", bng(0, 0, 50, 50), {"name": "Holbeck"}),
        ("b", bng(100, 0, 50, 50), {"name": "HOLBECK"}),
    )
    with pytest.raises(
        GeoInputError, match=r"duplicate name 'holbeck': .*a\.geojson: feature 1 .*b\.geojson"
    ):
        check_neighbourhoods(files, allow_overlaps=True)
    files = layers(
        tmp_path,
        ("c", bng(0, 0, 50, 50), {"name": "St Hilda's"}),
        ("d", bng(100, 0, 50, 50), {"name": "St Hildas"}),
    )
    with pytest.raises(
        GeoInputError,
        match=r"duplicate id 'st-hildas' \(made from the names; give each an 'id' property\)",
    ):
        check_neighbourhoods(files, allow_overlaps=True)


def test_overlaps_warn_naming_both_or_fail_when_forbidden(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    files = layers(
        tmp_path,
        ("a", bng(0, 0, 100, 100), {"name": "West"}),
        ("b", bng(80, 0, 100, 100), {"name": "East"}),
        ("c", bng(0, 150, 50, 50), {"name": "North"}),
    )
    with caplog.at_level(logging.WARNING, logger="geo"):
        got = check_neighbourhoods(files, allow_overlaps=True)
    assert list(got["id"]) == ["east", "north", "west"]
    assert re.search(
        r"a\.geojson: feature 1 \(name 'West'\) overlaps .*b\.geojson: feature 1 \(name 'East'\) "
        r"by 2,000 m²",
        caplog.text,
    )
    assert "North" not in caplog.text
    with pytest.raises(GeoInputError, match=r"'West'\) overlaps .*'East'\) by 2,000 m²"):
        check_neighbourhoods(files, allow_overlaps=False)


def test_touching_neighbourhoods_do_not_overlap(tmp_path: Path) -> None:
    files = layers(
        tmp_path,
        ("a", bng(0, 0, 100, 100), {"name": "West"}),
        ("b", bng(100, 0, 100, 100), {"name": "East"}),
    )
    assert len(check_neighbourhoods(files, allow_overlaps=False)) == 2


def test_no_files_gives_an_empty_layer() -> None:
    got = check_neighbourhoods([], allow_overlaps=False)
    assert got.empty and list(got.columns) == list(COLUMNS) and got.crs == "EPSG:27700"
