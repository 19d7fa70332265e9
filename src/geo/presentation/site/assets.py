"""Front-end assets of the map site: vendored copies of everything Folium loads from CDNs.

Folium 0.20 and branca 0.8 point each page at CDNs (Leaflet, jQuery, Bootstrap, Font
Awesome, Leaflet.awesome-markers, Leaflet.draw, d3), so their pages are blank offline. The
site ships its own copies instead:

* ``VENDOR_DIR`` holds the files ``tools/vendor_site_assets.py`` copies from npm, at the
  versions pinned in ``package.json``/``package-lock.json``; ``MANIFEST.json`` there lists
  each file's package, version, licence and sha256.
* :func:`copy_assets` copies them into a built site; :func:`localise` points a map's links at
  that copy; :func:`find_external_urls` checks that a built site requests nothing from the
  internet; :func:`tile_layer_options` turns the ``tiles`` config value into the arguments of
  ``folium.Map``.

What :func:`find_external_urls` counts as an external URL (a request the browser makes
without a click, to a host other than the site's own):

1. An absolute ``http(s)://`` or protocol-relative ``//`` URL, unless it starts with one of
   the ``allowed`` prefixes (tile templates and their attribution links).
2. In HTML markup: the values of resource attributes (``src``, ``srcset``, ``poster``,
   ``background``, ``<object data>``, ``<link href>``, ``<base href>``, a ``<meta>`` refresh
   target) and CSS in ``style`` attributes and ``<style>`` blocks. Text, comments and
   ``<a href>``/``<area href>`` navigation links are not requests.
3. In CSS: ``url(...)`` and ``@import`` targets outside comments; ``data:`` URIs are not.
4. In the site's own scripts and data (inline ``<script>`` bodies and ``.js``, ``.json`` and
   ``.geojson`` files): *every* ``http(s)://`` string, because a string in our own code may
   be fetched (a tile template, a GeoJSON URL), except the fixed XML namespace URIs
   (``http://www.w3.org/2000/svg`` ...), which are names, not addresses.
5. Vendored third-party files (listed in a ``MANIFEST.json`` and matching its sha256): only
   their CSS is scanned, by rule 3. Their JavaScript holds namespace, licence and help URLs
   that are never fetched; it is pinned and hash-checked, and what it requests at run time
   is what the browser tests record. A vendored file whose sha256 differs from the manifest
   is scanned as the site's own code.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import logging
import re
import shutil
from collections.abc import Iterator, Mapping, Sequence
from html.parser import HTMLParser
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, TypedDict
from weakref import WeakKeyDictionary

import folium
from branca.element import Element, Figure, Link
from folium.elements import JSCSSMixin

from geo.core.errors import ConfigError

logger = logging.getLogger(__name__)

VENDOR_DIR: Final[Path] = Path(__file__).resolve().parent / "vendor"
"""The vendored front-end files inside the package (written by tools/vendor_site_assets.py)."""

MANIFEST_NAME: Final = "MANIFEST.json"

TEST_ONLY_PACKAGES: Final = frozenset({"axe-core"})
"""Vendored packages the browser tests use and :func:`copy_assets` leaves out of the site."""

CDN_ASSETS: Final[Mapping[str, str]] = MappingProxyType(
    {
        # folium.Map
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": "leaflet/dist/leaflet.js",
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": "leaflet/dist/leaflet.css",
        "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/dist/jquery.min.js",
        "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": (
            "bootstrap/dist/js/bootstrap.bundle.min.js"
        ),
        "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css": (
            "bootstrap/dist/css/bootstrap.min.css"
        ),
        "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css": (
            "@fortawesome/fontawesome-free/css/all.min.css"
        ),
        "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js": (
            "drmonty-leaflet-awesome-markers/js/leaflet.awesome-markers.js"
        ),
        "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css": (
            "drmonty-leaflet-awesome-markers/css/leaflet.awesome-markers.css"
        ),
        "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css": (
            "generated/leaflet.awesome.rotate.min.css"
        ),
        # folium.plugins.Draw
        "https://cdnjs.cloudflare.com/ajax/libs/leaflet.draw/1.0.2/leaflet.draw.js": (
            "leaflet-draw/dist/leaflet.draw.js"
        ),
        "https://cdnjs.cloudflare.com/ajax/libs/leaflet.draw/1.0.2/leaflet.draw.css": (
            "leaflet-draw/dist/leaflet.draw.css"
        ),
        # branca.colormap.ColorMap (added to the page header while rendering)
        "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js": "d3/d3.min.js",
    }
)
"""Each CDN URL Folium or branca loads, and its vendored copy (a path under VENDOR_DIR)."""

DROPPED_CDN_ASSETS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css": (
            "Bootstrap 3 glyphicons are on no npm package; the site's icons use Font Awesome "
            "(folium.Icon(prefix='fa'))"
        ),
    }
)
"""CDN URLs that :func:`localise` removes from a page, with the reason."""

XML_NAMESPACES: Final = frozenset(
    {
        "http://www.w3.org/1998/Math/MathML",
        "http://www.w3.org/1999/xhtml",
        "http://www.w3.org/1999/xlink",
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/2000/xmlns/",
        "http://www.w3.org/XML/1998/namespace",
    }
)
"""Namespace URIs: identifiers in markup and scripts that no browser fetches."""

OSM_TILES: Final = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION: Final = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)

SCANNED_SUFFIXES: Final = frozenset({".html", ".htm", ".js", ".css", ".json", ".geojson"})

_LinkList = list[tuple[str, str]]
_ORIGINAL_LINKS: WeakKeyDictionary[JSCSSMixin, tuple[_LinkList, _LinkList]] = WeakKeyDictionary()
_ORIGINAL_URLS: WeakKeyDictionary[Link, str] = WeakKeyDictionary()

_REMOTE = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_REF = re.compile(
    r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)"""
    r"""|@import\s+(?:"([^"]*)"|'([^']*)')""",
    re.IGNORECASE,
)
_SCRIPT_URL = re.compile(r"""https?:(?:\\?/){2}[^\s"'`<>]+""", re.IGNORECASE)
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"\s;]+)", re.IGNORECASE)
_PLACEHOLDERS: Final = ("{z}", "{x}", "{y}")


