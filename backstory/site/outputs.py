"""What the render stage produces: one job per generated file, each a function of the graph.

Why jobs rather than finished texts: a job can be run on its own, so a preview redoes only the
files an edit touches (see ``preview/tracking.py``); a build runs them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..facts.graph import Graph

FileContent = str | bytes
"""What a generated file holds: text (written as UTF-8), or bytes (an image of a page)."""


@dataclass(frozen=True)
class OutputJob:
    """One generated file: its path in the docs folder and how to make its content."""

    path: str
    make: Callable[[Graph], FileContent]
    fixed: bool = False
    """The content is given, not read from the graph (a handwritten page, the stylesheet)."""


def fixed_text(path: str, text: FileContent) -> OutputJob:
    """A file whose text (or bytes) does not depend on the facts."""
    return OutputJob(path, lambda _graph: text, fixed=True)


def run_jobs(jobs: Iterable[OutputJob], graph: Graph) -> dict[str, FileContent]:
    """Every job's content by path, sorted by path."""
    return dict(sorted((job.path, job.make(graph)) for job in jobs))


def run_text_jobs(jobs: Iterable[OutputJob], graph: Graph) -> dict[str, str]:
    """Every job's text by path, sorted by path, for jobs that make text (pages, data)."""
    texts = {}
    for path, content in run_jobs(jobs, graph).items():
        assert isinstance(content, str), path
        texts[path] = content
    return texts
