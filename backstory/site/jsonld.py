"""Structured data: schema.org JSON-LD for story and actor pages, built from the fact graph.

Pure like the render stage: the same graph gives the same string (keys sorted, every list in a
stated order), with no disk, no clock. URLs appear only when the site's address (``site_url``)
is known, because schema.org expects them absolute.

The string is made safe to print between ``<script>`` tags as it is (see ``script_safe_json``),
so the theme outputs it without escaping it again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from ..facts.graph import Graph
from ..facts.markup import plain_text
from ..facts.models import Actor, Source
from .urls import SiteAddress
from .wording import CLAIM_STATUS_WORDS, prose_name

SCHEMA_CONTEXT = "https://schema.org"

_SCRIPT_UNSAFE = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)

JsonObject = dict[str, Any]


def script_safe_json(data: Any) -> str:
    """JSON text that can sit inside ``<script type="application/ld+json">`` as it is.

    Why this is enough: ``<``, ``>`` and ``&`` are not JSON syntax, so they can only occur inside
    strings, where ``\\u003c`` means the same character to a JSON parser. Without a literal ``<``
    the text can contain neither ``</script`` nor ``<!--``, which are the only ways out of a
    script element's raw text; ``&`` is escaped so nothing reads as a character reference if the
    text is ever moved into an attribute, and U+2028/U+2029 because older JavaScript parsers
    treat them as line breaks inside strings.
    """
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.translate(_SCRIPT_UNSAFE)


def story_jsonld(
    graph: Graph,
    story_id: str,
    address: SiteAddress,
    site_name: str,
    editions: Mapping[str, str] | None = None,
    translates: str | None = None,
) -> str:
    """The structured data of a story page, as script-safe JSON text (see ``story_data``)."""
    data = story_data(graph, story_id, address, site_name)
    return script_safe_json(with_editions(data, editions or {}, translates))


def with_editions(
    data: JsonObject, editions: Mapping[str, str], translates: str | None
) -> JsonObject:
    """A story's data with its pages in other editions (``editions``: language to URL): in a
    translated edition, ``translationOfWork`` names the original (in language ``translates``);
    in the original, ``workTranslation`` names each translation."""
    if translates is not None and translates in editions:
        data["translationOfWork"] = {"@id": editions[translates], "inLanguage": translates}
    elif translates is None and editions:
        data["workTranslation"] = [
            {"@id": url, "inLanguage": language} for language, url in sorted(editions.items())
        ]
    return data


def actor_jsonld(graph: Graph, actor_id: str, address: SiteAddress) -> str:
    """The structured data of an actor page, as script-safe JSON text."""
    return script_safe_json(actor_data(graph, actor_id, address))


def story_data(graph: Graph, story_id: str, address: SiteAddress, site_name: str) -> JsonObject:
    """A story as a schema.org ``BackgroundNewsArticle``.

    ``about`` holds the actors its summary names, ``mentions`` the story's other actors (both in
    the order of the page's "Who's who"); ``citation`` the story's sources
    (``Graph.story_sources``), by id;
    ``hasPart`` its quotes, oldest first; ``correction`` its corrections, newest first.
    """
    story = graph.stories[story_id]
    name_of = _namer(graph)
    data: JsonObject = {
        "@context": SCHEMA_CONTEXT,
        "@type": "BackgroundNewsArticle",
        "headline": story.title,
        "description": plain_text(story.summary, name_of),
        "inLanguage": graph.language,
        "datePublished": story.published.isoformat(),
        "dateModified": (story.updated or story.published).isoformat(),
        "publisher": _drop_empty(
            {"@type": "Organization", "name": site_name, "url": _root_url(address)}
        ),
    }
    url = _fact_url(graph, story_id, address)
    if url:
        data["url"] = url
        data["mainEntityOfPage"] = url
    if story.topics:
        data["keywords"] = list(story.topics)

    references = graph.facts[story_id].references
    in_summary = {
        r.target for location, r in references if r.kind == "link" and location[:1] == ("summary",)
    }
    # An anonymous source is never a Person or an Organization of the structured data.
    actor_ids = [a for a in graph.story_actors.get(story_id, ()) if not graph.actors[a].anonymous]
    about = [a for a in actor_ids if a in in_summary]
    mentions = [a for a in actor_ids if a not in in_summary]
    if about:
        data["about"] = [_actor(graph, a, address) for a in about]
    if mentions:
        data["mentions"] = [_actor(graph, a, address) for a in mentions]

    quote_ids = graph.story_quotes.get(story_id, ())
    citations = [_source(graph.sources[s]) for s in graph.story_sources.get(story_id, ())]
    if citations:
        data["citation"] = citations
    # A paraphrase gives what was said, not the words: it is never a Quotation.
    quotations = [
        _quotation(graph, q, address) for q in quote_ids if graph.quotes[q].kind != "paraphrase"
    ]
    if quotations:
        data["hasPart"] = quotations
    reviews = [
        _claim_review(graph, c, address, site_name)
        for c in graph.story_claims.get(story_id, ())
        if graph.claims[c].status in RATED
    ]
    if reviews:
        data["review"] = reviews
    corrections = sorted(story.corrections, key=lambda c: c.date, reverse=True)
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": plain_text(c.text, name_of),
                "datePublished": c.date.isoformat(),
            }
            for c in corrections
        ]
    return data


def actor_data(graph: Graph, actor_id: str, address: SiteAddress) -> JsonObject:
    """An actor as a schema.org ``Person`` or ``Organization``, with its other names and summary."""
    actor = graph.actors[actor_id]
    data: JsonObject = {"@context": SCHEMA_CONTEXT, **_actor(graph, actor_id, address)}
    if actor.aliases:
        data["alternateName"] = list(actor.aliases)
    if actor.summary:
        data["description"] = plain_text(actor.summary, _namer(graph))
    return data


def _actor(graph: Graph, actor_id: str, address: SiteAddress) -> JsonObject:
    """An actor as a nested entity: its type, name, role and the organisation it belongs to."""
    actor: Actor = graph.actors[actor_id]
    person = actor.type == "person"
    data: JsonObject = {"@type": "Person" if person else "Organization", "name": actor.name}
    if person and actor.role:
        data["jobTitle"] = actor.role
    if actor.affiliation is not None and actor.affiliation in graph.actors:
        organisation = graph.actors[actor.affiliation]
        data["affiliation" if person else "parentOrganization"] = _drop_empty(
            {
                "@type": "Organization",
                "name": organisation.name,
                "url": _fact_url(graph, actor.affiliation, address),
            }
        )
    if actor.same_as:
        data["sameAs"] = list(actor.same_as)
    return _drop_empty({**data, "url": _fact_url(graph, actor_id, address)})


def _source(source: Source) -> JsonObject:
    """A source as a ``CreativeWork``; its URL is the original's, not a page of the site."""
    return _drop_empty(
        {
            "@type": "CreativeWork",
            "name": source.title,
            "publisher": {"@type": "Organization", "name": source.publisher},
            "url": source.url,
            "datePublished": source.date.isoformat() if source.date else None,
        }
    )


