"""The rules of the content model that a field's type cannot state: rules across fields of one
fact (a span ending before it starts, an anonymous source without a reason, a claim marked
disputed with one side only...). Rules across facts are the resolver's."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .dates import PartialDateKey
from .fields import walk
from .markup import find_references, unsafe_url_reason
from .models import Actor, Claim, Event, Fact, Figure, NextStep, Quote, Source, Story

Location = tuple[str | int, ...]
Problem = tuple[Location, str]


def rule_problems(model: Fact) -> list[Problem]:
    """Every broken rule of one fact, with the location of the value at fault."""
    found = list(_addresses(model))
    for rule in _RULES.get(type(model), ()):
        found.extend(rule(model))
    return found


def _addresses(model: Fact) -> Iterator[Problem]:
    """Web addresses in fields are http or https only."""
    for marked in walk(model):
        if marked.url:
            reason = unsafe_url_reason(str(marked.value), allow_relative=False)
            if reason:
                yield marked.location, reason


def _clock_time(model: Event | Quote | Figure) -> Iterator[Problem]:
    """A time or a time zone says when in a day: it needs a full date."""
    if PartialDateKey.parse(model.date).full_date is not None:
        return
    for name in ("time", "timezone"):
        if getattr(model, name) is not None:
            yield (
                (name,),
                (
                    f"{name}: a {name.replace('timezone', 'time zone')} needs a full date "
                    f"(YYYY-MM-DD), and date gives only {_precision(model.date)}"
                ),
            )


def _precision(date: str) -> str:
    return "the year" if PartialDateKey.parse(date).month is None else "the month"


def _span(model: Event) -> Iterator[Problem]:
    if model.end is None:
        return
    start = PartialDateKey.parse(model.date)
    if model.end < (start.full_date or start.first_day):
        yield (
            ("end",),
            f"end ({model.end}) is before date ({model.date}); a span ends after it starts",
        )


def _story_dates(model: Story) -> Iterator[Problem]:
    if model.updated and model.updated < model.published:
        yield ("updated",), f"updated ({model.updated}) is before published ({model.published})"
    for index, item in enumerate(model.next):
        if isinstance(item, NextStep) and item.happened and item.dropped:
            yield (
                ("next", index),
                (
                    "an item cannot both have happened and have been dropped; "
                    "keep the one that is true"
                ),
            )


def _source_dates(model: Source) -> Iterator[Problem]:
    if model.updated and model.date and model.updated < model.date:
        yield ("updated",), f"updated ({model.updated}) is before date ({model.date})"


def _anonymity(model: Actor) -> Iterator[Problem]:
    if model.anonymous and not model.reason:
        yield (
            (),
            (
                "an anonymous actor needs a 'reason': why the source was not named, as the report "
                "gives it (such as: because he was not authorized to discuss the case)"
            ),
        )
    if model.reason and not model.anonymous:
        yield ("reason",), "a reason is given but the actor is not anonymous: add anonymous: true"
    for index, role in enumerate(model.roles):
        if role.from_ and role.until and role.until < role.from_:
            yield ("roles", index, "until"), (f"until ({role.until}) is before from ({role.from_})")


def _translations(model: Quote) -> Iterator[Problem]:
    for index, translation in enumerate(model.translations):
        if model.language and translation.language == model.language:
            yield (
                ("translations", index, "language"),
                (f"a translation is into another language than the quote's own ({model.language})"),
            )


def _claim_sides(model: Claim) -> Iterator[Problem]:
    if model.status == "disputed" and not (model.asserted_by and model.disputed_by):
        missing = " and ".join(
            name for name in ("asserted_by", "disputed_by") if not getattr(model, name)
        )
        yield (
            ("status",),
            (
                f"a disputed claim needs both sides: add {missing} "
                "(the quotes or sources on each side)"
            ),
        )
    if model.status in ("confirmed", "false"):
        cited = [r for r in find_references(model.evidence or "") if r.kind == "cite"]
        if not cited:
            where = ("evidence",) if model.evidence else ("status",)
            yield (
                where,
                (
                    f"a {model.status} claim needs evidence that cites a source with [@source-id]: "
                    "say what the newsroom found and where"
                ),
            )


_RULES: dict[type, tuple[Callable[..., Iterator[Problem]], ...]] = {
    Event: (_clock_time, _span),
    Quote: (_clock_time, _translations),
    Figure: (_clock_time,),
    Story: (_story_dates,),
    Source: (_source_dates,),
    Actor: (_anonymity,),
    Claim: (_claim_sides,),
}
"""The rules of each kind of fact."""
