"""The content model (the fact-file contract, versions 1 and 2) as typed models: one source of
truth for the validator, the JSON Schemas that editors' tools use, and the API's records.

Fields carry what the later stages need to know about them in their JSON Schema extras, read by
``fields.py``: ``x-references`` (the collections an id may name), ``x-markdown`` (a Markdown field
with the ``[[id]]`` and ``[@id]`` forms) and ``x-url`` (an http or https address).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from ..diagnostics import did_you_mean
from ..text import SLUG_MAX_LENGTH

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_PARTIAL_DATE_SCHEMA = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
"""What a JSON Schema can say of a partial date (the validator also rejects 2021-02-30)."""


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
                {"type": "string", "pattern": _PARTIAL_DATE_SCHEMA},
                {"type": "integer", "minimum": 1, "maximum": 9999},
            ],
            "description": "YYYY-MM-DD, or YYYY-MM or YYYY when only that is known",
        }
    ),
]
"""An ISO date that may stop at the month or the year: ``2020-01-13``, ``2020-01``, ``2020``."""

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
LANGUAGE_TAG = re.compile(
    r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|\d{3}))?(-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*$"
)


def _parse_time(value: Any) -> str:
    text = value if isinstance(value, str) else ""
    match = _TIME.match(text.strip())
    if match is None:
        raise PydanticCustomError(
            "backstory_time_format",
            "expected a time written HH:MM on the 24-hour clock, such as 20:05 (got {got})",
            {"got": repr(value)},
        )
    return f"{int(match.group(1)):02d}:{match.group(2)}"


@functools.cache
def known_timezones() -> frozenset[str]:
    """Every IANA time zone name this machine knows (from the tzdata package), and UTC."""
    return frozenset(zoneinfo.available_timezones()) | {"UTC"}


def _check_timezone(value: Any) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if text not in known_timezones():
        hint = did_you_mean(text, known_timezones()) if text else None
        raise PydanticCustomError(
            "backstory_timezone",
            "{got} is not a time zone; write an IANA name such as America/Denver or "
            "Europe/Madrid{hint}",
            {"got": repr(value), "hint": f" ({hint})" if hint else ""},
        )
    return text


def _check_language(value: Any) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not LANGUAGE_TAG.match(text):
        raise PydanticCustomError(
            "backstory_language",
            "{got} is not a language tag; write a BCP 47 tag such as en, es or es-MX",
            {"got": repr(value)},
        )
    return text


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PydanticCustomError(
            "backstory_number",
            "expected a number written with digits only, such as 54000 or 3.5 (got {got})",
            {"got": repr(value)},
        )
    return value


def _references(*collections: str) -> dict[str, Any]:
    return {"x-references": list(collections)}


def Ref(*collections: str, description: str | None = None) -> Any:
    """The id of a fact of one of ``collections`` (the resolver checks it exists)."""
    return Annotated[
        str,
        Field(
            description=description or "the id of another fact (its file name without .yml)",
            json_schema_extra=_references(*collections),
        ),
    ]


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Markdown = Annotated[
    str,
    StringConstraints(min_length=1),
    Field(
        description="Markdown; [[id]] or [[id|words]] links to a fact, [@source-id] cites a source",
        json_schema_extra={"x-markdown": True},
    ),
]
WebAddress = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    Field(json_schema_extra={"x-url": True}),
]
"""An http or https address."""
Time = Annotated[
    str,
    BeforeValidator(_parse_time),
    WithJsonSchema({"type": "string", "pattern": r"^([01]?\d|2[0-3]):[0-5]\d$"}),
    Field(description="HH:MM, 24-hour, local time; only with a full date"),
]
Timezone = Annotated[
    str,
    BeforeValidator(_check_timezone),
    WithJsonSchema({"type": "string"}),
    Field(description="an IANA time zone such as America/Denver; the site's default when absent"),
]
Language = Annotated[
    str,
    BeforeValidator(_check_language),
    WithJsonSchema({"type": "string", "pattern": LANGUAGE_TAG.pattern}),
    Field(description="a BCP 47 language tag such as en, es or es-MX"),
]

Id = Annotated[str, Field(description="the id of another fact (its file name without .yml)")]


class Fact(BaseModel):
    """Shared settings: unknown fields are errors, so a typo never vanishes silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)

    id: str | None = Field(
        default=None, description="optional; when given it must equal the file name"
    )


