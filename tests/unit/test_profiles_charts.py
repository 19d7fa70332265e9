"""Profile charts: inline SVG written directly, alt text from the numbers, gaps and suppression."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest

from geo.presentation.profiles.charts import (
    VINTAGE_COLOURS,
    Point,
    decile_chart,
    nice_ticks,
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


def test_charts_are_byte_identical_and_responsive():
    a = decile_chart(COUNTS, chart_id="d", area_name="A").svg
    b = decile_chart(COUNTS, chart_id="d", area_name="A").svg
    assert a == b
    assert "<?xml" not in a and "DOCTYPE" not in a
    assert 'width="' not in a.split(">", 1)[0]  # responsive: only the viewBox
    ET.fromstring(a)  # well-formed


def test_ids_are_prefixed_so_charts_share_a_page():
    for svg in (
        decile_chart(COUNTS, chart_id="c1", area_name="A").svg,
        series_chart([Point("2019", 1.0, suppressed=True), Point("2020", 2.0)], periods=["2019", "2020"],
                     chart_id="c1", title="T", unit="%", area_name="A", city=[Point("2019", 1.0)],
                     city_name="L").svg,
    ):  # fmt: skip
        ids = re.findall(r'\bid="([^"]+)"', svg)
        assert ids and all(i.startswith("c1-") for i in ids)
        assert len(ids) == len(set(ids))


def _bars(svg: str, vintage: int) -> list[tuple[float, float, float]]:
    """(x, y, height) of each bar of one release."""
    group = ET.fromstring(svg).find(f".//{{*}}g[@id='d-iod{vintage}']")
    assert group is not None
    return [(float(r.get("x")), float(r.get("y")), float(r.get("height"))) for r in group]


def test_bar_heights_are_proportional_to_the_counts_on_a_round_axis():
    svg = decile_chart(COUNTS, chart_id="d", area_name="A").svg
    bars = _bars(svg, 2019)  # 7, 5, 1, 1: no bar for a zero
    assert len(bars) == 4
    heights = [h for _, _, h in bars]
    assert heights[0] / heights[1] == pytest.approx(7 / 5, rel=0.02)
    assert heights[2] == pytest.approx(heights[3])
    assert all(
        y + h == pytest.approx(bars[0][1] + bars[0][2], abs=0.15) for _, y, h in bars
    )  # one baseline
    assert _bars(svg, 2015)[0][0] < bars[0][0]  # older releases to the left
    ticks = re.findall(r'text-anchor="end">([0-9,]+)</text>', svg)
    assert ticks == [str(t) for t in nice_ticks(7, integer=True)]


def test_six_releases_have_six_distinct_colours_oldest_lightest():
    six = {v: [1] * 10 for v in (2004, 2007, 2010, 2015, 2019, 2025)}
    svg = decile_chart(six, chart_id="d", area_name="A").svg
    fills = [re.search(rf'id="d-iod{v}" fill="(#[0-9a-f]+)"', svg).group(1) for v in six]
    assert fills == list(VINTAGE_COLOURS)
    with pytest.raises(ValueError, match="7 releases, more than the 6 bar colours"):
        decile_chart({**six, 2030: [0] * 10}, chart_id="d", area_name="A")


def test_round_ticks():
    assert nice_ticks(13, integer=True) == [0, 5, 10, 15]
    assert nice_ticks(0.8) == [0, 0.2, 0.4, 0.6, 0.8]
    assert nice_ticks(0.9) == [0, 0.25, 0.5, 0.75, 1.0]
    assert nice_ticks(2, integer=True) == [0, 1, 2]
    assert nice_ticks(0) == [0, 1]
    assert nice_ticks(36_000, most=4)[-1] >= 36_000


def test_missing_periods_are_gaps_not_zeros():
    points = [Point("2019", 15.0), Point("2021", 12.0)]
    values = series_values(points, ["2019", "2020", "2021"])
    assert values[0] == 15.0 and values[2] == 12.0
    assert math.isnan(values[1])  # a gap, never 0
    chart = series_chart(points, periods=["2019", "2020", "2021"], chart_id="s", title="Claimant rate",
                         unit="% of residents", area_name="Armley")  # fmt: skip
    area = ET.fromstring(chart.svg).find(".//{*}g[@id='s-area']")
    assert area is not None
    runs = area.findall("{*}polyline") + area.findall("{*}circle[@r='2.2']")
    assert len(runs) == 2  # the line breaks at the missing period: two one-point runs
    assert len(area.findall("{*}circle[@r='2']")) == 2  # a marker on each figure, none at 2020
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
    chart = decile_chart(COUNTS, chart_id="x", area_name="<script>alert(1)</script> & co")
    assert "<script>" not in chart.svg and "&lt;script&gt;" in chart.svg and "&amp; co" in chart.svg
    series = series_chart([Point("2019", 1.0)], periods=["2019"], chart_id="s", title="a & b",
                          unit="<u>", area_name="<b>A</b>")  # fmt: skip
    assert "<b>" not in series.svg and "<u>" not in series.svg and "a &amp; b" in series.svg
    ET.fromstring(series.svg)


def test_decile_chart_needs_ten_counts():
    with pytest.raises(ValueError, match="IoD2019 has 9 counts, expected 10"):
        decile_chart({2019: [1] * 9}, chart_id="x", area_name="A")
