"""The reader's search (Pagefind, in the header of every page): it finds stories, people, events
and quotes, says what each result is, filters by kind and topic, folds accents, leaves the
newsroom's pages out, works from the keyboard and on a phone, and downloads nothing of itself
before a reader opens it."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .pages import ACTOR, EVENT, PHONE_WIDTH, STORY

pytestmark = pytest.mark.browser

QUOTE = "/actors/ryan-luby/#quote-luby-honored-three-requests"


def found(results) -> list[tuple[str, str]]:
    """(kind, path with its #anchor) of each result link, in order."""
    items = results.evaluate_all(
        "links => links.map(a => [a.querySelector('.bs-result-kind')?.textContent ?? '', a.href])"
    )
    out = []
    for kind, href in items:
        parts = urlsplit(href)
        out.append(
            (kind.rstrip(": "), parts.path + (f"#{parts.fragment}" if parts.fragment else ""))
        )
    return out


def paths(results) -> list[str]:
    return [path for _kind, path in found(results)]


@pytest.mark.parametrize("query", ["subpoenas", "Tenth Amendment"])
def test_search_finds_the_story(browsing, query: str) -> None:
    page, results = browsing.search(query)
    assert ("Explainer", STORY) in found(results), f"{query!r} found {found(results)}"
    results.nth(paths(results).index(STORY)).click()
    page.wait_for_url(f"**{STORY}")
    assert "Denver" in page.locator("article h1").first.inner_text()
    assert not browsing.record.problems()


@pytest.mark.parametrize("query", ["Ryan Luby", "Luby"])
def test_search_finds_a_person_labelled_as_one(browsing, query: str) -> None:
    page, results = browsing.search(query)
    assert found(results)[0] == ("Person", "/actors/ryan-luby/"), found(results)
    results.first.click()
    page.wait_for_url("**/actors/ryan-luby/")
    assert "Luby" in page.locator("article h1").first.inner_text()
    assert not browsing.record.problems()


def test_a_quote_is_a_result_of_its_own_that_opens_at_the_quote(browsing) -> None:
    page, results = browsing.search("honored three of those requests")
    assert found(results)[0] == ("Quote", QUOTE), found(results)
    assert "Ryan S. Luby" in results.first.inner_text()
    results.first.click()
    page.wait_for_url(f"**{QUOTE}")
    quote = page.locator("#quote-luby-honored-three-requests")
    browsing.expect(quote).to_be_in_viewport()
    assert "we honored three of those requests" in quote.inner_text()
    assert not browsing.record.problems()


def test_results_say_what_kind_of_thing_they_are(browsing) -> None:
    page, results = browsing.search("subpoena")
    results.nth(4).wait_for()
    assert all(kind for kind, _path in found(results)), "every result carries its kind"
    options = page.locator("pagefind-filter-dropdown[filter=kind] .pf-dropdown-option")
    kinds = set(options.evaluate_all("options => options.map(o => o.dataset.value)"))
    assert {"Explainer", "Person", "Organization", "Event", "Quote"} <= kinds, kinds


def test_the_newsroom_pages_are_left_out(browsing) -> None:
    for query in ("honored", "Luby"):
        _page, results = browsing.search(query)
        assert "/editors-guide/" not in paths(results), f"{query!r} found {paths(results)}"


@pytest.mark.parametrize("query", ["Gomez", "Gómez", "GÓMEZ"])
def test_an_accent_typed_or_not_finds_the_name(browsing, query: str) -> None:
    _page, results = browsing.search(query)
    assert ("Person", "/actors/fran-gomez/") in found(results)[:3], found(results)


@pytest.mark.parametrize("query", ["Alvarez", "alvarez", "Álvarez", "Jose Alvarez"])
def test_a_name_written_with_an_accent_is_found_without_it(small_browsing, query: str) -> None:
    _page, results = small_browsing.search(query)
    assert found(results)[0] == ("Person", "/actors/jose-alvarez/"), found(results)
    assert "José Álvarez" in results.first.inner_text()


def test_html_typed_into_a_fact_is_shown_as_text_in_results(small_browsing) -> None:
    page, results = small_browsing.search("cosmetic")
    assert "<em>cosmetic</em>" in results.first.inner_text()
    assert page.locator("pagefind-results em").count() == 0
    assert not small_browsing.record.problems()


def choose(page, filter_name: str, value: str) -> None:
    """Pick a value in one of the search's filter menus, as a mouse user would."""
    dropdown = page.locator(f"pagefind-filter-dropdown[filter={filter_name}]")
    dropdown.locator("button.pf-dropdown-trigger").click()
    dropdown.locator(f".pf-dropdown-option[data-value='{value}']").click()
    page.locator("pagefind-input input").click()  # closes the menu (Escape closes the search)


def test_the_kind_filter_keeps_only_that_kind(browsing) -> None:
    page, results = browsing.search("subpoena")
    choose(page, "kind", "Quote")
    browsing.expect(page.locator("pagefind-summary")).to_contain_text("subpoena")
    page.wait_for_function(
        """() => [...document.querySelectorAll('pagefind-results a.pf-result-link')]
                 .every(a => a.querySelector('.bs-result-kind')?.textContent.startsWith('Quote'))"""
    )
    assert found(results) and {kind for kind, _ in found(results)} == {"Quote"}


def test_the_topic_filter_lists_topics_as_written(browsing) -> None:
    page, _results = browsing.search("subpoena")
    values = page.locator("pagefind-filter-dropdown[filter=topic] .pf-dropdown-option")
    names = values.evaluate_all("options => options.map(o => o.dataset.value)")
    assert "Sanctuary cities" in names and "sanctuary-cities" not in names, names
    choose(page, "topic", "Sanctuary cities")
    assert STORY in paths(page.locator("pagefind-results a.pf-result-link"))


def test_nothing_of_the_search_is_downloaded_before_it_is_opened(browsing) -> None:
    for path in ("/", STORY, ACTOR, EVENT):
        page = browsing.open(path)
        page.wait_for_load_state("networkidle")
        page.mouse.wheel(0, 2000)
        page.wait_for_timeout(300)
    fetched = [url for url in browsing.record.requests if "/pagefind/" in url]
    assert fetched == []
    assert any(url.endswith("/assets/backstory.js") for url in browsing.record.requests)


def test_the_search_works_from_the_keyboard(browsing) -> None:
    page = browsing.open(STORY)
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('[data-bs-search]')"):
            break
    else:
        pytest.fail("Tab never reached the search button in the header")
    button = page.locator("[data-bs-search]")
    assert button.get_attribute("aria-haspopup") == "dialog"
    assert "Search" in button.inner_text()
    page.keyboard.press("Enter")
    field = page.locator("pagefind-input input")
    browsing.expect(field).to_be_focused()
    assert page.locator("dialog[open], [role=dialog]").first.is_visible()
    field.press_sequentially("Luby", delay=20)
    page.locator("pagefind-results a.pf-result-link").first.wait_for()
    page.keyboard.press("Escape")
    browsing.expect(field).not_to_be_visible()
    browsing.expect(button).to_be_focused()
    page.keyboard.press("/")
    browsing.expect(field).to_be_focused()
    field.press_sequentially("honored three", delay=20)
    page.locator("pagefind-results a.pf-result-link").first.wait_for()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('pf-result-link')")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{QUOTE}")
    assert not browsing.record.problems()


def test_search_works_on_a_phone(browsing) -> None:
    page, results = browsing.search("Luby", width=PHONE_WIDTH, height=844)
    assert "/actors/ryan-luby/" in paths(results)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH
    assert not browsing.record.problems()


def test_search_is_in_the_header_of_the_404_page(browsing) -> None:
    page = browsing.new_page()
    response = page.goto(browsing.base_url + "/no/such/page/")
    assert response is not None and response.status == 404
    page.locator("[data-bs-search]").click()
    field = page.locator("pagefind-input input")
    browsing.expect(field).to_be_focused()
    field.press_sequentially("Luby", delay=20)
    results = page.locator("pagefind-results a.pf-result-link")
    results.first.wait_for()
    assert "/actors/ryan-luby/" in paths(results)
