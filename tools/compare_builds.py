"""Compare two builds of the pipeline, or record one build's manifest.

    python tools/compare_builds.py manifest ROOT OUT.json   # record the build in ROOT
    python tools/compare_builds.py compare BEFORE AFTER     # each a build folder or a manifest

Prints one line per file missing, added or changed (see :mod:`geo.core.manifest`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from geo.core.manifest import build_manifest, compare_manifests, read_manifest, write_manifest


def _load(arg: str) -> dict[str, dict[str, object]]:
    path = Path(arg)
    return read_manifest(path) if path.is_file() else build_manifest(path)  # type: ignore[return-value]


def main(argv: list[str]) -> int:
    """Run the command line (see the module docstring); return the exit status."""
    if len(argv) == 3 and argv[0] == "manifest":
        write_manifest(build_manifest(argv[1]), argv[2])
        return 0
    if len(argv) == 3 and argv[0] == "compare":
        diffs = compare_manifests(_load(argv[1]), _load(argv[2]))
        for d in diffs:
            print(f"{d.what:8} {d.path}  {d.detail}")
        print(f"{len(diffs)} difference(s)")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
