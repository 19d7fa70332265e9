"""The built GeoPackages, project files, workbooks and CSVW metadata, checked for real.

QGIS runs in a subprocess under the system Python (Debian's python3-qgis), headless: it
loads every GeoPackage layer and both project files and renders each GeoPackage's newest
release to PNG (kept in ``qgis_renders/`` of the working tree). Without QGIS the QGIS test
is skipped locally and fails in CI (``CI=true``), as the browser tests do without Chromium.
GDAL's ``ogrinfo`` and its GeoPackage validator check the files; sqlite checks integrity
and the extensions. Everything shares the one ``built_repo`` build.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import zipfile
from contextlib import closing
from pathlib import Path
from typing import Any

import pandas as pd
import pyogrio
import pytest
from openpyxl import load_workbook
from PIL import Image

from geo.presentation.gis.tables import check_csvw
from geo.presentation.site.legends import DECILE_COLOURS

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("_qgis_probe.py")
RENDERS = ROOT / "qgis_renders"
SYSTEM_PYTHON = "/usr/bin/python3"
VALIDATOR = Path("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _require(ok: bool, what: str) -> None:
    if not ok:
        if IN_CI:
            pytest.fail(f"{what} is required in CI")
        pytest.skip(f"{what} is not installed")


def _has_qgis() -> bool:
    if not Path(SYSTEM_PYTHON).exists():
        return False
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True,
                           env=_qgis_env())  # fmt: skip
    return probe.returncode == 0


def _qgis_env() -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")
    }
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.setdefault("XDG_RUNTIME_DIR", "/tmp")
    return env


def _gpkgs(repo: Path) -> list[Path]:
    processed = repo / "data" / "processed"
    return [processed / "lsoa_imd.gpkg", *sorted((processed / "tiers").glob("*.gpkg"))]


def _tiers(repo: Path) -> list[str]:
    return [p.stem for p in sorted((repo / "data/processed/tiers").glob("*.gpkg"))]


@pytest.fixture(scope="module")
def probe(built_repo: Path) -> dict[str, Any]:
    _require(_has_qgis(), "QGIS (python3-qgis under /usr/bin/python3)")
    if RENDERS.exists():
        shutil.rmtree(RENDERS)
    result = subprocess.run([SYSTEM_PYTHON, str(PROBE), str(built_repo), str(RENDERS)],
                            capture_output=True, text=True, env=_qgis_env(), timeout=600)  # fmt: skip
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("QGIS-PROBE-JSON ")]
    assert result.returncode == 0 and lines, result.stderr[-4000:]
    return json.loads(lines[-1].removeprefix("QGIS-PROBE-JSON "))


def _default_styles(gpkg: Path) -> dict[str, str]:
    with closing(sqlite3.connect(gpkg)) as con:
        return dict(
            con.execute("SELECT f_table_name, styleQML FROM layer_styles WHERE useAsDefault = 1")
        )


def test_every_tier_is_present(built_repo: Path) -> None:
    tiers = _tiers(built_repo)
    assert "drawn_neighbourhood" in tiers and "ward" in tiers and "city" in tiers


def test_qgis_applies_each_default_style(built_repo: Path, probe: dict[str, Any]) -> None:
    breaks = pd.read_csv(built_repo / "data/processed/classification_breaks.csv")
    k = breaks.groupby("layer")["k"].first()
    assert set(probe["gpkgs"]) == {p.stem for p in _gpkgs(built_repo)}
    for gpkg in _gpkgs(built_repo):
        layers = probe["gpkgs"][gpkg.stem]
        assert set(layers) == set(_default_styles(gpkg)), gpkg
        for name, facts in layers.items():
            assert facts["valid"], (gpkg, name)
            frame = pyogrio.read_dataframe(gpkg, layer=name, read_geometry=False)
            assert facts["features"] == len(frame)
            renderer = facts["renderer"]
            if "imd_decile" in frame:
                assert renderer["type"] == "categorizedSymbol" and renderer["attr"] == "imd_decile"
                assert [c["colour"] for c in renderer["classes"]] == list(DECILE_COLOURS)
                assert [c["value"] for c in renderer["classes"]] == [str(d) for d in range(1, 11)]
                assert all(c["label"] for c in renderer["classes"])
            elif "imd_average_score" in frame and len(frame):
                assert renderer["type"] == "graduatedSymbol"
                assert renderer["attr"] == "imd_average_score"
                vintage = int(frame["vintage"].iloc[0])
                expected = k.get(f"{gpkg.stem}_imd_average_score_{vintage}", 1)
                assert len(renderer["classes"]) == expected, (gpkg, name)
                for value in frame["imd_average_score"].dropna():  # every area is drawn
                    assert any(c["lower"] <= value <= c["upper"] for c in renderer["classes"])
            else:
                assert renderer["type"] == "singleSymbol"
            if "area_name" in frame and "imd_decile" not in frame:
                assert facts["labels"] and facts["label_field"] == "area_name"


def test_qgis_shows_aliases_and_metadata(probe: dict[str, Any]) -> None:
    for gpkg, layers in probe["gpkgs"].items():
        for name, facts in layers.items():
            aliased = [f for f in facts["fields"] if facts["aliases"][f] != f and f != "fid"]
            assert len(aliased) >= len(facts["fields"]) - 2, (gpkg, name)  # fid, geometry
            meta = facts["metadata"]
            assert meta["title"] and meta["abstract"], (gpkg, name)
            assert "Open Government Licence v3.0" in meta["licenses"]
            assert any("Open Government Licence" in r for r in meta["rights"])
            assert meta["links"] >= 20  # the licence and every registry dataset
            assert any("sha256" in h for h in meta["history"])
            if name.startswith("imd"):
                assert meta["keywords"]["IoD release"] == [f"IoD{name[3:]}"]
                assert any(h.startswith("population_source: ") for h in meta["history"])


def test_qgis_renders_every_tier(built_repo: Path, probe: dict[str, Any]) -> None:
    assert set(probe["renders"]) == {p.stem for p in _gpkgs(built_repo)}
    for name, render in probe["renders"].items():
        image = Image.open(render["png"]).convert("RGB")
        assert image.size == (800, 800)
        counts = {f"#{r:02x}{g:02x}{b:02x}": n for n, (r, g, b) in image.getcolors(1 << 24)}
        drawn = 1 - counts.get("#ffffff", 0) / (800 * 800)
        assert drawn > 0.01 and len(counts) > 10, (name, drawn, len(counts))  # not blank
        # the layer's own class colours fill its polygons
        classes = probe["gpkgs"][name][render["layer"]]["renderer"]["classes"]
        fills = {c["colour"] for c in classes}
        assert len(fills & set(counts)) >= min(len(fills), 8 if len(fills) == 10 else 2), name


def test_qgis_opens_both_project_files(built_repo: Path, probe: dict[str, Any]) -> None:
    n_layers = sum(len(_default_styles(g)) for g in _gpkgs(built_repo))
    lsoa = probe["gpkgs"]["lsoa_imd"]
    box = [min(f["extent"][0] for f in lsoa.values()), min(f["extent"][1] for f in lsoa.values()),
           max(f["extent"][2] for f in lsoa.values()), max(f["extent"][3] for f in lsoa.values())]  # fmt: skip
    for path, facts in probe["projects"].items():
        assert facts["read"], path
        assert facts["absolute_paths"] is False
        assert facts["crs"] == "EPSG:27700"
        assert len(facts["layers"]) == n_layers
        assert all(lyr["valid"] for lyr in facts["layers"].values()), path
        assert len(facts["groups"]) == len(_gpkgs(built_repo))  # one group per tier, and LSOAs
        for layer_id, lyr in facts["layers"].items():  # the same style as the file's default
            file, layer = lyr["source"].split("|layername=")
            gpkg = probe["gpkgs"][Path(file).stem][layer]
            assert lyr["renderer"] == gpkg["renderer"], (path, layer_id)
        assert facts["view_extent"] == pytest.approx(box, abs=1.0)
        with zipfile.ZipFile(built_repo / path) as archive:
            qgs = archive.read(archive.namelist()[0]).decode()
        assert "<datasource>./" in qgs and str(built_repo) not in qgs  # relative paths only


def test_ogrinfo_reads_every_layer(built_repo: Path) -> None:
    _require(shutil.which("ogrinfo") is not None, "ogrinfo (gdal-bin)")
    for gpkg in _gpkgs(built_repo):
        result = subprocess.run(["ogrinfo", "-ro", "-so", "-al", str(gpkg)],
                                capture_output=True, text=True)  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "ERROR" not in result.stdout + result.stderr
        assert "GPKG_METADATA_ITEM_1" in result.stdout  # the metadata extension is read
        assert "layer_styles" in subprocess.run(["ogrinfo", "-ro", "-q", str(gpkg)],
                                                capture_output=True, text=True).stdout  # fmt: skip


def test_geopackages_are_valid(built_repo: Path) -> None:
    for gpkg in _gpkgs(built_repo):
        with closing(sqlite3.connect(gpkg)) as con:
            assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert con.execute("PRAGMA foreign_key_check").fetchall() == []
            assert con.execute("PRAGMA application_id").fetchone() == (0x47504B47,)
            tables = {
                r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            assert {"gpkg_spatial_ref_sys", "gpkg_contents", "gpkg_geometry_columns",
                    "gpkg_data_columns", "gpkg_metadata", "gpkg_metadata_reference",
                    "layer_styles"} <= tables  # fmt: skip
            extensions = set(con.execute("SELECT table_name, extension_name FROM gpkg_extensions"))
            assert {("gpkg_data_columns", "gpkg_schema"), ("gpkg_data_column_constraints", "gpkg_schema"),
                    ("gpkg_metadata", "gpkg_metadata"),
                    ("gpkg_metadata_reference", "gpkg_metadata")} <= extensions  # fmt: skip
            features = [
                r[0]
                for r in con.execute(
                    "SELECT table_name FROM gpkg_contents WHERE data_type='features'"
                )
            ]
            for layer in features:
                columns = [r[1] for r in con.execute(f'PRAGMA table_info("{layer}")')][2:]
                described = dict(con.execute("SELECT column_name, description FROM gpkg_data_columns "
                                             "WHERE table_name = ?", (layer,)))  # fmt: skip
                assert set(columns) == set(described), (gpkg, layer, set(columns) - set(described))
                assert all(described.values())
                refs = con.execute("SELECT m.md_standard_uri FROM gpkg_metadata_reference r JOIN "
                                   "gpkg_metadata m ON m.id = r.md_file_id WHERE r.table_name = ? "
                                   "AND r.reference_scope = 'table'", (layer,)).fetchall()  # fmt: skip
                assert refs == [("http://mrcc.com/qgis.dtd",)]
        if VALIDATOR.exists():
            result = subprocess.run([SYSTEM_PYTHON, str(VALIDATOR), "-k", str(gpkg)],
                                    capture_output=True, text=True, env=_qgis_env())  # fmt: skip
            problems = [
                ln for ln in (result.stdout + result.stderr).splitlines() if ln.startswith("Req")
            ]
            # GDAL 3.6's validator predates GeoPackage 1.4, whose R-tree triggers update6/update7
            # replace update1/update3; every other requirement must hold
            unexpected = [p for p in problems if not (p.startswith("Req 75: rtree_")
                                                      and p.endswith(("update1 trigger missing",
                                                                      "update3 trigger missing")))]  # fmt: skip
            assert unexpected == [], (gpkg, unexpected)


def test_workbooks_have_a_sheet_per_release_and_a_dictionary(built_repo: Path) -> None:
    workbooks = built_repo / "data/processed/workbooks"
    names = {p.stem for p in workbooks.glob("*.xlsx")}
    assert names == {"lsoa_imd", *_tiers(built_repo)}
    for tier in _tiers(built_repo):
        summary = pd.read_csv(built_repo / f"data/processed/summaries/{tier}.csv")
        wb = load_workbook(workbooks / f"{tier}.xlsx", read_only=True)
        releases = [f"IoD{v}" for v in sorted(summary["vintage"].unique())]
        assert wb.sheetnames == [*releases, "Data dictionary", "About"]
        dictionary = list(wb["Data dictionary"].iter_rows(values_only=True))
        assert [r[0] for r in dictionary[1:]] == list(summary.columns)
        assert all(r[2] and r[2] != "(not documented)" for r in dictionary[1:])
        assert wb.properties.modified.year == 2000
        first = list(wb[releases[0]].iter_rows(values_only=True))
        assert len(first) - 1 == int((summary["vintage"] == int(releases[0][3:])).sum())


def test_csvw_describes_every_csv(built_repo: Path) -> None:
    processed = built_repo / "data" / "processed"
    # outputs made on request by other tests of the shared build have no CSVW
    on_demand = ("classify", "profiles_pdf")
    csvs = sorted(
        p for p in processed.rglob("*.csv") if p.relative_to(processed).parts[0] not in on_demand
    )
    assert len(csvs) > 30
    for csv in csvs:
        meta_path = csv.with_name(f"{csv.name}-metadata.json")
        assert meta_path.exists(), csv
        meta = json.loads(meta_path.read_text())
        assert meta["@context"] == "http://www.w3.org/ns/csvw" and meta["url"] == csv.name
        assert check_csvw(csv, meta) == [], csv
        for column in meta["tableSchema"]["columns"]:
            assert column.get("dc:description"), (csv.name, column["titles"])
    site = built_repo / "site" / "downloads"
    for meta_path in site.glob("*.csv-metadata.json"):
        assert (site / json.loads(meta_path.read_text())["url"]).exists()
    assert (site / "deprivation.qgz").exists() and (site / "ward.xlsx").exists()
