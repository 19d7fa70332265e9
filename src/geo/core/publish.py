"""Keep the last good outputs: snapshot them before a build, roll back when it fails.

Snakemake deletes a job's outputs before it reruns the job, so without help a failing job
(or one downstream of it) loses the last good version of everything it touches. The
workflow therefore guards the outputs users see (``data/processed/``, ``site/`` and the
verified copies in ``data/raw/<dataset>/``):

- at start (``onstart``) every file of those trees is hard-linked into a snapshot under
  ``.snakemake/geo/previous/``, with Snakemake's metadata record of each file. Writers in
  this package never modify a file in place (they write a temporary file and rename it),
  so the links keep the old content however the build goes;
- on failure (``onerror``) every file that had a previous version and was deleted or
  replaced is put back, with its metadata record, so the outputs are byte-identical to
  those before the build and Snakemake reruns whatever the failed build had changed;
  files that had no previous version are kept (they are complete: every writer renames a
  finished file into place);
- on success (``onsuccess``) the snapshot is dropped;
- after an interruption (SIGKILL, power loss) the snapshot is still there: the next
  invocation rolls back to it when the Snakefile is read, before Snakemake decides what to
  run, unless another Snakemake process holds the directory's lock.

:func:`clean_leftovers` removes what an interrupted writer leaves behind (temporary files
named ``.geo-tmp-*``, ``*.part`` files, ``.site.*`` folders of earlier versions).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from base64 import urlsafe_b64encode
from collections.abc import Iterable, Sequence
from pathlib import Path

logger = logging.getLogger(__name__)

STATE = Path(".snakemake/geo")
"""Where the guard keeps its state (inside Snakemake's own, git-ignored, folder)."""

TMP_PREFIX = ".geo-tmp-"
"""Prefix of every temporary file or folder the package's writers create."""

_SNAPSHOT = "previous"
_MANIFEST = "manifest.json"


def _record(root: Path, kind: str, rel: str) -> Path:
    """Snakemake's record of ``rel`` (``metadata`` or ``incomplete``), as persistence/file.py."""
    b64 = urlsafe_b64encode(rel.encode()).decode()
    parts = [b64[i : i + 254] for i in range(0, len(b64), 254)]
    parts = ["@" + s for s in parts[:-1]] + [parts[-1]]
    return root / ".snakemake" / kind / Path(*parts)


def _files(root: Path, trees: Iterable[str]) -> list[str]:
    out = []
    for tree in trees:
        base = root / tree
        if base.is_file():
            out.append(tree)
        elif base.is_dir():
            out += [
                p.relative_to(root).as_posix()
                for p in sorted(base.rglob("*"))
                if p.is_file()
                and not p.name.startswith(TMP_PREFIX)
                and not p.name.endswith(".part")
            ]
    return out


def snapshot(root: Path | str, trees: Sequence[str]) -> int:
    """Hard-link every file of ``trees`` (paths relative to ``root``) into the snapshot.

    Returns:
        The number of files kept.

    """
    root = Path(root)
    where = root / STATE / _SNAPSHOT
    discard(root)
    files = _files(root, trees)
    for rel in files:
        target = where / "files" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(root / rel, target)
        except OSError:
            shutil.copy2(root / rel, target)
    records = {}
    for rel in [*trees, *files]:
        record = _record(root, "metadata", rel)
        if record.is_file():
            records[rel] = record.read_text(encoding="utf-8")
    manifest = {"trees": list(trees), "files": files, "metadata": records}
    tmp = where / f"{TMP_PREFIX}{_MANIFEST}"
    tmp.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_text(json.dumps(manifest), encoding="utf-8")
    os.replace(tmp, where / _MANIFEST)
    logger.info("Kept the previous outputs (%d files) until this build succeeds", len(files))
    return len(files)


def _same(a: Path, b: Path) -> bool:
    try:
        sa, sb = a.stat(), b.stat()
    except FileNotFoundError:
        return False
    if (sa.st_ino, sa.st_dev) == (sb.st_ino, sb.st_dev):
        return True
    return sa.st_size == sb.st_size and a.read_bytes() == b.read_bytes()


def _restore_file(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{TMP_PREFIX}{target.name}")
    tmp.unlink(missing_ok=True)
    try:
        os.link(source, tmp)
    except OSError:
        shutil.copy2(source, tmp)
    os.replace(tmp, target)


def rollback(root: Path | str) -> list[str]:
    """Put back every snapshotted file the build deleted or replaced.

    A tree that was a single Snakemake ``directory()`` output (``site``) is restored as a
    whole: files the failed build added to it are removed. Returns the restored paths.
    """
    root = Path(root)
    where = root / STATE / _SNAPSHOT
    manifest_path = where / _MANIFEST
    if not manifest_path.is_file():
        return []
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    files: list[str] = manifest["files"]
    restored = [rel for rel in files if not _same(where / "files" / rel, root / rel)]
    for rel in restored:
        _restore_file(where / "files" / rel, root / rel)
    kept = set(files)
    for tree in manifest["trees"]:
        # a directory output that existed before is restored exactly
        if tree in manifest["metadata"] and (root / tree).is_dir():
            for rel in _files(root, [tree]):
                if rel not in kept:
                    (root / rel).unlink()
                    restored.append(rel)
    for rel in {*manifest["trees"], *restored}:
        _record(root, "incomplete", rel).unlink(missing_ok=True)
        text = manifest["metadata"].get(rel)
        if text is not None:
            record = _record(root, "metadata", rel)
            record.parent.mkdir(parents=True, exist_ok=True)
            record.write_text(text, encoding="utf-8")
    discard(root)
    return sorted(set(restored))


def discard(root: Path | str) -> None:
    """Drop the snapshot (the build succeeded, or it has been rolled back)."""
    where = Path(root) / STATE / _SNAPSHOT
    if where.exists():
        shutil.rmtree(where)


def locked(root: Path | str) -> bool:
    """Whether a Snakemake process holds (or a killed one left) the directory's lock."""
    locks = Path(root) / ".snakemake" / "locks"
    return locks.is_dir() and any(locks.iterdir())


def recover_interrupted(root: Path | str) -> list[str]:
    """Roll back to the snapshot an interrupted build left, unless the directory is locked."""
    root = Path(root)
    if not (root / STATE / _SNAPSHOT / _MANIFEST).is_file() or locked(root):
        return []
    restored = rollback(root)
    if restored:
        logger.warning(
            "An earlier build was interrupted: put back %d previous output(s) it had removed "
            "or replaced (%s)", len(restored), _sample(restored),
        )  # fmt: skip
    return restored


def clean_leftovers(root: Path | str, folders: Sequence[str]) -> list[str]:
    """Remove temporary files and folders an interrupted writer left under ``folders``."""
    root = Path(root)
    found: list[Path] = [p for p in root.glob(".site.*") if p.is_dir()]
    found += [p for p in root.glob(f"{TMP_PREFIX}*")]
    for folder in folders:
        base = root / folder
        if base.is_dir():
            found += [
                p
                for p in base.rglob("*")
                if p.name.startswith(TMP_PREFIX) or (p.is_file() and p.name.endswith(".part"))
            ]
    removed = []
    for path in sorted(set(found), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path.relative_to(root).as_posix())
    if removed:
        logger.warning(
            "Removed %d temporary file(s) an interrupted build left: %s",
            len(removed), _sample(removed),
        )  # fmt: skip
    return sorted(removed)


def _sample(paths: Sequence[str], n: int = 5) -> str:
    more = f" and {len(paths) - n} more" if len(paths) > n else ""
    return ", ".join(paths[:n]) + more


SET_ASIDE = Path("data/set_aside")
"""Where the outputs of an authority or set of releases no longer configured are moved."""


def set_aside_stale(root: Path | str, key: dict[str, object], trees: Sequence[str]) -> Path | None:
    """Move ``trees`` aside when they were built for another ``key`` (authority, releases).

    The key of the outputs is recorded in ``.snakemake/geo/outputs_of.json``; when the
    configuration names another, the old outputs go to ``data/set_aside/<old key>/`` so that
    they are never mixed with the current ones.

    Returns:
        The folder the old outputs were moved to, or None.

    """
    root = Path(root)
    stamp = root / STATE / "outputs_of.json"
    old = json.loads(stamp.read_text(encoding="utf-8")) if stamp.is_file() else None
    moved_to = None
    present = [t for t in trees if (root / t).exists()]
    if old is not None and old != key and present:
        label = "_".join(f"{v}" if not isinstance(v, list) else "-".join(map(str, v))
                         for v in old.values())  # fmt: skip
        moved_to = root / SET_ASIDE / label
        if moved_to.exists():
            shutil.rmtree(moved_to)
        for tree in present:
            target = moved_to / tree
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(root / tree, target)
        logger.warning(
            "The outputs were built for %s, the configuration now names %s: moved them to %s",
            old, key, moved_to.relative_to(root),
        )  # fmt: skip
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps(key), encoding="utf-8")
    return moved_to
