"""Tracking what each generated file reads of the graph, so that after an edit only the files
whose inputs changed are rendered again.

How: a job runs against a view of the graph whose mappings note every key looked up and every
walk over a whole mapping. Comparing the previous graph with the new one, mapping by mapping,
gives the entries that changed; a file is redone when it read one of them, and every other file
keeps its text. Why this is safe: a job's text is a function of what it reads from the graph
(the render stage is pure), so a file that read nothing that changed cannot change.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..facts.graph import MAPPINGS, Graph
from ..facts.validate import ValidFact
from ..site.outputs import Output, OutputJob

WHOLE = "*"
"""The key of a read that walked a whole mapping (its keys, their order and every value).
Never an id: ids are slugs."""

Read = tuple[str, str]
"""One thing a job read: (graph mapping, key), (graph mapping, WHOLE), or whether a key is in a
mapping at all: (graph mapping + MEMBERSHIP, key)."""

MEMBERSHIP = "?"


class _ReadLog:
    """Where the recording mappings note their reads: the set of the job running now."""

    def __init__(self) -> None:
        self.reads: set[Read] = set()


class _RecordingMapping(Mapping[str, Any]):
    """A read-only view of one of the graph's mappings that notes every read."""

    __slots__ = ("_data", "_log", "_membership", "_name")

    def __init__(self, name: str, data: Mapping[str, Any], log: _ReadLog):
        self._name = name
        self._membership = name + MEMBERSHIP
        self._data = data
        self._log = log

    def __getitem__(self, key: str) -> Any:
        self._log.reads.add((self._name, key))
        return self._data[key]

    def __contains__(self, key: object) -> bool:
        # Only whether the key is there: a page that links a fact does not show all of it.
        self._log.reads.add((self._membership, key))  # type: ignore[arg-type]
        return key in self._data

    def get(self, key: str, default: Any = None) -> Any:
        self._log.reads.add((self._name, key))
        return self._data.get(key, default)

    def __iter__(self) -> Iterator[str]:
        self._log.reads.add((self._name, WHOLE))
        return iter(self._data)

    def __len__(self) -> int:
        self._log.reads.add((self._name, WHOLE))
        return len(self._data)

    def keys(self) -> Any:
        self._log.reads.add((self._name, WHOLE))
        return self._data.keys()

    def items(self) -> Any:
        self._log.reads.add((self._name, WHOLE))
        return self._data.items()

    def values(self) -> Any:
        self._log.reads.add((self._name, WHOLE))
        return self._data.values()


def _recording_view(graph: Graph, log: _ReadLog) -> Graph:
    """The graph as a job sees it while its reads are recorded."""
    mappings: dict[str, Any] = {
        name: _RecordingMapping(name, getattr(graph, name), log) for name in MAPPINGS
    }
    return Graph(**mappings)


@dataclass
class RenderedFiles:
    """The generated files of one render, with what each read and the graph they were read from."""

    texts: dict[str, Output]
    reads: dict[str, frozenset[Read]]
    graph: Graph


def render_recorded(
    jobs: Sequence[OutputJob], graph: Graph, previous: RenderedFiles | None = None
) -> tuple[RenderedFiles, list[str]]:
    """Run the jobs whose inputs changed since ``previous`` (every job when there is none) and
    keep the other files as they were. Returns the files and the paths of the jobs that ran."""
    changed = changed_entries(previous.graph, graph) if previous is not None else set()
    log = _ReadLog()
    view = _recording_view(graph, log)
    texts: dict[str, Output] = {}
    reads: dict[str, frozenset[Read]] = {}
    ran: list[str] = []
    for job in jobs:
        if previous is not None and not job.fixed and job.path in previous.texts:
            earlier = previous.reads[job.path]
            if earlier.isdisjoint(changed):
                texts[job.path], reads[job.path] = previous.texts[job.path], earlier
                continue
        log.reads = set()
        texts[job.path] = job.make(view)
        reads[job.path] = frozenset(log.reads)
        ran.append(job.path)
    return RenderedFiles(dict(sorted(texts.items())), reads, graph), ran


def changed_entries(old: Graph, new: Graph) -> set[Read]:
    """Every entry that differs between two graphs: (mapping, key) for a key added, removed or
    holding another value, (mapping + MEMBERSHIP, key) for a key added or removed, and
    (mapping, WHOLE) for each mapping with any such change."""
    changed: set[Read] = set()
    for name in MAPPINGS:
        before: Mapping[str, Any] = getattr(old, name)
        after: Mapping[str, Any] = getattr(new, name)
        same = _same_fact if name == "facts" else _same_value
        keys_differ = list(before) != list(after)
        touched = _differing_keys(before, after, same) if before is not after else []
        changed.update((name, key) for key in touched)
        if keys_differ:
            membership = name + MEMBERSHIP
            changed.update((membership, key) for key in before.keys() ^ after.keys())
        if keys_differ or touched:
            changed.add((name, WHOLE))
    return changed


def _differing_keys(before: Mapping[str, Any], after: Mapping[str, Any], same: Any) -> list[str]:
    return [
        key
        for key in before.keys() | after.keys()
        if key not in before or key not in after or not same(before[key], after[key])
    ]


def _same_value(first: Any, second: Any) -> bool:
    return first is second or bool(first == second)


def _same_fact(first: ValidFact, second: ValidFact) -> bool:
    # Where a fact came from (its file, positions) is never shown: only what it says.
    return first is second or (
        first.collection == second.collection and first.model == second.model
    )
