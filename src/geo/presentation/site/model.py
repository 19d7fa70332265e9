"""What the site is built from, and the areas it has pages for.

:class:`SiteInputs` gathers the pipeline's outputs the site shows (LSOA layers, tier
memberships, summaries and map layers, rank changes, the registry); :class:`SiteOptions`
holds the ``site`` config. :func:`plan_areas` gives every area of every tier its page URL
and its place in the hierarchy (city › wedge › community committee › ward › neighbourhood)
for breadcrumbs up and lists of areas down. Tiers the authority lacks (no committees, no
wedges, no drawn neighbourhoods) simply have no areas.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.core.checks import require_columns
from geo.core.text import slugify
from geo.inputs.registry import Dataset
from geo.model.domains import DOMAINS, IMD, decile_col, rank_col, score_col
from geo.model.releases import OFFICIAL, VINTAGES
from geo.model.tiers import WARD, Build, Tier, TierRegistry, core_registry
from geo.presentation.site.assets import TileOptions
from geo.presentation.site.places import Label
from geo.statistics.facts import area_ranks, lsoa_changes

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Download:
    """A file offered on the downloads page."""

    name: str
    """File name under ``downloads/``."""
    source: str
    """Path of the pipeline output it copies."""
    title: str
    tier: str | None = None


@dataclass
class SiteInputs:
    """The pipeline outputs the site is built from (already read)."""

    lad_code: str
    lad_name: str
    lsoas: dict[int, gpd.GeoDataFrame]
    """Vintage → the authority's LSOA layer (canonical columns, projected CRS)."""
    membership: pd.DataFrame
    """``lsoa_membership.csv``: one row per LSOA of each geography, with its ward."""
    members: pd.DataFrame
    """``tier, area_code, lsoa_year, lsoa_code, share`` of the LSOA-based tiers."""
    areas: pd.DataFrame
    """One row per area of each tier with its parents (``tier_areas``)."""
    summaries: dict[str, pd.DataFrame]
    """Tier → its summary table (all vintages), including ``city``."""
    shapes: dict[str, gpd.GeoDataFrame]
    """Tier → one polygon per area (``area_code``, ``area_name``, projected CRS)."""
    headlines: pd.DataFrame
    registry: Mapping[str, Dataset]
    breaks: pd.DataFrame
    crosswalk: pd.DataFrame | None = None
    """``lsoa11_code, lsoa21_code, change_code`` (for rank changes across 2021)."""
    drawn_fit: pd.DataFrame | None = None
    """Drawn neighbourhoods × LSOAs: ``vintage, area_code, lsoa_code, share_used``."""
    rank_changes: dict[tuple[int, int], pd.DataFrame] = field(default_factory=dict)
    downloads: list[Download] = field(default_factory=list)
    tiers: TierRegistry = field(default_factory=core_registry)
    """The authority's tiers (:func:`geo.model.tiers.tier_registry`)."""
    lsoa_changes: pd.DataFrame | None = None
    """Facts: each LSOA's rank change between releases (:func:`geo.statistics.facts.lsoa_changes`)."""
    area_ranks: pd.DataFrame | None = None
    """Facts: each area's rank within its tier (:func:`geo.statistics.facts.area_ranks`)."""
    postcodes: pd.DataFrame | None = None
    """The NSPL postcode lookup (:func:`geo.inputs.postcodes.read_nspl`) for postcode search."""
    places: list[Label] = field(default_factory=list)
    """Neighbourhood names for the maps (:func:`geo.presentation.site.places.place_labels`)."""
    authorities: pd.DataFrame | None = None
    """Every authority's summary measures and ranks, every release (``authority_summaries.csv``)."""
    authority_shapes: gpd.GeoDataFrame | None = None
    """Every English authority of 2024 (``lad_code, lad_name, lsoas``), for the England map."""

    def ranks(self) -> pd.DataFrame:
        """Return the area-rank facts (derived from the summaries when not read)."""
        if self.area_ranks is None:
            self.area_ranks = area_ranks(self.summaries, tiers=self.tiers)
        return self.area_ranks


