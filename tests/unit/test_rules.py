"""Every rule of the workflow declares what a scheduler needs, and its own log and benchmark."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RULE_FILES = sorted((ROOT / "workflow" / "rules").glob("*.smk"))
_RULE = re.compile(r"^([ \t]*)rule (\w+):\n((?:\1    .*\n|[ \t]*\n)*)", re.MULTILINE)


def _rules() -> dict[str, str]:
    out = {}
    for path in [ROOT / "Snakefile", *RULE_FILES]:
        for match in _RULE.finditer(path.read_text(encoding="utf-8")):
            out[match.group(2)] = match.group(3)
    return out


def test_the_rules_are_found() -> None:
    rules = _rules()
    assert {"retrieve", "build_tiers", "build_site", "all"} <= set(rules)


def test_every_rule_declares_threads_memory_and_runtime() -> None:
    missing = []
    for name, body in _rules().items():
        if name == "all" or "script:" not in body:
            continue  # target-only rules run nothing
        resources = re.search(r"resources:\n((?:\s+\w+=.*\n)+)", body)
        declared = set(re.findall(r"(\w+)=", resources.group(1))) if resources else set()
        for key in ("mem_mb", "runtime"):
            if key not in declared:
                missing.append(f"{name}: {key}")
        if "threads:" not in body:
            missing.append(f"{name}: threads")
    assert missing == []


def test_every_rule_running_a_script_has_a_log_and_a_benchmark() -> None:
    for name, body in _rules().items():
        if "script:" in body:
            assert "log:" in body and "benchmark:" in body, name
