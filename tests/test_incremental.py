"""The preview's incremental refresh: after any edit, the docs folder holds exactly what a full
render gives, and only the files that show the edited fact were rendered and written again."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from backstory.build import pipeline
from backstory.errors import ContentError
from backstory.facts import resolve
from backstory.preview.session import PreviewSession
from backstory.preview.tracking import WHOLE, changed_entries, render_recorded
from backstory.project import Project
from backstory.site import pages as render
from backstory.site.outputs import OutputJob
from tests.conftest import graph_with


def docs_on_disk(root: Path) -> dict[str, str]:
    docs = Project.open(root).docs_dir
    found = {}
    for path in docs.rglob("*"):
        if path.is_file() and path.name != ".backstory-generated":
            found[path.relative_to(docs).as_posix()] = path.read_text(encoding="utf-8")
    return found


def assert_same_as_full_render(session: PreviewSession, root: Path) -> None:
    full = pipeline.render_site(Project.open(root)).pages
    assert session.files is not None
    assert session.files.texts == full
    assert docs_on_disk(root) == full


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def content(root: Path, relative: str) -> Path:
    return root / "content" / relative


EDITS: dict[str, Callable[[Path], None]] = {
    "quote text": lambda root: edit(
        content(root, "quotes/lopez-safety.yml"), "will not wait", "shall not wait"
    ),
    "event title": lambda root: edit(
        content(root, "events/council-vote.yml"), "Council votes", "Council decides"
    ),
    "event date": lambda root: edit(
        content(root, "events/council-vote.yml"), "date: 2024-03-04", "date: 2024-02"
    ),
    "actor name": lambda root: edit(
        content(root, "actors/ana-lopez.yml"), "Ana López", "Ana M. López"
    ),
    "source title": lambda root: edit(
        content(root, "sources/council-minutes.yml"), "title: ", "title: Signed "
    ),
    "story topics": lambda root: edit(
        content(root, "stories/river-bridge.yml"),
        "topics: [infrastructure]",
        "topics: [infrastructure, safety]",
    ),
    "story published": lambda root: edit(
        content(root, "stories/river-bridge.yml"), "published: 2024-03-05", "published: 2024-03-04"
    ),
    "new actor": lambda root: content(root, "actors/cara-diaz.yml").write_text(
        "name: Cara Díaz\ntype: person\nrole: engineer\naffiliation: river-council\n",
        encoding="utf-8",
    ),
    "new quote": lambda root: content(root, "quotes/okafor-again.yml").write_text(
        "text: Still safe.\nspeaker: ben-okafor\ndate: 2024-03-07\nsource: gazette-bridge\n"
        "via: interview\nstories: [river-bridge]\ndisputes: [lopez-safety]\n",
        encoding="utf-8",
    ),
    "deleted quote": lambda root: content(root, "quotes/okafor-disagrees.yml").unlink(),
    "draft published": lambda root: edit(
        content(root, "stories/draft-story.yml"), "draft: true", "draft: false"
    ),
    "handwritten page": lambda root: edit(content(root, "pages/about.md"), "\n", "\nEdited.\n"),
    "new handwritten page": lambda root: content(root, "pages/contact.md").write_text(
        "# Contact\n", encoding="utf-8"
    ),
    "site template": lambda root: (
        (root / "templates").mkdir()
        or (root / "templates" / "event.md.j2").write_text(
            "# {{ event.title | text }}\n", encoding="utf-8"
        )
    ),
    "settings": lambda root: edit(root / "mkdocs.yml", "site_name: ", "site_name: Renamed "),
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_a_refresh_after_an_edit_gives_what_a_full_render_gives(
    small_site: Path, name: str
) -> None:
    session = PreviewSession(small_site)
    session.refresh()
    EDITS[name](small_site)
    session.refresh()
    assert_same_as_full_render(session, small_site)


@pytest.mark.parametrize("split", [False, True], ids=["one-page-lists", "lists-by-year"])
def test_edits_one_after_another_stay_equal_to_a_full_render(
    small_site: Path, split: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if split:
        monkeypatch.setattr(resolve, "LIST_PAGE_LIMIT", 1)
        monkeypatch.setattr(render, "HOME_STORY_LIMIT", 1)
    session = PreviewSession(small_site)
    session.refresh()
    for name in sorted(EDITS):
        EDITS[name](small_site)
        session.refresh()
        assert_same_as_full_render(session, small_site)


def test_a_quote_edit_renders_and_writes_only_what_shows_the_quote(small_site: Path) -> None:
    session = PreviewSession(small_site)
    first = session.refresh()
    assert first.everything and first.written
    untouched = {
        path: os.stat(Project.open(small_site).docs_dir / path).st_mtime_ns
        for path in ("index.md", "sources.md", "timeline.md", "actors/river-council.md")
    }
    EDITS["quote text"](small_site)
    refresh = session.refresh()
    assert not refresh.everything
    assert refresh.written == [
        "actors/ana-lopez.md",
        "actors/ben-okafor.md",  # his quote disputes it, and the dispute shows both
        "api/index.json",
        "api/quotes/lopez-safety.json",
        "api/stories/river-bridge.json",
        "events/council-vote.md",
        "stories/river-bridge.md",
    ]
    assert refresh.removed == []
    docs = Project.open(small_site).docs_dir
    for path, mtime in untouched.items():
        assert os.stat(docs / path).st_mtime_ns == mtime, f"{path} was rewritten"


def test_a_refresh_with_nothing_changed_renders_and_writes_nothing(small_site: Path) -> None:
    session = PreviewSession(small_site)
    session.refresh()
    again = session.refresh()
    assert again.written == [] and again.removed == []
    fixed = {"about.md", "assets/backstory.css", "assets/backstory.js", "robots.txt"} | {
        p for p in again_paths(session) if p.startswith("api/schema/")
    }
    assert sorted(again.rendered) == sorted(
        fixed
    )  # only files whose text is given, not read from facts


def again_paths(session: PreviewSession) -> list[str]:
    assert session.files is not None
    return list(session.files.texts)


def test_a_deleted_fact_removes_its_files(small_site: Path) -> None:
    session = PreviewSession(small_site)
    session.refresh()
    content(small_site, "quotes/okafor-disagrees.yml").unlink()
    content(small_site, "quotes/lopez-safety.yml").unlink()
    content(small_site, "events/secret-plan.yml").unlink()
    refresh = session.refresh()
    assert "api/quotes/okafor-disagrees.json" in refresh.removed
    assert_same_as_full_render(session, small_site)


def test_an_edit_with_errors_changes_nothing_and_the_next_good_edit_catches_up(
    small_site: Path,
) -> None:
    session = PreviewSession(small_site)
    session.refresh()
    before = docs_on_disk(small_site)
    EDITS["event title"](small_site)
    edit(
        content(small_site, "quotes/lopez-safety.yml"),
        "speaker: ana-lopez",
        "speaker: nobody-known",
    )
    with pytest.raises(ContentError):
        session.refresh()
    assert docs_on_disk(small_site) == before
    edit(
        content(small_site, "quotes/lopez-safety.yml"),
        "speaker: nobody-known",
        "speaker: ana-lopez",
    )
    session.refresh()
    assert_same_as_full_render(session, small_site)


def test_changed_entries_names_the_fact_its_membership_and_each_changed_mapping(
    small_site: Path,
) -> None:
    before = graph_with(small_site, {})
    after = graph_with(
        small_site,
        {
            "actors/cara-diaz.yml": "name: Cara Díaz\ntype: person\naffiliation: river-council\n",
        },
    )
    changed = changed_entries(before, after)
    assert ("actors", "cara-diaz") in changed
    assert ("actors?", "cara-diaz") in changed
    assert ("actors", WHOLE) in changed
    assert ("actor_members", "river-council") in changed
    assert ("actors", "ana-lopez") not in changed
    assert ("stories", WHOLE) not in changed
    assert changed_entries(after, after) == set()


def test_a_job_is_run_again_only_when_something_it_read_changed(small_site: Path) -> None:
    graph = graph_with(small_site, {})
    jobs = [
        OutputJob("speaker.txt", lambda g: g.actors["ana-lopez"].name),
        OutputJob("count.txt", lambda g: str(len(g.quotes))),
        OutputJob("linked.txt", lambda g: str("ben-okafor" in g.actors)),
    ]
    first, ran = render_recorded(jobs, graph)
    assert ran == ["speaker.txt", "count.txt", "linked.txt"]
    renamed = graph_with(
        small_site, {"actors/ben-okafor.yml": "name: Benjamin Okafor\ntype: person\n"}
    )
    second, ran = render_recorded(jobs, renamed, first)
    assert ran == []  # nothing read Okafor's name; "linked" only asked whether he exists
    assert second.texts == first.texts
    new_quote = graph_with(
        small_site,
        {
            "quotes/new-one.yml": "text: New.\nspeaker: ana-lopez\ndate: 2024-03-08\nsource: gazette-bridge\n"
            "via: statement\nstories: [river-bridge]\n",
        },
    )
    third, ran = render_recorded(jobs, new_quote, second)
    assert ran == ["count.txt"]
    assert third.texts["count.txt"] == str(len(new_quote.quotes))


def test_a_year_page_of_a_split_list_is_rendered_again_only_for_its_own_year(
    small_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resolve, "LIST_PAGE_LIMIT", 2)
    session = PreviewSession(small_site)
    assert "timeline/1931.md" in session.refresh().written
    EDITS["event title"](small_site)  # an event of 2024
    refresh = session.refresh()
    assert "timeline/2024.md" in refresh.written
    assert "timeline/1931.md" not in refresh.rendered
    assert "timeline.md" not in refresh.rendered  # the years and their counts did not change
    assert_same_as_full_render(session, small_site)


def site_pages(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*.html"))
    }


@pytest.mark.slow
def test_the_warm_engine_builds_what_a_fresh_build_gives(small_site: Path, tmp_path: Path) -> None:
    from backstory.build.engine.warm import PreviewBuilder

    session = PreviewSession(small_site)
    session.refresh()
    warm = PreviewBuilder(session.project, tmp_path / "warm", "http://127.0.0.1:8000/river/")
    warm.build_everything()
    for name in ("quote text", "event title", "new actor", "deleted quote", "new handwritten page"):
        EDITS[name](small_site)
        refresh = session.refresh()
        warm.update(refresh.written, refresh.removed)
    fresh = PreviewBuilder(session.project, tmp_path / "fresh", "http://127.0.0.1:8000/river/")
    fresh.build_everything()
    assert site_pages(tmp_path / "warm") == site_pages(tmp_path / "fresh")
    assert (tmp_path / "warm" / "actors" / "cara-diaz" / "index.html").is_file()
    assert not (tmp_path / "warm" / "api" / "quotes" / "okafor-disagrees.json").exists()
