"""The Atom feeds: valid for a real feed parser, newest first, stable ids, dates and text from the facts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest

from backstory.build.pipeline import check_content
from backstory.facts.graph import Graph
from backstory.project import Project
from backstory.site.feeds import render_feeds
from backstory.site.urls import SiteOptions

from .conftest import graph_with

HOSTILE_TITLE = "Tolls & fares: <script>alert('x')</script> & more"

EXTRA_STORIES = {
    # Published first but updated last: it must lead the feed, which sorts by updated.
    "tolls.yml": f"""\
title: "{HOSTILE_TITLE}"
summary: "What [[river-council]] said about tolls & <b>fares</b> [@council-minutes]."
published: 2024-01-10
updated: 2024-03-10
corrections:
  - date: 2024-01-12
    text: The first toll was in 1990, not 1991.
  - date: 2024-03-07
    text: "A fare & a <i>toll</i> are not the same."
  - date: 2024-03-07
    text: A second fix on the same day.
""",
    "ferry.yml": """\
title: The ferry returns
summary: A ferry runs while the bridge is closed.
published: 2024-02-01
""",
}


def site_graph(root: Path) -> Graph:
    return graph_with(root, {f"stories/{n}": text for n, text in EXTRA_STORIES.items()})


@pytest.fixture
def graph(small_site: Path) -> Graph:
    return site_graph(small_site)


@pytest.fixture
def options(small_site: Path) -> SiteOptions:
    return SiteOptions.from_config(Project.open(small_site).config)


def parse(text: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(text)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_both_feeds_are_valid_atom(graph: Graph, options: SiteOptions) -> None:
    feeds = render_feeds(graph, options)
    assert sorted(feeds) == ["corrections.xml", "feed.xml"]
    for text in feeds.values():
        parse(text)
        assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n')


def test_story_entries_newest_first_with_links_and_dates_from_the_facts(
    graph: Graph, options: SiteOptions
) -> None:
    feed = parse(render_feeds(graph, options)["feed.xml"])
    assert [e.link for e in feed.entries] == [
        "https://news.example.org/river/stories/tolls/",
        "https://news.example.org/river/stories/river-bridge/",
        "https://news.example.org/river/stories/ferry/",
    ]
    tolls, bridge, ferry = feed.entries
    assert (tolls.published, tolls.updated) == ("2024-01-10T00:00:00Z", "2024-03-10T00:00:00Z")
    assert (bridge.published, bridge.updated) == ("2024-03-05T00:00:00Z", "2024-03-06T00:00:00Z")
    # A story without an update was last updated when it was published.
    assert (ferry.published, ferry.updated) == ("2024-02-01T00:00:00Z", "2024-02-01T00:00:00Z")
    assert feed.feed.updated == "2024-03-10T00:00:00Z"
    assert feed.feed.title == "Small Test Site"
    assert bridge.title == "Why River Town closed its bridge"
    assert bridge.summary == (
        "River Town Council voted to close the 1931 bridge after an inspection. "
        "Not everyone agrees it was needed."
    )
    assert [tag.term for tag in bridge.tags] == ["infrastructure"]


def test_drafts_are_not_in_the_feed(graph: Graph, options: SiteOptions) -> None:
    feed = parse(render_feeds(graph, options)["feed.xml"])
    assert "draft-story" not in render_feeds(graph, options)["feed.xml"]
    assert len(feed.entries) == 3


def test_text_from_the_facts_arrives_as_text(graph: Graph, options: SiteOptions) -> None:
    text = render_feeds(graph, options)["feed.xml"]
    tolls = parse(text).entries[0]
    assert tolls.title == HOSTILE_TITLE
    assert tolls.title_detail.type == "text/plain"
    assert tolls.summary == "What River Town Council said about tolls & <b>fares</b>."
    # No element was smuggled in: the markup is character data of <title> and <summary>.
    root = ET.fromstring(text.encode("utf-8"))
    names = {element.tag.split("}")[-1] for element in root.iter()}
    assert not names & {"script", "b", "i"}
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_control_characters_are_dropped(small_site: Path, options: SiteOptions) -> None:
    (small_site / "content" / "stories" / "tabs.yml").write_text(
        'title: "Vertical\\vtab and \\x01 bell"\nsummary: Fine.\npublished: 2024-05-01\n',
        encoding="utf-8",
    )
    graph = check_content(Project.open(small_site)).graph
    assert graph is not None
    feed = parse(render_feeds(graph, options)["feed.xml"])
    assert feed.entries[0].title == "Verticaltab and  bell"


def test_ids_are_stable_unique_and_made_from_the_story(
    small_site: Path, options: SiteOptions
) -> None:
    first = render_feeds(site_graph(small_site), options)
    second = render_feeds(site_graph(small_site), options)
    assert first == second
    ids = [e.id for e in parse(first["feed.xml"]).entries]
    assert ids == [
        "tag:news.example.org,2024-01-10:/river/stories/tolls",
        "tag:news.example.org,2024-03-05:/river/stories/river-bridge",
        "tag:news.example.org,2024-02-01:/river/stories/ferry",
    ]
    assert parse(first["feed.xml"]).feed.id == "https://news.example.org/river/feed.xml"

    # An update to a story keeps its id, so readers show it as the same entry.
    story = small_site / "content" / "stories" / "river-bridge.yml"
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("updated: 2024-03-06", "updated: 2024-04-01"), encoding="utf-8")
    graph = check_content(Project.open(small_site)).graph
    assert graph is not None
    updated = parse(render_feeds(graph, options)["feed.xml"])
    assert updated.entries[0].id == "tag:news.example.org,2024-03-05:/river/stories/river-bridge"
    assert updated.entries[0].updated == "2024-04-01T00:00:00Z"


def test_corrections_feed(graph: Graph, options: SiteOptions) -> None:
    feed = parse(render_feeds(graph, options)["corrections.xml"])
    assert [(e.updated[:10], e.summary) for e in feed.entries] == [
        ("2024-03-07", "A fare & a <i>toll</i> are not the same."),
        ("2024-03-07", "A second fix on the same day."),
        ("2024-03-06", "An earlier version gave the wrong year for the bridge's opening."),
        ("2024-01-12", "The first toll was in 1990, not 1991."),
    ]
    assert [e.id for e in feed.entries] == [
        "tag:news.example.org,2024-03-07:/river/stories/tolls/corrections/2024-03-07/1",
        "tag:news.example.org,2024-03-07:/river/stories/tolls/corrections/2024-03-07/2",
        "tag:news.example.org,2024-03-06:/river/stories/river-bridge/corrections/2024-03-06/1",
        "tag:news.example.org,2024-01-12:/river/stories/tolls/corrections/2024-01-12/1",
    ]
    assert (
        feed.entries[2].link == "https://news.example.org/river/stories/river-bridge/#corrections"
    )
    assert feed.entries[0].title == f"Correction: {HOSTILE_TITLE}"
    assert feed.entries[0].published == "2024-03-07T00:00:00Z"
    assert feed.feed.updated == "2024-03-07T00:00:00Z"
    assert feed.feed.id == "https://news.example.org/river/corrections.xml"


def test_without_a_site_url_links_are_relative(graph: Graph) -> None:
    feeds = render_feeds(graph, SiteOptions(name="Preview"))
    feed = parse(feeds["feed.xml"])
    assert [e.link for e in feed.entries] == [
        "stories/tolls/",
        "stories/river-bridge/",
        "stories/ferry/",
    ]
    assert feed.entries[1].id == "tag:localhost,2024-03-05:/stories/river-bridge"
    corrections = parse(feeds["corrections.xml"])
    assert corrections.entries[0].link == "stories/tolls/#corrections"


def test_without_directory_urls_links_name_html_files(graph: Graph) -> None:
    options = SiteOptions(site_url="https://example.org", directory_urls=False)
    feed = parse(render_feeds(graph, options)["feed.xml"])
    assert feed.entries[0].link == "https://example.org/stories/tolls.html"


def test_a_site_without_stories_still_has_valid_feeds(make_site: Callable[..., Path]) -> None:
    root = make_site({"content/actors/someone.yml": "name: Someone\ntype: person\n"})
    graph = check_content(Project.open(root)).graph
    assert graph is not None
    for text in render_feeds(graph, SiteOptions()).values():
        feed = parse(text)
        assert feed.entries == []
        assert feed.feed.updated == "2000-01-01T00:00:00Z"
