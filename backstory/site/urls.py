"""Where the site shows each thing: the one definition of every generated page's path in the docs
folder, of where a fact is shown (a page, or an anchor on one), and of public URLs.

Pages link with paths relative to themselves, the feeds, the API and the structured data with
absolute URLs; both are made here from the same locations, so they can never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..facts.collections import BY_NAME
from ..facts.graph import Graph
from ..project import site_language

HOME_PAGE = "index.md"
TIMELINE_PAGE = "timeline.md"
ARCHIVE_PAGE = "archive.md"
SOURCES_PAGE = "sources.md"
CORRECTIONS_PAGE = "corrections.md"
TOPICS_PAGE = "topics/index.md"
LIST_PAGES = (HOME_PAGE, TIMELINE_PAGE, SOURCES_PAGE, CORRECTIONS_PAGE, ARCHIVE_PAGE)
"""Generated pages at the top of the docs folder."""
PERIOD_FOLDERS = {"timeline": TIMELINE_PAGE, "archive": ARCHIVE_PAGE, "sources": SOURCES_PAGE}
"""Folders of the pages a long site-wide list is split into (one per year or month), and the
list's first page."""
PAGE_FOLDERS = tuple(c.name for c in BY_NAME.values() if c.has_page)
"""The folders of the facts that have a page of their own, named as their collection."""


def page_path(collection: str, fact_id: str) -> str:
    """The generated Markdown file of a fact's page, relative to the docs folder."""
    assert BY_NAME[collection].has_page, collection
    return f"{collection}/{fact_id}.md"


def period_page(folder: str, period: str) -> str:
    """The page of one period of a split site-wide list: ``timeline/2024.md``."""
    assert folder in PERIOD_FOLDERS, folder
    return f"{folder}/{period}.md"


def topic_page(slug: str) -> str:
    """The page of a topic."""
    return f"topics/{slug}.md"


def source_listing(graph: Graph, source_id: str) -> str:
    """The page of the site's source list that shows a source: ``sources.md``, or its period's
    page when the list is split."""
    period = graph.source_period.get(source_id)
    return period_page("sources", period) if period is not None else SOURCES_PAGE


def fact_target(graph: Graph, fact_id: str) -> tuple[str, str] | None:
    """Where the site shows a fact: (page in the docs folder, anchor or ""); None for a fact
    that is not on the site.

    Quotes are shown on their speaker's page (``#quote-<id>``), or on their story's page when the
    speaker is anonymous (an anonymous source has no page); sources in the site's source list
    (``#source-<id>``); figures and claims on their first story's page (``#figure-<id>``,
    ``#claim-<id>``): the element ids that the package's templates give them.
    """
    collection = graph.collection_of(fact_id)
    if collection is None:
        return None
    if collection == "actors" and graph.actors[fact_id].anonymous:
        return None
    if BY_NAME[collection].has_page:
        return page_path(collection, fact_id), ""
    if collection == "quotes":
        speaker = graph.quotes[fact_id].speaker
        if not graph.actors[speaker].anonymous:
            return page_path("actors", speaker), f"quote-{fact_id}"
        return page_path("stories", graph.quote_stories[fact_id][0]), f"quote-{fact_id}"
    if collection == "sources":
        return source_listing(graph, fact_id), f"source-{fact_id}"
    stories = {"figures": graph.figure_stories, "claims": graph.claim_stories}[collection]
    return page_path("stories", stories[fact_id][0]), f"{BY_NAME[collection].kind}-{fact_id}"


@dataclass(frozen=True)
class SiteAddress:
    """Where the built site lives: ``mkdocs.yml``'s ``site_url`` and ``use_directory_urls``.

    Without a ``site_url`` every URL is relative to the site's root (``stories/<id>/``).
    """

    site_url: str | None = None
    directory_urls: bool = True

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> SiteAddress:
        """The address that an ``mkdocs.yml`` mapping (``Project.config``) gives."""
        site_url = config.get("site_url")
        return cls(
            site_url=str(site_url) if site_url else None,
            directory_urls=bool(config.get("use_directory_urls", True)),
        )

    def url(self, location: str) -> str:
        """A location relative to the site's root (``stories/x/``) as a public URL."""
        if not self.site_url:
            return location or "./"
        return self.site_url.rstrip("/") + "/" + location

    def page_location(self, markdown_path: str) -> str:
        """Where the engine publishes a Markdown page of the docs folder, relative to the site
        root."""
        stem = markdown_path.removesuffix(".md")
        if not self.directory_urls:
            return stem + ".html"
        if stem == "index":
            return ""
        return stem.removesuffix("/index") + "/"

    def fact_location(self, graph: Graph, fact_id: str) -> str | None:
        """Where the site shows a fact, relative to the site root; None for a fact not on it."""
        target = fact_target(graph, fact_id)
        if target is None:
            return None
        page, anchor = target
        return self.page_location(page) + (f"#{anchor}" if anchor else "")

    def fact_url(self, graph: Graph, fact_id: str) -> str | None:
        """The public URL of a fact on the site; None for a fact not on it."""
        location = self.fact_location(graph, fact_id)
        return None if location is None else self.url(location)


@dataclass(frozen=True)
class SiteOptions:
    """What pages, feeds and the export know about the site beyond its facts: its name and
    where it lives (from ``mkdocs.yml``)."""

    name: str = "Backstory"
    description: str = ""
    site_url: str | None = None
    """The site's public address (``mkdocs.yml``'s ``site_url``); None leaves URLs out of the
    structured data."""
    directory_urls: bool = True
    language: str = "en"
    """The site's language (``theme.language``): text in another is marked with its own, and
    the reader's search indexes the pages by it."""
    translates: str | None = None
    """In an edition in another language, the language of the original it translates."""
    counterparts: Mapping[str, Mapping[str, str]] = field(
        default_factory=dict, compare=False, hash=False
    )
    """Story id to the public URL of its page in each other edition that has it, by language
    (only with a ``site_url``): the structured data links translations to their original."""

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> SiteOptions:
        """The options that an ``mkdocs.yml`` mapping (``Project.config``) gives."""
        address = SiteAddress.from_config(config)
        return cls(
            name=str(config.get("site_name") or "Backstory"),
            description=str(config.get("site_description") or ""),
            site_url=address.site_url,
            directory_urls=address.directory_urls,
            language=site_language(config),
        )

    @property
    def address(self) -> SiteAddress:
        return SiteAddress(self.site_url, self.directory_urls)
