"""The pages of the site: what each shows, as map data, sentences and tables, rendered.

Pages (paths from the site root):

``index.html``
    The city: LSOAs by national IMD decile per release (and IMD score classes) as a layer
    switch, overlays of every tier's boundaries, the headline figures, links to every tier.
``<tier>/index.html``
    A tier's areas coloured by average IMD score classes, with the table of all of them.
``<tier>/<area>.html``
    One per community committee, ward, priority neighbourhood, 2017 designated and drawn
    neighbourhood and historic wedge: its LSOAs by decile per release and by each of the
    seven domains, its summary measures beside the city's, breadcrumbs up the hierarchy and
    lists of the areas inside it.
``rank-changes/<from>-<to>.html``
    The LSOAs that moved into, stayed in or moved out of the national 1%, mapped and listed.
``draw.html``, ``downloads/index.html``
    The drawing page (:mod:`geo.presentation.site.maps` ``DrawForm``) and the downloads.

Each map page is an HTML file and a ``<page>.data.js`` beside it holding its map data
(:mod:`geo.presentation.site.mapdata`), so a page's own weight is the two files together.
All text from data passes through Jinja's autoescaping (HTML) or
:func:`geo.presentation.site.mapdata.safe_json` (scripts).
"""

from __future__ import annotations

import itertools
import logging
import posixpath
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import geopandas as gpd
import jinja2
import pandas as pd

from geo.model.domains import DOMAINS, IMD
from geo.model.releases import VINTAGES
from geo.model.tiers import CITY, WARD, Build, TierRegistry
from geo.presentation.site import tables as tb
from geo.presentation.site.classify import AREA_SCORE_LAYER, LSOA_SCORE_LAYER, Classes
from geo.presentation.site.geometry import simplify_layer
from geo.presentation.site.legends import (
    CONTEXT_LINE,
    HIGHLIGHT_EDGE,
    STATUS_COLOURS,
    STATUS_LABELS,
    Legend,
    class_legend,
    decile_legend,
    outline_legend,
    sequential_colours,
    status_legend,
)
from geo.presentation.site.mapdata import Field, MapData, to_script
from geo.presentation.site.maps import DRAW_STYLE, MapParts, render_parts, site_map
from geo.presentation.site.model import (
    Area,
    SiteInputs,
    SiteOptions,
    geometry_key,
    vintage_year,
)
from geo.presentation.site.places import area_labels, labels_to_json, labels_within
from geo.presentation.site.sentences import Figures, area_summary, ordinal
from geo.presentation.site.tables import Cell
from geo.statistics.facts import RANKS_ARE_RELATIVE, position

logger = logging.getLogger(__name__)

