import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import yaml

from geo.core.errors import ConfigError, JoinError
from geo.statistics.indicators import (
    IndicatorError,
    SourceInputs,
    aggregate_indicator,
    build_indicator,
    load_indicator_registry,
    normalise_membership,
    parse_indicator,
    read_indicator,
    validate_indicator,
)
from geo.statistics.indicators.membership import add_authority_tier, read_membership
from geo.statistics.indicators.sources import BUILDERS

ENTRY = {
    "title": "Test rate",
    "definition": "Things per person.",
    "unit": "% of residents",
    "kind": "proportion",
    "multiplier": 100,
    "polarity": "higher_is_worse",
    "suppression": {"min_numerator": 10},
    "source": "Test",
    "source_url": "https://example.org",
    "builder": "tidy",
}


def meta(**changes):
    return parse_indicator("test_rate", ENTRY | changes)


def tidy(rows, geography="LSOA11", multiplier=100.0):
    df = pd.DataFrame(rows, columns=["area_code", "period", "numerator", "denominator"])
    df.insert(1, "geography", geography)
    df["value"] = df["numerator"] / df["denominator"] * multiplier
    return df


def members(rows, geography="LSOA11", tier="ward"):
    return normalise_membership(
        pd.DataFrame(
            {
                "geography": geography,
                "tier": tier,
                "area_code": [a for a, _ in rows],
                "area_name": [f"Area {a}" for a, _ in rows],
                "lsoa_code": [c for _, c in rows],
            }
        ),
        source="membership",
    )


# --- metadata -----------------------------------------------------------------------------


def test_registry_loads_and_every_builder_exists():
    reg = load_indicator_registry()
    assert {
        "imd_decile1_share",
        "income_deprivation_rate",
        "employment_deprivation_rate",
        "households_deprived_1plus",
        "households_deprived_2plus",
        "population",
    } <= set(reg)
    assert not any(name.startswith(".") for name in reg)  # YAML templates are not indicators
    assert all(m.builder in BUILDERS for m in reg.values())
    assert reg["crime_decile1_share"].params == {"index": "crime"}
    assert reg["population"].kind == "count" and not reg["population"].has_denominator
    assert reg["income_deprivation_rate"].periods["2025"].geography == "LSOA21"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "average"}, r"indicator 'test_rate': field 'kind' is 'average', not one of"),
        ({"polarity": "up"}, r"field 'polarity' is 'up'"),
        ({"multiplier": -1}, r"field 'multiplier' must be a non-negative number, got -1"),
        ({"suppression": {"min_count": 3}}, r"field 'suppression' must map"),
        ({"colour": "red"}, r"unknown field\(s\) colour"),
        ({"periods": {"2019": {"geography": "OA21"}}}, r"periods.2019.geography' is 'OA21'"),
    ],
)
def test_metadata_errors_name_indicator_and_field(change, message):
    with pytest.raises(ConfigError, match=message):
        meta(**change)


def test_metadata_missing_field_is_named(tmp_path):
    entry = {k: v for k, v in ENTRY.items() if k != "unit"}
    path = tmp_path / "registry.yaml"
    path.write_text(yaml.safe_dump({"x": entry}))
    with pytest.raises(ConfigError, match=r"registry.yaml: indicator 'x': missing field\(s\) unit"):
        load_indicator_registry(path)


# --- validation ---------------------------------------------------------------------------


def test_valid_table_is_typed_and_sorted():
    out = validate_indicator(
        tidy([("E2", "2019", 1, 10), ("E1", "2019", 2, 10)]), meta(), source="t"
    )
    assert out["area_code"].tolist() == ["E1", "E2"]
    assert out["value"].tolist() == [20.0, 10.0]


def test_missing_columns_are_named():
    df = tidy([("E1", "2019", 1, 10)]).drop(columns=["denominator"])
    with pytest.raises(IndicatorError, match=r"f.csv: missing column\(s\) denominator"):
        validate_indicator(df, meta(), source="f.csv")


def test_duplicate_area_period_is_named():
    df = tidy([("E1", "2019", 1, 10), ("E1", "2019", 2, 10), ("E1", "2020", 2, 10)])
    with pytest.raises(
        IndicatorError, match=r"f.csv: duplicate \(area_code, period\) pair\(s\): E1/2019$"
    ):
        validate_indicator(df, meta(), source="f.csv")


