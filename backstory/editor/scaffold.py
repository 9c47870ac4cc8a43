"""Starter fact files for editors: a new fact file with its fields explained (``backstory new``).

No terminal output here: refusals are raised as ``ScaffoldError`` and the command line prints
them.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ..build.write import create_file
from ..diagnostics import did_you_mean
from ..errors import ScaffoldError
from ..facts.collections import BY_KIND, BY_NAME, kind_of
from ..facts.lint import PLACEHOLDER
from ..facts.load import YAML_SUFFIXES, content_files, yaml_field
from ..facts.markup import unsafe_url_reason
from ..facts.models import Date, PartialDate, is_slug
from ..text import SLUG_MAX_LENGTH, slugify, with_article

OPTIONS_OF_COLLECTION: dict[str, tuple[str, ...]] = {
    "actors": ("name", "type"),
    "sources": ("title", "publisher", "type", "url", "date"),
    "events": ("title", "date", "story", "source"),
    "quotes": ("text", "speaker", "date", "source", "event", "story"),
    "stories": ("title", "date"),
    "figures": ("label", "value", "date", "source", "story"),
    "claims": ("text", "status", "date", "story"),
}
"""Which ``backstory new`` options fill a field of each collection's files."""


@dataclass(frozen=True)
class _Field:
    """One field of a starter fact file.

    ``value`` is written as YAML (through ``yaml.safe_dump``); a field without a value and
    without ``required`` is written commented out, with ``example`` (trusted text of ours)."""

    key: str
    comment: str
    required: bool = False
    value: Any = None
    example: str = ""


@dataclass
class NewFact:
    """A fact file ``backstory new`` wrote (or would write), and notes for the editor."""

    path: Path
    text: str
    notes: list[str] = field(default_factory=list)

    @property
    def has_placeholders(self) -> bool:
        """True while a field still holds a TODO or a placeholder id such as ``source-id``."""
        fields = [line for line in self.text.splitlines() if not line.startswith("#")]
        return any(PLACEHOLDER.search(line) for line in fields)


def choices(collection: str, key: str) -> list[str]:
    """The allowed values of a fixed-choice field, from the model (so they follow the contract)."""
    annotation = BY_NAME[collection].model.model_fields[key].annotation
    for candidate in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(candidate) is typing.Literal:
            return [str(value) for value in typing.get_args(candidate)]
    raise KeyError(f"{collection}.{key} has no fixed choices")


def suggest_slug(text: str) -> str:
    """The nearest valid id to ``text``: ``My Story.yml`` becomes ``my-story``."""
    path = Path(text)
    if path.suffix in YAML_SUFFIXES:
        text = path.stem
    return slugify(text)


def check_new_id(content_dir: Path, root: Path, fact_id: str) -> None:
    """Refuse an id that breaks the slug rule or that a fact of any collection already has."""
    if not is_slug(fact_id):
        suggestion = suggest_slug(fact_id)
        raise ScaffoldError(
            f"'{fact_id}' is not a valid id: use lowercase letters, digits and single hyphens, "
            f"at most {SLUG_MAX_LENGTH} characters"
            + (f" (try '{suggestion}')" if suggestion and suggestion != fact_id else "")
        )
    for _collection, path in content_files(content_dir):
        if path.stem == fact_id:
            raise ScaffoldError(
                f"the id '{fact_id}' is already used by {_shown(path, root)}; "
                "ids must be unique across all collections"
            )


def new_fact(
    root: Path,
    kind: str,
    fact_id: str,
    values: Mapping[str, Any] | None = None,
    *,
    today: dt.date | None = None,
) -> NewFact:
    """Write ``content/<collection>/<fact_id>.yml``: a commented starter file, never over an
    existing file. ``values`` maps option names (``title``, ``story``, ...) to what was given."""
    planned = plan_fact(root, kind, fact_id, values, today=today)
    try:
        # Even if the file appeared since the checks above, it is not overwritten.
        create_file(planned.path, planned.text)
    except FileExistsError:
        raise ScaffoldError(
            f"{_shown(planned.path, root)} already exists; backstory new never overwrites a file"
        ) from None
    return planned


