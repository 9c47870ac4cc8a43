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
from typing import Any

from ..diagnostics import Diagnostic, did_you_mean
from ..text import ascii_fold, slugify, with_article
from .collections import LINKABLE_COLLECTIONS, NAMES, kind_of
from .dates import PartialDateKey
from .fields import reference_fields
from .graph import Graph, Ids, Topic, source_sort_key
from .load import Location
from .models import Actor, Claim, Event, Fact, Figure, Quote, Story
from .moments import UTC, Moment
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
    fact: ValidFact,
    location: Location,
    message: str,
    hint: str | None = None,
    offset: int | None = None,
) -> Diagnostic:
    position = fact.file.position(location, offset=offset)
    return Diagnostic(fact.file.path, position.line, position.column, "error", message, hint)


class _ReferenceChecker:
    """Checks that each reference names an existing fact of the right kind, then the rules that
    span facts (an affiliation is an organization, a figure revises an earlier one...)."""

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
        offset: int | None = None,
    ) -> bool:
        """Whether ``target`` names a fact of one of ``collections``; reports it where not
        (``offset``: where in the text value at ``location`` the reference is written)."""
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
                    offset,
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
                    offset=offset,
                )
            )
            return False
        return True

    def check(self, fact: ValidFact) -> None:
        seen: dict[Location, set[str]] = defaultdict(set)
        for marked in reference_fields(fact.model):
            target = str(marked.value)
            what = _field_name(marked.location)
            listed_in = marked.location[:-1]
            if isinstance(marked.location[-1], int):
                if target in seen[listed_in]:
                    self.problems.append(
                        _problem(fact, marked.location, f"{what}: '{target}' is listed twice")
                    )
                seen[listed_in].add(target)
            self.expect(fact, marked.location, target, marked.references, what)
        for location, reference in fact.references:
            collections: tuple[str, ...]
            if reference.kind == "cite":
                collections, what = ("sources",), f"[@{reference.target}]"
            else:
                collections, what = LINKABLE_COLLECTIONS, f"[[{reference.target}]]"
            self.expect(fact, location, reference.target, collections, what, reference.offset)
        for rule in _CROSS_FACT_RULES.get(fact.collection, ()):
            rule(self, fact)

    def organization(self, fact: ValidFact, location: Location, target: str | None) -> None:
        """An affiliation names an organization, not a person."""
        found = self.by_id.get(target or "")
        if (
            found is not None
            and isinstance(found.model, Actor)
            and found.model.type != "organization"
        ):
            self.problems.append(
                _problem(
                    fact,
                    location,
                    f"{_field_name(location)}: '{target}' is a person; an affiliation "
                    "must be an organization",
                )
            )

    def not_itself(self, fact: ValidFact, name: str, targets: list[str], message: str) -> None:
        for index, other in enumerate(targets):
            if other == fact.id:
                self.problems.append(_problem(fact, (name, index), message))


def _field_name(location: Location) -> str:
    """A field's location as messages name it: ``stories``, ``translations[0].source``."""
    while location and isinstance(location[-1], int):
        location = location[:-1]
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _actor_rules(checker: _ReferenceChecker, fact: ValidFact) -> None:
    assert isinstance(fact.model, Actor)
    checker.organization(fact, ("affiliation",), fact.model.affiliation)
    for index, role in enumerate(fact.model.roles):
        checker.organization(fact, ("roles", index, "affiliation"), role.affiliation)


def _quote_rules(checker: _ReferenceChecker, fact: ValidFact) -> None:
    model = fact.model
    assert isinstance(model, Quote)
    if not model.stories and not model.event:
        checker.problems.append(
            _problem(fact, (), "this quote belongs to no story: give 'stories' or an 'event'")
        )
    checker.not_itself(fact, "disputes", model.disputes, "a quote cannot dispute itself")
    checker.not_itself(fact, "responds_to", model.responds_to, "a quote cannot respond to itself")


def _figure_rules(checker: _ReferenceChecker, fact: ValidFact) -> None:
    model = fact.model
    assert isinstance(model, Figure)
    earlier = checker.by_id.get(model.revises or "")
    if earlier is not None and isinstance(earlier.model, Figure):
        if Moment(earlier.model.date).sort_key(UTC) > Moment(model.date).sort_key(UTC):
            checker.problems.append(
                _problem(
                    fact,
                    ("revises",),
                    f"revises: '{model.revises}' is dated {earlier.model.date}, after this figure "
                    f"({model.date}); a figure revises an earlier one",
                )
            )
        chain = _revision_chain(checker.by_id, fact.id)
        if chain[-1] == fact.id and len(chain) > 1:
            checker.problems.append(
                _problem(
                    fact,
                    ("revises",),
                    "revises: these figures revise each other in a circle: " + " → ".join(chain),
                )
            )
    if not _figure_stories(checker.by_id, fact.id):
        checker.problems.append(
            _problem(
                fact,
                (),
                "this figure belongs to no story: give 'stories', an 'event' or the figure "
                "it 'revises'",
            )
        )


