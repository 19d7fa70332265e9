"""The tier registry: one declaration per tier, everything else derived from it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

from geo.core.errors import ConfigError
from geo.model.tiers import CORE, WARD, Build, authority_plan, core_registry, tier_registry

ROOT = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((ROOT / "config.yaml").read_text())
LEEDS = tier_registry(CONFIG)

# String literals that equal a tier key but name something else; each with its reason.
NOT_TIERS = {
    (
        "src/geo/inputs/neighbourhoods.py",
        "ward",
    ): "the `ward` property of drawn neighbourhood files",
    ("src/geo/statistics/apportion.py", "ward"): "the `ward` property of drawn neighbourhood files",
    ("src/geo/inputs/postcodes.py", "ward"): "the `ward` field of the NSPL postcode file",
}


def _config(tiers: dict[str, object], lad: str = "E08000099") -> dict[str, object]:
    return {"lad_code": lad, "authorities": {lad: {"tiers": tiers}}}


def test_leeds_tiers_in_output_order() -> None:
    assert LEEDS.keys == (
        "city", "ward", "community_committee", "wedge_2010", "priority_neighbourhood",
        "priority_neighbourhood_2015", "priority_ward", "designated_2017", "drawn_neighbourhood",
    )  # fmt: skip


def test_each_extra_priority_release_is_a_tier_of_its_own() -> None:
    config = {**_config({}), "tiers": {"extra_priority_vintages": [2015, 2025]}}
    registry = tier_registry(config)
    assert registry.keys == (
        "city", "ward", "priority_neighbourhood", "priority_neighbourhood_2015",
        "priority_neighbourhood_2025", "priority_ward", "drawn_neighbourhood",
    )  # fmt: skip
    pn15 = registry["priority_neighbourhood_2015"]
    assert pn15.build is Build.NATIONAL_PERCENT and pn15.vintage == 2015
    assert (pn15.slug, pn15.code_column, pn15.name_column) == (
        "priority-neighbourhood-2015", "priority_neighbourhood_2015_code",
        "priority_neighbourhood_2015",
    )  # fmt: skip
    assert pn15.singular == "2015 priority neighbourhood" and pn15.nav
    assert pn15.plural.capitalize() == "2015 priority neighbourhoods"  # as the site labels it
    # Its description names its own release, the priority tier's the priority release.
    assert pn15.describe(2019) == "LSOAs in the most deprived 1% in England in IoD2015."
    assert registry["priority_neighbourhood"].describe(2019).endswith("in IoD2019.")
    assert registry.parent_of(pn15) == WARD
    assert registry.fact_columns(registry["priority_neighbourhood"]) == (
        "priority_neighbourhood_2015", "priority_neighbourhood_2025",
    )  # fmt: skip
    # The priority ward tier still holds the priority release's neighbourhoods only.
    assert registry["priority_ward"].source == "priority_neighbourhood"


def test_another_authority_has_the_core_tiers_only() -> None:
    registry = tier_registry({"lad_code": "E08000032", "authorities": CONFIG["authorities"]})
    assert registry.keys == core_registry().keys
    assert {t.key for t in registry} == {t.key for t in CORE}


def test_hierarchy_and_parent_columns_are_derived() -> None:
    assert [t.key for t in LEEDS.hierarchy()] == ["wedge_2010", "community_committee", "ward"]
    pn = LEEDS["priority_neighbourhood"]
    assert LEEDS.parent_columns(pn) == (
        "ward_code", "ward_name", "community_committee_code", "community_committee",
        "wedge_2010_code", "wedge_2010",
    )  # fmt: skip
    assert LEEDS.fact_columns(pn) == ("priority_neighbourhood_2015", "designated_2017")
    assert LEEDS.fact_columns(LEEDS["priority_ward"]) == (
        "priority_neighbourhoods",
        "priority_order",
    )
    assert LEEDS.fact_columns(LEEDS["community_committee"]) == ("wards",)
    assert LEEDS.parent_columns(LEEDS["priority_ward"]) == LEEDS.parent_columns(WARD)


def test_partitioning_follows_the_build() -> None:
    partitions = {t.key for t in LEEDS if t.partitions}
    assert partitions == {"city", "ward", "community_committee", "wedge_2010"}
    boundary = tier_registry(_config({"msoa": {"singular": "MSOA", "plural": "MSOAs",
                                               "build": "boundary", "dataset": "d",
                                               "field": "MSOA11CD", "name_field": "MSOA11NM"}}))  # fmt: skip
    assert boundary["msoa"].partitions
    assert boundary.parent_of(boundary["msoa"]) is None


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ({"ward": {"singular": "W", "plural": "ws", "build": "ward_groups", "dataset": "d",
                   "field": "f"}}, "'ward' is a core tier"),
        ({"g": {"singular": "G", "plural": "gs", "build": "ward_groups", "dataset": "d",
                "field": "f", "parent": "nope"}}, "tiers.g.parent: value 'nope'"),
        ({"b": {"singular": "B", "plural": "bs", "build": "boundary", "dataset": "d",
                "field": "f"}}, "a boundary tier needs 'name_field'"),
        ({"g": {"singular": "G", "plural": "gs", "build": "ward_groups", "dataset": "d",
                "field": "f", "slug": "ward"}}, "share the slug 'ward'"),
        ({"a": {"singular": "A", "plural": "as", "build": "ward_groups", "dataset": "d",
                "field": "f", "parent": "b"},
          "b": {"singular": "B", "plural": "bs", "build": "ward_groups", "dataset": "d",
                "field": "f", "parent": "a"}}, "loop"),
    ],
)  # fmt: skip
def test_bad_local_tiers_are_named(tiers: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        tier_registry(_config(tiers))


def test_plan_lists_the_local_datasets_once() -> None:
    plan = authority_plan(CONFIG)
    assert plan.tier_datasets == ("leeds_ward_community_committee", "leeds_lsoa_local_names")
    assert "drawn_neighbourhood" not in plan.lsoa_tiers
    assert plan.ward_boundaries == "wards_leeds_dec2022"


def _literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)]  # fmt: skip


def test_tier_names_are_literals_only_in_the_registry() -> None:
    """No module but the registry names a tier in a string literal (templates included)."""
    keys = set(LEEDS.keys)
    for local in CONFIG["authorities"].values():
        keys |= set(local.get("tiers") or {})
    found = []
    for path in sorted((ROOT / "src" / "geo").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "src/geo/model/tiers.py":
            continue
        found += [f"{rel}:{line}: {value!r}" for line, value in _literals(path)
                  if value in keys and (rel, value) not in NOT_TIERS]  # fmt: skip
    for path in sorted((ROOT / "src" / "geo").rglob("*.j2")):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)}: {k!r}" for k in keys
                  if f'"{k}"' in text or f"'{k}'" in text]  # fmt: skip
    assert found == []
    # the allow-list stays honest: every entry is still needed
    for rel, value in NOT_TIERS:
        assert value in {v for _, v in _literals(ROOT / rel)}, (rel, value)


def test_leeds_tiers_are_not_named_in_code_at_all() -> None:
    """The authority's own tiers are data: their keys appear nowhere in src/geo."""
    local = set(CONFIG["authorities"]["E08000035"]["tiers"])
    hits = [
        f"{p.relative_to(ROOT)}: {k}"
        for p in sorted((ROOT / "src" / "geo").rglob("*"))
        if p.suffix in (".py", ".j2", ".js", ".yaml") and "vendor" not in p.parts
        for k in local
        if f'"{k}"' in p.read_text(encoding="utf-8") or f"'{k}'" in p.read_text(encoding="utf-8")
    ]
    assert hits == []


def test_builds_are_closed() -> None:
    assert {b.value for b in Build} == {
        "authority", "wards", "ward_groups", "national_percent", "holding", "lsoa_flag",
        "boundary", "drawn",
    }  # fmt: skip