class Part(BaseModel):
    """A mapping inside a fact (a link, a question, a correction...): unknown fields are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Link(Part):
    """A titled link to elsewhere on the web."""

    title: Text
    url: WebAddress


class Image(Part):
    """A picture from ``content/media/``, with the words that go with it."""

    file: Text = Field(
        description="a path under content/media/, such as council.jpg",
        json_schema_extra={"x-media": True},
    )
    alt: Text = Field(description="what the picture shows, for readers who cannot see it")
    credit: Text = Field(description="who made it, as it is credited: AP Photo/David Zalubowski")
    caption: Markdown | None = None
    source: Ref("sources", description="the source it was published in") | None = None  # type: ignore[valid-type]


class Role(Part):
    """A role held over a period: a quote or event shows the one held on its date."""

    role: Text
    from_: Date | None = Field(default=None, alias="from", description="when it began")
    until: Date | None = Field(default=None, description="when it ended")
    affiliation: Ref("actors", description="the organization it was held at") | None = None  # type: ignore[valid-type]


class Actor(Fact):
    """A person or organisation that the facts name; an anonymous one is an unnamed source."""

    name: Text = Field(
        description="the name as it appears in print, such as Jane Q. Public; for an "
        "anonymous source, the description the report gives"
    )
    type: Literal["person", "organization"]
    role: Text | None = Field(
        default=None, description="what they do, such as public information officer"
    )
    affiliation: Ref("actors", description="an organization's id") | None = None  # type: ignore[valid-type]
    summary: Markdown | None = None
    aliases: list[Text] = Field(default_factory=list, description="other names print may use")
    links: list[Link] = Field(default_factory=list)
    anonymous: bool = Field(default=False, description="an unnamed source: no page of its own")
    reason: Text | None = Field(
        default=None, description="why the source was not named, as reported; required if anonymous"
    )
    roles: list[Role] = Field(default_factory=list, description="roles over time")
    same_as: list[WebAddress] = Field(
        default_factory=list, description="the same entity elsewhere, such as a Wikidata item"
    )
    image: Image | None = None


class Source(Fact):
    """Where a fact comes from: a wire story, an email, a court record."""

    title: Text
    publisher: Text = Field(description="who published it, such as a newspaper or agency")
    type: (
        Literal[
            "article",
            "wire",
            "email",
            "statement",
            "document",
            "court-record",
            "interview",
            "data",
            "press-release",
            "social-media",
            "broadcast",
        ]
        | None
    ) = None
    url: WebAddress | None = None
    date: Date | None = None
    agency: Text | None = Field(
        default=None, description="who wrote it, when another outlet published it"
    )
    byline: list[Text] = Field(default_factory=list, description="the authors")
    updated: Date | None = Field(default=None, description="changed after date; not before it")
    accessed: Date | None = Field(default=None, description="when the newsroom last read it")
    archive_url: WebAddress | None = Field(default=None, description="an archived copy")
    language: Language | None = None


class Event(Fact):
    """Something that happened on a date, or over a span of days."""

    title: Text = Field(description="one line, as a headline")
    date: PartialDate
    stories: list[Ref("stories")] = Field(  # type: ignore[valid-type]
        min_length=1, description="the explainers this event belongs to"
    )
    sources: list[Ref("sources")] = Field(min_length=1, description="no unsourced facts")  # type: ignore[valid-type]
    actors: list[Ref("actors")] = Field(default_factory=list, description="who took part")  # type: ignore[valid-type]
    summary: Markdown | None = None
    end: Date | None = Field(default=None, description="the last day of a span; not before date")
    time: Time | None = None
    timezone: Timezone | None = None
    location: Text | None = Field(default=None, description="where it happened")
    image: Image | None = None


class Translation(Part):
    """A published translation of a quote's words, by the outlet whose it is."""

    text: Text
    language: Language
    source: Ref("sources", description="the source whose translation it is")  # type: ignore[valid-type]


class QuoteCorrection(Part):
    """A correction of a quote: its wording, its speaker or its date."""

    date: Date
    text: Markdown
    was: Text | None = Field(default=None, description="the earlier wording")


class Quote(Fact):
    """Words someone said or wrote, as published."""

    text: Text = Field(description="the words, verbatim, without surrounding quotation marks")
    speaker: Ref("actors")  # type: ignore[valid-type]
    date: PartialDate = Field(description="when it was said or written")
    source: Ref("sources", description="where it was published")  # type: ignore[valid-type]
    via: (
        Literal[
            "email",
            "statement",
            "interview",
            "press-conference",
            "court-filing",
            "social-media",
            "report",
            "phone",
            "letter",
            "document",
        ]
        | None
    ) = None
    event: Ref("events", description="what it is about") | None = None  # type: ignore[valid-type]
    stories: list[Ref("stories")] | None = Field(  # type: ignore[valid-type]
        default=None, description="where absent, the stories of its event"
    )
    disputes: list[Ref("quotes")] = Field(  # type: ignore[valid-type]
        default_factory=list, description="quotes this one contradicts; shown side by side"
    )
    kind: Literal["verbatim", "partial", "paraphrase"] = Field(
        default="verbatim",
        description="partial: a fragment of a sentence; paraphrase: what was said, not the words",
    )
    context: Markdown | None = Field(
        default=None, description="the words that lead into a partial quote or frame a paraphrase"
    )
    language: Language | None = Field(default=None, description="the language of text")
    translations: list[Translation] = Field(default_factory=list)
    responds_to: list[Ref("quotes")] = Field(  # type: ignore[valid-type]
        default_factory=list, description="quotes this one replies to without contradicting"
    )
    corrections: list[QuoteCorrection] = Field(default_factory=list)
    time: Time | None = None
    timezone: Timezone | None = None


