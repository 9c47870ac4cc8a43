"""Resolve stage: join valid facts into the graph: ids, references, backlinks, which story each
fact belongs to and which facts are published. Every broken or wrong-kind reference is reported
at its position.

The graph is built by the small steps of ``build_graph``, each deriving one index from the facts
and the indexes before it, and handed on frozen (see ``graph.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeVar

from ..diagnostics import Diagnostic, did_you_mean
from ..text import ascii_fold, slugify, with_article
from .collections import NAMES, PAGE_COLLECTIONS, kind_of
from .dates import PartialDateKey
from .graph import Graph, Ids, Topic, source_sort_key
from .load import Location
from .models import Actor, Event, Fact, Quote, Story
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
    return build_graph(by_id, include_drafts=include_drafts), problems


# --- references ------------------------------------------------------------------------------


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


def _problem(
    fact: ValidFact, location: Location, message: str, hint: str | None = None
) -> Diagnostic:
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
        self,
        fact: ValidFact,
        location: Location,
        target: str,
        collections: tuple[str, ...],
        what: str,
    ) -> bool:
        found = self.by_id.get(target)
        if found is None and self.unavailable.get(target) in collections:
            return False  # the target's own file is broken and reported already
        if found is None:
            candidates = [i for c in collections for i in self.ids_by_collection[c]]
            self.problems.append(
                _problem(
                    fact,
                    location,
                    f"{what}: unknown {_kinds(collections)} '{target}'",
                    did_you_mean(target, candidates),
                )
            )
            return False
        if found.collection not in collections:
            self.problems.append(
                _problem(
                    fact,
                    location,
                    f"{what}: '{target}' is {with_article(kind_of(found.collection))}, "
                    f"not {with_article(_kinds(collections))}",
                )
            )
            return False
        return True

    def check(self, fact: ValidFact) -> None:
        model = fact.model
        if isinstance(model, Actor):
            self._actor(fact, model)
        elif isinstance(model, Event):
            self._each(fact, "stories", model.stories, ("stories",))
            self._each(fact, "sources", model.sources, ("sources",))
            self._each(fact, "actors", model.actors, ("actors",))
        elif isinstance(model, Quote):
            self._quote(fact, model)
        for location, reference in fact.references:
            if reference.kind == "cite":
                self.expect(
                    fact, location, reference.target, ("sources",), f"[@{reference.target}]"
                )
            else:
                self.expect(
                    fact, location, reference.target, PAGE_COLLECTIONS, f"[[{reference.target}]]"
                )

    def _actor(self, fact: ValidFact, model: Actor) -> None:
        if not model.affiliation or not self.expect(
            fact, ("affiliation",), model.affiliation, ("actors",), "affiliation"
        ):
            return
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

    def _quote(self, fact: ValidFact, model: Quote) -> None:
        self.expect(fact, ("speaker",), model.speaker, ("actors",), "speaker")
        self.expect(fact, ("source",), model.source, ("sources",), "source")
        if model.event:
            self.expect(fact, ("event",), model.event, ("events",), "event")
        if model.stories is not None:
            self._each(fact, "stories", model.stories, ("stories",))
        if not model.stories and not model.event:
            self.problems.append(
                _problem(fact, (), "this quote belongs to no story: give 'stories' or an 'event'")
            )
        self._each(fact, "disputes", model.disputes, ("quotes",))
        for index, other in enumerate(model.disputes):
            if other == fact.id:
                self.problems.append(
                    _problem(fact, ("disputes", index), "a quote cannot dispute itself")
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
    names = [kind_of(c) for c in collections]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def referenced_ids(fact: ValidFact) -> list[str]:
    """Every fact id a fact refers to: in its reference fields and in its text, in that order."""
    model = fact.model
    found: list[str] = []
    if isinstance(model, Actor) and model.affiliation:
        found.append(model.affiliation)
    elif isinstance(model, Event):
        found += [*model.stories, *model.sources, *model.actors]
    elif isinstance(model, Quote):
        found += [model.speaker, model.source, *([model.event] if model.event else [])]
        found += [*(model.stories or []), *model.disputes]
    found += [reference.target for _location, reference in fact.references]
    return found


# --- which facts are published ---------------------------------------------------------------


def published_ids(
    by_id: Mapping[str, ValidFact],
    *,
    include_drafts: bool = False,
    references: Mapping[str, list[str]] | None = None,
    unavailable_stories: Iterable[str] = (),
) -> set[str]:
    """The ids of the facts a build publishes.

    A story is published unless it is a draft (and drafts are not asked for); an event or a
    quote when one of its stories is; an actor or a source when a published fact refers to it,
    or when nothing refers to it at all. So a draft's facts appear nowhere on the site unless
    something published uses them too. ``references`` gives each fact's ``referenced_ids``
    where the caller has them already; ``unavailable_stories`` are stories whose files failed
    to load or validate, counted as published so that what they gather is still checked.
    """
    if references is None:
        references = {fact_id: referenced_ids(fact) for fact_id, fact in by_id.items()}
    models = _by_collection(by_id)
    stories = {i for i, s in models["stories"].items() if include_drafts or not _draft(s)}
    stories |= set(unavailable_stories)
    events = {
        i for i, e in models["events"].items() if isinstance(e, Event) and set(e.stories) & stories
    }
    quotes = {
        i
        for i, q in models["quotes"].items()
        if _is_quote(q)
        and set(_named_stories(q, models["events"])) & stories
        and _speaker_and_source_known(q, by_id)
    }
    published = stories | events | quotes
    referenced = {target for targets in references.values() for target in targets}
    shared = [*models["actors"], *models["sources"]]
    published.update(i for i in shared if i not in referenced)
    waiting = [fact_id for fact_id in published if fact_id in references]
    while waiting:  # what published facts use is published, and what that uses, and so on
        for target in references[waiting.pop()]:
            fact = by_id.get(target)
            if (
                fact is not None
                and fact.collection in ("actors", "sources")
                and target not in published
            ):
                published.add(target)
                waiting.append(target)
    return published


def _speaker_and_source_known(quote: Fact, by_id: Mapping[str, ValidFact]) -> bool:
    return isinstance(quote, Quote) and quote.speaker in by_id and quote.source in by_id


def _draft(story: Fact) -> bool:
    return isinstance(story, Story) and story.draft


def _is_quote(model: Fact) -> bool:
    return isinstance(model, Quote)


def _named_stories(quote: Fact, events: Mapping[str, Fact]) -> list[str]:
    """The stories a quote names: its own ``stories``, else those of its event."""
    assert isinstance(quote, Quote)
    if quote.stories:
        return list(quote.stories)
    event = events.get(quote.event or "")
    return list(event.stories) if isinstance(event, Event) else []


def _by_collection(by_id: Mapping[str, ValidFact]) -> dict[str, dict[str, Fact]]:
    """Each collection's models by id, ids sorted."""
    models: dict[str, dict[str, Fact]] = {name: {} for name in NAMES}
    for fact_id in sorted(by_id):
        fact = by_id[fact_id]
        models[fact.collection][fact_id] = fact.model
    return models


