"""The Index of Multiple Deprivation and its seven domains, as named across the package.

Every LSOA table in the package uses these stems: ``<stem>_rank`` (national rank, 1 = most
deprived), ``<stem>_decile`` (national decile, 1 = most deprived 10%) and ``<stem>_score``
(published score, missing where the vintage does not publish it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Domain:
    """One index of the IoD: its column stem and its official label."""

    stem: str
    label: str
    short: str


IMD = Domain("imd", "Index of Multiple Deprivation (IMD)", "IMD")
DOMAINS: tuple[Domain, ...] = (
    Domain("income", "Income", "Income"),
    Domain("employment", "Employment", "Employment"),
    Domain("education", "Education, Skills and Training", "Education"),
    Domain("health", "Health Deprivation and Disability", "Health"),
    Domain("crime", "Crime", "Crime"),
    Domain("barriers", "Barriers to Housing and Services", "Barriers"),
    Domain("living_environment", "Living Environment", "Living env."),
)
INDICES: tuple[Domain, ...] = (IMD, *DOMAINS)
"""The IMD first, then the seven domains in the official order."""


def rank_col(stem: str) -> str:
    """Column holding the national rank of ``stem``."""
    return f"{stem}_rank"


def decile_col(stem: str) -> str:
    """Column holding the national decile of ``stem``."""
    return f"{stem}_decile"


def score_col(stem: str) -> str:
    """Column holding the published score of ``stem``."""
    return f"{stem}_score"