def plan_fact(
    root: Path,
    kind: str,
    fact_id: str,
    values: Mapping[str, Any] | None = None,
    *,
    today: dt.date | None = None,
) -> NewFact:
    """The file ``new_fact`` would write, without writing it; raises ScaffoldError on a refusal."""
    collection = BY_KIND[kind].name
    given = {key: value for key, value in (values or {}).items() if value not in (None, (), [])}
    unknown = [key for key in given if key not in OPTIONS_OF_COLLECTION[collection]]
    if unknown:
        raise ValueError(f"options {unknown} do not apply to {collection}")  # the CLI checks first
    content_dir = root / "content"
    check_new_id(content_dir, root, fact_id)
    path = content_dir / collection / f"{fact_id}.yml"
    if path.exists():
        raise ScaffoldError(
            f"{_shown(path, root)} already exists; backstory new never overwrites a file"
        )
    today = today or dt.date.today()
    existing = {path.stem: found for found, path in content_files(content_dir)}
    notes: list[str] = []
    fields = _FIELDS[collection](_Values(collection, given, existing, notes), today)
    schema = Path(os.path.relpath(root / "schemas" / f"{collection}.schema.json", path.parent))
    text = _render(schema.as_posix(), _HEADERS[collection], fields)
    if not (root / "schemas" / f"{collection}.schema.json").exists():
        notes.append(
            "no schemas/ folder: run backstory schema --out schemas for your editor's checks"
        )
    return NewFact(path, text, notes)


class _Values:
    """The option values given for one new file, each checked before it is used."""

    def __init__(
        self, collection: str, given: dict[str, Any], existing: dict[str, str], notes: list[str]
    ):
        self.collection = collection
        self.given = given
        self.existing = existing
        self.notes = notes

    def text(self, option: str) -> str | None:
        value = self.given.get(option)
        if value is None:
            return None
        if not str(value).strip():
            raise ScaffoldError(f"--{option} is empty; give the text or leave the option out")
        return str(value).strip()

    def choice(self, option: str, key: str) -> str | None:
        value = self.given.get(option)
        if value is None:
            return None
        allowed = choices(self.collection, key)
        if value not in allowed:
            hint = did_you_mean(value, allowed)
            raise ScaffoldError(
                f"--{option} '{value}' is not allowed here; write one of: {', '.join(allowed)}"
                + (f" ({hint})" if hint else "")
            )
        return str(value)

    def number(self, option: str) -> int | float | None:
        value = self.given.get(option)
        if value is None:
            return None
        try:
            number = float(str(value).replace(",", ""))
        except ValueError:
            raise ScaffoldError(
                f"--{option} '{value}' is not a number; write digits only"
            ) from None
        return int(number) if number.is_integer() else number

    def url(self, option: str) -> str | None:
        value = self.text(option)
        if value is None:
            return None
        reason = unsafe_url_reason(value, allow_relative=False)
        if reason is None and not re.match(r"(?i)^https?://", value):
            reason = "a source's url must start with http:// or https://"
        if reason:
            raise ScaffoldError(f"--{option} '{value}': {reason}")
        return value

    def date(self, option: str, *, partial: bool = False) -> dt.date | str | None:
        value = self.given.get(option)
        if value is None:
            return None
        adapter: TypeAdapter[Any] = TypeAdapter(PartialDate if partial else Date)
        try:
            return adapter.validate_python(str(value).strip())  # type: ignore[no-any-return]
        except ValidationError as error:
            raise ScaffoldError(f"--{option}: {error.errors()[0]['msg']}") from None

    def references(self, option: str, collection: str) -> list[str]:
        raw = self.given.get(option) or ()
        ids = [raw] if isinstance(raw, str) else list(raw)
        found: list[str] = []
        for value in ids:
            value = str(value).strip()
            if not is_slug(value):
                suggestion = suggest_slug(value)
                raise ScaffoldError(
                    f"--{option} '{value}' is not an id"
                    + (f" (ids look like '{suggestion}')" if suggestion else "")
                )
            if value not in found:
                found.append(value)
            self._note_reference(option, value, collection)
        return found

    def reference(self, option: str, collection: str) -> str | None:
        ids = self.references(option, collection)
        if len(ids) > 1:
            raise ScaffoldError(f"a {kind_of(self.collection)} takes one --{option}")
        return ids[0] if ids else None

    def _note_reference(self, option: str, value: str, collection: str) -> None:
        """A note (not a refusal: facts may be written in any order) for an id not there yet."""
        kind = kind_of(collection)
        found = self.existing.get(value)
        if found == collection:
            return
        if found is not None:
            found_kind = with_article(kind_of(found))
            self.notes.append(f"--{option} '{value}' is {found_kind}, not {with_article(kind)}")
            return
        same_kind = [stem for stem, where in self.existing.items() if where == collection]
        hint = did_you_mean(value, same_kind)
        self.notes.append(
            f"--{option} '{value}': no {kind} has that id yet"
            + (f" ({hint})" if hint else f"; add it with: backstory new {kind} {value}")
        )


