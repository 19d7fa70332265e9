"""The content of an area profile, built from the pipeline's CSV and Parquet outputs.

:class:`ProfileInputs` holds what the profiles read (tier summaries with the city's, England's
summary, the LSOA layers, tier memberships, the drawn neighbourhoods' fit, the indicators
aggregated to every tier); :func:`build_profile` turns one area into a :class:`Profile`:

* the summary measures of every release for the area, the city and England
  (:data:`SUMMARY_MEASURES`), and the IMD's and each domain's average score, average rank
  and share of LSOAs in the national 10% (:data:`INDEX_MEASURES`) — every figure a
  :class:`Value` that remembers which row and column of which table it came from, so the page
  can carry it as data attributes and a test can check it against the CSV;
* the area's LSOAs with their national IMD rank and decile in every release, and the count of
  them in each national decile (share-weighted for areas holding LSOAs in part);
* "what stands out" (:mod:`geo.presentation.profiles.standout`) and the changes between releases
  (:mod:`geo.presentation.profiles.changes`), both worded relatively;
* each indicator's time series for the area and the city, with gaps and suppressed values
  (:mod:`geo.presentation.profiles.charts`).

Areas, their page URLs and their place in the hierarchy come from the site's own plan
(:func:`geo.presentation.site.model.plan_areas`), so a profile's URL is ``profiles/`` + the URL of the
area's map page.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

import geopandas as gpd
import pandas as pd

from geo.model.domains import DOMAINS, IMD, INDICES
from geo.model.releases import OFFICIAL, VINTAGES, Thresholds
from geo.model.tiers import CITY, Build, Tier, TierRegistry, core_registry
from geo.presentation.profiles import changes as ch
from geo.presentation.profiles import standout as so
from geo.presentation.profiles.charts import Chart, Point, decile_chart, format_count, series_chart
from geo.presentation.profiles.framework import FrameworkTheme, framework_themes
from geo.presentation.profiles.minimap import area_map_svg
from geo.presentation.profiles.national import ENGLAND_CODE
from geo.presentation.site.model import Area, plan_areas, vintage_year
from geo.statistics.facts import area_standouts, gaps_from_table, lsoa_changes
from geo.statistics.indicators import Indicator

logger = logging.getLogger(__name__)


SUMMARY_MEASURES: Final[tuple[tuple[str, str, str], ...]] = (
    ("population", "Population", "int"),
    ("lsoas", "LSOAs", "count"),
    ("lsoas_in_national_20pct", "LSOAs in the most deprived 20% nationally", "count"),
    ("lsoas_in_national_10pct", "LSOAs in the most deprived 10% nationally", "count"),
    ("lsoas_in_national_1pct", "LSOAs in the most deprived 1% nationally", "count"),
    ("imd_average_score", "IMD average score (higher = more deprived)", "score"),
    ("imd_average_rank", "IMD average rank (higher = more deprived)", "rank"),
    ("imd_proportion_10pct", "Share of LSOAs in the national 10%", "pct"),
    ("imd_extent", "Extent (share of people in the most deprived areas)", "pct"),
    ("imd_local_concentration", "Local concentration (higher = more deprived)", "rank"),
    ("income_scale", "Income scale (people income-deprived)", "int"),
    ("employment_scale", "Employment scale (people employment-deprived)", "int"),
)
"""Summary measures shown for the area, the city and England: column, label, format."""

INDEX_MEASURES: Final[tuple[tuple[str, str, str], ...]] = (
    ("average_score", "Average score", "score"),
    ("average_rank", "Average rank", "rank"),
    ("proportion_10pct", "In national 10%", "pct"),
)
"""Per index (IMD and domains): column suffix, short label, format."""

SOURCES: Final[tuple[str, ...]] = ("area", CITY.key, "england")


def format_value(value: float | None, fmt: str) -> str:
    """Format a figure as the profile shows it (``–`` when missing).

    ``int`` 12,345; ``count`` 12 or 12.4 (apportioned); ``rank`` 12,345; ``pct`` a 0–1 share
    as 12.3%; ``score`` 2 decimals, or 3 below 1 (domain rates such as 0.125).
    """
    if value is None or math.isnan(value):
        return "–"
    if fmt == "int" or fmt == "rank":
        return f"{value:,.0f}"
    if fmt == "count":
        return format_count(value)
    if fmt == "pct":
        return f"{100 * value:.1f}%"
    if fmt == "score":
        return f"{value:,.3f}" if abs(value) < 1 else f"{value:,.2f}"
    msg = f"format_value: unknown format {fmt!r}"
    raise ValueError(msg)


@dataclass(frozen=True)
class Value:
    """One figure with where it came from: table (source), area code, column, release."""

    source: str
    """``area``, ``city`` or ``england``."""
    code: str
    measure: str
    vintage: int
    value: float | None
    text: str


@dataclass(frozen=True)
class Row:
    """A labelled row of figures."""

    key: str
    label: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class LsoaRow:
    """One LSOA of the area with its national IMD rank and decile in each release."""

    code: str
    name: str
    local_name: str
    ward_name: str
    share: float | None
    """Largest share of the LSOA inside the area; None when always wholly inside."""
    ranks: Mapping[int, tuple[int | None, int | None]]
    """Release → (rank, decile); releases in which it is not a member are absent."""


@dataclass(frozen=True)
class IndicatorView:
    """An indicator on a profile: its metadata, chart and the figures behind it."""

    meta: Indicator
    chart: Chart
    rows: tuple[dict[str, object], ...]
    """The area's rows of ``<indicator>_by_tier.csv``, one per period (with gaps)."""
    group: str = ""
    """Shared title of a family of indicators ("LSOAs in the national most deprived 10%")."""
    short_title: str = ""
    """The title within its group ("Income domain"), or the whole title."""


