"""Read the pipeline outputs the site is built from, and list the files it offers.

:func:`site_downloads` names every file of the downloads page and the output it copies
(the rule file uses it for its inputs); :func:`read_site_inputs` reads them all into a
:class:`geo.presentation.site.model.SiteInputs`, checking the columns the site relies on.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.core.checks import require_columns
from geo.core.errors import GeoInputError
from geo.core.io import read_csv, read_geoparquet, read_parquet
from geo.inputs.postcodes import read_nspl
from geo.inputs.registry import load_registry
from geo.model.tiers import Build, TierRegistry
from geo.presentation.site.model import Download, SiteInputs, vintage_year
from geo.presentation.site.places import Label, place_labels, read_centroids

logger = logging.getLogger(__name__)

SUMMARY_DIR = "data/processed/summaries"
TIER_DIR = "data/processed/tiers"


def _tier_title(registry: TierRegistry, tier: str) -> str:
    if registry[tier].build is Build.AUTHORITY:
        return "the city"
    return registry[tier].plural


def site_downloads(
    *,
    registry: TierRegistry,
    tiers: Sequence[str],
    vintages: Sequence[int],
    rank_pairs: Sequence[tuple[int, int]],
) -> list[Download]:
    """Every file of the downloads page, in the order listed, with the output it copies.

    Args:
        registry: The authority's tiers.
        tiers: Tiers built (the city first), including the drawn tier if built.
        vintages: Releases built.
        rank_pairs: ``(from, to)`` releases of the rank-change tables.

    """
    out = [
        Download("lsoa_imd.gpkg", "data/processed/lsoa_imd.gpkg",
                 "LSOAs with every rank, decile and score; one layer per release"),
        *(Download(f"lsoa_imd_{v}.csv", f"data/processed/lsoa_imd_{v}.csv", f"LSOAs, IoD{v}")
          for v in vintages),
        Download("lsoa_membership.csv", "data/processed/lsoa_membership.csv",
                 "Each LSOA's ward, committee and priority areas"),
        Download("headlines.csv", "data/processed/headlines.csv", "Headline figures per release"),
    ]  # fmt: skip
    for tier in tiers:
        title = _tier_title(registry, tier)
        out.append(
            Download(
                f"{tier}.gpkg",
                f"{TIER_DIR}/{tier}.gpkg",
                f"Map layers of {title}, one per release",
                tier,
            )
        )
        out.append(
            Download(
                f"{tier}.csv",
                f"{SUMMARY_DIR}/{tier}.csv",
                f"Summary measures of {title}, every release",
                tier,
            )
        )
    for tier in tiers:
        out.append(Download(f"indicators_{tier}.csv", f"data/processed/indicators/tiers/{tier}.csv",
                            f"Every indicator of {_tier_title(registry, tier)}: value, numerator, "
                            "denominator, suppressed, estimate flag and method", tier))  # fmt: skip
    for drawn in (t.key for t in registry.built(Build.DRAWN) if t.key in tiers):
        out.append(Download(f"{drawn}_fit.csv", f"data/processed/{drawn}_fit.csv",
                            "Drawn neighbourhoods × LSOAs: shares and fit", drawn))  # fmt: skip
        out.append(Download("drawn_vs_lsoa_neighbourhoods.csv", "data/processed/drawn_vs_lsoa_neighbourhoods.csv",
                            "Each priority LSOA beside its drawn neighbourhood", drawn))  # fmt: skip
    for a, b in rank_pairs:
        out.append(Download(f"rank_changes_{a}_{b}.csv", f"data/processed/rank_changes_{a}_{b}.csv",
                            f"LSOAs in the national 1% in IoD{a} or IoD{b}: rank changes"))  # fmt: skip
    out.append(Download("classification_breaks.csv", "data/processed/classification_breaks.csv",
                        "Class breaks of the continuous map layers"))  # fmt: skip
    return [*out, *package_downloads(out, registry=registry, tiers=tiers)]


QGIS_PROJECT = "deprivation.qgz"
"""File name of the QGIS project of every GeoPackage (beside them in site/downloads/)."""
WORKBOOK_DIR = "data/processed/workbooks"


def package_downloads(
    files: Sequence[Download], *, registry: TierRegistry, tiers: Sequence[str]
) -> list[Download]:
    """List the QGIS project, the XLSX workbooks and the CSVW metadata of the CSVs in ``files``."""
    out = [Download(QGIS_PROJECT, f"data/interim/downloads/{QGIS_PROJECT}",
                    "QGIS project: every GeoPackage layer, styled, grouped by tier and release "
                    "(keep it beside the .gpkg files)")]  # fmt: skip
    out += [Download(f"{name}.xlsx", f"{WORKBOOK_DIR}/{name}.xlsx",
                     f"Workbook of {_tier_title(registry, name) if name != 'lsoa_imd' else 'the LSOAs'}: "
                     "a sheet per release and a data dictionary", None if name == "lsoa_imd" else name)
            for name in ["lsoa_imd", *tiers]]  # fmt: skip
    out += [Download(f"{d.name}-metadata.json", f"{d.source}-metadata.json",
                     f"CSVW metadata of {d.name}: column titles, descriptions, datatypes", d.tier)
            for d in files if d.name.endswith(".csv")]  # fmt: skip
    return out


def read_facts(path: Path | str) -> pd.DataFrame:
    """Read a facts table (:mod:`geo.statistics.facts`), codes as text."""
    return read_csv(path, dtype={"lsoa_code": "str", "lsoa_code_from": "str", "area_code": "str",
                                 "move": "str", "change_code": "str"})  # fmt: skip


def read_tier_shapes(
    path: Path | str, *, vintage: int, tier: str, optional: bool = False
) -> gpd.GeoDataFrame | None:
    """One polygon per area from a tier GeoPackage's layer ``imd<vintage>``; None if empty."""
    layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    layer = f"imd{vintage}"
    if layer not in layers:
        if optional:
            return None
        msg = f"{path}: no layer {layer!r} (layers: {', '.join(layers)})"
        raise GeoInputError(msg)
    gdf = gpd.read_file(path, layer=layer, engine="pyogrio", columns=["area_code", "area_name"])
    if gdf.empty:
        return None
    require_columns(gdf, ["area_code", "area_name", "geometry"], source=f"{path} layer {layer}")
    gdf["area_code"] = gdf["area_code"].astype(str)
    return gdf


