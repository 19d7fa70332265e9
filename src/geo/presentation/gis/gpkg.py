"""Make a written GeoPackage open in QGIS as the right map: style, field names, metadata.

:func:`package_gpkg` adds to every feature layer of a GeoPackage:

* a default QGIS style in ``layer_styles`` (QML in ``styleQML``, SLD in ``styleSLD``,
  ``useAsDefault = 1``), the table QGIS reads a layer's default style from
  (:mod:`geo.presentation.gis.styles`);
* a title and description of every documented column in ``gpkg_data_columns`` (the
  GeoPackage schema extension), from :mod:`geo.model.dictionary`; GDAL and QGIS show the
  name as the field alias;
* layer metadata (QMD XML) in ``gpkg_metadata`` / ``gpkg_metadata_reference`` (the
  metadata extension), plus the title and abstract in ``gpkg_contents``;

and registers both extensions in ``gpkg_extensions``. Every timestamp is
:data:`geo.core.io.FIXED_TIMESTAMP` and every row is written in a fixed order, so two
builds give byte-identical files. :func:`gpkg_finisher` returns it as the ``finish`` hook
of :func:`geo.core.io.write_gpkg`, which runs it before the file is renamed into place.
"""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
from collections.abc import Callable, Mapping
from contextlib import closing
from pathlib import Path
from typing import Any, Final

import pandas as pd
import pyogrio

from geo.core.io import FIXED_TIMESTAMP
from geo.inputs.registry import Dataset, load_registry
from geo.model.dictionary import describe, description_of, title_of
from geo.model.tiers import Build, TierRegistry, core_registry, tier_registry
from geo.presentation.gis.metadata import QMD_URI, LayerMetadata, qmd_xml
from geo.presentation.gis.styles import LayerStyle, style_for, to_qml, to_sld

logger = logging.getLogger(__name__)

SCHEMA_EXTENSION: Final = "http://www.geopackage.org/spec120/#extension_schema"
METADATA_EXTENSION: Final = "http://www.geopackage.org/spec120/#extension_metadata"

_DDL: Final = (
    'CREATE TABLE IF NOT EXISTS "layer_styles" ("id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, '
    '"f_table_catalog" TEXT(256), "f_table_schema" TEXT(256), "f_table_name" TEXT(256), '
    '"f_geometry_column" TEXT(256), "styleName" TEXT(30), "styleQML" TEXT, "styleSLD" TEXT, '
    '"useAsDefault" BOOLEAN, "description" TEXT, "owner" TEXT(30), "ui" TEXT(30), '
    '"update_time" DATETIME)',
    "CREATE TABLE IF NOT EXISTS gpkg_data_columns (table_name TEXT NOT NULL, "
    "column_name TEXT NOT NULL, name TEXT, title TEXT, description TEXT, mime_type TEXT, "
    "constraint_name TEXT, CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name), "
    "CONSTRAINT gdc_tn UNIQUE (table_name, name))",
    "CREATE TABLE IF NOT EXISTS gpkg_data_column_constraints (constraint_name TEXT NOT NULL, "
    "constraint_type TEXT NOT NULL, value TEXT, min NUMERIC, min_is_inclusive BOOLEAN, "
    "max NUMERIC, max_is_inclusive BOOLEAN, description TEXT, "
    "CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value))",
    "CREATE TABLE IF NOT EXISTS gpkg_metadata (id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC "
    "NOT NULL, md_scope TEXT NOT NULL DEFAULT 'dataset', md_standard_uri TEXT NOT NULL, "
    "mime_type TEXT NOT NULL DEFAULT 'text/xml', metadata TEXT NOT NULL DEFAULT '')",
    "CREATE TABLE IF NOT EXISTS gpkg_metadata_reference (reference_scope TEXT NOT NULL, "
    "table_name TEXT, column_name TEXT, row_id_value INTEGER, timestamp DATETIME NOT NULL "
    "DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), md_file_id INTEGER NOT NULL, "
    "md_parent_id INTEGER, CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) REFERENCES "
    "gpkg_metadata(id), CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) REFERENCES "
    "gpkg_metadata(id))",
)

_EXTENSIONS: Final = (
    ("gpkg_data_columns", "gpkg_schema", SCHEMA_EXTENSION),
    ("gpkg_data_column_constraints", "gpkg_schema", SCHEMA_EXTENSION),
    ("gpkg_metadata", "gpkg_metadata", METADATA_EXTENSION),
    ("gpkg_metadata_reference", "gpkg_metadata", METADATA_EXTENSION),
)


