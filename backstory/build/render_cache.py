"""Render cache: what each generated file of the last build read of the graph, so that the
next build renders again only the files whose inputs changed.

Kept in ``.backstory/cache/render.marshal`` (see ``cache`` for how it is stored and when it is
discarded). It holds the SHA-256 of every generated file that is not fixed, the reads of each
(as numbers into one table of reads), and each read's fingerprint in the graph of that build
(``tracking.GraphPrints``). The texts themselves are the files of the docs folder: a file is
kept when its reads did not change and its file there still has that SHA-256 (one that is
missing or was changed is rendered again). The whole cache is keyed by what every file depends
on besides the graph: Backstory's code, the installed packages, ``mkdocs.yml``, the site's
templates and the drafts option; when any of those differ nothing is reused. Fixed files
(hand-written pages, the stylesheet) are not kept: they are read again every time.

Why no texts: at a thousand stories they were 61 MB to read and write again in every build,
and, held until the build's end, the largest part of its memory.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
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
from .write import TreeWriter

log = logging.getLogger(__name__)

KIND = "render cache 2"


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
        self.files: dict[str, tuple[str, tuple[int, ...]]] = {}
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
        self, jobs: Sequence[OutputJob], graph: Graph, docs: TreeWriter, *, workers: int = 1
    ) -> RenderReport:
        """Bring the docs folder (``docs``, finished by the caller) up to date with the jobs: a
        file is rendered again when something it read changed since the cached build (or it is
        new, or fixed, or its file in the docs folder is not the one the cache knows), kept as
        it is otherwise. Each file is written as soon as it is made, and not held. Many files
        to render (a first build) are shared among ``workers`` forked processes."""
        prints = GraphPrints(graph)
        current = [prints.of(read) for read in self.reads]
        changed = {
            i for i, (old, new) in enumerate(zip(self.prints, current, strict=True)) if old != new
        }
        numbers = {read: i for i, read in enumerate(self.reads)}
        kept: dict[str, tuple[str, tuple[int, ...]]] = {}
        report = RenderReport()
        again: list[OutputJob] = []
        for job in jobs:
            if job.fixed:
                docs.write(job.path, job.make(graph))
                continue
            cached = self.files.get(job.path)
            if (
                cached is not None
                and changed.isdisjoint(cached[1])
                and docs.holds(job.path, cached[0])
            ):
                kept[job.path] = cached
                report.reused += 1
                continue
            again.append(job)

        def made(result: tuple[str, Output, tuple[Read, ...]]) -> None:
            path, text, reads = result
            data = docs.write(path, text)
            digest = hashlib.sha256(data).hexdigest()
            kept[path] = (digest, self._numbers_of(reads, numbers, current, prints))
            report.rendered.append(path)

        render_recording(again, graph, made, workers)
        report.rendered.sort()
        self.prints, self.files = current, kept
        return report

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
                path: (digest, tuple(renumber[i] for i in numbers))
                for path, (digest, numbers) in self.files.items()
            }  # every number is in ``used``: it was taken from these files
        data = {"settings": self.settings, "reads": self.reads, "prints": self.prints}
        write_stored(self.file, KIND, {**data, "files": self.files})


MIN_FILES_PER_WORKER = 200
"""Fewer files to render than this per worker are rendered in this process: a fork costs more
than rendering them."""


def render_recording(
    jobs: Sequence[OutputJob],
    graph: Graph,
    made: Callable[[tuple[str, Output, tuple[Read, ...]]], None],
    workers: int = 1,
) -> None:
    """Run the jobs, each with a record of what it read of the graph, and give each result
    (path, text, reads) to ``made`` as it comes. With ``workers`` > 1 and enough jobs, the jobs
    are shared among forked processes (the same texts: a job depends on the graph only), and
    the results come in the order they are done. A worker's failure is not reported from the
    worker: the jobs not done yet are then run here, where the error is raised as a
    one-process render raises it (a template's error with its file and line)."""
    if workers > 1 and can_fork() and len(jobs) >= MIN_FILES_PER_WORKER * workers:
        shares = [jobs[i::workers] for i in range(workers)]
        done: set[str] = set()

        def work(share: Sequence[OutputJob], results: list[Any]) -> None:
            results.extend(_run_recording(share, graph))  # sent in batches as they come

        def receive(result: tuple[str, Output, tuple[Read, ...]]) -> None:
            done.add(result[0])
            made(result)

        try:
            run_forked(shares, work, receive)
            return
        except (WorkerFailed, BuildError) as error:
            log.info("rendering in one process: a worker failed (%s)", error)
            jobs = [job for job in jobs if job.path not in done]
    for result in _run_recording(jobs, graph):
        made(result)


def _run_recording(
    jobs: Iterable[OutputJob], graph: Graph
) -> Iterator[tuple[str, Output, tuple[Read, ...]]]:
    log_ = ReadLog()
    view = recording_view(graph, log_)
    for job in jobs:
        log_.reads = set()
        text = job.make(view)
        yield job.path, text, tuple(log_.reads)


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
        if not (isinstance(entry[0], str) and isinstance(entry[1], tuple)):
            return False
    # Every number into the table of reads, each checked once (files share most of them).
    try:
        used = set().union(*(numbers for _, numbers in files.values()))
    except TypeError:  # something unhashable among them
        return False
    return all(type(n) is int and 0 <= n < len(reads) for n in used)
