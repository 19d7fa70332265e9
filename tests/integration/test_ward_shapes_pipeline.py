"""Ward shapes on the real Leeds build: Armley agrees with its best-fit LSOAs and the ward
layer, at the vertex density of the 20 m LSOAs; ward.gpkg's first layer carries the shapes."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
import yaml

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def agreement(built_repo: Path) -> pd.DataFrame:
    return pd.read_csv(built_repo / "data/processed/ward_shape_agreement.csv").set_index(
        "ward_name"
    )


def test_every_ward_has_a_shape_and_an_agreement_row(built_repo, agreement):
    assert len(agreement) == 33
    assert agreement["output_areas"].sum() == 2543  # every Leeds Output Area, once
    out = pd.read_csv(built_repo / "data/processed/ward_output_areas.csv")
    assert out["oa_code"].is_unique and len(out) == 2543
    assert set(out["oa_ward_method"]) <= {"postcodes", "lsoa21_best_fit"}
    assert agreement["agreement_best_fit"].median() >= 0.85


def test_armley_agrees_with_its_best_fit_lsoas_and_the_ward_layer(built_repo, agreement):
    armley = agreement.loc["Armley"]
    assert armley["agreement_best_fit"] >= 0.9
    assert armley["agreement_official"] >= 0.8
    layers = [
        name for name, _ in pyogrio.list_layers(built_repo / "data/processed/tiers/ward.gpkg")
    ]
    vintages = yaml.safe_load((built_repo / "config.yaml").read_text())["vintages"]
    assert layers[0] == f"imd{vintages[0]}"  # the first release, on the good shape
    first = gpd.read_file(built_repo / "data/processed/tiers/ward.gpkg", layer=layers[0])
    shape = first.loc[first["area_name"] == "Armley"].geometry.iloc[0]
    assert "Output Areas" in first["geometry_source"].iloc[0]
    # the layer's shape is the one measured, and its best-fit LSOA set is drawn alongside
    assert shape.area / 1e6 == pytest.approx(armley["shape_km2"], rel=1e-3)
    best = gpd.read_file(built_repo / "data/processed/tiers/ward.gpkg", layer="best_fit_lsoa21")
    fit = best.loc[best["area_name"] == "Armley"].geometry.iloc[0]
    iou = shapely.area(shapely.intersection(shape, fit)) / shapely.area(shapely.union(shape, fit))
    assert iou == pytest.approx(armley["agreement_best_fit"], abs=0.01)


def test_armley_vertex_density_is_that_of_the_20m_lsoas(built_repo, agreement):
    lsoas = gpd.read_file(built_repo / "data/processed/lsoa_imd.gpkg", layer="imd2025")
    density = shapely.get_num_coordinates(lsoas.geometry.to_numpy()).sum() / (
        lsoas.geometry.length.sum() / 1000
    )
    armley = agreement.loc["Armley"]
    assert 0.5 * density <= armley["vertices_per_km"] <= 1.5 * density
    assert armley["vertices_per_km"] > 4 * armley["official_vertices_per_km"]