def _claim_rules(checker: _ReferenceChecker, fact: ValidFact) -> None:
    if not _claim_stories(checker.by_id, fact.model):
        checker.problems.append(
            _problem(
                fact,
                (),
                "this claim belongs to no story: give 'stories', or quotes under 'asserted_by' or "
                "'disputed_by' that belong to one",
            )
        )


_CROSS_FACT_RULES: dict[str, tuple[Callable[[_ReferenceChecker, ValidFact], None], ...]] = {
    "actors": (_actor_rules,),
    "quotes": (_quote_rules,),
    "figures": (_figure_rules,),
    "claims": (_claim_rules,),
}


def _revision_chain(by_id: Mapping[str, ValidFact], figure_id: str) -> list[str]:
    """The figure and those it revises, newest first, stopping where the chain comes back to
    a figure already in it (which is then last) or ends."""
    chain = [figure_id]
    current = by_id[figure_id].model
    while isinstance(current, Figure) and current.revises in by_id:
        target = current.revises
        assert target is not None
        chain.append(target)
        if target in chain[:-1]:
            break
        current = by_id[target].model
    return chain


def _quote_stories_of(by_id: Mapping[str, ValidFact], quote: Fact) -> list[str]:
    if not isinstance(quote, Quote):
        return []
    if quote.stories:
        return list(quote.stories)
    event = by_id.get(quote.event or "")
    return list(event.model.stories) if event is not None and isinstance(event.model, Event) else []


def _figure_stories(by_id: Mapping[str, ValidFact], figure_id: str) -> list[str]:
    """A figure's stories: its own, else its event's, else those of the figure it revises."""
    for candidate in _revision_chain(by_id, figure_id):
        model = by_id[candidate].model
        if not isinstance(model, Figure):
            return []
        if model.stories:
            return list(model.stories)
        event = by_id.get(model.event or "")
        if event is not None and isinstance(event.model, Event):
            return list(event.model.stories)
    return []


def _claim_stories(by_id: Mapping[str, ValidFact], claim: Fact) -> list[str]:
    """A claim's stories: its own, else those of the quotes that assert or dispute it."""
    if not isinstance(claim, Claim):
        return []
    if claim.stories:
        return list(claim.stories)
    stories: list[str] = []
    for quote_id in [*claim.asserted_by, *claim.disputed_by]:
        quote = by_id.get(quote_id)
        if quote is not None:
            stories += [s for s in _quote_stories_of(by_id, quote.model) if s not in stories]
    return stories


def _kinds(collections: tuple[str, ...]) -> str:
    names = [kind_of(c) for c in collections]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def referenced_ids(fact: ValidFact) -> list[str]:
    """Every fact id a fact refers to: in its reference fields and in its text, in that order."""
    found = [str(marked.value) for marked in reference_fields(fact.model)]
    found += [reference.target for _location, reference in fact.references]
    return found


# --- which facts are published ---------------------------------------------------------------


def published_ids(
    by_id: Mapping[str, ValidFact],
    *,
    include_drafts: bool = False,
    references: Mapping[str, list[str]] | None = None,
    unavailable_stories: Iterable[str] = (),
    stories: Iterable[str] | None = None,
) -> set[str]:
    """The ids of the facts a build publishes.

    A story is published unless it is a draft (and drafts are not asked for); an event, a quote,
    a figure or a claim when one of its stories is; an actor or a source when a published fact
    refers to it, or when nothing refers to it at all. So a draft's facts appear nowhere on the
    site unless something published uses them too. ``references`` gives each fact's
    ``referenced_ids`` where the caller has them already; ``unavailable_stories`` are stories
    whose files failed to load or validate, counted as published so that what they gather is
    still checked. ``stories`` restricts the published stories to these (an edition's), and
    then publishes only the actors and sources that their facts use.
    """
    if references is None:
        references = {fact_id: referenced_ids(fact) for fact_id, fact in by_id.items()}
    models = _by_collection(by_id)
    only = set(stories) if stories is not None else None
    stories = {
        i
        for i, s in models["stories"].items()
        if (include_drafts or not _draft(s)) and (only is None or i in only)
    }
    stories |= set(unavailable_stories)
    gathered: dict[str, Callable[[str, Fact], list[str]]] = {
        "events": lambda i, m: list(m.stories) if isinstance(m, Event) else [],
        "quotes": lambda i, m: (
            _quote_stories_of(by_id, m) if _speaker_and_source_known(m, by_id) else []
        ),
        "figures": lambda i, m: _figure_stories(by_id, i),
        "claims": lambda i, m: _claim_stories(by_id, m),
    }
    published = set(stories)
    for collection, stories_of in gathered.items():
        published.update(
            i for i, m in models[collection].items() if set(stories_of(i, m)) & stories
        )
    referenced = {target for targets in references.values() for target in targets}
    if only is None:  # the main edition also shows what nothing refers to yet
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


