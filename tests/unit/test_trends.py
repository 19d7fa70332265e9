"""The watchlist's trend section: changes against the city and the areas its rule selects."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.core.errors import ConfigError
from geo.statistics.indicators import parse_indicator
from geo.statistics.trends import TrendRules, area_trends, month_before


def meta(polarity="higher_is_worse"):
    return parse_indicator("uc", {"title": "UC", "definition": "d", "unit": "per 100 households",
                                  "kind": "rate", "multiplier": 100, "polarity": polarity,
                                  "source": "s", "source_url": "u", "builder": "tidy"})  # fmt: skip


def table(series):
    rows = []
    for (tier, code), values in series.items():
        for period, value in values.items():
            rows.append({"tier": tier, "area_code": code, "area_name": code.title(), "period": period,
                         "value": value, "is_estimate": tier != "city"})  # fmt: skip
    return pd.DataFrame(rows)


SERIES = {
    ("city", "C"): {"2020-11": 10.0, "2022-11": 12.0, "2023-11": 13.0},
    ("ward", "a"): {"2020-11": 10.0, "2022-11": 12.0, "2023-11": 16.0},  # +4 vs city +1 (12m)
    ("ward", "b"): {"2020-11": 10.0, "2022-11": 12.0, "2023-11": 13.5},  # +1.5
    ("ward", "c"): {"2020-11": 20.0, "2022-11": 14.0, "2023-11": 15.0},  # +1 (3y: -5)
    ("ward", "d"): {"2020-11": 10.0, "2022-11": np.nan, "2023-11": 30.0},  # no 12m figure
}


def test_month_before():
    assert month_before("2023-11", 12) == "2022-11"
    assert month_before("2023-02", 3) == "2022-11"
    assert month_before("2023-11", 36) == "2020-11"


def test_changes_against_the_city_and_the_selection_rule():
    rules = TrendRules(windows_months=(12, 36), tiers=("ward",), worse_than_city_by=0.5, top=2)
    out = area_trends(table(SERIES), meta(), rules=rules)
    w12 = out.loc[out["window_months"] == 12].set_index("area_code")
    assert w12.loc["a", "change"] == 4 and w12.loc["a", "city_change"] == 1
    assert w12.loc["a", "change_vs_city"] == 3
    assert np.isnan(w12.loc["d", "change_vs_city"]) and not w12.loc["d", "listed"]
    assert sorted(w12.index[w12["listed"]]) == ["a", "b"]  # c: 0 < 0.5
    w36 = out.loc[out["window_months"] == 36].set_index("area_code")
    assert w36.loc["d", "change_vs_city"] == 17  # +20 against the city's +3
    assert sorted(w36.index[w36["listed"]]) == ["a", "d"]  # top 2 of a (+3), d (+17), b (+0.5)
    assert w36.loc["b", "rank"] == 3 and not w36.loc["b", "listed"]


def test_higher_is_better_reverses_the_direction():
    rules = TrendRules(windows_months=(12,), tiers=("ward",), worse_than_city_by=0.5, top=5)
    out = area_trends(table(SERIES), meta("higher_is_better"), rules=rules).set_index("area_code")
    assert out.loc["a", "change_vs_city"] == -3
    assert out.index[out["listed"]].tolist() == []


def test_rules_from_config_and_non_monthly_series():
    assert TrendRules.from_config({"windows_months": [6]}).windows_months == (6,)
    with pytest.raises(ConfigError, match=r"unknown key\(s\) \['window'\]"):
        TrendRules.from_config({"window": 6})
    with pytest.raises(ConfigError, match=r"not monthly"):
        area_trends(table({("city", "C"): {"2019": 1.0}}), meta(), rules=TrendRules())
