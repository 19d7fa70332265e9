"""A QGIS project (.qgz) of every GeoPackage layer, written without QGIS.

A ``.qgz`` is a zip holding one ``.qgs`` XML file. The project lists every feature layer
of the GeoPackages it is given, with **relative** paths (so the folder can be copied or
downloaded as a whole), the default style each GeoPackage carries in ``layer_styles``
(the same QML, so project and file never disagree), grouped by tier with one layer per
release (latest first), and opens on the authority's extent (the LSOA layers' extent).
Ids, order and zip entry dates are fixed: two builds give byte-identical files.
"""

from __future__ import annotations

import io
import logging
import os
import sqlite3
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from pyproj import CRS

from geo.core.io import atomic_path
from geo.model.tiers import TierRegistry
from geo.presentation.gis.gpkg import feature_layers, tier_title
from geo.presentation.gis.styles import QGIS_VERSION

logger = logging.getLogger(__name__)

ZIP_DATE: Final = (1980, 1, 1, 0, 0, 0)
"""Date of every zip entry (the earliest a zip can hold), for byte-identical archives."""


@dataclass(frozen=True)
class ProjectLayer:
    """One layer of the project."""

    group: str
    layer_id: str
    name: str
    source: str
    qml: str
    extent: tuple[float, ...]


def _release(layer: str) -> str:
    return f"IoD{layer[3:]}" if layer.startswith("imd") and layer[3:].isdigit() else layer


def project_layers(
    gpkgs: Mapping[str, Path | str],
    *,
    relative_to: Path | str,
    sources: Mapping[str, str] | None = None,
    tiers: TierRegistry | None = None,
) -> list[ProjectLayer]:
    """Every feature layer of ``gpkgs`` (name → path), newest release first in each group.

    Paths are written relative to ``relative_to`` (the folder the project file sits in),
    or as ``sources`` gives them (name → relative path, for a copy laid out differently).
    """
    out = []
    for name, path in gpkgs.items():
        source = (sources or {}).get(name) or Path(
            os.path.relpath(Path(path), Path(relative_to))
        ).as_posix()
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as con:
            qml = dict(con.execute(
                "SELECT f_table_name, styleQML FROM layer_styles WHERE useAsDefault = 1"
            ).fetchall())  # fmt: skip
            layers = feature_layers(con)
        releases = sorted((lyr for lyr in layers if lyr[0].startswith("imd")), reverse=True)
        others = [lyr for lyr in layers if not lyr[0].startswith("imd")]
        for layer, _, extent in [*releases, *others]:
            if layer not in qml:
                msg = f"{path}: layer {layer} has no default style in layer_styles"
                raise ValueError(msg)
            out.append(ProjectLayer(group=tier_title(name, tiers), layer_id=f"{name}_{layer}",
                                    name=f"{tier_title(name, tiers)} {_release(layer)}",
                                    source=f"./{source}|layername={layer}", qml=qml[layer],
                                    extent=extent))  # fmt: skip
    return out


def _srs(parent: ET.Element, crs: CRS) -> None:
    srs = ET.SubElement(parent, "spatialrefsys", nativeFormat="Wkt")
    ET.SubElement(srs, "wkt").text = crs.to_wkt()
    ET.SubElement(srs, "srid").text = str(crs.to_epsg())
    ET.SubElement(srs, "authid").text = f"EPSG:{crs.to_epsg()}"
    ET.SubElement(srs, "description").text = crs.name
    ET.SubElement(srs, "projectionacronym").text = "tmerc"
    ET.SubElement(srs, "ellipsoidacronym").text = "EPSG:7001"
    ET.SubElement(srs, "geographicflag").text = "false"


def _extent(parent: ET.Element, tag: str, box: Sequence[float]) -> ET.Element:
    el = ET.SubElement(parent, tag)
    for key, value in zip(("xmin", "ymin", "xmax", "ymax"), box, strict=True):
        ET.SubElement(el, key).text = f"{value:.1f}"
    return el


