"""Render stage: golden Markdown for the small fixture site, and the rules pages must follow."""

from __future__ import annotations

from pathlib import Path

import pytest

from backstory.build.pipeline import render_site
from backstory.errors import ContentError
from backstory.project import Project
from backstory.site.templates import format_date

from .conftest import GOLDEN

GOLDEN_SITE = GOLDEN / "small-site"


def rendered_pages(root: Path, **options: bool) -> dict[str, str]:
    pages = render_site(Project.open(root), **options).pages
    return {path: text for path, text in pages.items() if path.endswith(".md")}


@pytest.mark.parametrize("fixture", ["small_site", "v2_site"])
def test_fixture_sites_match_golden_markdown(
    fixture: str, request: pytest.FixtureRequest, check_golden, update_golden: bool
) -> None:
    root = request.getfixturevalue(fixture)
    golden_site = GOLDEN / root.name
    pages = rendered_pages(root)
    for path, text in pages.items():
        check_golden(golden_site / path, text)
    on_disk = {p.relative_to(golden_site).as_posix() for p in golden_site.rglob("*.md")}
    if update_golden:
        for stale in on_disk - set(pages):
            (golden_site / stale).unlink()
    else:
        assert on_disk == set(pages), "golden files and rendered pages differ in their set of pages"


def test_rendering_is_deterministic(small_site: Path) -> None:
    assert rendered_pages(small_site) == rendered_pages(small_site)


def test_drafts_render_only_when_asked(small_site: Path) -> None:
    assert "stories/draft-story.md" not in rendered_pages(small_site)
    pages = rendered_pages(small_site, include_drafts=True)
    assert "stories/draft-story.md" in pages
    assert "events/secret-plan.md" in pages


def test_html_in_facts_is_escaped_everywhere(small_site: Path) -> None:
    pages = rendered_pages(small_site)
    for path, text in pages.items():
        assert "<script" not in text, path
        assert "<em>" not in text and "<b>" not in text, path


def test_site_template_overrides_package_template(small_site: Path) -> None:
    (small_site / "templates").mkdir()
    (small_site / "templates" / "timeline.md.j2").write_text(
        "# Our own timeline\n\n{{ event_ids | length }} events\n"
    )
    pages = rendered_pages(small_site)
    assert pages["timeline.md"] == "# Our own timeline\n\n3 events\n"


def test_errors_in_site_templates_are_located(small_site: Path) -> None:
    (small_site / "templates").mkdir()
    template = small_site / "templates" / "timeline.md.j2"
    template.write_text("# Timeline\n\n{{ no_such_thing }}\n")
    with pytest.raises(ContentError) as raised:
        rendered_pages(small_site)
    assert [d.format() for d in raised.value.diagnostics] == [
        "templates/timeline.md.j2:3:1: error: template error: 'no_such_thing' is undefined"
    ]
    template.write_text("# Timeline\n{% for x in %}\n")
    with pytest.raises(ContentError) as raised:
        rendered_pages(small_site)
    assert [d.format() for d in raised.value.diagnostics] == [
        "templates/timeline.md.j2:2:1: error: template error: Expected an expression, got 'end of statement block'"
    ]


@pytest.mark.parametrize(
    ("value", "shown"),
    [("2020", "2020"), ("2020-01", "January 2020"), ("2020-01-13", "January 13, 2020")],
)
def test_dates_are_shown_at_their_precision(value: str, shown: str) -> None:
    assert format_date(value) == shown


def test_topics_and_corrections_pages(small_site: Path) -> None:
    story = small_site / "content" / "stories" / "river-bridge.yml"
    story.write_text(
        story.read_text().replace("topics: [infrastructure]", "topics: [infrastructure, Río Town]")
        + "  - date: 2024-03-07\n    text: A later fix.\n"
    )
    pages = rendered_pages(small_site)
    assert "topics/rio-town.md" in pages and "topics/infrastructure.md" in pages
    assert "[Río Town](rio-town.md) (1 story)" in pages["topics/index.md"]
    corrections = pages["corrections.md"]
    assert corrections.index("March 7, 2024") < corrections.index("March 6, 2024")
    story_page = pages["stories/river-bridge.md"]
    assert story_page.index("March 7, 2024</time>: A later fix.") < story_page.index(
        "March 6, 2024</time>: An earlier"
    )


