"""The stages joined up: check (load, validate, resolve), render, write and build. The library
API that the command line wraps."""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import gc
import hashlib
import logging
import traceback
from collections.abc import Iterator
from dataclasses import astuple, dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import jinja2

from . import __version__
from .cache import CACHE_FOLDER, ParseCache
from .diagnostics import ContentError, Diagnostic, errors_in
from .export import api_jobs
from .feeds import feed_jobs
from .lint import lint_facts
from .load import LoadedFile, load_content
from .outputs import OutputJob, fixed_text, run_jobs
from .project import Project
from .render import PERIOD_FOLDERS, RESERVED_PAGES, make_environment, page_jobs
from .resolve import Graph, check_references, resolve_graph
from .urls import SiteOptions
from .validate import ValidationMemo, validate_facts
from .write import WriteReport, write_tree

log = logging.getLogger(__name__)

STYLESHEET = "assets/backstory.css"
GENERATED_FOLDERS = ("stories", "actors", "events", "topics", "assets", "api", *PERIOD_FOLDERS)


@dataclass
class CheckResult:
    """The outcome of checking a site's content: its graph (when valid and asked for), every
    diagnostic, and how many valid facts each collection holds."""

    graph: Graph | None
    diagnostics: list[Diagnostic]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not errors_in(self.diagnostics)


def check_content(
    project: Project,
    *,
    include_drafts: bool = False,
    today: dt.date | None = None,
    use_cache: bool = True,
    need_graph: bool = True,
    cache: ParseCache | None = None,
    memo: ValidationMemo | None = None,
) -> CheckResult:
    """Load, validate and resolve every fact of the site, collecting all problems and warnings.

    ``today`` (the clock by default) only dates warnings; it never changes the pages. With
    ``use_cache`` unchanged files are not parsed again; when nothing changed at all and no
    graph is needed, the previous run's diagnostics are reused as they are. A process that
    checks again and again passes its own ``cache`` (kept in memory) and validation ``memo``.
    """
    if cache is None:
        cache = ParseCache(project.work_dir / CACHE_FOLDER if use_cache else None)
    with without_cyclic_collection():
        return _check_content(
            project, include_drafts, today or dt.date.today(), cache, need_graph, memo
        )


@contextlib.contextmanager
def without_cyclic_collection() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a stage allocates its many small objects.

    Why: each collection walks every live object, and a check or render of a large archive
    keeps hundreds of thousands alive, so collections cost a fifth of the work. The objects
    these stages create are freed by reference counting; the collector runs again at the end.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _check_content(
    project: Project,
    include_drafts: bool,
    today: dt.date,
    cache: ParseCache,
    need_graph: bool,
    memo: ValidationMemo | None,
) -> CheckResult:
    files, diagnostics = load_content(project.root, project.content_dir, cache=cache)
    cache.forget_missing({f.path for f in files})
    key = _inputs_key(files, include_drafts, today) if cache.enabled and not diagnostics else None
    if key is not None and not need_graph:
        stored = cache.result(key)
        if stored is not None:
            counts = dict(stored[0][1])
            return CheckResult(None, [Diagnostic(*row) for row in stored[1:]], counts)
    facts, problems = validate_facts(files, memo)
    diagnostics += problems
    # Files that exist but failed to load or validate: references to them are not errors again.
    valid = {fact.file.path for fact in facts}
    unavailable = {f.stem: f.collection for f in files if f.path not in valid}
    for diagnostic in diagnostics:
        folder, _, name = diagnostic.path.rpartition("/")
        if diagnostic.path not in valid:
            unavailable[name.rsplit(".", 1)[0]] = folder.rpartition("/")[2]
    graph: Graph | None = None
    if need_graph:
        graph, problems = resolve_graph(facts, include_drafts=include_drafts, unavailable=unavailable)
    else:
        _, problems = check_references(facts, unavailable=unavailable)
    diagnostics += problems
    diagnostics += lint_facts(facts, today=today)
    diagnostics.sort()
    counts = {c: sum(1 for f in facts if f.collection == c) for c in COUNTED}
    if key is not None:
        rows: list[tuple[object, ...]] = [("counts", tuple(counts.items()))]
        rows += [astuple(d) for d in diagnostics]
        cache.store_result(key, rows)
    cache.save()
    return CheckResult(graph if not errors_in(diagnostics) else None, diagnostics, counts)


COUNTED = ("stories", "events", "quotes", "actors", "sources")
"""The collections a check reports counts of (valid facts, drafts included)."""


def _inputs_key(files: list[LoadedFile], include_drafts: bool, today: dt.date) -> str:
    """Identifies a check's inputs: every file's content hash, the options and the date."""
    digest = hashlib.sha256(f"{__version__}|{include_drafts}|{today.isoformat()}".encode())
    for file in sorted(files, key=lambda f: f.path):
        digest.update(f"\n{file.path}:{file.digest}".encode())
    return digest.hexdigest()


def handwritten_pages(project: Project) -> tuple[dict[str, str], list[Diagnostic]]:
    """The site's own Markdown pages (``content/pages/*.md``), copied through unchanged."""
    folder = project.content_dir / "pages"
    pages: dict[str, str] = {}
    problems: list[Diagnostic] = []
    if not folder.is_dir():
        return pages, problems
    for path in sorted(folder.rglob("*.md")):
        relative = path.relative_to(folder).as_posix()
        shown = path.relative_to(project.root).as_posix()
        if relative in (*RESERVED_PAGES, "topics.md") or relative.split("/")[0] in GENERATED_FOLDERS:
            problems.append(
                Diagnostic(shown, 1, 1, "error", f"the page name '{relative}' is used by a generated page; rename the file")
            )
            continue
        try:
            pages[relative] = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            problems.append(Diagnostic(shown, 1, 1, "error", "the page is not UTF-8; save it as UTF-8"))
    return pages, problems