# --- the graph -------------------------------------------------------------------------------

T = TypeVar("T")


@dataclass
class _Draft:
    """The graph while its steps fill it in; frozen into a Graph at the end."""

    facts: Mapping[str, ValidFact]
    indexes: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.indexes[name]
        except KeyError:
            raise AttributeError(name) from None


def build_graph(by_id: Mapping[str, ValidFact], *, include_drafts: bool = False) -> Graph:
    """Derive the published facts, their membership and backlinks, step by step."""
    draft = _Draft(by_id)
    for step in _STEPS:
        draft.indexes.update(step(draft, include_drafts))
    return Graph(
        facts=MappingProxyType(dict(by_id)),
        **{name: MappingProxyType(value) for name, value in draft.indexes.items()},
    )


def _published_facts(graph: Any, include_drafts: bool) -> dict[str, Any]:
    """The published facts of each collection, ids sorted."""
    shown = published_ids(graph.facts, include_drafts=include_drafts)
    models = _by_collection(graph.facts)
    titles = {fact_id: _title(fact.model, fact_id) for fact_id, fact in graph.facts.items()}
    return {
        "titles": titles,
        **{name: {i: m for i, m in models[name].items() if i in shown} for name in NAMES},
    }


def _title(model: Fact, fact_id: str) -> str:
    return str(getattr(model, "name", None) or getattr(model, "title", None) or fact_id)


