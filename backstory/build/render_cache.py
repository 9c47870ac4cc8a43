"""Render cache: the generated files of the last build, with what each read of the graph, so
that the next build renders again only the files whose inputs changed.

Kept in ``.backstory/cache/render.marshal`` (see ``cache`` for how it is stored and when it is
discarded). It holds the text of every generated file that is not fixed, the reads of each (as
numbers into one table of reads), and each read's fingerprint in the graph of that build
(``tracking.GraphPrints``). The whole cache is keyed by what every file depends on besides the
graph: Backstory's code, the installed packages, ``mkdocs.yml``, the site's templates and the
drafts option; when any of those differ nothing is reused. Fixed files (hand-written pages,
the stylesheet) are not kept: they are read again every time.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BuildError
from ..facts.graph import Graph
from ..project import Project
from ..site.outputs import Output, OutputJob
from .cache import CACHE_FOLDER, digest_of, folder_digest, read_stored, write_stored
from .tracking import GraphPrints, Read, ReadLog, recording_view
from .workers import WorkerFailed, can_fork, run_forked

log = logging.getLogger(__name__)

KIND = "render cache 1"


def render_settings(project: Project, *, include_drafts: bool) -> str:
    """Identifies what every generated file depends on besides the graph (the code and the
    installed packages are in the cache file's format)."""
    return digest_of(
        project.config_file.read_bytes(),
        folder_digest(project.templates_dir),
        f"drafts={include_drafts}",
    )


@dataclass
class RenderReport:
    """What a render with the cache did: the files rendered again, and those reused."""

    rendered: list[str] = field(default_factory=list)
    reused: int = 0


class RenderCache:
    """The render cache of one site (``folder`` None: keeps nothing, as ``--no-cache`` asks)."""

    def __init__(self, folder: Path | None, settings: str, *, read: bool = True):
        self.file = folder / "render.marshal" if folder is not None else None
        self.settings = settings
        self.reads: list[Read] = []
        self.prints: list[str] = []
        self.files: dict[str, tuple[Output, tuple[int, ...]]] = {}
        if self.file is not None and read:
            self._load(self.file)

    @classmethod
    def of(cls, project: Project, *, include_drafts: bool, use_cache: bool = True) -> RenderCache:
        """The site's render cache; with ``use_cache`` False nothing stored is read (the cache
        is written anew after the build)."""
        settings = render_settings(project, include_drafts=include_drafts)
        return cls(project.work_dir / CACHE_FOLDER, settings, read=use_cache)

    def _load(self, file: Path) -> None:
        stored = read_stored(file, KIND)
        if stored is None or stored.get("settings") != self.settings:
            return
        reads, prints, files = stored.get("reads"), stored.get("prints"), stored.get("files")
        if _well_formed(reads, prints, files):
            self.reads, self.prints, self.files = reads, prints, files  # type: ignore[assignment]
        else:
            log.info("discarding the render cache %s: unexpected structure", file)

    def render(
        self, jobs: Sequence[OutputJob], graph: Graph, *, workers: int = 1
    ) -> tuple[dict[str, Output], RenderReport]:
        """Every job's text by path: run again when something it read changed since the cached
        build (or it is new, or fixed), taken from the cache otherwise. Many files to run again
        (a first build) are shared among ``workers`` forked processes."""
        prints = GraphPrints(graph)
        current = [prints.of(read) for read in self.reads]
        changed = {
            i for i, (old, new) in enumerate(zip(self.prints, current, strict=True)) if old != new
        }
        numbers = {read: i for i, read in enumerate(self.reads)}
        texts: dict[str, Output] = {}
        kept: dict[str, tuple[Output, tuple[int, ...]]] = {}
        report = RenderReport()
        again: list[OutputJob] = []
        for job in jobs:
            if job.fixed:
                texts[job.path] = job.make(graph)
                continue
            cached = self.files.get(job.path)
            if cached is not None and changed.isdisjoint(cached[1]):
                texts[job.path], kept[job.path] = cached[0], cached
                report.reused += 1
                continue
            again.append(job)
        for path, text, reads in render_recording(again, graph, workers):
            texts[path] = text
            kept[path] = (text, self._numbers_of(reads, numbers, current, prints))
            report.rendered.append(path)
        self.prints, self.files = current, kept
        return dict(sorted(texts.items())), report

    def _numbers_of(
        self,
        reads: Iterable[Read],
        numbers: dict[Read, int],
        current: list[str],
        prints: GraphPrints,
    ) -> tuple[int, ...]:
        """The numbers of these reads in the table, adding the reads that are new to it."""
        found = []
        for read in reads:
            number = numbers.get(read)
            if number is None:
                number = numbers[read] = len(self.reads)
                self.reads.append(read)
                current.append(prints.of(read))
            found.append(number)
        return tuple(sorted(found))

    def save(self) -> None:
        """Write the cache for the next build, keeping only the reads its files use."""
        if self.file is None:
            return
        used = sorted(set().union(*(numbers for _, numbers in self.files.values())))
        if len(used) < len(self.reads):
            renumber = {old: new for new, old in enumerate(used)}
            self.reads = [self.reads[i] for i in used]
            self.prints = [self.prints[i] for i in used]
            self.files = {
                path: (text, tuple(renumber[i] for i in numbers))
                for path, (text, numbers) in self.files.items()
            }  # every number is in ``used``: it was taken from these files
        data = {"settings": self.settings, "reads": self.reads, "prints": self.prints}
        write_stored(self.file, KIND, {**data, "files": self.files})


MIN_FILES_PER_WORKER = 200
"""Fewer files to render than this per worker are rendered in this process: a fork costs more
than rendering them."""


def render_recording(
    jobs: Sequence[OutputJob], graph: Graph, workers: int = 1
) -> list[tuple[str, Output, tuple[Read, ...]]]:
    """Run the jobs, each with a record of what it read of the graph: (path, text, reads), in
    the jobs' order. With ``workers`` > 1 and enough jobs, the jobs are shared among forked
    processes (the same texts: a job depends on the graph only). A worker's failure is not
    reported from the worker: the jobs are then run here, where the error is raised as a
    one-process render raises it (a template's error with its file and line)."""
    if workers > 1 and can_fork() and len(jobs) >= MIN_FILES_PER_WORKER * workers:
        shares = [jobs[i::workers] for i in range(workers)]

        def work(share: Sequence[OutputJob], results: list[Any]) -> None:
            results.extend(_run_recording(share, graph))

        try:
            done = run_forked(shares, work)
        except (WorkerFailed, BuildError) as error:
            log.info("rendering in one process: a worker failed (%s)", error)
        else:
            found = {result[0]: result for results in done for result in results}
            return [found[job.path] for job in jobs]
    return _run_recording(jobs, graph)


def _run_recording(
    jobs: Iterable[OutputJob], graph: Graph
) -> list[tuple[str, Output, tuple[Read, ...]]]:
    log_ = ReadLog()
    view = recording_view(graph, log_)
    results = []
    for job in jobs:
        log_.reads = set()
        text = job.make(view)
        results.append((job.path, text, tuple(log_.reads)))
    return results


def _well_formed(reads: Any, prints: Any, files: Any) -> bool:
    """Whether stored data has the cache's shape (anything else is discarded)."""
    if not (isinstance(reads, list) and isinstance(prints, list) and isinstance(files, dict)):
        return False
    if len(reads) != len(prints) or not all(isinstance(p, str) for p in prints):
        return False
    if not all(isinstance(r, tuple) and len(r) == 2 and isinstance(r[0], str) for r in reads):
        return False
    for entry in files.values():
        if not (isinstance(entry, tuple) and len(entry) == 2):
            return False
        if not (isinstance(entry[0], (str, bytes)) and isinstance(entry[1], tuple)):
            return False
    # Every number into the table of reads, each checked once (files share most of them).
    try:
        used = set().union(*(numbers for _, numbers in files.values()))
    except TypeError:  # something unhashable among them
        return False
    return all(type(n) is int and 0 <= n < len(reads) for n in used)
