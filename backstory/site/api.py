"""A read-only JSON API of the site's facts: static files under ``api/``, with a JSON Schema for
each kind of file under ``api/schema/``.

Pure like the render stage: the same graph gives the same bytes (keys sorted, lists in a stated
order). The records below, derived from the content model, are the one source of truth for both
the files and their schemas.
Markdown fields are exported as the facts write them, with ``[[id]]`` and ``[@source-id]`` intact
(the content model describes them); every other reference is an id that has a file of its own.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from ..facts.collections import NAMES, kind_of
from ..facts.graph import Graph
from ..facts.models import (
    Actor,
    Claim,
    Correction,
    Event,
    Fact,
    Figure,
    Quote,
    Source,
    Story,
)
from .outputs import Output, OutputJob, fixed_text, run_jobs
from .urls import SiteAddress, SiteOptions

API_FOLDER = "api"
API_VERSION: Final = 1


class _Record(BaseModel):
    """Shared settings: every field is always present, and nothing else is."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_serialization_defaults_required=True
    )


class IndexEntry(_Record):
    """One fact in the index: its id, how it is shown, its API file and its place on the site."""

    id: str
    title: str = Field(description="its name or title; for a quote, its text")
    api_url: str = Field(description="its file in this API")
    page_url: str = Field(description="where the site shows it")


ApiIndex: type[_Record] = create_model(  # type: ignore[call-overload]
    "ApiIndex",
    __base__=_Record,
    __doc__="Every fact of the site by collection, each list sorted by id.",
    version=(Literal[1], Field(description="the export format's version")),
    schemas=(dict[str, str], Field(description="the JSON Schema of each kind of file")),
    **{name: (list[IndexEntry], ...) for name in NAMES},
)


_ADDRESS: dict[str, Any] = {
    "id": (str, ...),
    "api_url": (str, Field(description="its file in this API")),
    "page_url": (str, Field(description="where the site shows it")),
}


def _record(
    name: str,
    model: type[Fact],
    doc: str,
    *,
    only: tuple[str, ...] | None = None,
    **fields: Any,
) -> type[_Record]:
    """An API record: the id, the fact's fields as the content model defines them (``only``
    some of them), and ``fields`` that replace or add to them.

    Why derived: a record that retyped the model's fields would drift from the contract; here a
    field added to the content model appears in the API and its schema at once.
    """
    from_model = {
        field_name: (info.annotation, info)
        for field_name, info in model.model_fields.items()
        if field_name != "id" and (only is None or field_name in only)
    }
    record: type[_Record] = create_model(
        name, __base__=_Record, __doc__=doc, **_ADDRESS, **{**from_model, **fields}
    )
    return record


_IDS = list[str]

ActorRecord = _record(
    "ActorRecord",
    Actor,
    "A person or organisation, with the facts that name them.",
    members=(_IDS, Field(description="actor ids of those affiliated with this organization")),
    stories=(_IDS, Field(description="story ids, sorted")),
    events=(_IDS, Field(description="event ids, by date")),
    quotes=(_IDS, Field(description="quote ids, by date")),
)
ActorSummaryRecord = _record(
    "ActorSummaryRecord", Actor, "An actor as a story lists it.", only=("name", "type", "role")
)
SourceRecord = _record(
    "SourceRecord",
    Source,
    "Where facts come from, and which facts cite it.",
    cited_by=(_IDS, Field(description="ids of the facts that cite it, sorted")),
)
EventRecord = _record(
    "EventRecord",
    Event,
    "Something that happened on a date.",
    stories=(_IDS, Field(description="the stories it belongs to that the site shows")),
    quotes=(_IDS, Field(description="ids of the quotes about it, by date")),
)
QuoteRecord = _record(
    "QuoteRecord",
    Quote,
    "Words someone said or wrote, as published.",
    speaker_name=(str, ...),
    event=(str | None, Field(description="the event it is about, when the site shows it")),
    stories=(_IDS, Field(description="the stories it appears in")),
    disputed_by=(_IDS, Field(description="ids of the quotes that contradict it")),
)
StoryRecord = _record(
    "StoryRecord",
    Story,
    "One explainer with every fact it gathers, resolved.",
    corrections=(list[Correction], Field(description="newest first")),
    events=(list[EventRecord], Field(description="by date; a month or a year before its days")),  # type: ignore[valid-type]
    quotes=(list[QuoteRecord], Field(description="by date")),  # type: ignore[valid-type]
    actors=(list[ActorSummaryRecord], Field(description="by name")),  # type: ignore[valid-type]
    sources=(
        list[SourceRecord],  # type: ignore[valid-type]
        Field(description="every source that backs the story, its events or its quotes; by id"),
    ),
)

