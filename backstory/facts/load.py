"""Load stage: read the fact files as plain data, remembering where every value came from.

This is the only module that touches YAML: it parses the fact files and the site's settings
(``mkdocs.yml``), and writes the YAML that Backstory generates (starter files, front matter).
Fact files are composed into nodes (which keep their line and column) and plain Python values
are built from them here, so nothing in a fact file can construct an object: tags, merge keys
and other YAML features beyond plain data are errors.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from ..diagnostics import Diagnostic, did_you_mean
from .collections import NAMES as COLLECTIONS

try:  # libyaml is about ten times faster; the pure-Python composer gives the same nodes.
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader

YAML_SUFFIXES = (".yml", ".yaml")
MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_VALUES = 50_000
"""Limits a fact file never needs; they stop alias bombs and runaway nesting early."""

Location = tuple[str | int, ...]
"""A path to a value inside a file: ``("questions", 0, "answer")``."""

_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_PLAIN_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")}


@dataclass(frozen=True)
class Position:
    """A line and column in a file, both counted from 1."""

    line: int
    column: int


@dataclass
class LoadedFile:
    """One fact file as plain data; the position of any key or value is found on demand."""

    path: str
    """Relative to the site root, with forward slashes: ``content/actors/ryan-luby.yml``."""
    collection: str
    stem: str
    data: dict[str, Any]
    text: str = field(repr=False)
    digest: str = ""
    _index: _PositionIndex | None = field(default=None, repr=False, compare=False)

    def position(
        self, location: Location, *, key: bool = False, offset: int | None = None
    ) -> Position:
        """Where a value (or its key) is; falls back to the nearest enclosing value. With
        ``offset``, where that character of a text value is (a ``[[id]]`` deep inside a
        multi-line answer), or the value's start when that cannot be told for sure.

        Why on demand: positions are needed only to report a problem, and composing a second
        tree of nodes for every file would double the cost of loading clean content.
        """
        if self._index is None:
            self._index = _PositionIndex(self.text)
        if offset is not None and not key:
            inside = self._index.position_inside(location, offset)
            if inside is not None:
                return inside
        return self._index.position(location, key=key)


class _PositionIndex:
    """Line and column of every key and value of a document, from its composed nodes."""

    def __init__(self, text: str):
        self.text = text
        self.values: dict[Location, Position] = {}
        self.keys: dict[Location, Position] = {}
        self.scalars: dict[Location, yaml.ScalarNode] = {}
        self._line_starts: list[int] | None = None
        try:
            root = yaml.compose(text, Loader=SafeLoader)
        except (yaml.YAMLError, RecursionError):  # pragma: no cover - the file loaded before
            return
        if root is not None:
            self._walk(root, (), set())

    def _walk(self, node: yaml.Node, location: Location, seen: set[int]) -> None:
        self.values[location] = Position(node.start_mark.line + 1, node.start_mark.column + 1)
        if id(node) in seen or len(location) > MAX_DEPTH:
            return  # an alias: its first occurrence is indexed
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            self.scalars[location] = node
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self._walk(item, (*location, index), seen)
        elif isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    here = (*location, key_node.value)
                    mark = key_node.start_mark
                    self.keys.setdefault(here, Position(mark.line + 1, mark.column + 1))
                    self._walk(value_node, here, seen)

    def position_inside(self, location: Location, offset: int) -> Position | None:
        """Where the character at ``offset`` of a text value is written, or None when unsure.

        The text a scalar gives is not the text written: block scalars drop their indentation,
        folded and multi-line values turn line breaks into spaces, quoted ones undo their
        escapes. Rather than redo each style's rules, the word at ``offset`` (up to the next
        space: ``[[some-id|``, ``[@source-id]``, ``TODO:``) is looked up in the written text:
        a word is never split by a line break or indentation, so when the value and the written
        text hold it equally often, its n-th occurrence in one is its n-th in the other. When
        they do not (an escape made or hid one), the caller falls back to the value's start.
        """
        node = self.scalars.get(location)
        if node is None or not isinstance(node.value, str):
            return None
        word = re.match(r"\S+", node.value[offset:])
        if word is None:
            return None
        needle = word.group()
        in_value = _occurrences(node.value, needle)
        start = self._offset(node.start_mark)
        written = self.text[start : self._offset(node.end_mark)]
        in_written = _occurrences(written, needle)
        if offset not in in_value or len(in_value) != len(in_written):
            return None
        return _offset_position(self.text, start + in_written[in_value.index(offset)])

    def _offset(self, mark: Any) -> int:
        """A mark's offset in the text, from its line and column (as YAML counts lines)."""
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(self.text)]
        line, column = int(mark.line), int(mark.column)
        if line >= len(self._line_starts):
            return len(self.text)
        return min(self._line_starts[line] + column, len(self.text))

    def position(self, location: Location, *, key: bool = False) -> Position:
        if key and location in self.keys:
            return self.keys[location]
        for end in range(len(location), -1, -1):
            found = self.values.get(location[:end])
            if found is not None:
                return found
        return Position(1, 1)


