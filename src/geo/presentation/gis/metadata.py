"""Layer metadata as QGIS QMD XML (QGIS's ISO 19115-based layer metadata).

What a planner reads under Layer Properties → Metadata: title, abstract, the IoD release,
the population used, the licence and attribution (Open Government Licence v3.0) and the
provenance of every input (dataset, version, official URL, sha256 from
``data/registry.yaml``). Written without timestamps so that rebuilds are byte-identical.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from geo.inputs.registry import Dataset
from geo.presentation.gis.styles import QGIS_VERSION

QMD_URI: Final = "http://mrcc.com/qgis.dtd"
"""``md_standard_uri`` QGIS gives its layer metadata in a GeoPackage."""

LICENCE: Final = "Open Government Licence v3.0"
LICENCE_URL: Final = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
ATTRIBUTION: Final = (
    "Source: Office for National Statistics and the Ministry of Housing, Communities and "
    "Local Government, licensed under the Open Government Licence v.3.0. Contains OS data "
    "© Crown copyright and database right. Contains Royal Mail data © Royal Mail copyright "
    "and database right (postcodes)."
)
"""The attribution the README gives (OGL v3); mySociety's composite index is CC BY 4.0."""
OTHER_LICENCES: Final = "mySociety's composite UK index of multiple deprivation is CC BY 4.0."


@dataclass(frozen=True)
class LayerMetadata:
    """What the metadata of one layer says."""

    identifier: str
    title: str
    abstract: str
    vintage: int | None
    population_source: str
    extent: tuple[float, float, float, float]
    crs: str = "EPSG:27700"


def qmd_xml(meta: LayerMetadata, registry: Mapping[str, Dataset]) -> str:
    """Return the QMD document of ``meta``, with provenance from ``registry``."""
    root = ET.Element("qgis", version=QGIS_VERSION)
    ET.SubElement(root, "identifier").text = meta.identifier
    ET.SubElement(root, "parentidentifier").text = ""
    ET.SubElement(root, "language").text = "ENG"
    ET.SubElement(root, "type").text = "dataset"
    ET.SubElement(root, "title").text = meta.title
    ET.SubElement(root, "abstract").text = meta.abstract
    words = ET.SubElement(root, "keywords", vocabulary="gmd:topicCategory")
    ET.SubElement(words, "keyword").text = "society"
    words = ET.SubElement(root, "keywords", vocabulary="IoD release")
    ET.SubElement(words, "keyword").text = (
        f"IoD{meta.vintage}" if meta.vintage else "English Indices of Deprivation"
    )
    words = ET.SubElement(root, "keywords", vocabulary="population_source")
    ET.SubElement(words, "keyword").text = meta.population_source or "not applicable"
    links = ET.SubElement(root, "links")
    ET.SubElement(links, "link", name=LICENCE, type="WWW:LINK", url=LICENCE_URL,
                  description="Licence", format="", mimeType="text/html", size="")  # fmt: skip
    for name in sorted(registry):
        d = registry[name]
        ET.SubElement(links, "link", name=name, type="WWW:LINK", url=d.url or "",
                      description=f"{d.title}; {d.publisher}; version {d.version}; "
                                  f"licence {d.licence}; status {d.status}; sha256 {d.sha256}",
                      format="", mimeType="", size="")  # fmt: skip
    for line in _history(meta, registry):
        ET.SubElement(root, "history").text = line
    ET.SubElement(root, "fees").text = "None"
    ET.SubElement(root, "constraints", type="Licence").text = f"{LICENCE}: {LICENCE_URL}"
    ET.SubElement(root, "rights").text = ATTRIBUTION
    ET.SubElement(root, "license").text = LICENCE
    ET.SubElement(root, "license").text = OTHER_LICENCES
    ET.SubElement(root, "encoding").text = "UTF-8"
    srs = ET.SubElement(ET.SubElement(root, "crs"), "spatialrefsys")
    ET.SubElement(srs, "authid").text = meta.crs
    extent = ET.SubElement(root, "extent")
    x0, y0, x1, y1 = meta.extent
    ET.SubElement(extent, "spatial", crs=meta.crs, dimensions="2", minx=f"{x0:.1f}",
                  miny=f"{y0:.1f}", maxx=f"{x1:.1f}", maxy=f"{y1:.1f}", minz="0",
                  maxz="0")  # fmt: skip
    body = ET.tostring(root, encoding="unicode")
    return f"<!DOCTYPE qgis PUBLIC '{QMD_URI}' 'SYSTEM'>\n{body}\n"


def _history(meta: LayerMetadata, registry: Mapping[str, Dataset]) -> Sequence[str]:
    lines = []
    if meta.vintage:
        lines.append(
            f"IoD release: English Indices of Deprivation {meta.vintage} (IoD{meta.vintage})"
        )
    if meta.population_source:
        lines.append(f"population_source: {meta.population_source}")
    lines.append("Built by the deprivation geography pipeline from the inputs below.")
    for name in sorted(registry):
        d = registry[name]
        lines.append(f"Input {name} ({d.version}, {d.status}): sha256 {d.sha256}")
    return lines
