"""Plain-English summaries generated from an area's numbers (relative wording only)."""

from __future__ import annotations

import re

import pytest

from geo.presentation.site.sentences import (
    Figures,
    area_summary,
    decile_sentence,
    domain_sentence,
    one_percent_sentence,
    ordinal,
    position_sentence,
    previous_sentence,
)


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
     (21, "21st"), (22, "22nd"), (101, "101st"), (111, "111th"), (1002, "1,002nd")],
)  # fmt: skip
def test_ordinal(n, text):
    assert ordinal(n) == text


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (12, 16, "12 of its 16 LSOAs are in the most deprived 10% nationally (IoD2025)."),
        (1, 16, "1 of its 16 LSOAs is in the most deprived 10% nationally (IoD2025)."),
        (0, 16, "None of its 16 LSOAs is in the most deprived 10% nationally (IoD2025)."),
        (16, 16, "All 16 of its LSOAs are in the most deprived 10% nationally (IoD2025)."),
        (1, 1, "Its one LSOA is in the most deprived 10% nationally (IoD2025)."),
        (0, 1, "Its one LSOA is not in the most deprived 10% nationally (IoD2025)."),
        (
            0.6,
            2.4,
            "It covers the equivalent of 2.4 LSOAs, of which the equivalent of 0.6 of an LSOA is "
            "in the most deprived 10% nationally (IoD2025).",
        ),
        (
            1.3,
            1.3,
            "It covers the equivalent of 1.3 LSOAs, all of them in the most deprived 10% "
            "nationally (IoD2025).",
        ),
    ],
)
def test_decile_sentence(part, whole, expected):
    assert decile_sentence(Figures(2025, whole, part, 0), city=None, city_name="Leeds") == expected


def test_decile_sentence_compares_with_the_city():
    text = decile_sentence(
        Figures(2025, 16, 12, 3), city=Figures(2025, 488, 84, 7), city_name="Leeds"
    )
    assert text == (
        "12 of its 16 LSOAs are in the most deprived 10% nationally (IoD2025); "
        "for Leeds as a whole it is 84 of 488 (17%)."
    )


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        (Figures(2019, 16, 12, 0), None),
        (Figures(2019, 16, 12, 3), "3 of them are in the most deprived 1%."),
        (Figures(2019, 16, 12, 1), "1 of them is in the most deprived 1%."),
        (Figures(2019, 2, 2, 2), "All of them are also in the most deprived 1%."),
        (Figures(2019, 1, 1, 1), "It is also in the most deprived 1% nationally."),
    ],
)
def test_one_percent_sentence(figures, expected):
    assert one_percent_sentence(figures) == expected


def test_previous_and_position_and_domain_sentences():
    assert (
        previous_sentence(Figures(2025, 16, 12, 3), Figures(2019, 15, 10, 2))
        == "In IoD2019 it was 10 of 15."
    )
    assert previous_sentence(Figures(2025, 1, 1, 0), Figures(2019, 1, 0, 0)) == (
        "In IoD2019 its LSOA was not in the most deprived 10%."
    )
    assert position_sentence(3, 33, tier_plural="wards", city_name="Leeds", vintage=2025) == (
        "By average IMD score it is the 3rd most deprived of Leeds's 33 wards (IoD2025)."
    )
    assert position_sentence(
        1, 10, tier_plural="community committees", city_name="Leeds", vintage=2019
    ).startswith("By average IMD score it is the most deprived of")
    shares = {"Income": 0.25, "Education, Skills and Training": 0.5625, "Crime": 0.5}
    assert domain_sentence(shares, lsoas=16) == (
        "Of the seven domains, Education, Skills and Training has the most of its LSOAs in the "
        "most deprived 10% nationally (9 of 16)."
    )
    assert domain_sentence({"Income": 0.0}, lsoas=16).startswith("On none of the seven domains")
    assert domain_sentence({"Income": 0.5, "Crime": 0.5, "Health": 0.25}, lsoas=4) == (
        "Of the seven domains, Income and Crime have the most of its LSOAs in the most deprived "
        "10% nationally (2 of 4 each)."
    )
    assert domain_sentence(
        {"Income": 1.0, "Employment": 0.0, "Health": 1.0, "Crime": 1.0}, lsoas=1
    ) == (
        "It is in the most deprived 10% nationally on 3 of the seven domains: Income, Health and Crime."
    )


