"""Checks at every boundary: columns present, joins 1:1 as expected, geometry sound.

Every failure raises with a message naming the table or file, the field and the values.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Literal

import geopandas as gpd
import pandas as pd
import shapely

from geo.core.errors import GeoInputError, GeometryError, JoinError

logger = logging.getLogger(__name__)

_SHOW = 10


def show(values: Iterable[object], limit: int = _SHOW) -> str:
    """Comma-separated preview of ``values``: the first ``limit`` and a count of the rest."""
    items = sorted({str(v) for v in values})
    head = ", ".join(items[:limit])
    return head + (f" … and {len(items) - limit} more" if len(items) > limit else "")


def require_columns(df: pd.DataFrame, columns: Iterable[str], *, source: str) -> None:
    """Raise naming ``source`` and the missing columns if any of ``columns`` is absent."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        msg = f"{source}: missing column(s) {show(missing)}; found: {show(df.columns, 40)}"
        raise GeoInputError(msg)


def require_unique(df: pd.DataFrame, key: str, *, source: str) -> None:
    """Raise naming ``source``, ``key`` and every duplicated value."""
    dup = df.loc[df[key].duplicated(keep=False), key]
    if not dup.empty:
        msg = f"{source}: field {key!r} has duplicated value(s): {show(dup)}"
        raise JoinError(msg)
    nulls = int(df[key].isna().sum())
    if nulls:
        msg = f"{source}: field {key!r} is empty in {nulls} row(s)"
        raise JoinError(msg)


def merge_validated(
    left: pd.DataFrame,
    right: pd.DataFrame,
    *,
    on: str,
    left_name: str,
    right_name: str,
    validate: Literal["1:1", "m:1"] = "1:1",
    right_may_have_extra: bool = True,
) -> pd.DataFrame:
    """Inner-join two tables, raising if any left key has no match.

    ``validate`` says what the join expects: with ``"1:1"`` both sides must be unique on
    ``on``; with ``"m:1"`` only the right side. Keys of the right table without a match are
    allowed when ``right_may_have_extra`` (e.g. a national table joined to one authority).
    """
    if validate == "1:1":
        require_unique(left, on, source=left_name)
    require_unique(right, on, source=right_name)
    unmatched = set(left[on]) - set(right[on])
    if unmatched:
        msg = (
            f"{right_name}: no row for {len(unmatched)} {on} value(s) of {left_name}: "
            f"{show(unmatched)}"
        )
        raise JoinError(msg)
    if not right_may_have_extra:
        extra = set(right[on]) - set(left[on])
        if extra:
            msg = f"{right_name}: {len(extra)} {on} value(s) not in {left_name}: {show(extra)}"
            raise JoinError(msg)
    return left.merge(right, on=on, how="inner", validate=validate)


def check_geometry(
    gdf: gpd.GeoDataFrame,
    *,
    source: str,
    id_col: str,
    repair: bool,
    allowed: Sequence[str] = ("Polygon", "MultiPolygon"),
) -> gpd.GeoDataFrame:
    """Check a layer's CRS and every geometry; repair invalid ones only when ``repair``.

    Raises:
        GeometryError: no CRS; a missing, empty or zero-area geometry; a geometry type not in
            ``allowed``; an invalid geometry (with the reason and location) when not repairing.

    """
    if gdf.crs is None:
        msg = f"{source}: the layer has no CRS; declare one (e.g. EPSG:4326 or EPSG:27700)"
        raise GeometryError(msg)
    geom = gdf.geometry
    missing = gdf.loc[geom.isna() | geom.is_empty, id_col]
    if not missing.empty:
        msg = f"{source}: empty or missing geometry for {id_col} {show(missing)}"
        raise GeometryError(msg)
    wrong = ~geom.geom_type.isin(allowed)
    if wrong.any():
        pairs = [
            f"{c} ({t})" for c, t in zip(gdf.loc[wrong, id_col], geom.geom_type[wrong], strict=True)
        ]
        msg = f"{source}: geometry must be {' or '.join(allowed)}; got {show(pairs)}"
        raise GeometryError(msg)
    invalid = ~geom.is_valid
    if invalid.any():
        reasons = [
            f"{code}: {shapely.is_valid_reason(g)}"
            for code, g in zip(gdf.loc[invalid, id_col], geom[invalid], strict=True)
        ]
        if not repair:
            msg = f"{source}: invalid geometry for {id_col} {show(reasons)}"
            raise GeometryError(msg)
        logger.warning(
            "%s: repairing %d invalid geometries: %s", source, invalid.sum(), show(reasons)
        )
        gdf = gdf.copy()
        fixed = shapely.make_valid(geom[invalid].values, method="structure", keep_collapsed=False)
        gdf.loc[invalid, gdf.geometry.name] = fixed
    wrong_after = ~gdf.geometry.geom_type.isin(allowed)
    if wrong_after.any():
        msg = f"{source}: repair left non-polygonal geometry for {id_col} {show(gdf.loc[wrong_after, id_col])}"
        raise GeometryError(msg)
    zero = gdf.loc[shapely.area(gdf.geometry.values) <= 0, id_col]
    if not zero.empty:
        msg = f"{source}: zero-area geometry for {id_col} {show(zero)}"
        raise GeometryError(msg)
    return gdf