def read_site_inputs(
    *,
    lad_code: str,
    layers: Mapping[int, str],
    membership: str,
    members: str,
    areas: str,
    crosswalk: str | None,
    summaries: Mapping[str, str],
    tier_gpkgs: Mapping[str, str],
    drawn_fit: str | None,
    rank_changes: Mapping[tuple[int, int], str],
    headlines: str,
    registry: str,
    breaks: str,
    downloads: Sequence[Download],
    tiers: TierRegistry,
    lsoa_changes: str | None = None,
    area_ranks: str | None = None,
    postcodes: str | None = None,
    place_names: str | None = None,
    centroids: str | None = None,
    authorities: str | None = None,
    authority_shapes: str | None = None,
) -> SiteInputs:
    """Read every input of the site (paths as the rule passes them).

    ``place_names`` (MSOA 2021 names) and ``centroids`` (LSOA 2021 population-weighted
    centroids) give the maps their place labels when a release is on 2021 LSOAs;
    ``authorities`` (``authority_summaries.csv``) and ``authority_shapes`` the England page.

    Raises:
        GeoInputError: a file lacks a column the site needs (naming file and columns).

    """
    lsoas = {int(v): read_geoparquet(p) for v, p in sorted(layers.items())}
    latest = max(lsoas)
    head = read_csv(headlines)
    require_columns(
        head, ["vintage", "lad_name", "lads_ranked", "lad_rank_by_share_in_10pct"], source=headlines
    )
    sums = {
        t: read_csv(p, dtype={"area_code": "str", "area_name": "str"}) for t, p in summaries.items()
    }
    for tier, table in sums.items():
        require_columns(table, ["area_code", "area_name", "vintage", "lsoas", "lsoas_in_national_10pct",
                                "lsoas_in_national_1pct", "imd_average_score"], source=summaries[tier])  # fmt: skip
    shapes = {}
    for tier, path in tier_gpkgs.items():
        optional = tiers[tier].build is Build.DRAWN  # an authority may have none drawn
        gdf = read_tier_shapes(path, vintage=latest, tier=tier, optional=optional)
        if gdf is not None:
            shapes[tier] = gdf
    member_table = read_parquet(members)
    require_columns(
        member_table, ["tier", "area_code", "lsoa_year", "lsoa_code", "share"], source=members
    )
    member_table["area_code"] = member_table["area_code"].astype(str)
    area_table = read_parquet(areas)
    area_table["area_code"] = area_table["area_code"].astype(str)
    ms = read_csv(membership, dtype={"local_name": "str", "ward_code": "str", "ward_name": "str"})
    require_columns(
        ms,
        ["lsoa_geography", "lsoa_code", "ward_code", "ward_name", "local_name"],
        source=membership,
    )
    fit = None
    if drawn_fit is not None:
        fit = read_csv(drawn_fit, dtype={"area_code": "str"})
        if not fit.empty:
            require_columns(
                fit, ["vintage", "area_code", "lsoa_code", "share_used"], source=drawn_fit
            )
    changes = {}
    for pair, path in rank_changes.items():
        table = read_csv(path, dtype={"local_name": "str", "ward_code": "str", "lsoa_code_from": "str",
                                      "change_note": "str"})  # fmt: skip
        require_columns(table, ["lsoa_code", "lsoa_code_from", "local_name", "ward_code", "ward_name", "rank_from",
                                "rank_to", "rank_change", "status", "status_text", "change_type"], source=path)  # fmt: skip
        changes[pair] = table
    return SiteInputs(
        lad_code=lad_code,
        lad_name=str(head.sort_values("vintage")["lad_name"].iloc[-1]),
        lsoas=lsoas,
        membership=ms,
        members=member_table,
        areas=area_table,
        summaries=sums,
        shapes=shapes,
        headlines=head,
        registry=load_registry(registry),
        breaks=read_csv(breaks) if Path(breaks).stat().st_size else pd.DataFrame(),
        crosswalk=read_parquet(crosswalk) if crosswalk else None,
        drawn_fit=fit,
        rank_changes=changes,
        downloads=list(downloads),
        tiers=tiers,
        lsoa_changes=read_facts(lsoa_changes) if lsoa_changes else None,
        area_ranks=read_facts(area_ranks) if area_ranks else None,
        postcodes=read_nspl(postcodes) if postcodes else None,
        places=_places(lsoas, place_names, centroids),
        authorities=_authorities(authorities),
        authority_shapes=read_geoparquet(authority_shapes) if authority_shapes else None,
    )


def _authorities(path: str | None) -> pd.DataFrame | None:
    if path is None:
        return None
    table = read_csv(path, dtype={"lad_code": "str", "lad_name": "str"})
    require_columns(table, ["vintage", "lad_code", "lad_name", "lsoas", "lads_ranked"], source=path)
    return table


def _places(
    lsoas: Mapping[int, gpd.GeoDataFrame], names: str | None, centroids: str | None
) -> list[Label]:
    on_2021 = [v for v in lsoas if vintage_year(v) == 2021]
    if not on_2021 or names is None or centroids is None:
        return []
    return place_labels(lsoas[max(on_2021)], names_path=names, centroids=read_centroids(centroids))
