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

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from geo.model.domains import DOMAINS, Domain

SHARE_EPSILON = 0.05
"""Share gaps smaller than this many percentage points count as equal."""


def as_float(value: object) -> float | None:
    """Read a CSV cell as a float; None when it is empty, NaN or not a number."""
    if value is None:
        return None
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def _number(row: Mapping[str, object], key: str) -> float | None:
    return as_float(row.get(key))


@dataclass(frozen=True)
class DomainGap:
    """One domain of an area beside the city's, in one release."""

    domain: Domain
    vintage: int
    area_share: float | None
    """Share (0–1) of the area's LSOAs in the domain's national 10%."""
    city_share: float | None
    area_rank: float | None
    """Average rank, reversed: larger = more deprived."""
    city_rank: float | None

    @property
    def share_gap(self) -> float | None:
        """Area's share minus the city's, in percentage points."""
        if self.area_share is None or self.city_share is None:
            return None
        return 100 * (self.area_share - self.city_share)

    @property
    def rank_gap(self) -> float | None:
        """Area's average rank minus the city's (positive: the area ranks as more deprived)."""
        if self.area_rank is None or self.city_rank is None:
            return None
        return self.area_rank - self.city_rank

    @property
    def more_deprived(self) -> bool:
        """Whether the area ranks as more deprived than the city on this domain."""
        share, rank = self.share_gap, self.rank_gap
        if share is not None and share > SHARE_EPSILON:
            return True
        share_level = share is None or abs(share) <= SHARE_EPSILON
        return share_level and rank is not None and rank > 0

    def sort_key(self) -> tuple[float, float]:
        """Largest share gap first, then largest average-rank gap."""
        share = self.share_gap if self.share_gap is not None else -math.inf
        rank = self.rank_gap if self.rank_gap is not None else -math.inf
        return (-round(share, 6), -rank)


def domain_gaps(
    area: Mapping[str, object], city: Mapping[str, object], *, vintage: int,
    domains: Sequence[Domain] = DOMAINS,
) -> list[DomainGap]:  # fmt: skip
    """Set every domain of an area's summary row against the city's, most deprived first."""
    gaps = [
        DomainGap(
            d,
            vintage,
            _number(area, f"{d.stem}_proportion_10pct"),
            _number(city, f"{d.stem}_proportion_10pct"),
            _number(area, f"{d.stem}_average_rank"),
            _number(city, f"{d.stem}_average_rank"),
        )
        for d in domains
    ]
    return sorted(gaps, key=DomainGap.sort_key)


def standouts(gaps: Sequence[DomainGap], *, limit: int = 3) -> list[DomainGap]:
    """Pick the (at most ``limit``) domains on which the area is most deprived vs the city."""
    return [g for g in sorted(gaps, key=DomainGap.sort_key) if g.more_deprived][:limit]


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
    share = _number(area, "imd_proportion_10pct")
    if share is None:
        return None
    text = f"Overall (IMD, IoD{vintage}): {_pct(share)} of its LSOAs are in the most deprived 10% nationally"
    others = []
    city_share = _number(city, "imd_proportion_10pct") if city is not None else None
    if city_share is not None:
        others.append(f"{_pct(city_share)} across {city_name}")
    if national_share is not None:
        others.append(f"{_pct(national_share)} in England, by definition")
    if others:
        text += ", against " + " and ".join(others)
    return text + "."
