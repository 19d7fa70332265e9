"""Plain-English summaries of an area, generated from its numbers.

Every map page opens with a few sentences a reader can take in without the map: how many of
the area's LSOAs are in the most deprived 10% and 1% nationally, how that compares with the
city and with the previous release, where the area stands among its tier, and the domain on
which most of its LSOAs are in the national 10%. The wording is relative, as the IoD are: an
area is *more deprived than* others or *moved into* the most deprived 1%, never "deprivation
increased".

Counts of areas that hold LSOAs only in part (a drawn neighbourhood, or areas carried from
2011 to 2021 LSOAs) can be fractional; they are then given as "the equivalent of".
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Figures:
    """An area's counts in one IoD release."""

    vintage: int
    lsoas: float
    in_10pct: float
    in_1pct: float


def ordinal(n: int) -> str:
    """Write ``n`` as an ordinal: ``1st``, ``2nd``, ``3rd``, ``4th``, ``11th``, ``21st``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n:,}{suffix}"


def count(value: float) -> str:
    """Write a count: ``"1,234"``, or with one decimal place when it is fractional."""
    if abs(value - round(value)) < 0.05:
        return f"{round(value):,}"
    return f"{value:,.1f}"


def _whole(value: float) -> bool:
    return abs(value - round(value)) < 0.05


def _share(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "0%"


def _part_of(part: float, whole: float, *, noun: str) -> tuple[str, bool]:
    """``("12 of its 16 LSOAs", plural)`` with the special cases of none, all and one.

    Whole counts only: fractional ones are phrased by :func:`_equivalent`.
    """
    if round(whole) == 1:
        return f"its one {noun}", False
    if round(part) == 0:
        return f"none of its {count(whole)} {noun}s", False
    if round(part) == round(whole):
        return f"all {count(whole)} of its {noun}s", True
    return f"{count(part)} of its {count(whole)} {noun}s", round(part) != 1


def lsoa_amount(value: float) -> str:
    """Write an amount of LSOAs: ``"1 LSOA"``, ``"12 LSOAs"``, ``"0.6 of an LSOA"``, ``"2.4 LSOAs"``."""
    if _whole(value):
        return f"{count(value)} LSOA{'' if round(value) == 1 else 's'}"
    return f"{count(value)} of an LSOA" if value < 1 else f"{count(value)} LSOAs"


def _equivalent(part: float, whole: float, *, where: str, verb: str = "covers") -> str:
    """Phrase a fractional count, ``"It covers the equivalent of 2.4 LSOAs, of which …"``.

    The rest: ``"the equivalent of 0.6 of an LSOA is <where>"``, ``"all of them <where>"``
    or ``"none of them <where>"``.
    """
    covers = f"It {verb} the equivalent of {lsoa_amount(whole)}"
    them = "it" if whole < 1 else "them"
    if part < 0.05:
        return f"{covers}, none of {them} {where}"
    if abs(part - whole) < 0.05:
        return f"{covers}, all of {them} {where}"
    return f"{covers}, of which the equivalent of {lsoa_amount(part)} {'was' if verb == 'covered' else 'is'} {where}"


def has_residents(f: Figures) -> bool:
    """Whether the figures are numbers (an area with no residents has none: NaN)."""
    return not any(math.isnan(v) for v in (f.lsoas, f.in_10pct, f.in_1pct))


def no_residents_sentence(f: Figures) -> str:
    """Say that an area has no residents, so it has no summary measures."""
    return (
        f"No residents: no population is apportioned to this area in IoD{f.vintage} (no "
        "postcode lies inside it), so it has no summary measures."
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def decile_sentence(f: Figures, *, city: Figures | None, city_name: str) -> str:
    """Say how many LSOAs are in the national 10%: ``"12 of its 16 LSOAs are in …"``."""
    where = f"in the most deprived 10% nationally (IoD{f.vintage})"
    if not (_whole(f.lsoas) and _whole(f.in_10pct)):
        text = _equivalent(f.in_10pct, f.lsoas, where=where)
    else:
        subject, plural = _part_of(f.in_10pct, f.lsoas, noun="LSOA")
        if round(f.lsoas) == 1:
            verb = "is" if round(f.in_10pct) == 1 else "is not"
        else:
            verb = "are" if plural else "is"
        text = f"{_capital(subject)} {verb} {where}"
    if city is not None:
        text += (
            f"; for {city_name} as a whole it is {count(city.in_10pct)} of "
            f"{count(city.lsoas)} ({_share(city.in_10pct, city.lsoas)})"
        )
    return text + "."


def one_percent_sentence(f: Figures) -> str | None:
    """Say how many are in the national 1% (``"3 of them are …"``); None when none are."""
    if f.in_1pct < 0.05:
        return None
    if round(f.lsoas) == 1 and _whole(f.lsoas):
        return "It is also in the most deprived 1% nationally."
    if not _whole(f.in_1pct):
        return f"The equivalent of {lsoa_amount(f.in_1pct)} is in the most deprived 1%."
    n = round(f.in_1pct)
    if n == round(f.in_10pct) and _whole(f.in_10pct):
        return f"{'That LSOA is' if n == 1 else 'All of them are'} also in the most deprived 1%."
    return f"{count(n)} of them {'is' if n == 1 else 'are'} in the most deprived 1%."


def previous_sentence(now: Figures, before: Figures) -> str:
    """Give the earlier release's count: ``"In IoD2019 it was 10 of 16."``."""
    if round(before.lsoas) == 1 and _whole(before.lsoas) and _whole(before.in_10pct):
        was = "in" if round(before.in_10pct) == 1 else "not in"
        return f"In IoD{before.vintage} its LSOA was {was} the most deprived 10%."
    if not (_whole(before.lsoas) and _whole(before.in_10pct)):
        text = _equivalent(
            before.in_10pct, before.lsoas, where="in the most deprived 10%", verb="covered"
        )
        return f"In IoD{before.vintage} i{text[1:]}."
    if round(before.in_10pct) == 0:
        return f"In IoD{before.vintage} none of its {count(before.lsoas)} LSOAs was."
    if round(before.in_10pct) == round(before.lsoas):
        return f"In IoD{before.vintage} it was all {count(before.lsoas)}."
    return f"In IoD{before.vintage} it was {count(before.in_10pct)} of {count(before.lsoas)}."


