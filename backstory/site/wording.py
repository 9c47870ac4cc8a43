"""How the site words the facts' values in a language: dates at their precision, times with
their zone, spans of days, periods of a list, figures with their qualifier and unit, a quote's
medium, a claim's status.

English keeps an American newspaper's style ("January 16, 2020", "8:05 p.m. MDT"); other
languages take CLDR's patterns from Babel for their locale ("16 de enero de 2020"). Words are
looked up in the language's message catalog (``locale/``); ``N_`` marks them for extraction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from babel.dates import format_date as babel_date
from babel.dates import format_skeleton
from babel.dates import format_time as babel_time
from babel.numbers import format_currency, format_decimal

from ..facts.dates import PartialDateKey
from ..facts.graph import Graph
from ..facts.markup import plain_text
from ..facts.models import Figure


def N_(message: str) -> str:
    """Marks a message for the catalogs; it is translated where it is shown."""
    return message


MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
VIA_WORDS = {
    "email": N_("in an email"),
    "statement": N_("in a statement"),
    "interview": N_("in an interview"),
    "press-conference": N_("at a press conference"),
    "court-filing": N_("in a court filing"),
    "social-media": N_("on social media"),
    "report": N_("in a report"),
    "phone": N_("by phone"),
    "letter": N_("in a letter"),
    "document": N_("in a document"),
}
QUALIFIER_WORDS = {
    "about": N_("about"),
    "at-least": N_("at least"),
    "more-than": N_("more than"),
    "up-to": N_("up to"),
}
CLAIM_STATUS_WORDS = {
    "confirmed": N_("Confirmed"),
    "disputed": N_("Disputed"),
    "unverified": N_("Not verified"),
    "false": N_("False"),
}
"""A claim's status in words: never a colour alone."""
SOURCE_TYPE_WORDS = {
    "article": N_("article"),
    "wire": N_("wire"),
    "email": N_("email"),
    "statement": N_("statement"),
    "document": N_("document"),
    "court-record": N_("court record"),
    "interview": N_("interview"),
    "data": N_("data"),
    "press-release": N_("press release"),
    "social-media": N_("social media"),
    "broadcast": N_("broadcast"),
}
UNDATED = N_("Undated")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def _same(message: str) -> str:
    return message


@dataclass(frozen=True)
class Wording:
    """The words and formats of one language: ``locale`` is its CLDR locale (``es_US``)."""

    language: str = "en"
    locale: str = "en"
    gettext: Callable[[str], str] = field(default=_same, compare=False)

    @property
    def english(self) -> bool:
        return self.language == "en"

    def date(self, value: dt.date | str) -> str:
        """A date at the precision it is known: ``January 16, 2020``, ``January 2020``, ``2020``."""
        key = PartialDateKey.parse(value.isoformat() if isinstance(value, dt.date) else value)
        if key.month is None:
            return str(key.year)
        if key.day is None:
            if self.english:
                return f"{MONTHS[key.month - 1]} {key.year}"
            return format_skeleton("yMMMM", key.first_day, locale=self.locale)
        if self.english:
            return f"{MONTHS[key.month - 1]} {key.day}, {key.year}"
        return babel_date(key.first_day, "long", locale=self.locale)

    def time(self, instant: dt.datetime) -> str:
        """A time of day with its zone: ``8:05 p.m. MDT`` as an American newspaper prints it."""
        if self.english:
            hour = instant.hour % 12 or 12
            half = "a.m." if instant.hour < 12 else "p.m."
            return f"{hour}:{instant.minute:02d} {half} {instant.tzname()}"
        return f"{babel_time(instant, 'h:mm a', locale=self.locale)} {instant.tzname()}"

    def span_parts(self, start: str, end: dt.date) -> tuple[str, str, str]:
        """A span as the two texts around its dash, and the dash: ``("February 18", "–", "20,
        2020")``, so that each end can be marked up as a date of its own."""
        day = PartialDateKey.parse(start).full_date
        if day is None:
            return self.date(start), " – ", self.date(end)
        same_month = (day.year, day.month) == (end.year, end.month)
        if self.english:
            if same_month:
                return f"{MONTHS[day.month - 1]} {day.day}", "–", f"{end.day}, {end.year}"
            if day.year == end.year:
                last = f"{MONTHS[end.month - 1]} {end.day}, {end.year}"
                return f"{MONTHS[day.month - 1]} {day.day}", " – ", last
            return self.date(start), " – ", self.date(end)
        if same_month:
            return str(day.day), "–", self.date(end)
        if day.year == end.year:
            return format_skeleton("MMMMd", day, locale=self.locale), " – ", self.date(end)
        return self.date(start), " – ", self.date(end)

    def span(self, start: str, end: dt.date) -> str:
        """A span of days as one: ``February 18–20, 2020``, ``18–20 de febrero de 2020``."""
        if PartialDateKey.parse(start).full_date == end:
            return self.date(end)
        first, dash, last = self.span_parts(start, end)
        return f"{first}{dash}{last}"

    def period(self, period: str) -> str:
        """A period of a split list: ``2024``, ``March 2024`` or ``Undated``."""
        if period == "undated":
            return self.gettext(UNDATED)
        return self.date(period)

    def number(self, value: int | float) -> str:
        """A number with the language's digit grouping: ``54,000``."""
        return format_decimal(value, locale=self.locale)

    def figure_value(self, figure: Figure) -> str:
        """A figure's value as a reader says it: ``at least 54,000 people``, ``about
        $2,500,000``."""
        if figure.unit and _CURRENCY.match(figure.unit):
            amount = format_currency(
                figure.value,
                figure.unit,
                locale=self.locale,
                format="¤#,##0.##",
                currency_digits=False,
            )
        else:
            amount = self.number(figure.value) + (f" {figure.unit}" if figure.unit else "")
        qualifier = QUALIFIER_WORDS.get(figure.qualifier or "")
        return f"{self.gettext(qualifier)} {amount}" if qualifier else amount

    def via(self, via: str) -> str:
        return self.gettext(VIA_WORDS[via])

    def claim_status(self, status: str) -> str:
        return self.gettext(CLAIM_STATUS_WORDS[status])

    def source_type(self, kind: str) -> str:
        return self.gettext(SOURCE_TYPE_WORDS[kind])


ENGLISH = Wording()


def format_date(value: dt.date | str) -> str:
    """A date in English at its precision (see ``Wording.date``)."""
    return ENGLISH.date(value)


def format_time(instant: dt.datetime) -> str:
    """A time of day in English with its zone (see ``Wording.time``)."""
    return ENGLISH.time(instant)


def format_span(start: str, end: dt.date) -> str:
    """A span of days in English (see ``Wording.span``)."""
    return ENGLISH.span(start, end)


def figure_value(figure: Figure, wording: Wording = ENGLISH) -> str:
    """A figure's value as a reader says it (see ``Wording.figure_value``)."""
    return wording.figure_value(figure)


def prose_name(graph: Graph, fact_id: str, wording: Wording = ENGLISH) -> str:
    """The words prose shows for a ``[[id]]`` of a fact: a figure's latest value (the end of
    its chain of revisions), a claim's text as plain words, any other fact's name or title."""
    if fact_id not in graph.titles:
        return fact_id
    if fact_id in graph.figures:
        return wording.figure_value(graph.figures[graph.figure_latest[fact_id]])
    if fact_id in graph.claims:
        return plain_text(
            graph.claims[fact_id].text, lambda other: prose_name(graph, other, wording)
        )
    return graph.title_of(fact_id)
