"""Hand-drawn "real geography" neighbourhoods: read, validate and check a folder of files.

Officers draw neighbourhoods in QGIS or on the site's draw page and commit them to
``<neighbourhoods.dir>/<lad_code>/`` (``data/raw/neighbourhoods/E08000035/`` for Leeds):
GeoJSON (``.geojson``/``.json``) or GeoPackage (``.gpkg``) files, any number, one feature per
neighbourhood with the properties

- ``name`` (required): stored exactly as typed and treated as plain text everywhere
  (:func:`geo.core.text.escape_html` makes it safe for HTML);
- ``id`` (optional): letters, digits, ``-`` and ``_``; a slug of the name otherwise;
- ``ward``, ``notes`` (optional text) and ``illustrative`` (optional true/false).

Other properties are ignored. A GeoJSON file without a ``crs`` member is WGS84 lon/lat
(RFC 7946), which is what the Leaflet Draw export holds; a GeoPackage must declare its CRS.

Every problem is reported with the file, the feature's position (1 = first) and its name;
all problems of a file are listed in one error. See :func:`read_neighbourhood_file` for the
per-file checks and :func:`check_neighbourhoods` for the checks across files.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from shapely.geometry.base import BaseGeometry

from geo.core.errors import GeoInputError
from geo.core.text import has_control_characters, slugify

logger = logging.getLogger(__name__)

SUFFIXES: tuple[str, ...] = (".geojson", ".json", ".gpkg")
"""File name endings read from the neighbourhoods folder; other files are ignored."""

COLUMNS: tuple[str, ...] = (
    "id", "name", "ward", "notes", "illustrative", "source_file", "feature", "geometry",
)  # fmt: skip
"""Columns of a validated neighbourhood layer, in order."""

NEGLIGIBLE_M2 = 1.0
"""A neighbourhood smaller than this (m²) once projected has, for our purposes, no area."""

OVERLAP_TOLERANCE_M2 = 10.0
"""Overlaps smaller than this (m²) are digitising noise: logged, never an error."""

MAX_AUTHORITY_SHARE = 0.5
"""A neighbourhood may cover at most this share of the authority (else it is not one)."""

MAX_NAME_LENGTH = 200
"""Longest name (and ward) in characters; names become page titles, ids and file names."""

MAX_NOTES_LENGTH = 2000
"""Longest ``notes`` in characters."""

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$")
_POLYGONAL = ("Polygon", "MultiPolygon")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0", ""}


# --------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------


def neighbourhood_files(folder: Path | str) -> list[Path]:
    """GeoJSON and GeoPackage files directly in ``folder``, sorted; none if it is absent."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)


def _read_layers(path: Path) -> list[tuple[str | None, gpd.GeoDataFrame]]:
    """Every spatial layer of ``path`` (a GeoJSON file has one), as read by GDAL."""
    try:
        listed = pyogrio.list_layers(path)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        msg = f"{path}: cannot read as GeoJSON or GeoPackage: {exc}"
        raise GeoInputError(msg) from exc
    spatial = [str(name) for name, geom_type in listed if geom_type is not None]
    if not spatial:
        msg = f"{path}: holds no layer with geometry"
        raise GeoInputError(msg)
    layers = []
    for name in spatial:
        try:
            gdf = pyogrio.read_dataframe(path, layer=name)
        except UnicodeDecodeError as exc:
            msg = (
                f"{path}: is not UTF-8 text (byte {exc.object[exc.start]:#04x} at position "
                f"{exc.start} cannot be decoded); GeoJSON must be UTF-8: save it again as "
                "UTF-8 (QGIS: Export > Save Features As, Encoding UTF-8)"
            )
            raise GeoInputError(msg) from exc
        layers.append((name if len(spatial) > 1 else None, gdf))
    return layers


# --------------------------------------------------------------------------------------
# One feature
# --------------------------------------------------------------------------------------


