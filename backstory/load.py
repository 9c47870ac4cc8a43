"""Load stage: read the fact files as plain data, remembering where every value came from.

This is the only module that parses YAML. It composes the document into nodes (which keep their
line and column) and builds plain Python values from them itself, so nothing in a fact file can
construct an object: tags, merge keys and other YAML features beyond plain data are errors.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic

try:  # libyaml is about ten times faster; the pure-Python composer gives the same nodes.
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]

COLLECTIONS = ("actors", "sources", "events", "quotes", "stories")
"""The fact collections, each a folder under ``content/``."""

YAML_SUFFIXES = (".yml", ".yaml")
MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_VALUES = 50_000
"""Limits a fact file never needs; they stop alias bombs and runaway nesting early."""

Location = tuple[str | int, ...]
"""A path to a value inside a file: ``("questions", 0, "answer")``."""

_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
_SCALARS = yaml.constructor.SafeConstructor()


@dataclass(frozen=True)
class Position:
    """A line and column in a file, both counted from 1."""

    line: int
    column: int


@dataclass
class LoadedFile:
    """One fact file as plain data, with the position of each key and value in it."""

    path: str
    """Relative to the site root, with forward slashes: ``content/actors/ryan-luby.yml``."""
    collection: str
    stem: str
    data: dict[str, Any]
    value_positions: dict[Location, Position] = field(repr=False)
    key_positions: dict[Location, Position] = field(repr=False)
    digest: str = ""

    def position(self, location: Location, *, key: bool = False) -> Position:
        """Where a value (or its key) is; falls back to the nearest enclosing value."""
        if key and location in self.key_positions:
            return self.key_positions[location]
        for end in range(len(location), -1, -1):
            found = self.value_positions.get(location[:end])
            if found is not None:
                return found
        return Position(1, 1)


class _FileProblem(Exception):
    """A problem that stops loading one file; turned into a Diagnostic by the caller."""

    def __init__(self, message: str, mark: Any = None, position: Position | None = None):
        super().__init__(message)
        self.message = message
        if position is None and mark is not None:
            position = Position(mark.line + 1, mark.column + 1)
        self.position = position or Position(1, 1)


def content_files(content_dir: Path) -> Iterator[tuple[str, Path]]:
    """Every fact file under ``content_dir`` as (collection, path), in a stable order."""
    for collection in COLLECTIONS:
        folder = content_dir / collection
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix in YAML_SUFFIXES and path.is_file() and not path.name.startswith("."):
                yield collection, path


def load_content(root: Path, content_dir: Path | None = None) -> tuple[list[LoadedFile], list[Diagnostic]]:
    """Load every fact file of a site; files with problems are reported and left out."""
    content_dir = content_dir or root / "content"
    loaded: list[LoadedFile] = []
    diagnostics: list[Diagnostic] = []
    for collection, path in content_files(content_dir):
        relative = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
        result = load_file(path.read_bytes(), relative, collection)
        if isinstance(result, LoadedFile):
            loaded.append(result)
        else:
            diagnostics.append(result)
    return loaded, diagnostics


def load_file(raw: bytes, path: str, collection: str) -> LoadedFile | Diagnostic:
    """Parse one fact file's bytes into a LoadedFile, or say exactly what is wrong with it."""
    try:
        return _load(raw, path, collection)
    except _FileProblem as problem:
        return Diagnostic(path, problem.position.line, problem.position.column, "error", problem.message)


