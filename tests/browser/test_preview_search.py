"""The preview (``backstory serve``) keeps the reader's search current: a moment after an edit,
the search finds what was added or changed and no longer finds what was removed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ..test_serve import server, wait_for  # noqa: F401  (the fixture that runs backstory serve)
from .conftest import browsing_at

pytestmark = pytest.mark.browser

SEARCH = """(query) => {
  window.bsFound = null;
  (async () => {
    const pagefind = await import(new URL("pagefind/pagefind.js", document.baseURI).href);
    const found = await pagefind.search(query);
    const records = await Promise.all(found.results.slice(0, 20).map((r) => r.data()));
    window.bsFound = records.map((r) => [r.url.replace("%23", "#"), r.content]);
  })().catch(() => { window.bsFound = []; });
}"""
"""Starts a search as the page's own script would; its results land in ``window.bsFound``, which
the test waits for with a timeout (a page reloaded under it never answers)."""


INTERRUPTED = ("context was destroyed", "Failed to fetch dynamically imported module", "Timeout")
"""What a search says when the page it runs in is reloaded under it."""


def searcher(browsing, base: str):
    """Search the served preview as its page would, in a page loaded afresh each time (a reader
    who opens the search after the edit)."""

    from playwright.sync_api import Error as PlaywrightError

    def search(query: str) -> dict[str, str]:
        page = browsing.new_page()
        try:
            page.goto(base, wait_until="load")
            page.evaluate(SEARCH, query)
            # A page reloaded meanwhile has no bsFound at all: only an answer is waited for.
            page.wait_for_function("() => Array.isArray(window.bsFound)", timeout=15_000)
            return dict(page.evaluate("() => window.bsFound") or [])
        except PlaywrightError as error:
            # The preview reloads its pages after each rebuild; a reload in the middle of the
            # search ends it (or the download of its script), or leaves it unanswered: the
            # caller asks again, and a bundle that stays missing fails the wait.
            if not any(sign in str(error) for sign in INTERRUPTED):
                raise
            return {}
        finally:
            page.close()

    return search


def test_the_preview_search_follows_edits(server, small_site: Path, browser, browser_tools) -> None:  # noqa: F811
    base, log = server
    with browsing_at(browser, browser_tools, base) as browsing:
        search = searcher(browsing, base)
        assert wait_for(lambda: "/river/actors/ben-okafor/" in search("Okafor")), log.read_text()
        time.sleep(1)  # the file watcher registers its watches just after the server answers
        # Until the preview's first index is written its bundle is not there (the pages are
        # served first): what a search asked before that is no fault.
        browsing.record.console_errors.clear()

        actor = small_site / "content" / "actors" / "cara-diaz.yml"
        actor.write_text(
            "name: Cara Díaz\ntype: person\nrole: tide gauge keeper\n", encoding="utf-8"
        )
        assert wait_for(lambda: "/river/actors/cara-diaz/" in search("Cara Diaz")), log.read_text()

        quote = small_site / "content" / "quotes" / "lopez-safety.yml"
        quote.write_text(quote.read_text().replace("we will not wait", "we will not linger"))
        record = "/river/actors/ana-lopez/#quote-lopez-safety"
        assert wait_for(lambda: "linger" in search("linger").get(record, "")), log.read_text()
        assert record not in search("wait")

        actor.unlink()
        assert wait_for(lambda: "/river/actors/cara-diaz/" not in search("Cara Diaz")), (
            log.read_text()
        )
        assert not browsing.record.problems()
    assert "Traceback" not in log.read_text()