class _FileProblem(Exception):
    """A problem that stops loading one file; turned into a Diagnostic by the caller."""

    def __init__(
        self,
        message: str,
        mark: Any = None,
        position: Position | None = None,
        hint: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.hint = hint
        if position is None and mark is not None:
            position = Position(mark.line + 1, mark.column + 1)
        self.position = position or Position(1, 1)


def content_files(content_dir: Path) -> Iterator[tuple[str, Path]]:
    """Every fact file under ``content_dir`` as (collection, path), in a stable order."""
    for collection, name, _path in list_content(content_dir).facts:
        yield collection, content_dir / collection / name


@dataclass
class ContentListing:
    """What the collection folders under ``content/`` hold, from one listing of each."""

    facts: list[tuple[str, str, str]] = field(default_factory=list)
    """Every fact file as (collection, file name, path); plain strings, as a large archive
    lists tens of thousands and building path objects for them cost a third of a warm load."""
    others: list[tuple[str, str, bool]] = field(default_factory=list)
    """Every other visible entry of a collection folder: (collection, name, is a folder)."""


def list_content(content_dir: Path) -> ContentListing:
    """The fact files of every collection folder, in a stable order, and what else is there."""
    listing = ContentListing()
    base = os.fspath(content_dir)
    for collection in COLLECTIONS:
        folder = os.path.join(base, collection)
        try:
            with os.scandir(folder) as scanned:
                entries = sorted((entry.name, entry.is_file()) for entry in scanned)
        except (FileNotFoundError, NotADirectoryError):
            continue
        for name, is_file in entries:
            if name.startswith("."):
                continue
            if is_file and name.endswith(YAML_SUFFIXES):
                listing.facts.append((collection, name, os.path.join(folder, name)))
            else:
                listing.others.append((collection, name, not is_file))
    return listing


OTHER_CONTENT_FOLDERS = ("pages", "media")
"""Folders of ``content/`` that hold what is not a fact: hand-written pages and images."""


def ignored_files(
    root: Path, content_dir: Path | None = None, listing: ContentListing | None = None
) -> list[Diagnostic]:
    """A warning for each file under ``content/`` that looks like a fact (its name ends in
    ``.yml`` or ``.yaml``, in any case) but that no stage reads: a wrong extension case, a
    folder that is not a collection, a subfolder of a collection, the top of ``content/``.

    Why: such a file is silently left out of the site, and the editor who wrote it believes
    it published. Other files (a README, an image) are left alone, as the contract says.
    ``listing`` is the collection folders' listing where the caller has it already.
    """
    content_dir = content_dir or root / "content"
    listing = listing or list_content(content_dir)
    prefix = _relative_prefix(root, content_dir)
    found: list[Diagnostic] = []

    def warn(relative: str, message: str, hint: str | None) -> None:
        found.append(Diagnostic(prefix + relative, 1, 1, "warning", message, hint))

    for name, is_folder in _visible_entries(content_dir):
        if not is_folder:
            if _looks_like_fact(name):
                warn(
                    name,
                    "this file is ignored: a fact goes in the folder of its collection",
                    "such as content/actors/ or content/stories/",
                )
        elif name in COLLECTIONS:
            continue  # its entries are in the listing
        elif name not in OTHER_CONTENT_FOLDERS:
            same_letters = [c for c in COLLECTIONS if c == name.lower()]
            # folder names are short: only a near-miss ("actor", "stroies") is worth naming
            hint = did_you_mean(name.lower(), same_letters or COLLECTIONS, cutoff=0.75) or (
                "facts go in " + ", ".join(f"{prefix}{c}/" for c in COLLECTIONS)
            )
            for relative in _fact_like_files(content_dir, name):
                warn(relative, f"this file is ignored: '{name}' is not a collection folder", hint)
    for collection, name, is_folder in listing.others:
        _ignored_in_collection(content_dir, prefix, collection, name, is_folder, warn)
    return sorted(found)


def _ignored_in_collection(
    content_dir: Path, prefix: str, collection: str, name: str, is_folder: bool, warn: Any
) -> None:
    """The warning, if any, for an entry of a collection folder that is not a fact file."""
    relative = f"{collection}/{name}"
    if is_folder:
        for inner in _fact_like_files(content_dir, relative):
            warn(
                inner,
                f"this file is ignored: facts are read only directly in "
                f"{prefix}{collection}/, not in its subfolders",
                f"move it to {prefix}{collection}/",
            )
    elif _looks_like_fact(name) and not name.endswith(YAML_SUFFIXES):
        stem, _, suffix = name.rpartition(".")
        warn(
            relative,
            f"this file is ignored: a fact file's name ends in .yml or .yaml in lowercase, "
            f"not .{suffix}",
            f"rename it to {stem}.{suffix.lower()}",
        )


def _visible_entries(folder: Path) -> list[tuple[str, bool]]:
    """A folder's entries as (name, is a folder), hidden ones (``.git``, editors' swap files)
    left out; nothing when the folder does not exist."""
    try:
        with os.scandir(folder) as entries:
            return sorted(
                (entry.name, entry.is_dir()) for entry in entries if not entry.name.startswith(".")
            )
    except (FileNotFoundError, NotADirectoryError):
        return []


def _fact_like_files(content_dir: Path, relative: str, depth: int = 0) -> list[str]:
    """Every file that looks like a fact in a folder and its subfolders, relative to content
    (a few levels deep: a folder that links to itself must not go on for ever)."""
    found: list[str] = []
    if depth > 8:
        return found
    for name, is_folder in _visible_entries(content_dir / relative):
        if is_folder:
            found += _fact_like_files(content_dir, f"{relative}/{name}", depth + 1)
        elif _looks_like_fact(name):
            found.append(f"{relative}/{name}")
    return found


def _looks_like_fact(name: str) -> bool:
    return name.lower().endswith(YAML_SUFFIXES)


@dataclass
class PendingFile:
    """A fact file that was read but still has to be parsed."""

    path: str
    relative: str
    collection: str
    raw: bytes
    size: int = 0
    mtime_ns: int = 0


class FileCache(Protocol):
    """Something that hands back fact files it has already parsed, unchanged since."""

    def lookup(self, path: str, relative: str, collection: str) -> LoadedFile | PendingFile: ...

    def remember(self, pending: PendingFile, result: LoadedFile | Diagnostic) -> None: ...


def load_content(
    root: Path,
    content_dir: Path | None = None,
    *,
    cache: FileCache | None = None,
    listing: ContentListing | None = None,
) -> tuple[list[LoadedFile], list[Diagnostic]]:
    """Load every fact file of a site; files with problems are reported and left out.
    ``listing`` is the collection folders' listing where the caller has it already."""
    content_dir = content_dir or root / "content"
    prefix = _relative_prefix(root, content_dir)
    found: list[LoadedFile | Diagnostic | PendingFile] = []
    for collection, name, path in (listing or list_content(content_dir)).facts:
        relative = f"{prefix}{collection}/{name}"
        if cache is not None:
            found.append(cache.lookup(path, relative, collection))
        else:
            with open(path, "rb") as stream:
                found.append(PendingFile(path, relative, collection, stream.read()))
    loaded: list[LoadedFile] = []
    diagnostics: list[Diagnostic] = []
    for item in found:
        if isinstance(item, PendingFile):
            result = load_file(item.raw, item.relative, item.collection)
            if cache is not None:
                cache.remember(item, result)
        else:
            result = item
        if isinstance(result, LoadedFile):
            loaded.append(result)
        else:
            diagnostics.append(result)
    return loaded, diagnostics


def _relative_prefix(root: Path, content_dir: Path) -> str:
    """How paths under ``content_dir`` are shown: relative to the site root where possible."""
    if content_dir.is_relative_to(root):
        relative = content_dir.relative_to(root).as_posix()
        return "" if relative == "." else relative + "/"
    return content_dir.as_posix() + "/"


def load_file(raw: bytes, path: str, collection: str) -> LoadedFile | Diagnostic:
    """Parse one fact file's bytes into a LoadedFile, or say exactly what is wrong with it."""
    try:
        return _load(raw, path, collection)
    except _FileProblem as problem:
        return Diagnostic(
            path,
            problem.position.line,
            problem.position.column,
            "error",
            problem.message,
            problem.hint,
        )


def _load(raw: bytes, path: str, collection: str) -> LoadedFile:
    if len(raw) > MAX_FILE_BYTES:
        raise _FileProblem(
            f"file is {len(raw):,} bytes; a fact file may be at most {MAX_FILE_BYTES:,} bytes"
        )
    text = _decode(raw)
    if "<<<<<<<" in text or ">>>>>>>" in text:
        _refuse_conflict_markers(text)
    loader = _FactLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        raise _yaml_problem(error, text) from None
    except yaml.YAMLError as error:  # pragma: no cover - libyaml reports everything with marks
        raise _FileProblem(f"invalid YAML: {error}") from None
    except RecursionError:
        raise _FileProblem(
            f"the file is nested too deeply (more than {MAX_DEPTH} levels)"
        ) from None
    finally:
        loader.dispose()
    if data is None:
        raise _FileProblem("the file is empty; a fact file holds one mapping of fields")
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        raise _FileProblem(
            f"the file holds {kind}; a fact file holds one mapping of fields (name: value)",
            position=_first_value_position(text),
        )
    if "&" in text or text.count("[") + text.count("{") > MAX_DEPTH:
        _check_size(data, text)  # only anchors can expand, only brackets nest this deep
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return LoadedFile(
        path=path,
        collection=collection,
        stem=stem,
        data=data,
        text=text,
        digest=hashlib.sha256(raw).hexdigest(),
    )


def _first_value_position(text: str) -> Position:
    root = yaml.compose(text, Loader=SafeLoader)
    mark = root.start_mark if root is not None else None
    return Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)


