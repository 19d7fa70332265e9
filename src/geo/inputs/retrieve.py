"""Retrieval layer: copy a registered dataset from the offline mirror or download it.

The mirror (config ``mirror``) is tried first; when it does not hold the file, the official
URL is downloaded with a timeout and retries. Either way the sha256 is verified before the
file is moved into place, so a failed or mismatched retrieval leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from geo.core.errors import ChecksumError, RetrievalError
from geo.core.publish import STATE, TMP_PREFIX
from geo.inputs.registry import Dataset

logger = logging.getLogger(__name__)

_CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _download(url: str, dest: Path, *, timeout: float, retries: int) -> None:
    last: Exception | None = None
    for attempt in range(1, retries + 1):
        try:
            with urllib.request.urlopen(url, timeout=timeout) as resp, dest.open("wb") as out:
                shutil.copyfileobj(resp, out, _CHUNK)
            return
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            last = exc
            logger.warning("Download attempt %d/%d of %s failed: %s", attempt, retries, url, exc)
            if attempt < retries:
                time.sleep(min(2**attempt, 10))
    msg = f"download of {url} failed after {retries} attempt(s): {last}"
    raise RetrievalError(msg)


def retrieve(
    dataset: Dataset,
    dest: Path,
    *,
    mirror: Path | None,
    timeout: float = 60.0,
    retries: int = 3,
) -> Path:
    """Retrieve ``dataset`` to ``dest``, verifying its sha256; atomic and never partial.

    Raises:
        RetrievalError: the mirror lacks the file and the official URL cannot be fetched
            (or the registry has no URL).
        ChecksumError: the file's sha256 differs from the registry's; names both sums.

    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f"{TMP_PREFIX}{dest.name}.", suffix=".part", dir=dest.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        source = _fetch(dataset, tmp, mirror=mirror, timeout=timeout, retries=retries)
        actual = sha256_of(tmp)
        if actual != dataset.sha256:
            msg = (
                f"dataset {dataset.name!r} ({source}): sha256 mismatch, "
                f"expected {dataset.sha256}, got {actual}"
            )
            raise ChecksumError(msg)
        tmp.chmod(0o444)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    _remember(dataset, dest, actual)
    logger.info("Retrieved %s from %s to %s (sha256 verified)", dataset.name, source, dest)
    return dest


def _fetch(
    dataset: Dataset, tmp: Path, *, mirror: Path | None, timeout: float, retries: int
) -> str:
    """Copy from the mirror or download into ``tmp``; return a description of the source."""
    if mirror is not None:
        candidate = Path(mirror) / dataset.mirror
        if candidate.is_file():
            shutil.copyfile(candidate, tmp)
            return str(candidate)
        logger.warning("Dataset %s not in mirror at %s", dataset.name, candidate)
    where = f"not in the mirror at {Path(mirror) / dataset.mirror}" if mirror else "no mirror set"
    if not dataset.url:
        msg = f"dataset {dataset.name!r}: {where}, and the registry has no official URL to download"
        raise RetrievalError(msg)
    try:
        _download(dataset.url, tmp, timeout=timeout, retries=retries)
    except RetrievalError as exc:
        msg = f"dataset {dataset.name!r}: {where}, and {exc}"
        raise RetrievalError(msg) from exc
    return dataset.url


# --- verification whenever used ---------------------------------------------------------

VERIFIED = STATE / "verified"
"""One record per retrieved dataset: the file's size, mtime and inode and its sha256."""


def _stat_key(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def _remember(dataset: Dataset, path: Path, sha256: str, *, state: Path = VERIFIED) -> None:
    state.mkdir(parents=True, exist_ok=True)
    record = {"path": str(path), "stat": _stat_key(path), "sha256": sha256}
    # one temporary name per process: jobs on a cluster load the workflow, and verify, at once
    tmp = state / f"{TMP_PREFIX}{dataset.name}.{os.getpid()}.json"
    tmp.write_text(json.dumps(record), encoding="utf-8")
    os.replace(tmp, state / f"{dataset.name}.json")


def verify_retrieved(
    registry: dict[str, Dataset], *, raw_dir: Path | str = "data/raw", state: Path = VERIFIED
) -> None:
    """Check every retrieved file against the registry, each time the workflow is loaded.

    A file is hashed again only when its size, mtime or inode changed since it was last
    verified. A file that still has the sha256 it was retrieved (or last verified) with
    while the registry now names another means the registry entry changed; any other
    mismatch means the file was changed after retrieval. Either way the build stops before
    any job runs (Snakemake would otherwise use the file, and the downloads page would show
    a checksum the data does not have).

    Raises:
        ChecksumError: Naming every dataset that does not match, with both checksums and
            how to recover.

    """
    problems = []
    for name, dataset in sorted(registry.items()):
        path = dataset.raw_path(raw_dir)
        if not path.is_file():
            continue
        record_path = state / f"{name}.json"
        record = (
            json.loads(record_path.read_text(encoding="utf-8")) if record_path.is_file() else {}
        )
        unchanged = record.get("stat") == _stat_key(path)
        actual = record["sha256"] if unchanged else sha256_of(path)
        if actual == dataset.sha256:
            if not unchanged:
                _remember(dataset, path, actual, state=state)
            continue
        if actual == record.get("sha256"):  # the file is as retrieved: the registry changed
            why = "the registry entry changed since the file was retrieved"
        else:
            why = "the file was changed after it was retrieved"
        problems.append(
            f"dataset {name!r}: {path} has sha256 {actual} but the registry says "
            f"{dataset.sha256}; {why}. Delete the file to retrieve it again and check it "
            f"against the registry (rm -f {path}), or restore data/registry.yaml"
        )
    if problems:
        msg = "retrieved data no longer matches the registry:\n  " + "\n  ".join(problems)
        raise ChecksumError(msg)


def retrieved_before(registry: dict[str, Dataset], *, state: Path = VERIFIED) -> list[str]:
    """Raw paths of the datasets this project has retrieved before (a record exists).

    The default target asks for them, so a file an interrupted run removed is retrieved
    again even when everything built from it is up to date (Snakemake would not rebuild a
    missing input of an up-to-date job).
    """
    return [
        str(d.raw_path()) for n, d in sorted(registry.items()) if (state / f"{n}.json").is_file()
    ]
