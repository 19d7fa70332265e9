"""environment.yml must offer exactly the pinned runtime stack of pyproject.toml."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _pins(specs):
    pins = {}
    for spec in specs:
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*={1,2}\s*([^\s;]+)", spec.strip())
        if m:
            pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def test_environment_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = _pins(project["dependencies"])
    assert len(wanted) == len(project["dependencies"]), (
        "every runtime dependency must be pinned with =="
    )
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip = [], []
    for dep in env["dependencies"]:
        (pip.extend(dep["pip"]) if isinstance(dep, dict) else conda.append(dep))
    offered = _pins(conda) | _pins(pip)
    assert offered.pop("python", None), "environment.yml must pin python"
    assert offered == wanted
    assert "-e ." in pip, "environment.yml must install the geo package itself"
