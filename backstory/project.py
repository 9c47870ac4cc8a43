"""Where a site's parts live: its root, ``mkdocs.yml``, content, templates and output folders."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic
from .errors import ProjectError
from .facts.load import SettingsProblem, load_settings
from .facts.models import known_timezones

CONFIG_NAME = "mkdocs.yml"
WORK_FOLDER = ".backstory"
"""Generated, git-ignored working folder: the Markdown pages, the theme overrides, the cache."""


@dataclass(frozen=True)
class Project:
    """A site on disk."""

    root: Path
    config: dict[str, Any]

    @classmethod
    def open(cls, root: Path) -> Project:
        """Read the site whose ``mkdocs.yml`` is in ``root``."""
        root = root.resolve()
        config_file = root / CONFIG_NAME
        if not config_file.is_file():
            raise ProjectError(
                f"no {CONFIG_NAME} in {root}: run backstory in a site's root folder or pass --root"
            )
        try:
            config = load_settings(config_file.read_text(encoding="utf-8-sig"))
        except SettingsProblem as problem:
            diagnostic = Diagnostic(
                CONFIG_NAME, problem.line, problem.column, "error", problem.message
            )
            raise ProjectError(diagnostic.format(), diagnostic) from None
        if not isinstance(config, dict):
            raise ProjectError(f"{CONFIG_NAME}: expected a mapping of settings")
        project = cls(root, config)
        if project.timezone not in known_timezones():
            raise ProjectError(
                f"{CONFIG_NAME}: extra.backstory.timezone '{project.timezone}' is not a time zone; "
                "write an IANA name such as America/Denver"
            )
        return project

    @property
    def backstory_settings(self) -> dict[str, Any]:
        """Backstory's own settings: ``extra.backstory`` in ``mkdocs.yml``."""
        extra = self.config.get("extra")
        settings = extra.get("backstory") if isinstance(extra, dict) else None
        return settings if isinstance(settings, dict) else {}

    @property
    def language(self) -> str:
        """The language of the site's content and main edition (see ``site_language``)."""
        return site_language(self.config)

    @property
    def timezone(self) -> str:
        """The time zone of times the facts give without one (``extra.backstory.timezone``);
        UTC when unset."""
        return str(self.backstory_settings.get("timezone") or "UTC")

    @property
    def config_file(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def work_dir(self) -> Path:
        return self.root / WORK_FOLDER

    @property
    def docs_dir(self) -> Path:
        """The generated Markdown folder that ``mkdocs.yml``'s ``docs_dir`` points to."""
        return self.root / str(self.config.get("docs_dir") or f"{WORK_FOLDER}/docs")

    @property
    def theme_dir(self) -> Path:
        """The generated theme overrides folder (``theme.custom_dir`` in ``mkdocs.yml``)."""
        theme = self.config.get("theme")
        custom = theme.get("custom_dir") if isinstance(theme, dict) else None
        return self.root / str(custom or f"{WORK_FOLDER}/theme")

    def edition_docs_dir(self, language: str) -> Path:
        """The generated Markdown folder of the edition in ``language``."""
        return self.work_dir / f"docs-{language}"

    @property
    def site_dir(self) -> Path:
        return self.root / str(self.config.get("site_dir") or "site")


def site_language(config: dict[str, Any]) -> str:
    """The language of a site's content and main edition: ``mkdocs.yml``'s ``theme.language``,
    English when unset."""
    theme = config.get("theme")
    language = theme.get("language") if isinstance(theme, dict) else None
    return str(language or "en")
