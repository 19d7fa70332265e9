"""The dataset registry (``data/registry.yaml``): what each retrieved file is and where it is from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from geo.core.errors import ConfigError

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
STATUSES = (
    "official", "official-converted", "transcribed", "derivative", "third-party", "derived", "local",
)  # fmt: skip


@dataclass(frozen=True)
class Dataset:
    """One registry entry."""

    name: str
    title: str
    publisher: str
    version: str
    url: str | None
    mirror: str
    sha256: str
    licence: str
    status: str
    notes: str = ""

    @property
    def filename(self) -> str:
        """File name the dataset is stored under in ``data/raw/<name>/``."""
        return PurePosixPath(self.mirror).name

    def raw_path(self, raw_dir: Path | str = "data/raw") -> Path:
        """Where the retrieved file lives."""
        return Path(raw_dir) / self.name / self.filename


def _entry(name: str, fields: object, path: Path) -> Dataset:
    if not isinstance(fields, dict):
        msg = f"{path}: entry {name!r} must be a mapping, got {type(fields).__name__}"
        raise ConfigError(msg)
    required = ("title", "publisher", "version", "url", "mirror", "sha256", "licence", "status")
    missing = [key for key in required if key not in fields]
    if missing:
        msg = f"{path}: entry {name!r} lacks field(s) {', '.join(missing)}"
        raise ConfigError(msg)
    if not _SHA256.match(str(fields["sha256"])):
        msg = f"{path}: entry {name!r} field 'sha256' is not 64 hex digits: {fields['sha256']!r}"
        raise ConfigError(msg)
    if fields["status"] not in STATUSES:
        msg = (
            f"{path}: entry {name!r} field 'status' is {fields['status']!r}, not one of {STATUSES}"
        )
        raise ConfigError(msg)
    text = {k: (v if v is None else str(v)) for k, v in fields.items()}
    return Dataset(name=name, **text)  # type: ignore[arg-type]


def load_registry(path: Path | str) -> dict[str, Dataset]:
    """Read and check the registry; raise :class:`ConfigError` naming the entry and field."""
    path = Path(path)
    with path.open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    if not isinstance(raw, dict) or not raw:
        msg = f"{path}: the registry must be a non-empty mapping of dataset name to entry"
        raise ConfigError(msg)
    return {name: _entry(name, fields, path) for name, fields in raw.items()}