def test_numerator_above_denominator_fails_for_a_proportion_only():
    df = tidy([("E1", "2019", 12, 10)])
    with pytest.raises(
        IndicatorError,
        match=r"numerator > denominator for proportion 'test_rate': "
        r"E1/2019 \(numerator=12\.0, denominator=10\.0\)",
    ):
        validate_indicator(df, meta(), source="f.csv")
    assert validate_indicator(df, meta(kind="rate"), source="f.csv")["value"].iloc[0] == 120


def test_negative_counts_are_named():
    df = tidy([("E1", "2019", -5, 10)])
    with pytest.raises(
        IndicatorError, match=r"negative count in field 'numerator': E1/2019 \(numerator=-5\.0\)"
    ):
        validate_indicator(df, meta(), source="f.csv")


def test_value_must_follow_from_the_counts():
    df = tidy([("E1", "2019", 1, 10)]).assign(value=0.1)  # a fraction where a percentage is due
    with pytest.raises(
        IndicatorError, match=r"'value' is not numerator / denominator × 100 .*E1/2019"
    ):
        validate_indicator(df, meta(), source="f.csv")


def test_non_numeric_and_zero_denominators_are_named():
    df = tidy([("E1", "2019", 1, 10)]).astype({"numerator": "object"})
    df.loc[0, "numerator"] = "n/a"
    with pytest.raises(
        IndicatorError, match=r"field 'numerator' is not a number in row\(s\) E1/2019"
    ):
        validate_indicator(df, meta(), source="f.csv")
    zero = tidy([("E1", "2019", 1, 1)]).assign(denominator=0.0, value=np.nan)
    with pytest.raises(IndicatorError, match=r"denominator is 0"):
        validate_indicator(zero, meta(), source="f.csv")


def test_periods_use_one_geography_and_declared_periods_only():
    df = pd.concat(
        [tidy([("E1", "2019", 1, 10)]), tidy([("E2", "2019", 1, 10)], geography="LSOA21")]
    )
    with pytest.raises(IndicatorError, match=r"period\(s\) 2019 mix geographies"):
        validate_indicator(df, meta(), source="f.csv")
    declared = meta(periods={"2019": {"geography": "LSOA11"}})
    with pytest.raises(IndicatorError, match=r"period\(s\) 2020 are not declared"):
        validate_indicator(tidy([("E1", "2020", 1, 10)]), declared, source="f.csv")
    with pytest.raises(
        IndicatorError,
        match=r"'geography' must be one of LSOA11, LSOA21, MSOA11, MSOA21, LAD; got OA21",
    ):
        validate_indicator(tidy([("E1", "2019", 1, 10)], geography="OA21"), meta(), source="f.csv")


def test_a_count_has_no_denominator():
    count = meta(kind="count", multiplier=1, polarity="neutral", suppression=None)
    df = tidy([("E1", "2019", 5, 10)], multiplier=1)
    with pytest.raises(IndicatorError, match=r"is a count, so 'denominator' must be empty"):
        validate_indicator(df, count, source="f.csv")
    ok = df.assign(denominator=np.nan, value=5.0)
    assert validate_indicator(ok, count, source="f.csv")["value"].iloc[0] == 5


# --- aggregation --------------------------------------------------------------------------


def test_rates_aggregate_by_summed_numerators_and_denominators_not_mean_of_rates():
    lsoa = tidy([("E1", "2019", 10, 100), ("E2", "2019", 90, 300)])  # 10% and 30%
    out = aggregate_indicator(lsoa, members([("W1", "E1"), ("W1", "E2")]), meta(), source="t")
    row = out.iloc[0]
    assert (row["numerator"], row["denominator"]) == (100, 400)
    assert row["value"] == pytest.approx(25.0)  # 100 / 400, not (10 + 30) / 2 = 20
    assert row["lsoas"] == 2 and row["lsoas_missing"] == 0 and not row["suppressed"]


def test_suppression_blanks_small_values_with_a_flag_not_zero():
    lsoa = tidy([("E1", "2019", 5, 100), ("E2", "2019", 40, 100), ("E3", "2019", 4, 100)])
    m = members([("W1", "E1"), ("W2", "E2"), ("W3", "E3")])
    out = aggregate_indicator(
        lsoa, m, meta(suppression={"min_numerator": 10, "min_denominator": 0}), source="t"
    ).set_index("area_code")
    assert out["suppressed"].to_dict() == {"W1": True, "W2": False, "W3": True}
    assert math.isnan(out.loc["W1", "value"]) and math.isnan(out.loc["W1", "numerator"])
    assert out.loc["W1", "denominator"] == 100
    assert out.loc["W2", "value"] == 40
    by_den = aggregate_indicator(lsoa, m, meta(suppression={"min_denominator": 200}), source="t")
    assert by_den["suppressed"].all() and by_den["value"].isna().all()


