"""The engine kept warm for ``backstory serve``: after an edit it rebuilds only the pages that
were written, with the page steps every build uses (``pages.SiteEngine``)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from ...project import Project
from ..write import atomic_write
from . import internals
from .pages import SiteEngine

log = logging.getLogger(__name__)


class PreviewBuilder:
    """The engine kept warm for ``backstory serve``: the first build keeps the engine's files,
    navigation and template environment (a ``SiteEngine``), and each later update rebuilds only
    the pages that were written, adds the new ones and drops the removed ones, with the same
    page steps as every build (``pages``).

    Why: on an archive of a thousand stories the engine spends seconds listing files, checking
    which changed and rendering its theme's site-wide templates before it looks at a single
    changed page; an edit touches a handful of pages. This is for previews only: the search
    index is brought up to date for the pages rebuilt (with the theme's search plugin) and the
    sitemap when pages come or go; publishing runs a whole build (``publish``).

    With an engine other than the versions ``internals`` was tested with, every update is a
    full build, and the preview says so once.
    """

    def __init__(
        self,
        project: Project,
        site_dir: Path,
        serve_url: str,
        *,
        extra: dict[str, str] | None = None,
    ):
        self.project = project
        self.site_dir = site_dir
        self.serve_url = serve_url
        self.extra = dict(extra or {})
        """Values the preview's pages find in ``config.extra`` (the theme's preview script)."""
        self._engine: SiteEngine | None = None
        self._search: _SearchIndexWriter | None = None
        self.unsupported = internals.unsupported_engine()
        if self.unsupported:
            log.warning("the preview rebuilds the whole site after each edit: %s", self.unsupported)

    def build_everything(self) -> None:
        """A full build of the preview, keeping what the next update needs."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        if self._search is not None:
            self._search.cancel()
        self._engine = self._search = None
        config = load_config(
            config_file=str(self.project.config_file), site_dir=str(self.site_dir), strict=False
        )
        config.site_url = self.serve_url
        config.extra.update(self.extra)
        if self.unsupported:
            build(config, serve_url=self.serve_url)
            return
        engine = SiteEngine(config, serve_url=self.serve_url)
        engine.build_everything()
        self._engine, self._search = engine, _SearchIndexWriter(engine.config)

    def update(self, written: list[str], removed: list[str]) -> None:
        """Rebuild the pages at ``written`` (paths in the docs folder), add those that are new
        and drop the ``removed`` ones; a full build when there is no warm state."""
        engine, search = self._engine, self._search
        if engine is None or search is None:
            self.build_everything()
            return
        try:
            with search.lock:
                search.forget({_page_url(path, engine.config) for path in [*written, *removed]})
                pages = engine.update(written, removed)
        except BaseException:
            self._engine = None  # half-updated: the next change builds everything
            raise
        if pages or removed:
            search.write_soon()

    def write_search_index(self) -> None:
        """Write the search index now rather than half a second after the last update."""
        if self._search is not None:
            self._search.cancel()
            self._search.write()


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
        self.entries = internals.SearchEntries(config)
        self.path = Path(config.site_dir) / "search" / "search_index.json"
        self.lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def forget(self, page_urls: set[str]) -> None:
        """Drop the entries of these pages (their rebuild adds them again). Hold ``lock``."""
        self.entries.forget(page_urls)

    def write_soon(self) -> None:
        if not self.entries.usable:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer = threading.Timer(self.DELAY_SECONDS, self.write)
        self._timer.daemon = True
        self._timer.start()

    def write(self) -> None:
        """Write the index as it is now, atomically (a browser may be reading it)."""
        if not self.entries.usable:
            return
        with self.lock:
            snapshot = self.entries.snapshot()
        data = self.entries.generate(snapshot)
        try:
            atomic_write(self.path, data.encode("utf-8"))
        except OSError as error:  # the preview is shutting down and its folder is gone
            log.debug("search index not written: %s", error)

    def cancel(self) -> None:
        """Drop a pending write (a full build writes its own index)."""
        if self._timer is not None:
            self._timer.cancel()


def _page_url(path: str, config: Any) -> str:
    from mkdocs.structure.files import File

    return str(File(path, config.docs_dir, config.site_dir, config.use_directory_urls).url)
