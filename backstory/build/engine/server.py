"""The preview's development server: the engine's live-reload server, watching through the
operating system's file events, with the warm engine rebuilding what a refresh wrote."""

from __future__ import annotations

import json
import logging
import shutil
import signal
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from ...project import Project
from ..search import PreviewSearch
from ..write import atomic_write
from .publish import EngineEdition
from .warm import PreviewBuilder

log = logging.getLogger(__name__)

PROBLEMS_FILE = ".backstory-preview-problems.json"
"""The file of the preview's site folder that lists what is wrong with the content, which a few
lines of script in the theme (``main.html``) show on every page. Hidden: the engine's build
leaves hidden files alone, and a published site never has it."""


class DocsChanges(Protocol):
    """What a refresh of the docs folder did (``preview.session.Refresh`` is one)."""

    written: list[str]
    removed: list[str]
    everything: bool
    problems: list[str]
    """Why the refresh was refused (``path:line:col: error: message`` lines), nothing
    written; empty when the content is good."""

    @property
    def editions(self) -> Sequence[EditionChanges]:
        """The same for each edition in another language."""


class EditionChanges(Protocol):
    """What a refresh did to an edition in another language (``preview.session.EditionRefresh``)."""

    language: str
    written: list[str]
    removed: list[str]
    everything: bool
    engine: EngineEdition | None
    """How to build the edition; None when the site no longer has it."""


def serve_site(
    project: Project,
    *,
    dev_addr: str,
    refresh: Callable[[], DocsChanges],
    watched: list[Path],
    first: DocsChanges | None = None,
    unreloaded: bytes | None = None,
    search_records: Callable[[], Mapping[str, str]] | None = None,
) -> None:
    """Preview the site with the engine's development server. When a file under ``watched``
    changes, ``refresh`` brings the docs folder up to date (or refuses, with the problems: the
    last good pages stay), the warm engine rebuilds the pages it wrote, and the browser reloads;
    every page then shows the problems, if any, in a banner. ``first`` is the refresh that
    came before the server started. Pages that hold ``unreloaded`` get no reload script. Each
    edition in another language is previewed in its folder (``/es/``) by a warm engine of its
    own. The reader's search is indexed again a moment after each rebuild, with
    ``search_records`` (every edition's), off the path of the reload (see
    ``build.search.PreviewSearch``).

    Why not the engine's own serve command: it polls the docs folder every half second, then
    lists and checks every file of the site before it rebuilds a page; on a large archive that
    is seconds per edit. This server is the engine's, watching through the operating system's
    file events, with the warm builder above.
    """
    import tempfile
    from urllib.parse import urlsplit

    from mkdocs.config import load_config

    from .internals import live_reload_server, serve_url
    from .watch import ChangeObserver

    engine_log = logging.getLogger("mkdocs")
    if not engine_log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s - %(message)s"))
        engine_log.addHandler(handler)
        engine_log.setLevel(logging.INFO)
        engine_log.propagate = False
    config = load_config(config_file=str(project.config_file), dev_addr=dev_addr)
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    site_dir = Path(tempfile.mkdtemp(prefix="backstory-preview-"))
    status = _ProblemsFile(site_dir / PROBLEMS_FILE)
    extra = {"backstory_preview_status": mount_path.rstrip("/") + "/" + PROBLEMS_FILE}
    preview = PreviewBuilder(project, site_dir, serve_url(host, port, mount_path), extra=extra)
    editions = _EditionPreviews(project, site_dir, serve_url(host, port, mount_path), extra)
    search = PreviewSearch(site_dir, project.root)

    def index_search() -> None:
        if search_records is not None:
            search.index_soon(search_records())

    watching: set[Path] = set()

    def watch_what_exists() -> None:
        # The site's root, for folders that appear later (a new templates/ folder), and
        # every watched path that exists by now.
        for path in [project.root, *watched]:
            if path not in watching and path.exists():
                server.watch(str(path), recursive=path != project.root)
                watching.add(path)

    def rebuild() -> None:
        watch_what_exists()
        if _rebuild(preview, editions, status, refresh()):
            index_search()

    server = live_reload_server(
        unreloaded=unreloaded,
        builder=rebuild,
        host=host,
        port=port,
        root=str(site_dir),
        mount_path=mount_path,
    )
    server.observer = ChangeObserver()  # file events, not polling; reads are not changes
    try:
        preview.build_everything()
        editions.apply(first.editions if first is not None else [])
        status.write(first.problems if first is not None else [])
        index_search()
        watch_what_exists()
        try:
            with _stopped_by_sigterm():
                server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        search.stop()
        shutil.rmtree(site_dir, ignore_errors=True)


@contextmanager
def _stopped_by_sigterm() -> Iterator[None]:
    """SIGTERM (a service manager, a CI runner or ``kill`` stopping the preview) stops it as
    Ctrl-C does, so that its temporary site folder is removed; without this Python dies at
    once and leaves the folder behind."""

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _EditionPreviews:
    """The warm engine of each edition in another language, each built into its folder of the
    preview (``/es/``), as a build publishes it."""

    def __init__(self, project: Project, site_dir: Path, url: str, extra: dict[str, str]):
        self.project, self.site_dir, self.url, self.extra = project, site_dir, url, extra
        self.builders: dict[str, PreviewBuilder] = {}

    def apply(self, changes: Sequence[EditionChanges]) -> None:
        for change in changes:
            folder = self.site_dir / change.language
            if change.engine is None:  # the site no longer has this edition
                self.builders.pop(change.language, None)
                shutil.rmtree(folder, ignore_errors=True)
                continue
            builder = self.builders.get(change.language)
            if builder is None or change.everything:
                builder = PreviewBuilder(
                    self.project,
                    folder,
                    self.url.rstrip("/") + f"/{change.language}/",
                    extra=self.extra,
                    edition=change.engine,
                )
                self.builders[change.language] = builder
                builder.build_everything()
            else:
                builder.update(change.written, change.removed)


def _rebuild(
    preview: PreviewBuilder, editions: _EditionPreviews, status: _ProblemsFile, changes: DocsChanges
) -> bool:
    """Rebuild what a refresh changed, in every edition, and show its problems, if any; whether
    any page was rebuilt. A refused refresh or a failure of the engine keeps the last good
    pages."""
    from mkdocs.exceptions import MkDocsException

    if changes.problems:
        status.write(changes.problems)  # before the browsers reload, which this return does
        return False
    try:
        if changes.everything:
            preview.build_everything()
        else:
            preview.update(changes.written, changes.removed)
        editions.apply(changes.editions)
    except MkDocsException as error:  # the engine's own settings, say; it logged the details
        message = f"the site engine refused the pages: {error}"
        log.error("%s; still serving the last good pages", message)
        status.write([f"error: {message}"])
        return False
    status.write([])
    return bool(
        changes.everything
        or changes.written
        or changes.removed
        or any(e.everything or e.written or e.removed or e.engine is None for e in changes.editions)
    )


class _ProblemsFile:
    """The preview's list of problems, rewritten only when it changes (atomically: a browser
    may be reading it)."""

    def __init__(self, path: Path):
        self.path = path
        self.shown: list[str] | None = None

    def write(self, problems: list[str]) -> None:
        if problems == self.shown and self.path.exists():
            return
        atomic_write(self.path, json.dumps({"problems": problems}, ensure_ascii=False).encode())
        self.shown = list(problems)
