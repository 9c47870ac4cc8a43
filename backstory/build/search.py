"""The reader's search: Pagefind run over a built site, writing its index into a fresh folder.

Pagefind (a static search index, https://pagefind.app) reads the built HTML and writes a bundle
that the browser loads in small pieces when a reader searches. The build runs it over the
staging folder before the swap, so a failed index fails the build and leaves the last good site;
the preview runs it a moment after the last edit, off the path of the browser's reload.

Why Pagefind 1.6 or newer: 1.5 (the newest on PyPI) writes its filter files, and the files that
name them, in a different order on every run once a site has filters or two languages (kind and
topic filters are on every page here), single-threaded too; 1.6.0 sorts them (upstream #1124),
and a build of the same commit is again the same bytes. Where the binary comes from, first
found: ``$PAGEFIND_BINARY_PATH`` (the variable Pagefind's own wrappers read), the site's
``node_modules`` (``npm ci`` with the site's ``package.json``), the ``pagefind_bin`` Python
package, then ``pagefind`` on the ``PATH``.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Mapping
from pathlib import Path

from ..errors import BuildError
from ..site.search import SEARCH_BUNDLE
from .write import write_files

log = logging.getLogger(__name__)

LOWEST_VERSION = (1, 6)
"""The oldest Pagefind whose output is the same bytes for the same site (see the docstring)."""
EXCLUDED_SELECTORS = (
    "h1, .headerlink, .bs-kind, .bs-cite, .bs-toc, "
    ".bs-quote, .bs-claim, .bs-figure, .bs-sources, .bs-sources-also, .bs-related, "
    ".bs-in-stories"
)
"""Page parts that are not indexed as the page's text. The title (h1) is searched as the
page's title all the same; permalink signs, citation markers, kind labels and the in-page table
of contents would fill excerpts; and each fact is indexed once, where it is shown as itself:
a quote, a claim or a figure in its own record (not on each page that shows it), a source in
the sources list, and another fact's name or title on its own page (not in the lists of
related facts on an actor's or an event's page). Why: a search for a quote's words gave it four
times, and on a large archive repeated lists make every common word's part of the index (which
a search downloads) several times larger."""
RECORD_GLOB = "**/{*.html,*#*}"
"""The pages, and the records of anchored facts (see ``site.search.search_records``): a record
is a file named by its location, ``actors/<id>/#quote-<id>``, which no page's name can be."""
BINARY_VARIABLE = "PAGEFIND_BINARY_PATH"
ENTRY_FILE = "pagefind-entry.json"
"""The bundle's entry point, which names its other files (read first by the browser)."""
_VERSION = re.compile(r"pagefind(?:_extended)? (\d+)\.(\d+)\.(\d+)")


def find_pagefind(site_root: Path) -> Path:
    """The Pagefind executable to run for the site in ``site_root``; raises BuildError, saying
    how to install it, when none of at least ``LOWEST_VERSION`` is found."""
    too_old = []
    for candidate in _candidates(site_root):
        version = _version_of(str(candidate))
        if version is not None and version[:2] >= LOWEST_VERSION:
            return candidate
        too_old.append(f"{candidate} ({'.'.join(map(str, version)) if version else 'no version'})")
    wanted = ".".join(map(str, LOWEST_VERSION))
    found = f"; found only {', '.join(too_old)}" if too_old else ""
    raise BuildError(
        f"the reader's search needs Pagefind {wanted} or newer{found}: run 'npm ci' in the "
        f"site's folder where its package.json pins Pagefind (or 'npm install pagefind@{wanted}' "
        f"there), or set {BINARY_VARIABLE} to a Pagefind executable"
    )


def _candidates(site_root: Path) -> list[Path]:
    found: list[Path] = []
    configured = os.environ.get(BINARY_VARIABLE)
    if configured:
        found.append(Path(configured))
    for folder in [site_root, *site_root.parents]:
        platform_binaries = sorted((folder / "node_modules" / "@pagefind").glob("*/bin/pagefind*"))
        found += [p for p in platform_binaries if p.suffix in ("", ".exe") and _runnable(p)]
        if (folder / "node_modules").is_dir():
            break
    try:
        from pagefind_bin import get_executable

        found.append(Path(get_executable()))
    except (ImportError, OSError):
        pass
    for name in ("pagefind", "pagefind_extended"):
        on_path = shutil.which(name)
        if on_path:
            found.append(Path(on_path))
    return found


def _runnable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


