"""The stages joined up: check (with the parse cache), render, write, the engine's build and the
reader's search index, swapped into place. The library API that the command line wraps."""

from __future__ import annotations

import calendar
import datetime as dt
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic
from ..facts.check import CheckResult, check_facts, without_cyclic_collection
from ..facts.graph import Graph
from ..facts.lint import LOOKING, Purpose
from ..facts.validate import ValidationMemo
from ..project import Project
from ..site.outputs import Output
from ..site.plan import SitePlan, plan_site, theme_files
from ..site.search import SEARCH_BUNDLE, search_records
from ..site.urls import SiteOptions
from .parse_cache import CACHE_FOLDER, ParseCache
from .write import WriteReport, remove_tree, write_tree

if TYPE_CHECKING:
    from ..site.multilingual import EditionPlan
    from .engine.publish import EngineEdition


def check_content(
    project: Project,
    *,
    include_drafts: bool = False,
    today: dt.date | None = None,
    use_cache: bool = True,
    need_graph: bool = True,
    cache: ParseCache | None = None,
    memo: ValidationMemo | None = None,
    purpose: Purpose = LOOKING,
) -> CheckResult:
    """Check a site's content (see ``facts.check.check_facts``) with the parse cache of its work
    folder (``use_cache``), or the ``cache`` a process that checks again and again keeps;
    ``purpose`` says whether the run publishes."""
    if cache is None:
        cache = ParseCache(project.work_dir / CACHE_FOLDER if use_cache else None)
    return check_facts(
        project.root,
        project.content_dir,
        include_drafts=include_drafts,
        today=today,
        cache=cache,
        need_graph=need_graph,
        memo=memo,
        timezone=project.timezone,
        language=project.language,
        purpose=purpose,
    )


@dataclass
class RenderedSite:
    """Every file of the docs folder, the graph they were rendered from, and the warnings;
    and every file of each edition in another language."""

    pages: dict[str, Output]
    graph: Graph
    warnings: list[Diagnostic]
    report: WriteReport | None = None
    editions: dict[str, dict[str, Output]] = field(default_factory=dict)
    plan: SitePlan | None = None


def render_site(
    project: Project,
    *,
    include_drafts: bool = False,
    strict: bool = False,
    purpose: Purpose = LOOKING,
) -> RenderedSite:
    """Check the content and render every file of the docs folder; raises ContentError on
    errors, and on warnings too when ``strict``."""
    with without_cyclic_collection():
        plan = plan_content(project, include_drafts=include_drafts, strict=strict, purpose=purpose)
        editions = {e.language: plan.run_edition(project, e) for e in plan.editions}
        return RenderedSite(plan.run(project), plan.graph, plan.warnings, None, editions, plan)


def plan_content(
    project: Project,
    *,
    include_drafts: bool = False,
    strict: bool = False,
    purpose: Purpose = LOOKING,
) -> SitePlan:
    """Check the content and plan every file of the docs folder (ContentError as render_site)."""
    checked = check_content(project, include_drafts=include_drafts, purpose=purpose)
    return plan_site(project, checked, strict=strict)


def write_site(
    project: Project,
    pages: Mapping[str, Output],
    editions: Mapping[str, Mapping[str, Output]] | None = None,
) -> WriteReport:
    """Write the pages into the docs folder, each edition's into its own, and the theme
    overrides beside them; a folder of an edition the site no longer has is removed."""
    write_tree(theme_files(), project.theme_dir)
    report = write_tree(pages, project.docs_dir)
    for language, files in (editions or {}).items():
        write_tree(files, project.edition_docs_dir(language))
    for folder in project.work_dir.glob("docs-*"):
        if folder.name.removeprefix("docs-") not in (editions or {}):
            remove_tree(folder)
    return report


def engine_edition(project: Project, edition: EditionPlan) -> EngineEdition:
    """How the engine builds an edition in another language (see ``engine.publish``)."""
    from ..site.multilingual import THEME_WORDS
    from .engine.publish import EngineEdition

    return EngineEdition(
        edition.language,
        project.edition_docs_dir(edition.language),
        edition.options.site_url,
        edition.nav,
        edition.options.name,
        edition.options.description,
        {words: edition.wording.gettext(words) for words in THEME_WORDS},
    )


def site_search_records(project: Project, plan: SitePlan) -> dict[str, str]:
    """The records of the facts that the reader's search finds at an anchor of a page, in
    every edition: an edition's under its folder (``es/``), in its language and words."""
    from ..site.multilingual import edition_wording

    options = SiteOptions.from_config(project.config)
    records = search_records(
        plan.graph, options.address, edition_wording(project, options.language)
    )
    for edition in plan.editions:
        found = search_records(edition.graph, edition.options.address, edition.wording)
        records.update({f"{edition.language}/{where}": html for where, html in found.items()})
    return records


def build_date_epoch(graph: Graph) -> int:
    """The build's timestamp, from the facts: midnight UTC of the newest story date."""
    dates = [s.updated or s.published for s in graph.stories.values()]
    newest = max(dates) if dates else dt.date(2000, 1, 1)
    return calendar.timegm(newest.timetuple())


def build(
    project: Project,
    *,
    include_drafts: bool = False,
    strict: bool = False,
    verbose: bool = False,
    allow_future: bool = False,
) -> RenderedSite:
    """Check, render, write and build the site into its site folder; raises on any error and
    then leaves the existing site untouched. A build publishes: unfinished work (a placeholder,
    a fact dated after tomorrow unless ``allow_future``) is an error."""
    from .engine.publish import build_into
    from .lock import build_lock
    from .search import index_site
    from .sitemaps import merge_sitemaps
    from .swap import recover_site, swap_into_place

    with build_lock(project.work_dir):
        purpose = Purpose(publishing=True, allow_future=allow_future)
        rendered = render_site(
            project, include_drafts=include_drafts, strict=strict, purpose=purpose
        )
        rendered.report = write_site(project, rendered.pages, rendered.editions)
        recover_site(project.site_dir, project.work_dir)
        staging = project.work_dir / "site-staging"
        epoch = build_date_epoch(rendered.graph)
        assert rendered.plan is not None
        not_found = rendered.plan.not_found
        try:
            build_into(
                project.config_file, staging, epoch=epoch, verbose=verbose, not_found=not_found
            )
            for edition in rendered.plan.editions:
                build_into(
                    project.config_file,
                    staging / edition.language,
                    epoch=epoch,
                    verbose=verbose,
                    edition=engine_edition(project, edition),
                    not_found=not_found,
                )
            if rendered.editions:
                merge_sitemaps(staging, sorted(rendered.editions))
            index_site(
                staging,
                staging / SEARCH_BUNDLE,
                site_search_records(project, rendered.plan),
                site_root=project.root,
            )
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        swap_into_place(staging, project.site_dir, project.work_dir)
    return rendered
