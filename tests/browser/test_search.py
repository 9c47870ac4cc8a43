"""Material's built-in search finds stories, people and quotes, and its results lead there."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .pages import PHONE_WIDTH

pytestmark = pytest.mark.browser


def result_paths(results) -> list[str]:
    return [urlsplit(href).path for href in results.evaluate_all("links => links.map(a => a.href)")]


@pytest.mark.parametrize("query", ["subpoenas", "Tenth Amendment"])
def test_search_finds_the_story(browsing, query: str) -> None:
    page, results = browsing.search(query)
    paths = result_paths(results)
    assert "/stories/denver-ice-subpoenas/" in paths, f"{query!r} found {paths}"
    results.nth(paths.index("/stories/denver-ice-subpoenas/")).click()
    page.wait_for_url("**/stories/denver-ice-subpoenas/**")
    assert "Denver" in page.locator("article h1").first.inner_text()
    assert not browsing.record.problems()


@pytest.mark.parametrize("query", ["Ryan Luby", "Luby"])
def test_search_finds_a_person(browsing, query: str) -> None:
    page, results = browsing.search(query)
    paths = result_paths(results)
    assert "/actors/ryan-luby/" in paths, f"{query!r} found {paths}"
    results.nth(paths.index("/actors/ryan-luby/")).click()
    page.wait_for_url("**/actors/ryan-luby/**")
    assert "Luby" in page.locator("article h1").first.inner_text()
    assert not browsing.record.problems()


def test_search_finds_a_quote(browsing) -> None:
    quote_pages = {
        "/actors/chad-sublet/",
        "/events/magistrate-rules-for-ice/",
        "/stories/denver-ice-subpoenas/",
    }
    page, results = browsing.search("duplicative")
    paths = result_paths(results)
    assert paths and paths[0] in quote_pages, f"'duplicative' found {paths}"
    results.first.click()
    page.wait_for_url(f"**{paths[0]}**")
    quote = page.locator("blockquote", has_text="unnecessary and duplicative")
    assert quote.count() >= 1, f"{page.url} does not show Chad Sublet's quote"
    assert not browsing.record.problems()


def test_search_works_on_a_phone(browsing) -> None:
    _page, results = browsing.search("Luby", width=PHONE_WIDTH, height=844)
    assert "/actors/ryan-luby/" in result_paths(results)
    assert not browsing.record.problems()


def test_results_for_people_show_their_role(browsing) -> None:
    _page, results = browsing.search("Ryan Luby")
    paths = result_paths(results)
    result = results.nth(paths.index("/actors/ryan-luby/"))
    assert "public information officer" in result.inner_text()
