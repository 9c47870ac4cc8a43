"""Parse cache: fact files already read are not parsed again while their content is unchanged.

Entries are keyed by the file's content hash (SHA-256) and by Backstory's and Python's
versions. A file whose size and modification time are as recorded is taken to be unchanged
without reading it, as git's index does. The cache is written through a temporary file and an
atomic rename, stored with ``marshal`` (plain data only, so a planted cache file cannot run
code), and a cache that cannot be read is discarded, never trusted.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
from pathlib import Path
from typing import Any

from .. import __version__
from ..diagnostics import Diagnostic
from ..facts.load import LoadedFile, PendingFile
from .cache import CACHE_FOLDER as CACHE_FOLDER  # where the caches are, for its users
from .cache import code_digest, load_marshal
from .write import atomic_write

log = logging.getLogger(__name__)


_FORMAT = (
    f"backstory {__version__} code {code_digest()} python {sys.version_info[0]}."
    f"{sys.version_info[1]} marshal {marshal.version}"
)
"""Identifies the code that wrote a cache (by content: a fresh checkout of the same code, as
in CI, reuses it)."""


class ParseCache:
    """Loaded fact files by path, reusable while their content hash is unchanged.

    Two files: a small index (size, modification time and content hash of each file, and the
    last check's result) that every run reads, and the parsed data, read only when a file
    changed or a graph is wanted. An unchanged site is then checked from the index alone.
    """

    def __init__(self, folder: Path | None):
        self.index_file = folder / "facts-index.marshal" if folder is not None else None
        self.data_file = folder / "facts-data.marshal" if folder is not None else None
        self.entries: dict[str, tuple[int, int, str]] = {}
        self.results: dict[str, list[tuple[Any, ...]]] = {}
        self._data: dict[str, tuple[dict[str, Any], str]] | None = None
        self.changed = False
        self.data_changed = False
        if self.index_file is not None:
            stored = self._read(self.index_file)
            if stored is not None:
                entries, results = stored.get("entries"), stored.get("results")
                if isinstance(entries, dict) and isinstance(results, dict):
                    self.entries, self.results = entries, results
                else:
                    self._discard(self.index_file, "unexpected structure")

    def _read(self, file: Path) -> dict[str, Any] | None:
        try:
            stored = load_marshal(file)
            if not isinstance(stored, dict) or stored.get("format") != _FORMAT:
                raise ValueError("written by another version")
            return stored
        except FileNotFoundError:
            return None
        except (OSError, EOFError, ValueError, TypeError) as error:
            self._discard(file, str(error))
            return None

    def _discard(self, file: Path, reason: str) -> None:
        log.info("discarding the parse cache %s: %s", file, reason)
        self.entries, self.results, self._data = {}, {}, {}
        self.changed = self.data_changed = True

    @property
    def enabled(self) -> bool:
        """False for the stand-in used by ``--no-cache``: it keeps nothing."""
        return self.index_file is not None

    @property
    def data(self) -> dict[str, tuple[dict[str, Any], str]]:
        """Parsed data and text by path, read from disk on first use."""
        if self._data is None:
            self._data = {}
            if self.data_file is not None:
                stored = self._read(self.data_file)
                data = stored.get("data") if stored is not None else None
                if isinstance(data, dict):
                    self._data = data
        return self._data

    def lookup(self, path: str, relative: str, collection: str) -> LoadedFile | PendingFile:
        """The file as last parsed when its content is unchanged, or the file read for parsing."""
        if self.index_file is None:  # no cache: nothing to compare with
            with open(path, "rb") as stream:
                return PendingFile(path, relative, collection, stream.read())
        status = os.stat(path)
        entry = self.entries.get(relative)
        if entry is not None and entry[0] == status.st_size and entry[1] == status.st_mtime_ns:
            return _CachedFile(self, relative, collection, entry[2])
        with open(path, "rb") as stream:
            raw = stream.read()
        if (
            entry is not None
            and entry[2] == hashlib.sha256(raw).hexdigest()
            and relative in self.data
        ):
            self.entries[relative] = (status.st_size, status.st_mtime_ns, entry[2])
            self.changed = True
            return _CachedFile(self, relative, collection, entry[2])
        return PendingFile(path, relative, collection, raw, status.st_size, status.st_mtime_ns)

    def remember(self, pending: PendingFile, result: LoadedFile | Diagnostic) -> None:
        """Keep a freshly parsed file for next time; forget a file that no longer parses."""
        if isinstance(result, LoadedFile):
            self.entries[pending.relative] = (pending.size, pending.mtime_ns, result.digest)
            self.data[pending.relative] = (result.data, result.text)
            self.changed = self.data_changed = True
        elif pending.relative in self.entries:
            del self.entries[pending.relative]
            self.changed = True

    def forget_missing(self, present: set[str]) -> None:
        """Drop entries of files that no longer exist."""
        for relative in [r for r in self.entries if r not in present]:
            del self.entries[relative]
            self.changed = True

    def result(self, key: str) -> list[tuple[Any, ...]] | None:
        """A stored check result (diagnostics as tuples) for exactly these inputs, if any."""
        return self.results.get(key)

    def store_result(self, key: str, diagnostics: list[tuple[Any, ...]]) -> None:
        self.results = {key: diagnostics}  # only the latest inputs are worth keeping
        self.changed = True

    def save(self) -> None:
        """Write the cache atomically; a failure to write only costs speed next time."""
        if self.index_file is None or self.data_file is None:
            return
        try:
            if self.data_changed and self._data is not None:
                present = {
                    relative: self._data[relative]
                    for relative in self.entries
                    if relative in self._data
                }
                _write(self.data_file, {"format": _FORMAT, "data": present})
                self.data_changed = False
            if self.changed:
                _write(
                    self.index_file,
                    {"format": _FORMAT, "entries": self.entries, "results": self.results},
                )
                self.changed = False
        except OSError as error:
            log.warning("could not write the parse cache %s: %s", self.index_file.parent, error)


class _CachedFile(LoadedFile):
    """A LoadedFile whose data is read from the cache only when a stage asks for it."""

    def __init__(self, cache: ParseCache, relative: str, collection: str, digest: str):
        self._cache = cache
        self.path = relative
        self.collection = collection
        self.stem = relative.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        self.digest = digest
        self._index = None

    @property
    def data(self) -> dict[str, Any]:  # type: ignore[override]
        return self._cache.data[self.path][0]

    @property
    def text(self) -> str:  # type: ignore[override]
        return self._cache.data[self.path][1]


def _write(file: Path, content: dict[str, Any]) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(file, marshal.dumps(content))
