"""The bilingual fixture built with the engine, checked with a parser over the whole site: the
``hreflang`` alternates are reciprocal and absolute, the visible link between editions, the
sitemap, the structured data, feeds, data and 404 page of each edition, the Spanish navigation;
the build writes nothing into the sources, and a failure in either edition keeps the last good
site whole."""

from __future__ import annotations

import gzip
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from backstory.build.pipeline import build
from backstory.errors import BackstoryError, BuildError
from backstory.project import Project

from .conftest import BuiltSite, tree_snapshot

pytestmark = pytest.mark.slow

SITE_URL = "https://news.example.org/river/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
WITHOUT_COUNTERPART = {
    "about/",  # a hand-written page with no Spanish version
    "stories/ferry-service/",
    "actors/carla-diaz/",
    "events/ferry-suspended/",
    "topics/transport/",
}
"""English pages that have no Spanish one."""


@pytest.fixture(scope="module")
def site(built_bilingual_site: BuiltSite) -> Path:
    return built_bilingual_site.root / "site"


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, BeautifulSoup]:
    """Every page of both editions by its address below the site's, parsed; 404s left out."""
    found = {}
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative.startswith(("assets/", "es/assets/")) or relative.endswith("404.html"):
            continue
        location = relative.removesuffix("index.html")
        found[location] = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    assert "es/stories/river-bridge/" in found and "stories/river-bridge/" in found
    return found


def location_of(url: str) -> str:
    """A public URL of the site as the location of its page below the site's address."""
    assert url.startswith(SITE_URL), f"{url} is not an absolute URL of the site"
    return url.removeprefix(SITE_URL)


def file_of(site: Path, url: str) -> Path:
    location = location_of(url)
    return (
        site / location / "index.html"
        if location.endswith("/") or not location
        else site / location
    )


def alternates(page: BeautifulSoup) -> dict[str, str]:
    links = [link for link in page.find_all("link", hreflang=True) if "alternate" in link["rel"]]
    found = {link["hreflang"]: link["href"] for link in links}
    assert len(found) == len(links), "an hreflang is given twice"
    return found


def language_of(page: BeautifulSoup) -> str:
    return page.find("html")["lang"]


def jsonld(page: BeautifulSoup) -> dict[str, Any]:
    (script,) = page.find_all("script", type="application/ld+json")
    return json.loads(script.string)


# --- hreflang and the visible link -------------------------------------------------------------


def test_hreflang_alternates_are_absolute_and_reciprocal(
    site: Path, pages: dict[str, BeautifulSoup]
) -> None:
    spanish = [location for location in pages if location.startswith("es/")]
    linked = 0
    for location, page in pages.items():
        found = alternates(page)
        if not found:
            continue
        linked += 1
        here = SITE_URL + location
        assert set(found) == {"en", "es", "x-default"}, location
        assert found[language_of(page)] == here, f"{location} does not list itself"
        assert page.find("link", rel="canonical")["href"] == here
        assert found["x-default"] == found["en"], location  # the main edition
        for language, url in found.items():
            target = file_of(site, url)
            assert target.is_file(), f"{location}: hreflang {language} leads to no page: {url}"
            other = pages[location_of(url)]
            assert language_of(other) == ("en" if language == "x-default" else language)
            assert alternates(other) == found, f"{url} does not link back to {here}"
    # Every Spanish page and its English counterpart, and no other.
    assert linked == 2 * len(spanish) and len(spanish) >= 15


def test_a_page_without_a_counterpart_links_to_no_other_edition(
    pages: dict[str, BeautifulSoup],
) -> None:
    alone = {location for location, page in pages.items() if not alternates(page)}
    assert alone == WITHOUT_COUNTERPART
    for location in alone:
        assert not pages[location].select(".bs-edition-switch"), location
        assert not pages[location].select("a[hreflang]"), location


def test_pages_in_both_editions_link_to_each_other_at_the_top(
    pages: dict[str, BeautifulSoup],
) -> None:
    for location, page in pages.items():
        found = alternates(page)
        if not found:
            continue
        other = "en" if language_of(page) == "es" else "es"
        (switch,) = page.select("article .bs-edition-switch")
        (link,) = switch.find_all("a")
        assert link["hreflang"] == other and link["lang"] == other, location
        assert link.get_text() == ("Read in English" if other == "en" else "Leer en español")
        assert urljoin(SITE_URL + location, link["href"]) == found[other], location
        # At the top: before the page's heading.
        heading = page.select_one("article h1")
        assert heading is not None, location
        assert switch in heading.find_all_previous("p"), f"{location}: the link is not at the top"