def test_missing_periods_show_as_gaps_not_zeros():
    lsoa = pd.concat(
        [
            tidy([("E1", "2019", 10, 100), ("E2", "2019", 20, 100)]),
            tidy([("E1", "2020", 30, 100)]),  # E2 (all of W2) has no 2020 row
            tidy([("E1", "2021", np.nan, 100), ("E2", "2021", 15, 100)]),  # E1 withheld in 2021
        ]
    )
    m = members([("W1", "E1"), ("W2", "E2")])
    out = aggregate_indicator(lsoa, m, meta(), source="t").set_index(["area_code", "period"])
    assert len(out) == 6  # every area has a row for every period
    gap = out.loc[("W2", "2020")]
    assert math.isnan(gap["value"]) and math.isnan(gap["numerator"]) and not gap["suppressed"]
    assert gap["lsoas_missing"] == 1
    assert math.isnan(out.loc[("W1", "2021"), "value"])
    assert out.loc[("W2", "2021"), "value"] == 15
    assert (out["value"].fillna(-1) != 0).all()


def test_a_count_is_a_gap_unless_every_lsoa_reports():
    count = meta(kind="count", multiplier=1, polarity="neutral", suppression=None)
    lsoa = tidy(
        [("E1", "2019", 100, 1), ("E2", "2019", np.nan, 1), ("E3", "2019", 50, 1)], multiplier=1
    )
    lsoa = lsoa.assign(denominator=np.nan, value=lsoa["numerator"])
    m = members([("W1", "E1"), ("W1", "E2"), ("W2", "E3")])
    out = aggregate_indicator(lsoa, m, count, source="t").set_index("area_code")
    assert math.isnan(out.loc["W1", "value"]) and out.loc["W2", "value"] == 50


def test_each_period_aggregates_on_its_own_lsoa_geography():
    # E3 (2011) split into E4 and E5 (2021); W1 holds E1 in both, W2 holds E3 / E4 + E5.
    lsoa = pd.concat(
        [
            tidy([("E1", "2019", 10, 100), ("E3", "2019", 30, 100)]),
            tidy(
                [("E1", "2025", 20, 100), ("E4", "2025", 10, 50), ("E5", "2025", 40, 50)],
                geography="LSOA21",
            ),
        ]
    )
    m = pd.concat(
        [
            members([("W1", "E1"), ("W2", "E3")]),
            members([("W1", "E1"), ("W2", "E4"), ("W2", "E5")], geography="LSOA21"),
        ]
    )
    out = aggregate_indicator(lsoa, m, meta(), source="t").set_index(["area_code", "period"])
    assert out.loc[("W2", "2019"), ["numerator", "denominator"]].tolist() == [30, 100]
    assert out.loc[("W2", "2025"), ["numerator", "denominator", "value"]].tolist() == [50, 100, 50]
    assert out.loc[("W2", "2025"), "lsoa_geography"] == "LSOA21"


def test_unmatched_lsoas_and_missing_geographies_are_errors():
    lsoa = tidy([("E1", "2019", 10, 100), ("E9", "2019", 1, 100)])
    with pytest.raises(JoinError, match=r"1 LSOA11 LSOA\(s\) of period 2019 are in no area .*: E9"):
        aggregate_indicator(lsoa, members([("W1", "E1")]), meta(), source="t")
    with pytest.raises(
        JoinError, match=r"period 2019 is on LSOA11, but the membership table has no LSOA11"
    ):
        aggregate_indicator(lsoa, members([("W1", "E1")], geography="LSOA21"), meta(), source="t")


def test_partial_membership_weights_counts_by_share():
    lsoa = tidy([("E1", "2019", 10, 100), ("E2", "2019", 40, 100)])
    m = normalise_membership(pd.DataFrame({
        "geography": "LSOA11", "tier": "drawn", "area_code": "N1", "area_name": "N",
        "lsoa_code": ["E1", "E2"], "share": [1.0, 0.5],
    }), source="m")  # fmt: skip
    row = aggregate_indicator(lsoa, m, meta(), source="t").iloc[0]
    assert (row["numerator"], row["denominator"]) == (30, 150)


# --- membership ---------------------------------------------------------------------------


