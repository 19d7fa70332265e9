"""IMD 2004, 2007 and 2010 from the mirror: the pipeline's headlines against plain pandas.

The expected figures are recomputed here from the release files alone (the IMD tables, the
ONS LSOA 2001 → 2011 lookup, IoD2015 File 1 for the district of each 2011 LSOA, and the
denominators), without the pipeline's loaders, flags or ranking; the pipeline's come from
:func:`geo.inputs.imd.load_national` and :func:`geo.statistics.headlines.build_headlines`.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd
import pytest

from geo.inputs.imd import VINTAGES, load_national
from geo.inputs.registry import load_registry
from geo.statistics.headlines import build_headlines

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("GEO_MIRROR", ROOT.parent / "shared" / "data"))
REGISTRY = load_registry(ROOT / "data" / "registry.yaml")
LEEDS = "E08000035"
N = 32_482

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"no data mirror at {DATA}")


def _mirror(name: str) -> Path:
    return DATA / REGISTRY[name].mirror


def _independent(vintage: int) -> dict[str, object]:
    """Leeds's headline row for ``vintage``, from the raw files with plain pandas."""
    imd = pd.read_csv(_mirror(f"imd{vintage}_lsoa01"))
    lookup = pd.read_csv(_mirror("lookup_lsoa01_lsoa11"))
    file1 = pd.read_csv(_mirror("imd2015_file1"))
    lad11 = file1.set_index("LSOA code (2011)")["Local Authority District code (2013)"]
    lookup["lad"] = lookup["LSOA11CD"].map(lad11)
    lad01 = lookup.dropna(subset=["lad"]).groupby("LSOA01CD")["lad"].first()
    imd["lad"] = imd["lsoa01_code"].map(lad01)
    if vintage == 2010:
        pop = pd.read_excel(
            _mirror("imd2010_denominators"), sheet_name="Mid_2008", engine="calamine"
        )
        population = pop.set_index("LSOA CODE")["Total population: mid 2008 (excluding prisoners)"]
        imd["district"] = imd["lad"]
    else:
        tidy = pd.read_csv(_mirror("imd_population_2004_2007_thirdparty"))
        population = tidy.loc[tidy["year"] == vintage].set_index("lsoa")["pop_total"]
        imd["district"] = imd[f"lad{vintage % 100:02d}_code"]
    imd["pop"] = imd["lsoa01_code"].map(population)
    imd["top10"] = imd["IMD_rank"] <= math.floor(N * 0.10)
    share = imd.groupby("district")["top10"].mean()
    leeds = imd.loc[imd["lad"] == LEEDS]
    (district,) = set(leeds["district"])
    return {
        "lsoas": len(leeds),
        "lsoas_in_national_1pct": int((leeds["IMD_rank"] <= math.floor(N * 0.01)).sum()),
        "lsoas_in_national_10pct": int(leeds["top10"].sum()),
        "population_in_national_10pct": float(leeds.loc[leeds["top10"], "pop"].sum()),
        "lad_rank_by_share_in_10pct": int((share > share[district]).sum()) + 1,
        "lads_ranked": len(share),
    }


@pytest.fixture(scope="module")
def headlines() -> pd.DataFrame:
    tables = {
        v: load_national(v, {name: _mirror(name) for name in VINTAGES[v].inputs})
        for v in (2004, 2007, 2010)
    }
    return build_headlines(
        tables, lad_code=LEEDS, thresholds={"most_deprived_1pct": 1, "most_deprived_10pct": 10}
    ).set_index("vintage")


@pytest.mark.parametrize("vintage", [2004, 2007, 2010])
def test_headlines_recomputed_from_the_release_files(headlines, vintage):
    ours = headlines.loc[vintage]
    expected = _independent(vintage)
    for key, value in expected.items():
        assert ours[key] == pytest.approx(value), key
    assert ours["lsoas"] == 476
    assert ours["lads_ranked"] == (326 if vintage == 2010 else 354)


def test_headlines_name_their_denominators(headlines):
    src = headlines["population_source"]
    assert "third party" in src[2004] and "not official" in src[2004]
    assert "third party" in src[2007]
    assert "IoD2010 mid-2008" in src[2010] and "official" in src[2010]


def test_every_lsoa01_is_linked_and_in_one_district():
    lookup = pd.read_csv(_mirror("lookup_lsoa01_lsoa11"))
    england = lookup.loc[lookup["LSOA01CD"].str.startswith("E")]
    imd = pd.read_csv(_mirror("imd2010_lsoa01"))
    assert england["LSOA01CD"].nunique() == N == len(imd)
    assert set(imd["lsoa01_code"]) == set(england["LSOA01CD"])
    table = load_national(2010, {name: _mirror(name) for name in VINTAGES[2010].inputs})
    assert table["lad_code"].notna().all() and table["lad_code"].nunique() == 326
    assert (table["lad_code"] == LEEDS).sum() == 476
