"""Lint stage: facts that are valid but probably not what the editor meant. These are warnings;
``--strict`` turns them into failures. Unfinished work (a placeholder, a date in the future) is
an error when the command publishes: the ``Purpose`` of the run decides.

Only published facts are linted (``published``: drafts and what only they use are left alone
unless drafts are asked for), but every fact counts as a use of the facts it refers to.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from ..diagnostics import Diagnostic, Severity
from .dates import PartialDateKey
from .load import LoadedFile, Location
from .markup import REFERENCE, find_references
from .models import Actor, Claim, Event, NextStep, Quote, Source, Story
from .resolve import referenced_ids
from .validate import ValidFact

LONG_QUOTE_WORDS = 120
PLACEHOLDER = re.compile(
    r"\bTODO\b|\b(?:actor|source|event|story|quote|organization|figure|claim)-id\b"
)
"""What starter files (``backstory new``) put where the editor has to write something."""
FACT_DATES = ("date", "published", "updated")
"""The fields that date a fact (when it happened, was said or published), checked against the
calendar; forward-looking dates (when something is expected) are not among them."""


@dataclass(frozen=True)
class Purpose:
    """What the command that checks the content is for, which decides how serious unfinished
    work is: the one place that knows.

    A build or a deploy publishes: a ``TODO`` or a placeholder id, or a fact dated after
    tomorrow, would reach readers, so each is an error. ``check`` and ``serve`` look at work in
    progress: the same findings are warnings. ``allow_future`` accepts dates in the future
    (an archive that schedules its stories, say).
    """

    publishing: bool = False
    allow_future: bool = False

    def unfinished(self) -> Severity:
        """The severity of a placeholder left in a published fact."""
        return "error" if self.publishing else "warning"

    def future_date(self) -> Severity | None:
        """The severity of a fact dated more than a day after today; None: not reported."""
        return None if self.allow_future else self.unfinished()


LOOKING = Purpose()
"""Checking or previewing: unfinished work is a warning."""
PUBLISHING = Purpose(publishing=True)
"""Building or deploying: unfinished work is an error."""
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_PARTIAL_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?\Z")
_DATES_IN_TEXT = re.compile(
    rf"\b(\d{{4}}-\d{{2}}-\d{{2}})\b|\b({_MONTHS}) (\d{{1,2}}), (\d{{4}})\b"
)


@dataclass(frozen=True)
class UnusableFiles:
    """What the lint stage knows of the fact files that failed to load or validate."""

    mentioned: frozenset[str] = frozenset()
    """Every id that such files mention: they may well refer to it."""
    unreadable: bool = False
    """Some file could not be read at all: what it refers to is unknown."""


@dataclass(frozen=True)
class _Around:
    """What a rule may look up about the facts a fact names."""

    by_id: dict[str, ValidFact]
    story_sources: dict[str, set[str]]


@dataclass
class _Findings:
    purpose: Purpose = LOOKING
    ids: Collection[str] = ()
    """The ids of every valid fact."""
    warnings: list[Diagnostic] = field(default_factory=list)

    def warn(
        self,
        fact: ValidFact,
        location: Location,
        message: str,
        severity: Severity = "warning",
        offset: int | None = None,
    ) -> None:
        position = fact.file.position(location, offset=offset)
        self.warnings.append(
            Diagnostic(fact.file.path, position.line, position.column, severity, message)
        )


def lint_facts(
    facts: Iterable[ValidFact],
    *,
    today: dt.date,
    published: Collection[str] | None = None,
    used: Collection[str] | None = None,
    unusable: UnusableFiles = UnusableFiles(),
    purpose: Purpose = LOOKING,
) -> list[Diagnostic]:
    """Warnings about a set of valid facts (errors, for unfinished work, when ``purpose`` is
    publishing); ``today`` dates the "next" items that have passed and the facts dated in the
    future. ``published`` (every fact when None) limits which facts are linted; ``used`` is
    every id that some fact refers to, where the caller has it already."""
    facts = list(facts)
    shown = [f for f in facts if published is None or f.id in published]
    findings = _Findings(purpose, {f.id for f in facts})
    for fact in shown:
        for rule in _RULES:
            rule(fact, findings, today)
    if used is None:
        used = {target for fact in facts for target in referenced_ids(fact)}
    _unused_facts(shown, findings, used, unusable)
    _stale_stories(facts, shown, findings)
    around = _Around({fact.id: fact for fact in facts}, _story_source_ids(facts))
    for fact in shown:
        for across in _RULES_ACROSS_FACTS:
            across(fact, around, findings, today)
    return sorted(findings.warnings)


def _placeholders(fact: ValidFact, findings: _Findings, today: dt.date) -> None:
    """Every value that still holds a ``TODO`` or a placeholder id of a starter file; comments
    are the editor's notes and are left alone."""
    text = fact.file.text
    if "TODO" not in text and "-id" not in text:
        return
    # A placeholder the fact refers to as an id names no fact: the reference check reports it.
    unknown = {i for i in referenced_ids(fact) if i not in findings.ids}
    for location, value in text_values(fact.file.data, ()):
        match = PLACEHOLDER.search(value)
        if match is None:
            continue
        word = match.group()
        if word == "TODO":
            message = "this file still holds a TODO placeholder; replace it before publishing"
        elif word in unknown:
            continue
        else:
            message = (
                f"this file still holds the placeholder id '{word}'; write the id of a real "
                "fact before publishing"
            )
        findings.warn(fact, location, message, findings.purpose.unfinished(), match.start())


