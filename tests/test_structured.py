"""Structured data and link previews: schema.org JSON-LD read back with extruct, Open Graph and
Twitter tags read with BeautifulSoup, and fact text that tries to leave the script element."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import extruct
import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from backstory.build.pipeline import build, check_content
from backstory.project import Project
from backstory.site.jsonld import script_safe_json
from backstory.site.pages import render_pages
from backstory.site.templates import make_environment
from backstory.site.urls import SiteOptions

from .conftest import REPO, SMALL_SITE

SITE_URL = "https://news.example.org/river/"
STORY = "stories/river-bridge/index.html"
HOSTILE = "</script><script>alert(1)</script>"


def html_of(root: Path, path: str) -> str:
    return (root / "site" / path).read_text(encoding="utf-8")


def soup_of(root: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup(html_of(root, path), "html.parser")


def jsonld_of(root: Path, path: str) -> list[dict[str, Any]]:
    """The JSON-LD items of a built page, as a structured-data consumer reads them."""
    data = extruct.extract(
        html_of(root, path), base_url=SITE_URL, syntaxes=["json-ld"], uniform=True
    )
    return data["json-ld"]


def walk(value: Any) -> list[dict[str, Any]]:
    """Every JSON object inside a value, the value first."""
    found = []
    if isinstance(value, dict):
        found.append(value)
        for item in value.values():
            found += walk(item)
    elif isinstance(value, list):
        for item in value:
            found += walk(item)
    return found


def head_tags(soup: BeautifulSoup) -> dict[str, list[str]]:
    """The content of each ``<meta property|name>`` of the page, by property or name."""
    tags: dict[str, list[str]] = {}
    for meta in soup.find_all("meta"):
        key = meta.get("property") or meta.get("name")
        if key and meta.get("content") is not None:
            tags.setdefault(key, []).append(meta["content"])
    return tags


@pytest.fixture(scope="module")
def built_small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture site (it has a site_url), built once for this module."""
    root = tmp_path_factory.mktemp("structured") / "small-site"
    shutil.copytree(SMALL_SITE, root, ignore=shutil.ignore_patterns(".backstory", "site"))
    build(Project.open(root))
    return root


# -- the escaping -----------------------------------------------------------------------------


@given(st.text())
def test_script_safe_json_round_trips_and_never_closes_a_script(text: str) -> None:
    safe = script_safe_json({"text": text, "list": [text]})
    assert json.loads(safe) == {"text": text, "list": [text]}
    for unsafe in ("<", ">", "&", "\u2028", "\u2029"):
        assert unsafe not in safe


def test_script_safe_json_is_deterministic_and_keeps_unicode() -> None:
    safe = script_safe_json({"b": "Ana López & <b>", "a": 1})
    assert safe == '{"a":1,"b":"Ana López \\u0026 \\u003cb\\u003e"}'


# -- the small site ---------------------------------------------------------------------------


def test_story_is_a_background_news_article(built_small_site: Path) -> None:
    items = jsonld_of(built_small_site, STORY)
    assert len(items) == 1
    article = items[0]
    assert article["@context"] == "https://schema.org"
    assert article["@type"] == "BackgroundNewsArticle"
    assert article["headline"] == "Why River Town closed its bridge"
    assert article["description"] == (
        "River Town Council voted to close the 1931 bridge after an inspection. "
        "Not everyone agrees it was needed."
    )
    assert article["datePublished"] == "2024-03-05"
    assert article["dateModified"] == "2024-03-06"
    assert article["keywords"] == ["infrastructure"]
    assert article["publisher"]["name"] == "Small Test Site"


