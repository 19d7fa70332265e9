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

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import pandas as pd

from geo.model.tiers import CITY, WARD, Build, TierRegistry
from geo.presentation.site.model import Area
from geo.presentation.site.tables import missing

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
