"""Builders of the registered indicators: official files in, tidy LSOA-level tables out.

Each builder takes the indicator's metadata and :class:`SourceInputs` (the authority's LSOA
layers by IoD vintage, and the retrieved registry datasets) and returns the tidy rows
(:mod:`geo.statistics.indicators.tidy`) of the authority's LSOAs, one period per release or census.
:func:`build_indicator` runs the builder named in the registry and validates the result:
every period covers every LSOA of the authority on that period's geography.

Builders (``builder:`` in the registry):

``imd_decile1_share``
    LSOA in national decile 1 of index ``params.index`` (IMD or a domain): numerator 1 or
    0, denominator 1 (one LSOA), one period per configured IoD vintage.
``income_deprivation_rate`` / ``employment_deprivation_rate``
    IoD File 8 domain numerators over the population denominators of the release.
``households_deprived``
    Census households deprived in at least ``params.min_dimensions`` of four dimensions
    (QS119EW 2011, TS011 2021), over all households; ``params.census`` maps each census year
    (``"2011"``, ``"2021"``) to its dataset.
``population_estimates``
    ONS mid-year LSOA 2011 population estimates (a count), from the indicator's one dataset.
``statxplore_msoa21``
    A DWP Stat-Xplore MSOA 2021 table (CiLIF, households on UC) over Census 2021 children
    0–15 or households.
``police_uk``
    police.uk records of some crime types per 1,000 residents (LSOA 2011).
``fuel_poverty``
    BEIS fuel-poor households / households (LSOA 2011).
``census21_share``
    Census 2021 categories over the table's total (tenure, occupancy, disability).
``census_counts``
    Census 2011 and 2021 residents or households (counts).
``file8_rate`` / ``file8_weighted``
    IoD File 8 numerators over File 6/7 age denominators (IDACI, IDAOPI); published File 8
    rates and scores, population-weighted.
``tidy``
    A registered dataset already in the tidy shape (drop-in indicators such as claimant
    count); rows outside the authority are dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geo.core.checks import merge_validated, require_columns, show
from geo.core.io import read_csv, read_parquet
from geo.model.domains import INDICES, decile_col
from geo.model.releases import VINTAGES
from geo.statistics.indicators import geographies, readers
from geo.statistics.indicators.metadata import LSOA_GEOGRAPHIES, Indicator
from geo.statistics.indicators.tidy import IndicatorError, tidy_frame, validate_indicator

logger = logging.getLogger(__name__)

FILE8: dict[int, tuple[str, str]] = {
    2019: ("iod2019_indicators", "lsoa11_code"),
    2025: ("iod2025_indicators", "lsoa21_code"),
}
"""IoD vintage → (registry dataset of its File 8 underlying indicators, LSOA code column)."""

CENSUS_GEOGRAPHY: dict[str, tuple[str, str]] = {
    "2011": ("lsoa11_code", "LSOA11"),
    "2021": ("lsoa21_code", "LSOA21"),
}
"""Census year → (LSOA code column, geography) of its households-by-dimensions table."""


@dataclass(frozen=True)
class SourceInputs:
    """What builders read: the authority's LSOA layers and the retrieved datasets.

    ``layers`` maps an IoD vintage to the authority's LSOA table of that vintage (canonical
    columns of :mod:`geo.inputs.imd` plus the flags of :mod:`geo.inputs.lsoa`); ``datasets`` maps a
    registry name to its retrieved file.
    """

    layers: Mapping[int, pd.DataFrame]
    datasets: Mapping[str, Path]

    def dataset(self, name: str, *, indicator: str) -> Path:
        """Path of a registry dataset; an error naming the indicator if it was not given."""
        if name not in self.datasets:
            msg = (f"indicator {indicator!r}: dataset {name!r} was not passed to the build "
                   f"(list it under 'datasets' in the indicator registry)")  # fmt: skip
            raise IndicatorError(msg)
        return Path(self.datasets[name])

    def lsoa_codes(self, geography: str) -> pd.Series | None:
        """Return the authority's LSOA codes on ``geography`` (from any layer on it), or None."""
        for vintage in sorted(self.layers):
            if VINTAGES[vintage].lsoa_geography == geography:
                return (
                    self.layers[vintage]["lsoa_code"]
                    .astype("string")
                    .sort_values(ignore_index=True)
                )
        return None