def test_story_names_its_actors_and_sources(built_small_site: Path) -> None:
    article = jsonld_of(built_small_site, STORY)[0]
    # The summary names the council: the story is about it, and mentions the others.
    assert [(a["@type"], a["name"]) for a in article["about"]] == [
        ("Organization", "River Town Council")
    ]
    mentions = {m["name"]: m for m in article["mentions"]}
    assert set(mentions) == {"Ana López", "Ben Okafor"}
    lopez = mentions["Ana López"]
    assert lopez["@type"] == "Person"
    assert lopez["jobTitle"] == "mayor"
    assert lopez["affiliation"]["@type"] == "Organization"
    assert lopez["affiliation"]["name"] == "River Town Council"
    assert mentions["Ben Okafor"]["jobTitle"] == "bridge engineer <b>senior</b>"
    cited = {c["name"]: c for c in article["citation"]}
    assert set(cited) == {
        "Minutes of the March council meeting",
        "Council votes to close the old bridge",
    }
    gazette = cited["Council votes to close the old bridge"]
    assert gazette == {
        "@type": "CreativeWork",
        "name": "Council votes to close the old bridge",
        "publisher": {"@type": "Organization", "name": "River Gazette"},
        "url": "https://example.org/gazette/bridge",
        "datePublished": "2024-03-05",
    }


def test_story_quotes_are_quotations_with_creator_and_date(built_small_site: Path) -> None:
    article = jsonld_of(built_small_site, STORY)[0]
    quotations = {q["text"]: q for q in article["hasPart"]}
    assert all(q["@type"] == "Quotation" for q in quotations.values())
    safety = quotations["The bridge is not safe, and we will not wait for it to fall."]
    assert safety["creator"]["@type"] == "Person"
    assert safety["creator"]["name"] == "Ana López"
    assert safety["dateCreated"] == "2024-03-04"
    assert safety["citation"]["name"] == "Council votes to close the old bridge"
    # Text from a fact is data, kept as typed: the markup in it is text, not structure.
    cosmetic = quotations[
        "The cracks are <em>cosmetic</em>; the bridge can carry traffic for years."
    ]
    assert cosmetic["creator"]["name"] == "Ben Okafor"
    assert cosmetic["dateCreated"] == "2024-03-05"


def test_story_corrections_are_correction_comments(built_small_site: Path) -> None:
    article = jsonld_of(built_small_site, STORY)[0]
    assert article["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "An earlier version gave the wrong year for the bridge's opening.",
            "datePublished": "2024-03-06",
        }
    ]


def test_actor_pages_carry_their_person_or_organization(built_small_site: Path) -> None:
    [lopez] = jsonld_of(built_small_site, "actors/ana-lopez/index.html")
    assert lopez["@type"] == "Person"
    assert lopez["name"] == "Ana López"
    assert lopez["jobTitle"] == "mayor"
    assert lopez["alternateName"] == ["Ana Lopez"]
    assert lopez["affiliation"]["name"] == "River Town Council"
    [council] = jsonld_of(built_small_site, "actors/river-council/index.html")
    assert council["@type"] == "Organization"
    assert council["alternateName"] == ["the council"]
    assert council["description"] == "The elected council of River Town."
    assert "jobTitle" not in council


def test_other_pages_have_no_structured_data(built_small_site: Path) -> None:
    for path in ("index.html", "events/council-vote/index.html", "about/index.html"):
        assert jsonld_of(built_small_site, path) == [], path


def test_structured_data_uses_absolute_urls_when_site_url_is_known(small_site: Path) -> None:
    project = Project.open(small_site)
    graph = check_content(project).graph
    assert graph is not None
    options = SiteOptions.from_config(project.config)
    assert options.site_url == SITE_URL
    pages = render_pages(graph, options, make_environment(None))
    story = front_matter_jsonld(pages["stories/river-bridge.md"])
    assert story["url"] == SITE_URL + "stories/river-bridge/"
    assert story["mainEntityOfPage"] == story["url"]
    assert story["publisher"]["url"] == SITE_URL
    assert story["about"][0]["url"] == SITE_URL + "actors/river-council/"
    quotation = next(q for q in story["hasPart"] if q["creator"]["name"] == "Ana López")
    assert quotation["url"] == SITE_URL + "actors/ana-lopez/#quote-lopez-safety"
    assert quotation["creator"]["affiliation"]["url"] == SITE_URL + "actors/river-council/"
    lopez = front_matter_jsonld(pages["actors/ana-lopez.md"])
    assert lopez["url"] == SITE_URL + "actors/ana-lopez/"
    # Without a site_url nothing is guessed: no URL of the site appears at all.
    bare = render_pages(graph, SiteOptions(name="Small Test Site"), make_environment(None))
    for path in ("stories/river-bridge.md", "actors/ana-lopez.md"):
        urls = [o.get("url", "") for o in walk(front_matter_jsonld(bare[path]))]
        assert not [u for u in urls if "news.example.org" in u], path


