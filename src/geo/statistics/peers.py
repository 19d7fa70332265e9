"""The authority beside its peers: official district summary measures, ranks and look-alikes.

Every authority of a release is summarised from the national LSOA table with
:func:`geo.statistics.measures.summarise_areas` (the measures that reproduce MHCLG's File 10
for IoD2019), so the peer table works for any ``lad_code``:

- :func:`authority_measures` — every authority's IMD average score, average rank, extent,
  local concentration, proportion of LSOAs in the national 10% and the income and
  employment scales, each with its rank among all authorities (1 = most deprived, ties
  share the better rank, as in File 10);
- :func:`authority_summaries` — every authority of every release in one table
  (``authority_summaries.csv``, the national output; checked against File 10);
- :func:`peer_table` — those rows for the configured authority and its peer set, every
  release;
- :func:`similar_authorities` — the authorities most like the configured one by domain
  profile: the Euclidean distance between authorities on the seven domain average ranks,
  each standardised across all authorities of the release (z-scores: mean 0, standard
  deviation 1), so every domain counts equally. Domain average ranks are used rather than
  scores because IoD2015 and IoD2019 domain scores are not all available here; ranks are.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from geo.core.checks import require_columns, show
from geo.core.errors import GeoInputError
from geo.inputs.imd import VINTAGES
from geo.model.domains import DOMAINS
from geo.statistics.measures import rank_areas, summarise_areas

logger = logging.getLogger(__name__)

MEASURES: dict[str, str] = {
    "imd_average_score": "IMD average score",
    "imd_average_rank": "IMD average rank",
    "imd_extent": "IMD extent",
    "imd_local_concentration": "IMD local concentration",
    "imd_proportion_10pct": "Proportion of LSOAs in the national 10%",
    "income_scale": "Income scale",
    "employment_scale": "Employment scale",
}
"""The official district summary measures of the peer table → their labels."""

SIMILARITY_FEATURES: tuple[str, ...] = tuple(f"{d.stem}_average_rank" for d in DOMAINS)
"""Columns compared by :func:`similar_authorities`: the seven domain average ranks."""


def authority_measures(national: pd.DataFrame, *, vintage: int) -> pd.DataFrame:
    """Summary measures of every authority of ``vintage`` with their ranks among all.

    Args:
        national: The canonical national LSOA table of the release
            (``data/interim/imd<vintage>_england.parquet``).
        vintage: The IoD release (sets N, the national LSOA count).

    Returns:
        One row per authority (sorted by code): ``vintage, lad_code, lad_name, population,
        lsoas``, ``population_source`` (when the table names its denominators), every column of :data:`MEASURES` followed by ``<measure>_rank``, the domain
        average ranks of :data:`SIMILARITY_FEATURES` and ``lads_ranked``.

    """
    require_columns(national, ["lad_code", "lad_name", "lsoa_code"], source=f"IoD{vintage} table")
    v = VINTAGES[vintage]
    summary = summarise_areas(
        national,
        area_col="lad_code",
        n_national=v.n_national,
        denominator_cols={"employment": "employment_population"},
    )
    names = national[["lad_code", "lad_name"]].drop_duplicates("lad_code")
    out = summary.merge(names, on="lad_code", how="left", validate="1:1")
    columns = ["vintage", "lad_code", "lad_name", "population", "lsoas"]
    if "population_source" in national.columns:  # the denominators of the authority's LSOAs
        sources = national.groupby("lad_code")["population_source"].agg(
            lambda s: "; ".join(sorted(set(s)))
        )
        out = out.merge(sources.rename("population_source"), left_on="lad_code", right_index=True,
                        how="left", validate="1:1")  # fmt: skip
        columns.append("population_source")
    out.insert(0, "vintage", vintage)
    for measure in MEASURES:
        out[f"{measure}_rank"] = rank_areas(out[measure]).astype("Int64")
        columns += [measure, f"{measure}_rank"]
    out["lads_ranked"] = len(out)
    logger.info("IoD%d: summary measures and ranks of %d authorities", vintage, len(out))
    return out[[*columns, *SIMILARITY_FEATURES, "lads_ranked"]]


def authority_summaries(measures: Mapping[int, pd.DataFrame]) -> pd.DataFrame:
    """Every authority's summary measures and ranks, every release: ``authority_summaries.csv``.

    Args:
        measures: Vintage → :func:`authority_measures` of that release.

    Returns:
        The :func:`authority_measures` rows of all releases, by release then authority code.

    Raises:
        GeoInputError: If there is no release, or an authority appears twice in one.

    """
    if not measures:
        msg = "authority summaries: no release to summarise (config vintages is empty)"
        raise GeoInputError(msg)
    out = pd.concat([measures[v] for v in sorted(measures)], ignore_index=True)
    twice = out.loc[out.duplicated(["vintage", "lad_code"]), ["vintage", "lad_code"]]
    if not twice.empty:
        pairs = [f"IoD{v} {c}" for v, c in twice.itertuples(index=False)]
        msg = f"authority summaries: authorities listed twice in a release: {show(pairs)}"
        raise GeoInputError(msg)
    logger.info(
        "Authority summaries: %s",
        ", ".join(f"IoD{v} {len(measures[v])} authorities" for v in sorted(measures)),
    )
    return out.sort_values(["vintage", "lad_code"], ignore_index=True)


def peer_table(
    measures: Mapping[int, pd.DataFrame], *, lad_code: str, peers: Sequence[str]
) -> pd.DataFrame:
    """Select the authority and its peers, every release: ``peers.csv``.

    Args:
        measures: Vintage → :func:`authority_measures` of that release.
        lad_code: The configured authority (always in the table, first within a release).
        peers: Peer authority codes. A code absent from a release (boundary changes) is
            logged and left out of that release; a code in no release is an error.

    Returns:
        :func:`authority_measures` rows of the authority and its peers, with ``is_authority``.

    Raises:
        GeoInputError: If ``lad_code`` or a peer is not an authority of any release.

    """
    wanted = list(dict.fromkeys([lad_code, *peers]))
    known = set().union(*(set(m["lad_code"]) for m in measures.values()))
    unknown = [code for code in wanted if code not in known]
    if unknown:
        msg = (
            f"config peers.authorities / lad_code: {show(unknown)} not a local authority "
            f"district of any release ({', '.join(f'IoD{v}' for v in sorted(measures))})"
        )
        raise GeoInputError(msg)
    frames = []
    for vintage in sorted(measures):
        table = measures[vintage]
        absent = [code for code in wanted if code not in set(table["lad_code"])]
        if absent:
            logger.warning("IoD%d: no authority %s; left out of that release", vintage, absent)
        rows = table.loc[table["lad_code"].isin(wanted)].copy()
        rows["is_authority"] = rows["lad_code"] == lad_code
        order = {code: i for i, code in enumerate(wanted)}
        frames.append(rows.sort_values("lad_code", key=lambda s: s.map(order)))
    out = pd.concat(frames, ignore_index=True)
    return out[["vintage", "lad_code", "lad_name", "is_authority", *out.columns[3:-1]]]


def similar_authorities(
    measures: Mapping[int, pd.DataFrame], *, lad_code: str, count: int
) -> pd.DataFrame:
    """Find the ``count`` authorities nearest ``lad_code`` by domain profile, per release.

    Distance: Euclidean, over the z-scores (across all authorities of the release) of the
    seven domain average ranks (:data:`SIMILARITY_FEATURES`). Releases where the authority
    does not exist are skipped with a warning, and releases without domain ranks (IMD 2004
    and 2007 as held here) are skipped.

    Returns:
        ``vintage, similarity_rank, lad_code, lad_name, distance`` and the seven domain
        average ranks, nearest first (``similarity_rank`` 1 = most similar).

    """
    frames = []
    for vintage in sorted(measures):
        table = measures[vintage].set_index("lad_code")
        if lad_code not in table.index:
            logger.warning("IoD%d: %s not an authority; no similar authorities", vintage, lad_code)
            continue
        features = table[list(SIMILARITY_FEATURES)].astype(float)
        if features.isna().all().all():
            logger.info("IoD%d publishes no domain ranks here; no similar authorities", vintage)
            continue
        if features.isna().any().any():
            missing = features.columns[features.isna().any()].tolist()
            msg = f"IoD{vintage}: domain average ranks missing for {show(missing)}"
            raise GeoInputError(msg)
        z = (features - features.mean()) / features.std(ddof=0)
        distance = np.sqrt(((z - z.loc[lad_code]) ** 2).sum(axis=1)).drop(lad_code)
        nearest = distance.sort_values(kind="stable").head(count)
        rows = table.loc[nearest.index, ["lad_name", *SIMILARITY_FEATURES]].reset_index()
        rows.insert(0, "distance", nearest.to_numpy())
        rows.insert(0, "similarity_rank", range(1, len(rows) + 1))
        rows.insert(0, "vintage", vintage)
        frames.append(rows)
    columns = ["vintage", "similarity_rank", "lad_code", "lad_name", "distance"]
    return pd.concat(frames, ignore_index=True)[[*columns, *SIMILARITY_FEATURES]]