def feature_layers(con: sqlite3.Connection) -> list[tuple[str, str, tuple[float, ...]]]:
    """Feature tables of an open GeoPackage: name, geometry column, extent (contents order)."""
    rows = con.execute(
        "SELECT c.table_name, g.column_name, c.min_x, c.min_y, c.max_x, c.max_y "
        "FROM gpkg_contents c JOIN gpkg_geometry_columns g USING (table_name) "
        "WHERE c.data_type = 'features' ORDER BY c.rowid"
    ).fetchall()
    return [(r[0], r[1], tuple(float(v or 0) for v in r[2:])) for r in rows]


def tier_title(name: str, tiers: TierRegistry | None = None) -> str:
    """Return the plural title of GeoPackage ``name`` (``lsoa_imd`` or a tier), capitalised."""
    tiers = tiers if tiers is not None else core_registry()
    if name == "lsoa_imd":
        return "LSOAs"
    if name not in tiers:
        return name.replace("_", " ").title()
    info = tiers[name]
    if info.build is Build.AUTHORITY:
        return "The city"
    return info.plural[:1].upper() + info.plural[1:]


def _authority(frame: pd.DataFrame) -> str:
    for column in sorted(frame.columns):
        if column.startswith("LAD") and column.endswith("NM") and frame[column].notna().any():
            return str(frame[column].dropna().iloc[0])
    if "lad_code" in frame and frame["lad_code"].notna().any():
        return str(frame["lad_code"].dropna().iloc[0])
    return "the authority"


def _first(frame: pd.DataFrame, column: str) -> str:
    if column in frame and frame[column].notna().any():
        return str(frame[column].dropna().iloc[0])
    return ""


def layer_metadata(
    name: str,
    layer: str,
    frame: pd.DataFrame,
    style: LayerStyle,
    extent: tuple[float, ...],
    tiers: TierRegistry | None = None,
) -> LayerMetadata:
    """Title and abstract of ``layer`` of GeoPackage ``name`` (its file stem)."""
    vintage_text = _first(frame, "vintage")
    vintage = int(float(vintage_text)) if vintage_text else None
    release = f"IoD{vintage}" if vintage else "English Indices of Deprivation"
    where = _authority(frame)
    population = _first(frame, "population_source")
    what = tier_title(name, tiers)
    if name == "lsoa_imd":
        title = f"{what} of {where} by national IMD decile, {release}"
        body = (f"One polygon per LSOA ({_first(frame, 'lsoa_geography') or 'LSOA'} boundaries) "
                f"with the published national ranks, deciles and scores of the Index of Multiple "
                f"Deprivation and its seven domains, {release}. Styled by national IMD decile "
                "(1 = most deprived 10% of LSOAs in England), the site's viridis colours.")  # fmt: skip
    elif vintage is None:
        title = f"{what}: {layer.replace('_', ' ')}"
        body = f"{what} of {where}: the polygons of layer {layer} ({len(frame)} features)."
    else:
        title = f"{what} of {where}, {release}"
        body = (f"One polygon per area ({len(frame)} areas) with the official IoD summary "
                f"measures (population-weighted average score and rank, extent, local "
                f"concentration, proportion of LSOAs in the national 10%), {release}. "
                f"{style.description}; labelled with the area name.")  # fmt: skip
    if population:
        body += f" Population used: {population}."
    body += (" Field descriptions are in gpkg_data_columns and on the site's downloads page. "
             "National ranks are the published ones; nothing is re-ranked locally.")  # fmt: skip
    return LayerMetadata(identifier=f"{name}/{layer}", title=title, abstract=body,
                         vintage=vintage, population_source=population,
                         extent=(extent[0], extent[1], extent[2], extent[3]))  # fmt: skip


def _data_columns(
    layer: str, columns: list[str], tiers: TierRegistry | None
) -> list[tuple[str, str, str, str, str]]:
    rows, seen = [], set()
    for column in columns:
        if describe(column, tiers) is None:
            logger.warning("%s: column %s is not in the data dictionary", layer, column)
            continue
        label = title_of(column, tiers)
        if label in seen:
            label = f"{label} ({column})"
        seen.add(label)
        rows.append((layer, column, label, label, description_of(column, tiers)))
    return rows


