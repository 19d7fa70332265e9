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
from geo.statistics.indicators.metadata import Indicator
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
        _check_coverage(df, meta, inputs)
    for period, rows in df.groupby("period"):
        logger.info("%s %s: %d LSOAs, numerator %.10g, denominator %.10g, %d without a value",
                    meta.name, period, len(rows), rows["numerator"].sum(), rows["denominator"].sum(),
                    int(rows["value"].isna().sum()))  # fmt: skip
    return df