# --- localise --------------------------------------------------------------------------


def localise(fig_or_map: folium.Map | Figure, *, assets_url: str) -> None:
    """Point every CDN link of a map's page at the vendored copies under ``assets_url``.

    Call it after the map is built and before it is rendered or saved. It walks the whole
    page (the Figure, the map and all descendants: layers, plugins, controls, colormaps)
    and gives each element carrying ``default_js``/``default_css`` (Folium collects these
    per element when it renders) its own localised lists, so the Folium classes, and other
    pages, are untouched. Links that branca adds to the header while rendering (the d3 of
    colormaps) are rewritten as the header renders. Calling it again re-points the page.

    Args:
        fig_or_map: The map, or the Figure holding it.
        assets_url: Relative URL of the vendored folder as seen from the saved page, such
            as ``"assets/vendor"`` or ``"../assets/vendor"``.

    Raises:
        ValueError: If ``assets_url`` is empty or absolute, or a CDN URL on the page has no
            vendored copy (the message names the URL and the element loading it).

    """
    base = _assets_base(assets_url)
    root = fig_or_map.get_root()
    count = 0
    for parent, name, element in _walk(root):
        if isinstance(element, JSCSSMixin):
            count += _localise_element(element, base)
        elif isinstance(element, Link) and parent is not None:
            _localise_link(parent, name, element, base)
            count += 1
    if isinstance(root, Figure):
        _localise_header_on_render(root, base)
    logger.info("Pointed %d asset links at vendored copies under %r", count, base)


def _assets_base(assets_url: str) -> str:
    base = assets_url.strip().rstrip("/")
    if not base or _REMOTE.match(base) or re.match(r"^[a-z][a-z0-9+.-]*:", base, re.I):
        msg = (
            f"assets_url={assets_url!r}: expected a relative URL of the vendored folder, "
            "such as 'assets/vendor' or '../assets/vendor'"
        )
        raise ValueError(msg)
    return base


_FIGURE_PARTS: Final = ("header", "html", "script")


def _walk(root: Element) -> Iterator[tuple[Element | None, str, Element]]:
    """Yield ``(parent, name, element)`` for ``root`` and every descendant, depth first."""
    stack: list[tuple[Element | None, str, Element]] = [(None, root.get_name(), root)]
    seen: set[int] = set()
    while stack:
        parent, name, element = stack.pop()
        if id(element) in seen:
            continue
        seen.add(id(element))
        yield parent, name, element
        children: list[tuple[Element | None, str, Element]] = [
            (element, child_name, child) for child_name, child in element._children.items()
        ]
        if isinstance(element, Figure):
            children += [(None, part, getattr(element, part)) for part in _FIGURE_PARTS]
        stack.extend(reversed(children))


