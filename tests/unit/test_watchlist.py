import pandas as pd
import pytest

from geo.core.errors import GeoInputError
from geo.statistics.watchlist import (
    COLUMNS,
    WatchlistRules,
    area_movers,
    build_watchlist,
    near_thresholds,
    rank_worsened,
)

RULES = WatchlistRules(
    threshold_margin_ranks={"most_deprived_1pct": 10, "most_deprived_10pct": 50},
    rank_worsened_by=1000,
    top_areas=2,
)
BANNED = ("deprivation increased", "deprivation rose", "more deprived than before")


def lsoas(ranks, prefix="E"):
    return pd.DataFrame({
        "lsoa_code": [f"{prefix}{i}" for i in range(len(ranks))],
        "lsoa_name": [f"Place {i}" for i in range(len(ranks))],
        "imd_rank": ranks,
    })  # fmt: skip


def test_threshold_margin_is_inclusive_on_both_sides():
    # 2019: T1 = 328, T10 = 3,284 (N = 32,844).
    ranks = [317, 318, 328, 329, 338, 339, 3233, 3234, 3334, 3335]
    out = near_thresholds(lsoas(ranks), vintage=2019, rules=RULES, source="t")
    one = out.loc[out["kind"] == "near_national_1pct"]
    ten = out.loc[out["kind"] == "near_national_10pct"]
    assert one["value"].tolist() == [318, 328, 329, 338]
    assert ten["value"].tolist() == [3234, 3334]
    assert set(one["threshold_rank"]) == {328} and set(ten["threshold_rank"]) == {3284}
    reasons = dict(zip(one["value"], one["reason"], strict=True))
    assert (
        "inside the national most deprived 1% (ranks 1–328), 10 ranks from its threshold"
        in reasons[318]
    )
    assert (
        "inside the national most deprived 1% (ranks 1–328), at its threshold rank" in reasons[328]
    )
    assert (
        "outside the national most deprived 1% (ranks 1–328), 1 rank from its threshold"
        in reasons[329]
    )


def test_2025_thresholds_use_33755_lsoas():
    out = near_thresholds(lsoas([337, 338, 347, 348]), vintage=2025, rules=RULES, source="t")
    assert out.loc[out["kind"] == "near_national_1pct", "value"].tolist() == [337, 338, 347]
    assert out["reason"].str.contains("of 33,755").all()


def test_rank_worsened_same_geography_needs_more_than_the_margin():
    before = lsoas([5000, 5000, 5000, 1000])
    after = lsoas([3999, 4000, 6000, 10])
    out = rank_worsened(before, after, vintages=(2015, 2019), lookup=None, rules=RULES, source="t")
    assert out["code"].tolist() == ["E0"]  # 1,001 ranks; exactly 1,000 is not "more than"
    assert out["change"].tolist() == [-1001]
    assert (
        "1,001 ranks nearer the most deprived end relative to all LSOAs in England"
        in out["reason"].iloc[0]
    )


def test_rank_worsened_across_the_2021_lsoa_changes():
    before = pd.DataFrame({"lsoa_code": ["A", "B", "C", "D", "X"], "lsoa_name": "n",
                           "imd_rank": [10000, 20000, 9000, 30000, 20000]})  # fmt: skip
    after = pd.DataFrame({"lsoa_code": ["A", "B1", "B2", "CD", "X1"], "lsoa_name": "n",
                          "imd_rank": [9000, 18000, 19500, 7000, 100]})  # fmt: skip
    lookup = pd.DataFrame({
        "lsoa11_code": ["A", "B", "B", "C", "D", "X"],
        "lsoa21_code": ["A", "B1", "B2", "CD", "CD", "X1"],
        "change_code": ["U", "S", "S", "M", "M", "X"],
    })  # fmt: skip
    out = rank_worsened(
        before, after, vintages=(2019, 2025), lookup=lookup, rules=RULES, source="t"
    )
    scale = 33755 / 32844
    # A: 10,000 → 10,277 on the 2025 scale, now 9,000: 1,277 nearer; B1: 20,555 → 18,000;
    # B2: 20,555 → 19,500 (1,055); CD compared with C (9,000 → 9,250), now 7,000; X excluded.
    assert out["code"].tolist() == ["A", "B1", "B2", "CD"]
    assert out["change"].tolist() == [
        round(9000 - 10000 * scale),
        round(18000 - 20000 * scale),
        round(19500 - 20000 * scale),
        round(7000 - 9000 * scale),
    ]
    cd = out.set_index("code").loc["CD"]
    assert cd["compared_with"] == "C D" and cd["value_from"] == 9000
    assert "merged from C (rank 9,000 of 32,844), D (rank 30,000 of 32,844)" in cd["reason"]
    with_x = WatchlistRules(
        threshold_margin_ranks={}, rank_worsened_by=1000, change_codes=("U", "X")
    )
    out_x = rank_worsened(
        before, after, vintages=(2019, 2025), lookup=lookup, rules=with_x, source="t"
    )
    assert out_x["code"].tolist() == ["A", "X1"]


