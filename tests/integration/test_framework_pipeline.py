"""Issue 11 on the real Leeds build: the framework's series, their checks, profiles and trends."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geo.core.io import read_parquet
from geo.statistics.indicators.checks import published_totals
from geo.statistics.indicators.readers import read_statxplore

MIRROR = Path(__file__).resolve().parents[2].parent / "shared" / "data"
FRAMEWORK = ("children_low_income", "universal_credit_households", "crime_rate", "asb_rate",
             "fuel_poverty", "private_renting", "overcrowding", "disability", "census_residents",
             "census_households")  # fmt: skip
PROFILED = ("ward", "community_committee", "priority_neighbourhood", "drawn_neighbourhood")


def by_tier(repo: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(repo / f"data/processed/indicators/{name}_by_tier.csv",
                       dtype={"area_code": str, "period": str})  # fmt: skip


@pytest.mark.parametrize(
    ("name", "msoa", "ltla"),
    [
        ("children_low_income", "dwp_children_relative_low_income_msoa21_fye2015_2022_statxplore.csv",
         "dwp_children_relative_low_income_ltla_fye2015_2022_statxplore.csv"),
        ("universal_credit_households", "dwp_households_on_universal_credit_msoa21_monthly_statxplore.csv",
         "dwp_households_on_universal_credit_ltla_monthly_statxplore.csv"),
    ],
)  # fmt: skip
def test_leeds_msoa_sums_equal_the_dwp_authority_totals_every_period(built_repo, name, msoa, ltla):
    checks = pd.read_csv(built_repo / "data/processed/indicators/published_total_checks.csv",
                         dtype={"period": str})  # fmt: skip
    mine = checks.loc[checks["source"] == name]
    ltla_table = read_statxplore(MIRROR / "indicators" / ltla)
    leeds = ltla_table.loc[ltla_table["area_name"] == "Leeds"].set_index("period")["value"]
    assert set(mine["period"]) == set(leeds.index)  # every year / month is checked
    assert mine["within_tolerance"].all(), mine.loc[~mine["within_tolerance"]]
    # recomputed here from the raw files, and the city row of the built tier sums agrees
    again = published_totals(MIRROR / "indicators" / msoa, MIRROR / "indicators" / ltla,
                             lsoa21=read_parquet(built_repo / "data/interim/lsoa_imd2025.parquet"),
                             msoa21_names=MIRROR / "lookups/MSOA-Names-2021_HoC_Library_msoa21.csv",
                             lad_name="Leeds", source=name)  # fmt: skip
    assert (again["difference"].abs() <= again["tolerance"]).all()
    assert again["msoas"].eq(107).all()
    city = by_tier(built_repo, name).query("tier == 'city'").set_index("period")["numerator"]
    sums = again.set_index("period")["msoa_sum"]
    assert np.allclose(city.reindex(sums.index).fillna(0), sums)
    if name == "children_low_income":
        assert int(again.set_index("period").loc["FYE2015", "msoa_sum"]) == 30127
        assert int(leeds["FYE2015"]) == 30146


def test_framework_indicators_cover_every_profiled_area_with_method_flags(built_repo):
    areas = pd.read_parquet(built_repo / "data/interim/tier_areas.parquet")
    for name in FRAMEWORK:
        table = by_tier(built_repo, name)
        for tier in PROFILED:
            expected = set(areas.loc[areas["tier"] == tier, "area_code"].astype(str))
            if tier == "drawn_neighbourhood":
                expected = set(pd.read_csv(built_repo / "data/processed/summaries/drawn_neighbourhood.csv",
                                           dtype={"area_code": str})["area_code"])  # fmt: skip
            got = table.loc[table["tier"] == tier]
            assert expected <= set(got["area_code"]), (name, tier)
            assert got["value"].notna().any(), (name, tier)
        assert table["method"].notna().all() and table["is_estimate"].isin([True, False]).all()
    cilif = by_tier(built_repo, "children_low_income")
    city = cilif.loc[cilif["tier"] == "city"]
    assert (city["method"] == "sum of whole MSOA21s").all() and not city["is_estimate"].any()
    wards = cilif.loc[(cilif["tier"] == "ward") & (cilif["period"] == "FYE2022")]
    assert wards["is_estimate"].sum() > 0 and (~wards["is_estimate"]).sum() > 0
    assert cilif.loc[cilif["tier"] == "drawn_neighbourhood", "is_estimate"].all()


@pytest.mark.parametrize("tier", PROFILED)
def test_profiles_show_the_framework_with_periods(built_repo, tier):
    pages = sorted((built_repo / "site/profiles" / tier.replace("_", "-")).glob("*.html")) or sorted(
        (built_repo / "site/profiles").glob(f"{tier}*/*.html"))  # fmt: skip
    assert pages, f"no {tier} profiles"
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for name in ("children_low_income", "universal_credit_households", "crime_rate",
                     "fuel_poverty", "private_renting", "overcrowding", "disability"):  # fmt: skip
            assert f'id="framework-{name}"' in text, (page.name, name)
        assert "FYE2015 to FYE2022" in text and "July of each year" in text
        assert "Not in the data: school attainment" in text


def test_watchlist_trend_section_lists_exactly_what_its_rule_selects(built_repo):
    import yaml

    rules = yaml.safe_load((built_repo / "config.yaml").read_text())["watchlist"]["trends"]
    uc = by_tier(built_repo, rules["indicator"])
    city = uc.loc[uc["tier"] == "city"].set_index("period")["value"].dropna()
    latest = max(city.index)
    expected = set()
    for window in rules["windows_months"]:
        y, m = map(int, latest.split("-"))
        k = y * 12 + m - 1 - window
        start = f"{k // 12:04d}-{k % 12 + 1:02d}"
        city_change = city[latest] - city[start]
        for tier in rules["tiers"]:
            rows = uc.loc[uc["tier"] == tier].pivot_table(
                index="area_code", columns="period", values="value"
            )
            delta = (rows[latest] - rows[start] - city_change).dropna()
            ranks = delta.rank(method="min", ascending=False)
            keep = delta[(delta >= rules["worse_than_city_by"]) & (ranks <= rules["top"])]
            expected |= {(window, tier, code) for code in keep.index}
    trends = pd.read_csv(
        built_repo / "data/processed/watchlist_trends.csv", dtype={"area_code": str}
    )
    listed = trends.loc[trends["listed"]]
    assert (
        set(zip(listed["window_months"], listed["tier"], listed["area_code"], strict=True))
        == expected
    )
    assert expected
    page = (built_repo / "site/watchlist.html").read_text(encoding="utf-8")
    for window in rules["windows_months"]:
        count = len([e for e in expected if e[0] == window])
        assert re.search(rf"Worsening faster than the city over {window} months \({count}\)", page)
