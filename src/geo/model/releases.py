"""The releases of the English Indices of Deprivation, declared once, and the thresholds.

A :class:`Vintage` knows its LSOA geography, how many LSOAs England has in it (N), the
national percentile of a rank and the rank thresholds of the national most deprived 1%, 10%
and 20% (:class:`Thresholds`, from config ``thresholds``; the 20% is deciles 1–2); nothing
else computes them. Adding a
release is one entry in :data:`VINTAGES` plus its loader in :mod:`geo.inputs.imd`.

The releases of 2004, 2007 and 2010 are on 2001 LSOAs; their authority (``lad_year`` 2013)
comes from the ONS LSOA 2001 → 2011 lookup, and the district as the release coded it is
kept beside it (``release_lad_code``) so an authority is ranked among that release's own.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from geo.core.errors import ConfigError
from geo.model.geographies import Geography, geography, lsoa_geography


@dataclass(frozen=True)
class Thresholds:
    """The national thresholds, in percent of England's LSOAs (config ``thresholds``)."""

    most_deprived_1pct: float = 1
    most_deprived_10pct: float = 10
    most_deprived_20pct: float = 20

    @classmethod
    def from_config(cls, thresholds: Mapping[str, float]) -> Thresholds:
        """From config ``thresholds`` (the 20% defaults to 20 when not given).

        Raises:
            ConfigError: the thresholds are not in order (1% below 10% below 20%).

        """
        out = cls(
            float(thresholds["most_deprived_1pct"]),
            float(thresholds["most_deprived_10pct"]),
            float(thresholds.get("most_deprived_20pct", cls.most_deprived_20pct)),
        )
        if not 0 < out.most_deprived_1pct < out.most_deprived_10pct <= 100:
            msg = (
                f"config thresholds: most_deprived_1pct ({out.most_deprived_1pct:g}) must be "
                f"below most_deprived_10pct ({out.most_deprived_10pct:g}), above 0, and the 10% "
                "at most 100"
            )
            raise ConfigError(msg)
        if not out.most_deprived_10pct < out.most_deprived_20pct <= 100:
            msg = (
                f"config thresholds: most_deprived_20pct ({out.most_deprived_20pct:g}) must be "
                f"above most_deprived_10pct ({out.most_deprived_10pct:g}) and at most 100"
            )
            raise ConfigError(msg)
        return out

    def ranks(self, n_national: int) -> tuple[int, int]:
        """Largest national ranks inside the 1% and the 10% among ``n_national`` LSOAs."""
        return (
            threshold_rank(n_national, self.most_deprived_1pct),
            threshold_rank(n_national, self.most_deprived_10pct),
        )

    def rank(self, which: str, n_national: int) -> int:
        """Largest national rank inside ``which`` (``1pct``, ``10pct`` or ``20pct``)."""
        return threshold_rank(n_national, self.percent(which))

    def label(self, which: str) -> str:
        """``"1%"``, ``"10%"`` or ``"20%"`` as configured, for prose (``which``: :data:`BANDS`)."""
        return f"{self.percent(which):g}%"

    def percent(self, which: str) -> float:
        """Return the configured percent of ``which`` (``1pct``, ``10pct`` or ``20pct``).

        Raises:
            KeyError: ``which`` is not one of :data:`BANDS`.

        """
        if which not in BANDS:
            msg = f"unknown threshold {which!r}; one of {list(BANDS)}"
            raise KeyError(msg)
        return float(getattr(self, f"most_deprived_{which}"))


BANDS: tuple[str, ...] = ("1pct", "10pct", "20pct")
"""The national bands counted everywhere (``in_national_<band>``, ``lsoas_in_national_<band>``):
the most deprived 1%, 10% (decile 1) and 20% (deciles 1–2)."""

DECILES: dict[str, int] = {"10pct": 1, "20pct": 2}
"""The bands that are whole national deciles at their official percent: the highest decile."""


OFFICIAL = Thresholds()
"""MHCLG's thresholds: the most deprived 1% and 10% of LSOAs."""


def threshold_rank(n_national: int, percent: float) -> int:
    """Largest national rank inside the most deprived ``percent``% (328 for 1% of 32,844)."""
    return math.floor(n_national * percent / 100)


def percentile(rank: ArrayLike, *, n_national: int) -> np.ndarray:
    """National percentile of each rank: ``ceil(100 · rank / N)`` (1 = most deprived)."""
    return np.ceil(100.0 * np.asarray(rank, dtype="float64") / n_national)