def read_lsoa_tables(paths: Mapping[int, Path | str]) -> dict[int, pd.DataFrame]:
    """Read the authority's LSOA layers (``data/interim/lsoa_imd<vintage>.parquet``) without geometry."""
    return {
        int(v): read_parquet(p).drop(columns="geometry", errors="ignore") for v, p in paths.items()
    }


Builder = Callable[[Indicator, SourceInputs], list[pd.DataFrame]]


def _authority(
    inputs: SourceInputs, geography: str, *, meta: Indicator, period: str
) -> pd.DataFrame | None:
    codes = inputs.lsoa_codes(geography)
    if codes is None:
        logger.warning("%s: period %s skipped: no %s layer among the configured vintages",
                       meta.name, period, geography)  # fmt: skip
        return None
    return pd.DataFrame({"lsoa_code": codes})


def imd_decile1_share(meta: Indicator, inputs: SourceInputs) -> list[pd.DataFrame]:
    """LSOAs in national decile 1 of ``params.index`` (1 or 0 of 1), per IoD vintage."""
    stem = str(meta.params.get("index"))
    if stem not in {d.stem for d in INDICES}:
        msg = f"indicator {meta.name!r}: params.index {stem!r} is not one of {[d.stem for d in INDICES]}"
        raise IndicatorError(msg)
    frames = []
    for vintage, layer in sorted(inputs.layers.items()):
        if meta.periods and str(vintage) not in meta.periods:
            continue  # a release the indicator does not declare (IMD 2004–2010 on LSOA 2001)
        decile = pd.to_numeric(layer[decile_col(stem)])
        frames.append(tidy_frame(
            layer["lsoa_code"], geography=VINTAGES[vintage].lsoa_geography, period=str(vintage),
            numerator=(decile == 1).astype("float64").where(decile.notna()),
            denominator=pd.Series(1.0, index=layer.index), meta=meta,
        ))  # fmt: skip
    return frames


def _file8_numerator(path: Path, column: str, code_col: str) -> pd.DataFrame:
    df = read_csv(path, dtype={code_col: "string"})
    require_columns(df, [code_col, column], source=str(path))
    return df.rename(columns={code_col: "lsoa_code", column: "numerator"})[
        ["lsoa_code", "numerator"]
    ]


def _file8_rate(
    meta: Indicator,
    inputs: SourceInputs,
    *,
    column: str,
    denominator: Callable[[int, pd.DataFrame], pd.DataFrame],
) -> list[pd.DataFrame]:
    frames = []
    for vintage, (dataset, code_col) in FILE8.items():
        if vintage not in inputs.layers:
            logger.warning("%s: IoD%d not configured; period skipped", meta.name, vintage)
            continue
        layer = inputs.layers[vintage]
        path = inputs.dataset(dataset, indicator=meta.name)
        num = _file8_numerator(path, column, code_col)
        den = denominator(vintage, layer)
        base = pd.DataFrame({"lsoa_code": layer["lsoa_code"].astype("string")})
        base = merge_validated(base, num, on="lsoa_code", left_name=f"IoD{vintage} LSOAs",
                               right_name=str(path))  # fmt: skip
        base = merge_validated(base, den, on="lsoa_code", left_name=f"IoD{vintage} LSOAs",
                               right_name=f"{meta.name} denominator {vintage}")  # fmt: skip
        frames.append(tidy_frame(
            base["lsoa_code"], geography=VINTAGES[vintage].lsoa_geography, period=str(vintage),
            numerator=base["numerator"], denominator=base["denominator"], meta=meta,
        ))  # fmt: skip
    return frames


def income_deprivation_rate(meta: Indicator, inputs: SourceInputs) -> list[pd.DataFrame]:
    """File 8 income domain numerator / the release's total population (``population``)."""

    def denominator(vintage: int, layer: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"lsoa_code": layer["lsoa_code"].astype("string"),
                             "denominator": layer["population"]})  # fmt: skip

    return _file8_rate(meta, inputs, column="income_domain_numerator", denominator=denominator)


