"""The England page: the authority among every local authority of England.

``england.html`` sets the authority beside all the others, from the national table
(``authority_summaries.csv``, :mod:`geo.statistics.peers`: MHCLG's File 10 measures
recomputed from the LSOA data for every authority of every release):

* a map of every authority of the latest release (when it is on 2021 LSOAs, whose
  authorities :mod:`geo.geography.authorities` dissolves), coloured by its rank on a
  summary measure in tenths of the authorities, the authority outlined and linked to its
  own site;
* the authority's rank on each measure in every release, with the number ranked (IMD ranks
  are relative, and the authorities changed between releases);
* every authority of the latest release in one sortable table.

The home page links here; this page links back to the authority's home page.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo.core.checks import show
from geo.core.errors import GeoInputError
from geo.presentation.site import tables as tb
from geo.presentation.site.geometry import simplify_layer
from geo.presentation.site.legends import DECILE_COLOURS, Legend, outline_legend
from geo.presentation.site.mapdata import MapData
from geo.presentation.site.model import vintage_year
from geo.presentation.site.pages import AREA_OUTLINE, Page, Section, SiteContext, map_page, rel
from geo.presentation.site.sentences import ordinal
from geo.presentation.site.tables import Cell
from geo.statistics.peers import MEASURES as NATIONAL_MEASURES

logger = logging.getLogger(__name__)

PATH = "england.html"


@dataclass(frozen=True)
class Measure:
    """A summary measure of File 10 as the England page shows it."""

    column: str
    label: str
    decimals: int
    percent: bool = False
    mapped: bool = False
    """Offered as a map layer (the rank-based measures of the IMD)."""

    @property
    def rank(self) -> str:
        """Column of its rank among the authorities (1 = most deprived)."""
        return f"{self.column}_rank"


_SHOWN: dict[str, tuple[str, int, bool, bool]] = {
    "imd_average_score": ("Average score", 3, False, True),
    "imd_average_rank": ("Average rank", 2, False, True),
    "imd_extent": ("Extent", 1, True, True),
    "imd_local_concentration": ("Local concentration", 2, False, True),
    "imd_proportion_10pct": ("LSOAs in the national 10%", 1, True, True),
    "income_scale": ("Income scale", 0, False, False),
    "employment_scale": ("Employment scale", 0, False, False),
}
"""How each measure of the national table reads here: label, decimals, percent, mapped."""

MEASURES: tuple[Measure, ...] = tuple(
    Measure(column, *_SHOWN[column]) for column in NATIONAL_MEASURES
)
"""The measures of the national table (:data:`geo.statistics.peers.MEASURES`), in its order."""

TENTHS: tuple[str, ...] = (
    "1: most deprived tenth",
    *(f"{d}: {10 * (d - 1)}–{10 * d}%" for d in range(2, 10)),
    "10: least deprived tenth",
)
"""Labels of the map classes: the authorities in tenths by rank (1 = the most deprived)."""


def tenth(rank: float, ranked: int) -> int | None:
    """Return the class (0–9) of ``rank`` among ``ranked`` authorities: the tenth it falls in.

    As the deciles of the IMD: rank r of N is in tenth ⌈10 r / N⌉ (so 1 of 296 to 29 of 296
    are the first tenth, 30 the second).

    >>> tenth(1, 296), tenth(29, 296), tenth(30, 296), tenth(296, 296)
    (0, 0, 1, 9)
    """
    if tb.missing(rank):
        return None
    return min(9, max(0, math.ceil(10 * int(rank) / ranked) - 1))


def england_page(ctx: SiteContext) -> Page | None:
    """Build ``england.html``, or None when the build has no national table."""
    table = ctx.inputs.authorities
    if table is None or table.empty:
        return None
    latest = int(table["vintage"].max())
    rows = table.loc[table["vintage"] == latest].sort_values(MEASURES[0].rank, kind="stable")
    ranked = int(rows["lads_ranked"].max())
    data = MapData(f"Every authority of England, IoD{latest}")
    mapped = _add_map(ctx, data, rows, latest=latest, ranked=ranked)
    sections = [
        Section("history", f"{ctx.city_name} among the authorities, every release",
                "Its rank on each summary measure (1 = the most deprived authority) and how many "
                "authorities were ranked: the authorities themselves changed between releases, "
                "and IMD ranks are relative.", [_history_table(ctx, table)]),
        Section("authorities", f"Every authority, IoD{latest}",
                f"All {len(rows):,} local authorities, most deprived first by average score; sort "
                f"by any column. {ctx.city_name} links to its own pages.",
                [_authority_table(ctx, rows, latest=latest)]),
    ]  # fmt: skip
    note = (
        f"Each authority coloured by the tenth of the {ranked:,} authorities its rank falls in "
        "(choose the measure in Show map layers); the thick outline is "
        f"{ctx.city_name} (select it to open its pages)."
        if mapped
        else f"No map: the authorities' shapes are drawn for a release on 2021 LSOAs, and IoD{latest} is on {vintage_year(latest)} LSOAs."
    )
    return map_page(
        ctx, PATH, data, "map_page.html.j2", labels=False, title="England",
        heading=f"{ctx.city_name} among every authority of England",
        kicker=f"The summary measures of the English Indices of Deprivation for all {len(rows):,} local authorities of England (IoD{latest}), as MHCLG's File 10 defines them.",
        sentences=_sentences(ctx, table, latest=latest), map_title=f"Map of England's authorities, IoD{latest}",
        map_note=note, sections=sections, breadcrumbs=[("City", "index.html"), ("England", None)],
    )  # fmt: skip


def _add_map(
    ctx: SiteContext, data: MapData, rows: pd.DataFrame, *, latest: int, ranked: int
) -> bool:
    """Add the authorities and one layer per mapped measure; False when there is no map."""
    shapes = ctx.inputs.authority_shapes
    if shapes is None or vintage_year(latest) != 2021:
        return False
    codes = set(rows["lad_code"])
    unmapped = sorted(codes - set(shapes["lad_code"]))
    if unmapped:
        msg = f"authority shapes: no polygon for the IoD{latest} authorities {show(unmapped)} (field 'lad_code')"
        raise GeoInputError(msg)
    shapes = shapes.loc[shapes["lad_code"].isin(codes)].sort_values("lad_code")
    simple = simplify_layer(
        gpd.GeoSeries(shapes.geometry.to_numpy(), index=shapes["lad_code"], crs=shapes.crs),
        tolerance_m=ctx.options.simplify_m["england"], coverage=True, source="authority shapes (England page)",
    )  # fmt: skip
    by_code = rows.set_index("lad_code")
    home = rel(PATH, "index.html")
    props = [{"n": by_code.at[c, "lad_name"], "k": c, "u": home if c == ctx.inputs.lad_code else None}
             for c in simple.index]  # fmt: skip
    decimals = ctx.options.decimals["england"]
    data.add_geometry("authorities", simple, props, decimals=decimals, fit=True)
    for i, m in enumerate(x for x in MEASURES if x.mapped):
        ranks = by_code.loc[simple.index, m.rank]
        values = by_code.loc[simple.index, m.column]
        data.add_layer(
            f"lad-{m.column}", f"{m.label}: rank in tenths", geometry="authorities",
            legend=Legend(f"{m.label}, IoD{latest}: rank among the {ranked:,} authorities, in tenths",
                          DECILE_COLOURS, TENTHS, note="Tenths of the authorities by rank.",
                          strip=("1 = most deprived tenth", "10 = least deprived")),
            classes=[tenth(r, ranked) for r in ranks],
            values=[[_int(r), _round(v, m)] for r, v in zip(ranks, values, strict=True)],
            fields=[(f"Rank of {m.label.lower()} (1 = most deprived of {ranked:,})", "int"),
                    (m.label + (" (%)" if m.percent else ""), "num3")],
            show=i == 0, order=(0, i), release=f"IoD{latest}", measure=m.label,
        )  # fmt: skip
    if ctx.inputs.lad_code in simple.index:
        mine = simple.loc[[ctx.inputs.lad_code]]
        data.add_geometry("area", mine, [{"n": ctx.city_name, "k": ctx.inputs.lad_code, "u": home}],
                          decimals=decimals)  # fmt: skip
        colour, weight = AREA_OUTLINE
        data.add_outline("outline-area", ctx.city_name, geometry="area", colour=colour, weight=weight,
                         legend=outline_legend(ctx.city_name, "Boundary", colour), show=True)  # fmt: skip
    return True


def _int(value: object) -> int | None:
    return None if tb.missing(value) else int(value)  # type: ignore[call-overload]


def _round(value: object, m: Measure) -> float | None:
    if tb.missing(value):
        return None
    x = float(value)  # type: ignore[arg-type]
    return round(100 * x if m.percent else x, max(m.decimals, 3))


def _sentences(ctx: SiteContext, table: pd.DataFrame, *, latest: int) -> list[str]:
    mine = table.loc[table["lad_code"] == ctx.inputs.lad_code].set_index("vintage").sort_index()
    if latest not in mine.index:
        return [
            f"{ctx.city_name} ({ctx.inputs.lad_code}) is not among the authorities of IoD{latest}."
        ]
    ranks: dict[int, dict[str, int | None]] = {
        int(str(v)): {
            str(k): _int(val)
            for k, val in row.items()
            if str(k).endswith("_rank") or k == "lads_ranked"
        }
        for v, row in mine.to_dict("index").items()
    }
    r = ranks[latest]
    out = [
        f"In IoD{latest}, {ctx.city_name} ranks {ordinal(r[MEASURES[0].rank] or 0)} of the "
        f"{r['lads_ranked'] or 0:,} local authorities of England by average score, "
        f"{ordinal(r['imd_proportion_10pct_rank'] or 0)} by the share of its LSOAs in the national "
        f"most deprived 10%, and {ordinal(r['imd_extent_rank'] or 0)} by extent (1 = the most deprived)."
    ]
    earlier = [v for v in sorted(ranks) if v < latest and ranks[v][MEASURES[0].rank] is not None]
    if earlier:
        listed = "; ".join(
            f"IoD{v}: {ordinal(ranks[v][MEASURES[0].rank] or 0)} of {ranks[v]['lads_ranked'] or 0:,}"
            for v in earlier
        )
        out.append(f"By average score in earlier releases: {listed}.")
    return out


def _history_table(ctx: SiteContext, table: pd.DataFrame) -> tb.Table:
    mine = table.loc[table["lad_code"] == ctx.inputs.lad_code].sort_values("vintage")
    cols = tb.columns(
        "Release",
        ("Authorities ranked", True),
        *((f"Rank: {m.label.lower()}", True) for m in MEASURES),
    )
    cells = [[Cell(f"IoD{r['vintage']}", str(r["vintage"]), header=True), tb.number(r["lads_ranked"]),
              *(tb.number(r[m.rank]) for m in MEASURES)] for _, r in mine.iterrows()]  # fmt: skip
    return tb.Table("history-table", f"{ctx.city_name}'s rank among the authorities of England, by release",
                    cols, tb.rows(cells), note="Rank 1 = the most deprived authority on that measure.")  # fmt: skip


def _authority_table(ctx: SiteContext, rows: pd.DataFrame, *, latest: int) -> tb.Table:
    cols = tb.columns("Authority", "Code", ("LSOAs", True),
                      *(c for m in MEASURES for c in ((m.label, True), (f"Rank: {m.label.lower()}", True))))  # fmt: skip
    home = rel(PATH, "index.html")
    cells, ids = [], []
    for _, r in rows.iterrows():
        href = home if r["lad_code"] == ctx.inputs.lad_code else None
        cells.append([
            tb.text(r["lad_name"], href, header=True), tb.text(r["lad_code"]), tb.number(r["lsoas"]),
            *(c for m in MEASURES for c in (tb.number(r[m.column], m.decimals, percent=m.percent), tb.number(r[m.rank]))),
        ])  # fmt: skip
        ids.append(f"lad-{r['lad_code']}")
    note = f"Recomputed from the LSOA data as MHCLG's File 10; rank 1 = the most deprived. {denominators(rows)}"
    return tb.Table("authorities-table", f"Every local authority of England, IoD{latest}", cols,
                    tb.rows(cells, ids), note=note.strip())  # fmt: skip


def denominators(rows: pd.DataFrame) -> str:
    """Name the population denominators of one release's authorities (``population_source``).

    A source used by three authorities or fewer names them; with more than one source, say
    that the population-weighted measures of the others can differ from File 10.
    """
    if "population_source" not in rows.columns:
        return ""
    parts = []
    groups = sorted(rows.groupby("population_source")["lad_name"], key=lambda g: -len(g[1]))
    for source, names in groups:
        who = ", ".join(sorted(names)) if len(names) <= 3 else f"{len(names):,} authorities"
        parts.append(f"{source} ({who})")
    text = "Population denominators: " + "; ".join(parts) + "."
    if len(parts) > 1:
        text += (" Where a denominator is not MHCLG's own, the population-weighted measures (all but the "
                 "share of LSOAs in the national 10%) and their ranks can differ slightly from File 10.")  # fmt: skip
    return text