def project_xml(
    layers: Sequence[ProjectLayer], *, title: str, extent: Sequence[float], visible: Sequence[str]
) -> str:
    """Return the ``.qgs`` XML of ``layers``; ``visible`` names the layers shown on opening."""
    crs = CRS.from_epsg(27700)
    root = ET.Element("qgis", projectname=title, version=QGIS_VERSION)
    ET.SubElement(root, "homePath", path="")
    ET.SubElement(root, "title").text = title
    _srs(ET.SubElement(root, "projectCrs"), crs)
    tree = ET.SubElement(root, "layer-tree-group")
    ET.SubElement(tree, "customproperties")
    groups: dict[str, ET.Element] = {}
    for lyr in layers:
        if lyr.group not in groups:
            groups[lyr.group] = ET.SubElement(tree, "layer-tree-group", name=lyr.group,
                                              checked="Qt::Checked", expanded="0")  # fmt: skip
        shown = "Qt::Checked" if lyr.layer_id in visible else "Qt::Unchecked"
        ET.SubElement(groups[lyr.group], "layer-tree-layer", id=lyr.layer_id, name=lyr.name,
                      source=lyr.source, providerKey="ogr", checked=shown, expanded="0")  # fmt: skip
    canvas = ET.SubElement(root, "mapcanvas", name="theMapCanvas", annotationsVisible="1")
    ET.SubElement(canvas, "units").text = "meters"
    _extent(canvas, "extent", extent)
    ET.SubElement(canvas, "rotation").text = "0"
    _srs(ET.SubElement(canvas, "destinationsrs"), crs)
    view = ET.SubElement(root, "ProjectViewSettings", UseProjectScales="0", rotation="0")
    ET.SubElement(view, "Scales")
    box = ET.SubElement(view, "DefaultViewExtent", xmin=f"{extent[0]:.1f}",
                        ymin=f"{extent[1]:.1f}", xmax=f"{extent[2]:.1f}", ymax=f"{extent[3]:.1f}")  # fmt: skip
    _srs(box, crs)
    maplayers = ET.SubElement(root, "projectlayers")
    for lyr in layers:
        ml = ET.SubElement(maplayers, "maplayer", type="vector", geometry="Polygon",
                           wkbType="MultiPolygon", styleCategories="AllStyleCategories",
                           labelsEnabled="0")  # fmt: skip
        _extent(ml, "extent", lyr.extent)
        ET.SubElement(ml, "id").text = lyr.layer_id
        ET.SubElement(ml, "datasource").text = lyr.source
        ET.SubElement(ml, "layername").text = lyr.name
        _srs(ET.SubElement(ml, "srs"), crs)
        ET.SubElement(ml, "provider", encoding="UTF-8").text = "ogr"
        style = ET.fromstring(lyr.qml.split("\n", 1)[1])
        ml.set("labelsEnabled", style.get("labelsEnabled", "0"))
        for child in style:
            if child.tag != "layerGeometryType":
                ml.append(child)
    order = ET.SubElement(root, "layerorder")
    for lyr in layers:
        ET.SubElement(order, "layer", id=lyr.layer_id)
    props = ET.SubElement(root, "properties")
    paths = ET.SubElement(props, "Paths")
    ET.SubElement(paths, "Absolute", type="bool").text = "false"
    srs = ET.SubElement(props, "SpatialRefSys")
    ET.SubElement(srs, "ProjectionsEnabled", type="int").text = "1"
    ET.SubElement(srs, "ProjectCrs", type="QString").text = f"EPSG:{crs.to_epsg()}"
    body = ET.tostring(root, encoding="unicode")
    return f"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n{body}\n"


def zip_bytes(entries: Mapping[str, bytes]) -> bytes:
    """Zip ``entries`` (name → bytes) deflated, in the given order, every date fixed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def write_qgis_project(
    gpkgs: Mapping[str, Path | str],
    path: Path | str,
    *,
    title: str,
    sources: Mapping[str, str] | None = None,
    extent_from: str = "lsoa_imd",
    tiers: TierRegistry | None = None,
) -> list[ProjectLayer]:
    """Write a ``.qgz`` of every layer of ``gpkgs`` (name → path, top group first) to ``path``.

    Layer paths are relative to ``path``'s folder, or as ``sources`` gives them.

    The project opens on the extent of GeoPackage ``extent_from`` (the authority's LSOAs)
    with its newest layer shown.
    """
    path = Path(path)
    layers = project_layers(gpkgs, relative_to=path.parent, sources=sources, tiers=tiers)
    base = [lyr for lyr in layers if lyr.layer_id.startswith(f"{extent_from}_")] or layers
    boxes = [lyr.extent for lyr in base]
    extent = (min(b[0] for b in boxes), min(b[1] for b in boxes),
              max(b[2] for b in boxes), max(b[3] for b in boxes))  # fmt: skip
    xml = project_xml(layers, title=title, extent=extent, visible=[base[0].layer_id])
    with atomic_path(path) as tmp:
        tmp.write_bytes(zip_bytes({f"{path.stem}.qgs": xml.encode("utf-8")}))
    logger.info("Wrote %s (%d layers in %d groups)", path, len(layers),
                len({lyr.group for lyr in layers}))  # fmt: skip
    return layers
