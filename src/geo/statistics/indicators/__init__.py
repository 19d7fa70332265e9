"""Indicators: tidy LSOA-level time series, aggregated to every tier by summing counts.

An indicator is a tidy table (:mod:`geo.statistics.indicators.tidy`: ``area_code, geography, period,
numerator, denominator, value``) plus a metadata entry in the indicator registry
(:mod:`geo.statistics.indicators.metadata`, ``registry.yaml``). :mod:`geo.statistics.indicators.sources` builds
the registered indicators from the official files; :mod:`geo.statistics.indicators.aggregate` sums
numerators and denominators over the LSOAs of each area (never averaging rates) and
applies each indicator's suppression rule; :mod:`geo.statistics.indicators.membership` reads the
LSOA → area table it needs.
"""

from geo.statistics.indicators.aggregate import aggregate_indicator, suppress
from geo.statistics.indicators.membership import add_authority_tier, normalise_membership
from geo.statistics.indicators.metadata import (
    REGISTRY_PATH,
    Indicator,
    Period,
    Suppression,
    load_indicator_registry,
    parse_indicator,
)
from geo.statistics.indicators.sources import SourceInputs, build_indicator
from geo.statistics.indicators.tidy import (
    COLUMNS,
    IndicatorError,
    compute_value,
    read_indicator,
    tidy_frame,
    validate_indicator,
)

__all__ = [
    "COLUMNS",
    "REGISTRY_PATH",
    "Indicator",
    "IndicatorError",
    "Period",
    "SourceInputs",
    "Suppression",
    "add_authority_tier",
    "aggregate_indicator",
    "build_indicator",
    "compute_value",
    "load_indicator_registry",
    "normalise_membership",
    "parse_indicator",
    "read_indicator",
    "suppress",
    "tidy_frame",
    "validate_indicator",
]
