"""Officer tools on the real Leeds build: classify a file of postcodes, and the peer outputs.

The postcode file mixes 400 real Leeds postcodes sampled from the NSPL extract (written in
officers' styles: lower case, no space) with postcodes NSPL places outside Leeds, LS
postcodes NSPL holds without an LSOA, made-up and malformed ones and a blank line. The
NSPL extract in the mirror carries no termination dates, so terminated postcodes cannot be
told apart on the real data (they are covered by the unit tests with a synthetic ``doterm``).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pytest
from _pipeline import SNAKEMAKE, run_snakemake

pytestmark = pytest.mark.integration

NSPL = "data/raw/postcodes_leeds/leeds_postcodes_nspl21_aug2024_lsoa21_ward_with_latlon.csv"
THRESHOLDS = {2015: (328, 3284, 6568), 2019: (328, 3284, 6568), 2025: (337, 3375, 6751),
              2004: (324, 3248, 6496), 2007: (324, 3248, 6496), 2010: (324, 3248, 6496)}  # fmt: skip


@pytest.fixture(scope="module")
def classified(built_repo: Path) -> dict[str, object]:
    nspl = pd.read_csv(built_repo / NSPL, dtype=str, keep_default_na=False)
    leeds = nspl.loc[nspl["in_leeds"] == "1"].sample(400, random_state=13)
    outside = nspl.loc[(nspl["in_leeds"] == "0") & (nspl["lad_code"] != "")].sample(
        20, random_state=13
    )
    no_lsoa = nspl.loc[nspl["lsoa21_code"] == ""].head(3)
    made_up, malformed = ["ZZ99 9ZZ", "LS99 9QQ"], ["LS1", "not a postcode", "LSI 1AA"]
    styled = [p.lower().replace(" ", "") if i % 2 else p for i, p in enumerate(leeds["postcode"])]
    postcodes = [*styled, *outside["postcode"], *no_lsoa["postcode"], *made_up, *malformed, ""]
    frame = pd.DataFrame(
        {"participant": [f"P{i:04d}" for i in range(len(postcodes))], "Postcode": postcodes}
    )
    frame.to_csv(built_repo / "participants.csv", index=False)
    run_snakemake(
        built_repo,
        "classify",
        config={"classify": {"input": "participants.csv", "passthrough": ["participant"]}},
    )
    out = built_repo / "data/processed/classify"
    return {
        "input": frame,
        "leeds": leeds,
        "expected": {
            "outside": len(outside),
            "no_lsoa": len(no_lsoa),
            "unknown": len(made_up),
            "malformed": len(malformed),
            "blank": 1,
        },
        "rows": pd.read_csv(out / "participants_classified.csv", dtype={"postcode": str}),
        "rejected": pd.read_csv(out / "participants_rejected.csv", keep_default_na=False),
        "summary": pd.read_csv(out / "participants_summary.csv", dtype={"vintage": str}).fillna(
            {"vintage": ""}
        ),
        "html": (out / "participants_summary.html").read_text(encoding="utf-8"),
    }


def test_every_leeds_postcode_is_classified_as_the_lsoa_tables_say(
    built_repo: Path, classified: dict[str, object]
) -> None:
    rows: pd.DataFrame = classified["rows"]  # type: ignore[assignment]
    leeds: pd.DataFrame = classified["leeds"]  # type: ignore[assignment]
    assert len(rows) == len(leeds)
    nspl = leeds.set_index("postcode")
    got = rows.set_index("postcode")
    assert set(got.index) == set(nspl.index)
    assert (got["lsoa21_code"] == nspl.loc[got.index, "lsoa21_code"]).all()
    assert (got["ward_code"] == nspl.loc[got.index, "ward_code"]).all()
    lookup = pd.read_csv(
        built_repo / "data/raw/lookup_lsoa11_lsoa21/lookup_lsoa11_lsoa21_ltla22.csv"
    )
    pairs = set(zip(lookup["lsoa11_code"], lookup["lsoa21_code"], strict=True))
    assert all(p in pairs for p in zip(got["lsoa11_code"], got["lsoa21_code"], strict=True))
    # 2001 LSOAs: a pair of the ONS LSOA01-LSOA11 lookup, the only parent where there is one.
    (lu_path,) = (built_repo / "data/raw/lookup_lsoa01_lsoa11").glob("*.csv")
    lu = pd.read_csv(lu_path, usecols=["LSOA01CD", "LSOA11CD"], encoding="utf-8-sig")
    assert all(
        p in set(zip(lu["LSOA01CD"], lu["LSOA11CD"], strict=True))
        for p in zip(got["lsoa01_code"], got["lsoa11_code"], strict=True)
    )
    parents = lu.groupby("LSOA11CD")["LSOA01CD"].agg(list)
    only = got["lsoa11_code"].map(parents).map(len) == 1
    assert (got.loc[only, "lsoa01_code"] == got.loc[only, "lsoa11_code"].map(parents).str[0]).all()
    assert (got.loc[only, "lsoa01_method"] == "ONS LSOA01-LSOA11 lookup").all()
    columns = {2015: "LSOA11CD", 2019: "LSOA11CD", 2025: "LSOA21CD",
               2004: "LSOA01CD", 2007: "LSOA01CD", 2010: "LSOA01CD"}  # fmt: skip
    keys = {"LSOA11CD": "lsoa11_code", "LSOA21CD": "lsoa21_code", "LSOA01CD": "lsoa01_code"}
    for vintage, code in columns.items():
        table = pd.read_csv(built_repo / f"data/processed/lsoa_imd_{vintage}.csv").set_index(code)
        key = got[keys[code]]

        assert (got[f"imd{vintage}_rank"].to_numpy() == table.loc[key, "imd_rank"].to_numpy()).all()
        assert (
            got[f"imd{vintage}_decile"].to_numpy() == table.loc[key, "imd_decile"].to_numpy()
        ).all()
        for pct, limit in zip((1, 10, 20), THRESHOLDS[vintage], strict=True):
            assert (
                got[f"imd{vintage}_national_{pct}pct"] == (got[f"imd{vintage}_rank"] <= limit)
            ).all()
        assert (got[f"imd{vintage}_national_10pct"] == (got[f"imd{vintage}_decile"] == 1)).all()
    members = pd.read_parquet(built_repo / "data/interim/tier_members.parquet")
    for tier, group in members.loc[members["lsoa_year"] == 2021].groupby("tier"):
        expect = group.groupby("lsoa_code")["area_code"].agg(lambda s: "; ".join(sorted(s)))
        assert (
            got[f"tier_{tier}_code"].fillna("") == got["lsoa21_code"].map(expect).fillna("")
        ).all()
    assert got["participant"].str.startswith("P").all()


def test_every_rejected_row_is_listed_with_its_reason(classified: dict[str, object]) -> None:
    rejected: pd.DataFrame = classified["rejected"]  # type: ignore[assignment]
    frame: pd.DataFrame = classified["input"]  # type: ignore[assignment]
    rows: pd.DataFrame = classified["rows"]  # type: ignore[assignment]
    assert rejected["reason_code"].value_counts().to_dict() == classified["expected"]
    assert sorted([*rejected["input_row"], *rows["input_row"]]) == list(range(2, len(frame) + 2))
    by_row = frame.set_index(pd.RangeIndex(2, len(frame) + 2))
    assert (
        rejected["participant"] == by_row.loc[rejected["input_row"], "participant"].to_numpy()
    ).all()
    assert (
        rejected.loc[rejected["reason_code"] == "outside", "reason"]
        .str.contains("postcode in E0")
        .all()
    )
    assert (rejected["reason"] != "").all()
    for value in rejected["input_value"]:
        assert value == "" or value in classified["html"]


def test_summary_counts(built_repo: Path, classified: dict[str, object]) -> None:
    rows: pd.DataFrame = classified["rows"]  # type: ignore[assignment]
    summary = classified["summary"].set_index(["section", "vintage", "group_code"])  # type: ignore[union-attr]
    assert summary.loc[("input", "", "read"), "rows"] == len(classified["input"])  # type: ignore[arg-type]
    assert summary.loc[("input", "", "classified"), "rows"] == len(rows)
    for code, n in classified["expected"].items():  # type: ignore[union-attr]
        assert summary.loc[("input", "", f"rejected:{code}"), "rows"] == n
    layer = pd.read_csv(built_repo / "data/processed/lsoa_imd_2019.csv")
    for pct, limit in zip((1, 10, 20), THRESHOLDS[2019], strict=True):
        row = summary.loc[("national", "2019", f"{pct}pct")]
        assert row["rows"] == rows[f"imd2019_national_{pct}pct"].sum()
        assert row["share_of_rows"] == pytest.approx(row["rows"] / len(rows))
        share = (
            layer.loc[layer["imd_rank"] <= limit, "population"].sum() / layer["population"].sum()
        )
        assert row["population_share"] == pytest.approx(share)
    wards = summary.loc["ward"]
    assert wards["rows"].sum() == len(rows) and len(wards) == 33
    for section in [s for s in summary.index.get_level_values(0).unique() if s.startswith("tier:")]:
        tier = section.removeprefix("tier:")
        counted = rows[f"tier_{tier}_code"].dropna().str.split("; ").explode().value_counts()
        assert summary.loc[section]["rows"].sum() == counted.sum()


def test_geo_classify_command_matches_the_rule(
    built_repo: Path, classified: dict[str, object]
) -> None:
    command = Path(SNAKEMAKE).with_name("geo-classify")
    out = built_repo / "cli-out"
    subprocess.run(
        [str(command), "participants.csv", "-o", str(out), "-p", "participant"],
        cwd=built_repo,
        check=True,
        capture_output=True,
        text=True,
    )
    for part in ("classified.csv", "rejected.csv", "summary.csv"):
        ours = (out / f"participants_{part}").read_text()
        assert ours == (built_repo / f"data/processed/classify/participants_{part}").read_text()
    bad = subprocess.run(
        [str(command), "missing.csv"], cwd=built_repo, capture_output=True, text=True
    )
    assert bad.returncode == 2 and "missing.csv: no such file" in bad.stderr


def test_peer_outputs(built_repo: Path) -> None:
    peers = pd.read_csv(built_repo / "data/processed/peers.csv")
    six = [2004, 2007, 2010, 2015, 2019, 2025]
    assert peers.groupby("vintage").size().to_dict() == dict.fromkeys(six, 8)
    leeds = peers.loc[peers["lad_code"] == "E08000035"].set_index("vintage")
    assert leeds.loc[2019, "imd_average_score_rank"] == 55  # File 10 2019: 55th
    assert leeds.loc[2019, "imd_extent_rank"] == 50  # File 10 2019: 50th
    similar = pd.read_csv(built_repo / "data/processed/similar_authorities.csv")
    # IMD 2004 and 2007 as held have no domain ranks: no similar authorities
    assert similar.groupby("vintage").size().to_dict() == dict.fromkeys(six[2:], 10)
    svg = (built_repo / "data/processed/peers.svg").read_text()
    assert "<svg" in svg and "Birmingham" in svg
    assert "Most similar authorities" in (built_repo / "data/processed/peers.html").read_text()


FILE_10 = {  # release → (reference file, code column, extent and local concentration columns)
    2015: ("iod2015_lad_summaries.csv", "Local Authority District code (2013)", "IMD - "),
    2019: ("iod2019_lad_summaries.csv", "Local Authority District code (2019)", "IMD 2019 - "),
}
VALUE_TOLERANCE = {  # measure → largest difference from File 10's published, rounded value
    "imd_average_score": 0.001,  # published to 3 dp
    "imd_proportion_10pct": 0.0001,  # 4 dp
    "imd_extent": 0.0001,  # 4 dp
    "imd_average_rank": 0.25,  # 2 dp, yet up to 0.2 apart here (measured 2026-12-01)
}


@pytest.mark.parametrize("vintage", sorted(FILE_10))
def test_the_national_table_equals_file_10(built_repo: Path, mirror: Path, vintage: int) -> None:
    """authority_summaries.csv, a build output, against MHCLG File 10 for every authority."""
    name, code, prefix = FILE_10[vintage]
    official = pd.read_csv(mirror / "reference" / name, thousands=",").set_index(code)
    table = pd.read_csv(built_repo / "data/processed/authority_summaries.csv")
    ours = table.loc[table["vintage"] == vintage].set_index("lad_code")
    assert sorted(ours.index) == sorted(official.index)  # 326 in 2015, 317 in 2019
    ours = ours.reindex(official.index)
    columns = {  # measure → File 10's value and rank columns
        "imd_average_score": ("IMD - Average score", "IMD - Rank of average score"),
        "imd_average_rank": ("IMD - Average rank", "IMD - Rank of average rank"),
        "imd_proportion_10pct": (
            "IMD - Proportion of LSOAs in most deprived 10% nationally",
            "IMD - Rank of proportion of LSOAs in most deprived 10% nationally",
        ),
        "imd_extent": (f"{prefix}Extent", f"{prefix}Rank of extent"),
    }
    for measure, (value, rank) in columns.items():
        gap = (ours[measure] - official[value]).abs()
        assert gap.max() <= VALUE_TOLERANCE[measure], f"IoD{vintage} {measure}: {gap.idxmax()}"
        moved = ours[f"{measure}_rank"] != official[rank]
        assert not moved.any(), f"IoD{vintage} {measure} ranks: {list(ours.index[moved][:5])}"
    lc_ranks = (
        ours["imd_local_concentration_rank"] - official[f"{prefix}Rank of local concentration"]
    )
    near_tie = {"E07000197", "E09000032"}  # Stafford and Wandsworth tie to 2 dp in IoD2019
    assert set(lc_ranks.index[lc_ranks != 0]) <= (near_tie if vintage == 2019 else set())