def _check_size(data: Any, text: str) -> None:
    """Refuse documents that expand (through aliases) or nest beyond what a fact file needs.

    Aliases share one object, so measuring with a memo costs only the document's own size."""
    memo: dict[int, tuple[int, int]] = {}

    def measure(value: Any, depth: int) -> tuple[int, int]:
        if depth > MAX_DEPTH:
            raise _FileProblem(
                f"the file is nested too deeply (more than {MAX_DEPTH} levels)",
                position=_deepest_position(text),
            )
        if not isinstance(value, (dict, list)):
            return 1, 0
        known = memo.get(id(value))
        if known is not None:
            return known
        children = value.values() if isinstance(value, dict) else value
        count, deepest = 1, 0
        for child in children:
            child_count, child_depth = measure(child, depth + 1)
            count += child_count
            deepest = max(deepest, child_depth + 1)
            if count > MAX_VALUES:
                raise _FileProblem(
                    f"the file expands to more than {MAX_VALUES:,} values (an alias bomb?)",
                    position=_first_alias_position(text),
                )
        memo[id(value)] = (count, deepest)
        return count, deepest

    measure(data, 0)


def _first_alias_position(text: str) -> Position:
    match = re.search(r"\*[A-Za-z0-9_-]+", text)
    return _offset_position(text, match.start()) if match else Position(1, 1)