@dataclass
class RenderedSite:
    """Every file of the docs folder, the graph they were rendered from, and the warnings."""

    pages: dict[str, str]
    graph: Graph
    warnings: list[Diagnostic]
    report: WriteReport | None = None


def render_site(
    project: Project, *, include_drafts: bool = False, strict: bool = False
) -> RenderedSite:
    """Check the content and render every file of the docs folder; raises ContentError on
    errors, and on warnings too when ``strict``."""
    with without_cyclic_collection():
        return _render_site(project, include_drafts, strict)


def _render_site(project: Project, include_drafts: bool, strict: bool) -> RenderedSite:
    graph, jobs, diagnostics = plan_site(project, include_drafts=include_drafts, strict=strict)
    with site_template_errors(project):
        generated = run_jobs(jobs, graph)
    return RenderedSite(generated, graph, diagnostics)


def plan_site(
    project: Project,
    *,
    include_drafts: bool = False,
    strict: bool = False,
    cache: ParseCache | None = None,
    memo: ValidationMemo | None = None,
    environment: jinja2.Environment | None = None,
) -> tuple[Graph, list[OutputJob], list[Diagnostic]]:
    """Check the content and list a job for every file of the docs folder, with the content's
    diagnostics; raises ContentError on errors, and on warnings too when ``strict``."""
    result = check_content(project, include_drafts=include_drafts, cache=cache, memo=memo)
    pages, problems = handwritten_pages(project)
    diagnostics = sorted(result.diagnostics + problems)
    if not result.ok or problems or (strict and diagnostics):
        raise ContentError(diagnostics)
    assert result.graph is not None
    return result.graph, site_jobs(project, result.graph, pages, environment), diagnostics


def site_jobs(
    project: Project,
    graph: Graph,
    handwritten: dict[str, str],
    environment: jinja2.Environment | None = None,
) -> list[OutputJob]:
    """A job for every file of the docs folder: pages, feeds, the API and fixed files."""
    options = SiteOptions.from_config(project.config)
    jobs = page_jobs(graph, options, environment or make_environment(project.templates_dir))
    jobs += [fixed_text(path, text) for path, text in handwritten.items()]
    jobs += feed_jobs(options)
    jobs += api_jobs(graph, options)
    jobs.append(fixed_text("robots.txt", robots_txt(project.config.get("site_url"))))
    jobs.append(fixed_text(STYLESHEET, _package_text("assets", "backstory.css")))
    return jobs


@contextlib.contextmanager
def site_template_errors(project: Project) -> Iterator[None]:
    """Turn a fault in one of the site's own templates into a content error at its line; a
    fault in one of Backstory's own templates is a bug and is raised as it is."""
    try:
        yield
    except jinja2.TemplateError as error:
        problem = _template_problem(project, error)
        if problem is None:
            raise
        raise ContentError([problem]) from None


def robots_txt(site_url: str | None) -> str:
    """A robots.txt that welcomes crawlers and points them at the sitemap when the site's
    address is known."""
    lines = ["User-agent: *", "Allow: /"]
    if site_url:
        lines.append(f"Sitemap: {site_url.rstrip('/')}/sitemap.xml")
    return "\n".join(lines) + "\n"


def theme_files() -> dict[str, str]:
    """The theme overrides Backstory ships (fixes to the stock theme), by relative path."""
    files: dict[str, str] = {}

    def collect(folder: Traversable, prefix: str) -> None:
        for entry in folder.iterdir():
            if entry.is_dir():
                collect(entry, f"{prefix}{entry.name}/")
            elif entry.is_file():
                files[prefix + entry.name] = entry.read_text(encoding="utf-8")

    collect(resources.files("backstory") / "theme", "")
    return dict(sorted(files.items()))


def write_site(project: Project, pages: dict[str, str]) -> WriteReport:
    """Write the pages into the docs folder and the theme overrides beside them."""
    write_tree(theme_files(), project.theme_dir)
    return write_tree(pages, project.docs_dir)


def build_date_epoch(graph: Graph) -> int:
    """The build's timestamp, from the facts: midnight UTC of the newest story date."""
    dates = [s.updated or s.published for s in graph.stories.values()]
    newest = max(dates) if dates else dt.date(2000, 1, 1)
    return calendar.timegm(newest.timetuple())


def build(
    project: Project, *, include_drafts: bool = False, strict: bool = False, verbose: bool = False
) -> RenderedSite:
    """Check, render, write and build the site into its site folder; raises on any error and
    then leaves the existing site untouched."""
    from .engine import build_lock, build_site

    with build_lock(project.work_dir):
        rendered = render_site(project, include_drafts=include_drafts, strict=strict)
        rendered.report = write_site(project, rendered.pages)
        build_site(project, epoch=build_date_epoch(rendered.graph), verbose=verbose)
    return rendered


def _template_problem(project: Project, error: jinja2.TemplateError) -> Diagnostic | None:
    """A diagnostic for an error in one of the site's own templates, or None when the error
    is in a template that ships with Backstory."""
    filename = getattr(error, "filename", None)
    line = getattr(error, "lineno", None)
    if filename is None:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".j2")]
        if frames:
            filename, line = frames[-1].filename, frames[-1].lineno
    if filename is None:
        return None
    path = Path(filename).resolve()
    if not path.is_relative_to(project.templates_dir.resolve()):
        return None
    return Diagnostic(
        path.relative_to(project.root).as_posix(),
        line or 1,
        1,
        "error",
        f"template error: {error.message or type(error).__name__}",
    )


def _package_text(*parts: str) -> str:
    return resources.files("backstory").joinpath(*parts).read_text(encoding="utf-8")
