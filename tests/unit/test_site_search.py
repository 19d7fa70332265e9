"""The client-side search index: every area with a page and every LSOA, by name or code."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from _site_synthetic import EVIL, site_inputs

from geo.core.errors import GeoInputError
from geo.presentation.site.mapdata import safe_json, to_script
from geo.presentation.site.model import plan_areas
from geo.presentation.site.search import postcode_index, search_index


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


# --- postcode search -----------------------------------------------------------------------


def _nspl(rows: list[tuple[str, str, str, str, float, float, object]]) -> pd.DataFrame:
    points = gpd.GeoSeries(gpd.points_from_xy([r[4] for r in rows], [r[5] for r in rows]),
                           crs="EPSG:27700").to_crs("EPSG:4326")  # fmt: skip
    return pd.DataFrame({
        "postcode": [r[0] for r in rows], "lad_code": [r[1] for r in rows],
        "ward_code": [r[2] for r in rows], "lsoa21_code": [r[3] for r in rows],
        "lat": points.y.to_numpy(), "long": points.x.to_numpy(),
        "doterm": pd.Series([r[6] for r in rows], dtype="string"),
    })  # fmt: skip


def _postcode_files(nspl: pd.DataFrame) -> dict[str, object]:
    inputs = site_inputs()
    files = postcode_index(
        nspl, lad_code="E08000099", lsoas=inputs.lsoas, membership=inputs.membership,
        plan=plan_areas(inputs.areas, inputs.summaries, inputs.tiers),
        crosswalk=inputs.crosswalk, tiers=inputs.tiers,
    )  # fmt: skip
    out: dict[str, object] = {}
    for path, data in files.items():
        text = data.decode()
        payload = text[text.index("(") + 1 : text.rindex(")")]
        if path.endswith("areas.js"):
            out[path] = json.loads(payload)
        else:
            out[path] = json.loads(payload[payload.index(",") + 1 :])
    return out


def test_postcode_index_shards_live_postcodes_of_the_authority():
    nspl = _nspl([
        ("LS1 1AA", "E08000099", "W1", "E01000001", 430250, 433250, None),
        ("LS1 1AB", "E08000099", "W2", "E01033002", 430900, 433800, None),
        ("LS12 3AB", "E08000099", "W2", "E01000003", 430250, 433750, None),
        ("LS1 9ZZ", "E08000099", "W1", "E01000001", 430250, 433250, "202001"),  # terminated
        ("BD1 1AA", "E08000032", "X1", "E01099999", 420000, 433000, None),  # elsewhere
    ])  # fmt: skip
    files = _postcode_files(nspl)
    assert sorted(files) == ["assets/postcodes/LS1.js", "assets/postcodes/LS12.js",
                             "assets/postcodes/areas.js"]  # fmt: skip
    ls1 = files["assets/postcodes/LS1.js"]
    assert ls1 == {"1AA": ["E01000001", "E01000001", "W1"], "1AB": ["E01033002", "E01000004", "W2"]}
    areas = files["assets/postcodes/areas.js"]
    assert areas["outward"] == ["LS1", "LS12"]
    split = areas["lsoas"]["E01033002"]
    assert split["d"] == {"2025": 10} and split["u"] == "ward/" + split["u"].split("/", 1)[1]
    parent = areas["lsoas"]["E01000004"]
    assert parent["d"] == {"2019": 10}
    assert areas["lsoas"]["E01000001"]["d"] == {"2019": 1, "2025": 1}
    assert areas["wards"]["W1"]["n"] == "Armley" and areas["wards"]["W1"]["u"] == "ward/armley.html"


def test_postcode_of_an_lsoa_outside_the_authority_is_named():
    nspl = _nspl([("LS1 1AA", "E08000099", "W1", "E01077777", 430250, 433250, None)])
    with pytest.raises(GeoInputError, match="E01077777"):
        _postcode_files(nspl)


def test_a_code_kept_across_geographies_takes_the_newest_name():
    # LSOA codes are kept when the area is unchanged, but names can change (the MSOA
    # numbering was redone); the older release's name must not win because it sorts first.
    inputs = site_inputs()
    older = inputs.lsoas[2019].copy()
    older.loc[older["lsoa_code"] == "E01000001", "lsoa_name"] = "Old Name 049C"
    nspl = _nspl([("LS1 1AA", "E08000099", "W1", "E01000001", 430250, 433250, None)])
    files = postcode_index(
        nspl, lad_code="E08000099", lsoas={**inputs.lsoas, 2019: older},
        membership=inputs.membership, plan=plan_areas(inputs.areas, inputs.summaries, inputs.tiers),
        crosswalk=inputs.crosswalk, tiers=inputs.tiers,
    )  # fmt: skip
    text = files["assets/postcodes/areas.js"].decode()
    entry = json.loads(text[text.index("(") + 1 : text.rindex(")")])["lsoas"]["E01000001"]
    newest = inputs.lsoas[2025].set_index("lsoa_code").at["E01000001", "lsoa_name"]
    assert entry["n"] == newest and entry["y"] == 2021
    assert entry["d"] == {"2025": 1, "2019": 1}
