"""Issue 4 on the real data: the drawn_neighbourhood tier, per-file reruns and bad files.

The built project (``built_repo``) is copied before a test changes anything in it.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from _pipeline import run_snakemake

from geo.core.text import slugify
from geo.statistics.apportion import FIT_COLUMNS, METHODS, TIER_COLUMNS, VERDICTS

pytestmark = pytest.mark.integration

SIX = (2004, 2007, 2010, 2015, 2019, 2025)

NB = Path("data/raw/neighbourhoods/E08000035")
SUMMARY = "data/processed/summaries/drawn_neighbourhood.csv"
GPKG = "data/processed/tiers/drawn_neighbourhood.gpkg"
FIT = "data/processed/drawn_neighbourhood_fit.csv"
COMPARE = "data/processed/drawn_vs_lsoa_neighbourhoods.csv"
MY_RULES = {
    "validate_neighbourhood_file",
    "apportion_neighbourhood_file",
    "build_drawn_neighbourhoods",
    "build_drawn_vs_lsoa",
}


@pytest.fixture
def repo(built_repo: Path, tmp_path: Path) -> Path:
    """A copy of the built project (outputs, metadata and mtimes kept) a test may change."""
    return Path(shutil.copytree(built_repo, tmp_path / "repo", symlinks=True))


def pending(repo: Path) -> pd.DataFrame:
    """Outputs Snakemake would rebuild now (``--summary``): output_file, rule, status."""
    result = run_snakemake(repo, "--summary")
    lines = [line.split("\t") for line in result.stdout.splitlines() if line.count("\t") >= 5]
    table = pd.DataFrame(lines[1:], columns=lines[0])
    return table.loc[table["plan"] != "no update", ["output_file", "rule", "status", "plan"]]


def digests(root: Path, *folders: str) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in folders
        for p in sorted((root / folder).rglob("*"))
        if p.is_file() and "screenshots" not in p.parts
    }


def test_drawn_tier_has_every_illustrative_neighbourhood(built_repo: Path) -> None:
    files = sorted((built_repo / NB).glob("*.geojson"))
    assert len(files) == 12
    summary = pd.read_csv(built_repo / SUMMARY)
    assert list(summary.columns) == list(TIER_COLUMNS)
    assert summary.groupby("vintage").size().to_dict() == dict.fromkeys(SIX, 12)
    assert set(summary["area_code"]) == {slugify(json.loads(f.read_text())["features"][0]
                                             ["properties"]["name"]) for f in files}  # fmt: skip
    assert (summary["tier"] == "drawn_neighbourhood").all() and summary["illustrative"].all()
    assert (summary["apportion_method"] == METHODS["postcode"]).all()
    assert summary["fit_verdict"].isin(VERDICTS).all()
    assert summary["population"].between(500, 5000).all()
    assert summary["imd_average_rank"].notna().all() and summary["imd_extent"].notna().all()
    for vintage in SIX:
        info = pyogrio.read_info(built_repo / GPKG, layer=f"imd{vintage}")
        assert info["features"] == 12 and info["crs"] == "EPSG:27700"
    fit = pd.read_csv(built_repo / FIT)
    assert list(fit.columns) == list(FIT_COLUMNS)
    assert fit["share_used"].between(0, 1).all() and fit["area_share"].between(0, 1).all()
    apportioned = fit.groupby(["vintage", "area_code"])["population_apportioned"].sum()
    got = summary.set_index(["vintage", "area_code"])["population"]
    assert apportioned.reindex(got.index).to_numpy() == pytest.approx(got.to_numpy())


def test_each_priority_lsoa_is_compared_with_its_drawn_neighbourhood(built_repo: Path) -> None:
    table = pd.read_csv(built_repo / COMPARE)
    assert table.groupby("vintage").size().to_dict() == dict.fromkeys(SIX, 12)
    # The illustrative neighbourhoods carry the local names of their LSOAs.
    assert (table["drawn_name"] == table["lsoa_name"]).all()
    assert (table["pairing_population_share"] > 0.5).all()
    lsoa = pd.read_csv(built_repo / "data/processed/lsoa_imd_2019.csv").set_index("LSOA11CD")
    t19 = table.loc[table["vintage"] == 2019].set_index("lsoa_code")
    assert (lsoa.loc[t19.index, "imd_rank"] <= 328).all()
    assert t19["lsoa_population"].to_numpy() == pytest.approx(
        lsoa.loc[t19.index, "population"].to_numpy()
    )
    assert t19["lsoa_imd_average_rank"].to_numpy() == pytest.approx(
        32_845 - lsoa.loc[t19.index, "imd_rank"].to_numpy()
    )
    diff = t19["drawn_population"] - t19["lsoa_population"]
    assert t19["population_difference"].to_numpy() == pytest.approx(diff.to_numpy())


def test_editing_one_file_reruns_only_its_jobs(repo: Path) -> None:
    assert pending(repo).empty, "the built project should be up to date"
    path = repo / NB / "boggart-hill-seacroft.geojson"
    doc = json.loads(path.read_text())
    ring = doc["features"][0]["geometry"]["coordinates"][0]
    ring[1] = [ring[1][0] + 0.0002, ring[1][1]]  # move one vertex by about 13 m
    path.write_text(json.dumps(doc))

    todo = pending(repo)
    per_file = todo.loc[
        todo["rule"].isin(["validate_neighbourhood_file", "apportion_neighbourhood_file"])
    ]
    assert sorted(per_file["output_file"]) == [
        "data/interim/neighbourhoods/shares/boggart-hill-seacroft.geojson.parquet",
        "data/interim/neighbourhoods/validated/boggart-hill-seacroft.geojson.parquet",
    ]
    assert set(todo["rule"]) >= MY_RULES
    # Nothing upstream of the edited file reruns; everything pending is downstream of it.
    changed = todo.loc[todo["status"] != "ok"]
    assert changed["output_file"].tolist() == [
        "data/interim/neighbourhoods/validated/boggart-hill-seacroft.geojson.parquet"
    ]
    assert changed["status"].tolist() == ["updated input files"]
    assert not todo["rule"].isin(["build_lsoa_layer", "build_imd_table", "build_tiers"]).any()

    others = digests(repo, "data/interim/neighbourhoods")
    # The drawn tier is rebuilt (what reads it, e.g. the indicators by tier and the site, is
    # rebuilt in other tests): nothing of the neighbourhood files' own jobs is left pending.
    run_snakemake(repo, SUMMARY, COMPARE)
    left = pending(repo)
    assert not set(left["rule"]) & MY_RULES, left
    assert "aggregate_indicator" in set(left["rule"])  # downstream of the edit, not yet run
    after = digests(repo, "data/interim/neighbourhoods")
    assert {k for k in others if others[k] != after[k]} == {
        "data/interim/neighbourhoods/shares/boggart-hill-seacroft.geojson.parquet",
        "data/interim/neighbourhoods/validated/boggart-hill-seacroft.geojson.parquet",
    }


def _outside_leeds(repo: Path) -> str:
    """A new file with a neighbourhood drawn in Bradford city centre."""
    ring = [[-1.76, 53.79], [-1.74, 53.79], [-1.74, 53.80], [-1.76, 53.80], [-1.76, 53.79]]
    doc = {"type": "FeatureCollection", "features": [{"type": "Feature",
           "properties": {"name": "Little Germany"},
           "geometry": {"type": "Polygon", "coordinates": [ring]}}]}  # fmt: skip
    (repo / NB / "little-germany.geojson").write_text(json.dumps(doc))
    return (
        r"little-germany\.geojson: feature 1 \(name 'Little Germany'\): 100\.0% of its area "
        r"\([\d,]+ m²\) lies outside the authority E08000035 Leeds"
    )


def _self_intersecting(repo: Path) -> str:
    """An existing file edited into a bow tie."""
    path = repo / NB / "cliftons-nowells.geojson"
    doc = json.loads(path.read_text())
    ring = doc["features"][0]["geometry"]["coordinates"][0]
    ring[1], ring[3] = ring[3], ring[1]
    path.write_text(json.dumps(doc))
    return (
        r"cliftons-nowells\.geojson: feature 1 \(name 'Cliftons, Nowells'\): invalid geometry: "
        r"Self-intersection\[-1\.\d+ 53\.\d+\]"
    )


@pytest.mark.parametrize("breaker", [_outside_leeds, _self_intersecting])
def test_a_bad_file_fails_the_build_and_leaves_every_output(repo: Path, breaker) -> None:
    before = digests(repo, "data/processed", "site")
    pattern = breaker(repo)
    result = run_snakemake(repo, check=False)
    assert result.returncode != 0
    assert re.search(pattern, result.stdout + result.stderr), result.stderr[-3000:]
    assert digests(repo, "data/processed", "site") == before


def test_no_drawn_files_gives_empty_drawn_outputs(repo: Path) -> None:
    """As for an authority with no folder of its own (any other lad_code)."""
    (repo / "empty" / "E08000035").mkdir(parents=True)
    run_snakemake(repo, SUMMARY, COMPARE, config={"neighbourhoods": {"dir": "empty"}})
    summary = pd.read_csv(repo / SUMMARY)
    assert summary.empty and list(summary.columns) == list(TIER_COLUMNS)
    assert pd.read_csv(repo / FIT).empty
    assert pyogrio.read_info(repo / GPKG, layer="imd2019")["features"] == 0
    table = pd.read_csv(repo / COMPARE)
    assert table.groupby("vintage").size().to_dict() == dict.fromkeys(SIX, 12)
    assert table["drawn_code"].isna().all()
    assert table["lsoa_population"].notna().all()
