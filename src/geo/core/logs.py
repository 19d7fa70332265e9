"""Logging set-up for workflow scripts: one log file per job, errors included."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def logged(log_path: str | Path | None) -> Iterator[logging.Logger]:
    """Send ``geo`` logging to ``log_path`` and stderr; log any exception before re-raising."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_path:
        Path(log_path).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_path, mode="w", encoding="utf-8"))
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=handlers,
        force=True,
    )
    logger = logging.getLogger("geo")
    try:
        yield logger
    except Exception as exc:
        logger.error("%s: %s", type(exc).__name__, exc)
        raise