@dataclass
class _Feature:
    """One feature being checked, and the problems found with it."""

    file: str
    layer: str | None
    position: int
    props: dict[str, Any]
    geometry: BaseGeometry | None
    problems: list[str] = field(default_factory=list)

    @property
    def name(self) -> str | None:
        value = self.props.get("name")
        if _missing(value):
            return None
        return str(value).strip() or None

    @property
    def label(self) -> str:
        layer = f"layer {self.layer!r} " if self.layer else ""
        name = f"name {self.name!r}" if self.name else "no name"
        return f"{self.file}: {layer}feature {self.position} ({name})"

    def fail(self, problem: str) -> None:
        self.problems.append(f"{self.label}: {problem}")


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def _text(value: object) -> str:
    return "" if _missing(value) else str(value).strip()


def _flag(feature: _Feature) -> bool:
    value = feature.props.get("illustrative")
    if _missing(value):
        return False
    if isinstance(value, bool | np.bool_):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    feature.fail(f"property 'illustrative' must be true or false, got {value!r}")
    return False


def _identity(feature: _Feature) -> str:
    """Check the name and return the id (given or slug of the name)."""
    name = feature.name
    if name is None:
        feature.fail("property 'name' is missing or empty; every neighbourhood needs a name")
        return ""
    if has_control_characters(name):
        feature.fail("the name holds control characters; retype it as plain text")
    if len(name) > MAX_NAME_LENGTH:
        feature.fail(
            f"the name is {len(name):,} characters long; at most {MAX_NAME_LENGTH} are allowed "
            "(it becomes a page title and a file name)"
        )
    for key, limit in (("ward", MAX_NAME_LENGTH), ("notes", MAX_NOTES_LENGTH)):
        text = _text(feature.props.get(key))
        if len(text) > limit:
            feature.fail(f"property {key!r} is {len(text):,} characters long; at most {limit}")
        if has_control_characters(text.replace("\n", " ")):
            feature.fail(f"property {key!r} holds control characters; retype it as plain text")
    given = _text(feature.props.get("id"))
    if given:
        if not _ID.match(given):
            feature.fail(
                f"property 'id' {given!r} must be 1-80 letters, digits, '-' or '_' starting "
                "with a letter or digit"
            )
        return given
    slug = slugify(name)[:80].strip("-")
    return slug or "neighbourhood-" + hashlib.sha1(name.encode()).hexdigest()[:8]


def _shape_problem(feature: _Feature) -> str | None:
    """Why the geometry cannot be used at all (before validity), or None."""
    geom = feature.geometry
    if geom is None or geom.is_empty:
        return "has no geometry (empty)"
    kind = geom.geom_type
    if kind not in _POLYGONAL:
        hint = ""
        if kind == "Point" and not _missing(feature.props.get("radius")):
            hint = " (a circle from the draw tool is exported as a point; draw a polygon)"
        elif kind == "GeometryCollection":
            hint = " (split it into one feature per polygon)"
        return f"geometry is a {kind}, not a Polygon or MultiPolygon{hint}"
    if geom.area <= 0:
        return "has zero area"
    return None


def _valid_geometry(feature: _Feature, *, repair: bool, crs_note: str) -> BaseGeometry | None:
    """Return the feature's geometry if valid; repair it only when ``repair``, else fail."""
    geom = feature.geometry
    assert geom is not None
    if geom.is_valid:
        return geom
    reason = shapely.is_valid_reason(geom)
    if not repair:
        feature.fail(
            f"invalid geometry: {reason} ({crs_note}); fix it (QGIS: Vector > Geometry Tools "
            "> Fix Geometries) or set neighbourhoods.repair_invalid: true"
        )
        return None
    fixed = _polygonal(shapely.make_valid(geom, method="structure", keep_collapsed=False))
    if fixed is None or fixed.area <= 0:
        feature.fail(f"invalid geometry: {reason} ({crs_note}); repair left no area")
        return None
    logger.warning("%s: repaired invalid geometry: %s (%s)", feature.label, reason, crs_note)
    return fixed