ENV: Final = jinja2.Environment(
    loader=jinja2.PackageLoader("geo.presentation.site", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)

AREA_OUTLINE: Final[tuple[str, float]] = ("#000000", 3.0)
"""Line colour and weight of an area page's own boundary (tiers: :mod:`geo.model.tiers`)."""

MEASURES: Final[tuple[tuple[str, str, int, bool], ...]] = (
    ("population", "Population", 0, False),
    ("lsoas", "LSOAs", 1, False),
    ("lsoas_in_national_20pct", "LSOAs in the most deprived 20% nationally", 1, False),
    ("lsoas_in_national_10pct", "LSOAs in the most deprived 10% nationally", 1, False),
    ("lsoas_in_national_1pct", "LSOAs in the most deprived 1% nationally", 1, False),
    ("imd_average_score", "IMD average score (higher = more deprived)", 2, False),
    ("imd_average_rank", "IMD average rank (the official measure: larger = more deprived)", 0, False),
    ("imd_proportion_10pct", "IMD: share of LSOAs in the national 10%", 1, True),
    ("imd_extent", "IMD extent (share of people in the most deprived areas)", 1, True),
    ("imd_local_concentration", "IMD local concentration (higher = more deprived)", 0, False),
    *((f"{d.stem}_proportion_10pct", f"{d.label}: share of LSOAs in the national 10%", 1, True)
      for d in DOMAINS),
    ("income_scale", "Income scale (people income-deprived)", 0, False),
    ("employment_scale", "Employment scale (people employment-deprived)", 0, False),
)  # fmt: skip
"""Summary measures shown beside the city's: column, label, decimals, percentage."""

COUNTS: Final = frozenset({"lsoas", "lsoas_in_national_10pct", "lsoas_in_national_1pct"})
"""Columns that are counts of LSOAs: whole numbers shown as integers (``14``, not ``14.0``)."""


@dataclass
class Section:
    """A titled part of a page below the map."""

    id: str
    heading: str
    intro: str = ""
    tables: list[tb.Table] = field(default_factory=list)
    links: list[tuple[str, list[tuple[str, str, str]]]] = field(default_factory=list)


@dataclass(frozen=True)
class Page:
    """A rendered page: its path, HTML, data script and polygons drawn on opening."""

    path: str
    html: str
    data: str | None = None
    features: int | None = None

    @property
    def data_path(self) -> str | None:
        """Path of its data file (``ward/armley.data.js``), if it has one."""
        if self.data is None:
            return None
        return posixpath.splitext(self.path)[0] + ".data.js"


def root_of(path: str) -> str:
    """Relative URL of the site root from a page (``""`` or ``"../"``)."""
    depth = path.count("/")
    return "../" * depth


def rel(from_page: str, target: str) -> str:
    """URL of ``target`` (a path from the site root) relative to the page ``from_page``."""
    return root_of(from_page) + target


def site_navigation(
    registry: TierRegistry,
    tiers_present: Collection[str],
    rank_pairs: Collection[tuple[int, int]],
    extra_paths: Collection[str],
) -> list[tuple[str, str]]:
    """Build the navigation: home, the tiers present, rank changes, profiles, draw, downloads.

    ``extra_paths`` are pages built outside the site rule (profiles, watchlist); each gets a
    link only when it exists. Shared by the map pages and the profile pages.
    """
    items = [("City", "index.html")]
    for tier in registry.site_tiers:
        if tier.nav and tier.key in tiers_present:
            items.append((tier.plural.capitalize(), f"{tier.slug}/index.html"))
    if rank_pairs:
        a, b = sorted(rank_pairs)[-1]
        items.append(("Rank changes", f"rank-changes/{a}-{b}.html"))
    for label, path in (("Profiles", "profiles/index.html"), ("Watchlist", "watchlist.html")):
        if path in extra_paths:
            items.append((label, path))
    items += [("Draw", "draw.html"), ("Downloads", "downloads/index.html")]
    return items


class SiteContext:
    """Everything the page builders share: inputs, options, areas, cached geometry."""

    def __init__(
        self,
        inputs: SiteInputs,
        options: SiteOptions,
        plan: Mapping[str, Mapping[str, Area]],
        classes: Mapping[str, Classes],
        values: Mapping[int, pd.DataFrame],
        extra_paths: frozenset[str] = frozenset(),
    ) -> None:
        self.inputs = inputs
        self.tiers = inputs.tiers
        """The authority's tiers."""
        self.extra_paths = extra_paths
        """Paths of pages other builds add to the site (area profiles, the watchlist)."""
        self.options = options
        self.plan = plan
        self.classes = classes
        self.values = values
        self.vintages = sorted(inputs.lsoas)
        self.latest = self.vintages[-1]
        self._lsoa_shapes: dict[tuple[int, str], gpd.GeoSeries] = {}
        self._tier_shapes: dict[tuple[str, str], gpd.GeoSeries] = {}
        self.lsoa_props = self._lsoa_props()
        hierarchy = [t.key for t in self.tiers.hierarchy()]
        self.labels = labels_to_json([*area_labels(inputs.shapes, hierarchy), *inputs.places])
        """Every map label (:mod:`geo.presentation.site.places`), in WGS84."""

    # --- shared data ----------------------------------------------------------------------

    @property
    def city_name(self) -> str:
        """The authority's name."""
        return self.inputs.lad_name

    def years(self) -> list[int]:
        """LSOA years of the releases, in release order, each once."""
        return list(dict.fromkeys(vintage_year(v) for v in self.vintages))

    def vintages_on(self, year: int) -> list[int]:
        """Releases published on LSOA ``year``."""
        return [v for v in self.vintages if vintage_year(v) == year]

    def _lsoa_props(self) -> dict[int, pd.DataFrame]:
        """Per LSOA year: name, local name and ward of each LSOA, indexed by code."""
        out = {}
        membership = self.inputs.membership
        for year in self.years():
            layer = self.inputs.lsoas[self.vintages_on(year)[-1]]
            props = pd.DataFrame(layer.set_index("lsoa_code")[["lsoa_name"]])
            geo = f"LSOA{year % 100:02d}"
            rows = membership.loc[membership["lsoa_geography"] == geo].set_index("lsoa_code")
            props["local_name"] = rows["local_name"].reindex(props.index)
            props["ward_name"] = rows["ward_name"].reindex(props.index)
            out[year] = props
        return out

    def lsoa_shapes(self, year: int, level: str) -> gpd.GeoSeries:
        """Return the authority's LSOAs of ``year``, simplified for ``level`` (city/area), WGS84."""
        key = (year, level)
        if key not in self._lsoa_shapes:
            layer = self.inputs.lsoas[self.vintages_on(year)[-1]]
            series = gpd.GeoSeries(
                layer.geometry.to_numpy(), index=layer["lsoa_code"], crs=layer.crs
            )
            # 2001 shapes derived from 2011 LSOAs overlap where merged LSOAs share a shape
            # (geometry_method "shared"): not a coverage, so each is simplified on its own.
            self._lsoa_shapes[key] = simplify_layer(
                series, tolerance_m=self.options.simplify_m[level], coverage=year != 2001,
                source=f"LSOA {year} boundaries ({level} pages)",
            )  # fmt: skip
        return self._lsoa_shapes[key]

    def tier_shapes(self, tier: str, level: str) -> gpd.GeoSeries:
        """Return a tier's area polygons simplified for ``level``, WGS84, indexed by area code."""
        key = (tier, level)
        if key not in self._tier_shapes:
            layer = self.inputs.shapes[tier]
            series = gpd.GeoSeries(
                layer.geometry.to_numpy(), index=layer["area_code"].astype(str), crs=layer.crs
            )
            self._tier_shapes[key] = simplify_layer(
                series, tolerance_m=self.options.simplify_m[level],
                coverage=self.tiers[tier].build is not Build.DRAWN, source=f"{tier} boundaries ({level} pages)",
            )  # fmt: skip
        return self._tier_shapes[key]

    def summary(self, tier: str, code: str | None = None) -> pd.DataFrame:
        """Summary rows of a tier (or of one area of it), all releases."""
        table = self.inputs.summaries.get(tier, pd.DataFrame())
        if code is None or table.empty:
            return table
        return table.loc[table["area_code"].astype(str) == code]

    def members(self, area: Area, year: int) -> pd.Series:
        """Share of each LSOA of ``year`` in ``area`` (1 = wholly), indexed by LSOA code."""
        if self.tiers[area.tier].build is Build.DRAWN:
            fit = self.inputs.drawn_fit
            if fit is None:
                return pd.Series(dtype=float)
            vintage = self.vintages_on(year)[-1]
            rows = fit.loc[
                (fit["area_code"].astype(str) == area.code) & (fit["vintage"] == vintage)
            ]
            rows = rows.loc[rows["share_used"] > 0]
            return rows.groupby("lsoa_code")["share_used"].sum().sort_index()
        m = self.inputs.members
        rows = m.loc[
            (m["tier"] == area.tier)
            & (m["area_code"].astype(str) == area.code)
            & (m["lsoa_year"] == year)
        ]
        return rows.groupby("lsoa_code")["share"].sum().sort_index()

    def nav(self) -> list[tuple[str, str]]:
        """Site navigation: home, the tiers present, rank changes, draw, downloads."""
        return site_navigation(self.tiers, self.plan, self.inputs.rank_changes, self.extra_paths)

    def render(self, template: str, path: str, **context: Any) -> str:
        """Render ``template`` for the page at ``path`` with the shared context."""
        base = {
            "site_title": self.options.title,
            "root": root_of(path),
            "nav": self.nav(),
            "crown_year": max(self.vintages),
            "breadcrumbs": [],
            "map": None,
            "data_file": None,
            "profile_url": None,
            "postcodes": self.inputs.postcodes is not None,
            "glossary": "glossary.html",
        }
        return ENV.get_template(template).render(**{**base, **context})


# --- map layers ------------------------------------------------------------------------


def _lsoa_features(
    ctx: SiteContext, year: int, codes: Sequence[str], shares: pd.Series | None
) -> list[dict[str, Any]]:
    props = ctx.lsoa_props[year].reindex(list(codes))
    out = []
    for code, row in props.iterrows():
        share = None if shares is None else float(shares.get(code, 1.0))
        out.append({
            "n": _str(row["lsoa_name"]), "k": str(code), "l": _str(row["local_name"]),
            "w": _str(row["ward_name"]),
            "s": None if share is None or share >= 0.9995 else round(share, 4),
        })  # fmt: skip
    return out


def _str(value: object) -> str | None:
    return None if tb.missing(value) else str(value)


def _num(value: object, decimals: int = 0) -> float | int | None:
    if tb.missing(value):
        return None
    x = float(value)  # type: ignore[arg-type]
    return round(x) if decimals == 0 else round(x, decimals)


def _decile_layers(
    ctx: SiteContext, data: MapData, year: int, codes: Sequence[str], *, show: int | None
) -> None:
    """IMD decile, domain decile and IMD score layers of the releases on ``year``."""
    key = geometry_key(year)
    for vintage in ctx.vintages_on(year):
        table = ctx.values[vintage].reindex(list(codes))
        n = VINTAGES[vintage].n_national
        since = table.attrs.get("since") or ctx.values[vintage].attrs.get("since")
        stems: list[Any] = [IMD]
        if vintage in ctx.options.domain_vintages:
            stems += list(DOMAINS)
        for i, d in enumerate(stems):
            fields: list[Field] = [
                (f"{d.short} {vintage} national rank (1 = most deprived of {n:,})", "int"),
                (f"{d.short} {vintage} national decile", "decile"),
            ]
            values = [
                [_num(r[f"{d.stem}_rank"]), _num(r[f"{d.stem}_decile"])]
                for _, r in table.iterrows()
            ]
            if d is IMD and since is not None:
                fields.append((f"Rank change since IoD{since}", "change"))
                for v, (_, r) in zip(values, table.iterrows(), strict=True):
                    v.append(_num(r["imd_change"]))
            classes = [None if tb.missing(r[f"{d.stem}_decile"]) else int(r[f"{d.stem}_decile"]) - 1
                       for _, r in table.iterrows()]  # fmt: skip
            label = (
                f"{d.short} {vintage}: national decile"
                if d is not IMD
                else f"IMD {vintage}: national decile"
            )
            data.add_layer(
                f"{d.stem}-{vintage}", label, geometry=key,
                legend=decile_legend(f"{d.label}, IoD{vintage}: national decile"),
                classes=classes, values=values, fields=fields, show=show == vintage and d is IMD,
                order=(0, vintage) if d is IMD else (1, vintage, i),
                release=f"IoD{vintage}", measure=f"{d.short}: national decile",
            )  # fmt: skip
    for vintage in ctx.vintages_on(year):
        cls = ctx.classes.get(LSOA_SCORE_LAYER.format(vintage=vintage))
        if cls is None:
            continue
        table = ctx.values[vintage].reindex(list(codes))
        data.add_layer(
            f"score-{vintage}", f"IMD {vintage}: score (classes)", geometry=key,
            legend=class_legend(f"IMD score, IoD{vintage} ({_scheme(cls)})", cls.bins,
                                minimum=cls.minimum, decimals=1,
                                note=f"Classes over all {ctx.city_name} LSOAs; higher = more deprived."),
            classes=[cls.of(_num(s, 3)) for s in table["imd_score"]],
            values=[[_num(s, 3), _num(d)] for s, d in zip(table["imd_score"], table["imd_decile"], strict=True)],
            fields=[(f"IMD score {vintage}", "num3"), (f"IMD {vintage} national decile", "decile")],
            order=(2, vintage), release=f"IoD{vintage}", measure="IMD score (classes)",
        )  # fmt: skip


def _scheme(cls: Classes) -> str:
    return "natural breaks" if cls.scheme == "fisher_jenks" else "quantiles"


def _add_lsoa_sets(
    ctx: SiteContext, data: MapData, level: str, members: Mapping[int, pd.Series] | None
) -> None:
    """Add the LSOA geometry sets (all, or each year's members) with their layers."""
    for year in ctx.years():
        shapes = ctx.lsoa_shapes(year, level)
        shares = members.get(year) if members is not None else None
        codes = list(shares.index) if shares is not None else list(shapes.index)
        if not codes:
            continue
        show = ctx.latest if vintage_year(ctx.latest) == year else None
        data.add_geometry(
            geometry_key(year), shapes.loc[codes], _lsoa_features(ctx, year, codes, shares),
            decimals=ctx.options.decimals[level], fit=show is not None,
        )  # fmt: skip
        _decile_layers(ctx, data, year, codes, show=show)


def _add_context(ctx: SiteContext, data: MapData, members: Mapping[int, pd.Series]) -> None:
    """Grey outlines of the LSOAs around an area (latest geography), for orientation."""
    year = vintage_year(ctx.latest)
    if year not in members:
        return
    shapes = ctx.lsoa_shapes(year, "area")
    own = shapes.loc[list(members[year].index)]
    west, south, east, north = own.total_bounds
    margin = max(east - west, north - south) * 0.5
    around = shapes.cx[west - margin : east + margin, south - margin : north + margin]
    around = around.drop(index=[c for c in members[year].index if c in around.index])
    if around.empty:
        return
    data.add_geometry(
        "context", around, [{} for _ in range(len(around))], decimals=ctx.options.decimals["area"]
    )
    data.add_outline("context", "Neighbouring LSOAs", geometry="context", colour=CONTEXT_LINE, weight=0.8,
                     legend=None, show=True, interactive=False)  # fmt: skip


def _outline(
    ctx: SiteContext, data: MapData, page: str, tier: str, areas: Sequence[Area], *,
    level: str, label: str, show: bool = False, interactive: bool = True, key: str | None = None,
) -> None:  # fmt: skip
    """Add an overlay of the outlines of ``areas`` (from ``tier``'s shapes), linking to pages."""
    shapes = ctx.tier_shapes(tier, level)
    present = [a for a in areas if a.code in shapes.index]
    if not present:
        return
    key = key or tier
    props = [
        {"n": a.name, "k": a.code, "u": rel(page, a.url) if interactive else None} for a in present
    ]
    data.add_geometry(
        key, shapes.loc[[a.code for a in present]], props, decimals=ctx.options.decimals[level]
    )
    spec = ctx.tiers[tier]
    colour, weight = AREA_OUTLINE if key == "area" else (spec.colour, spec.line_width)
    data.add_outline(
        f"outline-{key}", label, geometry=key, colour=colour, weight=weight,
        legend=outline_legend(label, "Boundary", colour), show=show, interactive=interactive,
    )  # fmt: skip


def _ward_outlines(ctx: SiteContext, data: MapData, path: str, **options: Any) -> None:
    """Outline every ward on a city-wide map (when the wards have shapes)."""
    if WARD.key in ctx.plan and WARD.key in ctx.inputs.shapes:
        _outline(ctx, data, path, WARD.key, list(ctx.plan[WARD.key].values()), level=CITY.key,
                 label=WARD.plural.capitalize(), **options)  # fmt: skip


def map_page(
    ctx: SiteContext, path: str, data: MapData, template: str, *, draw: bool = False,
    labels: bool = True, **context: Any,
) -> Page:  # fmt: skip
    """Render a page with a map: its HTML from ``template`` and its data file from ``data``.

    ``labels`` names the authority's places on the map (not on a map of all England).
    """
    bounds = data.to_json()["bounds"] or [[53.7, -1.8], [53.95, -1.3]]
    data.extra["labels"] = labels_within(ctx.labels, bounds) if labels else []

    parts: MapParts = render_parts(
        site_map(bounds, tiles=ctx.options.tiles, draw=draw), assets_url=rel(path, "assets/vendor")
    )
    data_name = posixpath.basename(posixpath.splitext(path)[0]) + ".data.js"
    html = ctx.render(template, path, map=parts, data_file=data_name, **context)
    return Page(path, html, to_script("GEO_PAGE", data.to_json()), data.shown_features())


# --- tables ------------------------------------------------------------------------------


def _lsoa_entries(ctx: SiteContext, members: Mapping[int, pd.Series]) -> dict[str, dict[str, Any]]:
    """Each member LSOA's name, local name, ward and share per LSOA year."""
    codes: dict[str, dict[str, Any]] = {}
    for year, shares in members.items():
        props = ctx.lsoa_props[year]
        for code, share in shares.items():
            entry = codes.setdefault(str(code), {"share": {}})
            entry["name"] = props.at[code, "lsoa_name"]
            entry["local"] = props.at[code, "local_name"]
            entry["ward_name"] = props.at[code, "ward_name"]
            entry["share"][year] = share
    return codes


def _lsoa_cells(
    ctx: SiteContext, code: str, entry: Mapping[str, Any], *, partial: bool, since: int | None
) -> list[Cell]:
    cells = [Cell(code, code, header=True), tb.text(entry["name"]), tb.text(entry["local"]),
             tb.text(entry["ward_name"])]  # fmt: skip
    if partial:
        cells.append(tb.number(max(entry["share"].values()), 1, percent=True))
    for v in ctx.vintages:
        t = ctx.values[v]
        present = code in t.index and vintage_year(v) in entry["share"]
        cells.append(tb.number(t.at[code, "imd_rank"] if present else None))
        cells.append(tb.number(t.at[code, "imd_decile"] if present else None))
    if since is not None:
        t = ctx.values[ctx.latest]
        present = code in t.index and vintage_year(ctx.latest) in entry["share"]
        cells.append(tb.signed(t.at[code, "imd_change"] if present else None))
    return cells


def lsoa_table(
    ctx: SiteContext, members: Mapping[int, pd.Series], *, table_id: str = "lsoas"
) -> tb.Table:
    """Tabulate the area's LSOAs (any geography): ranks and deciles in every release."""
    codes = _lsoa_entries(ctx, members)
    partial = any(s < 0.9995 for e in codes.values() for s in e["share"].values())
    cols = tb.lsoa_columns(ctx.vintages, partial=partial, decile_label="IMD decile")
    since = ctx.values[ctx.latest].attrs.get("since")
    if since is not None:
        cols.append(tb.Column(f"Rank change {since}\u2013{ctx.latest}", True))
    order = sorted(codes)
    rows = [_lsoa_cells(ctx, code, codes[code], partial=partial, since=since) for code in order]
    note = "Ranks and deciles are national (1 = most deprived in England). "
    if partial:
        note += (
            "Share inside: the share of the LSOA counted in the area (by its population or area). "
        )
    note += (
        "An LSOA code present in only some releases changed at the 2011 or 2021 boundary review. "
    )
    if any(vintage_year(v) == 2001 for v in ctx.vintages):
        note += RANKS_ARE_RELATIVE
    return tb.Table(table_id, f"LSOAs: national IMD rank and decile by release ({len(rows)} LSOAs)",
                    tuple(cols), tb.rows(rows, [f"lsoa-{c}" for c in order]), note=note)  # fmt: skip


def measures_table(
    ctx: SiteContext,
    name: str,
    area: pd.DataFrame,
    city: pd.DataFrame | None,
    *,
    table_id: str = "measures",
) -> tb.Table:
    """Tabulate the IoD summary measures of an area beside the city's, per release (latest first)."""
    vintages = sorted(ctx.vintages, reverse=True)
    cols = [tb.Column("Measure")]
    for v in vintages:
        cols.append(tb.Column(f"{name} {v}", True))
        if city is not None:
            cols.append(tb.Column(f"{ctx.city_name} {v}", True))
    rows = []
    for col, label, decimals, pct in MEASURES:
        if col not in area.columns:
            continue
        cells = [Cell(label, label, header=True)]
        for v in vintages:
            for frame in (area, city) if city is not None else (area,):
                value = _at(frame, v, col)
                cells.append(
                    tb.count(value) if col in COUNTS else tb.number(value, decimals, percent=pct)
                )
        rows.append(cells)
    note = ("Official IoD summary measures, from the LSOAs' national ranks and scores weighted by "
            "population. A higher average score, average rank or local concentration means more "
            "deprived relative to other areas.")  # fmt: skip
    if any(vintage_year(v) == 2001 for v in ctx.vintages):
        note += (" IMD 2004 and 2007 are weighted by third-party population denominators (not "
                 "official); their domain measures are not available. " + RANKS_ARE_RELATIVE)  # fmt: skip
    return tb.Table(table_id, f"Summary measures: {name}" + (f" and {ctx.city_name}" if city is not None else ""),
                    tuple(cols), tb.rows(rows), sortable=False, note=note)  # fmt: skip


def _at(frame: pd.DataFrame, vintage: int, col: str) -> object:
    rows = frame.loc[frame["vintage"] == vintage, col]
    return None if rows.empty else rows.iloc[0]


def _figures(frame: pd.DataFrame, vintages: Sequence[int]) -> list[Figures]:
    out = []
    for v in vintages:
        rows = frame.loc[frame["vintage"] == v]
        if rows.empty:
            continue
        r = rows.iloc[0]
        out.append(Figures(int(v), float(r["lsoas"]), float(r["lsoas_in_national_10pct"]),
                           float(r["lsoas_in_national_1pct"])))  # fmt: skip
    return out


def _domain_shares(frame: pd.DataFrame, vintage: int) -> dict[str, float]:
    rows = frame.loc[frame["vintage"] == vintage]
    if rows.empty:
        return {}
    r = rows.iloc[0]
    return {d.label: float(r[f"{d.stem}_proportion_10pct"]) for d in DOMAINS
            if f"{d.stem}_proportion_10pct" in r and not tb.missing(r[f"{d.stem}_proportion_10pct"])}  # fmt: skip


def _position(ctx: SiteContext, tier: str, code: str) -> tuple[int, int] | None:
    return position(ctx.inputs.ranks(), tier, code, ctx.latest)


def area_sentences(ctx: SiteContext, tier: str, code: str) -> list[str]:
    """Write the plain-English summary of one area (or of the city when ``tier`` is ``city``)."""
    frame = ctx.summary(tier, code) if tier != CITY.key else ctx.summary(CITY.key)
    figures = _figures(frame, ctx.vintages)
    if not figures:
        return ["No figures are available for this area."]
    city = (
        None
        if tier == CITY.key
        else {f.vintage: f for f in _figures(ctx.summary(CITY.key), ctx.vintages)}
    )
    return area_summary(
        figures, city=city, city_name=ctx.city_name, position=_position(ctx, tier, code),
        tier_plural=ctx.tiers[tier].plural if tier in ctx.tiers else "areas",
        domain_shares=_domain_shares(frame, figures[-1].vintage),
    )  # fmt: skip


# --- page builders -----------------------------------------------------------------------


def _breadcrumbs(ctx: SiteContext, area: Area) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [("City", "index.html")]
    crumbs += [(f"{p.name} ({ctx.tiers[p.tier].singular.lower()})", p.url) for p in area.parents]
    crumbs.append((area.name, None))
    return crumbs


def area_page(ctx: SiteContext, area: Area) -> Page:
    """Build the page of one area: its LSOAs per release and domain, measures, hierarchy."""
    info = ctx.tiers[area.tier]
    path = area.url
    members = {year: ctx.members(area, year) for year in ctx.years()}
    members = {y: s for y, s in members.items() if not s.empty}
    data = MapData(f"{area.name} ({info.singular.lower()})")
    _add_lsoa_sets(ctx, data, "area", members)
    _add_context(ctx, data, members)
    if area.tier in ctx.inputs.shapes and area.code in ctx.tier_shapes(area.tier, "area").index:
        _outline(ctx, data, path, area.tier, [area], level="area", label=f"Boundary of {area.name}",
                 show=True, interactive=False, key="area")  # fmt: skip
    for tier, children in area.children.items():
        if tier in ctx.inputs.shapes:
            _outline(
                ctx,
                data,
                path,
                tier,
                children,
                level="area",
                label=ctx.tiers[tier].plural.capitalize(),
            )
    sections = [
        Section("measures", "Summary measures",
                f"{area.name} beside {ctx.city_name} as a whole, in each release.",
                [measures_table(ctx, area.name, ctx.summary(area.tier, area.code), ctx.summary(CITY.key))]),
        Section("lsoas-heading-section", "LSOAs", "", [lsoa_table(ctx, members)]),
    ]  # fmt: skip
    if info.build is not Build.DRAWN:
        profile = f"profiles/{path}" if f"profiles/{path}" in ctx.extra_paths else None
        sections.insert(
            0, story_section(ctx, area, members, profile=rel(path, profile) if profile else None)
        )
    sections.append(_hierarchy_section(ctx, area, members))
    if info.build is Build.DRAWN:
        sections.insert(1, _fit_section(ctx, area))
    kicker = f"{info.singular} in {ctx.city_name}. {info.describe(ctx.options.priority_vintage)}"
    if info.build is Build.DRAWN and _illustrative(ctx, area):
        kicker += " This boundary is illustrative: replace it with one agreed locally."
    return map_page(
        ctx, path, data, "map_page.html.j2", title=f"{area.name} ({info.singular.lower()})",
        heading=area.name, kicker=kicker, sentences=area_sentences(ctx, area.tier, area.code),
        map_title=f"Map of {area.name}", breadcrumbs=_breadcrumbs(ctx, area), sections=sections,
        map_note=f"The LSOAs of {area.name}, coloured by national decile (IoD{ctx.latest} first).",
        profile_url=rel(path, f"profiles/{path}") if f"profiles/{path}" in ctx.extra_paths else None,
    )  # fmt: skip


def _illustrative(ctx: SiteContext, area: Area) -> bool:
    rows = ctx.summary(area.tier, area.code)
    if rows.empty or "illustrative" not in rows.columns:
        return False
    return str(rows["illustrative"].iloc[0]).strip().lower() in ("true", "1", "yes")


def _hierarchy_section(ctx: SiteContext, area: Area, members: Mapping[int, pd.Series]) -> Section:
    groups: list[tuple[str, list[tuple[str, str, str]]]] = []
    if area.parents:
        groups.append(
            (
                "Inside",
                [
                    (f"{p.name}", rel(area.url, p.url), ctx.tiers[p.tier].singular)
                    for p in reversed(area.parents)
                ],
            )
        )
    for tier, children in area.children.items():
        groups.append((ctx.tiers[tier].plural.capitalize(),
                       [(c.name, rel(area.url, c.url), "") for c in children]))  # fmt: skip
    lsoas = sorted({str(c) for s in members.values() for c in s.index})
    groups.append(("LSOAs", [(c, f"#lsoa-{c}", _local_name(ctx, c)) for c in lsoas]))
    return Section(
        "areas",
        "Areas up and down",
        "Links to the areas this one is part of, the areas inside it, and its LSOAs (in the table above).",
        links=groups,
    )


def _local_name(ctx: SiteContext, code: str) -> str:
    for props in ctx.lsoa_props.values():
        if code in props.index:
            return _str(props.at[code, "local_name"]) or _str(props.at[code, "lsoa_name"]) or ""
    return ""


def _fit_section(ctx: SiteContext, area: Area) -> Section:
    row = ctx.summary(area.tier, area.code)
    latest = row.loc[row["vintage"] == ctx.latest]
    r = latest.iloc[0] if not latest.empty else pd.Series(dtype=object)
    items = [
        ("Fit verdict", r.get("fit_verdict")), ("Apportionment", r.get("apportion_method")),
        ("Contributing LSOAs", r.get("contributing_lsoas")), ("LSOAs wholly inside", r.get("lsoas_inside")),
        ("LSOAs split", r.get("lsoas_split")), ("Notes", r.get("notes")),
    ]  # fmt: skip
    table = tb.Table("fit", f"How {area.name} fits the LSOAs (IoD{ctx.latest})", tb.columns("Item", "Value"),
                     tb.rows([[Cell(k, k, header=True), tb.text(v)] for k, v in items]), sortable=False)  # fmt: skip
    return Section(
        "fit",
        "Fit to LSOAs",
        "Drawn neighbourhoods rarely follow LSOA boundaries; their figures are apportioned from the LSOAs they overlap.",
        [table],
    )


def tier_page(ctx: SiteContext, tier: str) -> Page:
    """Build a tier's overview: its areas coloured by average IMD score classes, and the table."""
    info = ctx.tiers[tier]
    path = f"{info.slug}/index.html"
    areas = sorted(ctx.plan[tier].values(), key=lambda a: a.name.casefold())
    data = MapData(info.plural.capitalize())
    if tier in ctx.inputs.shapes:
        shapes = ctx.tier_shapes(tier, CITY.key)
        present = [a for a in areas if a.code in shapes.index]
        props = [{"n": a.name, "k": a.code, "u": rel(path, a.url)} for a in present]
        if present:
            data.add_geometry(
                tier,
                shapes.loc[[a.code for a in present]],
                props,
                decimals=ctx.options.decimals[CITY.key],
                fit=True,
            )
            summary = ctx.summary(tier)
            for vintage in ctx.vintages:
                rows = (
                    summary.loc[summary["vintage"] == vintage]
                    .assign(area_code=lambda f: f["area_code"].astype(str))
                    .set_index("area_code")
                )
                rows = rows.reindex([a.code for a in present])
                cls = ctx.classes.get(AREA_SCORE_LAYER.format(tier=tier, vintage=vintage))
                legend: Legend
                if cls is not None:
                    legend = class_legend(
                        f"Average IMD score, IoD{vintage} ({_scheme(cls)})",
                        cls.bins,
                        minimum=cls.minimum,
                        decimals=1,
                        note="Population-weighted; higher = more deprived.",
                    )
                    classes = [cls.of(_num(s, 2)) for s in rows["imd_average_score"]]
                else:
                    legend = Legend(
                        f"Average IMD score, IoD{vintage}",
                        (sequential_colours(2)[1],),
                        ("One area: no classes",),
                    )
                    classes = [0] * len(rows)
                data.add_layer(
                    f"avg-{vintage}", f"Average IMD score {vintage}", geometry=tier, legend=legend, classes=classes,
                    values=[[_num(s, 2), _num(n10, 1), _num(n, 1)] for s, n10, n in zip(rows["imd_average_score"], rows["lsoas_in_national_10pct"], rows["lsoas"], strict=True)],
                    fields=[(f"Average IMD score {vintage}", "num1"), ("LSOAs in the national 10%", "count"), ("LSOAs", "count")],
                    show=vintage == ctx.latest, release=f"IoD{vintage}", measure="Average IMD score",
                )  # fmt: skip
    table = _tier_table(ctx, tier, path, areas)
    sentences = _tier_sentences(ctx, tier, areas)
    return map_page(
        ctx, path, data, "map_page.html.j2", title=info.plural.capitalize(), heading=f"{info.plural.capitalize()} of {ctx.city_name}",
        kicker=info.describe(ctx.options.priority_vintage), sentences=sentences, map_title=f"Map of the {info.plural}",
        map_note=f"Each of the {len(areas)} {info.plural} coloured by its population-weighted average IMD score; select one to open its page.",
        breadcrumbs=[("City", "index.html"), (info.plural.capitalize(), None)],
        sections=[Section("areas", f"All {info.plural}", "", [table],
                          links=[(info.plural.capitalize(), [(a.name, rel(path, a.url), "") for a in areas])])],
    )  # fmt: skip


def _tier_table(ctx: SiteContext, tier: str, path: str, areas: Sequence[Area]) -> tb.Table:
    summary = ctx.summary(tier)
    latest = (
        summary.loc[summary["vintage"] == ctx.latest]
        .assign(area_code=lambda f: f["area_code"].astype(str))
        .set_index("area_code")
    )
    cols = tb.columns("Name", "Code", ("Population", True), ("LSOAs", True), ("In national 20%", True),
                      ("In national 10%", True), ("In national 1%", True), ("Average score", True), ("Average rank", True),
                      ("Extent", True), ("Local concentration", True))  # fmt: skip
    rows = []
    for a in areas:
        r = latest.loc[a.code] if a.code in latest.index else pd.Series(dtype=object)
        rows.append([
            Cell(a.name, a.name, rel(path, a.url), header=True), tb.text(a.code),
            tb.number(r.get("population")), tb.count(r.get("lsoas")),
            tb.count(r.get("lsoas_in_national_20pct")), tb.count(r.get("lsoas_in_national_10pct")),
            tb.count(r.get("lsoas_in_national_1pct")),
            tb.number(r.get("imd_average_score"), 2), tb.number(r.get("imd_average_rank")),
            tb.number(r.get("imd_extent"), 1, percent=True), tb.number(r.get("imd_local_concentration")),
        ])  # fmt: skip
    return tb.Table("areas-table", f"{ctx.tiers[tier].plural.capitalize()}: IoD{ctx.latest} summary measures", cols, tb.rows(rows),
                    note="Average score, average rank and local concentration: higher = more deprived relative to other areas.")  # fmt: skip


def _tier_sentences(ctx: SiteContext, tier: str, areas: Sequence[Area]) -> list[str]:
    info = ctx.tiers[tier]
    summary = ctx.summary(tier)
    latest = summary.loc[summary["vintage"] == ctx.latest]
    n = len(areas)
    out = [
        f"{ctx.city_name} has {n:,} {info.plural if n != 1 else info.singular.lower()} on this site."
    ]
    if latest.empty:
        return out
    with_10 = int((latest["lsoas_in_national_10pct"] > 0.05).sum())
    out.append(
        f"In IoD{ctx.latest}, {with_10:,} of them {'has' if with_10 == 1 else 'have'} at least part of an LSOA in the most deprived 10% nationally."
    )
    top = latest.sort_values("imd_average_score", ascending=False)
    if len(top) > 1 and not tb.missing(top.iloc[0]["imd_average_score"]):
        out.append(
            f"The most deprived by average IMD score is {top.iloc[0]['area_name']}; the least deprived is {top.iloc[-1]['area_name']}."
        )
    return out


def city_page(ctx: SiteContext) -> Page:
    """Build the home page: the city map with every tier as an overlay, headlines, links."""
    path = "index.html"
    data = MapData(ctx.city_name)
    _add_lsoa_sets(ctx, data, CITY.key, None)
    trail = ctx.tiers.hierarchy()
    overlays = [*trail, *(t for t in ctx.tiers.site_tiers if t.nav and t not in trail)]
    for tier in (t.key for t in overlays):
        if tier in ctx.plan and tier in ctx.inputs.shapes:
            _outline(ctx, data, path, tier, list(ctx.plan[tier].values()), level=CITY.key,
                     label=ctx.tiers[tier].plural.capitalize())  # fmt: skip
    sentences = area_sentences(ctx, CITY.key, "")
    sentences += _headline_sentences(ctx)
    sections = [
        Section("headlines", "Headline figures", "", [_headline_table(ctx)]),
        Section("measures", "Summary measures", f"{ctx.city_name} as a whole, in each release.",
                [measures_table(ctx, ctx.city_name, ctx.summary(CITY.key), None)]),
        Section("tiers", "Areas", "Every tier of the city, and every area with a page.",
                links=_tier_links(ctx, path)),
        _rank_change_links(ctx),
        _england_link(ctx),
        Section("lsoas-section", "LSOAs",
                "Every LSOA of the city; each code links to its ward's page.",
                [_city_lsoa_table(ctx, path)]),
    ]  # fmt: skip
    return map_page(
        ctx, path, data, "map_page.html.j2", title=ctx.city_name, heading=ctx.options.title,
        kicker=f"The English Indices of Deprivation for {ctx.city_name}, its wards, community committees and neighbourhoods.",
        sentences=sentences, map_title=f"Map of {ctx.city_name}",
        map_note="LSOAs coloured by their national IMD decile; overlays show wards, committees and neighbourhoods (select a boundary to open its page).",
        sections=[s for s in sections if s is not None],
    )  # fmt: skip


def _headline_sentences(ctx: SiteContext) -> list[str]:
    h = ctx.inputs.headlines.sort_values("vintage")
    if h.empty:
        return []
    r = h.iloc[-1]
    n = h[["vintage", "lsoas_in_national_1pct", "lsoas_in_national_10pct", "lsoas"]].astype(int)
    counts = "; ".join(
        f"{v}: {one:,} in the 1% and {ten:,} in the 10% (of {total:,})"
        for v, one, ten, total in n.itertuples(index=False)
    )
    out = [
        f"Among the {int(r['lads_ranked']):,} local authorities of England in IoD{int(r['vintage'])}, "
        f"{ctx.city_name} has the {ordinal(int(r['lad_rank_by_share_in_10pct']))} highest share of LSOAs in the most "
        "deprived 10% nationally.",
        *_twenty_percent_sentence(r),
    ]
    if len(h) > 1:
        out.append(
            f"LSOAs of {ctx.city_name} in the national most deprived 1% and 10%, by release: {counts}."
        )
    return out


def _twenty_percent_sentence(r: pd.Series) -> list[str]:
    """Say how many LSOAs are in the national 20% (deciles 1–2), when the headlines carry it."""
    if pd.isna(r.get("lsoas_in_national_20pct")):
        return []
    return [
        f"In IoD{int(r['vintage'])}, {int(r['lsoas_in_national_20pct']):,} of its {int(r['lsoas']):,} LSOAs "
        f"({100 * float(r['share_in_national_20pct']):.1f}%) are in the most deprived 20% nationally."
    ]


def _headline_table(ctx: SiteContext) -> tb.Table:
    h = ctx.inputs.headlines.sort_values("vintage")
    cols = tb.columns("Release", ("LSOAs", True), ("In national 1%", True), ("In national 10%", True),
                      ("Share in national 10%", True), ("People in national 10% LSOAs", True),
                      ("In national 20%", True), ("Share in national 20%", True),
                      ("Rank among authorities by share in 10%", True), ("Authorities ranked", True))  # fmt: skip
    rows = [[Cell(f"IoD{r.vintage}", str(r.vintage), header=True), tb.number(r.lsoas), tb.number(r.lsoas_in_national_1pct),
             tb.number(r.lsoas_in_national_10pct), tb.number(r.share_in_national_10pct, 1, percent=True),
             tb.number(r.population_in_national_10pct), tb.number(r.lsoas_in_national_20pct),
             tb.number(r.share_in_national_20pct, 1, percent=True), tb.number(r.lad_rank_by_share_in_10pct), tb.number(r.lads_ranked)]
            for r in h.itertuples()]  # fmt: skip
    return tb.Table("headlines-table", f"Headline figures for {ctx.city_name}", cols, tb.rows(rows),
                    note="Rank 1 = the authority with the highest share of its LSOAs in the national most deprived 10% (as MHCLG's File 10).")  # fmt: skip


def _tier_links(ctx: SiteContext, path: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    groups = []
    for info in ctx.tiers.site_tiers:
        tier = info.key
        if tier not in ctx.plan:
            continue
        links = [(f"All {info.plural} (overview)", rel(path, f"{info.slug}/index.html"), "")]
        links += [
            (a.name, rel(path, a.url), "")
            for a in sorted(ctx.plan[tier].values(), key=lambda a: a.name.casefold())
        ]
        groups.append((info.plural.capitalize(), links))
    return groups


def _rank_change_links(ctx: SiteContext) -> Section | None:
    if not ctx.inputs.rank_changes:
        return None
    links = [
        (f"IoD{a} to IoD{b}", f"rank-changes/{a}-{b}.html", "")
        for a, b in sorted(ctx.inputs.rank_changes)
    ]
    return Section("rank-changes", "Rank changes", "LSOAs that moved into, stayed in or moved out of the most deprived 1% nationally.",
                   links=[("Releases compared", links)])  # fmt: skip


def _england_link(ctx: SiteContext) -> Section | None:
    if ctx.inputs.authorities is None or ctx.inputs.authorities.empty:
        return None
    return Section("england", "England", f"{ctx.city_name} among every local authority of England, on every summary measure and in every release.",
                   links=[("England", [("Every authority of England", "england.html", "")])])  # fmt: skip


def _city_lsoa_table(ctx: SiteContext, path: str) -> tb.Table:
    members = {year: pd.Series(1.0, index=ctx.lsoa_props[year].index) for year in ctx.years()}
    table = lsoa_table(ctx, members)
    ward_urls = {a.name: rel(path, a.url) for a in ctx.plan.get(WARD.key, {}).values()}
    rows = []
    for row in table.rows:
        code = row.cells[0].text
        ward = row.cells[3].text
        href = f"{ward_urls[ward]}#lsoa-{code}" if ward in ward_urls else None
        rows.append(tb.Row((Cell(code, code, href, header=True), *row.cells[1:]), row.id))
    return tb.Table(table.id, table.caption, table.columns, tuple(rows), note=table.note)


def rank_change_page(ctx: SiteContext, pair: tuple[int, int]) -> Page:
    """LSOAs that moved into, stayed in or moved out of the national 1% between two releases."""
    a, b = pair
    path = f"rank-changes/{a}-{b}.html"
    table = ctx.inputs.rank_changes[pair]
    year = vintage_year(b)
    shapes = ctx.lsoa_shapes(year, CITY.key)
    order = list(STATUS_COLOURS)
    data = MapData(f"Rank changes IoD{a} to IoD{b}")
    context = shapes.drop(index=[c for c in table["lsoa_code"].unique() if c in shapes.index])
    data.add_geometry(
        "context",
        context,
        [{} for _ in range(len(context))],
        decimals=ctx.options.decimals[CITY.key],
    )
    data.add_outline("context", f"Other {ctx.city_name} LSOAs", geometry="context", colour=CONTEXT_LINE, weight=0.5,
                     legend=None, show=True, interactive=False)  # fmt: skip
    first = (table.assign(_o=table["status"].map(order.index)).sort_values(["lsoa_code", "_o"])
             .drop_duplicates("lsoa_code").drop(columns="_o"))  # fmt: skip
    first = first.loc[first["lsoa_code"].isin(shapes.index)]
    codes = first["lsoa_code"].tolist()
    props = _lsoa_features(ctx, year, codes, None)
    for p, (_, r) in zip(props, first.iterrows(), strict=True):
        p["l"] = _str(r["local_name"]) or p.get("l")
        p["w"] = _str(r["ward_name"]) or p.get("w")
    data.add_geometry(
        "changes", shapes.loc[codes], props, decimals=ctx.options.decimals[CITY.key], fit=True
    )
    data.add_layer(
        "status", f"Status IoD{a} to IoD{b}", geometry="changes",
        legend=status_legend(f"Most deprived 1%, IoD{a} to IoD{b}"),
        classes=[order.index(s) for s in first["status"]],
        values=[[_num(r["rank_from"]), _num(r["rank_to"]), _num(r["rank_change"]), STATUS_LABELS[r["status"]]] for _, r in first.iterrows()],
        fields=[(f"IMD rank {a}", "int"), (f"IMD rank {b}", "int"), ("Rank change", "change"), ("Status", "text")],
        show=True, edge=HIGHLIGHT_EDGE,
    )  # fmt: skip
    _ward_outlines(ctx, data, path)
    counts = table["status"].value_counts()
    n_from = int(counts.get("remained", 0) + counts.get("moved_out", 0))
    n_to = int(counts.get("remained", 0) + counts.get("moved_in", 0))
    sentences = [
        f"{n_to:,} {_lsoa_rows(n_to)} of {ctx.city_name} {'is' if n_to == 1 else 'are'} in the most deprived 1% nationally in IoD{b}, against {n_from:,} in IoD{a}.",
        f"{int(counts.get('remained', 0)):,} remained in the most deprived 1%, {int(counts.get('moved_in', 0)):,} moved into it and {int(counts.get('moved_out', 0)):,} moved out of it, relative to other LSOAs in England.",
        "A rank compares an LSOA with all others: moving out of the 1% means others now rank as more deprived, not necessarily that conditions improved.",
    ]  # fmt: skip
    ward_urls = {a_.code: a_.url for a_ in ctx.plan.get(WARD.key, {}).values()}
    cols = tb.columns("LSOA code", f"LSOA code {a}", "Local name", "Ward", (f"IMD rank {a}", True), (f"IMD rank {b}", True),
                      ("Rank change", True), ("Percentile from", True), ("Percentile to", True), "Status", "Change type")  # fmt: skip
    rows = []
    for _, r in table.iterrows():
        ward_url = ward_urls.get(str(r["ward_code"]))
        rows.append([
            Cell(str(r["lsoa_code"]), str(r["lsoa_code"]), rel(path, ward_url) + f"#lsoa-{r['lsoa_code']}" if ward_url else None, header=True),
            tb.text(r["lsoa_code_from"]), tb.text(r["local_name"]),
            tb.text(r["ward_name"], rel(path, ward_url) if ward_url else None),
            tb.number(r["rank_from"]), tb.number(r["rank_to"]), tb.signed(r["rank_change"]),
            tb.number(r["percentile_from"]), tb.number(r["percentile_to"]),
            tb.text(r["status_text"]), tb.text(f"{r['change_type']}: {r['change_note']}" if not tb.missing(r["change_note"]) else r["change_type"]),
        ])  # fmt: skip
    t = tb.Table("changes-table", f"LSOAs in the most deprived 1% in IoD{a} or IoD{b} ({len(rows)} rows)", cols, tb.rows(rows),
                 note="Rank change = later rank minus earlier rank: negative = ranked relatively more deprived. Across the 2021 boundary change, each 2021 LSOA is compared with the 2011 LSOA(s) it came from.")  # fmt: skip
    return map_page(
        ctx, path, data, "map_page.html.j2", title=f"Rank changes IoD{a} to IoD{b}",
        heading=f"Most deprived 1%: IoD{a} to IoD{b}", kicker="", sentences=sentences,
        map_title=f"Map of rank changes, IoD{a} to IoD{b}",
        map_note=f"LSOAs in the national most deprived 1% in either release, coloured by status (IoD{b} boundaries).",
        breadcrumbs=[("City", "index.html"), (f"Rank changes IoD{a} to IoD{b}", None)],
        sections=[Section("changes", "The LSOAs", "", [t])],
    )  # fmt: skip


def _lsoa_rows(n: int) -> str:
    return "LSOA" if n == 1 else "LSOAs"


def draw_page(ctx: SiteContext, *, folder: str) -> Page:
    """Build the drawing page: the latest release's LSOAs by decile, ward outlines, the draw form."""
    path = "draw.html"
    data = MapData("Draw neighbourhoods")
    year = vintage_year(ctx.latest)
    shapes = ctx.lsoa_shapes(year, CITY.key)
    codes = list(shapes.index)
    data.add_geometry(
        geometry_key(year),
        shapes,
        _lsoa_features(ctx, year, codes, None),
        decimals=ctx.options.decimals[CITY.key],
        fit=True,
    )
    table = ctx.values[ctx.latest].reindex(codes)
    data.add_layer(
        f"imd-{ctx.latest}", f"IMD {ctx.latest}: national decile", geometry=geometry_key(year),
        legend=decile_legend(f"IMD, IoD{ctx.latest}: national decile"),
        classes=[None if tb.missing(d) else int(d) - 1 for d in table["imd_decile"]],
        values=[[_num(r), _num(d)] for r, d in zip(table["imd_rank"], table["imd_decile"], strict=True)],
        fields=[(f"IMD {ctx.latest} national rank", "int"), (f"IMD {ctx.latest} national decile", "decile")], show=True,
    )  # fmt: skip
    _ward_outlines(ctx, data, path, show=True, interactive=False)
    data.extra["wards"] = sorted(a.name for a in ctx.plan.get(WARD.key, {}).values())
    data.extra["legendPosition"] = "bottomright"  # the draw toolbar is on the left
    layer = ctx.inputs.lsoas[ctx.latest].set_index("lsoa_code")
    data.extra["population"] = [_num(p) for p in layer["population"].reindex(codes)]
    data.extra["release"] = f"IoD{ctx.latest}"
    data.extra["drawStyle"] = DRAW_STYLE
    return map_page(ctx, path, data, "draw.html.j2", draw=True, title="Draw neighbourhoods",
                     heading="Draw neighbourhoods", folder=folder,
                     breadcrumbs=[("City", "index.html"), ("Draw neighbourhoods", None)])  # fmt: skip


PageBuilder = Callable[[], Page]


# --- glossary ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One glossary entry."""

    id: str
    term: str
    text: str


def glossary_terms(ctx: SiteContext) -> list[Term]:
    """Return the glossary: every word of the figures in plain English, with local numbers."""
    n11 = VINTAGES[2019].n_national
    n21 = VINTAGES[2025].n_national
    counts = {year: len(layer) for year, layer in _layers_by_year(ctx).items()}
    local = ", ".join(f"{n:,} on the {y} LSOAs" for y, n in sorted(counts.items()))
    return [
        Term("lsoa", "LSOA (Lower layer Super Output Area)",
             "A small area drawn by the Office for National Statistics for publishing statistics: "
             "about 1,500 people (between 1,000 and 3,000), or 400 to 1,200 households. "
             f"{ctx.city_name} has {local}. The boundaries were redrawn after the 2021 Census, so "
             "IoD2015 and IoD2019 use the 2011 LSOAs and IoD2025 the 2021 LSOAs."),
        Term("imd", "IMD (Index of Multiple Deprivation)",
             "The official measure of relative deprivation for small areas in England. It combines "
             "seven domains: income, employment, education, health, crime, barriers to housing and "
             "services, and living environment."),
        Term("rank", "National rank",
             f"Every LSOA in England is put in order, from the most deprived (rank 1) to the least "
             f"deprived ({n11:,} in IoD2015 and IoD2019, {n21:,} in IoD2025). Ranks are never "
             "recalculated within the city."),
        Term("decile", "Decile",
             "The LSOAs of England split into ten equal groups by rank. Decile 1 is the most "
             "deprived 10% of England, decile 10 the least deprived 10%."),
        Term("national-10pct", "The national 10% (most deprived 10% nationally)",
             "The LSOAs in decile 1: the most deprived tenth of all LSOAs in England."),
        Term("national-1pct", "The national 1% (most deprived 1% nationally)",
             f"The most deprived hundredth of all LSOAs in England: rank {n11 // 100:,} or nearer "
             f"to rank 1 in IoD2015 and IoD2019, rank {n21 // 100:,} or nearer in IoD2025. "
             f"{ctx.city_name}'s priority neighbourhoods are its LSOAs in the national 1% of "
             f"IoD{ctx.options.priority_vintage}."),
        Term("more-deprived", "More deprived, less deprived",
             "The indices compare areas with each other. An area is more deprived than another "
             "when it ranks nearer rank 1; the site always says more or less deprived rather than "
             "higher or lower rank."),
        Term("rank-change", "Rank change",
             "How far an LSOA moved in the national order between two releases, counted so that "
             "a move towards the most deprived end is shown as more deprived. A change of rank "
             "shows an area moving relative to all others: an LSOA can become relatively more "
             "deprived while its own conditions improve, if other areas improve faster."),
        Term("moved-in", "Moved into / out of the 1% or 10%",
             "An LSOA that was outside the national 1% (or 10%) in one release and inside it in "
             "the next moved into it; the reverse moved out of it. LSOAs whose boundaries changed "
             "in 2021 are compared through their 2011 predecessor."),
        Term("score", "Average score",
             "The IMD scores of an area's LSOAs, averaged with each LSOA weighted by its "
             "population. A higher average score means more deprived."),
        Term("average-rank", "Average rank",
             "The official summary measure of the national ranks of an area's LSOAs, weighted by "
             "population. It is counted the other way from LSOA ranks: a larger average rank "
             "means more deprived."),
        Term("extent", "Extent",
             "The share of an area's people who live in the most deprived LSOAs of England: all of "
             "those in the most deprived 10%, and a sliding part of those between the most "
             "deprived 10% and 30%. 0% means nobody lives in such areas."),
        Term("local-concentration", "Local concentration",
             "How deprived the most deprived parts of an area are: the population-weighted "
             "average rank of the area's most deprived LSOAs that together hold 10% of its "
             "people. A larger value means more deprived hot spots."),
        Term("scale", "Income scale, employment scale",
             "The number of people who are income deprived (or employment deprived) in the "
             "area: a count of people, not a share."),
        Term("equivalent", "The equivalent of 2.4 LSOAs",
             "A drawn neighbourhood, or an area compared across the 2021 boundary change, can "
             "hold parts of LSOAs. Its figures then add up the parts (by population or area), so "
             "counts of LSOAs can have a decimal place."),
        Term("ward-shape", "Ward shape and best-fit LSOAs",
             "The statistics of a ward come from the whole LSOAs that best fit it (the ONS "
             "population-weighted best fit). The ward outline drawn on the maps follows the real "
             "ward boundary, built from Output Areas (areas of about 300 people) assigned to "
             "wards by their postcodes, so a ward's LSOAs can spill over its outline a little."),
        Term("priority", "Priority neighbourhood, priority ward",
             f"A priority neighbourhood is an LSOA of {ctx.city_name} in the most deprived 1% "
             f"nationally in IoD{ctx.options.priority_vintage}; a priority ward is a ward holding "
             "at least one."),
        Term("postcode", "Postcode search",
             "The search box finds every live postcode of the authority (ONS National Statistics "
             "Postcode Lookup): its LSOA, ward, committee, decile in each release and whether it "
             "lies in a priority neighbourhood."),
    ]  # fmt: skip


def _layers_by_year(ctx: SiteContext) -> dict[int, pd.DataFrame]:
    return {VINTAGES[v].lsoa_year: ctx.inputs.lsoas[v] for v in sorted(ctx.inputs.lsoas)}


def glossary_page(ctx: SiteContext) -> Page:
    """Build the glossary page (``glossary.html``), linked from every table and map."""
    path = "glossary.html"
    html = ctx.render("glossary.html.j2", path, title="What the words mean",
                      terms=glossary_terms(ctx),
                      breadcrumbs=[("City", "index.html"), ("What the words mean", None)])  # fmt: skip
    return Page(path, html)


# --- the story of an area across releases -------------------------------------------------

MOVE_WORDS: Final = {
    "into_1pct": "moved into the most deprived 1% nationally",
    "out_of_1pct": "moved out of the most deprived 1% nationally",
    "into_10pct": "moved into the most deprived 10% nationally",
    "out_of_10pct": "moved out of the most deprived 10% nationally",
}
"""What each threshold move of the facts (:data:`geo.statistics.facts.MOVES`) says."""


def area_moves(
    changes: pd.DataFrame | None, members: Mapping[int, pd.Series], vintages: Sequence[int]
) -> list[tuple[int, int, str, list[str]]]:
    """Return the LSOAs of an area that crossed a national threshold, per pair of releases.

    Args:
        changes: The facts' LSOA changes (``vintage_from, vintage_to, lsoa_code, move``).
        members: LSOA year → the area's LSOA codes (index) in that geography.
        vintages: The releases built, oldest first.

    Returns:
        ``(vintage_from, vintage_to, move, [lsoa codes of the later release])`` for every
        move with at least one LSOA, in release order and :data:`MOVE_WORDS` order.

    """
    if changes is None or changes.empty:
        return []
    out = []
    for a, b in itertools.pairwise(vintages):
        year = VINTAGES[b].lsoa_year
        mine = set(map(str, members.get(year, pd.Series(dtype=float)).index))
        rows = changes.loc[(changes["vintage_from"] == a) & (changes["vintage_to"] == b)
                           & changes["lsoa_code"].astype(str).isin(mine) & changes["move"].notna()]  # fmt: skip
        for move in MOVE_WORDS:
            codes = sorted(rows.loc[rows["move"] == move, "lsoa_code"].astype(str))
            if codes:
                out.append((int(a), int(b), move, codes))
    return out


def story_section(
    ctx: SiteContext, area: Area, members: Mapping[int, pd.Series], *, profile: str | None
) -> Section:
    """Build the area across releases: its LSOAs in the national 1% and 10%, and who moved."""
    frame = ctx.summary(area.tier, area.code)
    figures = _figures(frame, ctx.vintages)
    cols = tb.columns("Release", ("LSOAs", True), ("In the most deprived 10% nationally", True),
                      ("In the most deprived 1% nationally", True))  # fmt: skip
    rows = [[Cell(f"IoD{f.vintage}", str(f.vintage), header=True), tb.count(f.lsoas),
             tb.count(f.in_10pct), tb.count(f.in_1pct)] for f in figures]  # fmt: skip
    table = tb.Table("story", f"{area.name}: LSOAs in the national 1% and 10%, by release", cols,
                     tb.rows(rows), sortable=False,
                     note="IoD2015 and IoD2019 count the 2011 LSOAs, IoD2025 the 2021 LSOAs.")  # fmt: skip
    moves = area_moves(ctx.inputs.lsoa_changes, members, sorted(ctx.vintages))
    groups = [
        (f"IoD{a} to IoD{b}: {len(codes)} {'LSOA' if len(codes) == 1 else 'LSOAs'} {MOVE_WORDS[move]}",
         [(_lsoa_label(ctx, c), f"#lsoa-{c}", c) for c in codes])
        for a, b, move, codes in moves
    ]  # fmt: skip
    if moves:
        intro = "Which of its LSOAs moved into or out of the national 1% and 10% between releases (named below)."
    else:
        intro = "None of its LSOAs moved into or out of the national 1% or 10% between releases."
    if profile:
        intro += " The printable profile has the same story, ready for A4."
    section = Section("story", "Since IoD2015: the 1% and the 10%", intro, [table], links=groups)
    if profile:
        section.links.append(("Printable profile", [(f"Profile of {area.name}", profile, "")]))
    return section


def _lsoa_label(ctx: SiteContext, code: str) -> str:
    local = _local_name(ctx, code)
    for props in ctx.lsoa_props.values():
        if code in props.index:
            name = _str(props.at[code, "lsoa_name"]) or code
            return f"{name} ({local})" if local and local != name else name
    return code
