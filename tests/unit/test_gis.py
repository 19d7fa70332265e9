"""GeoPackage styles, field descriptions and metadata; the QGIS project; workbooks; CSVW."""

from __future__ import annotations

import io
import json
import sqlite3
import xml.etree.ElementTree as ET
import zipfile
from contextlib import closing
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from openpyxl import load_workbook
from shapely.geometry import box

from geo.core.io import write_gpkg
from geo.inputs.registry import Dataset
from geo.model.dictionary import describe, description_of, title_of
from geo.presentation.gis.gpkg import package_gpkg
from geo.presentation.gis.project import write_qgis_project
from geo.presentation.gis.styles import CATEGORISED, GRADUATED, SINGLE, style_for, to_qml, to_sld
from geo.presentation.gis.tables import check_csvw, csvw_metadata, workbook_bytes, write_csvw
from geo.presentation.site.legends import DECILE_COLOURS

REGISTRY = {
    "imd2019_file2": Dataset(name="imd2019_file2", title="File 2", publisher="MHCLG",
                             version="IoD2019", url="https://example.org/f2", mirror="a/b.csv",
                             sha256="ab" * 32, licence="OGL-3.0", status="official"),
}  # fmt: skip


def _squares(n: int, **columns: list[object]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        columns, geometry=[box(i * 100, 0, (i + 1) * 100, 100) for i in range(n)], crs=27700
    )


def _lsoas(n: int = 10) -> gpd.GeoDataFrame:
    return _squares(n, LSOA11CD=[f"E0100000{i}" for i in range(n)],
                    imd_decile=[i % 10 + 1 for i in range(n)], vintage=[2019] * n,
                    population_source=["mid-2015"] * n)  # fmt: skip


def _areas(scores: list[float]) -> gpd.GeoDataFrame:
    n = len(scores)
    return _squares(n, area_code=[f"A{i}" for i in range(n)], area_name=[f"Area {i}" for i in range(n)],
                    tier=["ward"] * n, vintage=[2019] * n, imd_average_score=scores)  # fmt: skip


def test_dictionary_moved_down_and_the_site_uses_it():
    from geo.presentation.site import downloads

    assert downloads.describe is describe
    assert title_of("imd_decile") == "National decile on the Index of Multiple Deprivation"
    assert "Unit: decile 1–10" in description_of("imd_decile")
    assert title_of("no_such_column") == "no_such_column" and description_of("x_y_z") == ""


def test_decile_layer_is_categorised_in_the_site_colours():
    style = style_for(_lsoas(), "imd2019", scheme="fisher_jenks", k=5)
    assert style.renderer == CATEGORISED and style.field == "imd_decile"
    assert [c.colour for c in style.classes] == list(DECILE_COLOURS)
    assert style.classes[0].label == "1: most deprived 10%"
    qml = ET.fromstring(to_qml(style).split("\n", 1)[1])
    assert qml.find("renderer-v2").get("type") == "categorizedSymbol"
    assert len(qml.findall("renderer-v2/categories/category")) == 10
    assert qml.find("labeling") is None  # LSOAs are not labelled


def test_score_layer_is_graduated_and_holds_its_extremes():
    scores = [7.297765, 10.0, 12.5, 20.0, 33.3, 40.1, 58.712]
    style = style_for(_areas(scores), "imd2019", scheme="fisher_jenks", k=5)
    assert style.renderer == GRADUATED and len(style.classes) == 5
    assert style.label_field == "area_name"
    for value in scores:  # every area falls in a class, however the breaks are rounded
        assert any(c.lower <= value <= c.upper for c in style.classes)  # type: ignore[operator]
    qml = ET.fromstring(to_qml(style).split("\n", 1)[1])
    ranges = qml.findall("renderer-v2/ranges/range")
    assert float(ranges[0].get("lower")) <= min(scores) and float(ranges[-1].get("upper")) >= max(
        scores
    )
    assert qml.find("labeling/settings/text-style").get("fieldName") == "area_name"
    sld = ET.fromstring(to_sld(style).split("\n", 1)[1])
    assert len(sld.findall(".//{http://www.opengis.net/se}Rule")) == 6  # 5 classes + labels


def test_layer_without_scores_gets_an_outline():
    style = style_for(_areas([]), "imd2019", scheme="fisher_jenks", k=5)
    assert style.renderer == SINGLE and len(style.classes) == 1


def _packaged(tmp_path: Path, name: str = "ward") -> Path:
    path = tmp_path / f"{name}.gpkg"

    def finish(tmp: Path, target: Path) -> None:
        package_gpkg(tmp, name=target.stem, registry=REGISTRY, scheme="fisher_jenks", k=3)

    write_gpkg({"imd2019": _areas([1.0, 2.0, 5.0, 9.0]), "lsoas": _lsoas(4)}, path, finish=finish)
    return path


