"""Reading inputs and writing outputs: tolerant readers, atomic and reproducible writers.

Readers accept the quirks of the official CSVs (UTF-8 byte-order mark, thousands
separators). Writers write to a temporary file beside the target and rename it into place,
so a failed step never leaves a partial output; GeoPackages carry a fixed timestamp so
that two clean builds are byte-identical.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.core.errors import GeoInputError, GeometryError
from geo.core.publish import TMP_PREFIX

logger = logging.getLogger(__name__)

#: Timestamp written into GeoPackage metadata (``OGR_CURRENT_DATE``) for reproducible files,
#: in the form the GeoPackage standard requires (milliseconds, UTC).
FIXED_TIMESTAMP = "2000-01-01T00:00:00.000Z"


def read_csv(path: Path | str, *, dtype: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Read a CSV that may start with a UTF-8 BOM and hold numbers like ``"1,296"``."""
    path = Path(path)
    try:
        frame = pd.read_csv(
            path, encoding="utf-8-sig", thousands=",", dtype=dict(dtype or {}), low_memory=False
        )
    except UnicodeDecodeError as exc:
        msg = (
            f"{path}: is not UTF-8 text (byte {exc.object[exc.start]:#04x} at position "
            f"{exc.start} cannot be decoded); save it as UTF-8 (e.g. Excel: 'CSV UTF-8')"
        )
        raise GeoInputError(msg) from exc
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        msg = f"{path}: cannot read as CSV: {exc}"
        raise GeoInputError(msg) from exc
    for col in frame.columns:
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            frame[col] = frame[col].map(_restore_formula)
    return frame


def _restore_formula(value: object) -> object:
    """Undo :func:`neutralise_formula` for the pipeline's own CSVs read back."""
    if (
        isinstance(value, str)
        and value.startswith("'")
        and neutralise_formula(value[1:]) != value[1:]
    ):
        return value[1:]
    return value


def vector_path(path: Path | str) -> str:
    """GDAL path for a vector file, reading ``.gz`` through ``/vsigzip/``."""
    text = str(path)
    return f"/vsigzip/{text}" if text.endswith(".gz") else text


def read_vector(
    path: Path | str, *, where: str | None = None, columns: list[str] | None = None
) -> gpd.GeoDataFrame:
    """Read a vector layer with pyogrio; ``where`` is an OGR SQL attribute filter."""
    try:
        gdf = pyogrio.read_dataframe(vector_path(path), where=where, columns=columns)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        msg = f"{path}: cannot read as a vector layer: {exc}"
        raise GeoInputError(msg) from exc
    if gdf.crs is None:
        msg = f"{path}: the layer has no CRS; declare one (e.g. EPSG:4326 or EPSG:27700)"
        raise GeometryError(msg)
    return gdf


@contextlib.contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success only."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(
        prefix=f"{TMP_PREFIX}{target.stem}.", suffix=target.suffix, dir=target.parent
    )
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}-journal").unlink(missing_ok=True)


#: Cells starting with one of these are read as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d[\d,]*(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def neutralise_formula(value: object) -> object:
    """Prefix ``'`` to a text cell a spreadsheet would run as a formula; others unchanged.

    Text that is just a number (``-3``, ``+1.5``) is left alone: a spreadsheet reads it as
    that number, not as a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.match(value):
        return "'" + value
    return value


def safe_cells(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every text cell passed through :func:`neutralise_formula`."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_formula)
    out.columns = [neutralise_formula(str(c)) for c in out.columns]
    return out


def write_csv(df: pd.DataFrame, path: Path | str) -> None:
    """Write ``df`` (geometry dropped) as UTF-8 CSV with stable float formatting, atomically.

    Every CSV of the pipeline goes through here, so text cells that a spreadsheet would run
    as a formula (starting ``= + - @``, tab or carriage return) are neutralised with a
    leading ``'`` (:func:`neutralise_formula`).
    """
    frame = safe_cells(pd.DataFrame(df.drop(columns="geometry", errors="ignore")))
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False, lineterminator="\n", float_format="%.10g")
    logger.info("Wrote %s (%d rows, %d columns)", path, len(frame), frame.shape[1])


def write_gpkg(
    layers: Mapping[str, gpd.GeoDataFrame],
    path: Path | str,
    *,
    finish: Callable[[Path, Path], None] | None = None,
) -> None:
    """Write one or more layers to a new GeoPackage, atomically and reproducibly.

    ``finish(tmp, path)``, if given, runs on the complete temporary file before it is
    renamed onto ``path`` (e.g. :func:`geo.presentation.gis.gpkg.gpkg_finisher` adds styles
    and metadata); if it fails, ``path`` is left as it was.
    """
    if not layers:
        msg = f"{path}: no layers to write"
        raise ValueError(msg)
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_TIMESTAMP})
    try:
        _write_layers(layers, path, finish)
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})
    logger.info("Wrote %s (layers: %s)", path, ", ".join(layers))


def _write_layers(
    layers: Mapping[str, gpd.GeoDataFrame],
    path: Path | str,
    finish: Callable[[Path, Path], None] | None,
) -> None:
    with atomic_path(path) as tmp:
        for name, gdf in layers.items():
            pyogrio.write_dataframe(
                gdf,
                tmp,
                layer=name,
                driver="GPKG",
                append=tmp.exists(),
                promote_to_multi=True,
                layer_options={"SPATIAL_INDEX": "YES"},
            )
        if finish is not None:
            finish(tmp, Path(path))


def write_parquet(df: pd.DataFrame, path: Path | str) -> None:
    """Write an intermediate table (GeoParquet when it has geometry), atomically."""
    with atomic_path(path) as tmp:
        df.to_parquet(tmp, index=False)
    logger.info("Wrote %s (%d rows)", path, len(df))


def read_parquet(path: Path | str) -> pd.DataFrame:
    """Read an intermediate table written by :func:`write_parquet`."""
    return pd.read_parquet(path)


def read_geoparquet(path: Path | str) -> gpd.GeoDataFrame:
    """Read an intermediate layer written by :func:`write_parquet`."""
    return gpd.read_parquet(path)


def write_tree(
    files: Mapping[str, bytes],
    folder: Path | str,
    *,
    extra: Callable[[Path], object] | None = None,
) -> Path:
    """Write ``files`` (path under ``folder`` → bytes) as ``folder``, replacing it as a whole.

    The tree is assembled in a temporary folder beside ``folder`` (``extra`` may add to it,
    e.g. the site's vendored assets) and moved into place, so a failed or interrupted write
    never leaves half a tree; the temporary folder is removed on failure (and by
    :func:`geo.core.publish.clean_leftovers` after a kill).
    """
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{folder.name}.", dir=folder.parent))
    try:
        for rel, data in files.items():
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if extra is not None:
            extra(tmp)
        tmp.chmod(0o755)
        if folder.exists():
            shutil.rmtree(folder)
        tmp.rename(folder)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    logger.info("Wrote %d file(s) to %s", len(files), folder)
    return folder


def read_tree(folder: Path | str) -> dict[str, bytes]:
    """Every file under ``folder`` as ``{path from folder: bytes}``, hidden files left out."""
    folder = Path(folder)
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    }