def employment_deprivation_rate(meta: Indicator, inputs: SourceInputs) -> list[pd.DataFrame]:
    """File 8 employment domain numerator / the release's working-age population.

    The LSOA layer's ``employment_population``, named per LSOA in ``population_source``:
    IoD2019 File 6 (18–59/64, mid-2015); IoD2025 File 7 (18–66, mid-2022) where the
    transcription covers the LSOA, else Census 2021 usual residents aged 16–64.
    """

    def denominator(vintage: int, layer: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"lsoa_code": layer["lsoa_code"].astype("string"),
                             "denominator": layer["employment_population"]})  # fmt: skip

    return _file8_rate(meta, inputs, column="employment_domain_numerator", denominator=denominator)


def _households(path: Path, code_col: str, *, min_dimensions: int) -> pd.DataFrame:
    dims = "households_number_deprivation_dimensions"
    df = read_csv(path, dtype={code_col: "string"})
    require_columns(df, [code_col, dims, "count"], source=str(path))
    bad = ~df[dims].isin(range(5))
    if bad.any():
        msg = f"{path}: field {dims!r} must be 0–4; got {show(df.loc[bad, dims])}"
        raise IndicatorError(msg)
    per_lsoa = df.groupby(code_col)[dims].nunique()
    incomplete = per_lsoa.index[per_lsoa != 5]
    if len(incomplete):
        msg = f"{path}: LSOA(s) without all five rows (0–4 dimensions): {show(incomplete)}"
        raise IndicatorError(msg)
    wide = df.pivot_table(index=code_col, columns=dims, values="count", aggfunc="sum")
    return pd.DataFrame({
        "lsoa_code": wide.index.astype("string"),
        "numerator": wide[[d for d in wide.columns if int(d) >= min_dimensions]].sum(axis=1).to_numpy(),
        "denominator": wide.sum(axis=1).to_numpy(),
    })  # fmt: skip


def _only_dataset(meta: Indicator) -> str:
    """Return the indicator's one registry dataset; an error naming the indicator otherwise."""
    if len(meta.datasets) != 1:
        msg = (f"indicator {meta.name!r}: builder {meta.builder!r} needs exactly one dataset, "
               f"got {list(meta.datasets)}")  # fmt: skip
        raise IndicatorError(msg)
    return meta.datasets[0]


def _census_datasets(meta: Indicator) -> dict[str, str]:
    """Return ``params.census``: census year → registry dataset, each listed in ``datasets``."""
    census = meta.params.get("census")
    if not isinstance(census, dict) or not census:
        msg = (f"indicator {meta.name!r}: params.census must map census years "
               f"({', '.join(CENSUS_GEOGRAPHY)}) to datasets, got {census!r}")  # fmt: skip
        raise IndicatorError(msg)
    out = {str(year): str(name) for year, name in census.items()}
    unknown = sorted(set(out) - set(CENSUS_GEOGRAPHY))
    if unknown:
        msg = f"indicator {meta.name!r}: params.census has year(s) {unknown}, not one of {list(CENSUS_GEOGRAPHY)}"
        raise IndicatorError(msg)
    unlisted = sorted(set(out.values()) - set(meta.datasets))
    if unlisted:
        msg = f"indicator {meta.name!r}: params.census names dataset(s) {unlisted} not listed in 'datasets'"
        raise IndicatorError(msg)
    return dict(sorted(out.items()))


def households_deprived(meta: Indicator, inputs: SourceInputs) -> list[pd.DataFrame]:
    """Census households deprived in at least ``params.min_dimensions`` dimensions / all households."""
    k = meta.params.get("min_dimensions")
    if not isinstance(k, int) or not 1 <= k <= 4:
        msg = f"indicator {meta.name!r}: params.min_dimensions must be 1–4, got {k!r}"
        raise IndicatorError(msg)
    frames = []
    for period, dataset in _census_datasets(meta).items():
        code_col, geography = CENSUS_GEOGRAPHY[period]
        base = _authority(inputs, geography, meta=meta, period=period)
        if base is None:
            continue
        path = inputs.dataset(dataset, indicator=meta.name)
        counts = _households(path, code_col, min_dimensions=k)
        base = merge_validated(base, counts, on="lsoa_code", left_name=f"{geography} LSOAs of the authority",
                               right_name=str(path))  # fmt: skip
        frames.append(tidy_frame(base["lsoa_code"], geography=geography, period=period,
                                 numerator=base["numerator"], denominator=base["denominator"],
                                 meta=meta))  # fmt: skip
    return frames


