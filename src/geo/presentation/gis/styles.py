"""Default QGIS styles of the GeoPackage layers, as QML (QGIS) and SLD (other GIS).

A layer's style follows from its columns, never from a list of tiers:

* a layer with ``imd_decile`` (the LSOA layers) is **categorised** by national IMD decile,
  ten fixed classes in the site's viridis colours, each labelled as on the site;
* a layer with ``imd_average_score`` (every tier) is **graduated** by average IMD score,
  classed with mapclassify over the layer's values (the site's scheme and number of
  classes), in the site's sequential colours, and labelled with ``area_name``;
* any other layer (the wards' best-fit LSOA sets) gets a **single** outline symbol.

Outlines are drawn in a contrasting colour at a width readable at the authority's scale.
"""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import pandas as pd

from geo.model.dictionary import title_of
from geo.model.tiers import TierRegistry
from geo.presentation.site.classify import classify
from geo.presentation.site.legends import (
    DECILE_COLOURS,
    DECILE_LABELS,
    class_labels,
    sequential_colours,
)

QGIS_VERSION: Final = "3.22.16-Białowieża"
"""QGIS version the QML and project files declare (the oldest LTR they are tested with)."""

DECILE_FIELD: Final = "imd_decile"
SCORE_FIELD: Final = "imd_average_score"
LABEL_FIELD: Final = "area_name"
SCORE_DECIMALS: Final = 2

CATEGORISED: Final = "categorizedSymbol"
GRADUATED: Final = "graduatedSymbol"
SINGLE: Final = "singleSymbol"


@dataclass(frozen=True)
class StyleClass:
    """One class of a style: its colour and label, and its value or value range."""

    colour: str
    label: str
    value: str | None = None
    lower: float | None = None
    upper: float | None = None


@dataclass(frozen=True)
class LayerStyle:
    """The default style of one layer."""

    layer: str
    renderer: str
    field: str | None
    classes: tuple[StyleClass, ...]
    outline: str
    outline_width_mm: float
    label_field: str | None = None
    aliases: Mapping[str, str] = dataclasses.field(default_factory=dict)

    @property
    def name(self) -> str:
        """Name of the style in ``layer_styles``."""
        return f"{self.layer} default"

    @property
    def description(self) -> str:
        """One line saying what the style shows."""
        if self.renderer == CATEGORISED:
            return f"National IMD deciles ({len(self.classes)} classes, viridis)"
        if self.renderer == GRADUATED:
            return f"Average IMD score in {len(self.classes)} classes (mapclassify)"
        return "Outline"


def _vintage(frame: pd.DataFrame, layer: str) -> int:
    if "vintage" in frame and frame["vintage"].notna().any():
        return int(frame["vintage"].dropna().iloc[0])
    digits = re.findall(r"\d{4}", layer)
    return int(digits[0]) if digits else 0


def style_for(
    frame: pd.DataFrame, layer: str, *, scheme: str, k: int, tiers: TierRegistry | None = None
) -> LayerStyle:
    """Choose the default style of ``layer`` (its attribute table ``frame``).

    Args:
        frame: The layer's attributes (geometry may be present; it is ignored).
        layer: Layer name.
        scheme: mapclassify scheme of graduated layers (config ``site.classification``).
        k: Number of classes of graduated layers.
        tiers: The authority's tiers (aliases of its tier columns).

    """
    aliases = {c: title_of(c, tiers) for c in frame.columns if c != "geometry"}
    labels = LABEL_FIELD if LABEL_FIELD in frame and DECILE_FIELD not in frame else None
    if DECILE_FIELD in frame:
        classes = tuple(
            StyleClass(colour=c, label=lbl, value=str(d))
            for d, (c, lbl) in enumerate(zip(DECILE_COLOURS, DECILE_LABELS, strict=True), 1)
        )
        return LayerStyle(layer, CATEGORISED, DECILE_FIELD, classes, "#ffffff", 0.15,
                          labels, aliases)  # fmt: skip
    values = (
        pd.to_numeric(frame[SCORE_FIELD], errors="coerce").dropna()
        if SCORE_FIELD in frame
        else pd.Series(dtype=float)
    )
    if values.empty:
        single = (StyleClass(colour="#fdfdfd", label=title_of(layer, tiers)),)
        return LayerStyle(layer, SINGLE, None, single, "#3a3a3a", 0.5, labels, aliases)
    found = classify(values, layer=layer, field=SCORE_FIELD, vintage=_vintage(frame, layer),
                     scheme=scheme, k=k, decimals=SCORE_DECIMALS)  # fmt: skip
    n = len(found.bins)
    # one area (the city) gets a middle tone: a single class says nothing about deprivation
    colours = sequential_colours(n) if n >= 2 else sequential_colours(5)[2:3]
    texts = class_labels(found.bins, minimum=found.minimum, decimals=SCORE_DECIMALS)
    # the breaks are rounded to the published precision; the outer bounds must still hold
    # the unrounded extremes, or QGIS leaves the lowest or highest area undrawn
    lowers = [min(found.minimum, float(values.min())), *found.bins[:-1]]
    uppers = [*found.bins[:-1], max(found.bins[-1], float(values.max()))]
    classes = tuple(
        StyleClass(colour=c, label=t, lower=lo, upper=hi)
        for c, t, lo, hi in zip(colours, texts, lowers, uppers, strict=True)
    )
    return LayerStyle(layer, GRADUATED, SCORE_FIELD, classes, "#3a3a3a", 0.4, labels, aliases)


