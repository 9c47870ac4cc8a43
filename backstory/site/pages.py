"""Render stage: the fact graph as Markdown pages, through Jinja2 templates (``templates.py``).

Pure: every page is a job (``outputs.py``) whose text is a function of the graph; nothing here
writes to disk, reads the clock or depends on dict order it did not sort.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import jinja2
from markdown.extensions.toc import slugify as toc_slugify
from markdown.extensions.toc import unique as toc_unique
from markupsafe import escape

from ..facts.graph import Graph
from ..facts.models import NextStep, Quote, Unknown
from .context import CONTENTS_MARK, PageContext
from .editions import Foreign
from .jsonld import actor_jsonld, story_jsonld
from .outputs import Output, OutputJob, run_jobs
from .urls import (
    ARCHIVE_PAGE,
    CORRECTIONS_PAGE,
    HOME_PAGE,
    SOURCES_PAGE,
    TIMELINE_PAGE,
    TOPICS_PAGE,
    SiteOptions,
    page_path,
    period_page,
    topic_page,
)
from .wording import ENGLISH, N_, UNDATED, Wording

HOME_STORY_LIMIT = 25
"""The newest stories the home page shows; the archive lists them all."""


def render_pages(
    graph: Graph, options: SiteOptions, environment: jinja2.Environment
) -> dict[str, Output]:
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

    wording: Wording = environment.globals["wording"]  # type: ignore[assignment]

    def job(template: str, path: str, context: Callable[[Graph], dict[str, Any]]) -> OutputJob:
        def make(source: Graph) -> str:
            page = PageContext(path, source, language=options.language, wording=wording)
            text = environment.get_template(template).render(
                page=page, graph=source, site=options, **context(source)
            )
            text = with_contents(text, wording.gettext(CONTENTS_TITLE))
            if page.untranslated:
                text = _with_notice(text, wording.gettext(UNTRANSLATED_NOTICE))
            return _tidy(text)

        return OutputJob(path, make)

    return [
        job("home.md.j2", HOME_PAGE, _home_context),
        *_fact_jobs(graph, options, job),
        *_list_jobs(graph, job, wording),
        job("corrections.md.j2", CORRECTIONS_PAGE, _corrections_context),
    ]


_Job = Callable[[str, str, Callable[[Graph], dict[str, Any]]], OutputJob]


def _fact_jobs(graph: Graph, options: SiteOptions, job: _Job) -> list[OutputJob]:
    """A page for each story, named actor and event."""
    jobs = [
        job(
            "story.md.j2",
            page_path("stories", story_id),
            functools.partial(_story_context, story_id=story_id, options=options),
        )
        for story_id in graph.stories
    ]
    jobs += [
        job(
            "actor.md.j2",
            page_path("actors", actor_id),
            functools.partial(_actor_context, actor_id=actor_id, options=options),
        )
        for actor_id, actor in graph.actors.items()
        if not actor.anonymous  # an unnamed source has no page of its own
    ]
    jobs += [
        job(
            "event.md.j2",
            page_path("events", event_id),
            functools.partial(_event_context, event_id=event_id),
        )
        for event_id in graph.events
    ]
    return jobs


def _list_jobs(graph: Graph, job: _Job, wording: Wording) -> list[OutputJob]:
    """The timeline, archive and sources lists (a page per period), and the topics."""
    jobs = []
    lists: tuple[tuple[str, str, Mapping[str, Any], Callable[..., dict[str, Any]]], ...] = (
        ("timeline", TIMELINE_PAGE, graph.event_periods, _timeline_context),
        ("archive", ARCHIVE_PAGE, graph.story_periods, _archive_context),
        (
            "sources",
            SOURCES_PAGE,
            graph.source_periods,
            functools.partial(_sources_context, wording=wording),
        ),
    )
    for folder, first_page, periods, context in lists:
        template = f"{folder}.md.j2"
        jobs.append(job(template, first_page, context))
        for period in periods:
            jobs.append(
                job(
                    template, period_page(folder, period), functools.partial(context, period=period)
                )
            )
    jobs.append(job("topics.md.j2", TOPICS_PAGE, _topics_context))
    for slug in graph.topics:
        jobs.append(
            job("topic.md.j2", topic_page(slug), functools.partial(_topic_context, slug=slug))
        )
    return jobs


def _home_context(graph: Graph) -> dict[str, Any]:
    newest_first = sorted(
        graph.stories,
        key=lambda s: (graph.stories[s].updated or graph.stories[s].published, s),
        reverse=True,
    )
    return {"story_ids": newest_first[:HOME_STORY_LIMIT], "story_count": len(newest_first)}


def _story_context(graph: Graph, story_id: str, options: SiteOptions) -> dict[str, Any]:
    story = graph.stories[story_id]
    # model_construct: the texts are valid already, and validating them again would turn an
    # edition's untranslated text (editions.Foreign) into a plain string, losing its mark
    unknowns = [
        item if isinstance(item, Unknown) else Unknown.model_construct(text=item)
        for item in story.unknowns
    ]
    steps = [
        item if isinstance(item, NextStep) else NextStep.model_construct(text=item)
        for item in story.next
    ]

    def answered(item: Unknown) -> bool:
        return item.answered_by is not None and graph.collection_of(item.answered_by) is not None

    def settled(item: NextStep) -> bool:
        return bool(item.dropped) or (item.happened is not None and item.happened in graph.events)

    return {
        "story_id": story_id,
        "story": story,
        "open_unknowns": [item for item in unknowns if not answered(item)],
        "answered_unknowns": [item for item in unknowns if answered(item)],
        "pending_next": [item for item in steps if not settled(item)],
        "settled_next": [item for item in steps if settled(item)],
        "disputes": _dispute_pairs(graph, graph.story_quotes.get(story_id, ())),
        "jsonld": story_jsonld(
            graph,
            story_id,
            options.address,
            options.name,
            options.counterparts.get(story_id),
            options.translates,
        ),
    }


def _actor_context(graph: Graph, actor_id: str, options: SiteOptions) -> dict[str, Any]:
    quotes = graph.actor_quotes.get(actor_id, ())
    return {
        "actor_id": actor_id,
        "actor": graph.actors[actor_id],
        "quote_ids": list(reversed(quotes)),  # newest first
        "actor_quote_ids": list(quotes),
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


def _sources_context(
    graph: Graph, period: str | None = None, wording: Wording = ENGLISH
) -> dict[str, Any]:
    """Every source, newest first then by publisher and title; or, for a split list, its
    periods or one period's sources. Each with its heading (see ``source_headings``)."""
    context: dict[str, Any]
    if period is None and not graph.source_periods:
        ordered = sorted(graph.sources, key=graph.source_order)
        context = {"period": None, "source_ids": ordered, "periods": []}
    else:
        context = _period_context(graph.source_periods, period, "source_ids")
    context["headings"] = source_headings(graph, context["source_ids"], wording)
    return context


