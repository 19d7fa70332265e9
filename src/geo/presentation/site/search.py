"""The site's search index: every area with a page, and every LSOA, by name or code.

The index is one JSON list, shared by every page (``assets/search-index.json``, and
``assets/search-index.js`` which sets ``window.GEO_SEARCH_INDEX`` so the search box works
from a file share too, where browsers refuse to fetch JSON). ``GeoSite.search`` in
``static/site.js`` matches the words typed against each entry's ``name``, ``code`` and
``alt`` (local names), best matches first: exact, prefix, word prefix, substring; ties go to
the entry's ``rank`` (the city, then committees, wards, neighbourhoods, wedges, LSOAs).
An LSOA leads to the row of its ward's page that lists it.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.core.checks import show
from geo.core.errors import GeoInputError
from geo.model.tiers import CITY, PRIORITY_NEIGHBOURHOOD, PRIORITY_WARD, WARD, Build, TierRegistry
from geo.presentation.site.mapdata import safe_json
from geo.presentation.site.model import Area, vintage_year
from geo.presentation.site.tables import missing

logger = logging.getLogger(__name__)

LSOA_RANK = 8
"""Order of LSOAs among equally good matches (tiers: :attr:`geo.model.tiers.Tier.search_rank`)."""


@dataclass(frozen=True)
class SearchEntry:
    """One entry: what is shown, what is matched and where it leads."""

    name: str
    code: str
    kind: str
    url: str
    """From the site root."""
    alt: str = ""
    rank: int = 0

    def to_json(self) -> dict[str, object]:
        """Return the entry as the page script reads it."""
        out: dict[str, object] = {"name": self.name, "code": self.code, "kind": self.kind,
                                  "url": self.url, "rank": self.rank}  # fmt: skip
        if self.alt:
            out["alt"] = self.alt
        return out


def search_index(
    plan: Mapping[str, Mapping[str, Area]],
    lsoas: pd.DataFrame,
    *,
    city_name: str,
    city_code: str,
    tiers: TierRegistry,
    extra_paths: Collection[str] = (),
) -> list[dict[str, object]]:
    """Build the search index.

    Args:
        plan: Areas with pages (:func:`geo.presentation.site.model.plan_areas`).
        lsoas: One row per LSOA (either geography): ``lsoa_code, lsoa_name, local_name,
            ward_code``; an LSOA whose ward has a page links to that page's row.
        city_name: The authority's name.
        city_code: Its code.
        tiers: The authority's tiers (labels and search ranks).
        extra_paths: Pages other builds add to the site: each area's profile
            (``profiles/<area url>``) and the watchlist get an entry when present.

    Returns:
        Entries (:meth:`SearchEntry.to_json`), in a stable order.

    """
    entries = [SearchEntry(city_name, city_code, "City", "index.html", rank=CITY.search_rank)]
    for tier, areas in plan.items():
        spec = tiers[tier]
        if spec.build is Build.HOLDING:
            continue
        for area in sorted(areas.values(), key=lambda a: (a.name.casefold(), a.code)):
            entries.append(SearchEntry(area.name, area.code, spec.singular, area.url,
                                       rank=spec.search_rank))  # fmt: skip
            profile = f"profiles/{area.url}"
            if profile in extra_paths:
                entries.append(SearchEntry(f"{area.name} (profile)", area.code,
                                           f"{spec.singular} profile", profile,
                                           rank=spec.search_rank))  # fmt: skip
    if "watchlist.html" in extra_paths:
        entries.append(SearchEntry("Watchlist", "", "Page", "watchlist.html", rank=9))
    wards = plan.get(WARD.key, {})
    seen: set[str] = set()
    for row in lsoas.sort_values("lsoa_code").itertuples(index=False):
        code = str(row.lsoa_code)
        ward = None if missing(row.ward_code) else wards.get(str(row.ward_code))
        if code in seen or ward is None:
            continue
        seen.add(code)
        local = "" if missing(row.local_name) else str(row.local_name)
        entries.append(SearchEntry(str(row.lsoa_name), code, f"LSOA in {ward.name}",
                                   f"{ward.url}#lsoa-{code}", alt=local, rank=LSOA_RANK))  # fmt: skip
    return [e.to_json() for e in entries]


# --- postcodes ------------------------------------------------------------------------------

POSTCODE_DIR = "assets/postcodes"
"""Folder of the postcode index: ``<outward code>.js`` shards and ``areas.js``."""


def _lsoa11_of(
    points: pd.DataFrame, lsoa11: gpd.GeoDataFrame, crosswalk: pd.DataFrame | None
) -> pd.Series:
    """Return the LSOA 2011 of each postcode: its LSOA 2021's one predecessor, else the point's.

    A postcode of a merged or irregularly changed LSOA 2021 takes the predecessor its point
    lies in; a point in none of them (at an edge) takes the predecessor holding most of the
    LSOA 2021's people (the crosswalk share).
    """
    out = pd.Series(pd.NA, index=points.index, dtype="string")
    if crosswalk is not None and not crosswalk.empty:
        links = crosswalk.loc[:, ["lsoa21_code", "lsoa11_code"]].drop_duplicates()
        single = links.loc[~links["lsoa21_code"].duplicated(keep=False)]
        out = (
            points["lsoa21_code"]
            .map(single.set_index("lsoa21_code")["lsoa11_code"])
            .astype("string")
        )
    todo = out.isna()
    if todo.any():
        xy = gpd.GeoDataFrame(
            index=points.index[todo],
            geometry=gpd.points_from_xy(points.loc[todo, "long"], points.loc[todo, "lat"]),
            crs="EPSG:4326",
        ).to_crs(lsoa11.crs)
        hits = gpd.sjoin(xy, lsoa11.loc[:, ["lsoa_code", "geometry"]], predicate="within")
        hits = hits.loc[~hits.index.duplicated()]
        out.loc[hits.index] = hits["lsoa_code"].astype("string")
    todo = out.isna()
    if todo.any() and crosswalk is not None and "share_of_lsoa11" in crosswalk:
        best = crosswalk.sort_values("share_of_lsoa11", ascending=False).drop_duplicates(
            "lsoa21_code"
        )
        out.loc[todo] = (
            points.loc[todo, "lsoa21_code"]
            .map(best.set_index("lsoa21_code")["lsoa11_code"])
            .astype("string")
        )
    return out


def postcode_index(
    postcodes: pd.DataFrame,
    *,
    lad_code: str,
    lsoas: Mapping[int, gpd.GeoDataFrame],
    membership: pd.DataFrame,
    plan: Mapping[str, Mapping[str, Area]],
    crosswalk: pd.DataFrame | None,
    tiers: TierRegistry,
) -> dict[str, bytes]:
    """Build the postcode search files: one shard per outward code and the areas they point to.

    Every live postcode of the authority (``doterm`` empty) with an LSOA 2021 is listed in
    ``assets/postcodes/<OUTWARD>.js`` (``GeoSite.postcodeShard("LS12", {"3AB": [lsoa21,
    lsoa11, ward], …})``, loaded by the search box when a postcode is typed). The LSOA
    2011 is the LSOA 2021's predecessor (:func:`_lsoa11_of`); the ward is the postcode's
    own (NSPL). ``assets/postcodes/areas.js`` gives, per LSOA, its name, ward page row,
    decile in each release on its geography and priority neighbourhood; per ward, its name,
    page and parent areas (``GeoSite.postcodeAreas({...})``).

    Args:
        postcodes: :func:`geo.inputs.postcodes.read_nspl`.
        lad_code: The authority.
        lsoas: Vintage → LSOA layer (``lsoa_code, lsoa_name, imd_decile``, geometry).
        membership: ``lsoa_membership.csv`` (``lsoa_code, ward_code, local_name``,
            ``priority_neighbourhood_code`` when present).
        plan: Areas with pages.
        crosswalk: ``lsoa11_code, lsoa21_code`` (and ``share_of_lsoa11``).
        tiers: The authority's tiers.

    Returns:
        ``{path: bytes}`` under :data:`POSTCODE_DIR`.

    Raises:
        GeoInputError: no live postcode of the authority, or a postcode's LSOA 2021 is not
            one of the authority's (named).

    """
    mine = postcodes.loc[postcodes["lad_code"] == lad_code].copy()
    if "doterm" in mine:
        mine = mine.loc[mine["doterm"].isna()]
    mine = mine.loc[mine["lsoa21_code"].notna()]
    if mine.empty:
        msg = f"postcode lookup: no live postcode of {lad_code} with an LSOA 2021"
        raise GeoInputError(msg)
    years = {v: vintage_year(v) for v in lsoas}
    v21 = [v for v, y in years.items() if y == 2021]
    v11 = [v for v, y in years.items() if y == 2011]
    if v21:
        known = set(lsoas[max(v21)]["lsoa_code"])
        foreign = sorted(set(mine["lsoa21_code"]) - known)
        if foreign:
            msg = (
                f"postcode lookup field 'lsoa21_code': LSOA(s) {show(foreign)} of {lad_code}'s "
                "postcodes are not LSOAs of the authority"
            )
            raise GeoInputError(msg)
    mine["lsoa11_code"] = (
        _lsoa11_of(mine, lsoas[max(v11)], crosswalk) if v11 else pd.Series(pd.NA, index=mine.index)
    )
    wards = plan.get(WARD.key, {})
    entries: dict[str, dict[str, list[str]]] = {}
    for row in mine.sort_values("postcode").itertuples(index=False):
        outward, inward = str(row.postcode).split(" ")
        ward = "" if missing(row.ward_code) else str(row.ward_code)
        lsoa11 = "" if missing(row.lsoa11_code) else str(row.lsoa11_code)
        entries.setdefault(outward, {})[inward] = [str(row.lsoa21_code), lsoa11, ward]
    files = {
        f"{POSTCODE_DIR}/{outward}.js": (
            f"GeoSite.postcodeShard({safe_json(outward)}, {safe_json(shard)});\n"
        ).encode()
        for outward, shard in sorted(entries.items())
    }
    used = set(mine["lsoa21_code"]) | set(mine["lsoa11_code"].dropna())
    areas = _postcode_areas(lsoas, membership, plan, tiers, years, used=used)
    areas["outward"] = sorted(entries)
    files[f"{POSTCODE_DIR}/areas.js"] = f"GeoSite.postcodeAreas({safe_json(areas)});\n".encode()
    logger.info(
        "Postcode search: %d live postcodes of %s in %d outward codes; %d wards with a page",
        len(mine), lad_code, len(entries), len(wards),
    )  # fmt: skip
    return files


def _postcode_areas(
    lsoas: Mapping[int, gpd.GeoDataFrame],
    membership: pd.DataFrame,
    plan: Mapping[str, Mapping[str, Area]],
    tiers: TierRegistry,
    years: Mapping[int, int],
    *,
    used: set[str],
) -> dict[str, Any]:
    """Per LSOA and per ward, what a postcode result shows (see :func:`postcode_index`)."""
    ms = membership.drop_duplicates("lsoa_code").set_index("lsoa_code")
    out_lsoas: dict[str, dict[str, Any]] = {}
    # Newest geography first: a code kept across LSOA 2001, 2011 and 2021 (the same area)
    # is named as the newest geography names it; older releases add their deciles to it.
    for vintage in sorted(lsoas, key=lambda v: (-years[v], v)):
        layer = lsoas[vintage].set_index("lsoa_code")
        for code in sorted(used & set(layer.index)):
            entry = out_lsoas.get(code)
            if entry is None:
                entry = {"n": str(layer.at[code, "lsoa_name"]), "y": years[vintage], "d": {}}
                entry |= (
                    _lsoa_links(pd.Series(ms.loc[code]), code, plan) if code in ms.index else {}
                )
                out_lsoas[code] = entry
            decile = layer.at[code, "imd_decile"]
            if not missing(decile):
                entry["d"][str(vintage)] = int(decile)
    out_wards: dict[str, dict[str, Any]] = {}
    for code, ward in sorted(plan.get(WARD.key, {}).items()):
        parents = [[p.name, tiers[p.tier].singular, p.url] for p in ward.parents]
        out_wards[code] = {"n": ward.name, "u": ward.url, "a": parents}
    for code, area in plan.get(PRIORITY_WARD.key, {}).items():
        if code in out_wards:
            out_wards[code]["pw"] = area.url
    return {"lsoas": out_lsoas, "wards": out_wards}


def _lsoa_links(
    row: pd.Series, code: str, plan: Mapping[str, Mapping[str, Area]]
) -> dict[str, Any]:
    """Local name, ward page row and priority neighbourhood of one LSOA's membership row."""
    out: dict[str, Any] = {}
    local = row.get("local_name")
    if not missing(local):
        out["l"] = str(local)
    ward_code = row.get("ward_code")
    ward = None if missing(ward_code) else plan.get(WARD.key, {}).get(str(ward_code))
    if ward is not None:
        out["u"] = f"{ward.url}#lsoa-{code}"
    pn = row.get("priority_neighbourhood_code")
    area = None if missing(pn) else plan.get(PRIORITY_NEIGHBOURHOOD.key, {}).get(str(pn))
    if area is not None:
        out["p"] = [area.name, area.url]
    return out
