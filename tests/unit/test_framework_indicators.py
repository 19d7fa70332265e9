"""The framework's indicator layer on small synthetic files: readers, geographies, sums."""

from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pytest

from geo.statistics.indicators import IndicatorError, aggregate_indicator, parse_indicator
from geo.statistics.indicators.checks import check_published_totals, published_totals
from geo.statistics.indicators.geographies import (
    build_links,
    msoa21_codes,
    msoa21_of_lsoa21,
    source_members,
)
from geo.statistics.indicators.membership import from_drawn_fit
from geo.statistics.indicators.readers import (
    read_census2011_population,
    read_census_long,
    read_fuel_poverty_lsoa,
    read_police_uk,
    read_statxplore,
    statxplore_period,
)
from geo.statistics.indicators.tidy import tidy_frame

# --- Stat-Xplore ---------------------------------------------------------------------------

TITLE = """Stat-Xplore

"Households on Universal Credit (I II III IV z)"
"National - Regional - LA - OAs by Month"

Filters:
"Default Summation","Households on Universal Credit"

"""
HEADER = '"Month","August 2015","August 2015 - Annotations","September 2015 (p)","September 2015 - Annotations",\n'
GEO = '"National - Regional - LA - OAs",\n'
FOOT = '"Total",30,,40,,\n\n"z","..  denotes nil or negligible"\n'


def statx(tmp_path, body, *, title=TITLE, name="uc.csv"):
    path = tmp_path / name
    path.write_text(title + HEADER + GEO + body + FOOT, encoding="utf-8")
    return path


def test_statxplore_reads_title_lines_periods_and_keeps_suppressed_missing(tmp_path):
    path = statx(tmp_path, '"Leeds 001",..,,12,,\n"Leeds 002",5,,"1,204",,\n')
    df = read_statxplore(path)
    assert list(df["period"].unique()) == ["2015-08", "2015-09"]
    got = df.set_index(["area_name", "period"])["value"]
    assert np.isnan(got[("Leeds 001", "2015-08")])  # '..' is missing, not 0
    assert got[("Leeds 001", "2015-09")] == 12
    assert got[("Leeds 002", "2015-09")] == 1204
    assert df.loc[df["period"] == "2015-09", "provisional"].all()
    assert "Total" not in set(df["area_name"])
    assert df.set_index("area_name")["line"].to_dict()["Leeds 002"] == 12


def test_statxplore_without_title_lines_and_financial_years(tmp_path):
    path = tmp_path / "cilif.csv"
    path.write_text('"Year","2014/15","2014/15 - Annotations","2021/22 (p)","2021/22 - Annotations",\n'
                    + GEO + '"Leeds 001",62,,57,,\n', encoding="utf-8")  # fmt: skip
    df = read_statxplore(path)
    assert list(df["period"]) == ["FYE2015", "FYE2022"]
    assert statxplore_period("2019/20", source="x").period == "FYE2020"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '"Leeds 001",abc,,12,,\n',
            r"uc.csv: line 11: field 'August 2015' has value 'abc', not a count or '\.\.'",
        ),
        ('"Leeds 001",-3,,12,,\n', r"line 11: field 'August 2015' has value '-3'"),
        ('"Leeds 001",3,,12\n', r"line 11: 4 cells, expected 5 \(area 'Leeds 001'\)"),
    ],
)
def test_statxplore_malformed_values_name_file_line_and_value(tmp_path, body, message):
    with pytest.raises(IndicatorError, match=message):
        read_statxplore(statx(tmp_path, body))


