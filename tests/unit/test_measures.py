"""Unit tests for geo.statistics.measures on small synthetic frames, with results worked by hand."""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from geo.model.domains import DOMAINS
from geo.statistics.measures import (
    SUMMARY_COLUMNS,
    extent_weight,
    percentile,
    rank_areas,
    summarise_areas,
)

N = 32_844
DATA = Path(
    os.environ.get("GEO_MIRROR", Path(__file__).resolve().parents[2].parent / "shared" / "data")
)
Examples = dict[str, Any]
EXAMPLES = DATA / "reference" / "iod2019_appendix_n_examples.json"


def frame(rows: list[tuple[str, str, float, int]], **extra: list[float]) -> pd.DataFrame:
    """Build an input frame from (area, lsoa, population, imd_rank) rows plus extra columns."""
    out = pd.DataFrame(rows, columns=["area", "lsoa_code", "population", "imd_rank"])
    out["imd_decile"] = np.ceil(out["imd_rank"] * 10 / N).astype(int)
    for col, values in extra.items():
        out[col] = values
    return out


def one(result: pd.DataFrame, area: str) -> pd.Series:
    return result.set_index("area").loc[area]


# --------------------------------------------------------------------------------------
# percentile and extent_weight
# --------------------------------------------------------------------------------------


def test_percentile_boundaries_2019() -> None:
    got = percentile([1, 328, 3284, 3285, 9000, 9853, 9854, N], n_national=N)
    np.testing.assert_array_equal(got, [1, 1, 10, 11, 28, 30, 31, 100])


def test_percentile_is_exact_when_rank_divides_evenly() -> None:
    # 100 * 3284 / 32840 is exactly 10: naive rank / N * 100 gives 10.000000000000002 → 11.
    assert percentile([3284, 3285], n_national=32_840).tolist() == [10.0, 11.0]
    assert percentile([3375, 3376], n_national=33_755).tolist() == [10.0, 11.0]


def test_percentile_keeps_nan_and_rejects_out_of_range() -> None:
    got = percentile([np.nan, 1], n_national=N)
    assert np.isnan(got[0]) and got[1] == 1
    with pytest.raises(ValueError, match=r"2 rank\(s\) outside 1..32844: 0, 32845"):
        percentile([0, 5, 32_845], n_national=N)
    with pytest.raises(ValueError, match="n_national must be a positive"):
        percentile([1], n_national=0)
    with pytest.raises(TypeError, match="n_national must be an int"):
        percentile([1], n_national=32844.0)  # type: ignore[arg-type]  # deliberate misuse


@pytest.mark.parametrize(
    ("pct", "weight"),
    [
        (1, 1.0),
        (10, 1.0),
        (11, 0.95),
        (28, 0.95 - 17 * 0.90 / 19),  # 0.144736…, printed as 0.1447
        (30, 0.05),
        (31, 0.0),
        (100, 0.0),
    ],
)
def test_extent_weight(pct: int, weight: float) -> None:
    assert extent_weight([pct])[0] == pytest.approx(weight, abs=1e-15)


def test_extent_weight_steps_are_equal_and_nan_stays_nan() -> None:
    steps = np.diff(extent_weight(np.arange(11, 31)))
    np.testing.assert_allclose(steps, -0.90 / 19)
    assert np.isnan(extent_weight([np.nan])[0])
    with pytest.raises(ValueError, match=r"whole numbers in 1..100, got: 0, 10.5, 101"):
        extent_weight([0, 10.5, 101, 5])


# --------------------------------------------------------------------------------------
# rank_areas
# --------------------------------------------------------------------------------------


def test_rank_areas_ties_share_the_best_rank() -> None:
    values = pd.Series([0.9, 0.5, 0.5, 0.1], index=list("abcd"), name="imd_extent")
    got = rank_areas(values)
    pd.testing.assert_series_equal(
        got, pd.Series([1.0, 2.0, 2.0, 4.0], index=list("abcd"), name="imd_extent")
    )


def test_rank_areas_keeps_nan() -> None:
    got = rank_areas(pd.Series([np.nan, 3.0, 0.0, 0.0]))
    assert np.isnan(got.iloc[0])
    assert got.iloc[1:].tolist() == [1.0, 2.0, 2.0]


# --------------------------------------------------------------------------------------
# summarise_areas: each measure by hand
# --------------------------------------------------------------------------------------


