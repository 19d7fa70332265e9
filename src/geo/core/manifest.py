"""A content manifest of a build, and the differences between two builds.

A manifest names every output file of a build (``data/processed/`` and ``site/``) with a
digest of what a user sees in it, not of its bytes: a CSV by its columns and its rows
(sorted, numbers rounded to :data:`DIGITS` significant digits); a GeoPackage by each layer's
columns, rows and geometries (rounded to the centimetre); any other file by its bytes.
Two builds of the same data through a refactored pipeline then compare equal even where
row order, float noise or GeoPackage internals differ, and any real change is listed.

Used by the before/after test of the pipeline (``tests/integration/test_build_manifest.py``)
and by ``tools/compare_builds.py``.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import shapely

logger = logging.getLogger(__name__)

DIGITS = 9
"""Significant digits numbers are rounded to before hashing."""

GRID_M = 0.01
"""Geometry precision (CRS units, metres) before hashing."""

ROOTS = ("data/processed", "site")
"""Output folders of a build, relative to the project root."""

STYLE_TABLES = ("layer_styles", "qgis_projects")
"""GeoPackage tables of styles and projects, not data (left out of the digest)."""

SKIPPED = ("site/assets/",)
"""Prefixes of files left out (vendored assets copied verbatim from the package)."""


def _round(values: pd.Series) -> pd.Series:
    if values.dtype == bool or str(values.dtype) == "boolean":
        return values.astype("string")
    if pd.api.types.is_numeric_dtype(values):
        arr = values.to_numpy(dtype="float64", na_value=np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            mag = np.where(arr == 0, 0, np.floor(np.log10(np.abs(arr))))
        scale = np.power(10.0, DIGITS - 1 - np.nan_to_num(mag))
        rounded = np.round(arr * scale) / scale
        return pd.Series(
            [("" if np.isnan(v) else repr(float(v))) for v in rounded],
            index=values.index,
            dtype="string",
        )
    return values.astype("string").fillna("")


def table_digest(frame: pd.DataFrame) -> dict[str, object]:
    """Columns, row count and an order-free digest of a table's values."""
    columns = [str(c) for c in frame.columns]
    if frame.empty:
        rows: list[str] = []
    else:
        text = pd.DataFrame({c: _round(frame[c]) for c in frame.columns})
        rows = sorted(text.astype(str).agg("\x1f".join, axis=1))
    h = hashlib.sha256("\x1e".join(rows).encode()).hexdigest()
    return {"columns": columns, "rows": len(frame), "sha256": h}


def _geometry_digest(geoms: np.ndarray) -> str:
    snapped = shapely.set_precision(geoms, GRID_M)
    normal = shapely.normalize(snapped)
    wkb = sorted(shapely.to_wkb(normal, hex=True, output_dimension=2))
    return hashlib.sha256("".join(str(w) for w in wkb).encode()).hexdigest()


def gpkg_digest(path: Path) -> dict[str, object]:
    """Each layer's table digest and geometry digest (styles and metadata tables ignored)."""
    layers: dict[str, object] = {}
    for name, _kind in pyogrio.list_layers(path):
        if str(name) in STYLE_TABLES or str(name).startswith("gpkg_"):
            continue
        gdf = pyogrio.read_dataframe(path, layer=name)
        table = pd.DataFrame(gdf.drop(columns="geometry", errors="ignore"))
        entry = table_digest(table)
        if "geometry" in gdf:
            entry["geometry_sha256"] = _geometry_digest(gdf.geometry.to_numpy())
            entry["crs"] = gdf.crs.to_string() if gdf.crs is not None else None
        layers[str(name)] = entry
    return {"kind": "gpkg", "layers": layers}


def file_digest(path: Path) -> dict[str, object]:
    """Digest of one output file by its kind (CSV, GeoPackage, other)."""
    if path.suffix == ".csv":
        frame = pd.read_csv(io.BytesIO(path.read_bytes()), dtype=str, keep_default_na=False)
        numeric = frame.apply(pd.to_numeric, errors="coerce")
        mixed = pd.DataFrame({
            c: numeric[c] if numeric[c].notna().sum() == (frame[c] != "").sum() else frame[c]
            for c in frame.columns
        })  # fmt: skip
        return {"kind": "csv", **table_digest(mixed)}
    if path.suffix == ".gpkg":
        return gpkg_digest(path)
    return {"kind": "file", "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def output_files(root: Path, roots: Iterable[str] = ROOTS) -> list[str]:
    """Output files of a build below ``root``, relative and sorted."""
    out = []
    for folder in roots:
        base = root / folder
        if not base.is_dir():
            continue
        for p in base.rglob("*"):
            rel = p.relative_to(root).as_posix()
            if p.is_file() and not rel.startswith(SKIPPED) and "/." not in f"/{rel}":
                out.append(rel)
    return sorted(out)


def build_manifest(root: Path | str, *, roots: Iterable[str] = ROOTS) -> dict[str, object]:
    """Manifest of every output file of the build in ``root``."""
    root = Path(root)
    files = output_files(root, roots)
    logger.info("Manifest of %d output files under %s", len(files), root)
    return {rel: file_digest(root / rel) for rel in files}


@dataclass(frozen=True)
class Difference:
    """One way two builds differ."""

    path: str
    what: str
    """``missing`` (only before), ``added`` (only after) or ``changed``."""
    detail: str = ""


def _changes(before: Mapping[str, object], after: Mapping[str, object]) -> str:
    if before.get("kind") == "gpkg" and after.get("kind") == "gpkg":
        b, a = before["layers"], after["layers"]
        assert isinstance(b, dict) and isinstance(a, dict)
        parts = [f"layer {n} missing" for n in sorted(set(b) - set(a))]
        parts += [f"layer {n} added" for n in sorted(set(a) - set(b))]
        parts += [
            f"layer {n}: {_changes(b[n], a[n])}" for n in sorted(set(a) & set(b)) if b[n] != a[n]
        ]
        return "; ".join(parts)
    parts = []
    bc, ac = before.get("columns"), after.get("columns")
    if isinstance(bc, list) and isinstance(ac, list) and bc != ac:
        gone, new = [c for c in bc if c not in ac], [c for c in ac if c not in bc]
        parts.append(f"columns -{gone} +{new}" if gone or new else "columns reordered")
    if before.get("rows") != after.get("rows"):
        parts.append(f"rows {before.get('rows')} -> {after.get('rows')}")
    if not parts and before.get("sha256") != after.get("sha256"):
        parts.append("values")
    if before.get("geometry_sha256") != after.get("geometry_sha256"):
        parts.append("geometry")
    return ", ".join(parts) or "content"


def compare_manifests(
    before: Mapping[str, Mapping[str, object]], after: Mapping[str, Mapping[str, object]]
) -> list[Difference]:
    """Every file missing, added or changed between two manifests, sorted by path."""
    out = [Difference(p, "missing") for p in sorted(set(before) - set(after))]
    out += [Difference(p, "added") for p in sorted(set(after) - set(before))]
    out += [
        Difference(p, "changed", _changes(before[p], after[p]))
        for p in sorted(set(before) & set(after))
        if before[p] != after[p]
    ]
    return sorted(out, key=lambda d: (d.path, d.what))


def write_manifest(manifest: Mapping[str, object], path: Path | str) -> None:
    """Write a manifest as sorted, indented JSON."""
    Path(path).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")


def read_manifest(path: Path | str) -> dict[str, dict[str, object]]:
    """Read a manifest written by :func:`write_manifest`."""
    data = json.loads(Path(path).read_text())
    assert isinstance(data, dict)
    return data
