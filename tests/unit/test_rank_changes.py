"""Rank-change tables on synthetic national tables, within and across the 2021 LSOA change."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.core.errors import GeoInputError
from geo.geography.crosswalk import build_crosswalk
from geo.statistics.rank_changes import RANK_CHANGE_COLUMNS, build_rank_changes


def table(ranks: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame({"lsoa_code": list(ranks), "imd_rank": list(ranks.values())})


def membership(rows: list[tuple[str, str, str | None]]) -> pd.DataFrame:
    """rows: (geography, code, local name); every LSOA in ward W1 'Middle'."""
    geo, codes, names = zip(*rows, strict=True)
    return pd.DataFrame({"lsoa_geography": geo, "lsoa_code": codes, "ward_code": "W1",
                         "ward_name": "Middle", "local_name": names})  # fmt: skip


# 1% threshold: rank <= 328 of 32,844 (2015, 2019); <= 337 of 33,755 (2025).
M11 = membership([("LSOA11", "A", "Alpha"), ("LSOA11", "B", None), ("LSOA11", "C", None),
                  ("LSOA11", "D", None), ("LSOA11", "E", "Echo")])  # fmt: skip
R2015 = table({"A": 10, "B": 300, "C": 5000, "D": 328, "E": 20000, "OTHER": 1})
R2019 = table({"A": 40, "B": 900, "C": 100, "D": 329, "E": 25000, "OTHER": 2})


def test_same_lsoas_statuses_add_up():
    out = build_rank_changes(R2015, R2019, vintage_from=2015, vintage_to=2019, membership=M11)
    assert list(out.columns) == list(RANK_CHANGE_COLUMNS)
    s = out.set_index("lsoa_code")
    assert s["status"].to_dict() == {
        "A": "remained",
        "C": "moved_in",
        "B": "moved_out",
        "D": "moved_out",
    }
    assert s.loc["C", "rank_change"] == 100 - 5000
    assert s.loc["A", "local_name"] == "Alpha" and pd.isna(s.loc["B", "local_name"])
    counts = out["status"].value_counts()
    n2015, n2019 = 3, 2  # A, B, D in 2015; A, C in 2019 (OTHER is another authority)
    assert counts["remained"] + counts["moved_out"] == n2015
    assert counts["remained"] + counts["moved_in"] == n2019
    assert set(out["change_type"]) == {"U"}


def test_wording_is_relative():
    out = build_rank_changes(R2015, R2019, vintage_from=2015, vintage_to=2019, membership=M11)
    s = out.set_index("lsoa_code")
    assert s.loc["C", "status_text"] == "moved into the most deprived 1% of LSOAs in England"
    assert s.loc["B", "status_text"] == "moved out of the most deprived 1% of LSOAs in England"
    assert s.loc["C", "relative_change"] == (
        "moved 4,900 places towards the most deprived end of the national ranking"
    )
    text = " ".join(out[["status_text", "relative_change", "change_note"]].to_numpy().ravel())
    assert "increase" not in text and "worse" not in text


# Across 2011 -> 2021: A unchanged; B split into B1, B2; C1 + C2 merged into C; X1 -> X3, X4.
CHANGES = pd.DataFrame(
    [("A", "A", "U"), ("B", "B1", "S"), ("B", "B2", "S"), ("C1", "C", "M"), ("C2", "C", "M"),
     ("X1", "X3", "X"), ("X1", "X4", "X")],
    columns=["lsoa11_code", "lsoa21_code", "change_code"],
)  # fmt: skip
C11, C21 = ["A", "B", "C1", "C2", "X1"], ["A", "B1", "B2", "C", "X3", "X4"]
M = membership([*(("LSOA11", c, "Bravo" if c == "B" else None) for c in C11),
                *(("LSOA21", c, None) for c in C21)])  # fmt: skip
R19 = table({"A": 5000, "B": 100, "C1": 200, "C2": 9000, "X1": 50})
R25 = table({"A": 300, "B1": 20, "B2": 8000, "C": 337, "X3": 4000, "X4": 40})


def crosswalk() -> pd.DataFrame:
    pop11 = pd.Series(1000.0, index=C11)
    pop21 = pd.Series(1000.0, index=C21)
    return build_crosswalk(CHANGES, lsoa11=C11, lsoa21=C21, population11=pop11, population21=pop21)


def test_across_the_2021_change_nothing_is_dropped():
    out = build_rank_changes(
        R19, R25, vintage_from=2019, vintage_to=2025, membership=M, crosswalk=crosswalk()
    )
    got = {(r.lsoa_code_from, r.lsoa_code): (r.status, r.change_type) for r in out.itertuples()}
    assert got == {
        ("A", "A"): ("moved_in", "U"),
        ("B", "B1"): ("remained", "S"),
        ("B", "B2"): ("moved_out", "S"),  # each part of a split LSOA compared with the whole
        ("C1", "C"): ("remained", "M"),
        ("C2", "C"): ("moved_in", "M"),  # the merged LSOA compared with each 2011 LSOA
        ("X1", "X3"): ("moved_out", "X"),
        ("X1", "X4"): ("remained", "X"),
    }
    s = out.set_index(["lsoa_code_from", "lsoa_code"])
    assert s.loc[("B", "B2"), "local_name"] == "Bravo"
    assert "split in 2021" in s.loc[("B", "B1"), "change_note"]
    assert s.loc[("C2", "C"), "change_note"].startswith("C1 and C2 were merged into C")
    assert "compare with care" in s.loc[("X1", "X4"), "change_note"]
    assert s.loc[("C1", "C"), ["percentile_from", "percentile_to"]].tolist() == [1, 1]


def test_split_part_missing_from_the_imd_table_names_it():
    with pytest.raises(
        GeoInputError,
        match=r"IoD2025 table has no IMD rank for B2; needed for the link\(s\) B → B2 \(S\)",
    ):
        build_rank_changes(R19, R25.loc[R25["lsoa_code"] != "B2"], vintage_from=2019, vintage_to=2025,
                           membership=M, crosswalk=crosswalk())  # fmt: skip


def test_merged_part_missing_from_the_imd_table_names_it():
    with pytest.raises(
        GeoInputError,
        match=r"IoD2019 table has no IMD rank for C2; needed for the link\(s\) C2 → C \(M\)",
    ):
        build_rank_changes(R19.loc[R19["lsoa_code"] != "C2"], R25, vintage_from=2019, vintage_to=2025,
                           membership=M, crosswalk=crosswalk())  # fmt: skip


def test_irregular_part_missing_from_the_imd_table_names_it():
    with pytest.raises(
        GeoInputError, match=r"no IMD rank for X4; needed for the link\(s\) X1 → X4 \(X\)"
    ):
        build_rank_changes(R19, R25.loc[R25["lsoa_code"] != "X4"], vintage_from=2019, vintage_to=2025,
                           membership=M, crosswalk=crosswalk())  # fmt: skip


def test_other_threshold():
    out = build_rank_changes(
        R2015, R2019, vintage_from=2015, vintage_to=2019, membership=M11, percent=10
    )
    assert out["status_text"].str.contains("most deprived 10%").all()
    assert set(out["lsoa_code"]) == {"A", "B", "C", "D"}  # E (20,000+) is outside the 10%