def _deepest_position(text: str) -> Position:
    """Where nesting first goes past the limit, counted in flow brackets or indentation."""
    depth = 0
    for offset, char in enumerate(text):
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _offset_position(text, offset)
        elif char in "]}":
            depth -= 1
    return Position(1, 1)


def _offset_position(text: str, offset: int) -> Position:
    before = text[:offset]
    breaks = list(_LINE_BREAK.finditer(before))
    line_start = breaks[-1].end() if breaks else 0
    return Position(len(breaks) + 1, offset - line_start + 1)


_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
"""What YAML counts as a line break."""


def _occurrences(text: str, needle: str) -> list[int]:
    """The offsets where ``needle`` starts in ``text``, overlaps included."""
    found: list[int] = []
    at = text.find(needle)
    while at >= 0:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")  # a byte-order mark is accepted and dropped
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise _FileProblem(
            f"the file is not UTF-8: byte 0x{raw[error.start]:02x} cannot be read; "
            "save the file as UTF-8",
            position=Position(line, column),
        ) from None


_CONFLICT_MARKER = re.compile(r"^(<{7}|>{7})(?: |$)", re.MULTILINE)
"""The first or last line of a region git marks when a merge left both sides in the file."""

_QUOTES_HINTS = {
    '"': "use single quotes outside, or write the text without surrounding quotes",
    "'": "write each ' inside as two ('') or use double quotes outside, or write the text "
    "without surrounding quotes",
}
_LEFT_OVER = (
    "did not find expected key",
    "did not find expected ',' or ']'",
    "did not find expected '-' indicator",
    "did not find expected ',' or '}'",
)
"""What the parser says when text follows a value that has ended."""
_KEY_BEFORE = re.compile(r"^\s*(?:- )?[^\s#'\"][^:#]*:\s")
"""A line that starts with ``field:`` (or ``- field:``) before the point of the problem."""


