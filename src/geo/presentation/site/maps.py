"""Folium maps of the site: the map shell, deterministic element ids, the rendered parts.

Folium draws the map (Leaflet, its controls, the optional base tiles and the Draw plugin);
the layers themselves are drawn by ``GeoSite.mapPage`` in ``static/site.js`` from the page's
data file (:mod:`geo.presentation.site.pages`): one geometry per LSOA however many layers colour it, one
legend per layer shown only while its layer is, tooltips built from text nodes.

Folium gives every element a random id (``uuid``-like hex); :func:`deterministic_ids`
replaces them by a counter in tree order, so two builds of a page are byte-identical.
:func:`render_parts` renders the Figure's header, body and script separately for the site's
own page template (which adds ``<html lang>``, ``<title>``, headings and the text
alternatives), and drops Folium's viewport tag, which disables zooming (an axe-core
``meta-viewport`` violation); the page template sets its own.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import folium
import folium.plugins
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from geo.presentation.site.assets import TileOptions, localise
from geo.presentation.site.legends import DRAW_LINE, HALO

logger = logging.getLogger(__name__)

UNUSED_ASSETS: Final[dict[str, str]] = {
    "jquery": "no script of the site or of Leaflet uses jQuery",
    "bootstrap": "Bootstrap's JavaScript drives no component of the site",
    "awesome_markers": "the maps draw no markers",
    "glyphicons_css": "the maps draw no markers",
    "awesome_markers_font_css": "Font Awesome icons are used only by markers",
    "awesome_markers_css": "the maps draw no markers",
    "awesome_rotate_css": "the maps draw no markers",
}
"""Assets ``folium.Map`` loads by default that the site's pages leave out, with the reason."""

DRAW_STYLE: Final[dict[str, Any]] = {
    "color": DRAW_LINE, "weight": 4, "opacity": 1, "fillColor": HALO, "fillOpacity": 0.3,
    "className": "geo-drawn",
}  # fmt: skip
"""Leaflet style of a drawn shape: a heavy dark line (with a white halo in the stylesheet)."""

_FOLIUM_VIEWPORT = re.compile(r"<meta\s+name=\"viewport\"[^>]*>", re.DOTALL)


class SiteLayers(MacroElement):
    """Calls ``GeoSite.mapPage(map, window.GEO_PAGE)``: the page's layers, legends, tooltips."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            GeoSite.mapPage({{ this._parent.get_name() }}, window.GEO_PAGE);
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "SiteLayers"


class DrawForm(MacroElement):
    """Calls ``GeoSite.drawPage(map, drawnItems)``: names, ward and notes per drawn feature."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            GeoSite.drawPage({{ this._parent.get_name() }}, {{ this.group.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, group: folium.FeatureGroup) -> None:
        super().__init__()
        self._name = "DrawForm"
        self.group = group


def site_map(
    bounds: Sequence[Sequence[float]], *, tiles: TileOptions, draw: bool = False
) -> folium.Map:
    """Make a Folium map fitted to ``bounds`` (``[[south, west], [north, east]]``) with site layers.

    Only Leaflet (and the Bootstrap stylesheet the pages share) is loaded: the libraries
    named in :data:`UNUSED_ASSETS` are dropped. Leaflet's own arrow-key panning is off:
    ``GeoSite.mapPage`` moves between areas with the arrow keys instead.
    With ``draw``, the Leaflet.draw toolbar (polygons and rectangles only) edits a feature
    group that the draw form names and exports.
    """
    (south, west), (north, east) = bounds
    m = folium.Map(
        location=[round((south + north) / 2, 5), round((west + east) / 2, 5)],
        zoom_start=11,
        tiles=tiles["tiles"],
        attr=tiles["attr"],
        control_scale=True,
        prefer_canvas=False,
        zoom_snap=0.25,
    )
    m.default_js = [(k, v) for k, v in m.default_js if k not in UNUSED_ASSETS]
    m.default_css = [(k, v) for k, v in m.default_css if k not in UNUSED_ASSETS]
    m.options["keyboard"] = False  # the page script gives the map its own arrow keys
    SiteLayers().add_to(m)
    if draw:
        group = folium.FeatureGroup(name="Drawn neighbourhoods", control=False)
        group.add_to(m)
        folium.plugins.Draw(
            feature_group=group,
            show_geometry_on_click=False,
            draw_options={
                "polyline": False, "circle": False, "marker": False, "circlemarker": False,
                "polygon": {"allowIntersection": False, "showArea": False, "shapeOptions": DRAW_STYLE},
                "rectangle": {"showArea": False, "shapeOptions": DRAW_STYLE},
            },
            edit_options={"poly": {"allowIntersection": False}},
        ).add_to(m)  # fmt: skip
        DrawForm(group).add_to(m)
    return m


def _elements(root: Element) -> list[Element]:
    """``root`` and every descendant (with a Figure's header, html and script), tree order."""
    out: list[Element] = []
    stack: list[Element] = [root]
    seen: set[int] = set()
    while stack:
        element = stack.pop()
        if id(element) in seen:
            continue
        seen.add(id(element))
        out.append(element)
        children = list(element._children.values())
        if isinstance(element, Figure):
            children = [element.header, element.html, element.script, *children]
        stack.extend(reversed(children))
    return out


def deterministic_ids(root: Element) -> int:
    """Replace the random id of ``root`` and every descendant by a counter; return the count.

    Children are re-keyed under their new names, so nothing random survives in the tree.
    """
    elements = _elements(root)
    old_names = {id(e): e.get_name() for e in elements}
    for i, element in enumerate(elements):
        element._id = f"{i:03d}"
    for element in elements:
        renamed: dict[str, Any] = {}
        for key, child in element._children.items():
            new_key = child.get_name() if key == old_names.get(id(child)) else key
            renamed[new_key] = child
        element._children.clear()
        element._children.update(renamed)
    return len(elements)


@dataclass(frozen=True)
class MapParts:
    """A rendered map, split for the page template."""

    header: str
    """``<head>`` content: the localised CSS and JS links and the map's styles."""
    html: str
    """The map's ``<div>``."""
    script: str
    """The map's script (creates the map, then calls the site's layer code)."""


def render_parts(m: folium.Map, *, assets_url: str) -> MapParts:
    """Localise, give deterministic ids and render a map's header, body and script.

    Args:
        m: The map (from :func:`site_map`).
        assets_url: Relative URL of the vendored assets seen from the page
            (``"assets/vendor"`` or ``"../assets/vendor"``).

    Raises:
        ValueError: Folium's viewport tag was not found (the Folium version changed how it
            writes it; see the module docstring).

    """
    figure = m.get_root()
    if not isinstance(figure, Figure):
        msg = "render_parts: the map is not in a Figure"
        raise TypeError(msg)
    localise(figure, assets_url=assets_url)
    deterministic_ids(figure)
    for child in figure._children.values():
        child.render()
    header = figure.header.render()
    header, found = _FOLIUM_VIEWPORT.subn("", header)
    if found != 1:
        msg = f"render_parts: expected Folium's one viewport <meta> in the header, found {found}"
        raise ValueError(msg)
    return MapParts(
        header=_tidy(header), html=_tidy(figure.html.render()), script=_tidy(figure.script.render())
    )


def _tidy(text: str) -> str:
    """Strip trailing spaces and blank lines from rendered Folium markup (smaller pages)."""
    lines = (line.rstrip() for line in text.splitlines())
    return "\n".join(line for line in lines if line) + "\n"
