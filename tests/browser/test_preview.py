"""``backstory serve`` in a browser: while the content has errors, every page of the preview
shows an accessible banner that lists them as the terminal does, and the next good save takes
it away."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from ..test_serve import start_serve
from .conftest import LOCAL_HOST, BrowserTools

pytestmark = pytest.mark.browser

BANNER = "[role=alert].backstory-preview-problems"


@pytest.fixture
def preview(small_site: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A real ``backstory serve`` of the small site: its address and its terminal's log."""
    process, base, log = start_serve(small_site, tmp_path, LOCAL_HOST)
    try:
        time.sleep(1)  # the file watcher registers its watches just after the server answers
        yield base, log
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def tab(browser: Any, browser_tools: BrowserTools) -> Iterator[Any]:
    """A fresh browser tab that may talk to 127.0.0.1 only."""
    from playwright.sync_api import expect

    context = browser.new_context(service_workers="block")
    context.set_default_timeout(20_000)
    blocked: list[str] = []

    def route(route: Any) -> None:
        if urlsplit(route.request.url).hostname == LOCAL_HOST:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", route)
    page = context.new_page()
    page.expect = expect
    try:
        yield page
    finally:
        context.close()
    assert blocked == []


def axe_violations(page: Any, axe_source: str, selector: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    found = page.evaluate(
        "async (selector) => { const r = await axe.run(selector, {resultTypes: ['violations']});"
        " return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.help); }",
        selector,
    )
    return list(found)


def test_the_preview_shows_the_contents_errors_on_every_page_until_fixed(
    preview: tuple[str, Path], tab: Any, small_site: Path, browser_tools: BrowserTools
) -> None:
    base, log = preview
    expect = tab.expect
    tab.goto(base + "actors/ana-lopez/")
    expect(tab.locator("h1")).to_contain_text("Ana López")
    assert tab.locator(BANNER).count() == 0

    quote = small_site / "content" / "quotes" / "lopez-safety.yml"
    good = quote.read_text(encoding="utf-8")
    quote.write_text("text: [unclosed\n", encoding="utf-8")
    broken = small_site / "content" / "actors" / "ben-okafor.yml"
    broken_good = broken.read_text(encoding="utf-8")
    broken.write_text(broken_good + "<b>sumary</b>: x\n", encoding="utf-8")
    yaml_error = (
        "content/quotes/lopez-safety.yml:2:1: error: invalid YAML: did not find expected ',' or "
        "']' (while parsing a flow sequence on line 1)"
    )
    field_error = (
        "content/actors/ben-okafor.yml:4:1: error: unknown field '<b>sumary</b>' "
        "(did you mean 'summary'?)"
    )

    # The open page reloads by itself and shows the banner, which lists what the terminal does.
    banner = tab.locator(BANNER)
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("The last save was not published: 2 problem(s)")
    items = banner.locator("li")
    expect(items).to_have_count(2)
    listed = [text.strip() for text in items.all_inner_texts()]
    assert listed[0] == field_error
    assert listed[1].startswith(yaml_error)
    terminal = log.read_text()
    for line in listed:
        assert line in terminal.splitlines()
    assert banner.locator("b").count() == 0  # a message is text, never markup
    assert axe_violations(tab, browser_tools.axe_source, BANNER) == []
    assert "we will not wait" in tab.locator("body").inner_text()  # the last good page

    # Every page of the preview carries it, not only the one that was open.
    for path in ("", "timeline/", "stories/river-bridge/"):
        tab.goto(base + path)
        expect(tab.locator(BANNER)).to_be_visible()
        expect(tab.locator(BANNER).locator("li")).to_have_count(2)

    # Fixing one file leaves the other's error; the next good save takes the banner away.
    quote.write_text(good.replace("we will not wait", "we shall not wait"), encoding="utf-8")
    expect(tab.locator(BANNER).locator("li")).to_have_count(1)
    expect(tab.locator(BANNER)).to_contain_text("1 problem(s)")
    broken.write_text(broken_good, encoding="utf-8")
    expect(tab.locator(BANNER)).to_have_count(0)
    tab.goto(base + "actors/ana-lopez/")
    expect(tab.locator("body")).to_contain_text("we shall not wait")
    assert tab.locator(BANNER).count() == 0
    assert "Traceback" not in log.read_text()


def test_a_preview_started_on_broken_content_shows_the_banner_at_once(
    small_site: Path, tmp_path: Path, tab: Any
) -> None:
    # The last good pages are there from an earlier build; the content broke since.
    result = subprocess.run(
        [sys.executable, "-m", "backstory", "build"],
        cwd=small_site,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    story = small_site / "content" / "stories" / "river-bridge.yml"
    story.write_text(story.read_text().replace("[[council-vote]]", "[[council-vot]]"))
    process, base, log = start_serve(small_site, tmp_path, LOCAL_HOST)
    try:
        tab.goto(base)
        banner = tab.locator(BANNER)
        tab.expect(banner).to_be_visible()
        tab.expect(banner.locator("li")).to_have_text(
            [
                "content/stories/river-bridge.yml:11:60: error: [[council-vot]]: unknown "
                "actor, event, story, figure or claim 'council-vot' (did you mean 'council-vote'?)"
            ]
        )
        assert "content/stories/river-bridge.yml:11:60: error: [[council-vot]]" in log.read_text()
    finally:
        process.terminate()
        process.wait(timeout=10)
