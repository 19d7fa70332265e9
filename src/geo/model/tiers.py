"""The tier registry: every kind of area the pipeline reports on, declared once.

A tier is a set of areas, each made of LSOAs. Everything the rest of the pipeline knows
about a tier (its label, page slug, place in the hierarchy, whether it partitions the
authority, how its areas are built, the columns that name it in other tables) comes from
its :class:`Tier` entry here; nothing else declares a tier.

The core tiers every authority has are :data:`CORE`. An authority's own groupings (Leeds's
community committees, its retired wedges, its 2017 list) are config entries of the same
shape under ``authorities.<lad_code>.tiers`` (see ``config.yaml``), so any authority can
copy them. :func:`tier_registry` joins the two for the configured authority.

How a tier is built (:class:`Build`):

``authority``
    One area: the authority (``city``).
``wards``
    Wards, from the ONS population-weighted best fit of LSOAs to wards.
``ward_groups``
    Groups of wards, from a lookup (``dataset``) naming each ward's group in ``field``;
    codes are slugs of the names. ``parent`` names an enclosing group tier.
``national_percent``
    Each LSOA in the national most deprived ``thresholds.most_deprived_1pct`` of the
    priority release is an area (``priority_neighbourhood``, ``tiers.priority_vintage``);
    each release of ``tiers.extra_priority_vintages`` adds such a tier of its own
    (``priority_neighbourhood_<year>``, :func:`priority_set_tier`), so the sets of several
    releases stand side by side (Leeds: the 16 of IoD2015 beside the 12 of IoD2019).
``holding``
    The wards holding at least one area of tier ``source`` (``priority_ward``).
``lsoa_flag``
    Each LSOA flagged yes in ``field`` of a lookup (``dataset``) is an area.
``boundary``
    Areas of a boundary file (``dataset``, code ``field``, name ``name_field``), each LSOA
    assigned to the area holding most of it (best fit; LSOAs nest in MSOAs exactly).
``drawn``
    Hand-drawn neighbourhoods, figures apportioned from the LSOAs they overlap.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from geo.core.errors import ConfigError


class Build(StrEnum):
    """How a tier's areas are made (see the module docstring)."""

    AUTHORITY = "authority"
    WARDS = "wards"
    WARD_GROUPS = "ward_groups"
    NATIONAL_PERCENT = "national_percent"
    HOLDING = "holding"
    LSOA_FLAG = "lsoa_flag"
    BOUNDARY = "boundary"
    DRAWN = "drawn"


_ORDER = {b: i for i, b in enumerate(Build)}
"""Tiers are listed (in outputs) by how they are built, then as declared."""


@dataclass(frozen=True)
class Tier:
    """One tier: its names, place, and how it is built."""

    key: str
    """Identifier used in file names and the ``tier`` column."""
    singular: str
    plural: str
    build: Build
    description: str = ""
    """One sentence; ``{priority}`` stands for the priority release (``IoD2019``)."""
    slug: str = ""
    """Folder of its pages on the site (default: the key with hyphens)."""
    parent: str | None = None
    """Enclosing tier (breadcrumbs, parent columns); None: directly under the city."""
    pages: bool = True
    """Whether each area gets its own page (priority wards link to their ward page)."""
    nav: bool = False
    """Whether the tier's overview page is in the site navigation."""
    site_order: int = 50
    """Position among the tiers on the site (lower first)."""
    search_rank: int = 9
    """Order of this kind among equally good search matches (lower first)."""
    colour: str = "#000000"
    """Outline colour of its areas on maps."""
    line_width: float = 3.0
    """Outline width (pixels) of its areas on maps."""
    dataset: str | None = None
    """Registry dataset the areas come from (``ward_groups``, ``lsoa_flag``, ``boundary``)."""
    field: str | None = None
    """Field of ``dataset``: group name, yes/no flag or area code."""
    name_field: str | None = None
    """Area name field of a boundary file."""
    source: str | None = None
    """Tier whose areas a ``holding`` tier's wards hold."""
    code_column: str = ""
    """Column naming an area of this tier in other tiers' tables (default ``<key>_code``)."""
    name_column: str = ""
    """Column with its name (default ``<key>``)."""
    vintage: int | None = None
    """Release whose national 1% makes a ``national_percent`` tier (None: the priority one)."""

    def __post_init__(self) -> None:
        for attr, default in (
            ("slug", self.key.replace("_", "-")),
            ("code_column", f"{self.key}_code"),
            ("name_column", self.key),
        ):
            if not getattr(self, attr):
                object.__setattr__(self, attr, default)
        object.__setattr__(self, "line_width", float(self.line_width))

    @property
    def partitions(self) -> bool:
        """Whether every LSOA of the authority is in exactly one of its areas."""
        return self.build in (Build.AUTHORITY, Build.WARDS, Build.WARD_GROUPS, Build.BOUNDARY)

    @property
    def single_lsoas(self) -> bool:
        """Whether each area is one LSOA of the geography it is defined on."""
        return self.build in (Build.NATIONAL_PERCENT, Build.LSOA_FLAG)

    @property
    def from_wards(self) -> bool:
        """Whether its areas are wards or groups of wards (drawn from ward boundaries)."""
        return self.build in (Build.WARDS, Build.WARD_GROUPS, Build.HOLDING)

    @property
    def count_column(self) -> str:
        """Column counting this tier's areas inside another (``wards``)."""
        return f"{self.key}s"

    def describe(self, priority_vintage: int) -> str:
        """Return the description with the priority release (or the tier's own) filled in."""
        return self.description.format(priority=f"IoD{self.vintage or priority_vintage}")


