"""Translators' tools: what an edition in another language still lacks (``backstory i18n
status``), the stamps that tell a stale translation (``backstory i18n stamp``), and a starter
translation file for one fact (``backstory new ... --translation``).

What a story's page needs in an edition: the story's own text (its title, summary and every
question and answer decide whether the page exists at all), and the text of every actor, event,
quote, figure and claim the page shows. Sources are cited as published, so their titles are
optional; so are aliases and organisations' names. A quote said in the edition's language, or
with a published translation into it, needs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..build.write import atomic_write, create_file
from ..diagnostics import Diagnostic
from ..facts.graph import Graph
from ..facts.models import Actor, Quote
from ..facts.translations import (
    CORRECTIONS,
    ORIGINAL_ONLY,
    QUESTIONS,
    STAMPS_FILE,
    TRANSLATABLE,
    TRANSLATIONS_FOLDER,
    Edition,
    fingerprint,
    stamp_key,
)
from ..facts.validate import ValidFact

OPTIONAL = {("actors", "aliases"), ("actors", "name"), ("sources", "title")}
"""Translatable fields an edition does without: shown as written until translated."""
GATE = ("title", "summary", "questions")
"""A story's fields without which it has no page in an edition."""
SHOWN_WITH_A_STORY = (
    "story_actors",
    "story_events",
    "story_quotes",
    "story_figures",
    "story_claims",
)
"""The graph's indexes of the facts a story's page shows."""


def language_name(language: str) -> str:
    """A language's English name, for messages: ``Spanish``."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_")).get_display_name("en") or language
    except (ValueError, UnknownLocaleError):
        return language


def same_language(one: str | None, other: str) -> bool:
    """Whether two language tags name the same language (``es`` and ``es-US`` do)."""
    return one is not None and one.split("-")[0].lower() == other.split("-")[0].lower()


def needed_fields(fact: ValidFact, language: str, original_language: str) -> list[str]:
    """The fields of ``fact`` an edition in ``language`` needs translated."""
    model = fact.model
    if isinstance(model, Quote):
        if same_language(model.language or original_language, language):
            return []  # said in the edition's language: shown as said
        published = any(same_language(t.language, language) for t in model.translations)
        return [
            name
            for name in ("text", "context")
            if getattr(model, name) and not (name == "text" and published)
        ]
    return [
        name
        for name in TRANSLATABLE[fact.collection]
        if (fact.collection, name) not in ORIGINAL_ONLY | OPTIONAL
        and getattr(model, name, None) not in (None, "", [])
    ]


def translation_path(language: str, fact: ValidFact) -> str:
    """Where the translation of ``fact`` into ``language`` is written, from the site's root."""
    return f"{TRANSLATIONS_FOLDER}/{language}/{fact.collection}/{fact.id}.yml"


@dataclass(frozen=True)
class StoryStatus:
    """Where one published story stands in an edition."""

    story_id: str
    title: str
    in_edition: bool
    blocked_by: tuple[str, ...]
    """The story's own fields that keep its page out of the edition."""
    untranslated: tuple[str, ...]
    """Ids of the facts its page shows whose text is missing (shown in the original language)."""
    stale: tuple[str, ...]
    """Ids of the facts its page shows whose translation was made from an older original."""
    unstamped: tuple[str, ...] = ()
    """Ids of the facts its page shows whose translation was never stamped."""

    def summary(self, language: str) -> str:
        """One line for people: ``story-id: in Spanish; 2 facts untranslated, 1 stale``."""
        name = language_name(language)
        if self.in_edition:
            head = f"{self.story_id}: in {name}"
        else:
            head = f"{self.story_id}: not in {name}: needs " + ", ".join(self.blocked_by)
        tail = []
        if self.untranslated:
            tail.append(f"{len(self.untranslated)} fact(s) untranslated")
        if self.stale:
            tail.append(f"{len(self.stale)} stale")
        if self.unstamped:
            tail.append(f"{len(self.unstamped)} not stamped")
        return head + ("; " + ", ".join(tail) if tail else "")


