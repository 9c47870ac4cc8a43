"""Render stage: turn the fact graph into Markdown pages through Jinja2 templates.

Pure: the result is ``{page path: markdown text}``; nothing here writes to disk, reads the clock
or depends on dict order it did not sort. Templates are looked up in the site's ``templates/``
folder first and in the package's defaults second, so a site overrides a page by dropping in a
file of the same name.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .markup import escape_text, plain_text, render_markdown
from .models import Quote
from .outputs import OutputJob, run_jobs
from .resolve import Graph, PartialDateKey
from .structured import actor_jsonld, story_jsonld
from .urls import PAGE_FOLDER, SiteOptions, page_path

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
VIA_WORDS = {
    "email": "in an email",
    "statement": "in a statement",
    "interview": "in an interview",
    "press-conference": "at a press conference",
    "court-filing": "in a court filing",
    "social-media": "on social media",
    "report": "in a report",
}
RESERVED_PAGES = ("index.md", "timeline.md", "sources.md", "corrections.md", "archive.md")
"""Generated pages at the top of the docs folder; generated folders are in PAGE_FOLDER,
``topics/`` and YEAR_FOLDERS."""
PERIOD_FOLDERS = ("timeline", "archive", "sources")
"""Folders of the pages a long site-wide list is split into, one per year or month."""
HOME_STORY_LIMIT = 25
"""The newest stories the home page shows; the archive lists them all."""


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


@functools.lru_cache(maxsize=65536)
def time_element(value: dt.date | str) -> Markup:
    """A ``<time>`` element whose text shows the date at its precision."""
    machine = value.isoformat() if isinstance(value, dt.date) else value
    return Markup('<time datetime="{}">{}</time>').format(machine, format_date(value))


@dataclass(frozen=True)
class Topic:
    """A topic named by stories, with its page."""

    name: str
    slug: str
    story_ids: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"topics/{self.slug}.md"

    @property
    def title(self) -> str:
        return topic_title(self.name)


def ascii_fold(text: str) -> str:
    """Text without diacritics: ``Ana López`` -> ``Ana Lopez``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def names_in_print(name: str, aliases: list[str]) -> list[str]:
    """An actor's other names, plus each name spelt without diacritics, as print often does
    (and as readers type into search)."""
    shown: list[str] = []
    for candidate in [*aliases, *(ascii_fold(n) for n in [name, *aliases])]:
        if candidate != name and candidate not in shown:
            shown.append(candidate)
    return shown


def topic_title(name: str) -> str:
    """A topic as a heading: its first letter capitalised."""
    return name[:1].upper() + name[1:]


