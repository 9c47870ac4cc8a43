"""Finding facts by what an editor remembers of them (a name, a few words of a title or of a
quote), so that they can write the fact's id in ``[[id]]`` or in a reference field."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..text import ascii_fold
from .collections import NAMES, kind_of
from .load import LoadedFile, Location

SEARCHED_FIELDS = ("name", "aliases", "title", "text")
"""The fields a search looks in, besides the id: what print calls a fact."""
SHOWN_LENGTH = 72
"""The most characters of the matching text a result shows."""


@dataclass(frozen=True)
class FoundFact:
    """A fact whose id or searched fields hold every word of the query."""

    id: str
    kind: str
    path: str
    line: int
    shown: str
    """The matching text, shortened (or the fact's name or title when only the id matched)."""


def fold(text: str) -> str:
    """Text as a search compares it: without accents or case (``López`` -> ``lopez``)."""
    return ascii_fold(text).casefold()


def find_facts(files: Iterable[LoadedFile], query: str) -> list[FoundFact]:
    """The facts whose id, name, alias, title or text holds every word of ``query`` (accents
    and case ignored), in the contract's order of collections, then by id. Files that failed
    validation are searched too: an editor may be looking for an id to fix one."""
    words = fold(query).split()
    if not words:
        return []
    order = {name: index for index, name in enumerate(NAMES)}
    ordered = sorted(files, key=lambda f: (order.get(f.collection, len(order)), f.stem, f.path))
    return [match for file in ordered if (match := _match(file, words)) is not None]


def _match(file: LoadedFile, words: list[str]) -> FoundFact | None:
    texts = list(_searched(file))
    for location, text in texts:
        folded = fold(text)
        if all(word in folded for word in words):
            return _found(file, location, text)
    if all(word in file.stem for word in words):
        location, text = texts[0] if texts else ((), file.stem)
        return _found(file, location, text)
    return None


def _searched(file: LoadedFile) -> Iterable[tuple[Location, str]]:
    for field in SEARCHED_FIELDS:
        value = file.data.get(field)
        if isinstance(value, str):
            yield (field,), value
        elif isinstance(value, list):
            yield from (((field, i), item) for i, item in enumerate(value) if isinstance(item, str))


def _found(file: LoadedFile, location: Location, text: str) -> FoundFact:
    line = file.position(location).line if location else 1
    shown = " ".join(text.split())
    if len(shown) > SHOWN_LENGTH:
        shown = shown[: SHOWN_LENGTH - 1].rstrip() + "…"
    return FoundFact(file.stem, kind_of(file.collection), file.path, line, shown)
