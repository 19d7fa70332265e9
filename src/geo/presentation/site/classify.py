"""Classes of continuous map values with mapclassify, and the table of their breaks.

Deciles are fixed national classes and need no classing; continuous values (IMD scores of
LSOAs, average scores of areas) are classed once per layer over all the authority's values,
so a ward page and the city page colour the same LSOA alike. The scheme and the number of
classes come from the config (``site.classification``): ``fisher_jenks`` (natural breaks,
the default) or ``quantiles``.

Breaks are rounded to the values' published precision and both the table and the maps use
the rounded breaks: a value ``v`` is in the first class whose upper bound ``b`` has
``v <= b`` (mapclassify's rule). :func:`breaks_table` writes them to
``data/processed/classification_breaks.csv``.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Numba not installed")
    import mapclassify

from geo.core.errors import ConfigError
from geo.model.tiers import CITY

logger = logging.getLogger(__name__)

SCHEMES: Final = ("fisher_jenks", "quantiles")
"""Classification schemes the config may name."""

BREAK_COLUMNS: Final = (
    "layer", "field", "vintage", "scheme", "k", "class", "lower", "upper", "count",
)  # fmt: skip
"""Columns of :func:`breaks_table`: one row per class of each classed layer."""


@dataclass(frozen=True)
class Classes:
    """The classes of one layer's values."""

    layer: str
    field: str
    vintage: int
    scheme: str
    minimum: float
    bins: tuple[float, ...]
    """Upper bound of each class, ascending; the last is the maximum."""
    counts: tuple[int, ...]

    def of(self, value: float | None) -> int | None:
        """Class (0-based) of ``value``; None for a missing value."""
        if value is None or not np.isfinite(value):
            return None
        position = int(np.searchsorted(np.asarray(self.bins), value, side="left"))
        return min(position, len(self.bins) - 1)


def classify(
    values: Sequence[float] | pd.Series,
    *,
    layer: str,
    field: str,
    vintage: int,
    scheme: str,
    k: int,
    decimals: int,
) -> Classes:
    """Class ``values`` (missing values ignored) with ``scheme`` into at most ``k`` classes.

    Fewer classes result when the values have fewer distinct values than ``k``.

    Raises:
        ConfigError: ``scheme`` is not one of :data:`SCHEMES` or ``k`` < 2.
        ValueError: no value to class (naming ``layer``).

    """
    if scheme not in SCHEMES:
        msg = f"config site.classification.scheme: {scheme!r} is not one of {SCHEMES}"
        raise ConfigError(msg)
    if k < 2:
        msg = f"config site.classification.k: {k} classes; at least 2 are needed"
        raise ConfigError(msg)
    x = pd.to_numeric(pd.Series(values), errors="coerce").dropna().to_numpy(dtype=float)
    if x.size == 0:
        msg = f"layer {layer!r}: no value of {field!r} to class"
        raise ValueError(msg)
    k = min(k, len(np.unique(x)))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Numba not installed")
        if k < 2:
            bins = np.array([x.max()])
        elif scheme == "fisher_jenks":
            bins = mapclassify.FisherJenks(x, k=k).bins
        else:
            bins = mapclassify.Quantiles(x, k=k).bins
    rounded = np.unique(np.round(np.asarray(bins, dtype=float), decimals))
    rounded[-1] = max(rounded[-1], np.round(x.max(), decimals))
    classes = np.minimum(np.searchsorted(rounded, x, side="left"), len(rounded) - 1)
    counts = np.bincount(classes, minlength=len(rounded))
    result = Classes(
        layer=layer,
        field=field,
        vintage=vintage,
        scheme=scheme,
        minimum=float(np.round(x.min(), decimals)),
        bins=tuple(float(b) for b in rounded),
        counts=tuple(int(c) for c in counts),
    )
    logger.info(
        "Classed %s (%s, IoD%d) by %s into %d classes: upper bounds %s",
        layer, field, vintage, scheme, len(rounded), ", ".join(f"{b:g}" for b in rounded),
    )  # fmt: skip
    return result


def breaks_table(classes: Sequence[Classes]) -> pd.DataFrame:
    """One row per class of each layer (:data:`BREAK_COLUMNS`), layers in the given order."""
    rows = []
    for c in classes:
        lowers = [c.minimum, *c.bins[:-1]]
        for i, (low, high, count) in enumerate(zip(lowers, c.bins, c.counts, strict=True)):
            rows.append({
                "layer": c.layer, "field": c.field, "vintage": c.vintage, "scheme": c.scheme,
                "k": len(c.bins), "class": i + 1, "lower": low, "upper": high, "count": count,
            })  # fmt: skip
    return pd.DataFrame(rows, columns=list(BREAK_COLUMNS))


def read_breaks(table: pd.DataFrame) -> dict[str, Classes]:
    """Return the classes of each layer from a table written by :func:`breaks_table`."""
    out: dict[str, Classes] = {}
    for layer, rows in table.sort_values(["layer", "class"]).groupby("layer", sort=True):
        first = rows.iloc[0]
        out[str(layer)] = Classes(
            layer=str(layer),
            field=str(first["field"]),
            vintage=int(first["vintage"]),
            scheme=str(first["scheme"]),
            minimum=float(first["lower"]),
            bins=tuple(float(b) for b in rows["upper"]),
            counts=tuple(int(c) for c in rows["count"]),
        )
    return out


LSOA_SCORE_LAYER = "lsoa_imd_score_{vintage}"
"""Layer id of the LSOAs' IMD score classes of a release."""
AREA_SCORE_LAYER = "{tier}_imd_average_score_{vintage}"
"""Layer id of a tier's classes of average IMD score in a release."""


def classify_site_layers(
    lsoas: dict[int, pd.DataFrame],
    summaries: dict[str, pd.DataFrame],
    *,
    scheme: str,
    k: int,
) -> list[Classes]:
    """Classes of every continuous layer of the site.

    * ``lsoa_imd_score_<vintage>``: the authority's LSOAs by IMD score (3 decimals);
    * ``<tier>_imd_average_score_<vintage>``: a tier's areas by population-weighted average
      IMD score (2 decimals), for tiers with at least two areas.
    """
    out = []
    for vintage, layer in sorted(lsoas.items()):
        out.append(
            classify(layer["imd_score"], layer=LSOA_SCORE_LAYER.format(vintage=vintage),
                     field="imd_score", vintage=vintage, scheme=scheme, k=k, decimals=3)
        )  # fmt: skip
    for tier, summary in summaries.items():
        for key, rows in summary.groupby("vintage", sort=True):
            vintage = int(str(key))
            values = pd.to_numeric(rows["imd_average_score"], errors="coerce").dropna()
            if tier == CITY.key or values.nunique() < 2:
                continue
            out.append(
                classify(values, layer=AREA_SCORE_LAYER.format(tier=tier, vintage=vintage),
                         field="imd_average_score", vintage=vintage, scheme=scheme, k=k,
                         decimals=2)
            )  # fmt: skip
    return out