def test_built_story_carries_its_absolute_url(built_small_site: Path) -> None:
    article = jsonld_of(built_small_site, STORY)[0]
    assert article["url"] == SITE_URL + "stories/river-bridge/"


def front_matter_jsonld(markdown: str) -> dict[str, Any]:
    front = yaml.safe_load(markdown.split("---\n")[1])
    return json.loads(front["backstory"]["jsonld"])


# -- link previews ----------------------------------------------------------------------------


def test_story_page_has_open_graph_and_twitter_tags(built_small_site: Path) -> None:
    soup = soup_of(built_small_site, STORY)
    tags = head_tags(soup)
    title = "Why River Town closed its bridge"
    description = tags["description"][0]
    assert description.startswith("River Town Council voted to close the 1931 bridge")
    expected = {
        "og:type": ["article"],
        "og:title": [title],
        "og:description": [description],
        "og:site_name": ["Small Test Site"],
        "og:url": [SITE_URL + "stories/river-bridge/"],
        "og:locale": ["en"],
        "article:published_time": ["2024-03-05"],
        "article:modified_time": ["2024-03-06"],
        "twitter:card": ["summary"],
        "twitter:title": [title],
        "twitter:description": [description],
    }
    assert {key: tags.get(key) for key in expected} == expected
    # What the stock theme prints already is not repeated.
    assert len(tags["description"]) == 1
    assert [link["href"] for link in soup.find_all("link", rel="canonical")] == [
        SITE_URL + "stories/river-bridge/"
    ]


def test_actor_pages_are_profiles_or_websites(built_small_site: Path) -> None:
    okafor = head_tags(soup_of(built_small_site, "actors/ben-okafor/index.html"))
    assert okafor["og:type"] == ["profile"]
    assert okafor["og:title"] == ["Ben Okafor"]
    # The description is escaped once by render and not again: a parser reads back the text.
    assert okafor["og:description"] == ["bridge engineer <b>senior</b>"]
    assert okafor["twitter:description"] == ["bridge engineer <b>senior</b>"]
    assert okafor["og:url"] == [SITE_URL + "actors/ben-okafor/"]
    assert "article:published_time" not in okafor
    council = head_tags(soup_of(built_small_site, "actors/river-council/index.html"))
    assert council["og:type"] == ["website"]
    assert council["og:title"] == ["River Town Council"]


def test_every_page_has_a_preview(built_small_site: Path) -> None:
    for path in (
        "index.html",
        "about/index.html",
        "timeline/index.html",
        "events/council-vote/index.html",
    ):
        tags = head_tags(soup_of(built_small_site, path))
        assert tags["og:type"] == ["website"], path
        assert tags["og:site_name"] == ["Small Test Site"], path
        assert tags["twitter:card"] == ["summary"], path
        assert len(tags["og:title"]) == 1 and tags["og:title"][0], path
    home = head_tags(soup_of(built_small_site, "index.html"))
    assert home["og:title"] == ["Small Test Site"]
    assert home["og:description"] == ["A fixture for Backstory's tests."]


# -- text that tries to leave the script element ----------------------------------------------


