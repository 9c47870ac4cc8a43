"""Build through the engine: strict, swapped into place only on success, deterministic."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from backstory.build.pipeline import build
from backstory.errors import ContentError
from backstory.project import Project

from .conftest import tree_snapshot


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_build_writes_the_site(small_site: Path) -> None:
    build(Project.open(small_site))
    site = small_site / "site"
    for page in (
        "index.html",
        "stories/river-bridge/index.html",
        "actors/ana-lopez/index.html",
        "events/council-vote/index.html",
        "timeline/index.html",
        "sources/index.html",
        "about/index.html",
        "pagefind/pagefind-entry.json",
        "pagefind/pagefind-component-ui.js",
        "sitemap.xml",
    ):
        assert (site / page).is_file(), page
    assert not (site / "stories/draft-story/index.html").exists()


def test_two_builds_are_byte_identical(small_site: Path, tmp_path: Path) -> None:
    build(Project.open(small_site))
    first = tree_digest(small_site / "site")
    (small_site / "site").rename(tmp_path / "first-site")
    build(Project.open(small_site))
    assert tree_digest(small_site / "site") == first


def test_sitemap_dates_come_from_the_facts(small_site: Path) -> None:
    build(Project.open(small_site))
    sitemap = (small_site / "site" / "sitemap.xml").read_text()
    assert "<lastmod>2024-03-06</lastmod>" in sitemap  # the story's updated date
    assert "2026" not in sitemap and "2025" not in sitemap


def test_failed_build_leaves_the_last_good_site_untouched(small_site: Path) -> None:
    project = Project.open(small_site)
    build(project)
    before = tree_snapshot(small_site / "site")
    content_before = tree_snapshot(small_site / "content")
    story = small_site / "content" / "stories" / "river-bridge.yml"
    story.write_text(story.read_text().replace("published: 2024-03-05", "published: 2024-02-30"))
    content_before = tree_snapshot(small_site / "content")
    with pytest.raises(ContentError):
        build(project)
    assert tree_snapshot(small_site / "site") == before
    assert tree_snapshot(small_site / "content") == content_before


def test_engine_failure_leaves_the_last_good_site_untouched(small_site: Path) -> None:
    from backstory.errors import BuildError

    project = Project.open(small_site)
    build(project)
    before = tree_snapshot(small_site / "site")
    # A hand-written page with a broken link fails the strict engine build.
    (small_site / "content" / "pages" / "about.md").write_text("# About\n\n[broken](nowhere.md)\n")
    with pytest.raises(BuildError, match=r"nowhere\.md"):
        build(project)
    assert tree_snapshot(small_site / "site") == before


def test_html_in_facts_is_shown_as_text_in_the_built_site(small_site: Path) -> None:
    from bs4 import BeautifulSoup

    build(Project.open(small_site))
    html = (small_site / "site" / "stories" / "river-bridge" / "index.html").read_text()
    soup = BeautifulSoup(html, "html.parser")
    assert not [s for s in soup.find_all("script") if "alert" in s.get_text()]
    assert not soup.select("article em, article b")
    article = soup.find("article").get_text()
    assert "<script>alert('x')</script>" in article
    assert "The cracks are <em>cosmetic</em>" in article


def test_a_second_build_at_once_is_refused_clearly(small_site: Path) -> None:
    from backstory.build.lock import build_lock
    from backstory.errors import BuildLocked

    project = Project.open(small_site)
    with (
        build_lock(project.work_dir),
        pytest.raises(BuildLocked, match="another build of this site is running"),
    ):
        build(project)
    build(project)  # the lock is free again


def test_a_killed_build_leaves_the_old_site_or_the_new_one(
    small_site: Path, tmp_path: Path
) -> None:
    import os
    import shutil
    import signal
    import subprocess
    import sys
    import time

    project = Project.open(small_site)
    build(project)
    old = tree_digest(small_site / "site")
    story = small_site / "content" / "stories" / "river-bridge.yml"
    story.write_text(
        story.read_text().replace("Why River Town closed its bridge", "Why the bridge closed")
    )
    reference = tmp_path / "reference"
    shutil.copytree(small_site, reference)
    build(Project.open(reference))
    new = tree_digest(reference / "site")
    assert new != old
    for delay in (0.3, 0.6, 0.9, 1.2, 1.5, 2.5):
        process = subprocess.Popen(
            [sys.executable, "-m", "backstory", "build"],
            cwd=small_site,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        current = tree_digest(small_site / "site")
        assert current in (old, new), f"a build killed after {delay}s left a mixed site"
        if current == new:
            break
    assert os.path.isdir(small_site / "site")


def test_the_search_indexes_each_page_and_quote_with_its_kind_and_topics(small_site: Path) -> None:
    from .search_index import indexed

    build(Project.open(small_site))
    records = indexed(small_site / "site")
    kinds = {url: record["filters"].get("kind") for url, record in records.items()}
    assert kinds == {
        "/stories/river-bridge/": ["Explainer"],
        "/actors/ana-lopez/": ["Person"],
        "/actors/ben-okafor/": ["Person"],
        "/actors/river-council/": ["Organization"],
        "/events/bridge-built/": ["Event"],
        "/events/bridge-inspection/": ["Event"],
        "/events/council-vote/": ["Event"],
        "/topics/infrastructure/": ["Topic"],
        "/about/": ["Page"],
        "/actors/ana-lopez/#quote-lopez-safety": ["Quote"],
        "/actors/ben-okafor/#quote-okafor-disagrees": ["Quote"],
    }, "the lists (home, timeline, sources...) and drafts are not searched; every quote is"
    quote = records["/actors/ana-lopez/#quote-lopez-safety"]
    assert quote["meta"]["title"].startswith("Ana López: “The bridge is not safe")
    assert quote["filters"]["topic"] == ["infrastructure"]
    assert "we will not wait for it to fall" in quote["content"]
    story = records["/stories/river-bridge/"]
    assert story["meta"]["title"] == "Why River Town closed its bridge"
    assert "¶" not in story["content"] and "[1]" not in story["content"]
    # A topic is what explainers (and their quotes) are about; people and events have none.
    topics = {url: record["filters"].get("topic") for url, record in records.items()}
    assert topics["/stories/river-bridge/"] == ["infrastructure"]
    assert topics["/topics/infrastructure/"] == ["infrastructure"]
    assert topics["/actors/ana-lopez/"] is None and topics["/events/council-vote/"] is None


def test_a_page_can_leave_the_search(small_site: Path) -> None:
    from .search_index import indexed

    about = small_site / "content" / "pages" / "about.md"
    about.write_text("---\nsearch:\n  exclude: true\n---\n\n# About\n\nFor the newsroom.\n")
    build(Project.open(small_site))
    assert "/about/" not in indexed(small_site / "site")
    assert (small_site / "site" / "about" / "index.html").is_file()


def test_a_failed_search_index_fails_the_build_and_keeps_the_last_good_site(
    small_site: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from backstory.errors import BuildError

    project = Project.open(small_site)
    build(project)
    before = tree_snapshot(small_site / "site")
    broken = tmp_path / "pagefind"
    broken.write_text(
        "#!/bin/sh\ncase \"$1\" in --version) echo 'pagefind 1.6.0';; "
        "*) echo 'index exploded' >&2; exit 3;; esac\n"
    )
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    with pytest.raises(BuildError, match="index exploded"):
        build(project)
    assert tree_snapshot(small_site / "site") == before
    assert not (small_site / ".backstory" / "site-staging").exists()


def test_an_old_pagefind_is_refused_with_a_way_out(
    small_site: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from backstory.errors import BuildError

    old = tmp_path / "pagefind"
    old.write_text("#!/bin/sh\necho 'pagefind 1.5.2'\n")
    old.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(old))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(
        BuildError, match=r"Pagefind 1\.6 or newer; found only .*pagefind \(1\.5\.2\)"
    ):
        build(Project.open(small_site))


def test_a_404_page_robots_txt_and_feeds_are_published(small_site: Path) -> None:
    build(Project.open(small_site))
    site = small_site / "site"
    assert "404" in (site / "404.html").read_text()
    robots = (site / "robots.txt").read_text()
    assert robots.splitlines() == [
        "User-agent: *",
        "Allow: /",
        "Sitemap: https://news.example.org/river/sitemap.xml",
    ]
    for name in ("feed.xml", "corrections.xml", "api/index.json"):
        assert (site / name).is_file(), name


def test_a_site_with_lists_split_by_year_builds_strictly(
    small_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backstory.facts import resolve
    from backstory.site import pages as render

    monkeypatch.setattr(resolve, "LIST_PAGE_LIMIT", 0)
    monkeypatch.setattr(render, "HOME_STORY_LIMIT", 0)
    build(Project.open(small_site))  # strict: every link between the pages resolves
    site = small_site / "site"
    for page in (
        "timeline/index.html",
        "timeline/1931/index.html",
        "timeline/2024-03/index.html",
        "archive/index.html",
        "archive/2024-03/index.html",
        "sources/2024-03/index.html",
    ):
        assert (site / page).is_file(), page
    assert 'href="../"' in (site / "timeline/1931/index.html").read_text()
    assert 'id="source-gazette-bridge"' in (site / "sources/2024-03/index.html").read_text()
    api = (site / "api/sources/gazette-bridge.json").read_text()
    assert (
        '"page_url":"https://news.example.org/river/sources/2024-03/#source-gazette-bridge"' in api
    )
