"""The text rules of fact fields: the ``[[id]]`` and ``[@source]`` forms, safe links, and
escaping, so that whatever an editor types is shown as text and never runs as markup."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

REFERENCE = re.compile(r"\[\[([^\[\]|]*?)(?:\|([^\[\]]*?))?\]\]|\[@([^\[\]\s]*?)\]")
"""``[[id]]``, ``[[id|words]]`` or ``[@source-id]``."""

_INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")
_REFERENCE_DEFINITION = re.compile(r"^[ ]{0,3}\[[^\]]+\]:[ \t]*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]*:[^<>\s]*)>")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
SAFE_SCHEMES = ("http", "https", "mailto")
_TEXT_SPECIALS = re.compile(r"([\\`*_\[\]{}#|!])")


@dataclass(frozen=True)
class Reference:
    """One ``[[...]]`` or ``[@...]`` form found in a markdown field."""

    kind: str  # "link" or "cite"
    target: str
    words: str | None
    offset: int


def find_references(text: str) -> list[Reference]:
    """Every link and citation form in a markdown field, in reading order."""
    if "[" not in text:
        return []
    found = []
    for match in REFERENCE.finditer(text):
        if match.group(3) is not None:
            found.append(Reference("cite", match.group(3).strip(), None, match.start()))
        else:
            words = match.group(2)
            found.append(
                Reference(
                    "link", match.group(1).strip(), words.strip() if words else None, match.start()
                )
            )
    return found


def find_link_urls(text: str) -> list[tuple[str, int]]:
    """Every URL a markdown field links to (inline, reference-style and autolinks), with offsets."""
    if "](" not in text and "]:" not in text and "<" not in text:
        return []
    urls = [(m.group(1), m.start(1)) for m in _INLINE_LINK.finditer(text)]
    urls += [(m.group(1), m.start(1)) for m in _REFERENCE_DEFINITION.finditer(text)]
    urls += [(m.group(1), m.start(1)) for m in _AUTOLINK.finditer(text)]
    return sorted(urls, key=lambda item: item[1])


def unsafe_url_reason(url: str, *, allow_relative: bool = True) -> str | None:
    """Why a URL may not appear on the site, or None when it is safe.

    Only http, https and mailto are allowed, plus site-relative links where ``allow_relative``.
    """
    stripped = url.strip()
    if any(ord(char) < 32 or char in "\\" for char in stripped) or "&#" in stripped:
        return "the link contains control characters or escapes; write the URL plainly"
    match = _SCHEME.match(stripped)
    if match:
        scheme = match.group(1).lower()
        if scheme in SAFE_SCHEMES:
            return None
        return f"links may only use http, https or mailto, not '{scheme}:'"
    if stripped.startswith("//"):
        return "write the full address with https:// instead of a protocol-relative link"
    if not allow_relative:
        return "expected a full address starting with https:// or http://"
    return None


def escape_text(text: str) -> str:
    """A plain string made safe to place inline in Markdown: no markup, no HTML, one line."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _TEXT_SPECIALS.sub(r"\\\1", text)


def _escape_html(text: str) -> str:
    """Markdown from a fact with raw HTML neutralised; autolinks ``<https://...>`` still work."""
    pieces = []
    last = 0
    for match in _AUTOLINK.finditer(text):
        pieces.append(text[last : match.start()].replace("<", "&lt;"))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(text[last:].replace("<", "&lt;"))
    # Braces would let attribute-list syntax add HTML attributes; shown as text instead.
    return "".join(pieces).replace("{", "\\{").replace("}", "\\}")


def render_markdown(
    text: str,
    link: Callable[[str, str | None], str],
    cite: Callable[[str], str],
) -> str:
    """A markdown field ready for a page: HTML escaped, ``[[..]]`` and ``[@..]`` replaced by
    what ``link(id, words)`` and ``cite(source_id)`` return (already-safe Markdown or HTML).

    A citation takes the place of the spaces before it, so that its marker stays on the line of
    the word it follows ("an inspection [@minutes]" becomes "an inspection[1]")."""
    out = []
    last = 0
    for match in REFERENCE.finditer(text):
        out.append(_escape_html(text[last : match.start()]))
        if match.group(3) is not None:
            out[-1] = out[-1].rstrip(" \t")
            out.append(cite(match.group(3).strip()))
        else:
            words = match.group(2)
            out.append(link(match.group(1).strip(), words.strip() if words else None))
        last = match.end()
    out.append(_escape_html(text[last:]))
    return "".join(out).strip()


def plain_text(text: str, name_of: Callable[[str], str]) -> str:
    """A markdown field as one line of plain text (for descriptions and feeds): forms resolved
    to words, citations dropped, markup characters kept as typed."""

    text = re.sub(r"\s*\[@[^\[\]\s]*?\]", "", text)  # citations, with the space before them

    def replace(match: re.Match[str]) -> str:
        if match.group(3) is not None:  # pragma: no cover - removed above
            return ""
        if match.group(2):
            return match.group(2).strip()
        return name_of(match.group(1).strip())

    text = REFERENCE.sub(replace, text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [words](url) -> words
    text = re.sub(r"[*_`]", "", text)
    return " ".join(text.split())
