"""The package is grouped by stage; a stage imports only the stages before it."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "src" / "geo"
STAGES = ("core", "model", "inputs", "geography", "statistics", "presentation")


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("geo."):
            out.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.startswith("geo.")]
    return out


def test_every_module_is_in_a_stage_package() -> None:
    loose = [p.name for p in ROOT.glob("*.py") if p.name != "__init__.py"]
    assert loose == []
    assert sorted(
        p.name for p in ROOT.iterdir() if p.is_dir() and p.name != "__pycache__"
    ) == sorted(STAGES)


def test_stages_import_only_earlier_stages() -> None:
    wrong = []
    for path in sorted(ROOT.rglob("*.py")):
        stage = path.relative_to(ROOT).parts[0]
        if stage not in STAGES:
            continue
        for line, module in _imports(path):
            other = module.split(".")[1]
            if STAGES.index(other) > STAGES.index(stage):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert wrong == []


def test_each_stage_says_what_it_owns_and_may_import() -> None:
    for stage in STAGES:
        doc = ast.get_docstring(ast.parse((ROOT / stage / "__init__.py").read_text()))
        assert doc and "Owns" in doc and "import" in doc, stage