class Question(Part):
    """One question of an explainer and its answer."""

    question: Text
    answer: Markdown


class Correction(Part):
    """A dated correction to a story."""

    date: Date
    text: Markdown


class Unknown(Part):
    """Something the story does not know yet, and what answered it once it is known."""

    text: Markdown
    since: Date | None = Field(default=None, description="since when it has been open")
    answered_by: (
        Ref(  # type: ignore[valid-type]
            "events", "quotes", "figures", "claims", description="the fact that answers it"
        )
        | None
    ) = None


class NextStep(Part):
    """Something that could happen next, and what became of it."""

    text: Markdown
    expected: PartialDate | None = Field(default=None, description="when it is expected")
    happened: Ref("events", description="the event that then happened") | None = None  # type: ignore[valid-type]
    dropped: Markdown | None = Field(default=None, description="why it will not happen")


def _text_or_mapping(value: Any) -> str:
    return "as-mapping" if isinstance(value, (dict, BaseModel)) else "as-text"


UnknownItem = Annotated[
    Annotated[Markdown, Tag("as-text")] | Annotated[Unknown, Tag("as-mapping")],
    Discriminator(_text_or_mapping),
]
NextItem = Annotated[
    Annotated[Markdown, Tag("as-text")] | Annotated[NextStep, Tag("as-mapping")],
    Discriminator(_text_or_mapping),
]
UNION_TAGS = ("as-text", "as-mapping")
"""The tags of a field that is a text or a mapping, which pydantic puts in error locations
(never field names: those have no hyphen)."""


class Story(Fact):
    """One explainer: its framing, questions and answers; it gathers the facts that name it."""

    title: Text
    summary: Markdown = Field(description='the one-paragraph answer to "what is going on"')
    published: Date
    updated: Date | None = Field(default=None, description="not before published")
    topics: list[Text] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)
    unknowns: list[UnknownItem] = Field(default_factory=list)
    next: list[NextItem] = Field(default_factory=list)
    corrections: list[Correction] = Field(default_factory=list)
    draft: bool = False
    image: Image | None = None
    language: Language | None = Field(
        default=None, description="the language of the story; the site's when absent"
    )


class Figure(Fact):
    """A number a report states (a toll, a cost, a count), which later figures may revise."""

    label: Text = Field(description="what is counted, such as Deaths in Pakistan")
    value: Annotated[int | float, BeforeValidator(_number)] = Field(
        description="the number, such as 54000"
    )
    unit: Text | None = Field(default=None, description="such as people or USD")
    qualifier: Literal["about", "at-least", "more-than", "up-to"] | None = None
    date: PartialDate = Field(description="as of when")
    time: Time | None = None
    timezone: Timezone | None = None
    source: Ref("sources")  # type: ignore[valid-type]
    given_by: Ref("actors", description="who stated it") | None = None  # type: ignore[valid-type]
    revises: Ref("figures", description="the earlier figure this one replaces") | None = None  # type: ignore[valid-type]
    event: Ref("events") | None = None  # type: ignore[valid-type]
    stories: list[Ref("stories")] | None = Field(  # type: ignore[valid-type]
        default=None, description="where absent, those of its event, else of the figure it revises"
    )
    note: Markdown | None = None


class Claim(Fact):
    """A statement of fact that the story tests, in the newsroom's words, with its status."""

    text: Markdown
    status: Literal["confirmed", "disputed", "unverified", "false"] = Field(
        description="the newsroom's assessment as of checked"
    )
    checked: Date = Field(description="when the newsroom last assessed it")
    asserted_by: list[Ref("quotes", "sources")] = Field(  # type: ignore[valid-type]
        default_factory=list, description="quotes or sources that say it is so"
    )
    disputed_by: list[Ref("quotes", "sources")] = Field(  # type: ignore[valid-type]
        default_factory=list, description="quotes or sources that say otherwise"
    )
    evidence: Markdown | None = Field(
        default=None, description="what the newsroom found, cited with [@source]"
    )
    stories: list[Ref("stories")] | None = Field(  # type: ignore[valid-type]
        default=None, description="where absent, the stories of its quotes"
    )
