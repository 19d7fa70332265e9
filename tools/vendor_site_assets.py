"""Vendor the map site's front-end assets from npm into ``src/geo/presentation/site/vendor``.

Usage (from the repository root, needs ``npm`` and the npm registry)::

    .venv/bin/python tools/vendor_site_assets.py

What it does:

1. Copies ``package.json`` and ``package-lock.json`` to a temporary folder and runs
   ``npm ci --ignore-scripts`` there (exact versions from the lock; no install scripts run;
   nothing is written to the repository's own ``node_modules``).
2. Collects only the files the site needs: the vendored copy of every CDN URL in
   ``geo.presentation.site.assets.CDN_ASSETS``, the files in ``EXTRA_FILES`` (loaded by JavaScript at run
   time, or used by the tests), every image or font that a collected CSS file references
   through ``url(...)``, and each package's licence file. No source maps, sources or
   ``.scss``.
3. Replaces ``src/geo/presentation/site/vendor`` with them, at the same relative paths as in the npm
   package (``<package>/<path>``), so the relative ``url(...)`` references in the CSS hold.
4. Writes ``generated/leaflet.awesome.rotate.min.css``: the ``.fa-rotate-N`` rules Folium's
   CDN stylesheet of that name provides (Folium's wheel does not ship it).
5. Writes ``MANIFEST.json``: each package's version, licence and licence file, and each
   file's package, version, licence, size and sha256.

Rerun it after changing a version in ``package.json`` (run ``npm install
--package-lock-only --ignore-scripts`` first to update the lock) or ``CDN_ASSETS``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import posixpath
import shutil
import subprocess
import tempfile
from pathlib import Path

from geo.presentation.site.assets import CDN_ASSETS, MANIFEST_NAME, VENDOR_DIR, css_references

logger = logging.getLogger("vendor_site_assets")

ROOT = Path(__file__).resolve().parent.parent

EXTRA_FILES = (
    # Leaflet's default marker: leaflet.js derives these from the CSS image path at run time.
    "leaflet/dist/images/marker-icon-2x.png",
    "leaflet/dist/images/marker-shadow.png",
    # Injected by the browser tests (tests/browser/conftest.py run_axe).
    "axe-core/axe.min.js",
)
LICENCE_NAMES = ("LICENSE", "LICENSE.txt", "LICENSE.md", "LICENCE", "LICENCE.txt")
GENERATED_PACKAGE = "generated"
ROTATE_CSS = f"{GENERATED_PACKAGE}/leaflet.awesome.rotate.min.css"


def package_of(path: str) -> str:
    """Return the npm package a vendored path belongs to (``@scope/name`` or ``name``)."""
    parts = path.split("/")
    return "/".join(parts[:2]) if parts[0].startswith("@") else parts[0]


def install(workdir: Path) -> Path:
    """Run ``npm ci --ignore-scripts`` on a copy of the lock file; return node_modules."""
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(ROOT / name, workdir / name)
    command = ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"]
    subprocess.run(command, cwd=workdir, check=True)
    return workdir / "node_modules"


def collect(node_modules: Path) -> list[str]:
    """Every file to vendor, as ``<package>/<path>``, CSS references included, sorted."""
    wanted = [p for p in (*CDN_ASSETS.values(), *EXTRA_FILES) if package_of(p) != GENERATED_PACKAGE]
    files = set(wanted)
    for path in wanted:
        if not (node_modules / path).is_file():
            msg = f"{node_modules / path}: not in the npm package (check package.json)"
            raise FileNotFoundError(msg)
        if path.endswith(".css"):
            files |= css_files(node_modules, path)
    for package in {package_of(p) for p in files}:
        files.add(f"{package}/{licence_file(node_modules / package)}")
    return sorted(files)


def css_files(node_modules: Path, css_path: str) -> set[str]:
    """Local files ``css_path`` references with ``url(...)``/``@import``, checked to exist."""
    text = (node_modules / css_path).read_text(encoding="utf-8")
    found = set()
    for ref in css_references(text):
        target = ref.split("#", 1)[0].split("?", 1)[0]
        if not target or "//" in target:
            continue  # fragment-only (Leaflet's VML behaviour) or remote: nothing to copy
        path = posixpath.normpath(posixpath.join(posixpath.dirname(css_path), target))
        if package_of(path) != package_of(css_path) or not (node_modules / path).is_file():
            msg = f"{node_modules / css_path}: references {ref!r}, not a file in its package"
            raise FileNotFoundError(msg)
        found.add(path)
    return found


@functools.cache
def licence_file(package_dir: Path) -> str:
    """Return the package's licence file, or package.json (declaring it) if it has none."""
    for name in LICENCE_NAMES:
        if (package_dir / name).is_file():
            return name
    logger.warning("%s ships no licence file; keeping package.json", package_dir.name)
    return "package.json"


