"""The stages joined up: check (with the parse cache), render, write, the engine's build and the
reader's search index, swapped into place. The library API that the command line wraps."""

from __future__ import annotations

import calendar
import datetime as dt
import shutil
from collections.abc import Mapping
from dataclasses import dataclass

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
from .write import WriteReport, write_tree


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
        purpose=purpose,
    )


@dataclass
class RenderedSite:
    """Every file of the docs folder, the graph they were rendered from, and the warnings."""

    pages: dict[str, Output]
    graph: Graph
    warnings: list[Diagnostic]
    report: WriteReport | None = None


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
        return RenderedSite(plan.run(project), plan.graph, plan.warnings)


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


def write_site(project: Project, pages: Mapping[str, Output]) -> WriteReport:
    """Write the pages into the docs folder and the theme overrides beside them."""
    write_tree(theme_files(), project.theme_dir)
    return write_tree(pages, project.docs_dir)


def site_search_records(project: Project, graph: Graph) -> dict[str, str]:
    """The records of the facts that the reader's search finds at an anchor of a page."""
    options = SiteOptions.from_config(project.config)
    return search_records(graph, options.address, options.language)


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
    from .swap import recover_site, swap_into_place

    with build_lock(project.work_dir):
        purpose = Purpose(publishing=True, allow_future=allow_future)
        rendered = render_site(
            project, include_drafts=include_drafts, strict=strict, purpose=purpose
        )
        rendered.report = write_site(project, rendered.pages)
        recover_site(project.site_dir, project.work_dir)
        staging = project.work_dir / "site-staging"
        build_into(
            project.config_file, staging, epoch=build_date_epoch(rendered.graph), verbose=verbose
        )
        try:
            index_site(
                staging,
                staging / SEARCH_BUNDLE,
                site_search_records(project, rendered.graph),
                site_root=project.root,
            )
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        swap_into_place(staging, project.site_dir, project.work_dir)
    return rendered
