"""Pages load cleanly (no console errors, nothing fetched from another host) and fit a phone."""

from __future__ import annotations

import pytest

from .pages import DESKTOP_WIDTH, LONG_PAGES, PAGES, PHONE_WIDTH, STORY, TIMELINE

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_without_errors_or_other_hosts(browsing, path: str) -> None:
    page = browsing.open(path)
    page.wait_for_load_state("networkidle")
    record = browsing.record
    assert record.requests, "no request was recorded; is the request log working?"
    assert not record.problems(), f"{path}:\n" + "\n".join(record.problems())


@pytest.mark.parametrize("path", PAGES)
def test_page_fits_a_phone(browsing, path: str) -> None:
    page = browsing.open(path, width=PHONE_WIDTH, height=844)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    wide = page.evaluate(
        """(limit) => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > limit + 0.5)
            .slice(0, 10).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""",
        PHONE_WIDTH,
    )
    assert width <= PHONE_WIDTH, f"{path} scrolls sideways on a phone ({width}px): {wide}"


SHOTS = [
    ("desktop", DESKTOP_WIDTH, 800, False),
    ("phone", PHONE_WIDTH, 844, False),
    ("desktop-dark", DESKTOP_WIDTH, 800, True),
]


@pytest.mark.parametrize(("name", "width", "height", "dark"), SHOTS, ids=[s[0] for s in SHOTS])
def test_story_screenshots(
    browsing, artifacts, name: str, width: int, height: int, dark: bool
) -> None:
    """Full-page pictures of the story under tests/artifacts/, for people to look at."""
    page = browsing.open(STORY, width=width, height=height, dark=dark)
    path = artifacts / f"story-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000


@pytest.mark.parametrize("path", LONG_PAGES)
def test_long_pages_have_a_table_of_contents_on_a_phone_without_javascript(
    browser, site_url: str, path: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
        page.goto(site_url + path, wait_until="load")
        contents = page.locator("details.bs-toc")
        assert contents.is_visible(), f"{path} has no table of contents at {PHONE_WIDTH}px"
        assert contents.locator("summary").inner_text() == "On this page"
        contents.locator("summary").click()
        links = contents.locator("a")
        assert links.count() >= 3
        for index in range(links.count()):
            anchor = links.nth(index).get_attribute("href")
            assert anchor and page.locator(anchor).count() == 1, f"{path}: {anchor} leads nowhere"
        last = links.nth(links.count() - 1)
        target = last.get_attribute("href")
        last.click()
        page.wait_for_url(f"**{path}{target}")
        box = page.locator(target).bounding_box()
        assert box is not None and 0 <= box["y"] < 844, f"{target} was not scrolled into view"
    finally:
        context.close()


def test_the_table_of_contents_is_left_to_the_theme_on_wide_screens(browsing) -> None:
    page = browsing.open(STORY, width=1400)
    assert not page.locator("details.bs-toc").is_visible()
    assert page.locator(".md-sidebar--secondary .md-nav__link").first.is_visible()


MARKERS = """() => [...document.querySelectorAll('article .bs-cite a')].map((a) => {
  const box = a.getBoundingClientRect();
  const marker = a.closest('.bs-cite');
  let before = marker.previousSibling;
  while (before && before.nodeType === Node.TEXT_NODE && !before.textContent.trim()) {
    before = before.previousSibling;
  }
  let word = null;
  if (before) {
    const range = document.createRange();
    if (before.nodeType === Node.TEXT_NODE) {
      const end = before.textContent.trimEnd().length;
      range.setStart(before, Math.max(0, end - 1));
      range.setEnd(before, end);
    } else {
      range.selectNodeContents(before);
    }
    const rects = [...range.getClientRects()];
    word = rects.length ? rects[rects.length - 1] : null;
  }
  const hit = document.elementFromPoint(box.left + 2, box.top + 2);
  return {
    text: a.textContent, width: box.width, height: box.height,
    hits: hit === a || a.contains(hit),
    sameLine: word === null || (word.top < box.bottom && word.bottom > box.top),
    visible: box.width > 0 && box.top >= 0 && box.bottom <= document.documentElement.scrollHeight,
  };
})"""


@pytest.mark.parametrize("width", [PHONE_WIDTH, 320])
def test_citation_markers_are_big_enough_and_stay_with_their_word(browsing, width: int) -> None:
    page = browsing.open(STORY, width=width, height=844)
    markers = page.evaluate(MARKERS)
    assert len(markers) > 20
    small = [m for m in markers if m["width"] < 24 or m["height"] < 24]
    assert not small, f"targets under 24x24 px: {small[:3]}"
    alone = [m["text"] for m in markers if not m["sameLine"]]
    assert not alone, f"markers wrapped away from the word before them at {width}px: {alone}"
    page.mouse.wheel(0, 0)
    top = page.evaluate(
        "() => { const a = document.querySelector('article .bs-cite a');"
        " a.scrollIntoView({block: 'center'}); const b = a.getBoundingClientRect();"
        " const hit = document.elementFromPoint(b.left + 2, b.top + 2); return hit === a; }"
    )
    assert top, "the marker's whole 24px box is its link (its corner clicks it)"


def test_the_timeline_names_a_story_once_for_a_run_of_its_events(browsing) -> None:
    page = browsing.open(TIMELINE)
    events = page.locator("article ol > li")
    assert events.count() >= 6
    named = page.locator("article ol > li .bs-in-stories")
    assert named.count() == 1, "the story of six events in a row is named once, at the first"
    assert "subpoenas to Denver" in named.first.inner_text()
