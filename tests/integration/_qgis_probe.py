"""Probe the built GeoPackages and QGIS projects in real QGIS; print what it sees as JSON.

Run with the system Python that has python3-qgis (not the venv), headless:

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 _qgis_probe.py <repo> <render_dir>

For every layer of data/processed/lsoa_imd.gpkg and data/processed/tiers/*.gpkg: whether
it is valid, its renderer (type, attribute, classes and their colours), labelling, field
aliases and metadata as QGIS loaded them from the file's default style and metadata. Each
GeoPackage's newest release is rendered to <render_dir>/<name>.png. Both project files
(data/processed/deprivation.qgz, site/downloads/deprivation.qgz) are read: their layers,
validity, groups, styles and default view extent. The test asserts on the JSON.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor


def renderer_facts(layer: QgsVectorLayer) -> dict[str, object]:
    r = layer.renderer()
    kind = r.type()
    facts: dict[str, object] = {"type": kind}
    if kind == "categorizedSymbol":
        facts["attr"] = r.classAttribute()
        facts["classes"] = [
            {"value": str(c.value()), "label": c.label(), "colour": c.symbol().color().name()}
            for c in r.categories()
        ]
    elif kind == "graduatedSymbol":
        facts["attr"] = r.classAttribute()
        facts["classes"] = [
            {"lower": g.lowerValue(), "upper": g.upperValue(), "label": g.label(),
             "colour": g.symbol().color().name()}
            for g in r.ranges()
        ]  # fmt: skip
    else:
        facts["classes"] = [{"colour": r.symbol().color().name()}]
    return facts


def layer_facts(layer: QgsVectorLayer) -> dict[str, object]:
    fields = layer.fields()
    meta = layer.metadata()
    labeling = layer.labeling()
    box = layer.extent()
    return {
        "valid": layer.isValid(),
        "features": layer.featureCount(),
        "renderer": renderer_facts(layer) if layer.isValid() else None,
        "labels": layer.labelsEnabled(),
        "label_field": labeling.settings().fieldName if labeling is not None else None,
        "fields": [fields[i].name() for i in range(fields.count())],
        "aliases": {fields[i].name(): layer.attributeDisplayName(i) for i in range(fields.count())},
        "metadata": {
            "title": meta.title(),
            "abstract": meta.abstract(),
            "licenses": list(meta.licenses()),
            "rights": list(meta.rights()),
            "history": list(meta.history()),
            "links": len(meta.links()),
            "keywords": {k: list(v) for k, v in meta.keywords().items()},
        },
        "extent": [box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum()],
    }


def render(layer: QgsVectorLayer, path: Path, size: int = 800) -> None:
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    extent = QgsRectangle(layer.extent())
    extent.scale(1.05)
    settings.setExtent(extent)
    settings.setOutputSize(QSize(size, size))
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setFlag(Qgis.MapSettingsFlag.DrawLabeling, True)
    settings.setFlag(Qgis.MapSettingsFlag.Antialiasing, True)
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    job.renderedImage().save(str(path), "PNG")


def project_facts(path: Path) -> dict[str, object]:
    project = QgsProject.instance()
    project.clear()
    ok = project.read(str(path))
    layers = {}
    for layer_id, layer in project.mapLayers().items():
        layers[layer_id] = {
            "valid": layer.isValid(),
            "source": layer.source(),
            "renderer": renderer_facts(layer) if layer.isValid() else None,
            "labels": layer.labelsEnabled(),
        }
    root = project.layerTreeRoot()
    groups = {g.name(): [child.layerId() for child in g.findLayers()] for g in root.findGroups()}
    view = project.viewSettings().defaultViewExtent()
    return {
        "read": ok,
        "absolute_paths": project.readBoolEntry("Paths", "/Absolute", True)[0],
        "layers": layers,
        "groups": groups,
        "visible": [lyr.id() for lyr in root.checkedLayers()],
        "view_extent": [view.xMinimum(), view.yMinimum(), view.xMaximum(), view.yMaximum()],
        "crs": project.crs().authid(),
    }


def main(repo: Path, renders: Path) -> dict[str, object]:
    renders.mkdir(parents=True, exist_ok=True)
    processed = repo / "data" / "processed"
    gpkgs = [processed / "lsoa_imd.gpkg", *sorted((processed / "tiers").glob("*.gpkg"))]
    out: dict[str, object] = {"qgis": Qgis.QGIS_VERSION, "gpkgs": {}, "renders": {}}
    for gpkg in gpkgs:
        with closing(sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)) as con:
            names = [r[0] for r in con.execute(
                "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY 1")]  # fmt: skip
        facts = {}
        for name in names:
            layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
            facts[name] = layer_facts(layer)
        out["gpkgs"][gpkg.stem] = facts  # type: ignore[index]
        newest = max((n for n in names if n.startswith("imd")), default=names[0])
        layer = QgsVectorLayer(f"{gpkg}|layername={newest}", newest, "ogr")
        target = renders / f"{gpkg.stem}.png"
        render(layer, target)
        out["renders"][gpkg.stem] = {"layer": newest, "png": str(target)}  # type: ignore[index]
    out["projects"] = {
        str(p.relative_to(repo)): project_facts(p)
        for p in (processed / "deprivation.qgz", repo / "site" / "downloads" / "deprivation.qgz")
    }
    return out


if __name__ == "__main__":
    app = QgsApplication([], False)
    app.initQgis()
    try:
        result = main(Path(sys.argv[1]), Path(sys.argv[2]))
    finally:
        QgsProject.instance().clear()
    print("QGIS-PROBE-JSON " + json.dumps(result))
    app.exitQgis()
