"""The content model (the fact-file contract) as typed models: one source of truth for the
validator and for the JSON Schemas that editors' tools use."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from ..text import SLUG_MAX_LENGTH

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def is_slug(text: str) -> bool:
    """True when ``text`` follows the id rule: lowercase ASCII words joined by hyphens, at most
    80 characters."""
    return len(text) <= SLUG_MAX_LENGTH and bool(_SLUG.match(text))


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    match = _ISO_DATE.match(text or "")
    if match is None:
        raise PydanticCustomError(
            "backstory_date_format",
            "expected a date written YYYY-MM-DD, such as 2020-01-16 (got {got})",
            {"got": repr(value)},
        )
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError as error:
        raise PydanticCustomError(
            "backstory_date_impossible",
            "{got} is not a real date: {reason}",
            {"got": text, "reason": str(error)},
        ) from None


def _parse_partial_date(value: Any) -> str:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    match = _PARTIAL_DATE.match(text)
    if match is None:
        raise PydanticCustomError(
            "backstory_partial_date_format",
            "expected a date written YYYY-MM-DD, or YYYY-MM or YYYY when only the month or "
            "year is known (got {got})",
            {"got": repr(value)},
        )
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        dt.date(year, month or 1, day or 1)  # type: ignore[arg-type]
    except ValueError as error:
        raise PydanticCustomError(
            "backstory_date_impossible",
            "{got} is not a real date: {reason}",
            {"got": text, "reason": str(error)},
        ) from None
    return text


Date = Annotated[
    dt.date,
    BeforeValidator(_parse_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": _ISO_DATE.pattern}),
]
"""A full ISO date, ``2020-01-16``."""

PartialDate = Annotated[
    str,
    BeforeValidator(_parse_partial_date),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": _PARTIAL_DATE.pattern},
                {"type": "integer", "minimum": 1, "maximum": 9999},
            ],
            "description": "YYYY-MM-DD, or YYYY-MM or YYYY when only that is known",
        }
    ),
]
"""An ISO date that may stop at the month or the year: ``2020-01-13``, ``2020-01``, ``2020``."""

Id = Annotated[str, Field(description="the id of another fact (its file name without .yml)")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
MARKDOWN_MEDIA_TYPE = "text/markdown"
Markdown = Annotated[
    str,
    StringConstraints(min_length=1),
    Field(
        description="Markdown; [[id]] or [[id|words]] links to a fact, [@source-id] cites a source",
        json_schema_extra={"contentMediaType": MARKDOWN_MEDIA_TYPE},
    ),
]
"""Text in which ``[[id]]`` links and ``[@source-id]`` cites; marked as Markdown in the schema
(``contentMediaType``), which is how the editors' tools know to offer a Markdown box."""

REFERENCES = "references"
"""The JSON Schema keyword (an annotation) that names the collections an id field points to."""


def references(*collections: str) -> dict[str, Any]:
    """Field metadata for an id field, or a list of ids: the collections its ids name, such as
    ``Field(json_schema_extra=references("actors"))``. The one statement of what each reference
    field points to; the content manager's pick lists are made from it."""
    return {REFERENCES: list(collections)}


def referenced_collections(field: FieldInfo) -> tuple[str, ...]:
    """The collections an id field (or each id of a list field) points to; () for other fields."""
    extra = field.json_schema_extra
    named = extra.get(REFERENCES) if isinstance(extra, dict) else None
    return tuple(str(name) for name in named) if isinstance(named, list) else ()


class Fact(BaseModel):
    """Shared settings: unknown fields are errors, so a typo never vanishes silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)

    id: str | None = Field(
        default=None, description="optional; when given it must equal the file name"
    )


class Link(BaseModel):
    """A titled link to elsewhere on the web."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Text
    url: Text


class Actor(Fact):
    """A person or organisation that the facts name."""

    name: Text = Field(description="the name as it appears in print, such as Jane Q. Public")
    type: Literal["person", "organization"]
    role: Text | None = Field(
        default=None, description="what they do, such as public information officer"
    )
    affiliation: Id | None = Field(
        default=None, description="an organization's id", json_schema_extra=references("actors")
    )
    summary: Markdown | None = None
    aliases: list[Text] = Field(default_factory=list, description="other names print may use")
    links: list[Link] = Field(default_factory=list)


class Source(Fact):
    """Where a fact comes from: a wire story, an email, a court record."""

    title: Text
    publisher: Text = Field(description="who published it, such as a newspaper or agency")
    type: (
        Literal[
            "article", "wire", "email", "statement", "document", "court-record", "interview", "data"
        ]
        | None
    ) = None
    url: Text | None = None
    date: Date | None = None


class Event(Fact):
    """Something that happened on a date."""

    title: Text = Field(description="one line, as a headline")
    date: PartialDate
    stories: list[Id] = Field(
        min_length=1,
        description="the explainers this event belongs to",
        json_schema_extra=references("stories"),
    )
    sources: list[Id] = Field(
        min_length=1, description="no unsourced facts", json_schema_extra=references("sources")
    )
    actors: list[Id] = Field(
        default_factory=list, description="who took part", json_schema_extra=references("actors")
    )
    summary: Markdown | None = None


class Quote(Fact):
    """Words someone said or wrote, as published."""

    text: Text = Field(description="the words, verbatim, without surrounding quotation marks")
    speaker: Id = Field(json_schema_extra=references("actors"))
    date: Date = Field(description="when it was said or written")
    source: Id = Field(
        description="where it was published", json_schema_extra=references("sources")
    )
    via: (
        Literal[
            "email",
            "statement",
            "interview",
            "press-conference",
            "court-filing",
            "social-media",
            "report",
        ]
        | None
    ) = None
    event: Id | None = Field(
        default=None, description="what it is about", json_schema_extra=references("events")
    )
    stories: list[Id] | None = Field(
        default=None,
        description="where absent, the stories of its event",
        json_schema_extra=references("stories"),
    )
    disputes: list[Id] = Field(
        default_factory=list,
        description="quotes this one contradicts; shown side by side",
        json_schema_extra=references("quotes"),
    )


class Question(BaseModel):
    """One question of an explainer and its answer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    question: Text
    answer: Markdown


class Correction(BaseModel):
    """A dated correction to a story."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: Date
    text: Markdown


class Story(Fact):
    """One explainer: its framing, questions and answers; it gathers the facts that name it."""

    title: Text
    summary: Markdown = Field(description='the one-paragraph answer to "what is going on"')
    published: Date
    updated: Date | None = Field(default=None, description="not before published")
    topics: list[Text] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)
    unknowns: list[Markdown] = Field(default_factory=list)
    next: list[Markdown] = Field(default_factory=list)
    corrections: list[Correction] = Field(default_factory=list)
    draft: bool = False
