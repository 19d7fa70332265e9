"""Peer-table ranks against MHCLG's File 10 (IoD2015, IoD2019), from the mirror's LSOA files.

IoD2019: every rank of the IMD average score, average rank, proportion in the national 10%
and extent equals File 10 for all 317 districts; local concentration for all but the known
Stafford/Wandsworth near tie. Income and employment scales are sums of File 8 numerators
rounded to 5 with small counts suppressed, so their ranks may move by a few places.

IoD2015: with the official mid-2012 denominators (File 6), every rank of the IMD average
score, average rank, proportion in the national 10%, extent and local concentration equals
File 10 for all 326 districts. No IoD2015 File 8 numerators are registered: the scales are
empty.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from geo.inputs.imd import VINTAGES, load_national
from geo.inputs.registry import load_registry
from geo.statistics.peers import authority_measures, peer_table, similar_authorities

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("GEO_MIRROR", ROOT.parent / "shared" / "data"))
REGISTRY = load_registry(ROOT / "data" / "registry.yaml")
FILE_10 = {
    2015: ("iod2015_lad_summaries.csv", "Local Authority District code (2013)"),
    2019: ("iod2019_lad_summaries.csv", "Local Authority District code (2019)"),
}
RANKS = {
    2015: {
        "imd_average_rank": "IMD - Rank of average rank",
        "imd_average_score": "IMD - Rank of average score",
        "imd_proportion_10pct": "IMD - Rank of proportion of LSOAs in most deprived 10% nationally",
        "imd_extent": "IMD - Rank of extent",
        "imd_local_concentration": "IMD - Rank of local concentration",
    },
    2019: {
        "imd_average_rank": "IMD - Rank of average rank",
        "imd_average_score": "IMD - Rank of average score",
        "imd_proportion_10pct": "IMD - Rank of proportion of LSOAs in most deprived 10% nationally",
        "imd_extent": "IMD 2019 - Rank of extent",
        "imd_local_concentration": "IMD 2019 - Rank of local concentration",
        "income_scale": "Rank of Income Scale",
        "employment_scale": "Rank of Employment Scale",
    },
}
CORE_CITIES = ["E08000025", "E06000023", "E08000035", "E08000012", "E08000003", "E08000021",
               "E06000018", "E08000019"]  # fmt: skip

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"no data mirror at {DATA}")


@pytest.fixture(scope="module")
def measures() -> dict[int, pd.DataFrame]:
    out = {}
    for vintage in FILE_10:
        inputs = {name: DATA / REGISTRY[name].mirror for name in VINTAGES[vintage].inputs}
        out[vintage] = authority_measures(load_national(vintage, inputs), vintage=vintage)
    return out


def compare(measures: dict[int, pd.DataFrame], vintage: int) -> dict[str, pd.Series]:
    name, code = FILE_10[vintage]
    official = pd.read_csv(DATA / "reference" / name, thousands=",").set_index(code)
    ours = measures[vintage].set_index("lad_code").reindex(official.index)
    assert ours["lad_name"].notna().all()
    return {m: (ours[f"{m}_rank"] - official[col]).abs() for m, col in RANKS[vintage].items()}


def test_iod2019_ranks_equal_file_10(measures: dict[int, pd.DataFrame]) -> None:
    diff = compare(measures, 2019)
    assert len(diff["imd_average_rank"]) == 317
    for m in ("imd_average_rank", "imd_average_score", "imd_proportion_10pct", "imd_extent"):
        assert (diff[m] == 0).all(), f"{m}: {list(diff[m].index[diff[m] != 0][:5])}"
    lc = diff["imd_local_concentration"]
    assert set(lc.index[lc != 0]) <= {"E07000197", "E09000032"}
    assert diff["income_scale"].max() <= 2 and (diff["income_scale"] == 0).sum() >= 280
    assert diff["employment_scale"].max() <= 4 and (diff["employment_scale"] == 0).sum() >= 240


def test_iod2015_ranks_against_file_10(measures: dict[int, pd.DataFrame]) -> None:
    diff = compare(measures, 2015)
    assert len(diff["imd_proportion_10pct"]) == 326
    for m, d in diff.items():
        assert (d == 0).all(), f"{m}: {list(d.index[d != 0][:5])}"
    assert measures[2015]["income_scale"].isna().all()


def test_peer_table_and_similar(measures: dict[int, pd.DataFrame]) -> None:
    table = peer_table(measures, lad_code="E08000035", peers=CORE_CITIES)
    assert len(table) == 16 and table["is_authority"].sum() == 2
    leeds = table.loc[table["is_authority"]].set_index("vintage")
    assert leeds.loc[2019, "imd_proportion_10pct_rank"] == 33  # File 10: 33rd of 317
    assert leeds.loc[2015, "imd_proportion_10pct_rank"] == 31  # File 10: 31st of 326
    similar = similar_authorities(measures, lad_code="E08000035", count=5)
    assert similar.groupby("vintage").size().tolist() == [5, 5]
    assert "E08000035" not in set(similar["lad_code"])
    assert similar.groupby("vintage")["distance"].apply(lambda d: d.is_monotonic_increasing).all()
    with pytest.raises(ValueError, match="E09999999"):
        peer_table(measures, lad_code="E08000035", peers=["E09999999"])
