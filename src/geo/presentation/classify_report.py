"""Write a classification: the CSVs and a printable HTML summary; the ``geo-classify`` command.

``geo-classify sites.csv`` (run from a project root where the pipeline has been built)
reads the pipeline's contracts (``data/interim/lsoa_imd<vintage>.parquet``,
``tier_members.parquet``, ``tier_areas.parquet``) and the retrieved postcode and LSOA
lookups, and writes ``<stem>_classified.csv``, ``<stem>_rejected.csv``,
``<stem>_summary.csv`` and ``<stem>_summary.html`` to ``--output-dir``.
"""

from __future__ import annotations

import argparse
import html
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.core.errors import GeoInputError
from geo.core.io import atomic_path, read_csv, write_csv
from geo.inputs.imd import VINTAGES
from geo.inputs.postcodes import read_nspl, read_sites
from geo.statistics.classify import Classification, Reference, classify_sites, summarise

logger = logging.getLogger(__name__)

OUTPUTS = ("classified.csv", "rejected.csv", "summary.csv", "summary.html")


def load_reference(
    *,
    lad_code: str,
    layers: dict[int, Path],
    members: Path,
    areas: Path,
    postcodes: Path,
    ward_lookup: Path,
    lsoa_changes: Path,
    lsoa01_links: Path | None = None,
) -> Reference:
    """Read the tables a classification needs (``lsoa01_links`` for releases on 2001 LSOAs)."""
    return Reference(
        lad_code=lad_code,
        layers={v: gpd.read_parquet(p) for v, p in layers.items()},
        members=pd.read_parquet(members),
        areas=pd.read_parquet(areas),
        postcodes=read_nspl(postcodes),
        ward_lookup=read_csv(ward_lookup, dtype={"lsoa21_code": "str", "ward24_code": "str"}),
        lsoa_changes=read_csv(lsoa_changes, dtype={"lsoa11_code": "str", "lsoa21_code": "str"}),
        lsoa01_links=None if lsoa01_links is None else pd.read_parquet(lsoa01_links),
    )


def _pct(value: Any) -> str:
    return "–" if pd.isna(value) else f"{float(value):.1%}"


def _num(value: Any) -> str:
    return "–" if pd.isna(value) else f"{float(value):,.0f}"


def _ratio(value: Any) -> str:
    return "–" if pd.isna(value) else f"{float(value):.2f}"