def package_gpkg(
    path: Path | str,
    *,
    name: str,
    registry: Mapping[str, Dataset],
    scheme: str,
    k: int,
    tiers: TierRegistry | None = None,
) -> dict[str, LayerStyle]:
    """Add default styles, field descriptions and metadata to every layer of ``path``.

    Args:
        path: GeoPackage written by :func:`geo.core.io.write_gpkg` (changed in place).
        name: What the file is, its final stem (``lsoa_imd``, or a tier such as ``ward``).
        registry: The dataset registry, for the provenance in the metadata.
        scheme: mapclassify scheme of graduated styles (config ``site.classification``).
        k: Number of graduated classes.
        tiers: The authority's tiers (titles and field descriptions of its tier columns).

    Returns:
        The style of each layer.

    """
    path = Path(path)
    with closing(sqlite3.connect(path)) as con:
        layers = feature_layers(con)
    styles: dict[str, LayerStyle] = {}
    frames: dict[str, pd.DataFrame] = {}
    for layer, _, _ in layers:
        frame = pyogrio.read_dataframe(path, layer=layer, read_geometry=False)
        frames[layer] = frame
        styles[layer] = style_for(frame, layer, scheme=scheme, k=k, tiers=tiers)
    with closing(sqlite3.connect(path)) as con, con:
        for ddl in _DDL:
            con.execute(ddl)
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, "
            "last_change) VALUES ('layer_styles', 'attributes', 'layer_styles', "
            "'Default QGIS styles of the layers', ?)",
            (FIXED_TIMESTAMP,),
        )
        for table, extension, definition in _EXTENSIONS:
            con.execute(
                "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, "
                "definition, scope) VALUES (?, NULL, ?, ?, 'read-write')",
                (table, extension, definition),
            )
        titles: set[str] = set()
        for md_id, (layer, geom, extent) in enumerate(layers, 1):
            style, frame = styles[layer], frames[layer]
            con.execute(
                "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
                "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, "
                "owner, ui, update_time) VALUES ('', '', ?, ?, ?, ?, ?, 1, ?, '', NULL, ?)",
                (layer, geom, style.name, to_qml(style), to_sld(style), style.description,
                 FIXED_TIMESTAMP),
            )  # fmt: skip
            con.executemany(
                "INSERT INTO gpkg_data_columns (table_name, column_name, name, title, "
                "description) VALUES (?, ?, ?, ?, ?)",
                _data_columns(layer, [c for c in frame.columns if c != "geometry"], tiers),
            )
            meta = layer_metadata(name, layer, frame, style, extent, tiers)
            if meta.title in titles:  # gpkg_contents.identifier is unique
                meta = dataclasses.replace(meta, title=f"{meta.title} ({layer})")
            titles.add(meta.title)
            con.execute(
                "INSERT INTO gpkg_metadata (id, md_scope, md_standard_uri, mime_type, metadata) "
                "VALUES (?, 'dataset', ?, 'text/xml', ?)",
                (md_id, QMD_URI, qmd_xml(meta, registry)),
            )
            con.execute(
                "INSERT INTO gpkg_metadata_reference (reference_scope, table_name, column_name, "
                "row_id_value, timestamp, md_file_id, md_parent_id) "
                "VALUES ('table', ?, NULL, NULL, ?, ?, NULL)",
                (layer, FIXED_TIMESTAMP, md_id),
            )
            con.execute(
                "UPDATE gpkg_contents SET identifier = ?, description = ? WHERE table_name = ?",
                (meta.title, meta.abstract, layer),
            )
        if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'gpkg_ogr_contents'").fetchone():
            con.execute("INSERT INTO gpkg_ogr_contents VALUES ('layer_styles', ?)", (len(layers),))
    logger.info(
        "Styled %s: %s",
        name,
        ", ".join(f"{s.layer} ({s.renderer}, {len(s.classes)} classes)" for s in styles.values()),
    )
    return styles


def gpkg_finisher(
    registry: Path | str, *, scheme: str, k: int, tier_config: Mapping[str, Any] | None = None
) -> Callable[[Path, Path], None]:
    """Return the ``finish`` hook of :func:`geo.core.io.write_gpkg` that packages the file.

    The hook is called with the temporary file and the target; the target's stem names
    the file (``lsoa_imd`` or the tier).
    """
    datasets = load_registry(registry)
    tiers = tier_registry(tier_config) if tier_config is not None else None

    def finish(tmp: Path, target: Path) -> None:
        package_gpkg(tmp, name=Path(target).stem, registry=datasets, scheme=scheme, k=k,
                     tiers=tiers)  # fmt: skip

    return finish
