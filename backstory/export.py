"""A read-only JSON API of the site's facts: static files under ``api/``, with a JSON Schema for
each kind of file under ``api/schema/``.

Pure like the render stage: the same graph gives the same bytes (keys sorted, lists in a stated
order). The pydantic models below are the one source of truth for both the files and their schemas.
Markdown fields are exported as the facts write them, with ``[[id]]`` and ``[@source-id]`` intact
(the content model describes them); every other reference is an id that has a file of its own.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from .models import Actor, Event, Quote, Source, Story
from .outputs import OutputJob, fixed_text, run_jobs
from .resolve import Graph
from .urls import SiteAddress, SiteOptions

API_FOLDER = "api"
API_VERSION: Final = 1
COLLECTIONS = ("actors", "sources", "events", "quotes", "stories")
PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"

ActorType = Literal["person", "organization"]
SourceType = Literal[
    "article", "wire", "email", "statement", "document", "court-record", "interview", "data"
]
QuoteVia = Literal[
    "email", "statement", "interview", "press-conference", "court-filing", "social-media", "report"
]
"""The content model's choices, repeated here so the export's schema can name them
(a test checks that they match ``models.py``)."""


class _Record(BaseModel):
    """Shared settings: every field is always present, and nothing else is."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class IndexEntry(_Record):
    """One fact in the index: its id, how it is shown, its API file and its place on the site."""

    id: str
    title: str = Field(description="its name or title; for a quote, its text")
    api_url: str = Field(description="its file in this API")
    page_url: str = Field(description="where the site shows it")


class ApiIndex(_Record):
    """Every fact of the site by collection, each list sorted by id."""

    version: Literal[1] = Field(description="the export format's version")
    schemas: dict[str, str] = Field(description="the JSON Schema of each kind of file")
    actors: list[IndexEntry]
    sources: list[IndexEntry]
    events: list[IndexEntry]
    quotes: list[IndexEntry]
    stories: list[IndexEntry]


class LinkRecord(_Record):
    """A titled link to elsewhere on the web."""

    title: str
    url: str


class ActorRecord(_Record):
    """A person or organisation, with the facts that name them."""

    id: str
    api_url: str
    page_url: str
    name: str
    type: ActorType
    role: str | None
    affiliation: str | None = Field(description="an organization's actor id")
    summary: str | None = Field(description="Markdown")
    aliases: list[str]
    links: list[LinkRecord]
    members: list[str] = Field(description="actor ids of those affiliated with this organization")
    stories: list[str] = Field(description="story ids, sorted")
    events: list[str] = Field(description="event ids, by date")
    quotes: list[str] = Field(description="quote ids, by date")


class ActorSummaryRecord(_Record):
    """An actor as a story lists it."""

    id: str
    api_url: str
    page_url: str
    name: str
    type: ActorType
    role: str | None


class SourceRecord(_Record):
    """Where facts come from, and which facts cite it."""

    id: str
    api_url: str
    page_url: str
    title: str
    publisher: str
    type: SourceType | None
    url: str | None = Field(description="the original, elsewhere on the web")
    date: dt.date | None
    cited_by: list[str] = Field(description="ids of the facts that cite it, sorted")


class EventRecord(_Record):
    """Something that happened on a date."""

    id: str
    api_url: str
    page_url: str
    title: str
    date: str = Field(pattern=PARTIAL_DATE_PATTERN, description="YYYY-MM-DD, or YYYY-MM or YYYY")
    summary: str | None = Field(description="Markdown")
    stories: list[str]
    sources: list[str]
    actors: list[str]
    quotes: list[str] = Field(description="ids of the quotes about it, by date")


class QuoteRecord(_Record):
    """Words someone said or wrote, as published."""

    id: str
    api_url: str
    page_url: str
    text: str
    speaker: str
    speaker_name: str
    date: dt.date
    source: str
    via: QuoteVia | None
    event: str | None
    stories: list[str] = Field(description="the stories it appears in")
    disputes: list[str] = Field(description="ids of the quotes it contradicts")
    disputed_by: list[str] = Field(description="ids of the quotes that contradict it")


class QuestionRecord(_Record):
    """One question of an explainer and its Markdown answer."""

    question: str
    answer: str


class CorrectionRecord(_Record):
    """A dated correction to a story (Markdown)."""

    date: dt.date
    text: str


class StoryRecord(_Record):
    """One explainer with every fact it gathers, resolved."""

    id: str
    api_url: str
    page_url: str
    title: str
    summary: str = Field(description="Markdown")
    published: dt.date
    updated: dt.date | None
    draft: bool
    topics: list[str]
    questions: list[QuestionRecord]
    unknowns: list[str]
    next: list[str]
    corrections: list[CorrectionRecord] = Field(description="newest first")
    events: list[EventRecord] = Field(description="by date; a month or a year before its days")
    quotes: list[QuoteRecord] = Field(description="by date")
    actors: list[ActorSummaryRecord] = Field(description="by name")
    sources: list[SourceRecord] = Field(
        description="every source that backs the story, its events or its quotes; by id"
    )


RECORD_OF_KIND: dict[str, type[_Record]] = {
    "index": ApiIndex,
    "actor": ActorRecord,
    "source": SourceRecord,
    "event": EventRecord,
    "quote": QuoteRecord,
    "story": StoryRecord,
}
"""Each kind of API file and the model that describes it; ``api/schema/<kind>.json``."""