_FAMILY = re.compile(r"^(?P<group>.+?) \((?P<member>[^()]+)\)$")


def indicator_groups(titles: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """Group indicators by title: name → (group, short title).

    Titles ``"X (Y)"`` shared by two or more indicators form a group ``X`` with short titles
    ``Y``; any other indicator stands alone (no group, its whole title).
    """
    parts = {name: _FAMILY.match(title) for name, title in titles.items()}
    counts: dict[str, int] = {}
    for m in parts.values():
        if m:
            counts[m["group"]] = counts.get(m["group"], 0) + 1
    out = {}
    for name, title in titles.items():
        m = parts[name]
        out[name] = (m["group"], m["member"]) if m and counts[m["group"]] > 1 else ("", title)
    return out


@dataclass(frozen=True)
class ChangeBlock:
    """The changes between two releases, as sentences."""

    before: int
    after: int
    sentences: tuple[str, ...]


@dataclass
class Profile:
    """Everything shown on one area's profile."""

    area: Area
    path: str
    """``profiles/<tier slug>/<slug>.html``."""
    vintages: tuple[int, ...]
    city_name: str
    city_code: str
    summary: tuple[Row, ...]
    indices: tuple[Row, ...]
    lsoas: tuple[LsoaRow, ...]
    deciles: Mapping[int, list[float]]
    decile_chart: Chart
    overall: str | None
    standout_vintage: int | None
    standouts: tuple[str, ...]
    changes: tuple[ChangeBlock, ...]
    indicators: tuple[IndicatorView, ...]
    missing_indicators: tuple[str, ...]
    tiers: TierRegistry
    """The authority's tiers (labels of the area's own and its parents' tiers)."""
    population_source: str = ""
    map_svg: str = ""
    """A small map of the area's LSOAs by decile in the latest release (inline SVG)."""
    framework: tuple[FrameworkTheme, ...] = ()
    """The performance framework's indicators by theme (:mod:`geo.presentation.profiles.framework`)."""

    @property
    def tier(self) -> Tier:
        """The area's tier."""
        return self.tiers[self.area.tier]

    @property
    def latest_lsoas(self) -> int:
        """Return how many LSOAs the area has (wholly or partly) in the latest release."""
        return sum(1 for row in self.lsoas if self.latest in row.ranks)

    @property
    def latest(self) -> int:
        """Return the latest release."""
        return self.vintages[-1]

    @property
    def indicator_groups(self) -> list[tuple[str, list[IndicatorView]]]:
        """Return the indicators by group, in the order of their first member."""
        out: dict[str, list[IndicatorView]] = {}
        for view in self.indicators:
            out.setdefault(view.group, []).append(view)
        return list(out.items())

    @property
    def tier_label(self) -> str:
        """Name the tier: ``"Ward"``, ``"Community committee"`` …."""
        return self.tier.singular

    def value(self, measure: str, vintage: int, source: str = "area") -> Value | None:
        """Return the figure of ``measure`` in ``vintage`` from ``source`` (None if not shown)."""
        for row in (*self.summary, *self.indices):
            for v in row.values:
                if v.measure == measure and v.vintage == vintage and v.source == source:
                    return v
        return None


@dataclass
class ProfileInputs:
    """The pipeline outputs the profiles read (already loaded)."""

    lad_code: str
    lad_name: str
    summaries: dict[str, pd.DataFrame]
    """Tier → summary table (all releases), including ``city``."""
    england: pd.DataFrame
    """England's summary row per release (:func:`geo.presentation.profiles.national.england_summary`)."""
    layers: dict[int, pd.DataFrame]
    """Release → the authority's LSOA table (ranks, deciles, names), no geometry."""
    membership: pd.DataFrame
    """``lsoa_membership.csv``: LSOA names, local names and wards, per LSOA geography."""
    members: pd.DataFrame
    """``tier, area_code, lsoa_year, lsoa_code, share`` of the LSOA-based tiers."""
    areas: pd.DataFrame
    """``tier_areas``: one row per area of each tier with its parents."""
    crosswalk: pd.DataFrame | None = None
    drawn_fit: pd.DataFrame | None = None
    indicators: dict[str, tuple[Indicator, pd.DataFrame]] = field(default_factory=dict)
    """Indicator name → (metadata, ``<name>_by_tier.csv``)."""
    tiers: TierRegistry = field(default_factory=core_registry)
    """The authority's tiers."""
    thresholds: Thresholds = OFFICIAL
    """The national thresholds (config ``thresholds``)."""
    lsoa_changes: pd.DataFrame | None = None
    """Facts: each LSOA's rank change and threshold move (:func:`geo.statistics.facts.lsoa_changes`)."""

    area_standouts: pd.DataFrame | None = None
    """Facts: each domain of each area beside the city's (:func:`geo.statistics.facts.area_standouts`)."""
    shapes: gpd.GeoSeries | None = None
    """The latest release's LSOA polygons (projected), indexed by code, for the small map."""

    england_indicators: pd.DataFrame | None = None
    """England's figure of the indicators whose sources cover England (``indicators/england.csv``)."""

    def standouts(self) -> pd.DataFrame:
        """Return the what-stands-out facts (derived from the summaries when not read)."""
        if self.area_standouts is None:
            self.area_standouts = area_standouts(self.summaries, tiers=self.tiers)
        return self.area_standouts

    def changes(self) -> pd.DataFrame:
        """Return the LSOA-change facts (derived from the layers when not read)."""
        if self.lsoa_changes is None:
            self.lsoa_changes = lsoa_changes(
                self.layers, crosswalk=self.crosswalk, thresholds=self.thresholds
            )
        return self.lsoa_changes

    @property
    def vintages(self) -> tuple[int, ...]:
        """Return the releases built, oldest first."""
        return tuple(sorted(self.layers))


# --- areas -----------------------------------------------------------------------------------


def plan_profiles(inputs: ProfileInputs, tiers: Sequence[str]) -> dict[str, dict[str, Area]]:
    """Plan every area of the site, by tier (only ``tiers`` get profiles; others link up).

    The site's :func:`geo.presentation.site.model.plan_areas` gives the URLs, breadcrumbs and
    children, from the tier areas and the summaries. Tiers the authority lacks (another
    authority's, allowed by :func:`geo.model.config.cross_check`) are skipped.
    """
    lacking = [t for t in tiers if t not in inputs.tiers]
    if lacking:
        logger.info("Profiles: %s has no tier(s) %s; skipped", inputs.lad_name, lacking)
    return plan_areas(inputs.areas, inputs.summaries, inputs.tiers)


def profile_path(area: Area) -> str:
    """Return the profile's path from the site root: ``profiles/ward/armley.html``."""
    return f"profiles/{area.url}"


# --- figures ---------------------------------------------------------------------------------


def _row_of(table: pd.DataFrame | None, code: str | None, vintage: int) -> dict[str, object]:
    if table is None or table.empty:
        return {}
    rows = table.loc[table["vintage"] == vintage]
    if code is not None:
        rows = rows.loc[rows["area_code"].astype(str) == code]
    return {} if rows.empty else dict(rows.iloc[0])


_float = so.as_float


def _value(
    source: str, code: str, row: Mapping[str, object], measure: str, vintage: int, fmt: str
) -> Value:
    x = _float(row.get(measure))
    return Value(source, code, measure, vintage, x, format_value(x, fmt))


@dataclass(frozen=True)
class _Rows:
    area: dict[int, dict[str, object]]
    city: dict[int, dict[str, object]]
    england: dict[int, dict[str, object]]


def _summary_rows(inputs: ProfileInputs, area: Area) -> _Rows:
    vs = inputs.vintages
    return _Rows(
        {v: _row_of(inputs.summaries.get(area.tier), area.code, v) for v in vs},
        {v: _row_of(inputs.summaries.get(CITY.key), None, v) for v in vs},
        {v: _row_of(inputs.england, None, v) for v in vs},
    )


def summary_table(
    rows: _Rows, *, area_code: str, city_code: str, vintages: Sequence[int]
) -> tuple[Row, ...]:
    """Tabulate the summary measures: per release, the area's, the city's and England's."""
    out = []
    for measure, label, fmt in SUMMARY_MEASURES:
        values = []
        for v in sorted(vintages, reverse=True):
            values.append(_value("area", area_code, rows.area[v], measure, v, fmt))
            values.append(_value(CITY.key, city_code, rows.city[v], measure, v, fmt))
            values.append(_value("england", ENGLAND_CODE, rows.england[v], measure, v, fmt))
        out.append(Row(measure, label, tuple(values)))
    return tuple(out)


def index_table(rows: _Rows, *, area_code: str, vintages: Sequence[int]) -> tuple[Row, ...]:
    """Tabulate the IMD and each domain: average score, average rank, share in the 10%."""
    out = []
    for index in INDICES:
        values = [
            _value("area", area_code, rows.area[v], f"{index.stem}_{suffix}", v, fmt)
            for v in sorted(vintages, reverse=True)
            for suffix, _, fmt in INDEX_MEASURES
        ]
        out.append(Row(index.stem, index.label, tuple(values)))
    return tuple(out)


# --- LSOAs ---------------------------------------------------------------------------------


def area_members(inputs: ProfileInputs, area: Area, vintage: int) -> pd.Series:
    """Return the share of each LSOA in ``area`` (1 = wholly) in ``vintage``, by LSOA code."""
    if inputs.tiers[area.tier].build is Build.DRAWN:
        fit = inputs.drawn_fit
        if fit is None or fit.empty:
            return pd.Series(dtype=float)
        rows = fit.loc[(fit["area_code"].astype(str) == area.code) & (fit["vintage"] == vintage)]
        rows = rows.loc[rows["share_used"] > 0]
        return rows.groupby("lsoa_code")["share_used"].sum().sort_index()
    m = inputs.members
    year = vintage_year(vintage)
    rows = m.loc[
        (m["tier"] == area.tier)
        & (m["area_code"].astype(str) == area.code)
        & (m["lsoa_year"] == year)
    ]
    return rows.groupby("lsoa_code")["share"].sum().sort_index()


def decile_counts(layer: pd.DataFrame, shares: pd.Series, *, stem: str = IMD.stem) -> list[float]:
    """Count the area's LSOAs (share-weighted) in each national decile, 1 to 10."""
    deciles = layer.set_index("lsoa_code")[f"{stem}_decile"].reindex(shares.index)
    missing = deciles.index[deciles.isna()].tolist()
    if missing:
        msg = f"decile_counts: LSOA(s) without a national {stem} decile: {missing[:5]}"
        raise ValueError(msg)
    sums = shares.groupby(deciles.astype(int).to_numpy()).sum()
    return [float(sums.get(d, 0.0)) for d in range(1, 11)]


def _names(inputs: ProfileInputs) -> pd.DataFrame:
    m = inputs.membership
    cols = ["lsoa_code", "lsoa_name", "local_name", "ward_name"]
    return (
        m.loc[:, [c for c in cols if c in m.columns]]
        .drop_duplicates("lsoa_code")
        .set_index("lsoa_code")
    )


def lsoa_rows(inputs: ProfileInputs, shares: Mapping[int, pd.Series]) -> tuple[LsoaRow, ...]:
    """List the area's LSOAs (any geography) with their IMD rank and decile per release."""
    names = _names(inputs)
    codes = sorted({str(c) for s in shares.values() for c in s.index})
    out = []
    for code in codes:
        ranks: dict[int, tuple[int | None, int | None]] = {}
        inside = []
        for v, s in shares.items():
            if code not in s.index:
                continue
            inside.append(float(s[code]))
            layer = inputs.layers[v].set_index("lsoa_code")
            rank = _float(layer.at[code, "imd_rank"]) if code in layer.index else None
            decile = _float(layer.at[code, "imd_decile"]) if code in layer.index else None
            ranks[v] = (
                None if rank is None else int(rank),
                None if decile is None else int(decile),
            )
        row = names.loc[code] if code in names.index else pd.Series(dtype=object)
        share = max(inside) if inside and max(inside) < 0.9995 else None
        out.append(LsoaRow(code, _text(row.get("lsoa_name")), _text(row.get("local_name")),
                           _text(row.get("ward_name")), share, ranks))  # fmt: skip
    return tuple(out)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value)