@pytest.fixture
def two_areas() -> pd.DataFrame:
    """Area A: three LSOAs; area B: two LSOAs (listed first, to test the sort)."""
    return frame(
        [
            ("B", "L4", 1000, 20_000),
            ("B", "L5", 3000, 100),
            ("A", "L1", 1000, 100),
            ("A", "L2", 2000, 3_285),
            ("A", "L3", 1000, 30_000),
        ],
        imd_score=[10.0, 60.0, 50.0, 30.0, 5.0],
        income_numerator=[100.0, 400.0, 150.0, 200.0, 50.0],
    )


def test_output_layout(two_areas: pd.DataFrame) -> None:
    got = summarise_areas(two_areas, area_col="area", n_national=N)
    assert list(got.columns) == ["area", *SUMMARY_COLUMNS]
    assert got["area"].tolist() == ["A", "B"]
    assert got.index.tolist() == [0, 1]
    assert len(SUMMARY_COLUMNS) == 5 + 5 + 3 * len(DOMAINS) + 2
    assert SUMMARY_COLUMNS[-2:] == ("income_scale", "employment_scale")


def test_average_rank_and_score(two_areas: pd.DataFrame) -> None:
    a = one(summarise_areas(two_areas, area_col="area", n_national=N), "A")
    assert a["population"] == 4000
    assert a["imd_average_rank"] == pytest.approx(
        (N + 1) - (1000 * 100 + 2000 * 3285 + 1000 * 30_000) / 4000
    )
    assert a["imd_average_score"] == pytest.approx((1000 * 50 + 2000 * 30 + 1000 * 5) / 4000)


def test_counts_and_proportion_are_unweighted(two_areas: pd.DataFrame) -> None:
    got = summarise_areas(two_areas, area_col="area", n_national=N)
    a, b = one(got, "A"), one(got, "B")
    # A: rank 100 is in the national 1% (≤ 328) and decile 1; 3,285 is decile 2.
    assert (a["lsoas"], a["lsoas_in_national_1pct"], a["lsoas_in_national_10pct"]) == (3, 1, 1)
    assert a["imd_proportion_10pct"] == pytest.approx(1 / 3)
    # B: one of two LSOAs, although it holds 3/4 of the population.
    assert b["imd_proportion_10pct"] == pytest.approx(0.5)


def test_one_percent_boundary() -> None:
    got = summarise_areas(
        frame([("A", "L1", 1, 328), ("A", "L2", 1, 329)]), area_col="area", n_national=N
    )
    assert one(got, "A")["lsoas_in_national_1pct"] == 1
    assert one(got, "A")["lsoas_in_national_10pct"] == 2


def test_twenty_percent_boundary_counts_by_share() -> None:
    lsoas = frame([("A", "L1", 1, 3285), ("A", "L2", 1, 6568), ("A", "L3", 1, 6569)])
    got = one(summarise_areas(lsoas, area_col="area", n_national=N), "A")
    assert (got["lsoas_in_national_10pct"], got["lsoas_in_national_20pct"]) == (0, 2)
    halves = lsoas.assign(share=0.5)
    part = one(summarise_areas(halves, area_col="area", n_national=N, share_col="share"), "A")
    assert part["lsoas_in_national_20pct"] == 1.0


def test_ten_percent_from_rank_when_no_decile_column() -> None:
    lsoas = frame([("A", "L1", 1, 3284), ("A", "L2", 1, 3285)]).drop(columns="imd_decile")
    got = one(summarise_areas(lsoas, area_col="area", n_national=N), "A")
    assert got["lsoas_in_national_10pct"] == 1
    assert got["imd_proportion_10pct"] == 0.5


def test_extent(two_areas: pd.DataFrame) -> None:
    a = one(summarise_areas(two_areas, area_col="area", n_national=N), "A")
    # percentiles 1 (weight 1), 11 (weight 0.95), 92 (weight 0).
    assert a["imd_extent"] == pytest.approx((1000 * 1 + 2000 * 0.95) / 4000)


def test_local_concentration_counts_part_of_the_last_lsoa(two_areas: pd.DataFrame) -> None:
    got = summarise_areas(two_areas, area_col="area", n_national=N)
    # A: target 400 people, all from L1 (rank 100, 1,000 people): LC = N + 1 - 100.
    assert one(got, "A")["imd_local_concentration"] == pytest.approx(N + 1 - 100)
    lsoas = frame([("A", "L1", 60, 50), ("A", "L2", 400, 200), ("A", "L3", 540, 900)])
    a = one(summarise_areas(lsoas, area_col="area", n_national=N), "A")
    # Target 100: 60 from L1 (rank 50), then 40 of L2's 400 (rank 200), none of L3.
    assert a["imd_local_concentration"] == pytest.approx((N + 1) - (60 * 50 + 40 * 200) / 100)


