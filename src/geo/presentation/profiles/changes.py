"""Changes between releases, worded relatively.

The indices rank every LSOA against all others in England, so a change between releases says
how an area moved *relative to the rest of England*, not whether deprivation rose or fell.
Every sentence here is worded that way: "moved into the most deprived 10% nationally", "a
larger share of its LSOAs than in IoD2015", "nearer the most deprived end" — never
"deprivation increased".

* :func:`share_sentence` — the share of the area's LSOAs in the national 10% (and the count
  in the 1%) in one release against the previous one;
* :func:`average_rank_sentence` — where the area's population-weighted average rank places it,
  as "among the most deprived P% of England" (comparable across releases with different
  numbers of LSOAs);
* :func:`lsoa_moves` / :func:`move_sentences` — the area's LSOAs that moved into or out of the
  national 10% or 1%. Across the 2021 boundary change an LSOA is compared with its one 2011
  predecessor (unchanged or split); merged and irregularly changed LSOAs are not compared.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, cast

import pandas as pd

from geo.presentation.profiles.charts import format_count
from geo.statistics.facts import MOVES, MoveKind

SAME_SHARE_POINTS: Final = 0.5
"""Shares closer than this (percentage points) read as "the same share"."""
SAME_POSITION_POINTS: Final = 0.5
"""Average positions closer than this (percent of England) read as "about where it was"."""
LISTED_LSOAS: Final = 5
"""LSOAs named per kind of move; more are counted ("and 3 more")."""

MOVE_ORDER: Final[tuple[MoveKind, ...]] = MOVES
_MOVE_TEXT: Final[dict[str, str]] = {
    "into_1pct": "Moved into the most deprived 1% nationally",
    "into_10pct": "Moved into the most deprived 10% nationally",
    "out_of_10pct": "Moved out of the most deprived 10% nationally (others now rank as more deprived)",
    "out_of_1pct": "Moved out of the most deprived 1% nationally, staying in the 10%",
}


@dataclass(frozen=True)
class Snapshot:
    """An area's figures in one release."""

    vintage: int
    lsoas: float
    in_10pct: float
    in_1pct: float
    average_rank: float | None
    """IMD average rank, reversed (larger = more deprived)."""
    n_national: int

    @property
    def share_10pct(self) -> float:
        """Share (0–1) of its LSOAs in the national 10%."""
        return self.in_10pct / self.lsoas if self.lsoas else 0.0

    @property
    def position(self) -> float | None:
        """The average rank as "among the most deprived P%" of England (P in percent)."""
        if self.average_rank is None or math.isnan(self.average_rank):
            return None
        return 100 * (self.n_national + 1 - self.average_rank) / self.n_national


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def share_sentence(before: Snapshot, after: Snapshot) -> str:
    """Compare the share of the area's LSOAs in the national 10% with the previous release.

    E.g. ``"In IoD2019, 43% of its LSOAs (6 of 14) are in the most deprived 10% nationally: a
    larger share than in IoD2015 (36%)."``
    """
    gap = 100 * (after.share_10pct - before.share_10pct)
    if abs(gap) < SAME_SHARE_POINTS:
        compared = f"the same share as in IoD{before.vintage}"
    elif gap > 0:
        compared = f"a larger share than in IoD{before.vintage} ({_pct(before.share_10pct)})"
    else:
        compared = f"a smaller share than in IoD{before.vintage} ({_pct(before.share_10pct)})"
    counts = f"{format_count(after.in_10pct)} of {format_count(after.lsoas)}"
    if "." in counts:  # apportioned: parts of LSOAs
        counts += " LSOA equivalents"
    text = (
        f"In IoD{after.vintage}, {_pct(after.share_10pct)} of its LSOAs ({counts}) are in the "
        f"most deprived 10% nationally: {compared}."
    )
    if after.in_1pct >= 0.05 or before.in_1pct >= 0.05:
        a, b = format_count(after.in_1pct), format_count(before.in_1pct)
        if a == "0":
            now = "None of its LSOAs is"
        elif "." in a:
            now = f"The equivalent of {a} LSOAs is"
        else:
            now = f"{a} of its LSOAs {'is' if a == '1' else 'are'}"
        against = f"as in IoD{before.vintage}" if a == b else f"against {b} in IoD{before.vintage}"
        text += f" {now} in the most deprived 1%, {against}."
    return text