def population_estimates(meta: Indicator, inputs: SourceInputs) -> list[pd.DataFrame]:
    """ONS mid-year population estimates per LSOA 2011, one period per year in the file."""
    base = _authority(inputs, "LSOA11", meta=meta, period="(all)")
    if base is None:
        return []
    path = inputs.dataset(_only_dataset(meta), indicator=meta.name)
    df = read_csv(path, dtype={"lsoa11_code": "string"})
    require_columns(df, ["year", "lsoa11_code", "total_population"], source=str(path))
    frames = []
    for year, rows in df.groupby("year", sort=True):
        rows = rows.rename(columns={"lsoa11_code": "lsoa_code", "total_population": "numerator"})
        merged = merge_validated(base, rows[["lsoa_code", "numerator"]], on="lsoa_code",
                                 left_name="LSOA11s of the authority", right_name=f"{path} year {year}")  # fmt: skip
        frames.append(tidy_frame(merged["lsoa_code"], geography="LSOA11", period=str(year),
                                 numerator=merged["numerator"], denominator=None, meta=meta))  # fmt: skip
    return frames


def tidy(meta: Indicator, inputs: SourceInputs) -> list[pd.DataFrame]:
    """Read a registered dataset already in the tidy shape; keep the authority's LSOAs only."""
    path = inputs.dataset(_only_dataset(meta), indicator=meta.name)
    df = pd.read_csv(path, dtype={"area_code": "string", "geography": "string", "period": "string"},
                     encoding="utf-8-sig")  # fmt: skip
    df = validate_indicator(df, meta, source=str(path))
    frames = []
    for (period, geography), rows in df.groupby(["period", "geography"], sort=True):
        codes = inputs.lsoa_codes(str(geography))
        if codes is None:
            logger.warning(
                "%s: period %s skipped: no %s layer configured", meta.name, period, geography
            )
            continue
        mine = rows.loc[rows["area_code"].isin(set(codes))]
        absent = len(codes) - len(mine)
        if mine.empty:
            msg = f"{path}: period {period} has no row for any {geography} LSOA of the authority"
            raise IndicatorError(msg)
        if absent:
            logger.warning("%s: period %s lacks %d of the authority's %d LSOAs (left as gaps)",
                           meta.name, period, absent, len(codes))  # fmt: skip
        frames.append(mine)
    return frames


BUILDERS: dict[str, Builder] = {
    "imd_decile1_share": imd_decile1_share,
    "income_deprivation_rate": income_deprivation_rate,
    "employment_deprivation_rate": employment_deprivation_rate,
    "households_deprived": households_deprived,
    "population_estimates": population_estimates,
    "tidy": tidy,
}
"""Builder name (``builder:`` in the registry) → function."""


def _check_coverage(df: pd.DataFrame, meta: Indicator, inputs: SourceInputs) -> None:
    """Each period of a built (non-tidy) indicator covers exactly the authority's LSOAs."""
    for (period, geography), rows in df.groupby(["period", "geography"]):
        codes = inputs.lsoa_codes(str(geography))
        expected = set() if codes is None else set(codes)
        got = set(rows["area_code"])
        if got != expected:
            msg = (f"indicator {meta.name!r} period {period}: LSOAs differ from the authority's "
                   f"{geography} LSOAs (extra: {show(got - expected)}; missing: {show(expected - got)})")  # fmt: skip
            raise IndicatorError(msg)


def build_indicator(meta: Indicator, inputs: SourceInputs) -> pd.DataFrame:
    """Run the indicator's builder and return its validated tidy LSOA-level table."""
    if meta.builder not in BUILDERS:
        msg = f"indicator {meta.name!r}: unknown builder {meta.builder!r}; known: {', '.join(BUILDERS)}"
        raise IndicatorError(msg)
    frames = BUILDERS[meta.builder](meta, inputs)
    if not frames:
        msg = f"indicator {meta.name!r}: no period could be built from the configured vintages"
        raise IndicatorError(msg)
    df = validate_indicator(
        pd.concat(frames, ignore_index=True), meta, source=f"indicator {meta.name!r}"
    )
    if meta.builder != "tidy":
        _check_coverage(df.loc[df["geography"].isin(LSOA_GEOGRAPHIES)], meta, inputs)
    for period, rows in df.groupby("period"):
        logger.info("%s %s: %d LSOAs, numerator %.10g, denominator %.10g, %d without a value",
                    meta.name, period, len(rows), rows["numerator"].sum(), rows["denominator"].sum(),
                    int(rows["value"].isna().sum()))  # fmt: skip
    return df


