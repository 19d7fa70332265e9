from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo.core.errors import GeoInputError
from geo.inputs.postcodes import normalise_postcode, normalise_postcodes, read_nspl, read_sites
from geo.statistics.classify import Reference, classify_sites, summarise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ls1 1aa", "LS1 1AA"),
        ("LS11AA", "LS1 1AA"),
        ("  ls6\u00a09zz ", "LS6 9ZZ"),
        ("EC1A1BB", "EC1A 1BB"),
        ("W1A 0AX", "W1A 0AX"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
    ],
)
def test_normalise_postcode(raw: str, expected: str) -> None:
    assert normalise_postcode(raw) == expected


@pytest.mark.parametrize("raw", ["", "LS1", "LSI 1AA", "LS1 1A", "123 456", "LS1 1AAA", "L$1 1AA"])
def test_malformed_postcode_is_named(raw: str) -> None:
    with pytest.raises(ValueError, match="is not a UK postcode"):
        normalise_postcode(raw)
    assert normalise_postcodes(pd.Series([raw])).isna().all()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_of_postcodes_keeps_lines(tmp_path: Path) -> None:
    sites = read_sites(
        write(tmp_path / "a.csv", "Name,Post Code\nA,ls1 1aa\nB,\n"), postcode_column="Post Code"
    )
    assert sites.kind == "postcode"
    assert sites.frame["input_row"].tolist() == [2, 3]
    assert sites.frame["postcode_input"].tolist() == ["ls1 1aa", ""]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("lat,lon\n53.8,-1.5\n53.8,abc\n", r"b\.csv line 3: column 'lon' value 'abc' is not a lon"),
        ("lat,lon\n153.8,-1.5\n", r"b\.csv line 2: column 'lat' value '153.8' is not a lat"),
        ("easting,northing\n430000,433000\n430000,-5\n", r"line 3: column 'northing' value '-5'"),
        ("name,town\nA,Leeds\n", r"b\.csv: cannot tell how rows are located"),
        ("", r"b\.csv: the file is empty"),
    ],
)
def test_malformed_input_names_file_line_and_value(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(GeoInputError, match=match):
        read_sites(write(tmp_path / "b.csv", text))


def test_missing_file_and_non_point_features(tmp_path: Path) -> None:
    with pytest.raises(GeoInputError, match="no such file"):
        read_sites(tmp_path / "nope.csv")
    gdf = gpd.GeoDataFrame({"id": [1, 2]}, geometry=[Point(0, 0), box(0, 0, 1, 1)], crs=27700)
    gdf.to_file(tmp_path / "s.gpkg")
    with pytest.raises(GeoInputError, match=r"s\.gpkg feature 2: geometry must be a Point"):
        read_sites(tmp_path / "s.gpkg")


def test_nspl_reader_rejects_malformed_postcode(tmp_path: Path) -> None:
    path = write(tmp_path / "n.csv", "postcode,lad_code,lsoa21_code\nLS1 1AA,E1,L1\nBAD,E1,L1\n")
    with pytest.raises(GeoInputError, match=r"n\.csv line 3: malformed postcode 'BAD'"):
        read_nspl(path)


# --- the classifier on unit squares -------------------------------------------------------
# Authority A: LSOA21 X1 (= LSOA11 P1, unchanged) on [0,1]x[0,1]; LSOA21 X2 = merge of
# LSOA11 P2 ([1,2]x[0,1]) and P3 ([2,3]x[0,1]).


def reference(tmp_path: Path) -> Reference:
    def layer(codes: list[str], boxes: list[tuple[int, int]], ranks: list[int]) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(
            {
                "lsoa_code": codes,
                "lsoa_name": [f"{c} name" for c in codes],
                "imd_rank": ranks,
                "imd_decile": [1 + (r - 1) * 10 // 32_844 for r in ranks],
                "population": [1000.0] * len(codes),
            },
            geometry=[box(a, 0, b, 1) for a, b in boxes],
            crs=27700,
        )

    nspl = write(
        tmp_path / "nspl.csv",
        "pcds,laua,ward,lsoa21,lat,long,doterm\n"
        "LS1 1AA,A,W1,X1,,,\n"
        "LS2 2AA,A,W2,X2,,,\n"
        "LS3 3AA,A,W1,X1,,,202001\n"
        "BD1 1AA,B,W9,Y1,,,\n"
        "LS6 9ZZ,,,,,,\n",
    )
    return Reference(
        lad_code="A",
        layers={
            2019: layer(["P1", "P2", "P3"], [(0, 1), (1, 2), (2, 3)], [100, 3000, 20000]),
            2025: layer(["X1", "X2"], [(0, 1), (1, 3)], [6000, 500]),
        },
        members=pd.DataFrame(
            {
                "tier": ["city", "city", "city", "city", "city", "pn", "pn"],
                "area_code": ["A"] * 5 + ["N1", "N1"],
                "lsoa_year": [2011, 2011, 2011, 2021, 2021, 2011, 2021],
                "lsoa_code": ["P1", "P2", "P3", "X1", "X2", "P1", "X1"],
                "share": 1.0,
            }
        ),
        areas=pd.DataFrame(
            {"tier": ["city", "pn"], "area_code": ["A", "N1"], "area_name": ["Town", "North"]}
        ),
        postcodes=read_nspl(nspl),
        ward_lookup=pd.DataFrame(
            {
                "lsoa21_code": ["X1", "X2"],
                "ward24_code": ["W1", "W2"],
                "ward24_name": ["One", "Two"],
            }
        ),
        lsoa_changes=pd.DataFrame(
            {
                "lsoa11_code": ["P1", "P2", "P3"],
                "lsoa21_code": ["X1", "X2", "X2"],
                "change_code": ["U", "M", "M"],
            }
        ),
    )


def test_classify_postcodes_with_every_reason(tmp_path: Path) -> None:
    ref = reference(tmp_path)
    csv = write(
        tmp_path / "pc.csv",
        "pc,who\nls11aa,ann\nLS3 3AA,bob\nBD1 1AA,cy\nZZ9 9ZZ,di\nnope,ed\n,fi\nLS6 9ZZ,gus\n",
    )
    result = classify_sites(read_sites(csv, postcode_column="pc"), ref, passthrough=["who"])
    row = result.classified.iloc[0]
    assert (row["postcode"], row["lsoa21_code"], row["lsoa11_code"]) == ("LS1 1AA", "X1", "P1")
    assert row["imd2019_rank"] == 100 and bool(row["imd2019_national_1pct"])
    assert not bool(row["imd2025_national_1pct"]) and bool(row["imd2025_national_20pct"])
    assert row["tier_pn_code"] == "N1" and bool(row["in_pn"]) and "in_city" not in row
    assert row["who"] == "ann" and row["ward_name"] == "One"
    reasons = dict(zip(result.rejected["input_row"], result.rejected["reason_code"], strict=True))
    assert reasons == {
        3: "terminated",
        4: "outside",
        5: "unknown",
        6: "malformed",
        7: "blank",
        8: "no_lsoa",
    }
    assert "doterm 202001" in result.rejected.set_index("input_row").loc[3, "reason"]
    assert "postcode in B" in result.rejected.set_index("input_row").loc[4, "reason"]
    summary = summarise(result, ref).set_index(["section", "vintage", "group_code"])
    assert summary.loc[("input", "", "read"), "rows"] == 7
    one = summary.loc[("national", 2019, "1pct")]
    assert one["rows"] == 1 and one["population_share"] == pytest.approx(1 / 3)
    assert one["representation"] == pytest.approx(3.0)


def test_termination_dates_only_when_the_lookup_has_them(tmp_path: Path) -> None:
    """The mirror's extract has no doterm: the same postcode is then classified, not rejected."""
    full = reference(tmp_path)
    assert full.postcodes.set_index("postcode")["doterm"].dropna().to_dict() == {
        "LS3 3AA": "202001"
    }
    extract = write(
        tmp_path / "extract.csv",
        "postcode,lad_code,ward_code,lsoa21_code,lat,long\nLS1 1AA,A,W1,X1,,\nLS3 3AA,A,W1,X1,,\n",
    )
    postcodes = read_nspl(extract)
    assert postcodes["doterm"].isna().all() and str(postcodes["doterm"].dtype) == "string"
    sites = read_sites(write(tmp_path / "pc.csv", "postcode\nLS3 3AA\n"))
    kept = classify_sites(sites, replace(full, postcodes=postcodes))
    assert kept.rejected.empty and kept.classified["lsoa21_code"].tolist() == ["X1"]
    dropped = classify_sites(sites, full)
    assert dropped.classified.empty
    assert dropped.rejected["reason_code"].tolist() == ["terminated"]


def test_classify_points_resolves_merged_lsoa_by_polygon(tmp_path: Path) -> None:
    ref = reference(tmp_path)
    csv = write(tmp_path / "p.csv", "easting,northing\n0.5,0.5\n2.5,0.5\n9,9\n,\n")
    result = classify_sites(read_sites(csv), ref)
    got = result.classified[["lsoa21_code", "lsoa11_code", "ward_code"]].values.tolist()
    assert got == [["X1", "P1", "W1"], ["X2", "P3", "W2"]]
    assert result.classified["lsoa11_method"].iloc[1].startswith("merged LSOA")
    assert result.rejected["reason_code"].tolist() == ["outside", "blank"]
    assert "input_value" in result.rejected and "who" not in result.classified


def test_releases_on_2001_lsoas_go_through_the_lsoa01_links(tmp_path: Path) -> None:
    # P1 is unchanged since 2001 (Q1); P2 was merged from Q2 and Q3 (Q3 held most people).
    base = reference(tmp_path)
    ranks = {"Q1": 50, "Q2": 31_000, "Q3": 200}
    layer01 = gpd.GeoDataFrame(
        {"lsoa_code": list(ranks), "lsoa_name": [f"{c} name" for c in ranks],
         "imd_rank": list(ranks.values()), "imd_decile": [1, 10, 1], "population": 1000.0},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(1, 0, 2, 1)], crs=27700,
    )  # fmt: skip
    links = pd.DataFrame({
        "lsoa01_code": ["Q1", "Q2", "Q3"], "lsoa11_code": ["P1", "P2", "P2"],
        "change_code": ["U", "M", "M"], "share_of_lsoa01": 1.0, "share_of_lsoa11": [1, 0.3, 0.7],
    })  # fmt: skip
    csv = write(tmp_path / "p.csv", "easting,northing\n0.5,0.5\n1.5,0.5\n")
    sites = read_sites(csv)
    ref = replace(base, layers={**base.layers, 2010: layer01})
    with pytest.raises(GeoInputError, match="LSOA01-LSOA11 links"):
        classify_sites(sites, ref)
    result = classify_sites(sites, replace(ref, lsoa01_links=links)).classified
    assert result["lsoa11_code"].tolist() == ["P1", "P2"]
    assert result["lsoa01_code"].tolist() == ["Q1", "Q3"]
    assert result["lsoa01_method"].iloc[0] == "ONS LSOA01-LSOA11 lookup"
    assert result["lsoa01_method"].iloc[1].startswith("merged or irregular")
    assert result["imd2010_rank"].tolist() == [50, 200]
    assert result["imd2010_national_1pct"].tolist() == [True, True]