# -- QML ---------------------------------------------------------------------------------


def _rgba(hex_colour: str, alpha: int = 255) -> str:
    h = hex_colour.lstrip("#")
    return ",".join(str(int(h[i : i + 2], 16)) for i in (0, 2, 4)) + f",{alpha}"


def _options(parent: ET.Element, values: Mapping[str, str]) -> None:
    box = ET.SubElement(parent, "Option", type="Map")
    for key, value in values.items():
        ET.SubElement(box, "Option", name=key, type="QString", value=value)


def _fill_symbol(parent: ET.Element, name: str, colour: str, style: LayerStyle) -> None:
    symbol = ET.SubElement(parent, "symbol", type="fill", name=name, alpha="1",
                           clip_to_extent="1", force_rhr="0")  # fmt: skip
    layer = ET.SubElement(symbol, "layer", {"class": "SimpleFill", "enabled": "1",
                                            "pass": "0", "locked": "0"})  # fmt: skip
    _options(layer, {
        "border_width_map_unit_scale": "3x:0,0,0,0,0,0",
        "color": _rgba(colour, 255 if style.renderer != SINGLE else 0),
        "joinstyle": "bevel",
        "offset": "0,0",
        "offset_map_unit_scale": "3x:0,0,0,0,0,0",
        "offset_unit": "MM",
        "outline_color": _rgba(style.outline),
        "outline_style": "solid",
        "outline_width": f"{style.outline_width_mm:g}",
        "outline_width_unit": "MM",
        "style": "solid" if style.renderer != SINGLE else "no",
    })  # fmt: skip


def _renderer(root: ET.Element, style: LayerStyle) -> None:
    attrs = {"type": style.renderer, "symbollevels": "0", "forceraster": "0",
             "enableorderby": "0", "referencescale": "-1"}  # fmt: skip
    if style.field:
        attrs["attr"] = style.field
    if style.renderer == GRADUATED:
        attrs["graduatedMethod"] = "GraduatedColor"
    renderer = ET.SubElement(root, "renderer-v2", attrs)
    if style.renderer == CATEGORISED:
        box = ET.SubElement(renderer, "categories")
        for i, c in enumerate(style.classes):
            ET.SubElement(box, "category", render="true", symbol=str(i), value=str(c.value),
                          label=c.label, type="integer")  # fmt: skip
    elif style.renderer == GRADUATED:
        box = ET.SubElement(renderer, "ranges")
        for i, c in enumerate(style.classes):
            ET.SubElement(box, "range", render="true", symbol=str(i), lower=repr(c.lower),
                          upper=repr(c.upper), label=c.label)  # fmt: skip
    symbols = ET.SubElement(renderer, "symbols")
    for i, c in enumerate(style.classes):
        _fill_symbol(symbols, str(i), c.colour, style)


def _labeling(root: ET.Element, field_name: str) -> None:
    labeling = ET.SubElement(root, "labeling", type="simple")
    settings = ET.SubElement(labeling, "settings", calloutType="simple")
    text = ET.SubElement(settings, "text-style", {
        "fieldName": field_name, "isExpression": "0", "fontFamily": "Sans Serif",
        "namedStyle": "Regular", "fontSize": "8", "fontSizeUnit": "Point", "fontWeight": "50",
        "fontItalic": "0", "textColor": "30,30,30,255", "textOpacity": "1",
        "multilineHeight": "1", "capitalization": "0", "allowHtml": "0",
    })  # fmt: skip
    ET.SubElement(text, "text-buffer", bufferDraw="1", bufferSize="0.8", bufferSizeUnits="MM",
                  bufferColor="255,255,255,255", bufferOpacity="0.85", bufferJoinStyle="128",
                  bufferNoFill="1")  # fmt: skip
    ET.SubElement(settings, "text-format", wrapChar="", autoWrapLength="16",
                  useMaxLineLengthForAutoWrap="1", multilineAlign="3")  # fmt: skip
    ET.SubElement(settings, "placement", placement="1", centroidInside="1", centroidWhole="0",
                  fitInPolygonOnly="0", priority="5", overlapHandling="PreventOverlap")  # fmt: skip
    ET.SubElement(settings, "rendering", obstacle="1", scaleVisibility="0", fontLimitPixelSize="0",
                  displayAll="0", upsidedownLabels="0", labelPerPart="0", mergeLines="0")  # fmt: skip


