"""The stages joined up: check (with the parse cache), render (with the render cache), write,
the engine's build (with the page cache and workers) and the reader's search index, swapped into
place. The library API that the command line wraps."""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import shutil
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic
from ..facts.check import CheckResult, check_facts, without_cyclic_collection
from ..facts.graph import Graph
from ..facts.lint import LOOKING, Purpose
from ..facts.validate import ValidationMemo
from ..project import Project
from ..site.outputs import Output
from ..site.plan import SitePlan, plan_site, site_template_errors, theme_files
from ..site.search import SEARCH_BUNDLE, search_records
from ..site.urls import SiteOptions
from .cache import CACHE_FOLDER
from .parse_cache import ParseCache
from .render_cache import RenderCache, RenderReport
from .write import TreeWriter, WriteReport, remove_tree, write_tree

if TYPE_CHECKING:
    from ..site.multilingual import EditionPlan
    from .engine.publish import EngineEdition
    from .engine.site_build import BuildReport

EDITIONS_CACHE = "editions"
"""The folder of the caches that holds each edition's page cache (``editions/es``)."""

log = logging.getLogger(__name__)


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
    and every file of each edition in another language. A build gives no files (``pages``
    and ``editions`` empty): they are in the docs folders once written, and let go then."""

    pages: dict[str, Output]
    graph: Graph
    warnings: list[Diagnostic]
    report: WriteReport | None = None
    editions: dict[str, dict[str, Output]] = field(default_factory=dict)
    plan: SitePlan | None = None
    rendering: RenderReport | None = None
    """What the render cache spared (a build only)."""
    engine: BuildReport | None = None
    """What the engine built and took from its page cache (a build only)."""
    seconds: dict[str, float] = field(default_factory=dict)
    """How long each stage of a build took."""


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
    use_cache: bool = True,
) -> SitePlan:
    """Check the content and plan every file of the docs folder (ContentError as render_site)."""
    checked = check_content(
        project, include_drafts=include_drafts, purpose=purpose, use_cache=use_cache
    )
    return plan_site(project, checked, strict=strict)


def write_site(
    project: Project,
    pages: Mapping[str, Output] | TreeWriter,
    editions: Mapping[str, Mapping[str, Output]] | None = None,
) -> WriteReport:
    """Write the pages into the docs folder (or finish the writer that a render wrote them
    with), each edition's into its own, and the theme overrides beside them; a folder of an
    edition the site no longer has is removed."""
    write_tree(theme_files(), project.theme_dir)
    if isinstance(pages, TreeWriter):
        report = pages.finish()
    else:
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
    use_cache: bool = True,
    jobs: int | None = None,
) -> RenderedSite:
    """Check, render, write and build the site into its site folder; raises on any error and
    then leaves the existing site untouched. A build publishes: unfinished work (a placeholder,
    a fact dated after tomorrow unless ``allow_future``) is an error.

    With ``use_cache`` the files and pages whose inputs did not change since the last build are
    taken from the caches in ``.backstory/cache`` (``render_cache``, ``page_cache``); without
    it the build starts from nothing and the caches are written anew. The engine's pages are
    shared among ``jobs`` worker processes (default: one per core).
    """
    from .engine.publish import build_into
    from .lock import build_lock
    from .search import index_site
    from .sitemaps import merge_sitemaps
    from .swap import recover_site, swap_into_place
    from .workers import available_cores, return_freed_memory

    seconds: dict[str, float] = {}
    with build_lock(project.work_dir):
        purpose = Purpose(publishing=True, allow_future=allow_future)
        with _timed(seconds, "check"):
            plan = plan_content(
                project,
                include_drafts=include_drafts,
                strict=strict,
                purpose=purpose,
                use_cache=use_cache,
            )
        # The render writes each file of the docs folder as it is made (see render_cache);
        # the write stage then removes what no longer belongs and writes the rest.
        with _timed(seconds, "render"), without_cyclic_collection():
            cache = RenderCache.of(project, include_drafts=include_drafts, use_cache=use_cache)
            docs = TreeWriter(project.docs_dir)
            with site_template_errors(project):
                rendering = cache.render(
                    plan.jobs, plan.graph, docs, workers=jobs or available_cores()
                )
            # An edition in another language is rendered whole (it is a fraction of the site).
            editions = {e.language: plan.run_edition(project, e) for e in plan.editions}
        with _timed(seconds, "write"):
            report = write_site(project, docs, editions)
            cache.save()
        # What the steps after the engine need of the facts, taken now; then the editions'
        # texts and the cache's tables are let go before the engine's workers are forked,
        # which would otherwise carry them too.
        languages = sorted(editions)
        with _timed(seconds, "search"):
            records = site_search_records(project, plan)
        epoch = build_date_epoch(plan.graph)
        del editions, cache
        return_freed_memory()
        rendered = RenderedSite({}, plan.graph, plan.warnings, report, {}, plan, rendering)
        recover_site(project.site_dir, project.work_dir)
        staging = project.work_dir / "site-staging"
        caches = project.work_dir / CACHE_FOLDER
        try:
            with _timed(seconds, "engine"):
                rendered.engine = build_into(
                    project.config_file,
                    staging,
                    epoch=epoch,
                    verbose=verbose,
                    cache_dir=caches,
                    read_cache=use_cache,
                    jobs=jobs or available_cores(),
                    not_found=plan.not_found,
                )
                for edition in plan.editions:
                    build_into(
                        project.config_file,
                        staging / edition.language,
                        epoch=epoch,
                        verbose=verbose,
                        cache_dir=caches / EDITIONS_CACHE / edition.language,
                        read_cache=use_cache,
                        jobs=jobs or available_cores(),
                        edition=engine_edition(project, edition),
                        not_found=plan.not_found,
                    )
                if languages:
                    merge_sitemaps(staging, languages)
            with _timed(seconds, "search"):
                return_freed_memory(collect=True)  # the engine's pages, before Pagefind runs
                index_site(staging, staging / SEARCH_BUNDLE, records, site_root=project.root)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        with _timed(seconds, "swap"):
            swap_into_place(staging, project.site_dir, project.work_dir)
    rendered.seconds = seconds
    return rendered


@contextmanager
def _timed(seconds: dict[str, float], stage: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        seconds[stage] = seconds.get(stage, 0.0) + time.perf_counter() - started


def stage_summary(rendered: RenderedSite) -> str:
    """One line saying what each stage of a build did and how long it took."""
    seconds = rendered.seconds
    own = sum(seconds.get(stage, 0.0) for stage in ("check", "render", "write"))
    parts = [f"own stages {own:.2f} s (check {seconds.get('check', 0):.2f} s"]
    if rendered.rendering is not None:
        rendering = rendered.rendering
        parts.append(
            f"render {seconds.get('render', 0):.2f} s: {len(rendering.rendered)} file(s) "
            f"rendered, {rendering.reused} from the cache"
        )
    parts.append(f"write {seconds.get('write', 0):.2f} s)")
    line = ", ".join(parts)
    if rendered.engine is not None:
        engine = rendered.engine
        how = f"{engine.workers} workers" if engine.workers else "one process"
        if engine.plain_engine:
            how = f"MkDocs' own build: {engine.plain_engine}"
        line += (
            f"; engine {seconds.get('engine', 0):.2f} s ({engine.built} page(s) built, "
            f"{engine.cached} from the cache; {how})"
        )
    if "search" in seconds:
        line += f"; search index {seconds['search']:.2f} s"
    if "swap" in seconds:
        line += f"; swap {seconds['swap']:.2f} s"
    return line
