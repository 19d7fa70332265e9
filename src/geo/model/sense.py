"""Check that a schema-valid configuration also makes sense, when the workflow loads.

The JSON Schema checks each key on its own; these checks relate keys to each other and to
what the pipeline computes: areas are measured in the configured CRS, so it must be a
projected CRS in metres; the national 1% threshold must lie below the 10% one, or LSOAs
in the 10% would be labelled "in the 1%"; and so on. Every message names the key(s) and
value(s) and says what would go wrong.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from pyproj import CRS
from pyproj.exceptions import CRSError

from geo.core.errors import ConfigError
from geo.model.releases import Thresholds


def _crs_problems(value: str) -> Iterator[str]:
    try:
        crs = CRS.from_user_input(value)
    except CRSError as exc:
        yield f"crs: {value!r} is not a coordinate reference system pyproj knows ({exc})"
        return
    if not crs.is_projected:
        yield (
            f"crs: {value!r} ({crs.name}) is a geographic CRS in degrees; areas, distances "
            "and simplification need a projected CRS in metres, e.g. EPSG:27700 (British "
            "National Grid)"
        )
        return
    units = {axis.unit_name for axis in crs.axis_info}
    if units != {"metre"}:
        yield (
            f"crs: {value!r} ({crs.name}) measures in {', '.join(sorted(units))}, not metres; "
            "use a projected CRS in metres, e.g. EPSG:27700"
        )


def _threshold_problems(config: Mapping[str, Any]) -> Iterator[str]:
    try:
        Thresholds.from_config(config["thresholds"])
    except ConfigError as exc:
        yield (
            f"{str(exc).removeprefix('config ')}; swapped values would label the LSOAs of the "
            "wider band as 'in the 1%'"
        )
    margins = config.get("watchlist", {}).get("threshold_margin_ranks", {})
    m1, m10 = margins.get("most_deprived_1pct"), margins.get("most_deprived_10pct")
    if m1 is not None and m10 is not None and m1 > m10:
        yield (
            f"watchlist.threshold_margin_ranks: most_deprived_1pct ({m1}) is wider than "
            f"most_deprived_10pct ({m10}); the margin around the 1% threshold should be the "
            "narrower one"
        )


def check_config_sense(config: Mapping[str, Any], *, source: str = "config") -> None:
    """Raise :class:`ConfigError` listing every setting that is valid but makes no sense.

    Call after :func:`geo.model.config.validate_config` (defaults filled in).
    """
    problems = [
        *_crs_problems(str(config["crs"])),
        *_threshold_problems(config),
    ]
    if problems:
        msg = f"{source}: settings that cannot be right:\n  " + "\n  ".join(problems)
        raise ConfigError(msg)


def check_yaml_syntax(path: Path | str) -> None:
    """Raise :class:`ConfigError` with the line and column when ``path`` is not valid YAML.

    Snakemake's own message for a broken config file gives no position; call this before
    the ``configfile:`` directive.
    """
    path = Path(path)
    if not path.is_file():
        return
    try:
        yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        msg = (
            f"{path}: is not UTF-8 text (byte {exc.object[exc.start]:#04x} at position {exc.start})"
        )
        raise ConfigError(msg) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        msg = f"{path}: {where}invalid YAML: {problem}" + (f" ({context})" if context else "")
        raise ConfigError(msg) from exc
