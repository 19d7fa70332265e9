"""Load each IoD release into one canonical national LSOA table.

Canonical columns (one row per LSOA in England): ``lsoa_code, lsoa_name, lad_code,
lad_name``, then for the IMD and each domain ``<stem>_rank, <stem>_decile, <stem>_score``
(see :mod:`geo.model.domains`; scores are missing where the release's scores are not available),
then ``population`` (the measure denominator), ``employment_population`` (working-age
denominator of the Employment domain; equal to ``population`` where not published),
``population_source`` (which denominator each row uses: sources may differ by LSOA),
``income_numerator`` and ``employment_numerator`` (missing where not available). Published
national ranks are kept as they are; nothing is re-ranked within an authority.

Denominators: IoD2010 its mid-2008 denominators (official, LSOA 2001); IMD 2004 and 2007 a
third-party tidied table (the only one found, named as such in ``population_source``);
IoD2015 and IoD2019 their File 6 (mid-2012, mid-2015); IoD2025 File 7
(mid-2022) wherever the registered File 7 denominators have the LSOA, else Census 2021 usual
residents (all ages; 16–64 for the Employment domain), named per row in ``population_source``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from geo.core.checks import merge_validated, require_columns, require_unique, show
from geo.core.errors import GeoInputError
from geo.core.io import read_csv
from geo.inputs.lsoa01 import lsoa01_authorities, read_lsoa01_lookup
from geo.model.domains import DOMAINS, IMD, INDICES, decile_col, rank_col, score_col
from geo.model.releases import VINTAGES, Vintage

logger = logging.getLogger(__name__)


CANONICAL: tuple[str, ...] = (
    "lsoa_code", "lsoa_name", "lad_code", "lad_name",
    *[c for d in INDICES for c in (rank_col(d.stem), decile_col(d.stem), score_col(d.stem))],
    "population", "employment_population", "population_source",
    "income_numerator", "employment_numerator",
)  # fmt: skip

RELEASE_DISTRICT = ("release_lad_code", "release_lad_name")
"""Kept after the canonical columns where a release coded its districts differently from
``lad_code`` (IMD 2004 and 2007: the pre-2009 districts the release ranked)."""

SOURCE_2025_FILE7 = "IoD2025 File 7 mid-2022 population (transcribed; working age 18–66)"
"""``population_source`` of an IoD2025 row the transcribed File 7 denominators cover."""
SOURCE_2025_CENSUS = "Census 2021 usual residents (substitute; working age 16–64)"
"""``population_source`` of an IoD2025 row they do not cover: the Census 2021 fallback."""

CENSUS_WORKING_AGE: tuple[str, ...] = (
    "Aged 16 to 24 years", "Aged 25 to 34 years", "Aged 35 to 49 years", "Aged 50 to 64 years",
)  # fmt: skip
"""The Census 2021 age groups summed for the working-age (16–64) substitute denominator."""


def population_sources(sources: pd.Series) -> str:
    """One ``population_source`` for rows that may use several: the distinct ones, sorted, ``; ``."""
    return "; ".join(sorted({str(x) for x in sources.dropna()}))


def decile_from_rank(rank: pd.Series, *, n_national: int) -> pd.Series:
    """National decile of each rank: decile d holds ranks (N(d-1)/10, Nd/10]."""
    return pd.Series(np.ceil(rank.to_numpy() * 10 / n_national), index=rank.index).astype("Int64")


def _finish(df: pd.DataFrame, *, vintage: Vintage, source: str) -> pd.DataFrame:
    """Order columns, type them and check ranks and deciles."""
    for col in CANONICAL:
        if col not in df.columns:
            df[col] = np.nan
    extra = [c for c in RELEASE_DISTRICT if c in df.columns]
    out = df.loc[:, [*CANONICAL, *extra]].sort_values("lsoa_code", ignore_index=True)
    for d in INDICES:
        out[rank_col(d.stem)] = out[rank_col(d.stem)].astype("Int64")
        out[decile_col(d.stem)] = out[decile_col(d.stem)].astype("Int64")
        out[score_col(d.stem)] = out[score_col(d.stem)].astype("float64")
    out["population"] = out["population"].astype("float64")
    if out["employment_population"].isna().all():
        logger.info(
            "IoD%d: no working-age denominator; employment measures use population", vintage.year
        )
        out["employment_population"] = out["population"]
    out["employment_population"] = out["employment_population"].astype("float64")
    missing = out.loc[out["population_source"].isna(), "lsoa_code"]
    if not missing.empty:
        msg = f"{source}: no population_source for LSOA(s) {show(missing)}"
        raise GeoInputError(msg)
    out["population_source"] = out["population_source"].astype(str)
    for col in ("income_numerator", "employment_numerator"):
        out[col] = out[col].astype("float64")
    require_unique(out, "lsoa_code", source=source)
    if len(out) != vintage.n_national:
        msg = f"{source}: expected {vintage.n_national} LSOAs for IoD{vintage.year}, got {len(out)}"
        raise GeoInputError(msg)
    ranks = out[rank_col(IMD.stem)]
    bad = out.loc[ranks.isna() | (ranks < 1) | (ranks > vintage.n_national), "lsoa_code"]
    if not bad.empty:
        msg = f"{source}: field 'imd_rank' outside 1..{vintage.n_national} for LSOA(s) {show(bad)}"
        raise GeoInputError(msg)
    expected = pd.Series(vintage.decile(ranks.to_numpy()), index=ranks.index).astype("Int64")
    wrong = out.loc[expected != out[decile_col(IMD.stem)], "lsoa_code"]
    if not wrong.empty:
        msg = f"{source}: field 'imd_decile' disagrees with 'imd_rank' for LSOA(s) {show(wrong)}"
        raise GeoInputError(msg)
    logger.info(
        "IoD%d: %d LSOAs in %d local authorities", vintage.year, len(out), out["lad_code"].nunique()
    )
    return out


# --- IMD 2004, 2007, 2010 (LSOA 2001) -------------------------------------------------------


def lsoa01_districts(*, lookup: Path, file1_2015: Path) -> pd.DataFrame:
    """Name and district (2013 code) of every English 2001 LSOA, through the 2001→2011 lookup.

    The districts of the 2011 LSOAs come from IoD2015 File 1 (``file1_2015``).
    """
    lk = read_lsoa01_lookup(str(lookup))
    f1 = read_csv(file1_2015)
    require_columns(f1, _F2015, source=str(file1_2015))
    districts = f1.rename(columns=_F2015).rename(columns={"lsoa_code": "lsoa11_code"})
    return lsoa01_authorities(
        lk, districts.loc[:, ["lsoa11_code", "lad_code", "lad_name"]],
        source=str(lookup), districts_source=str(file1_2015),
    )  # fmt: skip


def read_population_thirdparty(path: Path, *, year: int) -> pd.DataFrame:
    """``lsoa_code, population`` of one release from the third-party tidied table.

    Raises:
        GeoInputError: the table lacks a column, has no row for ``year``, repeats an LSOA or
            holds a value that is not a non-negative number (named).

    """
    df = read_csv(path)
    require_columns(df, ["year", "lsoa", "pop_total"], source=str(path))
    sub = df.loc[pd.to_numeric(df["year"], errors="coerce") == year]
    if sub.empty:
        msg = f"{path}: field 'year' has no row for {year}"
        raise GeoInputError(msg)
    out = pd.DataFrame({"lsoa_code": sub["lsoa"].astype(str).to_numpy()})
    out["population"] = _counts(
        sub["pop_total"].reset_index(drop=True), out["lsoa_code"],
        where=f"{path} (year {year})", column="pop_total",
    )  # fmt: skip
    require_unique(out, "lsoa_code", source=f"{path} (year {year}), column 'lsoa'")
    return out


IOD2010_DENOMINATORS_SHEET = "Mid_2008"
IOD2010_DENOMINATORS = {
    "LSOA CODE": "lsoa_code",
    "Total population: mid 2008 (excluding prisoners)": "population",
    "Working age population 18-59/64: mid 2008 (excluding prisoners)": "employment_population",
}
"""IoD2010 denominators headers (sheet :data:`IOD2010_DENOMINATORS_SHEET`) → canonical."""


def read_denominators_2010(path: Path, *, sheet: str = IOD2010_DENOMINATORS_SHEET) -> pd.DataFrame:
    """IoD2010 mid-2008 denominators per 2001 LSOA (legacy .xls, read with python-calamine).

    Returns ``lsoa_code, population, employment_population``.

    Raises:
        GeoInputError: naming the file, sheet and column, if the sheet or a column is missing,
            an LSOA is repeated, or a value is not a non-negative number.

    """
    where = f"{path}, sheet {sheet!r}"
    try:
        raw = pd.read_excel(path, sheet_name=sheet, engine="calamine")
    except ValueError as err:
        msg = f"{where}: cannot read it ({err})"
        raise GeoInputError(msg) from err
    require_columns(raw, IOD2010_DENOMINATORS, source=where)
    out = pd.DataFrame({"lsoa_code": raw["LSOA CODE"].astype(str).str.strip()})
    for col, name in list(IOD2010_DENOMINATORS.items())[1:]:
        out[name] = _counts(raw[col], out["lsoa_code"], where=where, column=col)
    require_unique(out, "lsoa_code", source=f"{where}, column 'LSOA CODE'")
    logger.info("Read %d LSOA 2001 denominators (mid-2008) from %s", len(out), where)
    return out


def load_imd_2004_2007(
    vintage: int, *, imd: Path, population: Path, lookup: Path, file1_2015: Path
) -> pd.DataFrame:
    """IMD 2004 or 2007: score, rank, decile per 2001 LSOA; third-party denominators.

    ``lad_code`` is the district (2013 code) through the lookup; the release's own district
    (pre-2009 code) is kept as ``release_lad_code``.
    """
    v = VINTAGES[vintage]
    yy = f"{vintage % 100:02d}"
    cols = {"lsoa01_code": "lsoa_code", f"lad{yy}_code": "release_lad_code",
            f"lad{yy}_name": "release_lad_name", "IMD_score": "imd_score",
            "IMD_rank": "imd_rank", "IMD_decile": "imd_decile"}  # fmt: skip
    raw = read_csv(imd)
    require_columns(raw, cols, source=str(imd))
    base = raw.rename(columns=cols)[list(cols.values())]
    df = merge_validated(
        base, lsoa01_districts(lookup=lookup, file1_2015=file1_2015), on="lsoa_code",
        left_name=str(imd), right_name=str(lookup), right_may_have_extra=False,
    )  # fmt: skip
    df = merge_validated(
        df, read_population_thirdparty(population, year=vintage), on="lsoa_code",
        left_name=str(imd), right_name=f"{population} (year {vintage})",
        right_may_have_extra=False,
    )  # fmt: skip
    df["population_source"] = v.population_source
    return _finish(df, vintage=v, source=str(imd))


_S2010 = {"imd": "IMD", "income": "Income", "employment": "Employment",
          "education": "Education", "health": "Health", "crime": "Crime",
          "barriers": "Housing_and_Access", "living_environment": "Environment"}  # fmt: skip


def load_imd2010(*, imd: Path, population: Path, lookup: Path, file1_2015: Path) -> pd.DataFrame:
    """IoD2010: IMD and domain scores, ranks, deciles per 2001 LSOA; mid-2008 denominators."""
    v = VINTAGES[2010]
    cols = {"lsoa01_code": "lsoa_code"}
    for stem, name in _S2010.items():
        cols |= {f"{name}_rank": rank_col(stem), f"{name}_decile": decile_col(stem),
                 f"{name}_score": score_col(stem)}  # fmt: skip
    raw = read_csv(imd)
    require_columns(raw, cols, source=str(imd))
    base = raw.rename(columns=cols)[list(cols.values())]
    df = merge_validated(
        base, lsoa01_districts(lookup=lookup, file1_2015=file1_2015), on="lsoa_code",
        left_name=str(imd), right_name=str(lookup), right_may_have_extra=False,
    )  # fmt: skip
    df = merge_validated(
        df, read_denominators_2010(population), on="lsoa_code",
        left_name=str(imd), right_name=str(population), right_may_have_extra=False,
    )  # fmt: skip
    df["population_source"] = v.population_source
    return _finish(df, vintage=v, source=str(imd))


# --- IoD2015 -----------------------------------------------------------------------------

_F2015 = {
    "LSOA code (2011)": "lsoa_code",
    "LSOA name (2011)": "lsoa_name",
    "Local Authority District code (2013)": "lad_code",
    "Local Authority District name (2013)": "lad_name",
    "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)": "imd_rank",
    "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)": "imd_decile",
}
_F9_SUFFIX = " Score - exponentially transformed"


def _file6_population(path: Path) -> pd.DataFrame:
    df = read_csv(path)
    cols = {
        "LSOA code (2011)": "lsoa_code",
        "Total population: mid 2015 (excluding prisoners)": "population",
        "Working age population 18-59/64: for use with Employment Deprivation Domain "
        "(excluding prisoners)": "employment_population",
    }
    require_columns(df, cols, source=str(path))
    return df.rename(columns=cols)[list(cols.values())]


FILE6_2015_SHEET = "Population Denominators"
FILE6_2015_COLUMNS = {
    "LSOA code (2011)": "lsoa_code",
    "Total population: mid 2012 (excluding prisoners)": "population",
    # The trailing space is in the official header.
    "Working age population 18-59/64: for use with Employment Deprivation Domain "
    "(excluding prisoners) ": "employment_population",
}
"""IoD2015 File 6 headers (sheet :data:`FILE6_2015_SHEET`) → canonical columns."""


def _counts(values: pd.Series, codes: pd.Series, *, where: str, column: str) -> pd.Series:
    """``values`` as float people counts; an error names the LSOAs where one is not."""
    numbers = pd.to_numeric(values, errors="coerce")
    bad = codes.loc[numbers.isna() | (numbers < 0)]
    if not bad.empty:
        msg = f"{where}: column {column!r} is not a non-negative number for LSOA(s) {show(bad)}"
        raise GeoInputError(msg)
    return numbers.astype("float64")


def _header_row(rows: list[tuple[object, ...]], key: str) -> int:
    """Index of the first row whose cells include ``key`` (-1 if none)."""
    return next((i for i, row in enumerate(rows) if key in row), -1)


def read_file6_2015(path: Path, *, sheet: str = FILE6_2015_SHEET) -> pd.DataFrame:
    """IoD2015 File 6: the official mid-2012 denominators per LSOA 2011 (excluding prisoners).

    Reads the workbook with openpyxl; the header is the first row (of the first 20) holding
    ``LSOA code (2011)``. Returns ``lsoa_code, population, employment_population`` (floats:
    the working-age column is fractional).

    Raises:
        GeoInputError: naming the file, the sheet and the column, if the sheet or a column is
            missing, a code is blank or repeated, or a value is not a non-negative number.

    """
    where = f"{path}, sheet {sheet!r}"
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet not in wb.sheetnames:
            msg = f"{path}: no sheet {sheet!r}; found {wb.sheetnames}"
            raise GeoInputError(msg)
        rows = list(wb[sheet].iter_rows(values_only=True))
    finally:
        wb.close()
    key = next(iter(FILE6_2015_COLUMNS))
    at = _header_row(rows[:20], key)
    if at < 0:
        msg = f"{where}: no header row with column {key!r} in the first 20 rows"
        raise GeoInputError(msg)
    header = [str(c) if c is not None else "" for c in rows[at]]
    absent = [c for c in FILE6_2015_COLUMNS if c not in header]
    if absent:
        msg = f"{where}: missing column(s) {absent}; found {header}"
        raise GeoInputError(msg)
    body = [r for r in rows[at + 1 :] if any(v is not None for v in r)]
    raw = pd.DataFrame(body, columns=header)
    out = pd.DataFrame({"lsoa_code": raw[key].astype("string").str.strip()})
    blank = out.index[out["lsoa_code"].isna() | (out["lsoa_code"] == "")]
    if len(blank):
        msg = f"{where}: column {key!r} is blank in data row(s) {show(pd.Series(blank + at + 2))}"
        raise GeoInputError(msg)
    for col, name in list(FILE6_2015_COLUMNS.items())[1:]:
        out[name] = _counts(raw[col], out["lsoa_code"], where=where, column=col)
    require_unique(out, "lsoa_code", source=f"{where}, column {key!r}")
    logger.info("Read %d LSOA denominators (mid-2012) from %s", len(out), where)
    return out.astype({"lsoa_code": object})


def domain_ranks_from_transformed(
    transformed: pd.DataFrame, *, n_national: int, source: str
) -> pd.DataFrame:
    """National domain ranks and deciles from IoD File 9 exponentially transformed scores.

    The transformation is strictly increasing in deprivation, so ranking the transformed
    scores (largest = rank 1) recovers the domain ranks; scores equal at the published
    precision share the lowest rank.
    """
    out = pd.DataFrame({"lsoa_code": transformed["lsoa_code"]})
    for d in DOMAINS:
        matches = [
            c for c in transformed.columns if c.startswith(d.label) and c.endswith(_F9_SUFFIX)
        ]
        if len(matches) != 1:
            msg = f"{source}: expected one column '{d.label}{_F9_SUFFIX}', found {matches}"
            raise GeoInputError(msg)
        rank = transformed[matches[0]].rank(ascending=False, method="min").astype("Int64")
        out[rank_col(d.stem)] = rank
        out[decile_col(d.stem)] = decile_from_rank(rank, n_national=n_national)
    return out


def load_imd2015(*, file1: Path, scores: Path, file9: Path, population: Path) -> pd.DataFrame:
    """IoD2015: File 1 ranks, File 5 IMD scores, File 9 domain ranks, File 6 (mid-2012)."""
    v = VINTAGES[2015]
    base = read_csv(file1)
    require_columns(base, _F2015, source=str(file1))
    base = base.rename(columns=_F2015)[list(_F2015.values())]
    sc = read_csv(scores)
    require_columns(sc, ["lsoa11_code", "IMD_score"], source=str(scores))
    sc = sc.rename(columns={"lsoa11_code": "lsoa_code", "IMD_score": "imd_score"})[
        ["lsoa_code", "imd_score"]
    ]
    df = merge_validated(base, sc, on="lsoa_code", left_name=str(file1), right_name=str(scores))
    f9 = pd.read_excel(file9, sheet_name="ID 2015 Transformed scores")
    require_columns(f9, ["LSOA code (2011)"], source=str(file9))
    f9 = f9.rename(columns={"LSOA code (2011)": "lsoa_code"})
    doms = domain_ranks_from_transformed(f9, n_national=v.n_national, source=str(file9))
    df = merge_validated(df, doms, on="lsoa_code", left_name=str(file1), right_name=str(file9))
    df = merge_validated(
        df, read_file6_2015(population), on="lsoa_code",
        left_name=str(file1), right_name=str(population), right_may_have_extra=False,
    )  # fmt: skip
    df["population_source"] = v.population_source
    return _finish(df, vintage=v, source=str(file1))


# --- IoD2019 -----------------------------------------------------------------------------

_F2019_KEYS = {
    "LSOA code (2011)": "lsoa_code",
    "LSOA name (2011)": "lsoa_name",
    "Local Authority District code (2019)": "lad_code",
    "Local Authority District name (2019)": "lad_name",
}


def _file2_2019_columns() -> dict[str, str]:
    cols = dict(_F2019_KEYS)
    for d in INDICES:
        cols[f"{d.label} Rank (where 1 is most deprived)"] = rank_col(d.stem)
        cols[f"{d.label} Decile (where 1 is most deprived 10% of LSOAs)"] = decile_col(d.stem)
    return cols


def load_imd2019(*, file2: Path, scores: Path, population: Path, indicators: Path) -> pd.DataFrame:
    """IoD2019: File 2 ranks and deciles, IMD/income/employment scores, File 6, File 8 numerators."""
    v = VINTAGES[2019]
    cols = _file2_2019_columns()
    base = read_csv(file2)
    require_columns(base, cols, source=str(file2))
    base = base.rename(columns=cols)[list(cols.values())]
    sc = read_csv(scores)
    require_columns(
        sc,
        ["nation", "lsoa", "overall_local_score", "income_score", "employment_score"],
        source=str(scores),
    )
    sc = sc.loc[sc["nation"] == "E"]
    sc = pd.DataFrame({
        "lsoa_code": sc["lsoa"],
        "imd_score": sc["overall_local_score"].round(3),
        "income_score": sc["income_score"] / 100,
        "employment_score": sc["employment_score"] / 100,
    })  # fmt: skip
    df = merge_validated(base, sc, on="lsoa_code", left_name=str(file2), right_name=str(scores))
    df = merge_validated(
        df, _file6_population(population), on="lsoa_code",
        left_name=str(file2), right_name=str(population), right_may_have_extra=False,
    )  # fmt: skip
    df["population_source"] = v.population_source
    df = merge_validated(
        df, _numerators(indicators, "lsoa11_code"), on="lsoa_code",
        left_name=str(file2), right_name=str(indicators),
    )  # fmt: skip
    return _finish(df, vintage=v, source=str(file2))


def _numerators(path: Path, code_col: str) -> pd.DataFrame:
    df = read_csv(path)
    cols = {code_col: "lsoa_code", "income_domain_numerator": "income_numerator",
            "employment_domain_numerator": "employment_numerator"}  # fmt: skip
    require_columns(df, cols, source=str(path))
    return df.rename(columns=cols)[list(cols.values())]


# --- IoD2025 -----------------------------------------------------------------------------

_S2025 = {"imd": "IMD", "income": "Income", "employment": "Employment", "education": "Education",
          "health": "Health", "crime": "Crime", "barriers": "Housing_and_Services",
          "living_environment": "Environment"}  # fmt: skip


def census_population(path: Path) -> pd.DataFrame:
    """Census 2021 usual residents per LSOA 2021, summed over the age groups."""
    df = read_csv(path)
    require_columns(df, ["lsoa21_code", "usual_residents"], source=str(path))
    pop = df.groupby("lsoa21_code")["usual_residents"].sum()
    return pd.DataFrame({"lsoa_code": pop.index, "population": pop.to_numpy()})


def census_denominators(path: Path) -> pd.DataFrame:
    """Census 2021 substitute denominators per LSOA 2021: all usual residents and those 16–64.

    ``employment_population`` sums the groups of :data:`CENSUS_WORKING_AGE`; an LSOA lacking
    any of them is an error naming the file, the column and the group.
    """
    df = read_csv(path)
    require_columns(df, ["lsoa21_code", "age_group", "usual_residents"], source=str(path))
    total = df.groupby("lsoa21_code")["usual_residents"].sum()
    working = df.loc[df["age_group"].isin(CENSUS_WORKING_AGE)]
    groups = working.groupby("lsoa21_code")["age_group"].nunique()
    short = groups.index[groups < len(CENSUS_WORKING_AGE)].union(
        total.index.difference(groups.index)
    )
    if len(short):
        msg = (
            f"{path}: column 'age_group' lacks one of {list(CENSUS_WORKING_AGE)} for "
            f"LSOA(s) {show(pd.Series(short))}"
        )
        raise GeoInputError(msg)
    wa = working.groupby("lsoa21_code")["usual_residents"].sum().reindex(total.index)
    return pd.DataFrame({
        "lsoa_code": total.index, "population": total.to_numpy(dtype="float64"),
        "employment_population": wa.to_numpy(dtype="float64"),
    })  # fmt: skip


FILE7_2025_COLUMNS = {
    "LSOA code (2021)": "lsoa_code",
    "Total population: mid 2022": "population",
    "Working age population 18-66 (for use with Employment Deprivation Domain): mid 2022": (
        "employment_population"
    ),
}
"""IoD2025 File 7 denominator headers → canonical columns."""


def read_file7_2025_denominators(path: Path) -> pd.DataFrame:
    """IoD2025 File 7 mid-2022 denominators (total and working age 18–66) for the LSOAs it has.

    The mirror holds a transcription for some LSOAs only; the loader uses it wherever it has a
    row. Returns ``lsoa_code, population, employment_population``.

    Raises:
        GeoInputError: naming the file and the column, if a column is missing, a code is
            repeated, or a value is not a non-negative number.

    """
    df = read_csv(path)
    require_columns(df, FILE7_2025_COLUMNS, source=str(path))
    out = df.rename(columns=FILE7_2025_COLUMNS)[list(FILE7_2025_COLUMNS.values())]
    for col, name in list(FILE7_2025_COLUMNS.items())[1:]:
        out[name] = _counts(out[name], out["lsoa_code"], where=str(path), column=col)
    require_unique(out, "lsoa_code", source=f"{path}, column 'LSOA code (2021)'")
    return out


def denominators_2025(*, file7: Path, census: Path) -> pd.DataFrame:
    """IoD2025 denominators per LSOA 2021 with their ``population_source``.

    The File 7 mid-2022 denominators wherever ``file7`` has the LSOA; elsewhere the Census
    2021 substitute (:func:`census_denominators`). Every File 7 LSOA must be a census LSOA.
    """
    census_d = census_denominators(census)
    official = read_file7_2025_denominators(file7)
    unknown = official.loc[~official["lsoa_code"].isin(census_d["lsoa_code"]), "lsoa_code"]
    if not unknown.empty:
        msg = f"{file7}: column 'LSOA code (2021)' has LSOA(s) not in {census}: {show(unknown)}"
        raise GeoInputError(msg)
    rest = census_d.loc[~census_d["lsoa_code"].isin(official["lsoa_code"])]
    out = pd.concat(
        [official.assign(population_source=SOURCE_2025_FILE7),
         rest.assign(population_source=SOURCE_2025_CENSUS)],
        ignore_index=True,
    )  # fmt: skip
    logger.info(
        "IoD2025 denominators: %d LSOAs from File 7 (%s), %d from Census 2021 (%s)",
        len(official), file7, len(rest), census,
    )  # fmt: skip
    return out.sort_values("lsoa_code", ignore_index=True)


def load_imd2025(
    *, imd: Path, population: Path, denominators: Path, lookup: Path, indicators: Path
) -> pd.DataFrame:
    """IoD2025: ranks, deciles, scores; LAD and names from the LSOA21 lookup; denominators.

    Denominators: File 7 mid-2022 (``denominators``) where it has the LSOA, else Census 2021
    (``population``), named per row in ``population_source``.
    """
    v = VINTAGES[2025]
    raw = read_csv(imd)
    cols = {"lsoa21_code": "lsoa_code"}
    for stem, name in _S2025.items():
        cols |= {f"{name}_rank": rank_col(stem), f"{name}_decile": decile_col(stem),
                 f"{name}_score": score_col(stem)}  # fmt: skip
    require_columns(raw, cols, source=str(imd))
    base = raw.rename(columns=cols)[list(cols.values())]
    lk = read_csv(lookup)
    names = {"lsoa21_code": "lsoa_code", "lsoa21_name": "lsoa_name", "ltla24_code": "lad_code",
             "ltla24_name": "lad_name"}  # fmt: skip
    require_columns(lk, names, source=str(lookup))
    lk = lk.rename(columns=names)[list(names.values())]
    df = merge_validated(base, lk, on="lsoa_code", left_name=str(imd), right_name=str(lookup))
    df = merge_validated(
        df, denominators_2025(file7=denominators, census=population), on="lsoa_code",
        left_name=str(imd), right_name=f"{denominators} + {population}",
    )  # fmt: skip
    df = merge_validated(
        df, _numerators(indicators, "lsoa21_code"), on="lsoa_code",
        left_name=str(imd), right_name=str(indicators),
    )  # fmt: skip
    return _finish(df, vintage=v, source=str(imd))


def load_national(vintage: int, inputs: Mapping[str, Path]) -> pd.DataFrame:
    """Load the canonical national table of ``vintage`` from its registry datasets.

    ``inputs`` maps each dataset name of ``VINTAGES[vintage].inputs`` to its retrieved path.
    """
    if vintage not in VINTAGES:
        msg = f"vintage {vintage!r} is not one of {sorted(VINTAGES)}"
        raise GeoInputError(msg)
    missing = [name for name in VINTAGES[vintage].inputs if name not in inputs]
    if missing:
        msg = f"IoD{vintage}: no path given for dataset(s) {missing}"
        raise GeoInputError(msg)
    p = {k: Path(v) for k, v in inputs.items()}
    if vintage in (2004, 2007):
        return load_imd_2004_2007(vintage, imd=p[f"imd{vintage}_lsoa01"],
                                  population=p["imd_population_2004_2007_thirdparty"],
                                  lookup=p["lookup_lsoa01_lsoa11"], file1_2015=p["imd2015_file1"])  # fmt: skip
    if vintage == 2010:
        return load_imd2010(imd=p["imd2010_lsoa01"], population=p["imd2010_denominators"],
                            lookup=p["lookup_lsoa01_lsoa11"], file1_2015=p["imd2015_file1"])  # fmt: skip
    if vintage == 2015:
        return load_imd2015(file1=p["imd2015_file1"], scores=p["imd2015_scores"],
                            file9=p["imd2015_file9"], population=p["imd2015_file6"])  # fmt: skip
    if vintage == 2019:
        return load_imd2019(file2=p["imd2019_file2"], scores=p["imd2019_scores"],
                            population=p["imd2019_file6"], indicators=p["iod2019_indicators"])  # fmt: skip
    return load_imd2025(imd=p["imd2025"], population=p["census2021_population"],
                        denominators=p["iod2025_denominators"], lookup=p["lookup_lsoa21_ward24"],
                        indicators=p["iod2025_indicators"])  # fmt: skip