# --- standouts and changes ---------------------------------------------------------------------


def _standout_vintage(rows: _Rows, vintages: Sequence[int]) -> int | None:
    """Return the latest release in which the area and the city both have domain figures."""
    for v in sorted(vintages, reverse=True):
        area, city = rows.area[v], rows.city[v]
        if any(_float(area.get(f"{d.stem}_average_rank")) is not None
               and _float(city.get(f"{d.stem}_average_rank")) is not None for d in DOMAINS):  # fmt: skip
            return v
    return None


def standout_panel(rows: _Rows, *, vintages: Sequence[int], area: Area, city_name: str,
                   limit: int, facts: pd.DataFrame) -> tuple[int | None, str | None, list[str]]:  # fmt: skip
    """Return ``(release, overall IMD sentence, standout sentences)`` of the panel.

    The domains' gaps come from the facts (:func:`geo.statistics.facts.area_standouts`);
    this only picks the release and phrases them.
    """
    area_name = area.name
    v = _standout_vintage(rows, vintages)
    if v is None:
        return None, None, []
    national = _float(rows.england[v].get("imd_proportion_10pct"))
    overall = so.overall_sentence(rows.area[v], rows.city[v], vintage=v, city_name=city_name,
                                  national_share=national)  # fmt: skip
    gaps = gaps_from_table(facts, area.tier, area.code, v)
    top = so.standouts(gaps, limit=limit)
    if not top:
        return (
            v,
            overall,
            [so.none_stand_out_sentence(gaps, area_name=area_name, city_name=city_name)],
        )
    return v, overall, [so.standout_sentence(g, city_name=city_name) for g in top]