@dataclass
class EditionStatus:
    """What an edition lacks: located problems, and where each published story stands."""

    language: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    stories: list[StoryStatus] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.diagnostics


def edition_status(graph: Graph, edition: Edition, original_language: str) -> EditionStatus:
    """Every fact a published story needs that lacks a translation or has a stale one, and a
    summary per story."""
    status = EditionStatus(edition.language)
    reported: set[str] = set()
    for story_id in sorted(graph.stories):
        shown = [story_id, *_shown_with(graph, story_id)]
        found: dict[str, list[str]] = {MISSING: [], STALE: [], UNSTAMPED: []}
        for fact_id in shown:
            fact = graph.facts[fact_id]
            problems = _fact_problems(fact, edition, original_language)
            for kind in {kind for kind, _ in problems}:
                found[kind].append(fact_id)
            if fact_id not in reported:
                reported.add(fact_id)
                status.diagnostics += [diagnostic for _, diagnostic in problems]
        blocked = _gate_missing(graph.facts[story_id], edition)
        status.stories.append(
            StoryStatus(
                story_id,
                graph.stories[story_id].title,
                not blocked,
                tuple(blocked),
                tuple(i for i in found[MISSING] if i != story_id or not blocked),
                tuple(found[STALE]),
                tuple(found[UNSTAMPED]),
            )
        )
    status.diagnostics.sort()
    return status


def _shown_with(graph: Graph, story_id: str) -> list[str]:
    """The ids of the facts a story's page shows, sorted."""
    return sorted(
        {i for index in SHOWN_WITH_A_STORY for i in getattr(graph, index).get(story_id, ())}
    )


def _gate_missing(story: ValidFact, edition: Edition) -> list[str]:
    """What of a story's title, summary, questions and answers has no translation."""
    missing = [name for name in ("title", "summary") if not edition.get(story.id, name)]
    questions = len(getattr(story.model, "questions", []))
    given = len(edition.get(story.id, "questions") or [])
    if questions and given < questions:
        missing.append(f"{questions - given} of {questions} questions and answers")
    return missing


MISSING, STALE, UNSTAMPED = "missing", "stale", "unstamped"


def _fact_problems(
    fact: ValidFact, edition: Edition, original_language: str
) -> list[tuple[str, Diagnostic]]:
    """What a fact's translation lacks (MISSING) or may have wrong (STALE), located."""
    language = edition.language
    name = language_name(language)
    needed = needed_fields(fact, language, original_language)
    translation = edition.translations.get(fact.id)
    if translation is None:
        if not needed:
            return []
        where = fact.file.position((needed[0],))
        message = f"no {name} translation of {', '.join(needed)}: write "
        message += translation_path(language, fact)
        hint = f"start it with: backstory new {_kind(fact)} {fact.id} --translation {language}"
        return [
            (
                MISSING,
                Diagnostic(fact.file.path, where.line, where.column, "warning", message, hint),
            )
        ]
    path = translation.file.path
    stamp_hint = f"backstory i18n stamp {language} {fact.id}"
    found: list[tuple[str, Diagnostic]] = []
    lacking = [field for field in needed if not translation.fields.get(field)]
    if lacking:
        message = f"no {name} translation of {', '.join(lacking)}"
        found.append((MISSING, _at_top(path, message, f"the original is {fact.file.path}")))
    stamp = edition.stamps.get(stamp_key(fact))
    if stamp is None:
        message = "not stamped: nothing records which version of the original this translates"
        hint = f"once it matches {fact.file.path}, run: {stamp_hint}"
        found.append((UNSTAMPED, _at_top(path, message, hint)))
    elif stamp != fingerprint(fact):
        message = f"stale: {fact.file.path} changed after this translation was stamped"
        hint = f"bring the translation up to date, then run: {stamp_hint}"
        found.append((STALE, _at_top(path, message, hint)))
    return found


