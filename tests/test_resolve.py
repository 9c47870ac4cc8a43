"""Resolve stage: references, membership, backlinks, drafts."""

from __future__ import annotations

from pathlib import Path

from backstory.facts.graph import Graph
from backstory.facts.load import load_content
from backstory.facts.resolve import resolve_graph
from backstory.facts.validate import validate_facts


def resolve(root: Path, *, include_drafts: bool = False) -> tuple[Graph, list[str]]:
    files, load_problems = load_content(root)
    facts, problems = validate_facts(files)
    assert load_problems == [] and problems == []
    graph, problems = resolve_graph(facts, include_drafts=include_drafts)
    return graph, [p.format() for p in sorted(problems)]


def test_small_site_graph(small_site: Path) -> None:
    graph, problems = resolve(small_site)
    assert problems == []
    assert list(graph.stories) == ["river-bridge"]
    # Events are in date order; a month or year sorts before the days it contains.
    assert graph.story_events["river-bridge"] == (
        "bridge-built",
        "bridge-inspection",
        "council-vote",
    )
    # A quote without stories belongs to the stories of its event.
    assert graph.quote_stories["lopez-safety"] == ("river-bridge",)
    assert graph.story_quotes["river-bridge"] == (
        "lopez-safety",
        "okafor-disagrees",
    )
    assert graph.story_actors["river-bridge"] == (
        "ana-lopez",
        "ben-okafor",
        "river-council",
    )
    assert graph.disputed_by == {"lopez-safety": ("okafor-disagrees",)}
    assert graph.actor_members == {"river-council": ("ana-lopez",)}
    assert graph.source_citers["council-minutes"] == (
        "bridge-inspection",
        "council-vote",
        "river-bridge",
    )
    assert "unused-memo" not in graph.source_citers
    # The draft story and the event that only it holds are left out.
    assert "draft-story" not in graph.stories and "secret-plan" not in graph.events


def test_drafts_can_be_included(small_site: Path) -> None:
    graph, problems = resolve(small_site, include_drafts=True)
    assert problems == []
    assert "draft-story" in graph.stories and "secret-plan" in graph.events


def test_broken_references_are_reported_with_suggestions(make_site) -> None:
    root = make_site(
        {
            "content/actors/ana.yml": "name: Ana\ntype: person\naffiliation: bob\n",
            "content/actors/bob.yml": "name: Bob\ntype: person\n",
            "content/sources/minutes.yml": "title: M\npublisher: P\n",
            "content/stories/bridge.yml": (
                "title: T\nsummary: '[[anna]] and [@minutse] and [@ana] and [[minutes]]'\n"
                "published: 2024-01-01\n"
            ),
            "content/events/vote.yml": (
                "title: V\ndate: 2024-01-01\nstories: [bridge, brigde]\nsources: [minutes, minutes]\n"
                "actors: [ana, minutes]\n"
            ),
            "content/quotes/said.yml": (
                "text: Hi\nspeaker: bridge\ndate: 2024-01-01\nsource: minutes\ndisputes: [said]\n"
            ),
        }
    )
    _, problems = resolve(root)
    assert problems == [
        "content/actors/ana.yml:3:14: error: affiliation: 'bob' is a person; an affiliation must be an organization",
        "content/events/vote.yml:3:19: error: stories: unknown story 'brigde' (did you mean 'bridge'?)",
        "content/events/vote.yml:4:20: error: sources: 'minutes' is listed twice",
        "content/events/vote.yml:5:15: error: actors: 'minutes' is a source, not an actor",
        "content/quotes/said.yml:1:1: error: this quote belongs to no story: give 'stories' or an 'event'",
        "content/quotes/said.yml:2:10: error: speaker: 'bridge' is a story, not an actor",
        "content/quotes/said.yml:5:12: error: a quote cannot dispute itself",
        "content/stories/bridge.yml:2:11: error: [[anna]]: unknown actor, event, story, figure or claim 'anna' (did you mean 'ana'?)",
        "content/stories/bridge.yml:2:24: error: [@minutse]: unknown source 'minutse' (did you mean 'minutes'?)",
        "content/stories/bridge.yml:2:39: error: [@ana]: 'ana' is an actor, not a source",
        "content/stories/bridge.yml:2:50: error: [[minutes]]: 'minutes' is a source, not an actor, event, story, figure or claim",
    ]


def test_ids_are_unique_across_collections(make_site) -> None:
    root = make_site(
        {
            "content/actors/bridge.yml": "name: Ana\ntype: person\n",
            "content/stories/bridge.yml": "title: T\nsummary: S\npublished: 2024-01-01\n",
        }
    )
    _, problems = resolve(root)
    assert problems == [
        "content/stories/bridge.yml:1:1: error: the id 'bridge' is already used by "
        "content/actors/bridge.yml; ids must be unique across all collections"
    ]
