"""Facts: LSOA changes between releases and areas' ranks within their tier."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.model.releases import OFFICIAL, Thresholds
from geo.model.tiers import core_registry
from geo.statistics.facts import area_ranks, classify_move, lsoa_changes, position

ONE_TEN = ((328, 3284), (337, 3375))


@pytest.mark.parametrize(
    ("ranks", "expected"),
    [((400, 300), "into_1pct"), ((3400, 3200), "into_10pct"), ((3000, 3500), "out_of_10pct"),
     ((300, 340), "out_of_1pct"), ((300, 4000), "out_of_10pct"), ((10, 20), None),
     ((5000, 4000), None)],
)  # fmt: skip
def test_classify_move(ranks: tuple[int, int], expected: str | None) -> None:
    assert classify_move(*ranks, before=ONE_TEN[0], after=ONE_TEN[1]) == expected


def test_same_geography_changes_are_lsoa_by_lsoa() -> None:
    a = pd.DataFrame({"lsoa_code": ["E1", "E2"], "imd_rank": [400, 5000]})
    b = pd.DataFrame({"lsoa_code": ["E1", "E2"], "imd_rank": [300, 5100]})
    out = lsoa_changes({2015: a, 2019: b}, crosswalk=None, thresholds=OFFICIAL)
    assert out["rank_change"].tolist() == [-100, 100]
    assert out["move"].tolist() == ["into_1pct", None]
    assert (out["change_code"] == "U").all()


def test_configured_thresholds_move_the_line() -> None:
    a = pd.DataFrame({"lsoa_code": ["E1"], "imd_rank": [700]})
    b = pd.DataFrame({"lsoa_code": ["E1"], "imd_rank": [600]})
    two = Thresholds(2, 10)
    assert lsoa_changes({2015: a, 2019: b}, crosswalk=None, thresholds=two)["move"].tolist() == [
        "into_1pct"
    ]
    assert lsoa_changes({2015: a, 2019: b}, crosswalk=None, thresholds=OFFICIAL)[
        "move"
    ].tolist() == [None]


def test_merged_lsoas_are_not_compared_one_to_one() -> None:
    a = pd.DataFrame({"lsoa_code": ["A", "B", "C"], "imd_rank": [100, 200, 300]})
    b = pd.DataFrame({"lsoa_code": ["S1", "S2", "M"], "imd_rank": [150, 120, 250]})
    crosswalk = pd.DataFrame({"lsoa11_code": ["A", "A", "B", "C"],
                              "lsoa21_code": ["S1", "S2", "M", "M"],
                              "change_code": ["S", "S", "M", "M"]})  # fmt: skip
    out = lsoa_changes({2019: a, 2025: b}, crosswalk=crosswalk, thresholds=OFFICIAL)
    got = out.set_index("lsoa_code")
    assert got.at["S1", "lsoa_code_from"] == "A"
    assert got.at["S2", "rank_change"] == 20
    assert pd.isna(got.at["M", "lsoa_code_from"])
    assert pd.isna(got.at["M", "rank_change"])
    assert got.at["M", "change_code"] == "M"


def test_area_ranks_share_ties_and_skip_the_city() -> None:
    summaries = {
        "city": pd.DataFrame({"area_code": ["X"], "vintage": [2019], "imd_average_score": [20.0]}),
        "ward": pd.DataFrame(
            {
                "area_code": ["W1", "W2", "W3"],
                "vintage": [2019] * 3,
                "imd_average_score": [30.0, 30.0, 10.0],
            }
        ),
    }
    ranks = area_ranks(summaries, tiers=core_registry())
    assert set(ranks["tier"]) == {"ward"}
    assert position(ranks, "ward", "W3", 2019) == (3, 3)
    assert position(ranks, "ward", "W2", 2019) == (1, 3)
    assert position(ranks, "city", "X", 2019) is None


def test_standouts_table_holds_every_domain_in_order() -> None:
    from geo.model.domains import DOMAINS
    from geo.statistics.facts import area_standouts, gaps_from_table, standouts

    def row(code: str, share: float, rank: float) -> dict[str, object]:
        out: dict[str, object] = {"area_code": code, "vintage": 2019}
        for i, d in enumerate(DOMAINS):
            out[f"{d.stem}_proportion_10pct"] = share * (i + 1) / len(DOMAINS)
            out[f"{d.stem}_average_rank"] = rank + i
        return out

    summaries = {
        "city": pd.DataFrame([row("X", 0.1, 15000)]),
        "ward": pd.DataFrame([row("W1", 0.5, 20000), row("W2", 0.0, 10000)]),
    }
    table = area_standouts(summaries, tiers=core_registry())
    assert len(table) == 2 * len(DOMAINS)
    w1 = gaps_from_table(table, "ward", "W1", 2019)
    assert [g.domain for g in w1] == list(reversed(DOMAINS))  # largest share gap first
    assert all(g.more_deprived for g in w1)
    assert standouts(gaps_from_table(table, "ward", "W2", 2019)) == []
    assert table.loc[table["area_code"] == "W1", "order"].tolist() == list(
        range(1, len(DOMAINS) + 1)
    )