def average_rank_sentence(before: Snapshot, after: Snapshot) -> str | None:
    """Say where the average rank places the area, against the previous release, relatively.

    ``"Its population-weighted average rank places it among the most deprived 12% of England:
    nearer the most deprived end than in IoD2015 (15%), relative to other areas."``
    """
    a, b = after.position, before.position
    if a is None or b is None:
        return None
    if abs(a - b) < SAME_POSITION_POINTS:
        compared = f"about where it was in IoD{before.vintage}"
    elif a < b:
        compared = f"nearer the most deprived end than in IoD{before.vintage}"
    else:
        compared = f"further from the most deprived end than in IoD{before.vintage}"
    return (
        f"Its population-weighted average rank places it {_position(a)} of England: "
        f"{compared} ({_whole_percent(b if b <= 50 else 100 - b)}%), relative to other areas."
    )


def _position(percent: float) -> str:
    """``"among the most deprived 3%"``: the percentage rounded up, never 0%."""
    if percent <= 50:
        return f"among the most deprived {_whole_percent(percent)}%"
    return f"among the least deprived {_whole_percent(100 - percent)}%"


def _whole_percent(percent: float) -> int:
    """Round a position up to a whole percent (as national percentiles are), at least 1."""
    return max(1, math.ceil(round(percent, 6)))


@dataclass(frozen=True)
class LsoaMove:
    """One LSOA that crossed a national threshold between two releases."""

    kind: MoveKind
    code: str
    name: str
    code_before: str
    rank_before: int
    rank_after: int


def lsoa_moves(
    changes: pd.DataFrame,
    *,
    vintages: tuple[int, int],
    codes: Sequence[str],
    names: Mapping[str, str] | None = None,
) -> tuple[list[LsoaMove], list[str]]:
    """Find the LSOAs of an area that crossed a national threshold, in the facts table.

    Args:
        changes: :func:`geo.statistics.facts.lsoa_changes` (``move`` already classified
            against the configured thresholds).
        vintages: The earlier and the later release.
        codes: The area's LSOAs in the later release.
        names: Display name of each later code.

    Returns:
        The moves (most deprived kinds first, then by code) and the codes not compared
        (no single predecessor, or no rank in either release).

    """
    before, after = vintages
    rows = changes.loc[(changes["vintage_from"] == before) & (changes["vintage_to"] == after)]
    facts = {str(r["lsoa_code"]): r for r in rows.to_dict("records")}
    moves: list[LsoaMove] = []
    skipped: list[str] = []
    for code in sorted(codes):
        fact = facts.get(code)
        if fact is None or pd.isna(fact["rank_from"]) or pd.isna(fact["rank_to"]):
            skipped.append(code)
            continue
        kind = fact["move"]
        if isinstance(kind, str) and kind in MOVE_ORDER:
            name = (names or {}).get(code, code)
            moves.append(LsoaMove(cast(MoveKind, kind), code, name, str(fact["lsoa_code_from"]),
                                  int(fact["rank_from"]), int(fact["rank_to"])))  # fmt: skip
    moves.sort(key=lambda m: (MOVE_ORDER.index(m.kind), m.code))
    return moves, skipped


def move_sentences(
    moves: Sequence[LsoaMove], *, vintage_before: int, vintage_after: int, skipped: int = 0,
    redrawn: bool = False,
) -> list[str]:  # fmt: skip
    """Write one sentence per kind of move, naming the LSOAs with their ranks (earlier to later)."""
    out = []
    for kind in MOVE_ORDER:
        listed = [m for m in moves if m.kind == kind]
        if not listed:
            continue
        names = [
            f"{m.name} (rank {m.rank_before:,} to {m.rank_after:,})" for m in listed[:LISTED_LSOAS]
        ]
        more = len(listed) - LISTED_LSOAS
        text = ", ".join(names) + (f" and {more} more" if more > 0 else "")
        out.append(f"{_MOVE_TEXT[kind]}: {text}.")
    if not moves:
        out.append(
            f"None of its LSOAs moved into or out of the most deprived 10% or 1% nationally "
            f"between IoD{vintage_before} and IoD{vintage_after}."
        )
    if skipped:
        noun = "LSOA was" if skipped == 1 else "LSOAs were"
        why = " redrawn in 2021 (merged or changed irregularly) and" if redrawn else ""
        out.append(f"{skipped} {noun}{why} not compared one to one.")
    return out
