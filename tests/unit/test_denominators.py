"""Readers of the official population denominators, on small synthetic files.

IoD2015 File 6 (xlsx, openpyxl), IoD2025 File 7 denominators (CSV, transcribed in the
mirror) and the Census 2021 substitute (all usual residents; working age 16–64). Every
malformed file is an error naming the file and the column.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from geo.core.errors import GeoInputError
from geo.inputs.imd import (
    CENSUS_WORKING_AGE,
    FILE6_2015_COLUMNS,
    FILE6_2015_SHEET,
    SOURCE_2025_CENSUS,
    SOURCE_2025_FILE7,
    census_denominators,
    denominators_2025,
    population_sources,
    read_file6_2015,
    read_file7_2025_denominators,
)

CODE, TOTAL, WORKING = FILE6_2015_COLUMNS
HEADER = [CODE, "LSOA name (2011)", TOTAL, "Dependent Children aged 0-15: mid 2012", WORKING]


def write_file6(path: Path, rows: list[list[object]], *, header: list[str] = HEADER,
                sheet: str = FILE6_2015_SHEET, title_rows: int = 5) -> Path:  # fmt: skip
    wb = openpyxl.Workbook()
    wb.active.title = "Terms & Conditions"
    ws = wb.create_sheet(sheet)
    for i in range(title_rows):  # official copies may carry title lines above the header
        ws.append([f"title line {i + 1}"] if i == 0 else [])
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_file6_reads_total_and_fractional_working_age(tmp_path: Path) -> None:
    path = write_file6(tmp_path / "f6.xlsx", [
        ["E01000002", "b", 1200, 200, 700.25],
        ["E01000001", "a", 1000, 150, 603.5],
    ])  # fmt: skip
    got = read_file6_2015(path)
    assert list(got.columns) == ["lsoa_code", "population", "employment_population"]
    assert got["lsoa_code"].tolist() == ["E01000002", "E01000001"]
    assert got["population"].tolist() == [1200.0, 1000.0]
    assert got["employment_population"].tolist() == [700.25, 603.5]


def test_file6_header_on_the_first_row(tmp_path: Path) -> None:
    path = write_file6(tmp_path / "f6.xlsx", [["E01000001", "a", 10, 1, 6.75]], title_rows=0)
    assert read_file6_2015(path)["employment_population"].tolist() == [6.75]


def test_file6_working_age_column_without_its_trailing_space_is_named(tmp_path: Path) -> None:
    header = [*HEADER[:-1], WORKING.rstrip()]
    path = write_file6(tmp_path / "bad.xlsx", [["E01000001", "a", 10, 1, 6]], header=header)
    with pytest.raises(GeoInputError, match=r"bad\.xlsx, sheet 'Population Denominators'") as e:
        read_file6_2015(path)
    assert repr(WORKING) in str(e.value) and "missing column" in str(e.value)


def test_file6_non_numeric_value_names_file_column_and_lsoa(tmp_path: Path) -> None:
    path = write_file6(tmp_path / "f6.xlsx", [["E01000001", "a", "n/a", 1, 6]])
    with pytest.raises(GeoInputError, match=r"f6\.xlsx.*'Total population: mid 2012 .*E01000001"):
        read_file6_2015(path)


def test_file6_missing_sheet_and_duplicate_code(tmp_path: Path) -> None:
    wrong = write_file6(tmp_path / "s.xlsx", [["E01000001", "a", 1, 1, 1]], sheet="Sheet2")
    with pytest.raises(GeoInputError, match=r"s\.xlsx: no sheet 'Population Denominators'"):
        read_file6_2015(wrong)
    dup = write_file6(tmp_path / "d.xlsx", [["E01000001", "a", 1, 1, 1]] * 2)
    with pytest.raises(GeoInputError, match=r"d\.xlsx.*E01000001"):
        read_file6_2015(dup)


def test_file6_without_a_header_row(tmp_path: Path) -> None:
    path = write_file6(tmp_path / "h.xlsx", [], header=["code", "total"])
    with pytest.raises(GeoInputError, match=r"h\.xlsx.*no header row with column 'LSOA code"):
        read_file6_2015(path)


def write_census(path: Path, lsoas: dict[str, list[int]], *, groups: tuple[str, ...]) -> Path:
    rows = [
        {"lsoa21_code": code, "lsoa21_name": code, "age_group": g, "usual_residents": n}
        for code, counts in lsoas.items()
        for g, n in zip(groups, counts, strict=True)
    ]
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


ALL_GROUPS = ("Aged 15 years and under", *CENSUS_WORKING_AGE, "Aged 65 years and over")


def test_census_working_age_is_16_to_64(tmp_path: Path) -> None:
    path = write_census(tmp_path / "c.csv", {"E01000001": [10, 1, 2, 3, 4, 20],
                                             "E01000002": [0, 5, 5, 5, 5, 0]}, groups=ALL_GROUPS)  # fmt: skip
    got = census_denominators(path).set_index("lsoa_code")
    assert got.loc["E01000001", "population"] == 40
    assert got.loc["E01000001", "employment_population"] == 10
    assert got.loc["E01000002", "employment_population"] == 20


def test_census_missing_working_age_group_is_named(tmp_path: Path) -> None:
    groups = tuple(g for g in ALL_GROUPS if g != "Aged 35 to 49 years")
    path = write_census(tmp_path / "c.csv", {"E01000001": [1, 1, 1, 1, 1]}, groups=groups)
    with pytest.raises(GeoInputError, match=r"c\.csv: column 'age_group' lacks one of .*E01000001"):
        census_denominators(path)


F7 = {
    "LSOA code (2021)": "E01000001",
    "LSOA name (2021)": "a",
    "Total population: mid 2022": 1300,
    "Working age population 18-66 (for use with Employment Deprivation Domain): mid 2022": 763,
}


def test_file7_denominators_and_per_lsoa_source(tmp_path: Path) -> None:
    f7 = tmp_path / "f7.csv"
    pd.DataFrame([F7]).to_csv(f7, index=False)
    census = write_census(tmp_path / "c.csv", {"E01000001": [1, 1, 1, 1, 1, 1],
                                               "E01000002": [10, 1, 2, 3, 4, 20]}, groups=ALL_GROUPS)  # fmt: skip
    assert read_file7_2025_denominators(f7)["employment_population"].tolist() == [763.0]
    got = denominators_2025(file7=f7, census=census).set_index("lsoa_code")
    assert got.loc["E01000001", ["population", "employment_population"]].tolist() == [1300, 763]
    assert got.loc["E01000001", "population_source"] == SOURCE_2025_FILE7
    assert got.loc["E01000002", ["population", "employment_population"]].tolist() == [40, 10]
    assert got.loc["E01000002", "population_source"] == SOURCE_2025_CENSUS
    assert population_sources(got["population_source"]) == "; ".join(
        sorted([SOURCE_2025_CENSUS, SOURCE_2025_FILE7])
    )


def test_file7_malformed_column_is_named(tmp_path: Path) -> None:
    bad = {k: v for k, v in F7.items() if not k.startswith("Working age")}
    bad["Working age population 18-66: mid 2022"] = 763
    path = tmp_path / "f7.csv"
    pd.DataFrame([bad]).to_csv(path, index=False)
    with pytest.raises(GeoInputError, match=r"f7\.csv.*Working age population 18-66 \(for use"):
        read_file7_2025_denominators(path)


def test_file7_non_numeric_and_unknown_lsoa(tmp_path: Path) -> None:
    path = tmp_path / "f7.csv"
    pd.DataFrame([{**F7, "Total population: mid 2022": "x"}]).to_csv(path, index=False)
    with pytest.raises(GeoInputError, match=r"f7\.csv: column 'Total population: mid 2022'"):
        read_file7_2025_denominators(path)
    pd.DataFrame([{**F7, "LSOA code (2021)": "E01999999"}]).to_csv(path, index=False)
    census = write_census(tmp_path / "c.csv", {"E01000001": [1] * 6}, groups=ALL_GROUPS)
    with pytest.raises(GeoInputError, match=r"f7\.csv: column 'LSOA code \(2021\)'.*E01999999"):
        denominators_2025(file7=path, census=census)
