"""The data file of a map page: geometry once, every layer as columns of class and values.

A page's data (``window.GEO_PAGE`` in ``<page>.data.js``) holds:

``geometries``
    Named feature sets (``lsoa11``, ``lsoa21``, ``ward``…), each with its coordinate
    ``decimals`` and features ``{g, n, k, l, w, s, u, c, r}``: encoded geometry
    (:func:`geo.presentation.site.geometry.encode_geometry`), name, code, local name, ward, share of the
    LSOA inside the area, link to the area's page, and per layer using the set its class
    (``c``, an index into the layer's legend) and tooltip values (``r``).
``layers`` / ``overlays``
    Base layers (one shown at a time) and overlays (switched on and off): ``id, label,
    geometry, col`` (position in ``c`` and ``r``), ``legend`` (index into ``legends``),
    ``fields`` (tooltip label and format of each value), ``show``, ``release`` and
    ``measure`` (the two groups of the layer switch); an overlay drawn as outlines has
    ``outline`` (its colour, drawn over a halo).
``palette``
    The line colours of :data:`geo.presentation.site.legends.PALETTE`.
``legends``
    :meth:`geo.presentation.site.legends.Legend.to_json` of each layer with a key.

:func:`to_script` serialises it as JavaScript with ``<``, ``>`` and ``&`` escaped, so no
name in the data can close the script or start markup.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd

from geo.presentation.site.geometry import bounds, encode_geometry
from geo.presentation.site.legends import FILL_OPACITY, HALO_EXTRA, PALETTE, Legend

ATTRIBUTION = "&copy; Crown copyright (OS, ONS); IoD &copy; MHCLG; OGL v3.0"
"""Leaflet attribution of the data layers (fixed text, shown as HTML by Leaflet): short, so
it stays on one line of the map; the footer of every page gives it in full."""

Field = tuple[str, str]
"""Tooltip line: label and format (``int``, ``count`` (a whole count as an integer), ``num1``,
``num3``, ``pct``, ``decile``, ``change``, ``text``)."""


@dataclass
class _Set:
    decimals: int
    features: list[dict[str, Any]]


@dataclass
class MapData:
    """Builder of one page's map data."""

    title: str
    geometries: dict[str, _Set] = field(default_factory=dict)
    layers: list[dict[str, Any]] = field(default_factory=list)
    overlays: list[dict[str, Any]] = field(default_factory=list)
    legends: list[dict[str, object]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    _bounds: list[list[float]] | None = None

    def add_geometry(
        self,
        key: str,
        shapes: gpd.GeoSeries,
        properties: Sequence[dict[str, Any]],
        *,
        decimals: int,
        fit: bool = False,
    ) -> None:
        """Add a feature set: WGS84 ``shapes`` in order, with their static ``properties``.

        ``fit`` makes the map open on this set's extent.
        """
        if key in self.geometries:
            msg = f"map data {self.title!r}: geometry set {key!r} added twice"
            raise ValueError(msg)
        if len(shapes) != len(properties):
            msg = (
                f"map data {self.title!r}: {len(shapes)} shapes but {len(properties)} property rows"
            )
            raise ValueError(msg)
        features = []
        for geom, props in zip(shapes.to_numpy(), properties, strict=True):
            feature = {k: v for k, v in props.items() if v is not None and v != ""}
            feature["g"] = encode_geometry(geom, decimals=decimals)
            features.append(feature)
        self.geometries[key] = _Set(decimals, features)
        if fit or self._bounds is None:
            self._bounds = bounds(shapes) if len(shapes) else self._bounds

    def size(self, key: str) -> int:
        """Return the number of features of a set."""
        return len(self.geometries[key].features)

    def _column(self, key: str, classes: Sequence[int | None], values: Sequence[Any] | None) -> int:
        features = self.geometries[key].features
        if len(classes) != len(features) or (values is not None and len(values) != len(features)):
            msg = f"map data {self.title!r}: layer on {key!r} has the wrong number of values"
            raise ValueError(msg)
        col = len(features[0].get("c", [])) if features else 0
        for i, feature in enumerate(features):
            feature.setdefault("c", []).append(classes[i])
            feature.setdefault("r", []).append(None if values is None else values[i])
        return col

    def _legend(self, legend: Legend | None) -> int | None:
        if legend is None:
            return None
        self.legends.append(legend.to_json())
        return len(self.legends) - 1

    def add_layer(
        self,
        layer_id: str,
        label: str,
        *,
        geometry: str,
        legend: Legend,
        classes: Sequence[int | None],
        values: Sequence[Sequence[Any] | None],
        fields: Sequence[Field],
        show: bool = False,
        order: tuple[int, ...] = (9,),
        release: str = "",
        measure: str = "",
        edge: str | None = None,
    ) -> None:
        """Add a base layer colouring ``geometry`` by ``classes`` (legend indices).

        The layer switch lists base layers by ``order``, then in the order added; it groups
        them by ``release`` (``"IoD2025"``), then ``measure`` (``"Income"``), when given,
        so a page offers one choice of release and one of measure instead of every pair.
        ``edge`` draws the polygons' edges in that colour (highlights on the bare map).
        """
        col = self._column(geometry, classes, values)
        self.layers.append({
            "id": layer_id, "label": label, "geometry": geometry, "col": col,
            "legend": self._legend(legend), "fields": [list(f) for f in fields], "show": show,
            "order": list(order), "release": release or label, "measure": measure or label,
            **({"edge": edge} if edge else {}),
        })  # fmt: skip

    def add_outline(
        self,
        layer_id: str,
        label: str,
        *,
        geometry: str,
        colour: str,
        legend: Legend | None,
        weight: float = 2,
        show: bool = False,
        interactive: bool = True,
    ) -> None:
        """Add an overlay drawing the outlines of ``geometry``."""
        self.overlays.append({
            "id": layer_id, "label": label, "geometry": geometry, "outline": colour,
            "weight": weight, "legend": self._legend(legend), "show": show,
            "interactive": interactive,
        })  # fmt: skip

    def shown_features(self) -> int:
        """Features drawn as interactive polygons when the page opens (for the tests)."""
        count = sum(self.size(spec["geometry"]) for spec in self.layers if spec["show"])
        count += sum(
            self.size(spec["geometry"])
            for spec in self.overlays
            if spec["show"] and spec["interactive"]
        )
        return count

    def to_json(self) -> dict[str, Any]:
        """Return the page data as ``window.GEO_PAGE`` holds it."""
        return {
            "title": self.title,
            "bounds": self._bounds,
            "attribution": ATTRIBUTION,
            "palette": {**PALETTE, "haloExtra": HALO_EXTRA, "fillOpacity": FILL_OPACITY},
            "features": self.shown_features(),
            "geometries": {
                key: {"decimals": s.decimals, "features": s.features}
                for key, s in self.geometries.items()
            },
            "layers": [
                {k: v for k, v in spec.items() if k != "order"}
                for spec in sorted(self.layers, key=lambda spec: spec["order"])
            ],
            "overlays": self.overlays,
            "legends": self.legends,
            **self.extra,
        }


def safe_json(value: object) -> str:
    """Compact JSON with ``<``, ``>``, ``&`` and line separators escaped (safe in HTML)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(raw, escaped)
    return text


def to_script(variable: str, value: object) -> str:
    """``window.<variable> = <json>;`` with :func:`safe_json`."""
    return f"window.{variable} = {safe_json(value)};\n"