def _membership(graph: Any, include_drafts: bool) -> dict[str, Any]:
    """Which published events and quotes each story has, in date order, and each quote's stories."""
    story_events: dict[str, list[str]] = defaultdict(list)
    for event_id, event in graph.events.items():
        for story_id in event.stories:
            if story_id in graph.stories:
                story_events[story_id].append(event_id)
    story_quotes: dict[str, list[str]] = defaultdict(list)
    quote_stories: dict[str, Ids] = {}
    for quote_id, quote in graph.quotes.items():
        named = quote.stories or (
            graph.events[quote.event].stories if quote.event in graph.events else []
        )
        quote_stories[quote_id] = tuple(s for s in named if s in graph.stories)
        for story_id in quote_stories[quote_id]:
            story_quotes[story_id].append(quote_id)
    return {
        "story_events": _sorted_lists(story_events, key=_event_order(graph)),
        "story_quotes": _sorted_lists(story_quotes, key=_quote_order(graph)),
        "quote_stories": quote_stories,
    }


def _backlinks(graph: Any, include_drafts: bool) -> dict[str, Any]:
    """What points at each actor, event and quote: quotes, events, members and disputes."""
    actor_quotes: dict[str, list[str]] = defaultdict(list)
    event_quotes: dict[str, list[str]] = defaultdict(list)
    disputed_by: dict[str, list[str]] = defaultdict(list)
    for quote_id, quote in graph.quotes.items():
        actor_quotes[quote.speaker].append(quote_id)
        if quote.event in graph.events:
            event_quotes[quote.event].append(quote_id)
        for other in quote.disputes:
            if other in graph.quotes:
                disputed_by[other].append(quote_id)
    actor_events: dict[str, list[str]] = defaultdict(list)
    for event_id, event in graph.events.items():
        for actor_id in event.actors:
            actor_events[actor_id].append(event_id)
    actor_members: dict[str, list[str]] = defaultdict(list)
    for actor_id, actor in graph.actors.items():
        if actor.affiliation in graph.actors:
            actor_members[actor.affiliation].append(actor_id)
    return {
        "actor_quotes": _sorted_lists(actor_quotes, key=_quote_order(graph)),
        "event_quotes": _sorted_lists(event_quotes, key=_quote_order(graph)),
        "disputed_by": _sorted_lists(disputed_by),
        "actor_events": _sorted_lists(actor_events, key=_event_order(graph)),
        "actor_members": _sorted_lists(actor_members, key=None, keep_order=True),
    }


def _story_actors(graph: Any, include_drafts: bool) -> dict[str, Any]:
    """Each story's actors, by name, and each actor's stories."""
    story_actors: dict[str, Ids] = {}
    actor_stories: dict[str, list[str]] = defaultdict(list)
    for story_id in graph.stories:
        members: set[str] = set()
        for event_id in graph.story_events.get(story_id, ()):
            members.update(a for a in graph.events[event_id].actors if a in graph.actors)
        for quote_id in graph.story_quotes.get(story_id, ()):
            members.add(graph.quotes[quote_id].speaker)
        members.update(
            r.target
            for _location, r in graph.facts[story_id].references
            if r.kind == "link" and r.target in graph.actors
        )
        story_actors[story_id] = tuple(
            sorted(members, key=lambda a: (graph.actors[a].name.lower(), a))
        )
        for actor_id in members:
            actor_stories[actor_id].append(story_id)
    return {"story_actors": story_actors, "actor_stories": _sorted_lists(actor_stories)}


