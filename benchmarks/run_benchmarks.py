"""Benchmark the pipeline: median of cold builds against the I/O floor, and page sizes.

A cold build runs the whole DAG in a fresh copy of the project (nothing retrieved, nothing
built). The I/O floor is the least any build could take: read every retrieved input with
the same parser the pipeline uses, and write every output's bytes once. The ratio says how
much time goes into the work itself. Usage::

    .venv/bin/python benchmarks/run_benchmarks.py [--runs 3]

Results are printed and written to ``benchmarks/results/summary.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pyogrio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from _pipeline import copy_project  # noqa: E402

SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))


def cold_build(workdir: Path) -> tuple[float, Path]:
    repo = copy_project(workdir)
    start = time.perf_counter()
    subprocess.run([SNAKEMAKE, "-c2", "-q"], cwd=repo, check=True, capture_output=True)
    return time.perf_counter() - start, repo


def read_input(path: Path) -> None:
    name = path.name
    if name.endswith((".geojson", ".geojson.gz", ".gpkg", ".json")):
        pyogrio.read_dataframe(f"/vsigzip/{path}" if name.endswith(".gz") else path)
    elif name.endswith(".xlsx"):
        pd.read_excel(path, sheet_name=None)
    elif name.endswith((".csv", ".csv.gz")):
        try:
            pd.read_csv(path, encoding="utf-8-sig", thousands=",", low_memory=False)
        except pd.errors.ParserError:  # Stat-Xplore tables: title lines above the header
            pd.read_csv(path, encoding="utf-8-sig", thousands=",", header=None, engine="python",
                        on_bad_lines="skip")  # fmt: skip
    else:
        path.read_bytes()


def io_floor(repo: Path) -> float:
    inputs = sorted(p for p in (repo / "data" / "raw").rglob("*") if p.is_file())
    outputs = sorted(
        p for d in ("data/processed", "site") for p in (repo / d).rglob("*") if p.is_file()
    )
    blobs = [(p, p.read_bytes()) for p in outputs]
    start = time.perf_counter()
    for path in inputs:
        read_input(path)
    with tempfile.TemporaryDirectory() as tmp:
        for i, (_, data) in enumerate(blobs):
            Path(tmp, str(i)).write_bytes(data)
    return time.perf_counter() - start


def largest_page(repo: Path) -> tuple[str, int]:
    """Largest HTML page of the site with the data files only it loads (shared assets excluded)."""
    site = repo / "site"
    pages = [p for p in site.rglob("*.html") if "assets" not in p.parts]
    if not pages:
        return ("(no site built)", 0)
    sizes = {}
    for page in pages:
        own = [
            page,
            *page.parent.glob(f"{page.stem}.*.json"),
            *page.parent.glob(f"{page.stem}.*.js"),
        ]
        sizes[str(page.relative_to(site))] = sum(p.stat().st_size for p in own if p.is_file())
    name = max(sizes, key=lambda k: sizes[k])
    return name, sizes[name]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    builds, floors = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            seconds, repo = cold_build(Path(tmp) / f"run{i}")
            builds.append(seconds)
            floors.append(io_floor(repo))
            print(
                f"run {i + 1}: cold build {seconds:.1f} s, I/O floor {floors[-1]:.1f} s", flush=True
            )
        page, size = largest_page(repo)
    result = {
        "runs": args.runs,
        "cold_build_median_s": round(statistics.median(builds), 2),
        "io_floor_median_s": round(statistics.median(floors), 2),
        "ratio": round(statistics.median(builds) / statistics.median(floors), 1),
        "largest_page": page,
        "largest_page_bytes": size,
    }
    out = ROOT / "benchmarks" / "results" / "summary.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