# --- sitemap, structured data, feeds, data, 404 ------------------------------------------------


def test_the_sitemap_lists_both_editions(site: Path, pages: dict[str, BeautifulSoup]) -> None:
    text = (site / "sitemap.xml").read_bytes()
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == text
    listed = [loc.text for loc in ET.fromstring(text).iter(f"{SITEMAP}loc")]
    assert len(listed) == len(set(listed)), "a page is listed twice"
    for url in listed:
        assert file_of(site, url).is_file(), url
    assert {location_of(url) for url in listed} == set(pages)
    assert SITE_URL + "es/stories/river-bridge/" in listed
    assert SITE_URL + "stories/ferry-service/" in listed
    assert SITE_URL + "es/stories/ferry-service/" not in listed


def test_structured_data_links_a_story_to_its_translation(pages: dict[str, BeautifulSoup]) -> None:
    spanish = jsonld(pages["es/stories/river-bridge/"])
    english = jsonld(pages["stories/river-bridge/"])
    assert spanish["inLanguage"] == "es" and english["inLanguage"] == "en"
    assert spanish["headline"] == "Por qué River Town cerró su puente"
    assert spanish["url"] == SITE_URL + "es/stories/river-bridge/"
    assert spanish["translationOfWork"]["@id"] == SITE_URL + "stories/river-bridge/"
    assert "workTranslation" not in spanish
    assert {"@id": SITE_URL + "es/stories/river-bridge/", "inLanguage": "es"} in english[
        "workTranslation"
    ]
    assert "translationOfWork" not in english
    alone = jsonld(pages["stories/ferry-service/"])
    assert "workTranslation" not in alone and "translationOfWork" not in alone
    # The Spanish quote keeps its language and its published English translation.
    (said_in_spanish,) = [q for q in english["hasPart"] if q.get("inLanguage") == "es"]
    assert said_in_spanish["text"] == "Ahora cruzo el río en una hora, no en cinco minutos."


def test_each_edition_has_its_feeds_and_data(site: Path) -> None:
    def entries(path: Path) -> list[str]:
        feed = ET.parse(path).getroot()
        return [entry.findtext(f"{ATOM}title") or "" for entry in feed.iter(f"{ATOM}entry")]

    assert entries(site / "es/feed.xml") == ["Por qué River Town cerró su puente"]
    assert sorted(entries(site / "feed.xml")) == [
        "When the River Town ferry will run again",
        "Why River Town closed its bridge",
    ]
    spanish_feed = ET.parse(site / "es/feed.xml").getroot()
    assert spanish_feed.findtext(f"{ATOM}title") == "River Desk en español"
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert spanish_feed.get(xml_lang) == "es"
    assert ET.parse(site / "feed.xml").getroot().get(xml_lang) == "en"
    corrections = ET.parse(site / "es/corrections.xml").getroot()
    assert corrections.get(xml_lang) == "es"
    assert corrections.findtext(f"{ATOM}title") == "River Desk en español: correcciones"
    assert entries(site / "es/corrections.xml") == [
        "Corrección: Por qué River Town cerró su puente"
    ]
    assert entries(site / "corrections.xml") == ["Correction: Why River Town closed its bridge"]
    index = json.loads((site / "es/api/index.json").read_text(encoding="utf-8"))
    assert [story["id"] for story in index["stories"]] == ["river-bridge"]
    story = json.loads((site / "es/api/stories/river-bridge.json").read_text(encoding="utf-8"))
    assert story["title"] == "Por qué River Town cerró su puente"
    # Every address the data of either edition gives exists in the built site.
    for path in [*(site / "api").rglob("*.json"), *(site / "es/api").rglob("*.json")]:
        for url in _urls(json.loads(path.read_text(encoding="utf-8"))):
            if url.startswith(SITE_URL):
                assert file_of(site, url.split("#")[0]).is_file(), f"{path}: {url}"


