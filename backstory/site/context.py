"""What a template uses to link, cite and escape on one page."""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from ..facts.dates import PartialDateKey
from ..facts.graph import Graph
from ..facts.markup import escape_text, plain_text, render_markdown
from ..facts.media import MARKDOWN_IMAGE, MEDIA_FOLDER, media_file
from .editions import Foreign
from .search import page_marks, topic_names
from .urls import fact_target
from .wording import ENGLISH, Wording, prose_name


@functools.lru_cache(maxsize=65536)
def escape_text_cached(text: str) -> str:
    return escape_text(text)


@functools.lru_cache(maxsize=65536)
def _date_element(value: str, shown: str) -> Markup:
    return Markup('<time datetime="{}">{}</time>').format(value, shown)


@functools.lru_cache(maxsize=65536)
def _relative_link(target: str, from_folder: str) -> str:
    return posixpath.relpath(target, from_folder)


CONTENTS_MARK = "<!-- backstory:contents -->"
"""Where a page's own table of contents goes (``pages.with_contents`` puts it there)."""


@functools.lru_cache(maxsize=65536)
def _citation_marker(number: int, title: str) -> Markup:
    # The word joiner (U+2060) keeps the marker on the line of the word it follows.
    return Markup(
        '<sup class="bs-cite">&#8288;<a href="#source-{n}" title="{t}">[{n}]</a></sup>'
    ).format(n=number, t=title)


@dataclass
class PageContext:
    """One page being rendered: its links, and its citations, numbered in order of first use."""

    path: str
    graph: Graph
    cited: list[str] = field(default_factory=list)
    language: str = "en"
    """The page's language: text in another language is marked with its own."""
    wording: Wording = ENGLISH
    untranslated: bool = False
    """Whether the page shows text that has no translation yet (it then says so)."""

    def url(self, fact_id: str) -> str | None:
        """Relative link from this page to where a fact is shown, or None when it is not on
        the site."""
        target = fact_target(self.graph, fact_id)
        if target is None:
            return None
        page, anchor = target
        return self.relative(page) + (f"#{anchor}" if anchor else "")

    def relative(self, target: str) -> str:
        """A link to ``target`` (a path in the docs folder) from this page."""
        return _relative_link(target, posixpath.dirname(self.path) or ".")

    def link(self, fact_id: str, words: str | None = None) -> str:
        """A Markdown link to where a fact is shown, with its title (or ``words``) as text; a
        figure is linked as its latest value (the end of its chain of revisions), so prose
        stays current when a figure is revised."""
        if fact_id in self.graph.figures and not words:
            latest = self.graph.figure_latest[fact_id]
            fact_id, words = latest, self.wording.figure_value(self.graph.figures[latest])
        url = self.url(fact_id)
        text = self.text(words if words else self.title(fact_id))
        return f"[{text}]({url})" if url else text

    def title(self, fact_id: str) -> str:
        """The words a fact is shown by in prose (see ``wording.prose_name``)."""
        return prose_name(self.graph, fact_id, self.wording)

    def text(self, value: str) -> str:
        """A plain string made safe as Markdown text; text without a translation yet is
        marked with its language."""
        if isinstance(value, Foreign):
            self.untranslated = self.untranslated or value.pending
            return f'<span lang="{value.language}">{escape_text(value)}</span>'
        return escape_text_cached(value)

    def html(self, value: str) -> Markup:
        """A plain string escaped for HTML; text without a translation yet marked."""
        if isinstance(value, Foreign):
            self.untranslated = self.untranslated or value.pending
            return Markup('<span lang="{}">{}</span>').format(value.language, str(value))
        return Markup.escape(value)

    def lang(self, language: str | None) -> Markup:
        """A ``lang`` attribute for text in ``language``, when that is not the page's."""
        if not language or language == self.language:
            return Markup("")
        return Markup(' lang="{}"').format(language)

    def when(self, fact_id: str) -> Markup:
        """When an event, a quote or a figure happened, as ``<time>``: the date at its
        precision, the time of day with its zone where given (the datetime attribute then
        carries the full instant), and an event's span as two dates."""
        moment = self.graph.moment(fact_id)
        instant = moment.instant(self.graph.timezone)
        wording = self.wording
        if instant is not None:
            shown = f"{wording.date(moment.date)}, {wording.time(instant)}"
            return _date_element(instant.isoformat(timespec="minutes"), shown)
        event = self.graph.events.get(fact_id)
        if event is not None and event.end is not None and event.end != _day(event.date):
            first, dash, last = wording.span_parts(event.date, event.end)
            return Markup('<time datetime="{}">{}</time>{}<time datetime="{}">{}</time>').format(
                event.date, first, dash, event.end.isoformat(), last
            )
        return self.date(moment.date)

    def date(self, value: dt.date | str) -> Markup:
        """A ``<time>`` element whose text shows a date at its precision."""
        machine = value.isoformat() if isinstance(value, dt.date) else value
        return _date_element(machine, self.wording.date(value))

    def media(self, path: str) -> str:
        """The link from this page to an image of ``content/media/``."""
        return self.relative(f"{MEDIA_FOLDER}/{media_file(path)}")

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
        html = render_markdown(text, self.link, lambda source_id: str(self.cite(source_id)))
        if "![" in html:
            html = MARKDOWN_IMAGE.sub(lambda m: f"![{m.group(1)}]({self.media(m.group(2))})", html)
        if isinstance(text, Foreign):
            self.untranslated = True
            if "\n\n" in html:
                return f'<div lang="{text.language}" markdown="block">\n\n{html}\n\n</div>'
            return f'<span lang="{text.language}" markdown="span">{html}</span>'
        return html

    def plain(self, text: str | None) -> str:
        """A markdown field as one line of plain text."""
        return plain_text(text or "", self.title)

    def contents(self) -> Markup:
        """The place of the page's table of contents: an "On this page" list of its sections
        that works without JavaScript (for phones, where the theme shows none)."""
        return Markup(CONTENTS_MARK)

    def search_marks(self, kind: str, story_ids: Sequence[str] = ()) -> Markup:
        """The hidden block that tells the reader's search this page's kind (a key of
        ``search.KIND_LABELS``) and the topics of ``story_ids``."""
        return page_marks(kind, topic_names(self.graph, story_ids), self.wording)

    def not_cited(self, source_ids: Sequence[str]) -> list[str]:
        """The sources among ``source_ids`` that this page has not cited, in their order."""
        return [source_id for source_id in source_ids if source_id not in self.cited]

    def citations(self) -> list[tuple[int, str]]:
        """The sources cited on this page so far, numbered in order of first citation."""
        return [(number, source_id) for number, source_id in enumerate(self.cited, start=1)]


def _day(date: str) -> dt.date | None:
    return PartialDateKey.parse(date).full_date
