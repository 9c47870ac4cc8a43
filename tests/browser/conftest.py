"""Fixtures for the browser tests: the real site served on 127.0.0.1, headless Chromium driven
by Playwright, axe-core from node_modules, and a page that records console errors and every
request (requests to any other host are blocked and reported)."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from ..conftest import BuiltSite

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOST = "127.0.0.1"


def _chromium() -> str | None:
    """The system Chromium: $BACKSTORY_CHROMIUM, /usr/bin/chromium or the first on PATH."""
    candidates = [os.environ.get("BACKSTORY_CHROMIUM"), "/usr/bin/chromium"]
    candidates += [shutil.which(name) for name in ("chromium", "chromium-browser")]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


@dataclass(frozen=True)
class BrowserTools:
    chromium: str
    axe_source: str


@pytest.fixture(scope="session")
def browser_tools() -> BrowserTools:
    """What the browser tests need, or a clear reason why they cannot run. Under CI=true a
    missing tool fails the tests (they must never be skipped there); elsewhere they are skipped."""
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the Python package 'playwright' (pip install -e '.[test]')")
    chromium = _chromium()
    if chromium is None:
        missing.append("Chromium at /usr/bin/chromium (apt-get install chromium)")
    if not AXE.is_file():
        missing.append(f"axe-core at {AXE.relative_to(REPO)} (run 'npm ci' in {REPO})")
    if missing:
        message = "browser tests need " + "; ".join(missing)
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message + " (CI=true: browser tests may not be skipped)", pytrace=False)
        pytest.skip(message)
    assert chromium is not None
    return BrowserTools(chromium=chromium, axe_source=AXE.read_text(encoding="utf-8"))


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves the site as a static host does: the site's own 404.html for a missing page."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        missing = Path(self.directory) / "404.html"
        if code != 404 or not missing.is_file():
            super().send_error(code, message, explain)
            return
        body = missing.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def serve_folder(folder: Path) -> tuple[str, Any]:
    """Serve a folder on 127.0.0.1 with an ephemeral port: (base URL, a function that stops it)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return f"http://{LOCAL_HOST}:{server.server_address[1]}", stop


@pytest.fixture(scope="session")
def site_url(browser_tools: BrowserTools, real_site: Path) -> Iterator[str]:
    """The built site served by a static HTTP server on 127.0.0.1 with an ephemeral port."""
    url, stop = serve_folder(real_site / "site")
    try:
        yield url
    finally:
        stop()


@pytest.fixture(scope="session")
def bilingual_site_url(
    browser_tools: BrowserTools, built_bilingual_site: BuiltSite
) -> Iterator[str]:
    """The built bilingual fixture (English at /, Spanish at /es/), served the same way."""
    url, stop = serve_folder(built_bilingual_site.root / "site")
    try:
        yield url
    finally:
        stop()


@pytest.fixture(scope="session")
def browser(browser_tools: BrowserTools) -> Iterator[Any]:
    """Headless system Chromium with a fresh profile (Playwright never downloads a browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=browser_tools.chromium, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Recorder:
    """Everything a page did that a test may want to forbid."""

    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [f"request to another host: {url}" for url in self.blocked] + [
            f"console error: {text}" for text in self.console_errors
        ]


@dataclass
class Browsing:
    """A fresh browser context: ``open(path)`` loads a page of the served site."""

    context: Any
    base_url: str
    axe_source: str
    record: Recorder
    expect: Any  # playwright.sync_api.expect: assertions that wait

    def new_page(self, *, width: int = 1280, height: int = 800, dark: bool = False) -> Any:
        page = self.context.new_page()
        page.set_viewport_size({"width": width, "height": height})
        page.emulate_media(color_scheme="dark" if dark else "light")
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.record.console_errors.append(f"uncaught {error}"))
        return page

    def open(self, path: str, **options: Any) -> Any:
        page = self.new_page(**options)
        response = page.goto(self.base_url + path, wait_until="load")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        return page

    def axe(self, page: Any) -> list[dict[str, Any]]:
        """axe-core's violations for the page as it is now."""
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(content=self.axe_source)
        result = page.evaluate(
            "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
            " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))})); }"
        )
        return list(result)

    def open_search(self, path: str = "/", **options: Any) -> Any:
        """Open a page and the reader's search as a reader would (the header's button), and
        wait for its field to take the focus. Returns the page."""
        page = self.open(path, **options)
        page.locator("[data-bs-search]").click()
        field = page.locator("pagefind-input input")
        self.expect(field, "the search did not open").to_be_focused()
        return page

    def search(self, query: str, path: str = "/", **options: Any) -> tuple[Any, Any]:
        """Open the search on a page, type the query and wait for results. Returns the page
        and the result links (their text starts with the result's kind)."""
        page = self.open_search(path, **options)
        page.locator("pagefind-input input").press_sequentially(query, delay=20)
        results = page.locator("pagefind-results a.pf-result-link")
        results.first.wait_for(state="visible")
        self.expect(page.locator("pagefind-summary")).to_contain_text(query)
        return page, results

    def _console(self, message: Any) -> None:
        if message.type == "error":
            location = message.location or {}
            self.record.console_errors.append(f"{message.text} ({location.get('url', '?')})")