@functools.lru_cache(maxsize=4096)
def topic_slug(name: str) -> str:
    """The URL slug of a topic name: ``Sanctuary cities`` -> ``sanctuary-cities``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "topic"


def collect_topics(graph: Graph, *, only: str | None = None) -> list[Topic]:
    """Every topic of the visible stories (or only the one whose slug is ``only``), by name;
    stories newest first within each."""
    by_slug: dict[str, tuple[str, list[str]]] = {}
    for story_id, story in graph.stories.items():
        for name in story.topics:
            slug = topic_slug(name)
            if only is not None and slug != only:
                continue
            _shown, story_ids = by_slug.setdefault(slug, (name, []))
            if story_id not in story_ids:
                story_ids.append(story_id)
    topics = []
    for slug, (name, story_ids) in sorted(by_slug.items()):
        story_ids.sort(key=lambda s: (graph.stories[s].updated or graph.stories[s].published, s), reverse=True)
        topics.append(Topic(name, slug, tuple(story_ids)))
    return topics


_escape_text_cached = functools.lru_cache(maxsize=65536)(escape_text)


@functools.lru_cache(maxsize=65536)
def _relative_link(target: str, from_folder: str) -> str:
    return posixpath.relpath(target, from_folder)


@functools.lru_cache(maxsize=65536)
def _citation_marker(number: int, title: str) -> Markup:
    return Markup('<sup class="bs-cite"><a href="#source-{n}" title="{t}">[{n}]</a></sup>').format(
        n=number, t=title
    )


@dataclass
class PageContext:
    """What a template uses to link, cite and escape on one page; it numbers the page's citations."""

    path: str
    graph: Graph
    cited: list[str] = field(default_factory=list)

    def url(self, fact_id: str) -> str | None:
        """Relative link from this page to a fact's page, or None when the fact has no page."""
        collection = self.graph.collection_of(fact_id)
        if collection in PAGE_FOLDER:
            return self.relative(page_path(collection, fact_id))
        if collection == "quotes":
            quote = self.graph.quotes[fact_id]
            return self.relative(page_path("actors", quote.speaker)) + f"#quote-{fact_id}"
        if collection == "sources":
            return self.relative(self.graph.source_listing[fact_id]) + f"#source-{fact_id}"
        return None

    def relative(self, target: str) -> str:
        """A link to ``target`` (a path in the docs folder) from this page."""
        return _relative_link(target, posixpath.dirname(self.path) or ".")

    def link(self, fact_id: str, words: str | None = None) -> str:
        """A Markdown link to a fact's page with its title (or ``words``) as text."""
        url = self.url(fact_id)
        text = _escape_text_cached(words if words else self.title(fact_id))
        return f"[{text}]({url})" if url else text

    def title(self, fact_id: str) -> str:
        return self.graph.title_of(fact_id) if fact_id in self.graph.facts else fact_id

    def cite(self, source_id: str) -> Markup:
        """A numbered citation marker; the first source cited on a page is number 1."""
        if source_id not in self.cited:
            self.cited.append(source_id)
        number = self.cited.index(source_id) + 1
        return _citation_marker(number, self.graph.title_of(source_id))

    def cite_all(self, source_ids: list[str]) -> Markup:
        """Citation markers for several sources, in the order of their numbers."""
        for source_id in source_ids:
            self.cite(source_id)
        ordered = sorted(set(source_ids), key=self.cited.index)
        return Markup("").join(self.cite(source_id) for source_id in ordered)

    def md(self, text: str | None) -> str:
        """A markdown field from a fact, escaped, with its links and citations resolved."""
        if not text:
            return ""
        return render_markdown(text, self.link, lambda source_id: str(self.cite(source_id)))

    def plain(self, text: str | None) -> str:
        """A markdown field as one line of plain text."""
        return plain_text(text or "", self.title)

    def citations(self) -> list[tuple[int, str]]:
        """The sources cited on this page so far, numbered in order of first citation."""
        return [(number, source_id) for number, source_id in enumerate(self.cited, start=1)]


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
    return "---\n" + "".join(_yaml_lines(clean, "")) + "---\n"


_YAML_KEY = re.compile(r"[a-z][a-z0-9_]*\Z")
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
"""Plain words YAML 1.1 reads as booleans or null: quoted when used as keys."""
_YAML_UNSAFE = re.compile('[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]')
"""Characters a double-quoted YAML string cannot hold as they are (besides the quote and the
backslash): everything outside YAML's printable set or read as a line break (NEL, U+2028,
U+2029), and the byte-order mark."""


def _yaml_lines(mapping: dict[str, Any], indent: str) -> list[str]:
    """A block mapping, keys sorted, every value a quoted string or a nested mapping.

    Why not a YAML library's dumper: its representer is pure Python and cost a fifth of
    rendering a large archive; this is the one shape front matter needs, and the tests read
    every value back with a YAML parser.
    """
    lines = []
    for key in sorted(mapping):
        value = mapping[key]
        name = key if _YAML_KEY.match(key) and key not in _YAML_WORDS else _yaml_quoted(key)
        if isinstance(value, dict):
            lines.append(f"{indent}{name}:\n")
            lines.extend(_yaml_lines(value, indent + "  "))
        else:
            lines.append(f"{indent}{name}: {_yaml_quoted(str(value))}\n")
    return lines


def _yaml_quoted(text: str) -> str:
    """Single-quoted when every character may stand as it is (easier to read), else double-quoted
    with escapes."""
    if not _YAML_UNSAFE.search(text):
        return "'" + text.replace("'", "''") + "'"
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + _YAML_UNSAFE.sub(_yaml_escape, text) + '"'


