"""Issue 6 (data half) on the real data: indicators aggregated to tiers, and the watchlist.

Each expectation is recomputed here from the published LSOA tables
(``data/processed/lsoa_imd_<vintage>.csv``), the membership CSV and the ONS lookup, without
the package's watchlist or aggregation code.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import yaml
from _pipeline import MIRROR

pytestmark = pytest.mark.integration

N = {2004: 32_482, 2010: 32_482, 2015: 32_844, 2019: 32_844, 2025: 33_755}
CODE = {2004: "LSOA01CD", 2010: "LSOA01CD", 2015: "LSOA11CD", 2019: "LSOA11CD", 2025: "LSOA21CD"}


def settings(repo: Path) -> dict:
    config = yaml.safe_load((repo / "config.yaml").read_text())
    return {"thresholds": config["thresholds"], **config["watchlist"]}


def imd(repo: Path, vintage: int) -> pd.Series:
    df = pd.read_csv(repo / f"data/processed/lsoa_imd_{vintage}.csv")
    return df.set_index(CODE[vintage])["imd_rank"]


def watchlist(repo: Path) -> pd.DataFrame:
    return pd.read_csv(repo / "data/processed/watchlist.csv", dtype={"code": "string"})


@pytest.mark.parametrize("vintage", [2019, 2015, 2025, 2010, 2004])
def test_threshold_watchlist_holds_exactly_the_lsoas_the_rule_selects(
    built_repo: Path, vintage: int
):
    s = settings(built_repo)
    ranks = imd(built_repo, vintage)
    w = watchlist(built_repo)
    for key, margin in s["threshold_margin_ranks"].items():
        percent = s["thresholds"][key]
        t = math.floor(N[vintage] * percent / 100)
        expected = set(ranks.index[(ranks - t).abs() <= margin])
        rows = w.loc[(w["kind"] == f"near_national_{percent:g}pct") & (w["vintage"] == vintage)]
        assert set(rows["code"]) == expected, key
        assert len(rows) == len(expected)
        assert (rows["threshold_rank"] == t).all()
        assert (rows["value"] == rows["code"].map(ranks)).all()
    if vintage == 2019:  # Leeds, defaults: 2 inside + 5 outside of 328 ± 100; 8 + 5 of 3,284 ± 300
        assert len(w.loc[(w["vintage"] == 2019) & w["kind"].str.startswith("near")]) == 20


def test_rank_worsened_2015_to_2019_matches_the_rule(built_repo: Path):
    s = settings(built_repo)
    before, after = imd(built_repo, 2015), imd(built_repo, 2019)
    moved = before - after.reindex(before.index)
    expected = set(moved.index[moved > s["rank_worsened_by"]])
    w = watchlist(built_repo)
    rows = w.loc[(w["kind"] == "rank_worsened") & (w["vintage"] == 2019)]
    assert set(rows["code"]) == expected
    assert len(expected) > 0
    assert (rows["change"] == -rows["code"].map(moved)).all()


def test_rank_worsened_2019_to_2025_through_the_lsoa_lookup(built_repo: Path):
    s = settings(built_repo)
    before, after = imd(built_repo, 2019), imd(built_repo, 2025)
    lookup = pd.read_csv(MIRROR / "lookups/lookup_lsoa11_lsoa21_ltla22.csv")
    lookup = lookup.loc[
        lookup["lsoa21_code"].isin(after.index) & lookup["change_code"].isin(s["change_codes"])
    ]
    lookup = lookup.assign(rank_before=lookup["lsoa11_code"].map(before))
    base = lookup.groupby("lsoa21_code")["rank_before"].min()  # most deprived linked 2011 LSOA
    moved = base * N[2025] / N[2019] - after.reindex(base.index)
    expected = set(moved.index[moved > s["rank_worsened_by"]])
    rows = watchlist(built_repo)
    rows = rows.loc[(rows["kind"] == "rank_worsened") & (rows["vintage"] == 2025)]
    assert set(rows["code"]) == expected
    changed = rows.loc[
        rows["code"].map(lookup.groupby("lsoa21_code")["change_code"].first()) != "U"
    ]
    assert changed["compared_with"].notna().all()


def test_watchlist_rows_carry_wards_and_relative_reasons(built_repo: Path):
    w = watchlist(built_repo)
    members = pd.read_csv(built_repo / "data/processed/lsoa_membership.csv")
    lsoa = w.loc[w["tier"] == "lsoa"]
    geography = lsoa["vintage"].map({2004: "LSOA01", 2007: "LSOA01", 2010: "LSOA01",
                                     2015: "LSOA11", 2019: "LSOA11", 2025: "LSOA21"})  # fmt: skip
    ward = members.set_index(["lsoa_geography", "lsoa_code"])["ward_code"]
    assert (
        lsoa["ward_code"].to_numpy()
        == ward.loc[list(zip(geography, lsoa["code"], strict=True))].to_numpy()
    ).all()
    text = w["reason"].str.lower()
    assert not text.str.contains("deprivation increased|deprivation rose|got worse").any()
    assert (
        text.loc[w["kind"] == "rank_worsened"]
        .str.contains("relative to all lsoas in england")
        .all()
    )


def test_area_moves_are_the_largest_moves_in_the_summaries(built_repo: Path):
    s = settings(built_repo)
    w = watchlist(built_repo)
    wards = pd.read_csv(built_repo / "data/processed/summaries/ward.csv")
    for measure in s["area_measures"]:
        a = wards.loc[wards["vintage"] == 2015].set_index("area_code")[measure]
        b = wards.loc[wards["vintage"] == 2019].set_index("area_code")[measure]
        change = (b - a).loc[lambda c: c > 0]
        expected = set(change.nlargest(s["top_areas"], keep="all").index)
        rows = w.loc[(w["kind"] == "area_moved") & (w["tier"] == "ward") & (w["measure"] == measure)
                     & (w["vintage"] == 2019)]  # fmt: skip
        assert set(rows["code"]) == expected


def test_rates_are_summed_over_each_wards_lsoas(built_repo: Path):
    out = built_repo / "data/processed/indicators"
    lsoa = pd.read_csv(out / "income_deprivation_rate.csv", dtype={"period": "string"})
    by_tier = pd.read_csv(out / "income_deprivation_rate_by_tier.csv", dtype={"period": "string"})
    members = pd.read_csv(built_repo / "data/processed/lsoa_membership.csv")
    for period, geography in [("2019", "LSOA11"), ("2025", "LSOA21")]:
        rows = lsoa.loc[lsoa["period"] == period].dropna(subset=["numerator"])
        m = members.loc[members["lsoa_geography"] == geography, ["lsoa_code", "ward_code"]]
        sums = (
            rows.merge(m, left_on="area_code", right_on="lsoa_code", validate="1:1")
            .groupby("ward_code")[["numerator", "denominator"]]
            .sum()
        )
        expected = sums["numerator"] / sums["denominator"] * 100
        got = by_tier.loc[(by_tier["tier"] == "ward") & (by_tier["period"] == period)].set_index(
            "area_code"
        )
        assert len(got) == 33
        pd.testing.assert_series_equal(
            got["value"].sort_index(), expected.sort_index(), check_names=False
        )
    city = by_tier.loc[by_tier["tier"] == "city"].set_index("period")
    assert city.loc["2019", "numerator"] == 110_300  # File 8; published Income scale 110,344
    assert city.loc["2025", "numerator"] == 201_420  # published 201,408
    assert not by_tier["suppressed"].any() and by_tier["value"].notna().all()


def test_imd_decile1_share_matches_the_headlines(built_repo: Path):
    out = built_repo / "data/processed"
    share = pd.read_csv(out / "indicators/imd_decile1_share_by_tier.csv")
    headlines = pd.read_csv(out / "headlines.csv").set_index("vintage")
    headlines = headlines.loc[[2015, 2019, 2025]]  # the indicator's periods (on LSOA 2011/2021)
    city = share.loc[share["tier"] == "city"].set_index("period")
    assert city["numerator"].to_dict() == headlines["lsoas_in_national_10pct"].to_dict()
    assert city["denominator"].to_dict() == headlines["lsoas"].to_dict()
    wards = share.loc[share["tier"] == "ward"].groupby("period")["numerator"].sum()
    assert wards.to_dict() == city["numerator"].to_dict()  # wards partition the city
    catalogue = pd.read_csv(out / "indicators/catalogue.csv")
    assert {"imd_decile1_share", "income_deprivation_rate", "population"} <= set(
        catalogue["indicator"]
    )
