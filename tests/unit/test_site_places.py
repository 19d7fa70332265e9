"""Place labels: neighbourhood names at the centre of their people, areas named inside."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, Polygon, box

from geo.core.errors import GeoInputError
from geo.presentation.site.places import (
    PLACE,
    area_labels,
    labels_to_json,
    labels_within,
    place_labels,
    read_centroids,
)


def _names(tmp_path: Path) -> Path:
    path = tmp_path / "names.csv"
    path.write_text(
        "\ufeffmsoa21cd,msoa21nm,msoa21hclnm\nM1,Leeds 001,Hyde Park\nM2,Leeds 002,Lincoln Green\n",
        encoding="utf-8",
    )
    return path


def _lsoas() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"lsoa_code": ["L1", "L2", "L3"], "lsoa_name": ["Leeds 001A", "Leeds 001B", "Leeds 002A"],
         "population": [1000.0, 3000.0, 1500.0]},
        geometry=[box(0, 0, 1, 1)] * 3, crs=27700,
    )  # fmt: skip


def test_a_place_sits_at_the_population_weighted_centre_of_its_lsoas(tmp_path: Path) -> None:
    csv = tmp_path / "pwc.csv"
    csv.write_text("FID,LSOA21CD,x,y\n1,L1,400000,430000\n2,L2,404000,434000\n"
                   "3,L3,410000,440000\n4,E01099999,1,1\n", encoding="utf-8")  # fmt: skip
    labels = place_labels(_lsoas(), names_path=_names(tmp_path), centroids=read_centroids(csv))
    assert [(lb.text, lb.kind) for lb in labels] == [("Hyde Park", PLACE), ("Lincoln Green", PLACE)]
    hyde = labels[0]
    assert (hyde.x, hyde.y) == pytest.approx((403000, 433000))  # (1 × L1 + 3 × L2) / 4
    assert (labels[1].x, labels[1].y) == (410000, 440000)
    entries = labels_to_json(labels)
    lat, lon = entries[0]["p"]
    assert 53.7 < lat < 53.9 and -2.0 < lon < -1.9  # west of Leeds
    assert entries[0]["z"] == [13, 19]


def test_an_lsoa_without_a_centroid_is_named(tmp_path: Path) -> None:
    csv = tmp_path / "pwc.csv"
    csv.write_text("LSOA21CD,x,y\nL1,400000,430000\nL2,404000,434000\n", encoding="utf-8")
    with pytest.raises(GeoInputError, match=r"no point for LSOA.*L3"):
        place_labels(_lsoas(), names_path=_names(tmp_path), centroids=read_centroids(csv))
    csv.write_text("LSOA21CD,x,y\nL1,4e5,north\n", encoding="utf-8")
    with pytest.raises(GeoInputError, match=r"pwc.csv: fields 'x'/'y' are not numbers.*L1"):
        read_centroids(csv)


def test_areas_are_named_inside_their_shape_one_zoom_band_per_tier() -> None:
    # A U-shaped ward: its centroid lies outside it; the label must not.
    u = Polygon([(0, 0), (3000, 0), (3000, 3000), (2000, 3000), (2000, 1000), (1000, 1000),
                 (1000, 3000), (0, 3000)])  # fmt: skip
    wards = gpd.GeoDataFrame({"area_code": ["W1"], "area_name": ["Armley"]}, geometry=[u],
                             crs=27700)  # fmt: skip
    committees = gpd.GeoDataFrame({"area_code": ["C1"], "area_name": ["Inner West"]},
                                  geometry=[box(0, 0, 3000, 3000)], crs=27700)  # fmt: skip
    assert not u.contains(u.centroid)
    both = area_labels({"ward": wards, "committee": committees}, ["committee", "ward"])
    assert [(lb.text, lb.zooms) for lb in both] == [("Inner West", (0, 11)), ("Armley", (12, 12))]
    assert u.contains(Point(both[1].x, both[1].y))
    alone = area_labels({"ward": wards}, ["committee", "ward"])
    assert [(lb.kind, lb.zooms) for lb in alone] == [("ward", (0, 12))]


def test_a_page_gets_the_labels_near_its_bounds() -> None:
    entries = [{"t": "near", "p": [53.80, -1.55]}, {"t": "edge", "p": [53.85, -1.55]},
               {"t": "far", "p": [54.5, -1.55]}]  # fmt: skip
    got = labels_within(entries, [[53.75, -1.6], [53.82, -1.5]])
    assert [e["t"] for e in got] == ["near", "edge"]
    assert labels_within(entries, None) == entries
    assert labels_to_json([]) == []
