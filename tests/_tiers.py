"""Tier registries for synthetic tests: the core tiers plus Leeds-like local tiers.

The local tier entries are shaped like ``authorities.<lad_code>.tiers`` in ``config.yaml``
(copied here so the tests do not depend on the project configuration).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from geo.model.tiers import TierRegistry, tier_registry

LEEDS_TIERS: dict[str, dict[str, Any]] = {
    "community_committee": {
        "singular": "Community committee",
        "plural": "community committees",
        "build": "ward_groups",
        "dataset": "leeds_ward_community_committee",
        "field": "community_committee",
        "parent": "wedge_2010",
        "description": "The council's area committees, each a group of wards.",
        "nav": True,
        "site_order": 0,
        "search_rank": 1,
        "colour": "#542788",
    },
    "wedge_2010": {
        "singular": "Historic wedge",
        "plural": "historic wedges",
        "slug": "wedge",
        "build": "ward_groups",
        "dataset": "leeds_ward_community_committee",
        "field": "wedge_2010",
        "description": "The three administrative wedges used from 2007 to 2017, kept for comparison.",
        "site_order": 6,
        "search_rank": 6,
        "colour": "#7f2704",
        "line_width": 4,
    },
    "designated_2017": {
        "singular": "2017 designated neighbourhood",
        "plural": "2017 designated neighbourhoods",
        "build": "lsoa_flag",
        "dataset": "leeds_lsoa_local_names",
        "field": "designated_priority_2017",
        "description": "The six neighbourhoods chosen in November 2017 for the first phase "
        "of locality working.",
        "site_order": 5,
        "search_rank": 4,
        "colour": "#1b4d0f",
    },
}
"""Leeds's own tiers, as in ``config.yaml``."""


def tier_config(lad_code: str, tiers: Mapping[str, Mapping[str, Any]] | None = None) -> dict:
    """A config holding only what :func:`geo.model.tiers.tier_registry` reads."""
    local = copy.deepcopy(dict(LEEDS_TIERS if tiers is None else tiers))
    return {"lad_code": lad_code, "authorities": {lad_code: {"tiers": local}}}


def local_registry(
    lad_code: str = "E08000035", tiers: Mapping[str, Mapping[str, Any]] | None = None
) -> TierRegistry:
    """The core tiers plus ``tiers`` (default: Leeds's) for ``lad_code``."""
    return tier_registry(tier_config(lad_code, tiers))
