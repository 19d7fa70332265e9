"""Indicator metadata: what each registered indicator measures, and the registry that holds them.

The registry (``src/geo/statistics/indicators/registry.yaml`` by default) maps an indicator name to
its metadata entry::

    income_deprivation_rate:
      title: Income deprivation rate
      definition: People in income-deprived families as a share of all residents ...
      unit: "% of residents"
      kind: proportion            # proportion | rate | count
      multiplier: 100             # value = numerator / denominator × multiplier
      polarity: higher_is_worse   # higher_is_worse | higher_is_better | neutral
      suppression: {min_numerator: 10, min_denominator: 100}
      source: MHCLG, English Indices of Deprivation, File 8 underlying indicators
      source_url: https://www.gov.uk/...
      builder: income_deprivation_rate   # a function of geo.statistics.indicators.sources
      datasets: [iod2019_indicators, iod2025_indicators]   # data/registry.yaml names
      periods:                           # optional; period label -> LSOA geography
        "2019": {geography: LSOA11, note: ...}
      authorities: [E08000035]           # optional; the datasets cover only these LADs

``kind`` fixes the arithmetic and the checks: a *proportion* counts a subset of its
denominator (numerator <= denominator), a *rate* does not (e.g. crimes per 1,000
residents), a *count* has no denominator (value = numerator × multiplier).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast, get_args

import pandas as pd
import yaml

from geo.core.errors import ConfigError

logger = logging.getLogger(__name__)

REGISTRY_PATH = Path(__file__).with_name("registry.yaml")
"""The package's indicator registry."""

Kind = Literal["proportion", "rate", "count"]
Polarity = Literal["higher_is_worse", "higher_is_better", "neutral"]
KINDS: tuple[str, ...] = get_args(Kind)
POLARITIES: tuple[str, ...] = get_args(Polarity)
LSOA_GEOGRAPHIES: tuple[str, ...] = ("LSOA11", "LSOA21")
"""LSOA geographies an LSOA-level indicator file may use (2011 and 2021 LSOAs)."""

SOURCE_GEOGRAPHIES: tuple[str, ...] = (*LSOA_GEOGRAPHIES, "MSOA11", "MSOA21", "LAD")
"""Geographies an indicator period may be published on (:mod:`geo.statistics.indicators.geographies`)."""

THEMES: dict[str, str] = {
    "poverty": "Poverty and income",
    "work": "Work and benefits",
    "children": "Children and education",
    "crime": "Crime and safety",
    "health": "Health",
    "housing": "Housing",
}
"""Framework themes of the profiles (``theme:`` in the registry) → heading."""

PERIOD_TYPES: tuple[str, ...] = ("release", "census", "financial_year", "month", "year",
                                 "month_of_year", "snapshot")  # fmt: skip
"""What a period label is (``period_type:``)."""

_REQUIRED = ("title", "definition", "unit", "kind", "multiplier", "polarity", "source",
             "source_url", "builder")  # fmt: skip
_OPTIONAL = ("suppression", "datasets", "periods", "params", "notes", "authorities", "theme",
             "licence", "period_type", "period_label")  # fmt: skip


@dataclass(frozen=True)
class Suppression:
    """Suppress an aggregated value when its numerator or denominator is small.

    A value is suppressed when ``numerator < min_numerator`` or ``denominator <
    min_denominator``; 0 disables a test. Suppressed values become NaN (never 0).
    """

    min_numerator: float = 0
    min_denominator: float = 0

    def describe(self) -> str:
        """Describe the rule in words, e.g. ``numerator < 10 or denominator < 100``."""
        parts = [f"numerator < {self.min_numerator:g}"] if self.min_numerator else []
        parts += [f"denominator < {self.min_denominator:g}"] if self.min_denominator else []
        return " or ".join(parts) or "none"


@dataclass(frozen=True)
class Period:
    """One period an indicator is built for: its LSOA geography and a note on its sources."""

    geography: str
    note: str = ""


@dataclass(frozen=True)
class Indicator:
    """Metadata of one registered indicator (see the module docstring for each field)."""

    name: str
    title: str
    definition: str
    unit: str
    kind: Kind
    multiplier: float
    polarity: Polarity
    source: str
    source_url: str
    builder: str
    suppression: Suppression = Suppression()
    datasets: tuple[str, ...] = ()
    periods: Mapping[str, Period] = field(default_factory=dict)
    params: Mapping[str, Any] = field(default_factory=dict)
    notes: str = ""
    authorities: tuple[str, ...] = ()
    theme: str = ""
    """Framework theme (a key of :data:`THEMES`); empty: not in the framework section."""
    licence: str = "Open Government Licence v3.0"
    period_type: str = "release"
    period_label: str = ""
    """How the periods read to a person ("July of each year"); empty: the labels alone."""

    def covers(self, lad_code: str) -> bool:
        """Whether the indicator can be built for ``lad_code`` (its datasets cover it)."""
        return not self.authorities or lad_code in self.authorities

    @property
    def has_denominator(self) -> bool:
        """False for counts, which carry no denominator."""
        return self.kind != "count"

    def as_record(self) -> dict[str, object]:
        """Flat metadata for a catalogue table (one row per indicator)."""
        return {
            "indicator": self.name, "title": self.title, "definition": self.definition,
            "unit": self.unit, "kind": self.kind, "multiplier": self.multiplier,
            "polarity": self.polarity, "suppression": self.suppression.describe(),
            "source": self.source, "source_url": self.source_url,
            "datasets": " ".join(self.datasets), "periods": " ".join(self.periods),
            "authorities": " ".join(self.authorities), "notes": self.notes,
            "theme": self.theme, "licence": self.licence, "period_type": self.period_type,
            "geographies": " ".join(sorted({p.geography for p in self.periods.values()})),
        }  # fmt: skip


