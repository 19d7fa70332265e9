"""Issue 10 acceptance on the real data: IMD 2004, 2007, 2010 beside 2015, 2019, 2025."""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.integration

LEEDS = "E08000035"
N01 = 32_482
SIX = [2004, 2007, 2010, 2015, 2019, 2025]


def _raw(repo: Path, name: str) -> Path:
    (path,) = (repo / "data/raw" / name).iterdir()
    return path


def _leeds01(repo: Path) -> set[str]:
    """Leeds's 2001 LSOAs from the raw lookup and File 1, with plain pandas."""
    lookup = pd.read_csv(_raw(repo, "lookup_lsoa01_lsoa11"))
    file1 = pd.read_csv(_raw(repo, "imd2015_file1"))
    leeds11 = set(
        file1.loc[file1["Local Authority District code (2013)"] == LEEDS, "LSOA code (2011)"]
    )
    return set(lookup.loc[lookup["LSOA11CD"].isin(leeds11), "LSOA01CD"])


def _independent_headline(repo: Path, vintage: int) -> dict[str, float]:
    imd = pd.read_csv(_raw(repo, f"imd{vintage}_lsoa01"))
    lookup = pd.read_csv(_raw(repo, "lookup_lsoa01_lsoa11"))
    file1 = pd.read_csv(_raw(repo, "imd2015_file1"))
    lad11 = file1.set_index("LSOA code (2011)")["Local Authority District code (2013)"]
    lad01 = (
        lookup.assign(lad=lookup["LSOA11CD"].map(lad11)).dropna().groupby("LSOA01CD")["lad"].first()
    )
    imd["lad"] = imd["lsoa01_code"].map(lad01)
    if vintage == 2010:
        pop = pd.read_excel(
            _raw(repo, "imd2010_denominators"), sheet_name="Mid_2008", engine="calamine"
        )
        population = pop.set_index("LSOA CODE")["Total population: mid 2008 (excluding prisoners)"]
        imd["district"] = imd["lad"]
    else:
        tidy = pd.read_csv(_raw(repo, "imd_population_2004_2007_thirdparty"))
        population = tidy.loc[tidy["year"] == vintage].set_index("lsoa")["pop_total"]
        imd["district"] = imd[f"lad{vintage % 100:02d}_code"]
    imd["top10"] = imd["IMD_rank"] <= math.floor(N01 / 10)
    share = imd.groupby("district")["top10"].mean()
    leeds = imd.loc[imd["lad"] == LEEDS]
    (district,) = set(leeds["district"])
    return {
        "lsoas": len(leeds),
        "lsoas_in_national_1pct": int((leeds["IMD_rank"] <= math.floor(N01 / 100)).sum()),
        "lsoas_in_national_10pct": int(leeds["top10"].sum()),
        "population_in_national_10pct": float(
            leeds.loc[leeds["top10"], "lsoa01_code"].map(population).sum()
        ),
        "lad_rank_by_share_in_10pct": int((share > share[district]).sum()) + 1,
        "lads_ranked": len(share),
    }


@pytest.mark.parametrize("vintage", [2004, 2007, 2010])
def test_headlines_recomputed_from_the_release_files(built_repo: Path, vintage: int) -> None:
    h = pd.read_csv(built_repo / "data/processed/headlines.csv").set_index("vintage")
    assert list(h.index) == SIX
    for key, value in _independent_headline(built_repo, vintage).items():
        assert h.at[vintage, key] == pytest.approx(value), key


def test_every_2001_lsoa_is_linked_and_none_dropped(built_repo: Path) -> None:
    expected = _leeds01(built_repo)
    assert len(expected) == 476
    for vintage in (2004, 2007, 2010):
        layer = pd.read_csv(built_repo / f"data/processed/lsoa_imd_{vintage}.csv")
        assert set(layer["LSOA01CD"]) == expected
        assert set(layer["geometry_method"]) <= {"unchanged", "dissolved", "shared", "apportioned"}
        assert (layer["LAD13CD"] == LEEDS).all()
    members = pd.read_parquet(built_repo / "data/interim/tier_members.parquet")
    for tier in ("city", "ward", "community_committee"):
        m = members.loc[(members["tier"] == tier) & (members["lsoa_year"] == 2001)]
        assert set(m["lsoa_code"]) == expected, tier
        assert m.groupby("lsoa_code")["share"].sum().to_numpy() == pytest.approx(1.0), tier
    long_run = pd.read_csv(built_repo / "data/processed/facts/lsoa_long_run.csv")
    assert set(long_run["lsoa01_code"].dropna()) == expected
    assert long_run["lsoa11_code"].nunique() == 482
    assert long_run["lsoa21_code"].nunique() == 488
    assert [c for c in long_run.columns if c.startswith("imd_rank_")] == [
        f"imd_rank_{v}" for v in SIX
    ]


def test_every_tier_has_all_six_releases(built_repo: Path) -> None:
    city = pd.read_csv(built_repo / "data/processed/summaries/city.csv").set_index("vintage")
    assert list(city.index) == SIX
    assert city["population"].to_dict()[2010] == pytest.approx(778_469)
    assert "third party" in city.at[2004, "population_source"]
    ward = pd.read_csv(built_repo / "data/processed/summaries/ward.csv")
    counts = ward.groupby("vintage").size().to_dict()
    assert counts == dict.fromkeys(SIX, counts[2019])
    for vintage in SIX:
        rows = ward.loc[ward["vintage"] == vintage]
        assert rows["population"].sum() == pytest.approx(city.at[vintage, "population"])
    for a, b in itertools.pairwise(SIX):
        assert (built_repo / f"data/processed/rank_changes_{a}_{b}.csv").is_file()


def test_an_lsoa_page_and_profile_show_all_six_ranks(built_repo: Path) -> None:
    layer = pd.read_csv(built_repo / "data/processed/lsoa_imd_2004.csv").set_index("LSOA01CD")
    ranks = {v: pd.read_csv(built_repo / f"data/processed/lsoa_imd_{v}.csv") for v in SIX}
    code = "E01011372"  # unchanged 2001 → 2011 → 2021 (PROVENANCE: IMD2019 rank 38)
    expected = []
    for v, t in ranks.items():
        key = "LSOA01CD" if v < 2015 else ("LSOA11CD" if v < 2025 else "LSOA21CD")
        expected.append(int(t.set_index(key).at[code, "imd_rank"]))
    assert layer.at[code, "imd_rank"] == expected[0]
    for folder in ("site/ward", "site/profiles/ward"):
        pages = [p.read_text() for p in sorted((built_repo / folder).glob("*.html"))]
        (html,) = [h for h in pages if f'<tr id="lsoa-{code}">' in h]
        row = re.search(rf'<tr id="lsoa-{code}">.*?</tr>', html, re.S)
        assert row is not None, folder
        cells = [float(x) for x in re.findall(r'data-value="([\d.]+)"', row.group(0))]
        # after the share inside: rank and decile per release, oldest first
        ranks = cells[1::2][: len(SIX)]
        assert ranks == [float(r) for r in expected], folder