def _urls(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.startswith("https://") else []
    if isinstance(value, dict):
        return [url for item in value.values() for url in _urls(item)]
    if isinstance(value, list):
        return [url for item in value for url in _urls(item)]
    return []


@pytest.mark.parametrize(
    ("path", "first", "other"),
    [("es/404.html", "es", "en"), ("404.html", "en", "es")],
)
def test_the_404_page_greets_readers_of_both_languages(
    site: Path, path: str, first: str, other: str
) -> None:
    words = {
        "en": ("Page not found", "Go to the home page", "/river/"),
        "es": ("Página no encontrada", "Ir a la portada", "/river/es/"),
    }
    home = {"en": "Home: the newest stories", "es": "Inicio: las historias más recientes"}
    page = BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")
    assert language_of(page) == first
    assert page.title.get_text().startswith(words[first][0])
    article = page.select_one("article")
    assert article.find("h1").get_text() == words[first][0]
    assert article.find("a", string=home[first])["href"].removesuffix(".") == words[first][2]
    (greeting,) = article.select(f'div[lang="{other}"]')
    assert greeting.find("h2").get_text() == words[other][0]
    home = greeting.find("a", string=words[other][1])
    assert home["href"] == words[other][2] and home["hreflang"] == other


# --- the Spanish interface and navigation -------------------------------------------------------


def test_spanish_pages_have_the_engines_interface_and_a_nav_of_spanish_pages(
    site: Path, pages: dict[str, BeautifulSoup]
) -> None:
    for location, page in pages.items():
        spanish = location.startswith("es/")
        assert language_of(page) == ("es" if spanish else "en"), location
        links = [
            a["href"]
            for a in page.select("nav.md-nav--primary a.md-nav__link[href]")
            if not a["href"].startswith("#")
        ]
        assert links, location
        for href in links:
            target = urljoin(SITE_URL + location, href)
            assert file_of(site, target).is_file(), f"{location}: nav link {href}"
            assert location_of(target).startswith("es/") == spanish, f"{location}: {href}"
    home = pages["es/"]
    titles = [a.get_text(" ", strip=True) for a in home.select("nav.md-nav--primary > ul > li > a")]
    assert titles == ["Inicio", "Todas las historias", "Cronología", "Fuentes"]
    assert home.select_one("[data-bs-search] .bs-search-open__label").get_text() == "Búsqueda"
    assert home.select_one("[data-bs-search]")["data-kind-label"] == "Tipo"
    assert home.find("title").get_text() == "River Desk en español"
    assert pages[""].find("title").get_text() == "River Desk"
    # One search bundle, with an index per language (the browser tests search each).
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert sorted(entry["languages"]) == ["en", "es"]
    assert not (site / "es" / "pagefind").exists()
    assert not (site / "es/search/search_index.json").exists()


ENGLISH_WORDS = frozenset(
    {"the", "and", "of", "by", "with", "from", "to", "for", "is", "was"}
    | {"see", "read", "made", "page", "pages", "link", "website", "more"}
)
"""Words of English that no Spanish text of the fixture uses: a sign of English left unmarked."""


def _unmarked_english(page: BeautifulSoup) -> list[str]:
    """The texts and titles of a Spanish page that read as English but are not marked so."""
    found = []
    for text in page.body.find_all(string=True):
        if text.parent.name in ("script", "style") or not text.strip():
            continue
        if text.find_parent(class_="md-nav--secondary"):
            # The theme's table of contents repeats headings as plain text, without their
            # marks: a source's title (cited as published) is the one English heading there.
            continue
        marked = text.find_parent(attrs={"lang": True})
        if marked is not None and marked["lang"] != "es":
            continue
        if set(re.findall(r"[a-z']+", text.lower())) & ENGLISH_WORDS:
            found.append(" ".join(text.split()))
    for element in page.body.find_all(attrs={"title": True}):
        if element.find_parent(class_="bs-cite"):
            continue  # a citation's tooltip: the source's title, cited as published
        marked = element if element.has_attr("lang") else element.find_parent(attrs={"lang": True})
        if marked is not None and marked["lang"] != "es":
            continue
        if set(re.findall(r"[a-z']+", element["title"].lower())) & ENGLISH_WORDS:
            found.append(f'title="{element["title"]}"')
    return found


def test_spanish_pages_show_english_only_where_marked(pages: dict[str, BeautifulSoup]) -> None:
    leaks = {
        location: sorted(set(_unmarked_english(page)))
        for location, page in pages.items()
        if location.startswith("es/")
    }
    assert {location: found for location, found in leaks.items() if found} == {}
    # The check can tell: English in a Spanish page is found unless it is marked.
    sample = '<html lang="es"><body><p>Lea la página</p><p>Read the page</p>'
    sample += '<p lang="en">Read the original</p></body></html>'
    assert _unmarked_english(BeautifulSoup(sample, "html.parser")) == ["Read the page"]


def test_untranslatable_text_is_marked_english(pages: dict[str, BeautifulSoup]) -> None:
    # A link's title and a topic's name have no translation in the content model: a Spanish
    # page shows them as written, marked as English.
    council = pages["es/actors/river-council/"].select_one("article")
    link = council.find(string="Council website")
    assert link is not None
    assert _language_at(link) == "en", "a link's title is shown unmarked on a Spanish page"
    story = pages["es/stories/river-bridge/"].select_one("article")
    shown = [
        text
        for text in story.find_all(string="infrastructure")  # as the story writes it
        if text.find_parent(class_="bs-search-marks") is None  # hidden marks for the search
    ]
    topic = shown[0] if shown else None
    assert topic is not None
    assert _language_at(topic) == "en", "a topic's name is shown unmarked on a Spanish page"


def _language_at(node: Any) -> str:
    """The language an element or a text is marked with (its own ``lang`` or its nearest)."""
    if getattr(node, "has_attr", None) and node.has_attr("lang"):
        return str(node["lang"])
    marked = node.find_parent(attrs={"lang": True})
    return str(marked["lang"]) if marked is not None else ""


def test_untranslated_text_is_marked_english_in_the_built_page(
    pages: dict[str, BeautifulSoup],
) -> None:
    page = pages["es/stories/river-bridge/"]
    article = page.select_one("article")
    unknown = article.find(string=lambda s: s and "How much a new bridge would cost." in s)
    assert unknown is not None and unknown.find_parent(attrs={"lang": True})["lang"] == "en"
    notice = article.select_one(".bs-untranslated-notice")
    assert notice is not None and notice.get_text().startswith("Parte de esta página")
    translated = article.find(string=lambda s: s and "El concejo vuelve a reunirse" in s)
    marked = translated.find_parent(attrs={"lang": True})
    assert marked is None or marked.name == "html"


# --- the sources, and atomicity -----------------------------------------------------------------


def test_a_build_writes_nothing_under_content_or_translations(
    built_bilingual_site: BuiltSite,
) -> None:
    for name, before in built_bilingual_site.sources_before.items():
        assert tree_snapshot(built_bilingual_site.root / name) == before, name


def _break_the_spanish_edition(root: Path) -> None:
    page = root / "translations/es/pages/about.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("# Acerca de\n\n[Un enlace roto](ninguna-parte.md)\n", encoding="utf-8")


def _break_the_english_edition(root: Path) -> None:
    (root / "content/pages/about.md").write_text("# About\n\n[broken](nowhere.md)\n")


@pytest.mark.parametrize(
    ("breaks", "named"),
    [(_break_the_spanish_edition, "ninguna-parte.md"), (_break_the_english_edition, "nowhere.md")],
    ids=["spanish", "english"],
)
def test_a_failed_edition_leaves_the_last_good_site_whole(
    bilingual_site: Path, breaks: Any, named: str
) -> None:
    project = Project.open(bilingual_site)
    build(project)
    before = tree_snapshot(bilingual_site / "site")
    assert "es/stories/river-bridge/index.html" in before
    breaks(bilingual_site)
    with pytest.raises(BackstoryError, match=named.replace(".", r"\.")):
        build(project)
    assert tree_snapshot(bilingual_site / "site") == before


def test_an_engine_failure_in_the_spanish_edition_keeps_the_last_good_site(
    bilingual_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backstory.build.engine import publish

    project = Project.open(bilingual_site)
    build(project)
    before = tree_snapshot(bilingual_site / "site")
    real = publish.build_into
    built: list[str] = []

    def failing(config_file: Path, out_dir: Path, **options: Any) -> None:
        edition = options.get("edition")
        if edition is not None and edition.language == "es":
            raise BuildError("the site engine refused the pages:\n  injected failure")
        real(config_file, out_dir, **options)
        built.append(out_dir.name)

    monkeypatch.setattr(publish, "build_into", failing)
    with pytest.raises(BuildError, match="injected failure"):
        build(project)
    assert built == ["site-staging"]  # the English edition was built, then the Spanish failed
    assert tree_snapshot(bilingual_site / "site") == before
    monkeypatch.undo()
    build(project)  # and the next good build goes through
    assert (bilingual_site / "site/es/stories/river-bridge/index.html").is_file()