def _fail(path: Path | str, name: str, message: str) -> ConfigError:
    return ConfigError(f"{path}: indicator {name!r}: {message}")


def _choice(path: Path | str, name: str, key: str, value: object, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise _fail(path, name, f"field {key!r} is {value!r}, not one of {', '.join(allowed)}")
    return str(value)


def _number(path: Path | str, name: str, key: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise _fail(path, name, f"field {key!r} must be a non-negative number, got {value!r}")
    return float(value)


def _suppression(path: Path | str, name: str, raw: object) -> Suppression:
    if raw is None:
        return Suppression()
    if not isinstance(raw, dict) or set(raw) - {"min_numerator", "min_denominator"}:
        raise _fail(path, name, f"field 'suppression' must map min_numerator / min_denominator "
                                f"to numbers, got {raw!r}")  # fmt: skip
    return Suppression(**{k: _number(path, name, f"suppression.{k}", v) for k, v in raw.items()})


def _periods(path: Path | str, name: str, raw: object) -> dict[str, Period]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _fail(path, name, f"field 'periods' must map period labels to entries, got {raw!r}")
    out: dict[str, Period] = {}
    for label, entry in raw.items():
        if not isinstance(entry, dict) or "geography" not in entry:
            raise _fail(
                path,
                name,
                f"period {label!r} needs a 'geography' ({', '.join(SOURCE_GEOGRAPHIES)})",
            )
        geography = _choice(path, name, f"periods.{label}.geography", entry["geography"],
                            SOURCE_GEOGRAPHIES)  # fmt: skip
        out[str(label)] = Period(geography=geography, note=str(entry.get("note", "")))
    return out


def parse_indicator(name: str, raw: object, *, path: Path | str = "<registry>") -> Indicator:
    """Build one :class:`Indicator` from its registry entry, checking every field.

    Raises:
        ConfigError: naming the file, the indicator and the field at fault.

    """
    if not isinstance(raw, dict):
        raise _fail(path, name, f"entry must be a mapping, got {type(raw).__name__}")
    missing = [key for key in _REQUIRED if key not in raw]
    if missing:
        raise _fail(path, name, f"missing field(s) {', '.join(missing)}")
    unknown = sorted(set(raw) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise _fail(path, name, f"unknown field(s) {', '.join(unknown)}")
    kind = cast(Kind, _choice(path, name, "kind", raw["kind"], KINDS))
    polarity = cast(Polarity, _choice(path, name, "polarity", raw["polarity"], POLARITIES))
    multiplier = _number(path, name, "multiplier", raw["multiplier"])
    if multiplier == 0:
        raise _fail(path, name, "field 'multiplier' must be positive, got 0")
    suppression = _suppression(path, name, raw.get("suppression"))
    if kind == "count" and suppression.min_denominator:
        raise _fail(path, name, "a count has no denominator: drop suppression.min_denominator")
    datasets = raw.get("datasets") or []
    authorities = raw.get("authorities") or []
    params = raw.get("params") or {}
    if not isinstance(datasets, list) or not isinstance(authorities, list):
        raise _fail(path, name, "fields 'datasets' and 'authorities' must be lists")
    if not isinstance(params, dict):
        raise _fail(path, name, "field 'params' must be a mapping")
    theme = str(raw.get("theme", ""))
    if theme and theme not in THEMES:
        _choice(path, name, "theme", theme, tuple(THEMES))
    period_type = _choice(
        path, name, "period_type", raw.get("period_type", "release"), PERIOD_TYPES
    )
    return Indicator(
        theme=theme, period_type=period_type,
        period_label=str(raw.get("period_label", "")).strip(),
        licence=str(raw.get("licence", "Open Government Licence v3.0")).strip(),
        name=name, kind=kind, polarity=polarity, multiplier=multiplier, suppression=suppression,
        datasets=tuple(str(d) for d in datasets), authorities=tuple(str(a) for a in authorities),
        periods=_periods(path, name, raw.get("periods")),
        params=dict(params), notes=str(raw.get("notes", "")).strip(),
        **{key: str(raw[key]).strip() for key in _REQUIRED if key not in
           ("kind", "polarity", "multiplier")},
    )  # fmt: skip


def catalogue(
    indicators: Mapping[str, Indicator], tables: Mapping[str, pd.DataFrame]
) -> pd.DataFrame:
    """One metadata row per built indicator (:meth:`Indicator.as_record`).

    ``tables`` maps each built indicator's name to its tidy table; ``periods`` lists the
    periods it holds.
    """
    return pd.DataFrame([
        indicators[name].as_record() | {"periods": " ".join(sorted(table["period"].unique()))}
        for name, table in tables.items()
    ])  # fmt: skip


def load_indicator_registry(path: Path | str = REGISTRY_PATH) -> dict[str, Indicator]:
    """Read and check the indicator registry; raise :class:`ConfigError` naming the entry."""
    with Path(path).open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    if not isinstance(raw, dict) or not raw:
        msg = f"{path}: the indicator registry must be a non-empty mapping of name to entry"
        raise ConfigError(msg)
    entries = {str(name): parse_indicator(str(name), entry, path=path)
               for name, entry in raw.items() if not str(name).startswith(".")}  # fmt: skip
    logger.info("Indicator registry %s: %d indicators", path, len(entries))
    return entries