CITY = Tier(
    "city", "City", "city", Build.AUTHORITY, "The local authority.",
    pages=False, search_rank=0, code_column="lad_code", name_column="lad_name",
)  # fmt: skip
WARD = Tier(
    "ward", "Ward", "wards", Build.WARDS,
    "Electoral wards (May 2024 wards); statistics from the ONS population-weighted best fit "
    "of whole LSOAs to wards, which can spill a little over the ward outline drawn.",
    nav=True, site_order=1, search_rank=2, name_column="ward_name", colour="#1b1b1b",
    line_width=2.0,
)  # fmt: skip
PRIORITY_NEIGHBOURHOOD = Tier(
    "priority_neighbourhood", "Priority neighbourhood", "priority neighbourhoods",
    Build.NATIONAL_PERCENT, "LSOAs in the most deprived 1% in England in {priority}.",
    nav=True, site_order=2, search_rank=3, colour="#8e0152",
)  # fmt: skip
PRIORITY_WARD = Tier(
    "priority_ward", "Priority ward", "priority wards", Build.HOLDING,
    "Wards holding at least one priority neighbourhood.",
    pages=False, site_order=4, search_rank=7, source="priority_neighbourhood", colour="#99000d",
)  # fmt: skip
DRAWN_NEIGHBOURHOOD = Tier(
    "drawn_neighbourhood", "Drawn neighbourhood", "drawn neighbourhoods", Build.DRAWN,
    "Neighbourhoods drawn by officers with ward members, their figures apportioned from "
    "the LSOAs they overlap.",
    nav=True, site_order=3, search_rank=5, colour="#0b3d91",
)  # fmt: skip
CORE: tuple[Tier, ...] = (CITY, WARD, PRIORITY_NEIGHBOURHOOD, PRIORITY_WARD, DRAWN_NEIGHBOURHOOD)
"""The tiers every authority has."""


def priority_set_tier(vintage: int) -> Tier:
    """Return the national 1% LSOAs of ``vintage`` as a tier (``tiers.extra_priority_vintages``).

    Shaped like :data:`PRIORITY_NEIGHBOURHOOD` (pages, navigation, profiles), keyed
    ``priority_neighbourhood_<year>`` and labelled with its release ("2015 priority
    neighbourhoods", as "2017 designated neighbourhoods": labels are capitalised whole).
    """
    return replace(
        PRIORITY_NEIGHBOURHOOD,
        key=f"{PRIORITY_NEIGHBOURHOOD.key}_{vintage}",
        singular=f"{vintage} priority neighbourhood",
        plural=f"{vintage} priority neighbourhoods",
        slug="", code_column="", name_column="", vintage=vintage,
        search_rank=PRIORITY_NEIGHBOURHOOD.search_rank + 1, colour="#00474f",
    )  # fmt: skip


def extra_priority_vintages(config: Mapping[str, Any]) -> tuple[int, ...]:
    """Config ``tiers.extra_priority_vintages`` (empty when not given)."""
    return tuple(int(v) for v in (config.get("tiers") or {}).get("extra_priority_vintages") or ())


LOCAL_BUILDS = (Build.WARD_GROUPS, Build.LSOA_FLAG, Build.BOUNDARY)
"""How an authority's own tiers may be built (config ``authorities.<lad>.tiers``)."""

_FIELDS_NEEDED = {
    Build.WARD_GROUPS: ("dataset", "field"),
    Build.LSOA_FLAG: ("dataset", "field"),
    Build.BOUNDARY: ("dataset", "field", "name_field"),
}


