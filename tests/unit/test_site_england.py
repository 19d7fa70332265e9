"""The England page: the authority among all, on a synthetic national table of three."""

from __future__ import annotations

import json
import re

import pytest
from _site_synthetic import LAD, authority_shapes, build, download_files, site_inputs, site_options

from geo.core.errors import GeoInputError
from geo.presentation.site.build import build_site
from geo.presentation.site.england import MEASURES, tenth


def _data(files: dict[str, bytes]) -> dict:
    text = files["england.data.js"].decode()
    return json.loads(text.removeprefix("window.GEO_PAGE = ").removesuffix(";\n"))


def _rows(html: str, table: str) -> list[str]:
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)[1:]  # after the heading row


def test_the_home_page_links_to_the_england_page_and_back():
    files = build()
    assert 'href="england.html"' in files["index.html"].decode()
    page = files["england.html"].decode()
    assert "Synthshire among every authority of England" in page
    assert 'href="index.html"' in page


def test_every_authority_of_the_latest_release_in_rank_order_only_ours_linked():
    page = build()["england.html"].decode()
    rows = _rows(page, "authorities-table")
    names = [re.search(r"<th[^>]*>(?:<a[^>]*>)?([^<]+)", r).group(1) for r in rows]
    assert names == ["Synthshire", "Westshire", "Eastshire"]  # IoD2025 by average score
    assert 'href="index.html"' in rows[0] and "href=" not in rows[1] + rows[2]
    assert 'id="lad-E08000097"' in page


def test_the_sentences_and_history_give_our_rank_in_every_release():
    page = build()["england.html"].decode()
    assert (
        "In IoD2025, Synthshire ranks 1st of the 3 local authorities of England by average score"
        in page
    )
    assert "By average score in earlier releases: IoD2019: 2nd of 3." in page
    history = _rows(page, "history-table")
    assert len(history) == 2 and "IoD2019" in history[0] and "IoD2025" in history[1]
    assert len(re.findall(r"<td", history[0])) == 1 + len(
        MEASURES
    )  # authorities ranked, one rank per measure


def test_the_map_colours_each_authority_by_its_tenth_and_outlines_ours():
    data = _data(build())
    features = data["geometries"]["authorities"]["features"]
    assert [f["k"] for f in features] == sorted([LAD, "E08000098", "E08000097"])
    score = next(layer for layer in data["layers"] if layer["id"] == "lad-imd_average_score")
    assert score["show"] and score["release"] == "IoD2025"
    classes = {f["k"]: f["c"][score["col"]] for f in features}
    assert (
        classes
        == {LAD: tenth(1, 3), "E08000098": tenth(2, 3), "E08000097": tenth(3, 3)}
        == {LAD: 3, "E08000098": 6, "E08000097": 9}
    )
    ours = next(f for f in features if f["k"] == LAD)
    assert ours["u"] == "index.html" and all("u" not in f for f in features if f["k"] != LAD)
    assert [o["id"] for o in data["overlays"]] == ["outline-area"]


def test_tenths_of_any_number_of_authorities():
    assert [tenth(r, 296) for r in (1, 29, 30, 59, 60, 296)] == [0, 0, 1, 1, 2, 9]
    assert [tenth(r, 317) for r in (31, 32, 317)] == [0, 1, 9]
    assert [tenth(r, 10) for r in range(1, 11)] == list(range(10))
    assert tenth(float("nan"), 296) is None


def test_an_authority_without_a_shape_is_named():
    inputs = site_inputs()
    inputs.authority_shapes = authority_shapes().iloc[:2]
    with pytest.raises(
        GeoInputError,
        match=r"no polygon for the IoD2025 authorities E08000097 \(field 'lad_code'\)",
    ):
        build_site(
            inputs, site_options(), download_files=download_files(inputs), neighbourhood_folder="x/"
        )


def test_without_a_national_table_there_is_no_england_page():
    files = build(england=False)
    assert "england.html" not in files
    assert 'href="england.html"' not in files["index.html"].decode()
