"""The fact graph: every visible fact and the indexes derived from them, frozen once built.

Built by the resolve stage (``resolve.py``) and read, never changed, by every stage after it:
its mappings are read-only views and its lists are tuples.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from .collections import NAMES
from .dates import PartialDateKey
from .models import Actor, Claim, Event, Figure, Quote, Source, Story
from .moments import Moment
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
    settings: Mapping[str, str]
    """What the site says that facts depend on: ``timezone``, that of times given without one,
    and ``language``, the language of the edition the graph is of."""
    translations: Mapping[str, Mapping[str, Any]]
    """In an edition in another language, the translations shown beside an original: a
    quote's translated words and translator, a source's translated title. Empty otherwise."""
    titles: Mapping[str, str]
    """The name or title each fact is shown by (a figure's label, a claim's text)."""
    actors: Mapping[str, Actor]
    sources: Mapping[str, Source]
    events: Mapping[str, Event]
    quotes: Mapping[str, Quote]
    stories: Mapping[str, Story]
    figures: Mapping[str, Figure]
    claims: Mapping[str, Claim]
    story_events: Mapping[str, Ids]
    """The events of each story, in the order they happened (see ``moments.py``)."""
    story_quotes: Mapping[str, Ids]
    """The quotes of each story, in the order they were said."""
    story_figures: Mapping[str, Ids]
    story_claims: Mapping[str, Ids]
    figure_stories: Mapping[str, Ids]
    claim_stories: Mapping[str, Ids]
    figure_latest: Mapping[str, str]
    """For each figure, the latest figure of its chain of revisions (itself if none revises it)."""
    figure_history: Mapping[str, Ids]
    """For each latest figure of a chain, the earlier figures it replaced, newest first."""
    story_figure_groups: Mapping[str, tuple[Ids, ...]]
    """For each story, its chains of figures (by their latest figure) grouped by label: a group
    of two or more chains is figures from different authorities that differ."""
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
    replied_by: Mapping[str, Ids]
    """For each quote, the quotes that respond to it."""
    actor_claims: Mapping[str, Ids]
    """For each actor, the claims that its quotes assert or dispute."""
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

    @property
    def language(self) -> str:
        """The language of the edition this graph is of."""
        return self.settings["language"]

    @property
    def timezone(self) -> str:
        """The site's time zone: that of times given without one."""
        return self.settings["timezone"]

    def event_order(self, event_id: str) -> tuple[tuple[float, int], str, str]:
        """Sort key of the order events happened in (see ``moments.py``), then title and id."""
        event = self.events[event_id]
        moment = Moment(event.date, event.time, event.timezone)
        return (moment.sort_key(self.timezone), event.title, event_id)

    def moment(self, fact_id: str) -> Moment:
        """When an event, a quote or a figure happened, as its fact gives it."""
        model = self.events.get(fact_id) or self.quotes.get(fact_id) or self.figures[fact_id]
        return Moment(model.date, model.time, model.timezone)

    def role_of(self, actor_id: str, date: str | dt.date | None = None) -> str | None:
        """The role an actor held on a date: the role of ``roles`` whose period holds the date
        (the latest to begin, when several do), else ``role``."""
        actor = self.actors[actor_id]
        if date is not None and actor.roles:
            day = date if isinstance(date, dt.date) else PartialDateKey.parse(date).first_day
            held = [
                r
                for r in actor.roles
                if (r.from_ is None or r.from_ <= day) and (r.until is None or day <= r.until)
            ]
            if held:
                return max(held, key=lambda r: r.from_ or dt.date.min).role
        return actor.role

    def source_order(self, source_id: str) -> tuple[int, int, str, str, str]:
        """Sort key of the source lists (see ``source_sort_key``)."""
        return source_sort_key(self.sources[source_id], source_id)

    def stories_newest_published(self) -> list[str]:
        """Every story by first publication, newest first."""
        return sorted(self.stories, key=lambda s: (self.stories[s].published, s), reverse=True)


MAPPINGS: tuple[str, ...] = tuple(f.name for f in fields(Graph))
"""The graph's mappings, by attribute name: the facts by collection and every derived index."""
