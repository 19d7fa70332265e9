"""Issue 15 units: snapshot and rollback, leftovers, set-aside, config sense, safe exports."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from geo.core import publish
from geo.core.errors import ChecksumError, ConfigError, GeoInputError
from geo.core.io import neutralise_formula, read_csv, write_csv
from geo.inputs.registry import Dataset
from geo.inputs.retrieve import _remember, sha256_of, verify_retrieved
from geo.model.sense import check_config_sense, check_yaml_syntax
from geo.presentation.site.assets import safe_attribution
from geo.presentation.site.sentences import Figures, area_summary


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(".new")
    tmp.write_text(text)
    tmp.replace(path)  # as every writer: a new file renamed into place


def test_rollback_restores_replaced_and_deleted_files_and_keeps_new_ones(tmp_path: Path) -> None:
    _write(tmp_path / "data/processed/a.csv", "old a")
    _write(tmp_path / "data/processed/b.csv", "old b")
    _write(tmp_path / "site/index.html", "old site")
    record = tmp_path / ".snakemake/metadata" / "ZGF0YS9wcm9jZXNzZWQvYS5jc3Y="
    _write(record, '{"old": 1}')
    _write(tmp_path / ".snakemake/metadata/c2l0ZQ==", "{}")  # site is a directory() output
    assert publish.snapshot(tmp_path, ["data/processed", "site"]) == 3
    _write(tmp_path / "data/processed/a.csv", "new a")
    (tmp_path / "data/processed/b.csv").unlink()
    _write(tmp_path / "data/processed/c.csv", "new c")
    _write(tmp_path / "site/extra.html", "half a site")
    _write(record, '{"new": 1}')
    restored = publish.rollback(tmp_path)
    assert restored == ["data/processed/a.csv", "data/processed/b.csv", "site/extra.html"]
    assert (tmp_path / "data/processed/a.csv").read_text() == "old a"
    assert (tmp_path / "data/processed/b.csv").read_text() == "old b"
    assert (tmp_path / "data/processed/c.csv").read_text() == "new c"
    assert not (tmp_path / "site/extra.html").exists()
    assert record.read_text() == '{"old": 1}'
    assert publish.rollback(tmp_path) == []  # the snapshot is gone


def test_recovery_waits_while_the_directory_is_locked(tmp_path: Path) -> None:
    _write(tmp_path / "data/processed/a.csv", "old")
    publish.snapshot(tmp_path, ["data/processed"])
    (tmp_path / "data/processed/a.csv").unlink()
    _write(tmp_path / ".snakemake/locks/0.input.lock", "x")
    assert publish.recover_interrupted(tmp_path) == []
    (tmp_path / ".snakemake/locks/0.input.lock").unlink()
    assert publish.recover_interrupted(tmp_path) == ["data/processed/a.csv"]


def test_clean_leftovers_removes_only_temporary_files(tmp_path: Path) -> None:
    _write(tmp_path / "data/raw/x/.geo-tmp-file.csv.abc.part", "partial")
    _write(tmp_path / "data/processed/.geo-tmp-a.12345678.csv", "partial")
    _write(tmp_path / ".geo-tmp-site.abcd/index.html", "partial")
    _write(tmp_path / ".site.old12345/index.html", "partial")
    _write(tmp_path / "data/processed/.snakemake_timestamp", "")
    _write(tmp_path / "data/processed/a.csv", "keep")
    removed = publish.clean_leftovers(tmp_path, ["data/processed", "data/raw"])
    assert len(removed) == 4
    assert (tmp_path / "data/processed/a.csv").exists()
    assert (tmp_path / "data/processed/.snakemake_timestamp").exists()


def test_set_aside_moves_outputs_of_another_authority(tmp_path: Path) -> None:
    leeds = {"lad_code": "E08000035", "vintages": [2019]}
    _write(tmp_path / "data/processed/tiers/ward.gpkg", "leeds")
    assert publish.set_aside_stale(tmp_path, leeds, ["data/processed", "site"]) is None
    moved = publish.set_aside_stale(
        tmp_path, {**leeds, "lad_code": "E08000032"}, ["data/processed"]
    )
    assert moved == tmp_path / "data/set_aside/E08000035_2019"
    assert (moved / "data/processed/tiers/ward.gpkg").read_text() == "leeds"
    assert not (tmp_path / "data/processed").exists()


def _dataset(sha: str) -> Dataset:
    return Dataset("demo", "t", "p", "1", None, "demo/file.csv", sha, "OGL", "local")


def test_verify_retrieved_tells_an_edited_file_from_a_changed_registry(tmp_path: Path) -> None:
    raw, state = tmp_path / "raw", tmp_path / "state"
    path = raw / "demo/file.csv"
    _write(path, "a,b\n1,2\n")
    sha = sha256_of(path)
    _remember(_dataset(sha), path, sha, state=state)
    verify_retrieved({"demo": _dataset(sha)}, raw_dir=raw, state=state)
    with pytest.raises(
        ChecksumError,
        match=rf"has sha256 {sha} but the registry says {'0' * 64}; the registry entry changed",
    ):
        verify_retrieved({"demo": _dataset("0" * 64)}, raw_dir=raw, state=state)
    _write(path, "a,b\n1,3\n")
    with pytest.raises(
        ChecksumError,
        match=rf"'demo': .* has sha256 {sha256_of(path)} but the registry says {sha}; the file was changed",
    ):
        verify_retrieved({"demo": _dataset(sha)}, raw_dir=raw, state=state)


def _config(**changes: object) -> dict[str, object]:
    config: dict[str, object] = {
        "crs": "EPSG:27700",
        "thresholds": {"most_deprived_1pct": 1, "most_deprived_10pct": 10},
        "watchlist": {
            "threshold_margin_ranks": {"most_deprived_1pct": 100, "most_deprived_10pct": 300}
        },
    }
    config.update(changes)
    return config


@pytest.mark.parametrize(
    ("changes", "pattern"),
    [
        ({"crs": "EPSG:4326"}, r"crs: 'EPSG:4326' \(WGS 84\) is a geographic CRS in degrees"),
        ({"crs": "EPSG:2272"}, r"measures in US survey foot, not metres"),
        ({"crs": "EPSG:99999999"}, r"not a coordinate reference system"),
        ({"thresholds": {"most_deprived_1pct": 10, "most_deprived_10pct": 1}}, r"must be below"),
        ({"thresholds": {"most_deprived_1pct": 5, "most_deprived_10pct": 5}}, r"must be below"),
    ],
)
def test_config_sense(changes: dict[str, object], pattern: str) -> None:
    check_config_sense(_config())
    with pytest.raises(ConfigError, match=pattern):
        check_config_sense(_config(**changes))


def test_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("a: 1\nb: [1, 2\n")
    with pytest.raises(ConfigError, match=r"config.yaml: line 3, column 1: invalid YAML"):
        check_yaml_syntax(path)


@pytest.mark.parametrize(
    ("value", "safe"),
    [("=1+2", "'=1+2"), ("+x", "'+x"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
     ("-3", "-3"), ("+1.5", "+1.5"), ("-1+2", "'-1+2"), ("Leeds", "Leeds"), (3, 3)],
)  # fmt: skip
def test_neutralise_formula(value: object, safe: object) -> None:
    assert neutralise_formula(value) == safe


def test_csv_round_trip_keeps_text_as_typed(tmp_path: Path) -> None:
    frame = pd.DataFrame({"name": ["=cmd|' /C calc'!A0", "Armley"], "n": [1, 2]})
    write_csv(frame, tmp_path / "t.csv")
    assert "'=cmd" in (tmp_path / "t.csv").read_text()
    assert read_csv(tmp_path / "t.csv")["name"].tolist() == frame["name"].tolist()


def test_non_utf8_csv_is_named(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_bytes("name\nCaf\xe9\n".encode("latin-1"))
    with pytest.raises(GeoInputError, match=r"t.csv: is not UTF-8 text \(byte 0xe9"):
        read_csv(tmp_path / "t.csv")


def test_safe_attribution_allows_plain_links_only() -> None:
    text = '&copy; <a href="https://x.org/">X</a> <img src=x onerror=alert(1)> <a href="javascript:y">z</a>'
    safe = safe_attribution(text)
    assert safe.startswith('© <a href="https://x.org/">X</a> &lt;img')
    assert "<img" not in safe and '<a href="javascript' not in safe


def test_area_with_no_residents_gets_a_sentence_not_a_crash() -> None:
    nan = float("nan")
    sentences = area_summary([Figures(2019, nan, nan, nan)], city=None, city_name="Leeds")
    assert sentences == [
        "No residents: no population is apportioned to this area in IoD2019 (no postcode lies "
        "inside it), so it has no summary measures."
    ]
    assert json.dumps(sentences)
