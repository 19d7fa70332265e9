"""Plain-English summaries generated from an area's numbers (relative wording only)."""

from __future__ import annotations

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
            "The equivalent of 0.6 of its 2.4 LSOAs is in the most deprived 10% nationally (IoD2025).",
        ),
        (
            1.3,
            1.3,
            "All of its 1.3 LSOA equivalents are in the most deprived 10% nationally (IoD2025).",
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
        (Figures(2019, 2, 2, 2), "All of them are in the most deprived 1%."),
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
