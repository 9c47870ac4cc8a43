"""Backstory's own words in each language it has a catalog for: every message the templates and
the Python sources mark is extracted with Babel, as ``make i18n`` does (``babel.cfg``), and must
have a translation in each catalog (every plural form, none fuzzy, its placeholders intact);
a catalog may not keep words that no source uses any more."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from .conftest import REPO

SOURCES = REPO / "backstory" / "site"
LOCALE = SOURCES / "locale"
CATALOGS = sorted(LOCALE.glob("*/LC_MESSAGES/backstory.po"))

MessageId = str | tuple[str, ...]


def extracted_messages() -> dict[MessageId, list[str]]:
    """Every message the sources mark, with where it is marked."""
    with (REPO / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config, "babel.cfg")
    found: dict[MessageId, list[str]] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        str(SOURCES), method_map, options_map
    ):
        key = message if isinstance(message, str) else tuple(m for m in message if m)
        found.setdefault(key, []).append(f"{filename}:{line}")
    return found


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as stream:
        return read_po(stream, locale=path.parts[-3])


def catalog_problems(catalog: Catalog, extracted: dict[MessageId, list[str]]) -> list[str]:
    """What the catalog lacks or has too many of, one line each."""
    problems = []
    for key, places in sorted(extracted.items(), key=lambda item: str(item[0])):
        msgid = key if isinstance(key, str) else key[0]
        message = catalog.get(msgid)
        where = places[0]
        if message is None:
            problems.append(f"{where}: {msgid!r} has no translation")
            continue
        if not isinstance(key, str) and (not message.pluralizable or message.id != key):
            problems.append(f"{where}: {msgid!r} is a plural in the sources, not in the catalog")
            continue
        strings: Iterable[str] = message.string if message.pluralizable else [message.string]
        if not all(strings):
            problems.append(f"{where}: {msgid!r} lacks a translation (or a plural form)")
        if message.fuzzy:
            problems.append(f"{where}: {msgid!r} is marked fuzzy: check it and remove the mark")
        for error in message.check(catalog):
            problems.append(f"{where}: {msgid!r}: {error}")
    singular = {key if isinstance(key, str) else key[0] for key in extracted}
    for message in catalog:
        if (
            message.id
            and (message.id if isinstance(message.id, str) else message.id[0]) not in singular
        ):
            problems.append(
                f"{message.id!r} is in the catalog but no source uses it (run make i18n)"
            )
    for msgid in catalog.obsolete:
        problems.append(f"{msgid!r} is kept as obsolete: remove it (run make i18n)")
    return problems


@pytest.fixture(scope="module")
def extracted() -> dict[MessageId, list[str]]:
    found = extracted_messages()
    # The extraction reads both kinds of source: a template's label and a Python one.
    assert "What we know" in found and "Page not found" in found
    assert any(place.endswith(".j2:" + place.rsplit(":", 1)[1]) for place in found["What we know"])
    assert ("%(num)d story", "%(num)d stories") in found
    return found


def test_there_is_a_spanish_catalog() -> None:
    assert LOCALE / "es" / "LC_MESSAGES" / "backstory.po" in CATALOGS


@pytest.mark.parametrize("path", CATALOGS, ids=[p.parts[-3] for p in CATALOGS])
def test_every_word_of_backstory_has_a_translation(
    path: Path, extracted: dict[MessageId, list[str]]
) -> None:
    assert catalog_problems(read_catalog(path), extracted) == []


def test_the_template_of_the_catalogs_is_up_to_date(extracted: dict[MessageId, list[str]]) -> None:
    with (LOCALE / "backstory.pot").open("rb") as stream:
        template = read_po(stream)
    assert {m.id if isinstance(m.id, str) else tuple(m.id) for m in template if m.id} == set(
        extracted
    )


def test_the_check_fails_on_a_missing_fuzzy_plural_or_obsolete_word(
    extracted: dict[MessageId, list[str]],
) -> None:
    spanish = read_catalog(LOCALE / "es" / "LC_MESSAGES" / "backstory.po")
    assert catalog_problems(spanish, extracted) == []

    missing = copy.deepcopy(spanish)
    missing.delete("What we know")
    assert catalog_problems(missing, extracted) == [
        f"{extracted['What we know'][0]}: 'What we know' has no translation"
    ]

    empty = copy.deepcopy(spanish)
    empty["What we don't know"].string = ""
    fuzzy = empty["Who's who"]
    fuzzy.flags.add("fuzzy")
    plural = empty["%(num)d story"]
    plural.string = (plural.string[0], "", plural.string[2])
    assert sorted(line.split(": ", 1)[1] for line in catalog_problems(empty, extracted)) == [
        '"What we don\'t know" lacks a translation (or a plural form)',
        '"Who\'s who" is marked fuzzy: check it and remove the mark',
        "'%(num)d story' lacks a translation (or a plural form)",
    ]

    stale = copy.deepcopy(spanish)
    stale.add("A label no template uses", "Una etiqueta que ninguna plantilla usa")
    assert catalog_problems(stale, extracted) == [
        "'A label no template uses' is in the catalog but no source uses it (run make i18n)"
    ]

    broken = copy.deepcopy(spanish)
    broken["According to %(speaker)s,"].string = "Según %(hablante)s,"
    assert len(catalog_problems(broken, extracted)) == 1