FigureRecord = _record(
    "FigureRecord",
    Figure,
    "A number a report states, with the figures that revise it.",
    stories=(_IDS, Field(description="the stories it appears in")),
    latest=(str, Field(description="the id of the latest figure of its chain of revisions")),
    revised_by=(_IDS, Field(description="ids of the figures that revise it")),
)
ClaimRecord = _record(
    "ClaimRecord",
    Claim,
    "A statement of fact that a story tests, with its status.",
    stories=(_IDS, Field(description="the stories it appears in")),
)

RECORD_OF_KIND: dict[str, type[BaseModel]] = {
    "index": ApiIndex,
    **{
        kind_of(name): record
        for name, record in (
            ("actors", ActorRecord),
            ("sources", SourceRecord),
            ("events", EventRecord),
            ("quotes", QuoteRecord),
            ("stories", StoryRecord),
            ("figures", FigureRecord),
            ("claims", ClaimRecord),
        )
    },
}
"""Each kind of API file and the model that describes it; ``api/schema/<kind>.json``."""


def render_api(graph: Graph, options: SiteOptions) -> dict[str, Output]:
    """Every file of the JSON API, as ``{path in the docs folder: JSON text}``."""
    return run_jobs(api_jobs(graph, options), graph)


def api_jobs(graph: Graph, options: SiteOptions) -> list[OutputJob]:
    """A job for every file of the JSON API: one per fact, the index and the schemas."""
    makers: dict[str, Callable[[_Exporter, str], _Record]] = {
        "actors": _Exporter.actor,
        "sources": _Exporter.source,
        "events": _Exporter.event,
        "quotes": _Exporter.quote,
        "stories": _Exporter.story,
        "figures": _Exporter.figure,
        "claims": _Exporter.claim,
    }

    def record(source: Graph, make: Callable[[_Exporter, str], _Record], fact_id: str) -> str:
        return dump_json(
            make(_Exporter(source, options.address), fact_id).model_dump(mode="json", by_alias=True)
        )

    jobs = [
        OutputJob(
            api_path(collection, fact_id), functools.partial(record, make=make, fact_id=fact_id)
        )
        for collection, make in makers.items()
        for fact_id in getattr(graph, collection)
    ]
    jobs.append(
        OutputJob(
            f"{API_FOLDER}/index.json",
            lambda source: dump_json(_Exporter(source, options.address).index()),
        )
    )
    jobs.extend(
        fixed_text(schema_path(kind), dump_json(api_schema(kind))) for kind in RECORD_OF_KIND
    )
    return jobs


def api_path(collection: str, fact_id: str) -> str:
    """The API file of a fact, relative to the site's root: ``api/stories/<id>.json``."""
    return f"{API_FOLDER}/{collection}/{fact_id}.json"


def schema_path(kind: str) -> str:
    """The JSON Schema of a kind of API file, relative to the site's root."""
    return f"{API_FOLDER}/schema/{kind}.json"


