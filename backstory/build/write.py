"""Write stage: the only code that writes files. It rewrites a generated file only when its
bytes change (so unchanged pages keep their modification time), removes files that no longer
belong (such as the page of a deleted fact), and replaces any file atomically, so that a reader
never sees half of one."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import WriteError

MARKER = ".backstory-generated"
"""Marks a folder as Backstory's own, so that stale files in it may be removed."""


@dataclass
class WriteReport:
    """What one write did, as paths relative to the folder."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def write_tree(files: Mapping[str, str | bytes], folder: Path) -> WriteReport:
    """Make ``folder`` hold exactly ``files`` (relative path -> content)."""
    return _written(files, folder).finish()


class TreeWriter:
    """Makes a folder hold exactly the files it is given one by one, as a render makes them
    (so that no more than one is held in memory), and at ``finish`` removes every other file.

    A file whose bytes on disk are known by their SHA-256 may be checked with ``holds``
    instead: when it matches, it is spared from the removal and not written."""

    def __init__(self, folder: Path):
        _claim(folder)
        self._base = os.fspath(folder)
        self._made: set[str] = set()
        self._wanted: set[str] = set()
        self.report = WriteReport()

    def write(self, relative: str, content: str | bytes) -> bytes:
        """Write a file unless its bytes on disk are these; returns its bytes."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        self._wanted.add(relative)
        target = os.path.join(self._base, relative)
        try:
            if os.stat(target).st_size == len(data) and _read(target) == data:
                self.report.unchanged.append(relative)
                return data
            exists = True
        except FileNotFoundError:
            exists = False
        parent = os.path.dirname(target)
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            self._made.add(parent)
        if exists:
            atomic_write(target, data)
        else:
            # A new file has no old version to protect: written in place, one create instead of two.
            with open(target, "wb") as stream:
                stream.write(data)
        self.report.written.append(relative)
        return data

    def holds(self, relative: str, digest: str) -> bool:
        """Whether the file on disk is the one with this SHA-256 (then it is kept)."""
        try:
            data = _read(os.path.join(self._base, relative))
        except OSError:
            return False
        if hashlib.sha256(data).hexdigest() != digest:
            return False
        self._wanted.add(relative)
        self.report.unchanged.append(relative)
        return True

    def finish(self) -> WriteReport:
        """Remove the files that were neither written nor kept; what the writing did."""
        report = self.report
        for directory, _subdirectories, names in os.walk(self._base, topdown=False):
            for name in names:
                path = os.path.join(directory, name)
                relative = os.path.relpath(path, self._base).replace(os.sep, "/")
                if relative != MARKER and relative not in self._wanted:
                    os.unlink(path)
                    report.removed.append(relative)
            if directory != self._base and not os.listdir(directory):
                os.rmdir(directory)
        for found in (report.written, report.unchanged, report.removed):
            found.sort()
        return report


def write_changes(
    files: Mapping[str, str | bytes], removed: Iterable[str], folder: Path
) -> WriteReport:
    """Write ``files`` into ``folder`` and remove the ``removed`` ones, leaving every other file
    alone: for a caller that knows what changed since the last write (the preview)."""
    report = _written(files, folder).report
    base = os.fspath(folder)
    for relative in sorted(removed):
        path = os.path.join(base, relative)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
            report.removed.append(relative)
        with contextlib.suppress(OSError):  # only when the folder is left empty
            os.removedirs(os.path.dirname(path))
    return report


def _written(files: Mapping[str, str | bytes], folder: Path) -> TreeWriter:
    """A writer of ``folder`` that wrote each file whose bytes differ from what is on disk."""
    tree = TreeWriter(folder)
    for relative, content in sorted(files.items()):
        tree.write(relative, content)
    return tree


def _read(path: str) -> bytes:
    with open(path, "rb") as stream:
        return stream.read()


def _claim(folder: Path) -> None:
    marker = folder / MARKER
    if folder.exists() and any(folder.iterdir()) and not marker.exists():
        raise WriteError(
            f"{folder} holds files Backstory did not generate; point docs_dir at a folder of its "
            "own (the default is .backstory/docs) so that nothing of yours is overwritten"
        )
    folder.mkdir(parents=True, exist_ok=True)
    if not marker.exists():
        marker.write_text("Generated by Backstory; every file here is rewritten by a build.\n")


def atomic_write(target: str | os.PathLike[str], data: bytes) -> None:
    """Write through a temporary file in the same folder and rename it over ``target``, so a
    reader sees the old file or the new one, never half a file."""
    target = os.fspath(target)
    temporary = f"{target}.{os.getpid()}.tmp"
    try:
        with open(temporary, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def create_file(target: Path, text: str) -> None:
    """Create a new text file (and its folders), never over an existing one: raises
    FileExistsError when ``target`` exists, even if it appeared a moment ago."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def write_files(files: Mapping[str, str], folder: Path) -> list[Path]:
    """Write ``files`` (relative path -> text) into ``folder``, replacing those that exist
    atomically and leaving every other file alone; returns the paths written."""
    written = []
    for relative, text in sorted(files.items()):
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, text.encode("utf-8"))
        written.append(target)
    return written


def remove_tree(folder: Path) -> None:
    """Remove a generated folder of Backstory's own (marked as such), with everything in it."""
    if (folder / MARKER).is_file():
        shutil.rmtree(folder)
