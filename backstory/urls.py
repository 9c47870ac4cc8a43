"""Where the built site shows each fact: the public URL of a page, relative or absolute."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .resolve import Graph

PAGE_FOLDER = {"actors": "actors", "events": "events", "stories": "stories"}
"""The collections whose facts have a page of their own, and the docs folder of each."""


def page_path(collection: str, fact_id: str) -> str:
    """The generated Markdown file of a fact's page, relative to the docs folder."""
    return f"{PAGE_FOLDER[collection]}/{fact_id}.md"


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
        """Where MkDocs publishes a Markdown page of the docs folder, relative to the site root."""
        stem = markdown_path.removesuffix(".md")
        if not self.directory_urls:
            return stem + ".html"
        if stem == "index":
            return ""
        return stem.removesuffix("/index") + "/"

    def fact_location(self, graph: Graph, fact_id: str) -> str | None:
        """Where the site shows a fact, relative to the site root; None for a fact not on it.

        Quotes are shown on their speaker's page (``#quote-<id>``) and sources in the site's
        source list (``#source-<id>``), the element ids that the package's templates give them.
        """
        collection = graph.collection_of(fact_id)
        if collection in PAGE_FOLDER:
            return self.page_location(page_path(collection, fact_id))
        if collection == "quotes":
            speaker = graph.quotes[fact_id].speaker
            return self.page_location(page_path("actors", speaker)) + f"#quote-{fact_id}"
        if collection == "sources":
            return self.page_location(graph.source_listing[fact_id]) + f"#source-{fact_id}"
        return None

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

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> SiteOptions:
        """The options that an ``mkdocs.yml`` mapping (``Project.config``) gives."""
        address = SiteAddress.from_config(config)
        return cls(
            name=str(config.get("site_name") or "Backstory"),
            description=str(config.get("site_description") or ""),
            site_url=address.site_url,
            directory_urls=address.directory_urls,
        )

    @property
    def address(self) -> SiteAddress:
        return SiteAddress(self.site_url, self.directory_urls)