def _refuse_conflict_markers(text: str) -> None:
    marker = _CONFLICT_MARKER.search(text)
    if marker is not None:
        raise _FileProblem(
            "this file still has git conflict markers from a merge: keep one side",
            position=_offset_position(text, marker.start()),
            hint="delete the lines <<<<<<<, ======= and >>>>>>> and the side you do not keep",
        )


def _yaml_problem(error: yaml.MarkedYAMLError, text: str) -> _FileProblem:
    """The parser's complaint as an editor's message, with a hint for the usual mistakes."""
    problem = (error.problem or "invalid YAML").strip()
    mark = error.problem_mark
    if mark is not None:
        lines = text.splitlines()
        line = lines[mark.line] if mark.line < len(lines) else ""
        if "\t" in line[: mark.column + 1] and not line[: mark.column].strip(" \t-"):
            return _FileProblem("a tab character is used for indentation; indent with spaces", mark)
        before = line[: mark.column].rstrip()
        quote = before[-1:]
        if problem in _LEFT_OVER and quote in _QUOTES_HINTS and before.count(quote) >= 2:
            return _FileProblem(
                f"quotation marks inside a quoted value: this {quote} ends the value, and the "
                "text after it cannot be read",
                position=Position(mark.line + 1, len(before)),
                hint=_QUOTES_HINTS[quote],
            )
        if problem.startswith("mapping values are not allowed") and _KEY_BEFORE.match(before):
            return _FileProblem(
                "a colon followed by a space inside a value: YAML reads it as the start of a field",
                mark,
                hint="put the whole value in quotation marks, or write it on the next lines "
                "after >-",
            )
    context = (error.context or "").strip()
    message = f"invalid YAML: {problem}"
    if context and error.context_mark and error.problem_mark:
        if error.context_mark.line != error.problem_mark.line:
            message += f" ({context} on line {error.context_mark.line + 1})"
        else:
            message += f" ({context})"
    return _FileProblem(message, mark or error.context_mark)