def render_api(graph: Graph, options: SiteOptions) -> dict[str, str]:
    """Every file of the JSON API, as ``{path in the docs folder: JSON text}``."""
    return run_jobs(api_jobs(graph, options), graph)


def api_jobs(graph: Graph, options: SiteOptions) -> list[OutputJob]:
    """A job for every file of the JSON API: one per fact, the index and the schemas."""
    makers = {
        "actors": _Exporter.actor,
        "sources": _Exporter.source,
        "events": _Exporter.event,
        "quotes": _Exporter.quote,
        "stories": _Exporter.story,
    }

    def record(source: Graph, make: Callable[[_Exporter, str], _Record], fact_id: str) -> str:
        return dump_json(make(_Exporter(source, options.address), fact_id).model_dump(mode="json"))

    jobs = [
        OutputJob(api_path(collection, fact_id), functools.partial(record, make=make, fact_id=fact_id))
        for collection, make in makers.items()
        for fact_id in getattr(graph, collection)
    ]
    jobs.append(OutputJob(
        f"{API_FOLDER}/index.json",
        lambda source: dump_json(_Exporter(source, options.address).index()),
    ))
    jobs.extend(fixed_text(schema_path(kind), dump_json(api_schema(kind))) for kind in RECORD_OF_KIND)
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
        for collection in COLLECTIONS:
            data[collection] = [
                {"id": fact_id, "title": self.title(fact_id), **self.urls(collection, fact_id)}
                for fact_id in sorted(getattr(graph, collection))
            ]
        return data

    def title(self, fact_id: str) -> str:
        quote = self.graph.quotes.get(fact_id)
        return quote.text if quote is not None else self.graph.title_of(fact_id)

    def actor(self, actor_id: str) -> ActorRecord:
        graph = self.graph
        actor: Actor = graph.actors[actor_id]
        return ActorRecord(
            id=actor_id,
            **self.urls("actors", actor_id),
            name=actor.name,
            type=actor.type,
            role=actor.role,
            affiliation=actor.affiliation,
            summary=actor.summary,
            aliases=list(actor.aliases),
            links=[LinkRecord(title=link.title, url=link.url) for link in actor.links],
            members=sorted(graph.actor_members.get(actor_id, [])),
            stories=list(graph.actor_stories.get(actor_id, [])),
            events=list(graph.actor_events.get(actor_id, [])),
            quotes=list(graph.actor_quotes.get(actor_id, [])),
        )

    def actor_summary(self, actor_id: str) -> ActorSummaryRecord:
        actor: Actor = self.graph.actors[actor_id]
        return ActorSummaryRecord(
            id=actor_id,
            **self.urls("actors", actor_id),
            name=actor.name,
            type=actor.type,
            role=actor.role,
        )

    def source(self, source_id: str) -> SourceRecord:
        source: Source = self.graph.sources[source_id]
        return SourceRecord(
            id=source_id,
            **self.urls("sources", source_id),
            title=source.title,
            publisher=source.publisher,
            type=source.type,
            url=source.url,
            date=source.date,
            cited_by=list(self.graph.source_citers.get(source_id, [])),
        )

    def event(self, event_id: str) -> EventRecord:
        graph = self.graph
        event: Event = graph.events[event_id]
        return EventRecord(
            id=event_id,
            **self.urls("events", event_id),
            title=event.title,
            date=event.date,
            summary=event.summary,
            # Only what the site shows: a story left out as a draft has no file to point to.
            stories=[s for s in event.stories if s in graph.stories],
            sources=list(event.sources),
            actors=list(event.actors),
            quotes=list(graph.event_quotes.get(event_id, [])),
        )

    def quote(self, quote_id: str) -> QuoteRecord:
        graph = self.graph
        quote: Quote = graph.quotes[quote_id]
        return QuoteRecord(
            id=quote_id,
            **self.urls("quotes", quote_id),
            text=quote.text,
            speaker=quote.speaker,
            speaker_name=graph.actors[quote.speaker].name,
            date=quote.date,
            source=quote.source,
            via=quote.via,
            event=quote.event if quote.event in graph.events else None,
            stories=list(graph.quote_stories.get(quote_id, [])),
            disputes=[q for q in quote.disputes if q in graph.quotes],
            disputed_by=list(graph.disputed_by.get(quote_id, [])),
        )

    def story(self, story_id: str) -> StoryRecord:
        graph = self.graph
        story: Story = graph.stories[story_id]
        event_ids = graph.story_events.get(story_id, [])
        quote_ids = graph.story_quotes.get(story_id, [])
        backing = {story_id, *event_ids, *quote_ids}
        source_ids = sorted({s for fact_id in backing for s in self.graph.cited_sources.get(fact_id, ())})
        return StoryRecord(
            id=story_id,
            **self.urls("stories", story_id),
            title=story.title,
            summary=story.summary,
            published=story.published,
            updated=story.updated,
            draft=story.draft,
            topics=list(story.topics),
            questions=[
                QuestionRecord(question=q.question, answer=q.answer) for q in story.questions
            ],
            unknowns=list(story.unknowns),
            next=list(story.next),
            corrections=[
                CorrectionRecord(date=c.date, text=c.text)
                for c in sorted(story.corrections, key=lambda c: c.date, reverse=True)
            ],
            events=[self.event(e) for e in event_ids],
            quotes=[self.quote(q) for q in quote_ids],
            actors=[self.actor_summary(a) for a in graph.story_actors.get(story_id, [])],
            sources=[self.source(s) for s in source_ids],
        )
