"""Place names on the maps, from open data shipped with the site: where a reader is.

Three kinds of label, each shown in its own band of zoom levels (:data:`PLACE_ZOOMS`) so
that they never crowd one another:

- the areas of the authority's hierarchy that have shapes (community committees, then
  wards), named at their *pole of inaccessibility* (the inside point farthest from the
  edge, :func:`shapely.ops.polylabel`), so a label sits well inside its area;
- **places**: the House of Commons Library's neighbourhood name of each MSOA 2021
  (``msoa21hclnm``: "Hyde Park", "Lincoln Green"; ``msoa21_names``), set at the centre of
  its people: the mean of its LSOAs' ONS population-weighted centroids (``lsoa21_pwc``),
  weighted by each LSOA's population. An LSOA 2021 belongs to the MSOA whose ONS name is
  its own less the final letter.

The labels are drawn by the page script (``GeoSite.mapPage``) as text with a white halo
(:data:`geo.presentation.site.legends.PALETTE` ``label`` and ``halo``), hidden from
screen readers (they repeat the page's own text) and never in the way of the pointer.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.ops import polylabel

from geo.core.checks import require_columns, show
from geo.core.errors import GeoInputError
from geo.core.io import read_csv
from geo.statistics.indicators.geographies import msoa21_of_lsoa21

logger = logging.getLogger(__name__)

PLACE = "place"
"""Kind of the neighbourhood-name labels."""

PLACE_ZOOMS: tuple[int, int] = (13, 19)
"""Zoom band (first, last) of the place labels; the hierarchy's bands come before it
(:data:`AREA_ZOOMS`)."""

AREA_ZOOMS: Sequence[tuple[int, int]] = ((0, 11), (12, 12))
"""Zoom bands of the hierarchy's tiers with shapes, coarsest first (committees to zoom 11,
wards at 12); with a single tier (wards only), it takes both (to zoom 12)."""

LABEL_CRS = "EPSG:27700"
"""CRS of :attr:`Label.x` and :attr:`Label.y` (the centroids' own)."""

POLYLABEL_TOLERANCE_M = 10.0
"""Precision of the label point inside an area."""


@dataclass(frozen=True)
class Label:
    """One map label: its text, kind (``place`` or a tier key), point and zoom band."""

    text: str
    kind: str
    x: float
    y: float
    """In :data:`LABEL_CRS`."""
    zooms: tuple[int, int]


def read_centroids(path: Path | str) -> pd.DataFrame:
    """Read the ONS LSOA 2021 population-weighted centroids: ``lsoa_code, x, y`` (EPSG:27700)."""
    df = read_csv(path, dtype={"LSOA21CD": "string"})
    require_columns(df, ["LSOA21CD", "x", "y"], source=str(path))
    out = pd.DataFrame({"lsoa_code": df["LSOA21CD"].str.strip(),
                        "x": pd.to_numeric(df["x"], errors="coerce"),
                        "y": pd.to_numeric(df["y"], errors="coerce")})  # fmt: skip
    bad = out["x"].isna() | out["y"].isna()
    if bad.any():
        msg = (
            f"{path}: fields 'x'/'y' are not numbers for LSOA(s) {show(out.loc[bad, 'lsoa_code'])}"
        )
        raise GeoInputError(msg)
    return out


def place_labels(
    lsoa21: gpd.GeoDataFrame, *, names_path: Path | str, centroids: pd.DataFrame
) -> list[Label]:
    """Name each MSOA 2021 of the authority at the population-weighted centre of its LSOAs.

    Args:
        lsoa21: The authority's LSOA 2021 layer (``lsoa_code, lsoa_name, population``).
        names_path: The House of Commons Library MSOA 2021 names file.
        centroids: :func:`read_centroids`.

    Returns:
        One :class:`Label` per MSOA with a Library name, sorted by name.

    Raises:
        GeoInputError: an LSOA of the authority has no centroid (naming them).

    """
    links = msoa21_of_lsoa21(lsoa21.loc[:, ["lsoa_code", "lsoa_name"]], names_path)
    points = links.merge(centroids, on="lsoa_code", how="left", validate="1:1")
    absent = points["x"].isna()
    if absent.any():
        msg = f"LSOA 2021 centroids: no point for LSOA(s) {show(points.loc[absent, 'lsoa_code'])}"
        raise GeoInputError(msg)
    people = lsoa21.set_index("lsoa_code")["population"].astype("float64")
    points["w"] = points["lsoa_code"].map(people).fillna(1.0).clip(lower=1.0)
    labels = []
    for (_code, name), rows in points.groupby(["msoa_code", "msoa_local_name"], sort=False):
        text = str(name).strip()
        if not text:
            continue
        w = rows["w"].to_numpy()
        x, y = np.average(rows["x"], weights=w), np.average(rows["y"], weights=w)
        labels.append(Label(text, PLACE, float(x), float(y), PLACE_ZOOMS))
    logger.info("Place labels: %d MSOA names", len(labels))
    return sorted(labels, key=lambda label: (label.text, label.x))


def area_labels(shapes: Mapping[str, gpd.GeoDataFrame], tiers: Sequence[str]) -> list[Label]:
    """Name each area of ``tiers`` (coarsest first, those with shapes) inside its shape."""
    present = [t for t in tiers if t in shapes][-len(AREA_ZOOMS) :]
    bands = list(AREA_ZOOMS[: len(present)])
    if len(present) == 1:
        bands = [(AREA_ZOOMS[0][0], AREA_ZOOMS[-1][1])]
    labels = []
    for tier, zooms in zip(present, bands, strict=True):
        layer = shapes[tier].to_crs(LABEL_CRS)
        for name, geom in zip(layer["area_name"], layer.geometry, strict=True):
            if geom is None or geom.is_empty:
                continue
            parts = list(getattr(geom, "geoms", [geom]))
            largest = max(parts, key=lambda p: p.area)
            point = polylabel(largest, tolerance=POLYLABEL_TOLERANCE_M)
            labels.append(Label(str(name), tier, point.x, point.y, zooms))
    return labels


def labels_to_json(labels: Sequence[Label]) -> list[dict[str, Any]]:
    """Return the labels as the page script reads them: ``{t, k, p: [lat, lon], z: [a, b]}``."""
    if not labels:
        return []
    xy = shapely.points([lb.x for lb in labels], [lb.y for lb in labels])
    wgs = gpd.GeoSeries(xy, crs=LABEL_CRS).to_crs(4326)
    return [
        {
            "t": lb.text,
            "k": lb.kind,
            "p": [round(float(lat), 5), round(float(lon), 5)],
            "z": list(lb.zooms),
        }
        for lb, lat, lon in zip(labels, wgs.y.to_numpy(), wgs.x.to_numpy(), strict=True)
    ]


def labels_within(
    entries: Sequence[dict[str, Any]], bounds: Sequence[Sequence[float]] | None
) -> list[dict[str, Any]]:
    """Return the entries of :func:`labels_to_json` near ``bounds``.

    ``bounds`` is ``[[south, west], [north, east]]``, padded by half its size on every side
    (what panning nearby shows).
    """
    if bounds is None:
        return list(entries)
    (s, w), (n, e) = bounds
    dy, dx = (n - s) / 2, (e - w) / 2
    out = []
    for entry in entries:
        lat, lon = entry["p"]
        if s - dy <= lat <= n + dy and w - dx <= lon <= e + dx:
            out.append(entry)
    return out
