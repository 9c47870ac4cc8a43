"""Translations: sparse files under ``translations/<language>/<collection>/<id>.yml`` that give
the text of an edition in another language, never facts (the facts are shared by every edition).

Loaded with the load stage's YAML reader, checked here against the contract's table of
translatable fields and against the facts they translate, every problem located and reported at
once. ``stamps.yml`` in a language's folder holds the fingerprint of each original as it was when
its translation was last stamped (``backstory i18n stamp``), to tell a stale translation.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, did_you_mean
from .collections import BY_NAME, LINKABLE_COLLECTIONS, NAMES, kind_of
from .load import YAML_SUFFIXES, LoadedFile, Location, SettingsProblem, load_file, load_settings
from .markup import find_references
from .models import LANGUAGE_TAG, Actor
from .validate import ValidFact, describe

TRANSLATIONS_FOLDER = "translations"
STAMPS_FILE = "stamps.yml"
SITE_FILE = "site.yml"
SITE_FIELDS = ("name", "description")
"""What ``translations/<language>/site.yml`` may give: the site's name and description in the
edition's language (``mkdocs.yml``'s ``site_name`` and ``site_description``)."""

TEXT, MARKDOWN, TEXT_LIST, ITEMS, QUESTIONS, CORRECTIONS = (
    "text", "markdown", "text list", "items", "questions", "corrections"
)  # fmt: skip
TRANSLATABLE: dict[str, dict[str, str]] = {
    "actors": {
        "role": TEXT,
        "summary": MARKDOWN,
        "aliases": TEXT_LIST,
        "name": TEXT,
        "reason": TEXT,
    },
    "events": {"title": TEXT, "summary": MARKDOWN, "location": TEXT},
    "stories": {
        "title": TEXT,
        "summary": MARKDOWN,
        "questions": QUESTIONS,
        "unknowns": ITEMS,
        "next": ITEMS,
        "corrections": CORRECTIONS,
    },
    "quotes": {"text": TEXT, "translator": TEXT, "context": MARKDOWN},
    "sources": {"title": TEXT},
    "figures": {"label": TEXT, "unit": TEXT, "note": MARKDOWN},
    "claims": {"text": MARKDOWN, "evidence": MARKDOWN},
}
"""The fields a translation may give, by collection, with their shape (the contract's table)."""
ORIGINAL_ONLY = {("quotes", "translator")}
"""Translatable fields that the original fact does not have: they belong to the translation."""


@dataclass(frozen=True)
class Translation:
    """One translation file: the translated fields of one fact."""

    language: str
    collection: str
    fact_id: str
    fields: Mapping[str, Any]
    file: LoadedFile


@dataclass(frozen=True)
class Edition:
    """The site in another language: its translations by fact id, and the stamps of the
    originals they were made from."""

    language: str
    translations: Mapping[str, Translation]
    stamps: Mapping[str, str] = field(default_factory=dict)
    site: Mapping[str, str] = field(default_factory=dict)
    """The site's name and description in the edition's language, where given."""

    def get(self, fact_id: str, name: str) -> Any:
        """A translated field of a fact, or None when it has no translation."""
        translation = self.translations.get(fact_id)
        return None if translation is None else translation.fields.get(name)


def edition_languages(root: Path) -> list[str]:
    """The languages with at least one translation file, sorted: each is an edition."""
    folder = root / TRANSLATIONS_FOLDER
    if not folder.is_dir():
        return []
    return sorted(
        language.name
        for language in folder.iterdir()
        if language.is_dir() and any(_translation_files(language))
    )


def translation_paths(root: Path) -> list[Path]:
    """Every file of ``translations/`` a check reads: translations and stamps."""
    folder = root / TRANSLATIONS_FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name.endswith(YAML_SUFFIXES))


def _translation_files(language_folder: Path) -> Iterable[tuple[str, Path]]:
    for collection in sorted(os.listdir(language_folder)):
        folder = language_folder / collection
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if (
                path.is_file()
                and path.name.endswith(YAML_SUFFIXES)
                and not path.name.startswith(".")
            ):
                yield collection, path


def check_translations(
    root: Path, by_id: Mapping[str, ValidFact], unavailable: Mapping[str, str] | None = None
) -> tuple[list[Edition], list[Diagnostic]]:
    """Every edition of the site with its translations, and every problem in them.
    ``unavailable`` are the facts (id to collection) whose files have errors of their own: a
    translation of one, or a reference to one, is not an error again."""
    editions: list[Edition] = []
    problems: list[Diagnostic] = []
    for language in edition_languages(root):
        edition, found = _check_edition(root, language, by_id, unavailable or {})
        editions.append(edition)
        problems += found
    return editions, problems


