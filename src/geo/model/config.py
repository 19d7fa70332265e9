"""Load and validate the workflow configuration against its JSON Schema.

Defaults from the schema are filled in, so every consumer sees every key. Errors name the
key (as a path such as ``thresholds.most_deprived_1pct``) and the offending value.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from geo.core.errors import ConfigError


def _with_defaults(schema: Mapping[str, Any], value: Any) -> Any:
    """Return ``value`` with the schema's defaults filled in (recursively for objects)."""
    if value is None and "default" in schema:
        value = _deepcopy(schema["default"])
    props = schema.get("properties")
    if props and isinstance(value, dict):
        value = dict(value)
        for key, sub in props.items():
            if key in value or "default" in sub:
                value[key] = _with_defaults(sub, value.get(key))
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