def test_statxplore_malformed_headers(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text('"Region","A","B"\n"x",1,2\n', encoding="utf-8")
    with pytest.raises(IndicatorError, match=r"bad.csv: no Stat-Xplore header row"):
        read_statxplore(bad)
    bad.write_text('"Month","Agust 2015","Agust 2015 - Annotations",\n"x",1,,\n', encoding="utf-8")
    with pytest.raises(IndicatorError, match=r"bad.csv: line 1: period header 'Agust 2015'"):
        read_statxplore(bad)
    bad.write_text('"Month","August 2015","Notes",\n"x",1,,\n', encoding="utf-8")
    with pytest.raises(IndicatorError, match=r"line 1: column after 'August 2015' is 'Notes'"):
        read_statxplore(bad)


# --- police.uk -----------------------------------------------------------------------------

POLICE_HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
                 "LSOA name,Crime type,Last outcome category,Context\n")  # fmt: skip


def police(tmp_path, rows):
    path = tmp_path / "2016-07-street.csv"
    lines = [f"id{i},{m},WYP,WYP,-1.5,53.8,On or near X,{code},Leeds 001A,{kind},,"
             for i, (m, code, kind) in enumerate(rows)]  # fmt: skip
    path.write_text(POLICE_HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_police_uk_counts_by_month_lsoa_and_type_and_drops_unlocated(tmp_path):
    path = police(tmp_path, [("2016-07", "E01000001", "Burglary"), ("2016-07", "E01000001", "Burglary"),
                             ("2016-07", "E01000002", "Anti-social behaviour"),
                             ("2016-07", "", "Drugs")])  # fmt: skip
    df = read_police_uk(path)
    assert df.to_dict("records") == [
        {"month": "2016-07", "lsoa_code": "E01000001", "crime_type": "Burglary", "records": 2},
        {"month": "2016-07", "lsoa_code": "E01000002", "crime_type": "Anti-social behaviour", "records": 1},
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("2016-07", "E01000001", "Drugs"), ("July 2016", "E01000001", "Drugs")],
         r"street.csv: line 3: field 'Month' has value 'July 2016' \(expected YYYY-MM\)"),
        ([("2016-07", "X123", "Drugs")], r"line 2: field 'LSOA code' has value 'X123'"),
        ([("2016-07", "E01000001", "")], r"line 2: field 'Crime type' has value ''"),
    ],
)  # fmt: skip
def test_police_uk_malformed_records_name_file_line_and_value(tmp_path, rows, message):
    with pytest.raises(IndicatorError, match=message):
        read_police_uk(police(tmp_path, rows))


