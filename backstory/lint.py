"""Lint stage: facts that are valid but probably not what the editor meant. These are warnings;
``--strict`` turns them into failures."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from .diagnostics import Diagnostic
from .load import Location
from .markup import REFERENCE
from .models import Actor, Event, Quote, Source, Story
from .resolve import PartialDateKey
from .validate import ValidFact

LONG_QUOTE_WORDS = 120
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATES_IN_TEXT = re.compile(rf"\b(\d{{4}}-\d{{2}}-\d{{2}})\b|\b({_MONTHS}) (\d{{1,2}}), (\d{{4}})\b")


def lint_facts(facts: Iterable[ValidFact], *, today: dt.date) -> list[Diagnostic]:
    """Warnings about a set of valid facts; ``today`` dates the "next" items that have passed."""
    facts = list(facts)
    warnings: list[Diagnostic] = []

    def warn(fact: ValidFact, location: Location, message: str) -> None:
        position = fact.file.position(location)
        warnings.append(Diagnostic(fact.file.path, position.line, position.column, "warning", message))

    cited: set[str] = set()
    referenced: set[str] = set()
    newest_fact: dict[str, dt.date] = {}

    def saw(story_ids: Iterable[str], day: dt.date | None) -> None:
        for story_id in story_ids:
            if day and (story_id not in newest_fact or day > newest_fact[story_id]):
                newest_fact[story_id] = day

    events = {f.id: f.model for f in facts if isinstance(f.model, Event)}
    for fact in facts:
        model = fact.model
        if "TODO" in fact.file.text:
            placeholder = _first_placeholder(fact.file.text)
            if placeholder is not None:
                warnings.append(
                    Diagnostic(
                        fact.file.path, *placeholder, "warning",
                        "this file still holds a TODO placeholder; replace it before publishing",
                    )
                )
        for _location, reference in fact.references:
            (cited if reference.kind == "cite" else referenced).add(reference.target)
        if isinstance(model, Actor) and model.affiliation:
            referenced.add(model.affiliation)
        if isinstance(model, Event):
            cited.update(model.sources)
            referenced.update(model.actors)
            if not model.actors:
                warn(fact, (), "this event names no actors: add who took part under 'actors'")
            saw(model.stories, _full_date(model.date))
        if isinstance(model, Quote):
            cited.add(model.source)
            referenced.add(model.speaker)
            words = len(model.text.split())
            if words > LONG_QUOTE_WORDS:
                warn(
                    fact,
                    ("text",),
                    f"this quote is {words} words long; quote at most {LONG_QUOTE_WORDS} words and "
                    "summarise the rest",
                )
            event = events.get(model.event or "")
            saw(model.stories or (event.stories if event else []), model.date)
        if isinstance(model, Story):
            if not model.questions:
                warn(fact, (), "this story has no questions: its page will have no \"What we know\"")
            saw([fact.id], max((c.date for c in model.corrections), default=None))
            for index, text in enumerate(model.next):
                for day in _dates_in(text):
                    if day < today:
                        warn(
                            fact,
                            ("next", index),
                            f"this \"next\" item names {day.isoformat()}, which has passed; "
                            "move it into the story or update it",
                        )
                        break
    for fact in facts:
        model = fact.model
        if isinstance(model, Source) and fact.id not in cited:
            warn(fact, (), "nothing cites this source")
        if isinstance(model, Actor) and fact.id not in referenced:
            warn(fact, (), "nothing refers to this actor")
        if isinstance(model, Story):
            shown = model.updated or model.published
            newest = newest_fact.get(fact.id)
            if newest and newest > shown:
                field = "updated" if model.updated else "published"
                warn(
                    fact,
                    (field,),
                    f"the story's {field} date ({shown.isoformat()}) is older than its newest fact "
                    f"({newest.isoformat()}); set updated: {newest.isoformat()}",
                )
    return sorted(warnings)


def _first_placeholder(text: str) -> tuple[int, int] | None:
    """Line and column of the first TODO in a value; TODOs in comments are notes, not values."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        column = line.find("TODO")
        if column >= 0:
            return number, column + 1
    return None


def _full_date(value: str) -> dt.date | None:
    key = PartialDateKey.parse(value)
    if key.month is None or key.day is None:
        return None
    return dt.date(key.year, key.month, key.day)


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