def wide_membership():
    return pd.DataFrame({
        "lsoa_geography": ["LSOA11", "LSOA11", "LSOA11", "LSOA21", "LSOA21"],
        "lsoa_code": ["E1", "E2", "E3", "E1", "E4"],
        "lad_code": "E08000035", "lad_name": "Leeds",
        "ward_code": ["W1", "W1", "W2", "W1", "W2"], "ward_name": ["One", "One", "Two", "One", "Two"],
        "ward_method": "U",
        "community_committee_code": "inner", "community_committee": "Inner",
        "priority_neighbourhood_code": [None, "E2", "E3;E9", None, "E3"],
        "priority_neighbourhood_share": [None, 1.0, 1.0, None, 0.6],
    })  # fmt: skip


def test_wide_membership_becomes_long_with_the_city_tier():
    m = normalise_membership(wide_membership(), source="m.csv", partition_tiers=["city", "ward"])
    tiers = m.groupby("tier")["area_code"].nunique().to_dict()
    assert tiers == {"city": 1, "community_committee": 1, "priority_neighbourhood": 3, "ward": 2}
    pn = m.loc[m["tier"] == "priority_neighbourhood"].set_index(
        ["geography", "lsoa_code", "area_code"]
    )
    assert pn["share"].to_dict() == {
        ("LSOA11", "E2", "E2"): 1.0,
        ("LSOA11", "E3", "E3"): 0.5,
        ("LSOA11", "E3", "E9"): 0.5,
        ("LSOA21", "E4", "E3"): 0.6,
    }
    assert m.loc[m["tier"] == "ward", "area_name"].unique().tolist() == ["One", "Two"]


def test_membership_errors_name_the_lsoas():
    df = wide_membership()
    df.loc[4, "ward_code"] = None
    with pytest.raises(JoinError, match=r"m.csv: tier 'ward' \(LSOA21\) leaves out LSOA\(s\) E4"):
        normalise_membership(df, source="m.csv", partition_tiers=["ward"])
    long = pd.DataFrame({"geography": "LSOA11", "tier": "ward", "area_code": ["W1", "W2"],
                         "lsoa_code": ["E1", "E1"]})  # fmt: skip
    with pytest.raises(
        JoinError, match=r"LSOA\(s\) in more than one area of a tier: LSOA11 ward E1 in W1/W2"
    ):
        normalise_membership(long, source="m.csv")


def test_authority_tier_is_added_once():
    m = members([("W1", "E1"), ("W2", "E2")])
    city = add_authority_tier(m, code="E08000035", name="Leeds")
    assert city.loc[city["tier"] == "city", "lsoa_code"].tolist() == ["E1", "E2"]
    assert len(add_authority_tier(city, code="X", name="X")) == len(city)


# --- builders and the full path on a synthetic indicator ----------------------------------


def layer(codes, deciles):
    return pd.DataFrame({"lsoa_code": codes, "lsoa_name": codes, "imd_decile": deciles,
                         "income_decile": deciles, "population": 100.0})  # fmt: skip


def test_decile1_share_indicator_counts_lsoas():
    reg = load_indicator_registry()
    inputs = SourceInputs(layers={2019: layer(["E1", "E2"], [1, 4]), 2025: layer(["E1", "E4"], [2, 1])},
                          datasets={})  # fmt: skip
    out = build_indicator(reg["imd_decile1_share"], inputs)
    assert out[["period", "geography", "area_code", "numerator", "denominator"]].values.tolist() == [
        ["2019", "LSOA11", "E1", 1, 1], ["2019", "LSOA11", "E2", 0, 1],
        ["2025", "LSOA21", "E1", 0, 1], ["2025", "LSOA21", "E4", 1, 1],
    ]  # fmt: skip


def test_households_deprived_builder_sums_dimensions(tmp_path):
    path = tmp_path / "qs119.csv"
    rows = (
        [("E1", d, c) for d, c in enumerate([50, 30, 15, 4, 1])]
        + [("E2", d, c) for d, c in enumerate([10, 10, 0, 0, 0])]
        + [("E9", d, 1) for d in range(5)]
    )
    pd.DataFrame(
        rows, columns=["lsoa11_code", "households_number_deprivation_dimensions", "count"]
    ).to_csv(path, index=False)
    reg = load_indicator_registry()
    inputs = SourceInputs(layers={2019: layer(["E1", "E2"], [1, 2])},
                          datasets={"census2011_household_deprivation_leeds": path})  # fmt: skip
    out = build_indicator(reg["households_deprived_2plus"], inputs)  # 2021 skipped: no LSOA21 layer
    assert out[["area_code", "period", "numerator", "denominator"]].values.tolist() == [
        ["E1", "2011", 20, 100],
        ["E2", "2011", 0, 20],
    ]