def _citations(graph: Any, include_drafts: bool) -> dict[str, Any]:
    """Which published facts cite each source, and the other way round."""
    citers: dict[str, set[str]] = defaultdict(set)
    for collection in ("actors", "events", "quotes", "stories"):
        for fact_id, model in getattr(graph, collection).items():
            if isinstance(model, Event):
                for source_id in model.sources:
                    citers[source_id].add(fact_id)
            if isinstance(model, Quote):
                citers[model.source].add(fact_id)
            for _location, reference in graph.facts[fact_id].references:
                if reference.kind == "cite":
                    citers[reference.target].add(fact_id)
    source_citers = {s: tuple(sorted(citers[s])) for s in graph.sources if citers.get(s)}
    cited: dict[str, list[str]] = defaultdict(list)
    for source_id, fact_ids in source_citers.items():
        for fact_id in fact_ids:
            cited[fact_id].append(source_id)
    return {"source_citers": source_citers, "cited_sources": _sorted_lists(cited, sort_keys=True)}


def _story_sources(graph: Any, include_drafts: bool) -> dict[str, Any]:
    """The sources of each story (see ``Graph.story_sources``) and the pages relying on each."""
    story_sources: dict[str, Ids] = {}
    relying: dict[str, set[str]] = defaultdict(set)
    for story_id in graph.stories:
        backing = (
            story_id,
            *graph.story_events.get(story_id, ()),
            *graph.story_quotes.get(story_id, ()),
        )
        sources = sorted({s for fact_id in backing for s in graph.cited_sources.get(fact_id, ())})
        story_sources[story_id] = tuple(sources)
        for source_id in sources:
            relying[source_id].add(story_id)
    source_pages: dict[str, Ids] = {}
    for source_id, citers in graph.source_citers.items():
        actors = [fact_id for fact_id in citers if fact_id in graph.actors]
        source_pages[source_id] = (
            *sorted(relying[source_id], key=lambda s: (graph.stories[s].title.lower(), s)),
            *sorted(actors, key=lambda a: (graph.actors[a].name.lower(), a)),
        )
    return {"story_sources": story_sources, "source_pages": source_pages}


def _topics(graph: Any, include_drafts: bool) -> dict[str, Any]:
    """Every topic of the published stories with a page slug of its own.

    Names that differ only in case or spacing are one topic, shown as first written. Distinct
    names whose slugs would be the same ("C" and "C++") are kept apart: the name first used in
    a published story keeps the slug, later ones get ``-2``, ``-3``. Why first-come: adding a
    topic never moves a topic page that readers may have linked.
    """
    names: dict[str, str] = {}  # folded name -> name as first written
    first_used: dict[str, tuple[dt.date, str]] = {}
    members: dict[str, list[str]] = defaultdict(list)
    for story_id, story in graph.stories.items():
        for name in story.topics:
            folded = _topic_key(name)
            names.setdefault(folded, name)
            used = (story.published, story_id)
            first_used[folded] = min(first_used.get(folded, used), used)
            if story_id not in members[folded]:
                members[folded].append(story_id)
    slug_of: dict[str, str] = {}
    taken: set[str] = set()
    for folded in sorted(names, key=lambda f: (first_used[f], f)):
        base = slugify(names[folded]) or "topic"
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        slug_of[folded] = slug

    def newest_first(story_id: str) -> tuple[dt.date, str]:
        story = graph.stories[story_id]
        return (story.updated or story.published, story_id)

    topics = {
        slug_of[folded]: Topic(
            names[folded],
            slug_of[folded],
            tuple(sorted(members[folded], key=newest_first, reverse=True)),
        )
        for folded in names
    }
    story_topics = {
        story_id: tuple(dict.fromkeys(slug_of[_topic_key(n)] for n in story.topics))
        for story_id, story in graph.stories.items()
    }
    return {"topics": dict(sorted(topics.items())), "story_topics": story_topics}


