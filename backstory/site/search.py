"""What the reader's search knows of each page and fact: its kind, its topics, and a record of its
own for each fact shown at an anchor of a page (a quote).

The search index itself is built from the published HTML by Pagefind (``build/search.py``); this
module writes only the markup that tells it what a page is:

- a page's kind and topics, as a hidden block at the top of the page (``page_marks``), which the
  search's filters and result labels read. A topic is what explainers are about: explainers,
  their quotes and the topic's page carry it; people and events do not (they are found by their
  kind). Why: on a large archive every topic a page carries is part of what a first search
  downloads (the filters), and a person's or an event's topics would be their stories' again;
- a fact's details besides its own words (a quote's speaker, role, date, publisher) are shown
  with its result but not indexed: the title names the speaker;
- a record per anchored fact (``search_records``), a small HTML file named by the fact's location
  (``actors/<id>/#quote-<id>``), so that the fact is a result of its own that opens at its anchor.

Pure: the same graph gives the same text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ..facts.graph import Graph
from ..facts.markup import plain_text
from .urls import SiteAddress
from .wording import ENGLISH, N_, Wording

SEARCH_BUNDLE = "pagefind"
"""The folder of the site that holds the search index (the theme's header loads it from there)."""
KIND_LABELS = {
    "story": N_("Explainer"),
    "person": N_("Person"),
    "organization": N_("Organization"),
    "event": N_("Event"),
    "quote": N_("Quote"),
    "claim": N_("Claim"),
    "figure": N_("Figure"),
    "topic": N_("Topic"),
    "page": N_("Page"),
}
"""The kinds of search result, as readers see them in labels and in the kind filter. A kind
with a page of its own marks its template (``page.search_marks``); a kind shown at an anchor
adds a record maker to ``RECORD_MAKERS``."""
TITLE_WORDS = 12
"""Words of a quote in its result's title; the excerpt shows the words that matched."""


def page_marks(kind: str, topics: Iterable[str], wording: Wording = ENGLISH) -> Markup:
    """The hidden block that tells the search a page's kind and topics (as filters, and the kind
    as the label of its results, in the edition's words). Nothing in it is indexed as text."""
    spans = [_mark("kind", wording.gettext(KIND_LABELS[kind]), meta=True)]
    spans += [_mark("topic", name) for name in dict.fromkeys(topics)]
    return Markup('<div class="bs-search-marks" hidden data-pagefind-ignore>{}</div>').format(
        Markup("").join(spans)
    )


def _mark(filter_name: str, value: str, *, meta: bool = False) -> Markup:
    if meta:
        markup = '<span data-pagefind-filter="{0}" data-pagefind-meta="{0}">{1}</span>'
        return Markup(markup).format(filter_name, value)
    return Markup('<span data-pagefind-filter="{}">{}</span>').format(filter_name, value)


def topic_names(graph: Graph, story_ids: Iterable[str]) -> list[str]:
    """The names of the topics of these stories, in order of first appearance."""
    names: dict[str, None] = {}
    for story_id in story_ids:
        for slug in graph.story_topics.get(story_id, ()):
            names.setdefault(graph.topics[slug].name)
    return list(names)


@dataclass(frozen=True)
class SearchRecord:
    """A fact that is a search result of its own, opening at an anchor of a page."""

    location: str
    """Where it is shown, relative to the site's root: ``actors/ryan-luby/#quote-<id>``."""
    kind: str
    title: str
    text: str
    """What is searched besides the title, and shown as the excerpt."""
    details: str
    topics: Sequence[str]
    date: str = ""


def quote_records(graph: Graph, address: SiteAddress, wording: Wording) -> list[SearchRecord]:
    """A record per quote, at the anchor of the page that shows it (``urls.fact_target``): its
    words as said, and the edition's translation of them where there is one."""
    records = []
    for quote_id, quote in graph.quotes.items():
        location = address.fact_location(graph, quote_id)
        if location is None:
            continue
        speaker = graph.actors[quote.speaker]
        shown = _shortened(quote.text)
        said = [speaker.name, *([speaker.role] if speaker.role else []), wording.date(quote.date)]
        source = graph.sources.get(quote.source)
        if source is not None:
            said.append(wording.gettext("published by %(outlet)s") % {"outlet": source.publisher})
        translated = graph.translations.get(quote_id, {}).get("text")
        records.append(
            SearchRecord(
                location=location,
                kind="quote",
                title=f"{speaker.name}: “{shown}”",
                text=f"{quote.text} {translated}" if translated else quote.text,
                details=", ".join(said),
                topics=topic_names(graph, graph.quote_stories.get(quote_id, ())),
                date=wording.date(quote.date),
            )
        )
    return records


def claim_records(graph: Graph, address: SiteAddress, wording: Wording) -> list[SearchRecord]:
    """A record per claim a story checks, at its anchor (``#claim-<id>``), its status first."""
    records = []
    for claim_id, claim in graph.claims.items():
        location = address.fact_location(graph, claim_id)
        if location is None:
            continue
        words = plain_text(claim.text, graph.title_of)
        evidence = plain_text(claim.evidence or "", graph.title_of)
        records.append(
            SearchRecord(
                location=location,
                kind="claim",
                title=f"{wording.claim_status(claim.status)}: {_shortened(words)}",
                text=" ".join(part for part in (words, evidence) if part),
                details=wording.gettext("checked %(date)s") % {"date": wording.date(claim.checked)},
                topics=topic_names(graph, graph.claim_stories.get(claim_id, ())),
                date=wording.date(claim.checked),
            )
        )
    return records


def figure_records(graph: Graph, address: SiteAddress, wording: Wording) -> list[SearchRecord]:
    """A record per figure (earlier ones too), at its anchor (``#figure-<id>``)."""
    records = []
    for figure_id, figure in graph.figures.items():
        location = address.fact_location(graph, figure_id)
        if location is None:
            continue
        records.append(
            SearchRecord(
                location=location,
                kind="figure",
                title=f"{figure.label}: {wording.figure_value(figure)}",
                text=plain_text(figure.note or "", graph.title_of) or figure.label,
                details=wording.gettext("as of %(date)s") % {"date": wording.date(figure.date)},
                topics=topic_names(graph, graph.figure_stories.get(figure_id, ())),
                date=wording.date(figure.date),
            )
        )
    return records


def _shortened(text: str) -> str:
    words = text.split()
    return " ".join(words[:TITLE_WORDS]) + ("…" if len(words) > TITLE_WORDS else "")


RECORD_MAKERS: tuple[Callable[[Graph, SiteAddress, Wording], list[SearchRecord]], ...] = (
    quote_records,
    claim_records,
    figure_records,
)
"""The makers of records for facts shown at an anchor, one per kind."""


def search_records(graph: Graph, address: SiteAddress, wording: Wording) -> dict[str, str]:
    """Every anchored fact's record, as ``{location: HTML text}`` for the search indexer, which
    indexes each file named by its location beside the site's pages, in ``wording``'s
    language."""
    files: dict[str, str] = {}
    for make in RECORD_MAKERS:
        for record in make(graph, address, wording):
            files.setdefault(record.location, record_html(record, wording.language, wording))
    return dict(sorted(files.items()))


def record_html(record: SearchRecord, language: str, wording: Wording = ENGLISH) -> str:
    """A record as the small HTML page the indexer reads (never published)."""
    date = (
        Markup('<span data-pagefind-meta="date">{}</span>').format(record.date)
        if record.date
        else ""
    )
    return str(
        Markup(
            '<!doctype html>\n<html lang="{language}"><head><meta charset="utf-8">'
            "<title>{title}</title></head>\n<body data-pagefind-body>\n{marks}\n"
            "<div hidden data-pagefind-ignore>{date}</div>\n<h1>{title}</h1>\n<p>{text}</p>\n"
            "<p data-pagefind-ignore>{details}</p>\n</body></html>\n"
        ).format(
            language=language,
            title=record.title,
            marks=page_marks(record.kind, record.topics, wording),
            date=date,
            text=record.text,
            details=record.details,
        )
    )
