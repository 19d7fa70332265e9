"""Map palettes and legends: fixed national deciles, every class labelled, colour-blind safe."""

from __future__ import annotations

import numpy as np
import pytest

from geo.presentation.site.legends import (
    DECILE_COLOURS,
    STATUS_COLOURS,
    Legend,
    class_labels,
    class_legend,
    decile_legend,
    sequential_colours,
    status_legend,
)

# Machado, Oliveira & Fernandes (2009) simulation matrices, severity 1.0, linear RGB.
CVD = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
    "none": np.eye(3),
}  # fmt: skip


def to_lab(hex_colours: tuple[str, ...] | list[str], matrix: np.ndarray) -> np.ndarray:
    """CIE L*a*b* (D65) of sRGB colours as seen with the colour-vision matrix."""
    rgb = np.array([[int(h[i : i + 2], 16) / 255 for i in (1, 3, 5)] for h in hex_colours])
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    lin = np.clip(lin @ matrix.T, 0, 1)
    xyz = (
        lin
        @ np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]).T
    )
    xyz /= np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack(
        [116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], axis=1
    )


def test_decile_legend_has_ten_fixed_labelled_classes():
    legend = decile_legend("IMD 2025")
    assert legend.colours == DECILE_COLOURS
    assert len(legend.colours) == len(set(legend.colours)) == 10
    assert len(legend.labels) == 10 and all(legend.labels)
    assert legend.labels[0] == "1: most deprived 10%"
    assert legend.labels[9] == "10: least deprived 10%"
    assert legend.labels[4] == "5: 40–50% most deprived"
    assert decile_legend("IMD 2015").colours == legend.colours  # same classes on every page


@pytest.mark.parametrize("vision", sorted(CVD))
def test_decile_palette_stays_ordered_and_distinct_for_colour_blind_readers(vision):
    lab = to_lab(DECILE_COLOURS, CVD[vision])
    lightness = lab[:, 0]
    assert np.all(np.diff(lightness) > 0), "decile 1 darkest, lighter with every decile"
    adjacent = np.linalg.norm(np.diff(lab, axis=0), axis=1)
    assert adjacent.min() > 5, f"adjacent deciles too alike for {vision}: ΔE {adjacent.min():.1f}"


@pytest.mark.parametrize("vision", sorted(CVD))
def test_status_colours_are_distinct_for_colour_blind_readers(vision):
    lab = to_lab(list(STATUS_COLOURS.values()), CVD[vision])
    pairs = [np.linalg.norm(lab[i] - lab[j]) for i in range(3) for j in range(i + 1, 3)]
    assert min(pairs) > 20


@pytest.mark.parametrize("vision", sorted(CVD))
def test_score_palette_is_monotonic_in_lightness(vision):
    lab = to_lab(sequential_colours(7), CVD[vision])
    assert np.all(np.diff(lab[:, 0]) < 0), "higher (more deprived) classes are darker"


def test_class_labels_cover_each_class():
    assert class_labels([10.0, 20.5, 47.25], minimum=1.0, decimals=1) == (
        "1.0 to 10.0", "over 10.0 to 20.5", "over 20.5 to 47.2",
    )  # fmt: skip
    legend = class_legend("IMD score", [10.0, 20.0, 30.0], minimum=0.0)
    assert len(legend.colours) == len(legend.labels) == 3
    items = legend.to_json()["items"]
    assert [label for _, label in items] == [
        "0.0 to 10.0",
        "over 10.0 to 20.0",
        "over 20.0 to 30.0",
    ]
    assert [colour for colour, _ in items] == list(sequential_colours(3))


def test_status_legend_uses_relative_wording():
    labels = status_legend("2019 to 2025").labels
    assert labels == (
        "Remained in the most deprived 1%", "Moved into the most deprived 1%",
        "Moved out of the most deprived 1%",
    )  # fmt: skip
    assert not any("increase" in label.lower() or "worse" in label.lower() for label in labels)


def test_legend_rejects_unlabelled_classes():
    with pytest.raises(ValueError, match="2 colours but 1 labels"):
        Legend("x", ("#000000", "#ffffff"), ("one",))
    with pytest.raises(ValueError, match="k=1"):
        sequential_colours(1)