def _yaml_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def make_environment(site_templates: Path | None = None) -> jinja2.Environment:
    """The Jinja2 environment: the site's templates first, then the package's defaults."""
    loaders: list[jinja2.BaseLoader] = []
    if site_templates is not None and site_templates.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(site_templates)))
    loaders.append(jinja2.PackageLoader("backstory", "templates"))
    environment = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # one render of a site never sees a template change mid-way
    )
    environment.filters["text"] = _escape_text_cached
    environment.filters["h"] = escape
    environment.filters["date"] = format_date
    environment.filters["time"] = time_element
    environment.globals["via_words"] = VIA_WORDS
    environment.globals["names_in_print"] = names_in_print
    environment.globals["topic_slug"] = topic_slug
    environment.globals["topic_title"] = topic_title
    environment.globals["period_title"] = period_title
    environment.globals["front_matter"] = front_matter
    return environment


def render_pages(
    graph: Graph, options: SiteOptions, environment: jinja2.Environment
) -> dict[str, str]:
    """Every generated page of the site, as ``{path in the docs folder: Markdown text}``."""
    return run_jobs(page_jobs(graph, options, environment), graph)


def page_jobs(
    graph: Graph, options: SiteOptions, environment: jinja2.Environment
) -> list[OutputJob]:
    """A job for every generated page of the site.

    Which pages exist depends on ``graph``; what each page says is read from the graph its job
    is given, and every template input is computed inside the job, so a job's reads are all
    the facts its page shows. Story and actor templates also get ``jsonld``: the page's
    schema.org data as JSON text already safe inside a ``<script>`` element.
    """

    def job(template: str, path: str, context: Callable[[Graph], dict[str, Any]]) -> OutputJob:
        def make(source: Graph) -> str:
            text = environment.get_template(template).render(
                page=PageContext(path, source), graph=source, site=options, **context(source)
            )
            return _tidy(text)

        return OutputJob(path, make)

    jobs = [job("home.md.j2", "index.md", _home_context)]
    for story_id in graph.stories:
        jobs.append(job("story.md.j2", page_path("stories", story_id),
                        functools.partial(_story_context, story_id=story_id, options=options)))
    for actor_id in graph.actors:
        jobs.append(job("actor.md.j2", page_path("actors", actor_id),
                        functools.partial(_actor_context, actor_id=actor_id, options=options)))
    for event_id in graph.events:
        jobs.append(job("event.md.j2", page_path("events", event_id),
                        functools.partial(_event_context, event_id=event_id)))
    jobs.append(job("timeline.md.j2", "timeline.md", _timeline_context))
    for period in graph.event_periods:
        jobs.append(job("timeline.md.j2", f"timeline/{period}.md", functools.partial(_timeline_context, period=period)))
    jobs.append(job("archive.md.j2", "archive.md", _archive_context))
    for period in graph.story_periods:
        jobs.append(job("archive.md.j2", f"archive/{period}.md", functools.partial(_archive_context, period=period)))
    jobs.append(job("sources.md.j2", "sources.md", _sources_context))
    for period in graph.source_periods:
        jobs.append(job("sources.md.j2", f"sources/{period}.md", functools.partial(_sources_context, period=period)))
    jobs.append(job("topics.md.j2", "topics/index.md", lambda g: {"topics": collect_topics(g)}))
    for topic in collect_topics(graph):
        jobs.append(job("topic.md.j2", topic.path, functools.partial(_topic_context, slug=topic.slug)))
    jobs.append(job("corrections.md.j2", "corrections.md", _corrections_context))
    return jobs


def _home_context(graph: Graph) -> dict[str, Any]:
    newest_first = sorted(
        graph.stories,
        key=lambda s: (graph.stories[s].updated or graph.stories[s].published, s),
        reverse=True,
    )
    return {"story_ids": newest_first[:HOME_STORY_LIMIT], "story_count": len(newest_first)}


