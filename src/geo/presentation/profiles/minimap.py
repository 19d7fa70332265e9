"""A small map for the printed profile: the area's LSOAs as an inline SVG, by national decile.

No script and no tiles: the paths are drawn from the LSOA polygons (projected metres,
simplified to a few metres), filled with the site's decile colours, so the map prints with
the page. Each LSOA has a ``<title>`` (its name and decile) for screen readers and tooltips.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import geopandas as gpd
import numpy as np
import shapely

from geo.presentation.site.legends import DECILE_COLOURS

WIDTH = 320
"""Width of the map in CSS pixels (the height follows the area's shape, at most 1.2 × this)."""


def _rings(geom: shapely.Geometry) -> list[np.ndarray]:
    rings: list[np.ndarray] = []
    for poly in shapely.get_parts(geom):
        rings.append(np.asarray(shapely.get_coordinates(shapely.get_exterior_ring(poly))))
        for i in range(shapely.get_num_interior_rings(poly)):
            rings.append(np.asarray(shapely.get_coordinates(shapely.get_interior_ring(poly, i))))
    return rings


def area_map_svg(
    shapes: gpd.GeoSeries,
    deciles: Mapping[str, int | None],
    *,
    names: Mapping[str, str],
    title: str,
    simplify_m: float = 5.0,
) -> str:
    """Draw the LSOAs ``deciles`` names (codes of ``shapes``' index) as one inline SVG.

    Args:
        shapes: LSOA polygons in a projected CRS (metres), indexed by LSOA code.
        deciles: LSOA code → national IMD decile (None: not known, drawn grey).
        names: LSOA code → name shown in its title.
        title: Accessible name of the map.
        simplify_m: Tolerance of the simplification, in metres.

    Returns:
        ``<svg …>…</svg>``, or ``""`` when none of the LSOAs has a polygon.

    """
    codes = [c for c in deciles if c in shapes.index]
    if not codes:
        return ""
    geoms = shapely.simplify(shapes.loc[codes].to_numpy(), simplify_m, preserve_topology=True)
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    dx, dy = max(maxx - minx, 1.0), max(maxy - miny, 1.0)
    scale = min(WIDTH / dx, 1.2 * WIDTH / dy)
    paths = []
    for code, geom in zip(codes, geoms, strict=True):
        d = []
        for ring in _rings(geom):
            xs = (ring[:, 0] - minx) * scale
            ys = (maxy - ring[:, 1]) * scale
            d.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in zip(xs, ys, strict=True)) + "Z")
        decile = deciles[code]
        fill = DECILE_COLOURS[decile - 1] if decile else "#bdbdbd"
        label = f"{names.get(code, code)}: " + (
            f"national IMD decile {decile}" if decile else "decile not known"
        )
        paths.append(
            f'<path d="{"".join(d)}" fill="{fill}" fill-rule="evenodd" stroke="#ffffff" '
            f'stroke-width="0.8"><title>{escape(label)}</title></path>'
        )
    w, h = max(round(dx * scale), 40), max(round(dy * scale), 40)
    return (
        f'<svg class="profile-map" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        + "".join(paths)
        + "</svg>"
    )


__all__ = ["WIDTH", "area_map_svg"]