def source_headings(
    graph: Graph, source_ids: Sequence[str], wording: Wording = ENGLISH
) -> dict[str, str]:
    """The heading of each listed source: its title, and where another listed source has the
    same title, its publisher too (and its date, when the publisher is the same as well)."""
    by_title: dict[str, list[str]] = {}
    for source_id in source_ids:
        by_title.setdefault(graph.sources[source_id].title.casefold(), []).append(source_id)
    headings = {}
    for source_id in source_ids:
        source = graph.sources[source_id]
        twins = [graph.sources[s] for s in by_title[source.title.casefold()] if s != source_id]
        heading = source.title
        if twins:
            heading += f" ({source.publisher}"
            if any(t.publisher.casefold() == source.publisher.casefold() for t in twins):
                date = wording.date(source.date) if source.date else wording.gettext(UNDATED)
                heading += ", " + date
            heading += ")"
        # A title an edition shows as published stays marked with its language.
        title = source.title
        headings[source_id] = title.but(heading) if isinstance(title, Foreign) else heading
    return headings


def _archive_context(graph: Graph, period: str | None = None) -> dict[str, Any]:
    """Every story, newest first; or, for a split archive, its periods or one period's stories."""
    if period is None and not graph.story_periods:
        return {"period": None, "story_ids": graph.stories_newest_published(), "periods": []}
    return _period_context(graph.story_periods, period, "story_ids")