def summary_html(summary: pd.DataFrame, rejected: pd.DataFrame, *, title: str) -> str:
    """Render a printable page: national groups per release, wards, tiers, and every rejected row."""
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title><style>body{{font-family:sans-serif;"
        "font-size:11px;margin:1.5em}table{border-collapse:collapse;margin-bottom:1em}"
        "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}td:first-child,"
        "th:first-child{text-align:left}th{background:#eee}@media print{h2{break-before:auto}"
        "tr{break-inside:avoid}}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        "<p>Share of rows: of the rows classified. Share of population: of the authority's "
        "population (the release's denominator). Representation = share of rows ÷ share of "
        "population (above 1: over-represented).</p>",
    ]
    head = (
        "<tr><th>group</th><th>rows</th><th>share of rows</th><th>population</th>"
        "<th>share of population</th><th>representation</th></tr>"
    )
    for section, rows in summary.groupby("section", sort=False):
        label = str(section).replace("tier:", "tier: ")
        parts.append(f"<h2>{html.escape(label)}</h2><table><thead>{head}</thead><tbody>")
        for r in rows.itertuples(index=False):
            group = f"IoD{r.vintage} " if str(r.vintage) else ""
            rep = _ratio(r.representation)
            parts.append(
                f"<tr><td>{html.escape(group + str(r.group_name))}</td><td>{_num(r.rows)}</td>"
                f"<td>{_pct(r.share_of_rows)}</td><td>{_num(r.population)}</td>"
                f"<td>{_pct(r.population_share)}</td><td>{rep}</td></tr>"
            )
        parts.append("</tbody></table>")
    parts.append(f"<h2>Rejected rows ({len(rejected)})</h2><table><thead><tr>")
    parts.append("<th>input line</th><th>input</th><th>reason</th></tr></thead><tbody>")
    for r in rejected.itertuples(index=False):
        parts.append(
            f"<tr><td>{r.input_row}</td><td>{html.escape(str(r.input_value))}</td>"
            f"<td>{html.escape(str(r.reason))}</td></tr>"
        )
    parts.append("</tbody></table></body></html>\n")
    return "\n".join(parts)


def write_classification(
    result: Classification, summary: pd.DataFrame, *, stem: Path, title: str
) -> list[Path]:
    """Write the four outputs beside ``stem`` (``<stem>_classified.csv`` …)."""
    paths = [Path(f"{stem}_{part}") for part in OUTPUTS]
    write_csv(result.classified, paths[0])
    write_csv(result.rejected, paths[1])
    write_csv(summary, paths[2])
    with atomic_path(paths[3]) as tmp:
        tmp.write_text(summary_html(summary, result.rejected, title=title), encoding="utf-8")
    return paths


def run(
    sites_path: Path,
    *,
    reference: Reference,
    output_dir: Path,
    passthrough: Sequence[str] = (),
    percents: Sequence[float] = (1, 10, 20),
    postcode_column: str | None = None,
) -> list[Path]:
    """Classify one file and write its outputs; returns the paths written."""
    sites = read_sites(sites_path, postcode_column=postcode_column)
    result = classify_sites(sites, reference, percents=percents, passthrough=passthrough)
    summary = summarise(result, reference)
    title = f"{sites_path.name}: {len(result.classified)} rows classified by deprivation"
    return write_classification(result, summary, stem=output_dir / sites_path.stem, title=title)


def _project_reference(root: Path, lad_code: str | None) -> Reference:
    import yaml

    from geo.inputs.registry import load_registry
    from geo.model.config import validate_config

    with (root / "config.yaml").open(encoding="utf-8") as fh:
        config = validate_config(
            yaml.safe_load(fh), root / "workflow/schemas/config.schema.yaml", source="config"
        )
    registry = load_registry(root / "data/registry.yaml")
    interim = root / "data/interim"
    layers = {int(v): interim / f"lsoa_imd{v}.parquet" for v in config["vintages"]}
    needed = [*layers.values(), interim / "tier_members.parquet", interim / "tier_areas.parquet"]
    links = interim / "lsoa01_links.parquet"
    on_2001 = any(VINTAGES[v].lsoa_year == 2001 for v in layers)
    if on_2001:
        needed.append(links)
    absent = [str(p) for p in needed if not p.is_file()]
    if absent:
        msg = f"not built yet: {', '.join(absent)}; run `snakemake -c2` in {root} first"
        raise GeoInputError(msg)
    if any(VINTAGES[v].lsoa_year == 2021 for v in layers) is False:
        msg = "classification needs a 2021-LSOA release (2025) among config vintages"
        raise GeoInputError(msg)

    def raw(name: str) -> Path:
        return root / registry[name].raw_path()

    return load_reference(
        lad_code=lad_code or config["lad_code"],
        layers=layers,
        members=interim / "tier_members.parquet",
        areas=interim / "tier_areas.parquet",
        postcodes=raw("postcodes_leeds"),
        ward_lookup=raw("lookup_lsoa21_ward24"),
        lsoa_changes=raw("lookup_lsoa11_lsoa21"),
        lsoa01_links=links if on_2001 else None,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``geo-classify``: classify a CSV of postcodes or points, or a GeoPackage of sites."""
    parser = argparse.ArgumentParser(
        prog="geo-classify",
        description="Classify postcodes or point sites by deprivation (IMD, every release).",
    )
    parser.add_argument(
        "input", type=Path, help="CSV (postcode, lat/lon or easting/northing) or GeoPackage"
    )
    parser.add_argument("-o", "--output-dir", type=Path, default=Path("data/processed/classify"))
    parser.add_argument("-p", "--passthrough", nargs="*", default=[], help="input columns to copy")
    parser.add_argument("--postcode-column", default=None, help="name of the postcode column")
    parser.add_argument("--percents", nargs="*", type=float, default=[1, 10, 20])
    parser.add_argument("--project", type=Path, default=Path("."), help="built project root")
    parser.add_argument("--lad-code", default=None, help="authority (default: config lad_code)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        reference = _project_reference(args.project, args.lad_code)
        paths = run(
            args.input,
            reference=reference,
            output_dir=args.output_dir,
            passthrough=args.passthrough,
            percents=args.percents,
            postcode_column=args.postcode_column,
        )
    except GeoInputError as exc:
        print(f"geo-classify: error: {exc}", file=sys.stderr)
        return 2
    for path in paths:
        print(path)
    return 0
