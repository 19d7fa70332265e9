"""The client-side search index: every area with a page and every LSOA, by name or code."""

from __future__ import annotations

import json

import pandas as pd
from _site_synthetic import EVIL, site_inputs

from geo.presentation.site.mapdata import safe_json, to_script
from geo.presentation.site.model import plan_areas
from geo.presentation.site.search import search_index


def index() -> list[dict]:
    inputs = site_inputs()
    lsoas = inputs.membership.merge(
        pd.concat(
            [layer[["lsoa_code", "lsoa_name"]] for layer in inputs.lsoas.values()]
        ).drop_duplicates("lsoa_code"),
        on="lsoa_code",
    )
    return search_index(
        plan_areas(inputs.areas, inputs.summaries, inputs.tiers),
        lsoas,
        city_name="Synthshire",
        city_code="E08000099",
        tiers=inputs.tiers,
    )


def test_index_lists_city_areas_and_lsoas_with_their_pages():
    entries = index()
    assert entries[0] == {
        "name": "Synthshire",
        "code": "E08000099",
        "kind": "City",
        "url": "index.html",
        "rank": 0,
    }
    armley = next(e for e in entries if e["name"] == "Armley")
    assert (
        armley["url"] == "ward/armley.html" and armley["kind"] == "Ward" and armley["code"] == "W1"
    )
    kinds = {e["kind"] for e in entries}
    assert {
        "Community committee",
        "Ward",
        "Priority neighbourhood",
        "Drawn neighbourhood",
        "Historic wedge",
    } <= kinds
    assert "Priority ward" not in kinds  # priority wards are wards: one entry each
    lsoa = next(e for e in entries if e["code"] == "E01000001" and e["kind"].startswith("LSOA"))
    assert lsoa["url"] == "ward/armley.html#lsoa-E01000001"
    assert lsoa["kind"] == "LSOA in Armley" and lsoa["alt"] == EVIL
    codes = [e["code"] for e in entries if e["kind"].startswith("LSOA")]
    assert len(codes) == len(set(codes)) == 6  # both geographies, each code once


def test_index_is_json_safe_inside_a_script():
    entries = index()
    text = to_script("GEO_SEARCH_INDEX", entries)
    assert "<" not in text and ">" not in text and "&" not in text
    payload = text.removeprefix("window.GEO_SEARCH_INDEX = ").removesuffix(";\n")
    assert json.loads(payload) == entries
    assert json.loads(safe_json({"a": "</script>&"})) == {"a": "</script>&"}