@dataclass(frozen=True)
class TierRegistry:
    """The tiers of the configured authority, in output order."""

    tiers: tuple[Tier, ...]
    _by_key: dict[str, Tier] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {t.key: t for t in self.tiers})

    def __getitem__(self, key: str) -> Tier:
        try:
            return self._by_key[key]
        except KeyError:
            msg = f"unknown tier {key!r}; the tiers are {list(self._by_key)}"
            raise KeyError(msg) from None

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __iter__(self) -> Iterator[Tier]:
        return iter(self.tiers)

    @property
    def keys(self) -> tuple[str, ...]:
        """Every tier key, in output order."""
        return tuple(t.key for t in self.tiers)

    def built(self, *builds: Build) -> tuple[Tier, ...]:
        """Return the tiers built in one of the ways ``builds``, in order."""
        return tuple(t for t in self.tiers if t.build in builds)

    @property
    def lsoa_tiers(self) -> tuple[Tier, ...]:
        """Tiers made of whole or shared LSOAs (every tier but the drawn one)."""
        return tuple(t for t in self.tiers if t.build is not Build.DRAWN)

    @property
    def site_tiers(self) -> tuple[Tier, ...]:
        """Tiers shown on the site (every tier but the city), in site order."""
        shown = [t for t in self.tiers if t.build is not Build.AUTHORITY]
        return tuple(sorted(shown, key=lambda t: t.site_order))

    def parent_of(self, tier: Tier) -> Tier | None:
        """Return the tier enclosing ``tier`` (None: the city).

        Wards sit in the innermost ward-group tier; priority wards and neighbourhoods in
        what encloses wards and wards respectively; drawn neighbourhoods in wards.
        """
        if tier.build is Build.AUTHORITY:
            return None
        if tier.parent is not None:
            return self[tier.parent]
        if tier.build is Build.WARDS:
            groups = self.built(Build.WARD_GROUPS)
            enclosing = {g.parent for g in groups}
            inner = [g for g in groups if g.key not in enclosing]
            return inner[0] if inner else None
        if tier.build is Build.HOLDING:
            return self.parent_of(WARD)
        if tier.single_lsoas or tier.build is Build.DRAWN:
            return WARD
        return None

    def ancestors(self, tier: Tier) -> tuple[Tier, ...]:
        """Tiers enclosing ``tier``, innermost first (the city left out)."""
        out: list[Tier] = []
        current = self.parent_of(tier)
        while current is not None:
            if current in out:
                msg = f"tier {tier.key!r}: its parents form a loop through {current.key!r}"
                raise ConfigError(msg)
            out.append(current)
            current = self.parent_of(current)
        return tuple(out)

    def parent_columns(self, tier: Tier) -> tuple[str, ...]:
        """``code, name`` columns of each enclosing tier, innermost first."""
        return tuple(c for a in self.ancestors(tier) for c in (a.code_column, a.name_column))

    def fact_columns(self, tier: Tier) -> tuple[str, ...]:
        """Columns of facts about each area of ``tier`` (counts, cross-list flags, order)."""
        out: list[str] = []
        if tier.build is Build.WARD_GROUPS:
            out.append(WARD.count_column)
        if tier.build in (Build.WARDS, Build.HOLDING):
            out += [self[h.source].count_column for h in self.built(Build.HOLDING) if h.source]
        if tier.build is Build.HOLDING:
            out.append("priority_order")
        if tier.single_lsoas:
            out += [t.key for t in self.tiers if t.single_lsoas and t is not tier]
        return tuple(out)

    def children_of(self, tier: Tier) -> tuple[Tier, ...]:
        """Tiers whose parent is ``tier`` (holding tiers left out: they repeat wards)."""
        return tuple(
            t for t in self.site_tiers
            if t.build is not Build.HOLDING and self.parent_of(t) == tier
        )  # fmt: skip

    def hierarchy(self) -> tuple[Tier, ...]:
        """Ward-group tiers and wards, outermost first (the breadcrumb trail)."""
        return (*reversed(self.ancestors(WARD)), WARD)


