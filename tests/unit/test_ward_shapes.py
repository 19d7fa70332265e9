"""Ward shapes from Output Areas assigned by their postcodes, on a small synthetic grid."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from geo.core.errors import GeoInputError
from geo.geography.ward_shapes import (
    AGREEMENT_COLUMNS,
    ASSIGNMENT_COLUMNS,
    assign_output_areas,
    build_ward_shapes,
    postcode_points,
    shape_agreement,
)

CRS = "EPSG:27700"
LAD = "E08000001"
WARDS = pd.DataFrame({"ward_code": ["W1", "W2"], "ward_name": ["West", "East"]})

# Four 100 m Output Areas in a row: O1 O2 | O3 O4; the ward line runs between O2 and O3.
OAS = gpd.GeoDataFrame(
    {"oa_code": ["O1", "O2", "O3", "O4"]},
    geometry=[box(0, 0, 100, 100), box(100, 0, 200, 100), box(200, 0, 300, 100),
              box(300, 0, 400, 100)],
    crs=CRS,
)  # fmt: skip
# Two LSOAs 2021: L1 = O1+O2 (best fit W1), L2 = O3+O4 (best fit W2).
LSOA21 = gpd.GeoDataFrame(
    {"lsoa_code": ["L1", "L2"]}, geometry=[box(0, 0, 200, 100), box(200, 0, 400, 100)], crs=CRS
)
BEST_FIT = pd.DataFrame({"lsoa21_code": ["L1", "L2"], "ward_code": ["W1", "W2"]})


def _points(rows: list[tuple[float, float, str]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"postcode": [f"LS1 {i}AA" for i in range(len(rows))], "ward_code": [r[2] for r in rows]},
        geometry=gpd.points_from_xy([r[0] for r in rows], [r[1] for r in rows]),
        crs=CRS,
    )


def test_majority_of_postcodes_and_lsoa_fallback_for_an_empty_output_area():
    # O1: W1; O2: two W1, one W2 (majority W1); O3: W2 and W1 tie (lower code W1); O4 empty.
    points = _points([(50, 50, "W1"), (150, 20, "W1"), (150, 50, "W1"), (150, 80, "W2"),
                      (250, 50, "W2"), (260, 50, "W1")])  # fmt: skip
    out = assign_output_areas(OAS, points, lsoa21=LSOA21, best_fit=BEST_FIT, wards=WARDS)
    assert tuple(out.columns) == ASSIGNMENT_COLUMNS
    got = out.set_index("oa_code")
    assert got["ward_code"].to_dict() == {"O1": "W1", "O2": "W1", "O3": "W1", "O4": "W2"}
    assert got.loc["O2", "oa_ward_postcode_share"] == pytest.approx(2 / 3)
    assert got.loc["O4", "oa_ward_method"] == "lsoa21_best_fit"
    assert got.loc["O4", "oa_postcodes"] == 0
    assert np.isnan(got.loc["O4", "oa_ward_postcode_share"])
    assert got["oa_postcodes"].to_dict() == {"O1": 1, "O2": 3, "O3": 2, "O4": 0}


def test_postcode_ward_of_another_authority_is_an_error():
    points = _points([(50, 50, "W9")])
    with pytest.raises(GeoInputError, match="W9"):
        assign_output_areas(OAS, points, lsoa21=LSOA21, best_fit=BEST_FIT, wards=WARDS)


def test_ward_with_no_output_area_is_named():
    points = _points([(50, 50, "W1"), (150, 50, "W1"), (250, 50, "W1"), (350, 50, "W1")])
    with pytest.raises(GeoInputError, match="W2"):
        assign_output_areas(OAS, points, lsoa21=LSOA21, best_fit=BEST_FIT, wards=WARDS)


def test_dissolved_shapes_and_their_agreement():
    points = _points([(50, 50, "W1"), (150, 50, "W1"), (250, 50, "W1"), (350, 50, "W2")])
    assignment = assign_output_areas(OAS, points, lsoa21=LSOA21, best_fit=BEST_FIT, wards=WARDS)
    shapes = build_ward_shapes(OAS, assignment, wards=WARDS, source="test OAs")
    assert shapes["ward_code"].tolist() == ["W1", "W2"]
    assert shapes["ward_name"].tolist() == ["West", "East"]
    west = shapes.geometry.iloc[0]
    assert west.geom_type == "Polygon"  # one polygon, not three squares
    assert west.area == pytest.approx(30_000)
    official = gpd.GeoDataFrame(
        {"ward_code": ["W1", "W2"]}, geometry=[box(0, 0, 200, 100), box(200, 0, 400, 100)], crs=CRS
    )
    union = gpd.GeoSeries(LSOA21.geometry.to_numpy(), index=pd.Index(["W1", "W2"]), crs=CRS)
    table = shape_agreement(shapes, official=official, best_fit=union, assignment=assignment)
    assert tuple(table.columns) == AGREEMENT_COLUMNS
    row = table.set_index("ward_code").loc["W1"]
    # W1 shape 0-300 against outline 0-200: intersection 20,000 / union 30,000.
    assert row["agreement_official"] == pytest.approx(2 / 3, abs=1e-4)
    assert row["agreement_best_fit"] == pytest.approx(2 / 3, abs=1e-4)
    assert row["official_area_covered"] == pytest.approx(1.0)
    assert row["output_areas"] == 3
    assert row["ward_postcodes"] == 3
    east = table.set_index("ward_code").loc["W2"]
    assert east["agreement_official"] == pytest.approx(0.5)
    assert east["vertices"] == shapely.get_num_coordinates(shapes.geometry.iloc[1])


def test_agreement_needs_every_published_outline():
    points = _points([(50, 50, "W1"), (150, 50, "W1"), (250, 50, "W2"), (350, 50, "W2")])
    assignment = assign_output_areas(OAS, points, lsoa21=LSOA21, best_fit=BEST_FIT, wards=WARDS)
    shapes = build_ward_shapes(OAS, assignment, wards=WARDS, source="test OAs")
    official = gpd.GeoDataFrame({"ward_code": ["W1"]}, geometry=[box(0, 0, 200, 100)], crs=CRS)
    union = gpd.GeoSeries(LSOA21.geometry.to_numpy(), index=pd.Index(["W1", "W2"]), crs=CRS)
    with pytest.raises(GeoInputError, match=r"published outline.*W2"):
        shape_agreement(shapes, official=official, best_fit=union, assignment=assignment)


def test_postcode_points_keep_live_located_postcodes_of_the_authority():
    nspl = pd.DataFrame(
        {
            "postcode": ["LS1 1AA", "LS1 1AB", "LS1 1AD", "BD1 1AA"],
            "lad_code": [LAD, LAD, LAD, "E08000032"],
            "ward_code": ["W1", "W1", "W2", "X1"],
            "lat": [53.8, np.nan, 53.8, 53.8],
            "long": [-1.5, np.nan, -1.55, -1.7],
            "doterm": [pd.NA, pd.NA, "202001", pd.NA],
        }
    )
    points = postcode_points(nspl, lad_code=LAD, crs=CRS)
    assert points["postcode"].tolist() == ["LS1 1AA"]
    assert points.crs == CRS
    assert 400_000 < points.geometry.x.iloc[0] < 450_000
