"""Page cache: what the engine made of each page in the last build (its HTML and what the rest
of the build needs to know of it), keyed by everything the page depends on, so that the next
build copies the pages whose inputs did not change.

Kept in ``.backstory/cache/``: ``pages.marshal`` holds one record per page (see ``PageRecord``)
and ``pages/`` the HTML, one file per distinct page named by its SHA-256, which is checked
again when the file is used. How the keys are made is the engine's business
(``engine/pages.py``); this module only stores, checks and finds records. A record or an HTML
file that is unreadable or does not match is not used: the page is built again.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import marshal
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cache import read_stored, write_stored
from .write import atomic_write

log = logging.getLogger(__name__)

KIND = "page cache 2"

LogLine = tuple[str, int, str]
"""A message the engine logged while it built a page: (logger name, level, message)."""
Lookup = tuple[str, str | None, str | None, str | None]
"""A file a page's links looked up: (path, the file's source path, its URL, its inclusion),
the last three None when no such file exists."""


@dataclass(frozen=True)
class PageRecord:
    """What the engine made of one page, as plain data: the keys it was made under, what its
    links looked up, what other steps of the build read of it, the messages it logged and the
    digest of its HTML (None when it had no output)."""

    source_key: str
    """Identifies the page's conversion: its Markdown, the settings, its place in the files."""
    page_key: str
    """Identifies its HTML: the source key, the theme and the navigation."""
    lookups: tuple[Lookup, ...]
    title: str | None
    meta: dict[str, Any]
    anchors: tuple[str, ...]
    links: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] | None
    reading_log: tuple[LogLine, ...]
    writing_log: tuple[LogLine, ...]
    html: str | None

    @classmethod
    def from_stored(cls, stored: Any) -> PageRecord | None:
        """A record read from the cache file, or None when it does not have a record's shape."""
        if not (isinstance(stored, tuple) and len(stored) == len(_FIELD_TYPES)):
            return None
        for value, expected in zip(stored, _FIELD_TYPES, strict=True):
            if not isinstance(value, expected):
                return None
        return cls(*stored)


_FIELD_TYPES: tuple[Any, ...] = (
    str,
    str,
    tuple,
    (str, type(None)),
    dict,
    tuple,
    (tuple, type(None)),
    tuple,
    tuple,
    (str, type(None)),
)


class PageCache:
    """The page records of the last build and the store of their HTML (``folder`` None: the
    cache keeps nothing)."""

    def __init__(self, folder: Path | None, *, read: bool = True):
        self.folder = folder
        self.index_file = folder / "pages.marshal" if folder is not None else None
        self.store = folder / "pages" if folder is not None else None
        self.records: dict[str, Any] = {}
        if self.index_file is not None and read:
            stored = read_stored(self.index_file, KIND)
            records = stored.get("pages") if stored is not None else None
            if isinstance(records, dict):
                self.records = records

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def record(self, src_uri: str) -> PageRecord | None:
        """The stored record of a page, if it has a record's shape."""
        stored = self.records.get(src_uri)
        return PageRecord.from_stored(stored) if stored is not None else None

    def has_html(self, digest: str) -> bool:
        """Whether the store holds a file for this digest (checked again when it is read)."""
        return self.store is not None and (self.store / f"{digest}.html").is_file()

    def html(self, digest: str) -> bytes | None:
        """The stored HTML with this digest, or None when it is missing or does not match."""
        if self.store is None:
            return None
        try:
            data = (self.store / f"{digest}.html").read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == digest else None

    def keep_html(self, data: bytes) -> str:
        """Store a page's HTML (once per distinct content); returns its digest."""
        digest = hashlib.sha256(data).hexdigest()
        if self.store is not None:
            target = self.store / f"{digest}.html"
            if not target.exists():
                try:
                    self.store.mkdir(parents=True, exist_ok=True)
                    atomic_write(target, data)
                except OSError as error:
                    log.warning("could not write to the page cache %s: %s", self.store, error)
        return digest

    def save(self, records: dict[str, PageRecord]) -> None:
        """Keep these records for the next build and drop the HTML no record uses."""
        if self.index_file is None or self.store is None:
            return
        stored = {src_uri: _as_row(record) for src_uri, record in records.items()}
        try:
            marshal.dumps(stored)
        except ValueError:  # a page's front matter holds a value that is not plain data
            stored = {src_uri: row for src_uri, row in stored.items() if _plain(row)}
        write_stored(self.index_file, KIND, {"pages": stored})
        _remove_unused(self.store, {r.html for r in records.values() if r.html is not None})


def _as_row(record: PageRecord) -> tuple[Any, ...]:
    return (
        record.source_key,
        record.page_key,
        record.lookups,
        record.title,
        record.meta,
        record.anchors,
        record.links,
        record.reading_log,
        record.writing_log,
        record.html,
    )


def _plain(row: tuple[Any, ...]) -> bool:
    try:
        marshal.dumps(row)
    except ValueError:
        return False
    return True


def _remove_unused(store: Path, used: Iterable[str]) -> None:
    wanted = {f"{digest}.html" for digest in used}
    with contextlib.suppress(FileNotFoundError):
        for name in os.listdir(store):
            if name not in wanted:
                with contextlib.suppress(OSError):
                    os.unlink(store / name)
