"""Apportioning LSOAs to drawn neighbourhoods (geo.statistics.apportion) on synthetic geometry.

Four LSOAs, 100 m squares in a 2 x 2 grid (A B on top of C D), with made-up IoD figures;
postcode points are placed in the test.
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, Polygon, box

from geo.core.errors import ConfigError
from geo.core.io import write_csv, write_gpkg
from geo.inputs.neighbourhoods import COLUMNS
from geo.model.domains import INDICES, decile_col, rank_col, score_col
from geo.statistics.apportion import (
    FIT_COLUMNS,
    METHODS,
    TIER,
    TIER_COLUMNS,
    assign_points,
    build_comparison,
    build_drawn_tier,
    check_settings,
    read_postcode_points,
    shares_by_vintage,
)
from geo.statistics.measures import SUMMARY_COLUMNS, summarise_areas

X0, Y0 = 430_000.0, 433_000.0
N = 32_844
CODES = ["A", "B", "C", "D"]


def sq(x: float, y: float, w: float, h: float) -> Polygon:
    return box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + h)


@pytest.fixture
def lsoas() -> gpd.GeoDataFrame:
    rng = np.random.default_rng(4)
    data: dict[str, object] = {
        "lsoa_code": CODES,
        "lsoa_name": [f"Leeds 001{c}" for c in CODES],
        "lad_code": "E08000035",
        "lad_name": "Leeds",
        "population": [1500.0, 1200.0, 1800.0, 900.0],
        "employment_population": [900.0, 700.0, 1000.0, 500.0],
        "income_numerator": [300.0, 100.0, np.nan, 50.0],
        "employment_numerator": [120.0, 40.0, 200.0, 20.0],
        "population_source": "synthetic",
    }
    for index in INDICES:
        ranks = rng.choice(np.arange(1, N + 1), size=4, replace=False)
        ranks[0] = 38 if index.stem == "imd" else ranks[0]
        data[rank_col(index.stem)] = ranks
        data[decile_col(index.stem)] = np.ceil(ranks * 10 / N).astype(int)
        data[score_col(index.stem)] = np.round(rng.uniform(1, 80, 4), 3)
    data["in_national_1pct"] = np.asarray(data["imd_rank"]) <= 328
    geoms = [sq(0, 100, 100, 100), sq(100, 100, 100, 100), sq(0, 0, 100, 100), sq(100, 0, 100, 100)]
    return gpd.GeoDataFrame(data, geometry=geoms, crs=27700)


def drawn(*areas: tuple[str, Polygon]) -> gpd.GeoDataFrame:
    """Validated neighbourhoods (as geo.inputs.neighbourhoods returns them)."""
    n = len(areas)
    return gpd.GeoDataFrame(
        {
            "id": [a for a, _ in areas],
            "name": [a.upper() for a, _ in areas],
            "ward": "Armley",
            "notes": "",
            "illustrative": False,
            "source_file": [f"{a}.geojson" for a, _ in areas],
            "feature": [1] * n,
        },
        geometry=[g for _, g in areas],
        crs=27700,
    )[list(COLUMNS)]


def grid_points(lsoas: gpd.GeoDataFrame, per_side: int = 10) -> gpd.GeoDataFrame:
    """Points on a regular grid inside every LSOA, none on a boundary."""
    step = 200 / (2 * per_side)
    xs = X0 + step / 2 + np.arange(2 * per_side) * step
    ys = Y0 + step / 2 + np.arange(2 * per_side) * step
    pts = [Point(x, y) for x in xs for y in ys]
    return gpd.GeoDataFrame({"postcode": range(len(pts)), "postcodes": 1}, geometry=pts, crs=27700)


def tier_of(
    areas: gpd.GeoDataFrame,
    lsoas: gpd.GeoDataFrame,
    points: gpd.GeoDataFrame | None,
    method: str,
    vintage: int = 2019,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    shares = shares_by_vintage(areas, {vintage: lsoas}, points)
    tiers, table, fit = build_drawn_tier(
        areas, [shares], {vintage: lsoas}, method=method, threshold=0.95
    )
    assert list(table.columns) == list(TIER_COLUMNS)
    return tiers[vintage].set_index("area_code"), fit


# --------------------------------------------------------------------------------------
# Acceptance: exact reproduction, half by area, conservation
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["area", "postcode"])
def test_drawn_area_equal_to_one_lsoa_reproduces_its_figures_exactly(
    lsoas: gpd.GeoDataFrame, method: str
) -> None:
    tier, fit = tier_of(drawn(("b", lsoas.geometry.iloc[1])), lsoas, grid_points(lsoas), method)
    own = summarise_areas(
        pd.DataFrame(lsoas.drop(columns="geometry")).iloc[[1]].assign(area="b"),
        area_col="area",
        n_national=N,
        denominator_cols={"employment": "employment_population"},
    ).set_index("area")
    pd.testing.assert_series_equal(
        tier.loc["b", list(SUMMARY_COLUMNS)].astype(float),
        own.loc["b", list(SUMMARY_COLUMNS)].astype(float),
        check_exact=True,
    )
    assert tier.loc["b", "population"] == 1200.0
    assert tier.loc["b", "fit_verdict"] == "best-fit LSOA set"
    assert tier.loc["b", "best_fit_lsoas"] == "B"
    assert tier.loc["b", "area_share_in_whole_lsoas"] == 1.0
    assert list(fit["lsoa_code"]) == ["B"]  # neighbours touching along an edge do not count
    assert fit["share_used"].tolist() == [1.0]


def test_half_an_lsoa_by_area_gets_half_its_population(lsoas: gpd.GeoDataFrame) -> None:
    tier, fit = tier_of(drawn(("w", sq(0, 100, 50, 100))), lsoas, None, "area")
    assert tier.loc["w", "population"] == pytest.approx(750.0, rel=1e-12)
    assert tier.loc["w", "lsoas"] == pytest.approx(0.5, rel=1e-12)
    assert tier.loc["w", "income_scale"] == pytest.approx(150.0, rel=1e-12)
    assert tier.loc["w", "imd_average_rank"] == N + 1 - 38
    assert tier.loc["w", "fit_verdict"] == "apportioned"
    assert tier.loc["w", "apportion_method"] == METHODS["area"]
    row = fit.iloc[0]
    assert (row["lsoa_code"], row["fit"], row["population_share_basis"]) == (
        "A",
        "split",
        "area (no postcode dataset)",
    )
    assert row["population_apportioned"] == pytest.approx(750.0)


@pytest.mark.parametrize("method", ["area", "postcode"])
def test_population_is_conserved_when_drawn_areas_tile_the_authority(
    lsoas: gpd.GeoDataFrame, method: str
) -> None:
    rng = np.random.default_rng(7)
    pts = [Point(X0 + x, Y0 + y) for x, y in rng.uniform(0.5, 199.5, size=(400, 2))]
    points = gpd.GeoDataFrame({"postcode": range(400), "postcodes": 1}, geometry=pts, crs=27700)
    # Three irregular areas cutting across all four LSOAs.
    west = Polygon([(X0, Y0), (X0 + 70, Y0), (X0 + 130, Y0 + 200), (X0, Y0 + 200)])
    east_low = Polygon([(X0 + 70, Y0), (X0 + 200, Y0), (X0 + 200, Y0 + 90), (X0 + 97, Y0 + 90)])
    east_high = sq(0, 0, 200, 200).difference(west).difference(east_low)
    areas = drawn(("west", west), ("east-low", east_low), ("east-high", east_high))
    tier, fit = tier_of(areas, lsoas, points, method)
    assert tier["population"].sum() == pytest.approx(lsoas["population"].sum(), rel=1e-12)
    assert tier["lsoas"].sum() == pytest.approx(4.0, rel=1e-12)
    assert fit.groupby("lsoa_code")["share_used"].sum().to_numpy() == pytest.approx([1.0] * 4)
    assert (tier["fit_verdict"] == "apportioned").all()


# --------------------------------------------------------------------------------------
# Population weighting by postcode locations
# --------------------------------------------------------------------------------------


def test_postcode_weighting_follows_where_the_addresses_are(lsoas: gpd.GeoDataFrame) -> None:
    # LSOA A's addresses are all in its western half; the eastern half is a park.
    pts = [Point(X0 + 10 + 8 * i, Y0 + 150) for i in range(5)]
    pts += [Point(X0 + 150, Y0 + 150), Point(X0 + 50, Y0 + 50), Point(X0 + 150, Y0 + 50)]
    points = gpd.GeoDataFrame({"postcode": range(8), "postcodes": 1}, geometry=pts, crs=27700)
    areas = drawn(("west", sq(0, 100, 50, 100)), ("park", sq(50, 100, 50, 100)))
    by_postcode, fit = tier_of(areas, lsoas, points, "postcode")
    assert by_postcode.loc["west", "population"] == 1500.0
    assert by_postcode.loc["west", "population_by_area"] == pytest.approx(750.0)
    assert by_postcode.loc["west", "fit_verdict"] == "best-fit LSOA set"
    assert by_postcode.loc["park", "population"] == 0.0
    assert np.isnan(by_postcode.loc["park", "imd_average_score"])
    park = fit.set_index("area_code").loc["park"]
    assert (park["area_share"], park["population_share"], park["share_used"]) == (0.5, 0.0, 0.0)
    by_area, _ = tier_of(areas, lsoas, points, "area")
    assert by_area.loc["west", "population"] == pytest.approx(750.0)
    assert by_area.loc["park", "population"] == pytest.approx(750.0)


def test_lsoa_without_postcodes_falls_back_to_area(
    lsoas: gpd.GeoDataFrame, caplog: pytest.LogCaptureFixture
) -> None:
    points = gpd.GeoDataFrame(
        {"postcode": [1], "postcodes": 1}, geometry=[Point(X0 + 150, Y0 + 50)], crs=27700
    )
    with caplog.at_level(logging.WARNING, logger="geo"):
        tier, fit = tier_of(drawn(("x", sq(0, 0, 150, 100))), lsoas, points, "postcode")
    rows = fit.set_index("lsoa_code")
    assert rows.loc["C", "population_share_basis"] == "area (no postcode point in the LSOA)"
    assert rows.loc["C", "share_used"] == 1.0
    assert rows.loc["D", "population_share"] == 1.0  # its one point is inside
    assert "have no postcode point; shared by area: A, B, C" not in caplog.text
    assert "shared by area: C" in caplog.text
    assert tier.loc["x", "population"] == 2700.0


def test_postcodes_at_one_location_count_once(tmp_path: Path) -> None:
    path = tmp_path / "pc.csv"
    pd.DataFrame(
        {
            "postcode": ["LS1 1AA", "LS1 1AB", "LS1 1AD", "LS2 7EX", "LS6 9ZZ"],
            "lat": [53.79632, 53.79632, 53.79632, 53.8, None],
            "long": [-1.56413, -1.56413, -1.56413, -1.55, None],
        }
    ).to_csv(path, index=False)
    pts = read_postcode_points(path, crs="EPSG:27700")
    assert len(pts) == 2 and pts.crs == "EPSG:27700"
    assert sorted(pts["postcodes"]) == [1, 3]


def test_points_on_a_shared_boundary_go_to_one_lsoa(lsoas: gpd.GeoDataFrame) -> None:
    points = gpd.GeoDataFrame(
        {"postcode": [1, 2]},
        geometry=[Point(X0 + 100, Y0 + 150), Point(X0 + 500, Y0 + 500)],
        crs=27700,
    )
    got = assign_points(points, lsoas)
    assert got["lsoa_code"].tolist() == ["A"]


# --------------------------------------------------------------------------------------
# Fit verdict
# --------------------------------------------------------------------------------------


def test_fit_verdict_rule(lsoas: gpd.GeoDataFrame) -> None:
    # A whole, plus 3% of B: every LSOA >= 95% inside or <= 5% -> best-fit LSOA set.
    near, fit = tier_of(drawn(("n", sq(0, 100, 103, 100))), lsoas, None, "area")
    assert near.loc["n", "fit_verdict"] == "best-fit LSOA set"
    assert (near.loc["n", "lsoas_inside"], near.loc["n", "lsoas_outside"]) == (1, 1)
    assert near.loc["n", "best_fit_lsoas"] == "A"
    assert fit.set_index("lsoa_code")["fit"].to_dict() == {"A": "inside", "B": "outside"}
    # A whole plus 10% of B: B is split.
    split, _ = tier_of(drawn(("s", sq(0, 100, 110, 100))), lsoas, None, "area")
    assert split.loc["s", "fit_verdict"] == "apportioned"
    assert split.loc["s", "lsoas_split"] == 1


# --------------------------------------------------------------------------------------
# Outputs, comparison, settings
# --------------------------------------------------------------------------------------


def test_no_neighbourhoods_gives_empty_outputs(lsoas: gpd.GeoDataFrame, tmp_path: Path) -> None:
    from geo.inputs.neighbourhoods import empty_neighbourhoods

    tiers, table, fit = build_drawn_tier(
        empty_neighbourhoods(), [], {2019: lsoas, 2025: lsoas}, method="postcode", threshold=0.95
    )
    assert table.empty and list(table.columns) == list(TIER_COLUMNS)
    assert fit.empty and list(fit.columns) == list(FIT_COLUMNS)
    write_gpkg({f"imd{v}": t for v, t in tiers.items()}, tmp_path / "t.gpkg")
    write_csv(table, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text().startswith("area_code,area_name,tier,vintage,")


def test_names_are_written_as_plain_text(lsoas: gpd.GeoDataFrame, tmp_path: Path) -> None:
    areas = drawn(("x", lsoas.geometry.iloc[0]))
    areas["name"] = "<script>alert(1)</script>"
    tiers, table, _ = build_drawn_tier(
        areas,
        [shares_by_vintage(areas, {2019: lsoas}, None)],
        {2019: lsoas},
        method="area",
        threshold=0.95,
    )
    write_csv(table, tmp_path / "t.csv")
    write_gpkg({"imd2019": tiers[2019]}, tmp_path / "t.gpkg")
    assert pd.read_csv(tmp_path / "t.csv")["area_name"].iloc[0] == "<script>alert(1)</script>"
    back = gpd.read_file(tmp_path / "t.gpkg", layer="imd2019")
    assert back["area_name"].iloc[0] == "<script>alert(1)</script>"
    assert (back["tier"] == TIER).all() and back["geometry_source"].iloc[0] == "drawn: x.geojson"


def test_comparison_pairs_each_priority_lsoa_with_its_drawn_area(
    lsoas: gpd.GeoDataFrame,
) -> None:
    # Only A (rank 38) is in the national 1%; the drawn area holds A and half of C.
    areas = drawn(("a-plus", sq(0, 50, 100, 150)))
    shares = shares_by_vintage(areas, {2019: lsoas}, None)
    _, table, fit = build_drawn_tier(areas, [shares], {2019: lsoas}, method="area", threshold=0.95)
    membership = pd.DataFrame(
        {"lsoa_geography": ["LSOA11"], "lsoa_code": ["A"], "local_name": ["Holbeck"]}
    )
    got = build_comparison(
        {2019: lsoas},
        priority_vintage=2019,
        fit=fit,
        tier=table,
        points=None,
        method="area",
        threshold=0.95,
        membership=membership,
    )
    row = got.iloc[0]
    assert (row["lsoa_code"], row["lsoa_name"], row["drawn_code"], row["drawn_name"]) == (
        "A",
        "Holbeck",
        "a-plus",
        "A-PLUS",
    )
    assert row["pairing_population_share"] == 1.0
    assert row["lsoa_population"] == 1500.0
    assert row["drawn_population"] == pytest.approx(2400.0)
    assert row["population_difference"] == pytest.approx(900.0)
    assert row["drawn_fit_verdict"] == "apportioned"


def test_comparison_without_drawn_areas_keeps_the_lsoa_side(lsoas: gpd.GeoDataFrame) -> None:
    _, table, fit = build_drawn_tier(drawn()[0:0], [], {2019: lsoas}, method="area", threshold=0.95)
    got = build_comparison(
        {2019: lsoas},
        priority_vintage=2019,
        fit=fit,
        tier=table,
        points=None,
        method="area",
        threshold=0.95,
    )
    assert got["lsoa_code"].tolist() == ["A"]
    assert got["lsoa_population"].tolist() == [1500.0]
    assert got["drawn_code"].isna().all() and got["drawn_population"].isna().all()


def test_settings_are_checked() -> None:
    ok = {"apportion": "postcode", "postcodes": "postcodes_leeds"}
    assert check_settings(ok) is ok
    with pytest.raises(
        ConfigError, match=r"neighbourhoods\.apportion: 'postcode' needs a postcode"
    ):
        check_settings({"apportion": "postcode", "postcodes": None})
    with pytest.raises(ConfigError, match=r"'oa' is not one of postcode, area"):
        check_settings({"apportion": "oa", "postcodes": None})
