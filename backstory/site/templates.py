"""The templates pages are rendered through: the Jinja2 environment, its filters and the words
Backstory's own templates use.

Templates are looked up in the site's ``templates/`` folder first and in the package's
defaults second, so a site overrides a page by dropping in a file of the same name.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from ..facts.load import yaml_strings_mapping
from ..facts.markup import escape_text
from .urls import period_page, topic_page
from .wording import CLAIM_STATUS_WORDS, MONTHS, VIA_WORDS, figure_value, format_date


@functools.lru_cache(maxsize=65536)
def time_element(value: dt.date | str) -> Markup:
    """A ``<time>`` element whose text shows the date at its precision."""
    machine = value.isoformat() if isinstance(value, dt.date) else value
    return Markup('<time datetime="{}">{}</time>').format(machine, format_date(value))


def period_title(period: str) -> str:
    """A period of a split list as readers say it: ``2024``, ``March 2024`` or ``Undated``."""
    if period == "undated":
        return "Undated"
    year, _, month = period.partition("-")
    return f"{MONTHS[int(month) - 1]} {year}" if month else year


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


escape_text_cached = functools.lru_cache(maxsize=65536)(escape_text)


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


def make_environment(site_templates: Path | None = None) -> jinja2.Environment:
    """The Jinja2 environment: the site's templates first, then the package's defaults."""
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
    )
    environment.filters["text"] = escape_text_cached
    environment.filters["h"] = escape
    environment.filters["date"] = format_date
    environment.filters["time"] = time_element
    environment.globals["via_words"] = VIA_WORDS
    environment.globals["claim_status_words"] = CLAIM_STATUS_WORDS
    environment.globals["figure_value"] = figure_value
    environment.globals["names_in_print"] = names_in_print
    environment.globals["topic_title"] = topic_title
    environment.globals["first_sentence"] = first_sentence
    environment.globals["topic_page"] = topic_page
    environment.globals["period_page"] = period_page
    environment.globals["period_title"] = period_title
    environment.globals["front_matter"] = front_matter
    return environment
