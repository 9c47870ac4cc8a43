"""The JSON API: every fact in the index, stories resolved, deterministic bytes, valid per its schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from backstory.facts.dates import PartialDateKey
from backstory.facts.graph import Graph
from backstory.facts.models import Actor, Event, Quote, Source, Story
from backstory.project import Project
from backstory.site import api as export
from backstory.site.api import render_api
from backstory.site.urls import SiteOptions

from .conftest import graph_with

# Ids in alphabetical order are not in date order, so a story sorted by id would fail.
EXTRA_EVENTS = {
    "after-the-vote.yml": """\
title: Traffic moves to the ferry
date: 2024-03-20
stories: [river-bridge]
sources: [gazette-bridge]
""",
    "zoning-review.yml": """\
title: Planners review the crossing
date: 2024-02-15
stories: [river-bridge]
sources: [council-minutes]
""",
}
KIND_OF_FOLDER = {
    "actors": "actor",
    "sources": "source",
    "events": "event",
    "quotes": "quote",
    "stories": "story",
    "figures": "figure",
    "claims": "claim",
}


def site_graph(root: Path) -> Graph:
    return graph_with(root, {f"events/{n}": text for n, text in EXTRA_EVENTS.items()})


@pytest.fixture
def graph(small_site: Path) -> Graph:
    return site_graph(small_site)


@pytest.fixture
def files(graph: Graph, small_site: Path) -> dict[str, str]:
    return render_api(graph, SiteOptions.from_config(Project.open(small_site).config))


def load(files: dict[str, str], path: str) -> Any:
    return json.loads(files[path])


def kind_of(path: str) -> str:
    parts = path.split("/")
    if parts[1] == "schema":
        return "schema"
    return "index" if parts[1] == "index.json" else KIND_OF_FOLDER[parts[1]]


def test_every_fact_is_in_the_index_and_has_a_file(graph: Graph, files: dict[str, str]) -> None:
    index = load(files, "api/index.json")
    assert index["version"] == 1
    for collection in ("actors", "sources", "events", "quotes", "stories"):
        ids = [entry["id"] for entry in index[collection]]
        assert ids == sorted(getattr(graph, collection)), collection
        for entry in index[collection]:
            path = f"api/{collection}/{entry['id']}.json"
            assert path in files
            assert entry["api_url"] == f"https://news.example.org/river/{path}"
    stories = {entry["id"]: entry for entry in index["stories"]}
    assert (
        stories["river-bridge"]["page_url"]
        == "https://news.example.org/river/stories/river-bridge/"
    )
    assert stories["river-bridge"]["title"] == "Why River Town closed its bridge"
    entity_files = {p for p in files if kind_of(p) not in ("index", "schema")}
    assert len(entity_files) == sum(len(index[c]) for c in KIND_OF_FOLDER)


def test_drafts_and_their_facts_are_left_out(files: dict[str, str]) -> None:
    assert "api/stories/draft-story.json" not in files
    assert "api/events/secret-plan.json" not in files
    assert not any("draft-story" in text or "secret-plan" in text for text in files.values())


def test_a_story_has_its_facts_resolved(files: dict[str, str]) -> None:
    story = load(files, "api/stories/river-bridge.json")
    event_ids = [event["id"] for event in story["events"]]
    assert event_ids == [
        "bridge-built",
        "bridge-inspection",
        "zoning-review",
        "council-vote",
        "after-the-vote",
    ]
    keys = [PartialDateKey.parse(event["date"]).sort_key for event in story["events"]]
    assert keys == sorted(keys)
    assert [e["date"] for e in story["events"]][:2] == ["1931", "2024-02"]
    assert [(q["id"], q["speaker_name"], q["date"]) for q in story["quotes"]] == [
        ("lopez-safety", "Ana López", "2024-03-04"),
        ("okafor-disagrees", "Ben Okafor", "2024-03-05"),
    ]
    assert story["quotes"][1]["disputes"] == ["lopez-safety"]
    assert {a["id"] for a in story["actors"]} == {"ana-lopez", "ben-okafor", "river-council"}
    assert [s["id"] for s in story["sources"]] == ["council-minutes", "gazette-bridge"]
    assert (story["published"], story["updated"]) == ("2024-03-05", "2024-03-06")
    assert story["corrections"] == [
        {
            "date": "2024-03-06",
            "text": "An earlier version gave the wrong year for the bridge's opening [@gazette-bridge].",
        }
    ]
    assert story["questions"][0]["question"] == "What happened?"


def test_entity_files(files: dict[str, str]) -> None:
    quote = load(files, "api/quotes/lopez-safety.json")
    assert quote["disputed_by"] == ["okafor-disagrees"]
    assert quote["stories"] == ["river-bridge"]
    assert (
        quote["page_url"] == "https://news.example.org/river/actors/ana-lopez/#quote-lopez-safety"
    )
    source = load(files, "api/sources/unused-memo.json")
    assert source["cited_by"] == []
    assert source["page_url"] == "https://news.example.org/river/sources/#source-unused-memo"
    actor = load(files, "api/actors/ana-lopez.json")
    assert actor["stories"] == ["river-bridge"]
    assert "council-vote" in actor["events"]


def test_output_is_byte_identical_across_renders(small_site: Path) -> None:
    options = SiteOptions.from_config(Project.open(small_site).config)
    first = render_api(site_graph(small_site), options)
    second = render_api(site_graph(small_site), options)
    assert first == second
    assert list(first) == sorted(first)
    for text in first.values():
        assert text.endswith("}\n")
        assert (
            json.dumps(json.loads(text), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
            + "\n"
            == text
        )
    assert "Ana López" in first["api/actors/ana-lopez.json"]  # UTF-8, not \u escapes


def test_without_a_site_url_urls_are_relative_to_the_site_root(graph: Graph) -> None:
    files = render_api(graph, SiteOptions())
    entry = load(files, "api/index.json")["stories"][0]
    assert (entry["api_url"], entry["page_url"]) == (
        "api/stories/river-bridge.json",
        "stories/river-bridge/",
    )
    assert load(files, "api/index.json")["schemas"]["story"] == "api/schema/story.json"


def test_every_file_validates_against_its_schema(files: dict[str, str], v2_site: Path) -> None:
    v2_files = render_api(
        graph_with(v2_site, {}), SiteOptions.from_config(Project.open(v2_site).config)
    )
    schemas = {kind: load(files, f"api/schema/{kind}.json") for kind in export.RECORD_OF_KIND}
    assert set(schemas) == {
        "index",
        "actor",
        "source",
        "event",
        "quote",
        "story",
        "figure",
        "claim",
    }
    checked = set()
    for path, text in [*files.items(), *v2_files.items()]:
        kind = kind_of(path)
        if kind == "schema":
            continue
        jsonschema.Draft202012Validator.check_schema(schemas[kind])
        validator = jsonschema.Draft202012Validator(
            schemas[kind], format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )
        validator.validate(json.loads(text))
        checked.add(kind)
    assert checked == set(schemas)


def test_figures_and_claims_in_the_api(v2_site: Path) -> None:
    files = render_api(
        graph_with(v2_site, {}), SiteOptions.from_config(Project.open(v2_site).config)
    )
    third = load(files, "api/figures/toll-third.json")
    assert (third["value"], third["revises"], third["latest"]) == (54, "toll-second", "toll-third")
    first = load(files, "api/figures/toll-first.json")
    assert first["latest"] == "toll-third" and first["revised_by"] == ["toll-second"]
    assert first["stories"] == ["valle-quake"]  # from its event
    assert first["page_url"].endswith("/stories/valle-quake/#figure-toll-first")
    claim = load(files, "api/claims/school-passed-inspection.json")
    assert claim["status"] == "disputed" and claim["stories"] == ["valle-quake"]  # from its quotes
    quote = load(files, "api/quotes/paz-no-one-alone.json")
    assert quote["language"] == "es" and len(quote["translations"]) == 2
    assert quote["time"] == "23:10" and quote["timezone"] == "America/Mexico_City"
    actor = load(files, "api/actors/maria-ortega.json")
    assert actor["roles"][0]["from"] == "2019-01-07"  # the field's name in the contract
    anonymous = load(files, "api/actors/rescue-official.json")
    assert anonymous["anonymous"] is True and anonymous["page_url"] == ""  # no page of its own
    index = load(files, "api/index.json")
    assert [e["id"] for e in index["figures"]][:2] == ["aid-pledged", "toll-first"]


@pytest.mark.parametrize(
    ("path", "change"),
    [
        ("api/stories/river-bridge.json", lambda d: d.pop("events")),
        ("api/stories/river-bridge.json", lambda d: d.update(extra=1)),
        ("api/events/council-vote.json", lambda d: d.update(date="March 4, 2024")),
        ("api/quotes/lopez-safety.json", lambda d: d.update(date="2024-13-45")),
        ("api/actors/ana-lopez.json", lambda d: d.update(type="robot")),
        ("api/index.json", lambda d: d["stories"][0].pop("page_url")),
    ],
)
def test_schemas_reject_wrong_files(files: dict[str, str], path: str, change: Any) -> None:
    schema = load(files, f"api/schema/{kind_of(path)}.json")
    data = load(files, path)
    change(data)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert list(validator.iter_errors(data))


def test_records_carry_every_field_of_the_content_model() -> None:
    # Derived from the models: a field added to the contract reaches the API without retyping.
    pairs = [
        (Actor, "actor"),
        (Source, "source"),
        (Quote, "quote"),
        (Event, "event"),
        (Story, "story"),
    ]
    for model, kind in pairs:
        record = export.RECORD_OF_KIND[kind]
        assert set(model.model_fields) <= set(record.model_fields), kind
        for name, field in model.model_fields.items():
            if name in ("id", "stories", "event", "corrections"):
                continue  # the API's own: the id always given, only what the site shows
            assert record.model_fields[name].annotation == field.annotation, (kind, name)