def test_local_concentration_ignores_input_order_and_rank_ties() -> None:
    rows = [("A", "L1", 50, 10), ("A", "L2", 70, 10), ("A", "L3", 880, 20)]
    forward = summarise_areas(frame(rows), area_col="area", n_national=N)
    backward = summarise_areas(frame(rows[::-1]), area_col="area", n_national=N)
    expected = (N + 1) - (50 * 10 + 50 * 10) / 100
    assert one(forward, "A")["imd_local_concentration"] == pytest.approx(expected)
    assert one(backward, "A")["imd_local_concentration"] == pytest.approx(expected)


def test_single_whole_lsoa_reproduces_its_own_values() -> None:
    lsoas = frame([("A", "L1", 1234, 5000)], imd_score=[42.5])
    a = one(summarise_areas(lsoas, area_col="area", n_national=N), "A")
    assert a["imd_average_rank"] == N + 1 - 5000
    assert a["imd_local_concentration"] == pytest.approx(N + 1 - 5000)
    assert a["imd_average_score"] == 42.5
    assert a["imd_extent"] == pytest.approx(0.95 - (16 - 11) * 0.90 / 19)  # percentile 16


# --------------------------------------------------------------------------------------
# Shares
# --------------------------------------------------------------------------------------


def test_half_an_lsoa_by_share() -> None:
    whole = {"L1": 1000.0, "L2": 3000.0}
    lsoas = frame(
        [("A", "L1", whole["L1"], 100), ("A", "L2", whole["L2"] * 0.5, 20_000)],
        share=[1.0, 0.5],
        income_numerator=[80.0, 200.0],
    )
    a = one(summarise_areas(lsoas, area_col="area", n_national=N, share_col="share"), "A")
    assert a["population"] == 2500  # half of L2's 3,000 people
    assert a["lsoas"] == 1.5
    assert a["lsoas_in_national_10pct"] == 1
    assert a["imd_proportion_10pct"] == pytest.approx(1 / 1.5)
    assert a["imd_average_rank"] == pytest.approx((N + 1) - (1000 * 100 + 1500 * 20_000) / 2500)
    assert a["imd_extent"] == pytest.approx(1000 / 2500)
    assert a["income_scale"] == 80 + 100


def test_shares_of_one_equal_no_shares(two_areas: pd.DataFrame) -> None:
    plain = summarise_areas(two_areas, area_col="area", n_national=N)
    shared = summarise_areas(
        two_areas.assign(share=1.0), area_col="area", n_national=N, share_col="share"
    )
    pd.testing.assert_frame_equal(plain, shared)


# --------------------------------------------------------------------------------------
# Scales, domains and missing values
# --------------------------------------------------------------------------------------


def test_scale_is_the_sum_of_numerators(two_areas: pd.DataFrame) -> None:
    got = summarise_areas(two_areas, area_col="area", n_national=N)
    assert one(got, "A")["income_scale"] == 400
    assert one(got, "B")["income_scale"] == 500
    assert got["employment_scale"].isna().all()  # column absent


def test_scale_skips_missing_numerators_with_a_warning(
    two_areas: pd.DataFrame, caplog: pytest.LogCaptureFixture
) -> None:
    two_areas.loc[two_areas["lsoa_code"] == "L2", "income_numerator"] = np.nan
    solo = frame([("C", "L9", 10, 5)], income_numerator=[np.nan])
    with caplog.at_level(logging.WARNING, logger="geo.statistics.measures"):
        got = summarise_areas(pd.concat([two_areas, solo]), area_col="area", n_national=N)
    assert one(got, "A")["income_scale"] == 200
    assert np.isnan(one(got, "C")["income_scale"])  # every numerator missing
    assert "2 LSOA(s) in 2 area(s) have no 'income_numerator'" in caplog.text


def test_absent_domains_are_nan_and_present_domains_computed(two_areas: pd.DataFrame) -> None:
    lsoas = two_areas.assign(
        crime_rank=[1, 2, 3, 4, 5], crime_decile=[1, 1, 1, 1, 1], crime_score=np.nan
    )
    got = summarise_areas(lsoas, area_col="area", n_national=N)
    a = one(got, "A")
    assert a["crime_average_rank"] == pytest.approx((N + 1) - (1000 * 3 + 2000 * 4 + 5000) / 4000)
    assert a["crime_proportion_10pct"] == 1.0
    assert np.isnan(a["crime_average_score"])
    assert got[["health_average_rank", "health_average_score"]].isna().all().all()
    assert got["health_proportion_10pct"].isna().all()


