"""The IoD higher-level summary measures for any set of areas.

Implements the summary measures of the English Indices of Deprivation exactly as defined in
the IoD2019 Technical Report, §3.8 (Table 3.2) and Appendix N: average rank, average score,
proportion of LSOAs in the most deprived 10% nationally, extent, local concentration and
the income and employment scales. The same definitions apply to IoD2015 and IoD2025; only
the number of LSOAs in England (``n_national``) changes: 32,844 LSOA 2011 for IoD2015 and
IoD2019, 33,755 LSOA 2021 for IoD2025.

Notation for one area: ``p_i`` is the population of LSOA ``i`` (already apportioned to the
area when only part of the LSOA belongs to it), ``r_i`` its national rank (1 = most
deprived), ``s_i`` its score, ``P = Σ p_i`` and ``N = n_national``.

- average rank ``= (N + 1) − Σ p_i r_i / P`` (ranks reversed, so larger = more deprived);
- average score ``= Σ p_i s_i / P``;
- proportion ``=`` (share-weighted) number of LSOAs in national decile 1 divided by the
  (share-weighted) number of LSOAs; not weighted by population;
- extent ``= Σ w(pct_i) p_i / P`` with ``pct_i = ceil(100 r_i / N)`` and the exact weights
  of :func:`extent_weight`;
- local concentration ``= (N + 1) − Σ q_i r_i / T`` where ``T = 0.1 P`` and ``q_i`` counts
  people LSOA by LSOA, most deprived first, until exactly ``T`` are counted (the last LSOA
  usually counts in part);
- income / employment scale ``= Σ`` domain numerators.

Every measure is ranked with :func:`rank_areas`: rank 1 = largest value = most deprived,
ties share the best rank.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from geo.model.domains import DOMAINS, IMD, INDICES, decile_col, rank_col, score_col
from geo.model.releases import BANDS, OFFICIAL, Thresholds
from geo.model.releases import percentile as national_percentile

logger = logging.getLogger(__name__)

LSOA_COL = "lsoa_code"
"""Column of the input frame holding the LSOA code."""

SCALE_NUMERATORS: dict[str, str] = {
    "income_scale": "income_numerator",
    "employment_scale": "employment_numerator",
}
"""Output scale column → input numerator column (counts of deprived people)."""

SUMMARY_COLUMNS: tuple[str, ...] = (
    "population",
    "lsoas",
    "lsoas_in_national_1pct",
    "lsoas_in_national_10pct",
    "lsoas_in_national_20pct",
    "imd_average_score",
    "imd_average_rank",
    "imd_proportion_10pct",
    "imd_extent",
    "imd_local_concentration",
    *(
        f"{d.stem}_{measure}"
        for d in DOMAINS
        for measure in ("average_score", "average_rank", "proportion_10pct")
    ),
    *SCALE_NUMERATORS,
)
"""Columns of :func:`summarise_areas` after the area column, in order."""

COUNT_COLUMNS: tuple[str, ...] = tuple(f"lsoas_in_national_{band}" for band in BANDS)
"""LSOAs in each national band (1%, 10%, 20%), counted by share."""

_N_EXAMPLES = 5


# --------------------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------------------


def _check_n_national(n_national: int) -> None:
    if isinstance(n_national, bool) or not isinstance(n_national, int | np.integer):
        msg = f"n_national must be an int, got {type(n_national).__name__}: {n_national!r}"
        raise TypeError(msg)
    if n_national < 1:
        msg = f"n_national must be a positive number of LSOAs, got {n_national}"
        raise ValueError(msg)


def percentile(rank: ArrayLike, *, n_national: int) -> np.ndarray:
    """National percentile of deprivation of each rank, as used by the extent measure.

    ``percentile = ceil(rank / N × 100)`` (Technical Report 5.3.26): with N = 32,844 the
    ranks 1–3,284 are percentile 10 or better and rank 3,285 is percentile 11. Computed as
    ``ceil(100 · rank / N)``, which is exact in floating point for whole ranks.

    Args:
        rank: National ranks, 1 = most deprived. Missing values (NaN) stay NaN.
        n_national: Number of LSOAs ranked nationally (N).

    Returns:
        Float array of percentiles 1–100, NaN where the rank is missing.

    Raises:
        ValueError: If ``n_national`` is not positive or a rank is outside 1..N.

    """
    _check_n_national(n_national)
    ranks = np.asarray(rank, dtype=float)
    bad = ~np.isnan(ranks) & ((ranks < 1) | (ranks > n_national))
    if bad.any():
        examples = ", ".join(f"{v:g}" for v in np.unique(ranks[bad])[:_N_EXAMPLES])
        msg = f"{int(bad.sum())} rank(s) outside 1..{n_national}: {examples}"
        raise ValueError(msg)
    return national_percentile(ranks, n_national=n_national)


def extent_weight(pct: ArrayLike) -> np.ndarray:
    """Weight of an LSOA in the extent measure, from its national percentile.

    Technical Report 5.3.25, with exact (unrounded) weights: 1 for percentiles 1–10; from
    0.95 at percentile 11 down in equal steps of 0.90 / 19 to 0.05 at percentile 30, i.e.
    ``0.95 − (pct − 11) × 0.90 / 19``; 0 beyond percentile 30. Appendix N prints the
    percentile-28 weight rounded to 0.1447; the exact value is 0.144736….

    Args:
        pct: Percentiles from :func:`percentile` (whole numbers 1–100). NaN stays NaN.

    Returns:
        Float array of weights in [0, 1].

    Raises:
        ValueError: If a percentile is not a whole number in 1..100.

    """
    pcts = np.asarray(pct, dtype=float)
    known = ~np.isnan(pcts)
    bad = known & ((pcts < 1) | (pcts > 100) | (pcts != np.floor(pcts)))
    if bad.any():
        examples = ", ".join(f"{v:g}" for v in np.unique(pcts[bad])[:_N_EXAMPLES])
        msg = f"percentiles must be whole numbers in 1..100, got: {examples}"
        raise ValueError(msg)
    sliding = 0.95 - (pcts - 11.0) * 0.90 / 19.0
    weights = np.where(pcts <= 10, 1.0, np.where(pcts <= 30, sliding, 0.0))
    return np.where(known, weights, np.nan)


def rank_areas(values: pd.Series) -> pd.Series:
    """Rank areas on a summary measure: rank 1 = largest value = most deprived.

    Ties share the lowest (best) rank and the next rank is skipped ("1, 2, 2, 4"), which is
    how the official IoD summaries rank (e.g. all 123 districts with no LSOA in the most
    deprived 10% share rank 195 in IoD2019 File 10). Values are ranked unrounded.

    Args:
        values: One value per area.

    Returns:
        Float ranks with the same index and name; NaN where the value is NaN.

    """
    return values.rank(method="min", ascending=False, na_option="keep").astype(float)


# --------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------


def _examples(frame: pd.DataFrame, mask: pd.Series, col: str) -> str:
    """Describe up to five offending rows as ``LSOA=value``."""
    rows = frame.loc[mask]
    codes = rows[LSOA_COL] if LSOA_COL in rows else pd.Series(rows.index, index=rows.index)
    shown = ", ".join(
        f"{code}={value!r}"
        for code, value in zip(codes[:_N_EXAMPLES], rows[col][:_N_EXAMPLES], strict=True)
    )
    more = f" and {len(rows) - _N_EXAMPLES} more" if len(rows) > _N_EXAMPLES else ""
    return f"{shown}{more}"


def _numeric(frame: pd.DataFrame, col: str) -> pd.Series:
    """Column ``col`` as float, NaN where missing; an error naming the column otherwise."""
    if col not in frame:
        return pd.Series(np.nan, index=frame.index, dtype=float)
    try:
        return pd.to_numeric(frame[col]).astype(float)
    except (TypeError, ValueError) as err:
        msg = f"Column {col!r} must be numeric: {err}"
        raise ValueError(msg) from err


def _check_range(
    frame: pd.DataFrame,
    col: str,
    values: pd.Series,
    *,
    low: float,
    high: float,
    allow_missing: bool,
) -> None:
    """Raise if ``values`` has whole numbers outside ``low..high`` (or missing values)."""
    if not allow_missing and values.isna().any():
        mask = values.isna()
        msg = (
            f"Column {col!r} has {int(mask.sum())} missing value(s): {_examples(frame, mask, col)}"
        )
        raise ValueError(msg)
    mask = values.notna() & ((values < low) | (values > high) | (values != np.floor(values)))
    if mask.any():
        msg = (
            f"Column {col!r} has {int(mask.sum())} value(s) that are not whole numbers in "
            f"{low:g}..{high:g}: {_examples(frame, mask, col)}"
        )
        raise ValueError(msg)


def _check_population(frame: pd.DataFrame, col: str, values: pd.Series) -> None:
    mask = values.isna() | (values < 0) | np.isinf(values)
    if mask.any():
        msg = (
            f"Column {col!r} has {int(mask.sum())} missing, negative or infinite "
            f"population(s): {_examples(frame, mask, col)}"
        )
        raise ValueError(msg)


def _check_share(frame: pd.DataFrame, col: str, values: pd.Series) -> None:
    mask = values.isna() | (values <= 0) | (values > 1)
    if mask.any():
        msg = (
            f"Column {col!r} has {int(mask.sum())} share(s) outside (0, 1]: "
            f"{_examples(frame, mask, col)}"
        )
        raise ValueError(msg)


def _check_structure(
    lsoas: pd.DataFrame, *, area_col: str, required: Iterable[str], optional: Iterable[str]
) -> None:
    """Check required columns, emptiness, missing area codes and repeated rows."""
    missing = [col for col in required if col not in lsoas]
    if missing:
        msg = f"lsoas is missing required column(s): {', '.join(map(repr, missing))}"
        raise ValueError(msg)
    absent = [col for col in optional if col not in lsoas]
    if absent:
        logger.info("Optional columns absent (their measures are NaN): %s", ", ".join(absent))
    if lsoas.empty:
        msg = "lsoas is empty: there are no areas to summarise"
        raise ValueError(msg)
    no_area = lsoas[area_col].isna()
    if no_area.any():
        msg = (
            f"Column {area_col!r} has {int(no_area.sum())} missing area code(s): "
            f"{_examples(lsoas, no_area, area_col)}"
        )
        raise ValueError(msg)
    dup = lsoas.duplicated([area_col, LSOA_COL], keep=False)
    if dup.any():
        pairs = lsoas.loc[dup, [area_col, LSOA_COL]].drop_duplicates().head(_N_EXAMPLES)
        shown = ", ".join(f"({a}, {c})" for a, c in pairs.itertuples(index=False))
        msg = f"lsoas has {int(dup.sum())} rows repeating an (area, LSOA) pair: {shown}"
        raise ValueError(msg)


# --------------------------------------------------------------------------------------
# Summaries
# --------------------------------------------------------------------------------------


class _Inputs:
    """The validated, numeric inputs of :func:`summarise_areas`."""

    def __init__(
        self,
        lsoas: pd.DataFrame,
        *,
        area_col: str,
        n_national: int,
        population_col: str,
        share_col: str | None,
        denominator_cols: Mapping[str, str],
    ) -> None:
        self.area = lsoas[area_col]
        self.population = _numeric(lsoas, population_col)
        _check_population(lsoas, population_col, self.population)
        if share_col is None:
            self.share = pd.Series(1.0, index=lsoas.index)
        else:
            self.share = _numeric(lsoas, share_col)
            _check_share(lsoas, share_col, self.share)
        self.denominators: dict[str, pd.Series] = {}
        for stem, col in denominator_cols.items():
            self.denominators[stem] = _numeric(lsoas, col)
            _check_population(lsoas, col, self.denominators[stem])
        self.ranks: dict[str, pd.Series] = {}
        self.deciles: dict[str, pd.Series] = {}
        self.scores: dict[str, pd.Series] = {}
        for index in INDICES:
            rcol, dcol = rank_col(index.stem), decile_col(index.stem)
            self.ranks[index.stem] = _numeric(lsoas, rcol)
            _check_range(
                lsoas,
                rcol,
                self.ranks[index.stem],
                low=1,
                high=n_national,
                allow_missing=index is not IMD,
            )
            self.deciles[index.stem] = _numeric(lsoas, dcol)
            _check_range(lsoas, dcol, self.deciles[index.stem], low=1, high=10, allow_missing=True)
            self.scores[index.stem] = _numeric(lsoas, score_col(index.stem))
        self.numerators = {
            out: _numeric(lsoas, col) * self.share
            for out, col in SCALE_NUMERATORS.items()
            if col in lsoas
        }

    def weight(self, stem: str) -> pd.Series:
        """Return the population weights ``p_i`` of index ``stem``."""
        return self.denominators.get(stem, self.population)


def _in_decile_1(inputs: _Inputs, stem: str, n_national: int) -> pd.Series:
    """1.0 if the LSOA is in national decile 1, 0.0 if not, NaN if unknown.

    Uses the decile column where given; otherwise ``rank <= N // 10``, which is the same
    thing (percentile <= 10; 3,284 of 32,844 and 3,375 of 33,755 LSOAs).
    """
    decile, rank = inputs.deciles[stem], inputs.ranks[stem]
    from_decile = (decile == 1).astype(float).where(decile.notna())
    from_rank = (rank <= n_national // 10).astype(float).where(rank.notna())
    return from_decile.fillna(from_rank)


def _local_concentration_terms(inputs: _Inputs) -> pd.Series:
    """``q_i r_i`` per LSOA for the local concentration of its area.

    LSOAs are taken most deprived first (rank ascending; equal ranks in a stable order,
    which cannot change the result since they share the rank) until exactly 10% of the
    area's population is counted.
    """
    rank, pop = inputs.ranks[IMD.stem], inputs.weight(IMD.stem)
    frame = pd.DataFrame({"area": inputs.area, "rank": rank, "pop": pop})
    ordered = frame.sort_values(["area", "rank"], kind="stable")
    grouped = ordered.groupby("area", sort=False)["pop"]
    target = 0.1 * grouped.transform("sum")
    before = grouped.cumsum() - ordered["pop"]
    counted = (target - before).clip(lower=0.0).clip(upper=ordered["pop"])
    return (counted * ordered["rank"]).reindex(frame.index)


def _terms(inputs: _Inputs, *, n_national: int, thresholds: Thresholds) -> pd.DataFrame:
    """Per-LSOA terms whose sums over an area give every measure."""
    imd_rank = inputs.ranks[IMD.stem]
    rank_1pct, rank_10pct = thresholds.ranks(n_national)
    terms: dict[str, pd.Series] = {
        "population": inputs.population,
        "lsoas": inputs.share,
        "lsoas_in_national_1pct": inputs.share * (imd_rank <= rank_1pct).astype(float),
        "lsoas_in_national_10pct": inputs.share * (imd_rank <= rank_10pct).astype(float),
        "lsoas_in_national_20pct": (
            inputs.share * (imd_rank <= thresholds.rank("20pct", n_national)).astype(float)
        ),
    }
    for index in INDICES:
        stem, weight = index.stem, inputs.weight(index.stem)
        in10 = _in_decile_1(inputs, stem, n_national)
        terms[f"{stem}:p"] = weight
        terms[f"{stem}:pr"] = weight * inputs.ranks[stem]
        terms[f"{stem}:ps"] = weight * inputs.scores[stem]
        terms[f"{stem}:w10"] = inputs.share * in10
        terms[f"{stem}:r_missing"] = inputs.ranks[stem].isna().astype(float)
        terms[f"{stem}:s_missing"] = inputs.scores[stem].isna().astype(float)
        terms[f"{stem}:d_missing"] = in10.isna().astype(float)
    imd_weight = inputs.weight(IMD.stem)
    pct = percentile(inputs.ranks[IMD.stem].to_numpy(), n_national=n_national)
    terms["imd:extent"] = imd_weight * extent_weight(pct)
    terms["imd:lc"] = _local_concentration_terms(inputs)
    for out, numerator in inputs.numerators.items():
        terms[f"{out}:sum"] = numerator
        terms[f"{out}:missing"] = numerator.isna().astype(float)
    return pd.DataFrame(terms)


def _nan_where_missing(sums: pd.DataFrame, value: pd.Series, missing_term: str) -> pd.Series:
    """``value`` with NaN for areas where any contributing LSOA value is missing.

    Areas where only some values are missing are logged as a warning; an index whose
    values are missing everywhere (column absent or empty) is not.
    """
    missing = sums[missing_term]
    partial = (missing > 0) & (missing < sums["rows"])
    if partial.any():
        logger.warning(
            "%s: NaN for %d area(s) where some but not all LSOA values are missing: %s",
            missing_term.replace(":", " ").replace("_missing", ""),
            int(partial.sum()),
            ", ".join(map(str, partial[partial].index[:_N_EXAMPLES])),
        )
    return value.where(missing == 0)


def _index_measures(sums: pd.DataFrame, stem: str, *, n_national: int) -> pd.DataFrame:
    """Average score, average rank and proportion in decile 1 of one index."""
    p = sums[f"{stem}:p"]
    score = sums[f"{stem}:ps"] / p
    rank = (n_national + 1) - sums[f"{stem}:pr"] / p
    proportion = sums[f"{stem}:w10"] / sums["lsoas"]
    return pd.DataFrame(
        {
            f"{stem}_average_score": _nan_where_missing(sums, score, f"{stem}:s_missing"),
            f"{stem}_average_rank": _nan_where_missing(sums, rank, f"{stem}:r_missing"),
            f"{stem}_proportion_10pct": _nan_where_missing(sums, proportion, f"{stem}:d_missing"),
        }
    )


def _scales(sums: pd.DataFrame) -> pd.DataFrame:
    """Income and employment scales: sums of the available numerators."""
    result = pd.DataFrame(index=sums.index)
    for out, col in SCALE_NUMERATORS.items():
        if f"{out}:sum" not in sums:
            logger.info("Column %r absent: %s is NaN", col, out)
            result[out] = np.nan
            continue
        missing = sums[f"{out}:missing"]
        if missing.gt(0).any():
            logger.warning(
                "%s: %d LSOA(s) in %d area(s) have no %r (disclosure-suppressed small "
                "counts); summed over the available LSOAs",
                out,
                int(missing.sum()),
                int(missing.gt(0).sum()),
                col,
            )
        result[out] = sums[f"{out}:sum"].where(missing < sums["rows"])
    return result


def _check_area_populations(
    sums: pd.DataFrame, *, population_col: str, denominators: Mapping[str, str]
) -> None:
    """Raise if an area has zero total population (or zero total of a denominator)."""
    checks = {"population": population_col}
    checks |= {f"{stem}:p": col for stem, col in denominators.items()}
    for term, col in checks.items():
        empty = sums.index[sums[term] <= 0]
        if len(empty):
            msg = (
                f"{len(empty)} area(s) with zero total population in {col!r}: "
                f"{', '.join(map(str, empty[:_N_EXAMPLES]))}"
            )
            raise ValueError(msg)


def summarise_areas(
    lsoas: pd.DataFrame,
    *,
    area_col: str,
    n_national: int,
    population_col: str = "population",
    share_col: str | None = None,
    denominator_cols: Mapping[str, str] | None = None,
    thresholds: Thresholds = OFFICIAL,
) -> pd.DataFrame:
    """Compute the official IoD summary measures for every area.

    Args:
        lsoas: One row per (area, LSOA) contribution with columns ``area_col``,
            ``lsoa_code``, ``population_col`` and ``imd_rank`` (required), and optionally
            ``imd_decile``, ``imd_score``, ``<stem>_rank``, ``<stem>_decile``,
            ``<stem>_score`` for each domain of :data:`geo.model.domains.DOMAINS`,
            ``income_numerator`` and ``employment_numerator``. Absent optional columns give
            NaN measures.
        area_col: Column holding the area code.
        n_national: Number of LSOAs ranked nationally: 32,844 for IoD2015/IoD2019, 33,755
            for IoD2025.
        population_col: Population of the LSOA within the area (for a partial LSOA, its
            population × share, apportioned by the caller).
        share_col: Fraction (0, 1] of the LSOA that belongs to the area. When given, LSOA
            counts (``lsoas``, ``lsoas_in_national_*``, the proportions) are sums of shares
            and the numerators are multiplied by the share. None counts every row whole.
        denominator_cols: Optional index stem → column holding the population denominator
            of that index, e.g. ``{"employment": "working_age_population"}``: the official
            summaries weight the Employment domain by the working-age population (Technical
            Report 3.8.9). Indices not named use ``population_col``; extent and local
            concentration use the IMD denominator. With shares, pass these apportioned too.
        thresholds: The national thresholds the LSOA counts use (config ``thresholds``);
            the official measures (proportions, extent) always use MHCLG's.

    Returns:
        One row per area, sorted by area code, with ``area_col`` then
        :data:`SUMMARY_COLUMNS`. Conventions:

        - an average score or average rank is NaN for an area where any contributing LSOA
          lacks the score or rank (a subset is never averaged silently); a proportion is NaN
          where any decile (and rank) is unknown;
        - ``lsoas_in_national_1pct`` counts IMD rank ≤ the 1% threshold rank (328 of
          32,844 by default), ``lsoas_in_national_10pct`` IMD rank ≤ the 10% one (3,284;
          the same LSOAs as decile 1) and ``lsoas_in_national_20pct`` IMD rank ≤ the 20% one
          (6,568; deciles 1–2), all from :class:`geo.model.releases.Thresholds`;
        - a scale is NaN when its numerator column is absent; otherwise the sum of the
          available numerators, skipping missing (disclosure-suppressed) ones with a
          warning, and NaN only for an area where every numerator is missing.

    Raises:
        ValueError: On missing required columns, an empty frame, missing area codes,
            repeated (area, LSOA) pairs, ranks outside 1..N (or a missing IMD rank), deciles
            outside 1..10, missing/negative populations, an area with zero population, or
            shares outside (0, 1].
        TypeError: If ``n_national`` is not an int.

    """
    _check_n_national(n_national)
    denominator_cols = dict(denominator_cols or {})
    unknown = sorted(set(denominator_cols) - {index.stem for index in INDICES})
    if unknown:
        msg = f"denominator_cols names unknown index stem(s): {', '.join(map(repr, unknown))}"
        raise ValueError(msg)
    required = [area_col, LSOA_COL, population_col, rank_col(IMD.stem)]
    required += [col for col in (share_col, *denominator_cols.values()) if col is not None]
    optional = [
        *(f(index.stem) for index in INDICES for f in (rank_col, decile_col, score_col)),
        *SCALE_NUMERATORS.values(),
    ]
    optional = [col for col in optional if col not in required]
    lsoas = lsoas.reset_index(drop=True)  # the caller's index may repeat labels
    _check_structure(lsoas, area_col=area_col, required=required, optional=optional)
    inputs = _Inputs(
        lsoas,
        area_col=area_col,
        n_national=n_national,
        population_col=population_col,
        share_col=share_col,
        denominator_cols=denominator_cols,
    )
    terms = _terms(inputs, n_national=n_national, thresholds=thresholds).assign(rows=1.0)
    sums = terms.groupby(inputs.area.to_numpy(), sort=True).sum()
    _check_area_populations(sums, population_col=population_col, denominators=denominator_cols)

    imd_p = sums["imd:p"]
    out = pd.DataFrame(index=sums.index)
    counts = ["population", "lsoas", *COUNT_COLUMNS]
    out[counts] = sums[counts]
    out = out.join(_index_measures(sums, IMD.stem, n_national=n_national))
    out["imd_extent"] = sums["imd:extent"] / imd_p
    out["imd_local_concentration"] = (n_national + 1) - sums["imd:lc"] / (0.1 * imd_p)
    for domain in DOMAINS:
        out = out.join(_index_measures(sums, domain.stem, n_national=n_national))
    out = out.join(_scales(sums))
    out = out[list(SUMMARY_COLUMNS)].rename_axis(area_col).reset_index()
    out[area_col] = out[area_col].astype(lsoas[area_col].dtype)
    logger.info(
        "Summarised %d LSOA contribution(s) into %d area(s) (N = %d)",
        len(lsoas),
        len(out),
        n_national,
    )
    return out
