"""The whole docs folder as a plan: a job for every file (pages, feeds, API, hand-written pages,
fixed files), from a checked graph.

Reads the site's own files (hand-written pages, templates) but writes nothing; the write stage
(``build/write.py``) puts the files on disk.
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import jinja2

from ..diagnostics import Diagnostic
from ..errors import ContentError
from ..facts.check import CheckResult
from ..facts.collections import NAMES
from ..facts.graph import Graph
from ..facts.media import MEDIA_FOLDER, used_media
from ..facts.translations import TRANSLATIONS_FOLDER
from ..project import Project
from .api import API_FOLDER, api_jobs
from .cms import ADMIN_FOLDER, LOCAL_BACKEND_PORT, admin_files, cms_settings
from .editions import story_in_edition
from .feeds import feed_jobs
from .multilingual import (
    EditionPlan,
    edition_wording,
    not_found_greetings,
    plan_edition,
    story_counterparts,
    switch_label,
    with_alternates,
)
from .outputs import Output, OutputJob, fixed_text, run_jobs
from .pages import page_jobs
from .search import SEARCH_BUNDLE
from .templates import make_environment
from .urls import LIST_PAGES, PAGE_FOLDERS, PERIOD_FOLDERS, SiteOptions

STYLESHEET = "assets/backstory.css"
SCRIPT = "assets/backstory.js"
"""The pages' script: the header's search (loaded when a reader opens it) and the page's
address on paper."""
GENERATED_FOLDERS = (
    *PAGE_FOLDERS,
    "topics",
    "assets",
    API_FOLDER,
    MEDIA_FOLDER,
    ADMIN_FOLDER,
    *PERIOD_FOLDERS,
    SEARCH_BUNDLE,
)
"""Folders of the docs folder that Backstory fills; a hand-written page may not use them."""
RESERVED_PAGES = (*LIST_PAGES, "topics.md")
"""Page names of the docs folder's top that Backstory writes."""
PAGE_IMAGES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
"""Images beside the hand-written pages, published with them (a screenshot in a guide). Not
SVG, which can hold scripts."""


@dataclass(frozen=True)
class SitePlan:
    """What a render of the site does: the graph, a job per file and the content's warnings;
    and the same for each edition in another language."""

    graph: Graph
    jobs: list[OutputJob]
    warnings: list[Diagnostic]
    editions: list[EditionPlan] = field(default_factory=list)
    not_found: list[dict[str, str]] = field(default_factory=list)

    def run(self, project: Project) -> dict[str, Output]:
        """Every file's content by path (see ``site_template_errors`` for template faults)."""
        with site_template_errors(project):
            return run_jobs(self.jobs, self.graph)

    def run_edition(self, project: Project, edition: EditionPlan) -> dict[str, Output]:
        """Every file of an edition's docs folder, by path."""
        with site_template_errors(project):
            return run_jobs(edition.jobs, edition.graph)


def plan_site(
    project: Project,
    checked: CheckResult,
    *,
    strict: bool = False,
    environment: jinja2.Environment | None = None,
    cms_port: int | None = None,
) -> SitePlan:
    """The plan of a checked site; raises ContentError on errors in the content or in the
    hand-written pages, and on warnings too when ``strict``. With ``cms_port``, the plan holds
    the content manager's admin page talking to a local backend on that port, whether or not
    the site asks for the page in its builds."""
    pages, problems = handwritten_pages(project)
    edition_pages: dict[str, dict[str, Output]] = {}
    for edition in checked.editions:
        folder = project.root / TRANSLATIONS_FOLDER / edition.language / "pages"
        edition_pages[edition.language], found = pages_in(folder, project.root)
        problems += found
    diagnostics = sorted(checked.diagnostics + problems)
    if not checked.ok or problems or (strict and diagnostics):
        raise ContentError(diagnostics)
    assert checked.graph is not None
    graph = checked.graph
    options = SiteOptions.from_config(project.config)
    main_wording = {options.language: edition_wording(project, options.language)}
    if not checked.editions:
        jobs = site_jobs(project, graph, pages, environment, cms_port=cms_port)
        greetings = not_found_greetings(options.address, main_wording, options.language)
        return SitePlan(graph, jobs, diagnostics, not_found=greetings)
    in_edition = {
        e.language: {s for s in graph.stories if story_in_edition(graph.facts[s], e)}
        for e in checked.editions
    }
    every = {options.language: set(graph.stories), **in_edition}
    main_options = replace(options, counterparts=story_counterparts(options, every))
    jobs = site_jobs(project, graph, pages, environment, cms_port=cms_port, options=main_options)
    nav = project.config.get("nav") if isinstance(project.config.get("nav"), list) else None
    assets = {
        STYLESHEET: _package_text("assets", "backstory.css"),
        SCRIPT: _package_text("assets", "backstory.js"),
    }
    editions = [
        plan_edition(
            project,
            graph,
            edition,
            nav,
            assets,
            media_jobs,
            every,
            edition_pages[edition.language],
        )
        for edition in checked.editions
    ]
    wordings = {**main_wording, **{e.language: e.wording for e in editions}}
    labels = {language: switch_label(language, wording) for language, wording in wordings.items()}
    linked = with_alternates(
        {options.language: jobs, **{e.language: e.jobs for e in editions}},
        options.address,
        options.language,
        labels,
    )
    editions = [replace(e, jobs=linked[e.language]) for e in editions]
    greetings = not_found_greetings(options.address, wordings, options.language)
    return SitePlan(graph, linked[options.language], diagnostics, editions, greetings)