def test_area_summary_orders_sentences_and_never_says_deprivation_increased():
    sentences = area_summary(
        [Figures(2019, 15, 10, 2), Figures(2025, 16, 12, 3)],
        city={2025: Figures(2025, 488, 84, 7)}, city_name="Leeds", position=(2, 33),
        tier_plural="wards", domain_shares={"Income": 0.5},
    )  # fmt: skip
    assert sentences[0].startswith("12 of its 16 LSOAs are in the most deprived 10% nationally")
    assert sentences[1] == "3 of them are in the most deprived 1%."
    assert sentences[2] == "In IoD2019 it was 10 of 15."
    assert "2nd most deprived of Leeds's 33 wards" in sentences[3]
    assert len(sentences) == 5
    text = " ".join(sentences).lower()
    assert "increase" not in text and "worse" not in text and "improve" not in text
    with pytest.raises(ValueError, match="at least one release"):
        area_summary([], city=None, city_name="Leeds")


# --- every sentence in the awkward cases: none, fractional, one, many ------------------------

CASES = [  # (lsoas, in_10pct, in_1pct)
    (16, 0, 0), (16, 1, 0), (16, 1, 1), (16, 12, 3), (16, 16, 16), (2, 2, 2), (1, 0, 0),
    (1, 1, 1), (2.4, 0.6, 0.3), (1.3, 1.3, 0.0), (1.3, 1.3, 1.3), (2.4, 0, 0), (0.4, 0.4, 0.4),
    (2.4, 2.0, 1.0), (14.0, 14.0, 0.0),
]  # fmt: skip


def _all_sentences(lsoas: float, in_10: float, in_1: float) -> list[str]:
    now, before = Figures(2025, lsoas, in_10, in_1), Figures(2019, lsoas, in_10, in_1)
    city = {2025: Figures(2025, 488, 84, 7)}
    shares = {"Income": in_10 / lsoas, "Crime": in_1 / lsoas}
    out = area_summary([before, now], city=city, city_name="Leeds", position=(1, 33),
                       tier_plural="wards", domain_shares=shares)  # fmt: skip
    out.append(decile_sentence(now, city=None, city_name="Leeds"))
    return out


@pytest.mark.parametrize(("lsoas", "in_10", "in_1"), CASES)
def test_no_sentence_says_zero_percent_fractional_sets_or_wrong_number(lsoas, in_10, in_1):
    for text in _all_sentences(lsoas, in_10, in_1):
        assert "0%" not in text.replace("10%", ""), text
        assert not re.search(r"\b\d+\.0\b", text), text  # whole numbers as integers
        # never "1.3 of 1.3 LSOAs" or "of its 2.4 LSOAs are": fractional counts say "equivalent"
        fractions = re.findall(r"\b\d+\.\d\b", text)
        if fractions:
            assert "equivalent" in text, text
        assert not re.search(r"(\d+\.\d) of (its )?\1\b", text), text
        assert not re.search(r"\b1 of (its|them) \S+ are\b", text), text
        assert not re.search(r"\b1 LSOAs\b|\bone LSOAs\b", text), text
        assert not re.search(r"\b([2-9]|\d\d+) LSOA\b(?! equivalent)", text), text
        assert not re.search(r"\b([2-9]|\d\d+) of them is\b", text), text
        assert "increase" not in text.lower() and "worse" not in text.lower(), text


def test_fractional_and_whole_wording():
    assert decile_sentence(Figures(2025, 0.4, 0.4, 0), city=None, city_name="Leeds") == (
        "It covers the equivalent of 0.4 of an LSOA, all of it in the most deprived 10% "
        "nationally (IoD2025)."
    )
    assert one_percent_sentence(Figures(2025, 2.4, 0.6, 0.3)) == (
        "The equivalent of 0.3 of an LSOA is in the most deprived 1%."
    )
    assert previous_sentence(Figures(2025, 1.3, 1, 0), Figures(2019, 1.3, 1.3, 0)) == (
        "In IoD2019 it covered the equivalent of 1.3 LSOAs, all of them in the most deprived 10%."
    )
    assert previous_sentence(Figures(2025, 14, 2, 0), Figures(2019, 14.0, 0.0, 0)) == (
        "In IoD2019 none of its 14 LSOAs was."
    )
    assert previous_sentence(Figures(2025, 14, 2, 0), Figures(2019, 14, 14, 0)) == (
        "In IoD2019 it was all 14."
    )
    assert domain_sentence({"Income": 1.0}, lsoas=1.3).endswith("(all of them).")
    assert domain_sentence({"Income": 0.5}, lsoas=2.4).endswith(
        "(the equivalent of 1.2 of its 2.4 LSOAs)."
    )