def _polygonal(geom: BaseGeometry | None) -> BaseGeometry | None:
    """Return the polygonal part of ``geom`` (no lines or points), or None if it has none."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in _POLYGONAL:
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in _POLYGONAL and not g.is_empty]
    if not parts:
        return None
    return shapely.union_all(parts)


# --------------------------------------------------------------------------------------
# One file
# --------------------------------------------------------------------------------------


def _features(path: Path, label: str) -> tuple[list[_Feature], Any]:
    """Features of every layer of ``path`` and the CRS they share."""
    features: list[_Feature] = []
    crs = None
    for layer, gdf in _read_layers(path):
        if gdf.crs is None:
            where = f" layer {layer!r}" if layer else ""
            msg = (
                f"{label}{where}: missing CRS; the file does not say which coordinate system "
                "its coordinates are in (save it with one, e.g. EPSG:27700 or EPSG:4326)"
            )
            raise GeoInputError(msg)
        if crs is not None and gdf.crs != crs:
            gdf = gdf.to_crs(crs)
        crs = gdf.crs
        props = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
        for i, (row, geom) in enumerate(zip(props.to_dict("records"), gdf.geometry, strict=True)):
            features.append(
                _Feature(label, layer, i + 1, {str(k): v for k, v in row.items()}, geom)
            )
    return features, crs


def _check_features(
    features: list[_Feature], *, repair: bool, crs_note: str
) -> list[dict[str, Any]]:
    """Check properties and geometry of every feature; rows for those that pass."""
    rows = []
    for feature in features:
        ident = _identity(feature)
        illustrative = _flag(feature)
        problem = _shape_problem(feature)
        if problem:
            feature.fail(problem)
            continue
        geom = _valid_geometry(feature, repair=repair, crs_note=crs_note)
        if geom is None or feature.problems:
            continue
        rows.append(
            {
                "id": ident,
                "name": feature.name,
                "ward": _text(feature.props.get("ward")),
                "notes": _text(feature.props.get("notes")),
                "illustrative": illustrative,
                "source_file": feature.file,
                "feature": feature.position,
                "geometry": geom,
                "_label": feature.label,
            }
        )
    return rows


def _raise_problems(problems: Sequence[str], label: str) -> None:
    if problems:
        msg = f"{label}: {len(problems)} problem(s):\n  " + "\n  ".join(problems)
        raise GeoInputError(msg)


def _crs_hint(gdf: gpd.GeoDataFrame) -> str | None:
    """Why the coordinates cannot be in the CRS the file declares, or None."""
    xmin, ymin, xmax, ymax = gdf.total_bounds
    declared = gdf.crs.to_string()
    in_degrees = xmin >= -180 and xmax <= 180 and ymin >= -90 and ymax <= 90
    if gdf.crs.is_geographic and not in_degrees:
        return (
            f"the file says its coordinates are longitude/latitude ({declared}; a GeoJSON "
            f"without a 'crs' member is WGS84) but they run from ({xmin:,.0f}, {ymin:,.0f}) to "
            f"({xmax:,.0f}, {ymax:,.0f}), which look like metres (e.g. British National Grid, "
            "EPSG:27700): the CRS looks wrong; save the file with its real CRS"
        )
    if gdf.crs.is_projected and in_degrees:
        return (
            f"the file says its coordinates are in {declared} but they run from "
            f"({xmin:.4f}, {ymin:.4f}) to ({xmax:.4f}, {ymax:.4f}), which look like "
            "longitude/latitude degrees: the CRS looks wrong; save the file with its real CRS "
            "(EPSG:4326 for lon/lat)"
        )
    return None


def _check_crs_plausible(gdf: gpd.GeoDataFrame, label: str) -> None:
    hint = _crs_hint(gdf)
    if hint:
        msg = f"{label}: {hint}"
        raise GeoInputError(msg)


def check_not_whole(gdf: gpd.GeoDataFrame, outline: BaseGeometry, *, authority: str) -> None:
    """Raise naming every neighbourhood covering more than :data:`MAX_AUTHORITY_SHARE`."""
    problems = [
        f"{label}: covers {area / outline.area:.0%} of the authority {authority}; a "
        f"neighbourhood may cover at most {MAX_AUTHORITY_SHARE:.0%} (is this the "
        "authority's outline rather than a neighbourhood?)"
        for label, area in zip(gdf["_label"], gdf.geometry.area, strict=True)
        if area > MAX_AUTHORITY_SHARE * outline.area
    ]
    _raise_problems(problems, "neighbourhoods")


def _project(gdf: gpd.GeoDataFrame, *, crs: str, repair: bool) -> gpd.GeoDataFrame:
    """Project to ``crs``; a geometry made invalid by projecting is repaired or reported.

    A geometry of under :data:`NEGLIGIBLE_M2` once projected (e.g. a polygon whose points
    are all but collinear) counts as zero-area.
    """
    out = gdf.to_crs(crs)
    areas = out.geometry.area
    if not np.isfinite(areas.to_numpy()).all() or not np.isfinite(out.total_bounds).all():
        msg = (
            f"neighbourhoods: coordinates of {', '.join(out['_label'][~np.isfinite(areas)])} "
            f"cannot be projected to {crs}: the file's CRS ({gdf.crs.to_string()}) looks wrong"
        )
        raise GeoInputError(msg)
    problems = [
        f"{label}: has almost no area ({area:.3g} m² in {crs}, under the {NEGLIGIBLE_M2:g} m² "
        "minimum); if it looks right on a map, the file's CRS may be wrong"
        for label, area in zip(out["_label"], areas, strict=True)
        if area < NEGLIGIBLE_M2
    ]
    _raise_problems(problems, "neighbourhoods")
    for i in np.flatnonzero(~out.geometry.is_valid.to_numpy()):
        geom = out.geometry.iloc[i]
        reason = f"{shapely.is_valid_reason(geom)} (in {crs}, after projecting)"
        if repair:
            logger.warning("%s: repaired invalid geometry: %s", out["_label"].iloc[i], reason)
            out.iloc[i, out.columns.get_loc(out.geometry.name)] = _polygonal(
                shapely.make_valid(geom, method="structure", keep_collapsed=False)
            )
        else:
            problems.append(f"{out['_label'].iloc[i]}: invalid geometry: {reason}")
    _raise_problems(problems, "neighbourhoods")
    return out


def clip_to_authority(
    gdf: gpd.GeoDataFrame, outline: BaseGeometry, *, tolerance: float, authority: str
) -> gpd.GeoDataFrame:
    """Clip each neighbourhood to the authority; error if more than ``tolerance`` is outside.

    Args:
        gdf: Neighbourhoods in the outline's CRS (metres), with a ``_label`` column.
        outline: The authority's area.
        tolerance: Largest share of a neighbourhood's area that may lie outside (0.005 =
            0.5%); smaller slivers are clipped off with a warning.
        authority: How to name the authority in messages.

    Raises:
        GeoInputError: Listing every neighbourhood with more than ``tolerance`` outside.

    """
    out = gdf.copy()
    problems = []
    inside = shapely.intersection(out.geometry.to_numpy(), outline)
    for i, (label, geom, kept) in enumerate(zip(out["_label"], out.geometry, inside, strict=True)):
        kept = _polygonal(kept)
        outside_m2 = geom.area - (kept.area if kept is not None else 0.0)
        share = outside_m2 / geom.area
        if share > tolerance:
            problems.append(
                f"{label}: {share:.1%} of its area ({outside_m2:,.0f} m²) lies outside the "
                f"authority {authority}; at most {tolerance:.1%} may (is the CRS or the "
                "authority right? neighbourhoods of another authority belong in the folder "
                "named after its code)"
            )
        elif outside_m2 > 0:
            log = logger.warning if outside_m2 >= NEGLIGIBLE_M2 else logger.info
            log("%s: clipped %.1f m² (%.3f%%) lying outside the authority %s",
                label, outside_m2, 100 * share, authority)  # fmt: skip
            out.iloc[i, out.columns.get_loc(out.geometry.name)] = kept
    _raise_problems(problems, "neighbourhoods")
    return out


def read_neighbourhood_file(
    path: Path | str,
    *,
    outline: BaseGeometry,
    crs: str = "EPSG:27700",
    repair_invalid: bool = False,
    outside_tolerance: float = 0.005,
    authority: str = "",
) -> gpd.GeoDataFrame:
    """Read one neighbourhoods file and check every feature.

    Checks, each reported with the file, the feature position and its name: the file
    declares a CRS (a GeoJSON without a ``crs`` member is WGS84, RFC 7946); every feature has
    a name without control characters and, if given, a well-formed ``id``; its geometry is a
    non-empty Polygon or MultiPolygon with area; it is valid (otherwise the reason and the
    location of e.g. the self-intersection, in the file's coordinates; repaired with
    ``make_valid`` only when ``repair_invalid``); no more than ``outside_tolerance`` of its
    area lies outside ``outline`` (smaller slivers are clipped with a warning); names and ids
    are unique within the file.

    Args:
        path: The GeoJSON or GeoPackage file.
        outline: The authority's area, in ``crs``.
        crs: CRS of the result (metres).
        repair_invalid: Repair invalid geometries instead of failing.
        outside_tolerance: Largest share of a neighbourhood's area allowed outside.
        authority: How to name the authority in messages, e.g. ``"E08000035 Leeds"``.

    Returns:
        One row per neighbourhood with :data:`COLUMNS`, in ``crs``.

    Raises:
        GeoInputError: Listing every problem found in the file.

    """
    path = Path(path)
    label = str(path)
    features, file_crs = _features(path, label)
    if not features:
        msg = f"{label}: holds no features; draw at least one neighbourhood or delete the file"
        raise GeoInputError(msg)
    crs_note = f"coordinates in {file_crs.to_string()}"
    rows = _check_features(features, repair=repair_invalid, crs_note=crs_note)
    _raise_problems([p for f in features for p in f.problems], label)
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs=file_crs)
    _check_crs_plausible(gdf, label)
    gdf = _project(gdf, crs=crs, repair=repair_invalid)
    gdf = clip_to_authority(gdf, outline, tolerance=outside_tolerance, authority=authority)
    check_not_whole(gdf, outline, authority=authority)
    check_unique(gdf)
    logger.info("%s: %d neighbourhood(s) valid, projected to %s", label, len(gdf), crs)
    return _finish(gdf)


def _finish(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = gdf[list(COLUMNS)].copy()
    out["illustrative"] = out["illustrative"].astype(bool)
    out["feature"] = out["feature"].astype("int64")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------------------
# Across files
# --------------------------------------------------------------------------------------


def _labels(gdf: pd.DataFrame) -> pd.Series:
    if "_label" in gdf:
        return gdf["_label"]
    return gdf["source_file"] + ": feature " + gdf["feature"].astype(str) + " (name " + \
        gdf["name"].map(repr) + ")"  # fmt: skip


def check_unique(gdf: pd.DataFrame) -> None:
    """Raise naming every neighbourhood whose name or id is used twice.

    Names are compared ignoring case and repeated spaces; ids exactly.
    """
    labels = _labels(gdf)
    keys = {
        "name": gdf["name"].str.casefold().str.split().str.join(" "),
        "id": gdf["id"],
    }
    derived = gdf["name"].map(lambda n: slugify(str(n))[:80].strip("-"))
    problems = []
    for what, key in keys.items():
        for value, idx in key.groupby(key, sort=True).groups.items():
            if len(idx) > 1:
                who = "; ".join(labels.loc[idx])
                hint = ""
                if what == "id":
                    made = bool((gdf["id"].loc[idx] == derived.loc[idx]).all())
                    hint = (
                        " (made from the names; give each an 'id' property)"
                        if made
                        else " (ids must be unique: change one of them)"
                    )
                problems.append(f"duplicate {what} {value!r}{hint}: {who}")
    _raise_problems(problems, "neighbourhoods")


def find_overlaps(gdf: gpd.GeoDataFrame, *, min_area: float = NEGLIGIBLE_M2) -> pd.DataFrame:
    """Pairs of neighbourhoods that overlap by at least ``min_area`` (CRS units²).

    Returns:
        Columns ``first``, ``second`` (row labels, first < second) and ``overlap_m2``.

    """
    geoms = gdf.geometry.to_numpy()
    left, right = gdf.sindex.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    areas = shapely.area(shapely.intersection(geoms[left], geoms[right]))
    big = areas >= min_area
    return pd.DataFrame({"first": left[big], "second": right[big], "overlap_m2": areas[big]})


def check_neighbourhoods(
    layers: Iterable[gpd.GeoDataFrame], *, allow_overlaps: bool
) -> gpd.GeoDataFrame:
    """Combine validated files; check names and ids are unique and report overlaps.

    Overlaps of at least :data:`OVERLAP_TOLERANCE_M2` are logged as warnings naming both
    neighbourhoods and the overlap area in m²; they are errors when ``allow_overlaps`` is
    false (an overlapping area counts its people in both neighbourhoods).

    Returns:
        All neighbourhoods with :data:`COLUMNS`, sorted by id.

    Raises:
        GeoInputError: Duplicate names or ids, or overlaps when not allowed.

    """
    frames = [layer for layer in layers if not layer.empty]
    if not frames:
        return empty_neighbourhoods()
    gdf = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)
    check_unique(gdf)
    labels = _labels(gdf)
    overlaps = find_overlaps(gdf, min_area=OVERLAP_TOLERANCE_M2)
    messages = [
        f"{labels.iloc[a]} overlaps {labels.iloc[b]} by {m2:,.0f} m²"
        for a, b, m2 in overlaps.itertuples(index=False)
    ]
    if messages and not allow_overlaps:
        _raise_problems(
            [*messages, "overlaps are not allowed (config neighbourhoods.allow_overlaps)"],
            "neighbourhoods",
        )
    for message in messages:
        logger.warning("%s (its people count in both)", message)
    logger.info("%d neighbourhood(s) from %d file(s)", len(gdf), len(frames))
    return gdf.sort_values("id", ignore_index=True)


def empty_neighbourhoods(crs: str = "EPSG:27700") -> gpd.GeoDataFrame:
    """Return a neighbourhood layer with no rows (an authority with none drawn)."""
    data: dict[str, pd.Series] = {
        col: pd.Series([], dtype=dtype)
        for col, dtype in zip(COLUMNS[:-1], ["str", "str", "str", "str", "bool", "str", "int64"],
                              strict=True)
    }  # fmt: skip
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries([], crs=crs), crs=crs)


def authority_outline(lsoas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Outline the authority as one (multi)polygon, the union of its LSOAs.

    ``authority`` is ``"<lad_code> <lad_name>"`` from the LSOA layer (for messages).
    """
    geom = _polygonal(shapely.make_valid(lsoas.geometry.union_all()))
    if geom is None:
        msg = "the LSOA layer has no area: cannot outline the authority"
        raise GeoInputError(msg)
    names = [
        " ".join(str(v) for v in lsoas[cols].drop_duplicates().iloc[0])
        for cols in (["lad_code", "lad_name"],)
        if set(cols) <= set(lsoas.columns) and not lsoas.empty
    ]
    return gpd.GeoDataFrame(
        {"authority": [names[0] if names else "(the authority)"], "area_m2": [geom.area]},
        geometry=[geom], crs=lsoas.crs,
    )  # fmt: skip
