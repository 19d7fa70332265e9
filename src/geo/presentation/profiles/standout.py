"""What stands out: the domains on which an area is most deprived relative to its city.

For each of the seven IoD domains, the area's summary measures are set against the city's in
the same release (:class:`DomainGap`):

* the gap in the *share of LSOAs in the national most deprived 10%* on that domain, in
  percentage points (``<stem>_proportion_10pct``), and
* the gap in the *average rank* (``<stem>_average_rank``: population-weighted, ranks
  reversed so a larger value is more deprived).

Domains are ordered by the share gap, then by the average-rank gap (which still separates
areas that have no LSOA in the national 10%); those where the area is more deprived than the
city on either measure (without being less deprived on the share) stand out. The wording is
relative, as the indices are: "a larger share of its LSOAs than across Leeds", never "more
deprivation".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from geo.statistics.facts import (
    SHARE_EPSILON,
    DomainGap,
    as_float,
    domain_gaps,
    standouts,
)

__all__ = ["SHARE_EPSILON", "DomainGap", "as_float", "domain_gaps", "standouts"]


def as_float_of(row: Mapping[str, object], key: str) -> float | None:
    """Read ``row[key]`` as a float (None when missing or not a number)."""
    return as_float(row.get(key))


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def _points(gap: float) -> str:
    n = abs(gap)
    text = f"{n:.0f}" if n >= 0.5 else f"{n:.1f}"
    return f"{text} percentage point{'' if text == '1' else 's'}"


def _rank(rank: float) -> str:
    return f"{rank:,.0f}"


def standout_sentence(gap: DomainGap, *, city_name: str) -> str:
    """Describe one domain that stands out, with its numbers, worded relatively.

    E.g. ``"Crime: 57% of its LSOAs are in the most deprived 10% nationally on this domain,
    against 21% across Leeds (36 percentage points more); average rank 28,110 against
    21,170."`` (a higher average rank is more deprived relative to England).
    """
    parts = []
    share = gap.share_gap
    if gap.area_share is not None and gap.city_share is not None and share is not None:
        if abs(share) <= SHARE_EPSILON:
            compared = "the same share as"
            parts.append(
                f"{_pct(gap.area_share)} of its LSOAs are in the most deprived 10% nationally on "
                f"this domain, {compared} across {city_name}"
            )
        else:
            more = "more" if share > 0 else "fewer"
            parts.append(
                f"{_pct(gap.area_share)} of its LSOAs are in the most deprived 10% nationally on "
                f"this domain, against {_pct(gap.city_share)} across {city_name} "
                f"({_points(share)} {more})"
            )
    if gap.area_rank is not None and gap.city_rank is not None:
        parts.append(f"average rank {_rank(gap.area_rank)} against {_rank(gap.city_rank)}")
    body = "; ".join(parts) if parts else "no comparable figures"
    return f"{gap.domain.label}: {body}."


def none_stand_out_sentence(gaps: Sequence[DomainGap], *, area_name: str, city_name: str) -> str:
    """Write the panel's text when no domain has the area more deprived than the city."""
    text = (
        f"On none of the seven domains does {area_name} rank as more deprived than {city_name} "
        "as a whole, by the share of its LSOAs in the national most deprived 10% or by "
        "average rank."
    )
    ranked = [g for g in gaps if g.rank_gap is not None]
    if ranked:
        closest = max(ranked, key=lambda g: (g.rank_gap, g.domain.stem))
        assert closest.area_rank is not None and closest.city_rank is not None
        text += (
            f" Closest to the city: {closest.domain.label} (average rank "
            f"{_rank(closest.area_rank)} against {_rank(closest.city_rank)})."
        )
    return text


def overall_sentence(
    area: Mapping[str, object],
    city: Mapping[str, object] | None,
    *,
    vintage: int,
    city_name: str,
    national_share: float | None,
) -> str | None:
    """Write the IMD line of the panel: the area's share in the national 10% beside the city's."""
    share = as_float_of(area, "imd_proportion_10pct")
    if share is None:
        return None
    text = f"Overall (IMD, IoD{vintage}): {_pct(share)} of its LSOAs are in the most deprived 10% nationally"
    others = []
    city_share = as_float_of(city, "imd_proportion_10pct") if city is not None else None
    if city_share is not None:
        others.append(f"{_pct(city_share)} across {city_name}")
    if national_share is not None:
        others.append(f"{_pct(national_share)} in England, by definition")
    if others:
        text += ", against " + " and ".join(others)
    return text + "."