@dataclass(frozen=True)
class SiteOptions:
    """The ``site`` section of the config."""

    tiles: TileOptions
    title: str
    simplify_m: Mapping[str, float]
    """``city`` and ``area`` tolerances in metres."""
    decimals: Mapping[str, int]
    """``city`` and ``area`` coordinate decimals."""
    domain_vintages: tuple[int, ...]
    priority_vintage: int


@dataclass
class Area:
    """One area with a page (or a link to another tier's page)."""

    tier: str
    code: str
    name: str
    url: str
    """Path of its page from the site root (``ward/armley.html``)."""
    parents: list[Area] = field(default_factory=list)
    """Breadcrumbs, outermost first (wedge, committee, ward)."""
    children: dict[str, list[Area]] = field(default_factory=dict)
    """Tier → areas inside it, for the lists down the hierarchy."""
    row: dict[str, object] = field(default_factory=dict)
    """Its ``tier_areas`` row, or the drawn summary's."""


def vintage_year(vintage: int) -> int:
    """Year of the LSOA geography a release is published on (2011 or 2021)."""
    return VINTAGES[vintage].lsoa_year


def geometry_key(year: int) -> str:
    """Name of the geometry set of an LSOA year in page data (``lsoa11``, ``lsoa21``)."""
    return f"lsoa{year % 100:02d}"


def _unique_slugs(names: Sequence[str], codes: Sequence[str]) -> list[str]:
    """Give each area a slug from its name, with its code appended when two names share one."""
    base = [slugify(n) or slugify(c) or "area" for n, c in zip(names, codes, strict=True)]
    counts = pd.Series(base).value_counts()
    out = []
    for b, c in zip(base, codes, strict=True):
        out.append(f"{b}-{slugify(c)}" if counts[b] > 1 else b)
    return out


def _area_table(
    areas: pd.DataFrame, summaries: Mapping[str, pd.DataFrame], tier: Tier
) -> pd.DataFrame:
    if tier.build is Build.DRAWN:
        summary = summaries.get(tier.key)
        if summary is None or summary.empty:
            return pd.DataFrame(columns=["area_code", "area_name", "ward_name"])
        cols = ["area_code", "area_name", "ward_name"]
        return summary.loc[:, cols].drop_duplicates("area_code").sort_values("area_code")
    if areas.empty:
        return pd.DataFrame(columns=["area_code", "area_name"])
    return areas.loc[areas["tier"] == tier.key].sort_values("area_code")


def plan_areas(
    areas: pd.DataFrame, summaries: Mapping[str, pd.DataFrame], tiers: TierRegistry
) -> dict[str, dict[str, Area]]:
    """Every area of every tier present, with its URL, breadcrumbs and children.

    Args:
        areas: ``tier_areas`` (one row per area of each LSOA-based tier, with its parents).
        summaries: Tier → summary table (the drawn tier's areas come from it).
        tiers: The authority's tiers.

    Returns:
        Tier → area code → :class:`Area`; tiers without areas are left out.

    """
    require_columns(areas, ["tier", "area_code", "area_name"], source="tier areas")
    plan: dict[str, dict[str, Area]] = {}
    for info in tiers.site_tiers:
        tier = info.key
        table = _area_table(areas, summaries, info)
        if table.empty:
            continue
        codes = table["area_code"].astype(str).tolist()
        names = table["area_name"].astype(str).tolist()
        slugs = _unique_slugs(names, codes)
        rows = [{str(k): v for k, v in r.items()} for r in table.to_dict("records")]
        plan[tier] = {
            code: Area(tier, code, name, f"{info.slug}/{slug}.html", row=row)
            for code, name, slug, row in zip(codes, names, slugs, rows, strict=True)
        }
    _link_holding_tiers(plan, tiers)
    _link_hierarchy(plan, tiers)
    for tier, found in plan.items():
        logger.info("Site: %d %s", len(found), tiers[tier].plural)
    return plan


