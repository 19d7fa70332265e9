import hashlib
import http.server
import threading
from functools import partial
from pathlib import Path

import pytest

from geo.core.errors import ChecksumError, ConfigError, RetrievalError
from geo.inputs.registry import Dataset, load_registry
from geo.inputs.retrieve import retrieve

ROOT = Path(__file__).resolve().parents[2]


def dataset(mirror_rel: str, content: bytes, *, url: str | None = None) -> Dataset:
    return Dataset(
        name="demo",
        title="t",
        publisher="p",
        version="v",
        url=url,
        mirror=mirror_rel,
        sha256=hashlib.sha256(content).hexdigest(),
        licence="OGL-3.0",
        status="official",
    )


def test_project_registry_loads_with_checksums():
    reg = load_registry(ROOT / "data" / "registry.yaml")
    assert "imd2019_file2" in reg
    assert all(len(d.sha256) == 64 for d in reg.values())
    assert reg["imd2019_file2"].raw_path() == Path(
        "data/raw/imd2019_file2/File_2_-_IoD2019_Domains_of_Deprivation.csv"
    )


def test_registry_entry_without_sha_is_rejected(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(
        "x:\n  title: a\n  publisher: b\n  version: c\n  url: null\n  mirror: m.csv\n"
        "  sha256: abc\n  licence: OGL\n  status: official\n"
    )
    with pytest.raises(ConfigError, match=r"entry 'x' field 'sha256' is not 64 hex digits"):
        load_registry(path)


def test_retrieve_from_mirror_verifies_and_is_read_only(tmp_path):
    (tmp_path / "mirror" / "sub").mkdir(parents=True)
    (tmp_path / "mirror" / "sub" / "f.csv").write_bytes(b"a,b\n1,2\n")
    dest = tmp_path / "raw" / "demo" / "f.csv"
    retrieve(dataset("sub/f.csv", b"a,b\n1,2\n"), dest, mirror=tmp_path / "mirror")
    assert dest.read_bytes() == b"a,b\n1,2\n"
    assert not dest.stat().st_mode & 0o222


def test_checksum_mismatch_names_dataset_and_both_sums_and_leaves_nothing(tmp_path):
    (tmp_path / "mirror").mkdir()
    (tmp_path / "mirror" / "f.csv").write_bytes(b"tampered")
    ds = dataset("f.csv", b"original")
    dest = tmp_path / "raw" / "demo" / "f.csv"
    actual = hashlib.sha256(b"tampered").hexdigest()
    with pytest.raises(ChecksumError, match=rf"'demo'.*expected {ds.sha256}, got {actual}"):
        retrieve(ds, dest, mirror=tmp_path / "mirror")
    assert list(dest.parent.iterdir()) == []


def test_missing_from_mirror_without_url(tmp_path):
    with pytest.raises(
        RetrievalError, match=r"'demo': not in the mirror at .*f\.csv.*no official URL"
    ):
        retrieve(dataset("f.csv", b"x"), tmp_path / "raw" / "f.csv", mirror=tmp_path)


def test_missing_from_mirror_with_no_network(tmp_path):
    ds = dataset("f.csv", b"x", url="http://127.0.0.1:9/f.csv")
    dest = tmp_path / "raw" / "f.csv"
    with pytest.raises(
        RetrievalError,
        match=r"'demo': not in the mirror.*download of http://127\.0\.0\.1:9/f\.csv failed",
    ):
        retrieve(ds, dest, mirror=tmp_path, timeout=2, retries=1)
    assert list(dest.parent.iterdir()) == []


def test_download_fallback_from_official_url(tmp_path):
    served = tmp_path / "www"
    served.mkdir()
    (served / "f.csv").write_bytes(b"downloaded")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/f.csv"
        dest = retrieve(
            dataset("f.csv", b"downloaded", url=url),
            tmp_path / "raw" / "f.csv",
            mirror=tmp_path / "empty",
            retries=1,
        )
    finally:
        server.shutdown()
    assert dest.read_bytes() == b"downloaded"