def _snapshot(row: Mapping[str, object], vintage: int) -> ch.Snapshot | None:
    lsoas = _float(row.get("lsoas"))
    if not lsoas:
        return None
    return ch.Snapshot(
        vintage, lsoas, _float(row.get("lsoas_in_national_10pct")) or 0.0,
        _float(row.get("lsoas_in_national_1pct")) or 0.0, _float(row.get("imd_average_rank")),
        VINTAGES[vintage].n_national,
    )  # fmt: skip


def change_blocks(
    inputs: ProfileInputs,
    rows: _Rows,
    shares: Mapping[int, pd.Series],
) -> tuple[ChangeBlock, ...]:
    """Describe the changes between consecutive releases, latest pair first."""
    names = _names(inputs)
    vs = inputs.vintages
    out = []
    for before, after in itertools.pairwise(vs):
        a, b = _snapshot(rows.area[after], after), _snapshot(rows.area[before], before)
        if a is None or b is None:
            continue
        sentences = [ch.share_sentence(b, a)]
        rank = ch.average_rank_sentence(b, a)
        if rank:
            sentences.append(rank)
        redrawn = vintage_year(before) != vintage_year(after)
        codes = [str(c) for c in shares.get(after, pd.Series(dtype=float)).index]
        display = (
            {c: _text(names["lsoa_name"].get(c)) or c for c in codes}
            if "lsoa_name" in names
            else {}
        )
        moves, skipped = ch.lsoa_moves(
            inputs.changes(), vintages=(before, after), codes=codes, names=display
        )
        sentences += ch.move_sentences(moves, vintage_before=before, vintage_after=after,
                                       skipped=len(skipped), redrawn=redrawn)  # fmt: skip
        out.append(ChangeBlock(before, after, tuple(sentences)))
    return tuple(reversed(out))


