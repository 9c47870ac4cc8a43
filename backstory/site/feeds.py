"""Atom feeds of the site: one of its stories and one of its corrections, built from the facts.

Pure like the render stage: the same graph gives the same bytes. Every date comes from the facts
(midnight UTC), never from the clock, and XML is built with ElementTree so that text from a fact
always arrives as text.

Entry ids are tag URIs (RFC 4151) made of the site's host, the date the fact was first published and
the fact's path: ``tag:news.example.org,2024-03-05:/river/stories/river-bridge``. Why: a feed reader
keys entries by id, so an id must not change when a story is updated; the id names the story and its
first publication, as Atom's authors recommend. Without a ``site_url`` the host is ``localhost``:
such a feed is good for previews, not for publishing.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..facts.graph import Graph
from ..facts.markup import plain_text
from ..facts.models import Correction, QuoteCorrection, Story
from .outputs import Output, OutputJob
from .urls import SiteOptions
from .wording import ENGLISH, N_, Wording, prose_name

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
STORIES_FEED = "feed.xml"
CORRECTIONS_FEED = "corrections.xml"
EMPTY_SITE_DATE = dt.date(2000, 1, 1)
"""The ``updated`` date of a site without stories (the same fallback as the build's timestamp)."""

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters that XML 1.0 cannot carry at all, not even escaped."""


@dataclass(frozen=True)
class _Entry:
    """One feed entry before it becomes XML."""

    id: str
    title: str
    summary: str
    link: str
    published: dt.date
    updated: dt.date
    categories: tuple[str, ...] = ()


def feed_jobs(options: SiteOptions, wording: Wording = ENGLISH) -> list[OutputJob]:
    """A job for each Atom feed, in the words of the site's (or the edition's) language."""
    return [
        OutputJob(STORIES_FEED, functools.partial(stories_feed, options=options, wording=wording)),
        OutputJob(
            CORRECTIONS_FEED,
            functools.partial(corrections_feed, options=options, wording=wording),
        ),
    ]


def render_feeds(graph: Graph, options: SiteOptions) -> dict[str, Output]:
    """The Atom feeds of the site's stories and corrections, by path in the docs folder."""
    return {
        STORIES_FEED: stories_feed(graph, options),
        CORRECTIONS_FEED: corrections_feed(graph, options),
    }


def stories_feed(graph: Graph, options: SiteOptions, wording: Wording = ENGLISH) -> str:
    """The Atom feed of the site's stories, newest first."""
    entries = sorted(
        (_story_entry(graph, options, i, s, wording) for i, s in graph.stories.items()),
        key=_newest_first,
    )
    return _feed_xml(
        options, STORIES_FEED, options.name, options.description, entries, _newest_story(graph)
    )


def corrections_feed(graph: Graph, options: SiteOptions, wording: Wording = ENGLISH) -> str:
    """The Atom feed of every correction to the site's stories, newest first."""
    return _feed_xml(
        options,
        CORRECTIONS_FEED,
        wording.gettext(N_("%(site)s: corrections")) % {"site": options.name},
        wording.gettext(N_("Every correction to %(site)s's stories, newest first."))
        % {"site": options.name},
        sorted(_correction_entries(graph, options, wording), key=_newest_first),
        _newest_story(graph),
    )


def _newest_story(graph: Graph) -> dt.date:
    """When the site last changed: its newest story's update (a feed's ``updated``)."""
    return max((s.updated or s.published for s in graph.stories.values()), default=EMPTY_SITE_DATE)


def tag_uri(options: SiteOptions, minted: dt.date, path: str) -> str:
    """A tag URI for something at ``path`` under the site, first published on ``minted``."""
    parts = urlsplit(options.site_url or "")
    authority = (parts.hostname or "localhost").lower()
    base = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"tag:{authority},{minted.isoformat()}:{base}{path}"


def rfc3339(date: dt.date) -> str:
    """A date from the facts as an Atom timestamp: midnight UTC."""
    return f"{date.isoformat()}T00:00:00Z"


def _newest_first(entry: _Entry) -> tuple[int, str]:
    return (-entry.updated.toordinal(), entry.id)