def _localise_element(element: JSCSSMixin, base: str) -> int:
    """Give ``element`` its own localised ``default_js``/``default_css``; return the count."""
    js, css = _ORIGINAL_LINKS.setdefault(
        element, (list(element.default_js), list(element.default_css))
    )
    owner = type(element).__name__
    element.default_js = _localise_pairs(js, base, owner=owner)
    element.default_css = _localise_pairs(css, base, owner=owner)
    return len(js) + len(css)


def _localise_pairs(pairs: _LinkList, base: str, *, owner: str) -> _LinkList:
    localised: _LinkList = []
    for name, url in pairs:
        local = _local_url(url, base, what=f"asset {name!r} of {owner}")
        if local is not None:
            localised.append((name, local))
    return localised


def _localise_link(parent: Element, name: str, link: Link, base: str) -> None:
    original = _ORIGINAL_URLS.setdefault(link, link.url)
    local = _local_url(original, base, what=f"{type(link).__name__} {name!r}")
    if local is None:
        del parent._children[name]
    else:
        link.url = local


def _localise_header_on_render(figure: Figure, base: str) -> None:
    """Rewrite the links that elements add to ``figure.header`` while they render."""
    header = figure.header
    render = functools.partial(type(header).render, header)

    def render_localised(**kwargs: Any) -> str:
        for name, child in list(header._children.items()):
            if isinstance(child, Link):
                _localise_link(header, name, child, base)
        return str(render(**kwargs))

    # An instance attribute: this page's header only, never the branca class.
    header.__dict__["render"] = render_localised


def _local_url(url: str, base: str, *, what: str) -> str | None:
    """Return the vendored URL for ``url``, None to drop it, or ``url`` itself if local."""
    if url in DROPPED_CDN_ASSETS:
        logger.info("Dropped %s (%s): %s", what, url, DROPPED_CDN_ASSETS[url])
        return None
    path = CDN_ASSETS.get(url)
    if path is not None:
        return f"{base}/{path}"
    if not _REMOTE.match(url):
        return url
    msg = (
        f"No vendored copy of {what}: {url!r}. Add the package to package.json, the URL to "
        "geo.presentation.site.assets.CDN_ASSETS, and rerun tools/vendor_site_assets.py"
    )
    raise ValueError(msg)


# --- copy_assets -----------------------------------------------------------------------


def copy_assets(site_dir: Path) -> Path:
    """Copy the vendored files into ``site_dir / "assets" / "vendor"`` and return that path.

    The target is replaced as a whole, so the result is the same however often it runs.
    Only files listed in ``MANIFEST.json`` are copied, each checked against its sha256,
    less the packages only the tests use (``TEST_ONLY_PACKAGES``); the copy gets its own
    manifest listing what it holds.

    Raises:
        ValueError: If a vendored file does not match its sha256 in the manifest.
        FileNotFoundError: If the manifest or a file it lists is missing.

    """
    manifest = _read_manifest(VENDOR_DIR / MANIFEST_NAME)
    target = site_dir / "assets" / "vendor"
    if target.resolve() == VENDOR_DIR:
        msg = f"site_dir={site_dir}: its assets/vendor is the package's own vendor folder"
        raise ValueError(msg)
    if target.exists():
        shutil.rmtree(target)
    files = [f for f in manifest["files"] if f.get("package") not in TEST_ONLY_PACKAGES]
    for entry in files:
        source = VENDOR_DIR / entry["path"]
        digest = _sha256(source)
        if digest != entry["sha256"]:
            msg = (
                f"{source}: sha256 {digest} differs from {MANIFEST_NAME} ({entry['sha256']}); "
                "rerun tools/vendor_site_assets.py"
            )
            raise ValueError(msg)
        destination = target / entry["path"]
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
    packages = manifest.get("packages", {})
    site_manifest = {
        **manifest,
        "files": files,
        "packages": {k: v for k, v in packages.items() if k not in TEST_ONLY_PACKAGES},
    }
    text = json.dumps(site_manifest, indent=2, sort_keys=True) + "\n"
    (target / MANIFEST_NAME).write_text(text, encoding="utf-8")
    size = sum(int(entry.get("bytes", 0)) for entry in files) / 2**20
    logger.info("Copied %d vendored files (%.1f MiB) to %s", len(files), size, target)
    return target