class _FactLoader(SafeLoader):  # type: ignore[misc]
    """libyaml's parser with a constructor that builds plain data only.

    Duplicate keys, merge keys and every tag beyond plain text, numbers, booleans, null, lists
    and mappings are errors at their position. Timestamps stay text, so that the validator, not
    YAML, judges dates: an impossible date such as 2024-02-30 then gets a readable error.
    """

    def construct_undefined(self, node: yaml.Node) -> Any:
        tag = node.tag.replace(_TAG, "!!")
        raise _FileProblem(
            f"YAML tag '{tag}' is not allowed; fact files hold plain text, numbers, dates, "
            "lists and mappings",
            node.start_mark,
        )

    def construct_plain_mapping(self, node: yaml.MappingNode) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                raise _FileProblem(
                    "merge keys (<<) are not supported; write the fields out", key_node.start_mark
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise _FileProblem("a field name must be plain text", key_node.start_mark)
            if key_node.tag not in _PLAIN_TAGS:
                self.construct_undefined(key_node)
            key = key_node.value
            if key in mapping:
                raise _FileProblem(
                    f"duplicate field '{key}' (first given on line {lines[key]}); keep one",
                    key_node.start_mark,
                )
            lines[key] = key_node.start_mark.line + 1
            mapping[key] = self._value(value_node)
        return mapping

    def construct_plain_sequence(self, node: yaml.SequenceNode) -> list[Any]:
        return [self._value(item) for item in node.value]

    def _value(self, node: yaml.Node) -> Any:
        # Why a fast path: most values are plain text, which needs none of the bookkeeping
        # (aliases, recursion) that construct_object does for lists and mappings.
        if node.tag == _STR and isinstance(node, yaml.ScalarNode):
            return node.value
        return self.construct_object(node, deep=True)

    def construct_timestamp_text(self, node: yaml.ScalarNode) -> str:
        return str(node.value)


def _number_or_clock_time(constructor: Any) -> Any:
    """YAML 1.1 reads ``20:05`` as the number 1205 (base 60); a fact file means a time."""

    def construct(loader: Any, node: yaml.ScalarNode) -> Any:
        if ":" in node.value:
            return str(node.value)
        return constructor(loader, node)

    return construct


_FactLoader.yaml_constructors = {
    _TAG + "null": yaml.constructor.SafeConstructor.construct_yaml_null,
    _TAG + "bool": yaml.constructor.SafeConstructor.construct_yaml_bool,
    _TAG + "int": _number_or_clock_time(yaml.constructor.SafeConstructor.construct_yaml_int),
    _TAG + "float": _number_or_clock_time(yaml.constructor.SafeConstructor.construct_yaml_float),
    _TAG + "str": yaml.constructor.SafeConstructor.construct_yaml_str,
    _TAG + "timestamp": _FactLoader.construct_timestamp_text,
    _TAG + "seq": _FactLoader.construct_plain_sequence,
    _TAG + "map": _FactLoader.construct_plain_mapping,
    None: _FactLoader.construct_undefined,
}


# --- the site's settings ---------------------------------------------------------------------


class _SettingsLoader(SafeLoader):  # type: ignore[misc]
    """Reads ``mkdocs.yml`` for the few settings Backstory needs; engine-specific tags such as
    ``!!python/name:`` are the engine's business and are read as nothing here."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_SettingsLoader.add_multi_constructor("", _ignore_tag)


class SettingsProblem(Exception):
    """``mkdocs.yml`` is not YAML; carries the position of the problem (from 1)."""

    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def load_settings(text: str) -> Any:
    """The settings of ``mkdocs.yml`` as plain data; raises SettingsProblem when it is not YAML."""
    try:
        return yaml.load(text, Loader=_SettingsLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise SettingsProblem(f"invalid YAML: {error.problem}", line, column) from None


# --- YAML that Backstory writes --------------------------------------------------------------


class _FieldDumper(yaml.SafeDumper):  # type: ignore[misc]
    """Indents block lists under their key, as the fact files in the repository are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def yaml_field(key: str, value: Any) -> str:
    """``key: value`` as YAML text, quoted as needed: user text never reaches the file unescaped."""
    options: dict[str, Any] = {"Dumper": _FieldDumper, "allow_unicode": True, "width": float("inf")}
    if isinstance(value, list) and not any(isinstance(item, (dict, list)) for item in value):
        # A list of ids or words on one line, as editors write them: [a, b]
        flow = str(yaml.dump(value, default_flow_style=True, **options))
        return f"{key}: " + flow.strip() + "\n"
    return str(yaml.dump({key: value}, default_flow_style=False, sort_keys=False, **options))


def yaml_document(data: dict[str, Any]) -> str:
    """A mapping of plain data as a YAML document in block style, keys in their given order,
    strings quoted only where YAML needs it: a settings file Backstory generates."""
    options: dict[str, Any] = {"Dumper": _FieldDumper, "allow_unicode": True, "width": 100}
    return str(yaml.dump(data, default_flow_style=False, sort_keys=False, **options))


_YAML_KEY = re.compile(r"[a-z][a-z0-9_]*\Z")
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
"""Plain words YAML 1.1 reads as booleans or null: quoted when used as keys."""
_YAML_UNSAFE = re.compile(
    "[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
"""Characters a double-quoted YAML string cannot hold as they are (besides the quote and the
backslash): everything outside YAML's printable set or read as a line break (NEL, U+2028,
U+2029), and the byte-order mark."""


def yaml_strings_mapping(mapping: dict[str, Any]) -> str:
    """A block mapping of strings (and nested mappings of strings), keys sorted, every value a
    quoted string: the shape of a page's front matter.

    Why not the YAML library's dumper: its representer is pure Python and cost a fifth of
    rendering a large archive; this is the one shape front matter needs, and the tests read
    every value back with a YAML parser.
    """
    return "".join(_yaml_lines(mapping, ""))


def _yaml_lines(mapping: dict[str, Any], indent: str) -> list[str]:
    lines = []
    for key in sorted(mapping):
        value = mapping[key]
        name = key if _YAML_KEY.match(key) and key not in _YAML_WORDS else _yaml_quoted(key)
        if isinstance(value, dict):
            lines.append(f"{indent}{name}:\n")
            lines.extend(_yaml_lines(value, indent + "  "))
        else:
            lines.append(f"{indent}{name}: {_yaml_quoted(str(value))}\n")
    return lines


def _yaml_quoted(text: str) -> str:
    """Single-quoted when every character may stand as it is (easier to read), else double-quoted
    with escapes."""
    if not _YAML_UNSAFE.search(text):
        return "'" + text.replace("'", "''") + "'"
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + _YAML_UNSAFE.sub(_yaml_escape, text) + '"'


def _yaml_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return (
        f"\\x{code:02x}"
        if code < 0x100
        else f"\\u{code:04x}"
        if code < 0x10000
        else f"\\U{code:08x}"
    )
