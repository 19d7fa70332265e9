"""Postcodes and sites: the postcode normaliser, the NSPL reader and readers of officers' files.

An officer's file is a CSV with a postcode column, or with latitude/longitude or
easting/northing columns, or a vector file (GeoPackage) of point sites. Every row keeps
``input_row``: the line of the CSV (the header is line 1) or the feature number (from 1).
Malformed coordinates are an error naming the file, the line, the column and the value; a
blank or malformed postcode is not an error but a rejected row (the classifier lists it).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.core.checks import require_unique
from geo.core.errors import GeoInputError
from geo.core.io import read_vector

logger = logging.getLogger(__name__)

_UNIT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")
"""A UK postcode without spaces: outward code (area, district) then inward code (9AA)."""

POSTCODE_COLUMNS = ("postcode", "post_code", "pcds", "pcd", "pcd2", "postcode_")
LAT_COLUMNS = ("lat", "latitude")
LON_COLUMNS = ("lon", "long", "lng", "longitude")
EASTING_COLUMNS = ("easting", "eastings", "x_27700")
NORTHING_COLUMNS = ("northing", "northings", "y_27700")

_BOUNDS = {  # generous bounds of Great Britain in each coordinate system
    "lat": (49.0, 61.5),
    "lon": (-8.7, 2.1),
    "easting": (0.0, 700_000.0),
    "northing": (0.0, 1_300_000.0),
}

Kind = Literal["postcode", "latlon", "en"]


def normalise_postcodes(values: pd.Series) -> pd.Series:
    """Postcodes in the single-space form ``"LS1 1AA"``; <NA> where blank or malformed.

    Upper-cases, removes every space (including non-breaking ones) and checks the unit
    pattern (``A9 9AA``, ``A99 9AA``, ``A9A 9AA``, ``AA9 9AA``, ``AA99 9AA``, ``AA9A 9AA``).
    Letters are never guessed from digits (``LSI 1AA`` stays malformed).
    """
    compact = values.astype("string").str.upper().str.replace(r"[\s\u00a0]+", "", regex=True)
    valid = compact.str.fullmatch(_UNIT.pattern).fillna(False).astype(bool)
    spaced = compact.str[:-3] + " " + compact.str[-3:]
    return spaced.where(valid, None).astype("string")


def normalise_postcode(value: str) -> str:
    """One postcode normalised by :func:`normalise_postcodes`; ValueError naming it if malformed."""
    out = normalise_postcodes(pd.Series([value])).iloc[0]
    if pd.isna(out):
        msg = f"{value!r} is not a UK postcode (expected e.g. 'LS1 1AA')"
        raise ValueError(msg)
    return str(out)


_NSPL_NAMES = {
    "pcds": "postcode",
    "laua": "lad_code",
    "ward": "ward_code",
    "lsoa21": "lsoa21_code",
    "lsoa11": "lsoa11_code",
}


def read_nspl(path: Path | str) -> pd.DataFrame:
    """Read the postcode lookup: ``postcode, lad_code, ward_code, lsoa21_code, lat, long, doterm``.

    Reads the mirror's NSPL extract (columns ``postcode, lad_code, ward_code, lsoa21_code,
    lat, long``) or a full NSPL CSV (``pcds, laua, ward, lsoa21, lsoa11, lat, long, doterm``).
    ``doterm`` (termination date, empty for live postcodes) is <NA> throughout when the file
    does not carry it; ``lsoa11_code`` is kept when present. Postcodes are normalised and
    must be unique.
    """
    path = Path(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        msg = f"{path}: cannot read as CSV: {exc}"
        raise GeoInputError(msg) from exc
    frame = raw.rename(columns=_NSPL_NAMES)
    needed = ["postcode", "lad_code", "lsoa21_code"]
    missing = [c for c in needed if c not in frame]
    if missing:
        msg = (
            f"{path}: not a postcode lookup: missing column(s) {missing}; found {list(raw.columns)}"
        )
        raise GeoInputError(msg)
    out = pd.DataFrame({"postcode": normalise_postcodes(frame["postcode"])})
    bad = out["postcode"].isna()
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        msg = f"{path} line {first + 2}: malformed postcode {frame['postcode'].iloc[first]!r}"
        raise GeoInputError(msg)
    for col in ("lad_code", "ward_code", "lsoa21_code", "lsoa11_code", "doterm"):
        values = frame[col] if col in frame else pd.Series("", index=frame.index)
        out[col] = values.str.strip().replace("", None).astype("string")
    for col in ("lat", "long"):
        out[col] = pd.to_numeric(pd.Series(frame.get(col), index=frame.index), errors="coerce")
    no_coords = out["lat"].isna() | (out["long"].isna()) | ((out["lat"] == 0) & (out["long"] == 0))
    out.loc[no_coords, ["lat", "long"]] = np.nan
    require_unique(out, "postcode", source=f"{path} field 'postcode'")
    logger.info(
        "%s: %d postcodes (%s termination dates)",
        path,
        len(out),
        "with" if "doterm" in frame else "no",
    )
    return out


@dataclass(frozen=True)
class Sites:
    """An officer's file as read: what it locates rows by, and the rows."""

    path: Path
    kind: Kind
    frame: pd.DataFrame
    """``input_row``, the input's own columns, and ``postcode_input`` or ``x``/``y``."""
    crs: str | None = None
    """CRS of ``x``/``y`` (EPSG:4326 for lat/lon, EPSG:27700 for easting/northing)."""


