"""How this Backstory was installed, so that a new site (``backstory init``) installs the very
same one: from a package index, from git at a commit, or from a folder.

PEP 610 says how: pip and other installers record in the distribution's ``direct_url.json``
where a package came from when it was not a package index; without that file it came from an
index, as the version it is.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from importlib import metadata
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from .. import __version__

DISTRIBUTION = "backstory"


@dataclass(frozen=True)
class Installation:
    """The way to install one Backstory: pip's arguments and what they mean to a newsroom."""

    version: str
    arguments: tuple[str, ...]
    """What follows ``pip install``: ``('backstory==0.1.0',)``, ``('-e', '/src/backstory')``."""
    source: str
    """Where it comes from, as a sentence's end: ``the Python Package Index (PyPI)``."""
    folder: str | None = None
    """The folder it installs from, when it installs from one on this computer."""

    @property
    def portable(self) -> bool:
        """Whether another computer (a colleague's, CI's) can install it the same way."""
        return self.folder is None

    def shell(self) -> str:
        """The arguments as a shell writes them, quoted where needed."""
        return " ".join(shlex.quote(argument) for argument in self.arguments)


def installed_backstory() -> Installation:
    """How the running Backstory was installed (its version from the index when unknown)."""
    try:
        distribution = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # run from a source folder that was never installed
        return installation_from(__version__, None)
    return installation_from(distribution.version, distribution.read_text("direct_url.json"))


def installation_from(version: str, direct_url: str | None) -> Installation:
    """The installation that ``direct_url.json`` (its text, or None) describes; a record that
    cannot be read is taken as an index install of ``version``."""
    pinned = Installation(
        version, (f"{DISTRIBUTION}=={version}",), "the Python Package Index (PyPI)"
    )
    if not direct_url:
        return pinned
    try:
        record = json.loads(direct_url)
        url = str(record["url"])
    except (ValueError, KeyError, TypeError):
        return pinned
    if not isinstance(record, dict):
        return pinned
    subdirectory = record.get("subdirectory")
    if isinstance(record.get("vcs_info"), dict):
        return _from_vcs(version, url, record["vcs_info"], subdirectory) or pinned
    if _is_file(url):
        folder = url2pathname(unquote(urlsplit(url).path))
        if subdirectory:
            folder = f"{folder.rstrip('/')}/{subdirectory}"
        info = record.get("dir_info")
        editable = isinstance(info, dict) and info.get("editable") is True
        kind = "an editable install of the folder" if editable else "the folder"
        arguments = ("-e", folder) if editable else (folder,)
        return Installation(version, arguments, f"{kind} {folder}", folder=folder)
    if isinstance(record.get("archive_info"), dict):
        fragment = _hash_fragment(record["archive_info"])
        return Installation(version, (f"{DISTRIBUTION} @ {url}{fragment}",), f"the archive {url}")
    return pinned


def _from_vcs(
    version: str, url: str, info: dict[str, Any], subdirectory: Any
) -> Installation | None:
    vcs, commit = info.get("vcs"), info.get("commit_id")
    if not isinstance(vcs, str) or not isinstance(commit, str):
        return None
    requirement = f"{DISTRIBUTION} @ {vcs}+{url}@{commit}"
    if isinstance(subdirectory, str) and subdirectory:
        requirement += f"#subdirectory={subdirectory}"
    # A repository in a folder of this computer is no more portable than the folder itself.
    folder = url2pathname(unquote(urlsplit(url).path)) if _is_file(url) else None
    source = f"{vcs} at {url}, commit {commit}"
    return Installation(version, (requirement,), source, folder=folder)


def _hash_fragment(info: dict[str, Any]) -> str:
    """``#sha256=...`` for an archive whose hash the record gives, so pip checks it."""
    hashes = info.get("hashes")
    if isinstance(hashes, dict) and isinstance(hashes.get("sha256"), str):
        return f"#sha256={hashes['sha256']}"
    legacy = info.get("hash")
    return f"#{legacy}" if isinstance(legacy, str) and "=" in legacy else ""


def _is_file(url: str) -> bool:
    return urlsplit(url).scheme == "file"
