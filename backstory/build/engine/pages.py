"""The engine's build, step by step: the one path by which the pages become HTML, for
``backstory build`` (``publish``, through ``site_build``) and for the preview (``warm``).

``SiteEngine`` holds what MkDocs' own ``build()`` gathers before it reads a page (the settings
after the plugins saw them, the files, the theme and the navigation) and offers its steps one
by one: read a page (Markdown to HTML), write a page (through the theme), the site-wide
templates, the anchor check and the end of the build. Each page step is MkDocs' own function
(see ``internals``). ``site_build.SiteBuild`` runs them for a whole site, in one process or in
forked workers, with or without the page cache. (The reader's search is not the engine's: it is
indexed from the built site afterwards, see ``build.search``.)

Why not MkDocs' ``build()``: it reads and writes every page in one process every time. The
steps here are the same functions in the same order for each page; what differs is which
process runs a page and whether its HTML is taken from the page cache. The site-wide results
(the sitemap, warnings, strict mode's counts, anchor checks) are put together from every
page's record in the order MkDocs' build has them, so the site is the same
bytes whatever the number of workers and whatever was cached; tests compare it with MkDocs'
own build.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..page_cache import LogLine, Lookup
from . import internals

log = logging.getLogger(__name__)

FILE_READING_EXTENSIONS = ("pymdownx.snippets", "markdown_include", "mdx_include")
"""Markdown extensions that read other files into a page: with one of these no page is taken
from the cache (the files it read are not known)."""
THEME_WORDS = ("pages", "build_date_utc", "update_date")
"""What a theme's page template may read beyond its page and the navigation: every page
(``pages``) or the build's date (``build_date_utc``, a page's ``update_date``)."""


def fast_path_problem(config: Any) -> str | None:
    """Why this site must be built by MkDocs' own build (one process, nothing cached), or
    None when its steps may be shared among workers and cached."""
    unsupported = internals.unsupported_engine()
    if unsupported:
        return unsupported
    plugins = sorted(config.plugins)
    if plugins:  # a plugin may keep state across pages, which neither workers nor cache share
        return f"the site uses engine plugins ({', '.join(plugins)})"
    if "pages" in theme_reads(tuple(config.theme.dirs), tuple(config.theme.static_templates)):
        return "the theme's page templates read every page"
    return None


def theme_reads(dirs: Sequence[str], static_templates: Sequence[str]) -> frozenset[str]:
    """Which of ``THEME_WORDS`` the theme's templates read: as variables or, for
    ``update_date``, as an attribute. The site-wide templates (``static_templates``), built
    every time, are not counted; a template that cannot be parsed counts as reading them all.
    (Hidden folders, such as the theme's icons, hold no templates.)"""
    templates = []
    for folder in dirs:
        for directory, subfolders, names in os.walk(folder):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            for name in sorted(names):
                path = os.path.join(directory, name)
                relative = os.path.relpath(path, folder).replace(os.sep, "/")
                if relative in static_templates or not name.endswith((".html", ".xml", ".j2")):
                    continue
                status = os.stat(path)
                templates.append((path, status.st_size, status.st_mtime_ns))
    return _words_read(tuple(templates))


@lru_cache(maxsize=8)
def _words_read(templates: tuple[tuple[str, int, int], ...]) -> frozenset[str]:
    import jinja2
    from jinja2 import nodes

    environment = jinja2.Environment(
        extensions=["jinja2.ext.i18n", "jinja2.ext.do", "jinja2.ext.loopcontrols"]
    )
    found: set[str] = set()
    for path, _size, _mtime in templates:
        try:
            text = Path(path).read_text(encoding="utf-8")
            if not any(word in text for word in THEME_WORDS):  # most templates: no need
                continue
            tree = environment.parse(text)
        except (OSError, UnicodeDecodeError, jinja2.TemplateSyntaxError):
            return frozenset(THEME_WORDS)
        found.update(n.name for n in tree.find_all(nodes.Name) if n.ctx == "load")
        found.update("update_date" for n in tree.find_all(nodes.Getattr) if n.attr == "update_date")
    return frozenset(found) & frozenset(THEME_WORDS)


class PageLog(logging.Handler):
    """Keeps what the engine logs while it works on one page, so that it can be told again in
    the build's order and stored with the page (see ``told``)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[LogLine] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((record.name, record.levelno, record.getMessage()))

    @contextlib.contextmanager
    def kept(self) -> Iterator[list[LogLine]]:
        """While inside, the engine's messages are kept here instead of being told."""
        engine_log = logging.getLogger("mkdocs")
        saved = engine_log.handlers[:], engine_log.propagate
        lines: list[LogLine] = []
        self.lines = lines
        engine_log.handlers, engine_log.propagate = [self], False
        try:
            yield lines
        except BaseException as error:
            engine_log.handlers, engine_log.propagate = saved
            error.engine_log = tuple(lines)  # type: ignore[attr-defined]
            told(lines)
            raise
        finally:
            engine_log.handlers, engine_log.propagate = saved


def told(lines: Sequence[LogLine]) -> None:
    """Log again the messages a page step logged, as if it logged them now."""
    for name, level, message in lines:
        logging.getLogger(name).handle(
            logging.makeLogRecord(
                {
                    "name": name,
                    "levelno": level,
                    "levelname": logging.getLevelName(level),
                    "msg": message,
                }
            )
        )


class RecordingFiles:
    """The site's files as a page's conversion sees them, noting every file its links look up
    (what the page's HTML depends on of the other files)."""

    def __init__(self, files: Any):
        self._files = files
        self.lookups: dict[str, Lookup] = {}

    def get_file_from_path(self, path: str) -> Any:
        found = self._files.get_file_from_path(path)
        if found is None:
            self.lookups[path] = (path, None, None, None)
        else:
            self.lookups[path] = (path, found.src_uri, found.url, found.inclusion.name)
        return found

    def __iter__(self) -> Iterator[Any]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)

    def __contains__(self, path: str) -> bool:
        return self.get_file_from_path(path) is not None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._files, name)