def _at_top(path: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic(path, 1, 1, "warning", message, hint)


def _kind(fact: ValidFact) -> str:
    from ..facts.collections import BY_NAME

    return BY_NAME[fact.collection].kind


# --- stamps ------------------------------------------------------------------------------------


def stamp_translations(
    root: Path, facts: Mapping[str, ValidFact], edition: Edition, ids: Iterable[str] = ()
) -> list[str]:
    """Record, in ``translations/<language>/stamps.yml``, that the translations of ``ids`` (every
    translation when none is given) match their originals as they are now. Returns the keys
    stamped; raises KeyError naming an id that has no translation."""
    wanted = list(ids) or sorted(edition.translations)
    unknown = [i for i in wanted if i not in edition.translations]
    if unknown:
        raise KeyError(unknown[0])
    stamps = dict(edition.stamps)
    stamped = []
    for fact_id in wanted:
        fact = facts.get(fact_id)
        if fact is None:
            continue  # translates a fact that is not published: nothing to compare with yet
        stamps[stamp_key(fact)] = fingerprint(fact)
        stamped.append(stamp_key(fact))
    folder = root / TRANSLATIONS_FOLDER / edition.language
    lines = [
        f"# Written by `backstory i18n stamp {edition.language}`: the fingerprint of each "
        "original as it was when\n",
        "# its translation was last checked against it. A build never writes this file.\n",
    ]
    lines += [f"{key}: {value}\n" for key, value in sorted(stamps.items())]
    atomic_write(folder / STAMPS_FILE, "".join(lines).encode("utf-8"))
    return stamped


# --- a starter translation file ----------------------------------------------------------------


def new_translation(root: Path, fact: ValidFact, language: str, original_language: str) -> Path:
    """Create ``translations/<language>/<collection>/<id>.yml`` with every translatable field of
    the original as a commented line to translate; never over an existing file (raises
    FileExistsError)."""
    model = fact.model
    lines = [
        f"# The {language_name(language)} text of {fact.file.path}. Translate each field below, "
        "remove the '# ' in\n",
        "# front of it, and run `backstory check`. Only text is translated: ids, dates and "
        "references stay\n",
        f"# as they are. When it is done: backstory i18n stamp {language} {fact.id}\n",
    ]
    needed = needed_fields(fact, language, original_language)
    for name, shape in TRANSLATABLE[fact.collection].items():
        value = getattr(model, name, None)
        if (fact.collection, name) in ORIGINAL_ONLY or value in (None, "", []):
            continue
        if isinstance(model, Quote) and name not in needed:
            continue
        if name == "name" and isinstance(model, Actor) and model.type == "person":
            continue  # a person's name is never translated (the check refuses it)
        note = "" if name in needed else "  (optional)"
        lines.append("#\n")
        lines += _commented(name, _plain(value, shape), note)
    if isinstance(model, Quote) and needed:
        lines += ["#\n", "# translator: the name of whoever translated the words\n"]
    target = root / TRANSLATIONS_FOLDER / language / fact.collection / f"{fact.id}.yml"
    create_file(target, "".join(lines))
    return target


def _plain(value: Any, shape: str) -> Any:
    if isinstance(value, list):
        return [_plain_item(item, shape) for item in value]
    return str(value)


def _plain_item(item: Any, shape: str) -> Any:
    if isinstance(item, str):
        return item
    if shape == QUESTIONS:
        return {"question": item.question, "answer": item.answer}
    if shape == CORRECTIONS:
        return {"text": item.text}
    return item.text  # an unknown or next step: translated as its text alone


def _commented(name: str, value: Any, note: str) -> list[str]:
    """A field as commented YAML lines, the original's text in place of the translation."""
    if isinstance(value, str):
        return [f"# {name}: {_scalar(value)}{note}\n"]
    lines = [f"# {name}:{note}\n"]
    for item in value:
        if isinstance(item, str):
            lines.append(f"#   - {_scalar(item)}\n")
            continue
        first = True
        for key, text in item.items():
            lines.append(f"#   {'- ' if first else '  '}{key}: {_scalar(text)}\n")
            first = False
    return lines


def _scalar(text: str) -> str:
    """Text as one double-quoted YAML scalar on one line."""
    import json

    return json.dumps(" ".join(text.split()), ensure_ascii=False)