def _link_holding_tiers(plan: dict[str, dict[str, Area]], registry: TierRegistry) -> None:
    """Priority wards have no page of their own: they link to their ward's page."""
    wards = plan.get(WARD.key, {})
    for tier in registry.built(Build.HOLDING):
        for code, area in plan.get(tier.key, {}).items():
            if code in wards:
                area.url = wards[code].url


def _value(row: Mapping[str, object], key: str) -> str | None:
    value = row.get(key)
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    text = str(value)
    return text or None


def _parents_of(area: Area, plan: dict[str, dict[str, Area]], registry: TierRegistry) -> list[Area]:
    """Return the areas above ``area`` (wedge, committee, ward), outermost first, where present."""
    trail = registry.hierarchy()
    keys = [t.key for t in trail]
    above = trail[: keys.index(area.tier)] if area.tier in keys else trail
    chain = []
    for tier in above:
        code = _value(area.row, tier.code_column)
        if code and code in plan.get(tier.key, {}):
            chain.append(plan[tier.key][code])
    return chain


def _link_hierarchy(plan: dict[str, dict[str, Area]], registry: TierRegistry) -> None:
    wards_by_name = {a.name.casefold(): a for a in plan.get(WARD.key, {}).values()}
    for tier, areas in plan.items():
        build = registry[tier].build
        for area in areas.values():
            if build is Build.DRAWN:
                ward = wards_by_name.get((_value(area.row, WARD.name_column) or "").casefold())
                area.parents = [*_parents_of(ward, plan, registry), ward] if ward else []
            else:
                area.parents = _parents_of(area, plan, registry)
            if build is Build.HOLDING:
                continue
            parent = area.parents[-1] if area.parents else None
            if parent is not None:
                parent.children.setdefault(tier, []).append(area)
    for areas in plan.values():
        for area in areas.values():
            for children in area.children.values():
                children.sort(key=lambda a: a.name.casefold())


# --- LSOA values ------------------------------------------------------------------------


def lsoa_values(
    lsoas: Mapping[int, gpd.GeoDataFrame],
    *,
    changes: pd.DataFrame | None = None,
    crosswalk: pd.DataFrame | None = None,
) -> dict[int, pd.DataFrame]:
    """Per vintage, each LSOA's ranks, deciles and IMD score, and its IMD rank change.

    ``imd_change`` is the facts' ``rank_change`` (:func:`geo.statistics.facts.lsoa_changes`):
    the IMD rank minus the previous release's rank of the same LSOA, or of its one 2011
    predecessor across the 2021 change; a merged or irregularly changed LSOA has none.
    ``changes`` is the facts table; without it the facts are derived from ``lsoas`` and
    ``crosswalk`` by the same function.
    """
    if changes is None:
        changes = lsoa_changes(lsoas, crosswalk=crosswalk, thresholds=OFFICIAL)
    out: dict[int, pd.DataFrame] = {}
    previous: int | None = None
    for vintage in sorted(lsoas):
        layer = lsoas[vintage]
        cols = [rank_col(IMD.stem), decile_col(IMD.stem), score_col(IMD.stem)]
        cols += [c for d in DOMAINS for c in (rank_col(d.stem), decile_col(d.stem))]
        table = pd.DataFrame(layer.set_index("lsoa_code").loc[:, cols]).astype("Float64")
        rows = changes.loc[changes["vintage_to"] == vintage].set_index("lsoa_code")
        change = pd.to_numeric(rows["rank_change"], errors="coerce") if previous else None
        table["imd_change"] = (
            change.reindex(table.index).astype("Float64")
            if change is not None
            else pd.Series(pd.NA, index=table.index, dtype="Float64")
        )
        table.attrs["since"] = previous
        out[vintage] = table
        previous = vintage
    return out