@dataclass(frozen=True)
class Vintage:
    """One IoD release: its LSOA geography, national LSOA count and data caveats."""

    year: int
    lsoa_year: int
    lad_year: int
    n_national: int
    population_source: str
    """The release's denominators; where they differ by LSOA, the per-row column says which."""
    inputs: tuple[str, ...]
    deciles_round_up: bool = False
    """Published deciles end at rank ⌈N·d/10⌉ (IMD 2004–2010: decile 1 is ranks 1–3,249 of
    32,482) rather than ⌊N·d/10⌋. Only the check of the published deciles uses it: the
    national 1% and 10% are always ranks up to ⌊N·p/100⌋ (324 and 3,248 of 32,482)."""

    def decile(self, rank: ArrayLike) -> np.ndarray:
        """National decile of each rank as the release publishes it (1 = most deprived)."""
        r = np.asarray(rank, dtype="float64")
        if not self.deciles_round_up:
            return np.ceil(r * 10 / self.n_national)
        ends = np.ceil(self.n_national * np.arange(1, 11) / 10)
        return np.searchsorted(ends, r, side="left").astype("float64") + 1

    @property
    def geography(self) -> Geography:
        """The LSOA geography the release is published on."""
        return geography("LSOA", self.lsoa_year)

    @property
    def lsoa_geography(self) -> str:
        """ONS geography code stem, e.g. ``LSOA11``."""
        return self.geography.key

    def threshold_rank(self, percent: float) -> int:
        """Largest national rank inside the most deprived ``percent``% (328 for 1% of 32,844)."""
        return threshold_rank(self.n_national, percent)

    def rank_1pct(self, thresholds: Thresholds = OFFICIAL) -> int:
        """Largest rank in the configured national 1%."""
        return self.threshold_rank(thresholds.most_deprived_1pct)

    def rank_10pct(self, thresholds: Thresholds = OFFICIAL) -> int:
        """Largest rank in the configured national 10%."""
        return self.threshold_rank(thresholds.most_deprived_10pct)

    def rank_20pct(self, thresholds: Thresholds = OFFICIAL) -> int:
        """Largest rank in the configured national 20% (deciles 1–2)."""
        return self.threshold_rank(thresholds.most_deprived_20pct)

    def thresholds(self, thresholds: Thresholds = OFFICIAL) -> tuple[int, int]:
        """Largest ranks inside the configured national 1% and 10%."""
        return thresholds.ranks(self.n_national)

    def percentile(self, rank: ArrayLike) -> np.ndarray:
        """National percentile of each rank (:func:`percentile`)."""
        return percentile(rank, n_national=self.n_national)


VINTAGES: dict[int, Vintage] = {
    2004: Vintage(
        2004,
        2001,
        2013,
        32_482,
        "IMD 2004 population denominators as tidied by a third party (not official; rounded "
        "to 10); no working-age denominator",
        (
            "imd2004_lsoa01",
            "imd_population_2004_2007_thirdparty",
            "lookup_lsoa01_lsoa11",
            "imd2015_file1",
        ),
        deciles_round_up=True,
    ),
    2007: Vintage(
        2007,
        2001,
        2013,
        32_482,
        "IMD 2007 population denominators as tidied by a third party (not official); no "
        "working-age denominator",
        (
            "imd2007_lsoa01",
            "imd_population_2004_2007_thirdparty",
            "lookup_lsoa01_lsoa11",
            "imd2015_file1",
        ),
        deciles_round_up=True,
    ),
    2010: Vintage(
        2010,
        2001,
        2013,
        32_482,
        "IoD2010 mid-2008 population (excluding prisoners); the official denominator",
        ("imd2010_lsoa01", "imd2010_denominators", "lookup_lsoa01_lsoa11", "imd2015_file1"),
        deciles_round_up=True,
    ),
    2015: Vintage(
        2015,
        2011,
        2013,
        32_844,
        "IoD2015 File 6 mid-2012 population (excluding prisoners); the official denominator",
        ("imd2015_file1", "imd2015_scores", "imd2015_file9", "imd2015_file6"),
    ),
    2019: Vintage(
        2019,
        2011,
        2019,
        32_844,
        "IoD2019 File 6 mid-2015 population (excluding prisoners); the official denominator",
        ("imd2019_file2", "imd2019_scores", "imd2019_file6", "iod2019_indicators"),
    ),
    2025: Vintage(
        2025,
        2021,
        2024,
        33_755,
        "IoD2025 File 7 mid-2022 population (transcribed) for the LSOAs the transcription "
        "covers; elsewhere Census 2021 usual residents (substitute; working age 16–64); "
        "named per LSOA",
        (
            "imd2025",
            "iod2025_denominators",
            "census2021_population",
            "lookup_lsoa21_ward24",
            "iod2025_indicators",
        ),
    ),
}

__all__ = [
    "BANDS",
    "DECILES",
    "OFFICIAL",
    "VINTAGES",
    "Thresholds",
    "Vintage",
    "lsoa_geography",
    "percentile",
]
