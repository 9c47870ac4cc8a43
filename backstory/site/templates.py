"""The templates pages are rendered through: the Jinja2 environment of one language, its filters
and the words Backstory's own templates use, translated through the language's message catalog
(Jinja2's i18n extension over Babel's catalogs, see ``catalogs.py``).

Templates are looked up in the site's ``templates/`` folder first and in the package's
defaults second, so a site overrides a page by dropping in a file of the same name.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from ..facts.load import yaml_strings_mapping
from ..facts.markup import escape_text
from .catalogs import translations_for
from .editions import Foreign
from .urls import period_page, topic_page
from .wording import ENGLISH, Wording, format_date


def time_element(value: dt.date | str) -> Markup:
    """A ``<time>`` element whose text shows the date at its precision, in English."""
    machine = value.isoformat() if isinstance(value, dt.date) else value
    return Markup('<time datetime="{}">{}</time>').format(machine, format_date(value))


def period_title(period: str) -> str:
    """A period of a split list as readers say it, in English: ``2024``, ``March 2024``."""
    return ENGLISH.period(period)


def names_in_print(name: str, aliases: list[str]) -> list[str]:
    """An actor's other names, each once. (A name spelt without its diacritics is not one: the
    reader's search finds "Lopez" and "López" alike.)"""
    shown: list[str] = []
    for candidate in aliases:
        if candidate != name and candidate not in shown:
            shown.append(candidate)
    return shown


_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]\"”’]{2}[.!?])\s+(?=[\"“‘'(\[]?[A-Z0-9])")
"""Where a sentence ends: a full stop after two lowercase letters or digits (so not after
"U.S." or "Mr."), then a capital."""
SENTENCE_WORDS = 30
"""The most words of a first sentence shown as a description."""


_LEADING_ARTICLES = ("The", "A", "An", "Its", "This", "One")


def first_sentence(text: str) -> str:
    """The first sentence of a plain text as a description that follows a name and a comma
    (an actor's, where no role is given): without its full stop, at most ``SENTENCE_WORDS``
    words, a leading article in lowercase ("River Town Council, the elected council...")."""
    sentence = _SENTENCE_END.split(text.strip(), maxsplit=1)[0]
    words = sentence.split()
    if words and words[0] in _LEADING_ARTICLES:
        words[0] = words[0].lower()
    if len(words) > SENTENCE_WORDS:
        return " ".join(words[:SENTENCE_WORDS]) + "…"
    return " ".join(words).removesuffix(".")


def topic_title(name: str) -> str:
    """A topic as it is shown: its name as first written in the stories, never changed (a
    newsroom writes "iPhone", "eBay" or "Sanctuary cities" as it means them)."""
    return name


def front_matter(**fields: Any) -> str:
    """YAML front matter for a page; values are written as quoted YAML strings, never
    interpolated into YAML syntax.

    Why the title and description are HTML-escaped: the theme prints them into ``<title>`` and
    ``<meta>`` without escaping, so text from a fact must arrive there as text already.
    """
    clean = {key: value for key, value in fields.items() if value not in (None, "", [], {})}
    for key in ("title", "description"):
        if key in clean:
            clean[key] = str(escape(" ".join(str(clean[key]).split())))
    return "---\n" + yaml_strings_mapping(clean) + "---\n"


@jinja2.pass_context
def _text(context: Any, value: str) -> str:
    page = context.get("page")
    return str(page.text(value)) if page is not None else escape_text(value)


@jinja2.pass_context
def _html(context: Any, value: Any) -> Markup:
    page = context.get("page")
    if page is not None and isinstance(value, str):
        return Markup(page.html(value))
    return escape(value)


@jinja2.pass_context
def _time(context: Any, value: dt.date | str) -> Markup:
    page = context.get("page")
    return page.date(value) if page is not None else time_element(value)


def make_environment(
    site_templates: Path | None = None, wording: Wording = ENGLISH
) -> jinja2.Environment:
    """The Jinja2 environment of one language: the site's templates first, then the package's
    defaults; labels from the language's catalog, dates and numbers worded by ``wording``."""
    loaders: list[jinja2.BaseLoader] = []
    if site_templates is not None and site_templates.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(site_templates)))
    loaders.append(jinja2.PackageLoader("backstory.site", "templates"))
    environment = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # one render of a site never sees a template change mid-way
        extensions=["jinja2.ext.i18n"],
    )
    environment.install_gettext_translations(  # type: ignore[attr-defined]
        translations_for(wording.language), newstyle=True
    )
    environment.filters["text"] = _text
    environment.filters["h"] = _html
    environment.filters["date"] = wording.date
    environment.filters["time"] = _time
    # "x is foreign": text an edition shows in another language, which the filters mark
    environment.tests["foreign"] = lambda value: isinstance(value, Foreign)
    environment.globals["wording"] = wording
    environment.globals["names_in_print"] = names_in_print
    environment.globals["topic_title"] = topic_title
    environment.globals["first_sentence"] = first_sentence
    environment.globals["topic_page"] = topic_page
    environment.globals["period_page"] = period_page
    environment.globals["period_title"] = wording.period
    environment.globals["figure_value"] = wording.figure_value
    environment.globals["front_matter"] = front_matter
    return environment