def _read_manifest(manifest: Path) -> dict[str, Any]:
    """Read a vendor manifest: a ``files`` list of entries with ``path`` and ``sha256``."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if not all(
            isinstance(f["path"], str) and isinstance(f["sha256"], str) for f in data["files"]
        ):
            raise TypeError("an entry's path or sha256 is not a string")
    except (KeyError, TypeError, json.JSONDecodeError) as error:
        msg = f"{manifest}: not a vendor manifest with a 'files' list of path/sha256 ({error})"
        raise ValueError(msg) from error
    return dict(data)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- find_external_urls ----------------------------------------------------------------


DOWNLOADS_DIR = "downloads"
"""Folder of the site's data downloads; its data files are offered, never loaded by a page."""


def find_external_urls(site_dir: Path, *, allowed: Sequence[str] = ()) -> list[tuple[Path, str]]:
    """List the external URLs a built site would request, by the rule in the module docstring.

    Scans every .html, .htm, .js, .css, .json and .geojson file under ``site_dir``.

    Args:
        site_dir: The built site.
        allowed: URL prefixes that may be requested (tile templates, their attribution).

    Returns:
        ``(file, url)`` pairs, files in sorted order, each URL once per file in the order
        found.

    Raises:
        NotADirectoryError: If ``site_dir`` is not a directory.

    """
    if not site_dir.is_dir():
        msg = f"site_dir={site_dir}: not a directory"
        raise NotADirectoryError(msg)
    prefixes = tuple(allowed)
    vendored = _vendored_files(site_dir)
    found: list[tuple[Path, str]] = []
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in SCANNED_SUFFIXES:
            continue
        if _is_download(path, site_dir):
            continue  # a data file offered for download (CSVW metadata), never loaded
        text = path.read_text(encoding="utf-8", errors="replace")
        urls = _urls_in(text, suffix=path.suffix.lower(), vendored=path in vendored)
        found += [(path, url) for url in dict.fromkeys(urls) if not url.startswith(prefixes)]
    if found:
        logger.warning("Found %d external URL(s) under %s", len(found), site_dir)
    return found


def _is_download(path: Path, site_dir: Path) -> bool:
    """Whether ``path`` is a data file of ``downloads/`` (not a page or one of its assets)."""
    rel = path.relative_to(site_dir).parts
    return len(rel) > 1 and rel[0] == DOWNLOADS_DIR and path.suffix.lower() not in (".html", ".htm")


def css_references(css: str) -> list[str]:
    """Targets of ``url(...)`` and ``@import`` in ``css``, outside comments, less data: URIs."""
    refs: list[str] = []
    for match in _CSS_REF.finditer(_CSS_COMMENT.sub(" ", css)):
        ref = next((group for group in match.groups() if group is not None), "").strip()
        if ref and not ref.lower().startswith("data:"):
            refs.append(ref)
    return refs


def _urls_in(text: str, *, suffix: str, vendored: bool) -> list[str]:
    if suffix == ".css":
        return [url for url in css_references(text) if _REMOTE.match(url)]
    if vendored:
        return []
    if suffix in (".html", ".htm"):
        parser = _ResourceParser()
        parser.feed(text)
        parser.close()
        return [url.strip() for url in parser.urls if _REMOTE.match(url)]
    return _script_urls(text)


def _script_urls(text: str) -> list[str]:
    """Every http(s) URL in script or data text, except XML namespace URIs."""
    urls = []
    for match in _SCRIPT_URL.finditer(text):
        url = match.group().rstrip("\\.,;:)").replace("\\/", "/")
        if url not in XML_NAMESPACES:
            urls.append(url)
    return urls


def _vendored_files(site_dir: Path) -> set[Path]:
    """Files listed in a MANIFEST.json under ``site_dir`` whose sha256 matches, and manifests."""
    files: set[Path] = set()
    for manifest in site_dir.rglob(MANIFEST_NAME):
        try:
            entries = _read_manifest(manifest)["files"]
        except ValueError:
            continue
        files.add(manifest)
        for entry in entries:
            path = manifest.parent / entry["path"]
            if path.is_file() and _sha256(path) == entry["sha256"]:
                files.add(path)
    return files


_RESOURCE_ATTRIBUTES: Final = frozenset({"src", "poster", "background"})


