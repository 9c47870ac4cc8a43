"""Publishing with the caches and the workers: a build that took files and pages from the caches
in ``.backstory/cache``, or shared its pages among worker processes, is the same bytes as a
clean one-process build; a cache that is damaged or does not match is never trusted."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from backstory.build import pipeline, render_cache
from backstory.build.engine import internals, publish, site_build
from backstory.build.render_cache import RenderCache
from backstory.build.write import MARKER, TreeWriter
from backstory.errors import BuildError, ContentError
from backstory.preview.session import PreviewSession
from backstory.project import Project

from .test_incremental import EDITS, edit


def tree(folder: Path) -> dict[str, str]:
    """Every file of a folder by relative path, as a digest of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def differences(first: dict[str, str], second: dict[str, str]) -> list[str]:
    return sorted(k for k in first.keys() | second.keys() if first.get(k) != second.get(k))


def clean_build(root: Path, elsewhere: Path) -> dict[str, str]:
    """The site a clean one-process build of the same content gives, in another folder."""
    shutil.rmtree(elsewhere, ignore_errors=True)
    elsewhere.mkdir(parents=True)
    for name in ("mkdocs.yml", "content", "templates", "translations"):
        if (root / name).is_dir():
            shutil.copytree(root / name, elsewhere / name)
        elif (root / name).is_file():
            shutil.copy(root / name, elsewhere / name)
    pipeline.build(Project.open(elsewhere), use_cache=False, jobs=1)
    return tree(elsewhere / "site")