# --- the performance framework's series (issue 11) -------------------------------------------

CENSUS21_CHILDREN = "Aged 15 years and under"
"""Census 2021 age group of children 0–15 (``census2021_population``)."""


def _layer_on(inputs: SourceInputs, geography: str, *, meta: Indicator) -> pd.DataFrame:
    for vintage in sorted(inputs.layers, reverse=True):
        if VINTAGES[vintage].lsoa_geography == geography:
            return inputs.layers[vintage]
    msg = f"indicator {meta.name!r}: no {geography} LSOA layer among the configured vintages"
    raise IndicatorError(msg)


def _param(meta: Indicator, key: str) -> str:
    value = meta.params.get(key)
    if not isinstance(value, str) or not value:
        msg = f"indicator {meta.name!r}: params.{key} must be a non-empty string, got {value!r}"
        raise IndicatorError(msg)
    return value


def _census21_lsoa_totals(inputs: SourceInputs, meta: Indicator, kind: str) -> pd.DataFrame:
    """Census 2021 denominators per LSOA 2021: ``children`` 0–15, ``residents`` or ``households``."""
    if kind in {"children", "residents"}:
        path = inputs.dataset("census2021_population", indicator=meta.name)
        df = read_csv(path, dtype={"lsoa21_code": "string"})
        require_columns(df, ["lsoa21_code", "age_group", "usual_residents"], source=str(path))
        if kind == "children":
            df = df.loc[df["age_group"] == CENSUS21_CHILDREN]
        sums = df.groupby("lsoa21_code")["usual_residents"].sum()
    elif kind == "households":
        path = inputs.dataset("census2021_tenure", indicator=meta.name)
        long = readers.read_census_long(path, category="tenure", total="total_households")
        sums = long.groupby("lsoa_code")["total"].first()
    else:
        msg = f"indicator {meta.name!r}: params.denominator {kind!r} is not children, residents or households"
        raise IndicatorError(msg)
    return pd.DataFrame({"lsoa_code": sums.index.astype("string"), "denominator": sums.to_numpy()})


def statxplore_msoa21(meta: Indicator, inputs: SourceInputs) -> list[pd.DataFrame]:
    """Build a DWP Stat-Xplore MSOA 2021 table over a Census 2021 denominator, a period per column.

    ``params.dataset`` is the Stat-Xplore file (areas named, not coded: joined through
    ``msoa21_names``; each MSOA of the authority named at most once, and one the file lacks is a gap); ``params.denominator``
    ``children`` (0–15) or ``households``, summed from LSOA 2021 to MSOA 2021. ``..`` stays
    a missing numerator (never 0).
    """
    layer = _layer_on(inputs, "LSOA21", meta=meta)
    links = geographies.msoa21_of_lsoa21(layer, inputs.dataset("msoa21_names", indicator=meta.name))
    path = inputs.dataset(_param(meta, "dataset"), indicator=meta.name)
    table = readers.read_statxplore(path)
    first = table.drop_duplicates("area_name")
    lines = {str(k): int(v) for k, v in zip(first["area_name"], first["line"], strict=True)}
    published = table.drop_duplicates(["area_name", "line"])["area_name"]
    codes = geographies.msoa21_codes(published, links, source=str(path), lines=lines)
    mine = table.merge(codes, left_on="area_name", right_on="msoa_name", how="inner",
                       validate="m:1")  # fmt: skip
    per_lsoa = merge_validated(links[["lsoa_code", "msoa_code"]],
                               _census21_lsoa_totals(inputs, meta, _param(meta, "denominator")),
                               on="lsoa_code", left_name="LSOA 2021s of the authority",
                               right_name="Census 2021")  # fmt: skip
    den = per_lsoa.groupby("msoa_code")["denominator"].sum()
    frames = []
    for period, rows in mine.groupby("period", sort=True):
        frames.append(tidy_frame(rows["msoa_code"], geography="MSOA21", period=str(period),
                                 numerator=rows["value"],
                                 denominator=rows["msoa_code"].map(den), meta=meta))  # fmt: skip
    return frames


