"""The fact graph: every visible fact and the indexes derived from them, frozen once built.

Built by the resolve stage (``resolve.py``) and read, never changed, by every stage after it:
its mappings are read-only views and its lists are tuples.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from .collections import NAMES
from .dates import PartialDateKey
from .models import Actor, Event, Quote, Source, Story
from .validate import ValidFact

Ids = tuple[str, ...]


def source_sort_key(source: Source, source_id: str) -> tuple[int, int, str, str, str]:
    """The order of source lists: newest first, then by publisher and title; undated last."""
    if source.date is None:
        return (1, 0, source.publisher.casefold(), source.title.casefold(), source_id)
    return (
        0,
        -source.date.toordinal(),
        source.publisher.casefold(),
        source.title.casefold(),
        source_id,
    )


@dataclass(frozen=True)
class Topic:
    """A topic named by stories: the name as first written, its page's slug, its stories
    (newest first)."""

    name: str
    slug: str
    story_ids: Ids


@dataclass(frozen=True)
class Graph:
    """All facts of a site joined together. ``facts`` and ``titles`` hold every valid fact; the
    collections and indexes hold only what appears on the site (drafts and what only they use
    are left out unless drafts are asked for)."""

    facts: Mapping[str, ValidFact]
    titles: Mapping[str, str]
    """The name or title each fact is shown by."""
    actors: Mapping[str, Actor]
    sources: Mapping[str, Source]
    events: Mapping[str, Event]
    quotes: Mapping[str, Quote]
    stories: Mapping[str, Story]
    story_events: Mapping[str, Ids]
    """The events of each story, in date order."""
    story_quotes: Mapping[str, Ids]
    """The quotes of each story, by date."""
    story_actors: Mapping[str, Ids]
    """The actors of each story (its events' actors, its quotes' speakers, the actors it links),
    by name."""
    story_sources: Mapping[str, Ids]
    """The sources each story relies on: those cited by the story, its events and its quotes
    (by field or by ``[@id]`` anywhere in their text), by id. The one definition that pages,
    the API and the structured data share."""
    story_topics: Mapping[str, Ids]
    """The slugs of each story's topics, in the story's order."""
    topics: Mapping[str, Topic]
    """Every topic of the visible stories by slug, sorted by slug."""
    quote_stories: Mapping[str, Ids]
    event_quotes: Mapping[str, Ids]
    actor_quotes: Mapping[str, Ids]
    actor_events: Mapping[str, Ids]
    actor_stories: Mapping[str, Ids]
    actor_members: Mapping[str, Ids]
    disputed_by: Mapping[str, Ids]
    source_citers: Mapping[str, Ids]
    """For each source, the ids of the facts that cite it (by field or by ``[@id]``)."""
    cited_sources: Mapping[str, Ids]
    """For each fact that cites sources, their ids: source_citers the other way round."""
    source_pages: Mapping[str, Ids]
    """For each cited source, the stories that rely on it (``story_sources`` the other way
    round), by title, then the actors whose own profile cites it, by name."""
    event_periods: Mapping[str, Ids]
    """When the site has more events than one timeline page shows: the events of each period
    (``2024``, or ``2024-03`` within a long year) in date order, periods oldest first. Empty
    otherwise."""
    story_periods: Mapping[str, Ids]
    """When the site has more stories than one archive page shows: the stories of each period of
    first publication, newest first, periods newest first. Empty otherwise."""
    source_periods: Mapping[str, Ids]
    """When the site has more sources than one page shows: the sources of each period, newest
    first then by publisher and title (``source_sort_key``), periods newest first, then
    ``undated``. Empty otherwise."""
    source_period: Mapping[str, str]
    """For each source of a split source list, its period."""

    def title_of(self, fact_id: str) -> str:
        """The name or title a fact is shown by."""
        return self.titles[fact_id]

    def collection_of(self, fact_id: str) -> str | None:
        """The collection of a visible fact, or None when it is unknown or not on the site."""
        for collection in NAMES:
            if fact_id in getattr(self, collection):
                return collection
        return None

    def event_date(self, event_id: str) -> PartialDateKey:
        return PartialDateKey.parse(self.events[event_id].date)

    def event_order(self, event_id: str) -> tuple[tuple[int, int, int], str, str]:
        """Sort key of date order: a month or a year before the days it contains, then title."""
        return (self.event_date(event_id).sort_key, self.events[event_id].title, event_id)

    def source_order(self, source_id: str) -> tuple[int, int, str, str, str]:
        """Sort key of the source lists (see ``source_sort_key``)."""
        return source_sort_key(self.sources[source_id], source_id)

    def stories_newest_published(self) -> list[str]:
        """Every story by first publication, newest first."""
        return sorted(self.stories, key=lambda s: (self.stories[s].published, s), reverse=True)


MAPPINGS: tuple[str, ...] = tuple(f.name for f in fields(Graph))
"""The graph's mappings, by attribute name: the facts by collection and every derived index."""
