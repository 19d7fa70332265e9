"""Load and validate the workflow configuration against its JSON Schema.

Defaults from the schema are filled in, so every consumer sees every key. Errors name the
key (as a path such as ``thresholds.most_deprived_1pct``) and the offending value.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from geo.core.errors import ConfigError
from geo.model.releases import VINTAGES
from geo.model.tiers import Build, TierRegistry, tier_registry

_MISSING = object()
"""A key the config leaves out (an explicit ``null`` is a value, not a missing key)."""


def _with_defaults(schema: Mapping[str, Any], value: Any) -> Any:
    """Return ``value`` with the schema's defaults filled in (recursively for objects).

    Only keys left out take their default: a key set to ``null`` stays null (for example
    ``neighbourhoods.postcodes: null`` means no postcodes, not the default dataset).
    """
    if value is _MISSING:
        value = _deepcopy(schema["default"]) if "default" in schema else None
    props = schema.get("properties")
    if props and isinstance(value, dict):
        value = dict(value)
        for key, sub in props.items():
            if key in value or "default" in sub:
                value[key] = _with_defaults(sub, value.get(key, _MISSING))
    return value


def _deepcopy(value: Any) -> Any:
    return yaml.safe_load(yaml.safe_dump(value))


def _errors(schema: Mapping[str, Any], config: Mapping[str, Any]) -> Iterator[str]:
    validator = jsonschema.Draft202012Validator(schema)
    for err in sorted(validator.iter_errors(config), key=lambda e: list(e.path)):
        key = ".".join(str(p) for p in err.path) or "(top level)"
        if err.validator == "additionalProperties":
            yield f"{key}: {err.message}"
        else:
            yield f"{key}: value {err.instance!r} is invalid: {err.message}"


def validate_config(
    config: Mapping[str, Any], schema_path: Path | str, *, source: str = "config"
) -> dict[str, Any]:
    """Validate ``config`` and return a copy with defaults filled in.

    Raises:
        ConfigError: listing every invalid key with its value, prefixed by ``source``.

    """
    with Path(schema_path).open(encoding="utf-8") as fh:
        schema = yaml.safe_load(fh)
    filled = _with_defaults(schema, dict(config))
    problems = list(_errors(schema, filled))
    if problems:
        msg = f"{source}: invalid configuration:\n  " + "\n  ".join(problems)
        raise ConfigError(msg)
    return dict(filled)


def _unknown(values: Iterable[Any], known: Iterable[Any]) -> list[Any]:
    allowed = set(known)
    return [v for v in values if v not in allowed]


def _tier_lists(config: Mapping[str, Any], registry: TierRegistry) -> list[str]:
    """Check the tiers named by ``profiles`` and ``watchlist``: core or any authority's own."""
    known = [*registry.keys]
    for local in (config.get("authorities") or {}).values():
        known += [k for k in (local or {}).get("tiers") or {} if k not in known]
    drawn = [t.key for t in registry if t.build is Build.DRAWN]
    out = []
    for key, allowed in (
        ("profiles.tiers", known),
        ("watchlist.tiers", [k for k in known if k not in drawn]),
    ):
        section, field = key.split(".")
        bad = _unknown(config[section][field], allowed)
        if bad:
            out.append(
                f"{key}: {bad} are not tiers (a core tier or one under authorities); known: {allowed}"
            )
    return out


def _datasets(
    config: Mapping[str, Any], registry: TierRegistry, datasets: Collection[str]
) -> list[str]:
    """Check that every dataset the config names is registered."""
    problems = []
    local = (config.get("authorities") or {}).get(config["lad_code"]) or {}
    named = {
        "boundaries.lsoa11": config["boundaries"]["lsoa11"],
        "boundaries.lsoa21": config["boundaries"]["lsoa21"],
        "neighbourhoods.postcodes": config["neighbourhoods"]["postcodes"],
        **{f"authorities.{config['lad_code']}.{k}": local.get(k) for k in ("ward_boundaries", "output_areas", "local_names")},
        **{f"authorities.{config['lad_code']}.tiers.{t.key}.dataset": t.dataset for t in registry if t.dataset},
    }  # fmt: skip
    for key, name in named.items():
        if name is not None and name not in datasets:
            problems.append(f"{key}: value {name!r} is not a dataset of the registry")
    return problems