def _find(columns: list[str], names: tuple[str, ...]) -> str | None:
    lower = {c.strip().lower(): c for c in columns}
    return next((lower[n] for n in names if n in lower), None)


def _coordinate(frame: pd.DataFrame, col: str, bound: str, *, path: Path) -> pd.Series:
    """Column ``col`` as float: blank → NaN; anything else not a number in bounds → error."""
    text = frame[col].astype("string").str.strip()
    values = pd.to_numeric(pd.Series(text.replace("", None)), errors="coerce")
    low, high = _BOUNDS[bound]
    bad = (text.fillna("") != "") & (values.isna() | (values < low) | (values > high))
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        msg = (
            f"{path} line {frame['input_row'].iloc[i]}: column {col!r} value "
            f"{frame[col].iloc[i]!r} is not a {bound} in {low:g}..{high:g}"
            + (f" ({int(bad.sum())} such rows)" if bad.sum() > 1 else "")
        )
        raise GeoInputError(msg)
    return values.astype(float)


def _read_csv_sites(path: Path, *, postcode_column: str | None) -> Sites:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError as exc:
        msg = f"{path}: the file is empty (expected a header line and rows)"
        raise GeoInputError(msg) from exc
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        msg = f"{path}: cannot read as CSV: {exc}"
        raise GeoInputError(msg) from exc
    frame.insert(0, "input_row", np.arange(2, len(frame) + 2))
    columns = [c for c in frame.columns if c != "input_row"]
    postcode = postcode_column or _find(columns, POSTCODE_COLUMNS)
    if postcode is not None:
        if postcode not in frame:
            msg = f"{path}: no column {postcode!r}; found {columns}"
            raise GeoInputError(msg)
        return Sites(path, "postcode", frame.assign(postcode_input=frame[postcode]))
    for kind, xs, ys, crs in (
        ("latlon", LON_COLUMNS, LAT_COLUMNS, "EPSG:4326"),
        ("en", EASTING_COLUMNS, NORTHING_COLUMNS, "EPSG:27700"),
    ):
        xcol, ycol = _find(columns, xs), _find(columns, ys)
        if xcol and ycol:
            xb, yb = ("lon", "lat") if kind == "latlon" else ("easting", "northing")
            x = _coordinate(frame, xcol, xb, path=path)
            y = _coordinate(frame, ycol, yb, path=path)
            return Sites(path, kind, frame.assign(x=x, y=y), crs)  # type: ignore[arg-type]
    msg = (
        f"{path}: cannot tell how rows are located: expected a postcode column "
        f"({', '.join(POSTCODE_COLUMNS)}), lat/lon or easting/northing columns; found {columns}"
    )
    raise GeoInputError(msg)


def _read_vector_sites(path: Path) -> Sites:
    gdf = read_vector(path)
    geom = gdf.geometry
    empty = geom.isna() | geom.is_empty
    wrong = ~empty & (geom.geom_type != "Point")
    if wrong.any():
        i = int(np.flatnonzero(wrong.to_numpy())[0])
        msg = (
            f"{path} feature {i + 1}: geometry must be a Point, got {geom.iloc[i].geom_type}"
            f" ({int(wrong.sum())} non-point features)"
        )
        raise GeoInputError(msg)
    pts = gdf.to_crs("EPSG:27700").geometry
    frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    frame.insert(0, "input_row", np.arange(1, len(frame) + 1))
    frame["x"] = np.where(empty, np.nan, pts.x)
    frame["y"] = np.where(empty, np.nan, pts.y)
    return Sites(path, "en", frame, "EPSG:27700")


def read_sites(path: Path | str, *, postcode_column: str | None = None) -> Sites:
    """Read an officer's CSV (postcodes or points) or vector file of point sites.

    Raises:
        GeoInputError: an unreadable or empty file, no column to locate rows by, a
            coordinate that is not a number within Great Britain's bounds (naming the file,
            line, column and value), or a non-point feature.

    """
    path = Path(path)
    if not path.is_file():
        msg = f"{path}: no such file"
        raise GeoInputError(msg)
    if path.suffix.lower() in {".csv", ".txt"}:
        sites = _read_csv_sites(path, postcode_column=postcode_column)
    else:
        sites = _read_vector_sites(path)
    logger.info("%s: %d rows located by %s", path, len(sites.frame), sites.kind)
    return sites


def points_27700(sites: Sites) -> gpd.GeoSeries:
    """Return the sites' points in EPSG:27700 (empty where a coordinate is blank)."""
    if sites.kind == "postcode" or sites.crs is None:
        msg = f"{sites.path}: rows are located by postcode, not by coordinates"
        raise GeoInputError(msg)
    pts = gpd.GeoSeries.from_xy(sites.frame["x"], sites.frame["y"], crs=sites.crs)
    return pts.to_crs("EPSG:27700")
