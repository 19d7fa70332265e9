"""The map site as the pipeline builds it on the real data (Leeds)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest
from _pipeline import run_snakemake

from geo.presentation.site.downloads import UNDOCUMENTED

pytestmark = pytest.mark.integration

TIER_DIRS = {
    "community_committee": "community-committee",
    "ward": "ward",
    "priority_neighbourhood": "priority-neighbourhood",
    "designated_2017": "designated-2017",
    "drawn_neighbourhood": "drawn-neighbourhood",
    "wedge_2010": "wedge",
}


def digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_one_page_per_area_of_every_tier(built_repo: Path):
    site = built_repo / "site"
    for tier, folder in TIER_DIRS.items():
        summary = pd.read_csv(built_repo / f"data/processed/summaries/{tier}.csv")
        pages = [p for p in (site / folder).glob("*.html") if p.name != "index.html"]
        assert len(pages) == summary["area_code"].nunique() > 0, tier
        assert (site / folder / "index.html").is_file()
    assert (site / "ward/armley.html").is_file()
    for path in ("index.html", "draw.html", "downloads/index.html", "rank-changes/2015-2019.html",
                 "rank-changes/2019-2025.html", "assets/search-index.json"):  # fmt: skip
        assert (site / path).is_file(), path


def test_downloads_hold_every_tier_and_a_complete_dictionary(built_repo: Path):
    downloads = built_repo / "site/downloads"
    for tier in ("city", *TIER_DIRS, "priority_ward"):
        assert (downloads / f"{tier}.gpkg").read_bytes() == (
            built_repo / f"data/processed/tiers/{tier}.gpkg"
        ).read_bytes()
        assert (downloads / f"{tier}.csv").is_file()
    page = (downloads / "index.html").read_text(encoding="utf-8")
    assert UNDOCUMENTED not in page
    assert "Contains OS data &copy; Crown copyright and database right" in page
    assert len(re.findall(r"<code|[0-9a-f]{64}", page)) >= 20  # the registry's checksums


def test_class_breaks_are_written_beside_the_outputs(built_repo: Path):
    breaks = pd.read_csv(built_repo / "data/processed/classification_breaks.csv")
    layers = set(breaks["layer"])
    assert {
        "lsoa_imd_score_2015",
        "lsoa_imd_score_2019",
        "lsoa_imd_score_2025",
        "ward_imd_average_score_2025",
    } <= layers
    assert set(breaks["scheme"]) == {"fisher_jenks"}
    assert (breaks.groupby("layer")["class"].max() <= 5).all()
    lsoas = pd.read_csv(built_repo / "data/processed/lsoa_imd_2025.csv")
    assert breaks.loc[breaks["layer"] == "lsoa_imd_score_2025", "count"].sum() == len(lsoas)


def test_site_rebuilds_byte_identical(built_repo: Path):
    before = digest(built_repo / "site")
    run_snakemake(built_repo, "--forcerun", "build_classification_breaks", "build_site")
    after = digest(built_repo / "site")
    assert before.keys() == after.keys()
    assert [k for k in before if before[k] != after[k]] == []


def _cells(row: str) -> list[str]:
    """Each cell of a table row: its sort value, or its text."""
    cells = re.findall(r'<t[dh][^>]*?(?: data-value="([^"]*)")?>(.*?)</t[dh]>', row)
    return [value or text for value, text in cells]


def test_the_england_page_shows_every_authority_as_built_and_as_file_10(
    built_repo: Path, mirror: Path
):
    """england.html: every authority of IoD2025 as authority_summaries.csv has it; the share of
    LSOAs in the national 10% (no denominator) ranks as File 10; Leeds's ranks in IoD2015 and
    IoD2019 (official denominators for every authority) are File 10's."""
    page = (built_repo / "site/england.html").read_text(encoding="utf-8")
    table = pd.read_csv(built_repo / "data/processed/authority_summaries.csv")
    built = table.loc[table["vintage"] == 2025].set_index("lad_code")
    ref = pd.read_csv(mirror / "reference/iod2025_lad_summaries_v2_via_humaniverse.csv").set_index(
        "ltla24_code"
    )
    body = page.split('id="authorities-table"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr id="lad-(E\d{8})">(.*?)</tr>', body, flags=re.S)
    assert sorted(code for code, _ in rows) == sorted(ref.index) and len(rows) == 296
    measures = ["imd_average_score", "imd_average_rank", "imd_extent", "imd_local_concentration",
                "imd_proportion_10pct", "income_scale", "employment_scale"]  # fmt: skip
    for code, row in rows:
        ranks = _cells(row)[4::2]  # name, code, LSOAs, then each measure and its rank
        for measure, rank in zip(measures, ranks, strict=True):
            expected = built.at[code, f"{measure}_rank"]
            assert (rank == "–") if pd.isna(expected) else int(float(rank)) == int(expected), (
                code,
                measure,
            )
        column = "imd_rank_of_proportion_of_lso_as_in_most_deprived_10_percent_nationally"
        assert int(float(ranks[4])) == int(ref.at[code, column]), code
    leeds = next(row for code, row in rows if code == "E08000035")
    assert 'href="index.html"' in leeds
    assert "Census 2021 usual residents" in page and "IoD2025 File 7 mid-2022 population" in page
    history = page.split('id="history-table"', 1)[1].split("</table>", 1)[0]
    by_release = {
        cells[0]: cells[2:]
        for cells in map(_cells, re.findall(r"<tr>(.*?)</tr>", history, flags=re.S)[1:])
    }
    assert list(by_release) == [str(v) for v in (2004, 2007, 2010, 2015, 2019, 2025)]
    for vintage, code_col, extent in (
        (2015, "Local Authority District code (2013)", "IMD - Rank of extent"),
        (2019, "Local Authority District code (2019)", "IMD 2019 - Rank of extent"),
    ):
        f10 = (
            pd.read_csv(mirror / f"reference/iod{vintage}_lad_summaries.csv")
            .set_index(code_col)
            .loc["E08000035"]
        )
        ours = [int(float(r)) for r in by_release[str(vintage)][:5]]
        assert (
            ours[0] == f10["IMD - Rank of average score"]
            and ours[1] == f10["IMD - Rank of average rank"]
        )
        assert ours[2] == f10[extent]
        assert ours[4] == f10["IMD - Rank of proportion of LSOAs in most deprived 10% nationally"]
    data = (built_repo / "site/england.data.js").read_text(encoding="utf-8")
    assert data.count('"k":"E0') == 296 + 1  # every authority, and Leeds's outline
