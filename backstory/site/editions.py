"""An edition of the site in another language: which pages it has and the facts as its readers
see them, their text translated where a translation exists and marked as foreign where not.

A story has a page in an edition only when its title, summary and every question and answer are
translated; the actors, events, sources, figures and claims of those stories follow them. The
edition's graph is built as the main one is (``facts.resolve.build_graph``), from the facts with
their text replaced, and restricted to those stories, so every index, list and link of the
edition's pages is consistent by construction. Quotes keep their words as said; their
translations, and the translated titles of sources (shown after the original, which is cited as
published), are in the graph's ``translations``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from ..facts.graph import Graph
from ..facts.models import Actor, NextStep, Question, Source, Story, Unknown
from ..facts.resolve import build_graph
from ..facts.translations import ITEMS, QUESTIONS, TRANSLATABLE, Edition
from ..facts.validate import ValidFact


class Foreign(str):
    """Text shown in an edition in the language it was written in: pages mark it with its
    ``lang``. ``pending`` text has no translation yet (pages then say so); other text is never
    translated (a source's title, as published; a link's title, a topic's name)."""

    language: str
    pending: bool

    def __new__(cls, text: str, language: str, *, pending: bool = True) -> Foreign:
        made = super().__new__(cls, text)
        made.language = language
        made.pending = pending
        return made

    def but(self, text: str) -> Foreign:
        """Other text (this one, capitalised, say) in the same language and state."""
        return Foreign(text, self.language, pending=self.pending)


KEPT_AS_WRITTEN = {("quotes", "text"), ("sources", "title")}
"""Fields an edition shows as the original gives them: a quote's words are verbatim and a
source is cited as published; their translations are shown beside them."""


def story_in_edition(fact: ValidFact, edition: Edition) -> bool:
    """Whether a story has a page in the edition: its title, summary and every question and
    answer are translated."""
    translation = edition.translations.get(fact.id)
    if translation is None:
        return False
    fields = translation.fields
    questions = getattr(fact.model, "questions", [])
    given = fields.get("questions") or []
    return bool(fields.get("title") and fields.get("summary")) and len(given) == len(questions)


def edition_graph(graph: Graph, edition: Edition, original_language: str) -> Graph:
    """The graph of an edition: its facts as the edition's readers see them, restricted to the
    stories that have a page in it."""
    facts = {
        fact_id: _translated(fact, edition, original_language)
        for fact_id, fact in graph.facts.items()
    }
    stories = {s for s in graph.stories if story_in_edition(graph.facts[s], edition)}
    beside = {
        fact_id: dict(translation.fields)
        for fact_id, translation in edition.translations.items()
        if translation.collection in ("quotes", "sources")
    }
    return build_graph(
        facts,
        include_drafts=True,  # the main graph has already left out what is not published
        timezone=graph.timezone,
        stories=stories,
        language=edition.language,
        translations=beside,
    )


def _translated(fact: ValidFact, edition: Edition, original_language: str) -> ValidFact:
    model = fact.model
    translation = edition.translations.get(fact.id)
    given: Mapping[str, Any] = translation.fields if translation is not None else {}
    update: dict[str, Any] = {}
    for name, shape in TRANSLATABLE[fact.collection].items():
        original = getattr(model, name, None)
        if original in (None, "", []) or (fact.collection, name) in KEPT_AS_WRITTEN:
            continue
        if name == "name" and isinstance(model, Actor):
            if model.type == "organization" and name in given:
                update[name] = given[name]
            continue  # a name is a name: shown as written until translated
        update[name] = _field(original, given.get(name), shape, original_language)
    if fact.collection in ("quotes", "sources") and getattr(model, "language", None) is None:
        update["language"] = original_language  # the words are in the original's language
    update.update(_as_written(fact, edition.language, original_language))
    if not update:
        return fact
    return ValidFact(fact.id, fact.collection, model.model_copy(update=update), fact.file)


def _as_written(fact: ValidFact, language: str, original_language: str) -> dict[str, Any]:
    """The text the content model gives no translation for, marked with the language it is
    written in: a source's title (cited as published), links' titles, a story's topics."""
    model = fact.model
    if isinstance(model, Source):
        written_in = model.language or original_language
        if written_in != language:
            return {"title": Foreign(model.title, written_in, pending=False)}
        return {}
    update: dict[str, Any] = {}
    if isinstance(model, Actor) and any(link.title for link in model.links):
        update["links"] = [
            link.model_copy(update={"title": Foreign(link.title, original_language, pending=False)})
            if link.title
            else link
            for link in model.links
        ]
    if isinstance(model, Story) and model.topics:
        update["topics"] = [Foreign(t, original_language, pending=False) for t in model.topics]
    return update


def _field(original: Any, given: Any, shape: str, language: str) -> Any:
    """A field's value in the edition: the translation where given, else the original marked."""
    if shape == QUESTIONS:
        answers = given or []
        return [
            Question(question=answers[i]["question"], answer=answers[i]["answer"])
            if i < len(answers)
            else q.model_copy(
                update={
                    "question": Foreign(q.question, language),
                    "answer": Foreign(q.answer, language),
                }
            )
            for i, q in enumerate(original)
        ]
    if shape == ITEMS:
        texts = given or []
        return [
            _item(item, texts[i] if i < len(texts) else None, language)
            for i, item in enumerate(original)
        ]
    if isinstance(original, list):
        if given is not None:
            if original and isinstance(original[0], BaseModel):  # corrections: their texts
                return [
                    item.model_copy(update={"text": given[i]["text"]})
                    for i, item in enumerate(original)
                ]
            return list(given)
        if original and isinstance(original[0], BaseModel):
            return [
                item.model_copy(update={"text": Foreign(item.text, language)}) for item in original
            ]
        return [Foreign(item, language) for item in original]
    return given if given is not None else Foreign(str(original), language)


def _item(item: Any, text: str | None, language: str) -> Any:
    """An unknown or a next step: its text translated, or marked."""
    shown = (
        text
        if text is not None
        else Foreign(item if isinstance(item, str) else item.text, language)
    )
    if isinstance(item, Unknown | NextStep):
        dropped = item.dropped if isinstance(item, NextStep) else None
        update: dict[str, Any] = {"text": shown}
        if dropped is not None:
            update["dropped"] = Foreign(dropped, language)
        return item.model_copy(update=update)
    return shown