def _local_tier(key: str, entry: Mapping[str, Any], *, lad_code: str) -> Tier:
    where = f"config authorities.{lad_code}.tiers.{key}"
    if key in {t.key for t in CORE}:
        msg = f"{where}: {key!r} is a core tier; choose another key"
        raise ConfigError(msg)
    build = Build(entry["build"])
    if build not in LOCAL_BUILDS:
        msg = f"{where}.build: value {entry['build']!r} is not one of {[b.value for b in LOCAL_BUILDS]}"
        raise ConfigError(msg)
    for name in _FIELDS_NEEDED[build]:
        if not entry.get(name):
            msg = f"{where}: a {build.value} tier needs {name!r}"
            raise ConfigError(msg)
    if entry.get("parent") and build is not Build.WARD_GROUPS:
        msg = f"{where}.parent: only a ward_groups tier takes a parent"
        raise ConfigError(msg)
    names = {"singular", "plural", "description", "slug", "parent", "nav", "site_order",
             "search_rank", "dataset", "field", "name_field", "colour", "line_width"}  # fmt: skip
    return Tier(key=key, build=build, **{k: v for k, v in entry.items() if k in names})


def tier_registry(config: Mapping[str, Any]) -> TierRegistry:
    """Return the tiers of the configured authority: :data:`CORE` plus its own (validated config).

    ``config["tiers"]["extra_priority_vintages"]`` adds a priority-neighbourhood tier per
    release (:func:`priority_set_tier`).

    Raises:
        ConfigError: a local tier reuses a core key, lacks a field its build needs, names an
            unknown parent, or two tiers share a key or slug (each naming the key and value).

    """
    lad = config["lad_code"]
    local = ((config.get("authorities") or {}).get(lad) or {}).get("tiers") or {}
    sets = [priority_set_tier(v) for v in extra_priority_vintages(config)]
    tiers = [*CORE, *sets, *(_local_tier(k, v, lad_code=lad) for k, v in local.items())]
    tiers.sort(key=lambda t: _ORDER[t.build])
    registry = TierRegistry(tuple(tiers))
    for tier in registry:
        if tier.parent is not None and (
            tier.parent not in registry or registry[tier.parent].build is not Build.WARD_GROUPS
        ):
            msg = (
                f"config authorities.{lad}.tiers.{tier.key}.parent: value {tier.parent!r} is "
                "not a ward_groups tier of this authority"
            )
            raise ConfigError(msg)
    for tier in registry:
        registry.ancestors(tier)
    if len(registry.keys) != len(set(registry.keys)):
        twice = sorted({k for k in registry.keys if registry.keys.count(k) > 1})
        msg = f"config: tier key(s) {twice} declared twice (tiers.extra_priority_vintages?)"
        raise ConfigError(msg)
    slugs: dict[str, str] = {}
    for tier in registry:
        if tier.slug in slugs:
            msg = (
                f"config: tiers {slugs[tier.slug]!r} and {tier.key!r} share the slug {tier.slug!r}"
            )
            raise ConfigError(msg)
        slugs[tier.slug] = tier.key
    return registry


def restrict(registry: TierRegistry, keys: Sequence[str]) -> TierRegistry:
    """Return the registry with only the tiers ``keys`` (and their order)."""
    return TierRegistry(tuple(t for t in registry if t.key in set(keys)))


def with_overrides(tier: Tier, **changes: Any) -> Tier:
    """Return a copy of ``tier`` with ``changes`` (for tests and tools)."""
    return replace(tier, **changes)


@dataclass(frozen=True)
class AuthorityPlan:
    """The configured authority's tiers and the local datasets they are built from."""

    lad_code: str
    registry: TierRegistry
    ward_boundaries: str | None
    """Registry dataset of ward display boundaries, or None (wards drawn from LSOAs)."""
    local_names: str | None
    """Registry dataset of local LSOA names, or None."""
    output_areas: str | None = None
    """Registry dataset of Output Area polygons the ward shapes are built from, or None."""

    @property
    def lsoa_tiers(self) -> tuple[str, ...]:
        """Keys of the tiers built from LSOAs (every tier but the drawn one), in order."""
        return tuple(t.key for t in self.registry.lsoa_tiers)

    @property
    def tier_datasets(self) -> tuple[str, ...]:
        """Registry datasets the local tiers are read from (each once, in order)."""
        names = [t.dataset for t in self.registry if t.dataset]
        return tuple(dict.fromkeys(names))


def authority_plan(config: Mapping[str, Any]) -> AuthorityPlan:
    """Return the tiers and local datasets of ``config["lad_code"]`` (validated config)."""
    lad = config["lad_code"]
    local = (config.get("authorities") or {}).get(lad) or {}
    return AuthorityPlan(
        lad, tier_registry(config), local.get("ward_boundaries"), local.get("local_names"),
        local.get("output_areas"),
    )  # fmt: skip


def core_registry() -> TierRegistry:
    """Return the registry of an authority with no tiers of its own."""
    return TierRegistry(tuple(sorted(CORE, key=lambda t: _ORDER[t.build])))
