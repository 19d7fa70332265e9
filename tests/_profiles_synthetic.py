"""Synthetic inputs of the area profiles: the site's synthetic authority plus England's row
and one indicator with a missing period and a suppressed value."""

from __future__ import annotations

import pandas as pd
from _site_synthetic import LAD, site_inputs

from geo.model.domains import DOMAINS
from geo.model.releases import Thresholds
from geo.presentation.profiles.model import ProfileInputs
from geo.statistics.indicators import parse_indicator

PROFILE_TIERS = ("community_committee", "ward", "priority_neighbourhood", "drawn_neighbourhood")
"""Tiers with a profile for each area, as config ``profiles.tiers``."""

INDICATOR = parse_indicator("claimants", {
    "title": "Claimant rate", "definition": "Claimants as a share of residents aged 16-64.",
    "unit": "% of residents aged 16-64", "kind": "proportion", "multiplier": 100,
    "polarity": "higher_is_worse", "suppression": {"min_numerator": 10},
    "source": "Synthetic", "source_url": "https://example.org/claimants", "builder": "tidy",
})  # fmt: skip
"""Periods 2019, 2020, 2021: ward W1 has no 2020 row (a gap) and a suppressed 2021 value."""


def england() -> pd.DataFrame:
    rows = []
    for vintage, n in ((2019, 32_844), (2025, 33_755)):
        row = {"area_code": "E92000001", "area_name": "England", "tier": "england", "vintage": vintage,
               "population": 5.6e7, "lsoas": float(n), "lsoas_in_national_1pct": float(n // 100),
               "lsoas_in_national_10pct": float(n // 10), "imd_average_score": 21.8,
               "imd_average_rank": 16_600.0, "imd_proportion_10pct": (n // 10) / n, "imd_extent": 0.2,
               "imd_local_concentration": 31_000.0, "income_scale": 7e6, "employment_scale": 3e6}  # fmt: skip
        for d in DOMAINS:
            row[f"{d.stem}_proportion_10pct"] = (n // 10) / n
            row[f"{d.stem}_average_rank"] = 16_500.0
        rows.append(row)
    return pd.DataFrame(rows)


def indicator_table() -> pd.DataFrame:
    rows = [
        ("city", LAD, "2019", 300, 3000, 10.0, False), ("city", LAD, "2020", 330, 3000, 11.0, False),
        ("city", LAD, "2021", 360, 3000, 12.0, False),
        ("ward", "W1", "2019", 150, 1000, 15.0, False), ("ward", "W1", "2021", None, None, None, True),
        ("ward", "W2", "2019", 100, 1500, 100 / 15, False), ("ward", "W2", "2020", 120, 1500, 8.0, False),
        ("ward", "W2", "2021", 0, 1500, 0.0, False),
    ]  # fmt: skip
    out = pd.DataFrame(
        rows,
        columns=["tier", "area_code", "period", "numerator", "denominator", "value", "suppressed"],
    )
    out.insert(0, "indicator", "claimants")
    out["lsoas"], out["lsoas_missing"] = 2, 0
    return out


def profile_inputs(**kwargs: bool) -> ProfileInputs:
    site = site_inputs(**kwargs)
    summaries = dict(site.summaries)
    for tier, table in summaries.items():
        table = table.copy()
        for d in DOMAINS:  # average ranks: area more deprived than the city on some domains
            table[f"{d.stem}_average_rank"] = (
                20_000.0 + 1_000 * table["lsoas_in_national_10pct"] - 100 * DOMAINS.index(d)
            )
        summaries[tier] = table
    return ProfileInputs(
        lad_code=LAD, lad_name=site.lad_name, summaries=summaries, england=england(),
        layers={v: pd.DataFrame(layer.drop(columns="geometry")) for v, layer in site.lsoas.items()},
        membership=site.membership.assign(lsoa_name=lambda f: "Synth " + f["lsoa_code"].str[-3:]),
        members=site.members, areas=site.areas, crosswalk=site.crosswalk, drawn_fit=site.drawn_fit,
        indicators={"claimants": (INDICATOR, indicator_table())}, tiers=site.tiers,
        thresholds=Thresholds.from_config({"most_deprived_1pct": 1, "most_deprived_10pct": 10}),
    )  # fmt: skip
