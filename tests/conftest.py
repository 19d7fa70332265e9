"""Integration fixtures: run the real Snakemake DAG on the real data, in a copy of the repo.

The copy holds the project's tracked and untracked-but-not-ignored files, never the build
products of the working tree. ``mirror`` is pointed at the absolute path of
``../shared/data`` (or ``$GEO_MIRROR``) so the copy can live anywhere.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from _pipeline import BRADFORD, DWP_ONLY, MIRROR, TINY, copy_project, run_snakemake


@pytest.fixture(scope="session")
def mirror() -> Path:
    if not MIRROR.is_dir():
        pytest.skip(f"the data mirror {MIRROR} is not present")
    return MIRROR


@pytest.fixture(scope="session")
def built_repo(tmp_path_factory: pytest.TempPathFactory, mirror: Path) -> Iterator[Path]:
    """A copy of the project with the whole default pipeline (Leeds) built once."""
    repo = copy_project(tmp_path_factory.mktemp("leeds"))
    run_snakemake(repo)
    yield repo


@pytest.fixture(scope="session")
def tiny(tmp_path_factory: pytest.TempPathFactory, mirror: Path) -> Iterator[Path]:
    """A copy of the project with the tiny config (City of London) built once, locally."""
    repo = copy_project(tmp_path_factory.mktemp("tiny"))
    run_snakemake(repo, "--configfile", "config.yaml", str(TINY))
    yield repo


@pytest.fixture(scope="session")
def bradford(tmp_path_factory: pytest.TempPathFactory, mirror: Path) -> Iterator[Path]:
    """A copy of the project built for Bradford by configuration alone: every output but the
    site and its packages (the tests read the data, the tiers and the profile pages), and of
    the indicators only the two DWP series."""
    repo = copy_project(tmp_path_factory.mktemp("bradford"))
    run_snakemake(repo, "--configfile", "config.yaml", str(BRADFORD), str(DWP_ONLY),
                  "--omit-from", "build_site", "build_qgis_project", "build_workbooks")  # fmt: skip
    yield repo


@pytest.fixture
def fresh_repo(tmp_path: Path, mirror: Path) -> Path:
    """A clean copy of the project, nothing built."""
    return copy_project(tmp_path / "repo")


@pytest.fixture(scope="session")
def snakemake_runner() -> Callable[..., subprocess.CompletedProcess[str]]:
    return run_snakemake
