"""What stands out and the changes between releases: ranking, numbers, relative wording."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from geo.model.domains import DOMAINS
from geo.model.releases import OFFICIAL, VINTAGES
from geo.presentation.profiles import changes as ch
from geo.presentation.profiles import standout as so
from geo.statistics.facts import lsoa_changes

# Absolute wording the profiles must never use: the indices are relative.
ABSOLUTE = re.compile(
    r"deprivation (increased|decreased|rose|fell|grew|worsened|improved)|"
    r"(more|less) deprivation|got (worse|better)|\bworse\b|\bimproved\b",
    re.IGNORECASE,
)


def _row(shares: dict[str, float], ranks: dict[str, float]) -> dict[str, float]:
    row: dict[str, float] = {}
    for d in DOMAINS:
        row[f"{d.stem}_proportion_10pct"] = shares.get(d.stem, 0.0)
        row[f"{d.stem}_average_rank"] = ranks.get(d.stem, 10_000.0)
    return row


CITY = _row({"crime": 0.20, "income": 0.15, "health": 0.10}, {})


def test_standouts_ranked_by_share_gap_then_rank_gap():
    area = _row(
        {"crime": 0.60, "income": 0.40, "health": 0.10}, {"health": 14_000.0, "barriers": 12_000.0}
    )
    gaps = so.domain_gaps(area, CITY, vintage=2025)
    top = so.standouts(gaps, limit=3)
    # crime +40 points, income +25 points, then health (0 points but +4,000 ranks) above barriers
    assert [g.domain.stem for g in top] == ["crime", "income", "health"]
    assert top[0].share_gap == pytest.approx(40.0)
    assert top[2].rank_gap == pytest.approx(4_000.0)


def test_standouts_limit_and_only_more_deprived():
    area = _row({"crime": 0.25}, {"crime": 9_000.0})
    top = so.standouts(so.domain_gaps(area, CITY, vintage=2025), limit=5)
    assert [g.domain.stem for g in top] == ["crime"]  # others: same share, lower average rank


def test_standout_sentence_has_the_numbers_and_relative_wording():
    area = _row({"crime": 0.643}, {"crime": 30_743.0})
    city = _row({"crime": 0.28}, {"crime": 22_220.0})
    (gap,) = so.standouts(so.domain_gaps(area, city, vintage=2025), limit=1)
    text = so.standout_sentence(gap, city_name="Leeds")
    assert text == (
        "Crime: 64% of its LSOAs are in the most deprived 10% nationally on this domain, against "
        "28% across Leeds (36 percentage points more); average rank 30,743 against 22,220."
    )
    assert not ABSOLUTE.search(text)


def test_nothing_stands_out_names_the_closest_domain():
    area = _row({}, {d.stem: 8_000.0 for d in DOMAINS} | {"barriers": 9_500.0})
    gaps = so.domain_gaps(area, CITY, vintage=2025)
    assert so.standouts(gaps) == []
    text = so.none_stand_out_sentence(gaps, area_name="Adel", city_name="Leeds")
    assert "On none of the seven domains does Adel rank as more deprived than Leeds" in text
    assert (
        "Closest to the city: Barriers to Housing and Services (average rank 9,500 against 10,000)"
        in text
    )


def test_overall_sentence():
    text = so.overall_sentence(
        {"imd_proportion_10pct": 0.5},
        {"imd_proportion_10pct": 0.172},
        vintage=2025,
        city_name="Leeds",
        national_share=0.1,
    )
    assert text == (
        "Overall (IMD, IoD2025): 50% of its LSOAs are in the most deprived 10% nationally, "
        "against 17% across Leeds and 10% in England, by definition."
    )


def snap(
    vintage: int, lsoas: float, in10: float, in1: float = 0, rank: float | None = None
) -> ch.Snapshot:
    n = 32_844 if vintage < 2025 else 33_755
    return ch.Snapshot(vintage, lsoas, in10, in1, rank, n)


@pytest.mark.parametrize(("before", "after", "phrase"), [
    (6, 7, "a larger share than in IoD2015 (43%)"),
    (7, 6, "a smaller share than in IoD2015 (50%)"),
    (7, 7, "the same share as in IoD2015"),
])  # fmt: skip
def test_share_sentence(before, after, phrase):
    text = ch.share_sentence(snap(2015, 14, before), snap(2019, 14, after))
    assert phrase in text
    assert text.startswith(
        f"In IoD2019, {100 * after / 14:.0f}% of its LSOAs ({after} of 14) are in the most deprived 10% nationally"
    )
    assert not ABSOLUTE.search(text)


def test_share_sentence_one_percent():
    text = ch.share_sentence(snap(2019, 14, 7, 2), snap(2025, 14, 7, 0))
    assert text.endswith("None of its LSOAs is in the most deprived 1%, against 2 in IoD2019.")


def test_average_rank_sentence_is_relative():
    # reversed average ranks: larger = more deprived. 32,845 - 28,543 = 4,302 -> 13.1%
    text = ch.average_rank_sentence(
        snap(2019, 14, 7, rank=28_543.0), snap(2025, 14, 7, rank=28_125.0)
    )
    assert text is not None
    assert "among the most deprived 17% of England" in text
    assert "further from the most deprived end than in IoD2019 (14%)" in text  # 13.1% rounded up
    assert not ABSOLUTE.search(text)


def test_average_rank_sentence_never_says_the_most_deprived_0_percent():
    # An average rank near the deprived end (32,845 - 32,800 = 45 of 32,844: 0.14%).
    text = ch.average_rank_sentence(
        snap(2019, 1, 1, rank=32_800.0), snap(2025, 1, 1, rank=33_700.0)
    )
    assert text is not None
    assert " 0%" not in text
    assert "among the most deprived 1% of England" in text


def test_lsoa_moves_across_thresholds_and_the_2021_change():
    before = pd.DataFrame({"lsoa_code": ["A", "B", "C", "D", "P", "X1", "X2"],
                           "imd_rank": [3_400, 2_600, 200, 5_000, 500, 60, 70]})  # fmt: skip
    after = pd.DataFrame({"lsoa_code": ["A", "B", "C", "D", "Q", "M"],
                          "imd_rank": [3_130, 3_758, 1_461, 5_100, 100, 50]})  # fmt: skip
    crosswalk = pd.DataFrame({
        "lsoa11_code": ["A", "B", "C", "D", "P", "X1", "X2"],
        "lsoa21_code": ["A", "B", "C", "D", "Q", "M", "M"],
        "change_code": ["U", "U", "U", "U", "S", "M", "M"],
    })  # fmt: skip
    changes = lsoa_changes({2019: before, 2025: after}, crosswalk=crosswalk, thresholds=OFFICIAL)
    moves, skipped = ch.lsoa_moves(
        changes, vintages=(2019, 2025), codes=["A", "B", "C", "D", "Q", "M"]
    )
    # floor(N x 1%) and floor(N x 10%) of the 32,844 and 33,755 LSOAs ranked in England.
    assert VINTAGES[2019].thresholds() == (328, 3_284)
    assert VINTAGES[2025].thresholds() == (337, 3_375)
    kinds = {m.code: m.kind for m in moves}
    assert kinds == {"Q": "into_1pct", "A": "into_10pct", "B": "out_of_10pct", "C": "out_of_1pct"}
    assert skipped == ["M"]  # merged: no single predecessor
    text = " ".join(
        ch.move_sentences(moves, vintage_before=2019, vintage_after=2025, skipped=1, redrawn=True)
    )
    assert "Moved into the most deprived 10% nationally: A (rank 3,400 to 3,130)." in text
    assert (
        "Moved out of the most deprived 10% nationally (others now rank as more deprived): B"
        in text
    )
    assert "1 LSOA was redrawn in 2021" in text
    assert not ABSOLUTE.search(text)


def test_no_moves_sentence():
    text = ch.move_sentences([], vintage_before=2015, vintage_after=2019)
    assert text == [
        "None of its LSOAs moved into or out of the most deprived 10% or 1% nationally between IoD2015 and IoD2019."
    ]
