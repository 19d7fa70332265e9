"""Helpers of the fault-injection suite: output digests, leftovers, running Snakemake."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import yaml
from _pipeline import SNAKEMAKE

GUARDED = ("data/processed", "site", "data/raw")
NB = Path("data/raw/neighbourhoods/E08000035")
DRAWN = "data/processed/summaries/drawn_neighbourhood.csv"


def outputs(repo: Path) -> dict[str, str]:
    """sha256 of every file users see (the drawn-neighbourhood inputs left out)."""
    found = {}
    for tree in GUARDED:
        for path in sorted((repo / tree).rglob("*")):
            rel = path.relative_to(repo)
            if path.is_file() and rel.parts[:3] != ("data", "raw", "neighbourhoods"):
                found[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def leftovers(repo: Path) -> list[str]:
    """Temporary files or folders an interrupted writer left (outside .snakemake)."""
    found = []
    for path in repo.rglob("*"):
        rel = path.relative_to(repo)
        if rel.parts[0] in (".snakemake", ".venv"):
            continue
        if path.name.startswith((".geo-tmp-", ".site.")) or path.name.endswith(".part"):
            found.append(rel.as_posix())
    return sorted(found)


def snakemake(
    repo: Path, *args: str, config: dict[str, object] | None = None, cores: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run snakemake in ``repo`` (never raising); ``config`` is merged into config.yaml."""
    if config:
        base = yaml.safe_load((repo / "config.yaml").read_text())
        for key, value in config.items():
            if isinstance(value, dict) and isinstance(base.get(key), dict):
                base[key] = {**base[key], **value}
            else:
                base[key] = value
        (repo / "config.yaml").write_text(yaml.safe_dump(base, sort_keys=False))
    cmd = [SNAKEMAKE, *(["-c2"] if cores else []), "--nocolor", *args]
    return subprocess.run(cmd, cwd=repo, capture_output=True, text=True, env=os.environ.copy())
