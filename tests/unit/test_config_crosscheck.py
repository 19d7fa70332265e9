"""Rules that span config keys, checked when the workflow loads."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from geo.core.errors import ConfigError
from geo.inputs.registry import load_registry
from geo.model.config import cross_check, require_consistent, validate_config
from geo.model.releases import VINTAGES, Thresholds
from geo.statistics.indicators import load_indicator_registry

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"
DATASETS = load_registry(ROOT / "data" / "registry.yaml")
INDICATORS = load_indicator_registry(ROOT / "src/geo/statistics/indicators/registry.yaml")


def _config(**changes: object) -> dict[str, object]:
    raw = yaml.safe_load((ROOT / "config.yaml").read_text())
    for key, value in changes.items():
        section, _, field = key.partition("__")
        if field:
            raw.setdefault(section, {})[field] = value
        else:
            raw[section] = value
    return validate_config(raw, SCHEMA)


def _problems(config: dict[str, object]) -> list[str]:
    return cross_check(config, datasets=DATASETS, indicators=INDICATORS)


def test_the_shipped_config_is_consistent() -> None:
    assert _problems(_config()) == []
    require_consistent(_config(), datasets=DATASETS, indicators=INDICATORS)


def test_bradford_with_leeds_tiers_listed_is_consistent() -> None:
    """Tiers of another configured authority are skipped, not errors."""
    assert _problems(_config(lad_code="E08000032")) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"tiers__priority_vintage": 2015, "vintages": [2019, 2025]},
         "tiers.priority_vintage: value 2015 is not one of the built vintages [2019, 2025]"),
        ({"tiers__extra_priority_vintages": [2015], "vintages": [2019, 2025]},
         "tiers.extra_priority_vintages: [2015] not among the built vintages [2019, 2025]"),
        ({"tiers__extra_priority_vintages": [2015, 2019]},
         "tiers.extra_priority_vintages: 2019 is tiers.priority_vintage already"),
        ({"site__domain_vintages": [2015], "vintages": [2019]},
         "site.domain_vintages: [2015] not among the built vintages [2019]"),
        ({"profiles__tiers": ["ward", "wardz"]}, "profiles.tiers: ['wardz'] are not tiers"),
        ({"watchlist__tiers": ["drawn_neighbourhood"]}, "watchlist.tiers: ['drawn_neighbourhood']"),
        ({"neighbourhoods__postcodes": "nope"},
         "neighbourhoods.postcodes: value 'nope' is not a dataset of the registry"),
        ({"boundaries__lsoa11": "lsoa11_typo"}, "boundaries.lsoa11: value 'lsoa11_typo'"),
        ({"indicators__exclude": ["no_such_indicator"]},
         "indicators.exclude: ['no_such_indicator'] are not registered indicators"),
        ({"indicators__only": ["population", "no_such_one"]},
         "indicators.only: ['no_such_one'] are not registered indicators"),
    ],
)  # fmt: skip
def test_each_inconsistency_is_named(changes: dict[str, object], expected: str) -> None:
    problems = _problems(_config(**changes))
    assert any(expected in p for p in problems), problems


def test_a_typo_in_a_local_tier_dataset_is_named() -> None:
    config = _config()
    config = copy.deepcopy(config)
    config["authorities"]["E08000035"]["tiers"]["wedge_2010"]["dataset"] = "leeds_wedges"
    assert _problems(config) == [
        "authorities.E08000035.tiers.wedge_2010.dataset: value 'leeds_wedges' is not a dataset "
        "of the registry"
    ]


def test_every_problem_is_reported_at_once() -> None:
    config = _config(neighbourhoods__postcodes="nope", profiles__tiers=["wardz"])
    with pytest.raises(ConfigError) as info:
        require_consistent(config, datasets=DATASETS, indicators=INDICATORS)
    assert "neighbourhoods.postcodes" in str(info.value)
    assert "profiles.tiers" in str(info.value)


def test_threshold_ranks_come_from_the_release() -> None:
    two = Thresholds.from_config({"most_deprived_1pct": 2, "most_deprived_10pct": 10})
    assert VINTAGES[2019].thresholds(two) == (656, 3284)
    assert VINTAGES[2025].thresholds() == (337, 3375)
    assert VINTAGES[2019].rank_1pct() == 328
