"""The engine kept warm for ``backstory serve``: after an edit it rebuilds only the pages that
were written, with the engine's own per-page steps (see ``internals``)."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Any

from ...project import Project
from . import internals
from .publish import EngineEdition, configure

log = logging.getLogger(__name__)


class PreviewBuilder:
    """The engine kept warm for ``backstory serve``: the first build keeps the engine's files,
    navigation and template environment, and each later update rebuilds only the pages that
    were written, adds the new ones and drops the removed ones.

    Why: on an archive of a thousand stories the engine spends seconds listing files, checking
    which changed and rendering its theme's site-wide templates before it looks at a single
    changed page; an edit touches a handful of pages. This is for previews only: the sitemap is
    brought up to date when pages come or go (the reader's search is not the engine's: see
    ``build.search.PreviewSearch``); publishing always runs a full build (``publish``).

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
        edition: EngineEdition | None = None,
    ):
        self.project = project
        self.edition = edition
        """The edition in another language this builds, if not the main one."""
        self.site_dir = site_dir
        self.serve_url = serve_url
        self.extra = dict(extra or {})
        """Values the preview's pages find in ``config.extra`` (the theme's preview script)."""
        self._state: _EngineState | None = None
        self.unsupported = internals.unsupported_engine()
        if self.unsupported:
            log.warning("the preview rebuilds the whole site after each edit: %s", self.unsupported)

    def build_everything(self) -> None:
        """A full build of the preview, keeping what the next update needs."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        self._state = None
        overrides: dict[str, Any] = {}
        if self.edition is not None:
            overrides = {"docs_dir": str(self.edition.docs_dir), "nav": self.edition.nav}
        config = load_config(
            config_file=str(self.project.config_file),
            site_dir=str(self.site_dir),
            strict=False,
            **overrides,
        )
        configure(config, self.edition, [])
        config.site_url = self.serve_url
        config.extra.update(self.extra)
        keeper = _keeper_plugin()
        config.plugins["backstory/preview"] = keeper
        build(config, serve_url=self.serve_url)
        self._state = _EngineState(config, keeper.files, keeper.nav, keeper.env)

    def update(self, written: list[str], removed: list[str]) -> None:
        """Rebuild the pages at ``written`` (paths in the docs folder), add those that are new
        and drop the ``removed`` ones; a full build when there is no warm state."""
        if self._state is None or self.unsupported:
            self.build_everything()
            return
        try:
            self._state.update(written, removed)
        except BaseException:
            self._state = None  # half-updated: the next change builds everything
            raise


class _EngineState:
    """The engine's view of the preview between updates."""

    def __init__(self, config: Any, files: Any, nav: Any, env: Any):
        from mkdocs.structure.files import InclusionLevel

        self.config, self.files, self.nav, self.env = config, files, nav, env
        self.doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)

    def update(self, written: list[str], removed: list[str]) -> None:
        # The engine's own page steps (read and convert, then render through the theme): the
        # same functions its build runs for each page, so a preview page is built as a
        # published one is.
        from mkdocs.structure.files import InclusionLevel

        config, files = self.config, self.files
        structure_changed = self._remove(removed)
        pages, added = self._pages_of(written)
        structure_changed = structure_changed or added
        if structure_changed:
            self.doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for page in pages:
            internals.populate_page(page, config, files)
        for page in pages:
            internals.build_page(page, config, self.doc_files, self.nav, self.env)
        if structure_changed:
            internals.build_theme_templates(self.env, files, config, self.nav)

    def _remove(self, removed: list[str]) -> bool:
        """Drop the removed files and their output; whether any was known."""
        dropped = False
        for path in removed:
            file = self.files.get_file_from_path(path)
            if file is not None:
                self.files.remove(file)
                _remove_output(Path(file.abs_dest_path))
                dropped = True
        return dropped

    def _pages_of(self, written: list[str]) -> tuple[list[Any], bool]:
        """The pages to rebuild for the written files (other files are copied as they are), and
        whether any file is new."""
        from mkdocs.structure.files import File
        from mkdocs.structure.pages import Page

        config, pages, added = self.config, [], False
        for path in written:
            file = self.files.get_file_from_path(path)
            if file is None:
                file = File(path, config.docs_dir, config.site_dir, config.use_directory_urls)
                self.files.append(file)
                added = True
            if file.is_documentation_page():
                if file.page is None:
                    Page(None, file, config)
                pages.append(file.page)
            else:
                file.copy_file()
        return pages, added


def _keeper_plugin() -> Any:
    """A plugin that keeps the build's files, navigation and template environment."""
    from mkdocs.plugins import BasePlugin

    class Keeper(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
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


def _remove_output(target: Path) -> None:
    """Delete a page's built file, and its folder when that is left empty."""
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    with contextlib.suppress(OSError):
        target.parent.rmdir()