def _story_context(graph: Graph, story_id: str, options: SiteOptions) -> dict[str, Any]:
    return {
        "story_id": story_id,
        "story": graph.stories[story_id],
        "disputes": _dispute_pairs(graph, graph.story_quotes.get(story_id, [])),
        "jsonld": story_jsonld(graph, story_id, options.address, options.name),
    }


def _actor_context(graph: Graph, actor_id: str, options: SiteOptions) -> dict[str, Any]:
    quotes = graph.actor_quotes.get(actor_id, [])
    return {
        "actor_id": actor_id,
        "actor": graph.actors[actor_id],
        "quote_ids": sorted(quotes, key=lambda q: (graph.quotes[q].date, q), reverse=True),
        "disputes": _dispute_pairs(graph, quotes),
        "jsonld": actor_jsonld(graph, actor_id, options.address),
    }


def _event_context(graph: Graph, event_id: str) -> dict[str, Any]:
    return {"event_id": event_id, "event": graph.events[event_id]}


def _timeline_context(graph: Graph, period: str | None = None) -> dict[str, Any]:
    """All events in date order; or, for a split timeline, its periods or one period's events."""
    if period is None and not graph.event_periods:
        ordered = sorted(graph.events, key=graph.event_order)
        return {"period": None, "event_ids": ordered, "periods": []}
    return _period_context(graph.event_periods, period, "event_ids")


def _sources_context(graph: Graph, period: str | None = None) -> dict[str, Any]:
    """Every source by id; or, for a split list, its periods or one period's sources."""
    if period is None and not graph.source_periods:
        return {"period": None, "source_ids": list(graph.sources), "periods": []}
    return _period_context(graph.source_periods, period, "source_ids")


def _archive_context(graph: Graph, period: str | None = None) -> dict[str, Any]:
    """Every story, newest first; or, for a split archive, its periods or one period's stories."""
    if period is None and not graph.story_periods:
        return {"period": None, "story_ids": graph.stories_newest_published(), "periods": []}
    return _period_context(graph.story_periods, period, "story_ids")


def _period_context(
    by_period: Mapping[str, list[str]], period: str | None, name: str
) -> dict[str, Any]:
    """The first page of a split list (its periods, with counts) or one period's page (``name``
    holds the ids it lists). A period's page reads only its own period."""
    if period is None:
        return {"period": None, name: [], "periods": [(p, len(ids)) for p, ids in by_period.items()]}
    return {"period": period, name: by_period[period], "periods": []}


def period_title(period: str) -> str:
    """A period of a split list as readers say it: ``2024``, ``March 2024`` or ``Undated``."""
    if period == "undated":
        return "Undated"
    year, _, month = period.partition("-")
    return f"{MONTHS[int(month) - 1]} {year}" if month else year


def _topic_context(graph: Graph, slug: str) -> dict[str, Any]:
    return {"topic": collect_topics(graph, only=slug)[0]}


def _corrections_context(graph: Graph) -> dict[str, Any]:
    corrections = sorted(
        ((c.date, story_id, c.text) for story_id, s in graph.stories.items() for c in s.corrections),
        key=lambda item: (item[0], item[1]),
        reverse=True,
    )
    return {"corrections": corrections}


def _dispute_pairs(graph: Graph, quote_ids: list[str]) -> list[tuple[str, str]]:
    """Pairs (quote, the quote it disputes) touching any of ``quote_ids``, each pair once."""
    pairs: set[tuple[str, str]] = set()
    for quote_id in quote_ids:
        quote: Quote = graph.quotes[quote_id]
        for other in quote.disputes:
            if other in graph.quotes:
                pairs.add((quote_id, other))
        for other in graph.disputed_by.get(quote_id, []):
            pairs.add((other, quote_id))
    return sorted(pairs, key=lambda pair: (graph.quotes[pair[1]].date, pair))


_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")


def _tidy(text: str) -> str:
    """Collapse runs of blank lines left by template logic; end with one newline."""
    text = _BLANK_LINES.sub("\n\n", text.replace("\r\n", "\n"))
    return text.strip("\n") + "\n"
