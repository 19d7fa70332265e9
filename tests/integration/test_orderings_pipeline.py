"""Issue 13 acceptance on the real data: the council's orderings and the national 20%.

Expectations are recomputed from the official files in the mirror (IoD2015 File 1, IoD2019
File 2: national IMD ranks and deciles), independently of the package; the LSOA → ward
assignment is the published ``lsoa_membership.csv``. PROVENANCE.md: 16 Leeds LSOAs in the
national 1% (rank ≤ 328) in IoD2015, 12 in IoD2019.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from _pipeline import MIRROR

from geo.inputs.registry import load_registry

pytestmark = pytest.mark.integration

LEEDS = "E08000035"
RANK = "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"
DECILE = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
OFFICIAL = {  # release: (dataset, its LAD code column)
    2015: ("imd2015_file1", "Local Authority District code (2013)"),
    2019: ("imd2019_file2", "Local Authority District code (2019)"),
}


def official(repo: Path, vintage: int) -> pd.DataFrame:
    """Leeds's LSOAs in the official file: ``lsoa_code, rank, decile``."""
    dataset, lad = OFFICIAL[vintage]
    entry = load_registry(repo / "data/registry.yaml")[dataset]
    table = pd.read_csv(MIRROR / entry.mirror, encoding="utf-8-sig", thousands=",")
    leeds = table.loc[table[lad] == LEEDS, ["LSOA code (2011)", RANK, DECILE]]
    return leeds.set_axis(["lsoa_code", "rank", "decile"], axis=1).reset_index(drop=True)


def summary(repo: Path, tier: str) -> pd.DataFrame:
    return pd.read_csv(repo / f"data/processed/summaries/{tier}.csv", dtype={"area_code": "string"})


def wards_of_lsoa11(repo: Path) -> pd.Series:
    m = pd.read_csv(repo / "data/processed/lsoa_membership.csv", dtype="string")
    return m.loc[m["lsoa_geography"] == "LSOA11"].set_index("lsoa_code")["ward_code"]


def test_iod2019_priority_wards_in_the_order_of_the_councils_diagram(built_repo: Path):
    """Wards ordered by the national rank of their most deprived 1% LSOA, lowest first."""
    lsoas = official(built_repo, 2019)
    one_pct = lsoas.loc[lsoas["rank"] <= 328].copy()
    assert len(one_pct) == 12
    one_pct["ward_code"] = one_pct["lsoa_code"].map(wards_of_lsoa11(built_repo))
    assert one_pct["ward_code"].notna().all()
    expected = one_pct.groupby("ward_code")["rank"].min().sort_values()
    pw = summary(built_repo, "priority_ward")
    pw19 = pw.loc[pw["vintage"] == 2019]
    assert pw19["area_code"].tolist() == expected.index.tolist()
    assert pw19["priority_order"].tolist() == list(range(1, len(expected) + 1))
    # The order is the priority release's, carried by every release's rows.
    for vintage, rows in pw.groupby("vintage"):
        assert rows["area_code"].tolist() == expected.index.tolist(), vintage
    # The explicit order column is also in the GeoPackage layer.
    layer = pyogrio.read_dataframe(
        built_repo / "data/processed/tiers/priority_ward.gpkg", layer="imd2019"
    )
    assert layer.set_index("area_code")["priority_order"].to_dict() == {
        code: i + 1 for i, code in enumerate(expected.index)
    }


@pytest.mark.parametrize(("vintage", "expected"), [(2015, 16), (2019, 12)])
def test_each_releases_priority_set_is_its_own_tier(built_repo: Path, vintage: int, expected: int):
    lsoas = official(built_repo, vintage)
    codes = set(lsoas.loc[lsoas["rank"] <= 328, "lsoa_code"])
    assert len(codes) == expected
    tier = "priority_neighbourhood" if vintage == 2019 else f"priority_neighbourhood_{vintage}"
    table = summary(built_repo, tier)
    for release, rows in table.groupby("vintage"):
        assert set(rows["area_code"]) == codes, (tier, release)
    own = table.loc[table["vintage"] == vintage]
    assert (own["lsoas_in_national_1pct"] == 1).all()
    # Site pages and navigation, and a profile for each (config profiles.tiers).
    slug = tier.replace("_", "-")
    pages = {p.name for p in (built_repo / f"site/{slug}").glob("*.html")} - {"index.html"}
    assert len(pages) == expected
    profiles = {p.name for p in (built_repo / f"site/profiles/{slug}").glob("*.html")}
    assert profiles == pages
    index = (built_repo / "site/index.html").read_text()
    label = "Priority neighbourhoods" if vintage == 2019 else f"{vintage} priority neighbourhoods"
    assert f'href="{slug}/index.html">{label}<' in index  # in the navigation


def test_the_2015_and_2019_sets_flag_each_other(built_repo: Path):
    pn15 = summary(built_repo, "priority_neighbourhood_2015")
    pn19 = summary(built_repo, "priority_neighbourhood")
    both = set(pn15["area_code"]) & set(pn19["area_code"])
    rows = pn19.loc[pn19["vintage"] == 2019].set_index("area_code")
    assert rows["priority_neighbourhood_2015"].to_dict() == {c: c in both for c in rows.index}
    assert len(both) == 9  # remained in the national 1% from 2015 to 2019 (rank changes)


@pytest.mark.parametrize("vintage", [2015, 2019])
def test_national_20pct_is_deciles_one_and_two(built_repo: Path, vintage: int):
    lsoas = official(built_repo, vintage)
    layer = pd.read_csv(built_repo / f"data/processed/lsoa_imd_{vintage}.csv")
    flags = layer.set_index("LSOA11CD")["in_national_20pct"]
    expected = lsoas.set_index("lsoa_code")["decile"] <= 2
    assert flags.sort_index().to_dict() == expected.sort_index().to_dict()
    n20 = int(expected.sum())
    city = summary(built_repo, "city").set_index("vintage").loc[vintage]
    assert city["lsoas_in_national_20pct"] == n20
    assert city["lsoas_in_national_10pct"] == int((lsoas["decile"] == 1).sum()) < n20
    ward = summary(built_repo, "ward")
    assert ward.loc[ward["vintage"] == vintage, "lsoas_in_national_20pct"].sum() == n20
    head = pd.read_csv(built_repo / "data/processed/headlines.csv").set_index("vintage")
    assert head.loc[vintage, "lsoas_in_national_20pct"] == n20
    assert head.loc[vintage, "share_in_national_20pct"] == pytest.approx(n20 / len(lsoas))