def handwritten_pages(project: Project) -> tuple[dict[str, Output], list[Diagnostic]]:
    """The site's own Markdown pages (``content/pages/*.md``) and the images beside them
    (``PAGE_IMAGES``), copied through unchanged."""
    return pages_in(project.content_dir / "pages", project.root)


def pages_in(folder: Path, root: Path) -> tuple[dict[str, Output], list[Diagnostic]]:
    """The hand-written Markdown pages and images of a folder (the site's, or an edition's
    ``translations/<language>/pages``), by path, and what is wrong with any of them."""
    pages: dict[str, Output] = {}
    problems: list[Diagnostic] = []
    if not folder.is_dir():
        return pages, problems
    images = [p for p in folder.rglob("*") if p.suffix.lower() in PAGE_IMAGES and p.is_file()]
    for path in sorted([*folder.rglob("*.md"), *images]):
        relative = path.relative_to(folder).as_posix()
        shown = path.relative_to(root).as_posix()
        if relative in RESERVED_PAGES or relative.split("/")[0] in GENERATED_FOLDERS:
            problems.append(
                Diagnostic(
                    shown,
                    1,
                    1,
                    "error",
                    f"the page name '{relative}' is used by a generated page; rename the file",
                )
            )
            continue
        if path.suffix != ".md":
            pages[relative] = path.read_bytes()
            continue
        try:
            pages[relative] = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            problems.append(
                Diagnostic(shown, 1, 1, "error", "the page is not UTF-8; save it as UTF-8")
            )
    return pages, problems


def site_jobs(
    project: Project,
    graph: Graph,
    handwritten: dict[str, Output],
    environment: jinja2.Environment | None = None,
    *,
    options: SiteOptions | None = None,
    cms_port: int | None = None,
) -> list[OutputJob]:
    """A job for every file of the docs folder: pages, feeds, the API and fixed files, and the
    admin page when the site asks for it (``extra.backstory.cms``) or ``cms_port`` is given."""
    options = options or SiteOptions.from_config(project.config)
    if environment is None:
        wording = edition_wording(project, options.language)
        environment = make_environment(project.templates_dir, wording)
    jobs = page_jobs(graph, options, environment)
    jobs += [fixed_text(path, text) for path, text in handwritten.items()]
    jobs += feed_jobs(options, environment.globals["wording"])  # type: ignore[arg-type]
    jobs += api_jobs(graph, options)
    jobs += media_jobs(project, graph)
    jobs.append(fixed_text("robots.txt", robots_txt(project.config.get("site_url"))))
    jobs.append(fixed_text(STYLESHEET, _package_text("assets", "backstory.css")))
    jobs.append(fixed_text(SCRIPT, _package_text("assets", "backstory.js")))
    settings = cms_settings(project.config)
    if settings.enabled or cms_port is not None:
        admin = admin_files(
            settings, site_name=options.name, local_port=cms_port or LOCAL_BACKEND_PORT
        )
        jobs += [fixed_text(f"{ADMIN_FOLDER}/{name}", text) for name, text in admin.items()]
    return jobs


def media_jobs(project: Project, graph: Graph) -> list[OutputJob]:
    """The images of ``content/media/`` that published facts use, copied as they are (only
    those: a draft's picture must not reach the site)."""
    published = [model for collection in NAMES for model in getattr(graph, collection).values()]
    folder = project.content_dir / MEDIA_FOLDER
    return [
        fixed_text(f"{MEDIA_FOLDER}/{path}", (folder / path).read_bytes())
        for path in used_media(published)
        if (folder / path).is_file()
    ]


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

    collect(resources.files("backstory.site") / "theme", "")
    return dict(sorted(files.items()))


def _template_problem(project: Project, error: jinja2.TemplateError) -> Diagnostic | None:
    """A diagnostic for an error in one of the site's own templates, or None when the error
    is in a template that ships with Backstory."""
    filename = getattr(error, "filename", None)
    line = getattr(error, "lineno", None)
    if filename is None:
        frames = [
            f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".j2")
        ]
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
    return resources.files("backstory.site").joinpath(*parts).read_text(encoding="utf-8")
