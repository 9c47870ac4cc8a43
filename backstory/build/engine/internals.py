"""Every use of MkDocs' and Material's private functions, in one place.

Why they are used at all: publishing shares the pages among worker processes and copies those
whose inputs did not change from the page cache, and the preview rebuilds only the pages an
edit wrote, each with the engine's own per-page steps (read and convert a page, render it
through the theme, the site-wide templates), so that every page is built exactly as MkDocs'
own build makes it; MkDocs exposes those steps only as private functions. They were written
for, and are tested with, the versions in ``TESTED``; with other versions
``unsupported_engine()`` says which, and callers fall back to the public API (a full build).
"""

from __future__ import annotations

import os
from importlib import metadata
from typing import Any

TESTED: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "mkdocs": ((1, 6), (1, 7)),
    "mkdocs-material": ((9, 5), (10, 0)),
}
"""Each engine package this module reaches into, with the versions it was tested with:
at least the first, below the second."""


def _release(version: str) -> tuple[int, int]:
    parts = []
    for part in version.split(".")[:2]:
        digits = "".join(char for char in part if char.isdigit())
        parts.append(int(digits or 0))
    major, minor = [*parts, 0, 0][:2]
    return major, minor


def unsupported_engine() -> str | None:
    """Why the installed engine is not one this module was tested with, or None when it is."""
    problems = []
    for package, (lowest, below) in TESTED.items():
        try:
            installed = metadata.version(package)
        except metadata.PackageNotFoundError:
            problems.append(f"{package} is not installed")
            continue
        if not lowest <= _release(installed) < below:
            wanted = f">={lowest[0]}.{lowest[1]},<{below[0]}.{below[1]}"
            problems.append(
                f"{package} {installed} is installed, Backstory was tested with {wanted}"
            )
    return "; ".join(problems) or None


def populate_page(page: Any, config: Any, files: Any) -> None:
    """Read a page's Markdown and convert it to HTML, as the engine's build does."""
    from mkdocs.commands.build import _populate_page

    _populate_page(page, config, files)


def build_page(
    page: Any, config: Any, doc_files: Any, nav: Any, env: Any, *, excluded: bool = False
) -> None:
    """Render a converted page through the theme and write its HTML, as the engine's build does
    (``excluded``: a draft shown only by the preview, marked so)."""
    from mkdocs.commands.build import _build_page

    _build_page(page, config, doc_files, nav, env, excluded=excluded)


def build_theme_templates(
    env: Any, files: Any, config: Any, nav: Any, *, skip: frozenset[str] = frozenset()
) -> None:
    """Render the theme's site-wide templates (the sitemap, the 404 page), but those in
    ``skip``."""
    from mkdocs.commands.build import _build_theme_template

    for template in config.theme.static_templates:
        if template not in skip:
            _build_theme_template(template, env, files, config, nav)


def build_extra_templates(
    files: Any, config: Any, nav: Any, *, skip: frozenset[str] = frozenset()
) -> None:
    """Render the site's own templates (``extra_templates`` in mkdocs.yml), but those in
    ``skip``."""
    from mkdocs.commands.build import _build_extra_template

    for template in config.extra_templates:
        if template not in skip:
            _build_extra_template(template, files, config, nav)


def copy_static_files(files: Any, inclusion: Any, *, linkable: str) -> None:
    """Put the files that are not pages into the site folder, as the engine's build does, but
    hard-link those under ``linkable`` (the docs folder) instead of copying them, when the file
    system allows it (a copy otherwise).

    Why a link is safe there: the write stage never changes a docs file in place, it replaces
    it (a new file), so a built site never changes when the next build writes; and a file
    changed in place through the site folder differs from what the next render makes, which
    the write stage then replaces. Why it matters: an archive's pages come with a JSON file for
    every fact, and copying them was a fifth of the engine's time in a build after one edit.
    """
    root = os.path.join(os.path.abspath(linkable), "")
    made: set[str] = set()
    for file in files:
        if file.is_documentation_page() or not inclusion(file.inclusion):
            continue
        source = file.abs_src_path
        if file._content is not None or source is None or not source.startswith(root):
            file.copy_file()
            continue
        target = file.abs_dest_path
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        try:
            os.link(source, target)
        except OSError:  # another file system, links not allowed, or the file is there
            file.copy_file()


def live_reload_server(*, unreloaded: bytes | None = None, **options: Any) -> Any:
    """The engine's development server, which adds its reload script to the HTML pages it
    serves, except to those that hold ``unreloaded`` (the content manager's page, where a
    reload would interrupt an editor's work in a form)."""
    from mkdocs.livereload import LiveReloadServer

    class Server(LiveReloadServer):
        def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
            if unreloaded and unreloaded in content:
                return content
            return bytes(super()._inject_js_into_html(content, epoch))  # type: ignore[no-untyped-call]

    return Server(**options)


def serve_url(host: str, port: int, mount_path: str) -> str:
    """The address the development server serves the site at."""
    from mkdocs.livereload import _serve_url

    return str(_serve_url(host, port, mount_path))