def _by_collection(by_id: Mapping[str, ValidFact]) -> dict[str, dict[str, Fact]]:
    """Each collection's models by id, ids sorted."""
    models: dict[str, dict[str, Fact]] = {name: {} for name in NAMES}
    for fact_id in sorted(by_id):
        fact = by_id[fact_id]
        models[fact.collection][fact_id] = fact.model
    return models


# --- the graph -------------------------------------------------------------------------------


@dataclass
class _Draft:
    """The graph while its steps fill it in; frozen into a Graph at the end."""

    facts: Mapping[str, ValidFact]
    include_drafts: bool
    timezone: str
    stories_only: set[str] | None = None
    language: str = "en"
    translations_given: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    indexes: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.indexes[name]
        except KeyError:
            raise AttributeError(name) from None


def build_graph(
    by_id: Mapping[str, ValidFact],
    *,
    include_drafts: bool = False,
    timezone: str = UTC,
    stories: Iterable[str] | None = None,
    language: str = "en",
    translations: Mapping[str, Mapping[str, Any]] | None = None,
) -> Graph:
    """Derive the published facts, their membership and backlinks, step by step.
    ``timezone`` is the site's: the time zone of times given without one. An edition in
    another language passes its ``stories``, its ``language`` and the ``translations`` shown
    beside the original (see ``site/editions.py``)."""
    draft = _Draft(
        by_id,
        include_drafts,
        timezone,
        set(stories) if stories is not None else None,
        language,
        dict(translations or {}),
    )
    for step in _STEPS:
        draft.indexes.update(step(draft))
    return Graph(
        facts=MappingProxyType(dict(by_id)),
        **{name: MappingProxyType(value) for name, value in draft.indexes.items()},
    )


def _published_facts(graph: Any) -> dict[str, Any]:
    """The site's settings that facts depend on, every fact's title, and the published facts of
    each collection, ids sorted."""
    shown = published_ids(
        graph.facts, include_drafts=graph.include_drafts, stories=graph.stories_only
    )
    models = _by_collection(graph.facts)
    titles = {fact_id: _title(fact.model, fact_id) for fact_id, fact in graph.facts.items()}
    return {
        "settings": {"timezone": graph.timezone, "language": graph.language},
        "translations": {
            fact_id: MappingProxyType(dict(fields))
            for fact_id, fields in sorted(graph.translations_given.items())
        },
        "titles": titles,
        **{name: {i: m for i, m in models[name].items() if i in shown} for name in NAMES},
    }


def _title(model: Fact, fact_id: str) -> str:
    for name in ("name", "title", "label", "text"):
        value = getattr(model, name, None)
        if value:
            return str(value)
    return fact_id


def _membership(graph: Any) -> dict[str, Any]:
    """The published events, quotes, figures and claims of each story (events and quotes in the
    order they happened, figures and claims by id), and the stories of each."""
    stories_of: dict[str, dict[str, Ids]] = {
        "events": {i: tuple(e.stories) for i, e in graph.events.items()},
        "quotes": {i: tuple(_quote_stories_of(graph.facts, q)) for i, q in graph.quotes.items()},
        "figures": {i: tuple(_figure_stories(graph.facts, i)) for i in graph.figures},
        "claims": {i: tuple(_claim_stories(graph.facts, c)) for i, c in graph.claims.items()},
    }
    members: dict[str, dict[str, list[str]]] = {name: defaultdict(list) for name in stories_of}
    for collection, by_fact in stories_of.items():
        for fact_id, story_ids in by_fact.items():
            shown = tuple(s for s in story_ids if s in graph.stories)
            by_fact[fact_id] = shown
            for story_id in shown:
                members[collection][story_id].append(fact_id)
    return {
        "story_events": _sorted_lists(members["events"], key=_event_order(graph)),
        "story_quotes": _sorted_lists(members["quotes"], key=_quote_order(graph)),
        "story_figures": _sorted_lists(members["figures"]),
        "story_claims": _sorted_lists(members["claims"]),
        "quote_stories": stories_of["quotes"],
        "figure_stories": stories_of["figures"],
        "claim_stories": stories_of["claims"],
    }


