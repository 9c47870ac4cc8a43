"""Wording rules every stage shares: slugs, articles and text without diacritics."""

from __future__ import annotations

import functools
import unicodedata

from slugify import slugify as _slugify

SLUG_MAX_LENGTH = 80
"""The longest id or page slug the contract allows."""


@functools.lru_cache(maxsize=8192)
def slugify(text: str) -> str:
    """The nearest slug to ``text``: lowercase ASCII words joined by single hyphens, at most 80
    characters; other scripts are transliterated (``Иммиграция`` -> ``immigratsiia``). Empty
    when nothing in ``text`` can be written so."""
    return _slugify(text, max_length=SLUG_MAX_LENGTH)


def with_article(noun: str) -> str:
    """The noun with "a" or "an" before it: "an actor", "a quote"."""
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def ascii_fold(text: str) -> str:
    """Text without diacritics: ``Ana López`` -> ``Ana Lopez``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))
