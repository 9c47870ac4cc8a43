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
import tempfile
from pathlib import Path
from typing import Any

from . import __version__
from .diagnostics import Diagnostic
from .load import LoadedFile, load_file

log = logging.getLogger(__name__)

CACHE_FOLDER = "cache"
_FORMAT = f"backstory {__version__} python {sys.version_info[0]}.{sys.version_info[1]} marshal {marshal.version}"


class ParseCache:
    """Loaded fact files by path, reusable while their content hash is unchanged."""

    def __init__(self, folder: Path | None):
        self.file = folder / "facts.marshal" if folder is not None else None
        self.entries: dict[str, tuple[int, int, str, dict[str, Any], str]] = {}
        self.results: dict[str, list[tuple[Any, ...]]] = {}
        self.changed = False
        if self.file is not None:
            self._read()

    def _read(self) -> None:
        assert self.file is not None
        try:
            with open(self.file, "rb") as stream:
                stored = marshal.load(stream)
            if not isinstance(stored, dict) or stored.get("format") != _FORMAT:
                raise ValueError("written by another version")
            entries, results = stored["entries"], stored["results"]
            if not isinstance(entries, dict) or not isinstance(results, dict):
                raise ValueError("unexpected structure")
            self.entries, self.results = entries, results
        except FileNotFoundError:
            return
        except (OSError, EOFError, ValueError, TypeError, KeyError) as error:
            log.info("discarding the parse cache %s: %s", self.file, error)
            self.entries, self.results = {}, {}
            self.changed = True

    def load(self, path: Path, relative: str, collection: str) -> LoadedFile | Diagnostic:
        """Load one fact file, from the cache when its content is unchanged."""
        status = os.stat(path)
        entry = self.entries.get(relative)
        if entry is not None and entry[0] == status.st_size and entry[1] == status.st_mtime_ns:
            return self._loaded(relative, collection, entry)
        with open(path, "rb") as stream:
            raw = stream.read()
        digest = hashlib.sha256(raw).hexdigest()
        if entry is not None and entry[2] == digest:
            self.entries[relative] = (status.st_size, status.st_mtime_ns, *entry[2:])  # type: ignore[assignment]
            self.changed = True
            return self._loaded(relative, collection, entry)
        result = load_file(raw, relative, collection)
        if isinstance(result, LoadedFile):
            self.entries[relative] = (status.st_size, status.st_mtime_ns, digest, result.data, result.text)
            self.changed = True
        elif relative in self.entries:
            del self.entries[relative]
            self.changed = True
        return result

    @staticmethod
    def _loaded(relative: str, collection: str, entry: tuple[int, int, str, dict[str, Any], str]) -> LoadedFile:
        stem = relative.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        return LoadedFile(relative, collection, stem, entry[3], entry[4], entry[2])

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
        if self.file is None or not self.changed:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.file.parent, prefix=".facts-")
            with os.fdopen(handle, "wb") as stream:
                marshal.dump({"format": _FORMAT, "entries": self.entries, "results": self.results}, stream)
            os.replace(temporary, self.file)
            self.changed = False
        except OSError as error:
            log.warning("could not write the parse cache %s: %s", self.file, error)