def _quote_backlinks(graph: Any) -> dict[str, Any]:
    """What points at each quote, and which quotes each actor and event has: the quotes each
    actor said, the quotes about each event, the quotes that dispute or answer each quote."""
    actor_quotes: dict[str, list[str]] = defaultdict(list)
    event_quotes: dict[str, list[str]] = defaultdict(list)
    disputed_by: dict[str, list[str]] = defaultdict(list)
    replied_by: dict[str, list[str]] = defaultdict(list)
    for quote_id, quote in graph.quotes.items():
        actor_quotes[quote.speaker].append(quote_id)
        if quote.event in graph.events:
            event_quotes[quote.event].append(quote_id)
        for other in quote.disputes:
            if other in graph.quotes:
                disputed_by[other].append(quote_id)
        for other in quote.responds_to:
            if other in graph.quotes:
                replied_by[other].append(quote_id)
    return {
        "actor_quotes": _sorted_lists(actor_quotes, key=_quote_order(graph)),
        "event_quotes": _sorted_lists(event_quotes, key=_quote_order(graph)),
        "disputed_by": _sorted_lists(disputed_by),
        "replied_by": _sorted_lists(replied_by, key=_quote_order(graph)),
    }


def _actor_backlinks(graph: Any) -> dict[str, Any]:
    """The events each actor took part in, the members of each organization, and the claims
    each actor's quotes assert or dispute."""
    actor_events: dict[str, list[str]] = defaultdict(list)
    for event_id, event in graph.events.items():
        for actor_id in event.actors:
            actor_events[actor_id].append(event_id)
    actor_members: dict[str, list[str]] = defaultdict(list)
    for actor_id, actor in graph.actors.items():
        if actor.affiliation in graph.actors:
            actor_members[actor.affiliation].append(actor_id)
    actor_claims: dict[str, set[str]] = defaultdict(set)
    for claim_id, claim in graph.claims.items():
        for quote_id in [*claim.asserted_by, *claim.disputed_by]:
            if quote_id in graph.quotes:
                actor_claims[graph.quotes[quote_id].speaker].add(claim_id)
    return {
        "actor_events": _sorted_lists(actor_events, key=_event_order(graph)),
        "actor_members": _sorted_lists(actor_members, key=None, keep_order=True),
        "actor_claims": {a: tuple(sorted(c)) for a, c in sorted(actor_claims.items())},
    }


def _figure_chains(graph: Any) -> dict[str, Any]:
    """Chains of revisions: the latest figure of each, the earlier ones it replaced, and for each
    story its chains grouped by label (chains of one label from different authorities, which do
    not revise each other, are shown side by side as differing)."""
    revised_by: dict[str, list[str]] = defaultdict(list)
    for figure_id, figure in graph.figures.items():
        if figure.revises in graph.figures:
            revised_by[figure.revises].append(figure_id)
    order = _figure_order(graph)

    def latest(figure_id: str) -> str:
        seen = {figure_id}
        while revised_by.get(figure_id):
            newer = max(revised_by[figure_id], key=order)
            if newer in seen:
                break
            seen.add(newer)
            figure_id = newer
        return figure_id

    figure_latest = {figure_id: latest(figure_id) for figure_id in graph.figures}
    history: dict[str, list[str]] = defaultdict(list)
    for figure_id, end in figure_latest.items():
        if figure_id != end:
            history[end].append(figure_id)
    groups: dict[str, tuple[Ids, ...]] = {}
    for story_id, figure_ids in graph.story_figures.items():
        chains = sorted({figure_latest[f] for f in figure_ids}, key=order)
        by_label: dict[str, list[str]] = {}
        for chain in chains:
            label = " ".join(graph.figures[chain].label.casefold().split())
            by_label.setdefault(label, []).append(chain)
        groups[story_id] = tuple(tuple(chains) for chains in by_label.values())
    return {
        "figure_latest": figure_latest,
        "figure_history": {
            end: tuple(sorted(earlier, key=order, reverse=True)) for end, earlier in history.items()
        },
        "story_figure_groups": groups,
    }