def position_sentence(rank: int, of: int, *, tier_plural: str, city_name: str, vintage: int) -> str:
    """Place the area in its tier: ``"… it is the 3rd most deprived of Leeds's 33 wards …"``."""
    place = "the most deprived" if rank == 1 else f"the {ordinal(rank)} most deprived"
    return (
        f"By average IMD score it is {place} of {city_name}'s {of:,} {tier_plural} (IoD{vintage})."
    )


def _join(items: Sequence[str]) -> str:
    """Join words as ``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def domain_sentence(shares: Mapping[str, float], *, lsoas: float) -> str:
    """Name the domain(s) with the largest share of the area's LSOAs in the national 10%.

    Args:
        shares: Domain label → proportion of the area's LSOAs in that domain's national 10%,
            in the official order of the domains.
        lsoas: The area's number of LSOAs.

    """
    if not shares or max(shares.values()) <= 0:
        return (
            "On none of the seven domains is any of its LSOAs in the most deprived 10% nationally."
        )
    if round(lsoas) == 1 and _whole(lsoas):
        listed = [label for label, share in shares.items() if share >= 0.5]
        return (
            f"It is in the most deprived 10% nationally on {len(listed)} of the seven domains: "
            f"{_join(listed)}."
        )
    top = max(shares.values())
    labels = [label for label, share in shares.items() if abs(share - top) < 1e-9]
    each = " each" if len(labels) > 1 else ""
    if _whole(lsoas) and _whole(top * lsoas):
        part = f"{count(top * lsoas)} of {count(lsoas)}{each}"
    elif abs(top - 1) < 1e-9:
        part = f"all of them{each}"
    else:
        part = (
            f"the equivalent of {lsoa_amount(top * lsoas)}{each}"
            if lsoas < 1
            else f"the equivalent of {count(top * lsoas)} of its {lsoa_amount(lsoas)}{each}"
        )
    verb = "has" if len(labels) == 1 else "have"
    return (
        f"Of the seven domains, {_join(labels)} {verb} the most of its LSOAs in the most "
        f"deprived 10% nationally ({part})."
    )


def area_summary(
    figures: Sequence[Figures],
    *,
    city: Mapping[int, Figures] | None,
    city_name: str,
    position: tuple[int, int] | None = None,
    tier_plural: str = "areas",
    domain_shares: Mapping[str, float] | None = None,
) -> list[str]:
    """Write the summary sentences of an area, latest release first.

    Args:
        figures: The area's counts per release, oldest first (at least one).
        city: The city's counts by release, or None on the city's own page.
        city_name: Name of the authority ("Leeds").
        position: ``(rank, number of areas)`` of the area in its tier by average IMD score
            in the latest release, 1 = most deprived; None to leave it out.
        tier_plural: Plural noun of the tier ("wards").
        domain_shares: Domain label → share of the area's LSOAs in that domain's national
            10% (latest release); None to leave it out.

    """
    if not figures:
        msg = "area_summary needs the figures of at least one release"
        raise ValueError(msg)
    latest = figures[-1]
    if not has_residents(latest):
        return [no_residents_sentence(latest)]
    sentences = [
        decile_sentence(latest, city=None if city is None else city.get(latest.vintage),
                        city_name=city_name),
    ]  # fmt: skip
    one = one_percent_sentence(latest)
    if one:
        sentences.append(one)
    if len(figures) > 1:
        sentences.append(previous_sentence(latest, figures[-2]))
    if position is not None:
        sentences.append(
            position_sentence(*position, tier_plural=tier_plural, city_name=city_name,
                              vintage=latest.vintage)
        )  # fmt: skip
    if domain_shares is not None:
        sentences.append(domain_sentence(domain_shares, lsoas=latest.lsoas))
    return sentences