def test_a_missing_score_makes_the_area_average_nan(
    two_areas: pd.DataFrame, caplog: pytest.LogCaptureFixture
) -> None:
    two_areas.loc[two_areas["lsoa_code"] == "L3", "imd_score"] = np.nan
    with caplog.at_level(logging.WARNING, logger="geo.statistics.measures"):
        got = summarise_areas(two_areas, area_col="area", n_national=N)
    assert np.isnan(one(got, "A")["imd_average_score"])
    assert one(got, "B")["imd_average_score"] == pytest.approx((1000 * 10 + 3000 * 60) / 4000)
    assert "NaN for 1 area(s)" in caplog.text


def test_domain_denominator(two_areas: pd.DataFrame) -> None:
    lsoas = two_areas.assign(employment_rank=[10, 20, 30, 40, 50], working_age=[1, 1, 1, 1, 2])
    got = summarise_areas(
        lsoas, area_col="area", n_national=N, denominator_cols={"employment": "working_age"}
    )
    expected = (N + 1) - (30 * 1 + 40 * 1 + 50 * 2) / 4
    assert one(got, "A")["employment_average_rank"] == pytest.approx(expected)
    assert one(got, "A")["population"] == 4000


# --------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------


def _set(col: str, lsoa: str, value: object) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def change(lsoas: pd.DataFrame) -> pd.DataFrame:
        if isinstance(value, str | float):
            lsoas = lsoas.astype({col: object if isinstance(value, str) else float})
        lsoas.loc[lsoas["lsoa_code"] == lsoa, col] = value
        return lsoas

    return change


@pytest.mark.parametrize(
    ("change", "kwargs", "match"),
    [
        (lambda f: f.drop(columns="imd_rank"), {}, r"missing required column\(s\): 'imd_rank'"),
        (lambda f: f.drop(columns="lsoa_code"), {}, "'lsoa_code'"),
        (lambda f: f, {"share_col": "share"}, r"missing required column\(s\): 'share'"),
        (lambda f: f.iloc[0:0], {}, "lsoas is empty"),
        (_set("imd_rank", "L2", 0), {}, r"'imd_rank' has 1 value\(s\) .* 1..32844: L2=0"),
        (_set("imd_rank", "L2", 40_000), {}, "L2=40000"),
        (_set("imd_rank", "L2", 10.5), {}, "not whole numbers"),
        (_set("imd_rank", "L2", np.nan), {}, r"'imd_rank' has 1 missing value\(s\): L2"),
        (_set("imd_rank", "L2", "x"), {}, "Column 'imd_rank' must be numeric"),
        (_set("imd_decile", "L1", 11), {}, "'imd_decile' .* 1..10: L1=11"),
        (_set("population", "L3", -5), {}, "'population' has 1 missing, negative .*L3=-5"),
        (_set("population", "L3", np.nan), {}, "'population' has 1 missing.*L3=nan"),
        (_set("area", "L1", None), {}, r"'area' has 1 missing area code\(s\): L1"),
        (lambda f: pd.concat([f, f.iloc[[0]]]), {}, r"repeating an \(area, LSOA\) pair: \(B, L4\)"),
        (
            lambda f: f.assign(population=[0.0, 0.0, 1.0, 1.0, 1.0]),
            {},
            r"1 area\(s\) with zero total population in 'population': B",
        ),
        (
            lambda f: f.assign(share=[1.0, 0.0, 1.0, 1.0, 1.0]),
            {"share_col": "share"},
            r"'share' has 1 share\(s\) outside \(0, 1\]: L5=0.0",
        ),
        (
            lambda f: f.assign(share=[1.0, 1.5, 1.0, np.nan, 1.0]),
            {"share_col": "share"},
            r"'share' has 2 share\(s\) outside \(0, 1\]: L5=1.5, L2=nan",
        ),
        (lambda f: f, {"denominator_cols": {"jobs": "population"}}, "unknown index stem.*'jobs'"),
        (lambda f: f, {"n_national": -1}, "n_national must be a positive"),
        (lambda f: f.assign(crime_rank=33_000), {}, "'crime_rank' has 5 value"),
    ],
)
def test_validation_errors(
    two_areas: pd.DataFrame,
    change: Callable[[pd.DataFrame], pd.DataFrame],
    kwargs: dict[str, Any],
    match: str,
) -> None:
    kwargs = {"area_col": "area", "n_national": N, **kwargs}
    with pytest.raises(ValueError, match=match):
        summarise_areas(change(two_areas.copy()), **kwargs)


# --------------------------------------------------------------------------------------
# Appendix N worked examples (Technical Report pp. 114-117)
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def appendix_n() -> Examples:
    if not EXAMPLES.exists():
        pytest.skip(f"Appendix N examples not found at {EXAMPLES} (set GEO_MIRROR)")
    examples = json.loads(EXAMPLES.read_text(encoding="utf-8"))
    assert examples["n_lsoas_england"] == N
    return examples["examples"]


