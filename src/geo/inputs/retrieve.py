"""Retrieval layer: copy a registered dataset from the offline mirror or download it.

The mirror (config ``mirror``) is tried first; when it does not hold the file, the official
URL is downloaded with a timeout and retries. Either way the sha256 is verified before the
file is moved into place, so a failed or mismatched retrieval leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from geo.core.errors import ChecksumError, RetrievalError
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
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
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
