"""Contrast of the map's lines and of the focus ring: WCAG 2.2 ratios for every pair, >= 3:1."""

from __future__ import annotations

import re

import pytest
import yaml
from _pipeline import ROOT

from geo.core.errors import ConfigError
from geo.model.tiers import tier_registry
from geo.presentation.site.build import STATIC_DIR, site_stylesheet
from geo.presentation.site.legends import (
    CONTEXT_LINE,
    DRAW_LINE,
    FOCUS,
    FOCUS_LINE,
    HALO,
    HIGHLIGHT_EDGE,
    LABEL,
    MAP_BACKGROUND,
    MIN_CONTRAST,
    PAGE_BACKGROUNDS,
    PALETTE,
    blend,
    check_outline_colour,
    contrast_ratio,
    map_fills,
    outline_problems,
)
from geo.presentation.site.pages import AREA_OUTLINE

CONFIG = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))


def outline_colours() -> dict[str, str]:
    """Every line the maps draw over fills: each tier's (config included), area, keyboard."""
    lines = {f"tier {t.key}": t.colour for t in tier_registry(CONFIG)}
    lines["area boundary"] = AREA_OUTLINE[0]
    lines["keyboard-chosen area"] = FOCUS_LINE
    lines["drawn shape"] = DRAW_LINE
    return lines


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("#000000", "#ffffff", 21.0), ("#777777", "#777777", 1.0), ("#767676", "#ffffff", 4.54),
     ("#1d3557", "#b35900", 2.56)],
)  # fmt: skip
def test_contrast_ratio_is_wcags(a, b, expected):
    assert contrast_ratio(a, b) == pytest.approx(expected, abs=0.01)
    assert contrast_ratio(b, a) == pytest.approx(expected, abs=0.01)


def test_blend_mixes_a_fill_over_its_background():
    assert blend("#000000", "#ffffff", 0.8) == "#333333"
    assert blend("#440154", "#ffffff", 1.0) == "#440154"


def test_the_fills_cover_deciles_statuses_scores_and_the_background():
    fills = map_fills()
    assert len([k for k in fills if k.startswith("decile")]) == 10
    assert len([k for k in fills if k.startswith("status")]) == 3
    assert "score class 9 of 9" in fills and "no data" in fills
    assert fills["background"] == MAP_BACKGROUND


@pytest.mark.parametrize(("name", "colour"), sorted(outline_colours().items()))
def test_every_outline_reads_at_3_to_1_over_every_fill(name, colour):
    assert contrast_ratio(colour, HALO) >= MIN_CONTRAST, f"{name} against its halo"
    weak = []
    for fill_name, fill in map_fills().items():
        line, halo = contrast_ratio(colour, fill), contrast_ratio(HALO, fill)
        if max(line, halo) < MIN_CONTRAST:
            weak.append(f"{fill_name} {fill}: line {line:.2f}, halo {halo:.2f}")
    assert weak == [], name
    assert outline_problems(colour) == []


def test_lines_drawn_on_the_bare_map_read_against_it():
    assert contrast_ratio(HIGHLIGHT_EDGE, MAP_BACKGROUND) >= MIN_CONTRAST
    assert contrast_ratio(CONTEXT_LINE, MAP_BACKGROUND) >= MIN_CONTRAST
    for status in ("status remained", "status moved_in", "status moved_out"):
        fill = map_fills()[status]
        assert (
            max(
                contrast_ratio(fill, MAP_BACKGROUND), contrast_ratio(HIGHLIGHT_EDGE, MAP_BACKGROUND)
            )
            >= 3
        )


def test_place_labels_read_as_text_on_their_halo_over_every_fill():
    # The label's halo is opaque where the text is: text contrast (4.5:1) is against it.
    assert contrast_ratio(LABEL, HALO) >= 4.5
    css = (STATIC_DIR / "site.css").read_text(encoding="utf-8")
    assert "color: var(--geo-label)" in css and "text-shadow: 0 0 2px var(--geo-halo)" in css


@pytest.mark.parametrize("background", [*PAGE_BACKGROUNDS, MAP_BACKGROUND])
def test_the_focus_ring_reads_on_every_background(background):
    assert contrast_ratio(FOCUS, background) >= MIN_CONTRAST


def test_the_old_colours_fail_and_name_the_tier():
    assert outline_problems("#d01c8b")  # the committee magenta: 2.3:1 on decile 7
    assert outline_problems("#b35900", halo="#1d3557")
    with pytest.raises(
        ConfigError, match=r"tier 'committee' colour: outline colour '#d01c8b'.*decile"
    ):
        check_outline_colour("#d01c8b", where="tier 'committee' colour")
    with pytest.raises(ConfigError, match="not a colour"):
        check_outline_colour("magentaish", where="tier 'x' colour")


CSS_BACKGROUND = re.compile(r"background(?:-color)?\s*:\s*([^;}]+)")
ALLOWED = re.compile(
    r"^(var\(--geo-(?:bg-\d+|background)\)|transparent|rgba\(255,\s*255,\s*255,\s*\.9\d*\))$"
)


def test_every_css_background_is_a_declared_one():
    css = (STATIC_DIR / "site.css").read_text(encoding="utf-8")
    found = [m.group(1).strip() for m in CSS_BACKGROUND.finditer(css)]
    assert len(found) > 5
    assert [b for b in found if not ALLOWED.match(b)] == []
    assert "#b35900" not in css and "var(--geo-focus)" in css


def test_the_stylesheet_declares_the_palette_first():
    css = site_stylesheet().decode()
    head = css[: css.index("}")]
    for name, colour in PALETTE.items():
        kebab = re.sub(r"([A-Z])", lambda m: "-" + m.group(1).lower(), name)
        assert f"--geo-{kebab}: {colour};" in head
    for i, colour in enumerate(PAGE_BACKGROUNDS):
        assert f"--geo-bg-{i}: {colour};" in head