@functools.lru_cache(maxsize=16)
def _version_of(executable: str) -> tuple[int, int, int] | None:
    try:
        done = subprocess.run(
            [executable, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = _VERSION.search(done.stdout)
    return (int(match[1]), int(match[2]), int(match[3])) if match else None


def index_site(
    site_dir: Path,
    bundle_dir: Path,
    records: Mapping[str, str],
    *,
    site_root: Path,
    background: bool = False,
) -> None:
    """Index the built site in ``site_dir`` and the ``records`` (location -> HTML text) into
    ``bundle_dir``, which must not exist: Pagefind never deletes a file it wrote before, so an
    index always goes into a fresh folder. Raises BuildError when Pagefind fails.

    ``background`` (the preview): Pagefind runs on one core at a low priority, so that the
    pages an editor saves meanwhile are not slowed down by it."""
    if bundle_dir.exists():
        raise BuildError(f"{bundle_dir} exists; the search index is written into a new folder")
    executable = find_pagefind(site_root)
    written = write_files(dict(records), site_dir)
    try:
        nice = shutil.which("nice") if background else None
        done = subprocess.run(
            [
                *([nice, "-n", "10"] if nice else []),
                str(executable),
                "--site",
                str(site_dir),
                "--output-path",
                str(bundle_dir),
                "--glob",
                RECORD_GLOB,
                "--exclude-selectors",
                EXCLUDED_SELECTORS,
                "--quiet",
            ],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "RAYON_NUM_THREADS": "1"} if background else None,
        )
    finally:
        for path in written:
            path.unlink(missing_ok=True)
    problem = _bundle_problem(bundle_dir) if done.returncode == 0 else None
    if done.returncode != 0 or problem:
        shutil.rmtree(bundle_dir, ignore_errors=True)
        details = (done.stderr or done.stdout).strip().splitlines()[-20:]
        raise BuildError(
            "the search index could not be built"
            + (f": {problem}" if problem else f" (Pagefind exited with {done.returncode})")
            + "".join(f"\n  {line}" for line in details)
        )


def _bundle_problem(bundle_dir: Path) -> str | None:
    """What is wrong with a bundle Pagefind said it wrote, or None."""
    entry = bundle_dir / ENTRY_FILE
    try:
        languages = json.loads(entry.read_text(encoding="utf-8")).get("languages")
    except (OSError, ValueError, AttributeError):
        return f"{entry.name} is missing or unreadable"
    if not languages:
        return "no page was indexed (no page is marked data-pagefind-body)"
    empty = [p.name for p in bundle_dir.rglob("*") if p.is_file() and p.stat().st_size == 0]
    return f"empty files: {', '.join(sorted(empty)[:5])}" if empty else None


class PreviewSearch:
    """The preview's search index, brought up to date a moment after the last edit.

    Pagefind reads every page each time (a second or so for a small site; for an archive of a
    thousand stories about 20 s on two cores, a minute on the one core at low priority that the
    preview gives it), so it runs on a thread of its own after
    ``DELAY_SECONDS`` without an update, into a new folder whose files then join the served
    bundle (``merge_bundle``): a reader's search keeps answering from the previous index
    meanwhile. An update during a run starts another run after it. A failed run is logged and
    the last index stays.
    """

    DELAY_SECONDS = 0.3

    def __init__(self, site_dir: Path, site_root: Path):
        self.site_dir = site_dir
        self.site_root = site_root
        self._lock = threading.Lock()
        self._records: Mapping[str, str] = {}
        self._timer: threading.Timer | None = None
        self._running = False
        self._again = False
        self._stopped = False
        self.runs = 0
        """How many indexes were swapped in (for tests)."""

    def index_soon(self, records: Mapping[str, str]) -> None:
        """Index the site ``DELAY_SECONDS`` after the last call, with these records."""
        with self._lock:
            self._records = records
            if self._stopped:
                return
            if self._running:
                self._again = True
                return
            self._start_timer()

    def index_now(self, records: Mapping[str, str]) -> None:
        """Index the site now, on this thread (the preview's first build)."""
        with self._lock:
            self._records = records
        self._run()

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            if self._timer is not None:
                self._timer.cancel()

    def _start_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = threading.Timer(self.DELAY_SECONDS, self._run)
        self._timer.daemon = True
        self._timer.start()

    def _run(self) -> None:
        with self._lock:
            if self._stopped:
                return
            self._running, self._again = True, False
            records = self._records
        try:
            self._index(records)
        except (BuildError, OSError) as error:
            log.error("search index not updated: %s", error)
        finally:
            with self._lock:
                self._running = False
                if self._again and not self._stopped:
                    self._start_timer()

    def _index(self, records: Mapping[str, str]) -> None:
        fresh = self.site_dir.parent / f"{self.site_dir.name}-search-{os.getpid()}"
        shutil.rmtree(fresh, ignore_errors=True)
        index_site(self.site_dir, fresh, records, site_root=self.site_root, background=True)
        merge_bundle(fresh, self.site_dir / SEARCH_BUNDLE)
        self.runs += 1


def merge_bundle(fresh: Path, served: Path) -> None:
    """Bring the served bundle up to date with ``fresh`` (then removed), file by file, each
    replaced atomically, ``pagefind-entry.json`` (which names the rest) last.

    Why not swap the folders: a reader whose browser read the previous index a moment ago
    fetches its parts next, and they must still be there. The index's parts are named by their
    content, so the new ones never overwrite the old; the old ones stay until the preview ends.
    """
    if not served.exists():
        os.replace(fresh, served)
        return
    files = sorted(p for p in fresh.rglob("*") if p.is_file())
    files.sort(key=lambda p: p.name == ENTRY_FILE)
    for path in files:
        target = served / path.relative_to(fresh)
        if target.is_file() and target.read_bytes() == path.read_bytes():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
    shutil.rmtree(fresh, ignore_errors=True)
