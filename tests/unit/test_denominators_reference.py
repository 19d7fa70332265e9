"""The official denominators against MHCLG's File 10, from the mirror through the loaders.

IoD2015: the national table of :func:`geo.inputs.imd.load_national` (File 6 mid-2012
denominators) summarised to every district, against File 10 2015 for all 326. Measured
(2026-12-01), with the tolerances of the brief (average score to 3 dp, average rank and local
concentration within 0.02, extent and proportion to 4 dp):

- proportion in the national 10%: 326 of 326;
- extent: 325 (Lincoln is 0.0001 off: its value sits on the rounding boundary);
- average score: 315 equal at 3 dp; the other 11 differ by at most 0.0006, i.e. one unit in
  the last published place (File 10 was computed from unrounded LSOA scores; File 5 gives 3 dp);
- average rank: 295 within 0.02, every district within 0.2; local concentration: 304 within
  0.02, all within 0.77. The districts outside 0.02 are nearly all ones holding prisons
  (Weymouth and Portland, Harborough, West Devon, Bromsgrove, Hambleton, Stafford, Maidstone,
  …): File 6 excludes prisoners, and File 10's rank-based measures appear to have been weighted
  slightly differently there. Not adjusted.

IoD2025 (Leeds only: the File 7 denominators in the mirror are a transcription of Leeds's 488
LSOAs): every published measure of the city tier matches File 10 2025 to its rounding.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from geo.inputs.imd import SOURCE_2025_CENSUS, SOURCE_2025_FILE7, VINTAGES, load_national
from geo.inputs.registry import load_registry
from geo.statistics.measures import summarise_areas

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("GEO_MIRROR", ROOT.parent / "shared" / "data"))
REGISTRY = load_registry(ROOT / "data" / "registry.yaml")
LEEDS = "E08000035"
EMPLOYMENT = {"employment": "employment_population"}

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"no data mirror at {DATA}")


def national(vintage: int) -> pd.DataFrame:
    inputs = {name: DATA / REGISTRY[name].mirror for name in VINTAGES[vintage].inputs}
    return load_national(vintage, inputs)


def reference(name: str, key: str) -> pd.DataFrame:
    return pd.read_csv(DATA / REGISTRY[name].mirror, thousands=",").set_index(key)


@pytest.fixture(scope="module")
def iod2015() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    table = national(2015)
    official = reference("reference_iod2015_lad", "Local Authority District code (2013)")
    ours = summarise_areas(
        table, area_col="lad_code", n_national=VINTAGES[2015].n_national,
        denominator_cols=EMPLOYMENT,
    ).set_index("lad_code")  # fmt: skip
    return table, ours.reindex(official.index), official


def test_iod2015_file6_covers_every_lsoa(iod2015: tuple[pd.DataFrame, ...]) -> None:
    table, ours, official = iod2015
    assert len(table) == 32_844 and table["population"].notna().all()
    assert table["population"].sum() == 53_434_130  # England, mid-2012, excluding prisoners
    assert table["employment_population"].notna().all()
    assert not (table["employment_population"] % 1 == 0).all()  # fractional, as published
    assert table["population_source"].nunique() == 1
    assert "mid-2012" in table["population_source"].iloc[0]
    assert len(official) == 326 and ours["lsoas"].notna().all()


def within(diff: pd.Series, tolerance: float) -> pd.Series:
    return diff.abs() <= tolerance + 1e-9


def test_iod2015_all_326_districts_against_file_10(iod2015: tuple[pd.DataFrame, ...]) -> None:
    _, ours, f10 = iod2015
    prop = "IMD - Proportion of LSOAs in most deprived 10% nationally"
    assert (ours["imd_proportion_10pct"].round(4) == f10[prop]).sum() == 326
    extent = ours["imd_extent"].round(4) == f10["IMD - Extent"]
    assert extent.sum() == 325 and list(f10.index[~extent]) == ["E07000138"]  # Lincoln
    assert within(ours["imd_extent"] - f10["IMD - Extent"], 0.0001).all()
    score = ours["imd_average_score"].round(3) == f10["IMD - Average score"]
    assert score.sum() == 315
    assert within(ours["imd_average_score"] - f10["IMD - Average score"], 0.001).all()
    rank = ours["imd_average_rank"] - f10["IMD - Average rank"]
    assert within(rank, 0.02).sum() == 295 and within(rank, 0.2).all()
    lc = ours["imd_local_concentration"] - f10["IMD - Local concentration"]
    assert within(lc, 0.02).sum() == 304 and within(lc, 0.77).all()
    # Weighting the Employment domain by File 6's working-age column: within 0.3 everywhere.
    emp = ours["employment_average_rank"] - f10["Employment - Average rank"]
    assert within(emp, 0.3).all()


def test_iod2015_leeds_within_every_tolerance(iod2015: tuple[pd.DataFrame, ...]) -> None:
    _, ours, f10 = iod2015
    got, pub = ours.loc[LEEDS], f10.loc[LEEDS]
    assert round(got["imd_average_score"], 3) == pub["IMD - Average score"] == 26.623
    assert got["imd_average_rank"] == pytest.approx(pub["IMD - Average rank"], abs=0.02)
    assert got["imd_local_concentration"] == pytest.approx(
        pub["IMD - Local concentration"], abs=0.02
    )
    assert round(got["imd_extent"], 4) == pub["IMD - Extent"]


def test_iod2025_leeds_city_tier_against_file_10() -> None:
    table = national(2025)
    leeds = table.loc[table["lad_code"] == LEEDS]
    assert len(leeds) == 488 and set(leeds["population_source"]) == {SOURCE_2025_FILE7}
    assert leeds["population"].sum() == 820_802 and leeds["employment_population"].sum() == 534_279
    elsewhere = table.loc[table["lad_code"] != LEEDS, "population_source"]
    assert set(elsewhere) == {SOURCE_2025_CENSUS}
    got = summarise_areas(
        leeds, area_col="lad_code", n_national=VINTAGES[2025].n_national,
        denominator_cols=EMPLOYMENT,
    ).set_index("lad_code").loc[LEEDS]  # fmt: skip
    pub = reference("reference_iod2025_lad", "ltla24_code").loc[LEEDS]
    assert round(got["imd_average_score"], 3) == pub["imd_average_score"] == 24.115
    assert got["imd_average_rank"] == pytest.approx(pub["imd_average_rank"], abs=0.02)
    assert got["imd_local_concentration"] == pytest.approx(
        pub["imd25_local_concentration"], abs=0.02
    )
    assert round(got["imd_extent"], 4) == pub["imd25_extent"]
    prop = "imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally"
    assert round(got["imd_proportion_10pct"], 4) == pub[prop]
    # The working-age (18–66) denominator reproduces the Employment domain's average rank.
    assert got["employment_average_rank"] == pytest.approx(pub["employment_average_rank"], abs=0.02)
