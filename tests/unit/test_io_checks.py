import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Polygon, box

from geo.core.checks import check_geometry, merge_validated
from geo.core.errors import GeometryError, JoinError
from geo.core.io import atomic_path, read_csv, write_gpkg


def test_read_csv_handles_bom_and_thousands(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(
        '\ufeffLSOA code (2011),Rank\nE01000001,"29,199"\nE01000002,"1,296"\n'.encode()
    )
    df = read_csv(path)
    assert list(df.columns) == ["LSOA code (2011)", "Rank"]
    assert df["Rank"].tolist() == [29199, 1296]


def test_atomic_path_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.csv"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("partial")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_gpkg_is_byte_reproducible(tmp_path):
    gdf = gpd.GeoDataFrame(
        {"code": ["a", "b"]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=27700
    )
    write_gpkg({"one": gdf, "two": gdf}, tmp_path / "a.gpkg")
    write_gpkg({"one": gdf, "two": gdf}, tmp_path / "b.gpkg")
    assert (tmp_path / "a.gpkg").read_bytes() == (tmp_path / "b.gpkg").read_bytes()


def test_merge_reports_unmatched_codes():
    left = pd.DataFrame({"lsoa_code": ["E1", "E2", "E3"]})
    right = pd.DataFrame({"lsoa_code": ["E1"], "x": [1]})
    with pytest.raises(
        JoinError, match=r"pop\.csv: no row for 2 lsoa_code value\(s\) of imd\.csv: E2, E3"
    ):
        merge_validated(left, right, on="lsoa_code", left_name="imd.csv", right_name="pop.csv")


def test_merge_reports_duplicated_codes():
    left = pd.DataFrame({"lsoa_code": ["E1", "E2"]})
    right = pd.DataFrame({"lsoa_code": ["E1", "E2", "E2"], "x": [1, 2, 3]})
    with pytest.raises(
        JoinError, match=r"pop\.csv: field 'lsoa_code' has duplicated value\(s\): E2"
    ):
        merge_validated(left, right, on="lsoa_code", left_name="imd.csv", right_name="pop.csv")


def test_merge_strict_reports_extra_codes():
    left = pd.DataFrame({"lsoa_code": ["E1"]})
    right = pd.DataFrame({"lsoa_code": ["E1", "E9"], "x": [1, 2]})
    with pytest.raises(JoinError, match=r"1 lsoa_code value\(s\) not in imd\.csv: E9"):
        merge_validated(
            left,
            right,
            on="lsoa_code",
            left_name="imd.csv",
            right_name="pop.csv",
            right_may_have_extra=False,
        )


BOWTIE = Polygon([(0, 0), (2, 2), (2, 0), (0, 2), (0, 0)])


def frame(geoms, crs=27700):
    return gpd.GeoDataFrame({"code": [f"E{i}" for i in range(len(geoms))]}, geometry=geoms, crs=crs)


def test_no_crs_is_an_error():
    with pytest.raises(GeometryError, match=r"b\.geojson: the layer has no CRS"):
        check_geometry(
            frame([box(0, 0, 1, 1)], crs=None), source="b.geojson", id_col="code", repair=False
        )


def test_invalid_geometry_names_feature_and_location():
    with pytest.raises(
        GeometryError, match=r"invalid geometry for code E1: Self-intersection\[1 1\]"
    ):
        check_geometry(frame([box(0, 0, 1, 1), BOWTIE]), source="b", id_col="code", repair=False)


def test_invalid_geometry_repaired_when_allowed():
    out = check_geometry(frame([BOWTIE]), source="b", id_col="code", repair=True)
    assert out.geometry.is_valid.all()
    assert out.geometry.area.iloc[0] == pytest.approx(2.0)


def test_empty_and_wrong_type_are_errors():
    with pytest.raises(GeometryError, match=r"empty or missing geometry for code E0"):
        check_geometry(frame([Polygon()]), source="b", id_col="code", repair=False)
    with pytest.raises(GeometryError, match=r"Polygon or MultiPolygon; got E0 \(LineString\)"):
        check_geometry(
            frame([LineString([(0, 0), (1, 1)])]), source="b", id_col="code", repair=False
        )