def _quotation(graph: Graph, quote_id: str, address: SiteAddress) -> JsonObject:
    """A quote as a ``Quotation``: its words (in their language, with the translations outlets
    published), who said them (never an anonymous source), when, and where they were published."""
    quote = graph.quotes[quote_id]
    speaker = graph.actors[quote.speaker]
    url = _fact_url(graph, quote_id, address)
    translations = [
        _drop_empty(
            {
                "@type": "Quotation",
                "text": t.text,
                "inLanguage": t.language,
                "translationOfWork": {"@id": url}
                if url
                else {"@type": "Quotation", "text": quote.text},
                "citation": _source(graph.sources[t.source]),
            }
        )
        for t in quote.translations
    ]
    return _drop_empty(
        {
            "@type": "Quotation",
            "text": quote.text,
            "inLanguage": quote.language,
            "creator": None if speaker.anonymous else _actor(graph, quote.speaker, address),
            "dateCreated": _when(graph, quote_id),
            "citation": _source(graph.sources[quote.source]),
            "url": url,
            "workTranslation": translations,
        }
    )


RATED = {"confirmed": 5, "false": 1}
"""The claim statuses a newsroom publishes a verdict on, as a rating from 1 (false) to 5."""


def _claim_review(graph: Graph, claim_id: str, address: SiteAddress, site_name: str) -> JsonObject:
    """A ``confirmed`` or ``false`` claim as a ``ClaimReview`` by the site."""
    claim = graph.claims[claim_id]
    name_of = _namer(graph)
    appearances = [_source(graph.sources[s]) for s in claim.asserted_by if s in graph.sources] + [
        _source(graph.sources[graph.quotes[q].source])
        for q in claim.asserted_by
        if q in graph.quotes
    ]
    return _drop_empty(
        {
            "@type": "ClaimReview",
            "claimReviewed": plain_text(claim.text, name_of),
            "datePublished": claim.checked.isoformat(),
            "author": _drop_empty(
                {"@type": "Organization", "name": site_name, "url": _root_url(address)}
            ),
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": RATED[claim.status],
                "bestRating": 5,
                "worstRating": 1,
                "alternateName": CLAIM_STATUS_WORDS[claim.status],
            },
            "reviewBody": plain_text(claim.evidence or "", name_of),
            "itemReviewed": _drop_empty({"@type": "Claim", "appearance": appearances}),
            "url": _fact_url(graph, claim_id, address),
        }
    )


def _when(graph: Graph, fact_id: str) -> str:
    """When a quote, event or figure happened, in ISO 8601: the full instant with its offset
    where a time is given, else the date at its precision."""
    moment = graph.moment(fact_id)
    instant = moment.instant(graph.timezone)
    return instant.isoformat(timespec="minutes") if instant is not None else moment.date


def _fact_url(graph: Graph, fact_id: str, address: SiteAddress) -> str | None:
    """The absolute URL of a fact on the site, or None when the site's address is unknown."""
    return address.fact_url(graph, fact_id) if address.site_url else None


def _root_url(address: SiteAddress) -> str | None:
    return address.url("") if address.site_url else None


def _namer(graph: Graph) -> Callable[[str], str]:
    return lambda fact_id: prose_name(graph, fact_id)


def _drop_empty(data: JsonObject) -> JsonObject:
    return {key: value for key, value in data.items() if value not in (None, "", [])}