def police_uk(meta: Indicator, inputs: SourceInputs) -> list[pd.DataFrame]:
    """police.uk records per LSOA 2011 per 1,000 residents, one period per monthly file.

    ``params.months`` maps each period (``2016-07``) to its dataset; ``params.crime_types``
    lists the crime types counted (``all_crime``: every type except anti-social
    behaviour). Residents: ONS mid-2017 LSOA estimates (``params.population`` dataset). An
    LSOA without a record has 0 records (police.uk lists every record).
    """
    base = _authority(inputs, "LSOA11", meta=meta, period="(all)")
    if base is None:
        return []
    months = meta.params.get("months")
    types = meta.params.get("crime_types")
    if not isinstance(months, dict) or not months or not isinstance(types, list) or not types:
        msg = f"indicator {meta.name!r}: params.months (period → dataset) and params.crime_types (list) are needed"
        raise IndicatorError(msg)
    pop_path = inputs.dataset(_param(meta, "population"), indicator=meta.name)
    pop = read_csv(pop_path, dtype={"lsoa11_code": "string"})
    require_columns(pop, ["year", "lsoa11_code", "total_population"], source=str(pop_path))
    year = int(meta.params.get("population_year", 2017))
    pop = pop.loc[pop["year"] == year].rename(columns={"lsoa11_code": "lsoa_code",
                                                       "total_population": "denominator"})  # fmt: skip
    base = merge_validated(base, pop[["lsoa_code", "denominator"]], on="lsoa_code",
                           left_name="LSOA11s of the authority", right_name=f"{pop_path} year {year}")  # fmt: skip
    frames = []
    for period, dataset in sorted(months.items()):
        counts = readers.read_police_uk(inputs.dataset(str(dataset), indicator=meta.name))
        wrong = sorted(set(counts["month"]) - {str(period)})
        if wrong:
            msg = f"{inputs.dataset(str(dataset), indicator=meta.name)}: field 'Month' has {wrong}, expected {period}"
            raise IndicatorError(msg)
        if types == ["all_crime"]:
            counts = counts.loc[counts["crime_type"] != "Anti-social behaviour"]
        else:
            unknown = sorted(set(types) - set(counts["crime_type"]))
            if unknown:
                msg = f"indicator {meta.name!r}: crime type(s) {unknown} not in {dataset} (has {sorted(set(counts['crime_type']))})"
                raise IndicatorError(msg)
            counts = counts.loc[counts["crime_type"].isin(types)]
        per = counts.groupby("lsoa_code")["records"].sum()
        frames.append(tidy_frame(base["lsoa_code"], geography="LSOA11", period=str(period),
                                 numerator=base["lsoa_code"].map(per).fillna(0),
                                 denominator=base["denominator"], meta=meta))  # fmt: skip
    return frames


def fuel_poverty(meta: Indicator, inputs: SourceInputs) -> list[pd.DataFrame]:
    """BEIS fuel-poor households over all households per LSOA 2011 (``params.period``)."""
    base = _authority(inputs, "LSOA11", meta=meta, period="fuel poverty")
    if base is None:
        return []
    path = inputs.dataset(_only_dataset(meta), indicator=meta.name)
    table = readers.read_fuel_poverty_lsoa(path)
    base = merge_validated(base, table, on="lsoa_code", left_name="LSOA11s of the authority",
                           right_name=str(path))  # fmt: skip
    return [tidy_frame(base["lsoa_code"], geography="LSOA11", period=_param(meta, "period"),
                       numerator=base["fuel_poor"], denominator=base["households"], meta=meta)]  # fmt: skip


