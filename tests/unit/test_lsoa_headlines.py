import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from geo.core.errors import ConfigError, GeoInputError, JoinError
from geo.inputs.imd import VINTAGES, decile_from_rank, domain_ranks_from_transformed
from geo.inputs.lsoa import add_national_flags, build_lsoa_layer
from geo.model.releases import Thresholds
from geo.statistics.headlines import build_headlines, rank_authorities

THRESHOLDS = {"most_deprived_1pct": 1, "most_deprived_10pct": 10}


def national(ranks, lads):
    n = len(ranks)
    ranks = pd.Series(ranks, dtype="Int64")
    return pd.DataFrame(
        {
            "lsoa_code": [f"E0{i:07d}" for i in range(n)],
            "lsoa_name": [f"Area {i}" for i in range(n)],
            "lad_code": lads,
            "lad_name": lads,
            "imd_rank": ranks,
            "imd_decile": decile_from_rank(ranks, n_national=32_844),
            "population": np.full(n, 1500.0),
        }
    )


def test_thresholds_at_the_boundaries():
    df = add_national_flags(
        national([1, 328, 329, 3284, 3285], ["A"] * 5),
        vintage=VINTAGES[2019],
        thresholds=THRESHOLDS,
    )
    assert df["in_national_1pct"].tolist() == [True, True, False, False, False]
    assert df["in_national_10pct"].tolist() == [True, True, True, True, False]
    assert df["national_percentile"].tolist() == [1, 1, 2, 10, 11]
    assert VINTAGES[2025].threshold_rank(1) == 337
    assert VINTAGES[2025].threshold_rank(10) == 3375


def test_twenty_percent_band_is_deciles_one_and_two():
    df = add_national_flags(
        national([1, 3285, 6568, 6569, 33_000 - 156], ["A"] * 5),
        vintage=VINTAGES[2019],
        thresholds=THRESHOLDS,  # no 20% key: the official 20
    )
    assert df["in_national_20pct"].tolist() == [True, True, True, False, False]
    assert VINTAGES[2019].rank_20pct() == 6568 and VINTAGES[2025].rank_20pct() == 6751
    # A decile that disagrees with the rank at the official 20% is an error naming the LSOA.
    bad = national([6568], ["A"]).assign(imd_decile=3)
    with pytest.raises(
        GeoInputError,
        match=r"'imd_decile' <= 2 disagrees with 'imd_rank' <= 6568 for LSOA\(s\) E00000000",
    ):
        add_national_flags(bad, vintage=VINTAGES[2019], thresholds=THRESHOLDS)
    # A configured 25% is counted by rank, no decile to agree with.
    wide = add_national_flags(national([8000, 8212], ["A"] * 2), vintage=VINTAGES[2019],
                              thresholds={**THRESHOLDS, "most_deprived_20pct": 25})  # fmt: skip
    assert wide["in_national_20pct"].tolist() == [True, False]


def test_twenty_percent_must_lie_above_ten():
    with pytest.raises(
        ConfigError, match=r"most_deprived_20pct \(5\) must be above most_deprived_10pct \(10\)"
    ):
        Thresholds.from_config({**THRESHOLDS, "most_deprived_20pct": 5})
    assert Thresholds.from_config(THRESHOLDS).label("20pct") == "20%"


def test_headlines_count_the_twenty_percent_beside_the_others():
    nat = national([5, 3000, 5000, 20_000, 6000], ["A", "A", "A", "A", "B"])
    head = build_headlines({2019: nat}, lad_code="A", thresholds=THRESHOLDS).iloc[0]
    assert (head["lsoas_in_national_1pct"], head["lsoas_in_national_10pct"],
            head["lsoas_in_national_20pct"]) == (1, 2, 3)  # fmt: skip
    assert head["share_in_national_20pct"] == 0.75
    assert head["population_in_national_20pct"] == 3 * 1500.0


def test_build_layer_joins_boundaries_and_keeps_national_ranks():
    nat = national([5, 20_000, 300], ["A", "A", "B"])
    bounds = gpd.GeoDataFrame(
        {"lsoa_code": nat["lsoa_code"][:2]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=27700
    )
    layer = build_lsoa_layer(
        nat, bounds, lad_code="A", vintage=2019, thresholds=THRESHOLDS, crs="EPSG:27700", source="t"
    )
    assert layer["imd_rank"].tolist() == [5, 20_000]
    assert layer.crs.to_epsg() == 27700
    assert layer["in_national_1pct"].tolist() == [True, False]


def test_unknown_authority_is_named():
    nat = national([5, 6], ["A", "A"])
    with pytest.raises(
        GeoInputError, match=r"config lad_code: 'E08999999' is not a local authority"
    ):
        build_lsoa_layer(
            nat,
            gpd.GeoDataFrame(geometry=[], crs=27700),
            lad_code="E08999999",
            vintage=2019,
            thresholds=THRESHOLDS,
            crs="EPSG:27700",
            source="t",
        )


def test_boundary_missing_an_lsoa_is_named():
    nat = national([5, 6], ["A", "A"])
    bounds = gpd.GeoDataFrame(
        {"lsoa_code": [nat["lsoa_code"][0]]}, geometry=[box(0, 0, 1, 1)], crs=27700
    )
    with pytest.raises(
        JoinError, match=r"boundaries: no row for 1 lsoa_code value\(s\).*E00000001"
    ):
        build_lsoa_layer(
            nat,
            bounds,
            lad_code="A",
            vintage=2019,
            thresholds=THRESHOLDS,
            crs="EPSG:27700",
            source="t",
        )


def test_authorities_ranked_with_shared_lowest_rank():
    df = pd.DataFrame(
        {
            "lad_code": list("AABBCCD"),
            "in_national_10pct": [True, True, True, False, True, False, False],
        }
    )
    ranks = rank_authorities(df).set_index("lad_code")
    assert ranks["lad_rank_by_share_in_10pct"].to_dict() == {"A": 1, "B": 2, "C": 2, "D": 4}
    assert set(ranks["lads_ranked"]) == {4}


def test_domain_ranks_recovered_from_transformed_scores():
    labels = [
        "Income",
        "Employment",
        "Education, Skills and Training",
        "Health Deprivation and Disability",
        "Crime",
        "Barriers to Housing and Services",
        "Living Environment",
    ]
    df = pd.DataFrame({"lsoa_code": ["a", "b", "c", "d"]})
    for label in labels:
        df[f"{label} Score - exponentially transformed"] = [50.0, 99.9, 0.002, 0.002]
    out = domain_ranks_from_transformed(df, n_national=4, source="f9")
    assert out["income_rank"].tolist() == [2, 1, 3, 3]
    assert out["crime_decile"].tolist() == [5, 3, 8, 8]