class _ResourceParser(HTMLParser):
    """Collect the URLs an HTML page loads by itself (rule 2 of the module docstring)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._raw: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        for name, value in values.items():
            self.urls += _attribute_urls(tag, name, value, values)
        if tag in ("script", "style") and "src" not in values:
            self._raw = tag

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        for name, value in values.items():
            self.urls += _attribute_urls(tag, name, value, values)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._raw:
            self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw == "script":
            self.urls += _script_urls(data)
        elif self._raw == "style":
            self.urls += css_references(data)


def _attribute_urls(tag: str, name: str, value: str, attrs: Mapping[str, str]) -> list[str]:
    """Return the URLs an attribute makes the browser load (``<a href>`` is a click)."""
    if name in _RESOURCE_ATTRIBUTES or (name == "data" and tag == "object"):
        return [value]
    if name == "href" and tag in ("link", "base"):
        return [value]
    if name == "srcset":
        return [c.split()[0] for c in value.split(",") if c.strip()]
    if name == "style":
        return css_references(value)
    if tag == "meta" and name == "content" and attrs.get("http-equiv", "").lower() == "refresh":
        return _REFRESH_URL.findall(value)
    return []


# --- tiles -----------------------------------------------------------------------------


class TileOptions(TypedDict):
    """Keyword arguments of ``folium.Map`` for its base tiles."""

    tiles: str | None
    attr: str | None


def tile_layer_options(tiles: str, *, attribution: str | None = None) -> TileOptions:
    """Map the ``tiles`` config value to ``folium.Map(tiles=..., attr=...)``.

    Args:
        tiles: ``"none"`` (no base map: the site is wholly offline), ``"osm"``
            (OpenStreetMap's standard tiles and attribution), or a URL template with
            ``{z}``, ``{x}`` and ``{y}`` (absolute ``http(s)://`` with a fixed host, or a
            relative path to tiles shipped with the site).
        attribution: Required with a URL template, not allowed otherwise.

    Raises:
        ConfigError: Naming the value that is not one of the three forms.

    """
    value = tiles.strip()
    if value in ("none", "osm"):
        if attribution is not None:
            msg = f"tiles={tiles!r}: attribution is only used with a URL template"
            raise ConfigError(msg)
        if value == "none":
            return TileOptions(tiles=None, attr=None)
        return TileOptions(tiles=OSM_TILES, attr=OSM_ATTRIBUTION)
    _check_template(value, attribution=attribution)
    return TileOptions(tiles=value, attr=safe_attribution(attribution or ""))


_ATTRIBUTION_LINK = re.compile(r'<a\s+href="(https?://[^"<>\s]+)"\s*>([^<>]*)</a>', re.I)


def safe_attribution(text: str) -> str:
    """Make the ``site.tile_attribution`` config string safe to insert as HTML.

    Leaflet shows the attribution as HTML, so only an allow-list passes as markup: links
    written exactly ``<a href="https://...">text</a>``. Everything else (other tags,
    attributes, scripts) is escaped and shows as text; entities such as ``&copy;`` are kept.
    """

    def plain(segment: str) -> str:
        return html.escape(html.unescape(segment), quote=False)

    out, pos = [], 0
    for match in _ATTRIBUTION_LINK.finditer(text):
        out.append(plain(text[pos : match.start()]))
        url = html.escape(html.unescape(match[1]), quote=True)
        out.append(f'<a href="{url}">{plain(match[2])}</a>')
        pos = match.end()
    out.append(plain(text[pos:]))
    return "".join(out)


def _check_template(template: str, *, attribution: str | None) -> None:
    missing = [p for p in _PLACEHOLDERS if p not in template]
    problem = ""
    if missing:
        problem = f"a URL template needs {{z}}, {{x}} and {{y}}; missing {', '.join(missing)}"
    elif template.startswith("//") or re.search(r"\s", template):
        problem = "a URL template needs an explicit http(s):// scheme and no spaces"
    elif re.match(r"^[a-z][a-z0-9+.-]*:", template, re.I) and not re.match(
        r"^https?://[^/{}]+/", template, re.I
    ):
        problem = "an absolute URL template needs http(s):// and a fixed host (no {s})"
    elif not attribution or not attribution.strip():
        problem = "a URL template needs an attribution"
    if problem:
        msg = f"tiles={template!r}: {problem} (or use 'none' or 'osm')"
        raise ConfigError(msg)


def tile_allowed_prefixes(options: TileOptions) -> tuple[str, ...]:
    """URL prefixes a page with these tiles may request: for ``find_external_urls(allowed=)``.

    The template up to its first placeholder, and every URL in the attribution.
    """
    template = options["tiles"]
    if template is None or not _REMOTE.match(template):
        return ()
    prefixes = [template.split("{", 1)[0]]
    prefixes += _script_urls(options["attr"] or "")
    return tuple(dict.fromkeys(prefixes))