def _load(raw: bytes, path: str, collection: str) -> LoadedFile:
    if len(raw) > MAX_FILE_BYTES:
        raise _FileProblem(
            f"file is {len(raw):,} bytes; a fact file may be at most {MAX_FILE_BYTES:,} bytes"
        )
    text = _decode(raw)
    try:
        root_node = yaml.compose(text, Loader=SafeLoader)
    except yaml.MarkedYAMLError as error:
        raise _FileProblem(_yaml_message(error, text), error.problem_mark or error.context_mark) from None
    except yaml.YAMLError as error:  # pragma: no cover - libyaml reports everything with marks
        raise _FileProblem(f"invalid YAML: {error}") from None
    except RecursionError:
        raise _FileProblem(f"the file is nested too deeply (more than {MAX_DEPTH} levels)") from None
    if root_node is None:
        raise _FileProblem("the file is empty; a fact file holds one mapping of fields")
    if not isinstance(root_node, yaml.MappingNode):
        kind = "a list" if isinstance(root_node, yaml.SequenceNode) else "a single value"
        raise _FileProblem(
            f"the file holds {kind}; a fact file holds one mapping of fields (name: value)",
            root_node.start_mark,
        )
    builder = _ValueBuilder()
    data = builder.build(root_node, ())
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return LoadedFile(
        path=path,
        collection=collection,
        stem=stem,
        data=data,
        value_positions=builder.value_positions,
        key_positions=builder.key_positions,
        digest=hashlib.sha256(raw).hexdigest(),
    )


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


def _yaml_message(error: yaml.MarkedYAMLError, text: str) -> str:
    problem = (error.problem or "invalid YAML").strip()
    mark = error.problem_mark
    if mark is not None:
        lines = text.splitlines()
        line = lines[mark.line] if mark.line < len(lines) else ""
        if "\t" in line[: mark.column + 1] and not line[: mark.column].strip(" \t-"):
            return "a tab character is used for indentation; indent with spaces"
    context = (error.context or "").strip()
    message = f"invalid YAML: {problem}"
    if context and error.context_mark and error.problem_mark:
        if error.context_mark.line != error.problem_mark.line:
            message += f" ({context} on line {error.context_mark.line + 1})"
        else:
            message += f" ({context})"
    return message


class _ValueBuilder:
    """Turns composed YAML nodes into plain values, recording each value's position."""

    def __init__(self) -> None:
        self.value_positions: dict[Location, Position] = {}
        self.key_positions: dict[Location, Position] = {}
        self.values = 0

    def build(self, node: yaml.Node, location: Location) -> Any:
        self.values += 1
        if self.values > MAX_VALUES:
            raise _FileProblem(
                f"the file expands to more than {MAX_VALUES:,} values (an alias bomb?)",
                node.start_mark,
            )
        if len(location) > MAX_DEPTH:
            raise _FileProblem(
                f"the file is nested too deeply (more than {MAX_DEPTH} levels)", node.start_mark
            )
        self.value_positions[location] = Position(node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.SequenceNode):
            self._plain_tag(node, "seq")
            return [self.build(item, location + (index,)) for index, item in enumerate(node.value)]
        assert isinstance(node, yaml.MappingNode)
        self._plain_tag(node, "map")
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                raise _FileProblem(
                    "merge keys (<<) are not supported; write the fields out", key_node.start_mark
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise _FileProblem("a field name must be plain text", key_node.start_mark)
            self._plain_tag(key_node, "str")
            key = key_node.value
            if key in mapping:
                first = self.key_positions[location + (key,)]
                raise _FileProblem(
                    f"duplicate field '{key}' (first given on line {first.line}); keep one",
                    key_node.start_mark,
                )
            self.key_positions[location + (key,)] = Position(
                key_node.start_mark.line + 1, key_node.start_mark.column + 1
            )
            mapping[key] = self.build(value_node, location + (key,))
        return mapping

    def _plain_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag in _PLAIN_TAGS or node.tag == _TAG + expected:
            return
        tag = node.tag.replace(_TAG, "!!")
        raise _FileProblem(
            f"YAML tag '{tag}' is not allowed; fact files hold plain text, numbers, dates, "
            "lists and mappings",
            node.start_mark,
        )

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        self._plain_tag(node, "str")
        tag = node.tag
        if tag == _TAG + "str":
            return node.value
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            return _SCALARS.construct_yaml_bool(node)
        if tag == _TAG + "int":
            return _SCALARS.construct_yaml_int(node)
        if tag == _TAG + "float":
            return _SCALARS.construct_yaml_float(node)
        # Why: a timestamp stays text so that the validator, not YAML, judges dates; an impossible
        # date such as 2024-02-30 then gets a located, readable error instead of a crash.
        return node.value