def test_an_lsoa21_without_a_link_is_an_error():
    lookup = pd.DataFrame({"lsoa11_code": ["E0"], "lsoa21_code": ["E0"], "change_code": ["U"]})
    with pytest.raises(
        GeoInputError, match=r"1 LSOA 2021\(s\) of the authority have no LSOA 2011 link: F1"
    ):
        rank_worsened(lsoas([5]), pd.DataFrame({"lsoa_code": ["E0", "F1"], "lsoa_name": "n",
                                                "imd_rank": [5, 6]}),
                      vintages=(2019, 2025), lookup=lookup, rules=RULES, source="t")  # fmt: skip


def summaries():
    rows = []
    for code, p19, p25, r19, r25 in [
        ("W1", 0.10, 0.30, 20000, 22000),
        ("W2", 0.20, 0.25, 20000, 20000),
        ("W3", 0.30, 0.35, 20000, 23000),
        ("W4", 0.40, 0.20, 20000, 19000),
    ]:
        rows += [{"vintage": 2019, "area_code": code, "area_name": f"Ward {code}",
                  "imd_proportion_10pct": p19, "imd_average_rank": r19},
                 {"vintage": 2025, "area_code": code, "area_name": f"Ward {code}",
                  "imd_proportion_10pct": p25, "imd_average_rank": r25}]  # fmt: skip
    return pd.DataFrame(rows)


def test_area_movers_lists_the_largest_moves_towards_more_deprived_with_ties():
    rules = WatchlistRules(threshold_margin_ranks={}, rank_worsened_by=0, tiers=("ward",),
                           area_measures=("imd_proportion_10pct", "imd_average_rank"), top_areas=2)  # fmt: skip
    out = area_movers({"ward": summaries()}, vintages=[2019, 2025], rules=rules)
    share = out.loc[out["measure"] == "imd_proportion_10pct"]
    assert share["code"].tolist() == ["W1", "W2", "W3"]  # +20 points, then a tie at +5
    assert share["change"].round(6).tolist() == [0.2, 0.05, 0.05]
    assert (
        "10.0% (IoD2019) → 30.0% (IoD2025), +20.0 points; the largest move"
        in share["reason"].iloc[0]
    )
    assert "of the 4 wards" in share["reason"].iloc[0]
    assert "; the 2nd largest move" in share["reason"].iloc[1]
    rank = out.loc[out["measure"] == "imd_average_rank"]
    # Rescaled: 20,000 x 33,755 / 32,844 = 20,555; only W3 (23,000) and W1 (22,000) moved up.
    assert rank["code"].tolist() == ["W3", "W1"]


def test_build_watchlist_columns_wards_and_relative_wording():
    layers = {2019: lsoas([320, 20000]), 2025: lsoas([330, 5000])}
    lookup = pd.DataFrame(
        {"lsoa11_code": ["E0", "E1"], "lsoa21_code": ["E0", "E1"], "change_code": "U"}
    )
    wards = pd.DataFrame({"geography": ["LSOA11", "LSOA21", "LSOA21"], "lsoa_code": ["E0", "E0", "E1"],
                          "ward_code": ["W1", "W1", "W2"], "ward_name": ["One", "One", "Two"]})  # fmt: skip
    names = pd.DataFrame({"lsoa_code": ["E0"], "local_name": ["The Estate"]})
    rules = WatchlistRules(threshold_margin_ranks={"most_deprived_1pct": 10}, rank_worsened_by=1000,
                           tiers=("ward",), area_measures=("imd_proportion_10pct",))  # fmt: skip
    out = build_watchlist(layers, rules=rules, lookup=lookup, summaries={"ward": summaries()},
                          wards=wards, local_names=names)  # fmt: skip
    assert tuple(out.columns) == COLUMNS
    assert out["kind"].tolist()[:3] == ["near_national_1pct", "near_national_1pct", "rank_worsened"]
    near = out.loc[out["kind"] == "near_national_1pct"].set_index("vintage")
    assert near.loc[2019, "ward_name"] == "One" and near.loc[2019, "local_name"] == "The Estate"
    worse = out.loc[out["kind"] == "rank_worsened"].iloc[0]
    assert (worse["code"], worse["ward_code"], worse["vintage_from"], worse["vintage"]) == (
        "E1",
        "W2",
        2019,
        2025,
    )
    moved = out.loc[out["kind"] == "area_moved"]
    assert (moved["ward_code"] == moved["code"]).all()
    assert not out["reason"].str.lower().str.contains("|".join(BANNED)).any()


def test_rules_from_config_are_checked():
    base = {"threshold_margin_ranks": {"most_deprived_1pct": 5}, "rank_worsened_by": 10,
            "change_codes": ["U"], "indices": ["imd"], "tiers": ["ward"],
            "area_measures": ["imd_extent"], "top_areas": 1}  # fmt: skip
    thresholds = {"most_deprived_1pct": 1, "most_deprived_10pct": 10}
    assert WatchlistRules.from_config(base, thresholds).threshold_margin_ranks == {
        "most_deprived_1pct": 5
    }
    with pytest.raises(GeoInputError, match=r"\['most_deprived_5pct'\] are not thresholds"):
        WatchlistRules.from_config(
            base | {"threshold_margin_ranks": {"most_deprived_5pct": 5}}, thresholds
        )
    with pytest.raises(
        GeoInputError, match=r"\['imd_average_score'\] are not comparable across vintages"
    ):
        WatchlistRules.from_config(base | {"area_measures": ["imd_average_score"]}, thresholds)