def _check_edition(
    root: Path, language: str, by_id: Mapping[str, ValidFact], unavailable: Mapping[str, str]
) -> tuple[Edition, list[Diagnostic]]:
    folder = root / TRANSLATIONS_FOLDER / language
    problems: list[Diagnostic] = []
    shown_folder = f"{TRANSLATIONS_FOLDER}/{language}"
    if not LANGUAGE_TAG.match(language):
        problems.append(
            Diagnostic(
                shown_folder,
                1,
                1,
                "error",
                f"'{language}' is not a language tag; name the folder with a BCP 47 tag such as es",
            )
        )
    translations: dict[str, Translation] = {}
    for collection, path in _translation_files(folder):
        relative = f"{shown_folder}/{collection}/{path.name}"
        if collection not in NAMES:
            hint = did_you_mean(collection, NAMES)
            problems.append(
                Diagnostic(
                    relative,
                    1,
                    1,
                    "error",
                    f"'{collection}' is not a collection of facts; translations go in "
                    f"{shown_folder}/<collection>/<id>.yml" + (f" ({hint})" if hint else ""),
                )
            )
            continue
        raw = path.read_bytes()
        if _not_started(raw):
            problems.append(
                Diagnostic(
                    relative,
                    1,
                    1,
                    "warning",
                    "nothing is translated yet: the file has only comments",
                    "write each translated field without the '# ' in front of it",
                )
            )
            continue
        loaded = load_file(raw, relative, collection)
        if isinstance(loaded, Diagnostic):
            problems.append(loaded)
            continue
        checker = _TranslationChecker(loaded, language, by_id, unavailable)
        translation = checker.check()
        problems += checker.problems
        if translation is not None:
            translations[translation.fact_id] = translation
    stamps, unreadable = _read_stamps(folder / STAMPS_FILE, f"{shown_folder}/{STAMPS_FILE}")
    site, found = _site_words(folder / SITE_FILE, f"{shown_folder}/{SITE_FILE}")
    return Edition(language, translations, stamps, site), problems + unreadable + found


def _site_words(path: Path, shown: str) -> tuple[dict[str, str], list[Diagnostic]]:
    """The edition's ``site.yml``: the site's name and description in its language."""
    if not path.is_file():
        return {}, []
    loaded = load_file(path.read_bytes(), shown, "site")
    if isinstance(loaded, Diagnostic):
        return {}, [loaded]
    words: dict[str, str] = {}
    problems = []
    for key, value in loaded.data.items():
        position = loaded.position((key,), key=True)
        if key not in SITE_FIELDS:
            hint = did_you_mean(str(key), SITE_FIELDS) or "fields here: " + ", ".join(SITE_FIELDS)
            message = f"unknown field '{key}'"
        elif not isinstance(value, str) or not value.strip():
            hint, message = None, f"{key}: expected text"
        else:
            words[key] = value
            continue
        problems.append(Diagnostic(shown, position.line, position.column, "error", message, hint))
    return words, problems


def _not_started(raw: bytes) -> bool:
    """Whether a translation file holds nothing but comments and blank lines, as ``backstory
    new --translation`` starts it."""
    text = raw.decode("utf-8", errors="replace")
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


