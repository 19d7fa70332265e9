"""Helpers for integration tests: copy the project and run Snakemake in the copy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
MIRROR = Path(os.environ.get("GEO_MIRROR", ROOT.parent / "shared" / "data")).resolve()
TINY = ROOT / "tests" / "configs" / "tiny.yaml"
"""The smallest real authority (City of London), every release: the quick whole-DAG config."""
BRADFORD = ROOT / "tests" / "configs" / "bradford.yaml"
"""Another metropolitan district by configuration alone (national boundary files)."""
DWP_ONLY = ROOT / "tests" / "configs" / "dwp_indicators.yaml"
"""Added to a build whose tests read no indicator: only the two DWP series are built."""

SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))


def project_files() -> list[str]:
    """Tracked files plus new files not ignored by .gitignore."""
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return [f for f in out.stdout.split("\0") if f and (ROOT / f).is_file()]


def copy_project(dest: Path) -> Path:
    """Copy the project into ``dest`` and point its config at the absolute mirror."""
    for rel in project_files():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    config = yaml.safe_load((dest / "config.yaml").read_text())
    config["mirror"] = str(MIRROR)
    (dest / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return dest


def run_snakemake(
    repo: Path, *args: str, check: bool = True, config: dict[str, object] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run snakemake in ``repo``; extra ``config`` entries are passed as a config file."""
    cmd = [SNAKEMAKE, "-c2", "--nocolor", *args]
    if config:
        extra = repo / "config.extra.yaml"
        base = yaml.safe_load((repo / "config.yaml").read_text())
        base.update(config)
        extra.write_text(yaml.safe_dump(base, sort_keys=False))
        cmd += ["--configfile", str(extra)]
    result = subprocess.run(cmd, cwd=repo, capture_output=True, text=True)
    if check and result.returncode != 0:
        pytest.fail(
            f"snakemake {' '.join(args)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-8000:]}"
        )
    return result
