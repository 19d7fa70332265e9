"""The quick smoke check: the whole real DAG on the smallest authority, in about a minute.

``tests/configs/tiny.yaml``: the City of London (6 LSOAs) from the national boundary files,
no local datasets, no postcodes, no drawn neighbourhoods and no LSOA in the national 1%:
every output is still produced, empty where there is nothing to show.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from _pipeline import TINY, run_snakemake

pytestmark = pytest.mark.integration


def test_every_output_of_the_core_tiers(tiny: Path) -> None:
    heads = pd.read_csv(tiny / "data/processed/headlines.csv")
    assert heads["lad_code"].unique().tolist() == ["E09000001"]
    # 5 LSOAs of 2001 (IMD 2004, 2007, 2010), 6 of 2011 and of 2021
    assert heads["lsoas"].tolist() == [5, 5, 5, 6, 6, 6]
    assert heads["lsoas_in_national_1pct"].tolist() == [0, 0, 0, 0, 0, 0]
    for tier in ("city", "ward", "priority_neighbourhood", "priority_ward", "drawn_neighbourhood"):
        assert (tiny / f"data/processed/summaries/{tier}.csv").is_file(), tier
        assert (tiny / f"data/processed/tiers/{tier}.gpkg").is_file(), tier
    pn = pd.read_csv(tiny / "data/processed/summaries/priority_neighbourhood.csv")
    assert pn.empty  # no LSOA of the City in the national 1%
    assert not (tiny / "data/processed/summaries/community_committee.csv").exists()


def test_site_and_profiles_are_built(tiny: Path) -> None:
    assert (tiny / "site/index.html").is_file()
    assert "City of London" in (tiny / "site/index.html").read_text(encoding="utf-8")
    wards = sorted((tiny / "site/profiles/ward").glob("*.html"))
    assert len(wards) == len(
        pd.read_csv(tiny / "data/processed/summaries/ward.csv")["area_code"].unique()
    )


def test_a_second_run_does_nothing(tiny: Path) -> None:
    result = run_snakemake(tiny, "-n", "--configfile", "config.yaml", str(TINY))
    assert "Nothing to be done" in result.stdout + result.stderr