def census21_share(meta: Indicator, inputs: SourceInputs) -> list[pd.DataFrame]:
    """Census 2021 long table: the ``params.categories`` of ``params.category`` over the total."""
    base = _authority(inputs, "LSOA21", meta=meta, period="2021")
    if base is None:
        return []
    path = inputs.dataset(_only_dataset(meta), indicator=meta.name)
    category, total = _param(meta, "category"), _param(meta, "total")
    wanted = meta.params.get("categories")
    if not isinstance(wanted, list) or not wanted:
        msg = f"indicator {meta.name!r}: params.categories must list the categories counted"
        raise IndicatorError(msg)
    long = readers.read_census_long(path, category=category, total=total)
    unknown = sorted(set(wanted) - set(long["category"]))
    if unknown:
        msg = f"{path}: field {category!r} has no category {unknown}"
        raise IndicatorError(msg)
    num = long.loc[long["category"].isin(wanted)].groupby("lsoa_code")["n"].sum()
    den = long.groupby("lsoa_code")["total"].first()
    counts = pd.DataFrame({"lsoa_code": den.index.astype("string"), "denominator": den.to_numpy(),
                           "numerator": num.reindex(den.index).fillna(0).to_numpy()})  # fmt: skip
    base = merge_validated(base, counts, on="lsoa_code", left_name="LSOA21s of the authority",
                           right_name=str(path))  # fmt: skip
    return [tidy_frame(base["lsoa_code"], geography="LSOA21", period="2021",
                       numerator=base["numerator"], denominator=base["denominator"], meta=meta)]  # fmt: skip


def census_counts(meta: Indicator, inputs: SourceInputs) -> list[pd.DataFrame]:
    """Census 2011 and 2021 ``params.count`` (``residents`` or ``households``) per LSOA."""
    what = _param(meta, "count")
    if what not in {"residents", "households"}:
        msg = f"indicator {meta.name!r}: params.count must be residents or households, got {what!r}"
        raise IndicatorError(msg)
    frames = []
    base = _authority(inputs, "LSOA11", meta=meta, period="2011")
    if base is not None:
        path = inputs.dataset("census2011_population_households", indicator=meta.name)
        c11 = readers.read_census2011_population(path)
        got = merge_validated(base, c11, on="lsoa_code", left_name="LSOA11s of the authority",
                              right_name=str(path))  # fmt: skip
        frames.append(tidy_frame(got["lsoa_code"], geography="LSOA11", period="2011",
                                 numerator=got[what], denominator=None, meta=meta))  # fmt: skip
    base = _authority(inputs, "LSOA21", meta=meta, period="2021")
    if base is not None:
        c21 = _census21_lsoa_totals(inputs, meta, what)
        got = merge_validated(base, c21, on="lsoa_code", left_name="LSOA21s of the authority",
                              right_name="Census 2021")  # fmt: skip
        frames.append(tidy_frame(got["lsoa_code"], geography="LSOA21", period="2021",
                                 numerator=got["denominator"], denominator=None, meta=meta))  # fmt: skip
    return frames


FILE_DENOMINATORS: dict[int, tuple[str, str, dict[str, str]]] = {
    2019: ("imd2019_file6", "LSOA code (2011)", {
        "children": "Dependent Children aged 0-15: mid 2015 (excluding prisoners)",
        "older": "Older population aged 60 and over: mid 2015 (excluding prisoners)",
        "total": "Total population: mid 2015 (excluding prisoners)"}),
    2025: ("iod2025_denominators", "LSOA code (2021)", {
        "children": "Dependent Children aged 0-15: mid 2022",
        "older": "Older population aged 60 and over: mid 2022",
        "total": "Total population: mid 2022"}),
}  # fmt: skip
"""IoD vintage → (dataset of its population denominators, LSOA column, group → column)."""


def _file_denominator(
    inputs: SourceInputs, meta: Indicator, vintage: int, group: str
) -> pd.DataFrame:
    dataset, code_col, cols = FILE_DENOMINATORS[vintage]
    path = inputs.dataset(dataset, indicator=meta.name)
    df = read_csv(path, dtype={code_col: "string"})
    require_columns(df, [code_col, cols[group]], source=str(path))
    values = pd.to_numeric(df[cols[group]].astype(str).str.replace(",", "", regex=False),
                           errors="coerce")  # fmt: skip
    return pd.DataFrame({"lsoa_code": df[code_col].astype("string"), "denominator": values})


