"""Resolve stage: join valid facts into a graph: ids, references, backlinks and which story
each fact belongs to. Every broken or wrong-kind reference is reported at its position."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .diagnostics import Diagnostic, did_you_mean
from .load import Location
from .models import KIND_OF_COLLECTION, Actor, Event, Fact, Quote, Source, Story
from .validate import ValidFact

LIST_PAGE_LIMIT = 200
"""The most entries a site-wide list (the timeline, the sources, the archive of stories) shows on
one page. A longer list gets a page per year, a year longer than this a page per month, and the
list's first page lists those periods.

Why: a reader cannot use a page of thousands of entries, and such a page costs the engine
seconds to build, which a preview would pay after every edit to any entry on it."""


def too_long_for_one_page(entries: int) -> bool:
    """Whether a site-wide list (or one year of it) of this many entries is split up."""
    return entries > LIST_PAGE_LIMIT


PAGE_COLLECTIONS = ("actors", "events", "stories")
"""Collections whose facts have a page of their own, and so can be linked with ``[[id]]``."""


@dataclass(frozen=True)
class PartialDateKey:
    """Sort key and display precision of an event date (``2020``, ``2020-01`` or ``2020-01-13``)."""

    year: int
    month: int | None
    day: int | None

    @classmethod
    def parse(cls, text: str) -> PartialDateKey:
        return _parse_partial_date(text)

    @property
    def sort_key(self) -> tuple[int, int, int]:
        # A month or a year sorts before the days it contains.
        return (self.year, self.month or 0, self.day or 0)


@dataclass
class Graph:
    """All facts of a site joined together; only facts that appear on the site are in it."""

    facts: dict[str, ValidFact]
    actors: dict[str, Actor] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    quotes: dict[str, Quote] = field(default_factory=dict)
    stories: dict[str, Story] = field(default_factory=dict)
    story_events: dict[str, list[str]] = field(default_factory=dict)
    story_quotes: dict[str, list[str]] = field(default_factory=dict)
    story_actors: dict[str, list[str]] = field(default_factory=dict)
    quote_stories: dict[str, list[str]] = field(default_factory=dict)
    event_quotes: dict[str, list[str]] = field(default_factory=dict)
    actor_quotes: dict[str, list[str]] = field(default_factory=dict)
    actor_events: dict[str, list[str]] = field(default_factory=dict)
    actor_stories: dict[str, list[str]] = field(default_factory=dict)
    actor_members: dict[str, list[str]] = field(default_factory=dict)
    disputed_by: dict[str, list[str]] = field(default_factory=dict)
    source_citers: dict[str, list[str]] = field(default_factory=dict)
    """For each source, the ids of the facts that cite it (by field or by ``[@id]``)."""
    cited_sources: dict[str, list[str]] = field(default_factory=dict)
    """For each fact that cites sources, their ids: source_citers the other way round."""
    event_periods: dict[str, list[str]] = field(default_factory=dict)
    """When the site has more events than one timeline page shows: the events of each period
    (``2024``, or ``2024-03`` within a long year) in date order, periods oldest first. Empty
    otherwise."""
    story_periods: dict[str, list[str]] = field(default_factory=dict)
    """When the site has more stories than one archive page shows: the stories of each period of
    first publication, newest first, periods newest first. Empty otherwise."""
    source_periods: dict[str, list[str]] = field(default_factory=dict)
    """When the site has more sources than one page shows: the sources of each period by id,
    periods newest first, then ``undated``. Empty otherwise."""
    source_listing: dict[str, str] = field(default_factory=dict)
    """For each source, the page of the site's source list that shows it: ``sources.md``, or
    ``sources/<period>.md`` when the list is split."""
    source_pages: dict[str, list[str]] = field(default_factory=dict)
    """For each cited source, the stories that rely on it (through the story, its events or its
    quotes), by title, then the actors whose own profile cites it, by name."""
    _titles: dict[str, str] = field(default_factory=dict, repr=False)

    def title_of(self, fact_id: str) -> str:
        """The name or title a fact is shown by."""
        known = self._titles.get(fact_id)
        if known is None:
            model = self.facts[fact_id].model
            known = str(getattr(model, "name", None) or getattr(model, "title", None) or fact_id)
            self._titles[fact_id] = known
        return known

    def collection_of(self, fact_id: str) -> str | None:
        """The collection of a visible fact, or None when it is unknown or not on the site."""
        for collection in ("actors", "sources", "events", "quotes", "stories"):
            if fact_id in getattr(self, collection):
                return collection
        return None

    def event_date(self, event_id: str) -> PartialDateKey:
        return PartialDateKey.parse(self.events[event_id].date)

    def event_order(self, event_id: str) -> tuple[tuple[int, int, int], str, str]:
        """Sort key of date order: a month or a year before the days it contains, then title."""
        return (self.event_date(event_id).sort_key, self.events[event_id].title, event_id)

    def stories_newest_published(self) -> list[str]:
        """Every story by first publication, newest first."""
        return sorted(self.stories, key=lambda s: (self.stories[s].published, s), reverse=True)


@functools.lru_cache(maxsize=65536)
def _parse_partial_date(text: str) -> PartialDateKey:
    # Cached: sorting events asks for the same few thousand dates again and again.
    parts = [int(part) for part in text.split("-")]
    return PartialDateKey(parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None)


def resolve_graph(
    facts: Iterable[ValidFact],
    *,
    include_drafts: bool = False,
    unavailable: dict[str, str] | None = None,
) -> tuple[Graph, list[Diagnostic]]:
    """Join facts into a Graph and check every reference between them.

    ``unavailable`` maps the ids of fact files that exist but failed to load or validate to their
    collection: references to them are not reported again, the error is in that file.
    """
    by_id, problems = check_references(facts, unavailable=unavailable)
    return _build_graph(by_id, include_drafts), problems


def check_references(
    facts: Iterable[ValidFact], *, unavailable: dict[str, str] | None = None
) -> tuple[dict[str, ValidFact], list[Diagnostic]]:
    """Check ids and every reference between facts, without building the graph: all that a
    check needs. Returns the facts by id (the first of any duplicate id) and the problems."""
    problems: list[Diagnostic] = []
    by_id: dict[str, ValidFact] = {}
    for fact in sorted(facts, key=lambda f: f.file.path):
        if fact.id in by_id:
            first = by_id[fact.id]
            problems.append(
                _problem(
                    fact,
                    (),
                    f"the id '{fact.id}' is already used by {first.file.path}; "
                    "ids must be unique across all collections",
                )
            )
            continue
        by_id[fact.id] = fact
    checker = _ReferenceChecker(by_id, unavailable or {})
    for fact in by_id.values():
        checker.check(fact)
    problems.extend(checker.problems)
    return by_id, problems


def _problem(fact: ValidFact, location: Location, message: str, hint: str | None = None) -> Diagnostic:
    position = fact.file.position(location)
    return Diagnostic(fact.file.path, position.line, position.column, "error", message, hint)


class _ReferenceChecker:
    """Checks that each reference names an existing fact of the right kind."""

    def __init__(self, by_id: dict[str, ValidFact], unavailable: dict[str, str]):
        self.by_id = by_id
        self.unavailable = unavailable
        self.problems: list[Diagnostic] = []
        self.ids_by_collection: dict[str, list[str]] = defaultdict(list)
        for fact_id, fact in by_id.items():
            self.ids_by_collection[fact.collection].append(fact_id)

    def expect(
        self, fact: ValidFact, location: Location, target: str, collections: tuple[str, ...], what: str
    ) -> bool:
        found = self.by_id.get(target)
        if found is None and self.unavailable.get(target) in collections:
            return False  # the target's own file is broken and reported already
        if found is None:
            candidates = [i for c in collections for i in self.ids_by_collection[c]]
            self.problems.append(
                _problem(fact, location, f"{what}: unknown {_kinds(collections)} '{target}'",
                         did_you_mean(target, candidates))
            )
            return False
        if found.collection not in collections:
            self.problems.append(
                _problem(
                    fact,
                    location,
                    f"{what}: '{target}' is {_article(KIND_OF_COLLECTION[found.collection])}, "
                    f"not {_article(_kinds(collections))}",
                )
            )
            return False
        return True

    def check(self, fact: ValidFact) -> None:
        model = fact.model
        if (
            isinstance(model, Actor)
            and model.affiliation
            and self.expect(fact, ("affiliation",), model.affiliation, ("actors",), "affiliation")
        ):
            target = self.by_id[model.affiliation].model
            if isinstance(target, Actor) and target.type != "organization":
                self.problems.append(
                    _problem(
                        fact,
                        ("affiliation",),
                        f"affiliation: '{model.affiliation}' is a person; an affiliation "
                        "must be an organization",
                    )
                )
        if isinstance(model, Event):
            self._each(fact, "stories", model.stories, ("stories",))
            self._each(fact, "sources", model.sources, ("sources",))
            self._each(fact, "actors", model.actors, ("actors",))
        if isinstance(model, Quote):
            self.expect(fact, ("speaker",), model.speaker, ("actors",), "speaker")
            self.expect(fact, ("source",), model.source, ("sources",), "source")
            if model.event:
                self.expect(fact, ("event",), model.event, ("events",), "event")
            if model.stories is not None:
                self._each(fact, "stories", model.stories, ("stories",))
            if not model.stories and not model.event:
                self.problems.append(
                    _problem(
                        fact,
                        (),
                        "this quote belongs to no story: give 'stories' or an 'event'",
                    )
                )
            self._each(fact, "disputes", model.disputes, ("quotes",))
            for index, other in enumerate(model.disputes):
                if other == fact.id:
                    self.problems.append(
                        _problem(fact, ("disputes", index), "a quote cannot dispute itself")
                    )
        for location, reference in fact.references:
            if reference.kind == "cite":
                self.expect(fact, location, reference.target, ("sources",), f"[@{reference.target}]")
            else:
                self.expect(
                    fact, location, reference.target, PAGE_COLLECTIONS, f"[[{reference.target}]]"
                )

    def _each(
        self, fact: ValidFact, name: str, targets: list[str], collections: tuple[str, ...]
    ) -> None:
        seen: set[str] = set()
        for index, target in enumerate(targets):
            if target in seen:
                self.problems.append(
                    _problem(fact, (name, index), f"{name}: '{target}' is listed twice")
                )
            seen.add(target)
            self.expect(fact, (name, index), target, collections, name)


def _kinds(collections: tuple[str, ...]) -> str:
    names = [KIND_OF_COLLECTION[c] for c in collections]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _article(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _source_pages(graph: Graph) -> dict[str, list[str]]:
    pages: dict[str, list[str]] = {}
    for source_id, citers in graph.source_citers.items():
        stories: set[str] = set()
        actors: set[str] = set()
        for fact_id in citers:
            if fact_id in graph.stories:
                stories.add(fact_id)
            elif fact_id in graph.events:
                stories.update(s for s in graph.events[fact_id].stories if s in graph.stories)
            elif fact_id in graph.quotes:
                stories.update(graph.quote_stories.get(fact_id, []))
            elif fact_id in graph.actors:
                actors.add(fact_id)
        pages[source_id] = [
            *sorted(stories, key=lambda s: (graph.stories[s].title.lower(), s)),
            *sorted(actors, key=lambda a: (graph.actors[a].name.lower(), a)),
        ]
    return pages


def _split_long_lists(graph: Graph) -> None:
    """The site-wide lists too long for one page, by period (see LIST_PAGE_LIMIT).

    Why in the graph: a page of one period then reads that period's list only, so an edit
    elsewhere in the archive does not make the preview render it again (see ``incremental.py``).
    """
    if too_long_for_one_page(len(graph.events)):
        ordered = sorted(graph.events, key=graph.event_order)
        graph.event_periods = _periods(ordered, lambda e: _year_and_month(graph.event_date(e)))
    if too_long_for_one_page(len(graph.stories)):
        graph.story_periods = _periods(graph.stories_newest_published(), lambda s: _year_and_month(graph.stories[s].published))
    if too_long_for_one_page(len(graph.sources)):

        def newest_first(source_id: str) -> tuple[int, int, str]:
            date = graph.sources[source_id].date
            return (-date.year, -date.month, source_id) if date else (1, 1, source_id)

        ordered = sorted(graph.sources, key=newest_first)
        graph.source_periods = _periods(ordered, lambda s: _year_and_month(graph.sources[s].date))
    graph.source_listing = {source_id: "sources.md" for source_id in graph.sources}
    for period, source_ids in graph.source_periods.items():
        for source_id in source_ids:
            graph.source_listing[source_id] = f"sources/{period}.md"


def _year_and_month(date: dt.date | PartialDateKey | None) -> tuple[str, str]:
    """The period keys of a date: its year, and its month within the year (the year again for
    a date known only to the year; ``undated`` for none)."""
    if date is None:
        return "undated", "undated"
    year = str(date.year)
    return year, f"{year}-{date.month:02d}" if date.month else year


def _periods(ordered: list[str], period_of: Callable[[str], tuple[str, str]]) -> dict[str, list[str]]:
    """Ordered items grouped by year, and a year too long for one page by month; in the order
    the items come."""
    periods: dict[str, list[str]] = {}
    for year, items in _group(ordered, lambda item: period_of(item)[0]).items():
        if too_long_for_one_page(len(items)):
            periods.update(_group(items, lambda item: period_of(item)[1]))
        else:
            periods[year] = items
    return periods


def _group(ordered: list[str], key: Callable[[str], str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for item in ordered:
        groups.setdefault(key(item), []).append(item)
    return groups


def _build_graph(by_id: dict[str, ValidFact], include_drafts: bool) -> Graph:
    """Derive membership and backlinks; facts that belong only to hidden drafts are left out."""
    graph = Graph(facts=by_id)
    by_collection: dict[str, dict[str, Fact]] = defaultdict(dict)
    for fact_id in sorted(by_id):
        fact = by_id[fact_id]
        by_collection[fact.collection][fact_id] = fact.model

    def of(collection: str, kind: type[Fact]) -> dict[str, Fact]:
        return by_collection[collection]

    graph.actors = of("actors", Actor)  # type: ignore[assignment]
    graph.sources = of("sources", Source)  # type: ignore[assignment]
    all_stories: dict[str, Story] = of("stories", Story)  # type: ignore[assignment]
    graph.stories = {i: s for i, s in all_stories.items() if include_drafts or not s.draft}

    for event_id, event in of("events", Event).items():
        assert isinstance(event, Event)
        stories = [s for s in event.stories if s in graph.stories]
        if stories:
            graph.events[event_id] = event
            for story_id in stories:
                graph.story_events.setdefault(story_id, []).append(event_id)
    for quote_id, quote in of("quotes", Quote).items():
        assert isinstance(quote, Quote)
        named = quote.stories if quote.stories else (
            graph.events[quote.event].stories if quote.event in graph.events else []
        )
        stories = [s for s in named if s in graph.stories]
        if stories and quote.speaker in graph.actors and quote.source in graph.sources:
            graph.quotes[quote_id] = quote
            graph.quote_stories[quote_id] = stories
            for story_id in stories:
                graph.story_quotes.setdefault(story_id, []).append(quote_id)

    def quote_order(quote_id: str) -> tuple[str, str]:
        return (graph.quotes[quote_id].date.isoformat(), quote_id)

    for story_id in graph.story_events:
        graph.story_events[story_id].sort(key=graph.event_order)
    for story_id in graph.story_quotes:
        graph.story_quotes[story_id].sort(key=quote_order)

    for quote_id, quote in graph.quotes.items():
        graph.actor_quotes.setdefault(quote.speaker, []).append(quote_id)
        if quote.event in graph.events:
            graph.event_quotes.setdefault(quote.event, []).append(quote_id)
        for other in quote.disputes:
            if other in graph.quotes:
                graph.disputed_by.setdefault(other, []).append(quote_id)
    for event_id, event in graph.events.items():
        for actor_id in event.actors:
            graph.actor_events.setdefault(actor_id, []).append(event_id)
    for actor_id, actor in graph.actors.items():
        if actor.affiliation in graph.actors:
            graph.actor_members.setdefault(actor.affiliation, []).append(actor_id)

    for story_id, _story in graph.stories.items():
        members: set[str] = set()
        for event_id in graph.story_events.get(story_id, []):
            members.update(a for a in graph.events[event_id].actors if a in graph.actors)
        for quote_id in graph.story_quotes.get(story_id, []):
            members.add(graph.quotes[quote_id].speaker)
        members.update(
            r.target
            for _location, r in by_id[story_id].references
            if r.kind == "link" and r.target in graph.actors
        )
        graph.story_actors[story_id] = sorted(members, key=lambda a: (graph.actors[a].name.lower(), a))
        for actor_id in members:
            graph.actor_stories.setdefault(actor_id, []).append(story_id)

    citers: dict[str, set[str]] = defaultdict(set)
    visible = {**graph.actors, **graph.events, **graph.quotes, **graph.stories}
    for fact_id, model in visible.items():
        if isinstance(model, Event):
            for source_id in model.sources:
                citers[source_id].add(fact_id)
        if isinstance(model, Quote):
            citers[model.source].add(fact_id)
        for _location, reference in by_id[fact_id].references:
            if reference.kind == "cite":
                citers[reference.target].add(fact_id)
    graph.source_citers = {s: sorted(citers[s]) for s in graph.sources if citers.get(s)}
    cited: dict[str, list[str]] = defaultdict(list)
    for source_id, fact_ids in graph.source_citers.items():
        for fact_id in fact_ids:
            cited[fact_id].append(source_id)
    graph.cited_sources = dict(sorted(cited.items()))
    graph.source_pages = _source_pages(graph)
    _split_long_lists(graph)

    for mapping in (graph.actor_quotes, graph.event_quotes):
        for key in mapping:
            mapping[key].sort(key=quote_order)
    for key in graph.actor_events:
        graph.actor_events[key].sort(key=graph.event_order)
    for key in graph.actor_stories:
        graph.actor_stories[key].sort()
    for key in graph.disputed_by:
        graph.disputed_by[key].sort()
    return graph