def lookups_hold(lookups: Sequence[Lookup], files: Any, seen: dict[str, Any] | None = None) -> bool:
    """Whether every file a page's links looked up is still what it was. ``seen`` keeps what
    each path finds now, for the next page of the same build (most pages look up the same
    few: the home page, the lists, the topics)."""
    seen = {} if seen is None else seen
    for path, src_uri, url, inclusion in lookups:
        try:
            now = seen[path]
        except KeyError:
            found = files.get_file_from_path(path)
            now = (found.src_uri, found.url, found.inclusion.name) if found is not None else None
            seen[path] = now
        if now != ((src_uri, url, inclusion) if src_uri is not None else None):
            return False
    return True


class SiteEngine:
    """One build of a site by the engine, step by step (see the module's docstring)."""

    def __init__(self, config: Any, *, serve_url: str | None = None):
        from mkdocs.structure.files import InclusionLevel

        self.config = config
        self.serve_url = serve_url
        self.inclusion = InclusionLevel.is_in_serve if serve_url else InclusionLevel.is_included
        self.files: Any = None
        self.nav: Any = None
        self.env: Any = None
        self.doc_files: list[Any] = []

    def prepare(self) -> None:
        """What MkDocs' build does before it reads a page: the plugins' events for the settings
        and the build's start, an empty site folder, the files, the theme and the navigation,
        and a page for every file."""
        from mkdocs.structure.files import get_files, set_exclusions
        from mkdocs.structure.nav import get_navigation
        from mkdocs.structure.pages import Page
        from mkdocs.utils import clean_directory

        config = self.config = self.config.plugins.on_config(self.config)
        config.plugins.on_pre_build(config=config)
        clean_directory(config.site_dir)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        self.nav = config.plugins.on_nav(nav, config=config, files=files)
        self.files, self.env = files, env
        self.doc_files = files.documentation_pages(inclusion=self.inclusion)
        for file in self.doc_files:
            if file.page is None and file.inclusion.is_not_in_nav():
                Page(None, file, config)

    def read_page(self, page: Any, files: Any = None) -> None:
        """Read a page's Markdown and convert it to HTML (MkDocs' own step)."""
        internals.populate_page(page, self.config, files if files is not None else self.files)

    def start_writing(self) -> None:
        """What MkDocs' build does once every page is read: the plugins' theme event and the
        copy of the files that are not pages."""
        self.env = self.config.plugins.on_env(self.env, config=self.config, files=self.files)
        internals.copy_static_files(self.files, self.inclusion, linkable=self.config.docs_dir)

    def write_page(self, page: Any) -> None:
        """Render a read page through the theme and write its HTML (MkDocs' own step)."""
        internals.build_page(
            page,
            self.config,
            self.doc_files,
            self.nav,
            self.env,
            excluded=page.file.inclusion.is_excluded(),
        )

    def write_site_templates(self, *, pages_written: bool = False) -> None:
        """The theme's site-wide templates (sitemap, 404 page) and the site's own templates.
        MkDocs writes them before the pages, so a page at the same path wins: with
        ``pages_written``, a template at a page's path is left out for the same result."""
        skip: frozenset[str] = frozenset()
        if pages_written:
            taken = {os.path.normpath(f.abs_dest_path) for f in self.doc_files}
            site = self.config.site_dir
            names = [*self.config.theme.static_templates, *self.config.extra_templates]
            skip = frozenset(
                name for name in names if os.path.normpath(self._template_path(name, site)) in taken
            )
        internals.build_theme_templates(self.env, self.files, self.config, self.nav, skip=skip)
        internals.build_extra_templates(self.files, self.config, self.nav, skip=skip)

    def _template_path(self, name: str, site: str) -> str:
        if name in self.config.extra_templates:
            file = self.files.get_file_from_path(name)
            return str(file.abs_dest_path) if file is not None else ""
        return os.path.join(site, name)

    def check_anchors(self) -> None:
        """MkDocs' check of links to anchors of other pages (its ``validation.anchors``)."""
        level = self.config.validation.links.anchors
        for file in self.doc_files:
            file.page.validate_anchor_links(files=self.files, log_level=level)

    def finish(self) -> None:
        """The plugins' end-of-build event."""
        self.config.plugins.on_post_build(config=self.config)

    def update(self, written: list[str], removed: list[str]) -> list[Any]:
        """Bring the built site up to date after the docs folder changed (the preview): read
        and write again the pages at ``written`` (paths in the docs folder), copy its other
        files, add what is new, drop the ``removed`` files and their output; the site-wide
        templates again when files came or went. Returns the pages written."""
        dropped = self._remove(removed)
        pages, added = self._pages_of(written)
        if dropped or added:
            self.doc_files = self.files.documentation_pages(inclusion=self.inclusion)
        for page in pages:
            self.read_page(page)
        for page in pages:
            self.write_page(page)
        if dropped or added:
            self.write_site_templates()
        return pages

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
        """The pages to build again for the written files (other files are copied as they
        are), and whether any file is new."""
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

    def build_everything(self) -> None:
        """A whole build in one process, in MkDocs' own order (the preview's first build)."""
        self.prepare()
        for file in self.doc_files:
            self.read_page(file.page)
        self.start_writing()
        self.write_site_templates()
        for file in self.doc_files:
            self.write_page(file.page)
        self.check_anchors()
        self.finish()


@contextlib.contextmanager
def counted_warnings(config: Any) -> Iterator[Any]:
    """Strict mode as MkDocs' build has it: every warning the engine logs is counted, and the
    build is refused at its end when any was (see ``refuse_counted``)."""
    from mkdocs.utils import CountHandler

    counter = CountHandler()
    counter.setLevel(logging.WARNING)
    engine_log = logging.getLogger("mkdocs")
    if config.strict:
        engine_log.addHandler(counter)
    try:
        yield counter
    finally:
        engine_log.removeHandler(counter)


def refuse_counted(counter: Any) -> None:
    from mkdocs.exceptions import Abort

    if counts := counter.get_counts():
        message = ", ".join(f"{v} {k.lower()}s" for k, v in counts)
        raise Abort(f"Aborted with {message} in strict mode!")


def _remove_output(target: Path) -> None:
    """Delete a page's built file, and its folder when that is left empty."""
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    with contextlib.suppress(OSError):
        target.parent.rmdir()
