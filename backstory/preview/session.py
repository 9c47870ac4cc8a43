"""Preview session: keeps a site's parsed facts, validations, graph and generated files in memory
between edits, so that after one edit only what it touches is done again.

Used by ``backstory serve``: each refresh checks the content (unchanged files are neither read
nor validated again), renders only the files whose inputs changed (see ``build/tracking.py``)
and writes only the files whose text changed. A change to the templates or to ``mkdocs.yml``
renders everything again. A build does the same across runs with its render cache
(``build/render_cache.py``).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..build.engine.publish import EngineEdition
from ..build.parse_cache import CACHE_FOLDER, ParseCache
from ..build.pipeline import check_content, engine_edition, site_search_records
from ..build.tracking import RenderedFiles, render_recorded
from ..build.write import remove_tree, write_changes, write_tree
from ..diagnostics import Diagnostic
from ..facts.check import without_cyclic_collection
from ..facts.validate import ValidationMemo
from ..project import Project
from ..site.plan import SitePlan, plan_site, site_template_errors, theme_files
from ..site.templates import make_environment


@dataclass
class Refresh:
    """What one refresh did: the docs files it wrote and removed, and the content's warnings."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    """The files rendered again (written or not)."""
    everything: bool = False
    """Every file was rendered: the first refresh, or the templates or settings changed."""
    warnings: list[Diagnostic] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Why a refresh was refused (the content's errors, as printed); nothing was written."""
    editions: list[EditionRefresh] = field(default_factory=list)
    """The same for each edition in another language, and for each one the site no longer has."""


@dataclass
class EditionRefresh:
    """What one refresh did to the docs folder of an edition in another language."""

    language: str
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    everything: bool = False
    """The edition is new, its navigation changed, or every file was rendered."""
    engine: EngineEdition | None = None
    """How the engine builds the edition; None when the site no longer has it."""


class PreviewSession:
    """One site's preview state: ``refresh()`` brings the docs folder up to date."""

    def __init__(self, root: Path, *, include_drafts: bool = False, cms_port: int | None = None):
        self.root = root
        self.include_drafts = include_drafts
        self.cms_port = cms_port
        """With a port, the docs hold the content manager's page for a local backend there."""
        self.project = Project.open(root)
        self.cache = ParseCache(self.project.work_dir / CACHE_FOLDER)
        self.memo: ValidationMemo = {}
        self.files: RenderedFiles | None = None
        self.edition_files: dict[str, RenderedFiles] = {}
        self.edition_navs: dict[str, list[Any]] = {}
        self.environment = make_environment(self.project.templates_dir)
        self._settings_stamp = ""
        self._plan: SitePlan | None = None
        self._records: dict[str, str] | None = None

    def refresh(self) -> Refresh:
        """Check, render and write what changed since the last refresh. Raises ContentError
        (and leaves the docs folder as it was) when the content has errors."""
        with without_cyclic_collection():
            return self._refresh()

    def _refresh(self) -> Refresh:
        stamp = self._settings()
        if stamp != self._settings_stamp:
            self.project = Project.open(self.root)  # mkdocs.yml may have changed
            self.environment = make_environment(self.project.templates_dir)
            self.files = None
        checked = check_content(
            self.project, include_drafts=self.include_drafts, cache=self.cache, memo=self.memo
        )
        plan = plan_site(
            self.project, checked, environment=self.environment, cms_port=self.cms_port
        )
        with site_template_errors(self.project):
            files, ran = render_recorded(plan.jobs, plan.graph, self.files)
        docs = self.project.docs_dir
        if self.files is None:
            write_tree(theme_files(), self.project.theme_dir)
            report = write_tree(files.texts, docs)
        else:
            before = self.files.texts
            changed = {p: files.texts[p] for p in ran if before.get(p) != files.texts[p]}
            report = write_changes(changed, [p for p in before if p not in files.texts], docs)
        refresh = Refresh(
            report.written,
            report.removed,
            ran,
            self.files is None,
            [d for d in plan.warnings if d.severity == "warning"],
        )
        refresh.editions = self._refresh_editions(plan, everything=self.files is None)
        self.files, self._settings_stamp = files, stamp
        self._plan, self._records = plan, None
        return refresh

    def _refresh_editions(self, plan: SitePlan, *, everything: bool) -> list[EditionRefresh]:
        """Render and write what changed in each edition's docs folder; drop the folders of
        editions the site no longer has."""
        done = []
        for edition in plan.editions:
            language = edition.language
            previous = None if everything else self.edition_files.get(language)
            with site_template_errors(self.project):
                files, ran = render_recorded(edition.jobs, edition.graph, previous)
            docs = self.project.edition_docs_dir(language)
            if previous is None:
                report = write_tree(files.texts, docs)
            else:
                before = previous.texts
                changed = {p: files.texts[p] for p in ran if before.get(p) != files.texts[p]}
                report = write_changes(changed, [p for p in before if p not in files.texts], docs)
            whole = previous is None or self.edition_navs.get(language) != edition.nav
            engine = engine_edition(self.project, edition)
            done.append(EditionRefresh(language, report.written, report.removed, whole, engine))
            self.edition_files[language] = files
            self.edition_navs[language] = edition.nav
        kept = {edition.language for edition in plan.editions}
        for language in sorted(set(self.edition_files) - kept):
            remove_tree(self.project.edition_docs_dir(language))
            del self.edition_files[language], self.edition_navs[language]
            done.append(EditionRefresh(language))
        return done

    def search_records(self) -> dict[str, str]:
        """The records of the anchored facts (quotes, claims, figures) that the reader's search
        indexes beside the pages of every edition, for the content as of the last good
        refresh."""
        if self._records is None:
            self._records = (
                site_search_records(self.project, self._plan) if self._plan is not None else {}
            )
        return self._records

    def _settings(self) -> str:
        """Identifies the inputs that change every file: the settings and the site's templates."""
        digest = hashlib.sha256()
        paths = [self.project.config_file]
        templates = self.project.templates_dir
        if templates.is_dir():
            paths += sorted(p for p in templates.rglob("*") if p.is_file())
        for path in paths:
            try:
                status = os.stat(path)
            except FileNotFoundError:
                continue
            digest.update(f"{path}:{status.st_size}:{status.st_mtime_ns}\n".encode())
        return digest.hexdigest()
