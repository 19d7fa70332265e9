"""Issue 3 acceptance on the real data: tiers, official summary measures, rank changes.

Expectations come from the published sources, not from the package: File 10 district
summaries (via the registry's mirror paths), the LSOA tables the pipeline publishes, the
Leeds lookups and PROVENANCE.md (12 LSOAs of Leeds in the national 1% in IoD2019, 16 in
IoD2015; six priority wards).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from _pipeline import MIRROR, run_snakemake

from geo.inputs.registry import load_registry

pytestmark = pytest.mark.integration

LEEDS = "E08000035"
TIERS = ["city", "ward", "community_committee", "wedge_2010", "priority_neighbourhood",
         "priority_ward", "designated_2017"]  # fmt: skip
PRIORITY_WARDS_2019 = {
    "Armley", "Beeston & Holbeck", "Burmantofts & Richmond Hill", "Gipton & Harehills",
    "Hunslet & Riverside", "Killingbeck & Seacroft",
}  # fmt: skip


def summary(repo: Path, tier: str) -> pd.DataFrame:
    return pd.read_csv(repo / f"data/processed/summaries/{tier}.csv", dtype={"area_code": "string"})


def reference(repo: Path, dataset: str) -> pd.DataFrame:
    entry = load_registry(repo / "data/registry.yaml")[dataset]
    return pd.read_csv(MIRROR / entry.mirror, encoding="utf-8-sig", thousands=",")


def test_tier_counts(built_repo: Path):
    for tier, n in [("city", 1), ("ward", 33), ("community_committee", 10), ("wedge_2010", 3),
                    ("priority_neighbourhood", 12), ("priority_neighbourhood_2015", 16),
                    ("priority_ward", 6), ("designated_2017", 6)]:  # fmt: skip
        per_vintage = summary(built_repo, tier).groupby("vintage")["area_code"].nunique()
        assert per_vintage.to_dict() == dict.fromkeys([2004, 2007, 2010, 2015, 2019, 2025], n), tier


def test_iod2019_priority_ward_rule_gives_six_wards(built_repo: Path):
    pw = summary(built_repo, "priority_ward")
    pw19 = pw.loc[pw["vintage"] == 2019]
    assert set(pw19["area_name"]) == PRIORITY_WARDS_2019
    assert pw19["priority_order"].tolist() == [1, 2, 3, 4, 5, 6]
    # Ordered as configured: by the national rank of each ward's most deprived LSOA.
    lsoas = pd.read_csv(built_repo / "data/processed/lsoa_imd_2019.csv")
    ward = pd.read_csv(built_repo / "data/processed/lsoa_membership.csv", dtype="string")
    ward = ward.loc[ward["lsoa_geography"] == "LSOA11"].set_index("lsoa_code")["ward_code"]
    best = (
        lsoas.assign(ward_code=lsoas["LSOA11CD"].map(ward)).groupby("ward_code")["imd_rank"].min()
    )
    assert best.reindex(pw19["area_code"]).is_monotonic_increasing
    assert pw19["priority_neighbourhoods"].sum() == 12
    pn = summary(built_repo, "priority_neighbourhood")
    pn19 = pn.loc[pn["vintage"] == 2019]
    assert len(pn19) == 12 and (pn19["lsoas_in_national_1pct"] == 1).all()
    names = pd.read_csv(MIRROR / "leeds_local/lsoa_local_names.csv").set_index("lsoa11_code")
    assert (
        pn19.set_index("area_code")["area_name"] == names["local_name"].reindex(pn19["area_code"])
    ).all()
    assert set(pn19["ward_name"]) == PRIORITY_WARDS_2019


def test_2015_2019_statuses_add_up(built_repo: Path):
    rc = pd.read_csv(built_repo / "data/processed/rank_changes_2015_2019.csv")
    n = rc["status"].value_counts()
    assert n["remained"] + n["moved_out"] == 16
    assert n["remained"] + n["moved_in"] == 12
    # Recomputed from the published LSOA tables.
    r15 = pd.read_csv(built_repo / "data/processed/lsoa_imd_2015.csv").set_index("LSOA11CD")[
        "imd_rank"
    ]
    r19 = pd.read_csv(built_repo / "data/processed/lsoa_imd_2019.csv").set_index("LSOA11CD")[
        "imd_rank"
    ]
    expected = set(r15.index[r15 <= 328]) | set(r19.index[r19 <= 328])
    assert set(rc["lsoa_code"]) == expected and rc["lsoa_code"].is_unique
    got = rc.set_index("lsoa_code")
    assert (got["rank_change"] == r19[got.index] - r15[got.index]).all()
    text = " ".join(rc[["status_text", "relative_change"]].to_numpy().ravel()).lower()
    assert "moved into the most deprived 1%" in text
    assert "deprivation increased" not in text and "worse" not in text


def test_2019_2025_keeps_every_link(built_repo: Path):
    rc = pd.read_csv(built_repo / "data/processed/rank_changes_2019_2025.csv")
    r19 = pd.read_csv(built_repo / "data/processed/lsoa_imd_2019.csv").set_index("LSOA11CD")[
        "imd_rank"
    ]
    r25 = pd.read_csv(built_repo / "data/processed/lsoa_imd_2025.csv").set_index("LSOA21CD")[
        "imd_rank"
    ]
    lk = pd.read_csv(MIRROR / "lookups/lookup_lsoa11_lsoa21_ltla22.csv")
    lk = lk.loc[lk["lsoa11_code"].isin(r19.index) | lk["lsoa21_code"].isin(r25.index)]
    keep = lk["lsoa11_code"].map(r19).le(328) | lk["lsoa21_code"].map(r25).le(337)
    assert len(rc) == keep.sum()
    n = rc["status"].value_counts()
    assert n["remained"] + n["moved_out"] == (r19 <= 328).sum() == 12
    assert n["remained"] + n["moved_in"] == (r25 <= 337).sum() == 7
    assert set(rc["change_type"]) <= {"U", "S", "M", "X"}


def test_city_tier_reproduces_file_10_for_2019(built_repo: Path):
    """IoD2019 uses its official denominators (File 6): File 10 to its published rounding."""
    city = summary(built_repo, "city").set_index("vintage")
    ref = reference(built_repo, "reference_iod2019_lad")
    f10 = ref.set_index("Local Authority District code (2019)").loc[LEEDS]
    got = city.loc[2019]
    assert got["imd_average_score"] == pytest.approx(f10["IMD - Average score"], abs=0.001)
    assert got["imd_average_rank"] == pytest.approx(f10["IMD - Average rank"], abs=0.2)
    assert got["imd_local_concentration"] == pytest.approx(
        f10["IMD 2019 - Local concentration"], abs=0.2
    )
    assert got["imd_extent"] == pytest.approx(f10["IMD 2019 - Extent"], abs=0.0001)
    prop = "IMD - Proportion of LSOAs in most deprived 10% nationally"
    assert got["imd_proportion_10pct"] == pytest.approx(f10[prop], abs=0.0001)
    # Scales sum File 8 numerators, which are rounded to 5 and suppressed when small.
    assert got["income_scale"] == pytest.approx(f10["Income scale"], rel=0.002)
    assert got["employment_scale"] == pytest.approx(f10["Employment scale"], rel=0.002)


def test_city_tier_reproduces_file_10_for_2015(built_repo: Path):
    """IoD2015 uses its official mid-2012 denominators (File 6), as ``population_source``
    says: the city tier equals File 10 to its published rounding (average score 3 dp, average
    rank and local concentration within 0.02, extent and proportion 4 dp)."""
    city = summary(built_repo, "city").set_index("vintage")
    f10 = (
        reference(built_repo, "reference_iod2015_lad")
        .set_index("Local Authority District code (2013)")
        .loc[LEEDS]
    )
    got = city.loc[2015]
    assert "mid-2012" in got["population_source"] and "substitute" not in got["population_source"]
    assert round(got["imd_proportion_10pct"], 4) == pytest.approx(
        f10["IMD - Proportion of LSOAs in most deprived 10% nationally"]
    )
    assert round(got["imd_average_score"], 3) == pytest.approx(f10["IMD - Average score"])
    assert got["imd_average_rank"] == pytest.approx(f10["IMD - Average rank"], abs=0.02)
    assert round(got["imd_extent"], 4) == pytest.approx(f10["IMD - Extent"])
    assert got["imd_local_concentration"] == pytest.approx(
        f10["IMD - Local concentration"], abs=0.02
    )


def test_city_tier_reproduces_file_10_for_2025(built_repo: Path):
    """IoD2025 uses the File 7 mid-2022 denominators (transcribed for Leeds's LSOAs in the
    mirror), named in ``population_source``: the city tier equals File 10 to its rounding."""
    city = summary(built_repo, "city").set_index("vintage")
    f10 = reference(built_repo, "reference_iod2025_lad").set_index("ltla24_code").loc[LEEDS]
    got = city.loc[2025]
    assert "File 7 mid-2022" in got["population_source"]
    assert "Census" not in got["population_source"]
    assert round(got["imd_proportion_10pct"], 4) == pytest.approx(
        f10["imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally"]
    )
    assert round(got["imd_average_score"], 3) == pytest.approx(f10["imd_average_score"])
    assert got["imd_average_rank"] == pytest.approx(f10["imd_average_rank"], abs=0.02)
    assert round(got["imd_extent"], 4) == pytest.approx(f10["imd25_extent"])
    assert got["imd_local_concentration"] == pytest.approx(
        f10["imd25_local_concentration"], abs=0.02
    )
    assert got["income_scale"] == pytest.approx(f10["income_scale"], rel=0.002)


def test_partitioning_tiers_conserve_lsoas_population_and_area(built_repo: Path):
    m = pd.read_csv(built_repo / "data/processed/lsoa_membership.csv")
    assert m.groupby("lsoa_geography")["lsoa_code"].nunique().to_dict() == {
        "LSOA01": 476,
        "LSOA11": 482,
        "LSOA21": 488,
    }
    assert not m.duplicated(["lsoa_geography", "lsoa_code"]).any()
    assert m[["ward_code", "community_committee_code", "wedge_2010_code"]].notna().all().all()
    city = summary(built_repo, "city").set_index("vintage")
    for tier in ("ward", "community_committee", "wedge_2010"):
        s = summary(built_repo, tier).groupby("vintage")[["population", "lsoas", "area_km2"]].sum()
        assert (s["population"] == city["population"]).all(), tier
        # LSOA 2001s carried from 2011 may lie in two areas in part: counts are shares
        assert s["lsoas"].to_numpy() == pytest.approx(city["lsoas"].to_numpy()), tier
        assert ((s["area_km2"] / city["area_km2"] - 1).abs() < 0.001).all(), tier
    ward = summary(built_repo, "ward")
    assert ward["display_area_covered"].between(0, 1).all()


def test_geopackages_one_per_tier(built_repo: Path):
    for tier in TIERS:
        gpkg = built_repo / f"data/processed/tiers/{tier}.gpkg"
        layers = [name for name, kind in pyogrio.list_layers(gpkg) if kind is not None]
        assert layers[:6] == [f"imd{v}" for v in (2004, 2007, 2010, 2015, 2019, 2025)], tier
        info = pyogrio.read_info(gpkg, layer="imd2019")
        assert info["crs"] == "EPSG:27700"
        assert "geometry_source" in info["fields"] and "imd_extent" in info["fields"]
    ward_layers = [
        name
        for name, kind in pyogrio.list_layers(built_repo / "data/processed/tiers/ward.gpkg")
        if kind is not None  # the QGIS styles are a table of their own
    ]
    assert ward_layers[6:] == ["best_fit_lsoa11", "best_fit_lsoa21"]


def test_bradford_builds_city_ward_and_priority_tiers_only(bradford: Path, mirror: Path):
    repo = bradford
    out = repo / "data/processed/summaries"

    assert sorted(p.stem for p in out.glob("*.csv")) == [
        "city",
        "drawn_neighbourhood",  # empty: no drawn files of its own
        "priority_neighbourhood",
        "priority_neighbourhood_2015",  # config tiers.extra_priority_vintages: any authority
        "priority_ward",
        "ward",
    ]
    city = summary(repo, "city").set_index("vintage")
    assert city.loc[2019, "area_name"] == "Bradford" and city.loc[2019, "lsoas"] == 310
    wards = summary(repo, "ward")
    lk = pd.read_csv(mirror / "lookups/lookup_lsoa21_ward24_ltla24.csv")
    assert (
        wards.groupby("vintage")["area_code"]
        .nunique()
        .eq(lk.loc[lk["ltla24_code"] == "E08000032", "ward24_code"].nunique())
        .all()
    )
    assert wards.groupby("vintage")["population"].sum().to_dict() == city["population"].to_dict()
    pn = summary(repo, "priority_neighbourhood")
    assert (pn["area_name"] == pn["area_code"]).all()  # no local names: named by code
    # no ward groups of its own: the wards carry no group columns; no display boundaries
    assert "community_committee" not in wards.columns
    assert wards["display_area_covered"].isna().all()


def test_committee_lookup_naming_an_unknown_ward_fails_the_build(fresh_repo: Path):
    entry = load_registry(fresh_repo / "data/registry.yaml")["leeds_ward_community_committee"]
    raw = fresh_repo / entry.raw_path()
    raw.parent.mkdir(parents=True)
    table = pd.read_csv(MIRROR / entry.mirror)
    table.loc[0, "ward_name"] = "Nowhere Ward"
    table.to_csv(raw, index=False)
    registry = fresh_repo / "data/registry.yaml"  # a planted file must match the registry
    digest = hashlib.sha256(raw.read_bytes()).hexdigest()
    registry.write_text(registry.read_text().replace(entry.sha256, digest))
    result = run_snakemake(fresh_repo, "data/processed/lsoa_membership.csv", check=False)
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "names 1 unknown ward(s) Nowhere Ward" in log, log[-3000:]
    assert not (fresh_repo / "data/processed/lsoa_membership.csv").exists()
