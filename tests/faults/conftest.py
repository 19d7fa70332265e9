"""Fault injection on the real DAG: a copy of the built Leeds project per case.

Each case copies ``built_repo`` (outputs, Snakemake metadata and mtimes kept), breaks one
thing, runs the smallest target that shows the fault, and checks the message, the exit
status and that every output users see is byte-identical afterwards.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest


@pytest.fixture
def repo(built: Path, tmp_path: Path) -> Path:
    """A copy of the built project a test may break."""
    return Path(shutil.copytree(built, tmp_path / "repo", symlinks=True))


@pytest.fixture(scope="session")
def built(request: pytest.FixtureRequest) -> Path:
    """The built project: ``built_repo``, or the copy named by ``$GEO_FAULTS_BUILT``.

    ``GEO_FAULTS_BUILT`` (a project copy built with ``snakemake -c2`` and left untouched)
    lets a developer rerun single cases without a fresh build; CI leaves it unset.
    """
    prebuilt = os.environ.get("GEO_FAULTS_BUILT")
    if prebuilt:
        return Path(prebuilt)
    return Path(request.getfixturevalue("built_repo"))
