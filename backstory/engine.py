"""Engine stage: the only module that imports MkDocs. It builds the generated pages into a
temporary folder and swaps the result into place only when the build succeeded, so a failed
build leaves the last good site exactly as it was."""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

from .diagnostics import BuildError
from .project import Project

log = logging.getLogger(__name__)


class _Collect(logging.Handler):
    """Keeps the engine's warnings and errors so they can be reported as build errors."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _engine_logging(verbose: bool) -> Iterator[_Collect]:
    engine_log = logging.getLogger("mkdocs")
    collector = _Collect()
    saved = (engine_log.handlers[:], engine_log.propagate, engine_log.level)
    engine_log.handlers = [collector]
    engine_log.propagate = verbose
    engine_log.setLevel(logging.DEBUG if verbose else logging.INFO)
    try:
        yield collector
    finally:
        engine_log.handlers, engine_log.propagate, _ = saved
        engine_log.setLevel(saved[2])


@contextlib.contextmanager
def _build_date(epoch: int | None) -> Iterator[None]:
    """Pins the engine's notion of "now" (SOURCE_DATE_EPOCH), so output never depends on the clock."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def build_site(project: Project, *, epoch: int | None = None, verbose: bool = False) -> Path:
    """Build the site strictly into a temporary folder, then swap it into the site folder."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, MkDocsException

    project.work_dir.mkdir(parents=True, exist_ok=True)
    recover_site(project.site_dir, project.work_dir)
    staging = project.work_dir / "site-staging"
    shutil.rmtree(staging, ignore_errors=True)
    with _engine_logging(verbose) as collector, _build_date(epoch):
        try:
            config = load_config(
                config_file=str(project.config_file), site_dir=str(staging), strict=True
            )
            build(config)
        except (Abort, ConfigurationError, MkDocsException) as error:
            shutil.rmtree(staging, ignore_errors=True)
            details = collector.messages or [str(error)]
            raise BuildError(
                "the site engine refused the pages:\n" + "\n".join(f"  {m}" for m in details)
            ) from None
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    _swap_into_place(staging, project.site_dir, project.work_dir)
    return project.site_dir


_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two directories in one atomic step (Linux renameat2); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), _RENAME_EXCHANGE)
    return result == 0


def _swap_into_place(staging: Path, site_dir: Path, work_dir: Path) -> None:
    """Replace ``site_dir`` with ``staging``, never by copying over it.

    Why an exchange: a build killed at any moment must leave the old site or the new one, never
    a mix or nothing. Where the atomic exchange is unavailable, two renames are used and a
    build that was killed between them is repaired by the next one (see recover_site).
    """
    retired = work_dir / "site-retired"
    shutil.rmtree(retired, ignore_errors=True)
    if site_dir.exists() and _exchange(staging, site_dir):
        shutil.rmtree(staging, ignore_errors=True)
        return
    if site_dir.exists():
        os.replace(site_dir, retired)
    os.replace(staging, site_dir)
    shutil.rmtree(retired, ignore_errors=True)


def recover_site(site_dir: Path, work_dir: Path) -> None:
    """Put the last good site back if a build was killed between its two renames."""
    retired = work_dir / "site-retired"
    if not site_dir.exists() and retired.is_dir():
        os.replace(retired, site_dir)


class BuildLocked(BuildError):
    """Another build of the same site is running."""


@contextlib.contextmanager
def build_lock(work_dir: Path) -> Iterator[None]:
    """Hold the site's build lock, or fail at once with a clear message when it is taken."""
    work_dir.mkdir(parents=True, exist_ok=True)
    lock_path = work_dir / "build.lock"
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildLocked(
                f"another build of this site is running ({holder}); wait for it to finish"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


class PreviewBuilder:
    """The engine kept warm for ``backstory serve``: the first build keeps the engine's files,
    navigation and template environment, and each later update rebuilds only the pages that
    were written, adds the new ones and drops the removed ones.

    Why: on an archive of a thousand stories the engine spends seconds listing files, checking
    which changed and rendering its theme's site-wide templates before it looks at a single
    changed page; an edit touches a handful of pages. This is for previews only: the search
    index is brought up to date for the pages rebuilt (with the theme's search plugin) and the
    sitemap when pages come or go; publishing always runs a full build (``build_site``).
    """

    def __init__(self, project: Project, site_dir: Path, serve_url: str):
        self.project = project
        self.site_dir = site_dir
        self.serve_url = serve_url
        self._state: _EngineState | None = None

    def build_everything(self) -> None:
        """A full build of the preview, keeping what the next update needs."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        if self._state is not None:
            self._state.search.cancel()
        self._state = None
        config = load_config(
            config_file=str(self.project.config_file), site_dir=str(self.site_dir), strict=False
        )
        config.site_url = self.serve_url
        keeper = _keeper_plugin()
        config.plugins["backstory/preview"] = keeper
        build(config, serve_url=self.serve_url)
        self._state = _EngineState(config, keeper.files, keeper.nav, keeper.env)

    def update(self, written: list[str], removed: list[str]) -> None:
        """Rebuild the pages at ``written`` (paths in the docs folder), add those that are new
        and drop the ``removed`` ones; a full build when there is no warm state."""
        if self._state is None:
            self.build_everything()
            return
        try:
            self._state.update(written, removed)
        except BaseException:
            self._state = None  # half-updated: the next change builds everything
            raise

    def write_search_index(self) -> None:
        """Write the search index now rather than half a second after the last update."""
        if self._state is not None:
            self._state.search.cancel()
            self._state.search.write()


class _EngineState:
    """The engine's view of the preview between updates."""

    def __init__(self, config: Any, files: Any, nav: Any, env: Any):
        from mkdocs.structure.files import InclusionLevel

        self.config, self.files, self.nav, self.env = config, files, nav, env
        self.doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        self.search = _SearchIndexWriter(config)

    def update(self, written: list[str], removed: list[str]) -> None:
        # The engine's own page steps (read and convert, then render through the theme): the
        # same functions its build runs for each page, so a preview page is built as a
        # published one is.
        from mkdocs.commands.build import _build_page, _build_theme_template, _populate_page
        from mkdocs.structure.files import File, InclusionLevel
        from mkdocs.structure.pages import Page

        config, files = self.config, self.files
        structure_changed = False
        with self.search.lock:
            for path in removed:
                file = files.get_file_from_path(path)
                if file is not None:
                    files.remove(file)
                    _remove_output(Path(file.abs_dest_path))
                    structure_changed = True
            pages = []
            for path in written:
                file = files.get_file_from_path(path)
                if file is None:
                    file = File(path, config.docs_dir, config.site_dir, config.use_directory_urls)
                    files.append(file)
                    structure_changed = True
                if file.is_documentation_page():
                    if file.page is None:
                        Page(None, file, config)
                    pages.append(file.page)
                else:
                    file.copy_file()
            if structure_changed:
                self.doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
            self.search.forget({page.url for page in pages} | {_page_url(p, config) for p in removed})
            for page in pages:
                _populate_page(page, config, files)
            for page in pages:
                _build_page(page, config, self.doc_files, self.nav, self.env)
            if structure_changed:
                for template in config.theme.static_templates:
                    _build_theme_template(template, self.env, files, config, self.nav)
        if pages or removed:
            self.search.write_soon()


class _SearchIndexWriter:
    """Keeps the preview's search index current without making the reader wait for it.

    The theme's search plugin collects an entry per section of each page it builds; an update
    drops the entries of the pages it rebuilds or removes, and the index file is written half a
    second after the last update, off the path of the browser's reload: writing the index of a
    large archive takes longer than rebuilding a page. Without the theme's plugin (or should
    its internals change) the preview's search index stays as the first build wrote it.
    """

    DELAY_SECONDS = 0.5

    def __init__(self, config: Any):
        import threading

        plugin = config.plugins.get("material/search")
        index = getattr(plugin, "search_index", None)
        usable = isinstance(getattr(index, "entries", None), list)
        self.index = index if usable else None
        self.path = Path(config.site_dir) / "search" / "search_index.json"
        self.lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def forget(self, page_urls: set[str]) -> None:
        """Drop the entries of these pages (their rebuild adds them again). Hold ``lock``."""
        if self.index is not None and page_urls:
            self.index.entries = [
                entry for entry in self.index.entries
                if entry["location"].partition("#")[0] not in page_urls
            ]

    def write_soon(self) -> None:
        import threading

        if self.index is None:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer = threading.Timer(self.DELAY_SECONDS, self.write)
        self._timer.daemon = True
        self._timer.start()

    def write(self) -> None:
        """Write the index as it is now, atomically (a browser may be reading it)."""
        import copy

        if self.index is None:
            return
        with self.lock:
            snapshot = copy.copy(self.index)
            snapshot.entries = list(self.index.entries)
        data = snapshot.generate_search_index(None)
        temporary = self.path.with_name(f".{self.path.name}.tmp")
        try:
            temporary.write_text(data, encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError as error:  # the preview is shutting down and its folder is gone
            log.debug("search index not written: %s", error)

    def cancel(self) -> None:
        """Drop a pending write (a full build writes its own index)."""
        if self._timer is not None:
            self._timer.cancel()


def _keeper_plugin() -> Any:
    """A plugin that keeps the build's files, navigation and template environment."""
    from mkdocs.plugins import BasePlugin

    class Keeper(BasePlugin):  # type: ignore[type-arg]
        files: Any = None
        nav: Any = None
        env: Any = None

        def on_nav(self, nav: Any, *, config: Any, files: Any) -> Any:
            self.nav, self.files = nav, files
            return nav

        def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
            self.env = env
            return env

    return Keeper()


def _page_url(path: str, config: Any) -> str:
    from mkdocs.structure.files import File

    return str(File(path, config.docs_dir, config.site_dir, config.use_directory_urls).url)


def _remove_output(target: Path) -> None:
    """Delete a page's built file, and its folder when that is left empty."""
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    with contextlib.suppress(OSError):
        target.parent.rmdir()


class DocsChanges(Protocol):
    """What a refresh of the docs folder did (``preview.Refresh`` is one)."""

    written: list[str]
    removed: list[str]
    everything: bool


def serve_site(
    project: Project,
    *,
    dev_addr: str,
    refresh: Callable[[], DocsChanges | None],
    watched: list[Path],
) -> None:
    """Preview the site with the engine's development server. When a file under ``watched``
    changes, ``refresh`` brings the docs folder up to date (None: the content has errors, keep
    the last good pages), the warm engine rebuilds the pages it wrote, and the browser reloads.

    Why not the engine's own serve command: it polls the docs folder every half second, then
    lists and checks every file of the site before it rebuilds a page; on a large archive that
    is seconds per edit. This server is the engine's, watching through the operating system's
    file events, with the warm builder above.
    """
    import tempfile
    from urllib.parse import urlsplit

    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer, _serve_url

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
    preview = PreviewBuilder(project, site_dir, _serve_url(host, port, mount_path))

    watching: set[Path] = set()

    def watch_what_exists() -> None:
        # The site's root, for folders that appear later (a new templates/ folder), and
        # every watched path that exists by now.
        for path in [project.root, *watched]:
            if path not in watching and path.exists():
                server.watch(str(path), recursive=path != project.root)
                watching.add(path)

    def rebuild() -> None:
        from mkdocs.exceptions import MkDocsException

        watch_what_exists()
        changes = refresh()
        if changes is None:
            return
        try:
            if changes.everything:
                preview.build_everything()
            else:
                preview.update(changes.written, changes.removed)
        except MkDocsException as error:  # the engine's own settings, say; it logged the details
            log.error("the site engine refused the pages: %s; still serving the last good pages", error)

    server = LiveReloadServer(
        builder=rebuild, host=host, port=port, root=str(site_dir), mount_path=mount_path
    )
    server.observer = ChangeObserver()  # file events, not polling; reads are not changes
    try:
        preview.build_everything()
        watch_what_exists()
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)
