"""Profile charts: deterministic inline SVG, alt text from the numbers, gaps and suppression."""

from __future__ import annotations

import math
import re

import pytest

from geo.presentation.profiles.charts import (
    Point,
    decile_chart,
    inline_svg,
    series_chart,
    series_values,
)

COUNTS = {
    2015: [6, 3, 2, 1, 0, 0, 0, 0, 0, 2],
    2019: [7, 5, 0, 1, 1, 0, 0, 0, 0, 0],
    2025: [5, 4, 3.5, 0, 0, 0, 0, 0, 0, 0],
}


def test_decile_chart_alt_text_lists_every_bar():
    chart = decile_chart(COUNTS, chart_id="deciles", area_name="Armley")
    assert (
        "IoD2015 (14 LSOAs): decile 1: 6; decile 2: 3; decile 3: 2; decile 4: 1; decile 10: 2"
        in chart.alt
    )
    assert "IoD2025 (12.5 LSOAs): decile 1: 5; decile 2: 4; decile 3: 3.5." in chart.alt
    assert chart.svg.startswith('<svg role="img" aria-labelledby="deciles-title deciles-desc"')
    assert '<title id="deciles-title">Armley: LSOAs by national IMD decile</title>' in chart.svg
    assert chart.alt.replace("'", "&#x27;") in chart.svg


def test_charts_are_byte_identical_and_dateless():
    a = decile_chart(COUNTS, chart_id="d", area_name="A").svg
    b = decile_chart(COUNTS, chart_id="d", area_name="A").svg
    assert a == b
    assert "<metadata" not in a and "dc:date" not in a and "<?xml" not in a and "DOCTYPE" not in a
    assert 'width="' not in a.split(">", 1)[0]  # responsive: only the viewBox


def test_ids_are_prefixed_so_charts_share_a_page():
    svg = decile_chart(COUNTS, chart_id="c1", area_name="A").svg
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert ids and all(i.startswith("c1-") for i in ids)
    for ref in re.findall(r"url\(#([^)]+)\)", svg):
        assert ref.startswith("c1-") and ref in ids


def test_missing_periods_are_gaps_not_zeros():
    points = [Point("2019", 15.0), Point("2021", 12.0)]
    values = series_values(points, ["2019", "2020", "2021"])
    assert values[0] == 15.0 and values[2] == 12.0
    assert math.isnan(values[1])  # a gap, never 0
    chart = series_chart(points, periods=["2019", "2020", "2021"], chart_id="s", title="Claimant rate",
                         unit="% of residents", area_name="Armley")  # fmt: skip
    line = re.search(r'<g id="s-area">\s*<path d="([^"]+)"', chart.svg)
    assert line is not None
    assert line.group(1).count("M") == 2  # the line breaks at the missing period
    assert "2020: no figure for Armley" in chart.alt


def test_suppressed_values_are_marked_not_drawn():
    points = [Point("2019", 15.0), Point("2020", 14.0), Point("2021", None, suppressed=True)]
    chart = series_chart(points, periods=["2019", "2020", "2021"], chart_id="s", title="Claimant rate",
                         unit="% of residents", area_name="Armley",
                         city=[Point("2019", 10.0), Point("2020", 11.0), Point("2021", 12.0)], city_name="Leeds")  # fmt: skip
    assert math.isnan(series_values(points, ["2019", "2020", "2021"])[2])
    assert '<g id="s-suppressed">' in chart.svg
    assert "2021: suppressed (small numbers) (Leeds 12.0%)" in chart.alt
    assert "2019: 15.0% (Leeds 10.0%)" in chart.alt


def test_a_suppressed_value_is_never_drawn_even_if_present():
    assert math.isnan(series_values([Point("2021", 3.0, suppressed=True)], ["2021"])[0])


def test_titles_are_escaped():
    svg = inline_svg('<svg viewBox="0 0 1 1" width="1pt" height="1pt"></svg>', chart_id="x",
                     title="<script>alert(1)</script>", desc="a & b")  # fmt: skip
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a &amp; b" in svg


def test_decile_chart_needs_ten_counts():
    with pytest.raises(ValueError, match="IoD2019 has 9 counts, expected 10"):
        decile_chart({2019: [1] * 9}, chart_id="x", area_name="A")
