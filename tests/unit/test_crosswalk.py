"""LSOA 2011 ↔ 2021 crosswalk: U/S/M/X links with population shares, never dropped."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo.core.errors import GeoInputError, JoinError
from geo.geography.crosswalk import build_crosswalk, link_lsoas, map_members, read_lsoa_changes

# A unchanged; B split into B1, B2; C1 + C2 merged into C; X1 and X2 irregular into X3, X4.
CHANGES = pd.DataFrame(
    [
        ("A", "A", "U"), ("B", "B1", "S"), ("B", "B2", "S"), ("C1", "C", "M"), ("C2", "C", "M"),
        ("X1", "X3", "X"), ("X1", "X4", "X"), ("X2", "X4", "X"),
        ("Q", "Q", "U"),  # another authority
    ],
    columns=["lsoa11_code", "lsoa21_code", "change_code"],
)  # fmt: skip
POP11 = pd.Series({"A": 1, "B": 1, "C1": 100.0, "C2": 300.0, "X1": 200.0, "X2": 600.0})
POP21 = pd.Series({"A": 1, "B1": 250.0, "B2": 750.0, "C": 1, "X3": 100.0, "X4": 300.0})
CODES11 = ["A", "B", "C1", "C2", "X1", "X2"]
CODES21 = ["A", "B1", "B2", "C", "X3", "X4"]


def crosswalk() -> pd.DataFrame:
    return build_crosswalk(
        CHANGES, lsoa11=CODES11, lsoa21=CODES21, population11=POP11, population21=POP21
    )


def test_shares_by_change_code():
    cw = crosswalk().set_index(["lsoa11_code", "lsoa21_code"])
    assert len(cw) == 8  # Q, of another authority, is not linked
    assert cw.loc[("A", "A"), ["share_of_lsoa11", "share_of_lsoa21"]].tolist() == [1, 1]
    assert cw.loc[("B", "B1"), "share_of_lsoa11"] == pytest.approx(0.25)
    assert cw.loc[("B", "B2"), ["share_of_lsoa11", "share_of_lsoa21"]].tolist() == [0.75, 1]
    assert cw.loc[("C1", "C"), ["share_of_lsoa11", "share_of_lsoa21"]].tolist() == [1, 0.25]
    assert cw.loc[("X1", "X3"), "share_of_lsoa11"] == pytest.approx(0.25)
    assert cw.loc[("X2", "X4"), "share_of_lsoa21"] == pytest.approx(0.75)


def test_split_part_without_population_names_part_and_parent():
    with pytest.raises(GeoInputError, match=r"no population for 1 part\(s\) B2 of B\b"):
        build_crosswalk(CHANGES, lsoa11=CODES11, lsoa21=CODES21, population11=POP11,
                        population21=POP21.drop("B2"))  # fmt: skip


def test_merged_part_without_population_names_it():
    with pytest.raises(GeoInputError, match=r"no population for 1 part\(s\) C2 of C\b"):
        build_crosswalk(CHANGES, lsoa11=CODES11, lsoa21=CODES21, population11=POP11.drop("C2"),
                        population21=POP21)  # fmt: skip


def test_authority_lsoa_missing_from_the_lookup():
    with pytest.raises(JoinError, match=r"no row for 1 LSOA 2021 code\(s\) of the authority: Z9"):
        build_crosswalk(CHANGES, lsoa11=CODES11, lsoa21=[*CODES21, "Z9"], population11=POP11,
                        population21=POP21)  # fmt: skip


def test_map_members_both_ways():
    cw = crosswalk()
    area = pd.DataFrame({"area_code": "P", "lsoa_code": ["B", "C1"], "share": 1.0})
    to21 = map_members(area, cw, from_year=2011, to_year=2021).set_index("lsoa_code")["share"]
    assert to21.to_dict() == {"B1": 1.0, "B2": 1.0, "C": 0.25}
    back = pd.DataFrame({"area_code": "P", "lsoa_code": ["B2", "C"], "share": 1.0})
    to11 = map_members(back, cw, from_year=2021, to_year=2011).set_index("lsoa_code")["share"]
    assert to11.to_dict() == {"B": 0.75, "C1": 1.0, "C2": 1.0}
    with pytest.raises(JoinError, match="no link for NOPE"):
        map_members(pd.DataFrame({"area_code": "P", "lsoa_code": ["NOPE"], "share": 1.0}), cw,
                    from_year=2011, to_year=2021)  # fmt: skip


def test_read_lsoa_changes_rejects_unknown_codes(tmp_path: Path):
    path = tmp_path / "lk.csv"
    CHANGES.assign(change_code=["U", "S", "S", "M", "M", "X", "X", "Z", "U"]).to_csv(
        path, index=False
    )
    with pytest.raises(
        GeoInputError, match=r"'change_code' must be one of U/S/M/X; got X2→X4: 'Z'"
    ):
        read_lsoa_changes(str(path))


def pairs(links: pd.DataFrame) -> list[tuple[str, str, str]]:
    return [tuple(r) for r in links[["lsoa_code_from", "lsoa_code", "change_code"]].to_numpy()]


def test_link_lsoas_on_one_geography_links_each_lsoa_to_itself():
    links = link_lsoas(["A", "B"], ["B", "A"], None, year_from=2011, year_to=2011)
    assert pairs(links) == [("A", "A", "U"), ("B", "B", "U")]


def test_link_lsoas_across_the_2021_change_either_or_both_ends():
    cw = crosswalk()
    either = link_lsoas(["B"], ["C"], cw, year_from=2011, year_to=2021)
    assert pairs(either) == [("B", "B1", "S"), ("B", "B2", "S"), ("C1", "C", "M"), ("C2", "C", "M")]
    both = link_lsoas(["B", "C1"], ["B1", "C"], cw, year_from=2011, year_to=2021, both_ends=True)
    assert pairs(both) == [("B", "B1", "S"), ("C1", "C", "M")]
    back = link_lsoas(["C"], ["C1"], cw, year_from=2021, year_to=2011, both_ends=True)
    assert pairs(back) == [("C", "C1", "M")]


def test_link_lsoas_names_an_lsoa_without_a_link():
    with pytest.raises(
        GeoInputError, match=r"t: 1 LSOA 2011\(s\) of the authority have no LSOA 2021 link: Z9"
    ):
        link_lsoas(["A", "Z9"], ["A"], crosswalk(), year_from=2011, year_to=2021, source="t")
    with pytest.raises(ValueError, match="need the crosswalk"):
        link_lsoas(["A"], ["A"], None, year_from=2011, year_to=2021)