def declared_licence(package_json: dict[str, object]) -> str:
    """Return the ``license`` field, or the types of the legacy ``licenses`` list."""
    licence = package_json.get("license")
    if isinstance(licence, str):
        return licence
    legacy = package_json.get("licenses")
    if isinstance(legacy, list):
        return " OR ".join(str(item.get("type")) for item in legacy if isinstance(item, dict))
    return "UNKNOWN"


def rotate_css() -> str:
    """Return the ``.fa-rotate-N`` rules (N = 1..360) that folium.Icon(angle=N) uses."""
    rules = "".join(f".fa-rotate-{n}{{transform:rotate({n}deg)}}" for n in range(1, 361))
    return f"/* Generated by tools/vendor_site_assets.py for folium.Icon(angle=...) */\n{rules}\n"


def write_vendor(node_modules: Path, files: list[str], vendor_dir: Path) -> dict[str, object]:
    """Replace ``vendor_dir`` with ``files`` and the generated CSS; return the manifest."""
    if vendor_dir.exists():
        shutil.rmtree(vendor_dir)
    packages: dict[str, dict[str, str]] = {}
    for package in sorted({package_of(p) for p in files}):
        meta = json.loads((node_modules / package / "package.json").read_text(encoding="utf-8"))
        packages[package] = {
            "version": str(meta["version"]),
            "license": declared_licence(meta),
            "license_file": f"{package}/{licence_file(node_modules / package)}",
        }
    for path in files:
        (vendor_dir / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(node_modules / path, vendor_dir / path)
    (vendor_dir / ROTATE_CSS).parent.mkdir(parents=True)
    (vendor_dir / ROTATE_CSS).write_text(rotate_css(), encoding="utf-8")
    packages[GENERATED_PACKAGE] = {
        "version": "0.1.0",
        "license": "MIT",
        "license_file": "",
        "note": "written by tools/vendor_site_assets.py (the project's own code)",
    }
    entries: list[dict[str, str | int]] = []
    for path in sorted([*files, ROTATE_CSS]):
        data = (vendor_dir / path).read_bytes()
        info = packages[package_of(path)]
        entries.append(
            {
                "path": path,
                "package": package_of(path),
                "version": info["version"],
                "license": info["license"],
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
    return {"generated_by": "tools/vendor_site_assets.py", "packages": packages, "files": entries}


def main() -> None:
    """Install from the lock file in a temporary folder and rewrite the vendor folder."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    with tempfile.TemporaryDirectory(prefix="vendor-site-assets-") as tmp:
        node_modules = install(Path(tmp))
        files = collect(node_modules)
        manifest = write_vendor(node_modules, files, VENDOR_DIR)
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    (VENDOR_DIR / MANIFEST_NAME).write_text(text, encoding="utf-8")
    entries = manifest["files"]
    assert isinstance(entries, list)
    total = sum(int(entry["bytes"]) for entry in entries)
    logger.info("Vendored %d files (%.2f MiB) into %s", len(entries), total / 2**20, VENDOR_DIR)


if __name__ == "__main__":
    main()