def test_fact_text_cannot_break_out_of_the_script(small_site: Path, built_small_site: Path) -> None:
    story_file = small_site / "content/stories/river-bridge.yml"
    story = yaml.safe_load(story_file.read_text(encoding="utf-8"))
    story["title"] = f"Bridge {HOSTILE} & <!-- closed"
    story_file.write_text(yaml.safe_dump(story, allow_unicode=True), encoding="utf-8")
    quote_file = small_site / "content/quotes/lopez-safety.yml"
    quote = yaml.safe_load(quote_file.read_text(encoding="utf-8"))
    quote["text"] = f"Not safe {HOSTILE}\u2028 at all"
    quote_file.write_text(yaml.safe_dump(quote, allow_unicode=True), encoding="utf-8")
    actor_file = small_site / "content/actors/ana-lopez.yml"
    actor = yaml.safe_load(actor_file.read_text(encoding="utf-8"))
    actor["role"] = f"mayor {HOSTILE}"
    actor_file.write_text(yaml.safe_dump(actor, allow_unicode=True), encoding="utf-8")
    build(Project.open(small_site))

    for path in (STORY, "actors/ana-lopez/index.html"):
        soup = soup_of(small_site, path)
        scripts = soup.find_all("script")
        # The same scripts as the unmodified page (the theme's and one JSON-LD block): the text
        # made no script of its own, and no script ends early.
        expected = soup_of(built_small_site, path).find_all("script")
        assert [(s.get("type"), s.get("src")) for s in scripts] == [
            (s.get("type"), s.get("src")) for s in expected
        ]
        [block] = soup.find_all("script", type="application/ld+json")
        data = json.loads(block.string)
        texts = [value for obj in walk(data) for value in obj.values() if isinstance(value, str)]
        if path == STORY:
            assert data["headline"] == f"Bridge {HOSTILE} & <!-- closed"
            assert f"Not safe {HOSTILE}\u2028 at all" in texts
            heading = "".join(soup.find("h1").find_all(string=True, recursive=False))
            assert heading == f"Bridge {HOSTILE} & <!-- closed"
            assert head_tags(soup)["og:title"] == [f"Bridge {HOSTILE} & <!-- closed"]
        assert f"mayor {HOSTILE}" in texts
        for script in scripts:
            if script.get("src") is None and script.get("type") != "application/ld+json":
                assert "alert" not in (script.string or ""), path


# -- the real site ----------------------------------------------------------------------------


def test_real_story_carries_every_quote(real_site: Path) -> None:
    story_facts = yaml.safe_load((REPO / "content/stories/denver-ice-subpoenas.yml").read_text())
    [article] = jsonld_of(real_site, "stories/denver-ice-subpoenas/index.html")
    assert article["@type"] == "BackgroundNewsArticle"
    assert article["headline"] == story_facts["title"]
    assert article["datePublished"] == str(story_facts["published"])
    assert article["dateModified"] == str(story_facts.get("updated") or story_facts["published"])
    quotations = {" ".join(q["text"].split()): q for q in article["hasPart"]}
    for quote_file in sorted((REPO / "content/quotes").glob("*.yml")):
        quote = yaml.safe_load(quote_file.read_text())
        found = quotations[" ".join(quote["text"].split())]
        assert found["@type"] == "Quotation"
        assert found["dateCreated"] == str(quote["date"])
        assert found["creator"]["@type"] in ("Person", "Organization")
    people = [m for m in article.get("about", []) + article["mentions"] if m["@type"] == "Person"]
    assert people and all(p["name"] for p in people)
    assert {m["@type"] for m in article.get("about", []) + article["mentions"]} == {
        "Person",
        "Organization",
    }
    assert article["citation"] and all(c["@type"] == "CreativeWork" for c in article["citation"])


def test_real_actor_pages_carry_their_type(real_site: Path) -> None:
    for actor_file in sorted((REPO / "content/actors").glob("*.yml")):
        actor = yaml.safe_load(actor_file.read_text())
        page = f"actors/{actor_file.stem}/index.html"
        if not (real_site / "site" / page).is_file():
            continue  # an actor that no visible story names has no page
        [entity] = jsonld_of(real_site, page)
        assert entity["@type"] == ("Person" if actor["type"] == "person" else "Organization")
        assert entity["name"] == actor["name"]
        tags = head_tags(soup_of(real_site, page))
        assert tags["og:type"] == ["profile" if actor["type"] == "person" else "website"]
