"""The Spanish edition in a browser, as a reader uses it: its search finds Spanish words by their
stem, shows only the edition's own pages and leads to them; and its pages ask the server only
for files the site has."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from ..conftest import BuiltSite
from .conftest import LOCAL_HOST
from .test_search import found, paths

pytestmark = pytest.mark.browser

SITE_URL = "https://news.example.org/river/"
"""The fixture's site_url: its pages' absolute addresses (hreflang, canonical) point there."""


def spanish_text(built: BuiltSite) -> str:
    site = built.root / "site" / "es"
    return "\n".join(
        path.read_text(encoding="utf-8").lower()
        for path in site.rglob("*.html")
        if "assets" not in path.relative_to(site).parts
    )


def problems(browsing: Any) -> list[str]:
    """What the page did wrong: failed requests, requests to another host, console errors."""
    return list(browsing.record.problems())


def search(browsing: Any, query: str, start: str) -> tuple[Any, Any]:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        return browsing.search(query, start)
    except PlaywrightTimeout:
        pytest.fail(f"searching {query!r} from {start} shows no result", pytrace=False)


def test_a_spanish_search_finds_another_form_of_the_word(
    bilingual_browsing: Any, built_bilingual_site: BuiltSite
) -> None:
    # The Spanish pages say "inspecciones" and never "inspección": neither is the start of the
    # other, so only Spanish stemming matches them.
    text = spanish_text(built_bilingual_site)
    assert "inspecciones" in text and "inspección" not in text
    page, results = search(bilingual_browsing, "inspección", "/es/")
    shown = paths(results)
    assert "/es/events/bridge-inspection/" in shown, f"'inspección' found {shown}"
    assert all(path.startswith("/es/") for path in shown), shown
    results.nth(shown.index("/es/events/bridge-inspection/")).click()
    page.wait_for_url("**/es/events/bridge-inspection/**")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("article h1").first.inner_text().startswith("Ingenieros revisan")
    assert "Dos inspecciones encontraron grietas" in page.locator("article").inner_text()
    assert not problems(bilingual_browsing)


def test_a_spanish_search_finds_a_plural_by_its_singular_and_back(
    bilingual_browsing: Any,
) -> None:
    # "puente" is on the pages, "puentes" is not: a reader who types the plural finds them too.
    _page, results = search(bilingual_browsing, "puentes", "/es/")
    assert "/es/stories/river-bridge/" in paths(results)


@pytest.mark.parametrize(("start", "spanish"), [("/es/", True), ("/", False)])
def test_each_edition_searches_only_its_own_pages(
    bilingual_browsing: Any, start: str, spanish: bool
) -> None:
    # Ben Okafor is on pages of both editions.
    page, results = search(bilingual_browsing, "Okafor", start)
    shown = paths(results)
    assert ("/es/actors/ben-okafor/" if spanish else "/actors/ben-okafor/") in shown, shown
    assert [path for path in shown if path.startswith("/es/") != spanish] == [], shown
    first = shown[0]
    results.first.click()
    page.wait_for_url(f"**{first}**")
    assert page.locator("html").get_attribute("lang") == ("es" if spanish else "en")
    assert "Okafor" in page.locator("article").inner_text()
    assert not problems(bilingual_browsing)


def test_the_spanish_search_speaks_spanish(bilingual_browsing: Any) -> None:
    page, results = search(bilingual_browsing, "puente", "/es/")
    button = page.locator("[data-bs-search]")
    assert "Búsqueda" in button.inner_text()
    kinds = {kind for kind, _path in found(results)}
    assert kinds and kinds <= {
        "Explicativo",
        "Persona",
        "Organización",
        "Evento",
        "Cita",
        "Tema",
    }, kinds
    menu = page.locator("pagefind-filter-dropdown[filter=kind]")
    assert menu.get_attribute("label") == "Tipo"
    summary = page.locator("pagefind-summary").inner_text()
    assert "resultados" in summary and "results" not in summary and "puente" in summary, summary
    assert not problems(bilingual_browsing)


def test_a_spanish_page_requests_only_files_the_site_has(
    bilingual_browsing: Any, built_bilingual_site: BuiltSite
) -> None:
    site = built_bilingual_site.root / "site"
    page = bilingual_browsing.open("/es/stories/river-bridge/")
    page.wait_for_load_state("networkidle")
    missing = []
    for url in bilingual_browsing.record.requests:
        parts = urlsplit(url)
        if parts.hostname == LOCAL_HOST:
            location = parts.path.lstrip("/")
        elif url.startswith(SITE_URL):  # the site's own public address
            location = url.removeprefix(SITE_URL).split("?")[0].split("#")[0]
        else:
            missing.append(f"{url} (another host)")
            continue
        target: Path = site / location
        if location.endswith("/") or not location:
            target = target / "index.html"
        if not target.is_file():
            missing.append(url)
    assert missing == []