# --- indicators -----------------------------------------------------------------------------


def _period_key(period: str) -> tuple[int, float, str]:
    try:
        return (0, float(period), period)
    except ValueError:
        return (1, 0.0, period)


def _points(rows: pd.DataFrame) -> list[Point]:
    out = []
    for r in rows.itertuples(index=False):
        suppressed = bool(getattr(r, "suppressed", False)) and str(r.suppressed).lower() != "false"
        out.append(Point(str(r.period), _float(r.value), suppressed))
    return out


def indicator_views(
    inputs: ProfileInputs, area: Area, *, city_name: str
) -> tuple[tuple[IndicatorView, ...], tuple[str, ...]]:
    """Chart each indicator for the area (with the city); list the titles of those it lacks."""
    views, missing = [], []
    groups = indicator_groups({name: meta.title for name, (meta, _) in inputs.indicators.items()})
    for name, (meta, table) in inputs.indicators.items():
        if meta.theme:  # framework indicators have their own section (framework.py)
            continue
        table = table.assign(
            period=table["period"].astype(str), area_code=table["area_code"].astype(str)
        )
        periods = sorted(table["period"].unique(), key=_period_key)
        mine = table.loc[(table["tier"] == area.tier) & (table["area_code"] == area.code)]
        if mine.empty:
            missing.append(meta.title)
            continue
        city = table.loc[table["tier"] == CITY.key]
        chart = series_chart(
            _points(mine), periods=periods, chart_id=f"ind-{name.replace('_', '-')}", title=meta.title,
            unit=meta.unit, area_name=area.name,
            # a count (people) of the city dwarfs the area's: no city line on counts
            city=_points(city) if not city.empty and meta.kind != "count" else None,
            city_name=city_name, kind=meta.kind,
        )  # fmt: skip
        by_period = {str(r["period"]): r for r in mine.to_dict("records")}
        rows = tuple(by_period.get(p, {"period": p}) for p in periods)
        views.append(IndicatorView(meta, chart, rows, *groups[name]))
    return tuple(views), tuple(missing)


