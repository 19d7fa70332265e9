"""The watchlist page: ``data/processed/watchlist.csv`` as plain-English sortable tables.

One table per kind of entry (:mod:`geo.statistics.watchlist`): LSOAs near the national 1% and 10%
thresholds, LSOAs whose rank moved furthest towards the most deprived end, and the wards and
committees whose summary measures moved most. An LSOA links to its row on its ward's map
page, its ward to the ward's profile; an area to its profile (or map page).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Final, cast

import pandas as pd

from geo.model.tiers import WARD, TierRegistry
from geo.presentation.profiles.model import profile_path
from geo.presentation.site import tables as tb
from geo.presentation.site.model import Area
from geo.presentation.site.pages import rel

KINDS: Final[dict[str, tuple[str, str]]] = {
    "near_national_1pct": (
        "Near the national most deprived 1%",
        "LSOAs whose national IMD rank lies within the margin of the 1% threshold, on either "
        "side: a small move relative to other LSOAs would take them into or out of the 1%.",
    ),
    "near_national_10pct": (
        "Near the national most deprived 10%",
        "LSOAs within the margin of the 10% threshold, on either side.",
    ),
    "rank_worsened": (
        "Ranks that moved towards the most deprived end",
        "LSOAs whose national IMD rank moved towards rank 1 by more than the watched number "
        "of ranks between consecutive releases (earlier ranks rescaled to the later release's "
        "number of LSOAs). Other LSOAs in England moved the other way: a rank is relative.",
    ),
    "area_moved": (
        "Areas whose summary measures moved most",
        "The wards and community committees whose share of LSOAs in the national 10%, or "
        "whose extent, moved furthest towards the more deprived end between releases.",
    ),
}
"""Kind → heading and explanation, in the order the page lists them."""


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _release(row: Mapping[str, Any]) -> str:
    if _missing(row.get("vintage_from")):
        return f"IoD{int(row['vintage'])}"
    return f"IoD{int(row['vintage_from'])} to IoD{int(row['vintage'])}"


def _area_link(row: Mapping[str, Any], *, plan: Mapping[str, Mapping[str, Area]],
               profiled: Mapping[str, Mapping[str, Area]], wards: Mapping[str, Area], path: str,
               tiers: TierRegistry) -> str | None:  # fmt: skip
    code = str(row["code"])
    del tiers  # labels only; links follow the plan
    if row["tier"] == "lsoa":
        ward = wards.get(str(row.get("ward_code")))
        return rel(path, f"{ward.url}#lsoa-{code}") if ward is not None else None
    tier = str(row["tier"])
    if code in profiled.get(tier, {}):
        return rel(path, profile_path(profiled[tier][code]))
    if code in plan.get(tier, {}):
        return rel(path, plan[tier][code].url)
    return None


def _ward_link(row: Mapping[str, Any], *, profiled: Mapping[str, Mapping[str, Area]],
               wards: Mapping[str, Area], path: str) -> str | None:  # fmt: skip
    ward = wards.get(str(row.get("ward_code")))
    if ward is None:
        return None
    if ward.code in profiled.get(WARD.key, {}):
        return rel(path, profile_path(ward))
    return rel(path, ward.url)


def _value_cell(value: object, measure: str) -> tb.Cell:
    if measure.endswith(("_proportion_10pct", "_extent")):
        return tb.number(value, 1, percent=True)
    return tb.number(value)


def _change_cell(value: object, measure: str) -> tb.Cell:
    if _missing(value):
        return tb.Cell("–", "")
    if measure.endswith(("_proportion_10pct", "_extent")):
        x = 100 * float(value)  # type: ignore[arg-type]
        return tb.Cell(f"{x:+.1f} points".replace("-", "\u2212"), repr(round(x, 6)))
    return tb.signed(value)


def kind_table(rows: pd.DataFrame, kind: str, **links: Any) -> tb.Table:
    """Tabulate one kind of watchlist entry (sortable)."""
    path = links["path"]
    area_kind = kind == "area_moved"
    cols = tb.columns(
        "Area" if area_kind else "LSOA", "Code", "Tier" if area_kind else "Local name",
        "Ward" if not area_kind else "Measure", "Release(s)", ("Earlier value", True), ("Value", True),
        ("Change", True), "Why it is listed",
    )  # fmt: skip
    out = []
    for row in cast(list[dict[str, Any]], rows.to_dict("records")):
        measure = str(row.get("measure") or "")
        name = str(row["name"])
        tiers = links["tiers"]
        third = (tiers[row["tier"]].singular if row["tier"] in tiers else str(row["tier"])) if area_kind \
            else ("" if _missing(row.get("local_name")) else str(row["local_name"]))  # fmt: skip
        fourth = (
            tb.text(measure)
            if area_kind
            else tb.text(
                row.get("ward_name"),
                _ward_link(row, profiled=links["profiled"], wards=links["wards"], path=path),
            )
        )
        out.append([
            tb.Cell(name, name, _area_link(row, **links), header=True), tb.text(row["code"]), tb.text(third), fourth,
            tb.text(_release(row)), _value_cell(row.get("value_from"), measure), _value_cell(row.get("value"), measure),
            _change_cell(row.get("change"), measure), tb.text(row.get("reason")),
        ])  # fmt: skip
    title, _ = KINDS[kind]
    return tb.Table(f"watch-{kind.replace('_', '-')}", f"{title} ({len(out)})", cols, tb.rows(out))


def watchlist_context(
    watchlist: pd.DataFrame,
    *,
    plan: Mapping[str, Mapping[str, Area]],
    profiled: Mapping[str, Mapping[str, Area]],
    path: str,
    city_name: str,
    tiers: TierRegistry,
) -> dict[str, Any]:
    """Build the template context of the watchlist page: counts and one section per kind."""
    wards = plan.get(WARD.key, {})
    links = {"plan": plan, "profiled": profiled, "wards": wards, "path": path, "tiers": tiers}
    sections = []
    counts = {}
    for kind, (title, intro) in KINDS.items():
        rows = watchlist.loc[watchlist["kind"] == kind]
        counts[kind] = len(rows)
        if rows.empty:
            continue
        sections.append({"id": kind.replace("_", "-"), "heading": title, "intro": intro,
                         "table": kind_table(rows, kind, **links)})  # fmt: skip
    unknown = sorted(set(watchlist["kind"]) - set(KINDS))
    return {"sections": sections, "counts": counts, "city_name": city_name, "unknown": unknown,
            "total": len(watchlist)}  # fmt: skip