def qml_element(style: LayerStyle) -> ET.Element:
    """Return the ``<qgis>`` element of ``style`` (the root of its QML)."""
    root = ET.Element("qgis", version=QGIS_VERSION,
                      styleCategories="Symbology|Labeling|Fields",
                      labelsEnabled="1" if style.label_field else "0")  # fmt: skip
    _renderer(root, style)
    if style.label_field:
        _labeling(root, style.label_field)
    aliases = ET.SubElement(root, "aliases")
    for i, (column, alias) in enumerate(style.aliases.items()):
        ET.SubElement(aliases, "alias", field=column, index=str(i), name=alias)
    ET.SubElement(root, "layerGeometryType").text = "2"
    return root


def to_qml(style: LayerStyle) -> str:
    """Return ``style`` as a QML document (what QGIS's "Save style" writes)."""
    body = ET.tostring(qml_element(style), encoding="unicode")
    return f"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n{body}\n"


# -- SLD ---------------------------------------------------------------------------------

_SLD: Final = "http://www.opengis.net/sld"
_SE: Final = "http://www.opengis.net/se"
_OGC: Final = "http://www.opengis.net/ogc"


def _se(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{_SE}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def _ogc(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, f"{{{_OGC}}}{tag}")
    if text is not None:
        el.text = text
    return el


def _comparison(parent: ET.Element, op: str, field_name: str, value: str) -> None:
    cmp = _ogc(parent, op)
    _ogc(cmp, "PropertyName", field_name)
    _ogc(cmp, "Literal", value)


def _sld_filter(rule: ET.Element, style: LayerStyle, i: int, c: StyleClass) -> None:
    if style.field is None:
        return
    filt = _ogc(rule, "Filter")
    if c.value is not None:
        _comparison(filt, "PropertyIsEqualTo", style.field, c.value)
        return
    both = _ogc(filt, "And")
    first = "PropertyIsGreaterThanOrEqualTo" if i == 0 else "PropertyIsGreaterThan"
    _comparison(both, first, style.field, repr(c.lower))
    _comparison(both, "PropertyIsLessThanOrEqualTo", style.field, repr(c.upper))


def to_sld(style: LayerStyle) -> str:
    """Return ``style`` as an SLD 1.1 document (fills, outlines, labels)."""
    ET.register_namespace("", _SLD)
    ET.register_namespace("se", _SE)
    ET.register_namespace("ogc", _OGC)
    root = ET.Element(f"{{{_SLD}}}StyledLayerDescriptor", version="1.1.0")
    named = ET.SubElement(root, f"{{{_SLD}}}NamedLayer")
    _se(named, "Name", style.layer)
    user = ET.SubElement(named, f"{{{_SLD}}}UserStyle")
    _se(user, "Name", style.name)
    fts = _se(user, "FeatureTypeStyle")
    for i, c in enumerate(style.classes):
        rule = _se(fts, "Rule")
        _se(rule, "Name", c.label)
        _se(_se(rule, "Description"), "Title", c.label)
        _sld_filter(rule, style, i, c)
        polygon = _se(rule, "PolygonSymbolizer")
        if style.renderer != SINGLE:
            _se(_se(polygon, "Fill"), "SvgParameter", c.colour, name="fill")
        stroke = _se(polygon, "Stroke")
        _se(stroke, "SvgParameter", style.outline, name="stroke")
        _se(stroke, "SvgParameter", f"{style.outline_width_mm * 3.78:.2f}", name="stroke-width")
    if style.label_field:
        rule = _se(fts, "Rule")
        text = _se(rule, "TextSymbolizer")
        label = _se(text, "Label")
        _ogc(label, "PropertyName", style.label_field)
        font = _se(text, "Font")
        _se(font, "SvgParameter", "Sans Serif", name="font-family")
        _se(font, "SvgParameter", "11", name="font-size")
        halo = _se(text, "Halo")
        _se(halo, "Radius", "1")
        _se(_se(halo, "Fill"), "SvgParameter", "#ffffff", name="fill")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