# --- the profile -------------------------------------------------------------------------------


def build_profile(inputs: ProfileInputs, area: Area, *, standout_limit: int = 3) -> Profile:
    """Build the profile of one area.

    Raises:
        ValueError: the area has no summary row in the latest release (naming it).

    """
    vintages = inputs.vintages
    rows = _summary_rows(inputs, area)
    if not rows.area[vintages[-1]]:
        msg = f"profile of {area.tier} {area.code} ({area.name}): no summary row for IoD{vintages[-1]}"
        raise ValueError(msg)
    city_code = str(rows.city[vintages[-1]].get("area_code", inputs.lad_code))
    shares = {v: area_members(inputs, area, v) for v in vintages}
    shares = {v: s for v, s in shares.items() if not s.empty}
    deciles = {v: decile_counts(inputs.layers[v], s) for v, s in shares.items()}
    slug = area.url.replace("/", "-").removesuffix(".html")
    v, overall, standouts = standout_panel(rows, vintages=vintages, area=area,
                                           city_name=inputs.lad_name, limit=standout_limit,
                                           facts=inputs.standouts())  # fmt: skip
    views, missing = indicator_views(inputs, area, city_name=inputs.lad_name)
    return Profile(
        area=area, path=profile_path(area), vintages=vintages, city_name=inputs.lad_name,
        city_code=city_code,
        summary=summary_table(rows, area_code=area.code, city_code=city_code, vintages=vintages),
        indices=index_table(rows, area_code=area.code, vintages=vintages),
        lsoas=lsoa_rows(inputs, shares), deciles=deciles,
        decile_chart=decile_chart(deciles, chart_id=f"deciles-{slug}", area_name=area.name),
        overall=overall, standout_vintage=v, standouts=tuple(standouts),
        changes=change_blocks(inputs, rows, shares),
        indicators=views, missing_indicators=missing, tiers=inputs.tiers,
        population_source=_text(rows.area[vintages[-1]].get("population_source")),
        map_svg=_small_map(inputs, area, shares.get(vintages[-1])),
        framework=framework_themes(inputs.indicators, tier=area.tier, code=area.code,
                                   area_name=area.name, city_name=inputs.lad_name,
                                   england=inputs.england_indicators),
    )  # fmt: skip


def _small_map(inputs: ProfileInputs, area: Area, shares: pd.Series | None) -> str:
    """Draw the area's LSOAs of the latest release as an inline SVG map (empty without shapes)."""
    if inputs.shapes is None or shares is None or shares.empty:
        return ""
    layer = inputs.layers[inputs.vintages[-1]].set_index("lsoa_code")
    codes = [str(c) for c in shares.index]
    decile = pd.to_numeric(layer["imd_decile"], errors="coerce")
    deciles = {c: (int(decile[c]) if c in decile.index and pd.notna(decile[c]) else None)
               for c in codes}  # fmt: skip
    names = {c: str(layer.at[c, "lsoa_name"]) for c in codes if c in layer.index}
    return area_map_svg(inputs.shapes, deciles, names=names,
                        title=f"Map of the LSOAs of {area.name} by national IMD decile, "
                              f"IoD{inputs.vintages[-1]}")  # fmt: skip
