"""What the render stage produces: one job per generated file, each a function of the graph.

Why jobs rather than finished texts: a job can be run on its own, so a preview redoes only the
files an edit touches (see ``preview/tracking.py``); a build runs them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..facts.graph import Graph


@dataclass(frozen=True)
class OutputJob:
    """One generated file: its path in the docs folder and how to make its text."""

    path: str
    make: Callable[[Graph], str | bytes]
    fixed: bool = False
    """The text is given, not read from the graph (a handwritten page, the stylesheet)."""


def fixed_text(path: str, text: str | bytes) -> OutputJob:
    """A file whose text does not depend on the facts."""
    return OutputJob(path, lambda _graph: text, fixed=True)


Output = str | bytes
"""A generated file's content: text, or the bytes of a file copied as it is (an image)."""


def run_jobs(jobs: Iterable[OutputJob], graph: Graph) -> dict[str, Output]:
    """Every job's text by path, sorted by path."""
    return dict(sorted((job.path, job.make(graph)) for job in jobs))
