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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def serve_site(project: Project, *, dev_addr: str, livereload: bool = True) -> None:
    """Preview the site with the engine's development server: it rebuilds when the generated
    pages change and reloads the browser.

    Why not the engine's own serve command: it polls the docs folder every half second, which
    alone costs a reader half a second per save and much CPU on a large archive. This server
    is the same, watching through the operating system's file events instead.

    Why dirty rebuilds: only the pages Backstory rewrote are rebuilt, which keeps a preview of a
    large archive fast. The search index of a dirty build is incomplete, so this is for previews
    only; publishing always runs a full build.
    """
    import tempfile
    from urllib.parse import urlsplit

    from mkdocs.commands.build import build
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
    # The engine warns about every dirty build; previews are not strict.
    settings: dict[str, Any] = {
        "config_file": str(project.config_file), "dev_addr": dev_addr, "strict": False
    }
    site_dir = tempfile.mkdtemp(prefix="backstory-preview-")
    config = load_config(site_dir=site_dir, **settings)
    host, port = config.dev_addr
    serve_url = _serve_url(host, port, urlsplit(config.site_url or "/").path)

    def builder(config: object = None) -> None:
        fresh = load_config(site_dir=site_dir, **settings)
        fresh.site_url = serve_url
        build(fresh, serve_url=serve_url, dirty=True)

    server = LiveReloadServer(
        builder=builder, host=host, port=port, root=site_dir,
        mount_path=urlsplit(config.site_url or "/").path,
    )
    server.observer = ChangeObserver()  # file events, not polling; reads are not changes
    try:
        config.site_url = serve_url
        build(config, serve_url=serve_url)
        if livereload:
            server.watch(config.docs_dir)
            server.watch(str(project.config_file))
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)
