"""Images of the facts: every one is a file of ``content/media/``, never a file on another host.

A fact names an image in an ``image`` mapping (its ``file``) or in Markdown (``![words](path)``);
either way the path is relative to ``content/media/`` (``council.jpg``), and ``media/`` or
``content/media/`` before it is understood too. The site copies the images that published facts
use into its own ``media/`` folder.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel

from ..diagnostics import Diagnostic
from .fields import Location, walk


class ValidFactLike(Protocol):
    """A valid fact and the file it came from (``validate.ValidFact``)."""

    @property
    def model(self) -> BaseModel: ...

    @property
    def file(self) -> Any: ...


MEDIA_FOLDER = "media"
"""The folder under ``content/`` that holds images, and the site's folder they are copied to."""

MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
"""``![words](path)`` or ``![words](path "title")``."""
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def media_references(model: BaseModel) -> list[tuple[Location, str]]:
    """Every image path a fact gives, with where it gives it, in reading order."""
    found: list[tuple[Location, str]] = []
    for marked in walk(model):
        if marked.extra.get("x-media"):
            found.append((marked.location, str(marked.value)))
        elif marked.markdown and "![" in str(marked.value):
            found += [
                (marked.location, m.group(2)) for m in MARKDOWN_IMAGE.finditer(str(marked.value))
            ]
    return found


def media_path_problem(path: str) -> str | None:
    """Why a path cannot name a file of ``content/media/``, or None when it can."""
    text = path.strip()
    if _SCHEME.match(text) or text.startswith("//"):
        return (
            f"the image '{text}' is on another host; save it in content/media/ and give its path "
            "there: readers' browsers make no request to a third party"
        )
    if not text or text.startswith("/") or "\\" in text or ".." in text.split("/"):
        return f"the image '{text}' must be a path under content/media/, such as council.jpg"
    return None


def media_file(path: str) -> str:
    """A valid image path as a path inside ``content/media/``: ``media/a.jpg`` -> ``a.jpg``."""
    text = posixpath.normpath(path.strip())
    for prefix in (f"content/{MEDIA_FOLDER}/", f"{MEDIA_FOLDER}/"):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def media_files(content_dir: Path) -> set[str]:
    """Every file of ``content/media/``, as paths inside it."""
    folder = content_dir / MEDIA_FOLDER
    if not folder.is_dir():
        return set()
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def used_media(models: Iterable[BaseModel]) -> list[str]:
    """The image files (paths inside ``content/media/``) that these facts use, sorted."""
    used = {
        media_file(path)
        for model in models
        for _location, path in media_references(model)
        if media_path_problem(path) is None
    }
    return sorted(used)


def media_problems(facts: Iterable[ValidFactLike], present: set[str]) -> list[Diagnostic]:
    """An error at each image a fact names that is not a file of ``content/media/``."""
    problems = []
    for fact in facts:
        for location, path in media_references(fact.model):
            if media_path_problem(path) is None and media_file(path) not in present:
                position = fact.file.position(location)
                problems.append(
                    Diagnostic(
                        fact.file.path,
                        position.line,
                        position.column,
                        "error",
                        f"the image content/{MEDIA_FOLDER}/{media_file(path)} does not exist: add "
                        "the file there or correct the path",
                    )
                )
    return problems
