"""mapclassify classes of continuous map values, and the breaks table written beside them."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.core.errors import ConfigError
from geo.presentation.site.classify import (
    BREAK_COLUMNS,
    breaks_table,
    classify,
    classify_site_layers,
    read_breaks,
)

CLUSTERS = [1.0, 1.2, 1.1, 10.0, 10.5, 11.0, 50.0, 52.0, 51.0]


def test_fisher_jenks_finds_natural_breaks():
    c = classify(
        CLUSTERS, layer="t", field="score", vintage=2019, scheme="fisher_jenks", k=3, decimals=3
    )
    assert c.bins == (1.2, 11.0, 52.0)
    assert c.counts == (3, 3, 3)
    assert c.minimum == 1.0


def test_quantiles_give_equal_counts():
    c = classify(
        list(range(1, 13)), layer="t", field="x", vintage=2025, scheme="quantiles", k=4, decimals=1
    )
    assert c.counts == (3, 3, 3, 3)
    assert c.bins[-1] == 12


def test_class_of_uses_upper_bounds_inclusive():
    c = classify(
        CLUSTERS, layer="t", field="score", vintage=2019, scheme="fisher_jenks", k=3, decimals=3
    )
    assert [c.of(v) for v in (1.0, 1.2, 1.21, 11.0, 52.0, 99.0)] == [0, 0, 1, 1, 2, 2]
    assert c.of(None) is None and c.of(float("nan")) is None


def test_fewer_distinct_values_than_k_give_fewer_classes():
    c = classify(
        [3.0, 3.0, 7.0], layer="t", field="x", vintage=2019, scheme="fisher_jenks", k=5, decimals=2
    )
    assert c.bins == (3.0, 7.0)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"scheme": "jenks"}, ConfigError, "site.classification.scheme: 'jenks'"),
        ({"k": 1}, ConfigError, "site.classification.k: 1"),
        ({"values": [None, float("nan")]}, ValueError, "layer 't': no value of 'x'"),
    ],
)
def test_bad_classification_names_the_culprit(kwargs, error, match):
    args = {"values": [1.0, 2.0, 3.0], "scheme": "quantiles", "k": 2}
    args.update(kwargs)
    values = args.pop("values")
    with pytest.raises(error, match=match):
        classify(values, layer="t", field="x", vintage=2019, decimals=1, **args)


def test_breaks_table_round_trips():
    c = classify(
        CLUSTERS,
        layer="lsoa_imd_score_2019",
        field="imd_score",
        vintage=2019,
        scheme="fisher_jenks",
        k=3,
        decimals=3,
    )
    table = breaks_table([c])
    assert tuple(table.columns) == BREAK_COLUMNS
    assert table["class"].tolist() == [1, 2, 3]
    assert table["lower"].tolist() == [1.0, 1.2, 11.0]
    assert read_breaks(table) == {"lsoa_imd_score_2019": c}


def test_site_layers_cover_lsoa_scores_and_tier_averages():
    lsoas = {2019: pd.DataFrame({"imd_score": CLUSTERS})}
    summaries = {
        "city": pd.DataFrame({"vintage": [2019], "imd_average_score": [20.0]}),
        "ward": pd.DataFrame({"vintage": [2019] * 3, "imd_average_score": [5.0, 15.0, 40.0]}),
        "wedge_2010": pd.DataFrame({"vintage": [2019], "imd_average_score": [20.0]}),
    }
    layers = [c.layer for c in classify_site_layers(lsoas, summaries, scheme="fisher_jenks", k=5)]
    assert layers == ["lsoa_imd_score_2019", "ward_imd_average_score_2019"]