def file8_rate(meta: Indicator, inputs: SourceInputs) -> list[pd.DataFrame]:
    """Divide an IoD File 8 numerator (``params.column``) by the release's ``params.group`` count.

    ``group``: ``children`` 0–15 (IDACI) or ``older`` 60+ (IDAOPI), from IoD2019 File 6 and
    IoD2025 File 7 (transcribed, Leeds). Numerators are rounded to 5 and withheld when small.
    """
    column, group = _param(meta, "column"), _param(meta, "group")

    def denominator(vintage: int, layer: pd.DataFrame) -> pd.DataFrame:
        return _file_denominator(inputs, meta, vintage, group)

    return _file8_rate(meta, inputs, column=column, denominator=denominator)


def file8_weighted(meta: Indicator, inputs: SourceInputs) -> list[pd.DataFrame]:
    """Average a published IoD File 8 rate or score (``params.columns``) over LSOAs by population.

    The numerator is the LSOA's value × its population (the release's denominator of the
    summary measures), the denominator that population, so an area's figure is the
    population-weighted average of its LSOAs' published values.
    """
    columns = meta.params.get("columns")
    if not isinstance(columns, dict) or not columns:
        msg = f"indicator {meta.name!r}: params.columns must map IoD vintages to File 8 columns"
        raise IndicatorError(msg)
    frames = []
    for vintage, column in sorted((int(v), str(c)) for v, c in columns.items()):
        if vintage not in inputs.layers or vintage not in FILE8:
            logger.warning("%s: IoD%d not configured; period skipped", meta.name, vintage)
            continue
        dataset, code_col = FILE8[vintage]
        layer = inputs.layers[vintage]
        path = inputs.dataset(dataset, indicator=meta.name)
        values = _file8_numerator(path, column, code_col).rename(columns={"numerator": "x"})
        base = pd.DataFrame({"lsoa_code": layer["lsoa_code"].astype("string"),
                             "denominator": layer["population"]})  # fmt: skip
        base = merge_validated(base, values, on="lsoa_code", left_name=f"IoD{vintage} LSOAs",
                               right_name=str(path))  # fmt: skip
        frames.append(tidy_frame(base["lsoa_code"], geography=VINTAGES[vintage].lsoa_geography,
                                 period=str(vintage), numerator=base["x"] * base["denominator"],
                                 denominator=base["denominator"], meta=meta))  # fmt: skip
    return frames


BUILDERS.update({
    "statxplore_msoa21": statxplore_msoa21,
    "police_uk": police_uk,
    "fuel_poverty": fuel_poverty,
    "census21_share": census21_share,
    "census_counts": census_counts,
    "file8_rate": file8_rate,
    "file8_weighted": file8_weighted,
})  # fmt: skip


PHE_POPULATION = "Total population"
"""PHE Local Health column weighting its MSOA rates."""


def phe_local_health(meta: Indicator, inputs: SourceInputs) -> list[pd.DataFrame]:
    """Weight a PHE Local Health MSOA 2011 figure (``params.column``) by population.

    Local Health publishes rates without their counts, so the numerator is the MSOA's
    rate × its total population and the denominator that population: an area's figure is
    the population-weighted average of its MSOAs' rates (shared to LSOAs by population
    where the area is not whole MSOAs). One snapshot period, ``params.period``.
    """
    base = _authority(inputs, "LSOA11", meta=meta, period=_param(meta, "period"))
    if base is None:
        return []
    column = _param(meta, "column")
    msoas = geographies.msoa11_of_lsoa11(
        base["lsoa_code"], inputs.dataset("lookup_lsoa11_msoa11", indicator=meta.name)
    )
    path = inputs.dataset(_param(meta, "dataset"), indicator=meta.name)
    table = readers.read_phe_local_health(path, columns=[column, PHE_POPULATION])
    wanted = pd.DataFrame({"msoa_code": sorted(set(msoas["msoa_code"]))})
    got = merge_validated(wanted, table, on="msoa_code", left_name="MSOA11s of the authority",
                          right_name=str(path))  # fmt: skip
    pop = got[PHE_POPULATION]
    return [tidy_frame(got["msoa_code"], geography="MSOA11", period=_param(meta, "period"),
                       numerator=got[column] * pop, denominator=pop, meta=meta)]  # fmt: skip


BUILDERS["phe_local_health"] = phe_local_health
