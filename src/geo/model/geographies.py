"""The statistical geographies, declared once: LSOAs and MSOAs of 2001, 2011 and 2021.

Each release of the indices is published on one of them (:mod:`geo.model.releases`);
indicators may come on any (an LSOA or MSOA geography); links between them are the ONS
lookups (:mod:`geo.geography.crosswalk`). Output Areas have a place here for the
boundary-building work that needs them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Geography:
    """One statistical geography of England and Wales."""

    key: str
    """ONS code stem, e.g. ``LSOA11``: the ``lsoa_geography`` column's values."""
    unit: str
    """``OA``, ``LSOA`` or ``MSOA``."""
    year: int
    """Census year of the boundaries."""
    n_england: int | None
    """Areas in England (None where the pipeline does not need it)."""

    @property
    def code_field(self) -> str:
        """ONS code field, e.g. ``LSOA11CD``."""
        return f"{self.key}CD"

    @property
    def name_field(self) -> str:
        """ONS name field, e.g. ``LSOA11NM``."""
        return f"{self.key}NM"

    @property
    def code_column(self) -> str:
        """Canonical code column in lookups, e.g. ``lsoa11_code``."""
        return f"{self.key.lower()}_code"


GEOGRAPHIES: dict[str, Geography] = {
    g.key: g
    for g in (
        Geography("LSOA01", "LSOA", 2001, 32_482),
        Geography("LSOA11", "LSOA", 2011, 32_844),
        Geography("LSOA21", "LSOA", 2021, 33_755),
        Geography("MSOA11", "MSOA", 2011, 6_791),
        Geography("MSOA21", "MSOA", 2021, 6_856),
        Geography("OA11", "OA", 2011, None),
        Geography("OA21", "OA", 2021, None),
    )
}
"""Every geography, by key."""


def geography(unit: str, year: int) -> Geography:
    """Return the geography of ``unit`` (``LSOA``…) with boundaries of ``year``.

    Raises:
        KeyError: no such geography is declared.

    """
    key = f"{unit}{year % 100:02d}"
    if key not in GEOGRAPHIES:
        msg = f"no geography {key!r}; declared: {sorted(GEOGRAPHIES)}"
        raise KeyError(msg)
    return GEOGRAPHIES[key]


def lsoa_geography(year: int) -> str:
    """ONS geography code stem of the LSOAs of ``year``: ``LSOA11`` or ``LSOA21``."""
    return geography("LSOA", year).key
