"""On paper: the page says where it lives, each source's address is printed after it, no heading
is left at the foot of a page, and a quote stays with its attribution."""

from __future__ import annotations

import pytest

from .pages import SOURCES, STORY

pytestmark = pytest.mark.browser

STYLE = """([selector, pseudo, property]) => [...document.querySelectorAll(selector)]
  .map((e) => getComputedStyle(e, pseudo).getPropertyValue(property))"""


def printed(browsing, path: str):
    page = browsing.open(path)
    page.emulate_media(media="print")
    return page


def test_a_printed_page_says_the_site_and_its_address(browsing) -> None:
    page = printed(browsing, STORY)
    head = page.locator(".bs-print-head")
    assert head.is_visible()
    assert "Backstory" in head.inner_text()
    assert browsing.base_url + STORY in head.inner_text()
    page.emulate_media(media="screen")
    assert not head.is_visible()


@pytest.mark.parametrize(
    ("path", "links"), [(STORY, ".bs-sources a[href^='http']"), (SOURCES, "a.bs-source-link")]
)
def test_each_source_is_printed_with_its_address(browsing, path: str, links: str) -> None:
    page = printed(browsing, path)
    hrefs = page.locator(f"article {links}").evaluate_all("links => links.map(a => a.href)")
    after = page.evaluate(STYLE, [f"article {links}", "::after", "content"])
    assert len(hrefs) >= 5 and len(after) == len(hrefs)
    for href, content in zip(hrefs, after, strict=True):
        assert href in content, f"{href} is not printed after its source ({content})"


def test_headings_stay_with_what_follows_and_quotes_with_their_attribution(browsing) -> None:
    page = printed(browsing, STORY)
    for level in ("h2", "h3"):
        breaks = set(page.evaluate(STYLE, [f"article {level}", None, "break-after"]))
        assert breaks == {"avoid"}, (level, breaks)
    quotes = set(page.evaluate(STYLE, ["article figure.bs-quote", None, "break-inside"]))
    assert quotes == {"avoid"}
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
