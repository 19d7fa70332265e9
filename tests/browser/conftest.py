"""Browser test harness: a local HTTP server, Debian's Chromium via Playwright, and helpers.

* ``serve`` (session): ``serve(directory) -> base_url`` serves a folder over
  ``http://127.0.0.1:<port>/`` from a ThreadingHTTPServer in a thread.
* ``browser`` (session): headless ``/usr/bin/chromium``. Without it the tests skip, except
  under CI (``CI=true``), where a missing browser fails the run rather than pass it unseen.
* ``open_page`` fixture: ``open_page(browser, url) -> PageLog(page, failed_requests,
  console_errors, external_requests)``. Requests to hosts other than 127.0.0.1/localhost
  are recorded and aborted, so a page that still reaches for a CDN fails fast and visibly.
* ``run_axe`` fixture: ``run_axe(page) -> list[dict]``, every axe-core violation of the
  WCAG 2.0, 2.1 and 2.2 A and AA rules (any impact), with the vendored
  ``axe-core/axe.min.js`` injected into the page.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import pytest

from geo.presentation.site.assets import VENDOR_DIR

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
AXE_JS = VENDOR_DIR / "axe-core" / "axe.min.js"
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[[Path], str]]:
    """Return ``serve(directory) -> "http://127.0.0.1:<port>/"``; servers stop at session end."""
    servers: dict[Path, ThreadingHTTPServer] = {}

    def start(directory: Path) -> str:
        directory = directory.resolve()
        if directory not in servers:
            handler = functools.partial(_QuietHandler, directory=str(directory))
            server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers[directory] = server
        host, port = servers[directory].server_address[:2]
        return f"http://{host!s}:{port}/"

    yield start
    for server in servers.values():
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright (no browser download needed)."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install -y chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


class PageLog(NamedTuple):
    """A loaded page and what went wrong while loading it."""

    page: Any
    failed_requests: list[str]
    console_errors: list[str]
    external_requests: list[str]


def _is_external(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOCAL_HOSTS


def _open_page(browser: Any, url: str, *, wait_until: str = "networkidle") -> PageLog:
    """Load ``url`` in a fresh context, recording failures, errors and external requests."""
    context = browser.new_context()
    log = PageLog(context.new_page(), [], [], [])

    def route(route: Any) -> None:
        if _is_external(route.request.url):
            route.abort("blockedbyclient")
        else:
            route.continue_()

    def on_request(request: Any) -> None:
        if _is_external(request.url):
            log.external_requests.append(request.url)

    def on_response(response: Any) -> None:
        if response.status >= 400:
            log.failed_requests.append(f"{response.url}: HTTP {response.status}")

    def on_console(message: Any) -> None:
        if message.type == "error":
            log.console_errors.append(f"console: {message.text}")

    context.route("**/*", route)
    page = log.page
    page.on("request", on_request)
    page.on("requestfailed", lambda r: log.failed_requests.append(f"{r.url}: {r.failure}"))
    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda error: log.console_errors.append(f"pageerror: {error}"))
    page.goto(url, wait_until=wait_until)
    return log


def _run_axe(page: Any) -> list[dict[str, Any]]:
    """Run the vendored axe-core on ``page``; return every WCAG 2.2 A/AA violation."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    violations: list[dict[str, Any]] = page.evaluate(
        """async (tags) => (await axe.run(document, {
            runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})).violations""",
        list(AXE_TAGS),
    )
    return violations


@pytest.fixture
def open_page() -> Iterator[Callable[..., PageLog]]:
    """Return ``open_page(browser, url) -> PageLog``; its browser contexts close after the test."""
    logs: list[PageLog] = []

    def opener(browser: Any, url: str, **kwargs: Any) -> PageLog:
        log = _open_page(browser, url, **kwargs)
        logs.append(log)
        return log

    yield opener
    for log in logs:
        log.page.context.close()


@pytest.fixture
def run_axe() -> Callable[[Any], list[dict[str, Any]]]:
    """Return ``run_axe(page) -> list[dict]`` (WCAG 2.2 A/AA axe-core violations, any impact)."""
    return _run_axe