@pytest.fixture
def share_every_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers even for a small site (a build shares out only enough pages and files to be
    worth it)."""
    monkeypatch.setattr(site_build, "MIN_PAGES_PER_WORKER", 1)
    monkeypatch.setattr(render_cache, "MIN_FILES_PER_WORKER", 1)


# The render cache (Backstory's own stages) -----------------------------------------------------


def cached_render(root: Path) -> tuple[dict[str, bytes], list[str], list[str]]:
    """A render as a build does it: with the render cache read from disk, each file written to
    the docs folder as it is made, and the cache saved after. Returns every file of the docs
    folder, the files rendered again and those whose bytes were written."""
    project = Project.open(root)
    plan = pipeline.plan_content(project)
    cache = RenderCache.of(project, include_drafts=False)
    docs = TreeWriter(project.docs_dir)
    report = cache.render(plan.jobs, plan.graph, docs)
    written = pipeline.write_site(project, docs).written
    cache.save()
    return docs_files(project.docs_dir), report.rendered, written


def docs_files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


def full_render(root: Path) -> dict[str, bytes]:
    """Every file of a render without any cache, as bytes."""
    pages = pipeline.render_site(Project.open(root)).pages
    return {path: t.encode() if isinstance(t, str) else t for path, t in pages.items()}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_a_render_with_the_cache_after_an_edit_gives_a_full_render(
    small_site: Path, name: str
) -> None:
    cached_render(small_site)
    EDITS[name](small_site)
    pages, _, _ = cached_render(small_site)
    assert pages == full_render(small_site)


@pytest.mark.parametrize("name", ["quote text", "event title", "new actor", "deleted quote"])
def test_the_render_cache_renders_again_what_the_preview_renders_again(
    small_site: Path, name: str
) -> None:
    first, rendered, _ = cached_render(small_site)
    assert "stories/river-bridge.md" in rendered
    _, rendered, _ = cached_render(small_site)
    assert rendered == []
    session = PreviewSession(small_site)
    session.refresh()
    EDITS[name](small_site)
    _, rendered, _ = cached_render(small_site)
    plan = pipeline.plan_content(Project.open(small_site))
    fixed = {job.path for job in plan.jobs if job.fixed}  # the preview runs these every time
    assert sorted(rendered) == sorted(set(session.refresh().rendered) - fixed)
    assert 0 < len(rendered) < len(first) / 2


def test_after_a_quote_edit_a_build_rewrites_only_what_shows_the_quote(small_site: Path) -> None:
    cached_render(small_site)
    EDITS["quote text"](small_site)
    _, rendered, written = cached_render(small_site)
    assert set(written) <= set(rendered)
    assert written == [
        "actors/ana-lopez.md",
        "actors/ben-okafor.md",  # his quote disputes it, and the dispute shows both
        "api/index.json",
        "api/quotes/lopez-safety.json",
        "api/stories/river-bridge.json",
        "events/council-vote.md",
        "stories/river-bridge.md",
    ]


@pytest.mark.parametrize(
    "change",
    ["removed", "changed", "changed to the same size"],
)
def test_a_docs_file_that_is_not_the_one_the_cache_knows_is_rendered_again(
    small_site: Path, change: str
) -> None:
    cached_render(small_site)
    target = Project.open(small_site).docs_dir / "events" / "council-vote.md"
    if change == "removed":
        target.unlink()
    elif change == "changed":
        target.write_text("# Something else\n", encoding="utf-8")
    else:
        data = bytearray(target.read_bytes())
        data[-2] = ord("X") if data[-2] != ord("X") else ord("Y")
        target.write_bytes(bytes(data))
    pages, rendered, written = cached_render(small_site)
    assert rendered == ["events/council-vote.md"] and written == ["events/council-vote.md"]
    assert pages == full_render(small_site)


@pytest.mark.parametrize(
    "damage",
    [b"", b"not marshal at all", b"\xe3\x00\x00\x00"],
    ids=["empty", "garbage", "a truncated record"],
)
def test_a_damaged_render_cache_is_discarded(small_site: Path, damage: bytes) -> None:
    cached_render(small_site)
    (Project.open(small_site).work_dir / "cache" / "render.marshal").write_bytes(damage)
    EDITS["event title"](small_site)
    pages, rendered, _ = cached_render(small_site)
    assert pages == full_render(small_site)
    assert "events/council-vote.md" in rendered and "events/bridge-built.md" in rendered


def test_the_render_cache_of_other_settings_is_not_used(small_site: Path) -> None:
    cached_render(small_site)
    EDITS["site template"](small_site)
    pages, rendered, _ = cached_render(small_site)
    assert "events/bridge-built.md" in rendered
    assert pages == full_render(small_site)


def test_files_rendered_by_workers_are_those_one_process_renders_with_the_same_reads(
    small_site: Path, share_every_page: None
) -> None:
    plan = pipeline.plan_content(Project.open(small_site))
    jobs = [job for job in plan.jobs if not job.fixed]
    alone: list[tuple[str, object, tuple[object, ...]]] = []
    shared: list[tuple[str, object, tuple[object, ...]]] = []
    render_cache.render_recording(jobs, plan.graph, alone.append, workers=1)
    render_cache.render_recording(jobs, plan.graph, shared.append, workers=2)
    assert [path for path, _, _ in alone] == [job.path for job in jobs]
    assert sorted((p, t, frozenset(r)) for p, t, r in shared) == sorted(
        (p, t, frozenset(r)) for p, t, r in alone
    )
    assert all(reads for _, _, reads in shared)


def test_a_template_error_met_by_a_render_worker_is_told_as_one_process_tells_it(
    small_site: Path, share_every_page: None
) -> None:
    (small_site / "templates").mkdir()
    (small_site / "templates" / "event.md.j2").write_text(
        "# {{ event.title | text }}\n{{ event.no_such_field.deeper }}\n", encoding="utf-8"
    )
    messages = []
    for jobs in (1, 2):
        with pytest.raises(ContentError) as raised:
            pipeline.build(Project.open(small_site), use_cache=False, jobs=jobs)
        messages.append(raised.value.diagnostics)
    assert messages[0] == messages[1]
    [problem] = messages[0]
    assert (problem.path, problem.line, problem.severity) == ("templates/event.md.j2", 2, "error")
    assert "no_such_field" in problem.message
    assert not (small_site / "site").exists()


@pytest.mark.slow
def test_the_sites_data_files_are_links_to_the_docs_and_a_change_through_one_is_undone(
    small_site: Path,
) -> None:
    project = Project.open(small_site)
    pipeline.build(project)
    served = project.site_dir / "api" / "quotes" / "lopez-safety.json"
    written = project.docs_dir / "api" / "quotes" / "lopez-safety.json"
    assert served.stat().st_ino == written.stat().st_ino
    good = served.read_bytes()
    with open(served, "r+b") as stream:  # changed in place, through the link
        stream.write(b"X")
    assert written.read_bytes() != good
    pipeline.build(project)
    assert served.read_bytes() == good and written.read_bytes() == good


# The engine's steps and the workers ------------------------------------------------------------


@pytest.mark.slow
def test_the_shared_steps_give_what_the_engines_own_build_gives(
    small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, share_every_page: None
) -> None:
    project = Project.open(small_site)
    built = pipeline.build(project, use_cache=False, jobs=2)
    assert built.engine is not None and built.engine.workers == 2
    assert built.engine.plain_engine is None
    shared = tree(project.site_dir)
    monkeypatch.setattr(publish, "fast_path_problem", lambda config: "asked by the test")
    plain = pipeline.build(project, use_cache=False, jobs=2)
    assert plain.engine is not None and plain.engine.plain_engine == "asked by the test"
    assert differences(shared, tree(project.site_dir)) == []
    assert "pagefind/pagefind-entry.json" in shared and "sitemap.xml.gz" in shared


@pytest.mark.slow
def test_a_site_with_an_engine_plugin_is_built_by_the_engines_own_build(
    small_site: Path,
) -> None:
    edit(small_site / "mkdocs.yml", "plugins: []", "plugins:\n  - search")
    project = Project.open(small_site)
    built = pipeline.build(project)
    assert built.engine is not None and built.engine.cached == 0
    assert built.engine.plain_engine == "the site uses engine plugins (material/search)"
    site = tree(project.site_dir)
    assert "search/search_index.json" in site and "pagefind/pagefind-entry.json" in site
    again = pipeline.build(project)
    assert again.engine is not None and again.engine.cached == 0
    assert not (project.work_dir / "cache" / "pages.marshal").exists()


@pytest.mark.slow
def test_one_process_and_two_workers_give_the_same_bytes(
    real_site: Path, tmp_path: Path, share_every_page: None
) -> None:
    root = tmp_path / "real"
    shutil.copytree(real_site, root, ignore=shutil.ignore_patterns(".backstory", "site"))
    project = Project.open(root)
    one = pipeline.build(project, use_cache=False, jobs=1)
    assert one.engine is not None and one.engine.workers == 0
    single = tree(project.site_dir)
    two = pipeline.build(project, use_cache=False, jobs=2)
    assert two.engine is not None and two.engine.workers == 2 and two.engine.cached == 0
    assert differences(single, tree(project.site_dir)) == []
    assert differences(single, tree(real_site / "site")) == []


# The page cache ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_after_a_quote_edit_the_engine_builds_only_the_pages_that_show_it(
    small_site: Path, tmp_path: Path
) -> None:
    project = Project.open(small_site)
    first = pipeline.build(project)
    assert first.engine is not None and first.engine.cached == 0
    again = pipeline.build(project)
    assert again.engine is not None and again.engine.built == 0
    assert again.engine.cached == first.engine.built
    EDITS["quote text"](small_site)
    edited = pipeline.build(project)
    assert edited.engine is not None and edited.rendering is not None
    assert 0 < edited.engine.built < first.engine.built / 2
    assert "stories/river-bridge.md" in edited.rendering.rendered
    assert differences(tree(project.site_dir), clean_build(small_site, tmp_path / "clean")) == []


def test_a_cached_build_of_both_editions_is_a_clean_build_after_each_edit(
    bilingual_site: Path, tmp_path: Path
) -> None:
    # Each edition keeps a page cache of its own; what Backstory gives an edition's engine
    # beyond mkdocs.yml (its name, navigation, words) is part of its pages' keys.
    project = Project.open(bilingual_site)
    first = pipeline.build(project)
    assert (project.work_dir / "cache" / pipeline.EDITIONS_CACHE / "es").is_dir()
    assert first.engine is not None and first.engine.built > 0
    edits = {
        "the edition's name": ("translations/es/site.yml", "River Desk en español", "Río Desk"),
        "a translated answer": (
            "translations/es/stories/river-bridge.yml",
            "Por qué River Town cerró su puente",
            "Por qué River Town cerró el puente",
        ),
        "an original quote": ("content/quotes/lopez-safety.yml", "not safe", "unsafe"),
    }
    for name, (path, old, new) in edits.items():
        target = bilingual_site / path
        text = target.read_text(encoding="utf-8")
        assert old in text, f"{name}: {path} no longer says {old!r}"
        target.write_text(text.replace(old, new), encoding="utf-8")
        pipeline.build(project)
        clean = clean_build(bilingual_site, tmp_path / "clean")
        assert differences(tree(project.site_dir), clean) == [], name
        assert new in (project.site_dir / "es" / "index.html").read_text(encoding="utf-8") or (
            name == "an original quote"
        ), name


@pytest.mark.slow
def test_a_page_whose_linked_anchor_went_away_still_fails_the_build(small_site: Path) -> None:
    pages = small_site / "content" / "pages"
    (pages / "guide.md").write_text("# Guide\n\nSee [the notes](notes.md#the-vote).\n")
    (pages / "notes.md").write_text("# Notes\n\n## The vote\n\nIt passed.\n")
    edit(small_site / "mkdocs.yml", "validation:\n", "validation:\n  links:\n    anchors: warn\n")
    project = Project.open(small_site)
    pipeline.build(project)
    before = tree(project.site_dir)
    edit(pages / "notes.md", "## The vote", "## The ballot")
    with pytest.raises(BuildError, match="does not contain an anchor '#the-vote'"):
        pipeline.build(project)  # guide.md is unchanged and in the cache; its link is checked
    assert tree(project.site_dir) == before


@pytest.mark.slow
def test_a_damaged_page_cache_is_never_trusted(small_site: Path, tmp_path: Path) -> None:
    project = Project.open(small_site)
    pipeline.build(project)
    cache = project.work_dir / "cache"
    stored = sorted((cache / "pages").glob("*.html"))
    assert stored
    stored[0].write_bytes(stored[0].read_bytes().replace(b"<body", b"<body data-damaged"))
    for other in stored[1:3]:
        other.unlink()
    EDITS["actor name"](small_site)
    pipeline.build(project)
    clean = clean_build(small_site, tmp_path / "clean")
    assert differences(tree(project.site_dir), clean) == []
    (cache / "pages.marshal").write_bytes(b"\x00garbage")
    built = pipeline.build(project)
    assert built.engine is not None and built.engine.cached == 0
    assert differences(tree(project.site_dir), clean) == []


@pytest.mark.slow
def test_no_cache_builds_everything_and_writes_the_cache_anew(small_site: Path) -> None:
    project = Project.open(small_site)
    pipeline.build(project)
    built = pipeline.build(project, use_cache=False)
    assert built.engine is not None and built.engine.cached == 0
    assert built.rendering is not None and built.rendering.reused == 0
    again = pipeline.build(project)
    assert again.engine is not None and again.engine.built == 0


@pytest.mark.slow
def test_an_engine_of_another_version_builds_everything_with_its_own_build(
    small_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project.open(small_site)
    pipeline.build(project)
    monkeypatch.setattr(internals, "unsupported_engine", lambda: "mkdocs 2.0.1 is installed")
    built = pipeline.build(project)
    assert built.engine is not None and built.engine.plain_engine == "mkdocs 2.0.1 is installed"
    assert built.engine.cached == 0


# Failures ----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_page_that_fails_in_a_worker_fails_the_build_and_keeps_the_site(
    small_site: Path, monkeypatch: pytest.MonkeyPatch, share_every_page: None
) -> None:
    project = Project.open(small_site)
    pipeline.build(project)
    before = tree(project.site_dir)
    real = internals.populate_page

    def failing(page, config, files):  # type: ignore[no-untyped-def]
        if page.file.src_uri == "events/bridge-built.md":
            from mkdocs.exceptions import PluginError

            raise PluginError("the page broke")
        real(page, config, files)

    monkeypatch.setattr(internals, "populate_page", failing)
    EDITS["event title"](small_site)
    EDITS["actor name"](small_site)
    with pytest.raises(BuildError, match="the page broke"):
        pipeline.build(project, use_cache=False, jobs=2)
    assert tree(project.site_dir) == before


def test_content_errors_save_no_cache(small_site: Path) -> None:
    edit(small_site / "content/quotes/lopez-safety.yml", "speaker: ana-lopez", "speaker: nobody")
    with pytest.raises(ContentError):
        pipeline.build(Project.open(small_site))
    assert not (small_site / ".backstory" / "cache" / "render.marshal").exists()
    assert not (small_site / ".backstory" / "cache" / "pages.marshal").exists()


def test_a_theme_that_reads_every_page_or_the_date_is_known(tmp_path: Path) -> None:
    from backstory.build.engine.pages import theme_reads

    theme = tmp_path / "theme"
    (theme / "partials").mkdir(parents=True)
    (theme / "main.html").write_text("{# every page, the date #}{{ page.title }}\n")
    (theme / "partials" / "nav.html").write_text("{% for p in nav_item.pages %}{% endfor %}")
    (theme / "sitemap.xml").write_text("{% for p in pages %}{{ p.update_date }}{% endfor %}")
    static = ("sitemap.xml",)
    assert theme_reads((str(theme),), static) == frozenset()
    (theme / "partials" / "list.html").write_text("{% for p in pages %}{% endfor %}")
    assert theme_reads((str(theme),), static) == {"pages"}
    (theme / "main.html").write_text("{{ page.update_date }} {{ build_date_utc }}")
    assert theme_reads((str(theme),), static) == {"pages", "update_date", "build_date_utc"}
    (theme / "main.html").write_text("{% if pages %}")  # unparsable: counts as reading all
    assert theme_reads((str(theme),), ("other",)) == {"pages", "update_date", "build_date_utc"}


# The command line ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_build_takes_jobs_and_no_cache_and_says_what_the_cache_gave(small_site: Path) -> None:
    from .test_cli import run

    code, _, err = run("--root", str(small_site), "build", "--jobs", "1")
    assert code == 0, err
    assert "took 0 from the cache" in err and "one process" in err
    code, _, err = run("--root", str(small_site), "build")
    assert code == 0, err
    assert "the engine built 0 page(s)" in err
    assert re.search(r"render [\d.]+ s: 0 file\(s\) rendered", err)
    assert re.search(r"; search index [\d.]+ s; swap [\d.]+ s$", err.strip())
    code, _, err = run("--root", str(small_site), "build", "--no-cache", "-j", "2")
    assert code == 0, err
    assert "took 0 from the cache" in err
    code, _, err = run("--root", str(small_site), "build", "--jobs", "0")
    assert code == 2 and "--jobs" in err