def api_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one kind of API file."""
    schema = RECORD_OF_KIND[kind].model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def dump_json(data: Any) -> str:
    """JSON as the API writes it: sorted keys, UTF-8 text, compact, a final newline.

    Why compact: with an indent Python's JSON encoder falls back to its slow pure-Python path,
    which made the export a tenth of a large build; tools read compact JSON just as well.
    """
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


class _Exporter:
    """Turns the graph's facts into API records, with URLs for one site address."""

    def __init__(self, graph: Graph, address: SiteAddress):
        self.graph = graph
        self.address = address

    def urls(self, collection: str, fact_id: str) -> dict[str, str]:
        return {
            "api_url": self.address.url(api_path(collection, fact_id)),
            "page_url": self.address.fact_url(self.graph, fact_id) or "",
        }

    def index(self) -> dict[str, Any]:
        """The index as JSON data, in the shape ``ApiIndex`` describes.

        Why plain data rather than the model: the index of a large archive holds tens of
        thousands of entries, and building and dumping a model for each cost a preview a fifth
        of a second after every edit; the schema test checks the data against the model's schema.
        """
        graph = self.graph
        data: dict[str, Any] = {
            "version": API_VERSION,
            "schemas": {kind: self.address.url(schema_path(kind)) for kind in RECORD_OF_KIND},
        }
        for collection in NAMES:
            data[collection] = [
                {"id": fact_id, "title": self.title(fact_id), **self.urls(collection, fact_id)}
                for fact_id in sorted(getattr(graph, collection))
            ]
        return data

    def title(self, fact_id: str) -> str:
        quote = self.graph.quotes.get(fact_id)
        return quote.text if quote is not None else self.graph.title_of(fact_id)

    def record(
        self, record: type[_Record], collection: str, fact_id: str, **derived: Any
    ) -> _Record:
        """A fact as an API record: its own fields as the facts give them, its address, and
        the ``derived`` fields (which replace any field of the same name)."""
        model = getattr(self.graph, collection)[fact_id]
        own = {
            name: getattr(model, name)
            for name in record.model_fields
            if name in type(model).model_fields
        }
        return record(**{**own, "id": fact_id, **self.urls(collection, fact_id), **derived})

    def actor(self, actor_id: str) -> _Record:
        graph = self.graph
        return self.record(
            ActorRecord,
            "actors",
            actor_id,
            members=sorted(graph.actor_members.get(actor_id, ())),
            stories=list(graph.actor_stories.get(actor_id, ())),
            events=list(graph.actor_events.get(actor_id, ())),
            quotes=list(graph.actor_quotes.get(actor_id, ())),
        )

    def source(self, source_id: str) -> _Record:
        cited_by = list(self.graph.source_citers.get(source_id, ()))
        return self.record(SourceRecord, "sources", source_id, cited_by=cited_by)

    def event(self, event_id: str) -> _Record:
        graph = self.graph
        return self.record(
            EventRecord,
            "events",
            event_id,
            # Only what the site shows: a story left out as a draft has no file to point to.
            stories=[s for s in graph.events[event_id].stories if s in graph.stories],
            quotes=list(graph.event_quotes.get(event_id, ())),
        )

    def quote(self, quote_id: str) -> _Record:
        graph = self.graph
        quote: Quote = graph.quotes[quote_id]
        return self.record(
            QuoteRecord,
            "quotes",
            quote_id,
            speaker_name=graph.actors[quote.speaker].name,
            event=quote.event if quote.event in graph.events else None,
            stories=list(graph.quote_stories.get(quote_id, ())),
            disputes=[q for q in quote.disputes if q in graph.quotes],
            disputed_by=list(graph.disputed_by.get(quote_id, ())),
        )

    def figure(self, figure_id: str) -> _Record:
        graph = self.graph
        revised_by = sorted(f for f, m in graph.figures.items() if m.revises == figure_id)
        return self.record(
            FigureRecord,
            "figures",
            figure_id,
            stories=list(graph.figure_stories.get(figure_id, ())),
            latest=graph.figure_latest[figure_id],
            revised_by=revised_by,
        )

    def claim(self, claim_id: str) -> _Record:
        stories = list(self.graph.claim_stories.get(claim_id, ()))
        return self.record(ClaimRecord, "claims", claim_id, stories=stories)

    def story(self, story_id: str) -> _Record:
        graph = self.graph
        story: Story = graph.stories[story_id]
        return self.record(
            StoryRecord,
            "stories",
            story_id,
            corrections=sorted(story.corrections, key=lambda c: c.date, reverse=True),
            events=[self.event(e) for e in graph.story_events.get(story_id, ())],
            quotes=[self.quote(q) for q in graph.story_quotes.get(story_id, ())],
            actors=[
                self.record(ActorSummaryRecord, "actors", a)
                for a in graph.story_actors.get(story_id, ())
            ],
            sources=[self.source(s) for s in graph.story_sources.get(story_id, ())],
        )
