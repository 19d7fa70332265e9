"""Benchmark the built site in Chromium: time to usable and weight of every map page.

"Usable" is ``GeoSite.usableAt``: milliseconds from the start of navigation until the page
script has drawn the shown polygons and made the controls live (the end of
``GeoSite.mapPage``). Each page is loaded ``--runs`` times in one headless Debian Chromium
(``/usr/bin/chromium``) from a local server; the median is reported with the page's own
weight (its HTML and ``.data.js``). Usage::

    .venv/bin/python benchmarks/site_usable.py [--site site] [--runs 3]

Results are printed and written to ``benchmarks/results/site_usable.json``.
"""

from __future__ import annotations

import argparse
import functools
import json
import statistics
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def map_pages(site: Path) -> list[str]:
    """Every page with a map: it has a ``.data.js`` beside it."""
    return sorted(
        str(p.relative_to(site)).removesuffix(".data.js") + ".html" for p in site.rglob("*.data.js")
    )


def weight(site: Path, page: str) -> int:
    html = site / page
    return html.stat().st_size + html.with_suffix(".data.js").stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    site = args.site.resolve()
    handler = functools.partial(_Quiet, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    rows: dict[str, dict[str, float]] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
            for path in map_pages(site):
                times = []
                for _ in range(args.runs):
                    page.goto(base + path, wait_until="load")
                    times.append(float(page.evaluate("GeoSite.usableAt")))
                rows[path] = {"usable_ms": statistics.median(times), "bytes": weight(site, path)}
            browser.close()
    finally:
        server.shutdown()
    usable = [r["usable_ms"] for r in rows.values()]
    slowest = max(rows, key=lambda k: rows[k]["usable_ms"])
    heaviest = max(rows, key=lambda k: rows[k]["bytes"])
    result = {
        "pages": len(rows),
        "runs": args.runs,
        "usable_median_ms": statistics.median(usable),
        "usable_max_ms": rows[slowest]["usable_ms"],
        "slowest_page": slowest,
        "heaviest_page": heaviest,
        "heaviest_page_bytes": rows[heaviest]["bytes"],
        "per_page": rows,
    }
    out = ROOT / "benchmarks" / "results" / "site_usable.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "per_page"}, indent=2))
    for path, row in sorted(rows.items(), key=lambda kv: -kv[1]["usable_ms"])[:10]:
        print(f"{row['usable_ms']:7.0f} ms {row['bytes']:>10,} B  {path}")


if __name__ == "__main__":
    main()