def _topic_key(name: str) -> str:
    """What makes two topic names the same topic: the same letters, whatever their case,
    accents, spaces and hyphens ("Sanctuary cities", "sanctuary-cities")."""
    return " ".join(re.split(r"[\s_-]+", ascii_fold(name).casefold())).strip()


def _long_lists(graph: Any, include_drafts: bool) -> dict[str, Any]:
    """The site-wide lists too long for one page, by period (see LIST_PAGE_LIMIT).

    Why in the graph: a page of one period then reads that period's list only, so an edit
    elsewhere in the archive does not make the preview render it again.
    """
    event_periods: dict[str, Ids] = {}
    story_periods: dict[str, Ids] = {}
    source_periods: dict[str, Ids] = {}
    if too_long_for_one_page(len(graph.events)):
        ordered = sorted(graph.events, key=_event_order(graph))
        event_periods = _periods(ordered, lambda e: _year_and_month(_event_date(graph, e)))
    if too_long_for_one_page(len(graph.stories)):
        newest = sorted(graph.stories, key=lambda s: (graph.stories[s].published, s), reverse=True)
        story_periods = _periods(newest, lambda s: _year_and_month(graph.stories[s].published))
    if too_long_for_one_page(len(graph.sources)):
        ordered = sorted(graph.sources, key=lambda s: source_sort_key(graph.sources[s], s))
        source_periods = _periods(ordered, lambda s: _year_and_month(graph.sources[s].date))
    source_period = {s: period for period, ids in source_periods.items() for s in ids}
    return {
        "event_periods": event_periods,
        "story_periods": story_periods,
        "source_periods": source_periods,
        "source_period": source_period,
    }


_STEPS: tuple[Callable[[Any, bool], dict[str, Any]], ...] = (
    _published_facts,
    _membership,
    _backlinks,
    _story_actors,
    _citations,
    _story_sources,
    _topics,
    _long_lists,
)
"""The steps that build the graph, in order: each reads the facts and the indexes before it."""


def _event_date(graph: Any, event_id: str) -> PartialDateKey:
    return PartialDateKey.parse(graph.events[event_id].date)


def _event_order(graph: Any) -> Callable[[str], tuple[tuple[int, int, int], str, str]]:
    """Date order of events: a month or a year before the days it contains, then title."""
    return lambda e: (_event_date(graph, e).sort_key, graph.events[e].title, e)


def _quote_order(graph: Any) -> Callable[[str], tuple[str, str]]:
    return lambda q: (graph.quotes[q].date.isoformat(), q)


def _sorted_lists(
    lists: Mapping[str, list[str]],
    key: Callable[[str], Any] | None = None,
    *,
    keep_order: bool = False,
    sort_keys: bool = False,
) -> dict[str, Ids]:
    """Each list as a tuple, sorted by ``key`` (by id without one, as given with keep_order)."""
    items = sorted(lists.items()) if sort_keys else lists.items()
    if keep_order:
        return {k: tuple(v) for k, v in items}
    return {k: tuple(sorted(v, key=key)) for k, v in items}


def _year_and_month(date: dt.date | PartialDateKey | None) -> tuple[str, str]:
    """The period keys of a date: its year, and its month within the year (the year again for
    a date known only to the year; ``undated`` for none)."""
    if date is None:
        return "undated", "undated"
    year = str(date.year)
    return year, f"{year}-{date.month:02d}" if date.month else year


def _periods(ordered: list[str], period_of: Callable[[str], tuple[str, str]]) -> dict[str, Ids]:
    """Ordered items grouped by year, and a year too long for one page by month; in the order
    the items come."""
    periods: dict[str, Ids] = {}
    for year, items in _group(ordered, lambda item: period_of(item)[0]).items():
        if too_long_for_one_page(len(items)):
            periods.update(
                (k, tuple(v)) for k, v in _group(items, lambda item: period_of(item)[1]).items()
            )
        else:
            periods[year] = tuple(items)
    return periods


def _group(ordered: list[str], key: Callable[[str], str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for item in ordered:
        groups.setdefault(key(item), []).append(item)
    return groups