_HEADERS = {
    "actors": "An actor: a person or an organization that the facts name.",
    "sources": "A source: where a fact comes from (an article, an email, a court record).",
    "events": "An event: something that happened on a date.",
    "quotes": "A quote: words someone said or wrote, as published.",
    "stories": "A story: one explainer, its framing, questions and answers.",
    "figures": "A figure: a number a report states, which later figures may revise.",
    "claims": "A claim: a statement of fact the story tests, with its status.",
}


def _actor_fields(values: _Values, today: dt.date) -> list[_Field]:
    types = ", ".join(choices("actors", "type"))
    return [
        _Field(
            "name",
            "The name as it appears in print.",
            True,
            values.text("name") or "TODO: the name as it appears in print",
        ),
        _Field("type", f"One of: {types}.", True, values.choice("type", "type") or "person"),
        _Field("role", "What they do (optional).", example="spokesperson"),
        _Field(
            "affiliation",
            "The id of the organization they belong to (optional).",
            example="organization-id",
        ),
        _Field(
            "summary",
            "Who they are, in Markdown (optional); [@source-id] cites a source.",
            example="One or two sentences on who this is [@source-id].",
        ),
        _Field(
            "aliases", "Other names that print uses for them (optional).", example="[Other Name]"
        ),
        _Field(
            "links",
            "Their pages elsewhere (optional); http or https only.",
            example="[{title: Official website, url: 'https://example.org/'}]",
        ),
        *_optional(
            (
                "anonymous",
                "true for an unnamed source: name is then the description the report "
                "gives, and reason is required.",
                "true",
            ),
            (
                "reason",
                "Why the source was not named, as reported (with anonymous).",
                "because he was not authorized to discuss the case",
            ),
            (
                "roles",
                "Roles over time (optional); a quote shows the one held on its date.",
                "[{role: interim sheriff, from: YYYY-MM-DD, until: YYYY-MM-DD}]",
            ),
            (
                "same_as",
                "The same entity elsewhere (optional), such as a Wikidata item.",
                "['https://www.wikidata.org/wiki/Q...']",
            ),
            ("image", IMAGE_HELP, IMAGE_EXAMPLE),
        ),
    ]


def _source_fields(values: _Values, today: dt.date) -> list[_Field]:
    types = ", ".join(choices("sources", "type"))
    return [
        _Field(
            "title",
            "The headline or the name of the document.",
            True,
            values.text("title") or "TODO: the headline or the document's name",
        ),
        _Field(
            "publisher",
            "Who published it: a newspaper, an agency, a court.",
            True,
            values.text("publisher") or "TODO: the publisher",
        ),
        _Field(
            "type",
            f"What kind of source (optional); one of: {types}.",
            value=values.choice("type", "type"),
            example="article",
        ),
        _Field(
            "url",
            "Where to read it (optional); http or https only.",
            value=values.url("url"),
            example="https://example.org/the-article",
        ),
        _Field(
            "date",
            "When it was published (optional): YYYY-MM-DD.",
            value=values.date("date"),
            example="YYYY-MM-DD",
        ),
        *_optional(
            (
                "agency",
                "Who wrote it, when another outlet published it (optional).",
                "Associated Press",
            ),
            ("byline", "The authors (optional).", "[Author Name]"),
            ("updated", "When it was changed after date (optional): YYYY-MM-DD.", "YYYY-MM-DD"),
            ("accessed", "When the newsroom last read it (optional): YYYY-MM-DD.", "YYYY-MM-DD"),
            (
                "archive_url",
                "An archived copy (optional); http or https only.",
                "https://web.archive.org/web/...",
            ),
            ("language", "The language of the source (optional), a tag such as en or es.", "es"),
        ),
    ]


def _event_fields(values: _Values, today: dt.date) -> list[_Field]:
    return [
        _Field(
            "title",
            "One line, as a headline: who did what.",
            True,
            values.text("title") or "TODO: who did what, as a headline",
        ),
        _Field(
            "date",
            "When it happened: YYYY-MM-DD, or YYYY-MM or YYYY when only that is known.",
            True,
            values.date("date", partial=True) or today,
        ),
        _Field(
            "stories",
            "The ids of the stories this event belongs to (at least one).",
            True,
            values.references("story", "stories") or ["story-id"],
        ),
        _Field(
            "sources",
            "The ids of the sources that report it (at least one): no unsourced facts.",
            True,
            values.references("source", "sources") or ["source-id"],
        ),
        _Field(
            "actors",
            "The ids of the actors who took part (optional, but name them).",
            example="[actor-id]",
        ),
        _Field(
            "summary",
            "What happened, in Markdown (optional); [[id]] links a fact, "
            "[@source-id] cites a source.",
            example="'[[actor-id]] did this on that day [@source-id].'",
        ),
        *_optional(
            (
                "end",
                "The last day, when it lasted several days (optional): YYYY-MM-DD.",
                "YYYY-MM-DD",
            ),
            *TIME_FIELDS,
            ("location", "Where it happened (optional).", "Denver, Colorado"),
            ("image", IMAGE_HELP, IMAGE_EXAMPLE),
        ),
    ]