def _story_actors(graph: Any) -> dict[str, Any]:
    """Each story's actors (its events' actors, its quotes' speakers, who gave its figures and
    the actors it links), by name, and each actor's stories."""
    story_actors: dict[str, Ids] = {}
    actor_stories: dict[str, list[str]] = defaultdict(list)
    for story_id in graph.stories:
        members: set[str] = set()
        for event_id in graph.story_events.get(story_id, ()):
            members.update(a for a in graph.events[event_id].actors if a in graph.actors)
        for quote_id in graph.story_quotes.get(story_id, ()):
            members.add(graph.quotes[quote_id].speaker)
        for figure_id in graph.story_figures.get(story_id, ()):
            given_by = graph.figures[figure_id].given_by
            if given_by in graph.actors:
                members.add(given_by)
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


def _citations(graph: Any) -> dict[str, Any]:
    """Which published facts cite each source (in a reference field or with ``[@id]``), and the
    other way round."""
    citers: dict[str, set[str]] = defaultdict(set)
    for collection in NAMES:
        for fact_id in getattr(graph, collection):
            for source_id in _cited_by(graph.facts[fact_id]):
                if source_id in graph.sources:
                    citers[source_id].add(fact_id)
    source_citers = {s: tuple(sorted(citers[s])) for s in graph.sources if citers.get(s)}
    cited: dict[str, list[str]] = defaultdict(list)
    for source_id, fact_ids in source_citers.items():
        for fact_id in fact_ids:
            cited[fact_id].append(source_id)
    return {"source_citers": source_citers, "cited_sources": _sorted_lists(cited, sort_keys=True)}


def _cited_by(fact: ValidFact) -> list[str]:
    """The sources a fact cites: the ids of its fields that may name a source, and ``[@id]``."""
    found = [str(m.value) for m in reference_fields(fact.model) if "sources" in m.references]
    found += [r.target for _location, r in fact.references if r.kind == "cite"]
    return found


def _story_sources(graph: Any) -> dict[str, Any]:
    """The sources of each story (see ``Graph.story_sources``) and the pages relying on each."""
    story_sources: dict[str, Ids] = {}
    relying: dict[str, set[str]] = defaultdict(set)
    for story_id in graph.stories:
        backing = (
            story_id,
            *graph.story_events.get(story_id, ()),
            *graph.story_quotes.get(story_id, ()),
            *graph.story_figures.get(story_id, ()),
            *graph.story_claims.get(story_id, ()),
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


def _topics(graph: Any) -> dict[str, Any]:
    """Every topic of the published stories with a page slug of its own.

    Names that differ only in case, accents, spaces or hyphens are one topic, shown as first
    written. Distinct names whose slugs would be the same ("C" and "C++") are kept apart: the
    name first used in a published story keeps the slug, later ones get ``-2``, ``-3``. Why
    first-come: adding a topic never moves a topic page that readers may have linked.
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


def _long_lists(graph: Any) -> dict[str, Any]:
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


_STEPS: tuple[Callable[[Any], dict[str, Any]], ...] = (
    _published_facts,
    _membership,
    _quote_backlinks,
    _actor_backlinks,
    _figure_chains,
    _story_actors,
    _citations,
    _story_sources,
    _topics,
    _long_lists,
)
"""The steps that build the graph, in order: each reads the facts and the indexes before it."""


def _event_date(graph: Any, event_id: str) -> PartialDateKey:
    return PartialDateKey.parse(graph.events[event_id].date)


def moment_of(model: Event | Quote | Figure) -> Moment:
    """When an event, a quote or a figure happened, as the fact gives it."""
    return Moment(model.date, model.time, model.timezone)


def _event_order(graph: Any) -> Callable[[str], tuple[tuple[float, int], str, str]]:
    """The order events happened in (see ``moments``), then title and id for one instant."""
    zone = graph.timezone
    return lambda e: (moment_of(graph.events[e]).sort_key(zone), graph.events[e].title, e)


def _quote_order(graph: Any) -> Callable[[str], tuple[tuple[float, int], str]]:
    zone = graph.timezone
    return lambda q: (moment_of(graph.quotes[q]).sort_key(zone), q)


def _figure_order(graph: Any) -> Callable[[str], tuple[tuple[float, int], str]]:
    zone = graph.timezone
    return lambda f: (moment_of(graph.figures[f]).sort_key(zone), f)


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