def unfinished_translations(
    translations: Iterable[tuple[str, LoadedFile]], purpose: Purpose
) -> list[Diagnostic]:
    """A ``TODO`` left in the translation of a published fact (``translations`` gives each
    one's fact id and file): an error when publishing, as in a fact."""
    found = []
    for _fact_id, file in translations:
        if "TODO" not in file.text:
            continue
        for location, value in text_values(file.data, ()):
            match = re.search(r"\bTODO\b", value)
            if match is None:
                continue
            where = file.position(location, offset=match.start())
            message = (
                "this translation still holds a TODO placeholder; replace it before publishing"
            )
            found.append(
                Diagnostic(file.path, where.line, where.column, purpose.unfinished(), message)
            )
    return found


def text_values(value: object, location: Location) -> Iterable[tuple[Location, str]]:
    if isinstance(value, str):
        yield location, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from text_values(item, (*location, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from text_values(item, (*location, index))


def _future_dates(fact: ValidFact, findings: _Findings, today: dt.date) -> None:
    """Facts dated more than a day after today (a day: newsrooms east of the build's clock
    are already in tomorrow)."""
    severity = findings.purpose.future_date()
    if severity is None:
        return
    latest = today + dt.timedelta(days=1)
    for location, written, day in _fact_dates(fact.model, ()):
        if day > latest:
            findings.warn(
                fact,
                location,
                f"{location[-1]}: {written} is in the future (after tomorrow); correct the "
                "date, or publish with --allow-future if it is meant",
                severity,
            )


def _fact_dates(model: object, location: Location) -> Iterable[tuple[Location, str, dt.date]]:
    """The dates of a fact and of its corrections: (location, as written, first day)."""
    for name in FACT_DATES:
        value = getattr(model, name, None)
        if isinstance(value, dt.date):
            yield (*location, name), value.isoformat(), value
        elif isinstance(value, str) and _PARTIAL_DATE.match(value):
            key = PartialDateKey.parse(value)
            yield (*location, name), value, dt.date(key.year, key.month or 1, key.day or 1)
    for index, correction in enumerate(getattr(model, "corrections", None) or ()):
        yield from _fact_dates(correction, (*location, "corrections", index))


def _event_without_actors(fact: ValidFact, findings: _Findings, today: dt.date) -> None:
    if isinstance(fact.model, Event) and not fact.model.actors:
        findings.warn(fact, (), "this event names no actors: add who took part under 'actors'")


def _long_quote(fact: ValidFact, findings: _Findings, today: dt.date) -> None:
    if not isinstance(fact.model, Quote):
        return
    words = len(fact.model.text.split())
    if words > LONG_QUOTE_WORDS:
        findings.warn(
            fact,
            ("text",),
            f"this quote is {words} words long; quote at most {LONG_QUOTE_WORDS} words and "
            "summarise the rest",
        )


def _story_shape(fact: ValidFact, findings: _Findings, today: dt.date) -> None:
    model = fact.model
    if not isinstance(model, Story):
        return
    if not model.questions:
        findings.warn(fact, (), 'this story has no questions: its page will have no "What we know"')
    for index, item in enumerate(model.next):
        if not isinstance(item, str):
            continue  # a mapping says when it is expected: see _next_items
        for day in _dates_in(item):
            if day < today:
                findings.warn(
                    fact,
                    ("next", index),
                    f'this "next" item names {day.isoformat()}, which has passed; '
                    "move it into the story or update it",
                )
                break


_RULES: tuple[Callable[[ValidFact, _Findings, dt.date], None], ...] = (
    _placeholders,
    _future_dates,
    _event_without_actors,
    _long_quote,
    _story_shape,
)
"""The rules that look at one published fact at a time."""


def _pending_past_expected(
    fact: ValidFact, around: _Around, findings: _Findings, today: dt.date
) -> None:
    """A "next" item still pending after the date it was expected."""
    if not isinstance(fact.model, Story):
        return
    for index, item in enumerate(fact.model.next):
        if not isinstance(item, NextStep) or item.happened or item.dropped or not item.expected:
            continue
        if _last_day(item.expected) < today:
            findings.warn(
                fact,
                ("next", index, "expected"),
                f'this "next" item was expected by {item.expected}, which has passed: say what '
                "happened (happened: event-id) or why it will not (dropped: ...)",
            )


def _dated_after_source(
    fact: ValidFact, around: _Around, findings: _Findings, today: dt.date
) -> None:
    """A quote or an event dated after its source was published (or last updated)."""
    model = fact.model
    if isinstance(model, Quote):
        pairs = [(model.source, "source")]
    elif isinstance(model, Event):
        pairs = [(source_id, f"sources[{i}]") for i, source_id in enumerate(model.sources)]
    else:
        return
    day = PartialDateKey.parse(model.date).first_day
    for source_id, _where in pairs:
        source = around.by_id.get(source_id)
        if source is None or not isinstance(source.model, Source) or source.model.date is None:
            continue
        published = source.model.updated or source.model.date
        if day > published:
            findings.warn(
                fact,
                ("date",),
                f"this {fact.collection[:-1]} is dated {model.date}, after its source "
                f"'{source_id}' was published ({published.isoformat()}); check the date or the "
                "source",
            )


def _claim_checked_before_its_facts(
    fact: ValidFact, around: _Around, findings: _Findings, today: dt.date
) -> None:
    """A claim assessed before the newest fact it cites."""
    model = fact.model
    if not isinstance(model, Claim):
        return
    cited = [*model.asserted_by, *model.disputed_by]
    cited += [r.target for r in find_references(model.evidence or "") if r.kind == "cite"]
    dated = [(day, fact_id) for fact_id in cited if (day := _fact_day(around.by_id.get(fact_id)))]
    if not dated:
        return
    newest, newest_id = max(dated)
    if newest > model.checked:
        findings.warn(
            fact,
            ("checked",),
            f"this claim was checked on {model.checked.isoformat()}, before the newest fact it "
            f"cites ('{newest_id}', {newest.isoformat()}); assess it again and update checked",
        )


def _story_older_than_its_sources(
    fact: ValidFact, around: _Around, findings: _Findings, today: dt.date
) -> None:
    """A story whose date shown is older than a source it cites."""
    model = fact.model
    if not isinstance(model, Story):
        return
    shown = model.updated or model.published
    dated = [
        (day, source_id)
        for source_id in around.story_sources.get(fact.id, ())
        if (day := _fact_day(around.by_id.get(source_id))) and day > shown
    ]
    if dated:
        newest, source_id = max(dated)
        name = "updated" if model.updated else "published"
        findings.warn(
            fact,
            (name,),
            f"the story's {name} date ({shown.isoformat()}) is older than a source it cites "
            f"('{source_id}', {newest.isoformat()}); set updated: {newest.isoformat()}",
        )


_RULES_ACROSS_FACTS: tuple[Callable[[ValidFact, _Around, _Findings, dt.date], None], ...] = (
    _pending_past_expected,
    _dated_after_source,
    _claim_checked_before_its_facts,
    _story_older_than_its_sources,
)
"""The rules that look at one published fact and the facts it names."""


def _last_day(date: str) -> dt.date:
    """The last day a date given as a day, a month or a year may mean."""
    key = PartialDateKey.parse(date)
    if key.month is None:
        return dt.date(key.year, 12, 31)
    if key.day is None:
        following = dt.date(key.year + key.month // 12, key.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return dt.date(key.year, key.month, key.day)


def _fact_day(fact: ValidFact | None) -> dt.date | None:
    """The day a source was published (or last updated), or a quote was said."""
    if fact is None:
        return None
    model = fact.model
    if isinstance(model, Source):
        return model.updated or model.date
    if isinstance(model, Quote):
        return PartialDateKey.parse(model.date).full_date
    return None


def _story_source_ids(facts: list[ValidFact]) -> dict[str, set[str]]:
    """The sources each story cites, through its own text, its events and its quotes."""
    found: dict[str, set[str]] = {}
    events = {f.id: f.model for f in facts if isinstance(f.model, Event)}
    for fact in facts:
        model = fact.model
        if isinstance(model, Story):
            cites = {r.target for _location, r in fact.references if r.kind == "cite"}
            found.setdefault(fact.id, set()).update(cites)
        elif isinstance(model, Event):
            for story_id in model.stories:
                found.setdefault(story_id, set()).update(model.sources)
        elif isinstance(model, Quote):
            event = events.get(model.event or "")
            for story_id in model.stories or (event.stories if isinstance(event, Event) else []):
                found.setdefault(story_id, set()).add(model.source)
    return found


def _unused_facts(
    shown: list[ValidFact], findings: _Findings, used: Collection[str], unusable: UnusableFiles
) -> None:
    """Sources nothing cites and actors nothing refers to; any fact's reference counts."""
    if unusable.unreadable:
        return  # a file that could not be read may refer to any of them
    for fact in shown:
        unused = fact.id not in used and fact.id not in unusable.mentioned
        if isinstance(fact.model, Source) and unused:
            findings.warn(fact, (), "nothing cites this source")
        if isinstance(fact.model, Actor) and unused:
            findings.warn(fact, (), "nothing refers to this actor")


def _stale_stories(facts: list[ValidFact], shown: list[ValidFact], findings: _Findings) -> None:
    """A story whose date shown is older than the newest fact in it."""
    newest_fact = _newest_fact_dates(facts)
    for fact in shown:
        model = fact.model
        if not isinstance(model, Story):
            continue
        shown_date = model.updated or model.published
        newest = newest_fact.get(fact.id)
        if newest and newest > shown_date:
            name = "updated" if model.updated else "published"
            findings.warn(
                fact,
                (name,),
                f"the story's {name} date ({shown_date.isoformat()}) is older than its newest fact "
                f"({newest.isoformat()}); set updated: {newest.isoformat()}",
            )


def _newest_fact_dates(facts: list[ValidFact]) -> dict[str, dt.date]:
    """For each story, the date of its newest fact with a full date (events, quotes and the
    story's own corrections)."""
    newest_fact: dict[str, dt.date] = {}

    def saw(story_ids: Iterable[str], day: dt.date | None) -> None:
        for story_id in story_ids:
            if day and (story_id not in newest_fact or day > newest_fact[story_id]):
                newest_fact[story_id] = day

    events = {f.id: f.model for f in facts if isinstance(f.model, Event)}
    for fact in facts:
        model = fact.model
        if isinstance(model, Event):
            saw(model.stories, PartialDateKey.parse(model.date).full_date)
        elif isinstance(model, Quote):
            event = events.get(model.event or "")
            day = PartialDateKey.parse(model.date).full_date
            saw(model.stories or (event.stories if event else []), day)
        elif isinstance(model, Story):
            saw([fact.id], max((c.date for c in model.corrections), default=None))
    return newest_fact


def _dates_in(text: str) -> list[dt.date]:
    found = []
    text = REFERENCE.sub(" ", text)  # ids such as cbs4-2020-04-21 are not dates
    for match in _DATES_IN_TEXT.finditer(text):
        try:
            if match.group(1):
                found.append(dt.date.fromisoformat(match.group(1)))
            else:
                month = _MONTHS.split("|").index(match.group(2)) + 1
                found.append(dt.date(int(match.group(4)), month, int(match.group(3))))
        except ValueError:
            continue
    return found