def district(ranks: list[int], populations: list[float], **extra: list[float]) -> pd.DataFrame:
    rows = [("D", f"L{i}", p, r) for i, (r, p) in enumerate(zip(ranks, populations, strict=True))]
    return frame(rows, **extra)


def summary(lsoas: pd.DataFrame) -> pd.Series:
    return one(summarise_areas(lsoas, area_col="area", n_national=N), "D")


def test_appendix_n_average_rank(appendix_n: Examples) -> None:
    ex = appendix_n["average_rank"]
    got = summary(district(ex["ranks"], ex["populations"]))["imd_average_rank"]
    assert got == pytest.approx(ex["exact"], abs=1e-9)
    assert round(got) == ex["published"]


def test_appendix_n_average_score(appendix_n: Examples) -> None:
    ex = appendix_n["average_score"]
    ranks = appendix_n["average_rank"]["ranks"]  # the same five LSOAs
    got = summary(district(ranks, ex["populations"], imd_score=ex["scores"]))["imd_average_score"]
    assert got == pytest.approx(ex["exact"], abs=1e-12)
    assert round(got, 2) == ex["published"]


def test_appendix_n_proportion(appendix_n: Examples) -> None:
    ex = appendix_n["proportion_most_deprived_10pct"]
    n, k = ex["n_lsoas_in_district"], ex["n_lsoas_in_most_deprived_decile"]
    # k LSOAs at ranks up to 3,284 (decile 1), the rest from 3,285: a very unequal population
    # proves the measure counts LSOAs, not people.
    ranks = [3284 - i for i in range(k)] + [3285 + i for i in range(n - k)]
    populations = [10.0] * k + [5000.0] * (n - k)
    got = summary(district(ranks, populations))
    assert got["lsoas"] == n
    assert got["lsoas_in_national_10pct"] == k
    assert got["imd_proportion_10pct"] == pytest.approx(ex["exact"], abs=1e-15)
    assert round(got["imd_proportion_10pct"], 3) == ex["published"]


def test_appendix_n_extent(appendix_n: Examples) -> None:
    ex = appendix_n["extent"]
    listed = ex["lsoas_in_most_deprived_30pct"]
    rest = ex["district_population"] - sum(listed["populations"])
    ranks = [*listed["ranks"], 20_000]  # the rest of the district: outside the worst 30%
    got = summary(district(ranks, [*listed["populations"], rest]))
    assert percentile(listed["ranks"], n_national=N).tolist() == listed["percentiles"]
    np.testing.assert_allclose(
        np.round(extent_weight(listed["percentiles"]), 4), listed["weights_as_printed"]
    )
    assert got["population"] == ex["district_population"]
    assert got["imd_extent"] == pytest.approx(ex["exact_with_exact_weight"], abs=1e-12)
    # Published 0.062292 (6 dp) used the printed weight 0.1447: allow half a unit in the
    # 6th place for the rounding plus 9.5e-7 for the weight (0.1447368… - 0.1447) × 1,800 / P.
    assert got["imd_extent"] == pytest.approx(ex["published"], abs=0.5e-6 + 1e-6)
    printed = np.dot(listed["weights_as_printed"], listed["populations"]) / sum(
        [*listed["populations"], rest]
    )
    assert round(printed, 6) == ex["published"]


def test_appendix_n_local_concentration(appendix_n: Examples) -> None:
    ex = appendix_n["local_concentration"]
    listed = ex["most_deprived_lsoas_sorted"]
    rest = ex["district_population"] - sum(listed["populations"])
    # Shuffle the order to prove the measure sorts; the rest is less deprived than all.
    ranks = [30_000, *listed["ranks"][::-1]]
    populations = [rest, *listed["populations"][::-1]]
    got = summary(district(ranks, populations))
    assert got["population"] == ex["district_population"]
    assert 0.1 * got["population"] == ex["target_population_10pct"]
    assert got["imd_local_concentration"] == pytest.approx(ex["exact"], abs=1e-9)
    assert round(got["imd_local_concentration"], 2) == ex["published"]


def test_appendix_n_income_scale(appendix_n: Examples) -> None:
    ex = appendix_n["income_scale"]
    numerators = ex["income_domain_numerators"]
    lsoas = district([1000 * (i + 1) for i in range(len(numerators))], [1500.0] * len(numerators))
    got = summary(lsoas.assign(income_numerator=numerators))
    assert got["income_scale"] == ex["exact"] == ex["published"]
    assert math.isnan(got["employment_scale"])
