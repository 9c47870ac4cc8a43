"""The preview's development server: the engine's live-reload server, watching through the
operating system's file events, with the warm engine rebuilding what a refresh wrote."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

from ...project import Project
from ..search import PreviewSearch
from .warm import PreviewBuilder

log = logging.getLogger(__name__)


class DocsChanges(Protocol):
    """What a refresh of the docs folder did (``preview.session.Refresh`` is one)."""

    written: list[str]
    removed: list[str]
    everything: bool


def serve_site(
    project: Project,
    *,
    dev_addr: str,
    refresh: Callable[[], DocsChanges | None],
    watched: list[Path],
    search_records: Callable[[], Mapping[str, str]],
) -> None:
    """Preview the site with the engine's development server. When a file under ``watched``
    changes, ``refresh`` brings the docs folder up to date (None: the content has errors, keep
    the last good pages), the warm engine rebuilds the pages it wrote, and the browser reloads;
    the reader's search is indexed again a moment later, with ``search_records``, off the path
    of the reload (see ``build.search.PreviewSearch``).

    Why not the engine's own serve command: it polls the docs folder every half second, then
    lists and checks every file of the site before it rebuilds a page; on a large archive that
    is seconds per edit. This server is the engine's, watching through the operating system's
    file events, with the warm builder above.
    """
    import tempfile
    from urllib.parse import urlsplit

    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer

    from .internals import serve_url
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
    preview = PreviewBuilder(project, site_dir, serve_url(host, port, mount_path))
    search = PreviewSearch(site_dir, project.root)

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
        changes = refresh()
        if changes is not None and _rebuild(preview, changes):
            search.index_soon(search_records())

    server = LiveReloadServer(
        builder=rebuild, host=host, port=port, root=str(site_dir), mount_path=mount_path
    )
    server.observer = ChangeObserver()  # file events, not polling; reads are not changes
    try:
        preview.build_everything()
        search.index_soon(search_records())
        watch_what_exists()
        try:
            server.serve()  # type: ignore[no-untyped-call]
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        search.stop()
        shutil.rmtree(site_dir, ignore_errors=True)


def _rebuild(preview: PreviewBuilder, changes: DocsChanges) -> bool:
    """Rebuild what a refresh changed; whether any page did. A failure of the engine keeps the
    last good pages."""
    from mkdocs.exceptions import MkDocsException

    try:
        if changes.everything:
            preview.build_everything()
        else:
            preview.update(changes.written, changes.removed)
    except MkDocsException as error:  # the engine's own settings, say; it logged the details
        log.error("the site engine refused the pages: %s; still serving the last good pages", error)
        return False
    return bool(changes.everything or changes.written or changes.removed)