def test_police_uk_missing_column(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("Month,LSOA code\n2016-07,E01000001\n", encoding="utf-8")
    with pytest.raises(IndicatorError, match=r"Crime type"):
        read_police_uk(path)


# --- BEIS fuel poverty, census ----------------------------------------------------------------


def fuel_workbook(tmp_path, rows):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Contents"
    ws = wb.create_sheet("Table 3")
    ws.append(["Table 3: Fuel Poverty by LSOA, 2020"])
    ws.append([])
    ws.append(["LSOA Code", "LSOA Name", "LA Code", "LA Name", "Region", "Number of households",
               "Number of households in fuel poverty", "Proportion (%)"])  # fmt: skip
    for r in rows:
        ws.append(r)
    path = tmp_path / "fuel.xlsx"
    wb.save(path)
    return path


def test_fuel_poverty_finds_the_lsoa_table_below_its_title(tmp_path):
    path = fuel_workbook(tmp_path, [["E01000001", "A", "E09", "L", "R", 936, 40, 4.3],
                                    ["E01000002", "B", "E09", "L", "R", 893, None, None],
                                    ["Note: totals", None, None, None, None, None, None, None]])  # fmt: skip
    df = read_fuel_poverty_lsoa(path)
    assert df["lsoa_code"].tolist() == ["E01000001", "E01000002"]
    assert df["fuel_poor"].iloc[0] == 40
    assert np.isnan(df["fuel_poor"].iloc[1])


def test_fuel_poverty_malformed_count_names_sheet_row_and_value(tmp_path):
    path = fuel_workbook(tmp_path, [["E01000001", "A", "E09", "L", "R", "many", 40, 4.3]])
    with pytest.raises(
        IndicatorError,
        match=r"fuel.xlsx: sheet 'Table 3' row 4: field 'households' has value 'many'",
    ):
        read_fuel_poverty_lsoa(path)


def test_census_long_gz_and_its_arithmetic(tmp_path):
    path = tmp_path / "tenure.csv.gz"
    text = ("lsoa21_code,total_households,tenure,n,prop\n"
            "E01000001,10,Owned,6,0.6\nE01000001,10,Private rented,4,0.4\n")  # fmt: skip
    path.write_bytes(gzip.compress(text.encode()))
    df = read_census_long(path, category="tenure", total="total_households")
    assert df["n"].sum() == 10
    path.write_bytes(gzip.compress(text.replace(",4,0.4", ",5,0.4").encode()))
    with pytest.raises(
        IndicatorError, match=r"do not add to 'total_households' for LSOA\(s\) E01000001"
    ):
        read_census_long(path, category="tenure", total="total_households")
    path.write_bytes(gzip.compress(text.replace(",4,0.4", ",four,0.4").encode()))
    with pytest.raises(IndicatorError, match=r"line 3: field 'n' has value 'four'"):
        read_census_long(path, category="tenure", total="total_households")


def test_census2011_thousands_separators_and_malformed(tmp_path):
    path = tmp_path / "c11.csv"
    head = "Region code,LSOA Code,LSOA Name,,Persons,Persons,Persons,Households\n"
    path.write_text(head + 'E12,E01000001,A,,"1,563","1,517",46,666\n', encoding="utf-8")
    df = read_census2011_population(path)
    assert df.iloc[0].to_dict() == {
        "lsoa_code": "E01000001",
        "residents": 1563.0,
        "households": 666.0,
    }
    path.write_text(head + 'E12,E01000001,A,,"1.563",1,46,666\n', encoding="utf-8")
    with pytest.raises(IndicatorError, match=r"c11.csv: line 2: field 'Persons' has value '1.563'"):
        read_census2011_population(path)


# --- geographies and sums -------------------------------------------------------------------


def meta(**over):
    entry = {"title": "T", "definition": "D", "unit": "%", "kind": "rate", "multiplier": 100,
             "polarity": "higher_is_worse", "source": "S", "source_url": "u", "builder": "tidy",
             "suppression": {"min_numerator": 3}} | over  # fmt: skip
    return parse_indicator("x", entry)


LSOAS = pd.DataFrame({
    "lsoa_code": ["L1", "L2", "L3", "L4"],
    "lsoa_name": ["Leeds 001A", "Leeds 001B", "Leeds 002A", "Leeds 002B"],
    "population": [100.0, 300.0, 200.0, 200.0],
})  # fmt: skip


def names_file(tmp_path, extra=""):
    path = tmp_path / "names.csv"
    path.write_text("msoa21cd,msoa21nm,msoa21hclnm\nM1,Leeds 001,North\nM2,Leeds 002,South\n" + extra,
                    encoding="utf-8")  # fmt: skip
    return path


def membership():
    rows = [("ward", "W1", "L1", 1.0), ("ward", "W1", "L2", 1.0), ("ward", "W2", "L3", 1.0),
            ("ward", "W2", "L4", 1.0), ("pn", "P1", "L1", 1.0), ("pn", "P1", "L3", 1.0),
            ("city", "C", "L1", 1.0), ("city", "C", "L2", 1.0), ("city", "C", "L3", 1.0),
            ("city", "C", "L4", 1.0), ("drawn_neighbourhood", "D1", "L2", 0.5)]  # fmt: skip
    return pd.DataFrame([{"geography": "LSOA21", "tier": t, "area_code": a, "area_name": a,
                          "lsoa_code": lsoa, "share": s} for t, a, lsoa, s in rows])  # fmt: skip


def links(tmp_path):
    return build_links(lad_code="E08", lsoa11=None, lsoa21=LSOAS, msoa11_lookup=None,
                       msoa21_names=names_file(tmp_path))  # fmt: skip


def msoa_table(m, values):
    return tidy_frame(["M1", "M2"], geography="MSOA21", period="FYE2015",
                      numerator=pd.Series(values), denominator=pd.Series([40.0, 50.0]), meta=m)  # fmt: skip


def test_msoa21_of_lsoa21_by_name_and_unmatched_names_are_errors(tmp_path):
    got = msoa21_of_lsoa21(LSOAS, names_file(tmp_path))
    assert got["msoa_code"].tolist() == ["M1", "M1", "M2", "M2"]
    odd = LSOAS.assign(lsoa_name=["Leeds 001A", "Leeds 001B", "Leeds 009A", "Leeds 002B"])
    with pytest.raises(
        IndicatorError, match=r"names.csv: field 'msoa21nm' has no row for MSOA name\(s\) Leeds 009"
    ):
        msoa21_of_lsoa21(odd, names_file(tmp_path))


def test_msoa21_codes_find_each_authority_msoa_once_and_name_the_absent(tmp_path, caplog):
    link = msoa21_of_lsoa21(LSOAS, names_file(tmp_path))
    # A file on the 2011 MSOAs lacks the MSOAs new in 2021: they are gaps, and said so.
    partial = msoa21_codes(["Leeds 001", "York 001"], link, source="f.csv")
    assert partial.set_index("msoa_name")["in_file"].to_dict() == {"Leeds 001": True,
                                                                    "Leeds 002": False}  # fmt: skip
    assert "1 of the authority's 2 MSOA names are not in the file" in caplog.text
    assert "Leeds 002" in caplog.text
    with pytest.raises(
        IndicatorError, match=r"f.csv: none of the authority's 2 MSOA names is in the file"
    ):
        msoa21_codes(["York 001"], link, source="f.csv")
    with pytest.raises(
        IndicatorError, match=r"f.csv: MSOA name\(s\) on more than one line: Leeds 001"
    ):
        msoa21_codes(["Leeds 001", "Leeds 001", "Leeds 002"], link, source="f.csv")
    assert msoa21_codes(["Leeds 001", "Leeds 002", "Other"], link, source="f")[
        "msoa_code"
    ].tolist() == ["M1", "M2"]


def test_tiers_of_whole_msoas_sum_exactly(tmp_path):
    m = meta()
    out = aggregate_indicator(msoa_table(m, [10.0, 20.0]), membership(), m, source="t",
                              links=links(tmp_path)).set_index(["tier", "area_code"])  # fmt: skip
    for area, num, den in (
        (("ward", "W1"), 10, 40),
        (("ward", "W2"), 20, 50),
        (("city", "C"), 30, 90),
    ):
        row = out.loc[area]
        assert (row["numerator"], row["denominator"]) == (num, den)
        assert not row["is_estimate"]
        assert row["method"] in {"sum of whole MSOA21s"}
        assert row["source_geography"] == "MSOA21"
        assert row["lsoa_geography"] == "LSOA21"


def test_apportioned_estimates_are_flagged_with_their_method(tmp_path):
    m = meta()
    out = aggregate_indicator(msoa_table(m, [12.0, 20.0]), membership(), m, source="t",
                              links=links(tmp_path)).set_index(["tier", "area_code"])  # fmt: skip
    p1 = out.loc[("pn", "P1")]
    # L1 holds 100 of M1's 400 people, L3 200 of M2's 400
    assert p1["numerator"] == pytest.approx(12 * 0.25 + 20 * 0.5)
    assert p1["denominator"] == pytest.approx(40 * 0.25 + 50 * 0.5)
    assert p1["is_estimate"]
    assert (
        p1["method"]
        == "MSOA21 counts shared to LSOA21s by population (Census 2021 usual residents)"
    )
    d1 = out.loc[("drawn_neighbourhood", "D1")]  # half of L2 (300 of 400 in M1)
    assert d1["numerator"] == pytest.approx(12 * 0.5 * 300 / 400)
    assert d1["is_estimate"]


def test_lsoa_level_drawn_shares_are_estimates_and_whole_lsoa_sets_exact():
    m = meta()
    lsoa = tidy_frame(["L1", "L2", "L3", "L4"], geography="LSOA21", period="2021",
                      numerator=pd.Series([5.0, 6.0, 7.0, 8.0]), denominator=pd.Series([50.0] * 4),
                      meta=m)  # fmt: skip
    out = aggregate_indicator(lsoa, membership(), m, source="t").set_index(["tier", "area_code"])
    assert not out.loc[("ward", "W1"), "is_estimate"]
    assert out.loc[("ward", "W1"), "method"] == "sum of whole LSOA21s"
    assert out.loc[("drawn_neighbourhood", "D1"), "is_estimate"]
    assert "postcode" in out.loc[("drawn_neighbourhood", "D1"), "method"]
    assert out.loc[("drawn_neighbourhood", "D1"), "numerator"] == pytest.approx(3.0)


def test_suppressed_source_values_stay_missing_not_zero(tmp_path):
    m = meta()
    out = aggregate_indicator(msoa_table(m, [np.nan, 20.0]), membership(), m, source="t",
                              links=links(tmp_path)).set_index(["tier", "area_code"])  # fmt: skip
    w1 = out.loc[("ward", "W1")]
    assert np.isnan(w1["value"]) and np.isnan(w1["numerator"])
    assert w1["lsoas_missing"] == 1
    # the city sums what is published and counts the missing MSOA
    assert out.loc[("city", "C"), "numerator"] == 20
    assert out.loc[("city", "C"), "lsoas_missing"] == 1
    small = aggregate_indicator(msoa_table(m, [2.0, 20.0]), membership(), m, source="t",
                                links=links(tmp_path)).set_index(["tier", "area_code"])  # fmt: skip
    assert small.loc[("ward", "W1"), "suppressed"] and np.isnan(small.loc[("ward", "W1"), "value"])


def test_source_members_shares_add_to_the_areas_population(tmp_path):
    got = source_members(membership(), links(tmp_path), geography="MSOA21", source="t")
    city = got.loc[got["tier"] == "city"]
    assert city["whole"].all() and sorted(city["lsoa_code"]) == ["M1", "M2"]
    p1 = got.loc[got["area_code"] == "P1"].set_index("lsoa_code")["share"]
    assert p1.to_dict() == {"M1": pytest.approx(0.25), "M2": pytest.approx(0.5)}


def test_drawn_fit_membership_and_disagreeing_releases():
    fit = pd.DataFrame({"vintage": [2019, 2015, 2025], "area_code": ["D1"] * 3, "area_name": ["D"] * 3,
                        "lsoa_code": ["L1", "L1", "N1"], "share_used": [0.4, 0.4, 1.0]})  # fmt: skip
    got = from_drawn_fit(fit, source="fit.csv")
    assert sorted(zip(got["geography"], got["lsoa_code"], got["share"], strict=True)) == [
        ("LSOA11", "L1", 0.4), ("LSOA21", "N1", 1.0)]  # fmt: skip
    with pytest.raises(
        Exception, match=r"fit.csv: releases on one LSOA geography give different shares"
    ):
        from_drawn_fit(fit.assign(share_used=[0.4, 0.5, 1.0]), source="fit.csv")


def test_published_totals_check_within_and_outside_tolerance(tmp_path):
    msoa = statx(tmp_path, '"Leeds 001",..,,12,,\n"Leeds 002",5,,30,,\n"York 001",7,,9,,\n')
    ltla = tmp_path / "ltla.csv"
    ltla.write_text(HEADER + GEO + '"Leeds",8,,42,,\n"York",7,,9,,\n', encoding="utf-8")
    table = published_totals(msoa, ltla, lsoa21=LSOAS, msoa21_names=names_file(tmp_path),
                             lad_name="Leeds", source="uc")  # fmt: skip
    assert table["msoa_sum"].tolist() == [5, 42]
    assert table["msoas_suppressed"].tolist() == [1, 0]
    assert table["within_tolerance"].all()
    ltla.write_text(HEADER + GEO + '"Leeds",8,,90,,\n', encoding="utf-8")
    table = published_totals(msoa, ltla, lsoa21=LSOAS, msoa21_names=names_file(tmp_path),
                             lad_name="Leeds", source="uc")  # fmt: skip
    with pytest.raises(Exception, match=r"uc 2015-09: MSOA sum 42 vs published 90"):
        check_published_totals(table)
    # An MSOA of the authority missing from the MSOA table: the sum cannot be compared.
    msoa = statx(tmp_path, '"Leeds 001",..,,12,,\n"York 001",7,,9,,\n')
    table = published_totals(msoa, ltla, lsoa21=LSOAS, msoa21_names=names_file(tmp_path),
                             lad_name="Leeds", source="uc")  # fmt: skip
    assert table["msoas_not_in_file"].tolist() == [1, 1]
    assert table["within_tolerance"].isna().all()
    assert check_published_totals(table) is table


def test_phe_local_health_multiline_headers_and_malformed_values(tmp_path):
    from geo.statistics.indicators.readers import read_phe_local_health

    path = tmp_path / "phe.csv"
    head = 'Code,Label,"Fuel Poverty\n 2018",Total population\n'
    path.write_text(
        head + "E02000001,Leeds 001,5.9,6572\nE02000002,Leeds 002,,100\n", encoding="utf-8"
    )
    df = read_phe_local_health(path, columns=["Fuel Poverty 2018", "Total population"])
    assert df["Fuel Poverty 2018"].iloc[0] == 5.9 and np.isnan(df["Fuel Poverty 2018"].iloc[1])
    path.write_text(head + "E02000001,Leeds 001,n/a,6572\n", encoding="utf-8")
    with pytest.raises(
        IndicatorError, match=r"phe.csv: line 3: field 'Fuel Poverty 2018' has value 'n/a'"
    ):
        read_phe_local_health(path, columns=["Fuel Poverty 2018", "Total population"])
    with pytest.raises(IndicatorError, match=r"line 1: missing column\(s\) \['Unemployment'\]"):
        read_phe_local_health(path, columns=["Unemployment"])


def test_england_sums_english_lsoas_only(tmp_path):
    from geo.statistics.indicators.england import england_indicators

    path = tmp_path / "tenure.csv.gz"
    text = ("lsoa21_code,total_households,tenure,n,prop\n"
            "E01000001,10,Owned,6,0.6\nE01000001,10,Private rented,4,0.4\n"
            "W01000001,10,Owned,0,0\nW01000001,10,Private rented,10,1\n")  # fmt: skip
    path.write_bytes(gzip.compress(text.encode()))
    m = parse_indicator("private_renting", {
        "title": "T", "definition": "D", "unit": "% of households", "kind": "proportion",
        "multiplier": 100, "polarity": "neutral", "source": "S", "source_url": "u",
        "builder": "census21_share", "datasets": ["tenure"],
        "params": {"category": "tenure", "total": "total_households", "categories": ["Private rented"]},
    })  # fmt: skip
    other = meta()  # a tidy indicator: no England figure
    out = england_indicators({"private_renting": m, "x": other}, {"tenure": path})
    assert out.to_dict("records") == [{"indicator": "private_renting", "period": "2021", "numerator": 4.0,
                                       "denominator": 10.0, "value": 40.0, "lsoas": 1}]  # fmt: skip