def _quote_fields(values: _Values, today: dt.date) -> list[_Field]:
    vias = ", ".join(choices("quotes", "via"))
    event = values.reference("event", "events")
    stories = values.references("story", "stories")
    return [
        _Field(
            "text",
            "The words, verbatim, without surrounding quotation marks.",
            True,
            values.text("text") or "TODO: the words as published",
        ),
        _Field(
            "speaker",
            "The id of the actor who said or wrote it.",
            True,
            values.reference("speaker", "actors") or "actor-id",
        ),
        _Field(
            "date", "When it was said or written: YYYY-MM-DD.", True, values.date("date") or today
        ),
        _Field(
            "source",
            "The id of the source that published it.",
            True,
            values.reference("source", "sources") or "source-id",
        ),
        _Field("via", f"How it was said (optional); one of: {vias}.", example="statement"),
        # A quote must end up in a story: through its event, or through 'stories'.
        _Field(
            "event",
            "The id of the event it is about; the quote joins that event's stories.",
            required=not stories,
            value=event or (None if stories else "event-id"),
            example="event-id",
        ),
        _Field(
            "stories",
            "The ids of its stories, where it has no event (or to add more).",
            value=stories or None,
            example="[story-id]",
        ),
        _Field(
            "disputes",
            "The ids of quotes this one contradicts (optional): the site shows them side by side.",
            example="[quote-id]",
        ),
        *_optional(
            (
                "kind",
                "verbatim (the default), partial (a fragment of a sentence) or paraphrase "
                "(what was said, not the words).",
                "partial",
            ),
            (
                "context",
                "The words that lead into a partial quote or frame a paraphrase.",
                "The mayor called the plan",
            ),
            (
                "language",
                "The language of text, when it is not the site's (a tag such as es).",
                "es",
            ),
            (
                "translations",
                "Translations as outlets published them, each with its source.",
                "[{text: The words in English, language: en, source: source-id}]",
            ),
            (
                "responds_to",
                "The ids of quotes this one replies to, without contradicting them.",
                "[quote-id]",
            ),
            (
                "corrections",
                "Corrections of this quote, each with a date, a text and the earlier "
                "wording (was).",
                "[{date: YYYY-MM-DD, text: An earlier version said ..., was: ...}]",
            ),
            *TIME_FIELDS,
        ),
    ]


def _story_fields(values: _Values, today: dt.date) -> list[_Field]:
    return [
        _Field(
            "title",
            "The explainer's headline.",
            True,
            values.text("title") or "TODO: the explainer's headline",
        ),
        _Field(
            "summary",
            'The one-paragraph answer to "what is going on", in Markdown; '
            "[[id]] links a fact, [@source-id] cites a source.",
            True,
            "TODO: one paragraph on what is going on.",
        ),
        _Field(
            "published",
            "When the explainer was first published: YYYY-MM-DD.",
            True,
            values.date("date") or today,
        ),
        _Field(
            "updated",
            "When it was last updated (optional): YYYY-MM-DD, not before published.",
            example="YYYY-MM-DD",
        ),
        _Field("topics", "Topics for the topic pages (optional).", example="[topic]"),
        _Field(
            "questions",
            "The explainer's body: questions a reader would ask, in order, each "
            "with a Markdown answer.",
            True,
            [
                {
                    "question": "TODO: a question a reader would ask?",
                    "answer": "TODO: the answer, citing its sources.",
                }
            ],
        ),
        _Field(
            "unknowns",
            "What is not known yet (optional), one Markdown item each.",
            example="['It is unclear why ...']",
        ),
        _Field(
            "next",
            "What could happen next (optional), one Markdown item each.",
            example="['A hearing is due ...']",
        ),
        _Field(
            "corrections",
            "Corrections to the story (optional), each with a date and a text.",
            example="[{date: YYYY-MM-DD, text: An earlier version said ...}]",
        ),
        _Field(
            "draft",
            "A draft stays off the site (backstory serve --drafts shows it); delete this line "
            "when the story is ready to publish.",
            value=True,
        ),
        *_optional(
            ("image", IMAGE_HELP, IMAGE_EXAMPLE),
            ("language", "The language of the story, when it is not the site's.", "es"),
        ),
    ]