def _story_entry(
    graph: Graph, options: SiteOptions, story_id: str, story: Story, wording: Wording
) -> _Entry:
    return _Entry(
        id=tag_uri(options, story.published, f"stories/{story_id}"),
        title=story.title,
        summary=plain_text(story.summary, lambda fact_id: prose_name(graph, fact_id, wording)),
        link=options.address.fact_url(graph, story_id) or "",
        published=story.published,
        updated=story.updated or story.published,
        categories=tuple(story.topics),
    )


def _correction_entries(graph: Graph, options: SiteOptions, wording: Wording) -> Iterable[_Entry]:
    """An entry per correction of a story or of a quote."""
    for story_id, story in graph.stories.items():
        story_url = options.address.fact_url(graph, story_id) or ""
        yield from _numbered_corrections(
            options,
            f"stories/{story_id}",
            story.corrections,
            wording.gettext(N_("Correction: %(title)s")) % {"title": story.title},
            story_url + "#corrections",
            graph,
        )
    for quote_id, quote in graph.quotes.items():
        speaker = graph.actors[quote.speaker].name
        yield from _numbered_corrections(
            options,
            f"quotes/{quote_id}",
            quote.corrections,
            wording.gettext(N_("Correction to a quote by %(name)s")) % {"name": speaker},
            options.address.fact_url(graph, quote_id) or "",
            graph,
        )


def _numbered_corrections(
    options: SiteOptions,
    path: str,
    corrections: Sequence[Correction | QuoteCorrection],
    title: str,
    link: str,
    graph: Graph,
) -> Iterable[_Entry]:
    count_on: dict[dt.date, int] = {}
    for correction in corrections:
        # Numbered within its fact and date, in the order of the file: adding a correction on
        # another day never renumbers the ones already published.
        number = count_on[correction.date] = count_on.get(correction.date, 0) + 1
        yield _Entry(
            id=tag_uri(
                options,
                correction.date,
                f"{path}/corrections/{correction.date.isoformat()}/{number}",
            ),
            title=title,
            summary=plain_text(correction.text, lambda fact_id: prose_name(graph, fact_id)),
            link=link,
            published=correction.date,
            updated=correction.date,
        )


def _feed_xml(
    options: SiteOptions,
    feed_path: str,
    title: str,
    subtitle: str,
    entries: list[_Entry],
    fallback_updated: dt.date,
) -> str:
    address = options.address
    feed = ET.Element("feed", {"xmlns": ATOM_NAMESPACE, "xml:lang": options.language})
    _add(feed, "title", title)
    if subtitle:
        _add(feed, "subtitle", subtitle)
    # The feed's own URL names it for good; without a site URL there is none to give.
    if options.site_url:
        _add(feed, "id", address.url(feed_path))
    else:
        _add(feed, "id", tag_uri(options, EMPTY_SITE_DATE, feed_path))
    _add(feed, "updated", rfc3339(max((e.updated for e in entries), default=fallback_updated)))
    _link(feed, "self", "application/atom+xml", address.url(feed_path))
    _link(feed, "alternate", "text/html", address.url(""))
    author = ET.SubElement(feed, "author")
    _add(author, "name", options.name)
    _add(feed, "generator", "Backstory")
    for entry in entries:
        element = ET.SubElement(feed, "entry")
        _add(element, "id", entry.id)
        _add(element, "title", entry.title, type="text")
        _link(element, "alternate", "text/html", entry.link)
        _add(element, "published", rfc3339(entry.published))
        _add(element, "updated", rfc3339(entry.updated))
        for term in entry.categories:
            ET.SubElement(element, "category", {"term": _clean(term)})
        _add(element, "summary", entry.summary, type="text")
    ET.indent(feed, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _add(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = _clean(text)
    return element


def _link(parent: ET.Element, rel: str, media_type: str, href: str) -> None:
    ET.SubElement(parent, "link", {"rel": rel, "type": media_type, "href": _clean(href)})


def _clean(text: str) -> str:
    """Text without the characters XML cannot carry; ElementTree escapes the rest."""
    return _NOT_XML.sub("", text)