def _ward_shapes(config: Mapping[str, Any]) -> list[str]:
    """Ward shapes from Output Areas need the published outlines, postcodes and 2021 LSOAs."""
    key = f"authorities.{config['lad_code']}"
    local = (config.get("authorities") or {}).get(config["lad_code"]) or {}
    if not local.get("output_areas"):
        return []
    problems = []
    if not local.get("ward_boundaries"):
        problems.append(
            f"{key}.output_areas: needs {key}.ward_boundaries (compared with the shapes)"
        )
    if not config["neighbourhoods"]["postcodes"]:
        problems.append(
            f"{key}.output_areas: needs neighbourhoods.postcodes (assigns Output Areas to wards)"
        )
    if not any(VINTAGES[int(v)].lsoa_year == 2021 for v in config["vintages"]):
        problems.append(f"{key}.output_areas: needs a vintage on 2021 LSOAs among `vintages`")
    return problems


def cross_check(
    config: Mapping[str, Any], *, datasets: Collection[str], indicators: Collection[str]
) -> list[str]:
    """Every rule that spans keys of a validated config, as a list of problems (empty: fine).

    Run when the workflow loads (``snakemake -n`` reports them before any job runs): the
    priority and domain releases are built ones; the tiers named by ``profiles`` and
    ``watchlist`` exist for the authority; every dataset named anywhere is registered;
    excluded indicators exist; the thresholds are in order; the authority's own tiers are
    well formed (:func:`geo.model.tiers.tier_registry`).

    Args:
        config: The configuration, validated (defaults filled in).
        datasets: Names of the registered datasets (``data/registry.yaml``).
        indicators: Names of the registered indicators.

    """
    problems: list[str] = []
    vintages = list(config["vintages"])
    if config["tiers"]["priority_vintage"] not in vintages:
        problems.append(
            f"tiers.priority_vintage: value {config['tiers']['priority_vintage']!r} is not one of "
            f"the built vintages {vintages}"
        )
    extra = list(config["tiers"].get("extra_priority_vintages") or [])
    bad = _unknown(extra, vintages)
    if bad:
        problems.append(
            f"tiers.extra_priority_vintages: {bad} not among the built vintages {vintages}"
        )
    if config["tiers"]["priority_vintage"] in extra:
        problems.append(
            f"tiers.extra_priority_vintages: {config['tiers']['priority_vintage']} is "
            "tiers.priority_vintage already (the priority_neighbourhood tier)"
        )
    bad = _unknown(config["site"]["domain_vintages"], vintages)
    if bad:
        problems.append(f"site.domain_vintages: {bad} not among the built vintages {vintages}")
    try:
        registry = tier_registry(config)
    except ConfigError as exc:
        problems.append(str(exc).removeprefix("config "))
        return problems
    problems += _tier_lists(config, registry)
    problems += _datasets(config, registry, datasets)
    problems += _ward_shapes(config)
    for field in ("only", "exclude"):
        bad = _unknown(config["indicators"][field] or [], indicators)
        if bad:
            problems.append(f"indicators.{field}: {bad} are not registered indicators")
    return problems


def require_consistent(
    config: Mapping[str, Any],
    *,
    datasets: Collection[str],
    indicators: Collection[str],
    source: str = "config",
) -> None:
    """Raise every problem :func:`cross_check` finds, all at once.

    Raises:
        ConfigError: listing each problem with its key and value.

    """
    problems = cross_check(config, datasets=datasets, indicators=indicators)
    if problems:
        msg = f"{source}: inconsistent configuration:\n  " + "\n  ".join(problems)
        raise ConfigError(msg)