class _TranslationChecker:
    """Checks one translation file against the table of translatable fields and its original."""

    def __init__(
        self,
        file: LoadedFile,
        language: str,
        by_id: Mapping[str, ValidFact],
        unavailable: Mapping[str, str],
    ):
        self.file = file
        self.language = language
        self.by_id = by_id
        self.unavailable = unavailable
        self.problems: list[Diagnostic] = []

    def report(
        self, location: Location, message: str, *, key: bool = False, hint: str | None = None
    ) -> None:
        position = self.file.position(location, key=key)
        self.problems.append(
            Diagnostic(self.file.path, position.line, position.column, "error", message, hint)
        )

    def check(self) -> Translation | None:
        collection, stem = self.file.collection, self.file.stem
        original = self.by_id.get(stem)
        if original is None and self.unavailable.get(stem) == collection:
            return None  # the original has errors, reported in its file
        if original is None or original.collection != collection:
            same_kind = [i for i, f in self.by_id.items() if f.collection == collection]
            self.report(
                (),
                f"no {kind_of(collection)} has the id '{stem}': a translation's file name is the "
                "id of the fact it translates",
                hint=did_you_mean(stem, same_kind),
            )
            return None
        allowed = TRANSLATABLE[collection]
        fields: dict[str, Any] = {}
        for name, value in self.file.data.items():
            if name not in allowed:
                self._not_translatable(name, collection)
            elif self._valid(name, allowed[name], value, original):
                fields[name] = value
        if len(self.problems):
            return None
        return Translation(self.language, collection, stem, fields, self.file)

    def _not_translatable(self, name: str, collection: str) -> None:
        if name in BY_NAME[collection].model.model_fields:
            self.report(
                (name,), f"{name}: not translatable: facts are shared across editions", key=True
            )
        else:
            self.report(
                (name,),
                f"unknown field '{name}'",
                key=True,
                hint=did_you_mean(name, TRANSLATABLE[collection])
                or "translatable here: " + ", ".join(TRANSLATABLE[collection]),
            )

    def _valid(self, name: str, shape: str, value: Any, original: ValidFact) -> bool:
        model = original.model
        if name == "name" and isinstance(model, Actor) and model.type == "person":
            self.report((name,), "name: a person's name is never translated", key=True)
            return False
        if (original.collection, name) not in ORIGINAL_ONLY and getattr(model, name, None) in (
            None,
            "",
            [],
        ):
            self.report((name,), f"{name}: the original has no {name} to translate", key=True)
            return False
        before = len(self.problems)
        if shape in (TEXT, MARKDOWN):
            self._text((name,), value)
        elif shape == TEXT_LIST:
            self._texts((name,), value)
        else:
            self._list(name, shape, value, len(getattr(model, name)))
        if shape in (MARKDOWN, ITEMS, QUESTIONS, CORRECTIONS) and len(self.problems) == before:
            self._references(name, value)
        return len(self.problems) == before

    def _text(self, location: Location, value: Any) -> None:
        if not isinstance(value, str) or not value.strip():
            self.report(location, f"{describe(location)}: expected text")

    def _texts(self, location: Location, value: Any) -> None:
        if not isinstance(value, list):
            self.report(location, f"{describe(location)}: expected a list of texts")
            return
        for index, item in enumerate(value):
            self._text((*location, index), item)

    def _list(self, name: str, shape: str, value: Any, length: int) -> None:
        if not isinstance(value, list):
            self.report((name,), f"{name}: expected a list, in the original's order")
            return
        if len(value) != length:
            self.report(
                (name,),
                f"{name}: the original has {length} item(s) and this translation {len(value)}; "
                "translate each of them, in the original's order",
            )
        keys = {QUESTIONS: ("question", "answer"), CORRECTIONS: ("text",)}.get(shape)
        for index, item in enumerate(value):
            if keys is None:
                self._text((name, index), item)
                continue
            if not isinstance(item, dict):
                self.report(
                    (name, index), f"{name}[{index}]: expected a mapping of {', '.join(keys)}"
                )
                continue
            for key in keys:
                if key not in item:
                    self.report((name, index), f"{name}[{index}]: missing '{key}'")
                else:
                    self._text((name, index, key), item[key])
            for key in item:
                if key not in keys:
                    self.report(
                        (name, index, key),
                        f"{name}[{index}].{key}: not translatable: facts are shared across editions"
                        if key == "date"
                        else f"{name}[{index}]: unknown field '{key}'",
                        key=True,
                    )

    def _references(self, name: str, value: Any) -> None:
        """``[[id]]`` and ``[@id]`` in translated text name facts as the original's do."""
        for location, text in _texts_of(name, value):
            for reference in find_references(text):
                if reference.target in self.unavailable:
                    continue  # the fact's file has errors, reported there
                target = self.by_id.get(reference.target)
                wanted = ("sources",) if reference.kind == "cite" else LINKABLE_COLLECTIONS
                if target is None or target.collection not in wanted:
                    form = (
                        f"[@{reference.target}]"
                        if reference.kind == "cite"
                        else f"[[{reference.target}]]"
                    )
                    candidates = [i for i, f in self.by_id.items() if f.collection in wanted]
                    self.report(
                        location,
                        f"{form}: no fact of the site has this id",
                        hint=did_you_mean(reference.target, candidates),
                    )


def _texts_of(name: str, value: Any) -> Iterable[tuple[Location, str]]:
    if isinstance(value, str):
        yield (name,), value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                yield (name, index), item
            elif isinstance(item, dict):
                for key, text in item.items():
                    if isinstance(text, str):
                        yield (name, index, key), text


# --- staleness ---------------------------------------------------------------------------------


def fingerprint(fact: ValidFact) -> str:
    """What a translation was made from: a hash of the original's translatable fields (so an
    edit to a date or a reference does not make its translations stale)."""
    model = fact.model
    values = {
        name: getattr(model, name)
        for name in TRANSLATABLE[fact.collection]
        if (fact.collection, name) not in ORIGINAL_ONLY
    }
    data = json.dumps(
        _plain(values), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def _plain(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def stamp_key(fact: ValidFact) -> str:
    return f"{fact.collection}/{fact.id}"


def _read_stamps(path: Path, shown: str) -> tuple[dict[str, str], list[Diagnostic]]:
    """The fingerprints ``backstory i18n stamp`` wrote. A file that cannot be read is a warning
    (every translation then counts as stale, which the next stamp mends), never a reason to
    stop a build: the stamps say only whether a translation may be out of date."""
    if not path.is_file():
        return {}, []
    line, column, why = 1, 1, "it is not a mapping of fact to fingerprint"
    try:
        data = load_settings(path.read_text(encoding="utf-8"))
    except SettingsProblem as problem:
        data, line, column, why = None, problem.line, problem.column, problem.message
    except (OSError, UnicodeDecodeError) as error:
        data, why = None, str(error)
    if isinstance(data, dict):
        return {str(k): str(v) for k, v in data.items()}, []
    language = path.parent.name
    warning = Diagnostic(
        shown,
        line,
        column,
        "warning",
        f"the translations' stamps cannot be read ({why}): every translation counts as stale",
        f"run 'backstory i18n stamp {language}' to write them again once the translations are"
        " checked against their originals",
    )
    return {}, [warning]