def test_names_are_also_given_without_diacritics(small_site: Path) -> None:
    pages = rendered_pages(small_site)
    assert "Also known as: Ana Lopez</p>" in pages["actors/ana-lopez.md"]


def test_long_lists_get_a_page_per_year(small_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from backstory.facts import resolve

    monkeypatch.setattr(resolve, "LIST_PAGE_LIMIT", 2)  # 3 events and 3 sources; 1 story
    pages = rendered_pages(small_site)
    timeline = pages["timeline.md"]
    assert "- [1931](timeline/1931.md): 1 event\n" in timeline
    assert "- [2024](timeline/2024.md): 2 events\n" in timeline
    assert "council-vote" not in timeline  # the events are on the year pages
    year = pages["timeline/2024.md"]
    assert year.startswith("---\ndescription: 'Every event of 2024 in Small Test Site")
    assert year.index("events/bridge-inspection.md") < year.index("events/council-vote.md")
    assert "[Whole timeline](../timeline.md)\n" in year
    assert "## Sources" in year  # each year page lists the sources its events cite
    assert "events/bridge-built.md" in pages["timeline/1931.md"]
    assert "- [2024](sources/2024.md): 2 sources\n" in pages["sources.md"]
    assert pages["sources.md"].index("(sources/2024.md)") < pages["sources.md"].index(
        "- [Undated](sources/undated.md): 1 source\n"
    )
    assert 'id="source-gazette-bridge"' in pages["sources/2024.md"]
    assert 'id="source-gazette-bridge"' not in pages["sources.md"]
    assert 'id="source-unused-memo"' in pages["sources/undated.md"]
    assert not [p for p in pages if p.startswith("archive/")]  # one story fits on one page


def test_a_busy_year_gets_a_page_per_month(
    small_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backstory.facts import resolve

    monkeypatch.setattr(resolve, "LIST_PAGE_LIMIT", 1)  # 2024 holds two events and two sources
    pages = rendered_pages(small_site)
    assert "- [1931](timeline/1931.md): 1 event\n" in pages["timeline.md"]
    assert "- [February 2024](timeline/2024-02.md): 1 event\n" in pages["timeline.md"]
    assert "- [March 2024](timeline/2024-03.md): 1 event\n" in pages["timeline.md"]
    assert "# Timeline: March 2024\n" in pages["timeline/2024-03.md"]
    assert "events/council-vote.md" in pages["timeline/2024-03.md"]
    assert "- [March 2024](sources/2024-03.md): 2 sources\n" in pages["sources.md"]
    monkeypatch.setattr(resolve, "LIST_PAGE_LIMIT", 0)
    pages = rendered_pages(small_site)
    assert "- [March 2024](archive/2024-03.md): 1 story\n" in pages["archive.md"]
    assert (
        "[Why River Town closed its bridge](../stories/river-bridge.md)"
        in pages["archive/2024-03.md"]
    )


def test_short_lists_stay_on_one_page(small_site: Path) -> None:
    pages = rendered_pages(small_site)
    assert not [p for p in pages if p.startswith(("timeline/", "archive/", "sources/"))]
    assert 'id="source-gazette-bridge"' in pages["sources.md"]
    assert "events/council-vote.md" in pages["timeline.md"]
    assert "stories/river-bridge.md" in pages["archive.md"]


def test_the_home_page_shows_the_newest_stories_and_links_to_the_rest(
    small_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backstory.site import pages as render

    assert "archive.md" not in rendered_pages(small_site)["index.md"]
    monkeypatch.setattr(render, "HOME_STORY_LIMIT", 0)
    home = rendered_pages(small_site)["index.md"]
    assert "stories/river-bridge.md" not in home
    assert "[All 1 stories](archive.md)" in home
