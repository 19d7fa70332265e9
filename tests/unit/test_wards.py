"""LSOA → ward best fit, ward groups and display boundaries, on small synthetic tables."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geo.core.errors import GeoInputError, JoinError
from geo.geography.crosswalk import build_crosswalk
from geo.geography.wards import (
    assign_wards,
    city_wards,
    display_coverage,
    read_ward_best_fit,
    read_ward_boundaries,
    read_ward_groups,
    slug,
)

LAD = "E08000001"

# LSOA 2021 best fit: W1 holds A, B1, C; W2 holds B2, D; Z (another authority) holds Y.
BEST_FIT = [
    ("E01000001", "E05000001", "North Ward", LAD),
    ("E01000021", "E05000001", "North Ward", LAD),
    ("E01000022", "E05000002", "South Ward", LAD),
    ("E01000030", "E05000001", "North Ward", LAD),
    ("E01000004", "E05000002", "South Ward", LAD),
    ("E01000099", "E05000099", "Elsewhere", "E08000002"),
]
# LSOA 2011 → 2021: A unchanged; B split into B1 (pop 300) and B2 (pop 700) in two wards;
# C1 and C2 merged into C; D unchanged.
CHANGES = [
    ("E01000001", "E01000001", "U"),
    ("E01000002", "E01000021", "S"),
    ("E01000002", "E01000022", "S"),
    ("E01000031", "E01000030", "M"),
    ("E01000032", "E01000030", "M"),
    ("E01000004", "E01000004", "U"),
]
POP21 = pd.Series({"E01000001": 1000.0, "E01000021": 300.0, "E01000022": 700.0,
                   "E01000030": 1500.0, "E01000004": 1200.0})  # fmt: skip
POP11 = pd.Series({"E01000001": 1000.0, "E01000002": 1000.0, "E01000031": 600.0,
                   "E01000032": 900.0, "E01000004": 1200.0})  # fmt: skip
CODES11 = ["E01000001", "E01000002", "E01000031", "E01000032", "E01000004"]
CODES21 = ["E01000001", "E01000021", "E01000022", "E01000030", "E01000004"]


def write_best_fit(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    frame = pd.DataFrame(rows, columns=["lsoa21_code", "ward24_code", "ward24_name", "ltla24_code"])
    frame.insert(0, "lsoa21_name", "x")
    frame["ltla24_name"] = "Somewhere"
    frame.to_csv(path, index=False)
    return path


@pytest.fixture
def best_fit(tmp_path: Path) -> pd.DataFrame:
    return read_ward_best_fit(str(write_best_fit(tmp_path / "bf.csv", BEST_FIT)))


@pytest.fixture
def crosswalk() -> pd.DataFrame:
    changes = pd.DataFrame(CHANGES, columns=["lsoa11_code", "lsoa21_code", "change_code"])
    return build_crosswalk(
        changes, lsoa11=CODES11, lsoa21=CODES21, population11=POP11, population21=POP21
    )


def test_lsoa21_wards_are_the_ons_best_fit(best_fit: pd.DataFrame):
    out = assign_wards(CODES21, lsoa_year=2021, best_fit=best_fit, lad_code=LAD)
    assert out["ward_code"].tolist() == [
        "E05000001",
        "E05000001",
        "E05000002",
        "E05000001",
        "E05000002",
    ]
    assert set(out["ward_method"]) == {"best_fit"}
    assert (out["ward_population_share"] == 1).all()


def test_lsoa11_wards_through_the_chain_split_resolved_by_population(
    best_fit: pd.DataFrame, crosswalk: pd.DataFrame
):
    out = assign_wards(
        CODES11, lsoa_year=2011, best_fit=best_fit, lad_code=LAD, crosswalk=crosswalk
    )
    out = out.set_index("lsoa_code")
    # B's parts: 300 people in North Ward, 700 in South Ward -> South Ward, 70% of its people.
    assert out.loc["E01000002", "ward_code"] == "E05000002"
    assert out.loc["E01000002", "ward_method"] == "S_population"
    assert out.loc["E01000002", "ward_population_share"] == pytest.approx(0.7)
    # Both merged LSOAs take the merged LSOA's ward.
    assert out.loc[["E01000031", "E01000032"], "ward_code"].tolist() == ["E05000001"] * 2
    assert out.loc[["E01000031", "E01000032"], "ward_method"].tolist() == ["M", "M"]
    assert out.loc["E01000001", "ward_method"] == "U"


def test_split_in_one_ward_is_plain_s(tmp_path: Path, crosswalk: pd.DataFrame):
    rows = [
        r if r[0] != "E01000022" else ("E01000022", "E05000001", "North Ward", LAD)
        for r in BEST_FIT
    ]
    bf = read_ward_best_fit(str(write_best_fit(tmp_path / "bf.csv", rows)))
    out = assign_wards(CODES11, lsoa_year=2011, best_fit=bf, lad_code=LAD, crosswalk=crosswalk)
    row = out.set_index("lsoa_code").loc["E01000002"]
    assert (row["ward_code"], row["ward_method"], row["ward_population_share"]) == (
        "E05000001",
        "S",
        1.0,
    )


def test_ward_lookup_missing_an_lsoa_names_it(best_fit: pd.DataFrame):
    with pytest.raises(JoinError, match=r"no ward for 1 LSOA 2021\(s\): E01000555"):
        assign_wards([*CODES21, "E01000555"], lsoa_year=2021, best_fit=best_fit, lad_code=LAD)


def test_ward_lookup_missing_a_part_of_a_split_lsoa_names_part_and_parent(
    tmp_path: Path, crosswalk: pd.DataFrame
):
    rows = [r for r in BEST_FIT if r[0] != "E01000022"]
    bf = read_ward_best_fit(str(write_best_fit(tmp_path / "bf.csv", rows)))
    with pytest.raises(
        JoinError, match=r"no ward for LSOA 2021\(s\) E01000022, part\(s\) of LSOA 2011 E01000002"
    ):
        assign_wards(CODES11, lsoa_year=2011, best_fit=bf, lad_code=LAD, crosswalk=crosswalk)


def test_lsoa_assigned_to_two_wards_is_an_error(tmp_path: Path):
    rows = [*BEST_FIT, ("E01000004", "E05000001", "North Ward", LAD)]
    path = write_best_fit(tmp_path / "bf.csv", rows)
    with pytest.raises(
        JoinError,
        match=r"assigned to two or more wards: E01000004 \(E05000001\), E01000004 \(E05000002\)",
    ):
        read_ward_best_fit(str(path))


def test_ward_of_another_authority_is_an_error(best_fit: pd.DataFrame):
    with pytest.raises(GeoInputError, match=r"E01000099 → E05000099 \(E08000002\)"):
        assign_wards(["E01000001", "E01000099"], lsoa_year=2021, best_fit=best_fit, lad_code=LAD)


def test_city_wards(best_fit: pd.DataFrame):
    wards = city_wards(best_fit, lad_code=LAD, source="bf")
    assert wards.to_dict("list") == {
        "ward_code": ["E05000001", "E05000002"],
        "ward_name": ["North Ward", "South Ward"],
    }
    with pytest.raises(GeoInputError, match="no ward of local authority 'E08000009'"):
        city_wards(best_fit, lad_code="E08000009", source="bf")


# --- ward groups ------------------------------------------------------------------------------

WARDS = pd.DataFrame(
    {"ward_code": ["E05000001", "E05000002"], "ward_name": ["North Ward", "South Ward"]}
)


def write_groups(path: Path, rows: list[tuple[str, str, str]]) -> str:
    pd.DataFrame(rows, columns=["ward_name", "community_committee", "wedge_2010"]).to_csv(
        path, index=False
    )
    return str(path)


def read_committees(path: str) -> pd.DataFrame:
    return read_ward_groups(path, wards=WARDS, field="community_committee",
                            code_column="community_committee_code",
                            name_column="community_committee")  # fmt: skip


def test_ward_groups_with_codes(tmp_path: Path):
    path = write_groups(tmp_path / "g.csv", [("North Ward", "Inner North", "North & West"),
                                             ("South Ward", "Outer South", "South East")])  # fmt: skip
    committees = read_committees(path)
    assert committees["community_committee_code"].tolist() == ["inner_north", "outer_south"]
    assert committees["community_committee"].tolist() == ["Inner North", "Outer South"]
    wedges = read_ward_groups(path, wards=WARDS, field="wedge_2010", code_column="wedge_2010_code",
                              name_column="wedge_2010")  # fmt: skip
    assert wedges["wedge_2010_code"].tolist() == ["north_west", "south_east"]
    assert list(wedges.columns) == ["ward_code", "ward_name", "wedge_2010_code", "wedge_2010"]
    assert slug("East North East") == "east_north_east"


def test_committee_lookup_naming_an_unknown_ward(tmp_path: Path):
    path = write_groups(tmp_path / "g.csv", [("North Ward", "A", "X"), ("South Ward", "B", "X"),
                                             ("Nowhere Ward", "B", "X")])  # fmt: skip
    with pytest.raises(
        GeoInputError, match=r"field 'ward_name' names 1 unknown ward\(s\) Nowhere Ward"
    ):
        read_committees(path)


def test_committee_lookup_leaving_out_a_ward(tmp_path: Path):
    path = write_groups(tmp_path / "g.csv", [("North Ward", "A", "X")])
    with pytest.raises(GeoInputError, match=r"no row for ward\(s\) South Ward"):
        read_committees(path)


def test_committee_lookup_listing_a_ward_twice(tmp_path: Path):
    path = write_groups(tmp_path / "g.csv", [("North Ward", "A", "X"), ("North Ward", "B", "X"),
                                             ("South Ward", "B", "X")])  # fmt: skip
    with pytest.raises(JoinError, match=r"'ward_name' has duplicated value\(s\): North Ward"):
        read_committees(path)


# --- display boundaries ----------------------------------------------------------------------


def write_wards(path: Path, codes: list[str]) -> str:
    gdf = gpd.GeoDataFrame(
        {"ward22_code": codes, "ward22_name": [f"name {c}" for c in codes]},
        geometry=[
            box(400_000 + 1000 * i, 400_000, 401_000 + 1000 * i, 401_000) for i in range(len(codes))
        ],
        crs="EPSG:27700",
    ).to_crs("EPSG:4326")
    gdf.to_file(path, driver="GeoJSON")
    return str(path)


def test_ward_boundaries_projected_and_named_from_the_lookup(tmp_path: Path):
    path = write_wards(tmp_path / "w.geojson", ["E05000001", "E05000002", "E05000003"])
    out = read_ward_boundaries(path, wards=WARDS, crs="EPSG:27700")
    assert out.crs.to_epsg() == 27700
    assert out["ward_name"].tolist() == ["North Ward", "South Ward"]
    assert out.area.round(-2).tolist() == [1_000_000, 1_000_000]


def test_ward_boundaries_missing_a_ward(tmp_path: Path):
    path = write_wards(tmp_path / "w.geojson", ["E05000001"])
    with pytest.raises(
        GeoInputError, match=r"no boundary for 1 ward\(s\) \(field 'ward22_code'\): E05000002"
    ):
        read_ward_boundaries(path, wards=WARDS, crs="EPSG:27700")


def test_display_coverage_share():
    display = gpd.GeoSeries(
        [box(0, 0, 2, 1), box(2, 0, 3, 1)], index=["W1", "W2"], crs="EPSG:27700"
    )
    best = gpd.GeoSeries([box(0, 0, 1, 1), box(1, 0, 3, 1)], index=["W1", "W2"], crs="EPSG:27700")
    assert display_coverage(display, best).to_dict() == {"W1": 0.5, "W2": 1.0}
    assert display_coverage(display, best.iloc[:1]).to_dict() == {"W1": 0.5, "W2": 0.0}
