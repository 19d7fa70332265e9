"""The peer comparison as an SVG chart and a small standalone, printable HTML page.

The chart has one panel per official summary measure: each authority of the peer set on a
row, its rank among all authorities (1 = most deprived) for every release as a marker, the
configured authority highlighted. Two builds give the same bytes (no date in the SVG, a
fixed hash salt, text kept as text).
"""

from __future__ import annotations

import html
import io
from typing import Any, Final

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure

from geo.statistics.peers import MEASURES

_MARKERS: Final = ("o", "s", "D", "^")
_COLOURS: Final = ("#9ecae1", "#4292c6", "#08306b", "#000000")
_HIGHLIGHT: Final = "#b35900"
_RC: Final[dict[Any, Any]] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "peers",
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def peers_chart_svg(table: pd.DataFrame) -> str:
    """SVG of ``peers.csv``: per measure, each authority's rank among all, every release."""
    vintages = sorted(table["vintage"].unique())
    order = list(dict.fromkeys(table["lad_code"]))
    names = table.drop_duplicates("lad_code").set_index("lad_code")["lad_name"]
    authority = table.loc[table["is_authority"], "lad_code"].iloc[0]
    measures = [m for m in MEASURES if table[f"{m}_rank"].notna().any()]
    with mpl.rc_context(_RC):
        fig = Figure(figsize=(7.5, 1.2 + 0.28 * len(order) * ((len(measures) + 1) // 2)))
        axes = fig.subplots((len(measures) + 1) // 2, 2, squeeze=False).ravel()
        for ax, measure in zip(axes, measures, strict=False):
            for i, vintage in enumerate(vintages):
                rows = table.loc[table["vintage"] == vintage].set_index("lad_code")
                ranks = rows[f"{measure}_rank"].reindex(order).astype(float)
                ax.scatter(
                    ranks.to_numpy(),
                    range(len(order)),
                    marker=_MARKERS[i % len(_MARKERS)],
                    s=16,
                    color=_COLOURS[i % len(_COLOURS)],
                    label=f"IoD{vintage}",
                    zorder=3,
                )
            ax.set_yticks(range(len(order)), [str(names[c]) for c in order])
            for label, code in zip(ax.get_yticklabels(), order, strict=True):
                if code == authority:
                    label.set_color(_HIGHLIGHT)
                    label.set_fontweight("bold")
            ax.axhline(order.index(authority), color=_HIGHLIGHT, lw=0.6, alpha=0.5)
            ax.invert_yaxis()
            ax.set_xlim(left=0)
            ax.set_title(MEASURES[measure], fontsize=8, loc="left")
            ax.grid(axis="x", color="#dddddd", lw=0.5)
            ax.set_xlabel("rank among all authorities (1 = most deprived)", fontsize=7)
        for ax in axes[len(measures) :]:
            ax.set_visible(False)
        axes[0].legend(loc="lower right", fontsize=7, frameon=False)
        fig.tight_layout()
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def _table_html(frame: pd.DataFrame, *, highlight: str | None = None) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for _, row in frame.iterrows():
        cells = "".join(
            f"<td>{html.escape(_fmt(v))}</td>" for v in row.drop("lad_code", errors="ignore")
        )
        cls = ' class="me"' if highlight is not None and row.get("lad_code") == highlight else ""
        code = f"<td>{html.escape(str(row['lad_code']))}</td>" if "lad_code" in row else ""
        rows.append(f"<tr{cls}>{code}{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _fmt(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return "–"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.1f}"
    return str(value)


def peers_page_html(table: pd.DataFrame, similar: pd.DataFrame, *, svg: str) -> str:
    """Render a standalone page: the chart, the peer table per release and the similar authorities."""
    authority = table.loc[table["is_authority"], "lad_code"].iloc[0]
    name = table.loc[table["is_authority"], "lad_name"].iloc[-1]
    columns = ["lad_code", "lad_name"] + [c for m in MEASURES for c in (m, f"{m}_rank")]
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(str(name))} beside its peers</title>",
        "<style>body{font-family:sans-serif;font-size:12px;margin:1.5em}"
        "table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #ccc;"
        "padding:2px 5px;text-align:right}th{background:#f0f0f0}tr.me{font-weight:bold;"
        "background:#fff2e6}svg{max-width:100%;height:auto}</style></head><body>",
        f"<h1>{html.escape(str(name))} beside its peers</h1>",
        "<p>Official IoD district summary measures computed from the LSOA data of every "
        "authority; ranks are among all authorities of the release (1 = most deprived; ties "
        "share the better rank). Scales are missing where the release's numerators are not "
        "available.</p>",
        svg[svg.find("<svg") :],
    ]
    for vintage in sorted(table["vintage"].unique()):
        rows = table.loc[table["vintage"] == vintage, columns]
        ranked = int(table.loc[table["vintage"] == vintage, "lads_ranked"].iloc[0])
        parts.append(f"<h2>IoD{vintage} ({ranked} authorities ranked)</h2>")
        parts.append(_table_html(rows, highlight=authority))
    parts.append(
        "<h2>Most similar authorities by domain profile</h2><p>Euclidean distance on the "
        "seven domain average ranks, each standardised across all authorities of the "
        "release.</p>"
    )
    for vintage in sorted(similar["vintage"].unique()):
        rows = similar.loc[
            similar["vintage"] == vintage, ["lad_code", "similarity_rank", "lad_name", "distance"]
        ]
        parts.append(f"<h3>IoD{vintage}</h3>{_table_html(rows)}")
    parts.append("</body></html>\n")
    return "\n".join(parts)
