"""The model on the real DAG: a tier added by one config entry, thresholds from config.

One build (Leeds, every release) with ``tests/configs/new_tier_threshold2.yaml``: an MSOA
tier from the registered Leeds MSOA 2011 boundaries (nothing else added), and the national
"1%" threshold moved to 2%. Every output must agree with the LSOA flags: the LSOA layers,
summaries, headlines, profiles and watchlist count the same LSOAs.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
import yaml
from _pipeline import ROOT, copy_project, run_snakemake
from _profiles_html import measure_cells

pytestmark = pytest.mark.integration

TEST_CONFIG = ROOT / "tests" / "configs" / "new_tier_threshold2.yaml"
N = {2015: 32_844, 2019: 32_844, 2025: 33_755}
CODE = {2015: "LSOA11CD", 2019: "LSOA11CD", 2025: "LSOA21CD"}
LEEDS_MSOA11 = 107
RELEASES = yaml.safe_load(TEST_CONFIG.read_text())["vintages"]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory, mirror: Path) -> Iterator[Path]:
    repo = copy_project(tmp_path_factory.mktemp("model"))
    run_snakemake(repo, "--configfile", "config.yaml", str(TEST_CONFIG))
    yield repo


def _percent(name: str) -> float:
    return float(yaml.safe_load(TEST_CONFIG.read_text())["thresholds"][name])


def _lsoas(repo: Path, vintage: int) -> pd.DataFrame:
    return pd.read_csv(repo / f"data/processed/lsoa_imd_{vintage}.csv")


@pytest.mark.parametrize("vintage", [2015, 2019, 2025])
def test_lsoa_flags_use_the_configured_threshold(repo: Path, vintage: int) -> None:
    lsoas = _lsoas(repo, vintage)
    rank = math.floor(N[vintage] * _percent("most_deprived_1pct") / 100)
    assert rank in (656, 675)
    assert (lsoas["in_national_1pct"] == (lsoas["imd_rank"] <= rank)).all()
    assert lsoas["in_national_1pct"].sum() > 0


@pytest.mark.parametrize("vintage", [2015, 2019, 2025])
def test_summaries_and_headlines_count_the_flagged_lsoas(repo: Path, vintage: int) -> None:
    flagged = int(_lsoas(repo, vintage)["in_national_1pct"].sum())
    heads = pd.read_csv(repo / "data/processed/headlines.csv").set_index("vintage")
    assert int(heads.at[vintage, "lsoas_in_national_1pct"]) == flagged
    for tier in ("city", "ward", "community_committee", "wedge_2010", "msoa11"):
        table = pd.read_csv(repo / f"data/processed/summaries/{tier}.csv")
        rows = table.loc[table["vintage"] == vintage]
        assert rows["lsoas_in_national_1pct"].sum() == pytest.approx(flagged), tier


def test_priority_neighbourhoods_are_the_lsoas_in_the_configured_threshold(repo: Path) -> None:
    flagged = set(_lsoas(repo, 2019).loc[lambda d: d["in_national_1pct"], "LSOA11CD"])
    pn = pd.read_csv(repo / "data/processed/summaries/priority_neighbourhood.csv")
    assert set(pn.loc[pn["vintage"] == 2019, "area_code"]) == flagged


def test_watchlist_margins_are_around_the_configured_threshold(repo: Path) -> None:
    config = yaml.safe_load((repo / "config.yaml").read_text())
    margin = config["watchlist"]["threshold_margin_ranks"]["most_deprived_1pct"]
    w = pd.read_csv(repo / "data/processed/watchlist.csv", dtype={"code": "string"})
    for vintage in (2015, 2019, 2025):
        lsoas = _lsoas(repo, vintage).set_index(CODE[vintage])["imd_rank"]
        rank = math.floor(N[vintage] * _percent("most_deprived_1pct") / 100)
        rows = w.loc[(w["kind"] == "near_national_2pct") & (w["vintage"] == vintage)]
        assert set(rows["code"]) == set(lsoas.index[(lsoas - rank).abs() <= margin])
        assert (rows["threshold_rank"] == rank).all()


def test_profiles_show_the_summaries_counts(repo: Path) -> None:
    table = pd.read_csv(repo / "data/processed/summaries/ward.csv")
    page = repo / "site/profiles/ward/armley.html"
    cells = [c for c in measure_cells(page.read_text())
             if c.get("data-measure") == "lsoas_in_national_1pct" and c.get("data-source") == "area"]  # fmt: skip
    assert cells
    armley = table.loc[table["area_name"] == "Armley"].set_index("vintage")
    for cell in cells:
        assert float(cell["data-value"]) == pytest.approx(
            float(armley.at[int(cell["data-vintage"]), "lsoas_in_national_1pct"])
        )


def test_a_boundary_tier_from_one_config_entry(repo: Path) -> None:
    summary = pd.read_csv(repo / "data/processed/summaries/msoa11.csv")
    assert set(summary["vintage"]) == set(RELEASES)
    for vintage, rows in summary.groupby("vintage"):
        assert len(rows) == LEEDS_MSOA11, vintage
        city = pd.read_csv(repo / "data/processed/summaries/city.csv")
        population = city.loc[city["vintage"] == vintage, "population"].iloc[0]
        assert rows["population"].sum() == pytest.approx(population)
    # LSOA 2011s nest in MSOA 2011s: 2011 LSOA counts are whole numbers
    assert (summary.loc[summary["vintage"] == 2019, "lsoas"] % 1 == 0).all()
    listed = pyogrio.list_layers(repo / "data/processed/tiers/msoa11.gpkg")
    layers = [name for name, kind in listed if kind is not None]  # styles are a table
    assert layers == [f"imd{v}" for v in RELEASES]
    pages = sorted((repo / "site/msoa11").glob("*.html"))
    assert len(pages) == LEEDS_MSOA11 + 1  # one per MSOA and the overview
    profiles = sorted((repo / "site/profiles/msoa11").glob("*.html"))
    assert len(profiles) == LEEDS_MSOA11
    membership = pd.read_csv(repo / "data/processed/lsoa_membership.csv")
    assert membership["msoa11_code"].notna().all()
