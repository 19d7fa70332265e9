"""LSOA 2001 → 2011 links, shares, derived shapes and tiers carried to LSOA 2001."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from geo.core.errors import GeoInputError, JoinError
from geo.geography.lsoa01 import derive_lsoa01_boundaries, link_shares
from geo.geography.membership import carry_to_lsoa01
from geo.inputs.lsoa01 import lsoa01_authorities, read_lsoa01_lookup
from geo.model.releases import VINTAGES

# 2001 LSOAs: A unchanged; B split into B1, B2; C and D merged into CD; X1, X2 irregular
# into Y1, Y2 (X1 → Y1, Y2; X2 → Y2).
LINKS = [
    ("E0100000A", "E0100000A", "U"),
    ("E0100000B", "E01000B01", "S"),
    ("E0100000B", "E01000B02", "S"),
    ("E0100000C", "E01000CD0", "M"),
    ("E0100000D", "E01000CD0", "M"),
    ("E01000X01", "E01000Y01", "X"),
    ("E01000X01", "E01000Y02", "X"),
    ("E01000X02", "E01000Y02", "X"),
]
POP01 = pd.Series({"E0100000A": 1000, "E0100000B": 2000, "E0100000C": 600, "E0100000D": 400,
                   "E01000X01": 1500, "E01000X02": 500})  # fmt: skip
POP11 = pd.Series({"E0100000A": 1100, "E01000B01": 1500, "E01000B02": 500, "E01000CD0": 1200,
                   "E01000Y01": 1000, "E01000Y02": 1000})  # fmt: skip
# 2011 shapes: unit squares in a row.
SHAPES11 = {"E0100000A": 0, "E01000B01": 1, "E01000B02": 2, "E01000CD0": 3, "E01000Y01": 4,
            "E01000Y02": 5}  # fmt: skip


def _lookup(rows=LINKS):
    return pd.DataFrame(rows, columns=["lsoa01_code", "lsoa11_code", "change_code"])


def _shapes():
    return gpd.GeoDataFrame(
        {"lsoa_code": list(SHAPES11)},
        geometry=[box(x, 0, x + 1, 1) for x in SHAPES11.values()],
        crs="EPSG:27700",
    )


def test_link_shares_by_change():
    links = link_shares(_lookup(), population01=POP01, population11=POP11, source="lk")
    s = links.set_index(["lsoa01_code", "lsoa11_code"])
    assert s.loc[("E0100000A", "E0100000A"), ["share_of_lsoa01", "share_of_lsoa11"]].tolist() == [
        1,
        1,
    ]
    # S: the 2001 LSOA shared by its 2011 parts' population (1500 : 500)
    assert s.loc[("E0100000B", "E01000B01"), "share_of_lsoa01"] == pytest.approx(0.75)
    assert s.loc[("E0100000B", "E01000B02"), "share_of_lsoa11"] == 1
    # M: each 2001 LSOA wholly inside; the 2011 LSOA's people by 2001 population (600 : 400)
    assert s.loc[("E0100000C", "E01000CD0"), "share_of_lsoa01"] == 1
    assert s.loc[("E0100000C", "E01000CD0"), "share_of_lsoa11"] == pytest.approx(0.6)
    # X: Y2's people split 1500 : 500 between X1 and X2; X1 holds Y1 (1000) and 750 of Y2
    assert s.loc[("E01000X01", "E01000Y02"), "share_of_lsoa11"] == pytest.approx(0.75)
    assert s.loc[("E01000X01", "E01000Y01"), "share_of_lsoa01"] == pytest.approx(1000 / 1750)
    assert links.groupby("lsoa01_code")["share_of_lsoa01"].sum().to_numpy() == pytest.approx(1)
    assert links.groupby("lsoa11_code")["share_of_lsoa11"].sum().to_numpy() == pytest.approx(1)


def test_link_shares_need_populations():
    with pytest.raises(
        GeoInputError, match=r"lk: no LSOA 2011 \(mid-2012\) population for E01000Y02"
    ):
        link_shares(
            _lookup(), population01=POP01, population11=POP11.drop("E01000Y02"), source="lk"
        )


def test_derived_shapes_and_methods():
    links = link_shares(_lookup(), population01=POP01, population11=POP11, source="lk")
    out = derive_lsoa01_boundaries(links, _shapes(), source="b").set_index("lsoa_code")
    assert out.loc["E0100000A", "geometry_method"] == "unchanged"
    assert out.loc["E0100000A", "geometry"].equals(box(0, 0, 1, 1))
    assert out.loc["E0100000B", "geometry_method"] == "dissolved"
    assert out.loc["E0100000B", "geometry"].area == pytest.approx(2)
    assert out.loc["E0100000C", "geometry_method"] == "shared"
    assert out.loc["E0100000C", "geometry"].equals(out.loc["E0100000D", "geometry"])
    # X1 holds most of Y1 and Y2: both go to it; X2 holds most of none, so shares Y2's shape
    assert out.loc["E01000X01", "geometry_method"] == "apportioned"
    assert out.loc["E01000X01", "geometry"].area == pytest.approx(2)
    assert out.loc["E01000X02", "geometry_method"] == "shared"
    assert len(out) == 6


def test_derived_shapes_missing_2011_boundary():
    links = link_shares(_lookup(), population01=POP01, population11=POP11, source="lk")
    with pytest.raises(GeoInputError, match=r"b: no boundary for 2011 LSOA\(s\) E01000B02"):
        derive_lsoa01_boundaries(links, _shapes().iloc[[0, 1, 3, 4, 5]], source="b")


def test_authorities_through_the_lookup():
    lk = _lookup().assign(lsoa01_name="n")
    districts = pd.DataFrame(
        {"lsoa11_code": list(SHAPES11), "lad_code": "E08000035", "lad_name": "Leeds"}
    )
    out = lsoa01_authorities(lk, districts, source="lk", districts_source="f1")
    assert len(out) == 6 and set(out["lad_code"]) == {"E08000035"}
    districts.loc[districts["lsoa11_code"] == "E01000B02", "lad_code"] = "E08000036"
    with pytest.raises(
        GeoInputError,
        match=r"lk: LSOA 2001\(s\) linked to 2011 LSOAs of more than one district: E0100000B",
    ):
        lsoa01_authorities(lk, districts, source="lk", districts_source="f1")
    with pytest.raises(
        JoinError, match=r"lk: field 'LSOA11CD' has 2011 LSOA\(s\) not in f1: E0100000A"
    ):
        lsoa01_authorities(lk, districts.iloc[1:], source="lk", districts_source="f1")


def test_read_lookup_rejects_bad_codes(tmp_path):
    path = tmp_path / "lk.csv"
    pd.DataFrame({"LSOA01CD": ["E01000001", "W01000001"], "LSOA01NM": ["a", "b"],
                  "LSOA11CD": ["E01000001", "W01000001"], "LSOA11NM": ["a", "b"],
                  "CHGIND": ["Q", "U"]}).to_csv(path, index=False)  # fmt: skip
    with pytest.raises(
        GeoInputError, match=r"field 'CHGIND' must be one of U/S/M/X; got E01000001→E01000001: 'Q'"
    ):
        read_lsoa01_lookup(str(path))


def test_carry_to_lsoa01_drops_none():
    links = link_shares(_lookup(), population01=POP01, population11=POP11, source="lk")
    wards = {"E0100000A": "W1", "E01000B01": "W1", "E01000B02": "W2", "E01000CD0": "W2",
             "E01000Y01": "W2", "E01000Y02": "W3"}  # fmt: skip
    members = pd.DataFrame({"tier": "ward", "area_code": list(wards.values()), "lsoa_year": 2011,
                            "lsoa_code": list(wards), "share": 1.0})  # fmt: skip
    codes01 = sorted(POP01.index)
    out = carry_to_lsoa01(members, links, codes01)
    assert set(out["lsoa_code"]) == set(codes01)
    assert (out["lsoa_year"] == 2001).all()
    total = out.groupby("lsoa_code")["share"].sum()
    assert total.to_numpy() == pytest.approx(np.ones(len(codes01)))
    b = out.loc[out["lsoa_code"] == "E0100000B"].set_index("area_code")["share"]
    assert b.to_dict() == pytest.approx({"W1": 0.75, "W2": 0.25})
    with pytest.raises(JoinError, match=r"have no 2011 link: E0100000Z"):
        carry_to_lsoa01(members, links, [*codes01, "E0100000Z"])


@pytest.mark.parametrize("vintage", [2004, 2007, 2010])
def test_lsoa01_releases_thresholds_and_deciles(vintage):
    v = VINTAGES[vintage]
    assert v.geography.key == "LSOA01" and v.n_national == 32_482
    assert v.rank_1pct() == 324 and v.rank_10pct() == 3248
    # Published deciles end at ceil(N d / 10): 3249, 6497, ..., 32482
    assert v.decile([1, 3249, 3250, 6497, 6498, 32482]).tolist() == [1, 1, 2, 2, 3, 10]
    assert VINTAGES[2019].decile([3284, 3285]).tolist() == [1, 2]