def _period_context(
    by_period: Mapping[str, Sequence[str]], period: str | None, name: str
) -> dict[str, Any]:
    """The first page of a split list (its periods, with counts) or one period's page (``name``
    holds the ids it lists). A period's page reads only its own period."""
    if period is None:
        return {
            "period": None,
            name: [],
            "periods": [(p, len(ids)) for p, ids in by_period.items()],
        }
    return {"period": period, name: by_period[period], "periods": []}


def _topics_context(graph: Graph) -> dict[str, Any]:
    return {"topics": list(graph.topics.values())}


def _topic_context(graph: Graph, slug: str) -> dict[str, Any]:
    return {"topic": graph.topics[slug]}


def _corrections_context(graph: Graph) -> dict[str, Any]:
    """Every correction of a story or of a quote, newest first."""
    stories = [(c.date, s, c.text) for s, story in graph.stories.items() for c in story.corrections]
    quotes = [(c.date, q, c.text) for q, quote in graph.quotes.items() for c in quote.corrections]
    corrections = sorted([*stories, *quotes], key=lambda item: (item[0], item[1]), reverse=True)
    return {"corrections": corrections}


def _dispute_pairs(graph: Graph, quote_ids: Sequence[str]) -> list[tuple[str, str]]:
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


UNTRANSLATED_NOTICE = N_(
    "Part of this page has no translation yet: it is shown in its original language."
)
_FIRST_HEADING = re.compile(r"^# .*$", re.MULTILINE)


def _with_notice(text: str, notice: str) -> str:
    """The page with a notice under its first heading (or at the top of its body)."""
    paragraph = f'\n\n<p class="bs-untranslated-notice" role="note">{escape(notice)}</p>\n\n'
    heading = _FIRST_HEADING.search(text)
    if heading is not None:
        return text[: heading.end()] + paragraph + text[heading.end() :]
    return text + paragraph


_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)(?:[ \t]+\{[^}]*\})?[ \t]*#*[ \t]*$", re.MULTILINE)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
CONTENTS_TITLE = N_("On this page")
CONTENTS_LEAST = 3
"""A page gets its own table of contents from this many sections on."""


def with_contents(text: str, title: str = CONTENTS_TITLE) -> str:
    """The page with its table of contents where the template asked for it (``page.contents``):
    a ``<details>`` list of the page's sections (its ``##`` headings), linked by the ids that
    the Markdown engine's table of contents gives them; nothing when it has few sections."""
    if CONTENTS_MARK not in text:
        return text
    taken: set[str] = set()
    sections = []
    for match in _HEADING.finditer(text):
        words = _LINK.sub(r"\1", match.group(2)).replace("\\", "")
        anchor = toc_unique(toc_slugify(words, "-"), taken)
        if len(match.group(1)) == 2:
            sections.append((anchor, words))
    if len(sections) < CONTENTS_LEAST:
        return text.replace(CONTENTS_MARK, "")
    items = "\n".join(
        f'<li><a href="#{anchor}">{escape(words)}</a></li>' for anchor, words in sections
    )
    block = (
        f'<details class="bs-toc">\n<summary>{escape(title)}</summary>\n'
        f"<ul>\n{items}\n</ul>\n</details>"
    )
    return text.replace(CONTENTS_MARK, f"\n\n{block}\n\n")


def _tidy(text: str) -> str:
    """Collapse runs of blank lines left by template logic; end with one newline."""
    text = _BLANK_LINES.sub("\n\n", text.replace("\r\n", "\n"))
    return text.strip("\n") + "\n"
