"""Before and after: a clean build against the build of the commit before the model refactor.

``tests/data/build_manifest_d2adb56.json`` is the manifest (:mod:`geo.core.manifest`) of a
clean Leeds build of commit d2adb56, made with ``tools/compare_builds.py manifest``. Every
difference of today's clean build from it must be listed, with its reason, in
``tests/data/build_differences.yaml``; a listed difference that no longer happens fails
too, so the list stays true.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

import pytest
import yaml
from _pipeline import ROOT

from geo.core.manifest import build_manifest, compare_manifests, read_manifest

pytestmark = pytest.mark.integration

BEFORE = ROOT / "tests" / "data" / "build_manifest_d2adb56.json"
LISTED = ROOT / "tests" / "data" / "build_differences.yaml"
ON_DEMAND = (
    "data/processed/classify/",
    "data/processed/profiles_pdf/",
    "data/processed/screenshots/",
)
"""Outputs made only on request (other tests of the shared build make them)."""


def _now(repo: Path) -> dict[str, dict[str, object]]:
    return {p: d for p, d in build_manifest(repo).items() if not p.startswith(ON_DEMAND)}  # type: ignore[misc]


def test_every_difference_from_the_previous_build_is_listed(built_repo: Path) -> None:
    diffs = compare_manifests(read_manifest(BEFORE), _now(built_repo))
    listed = yaml.safe_load(LISTED.read_text())
    unexplained = []
    used: set[tuple[str, str]] = set()
    for d in diffs:
        entries = listed.get(d.what) or {}
        match = next((p for p in entries if fnmatch.fnmatchcase(d.path, p)), None)
        if match is None:
            unexplained.append(f"{d.what} {d.path} {d.detail}")
        else:
            used.add((d.what, match))
    assert unexplained == [], "differences not listed in tests/data/build_differences.yaml"
    stale = [
        f"{what} {pattern}"
        for what, entries in listed.items()
        for pattern in entries or {}
        if (what, pattern) not in used
    ]
    assert stale == [], "listed differences that no longer happen"


def test_nothing_a_user_saw_before_is_missing(built_repo: Path) -> None:
    before = read_manifest(BEFORE)
    now = _now(built_repo)
    assert sorted(set(before) - set(now)) == []
