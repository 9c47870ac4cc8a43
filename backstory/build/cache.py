"""What the build's caches in ``.backstory/cache/`` share: how a cache file is stored and read,
and the digests of what every cached result depends on besides its own inputs (Backstory's
code, the installed packages, Python).

How a cache file is kept: ``marshal`` of plain data only (a planted file cannot run code), with
a format line naming the code and packages that wrote it, written through a temporary file and
an atomic rename. A file that cannot be read, has an unexpected shape or was written by other
code is discarded, never trusted: the caller then builds from nothing.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import __version__
from .write import atomic_write

log = logging.getLogger(__name__)

CACHE_FOLDER = "cache"
"""The caches' folder inside the site's work folder (``.backstory/cache``)."""


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Identifies Backstory's installed code by content (every file of the package), so that an
    edited checkout never reuses an older result, and a fresh checkout of the same code (CI)
    reuses it although every file's modification time is new."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        digest.update(f"\n{path.relative_to(package).as_posix()}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:32]


@lru_cache(maxsize=1)
def packages_digest() -> str:
    """Identifies the installed packages (every distribution's name and version) and Python:
    a new MkDocs, Material, Markdown extension, Jinja2 or Babel may change any output."""
    installed = sorted(
        f"{(dist.metadata['Name'] or '').lower()}=={dist.version}"
        for dist in metadata.distributions()
    )
    python = f"python {sys.version_info[0]}.{sys.version_info[1]} marshal {marshal.version}"
    return hashlib.sha256("\n".join([python, *installed]).encode()).hexdigest()[:32]


def stored_format(kind: str) -> str:
    """The format line of a cache file of ``kind``: which code and packages wrote it."""
    return f"{kind} backstory {__version__} code {code_digest()} packages {packages_digest()}"


def read_stored(file: Path, kind: str) -> dict[str, Any] | None:
    """The data of a cache file written by this code, or None (missing, unreadable, another
    format: such a file is discarded, and the reason logged)."""
    try:
        stored = load_marshal(file)
        if not isinstance(stored, dict) or stored.get("format") != stored_format(kind):
            raise ValueError("written by another version or not a cache file")
        return stored
    except FileNotFoundError:
        return None
    except (OSError, EOFError, ValueError, TypeError) as error:
        log.info("discarding the cache file %s: %s", file, error)
        return None


def load_marshal(file: Path) -> Any:
    """The data of a marshal file, read whole first: ``marshal.load`` on an open file reads it
    piece by piece, which took a second for an 11 MB cache at a thousand stories where
    ``marshal.loads`` of its bytes takes a twentieth of that."""
    return marshal.loads(file.read_bytes())


def write_stored(file: Path, kind: str, data: dict[str, Any]) -> None:
    """Write a cache file atomically; a failure to write costs only speed next time."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(file, marshal.dumps({**data, "format": stored_format(kind)}))
    except (OSError, ValueError) as error:
        log.warning("could not write the cache file %s: %s", file, error)


def digest_of(*parts: bytes | str) -> str:
    """A short digest of several parts, each kept apart from the next."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()[:32]


def folder_digest(folder: Path) -> str:
    """A digest of every file in a folder (relative path and content); empty when absent."""
    if not folder.is_dir():
        return ""
    parts: list[bytes | str] = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return digest_of(*parts)