def _figure_fields(values: _Values, today: dt.date) -> list[_Field]:
    qualifiers = ", ".join(choices("figures", "qualifier"))
    return [
        _Field(
            "label",
            "What is counted, as a label: Deaths in Pakistan.",
            True,
            values.text("label") or "TODO: what is counted",
        ),
        _Field("value", "The number, digits only: 54000.", True, values.number("value") or "TODO"),
        _Field(
            "date",
            "As of when: YYYY-MM-DD, or YYYY-MM or YYYY when only that is known.",
            True,
            values.date("date", partial=True) or today,
        ),
        _Field(
            "source",
            "The id of the source that gives it.",
            True,
            values.reference("source", "sources") or "source-id",
        ),
        _Field(
            "stories",
            "The ids of its stories (or give an event, or the figure it revises).",
            True,
            values.references("story", "stories") or ["story-id"],
        ),
        *_optional(
            ("unit", "What the number counts in (optional): people, USD.", "people"),
            ("qualifier", f"Shown with the value (optional); one of: {qualifiers}.", "at-least"),
            *TIME_FIELDS,
            ("given_by", "The id of the actor who stated it (optional).", "actor-id"),
            ("revises", "The id of the earlier figure this one replaces (optional).", "figure-id"),
            ("event", "The id of the event it is about (optional).", "event-id"),
            ("note", "A note in Markdown (optional): how it was counted.", "Counted by ..."),
        ),
    ]


def _claim_fields(values: _Values, today: dt.date) -> list[_Field]:
    statuses = ", ".join(choices("claims", "status"))
    return [
        _Field(
            "text",
            "The statement the story tests, in the newsroom's words (Markdown).",
            True,
            values.text("text") or "TODO: the statement, in the newsroom's words",
        ),
        _Field(
            "status",
            f"The newsroom's assessment; one of: {statuses}.",
            True,
            values.choice("status", "status") or "unverified",
        ),
        _Field(
            "checked",
            "When the newsroom last assessed it: YYYY-MM-DD.",
            True,
            values.date("date") or today,
        ),
        _Field(
            "stories",
            "The ids of its stories (or let its quotes give them).",
            True,
            values.references("story", "stories") or ["story-id"],
        ),
        *_optional(
            ("asserted_by", "The ids of quotes or sources that say it is so.", "[quote-id]"),
            ("disputed_by", "The ids of quotes or sources that say otherwise.", "[quote-id]"),
            (
                "evidence",
                "What the newsroom found, citing it with [@source-id] (required when "
                "confirmed or false).",
                "'The records show ... [@source-id]'",
            ),
        ),
    ]


IMAGE_HELP = "A picture from content/media/ (optional), with alt text and credit."
IMAGE_EXAMPLE = "{file: picture.jpg, alt: What it shows, credit: Who made it}"
TIME_FIELDS = (
    ("time", "The time of day (optional, with a full date): HH:MM, 24-hour.", "'20:05'"),
    ("timezone", "Its time zone (optional; the site's when absent).", "America/Denver"),
)


def _optional(*fields: tuple[str, str, str]) -> list[_Field]:
    """Optional fields, written commented out: (key, comment, example)."""
    return [_Field(key, comment, example=example) for key, comment, example in fields]


_FIELDS = {
    "actors": _actor_fields,
    "sources": _source_fields,
    "events": _event_fields,
    "quotes": _quote_fields,
    "stories": _story_fields,
    "figures": _figure_fields,
    "claims": _claim_fields,
}


def _render(schema_path: str, header: str, fields: Sequence[_Field]) -> str:
    lines = [
        f"# yaml-language-server: $schema={schema_path}",
        f"# {header}",
        "# The file name is its id. Replace each TODO and placeholder id, uncomment the optional",
        "# fields you need, then run: backstory check",
        "",
    ]
    for item in fields:
        lines.append(f"# {item.comment}")
        if item.value is not None:
            lines.extend(yaml_field(item.key, item.value).rstrip("\n").split("\n"))
        elif item.required:
            raise AssertionError(f"required field {item.key} has no value")
        else:
            lines.append(f"# {item.key}: {item.example}")
    return "\n".join(lines) + "\n"


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
