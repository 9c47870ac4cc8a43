"""Pages load cleanly (no console errors, nothing fetched from another host) and fit a phone."""

from __future__ import annotations

import pytest

from .pages import DESKTOP_WIDTH, PAGES, PHONE_WIDTH, STORY

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
