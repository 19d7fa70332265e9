"""Issue 15: nothing lost, nothing wrong, whatever the input or the interruption.

Every case runs the real DAG (the smallest target that shows the fault) in a copy of the
built Leeds project and checks the message, the exit status and that every output users
see (data/processed, site, data/raw) is byte-identical afterwards.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import stat
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import yaml
from _faults import DRAWN, NB, leftovers, outputs, snakemake
from _pipeline import SNAKEMAKE

from geo.core.io import read_csv
from geo.inputs.registry import load_registry

pytestmark = pytest.mark.integration

PARK = [  # a 60 m square in Leeds with no postcode inside (lon/lat)
    [-1.5099805, 53.8021744], [-1.5099742, 53.8027137], [-1.5108852, 53.8027174],
    [-1.5108915, 53.8021781], [-1.5099805, 53.8021744],
]  # fmt: skip


def geojson(path: Path, *features: tuple[dict[str, object], list[list[float]]], crs: str | None = None,
            encoding: str = "utf-8") -> Path:  # fmt: skip
    doc: dict[str, object] = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": props,
             "geometry": {"type": "Polygon", "coordinates": [ring]}}
            for props, ring in features
        ],
    }  # fmt: skip
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_bytes(json.dumps(doc, ensure_ascii=False).encode(encoding))
    return path


def log(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr


def failed_keeping_outputs(repo: Path, before: dict[str, str], result: subprocess.CompletedProcess[str],
                           pattern: str) -> str:  # fmt: skip
    """Assert the run failed with ``pattern`` in its output and changed no output."""
    text = log(result)
    assert result.returncode != 0, text[-3000:]
    assert pattern in text, text[-6000:]
    assert outputs(repo) == before
    assert leftovers(repo) == []
    return text


# --- a failing job never removes a good output --------------------------------------------


def test_failed_site_build_keeps_the_previous_site(repo: Path) -> None:
    breaks = repo / "data/processed/classification_breaks.csv"  # read by build_site only
    breaks.write_text("not,the,columns\n1,2,3\n")
    before = outputs(repo)
    result = snakemake(repo, "site")
    text = failed_keeping_outputs(repo, before, result, "Error in rule build_site")
    assert "The build failed: the previous outputs are kept (" in text
    # the site (removed by Snakemake before the job ran) is among the files put back
    assert "file(s) put back: " in text


def test_duplicate_name_across_files_keeps_drawn_outputs(repo: Path) -> None:
    before = outputs(repo)
    (repo / NB / "copy.geojson").write_bytes((repo / NB / "cliftons-nowells.geojson").read_bytes())
    result = snakemake(repo, DRAWN)
    failed_keeping_outputs(repo, before, result, "duplicate name 'cliftons, nowells'")


def test_mirror_typo_keeps_verified_raw_copies(repo: Path) -> None:
    before = outputs(repo)
    registry = load_registry(repo / "data/registry.yaml")
    targets = [str(registry[n].raw_path()) for n in ("leeds_lsoa_local_names", "imd2019_file2")]
    result = snakemake(
        repo, "--keep-going", *targets,
        config={"mirror": "/nonexistent/mirror", "download": {"timeout_s": 1, "retries": 1}},
    )  # fmt: skip
    text = failed_keeping_outputs(
        repo, before, result, "'leeds_lsoa_local_names': not in the mirror"
    )
    assert "the registry has no official URL" in text


# --- inputs verified whenever used ---------------------------------------------------------


def test_raw_file_edited_after_retrieval_stops_the_build(repo: Path) -> None:
    dataset = load_registry(repo / "data/registry.yaml")["imd2019_file2"]
    path = repo / dataset.raw_path()
    path.chmod(stat.S_IWUSR | stat.S_IRUSR)
    data = path.read_bytes()
    path.write_bytes(data.replace(b"\n", b"\r\n", 1))  # one byte more, same figures
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    before = outputs(repo)
    result = snakemake(repo, "data/processed/headlines.csv")
    text = failed_keeping_outputs(repo, before, result, "dataset 'imd2019_file2'")
    assert actual in text
    assert dataset.sha256 in text
    assert "changed after it was retrieved" in text


def test_changed_registry_checksum_is_checked_again(repo: Path) -> None:
    before = outputs(repo)
    registry_file = repo / "data/registry.yaml"
    entries = yaml.safe_load(registry_file.read_text())
    real = entries["imd2019_file2"]["sha256"]
    registry_file.write_text(registry_file.read_text().replace(real, "ab" * 32))
    result = snakemake(repo, "data/processed/headlines.csv", "site")
    text = failed_keeping_outputs(repo, before, result, "dataset 'imd2019_file2'")
    assert f"has sha256 {real} but the registry says {'ab' * 32}" in text
    assert "the registry entry changed since the file was retrieved" in text
    assert "Select jobs to execute" not in text


# --- configuration checked for meaning -------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"crs": "EPSG:4326"}, "is a geographic CRS in degrees"),
        ({"thresholds": {"most_deprived_1pct": 10, "most_deprived_10pct": 1}},
         "most_deprived_1pct (10) must be below most_deprived_10pct (1)"),
    ],
    ids=["crs-in-degrees", "swapped-thresholds"],
)  # fmt: skip
def test_config_that_makes_no_sense_is_refused_at_load(repo: Path, config: dict[str, object],
                                                        message: str) -> None:  # fmt: skip
    before = outputs(repo)
    result = snakemake(repo, config=config)
    text = failed_keeping_outputs(repo, before, result, message)
    assert "Select jobs to execute" not in text


def test_invalid_yaml_names_the_line(repo: Path) -> None:
    before = outputs(repo)
    lines = (repo / "config.yaml").read_text().count("\n")
    with (repo / "config.yaml").open("a") as fh:
        fh.write("vintages: [2015, 2019\n")
    result = snakemake(repo, "-n")
    failed_keeping_outputs(
        repo, before, result, f"config.yaml: line {lines + 2}, column 1: invalid YAML"
    )


def test_switching_authority_sets_the_old_outputs_aside(repo: Path) -> None:
    before = outputs(repo)
    vintages = yaml.safe_load((repo / "config.yaml").read_text())["vintages"]  # Leeds's
    bradford = yaml.safe_load((repo / "tests/configs/bradford.yaml").read_text())
    bradford["vintages"] = [2015, 2019]  # another authority and other releases: quick to build
    dry = snakemake(repo, "-n", "data/processed/headlines.csv", config=bradford)
    assert dry.returncode == 0, log(dry)[-4000:]
    assert outputs(repo) == before  # a dry run moves nothing
    assert not (repo / "data/set_aside").exists()
    result = snakemake(repo, "data/processed/headlines.csv", config=bradford)
    assert result.returncode == 0, log(result)[-4000:]
    label = "E08000035_" + "-".join(map(str, vintages))
    aside = repo / "data/set_aside" / label
    assert f"moved them to data/set_aside/{label}" in log(result)
    set_aside = outputs(aside)  # hashed once, not once per file
    moved = {rel: set_aside.get(rel) for rel in before if not rel.startswith("data/raw/")}
    assert moved == {rel: sha for rel, sha in before.items() if not rel.startswith("data/raw/")}
    assert sorted(p.name for p in (repo / "data/processed").rglob("*") if p.is_file()) == [
        "headlines.csv"
    ]
    assert not (repo / "site").exists()
    headlines = pd.read_csv(repo / "data/processed/headlines.csv")
    assert set(headlines["lad_code"]) == {"E08000032"}


# --- validation at the door ------------------------------------------------------------------


def _long_name(nb: Path) -> None:
    geojson(nb / "long.geojson", ({"name": "x" * 10_000}, PARK))


def _latin1(nb: Path) -> None:
    geojson(nb / "latin1.geojson", ({"name": "Café Park"}, PARK), encoding="latin-1")


def _whole_city(nb: Path) -> None:
    outline = gpd.read_parquet(nb.parents[3] / "data/interim/authority_outline.parquet")
    drawn = outline.geometry.buffer(-20).simplify(50)  # drawn by hand around the city
    whole = gpd.GeoDataFrame({"name": ["All of Leeds"]}, geometry=drawn.to_crs(4326).make_valid())
    whole.to_file(nb / "city.geojson", driver="GeoJSON")


def _metres_without_crs(nb: Path) -> None:
    ring = [
        [432311, 434097],
        [432371, 434097],
        [432371, 434157],
        [432311, 434157],
        [432311, 434097],
    ]
    geojson(nb / "bng.geojson", ({"name": "Metres Park"}, ring))


def _degrees_declared_bng(nb: Path) -> None:
    geojson(nb / "deg.geojson", ({"name": "Degrees Park"}, PARK), crs="EPSG:27700")


def _duplicate_given_id(nb: Path) -> None:
    geojson(nb / "one.geojson", ({"name": "First Park", "id": "park-1"}, PARK))
    geojson(nb / "two.geojson", ({"name": "Second Park", "id": "park-1"}, PARK))


@pytest.mark.parametrize(
    ("inject", "message"),
    [
        (_long_name, "the name is 10,000 characters long; at most 200"),
        (_latin1, "latin1.geojson: is not UTF-8 text (byte 0xe9"),
        (_whole_city, "of the authority E08000035 Leeds; a neighbourhood may cover at most 50%"),
        (_metres_without_crs, "look like metres (e.g. British National Grid, EPSG:27700): the CRS looks wrong"),
        (_degrees_declared_bng, "look like longitude/latitude degrees: the CRS looks wrong"),
        (_duplicate_given_id, "duplicate id 'park-1' (ids must be unique: change one of them)"),
    ],
    ids=["long-name", "latin-1", "whole-city", "metres-without-crs", "degrees-declared-bng",
         "duplicate-given-id"],
)  # fmt: skip
def test_bad_neighbourhood_file_is_refused_at_the_door(repo: Path, inject: Callable[[Path], None],
                                                       message: str) -> None:  # fmt: skip
    before = outputs(repo)
    inject(repo / NB)
    result = snakemake(repo, DRAWN)
    failed_keeping_outputs(repo, before, result, message)


def test_shipped_set_passes_without_overlaps(repo: Path) -> None:
    result = snakemake(repo, DRAWN, config={"neighbourhoods": {"allow_overlaps": False}})
    assert result.returncode == 0, log(result)[-4000:]


# --- areas with no residents, safe exports ------------------------------------------------------


def test_park_formulas_and_markup_build_a_safe_site(repo: Path) -> None:
    props = {"name": '=HYPERLINK("http://x.example","Park")', "ward": "+Headingley",
             "notes": "@SUM(1+1)"}  # fmt: skip
    geojson(repo / NB / "park.geojson", (props, PARK))
    attribution = 'Tiles <a href="https://tiles.example.org/">Example</a><script>alert(1)</script>'
    site = {"tiles": "https://tiles.example.org/{z}/{x}/{y}.png", "tile_attribution": attribution}
    result = snakemake(repo, "site", DRAWN, config={"site": site})
    assert result.returncode == 0, log(result)[-6000:]
    summary = (repo / DRAWN).read_text()
    assert "'=HYPERLINK(" in summary and "'+Headingley" in summary and "'@SUM(1+1)" in summary
    rows = read_csv(repo / DRAWN)
    park = rows[rows["area_name"] == props["name"]]  # read back exactly as typed
    vintages = yaml.safe_load((repo / "config.yaml").read_text())["vintages"]
    assert (
        len(park) == len(vintages)  # one row per release
        and (park["population"] == 0).all()
        and park["imd_average_score"].isna().all()
    )
    for csv in (repo / "data/processed").rglob("*.csv"):
        for line in csv.read_text().splitlines():
            assert not any(cell.startswith(("=", "@")) for cell in line.split(",")), (csv, line)
    pages = [p for p in (repo / "site").rglob("*.html") if "HYPERLINK" in p.read_text()]
    assert any("No residents" in p.read_text() for p in pages)
    index = (repo / "site/index.html").read_text() + (repo / "site/index.data.js").read_text()
    assert "<script>alert(1)" not in index
    assert "alert(1)" in index  # shown as text


# --- interruptions --------------------------------------------------------------------------------


def _start(repo: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([SNAKEMAKE, "-c2", "--nocolor", *args], cwd=repo, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def _kill_when(proc: subprocess.Popen[bytes], ready: Callable[[], bool], *, delay: float = 0.0,
               timeout: float = 240) -> None:  # fmt: skip
    end = time.monotonic() + timeout
    while not ready():
        assert proc.poll() is None, "the build ended before the point to kill it"
        assert time.monotonic() < end, "the point to kill the build never came"
        time.sleep(0.001)
    time.sleep(delay)
    assert proc.poll() is None, "the build ended before the point to kill it"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _recover_and_rerun(repo: Path, *targets: str) -> None:
    """``snakemake --unlock`` as Snakemake suggests it (no -c), then the targets (default: all)."""
    unlock = snakemake(repo, "--unlock", cores=False)  # as Snakemake suggests it, no -c
    assert unlock.returncode == 0, log(unlock)[-3000:]
    rerun = snakemake(repo, *targets)
    assert rerun.returncode == 0, log(rerun)[-4000:]


def test_kill_during_retrieval_then_rerun(repo: Path) -> None:
    before = outputs(repo)
    registry = load_registry(repo / "data/registry.yaml")
    names = ["imd2019_file2", "imd2025", "postcodes_leeds", "imd2019_file6", "lookup_lsoa11_lsoa21"]
    targets = [str(registry[n].raw_path()) for n in names]
    for target in targets:
        (repo / target).unlink()
    raw = repo / "data/raw"
    proc = _start(repo, *targets)
    _kill_when(proc, lambda: any(p.name.endswith(".part") for p in raw.glob("*/*")))
    assert any(p.name.endswith(".part") for p in raw.glob("*/*"))
    _recover_and_rerun(repo, *targets)
    assert leftovers(repo) == []
    assert outputs(repo) == before


def test_raw_file_removed_by_an_interruption_is_retrieved_again(repo: Path) -> None:
    """Not left missing while everything built from it is up to date."""
    path = load_registry(repo / "data/registry.yaml")["postcodes_leeds"].raw_path()
    (repo / path).unlink()
    result = snakemake(repo, "-n")
    assert result.returncode == 0, log(result)[-3000:]
    assert f"Missing output files: {path}" in log(result)


def test_kill_mid_dag_after_outputs_were_replaced_then_rerun(repo: Path) -> None:
    before = outputs(repo)
    summary, compare = repo / DRAWN, repo / "data/processed/drawn_vs_lsoa_neighbourhoods.csv"
    inode = summary.stat().st_ino
    proc = _start(repo, str(compare.relative_to(repo)), "--forcerun", "build_drawn_neighbourhoods")
    _kill_when(proc, lambda: not compare.exists() and summary.exists() and summary.stat().st_ino != inode,
               delay=0.5)  # fmt: skip
    assert summary.stat().st_ino != inode and not compare.exists()  # one replaced, one gone
    unlock = snakemake(repo, "--unlock", cores=False)  # as Snakemake suggests it, no -c
    assert unlock.returncode == 0, log(unlock)[-3000:]
    rerun = snakemake(repo)  # every output
    assert rerun.returncode == 0, log(rerun)[-4000:]
    assert "An earlier build was interrupted: put back" in log(rerun)
    assert leftovers(repo) == []
    assert outputs(repo) == before


def test_kill_while_the_site_is_written_then_rerun(repo: Path) -> None:
    before = outputs(repo)
    proc = _start(repo, "site", "--forcerun", "build_site")
    _kill_when(proc, lambda: any(repo.glob(".geo-tmp-site.*")))
    assert any(repo.glob(".geo-tmp-site.*"))  # killed half-way through writing the site
    _recover_and_rerun(repo, "site")
    assert leftovers(repo) == []
    assert outputs(repo) == before
