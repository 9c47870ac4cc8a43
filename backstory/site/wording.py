"""How the site words the facts' values in English: times with their zone, spans of days, the
figures with their qualifier and unit, the status of a claim, a quote's medium."""

from __future__ import annotations

import datetime as dt
import re

from babel.numbers import format_currency, format_decimal

from ..facts.dates import PartialDateKey
from ..facts.graph import Graph
from ..facts.markup import plain_text
from ..facts.models import Figure

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
VIA_WORDS = {
    "email": "in an email",
    "statement": "in a statement",
    "interview": "in an interview",
    "press-conference": "at a press conference",
    "court-filing": "in a court filing",
    "social-media": "on social media",
    "report": "in a report",
    "phone": "by phone",
    "letter": "in a letter",
    "document": "in a document",
}
QUALIFIER_WORDS = {
    "about": "about",
    "at-least": "at least",
    "more-than": "more than",
    "up-to": "up to",
}
CLAIM_STATUS_WORDS = {
    "confirmed": "Confirmed",
    "disputed": "Disputed",
    "unverified": "Not verified",
    "false": "False",
}
"""A claim's status in words: never a colour alone."""
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def format_date(value: dt.date | str) -> str:
    """A date as readers expect it, at the precision it is known: ``January 16, 2020``,
    ``January 2020`` or ``2020``."""
    if isinstance(value, dt.date):
        return f"{MONTHS[value.month - 1]} {value.day}, {value.year}"
    key = PartialDateKey.parse(value)
    if key.month is None:
        return str(key.year)
    if key.day is None:
        return f"{MONTHS[key.month - 1]} {key.year}"
    return f"{MONTHS[key.month - 1]} {key.day}, {key.year}"


def format_time(instant: dt.datetime) -> str:
    """A time of day as an American newspaper prints it, with its zone: ``8:05 p.m. MDT``."""
    hour = instant.hour % 12 or 12
    half = "a.m." if instant.hour < 12 else "p.m."
    return f"{hour}:{instant.minute:02d} {half} {instant.tzname()}"


def format_span(start: str, end: dt.date) -> str:
    """A span of days as one: ``February 18–20, 2020``, ``February 28 – March 2, 2020``."""
    if PartialDateKey.parse(start).full_date == end:
        return format_date(end)
    first, dash, last = span_parts(start, end)
    return f"{first}{dash}{last}"


def span_parts(start: str, end: dt.date) -> tuple[str, str, str]:
    """A span as the two texts around its dash, and the dash: ``("February 18", "–", "20,
    2020")``, so that each end can be marked up as a date of its own."""
    day = PartialDateKey.parse(start).full_date
    if day is not None and (day.year, day.month) == (end.year, end.month):
        return f"{MONTHS[day.month - 1]} {day.day}", "–", f"{end.day}, {end.year}"
    if day is not None and day.year == end.year:
        return (
            f"{MONTHS[day.month - 1]} {day.day}",
            " – ",
            f"{MONTHS[end.month - 1]} {end.day}, {end.year}",
        )
    return format_date(start), " – ", format_date(end)


def format_number(value: int | float) -> str:
    """A number with the site's digit grouping: ``54,000``, ``3.5``."""
    return format_decimal(value, locale="en")


def prose_name(graph: Graph, fact_id: str) -> str:
    """The words prose shows for a ``[[id]]`` of a fact: a figure's latest value (the end of
    its chain of revisions), a claim's text as plain words, any other fact's name or title."""
    if fact_id not in graph.titles:
        return fact_id
    if fact_id in graph.figures:
        return figure_value(graph.figures[graph.figure_latest[fact_id]])
    if fact_id in graph.claims:
        return plain_text(graph.claims[fact_id].text, lambda other: prose_name(graph, other))
    return graph.title_of(fact_id)


def figure_value(figure: Figure) -> str:
    """A figure's value as a reader says it: ``at least 54,000 people``, ``about $2,500,000``."""
    if figure.unit and _CURRENCY.match(figure.unit):
        amount = format_currency(
            figure.value, figure.unit, locale="en", format="¤#,##0.##", currency_digits=False
        )
    else:
        amount = format_number(figure.value) + (f" {figure.unit}" if figure.unit else "")
    qualifier = QUALIFIER_WORDS.get(figure.qualifier or "")
    return f"{qualifier} {amount}" if qualifier else amount