def test_households_deprived_census_files_come_from_the_registry_entry():
    reg = load_indicator_registry()
    entry = reg["households_deprived_1plus"]
    inputs = SourceInputs(layers={2019: layer(["E1"], [1])}, datasets={})
    unlisted = replace(entry, params={"min_dimensions": 1, "census": {"2011": "bradford_qs119"}})
    with pytest.raises(IndicatorError, match=r"dataset\(s\) \['bradford_qs119'\] not listed"):
        build_indicator(unlisted, inputs)
    with pytest.raises(IndicatorError, match=r"params.census has year\(s\) \['2001'\]"):
        build_indicator(
            replace(entry, params={"min_dimensions": 1, "census": {"2001": "x"}}), inputs
        )


def test_full_path_on_a_synthetic_claimant_count(tmp_path):
    """A drop-in tidy file: registry entry → build → CSV → read → aggregate → check."""
    raw = tmp_path / "claimants.csv"
    pd.DataFrame(
        {
            "area_code": ["E1", "E2", "E3", "E1", "E2", "E3", "E8"],
            "geography": "LSOA11",
            "period": ["2024-01"] * 3 + ["2024-02"] * 3 + ["2024-02"],
            "numerator": [30, 6, 60, 35, np.nan, 70, 5],
            "denominator": [1000, 800, 1200, 1000, 800, 1200, 900],
        }
    ).assign(value=lambda d: d["numerator"] / d["denominator"] * 100).to_csv(raw, index=False)
    entry = ENTRY | {"title": "Claimant count", "datasets": ["claimant_count_leeds"],
                     "suppression": {"min_numerator": 10}}  # fmt: skip
    cc = parse_indicator("claimant_count", entry)
    inputs = SourceInputs(layers={2019: layer(["E1", "E2", "E3"], [1, 2, 3])},
                          datasets={"claimant_count_leeds": raw})  # fmt: skip
    built = build_indicator(cc, inputs)
    assert "E8" not in set(built["area_code"])  # outside the authority: dropped
    built.to_csv(tmp_path / "claimant_count.csv", index=False)
    pd.DataFrame({
        "lsoa_geography": "LSOA11", "lsoa_code": ["E1", "E2", "E3"],
        "lad_code": "L", "lad_name": "City", "ward_code": ["W1", "W1", "W2"],
        "ward_name": ["One", "One", "Two"],
    }).to_csv(tmp_path / "lsoa_membership.csv", index=False)  # fmt: skip
    lsoa = read_indicator(tmp_path / "claimant_count.csv", cc)
    out = aggregate_indicator(lsoa, read_membership(tmp_path / "lsoa_membership.csv"), cc,
                              source="claimant_count.csv").set_index(["tier", "area_code", "period"])  # fmt: skip
    assert out.loc[("ward", "W1", "2024-01"), "value"] == pytest.approx(36 / 1800 * 100)
    assert out.loc[
        ("ward", "W1", "2024-02"), ["numerator", "denominator", "lsoas_missing"]
    ].tolist() == [35, 1000, 1]
    assert out.loc[("city", "L", "2024-01"), "value"] == pytest.approx(96 / 3000 * 100)
    assert out.loc[("city", "L", "2024-01"), "area_name"] == "City"
    small = aggregate_indicator(
        lsoa.loc[lsoa["area_code"] == "E2"],
        read_membership(tmp_path / "lsoa_membership.csv"),
        cc,
        source="t",
    )
    w1 = small.set_index(["tier", "area_code", "period"]).loc[("ward", "W1")]
    assert w1["suppressed"].tolist() == [True, False]  # 6 < 10 suppressed; 2024-02 is a gap
    assert w1["value"].isna().all()


def test_leeds_only_indicators_are_not_built_elsewhere():
    reg = load_indicator_registry()
    assert reg["population"].authorities == ("E08000035",)
    assert not reg["population"].covers("E08000032") and reg["population"].covers("E08000035")
    assert reg["income_deprivation_rate"].covers("E08000032")


def test_membership_csv_without_committees_or_local_names(tmp_path):
    """Another authority: empty committee, wedge and local-name columns (read as floats)."""
    df = wide_membership().assign(community_committee_code=None, community_committee=None,
                                  local_name=None)  # fmt: skip
    df.to_csv(tmp_path / "lsoa_membership.csv", index=False)
    m = read_membership(tmp_path / "lsoa_membership.csv")
    assert set(m["tier"]) == {"city", "ward", "priority_neighbourhood"}
    assert m.loc[m["tier"] == "priority_neighbourhood", "area_name"].tolist() == [
        "E2",
        "E3",
        "E9",
        "E3",
    ]
