"""The engine kept warm for ``backstory serve``: after an edit it rebuilds only the pages that
were written, with the page steps every build uses (``pages.SiteEngine``)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ...project import Project
from . import internals
from .pages import SiteEngine
from .publish import EngineEdition, configure

log = logging.getLogger(__name__)


class PreviewBuilder:
    """The engine kept warm for ``backstory serve``: the first build keeps the engine's files,
    navigation and template environment (a ``SiteEngine``), and each later update rebuilds only
    the pages that were written, adds the new ones and drops the removed ones, with the same
    page steps as every build (``pages``).

    Why: on an archive of a thousand stories the engine spends seconds listing files, checking
    which changed and rendering its theme's site-wide templates before it looks at a single
    changed page; an edit touches a handful of pages. This is for previews only: the sitemap is
    brought up to date when pages come or go (the reader's search is not the engine's: see
    ``build.search.PreviewSearch``); publishing runs a whole build (``publish``).

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
        self._engine: SiteEngine | None = None
        self.unsupported = internals.unsupported_engine()
        if self.unsupported:
            log.warning("the preview rebuilds the whole site after each edit: %s", self.unsupported)

    def build_everything(self) -> None:
        """A full build of the preview, keeping what the next update needs."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        self._engine = None
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
        if self.unsupported:
            build(config, serve_url=self.serve_url)
            return
        engine = SiteEngine(config, serve_url=self.serve_url)
        engine.build_everything()
        self._engine = engine

    def update(self, written: list[str], removed: list[str]) -> None:
        """Rebuild the pages at ``written`` (paths in the docs folder), add those that are new
        and drop the ``removed`` ones; a full build when there is no warm state."""
        engine = self._engine
        if engine is None:
            self.build_everything()
            return
        try:
            engine.update(written, removed)
        except BaseException:
            self._engine = None  # half-updated: the next change builds everything
            raise