def test_package_gpkg_writes_styles_columns_and_metadata(tmp_path):
    path = _packaged(tmp_path)
    with closing(sqlite3.connect(path)) as con:
        styles = con.execute("SELECT f_table_name, f_geometry_column, useAsDefault, styleQML, "
                             "styleSLD FROM layer_styles ORDER BY id").fetchall()  # fmt: skip
        assert [s[:3] for s in styles] == [("imd2019", "geom", 1), ("lsoas", "geom", 1)]
        assert all(
            s[3].startswith("<!DOCTYPE qgis") and "StyledLayerDescriptor" in s[4] for s in styles
        )
        columns = dict(con.execute("SELECT column_name, description FROM gpkg_data_columns "
                                   "WHERE table_name = 'imd2019'"))  # fmt: skip
        assert set(columns) == {"area_code", "area_name", "tier", "vintage", "imd_average_score"}
        meta = con.execute("SELECT m.metadata FROM gpkg_metadata m JOIN gpkg_metadata_reference r "
                           "ON r.md_file_id = m.id WHERE r.table_name = 'imd2019'").fetchone()[0]  # fmt: skip
        root = ET.fromstring(meta.split("\n", 1)[1])
        assert root.findtext("title") == "Wards of the authority, IoD2019"
        assert root.findtext("license") == "Open Government Licence v3.0"
        assert any("sha256 " + "ab" * 32 in h.text for h in root.findall("history"))
        assert root.find("links/link[@name='imd2019_file2']").get("url") == "https://example.org/f2"
        ext = set(con.execute("SELECT table_name, extension_name FROM gpkg_extensions"))
        assert ("gpkg_metadata", "gpkg_metadata") in ext and (
            "gpkg_data_columns",
            "gpkg_schema",
        ) in ext
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_packaged_gpkg_is_byte_reproducible(tmp_path):
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    assert _packaged(tmp_path / "a").read_bytes() == _packaged(tmp_path / "b").read_bytes()


def test_project_is_relative_grouped_and_reproducible(tmp_path):
    (tmp_path / "tiers").mkdir()
    ward = _packaged(tmp_path / "tiers")
    lsoa = _packaged(tmp_path, "lsoa_imd")
    gpkgs = {"ward": ward, "lsoa_imd": lsoa}
    layers = write_qgis_project(gpkgs, tmp_path / "a.qgz", title="t")
    first = (tmp_path / "a.qgz").read_bytes()
    write_qgis_project(gpkgs, tmp_path / "a.qgz", title="t")
    assert (tmp_path / "a.qgz").read_bytes() == first
    with zipfile.ZipFile(tmp_path / "a.qgz") as archive:
        assert archive.namelist() == ["a.qgs"]
        assert archive.getinfo("a.qgs").date_time == (1980, 1, 1, 0, 0, 0)
        qgs = ET.fromstring(archive.read("a.qgs").decode().split("\n", 1)[1])
    sources = [e.text for e in qgs.findall("projectlayers/maplayer/datasource")]
    assert sources[0] == "./tiers/ward.gpkg|layername=imd2019"
    assert sources[-1] == "./lsoa_imd.gpkg|layername=lsoas"
    assert [g.get("name") for g in qgs.findall("layer-tree-group/layer-tree-group")] == [
        "Wards",
        "LSOAs",
    ]
    assert qgs.findtext("properties/Paths/Absolute") == "false"
    assert len(layers) == 4 and all(e.find("renderer-v2") is not None for e in qgs.iter("maplayer"))
    view = qgs.find("ProjectViewSettings/DefaultViewExtent")
    assert (float(view.get("xmin")), float(view.get("xmax"))) == (0.0, 400.0)


def test_workbook_sheets_dictionary_and_fixed_dates():
    frame = pd.DataFrame(
        {"area_code": ["a", "a"], "vintage": [2015, 2019], "population": [1.0, None]}
    )
    data = workbook_bytes([frame], title="t")
    assert data == workbook_bytes([frame], title="t")
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["IoD2015", "IoD2019", "Data dictionary", "About"]
    assert [r[0] for r in wb["Data dictionary"].iter_rows(values_only=True)] == [
        "column",
        "area_code",
        "vintage",
        "population",
    ]
    assert wb.properties.created.year == 2000 and wb.properties.modified.year == 2000
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(data)).infolist()} == {
        (1980, 1, 1, 0, 0, 0)
    }


def test_csvw_matches_its_csv_and_catches_a_bad_value(tmp_path):
    csv = tmp_path / "t.csv"
    csv.write_text("area_code,population,lsoas,in_national_1pct\nA,10.5,3,True\nB,,4,False\n")
    write_csvw([csv], [tmp_path / "t.csv-metadata.json"])
    meta = json.loads((tmp_path / "t.csv-metadata.json").read_text())
    types = {c["titles"]: c["datatype"] for c in meta["tableSchema"]["columns"]}
    assert types == {"area_code": "string", "population": "number", "lsoas": "integer",
                     "in_national_1pct": {"base": "boolean", "format": "True|False"}}  # fmt: skip
    assert check_csvw(csv, meta) == []
    assert meta == csvw_metadata(csv)
    csv.write_text("area_code,population,lsoas,in_national_1pct\nA,10.5,three,True\n")
    assert check_csvw(csv, meta) == ["lsoas: 'three' is not integer"]
    csv.write_text("code,population,lsoas,in_national_1pct\n")
    assert check_csvw(csv, meta)[0].startswith("header")


@pytest.mark.parametrize("column", ["numerator", "period", "reason", "imd_extent"])
def test_every_output_column_family_is_documented(column):
    assert describe(column) is not None
