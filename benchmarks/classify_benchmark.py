"""Benchmark the classifier: 100,000 postcodes classified, median of 3 runs.

Needs a built project (``snakemake -c2``: the LSOA layers and tier tables in data/interim
and the retrieved postcode lookups). The input is 100,000 postcodes drawn with replacement
from the NSPL extract (Leeds and other LS postcodes, in officers' styles: lower case, no
space) plus made-up and malformed ones. Each run reads the reference tables, reads and
classifies the file, summarises it and writes the four outputs, as ``geo-classify`` does.
Usage::

    .venv/bin/python benchmarks/classify_benchmark.py [--rows 100000] [--runs 3]

The target (under 10 s for 100,000 postcodes) lives here, not in a timed test. Results are
printed and written to ``benchmarks/results/classify.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from geo.presentation.classify_report import _project_reference, run

ROOT = Path(__file__).resolve().parents[1]
NSPL = ROOT / "data/raw/postcodes_leeds/leeds_postcodes_nspl21_aug2024_lsoa21_ward_with_latlon.csv"
TARGET_S = 10.0


def make_input(path: Path, rows: int) -> None:
    nspl = pd.read_csv(NSPL, dtype=str, keep_default_na=False)
    drawn = nspl["postcode"].sample(rows - 100, replace=True, random_state=13).tolist()
    drawn = [p.lower().replace(" ", "") if i % 3 == 0 else p for i, p in enumerate(drawn)]
    extra = ["ZZ99 9ZZ"] * 50 + ["not a postcode"] * 50
    pd.DataFrame({"id": range(rows), "postcode": drawn + extra}).to_csv(path, index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sites = Path(tmp) / "sites.csv"
        make_input(sites, args.rows)
        times, classify_only = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            reference = _project_reference(ROOT, None)
            loaded = time.perf_counter()
            run(sites, reference=reference, output_dir=Path(tmp) / "out", passthrough=["id"])
            end = time.perf_counter()
            times.append(end - start)
            classify_only.append(end - loaded)
        rows = len(pd.read_csv(Path(tmp) / "out/sites_classified.csv", usecols=["input_row"]))
    result = {
        "rows": args.rows,
        "classified": rows,
        "runs": args.runs,
        "median_s_including_reference_load": round(statistics.median(times), 3),
        "median_s_read_classify_summarise_write": round(statistics.median(classify_only), 3),
        "all_s": [round(t, 3) for t in times],
        "target_s": TARGET_S,
        "within_target": statistics.median(times) < TARGET_S,
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "benchmarks/results/classify.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
