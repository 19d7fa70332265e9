"""Tiers on a synthetic authority of 1 km squares: membership, measures, layers, conservation."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from _tiers import LEEDS_TIERS, tier_config
from shapely.geometry import box

from geo.core.errors import ConfigError, ConservationError, GeoInputError
from geo.geography.coverage import clean_coverage, dissolve
from geo.geography.crosswalk import build_crosswalk
from geo.geography.membership import (
    Geography,
    LocalNames,
    TierSources,
    build_members,
    membership_table,
    read_local_names,
    read_lsoa_flags,
    ward_table,
)
from geo.model.config import cross_check, validate_config
from geo.model.tiers import DRAWN_NEIGHBOURHOOD, authority_plan, tier_registry
from geo.statistics.tiers import (
    build_tiers,
    check_areas,
    check_partition,
    check_populations,
    summarise_members,
    summary_columns,
)

LAD, X0, Y0, KM = "E08000001", 400_000, 400_000, 1000
SCHEMA = Path(__file__).resolve().parents[2] / "workflow" / "schemas" / "config.schema.yaml"
N = 32_844


def sq(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    return box(X0 + KM * x0, Y0 + KM * y0, X0 + KM * x1, Y0 + KM * y1)


def layer(rows: list[tuple], vintage: int) -> gpd.GeoDataFrame:
    """rows: (code, geometry, imd_rank, imd_score, population)."""
    n = 32_844 if vintage < 2025 else 33_755
    codes, geoms, ranks, scores, pops = zip(*rows, strict=True)
    ranks_ = np.array(ranks)
    return gpd.GeoDataFrame(
        {
            "lsoa_code": codes, "lsoa_name": [f"Town {c}" for c in codes],
            "lad_code": LAD, "lad_name": "Town",
            "imd_rank": ranks_, "imd_decile": np.ceil(ranks_ * 10 / n).astype(int),
            "imd_score": scores, "population": np.array(pops, dtype=float),
            "employment_population": np.array(pops, dtype=float) * 0.6,
            "income_numerator": np.array(pops, dtype=float) * 0.1,
            "employment_numerator": np.array(pops, dtype=float) * 0.05,
            "in_national_1pct": ranks_ <= n // 100,
            "population_source": f"test population {vintage}",
        },
        geometry=list(geoms), crs="EPSG:27700",
    )  # fmt: skip


# IoD2019 on LSOA 2011: A and C in the national 1%; wards W1 = {A, B}, W2 = {C, D}.
L2019 = layer([("A", sq(0, 0, 1, 1), 100, 60.0, 1000), ("B", sq(1, 0, 2, 1), 5000, 20.0, 2000),
               ("C", sq(0, 1, 1, 2), 200, 50.0, 1500), ("D", sq(1, 1, 2, 2), 20000, 10.0, 1500)], 2019)  # fmt: skip
# IoD2025 on LSOA 2021: B split into B1 and B2 (both in W1).
L2025 = layer([("A", sq(0, 0, 1, 1), 50, 62.0, 1100), ("B1", sq(1, 0, 1.5, 1), 400, 40.0, 900),
               ("B2", sq(1.5, 0, 2, 1), 3000, 30.0, 1300), ("C", sq(0, 1, 1, 2), 300, 45.0, 1600),
               ("D", sq(1, 1, 2, 2), 30000, 8.0, 1500)], 2025)  # fmt: skip
CHANGES = pd.DataFrame(
    [("A", "A", "U"), ("B", "B1", "S"), ("B", "B2", "S"), ("C", "C", "U"), ("D", "D", "U")],
    columns=["lsoa11_code", "lsoa21_code", "change_code"],
)
WARDS = pd.DataFrame({"ward_code": ["W1", "W2"], "ward_name": ["South", "North"]})
REGISTRY = tier_registry(tier_config(LAD))
"""The core tiers plus Leeds-like committees, wedges and 2017 designated neighbourhoods."""
THRESHOLDS = {"most_deprived_1pct": 1, "most_deprived_10pct": 10}
GROUPS = {
    "community_committee": pd.DataFrame({
        "ward_code": ["W1", "W2"], "ward_name": ["South", "North"],
        "community_committee_code": ["inner", "outer"], "community_committee": ["Inner", "Outer"],
    }),
    "wedge_2010": pd.DataFrame({
        "ward_code": ["W1", "W2"], "ward_name": ["South", "North"],
        "wedge_2010_code": ["all", "all"], "wedge_2010": ["All", "All"],
    }),
}  # fmt: skip
NAMES = LocalNames(pd.Series({"A": "Alpha Court", "D": "Delta Row"}, dtype="string"), 2011)
SOURCES = TierSources(
    ward_groups=GROUPS,
    lsoa_sets={"priority_neighbourhood": (["A", "C"], 2011), "designated_2017": (["A", "D"], 2011)},
    boundaries={},
    names=NAMES,
)
DISPLAY = gpd.GeoDataFrame({"ward_code": ["W1", "W2"], "ward_name": ["South", "North"]},
                           geometry=[sq(0, 0, 2, 1), sq(0, 1, 2, 2)], crs="EPSG:27700")  # fmt: skip


def wards_of(codes: list[str], ward: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"lsoa_code": codes, "ward_code": [ward[c] for c in codes],
                         "ward_name": [dict(W1="South", W2="North")[ward[c]] for c in codes],
                         "ward_method": "best_fit", "ward_population_share": 1.0})  # fmt: skip


def geographies() -> dict[int, Geography]:
    w = {"A": "W1", "B": "W1", "B1": "W1", "B2": "W1", "C": "W2", "D": "W2"}
    return {
        year: Geography(year, pd.DataFrame(lay[["lsoa_code", "lsoa_name", "lad_code", "lad_name"]]),
                        wards_of(lay["lsoa_code"].tolist(), w))
        for year, lay in ((2011, L2019), (2021, L2025))
    }  # fmt: skip


def crosswalk() -> pd.DataFrame:
    return build_crosswalk(
        CHANGES, lsoa11=L2019["lsoa_code"], lsoa21=L2025["lsoa_code"],
        population11=L2019.set_index("lsoa_code")["population"],
        population21=L2025.set_index("lsoa_code")["population"],
    )  # fmt: skip


@pytest.fixture(scope="module")
def built() -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    members, areas = build_members(geographies(), registry=REGISTRY, wards=WARDS, sources=SOURCES,
                                   crosswalk=crosswalk())  # fmt: skip
    tiers = build_tiers({2019: L2019, 2025: L2025}, members=members, areas=areas, registry=REGISTRY,
                        priority_vintage=2019, priority_ward_order="imd_average_score",
                        thresholds=THRESHOLDS, ward_boundaries=DISPLAY)  # fmt: skip
    return members, areas, tiers


def rows(tiers: dict, tier: str, vintage: int) -> pd.DataFrame:
    s = tiers[tier].summary
    return s.loc[s["vintage"] == vintage].set_index("area_code")


def test_every_tier_is_built_with_its_columns(built):
    _, areas, tiers = built
    assert list(tiers) == ["city", "ward", "community_committee", "wedge_2010",
                           "priority_neighbourhood", "priority_ward", "designated_2017"]  # fmt: skip
    assert list(tiers) == [k for k in REGISTRY.keys if k != DRAWN_NEIGHBOURHOOD.key]
    for tier, out in tiers.items():
        assert list(out.summary.columns) == summary_columns(REGISTRY, tier)
        assert out.summary.groupby("vintage").size().to_dict() == {
            2019: (areas["tier"] == tier).sum(),
            2025: (areas["tier"] == tier).sum(),
        }


def test_ward_measures_by_hand(built):
    w = rows(built[2], "ward", 2019).loc["W1"]
    assert w["population"] == 3000 and w["lsoas"] == 2
    assert w["imd_average_score"] == pytest.approx((1000 * 60 + 2000 * 20) / 3000)
    assert w["imd_average_rank"] == pytest.approx(N + 1 - (1000 * 100 + 2000 * 5000) / 3000)
    # A (rank 100) is percentile 1: weight 1; B (rank 5000) percentile 16: 0.95 - 5 x 0.9/19.
    assert w["imd_extent"] == pytest.approx((1000 + 2000 * (0.95 - 5 * 0.9 / 19)) / 3000)
    # 10% of 3,000 = 300 people, all in A (rank 100).
    assert w["imd_local_concentration"] == pytest.approx(N + 1 - 100)
    assert w["imd_proportion_10pct"] == 0.5 and w["lsoas_in_national_1pct"] == 1
    assert w["income_scale"] == pytest.approx(300) and w["community_committee"] == "Inner"
    assert w["display_area_covered"] == pytest.approx(1.0) and w["area_km2"] == pytest.approx(2.0)
    assert w["population_source"] == "test population 2019" and w["lsoa_geography"] == "LSOA11"


def test_tier_populations_and_areas_add_up_to_the_city(built):
    tiers = built[2]
    for vintage in (2019, 2025):
        city = rows(tiers, "city", vintage).iloc[0]
        for tier in ("ward", "community_committee", "wedge_2010"):
            r = rows(tiers, tier, vintage)
            assert r["population"].sum() == pytest.approx(city["population"])
            assert r["area_km2"].sum() == pytest.approx(city["area_km2"]) == pytest.approx(4.0)


def test_priority_tiers(built):
    tiers = built[2]
    pn = rows(tiers, "priority_neighbourhood", 2019)
    assert pn["area_name"].to_dict() == {"A": "Alpha Court", "C": "C"}  # code when no local name
    assert pn["designated_2017"].to_dict() == {"A": True, "C": False}
    pw = rows(tiers, "priority_ward", 2019)
    # Average scores: W1 (1000 x 60 + 2000 x 20) / 3000 = 33.3 > W2 (1500 x 50 + 1500 x 10) / 3000 = 30.
    assert pw["priority_order"].to_dict() == {"W1": 1, "W2": 2}
    assert pw["priority_neighbourhoods"].to_dict() == {"W1": 1, "W2": 1}
    d = rows(tiers, "designated_2017", 2025)
    assert d["area_name"].to_dict() == {"A": "Alpha Court", "D": "Delta Row"}
    assert d["priority_neighbourhood"].to_dict() == {"A": True, "D": False}


def test_priority_wards_ordered_by_their_most_deprived_lsoa(built):
    """The council's order: by each ward's most deprived LSOA, not by its average score."""
    members, areas, _ = built
    # C (in W2) now ranks 50, ahead of A (W1, 100); W1 still has the higher average score.
    l2019 = L2019.assign(imd_rank=L2019["imd_rank"].where(L2019["lsoa_code"] != "C", 50))
    kept = members.loc[members["lsoa_year"] == 2011]

    def order(measure: str) -> dict[str, int]:
        out = build_tiers({2019: l2019}, members=kept, areas=areas, registry=REGISTRY,
                          priority_vintage=2019, priority_ward_order=measure,
                          thresholds=THRESHOLDS)["priority_ward"].summary  # fmt: skip
        assert out["priority_order"].is_monotonic_increasing  # rows in the order
        return dict(zip(out["area_code"], out["priority_order"], strict=True))

    assert order("most_deprived_lsoa_rank") == {"W2": 1, "W1": 2}
    assert order("imd_average_score") == {"W1": 1, "W2": 2}


def test_carried_to_lsoa21_split_lsoa_in_both_parts(built):
    tiers = built[2]
    w = rows(tiers, "ward", 2025).loc["W1"]
    assert w["lsoas"] == 3 and w["population"] == 3300 and w["lsoa_geography"] == "LSOA21"
    assert rows(tiers, "priority_ward", 2025)["lsoas"].to_dict() == {"W2": 2, "W1": 3}


def test_layers_projected_with_display_and_best_fit_geometry(built):
    tiers = built[2]
    ward = tiers["ward"].layers
    assert list(ward) == ["imd2019", "imd2025", "best_fit_lsoa11", "best_fit_lsoa21"]
    for gdf in ward.values():
        assert gdf.crs.to_epsg() == 27700
    assert ward["imd2019"]["geometry_source"].str.startswith("ward display boundaries").all()
    committee = tiers["community_committee"].layers["imd2019"]
    assert committee.area.sum() == pytest.approx(4 * KM * KM)
    pn = tiers["priority_neighbourhood"].layers["imd2025"]
    assert pn["geometry_source"].str.contains("LSOA21").all()


def test_membership_table_flags(built):
    members = built[0]
    members, areas = built[0], built[1]
    table = membership_table(
        members, areas, geographies(), registry=REGISTRY,
        ward_info=ward_table(WARDS, REGISTRY, SOURCES), names=NAMES, crosswalk=crosswalk(),
    )  # fmt: skip
    t = table.set_index(["lsoa_geography", "lsoa_code"])
    assert t.loc[("LSOA21", "B1"), "local_name"] is pd.NA or pd.isna(
        t.loc[("LSOA21", "B1"), "local_name"]
    )
    assert t.loc[("LSOA21", "A"), "local_name"] == "Alpha Court"
    assert bool(t.loc[("LSOA11", "A"), "in_priority_neighbourhood"])
    assert (
        t.loc[("LSOA11", "B"), "in_priority_ward"]
        and not t.loc[("LSOA11", "B"), "in_priority_neighbourhood"]
    )
    assert t.loc[("LSOA11", "D"), "designated_2017_code"] == "D"


# --- conservation failures -------------------------------------------------------------------


def test_lsoa_in_two_areas_fails_naming_it(built):
    members, areas, _ = built
    extra = pd.DataFrame(
        [{"tier": "ward", "area_code": "W2", "lsoa_year": 2011, "lsoa_code": "B", "share": 1.0}]
    )
    with pytest.raises(
        ConservationError,
        match=r"tier 'ward' \(LSOA 2011\): 1 LSOA\(s\) in more than one area: B in W1, W2",
    ):
        build_tiers({2019: L2019}, members=pd.concat([members, extra]), areas=areas, registry=REGISTRY,
                    priority_vintage=2019, priority_ward_order="imd_average_score",
                    thresholds=THRESHOLDS)  # fmt: skip


def test_lsoa_in_no_area_fails_naming_it():
    m = pd.DataFrame({"area_code": ["W1", "W2"], "lsoa_code": ["A", "C"], "share": 1.0})
    with pytest.raises(ConservationError, match=r"2 LSOA\(s\) in no area: B, D"):
        check_partition(m, {"A", "B", "C", "D"}, tier="ward", year=2011)
    part = m.assign(share=[1.0, 0.5])
    with pytest.raises(ConservationError, match=r"only in part: C"):
        check_partition(part, {"A", "C"}, tier="ward", year=2011)


def test_population_mismatch_names_area():
    summary = pd.DataFrame({"area_code": ["W1", "W2"], "population": [3000.0, 2000.0]})
    expected = pd.Series({"W1": 3000.0, "W2": 3000.0})
    with pytest.raises(ConservationError, match=r"population differs from its LSOAs' for W2"):
        check_populations(summary, expected, 6000.0, tier="ward", vintage=2019)
    with pytest.raises(
        ConservationError, match=r"populations sum to 5,000.0, the city has 6,000.0"
    ):
        check_populations(
            summary, pd.Series({"W1": 3000.0, "W2": 2000.0}), 6000.0, tier="ward", vintage=2019
        )


def test_area_mismatch_names_area():
    with pytest.raises(ConservationError, match=r"by more than 0.1% for W2 \(0.50%\)"):
        check_areas(
            pd.Series({"W1": 2.0, "W2": 1.99}),
            pd.Series({"W1": 2.0, "W2": 2.0}),
            4.0,
            tier="ward",
            year=2011,
        )
    with pytest.raises(ConservationError, match=r"areas sum to .* the city is"):
        check_areas(pd.Series({"W1": 2.0}), pd.Series({"W1": 2.0}), 4.0, tier="ward", year=2011)


def test_member_missing_from_the_imd_table_names_it():
    m = pd.DataFrame({"area_code": ["P", "P"], "lsoa_code": ["A", "B9"], "share": 1.0})
    with pytest.raises(
        GeoInputError, match=r"LSOA\(s\) missing from the IoD2025 table: B9 \(area P\)"
    ):
        summarise_members(L2025, m, vintage=2025, tier="priority_neighbourhood")


def test_bad_priority_order_measure(built):
    members, areas, _ = built
    with pytest.raises(GeoInputError, match=r"tiers.priority_ward_order: 'area_km2' is not one of"):
        build_tiers({2019: L2019}, members=members.loc[members["lsoa_year"] == 2011], areas=areas,
                    registry=REGISTRY, priority_vintage=2019, priority_ward_order="area_km2",
                    thresholds=THRESHOLDS)  # fmt: skip


# --- coverage ---------------------------------------------------------------------------------


def test_overlapping_polygons_cleaned_then_dissolved():
    gdf = gpd.GeoDataFrame({"lsoa_code": ["A", "B", "C"]},
                           geometry=[sq(0, 0, 1.001, 1), sq(1, 0, 2, 1), sq(0, 1, 2, 2)], crs="EPSG:27700")  # fmt: skip
    assert not shapely.coverage_is_valid(gdf.geometry.to_numpy())
    cov = clean_coverage(gdf, id_col="lsoa_code", source="test")
    assert shapely.coverage_is_valid(cov.to_numpy())
    out = dissolve(cov, pd.DataFrame({"area_code": ["X", "X", "Y"], "lsoa_code": ["A", "B", "C"]}))
    assert out.index.tolist() == ["X", "Y"]
    assert out.area.sum() == pytest.approx(4 * KM * KM)
    assert out["X"].geom_type == "Polygon"


# --- configuration and local names ------------------------------------------------------------

_DEFAULTS = validate_config({}, SCHEMA)
DATASETS = {"wards_x", "names_x", *(t["dataset"] for t in LEEDS_TIERS.values()),
            _DEFAULTS["boundaries"]["lsoa11"], _DEFAULTS["boundaries"]["lsoa21"],
            _DEFAULTS["neighbourhoods"]["postcodes"]}  # fmt: skip
"""Registered datasets of the configuration tests (the local ones and the defaults)."""


def config(**tiers: object) -> dict:
    """A Leeds-like configuration for the synthetic authority (validated, defaults filled)."""
    local = {"ward_boundaries": "wards_x", "local_names": "names_x",
             **tier_config(LAD)["authorities"][LAD]}  # fmt: skip
    raw = {"lad_code": LAD, "vintages": [2015, 2019, 2025],
           "tiers": {"priority_vintage": 2019, "priority_ward_order": "imd_average_score", **tiers},
           "authorities": {LAD: local}}  # fmt: skip
    return validate_config(raw, SCHEMA)


def test_authority_plan_with_and_without_local_tiers():
    plan = authority_plan(config())
    assert len(plan.lsoa_tiers) == 7
    assert plan.lsoa_tiers == ("city", "ward", "community_committee", "wedge_2010",
                               "priority_neighbourhood", "priority_ward", "designated_2017")  # fmt: skip
    assert plan.registry.keys == (*plan.lsoa_tiers, "drawn_neighbourhood")
    assert (plan.ward_boundaries, plan.local_names) == ("wards_x", "names_x")
    assert plan.tier_datasets == ("leeds_ward_community_committee", "leeds_lsoa_local_names")
    partitioning = [t.key for t in plan.registry if t.partitions]
    assert partitioning == ["city", "ward", "community_committee", "wedge_2010"]
    other = {**config(), "lad_code": "E08000032"}
    plan = authority_plan(other)
    assert plan.lsoa_tiers == ("city", "ward", "priority_neighbourhood", "priority_ward")
    assert plan.ward_boundaries is None and plan.local_names is None
    assert plan.tier_datasets == ()
    no_designated = config()
    del no_designated["authorities"][LAD]["tiers"]["designated_2017"]
    no_designated["authorities"][LAD]["local_names"] = None
    plan = authority_plan(no_designated)
    assert "designated_2017" not in plan.lsoa_tiers and plan.local_names is None
    assert cross_check(no_designated, datasets=DATASETS, indicators=()) == []


def test_config_errors_name_key_and_value():
    assert cross_check(config(), datasets=DATASETS, indicators=()) == []
    early = {**config(priority_vintage=2025), "vintages": [2015, 2019]}
    assert "tiers.priority_vintage: value 2025 is not one of the built vintages [2015, 2019]" in (
        cross_check(early, datasets=DATASETS, indicators=())
    )
    bad = config()
    bad["authorities"][LAD]["local_names"] = "nope"
    assert cross_check(bad, datasets=DATASETS, indicators=()) == [
        f"authorities.{LAD}.local_names: value 'nope' is not a dataset of the registry"
    ]
    bad = config()
    bad["authorities"][LAD]["tiers"]["wedge_2010"]["dataset"] = "nope"
    assert cross_check(bad, datasets=DATASETS, indicators=()) == [
        f"authorities.{LAD}.tiers.wedge_2010.dataset: value 'nope' is not a dataset of the registry"
    ]


@pytest.mark.parametrize(
    ("change", "pattern"),
    [
        ({"ward": {**LEEDS_TIERS["wedge_2010"]}}, r"tiers.ward: 'ward' is a core tier"),
        ({"wedge_2010": {**LEEDS_TIERS["wedge_2010"], "field": None}},
         r"tiers.wedge_2010: a ward_groups tier needs 'field'"),
        ({"designated_2017": {**LEEDS_TIERS["designated_2017"], "parent": "wedge_2010"}},
         r"tiers.designated_2017.parent: only a ward_groups tier takes a parent"),
        ({"community_committee": {**LEEDS_TIERS["community_committee"], "parent": "nowhere"}},
         r"tiers.community_committee.parent: value 'nowhere' is not a ward_groups tier"),
        ({"wedge_2010": {**LEEDS_TIERS["wedge_2010"], "slug": "ward"}},
         r"tiers 'ward' and 'wedge_2010' share the slug 'ward'"),
    ],
)  # fmt: skip
def test_local_tier_errors_name_key_and_value(change, pattern):
    with pytest.raises(ConfigError, match=pattern):
        tier_registry(tier_config(LAD, {**LEEDS_TIERS, **change}))


def test_local_names_bad_flag_and_unknown_code(tmp_path: Path):
    path = tmp_path / "names.csv"
    flags = {"field": "designated_priority_2017"}
    pd.DataFrame({"lsoa11_code": ["A", "B"], "local_name": ["x", "y"],
                  "designated_priority_2017": ["yes", "maybe"]}).to_csv(path, index=False)  # fmt: skip
    with pytest.raises(GeoInputError, match=r"must be yes or no; got B: 'maybe'"):
        read_lsoa_flags(str(path), **flags, lsoa_codes={2011: {"A", "B"}})
    pd.DataFrame({"lsoa11_code": ["A", "Q"], "local_name": ["x", "y"],
                  "designated_priority_2017": ["yes", "no"]}).to_csv(path, index=False)  # fmt: skip
    with pytest.raises(GeoInputError, match=r"not LSOAs of the authority: Q"):
        read_local_names(str(path), lsoa_codes={2011: {"A", "B"}})
    with pytest.raises(GeoInputError, match=r"not LSOAs of the authority: Q"):
        read_lsoa_flags(str(path), **flags, lsoa_codes={2011: {"A", "B"}})
    ok = read_local_names(str(path), lsoa_codes={2011: {"A", "Q"}})
    assert ok.lsoa_year == 2011 and ok.names.to_dict() == {"A": "x", "Q": "y"}
    assert read_lsoa_flags(str(path), **flags, lsoa_codes={2011: {"A", "Q"}}) == (["A"], 2011)