def keep_to_this_host(context: Any, record: Recorder) -> None:
    """Record every request of a browser context, and block (and record) any to a host other
    than 127.0.0.1, as a reader's browser is checked: the site asks no third party."""

    def route(route: Any) -> None:
        url = route.request.url
        record.requests.append(url)
        if urlsplit(url).hostname == LOCAL_HOST:
            route.continue_()
        else:
            record.blocked.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", route)


@contextlib.contextmanager
def browsing_at(browser: Any, browser_tools: BrowserTools, base_url: str) -> Iterator[Browsing]:
    """A fresh context on a served site that records console errors and every request, and
    blocks (and records) any request to a host other than 127.0.0.1."""
    from playwright.sync_api import expect

    record = Recorder()
    context = browser.new_context(service_workers="block")
    context.set_default_timeout(10_000)
    keep_to_this_host(context, record)
    try:
        yield Browsing(context, base_url, browser_tools.axe_source, record, expect)
    finally:
        context.close()


@pytest.fixture
def browsing(browser: Any, browser_tools: BrowserTools, site_url: str) -> Iterator[Browsing]:
    """The repository's own site in a fresh browser context (see ``browsing_at``)."""
    with browsing_at(browser, browser_tools, site_url) as browsing:
        yield browsing


@pytest.fixture
def bilingual_browsing(
    browser: Any, browser_tools: BrowserTools, bilingual_site_url: str
) -> Iterator[Browsing]:
    """The same on the served bilingual fixture."""
    with browsing_at(browser, browser_tools, bilingual_site_url) as browsing:
        yield browsing


@pytest.fixture(scope="session")
def small_site_url(
    browser_tools: BrowserTools, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The small fixture site (names with diacritics, HTML typed into facts), built once and
    served on 127.0.0.1."""
    from backstory.build.pipeline import build
    from backstory.project import Project

    from ..conftest import SMALL_SITE

    root = tmp_path_factory.mktemp("small") / "small-site"
    shutil.copytree(SMALL_SITE, root, ignore=shutil.ignore_patterns(".backstory", "site"))
    # A name printed only with its accents, for the search's folding (Ana López has an alias
    # without them).
    (root / "content" / "actors" / "jose-alvarez.yml").write_text(
        "name: José Álvarez\ntype: person\nrole: harbour master\n", encoding="utf-8"
    )
    build(Project.open(root))
    url, stop = serve_folder(root / "site")
    try:
        yield url
    finally:
        stop()


@pytest.fixture
def small_browsing(
    browser: Any, browser_tools: BrowserTools, small_site_url: str
) -> Iterator[Browsing]:
    """The small fixture site in a fresh browser context."""
    with browsing_at(browser, browser_tools, small_site_url) as browsing:
        yield browsing


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def _fail_or_skip(message: str) -> None:
    """A missing tool fails the test under CI=true (never skipped there) and skips it elsewhere."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message + " (CI=true: these tests may not be skipped)", pytrace=False)
    pytest.skip(message)


VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"


@pytest.fixture(scope="session")
def nu_checker() -> list[str]:
    """The W3C Nu HTML checker's command (vnu.jar from npm, run by Java), offline."""
    java = shutil.which("java")
    missing = []
    if java is None:
        missing.append("Java (apt-get install default-jre-headless)")
    if not VNU.is_file():
        missing.append(f"the Nu checker at {VNU.relative_to(REPO)} (run 'npm ci' in {REPO})")
    if missing:
        _fail_or_skip("the HTML validity tests need " + "; ".join(missing))
    assert java is not None
    return [java, "-Xss8m", "-jar", str(VNU)]


@pytest.fixture(scope="session")
def lighthouse(browser_tools: BrowserTools) -> list[str]:
    """Lighthouse's command (npm), driving the system Chromium."""
    node = shutil.which("node")
    missing = []
    if node is None:
        missing.append("Node.js (apt-get install nodejs)")
    if not LIGHTHOUSE.exists():
        missing.append(f"Lighthouse at {LIGHTHOUSE.relative_to(REPO)} (run 'npm ci' in {REPO})")
    if missing:
        _fail_or_skip("the Lighthouse test needs " + "; ".join(missing))
    return [str(LIGHTHOUSE)]
