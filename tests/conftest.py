"""Shared fixtures: small sites built in temporary folders, golden files, the real site."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
REPO = TESTS.parent
SMALL_SITE = TESTS / "fixtures" / "small-site"
V2_SITE = TESTS / "fixtures" / "v2-site"
"""A site that uses every field and collection of content model version 2."""
BILINGUAL_SITE = TESTS / "fixtures" / "bilingual-site"
"""A site with a Spanish edition (translations/es/): one story translated, one not."""
GOLDEN = TESTS / "golden"


def _pagefind_of_the_repository() -> None:
    """Builds in temporary folders find the Pagefind that ``npm ci`` put in this repository (a
    site's own ``node_modules`` is where a build looks first); without it they fail clearly."""
    binaries = sorted((REPO / "node_modules" / "@pagefind").glob("*/bin/pagefind*"))
    runnable = [p for p in binaries if p.suffix in ("", ".exe") and os.access(p, os.X_OK)]
    if runnable and not os.environ.get("PAGEFIND_BINARY_PATH"):
        os.environ["PAGEFIND_BINARY_PATH"] = str(runnable[0])


_pagefind_of_the_repository()

MINIMAL_CONFIG = """\
site_name: Test Site
docs_dir: .backstory/docs
theme:
  name: material
  custom_dir: .backstory/theme
  font: false
extra_css:
  - assets/backstory.css
plugins: []
markdown_extensions:
  - toc
  - attr_list
  - md_in_html
nav:
  - Home: index.md
validation:
  nav:
    omitted_files: ignore
"""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite the golden files from the current output instead of comparing with them.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def check_golden(update_golden: bool) -> Callable[[Path, str], None]:
    """Compare text with a golden file, or rewrite the file under --update-golden."""

    def check(golden: Path, actual: str) -> None:
        if update_golden:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(actual, encoding="utf-8")
            return
        assert golden.exists(), f"{golden} is missing; run pytest --update-golden and review it"
        expected = golden.read_text(encoding="utf-8")
        assert actual == expected, f"output differs from {golden.relative_to(TESTS)}"

    return check


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """Build a site folder from ``{relative path: text}``; mkdocs.yml is added when absent."""

    def make(files: dict[str, str | bytes], *, config: str = MINIMAL_CONFIG) -> Path:
        root = tmp_path / "site-root"
        root.mkdir(exist_ok=True)
        if "mkdocs.yml" not in files:
            (root / "mkdocs.yml").write_text(config, encoding="utf-8")
        for relative, content in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return make


@pytest.fixture
def small_site(tmp_path: Path) -> Path:
    """A copy of the small fixture site, safe to modify."""
    root = tmp_path / "small-site"
    shutil.copytree(SMALL_SITE, root, ignore=shutil.ignore_patterns(".backstory", "site"))
    return root


@pytest.fixture
def v2_site(tmp_path: Path) -> Path:
    """A copy of the version-2 fixture site, safe to modify."""
    root = tmp_path / "v2-site"
    shutil.copytree(V2_SITE, root, ignore=shutil.ignore_patterns(".backstory", "site"))
    return root


@pytest.fixture
def bilingual_site(tmp_path: Path) -> Path:
    """A copy of the bilingual fixture site, safe to modify."""
    root = tmp_path / "bilingual-site"
    shutil.copytree(BILINGUAL_SITE, root, ignore=shutil.ignore_patterns(".backstory", "site"))
    return root


def tree_snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``folder``: its content hash and modification time."""
    return {
        p.relative_to(folder).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@dataclass(frozen=True)
class BuiltSite:
    """A site built once for the session, and its sources as they were before the build."""

    root: Path
    sources_before: dict[str, dict[str, tuple[str, int]]]


@pytest.fixture(scope="session")
def built_bilingual_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The bilingual fixture built with the engine (both editions), once for the session."""
    from backstory.build.pipeline import build
    from backstory.project import Project

    root = tmp_path_factory.mktemp("bilingual") / "bilingual-site"
    shutil.copytree(BILINGUAL_SITE, root, ignore=shutil.ignore_patterns(".backstory", "site"))
    before = {name: tree_snapshot(root / name) for name in ("content", "translations")}
    build(Project.open(root))
    return BuiltSite(root, before)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own site (mkdocs.yml and content), built once for the session."""
    from backstory.build.pipeline import build
    from backstory.project import Project

    root = tmp_path_factory.mktemp("real") / "site-root"
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "content", root / "content")
    if (REPO / "templates").is_dir():
        shutil.copytree(REPO / "templates", root / "templates")
    build(Project.open(root))
    return root


def graph_with(root: Path, extra_files: dict[str, str]):
    """The checked graph of a site after adding ``{path under content/: text}`` files to it."""
    from backstory.build.pipeline import check_content
    from backstory.project import Project

    for relative, text in extra_files.items():
        path = root / "content" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    result = check_content(Project.open(root))
    assert result.graph is not None, [d.format() for d in result.diagnostics]
    return result.graph
