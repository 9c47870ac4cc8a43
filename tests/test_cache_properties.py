"""Property: whatever sequence of edits a newsroom makes (facts of every kind added, changed,
renamed and deleted; the settings, a template override or a hand-written page changed), a build
that took files and pages from the caches, with its pages shared among workers, is byte for
byte the site a clean one-process build of the same content gives, every output file of it.
An edit that breaks the content fails both builds alike."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from backstory.build import pipeline
from backstory.build.engine import site_build
from backstory.errors import BackstoryError
from backstory.project import Project

from .conftest import SMALL_SITE
from .test_build_cache import differences, tree

WORDS = ["cracks", "vote", "Río", "budget", "<b>bold</b>", "[@gazette-bridge]"]
TEXT_FIELDS = ("name", "title", "text", "summary", "role", "publisher")
"""Fields whose text any fact may change without breaking a reference."""

PACKAGE_TEMPLATES = Path(pipeline.__file__).parents[1] / "site" / "templates"

Edit = Callable[[Path, int], None]
"""An edit of a site; the number chooses among its variants."""


def pick(options: list[Any], choice: int) -> Any:
    return options[choice % len(options)]


def facts(root: Path) -> list[Path]:
    return sorted((root / "content").glob("*/*.yml"))


def change_fact(root: Path, choice: int) -> None:
    path = pick(facts(root), choice)
    fact = yaml.safe_load(path.read_text(encoding="utf-8"))
    fields = [k for k in TEXT_FIELDS if isinstance(fact.get(k), str)]
    if fields:
        field = pick(fields, choice // 7)
        fact[field] = f"{fact[field]} {pick(WORDS, choice // 3)}"
    else:
        fact["date"] = pick(["2024-03-01", "2023-11", "1999"], choice)
    path.write_text(yaml.safe_dump(fact, allow_unicode=True, sort_keys=False), encoding="utf-8")


def add_fact(root: Path, choice: int) -> None:
    kind = pick(["actors", "sources", "events", "quotes", "stories"], choice)
    number = len(facts(root))
    actor = pick(["ana-lopez", "ben-okafor", "river-council"], choice // 5)
    new = {
        "actors": {"name": f"Person {number}", "type": "person", "affiliation": "river-council"},
        "sources": {"title": f"Report {number}", "publisher": "Gazette", "type": "article"},
        "events": {
            "title": f"Event {number}",
            "date": pick(["2024-03-02", "2024-01", "2019"], choice // 3),
            "stories": ["river-bridge"],
            "sources": ["gazette-bridge"],
            "actors": [actor],
        },
        "quotes": {
            "text": f"Words {number}.",
            "speaker": actor,
            "date": "2024-03-03",
            "source": "council-minutes",
            "via": "interview",
            "stories": ["river-bridge"],
        },
        "stories": {
            "title": f"Story {number}",
            "summary": f"About [[{actor}]] [@gazette-bridge].",
            "published": pick(["2024-03-07", "2023-05-01"], choice // 3),
            "topics": [pick(["infrastructure", "budget"], choice // 2)],
        },
    }[kind]
    target = root / "content" / kind / f"new-{kind}-{number}.yml"
    target.write_text(yaml.safe_dump(new, allow_unicode=True, sort_keys=False), encoding="utf-8")


def rename_fact(root: Path, choice: int) -> None:
    """A new id for a fact, and every reference to it rewritten."""
    path = pick(facts(root), choice)
    old, new = path.stem, f"{path.stem}-renamed"
    path.rename(path.with_name(f"{new}.yml"))
    for other in facts(root):
        text = other.read_text(encoding="utf-8")
        other.write_text(re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", new, text), "utf-8")


def delete_fact(root: Path, choice: int) -> None:
    """A fact nothing names is deleted; deleting one that is named breaks the content."""
    pick(facts(root), choice).unlink()


SETTINGS = [
    ("site_description: A fixture for Backstory's tests.", "site_description: Changed."),
    ("  - About: about.md\n", ""),
    ("  - attr_list\n", "  - attr_list\n  - admonition\n"),
    ("  font: false\n", "  font: false\n  palette:\n    primary: teal\n"),
]


def change_settings(root: Path, choice: int) -> None:
    """One of a few changes of mkdocs.yml, or its undoing."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    old, new = pick(SETTINGS, choice)
    config.write_text(text.replace(old, new, 1) if old in text else text.replace(new, old, 1))


def change_template(root: Path, choice: int) -> None:
    name = pick(["event.md.j2", "actor.md.j2", "home.md.j2"], choice)
    target = root / "templates" / name
    if target.exists() and choice % 2:
        target.unlink()
        return
    target.parent.mkdir(exist_ok=True)
    original = (PACKAGE_TEMPLATES / name).read_text(encoding="utf-8")
    target.write_text(original + f"\nOverridden: {pick(WORDS, choice // 3)}\n", encoding="utf-8")


PAGE_LINKS = ["about.md", "guide.md", "notes.md#the-vote", "notes.md#the-budget", "timeline.md"]


def change_page(root: Path, choice: int) -> None:
    """A hand-written page written anew (another heading, a link to another page or to one
    of its sections) or deleted. notes.md is in the navigation by its heading."""
    pages = root / "content" / "pages"
    name = pick(["about.md", "notes.md", "guide.md"], choice)
    if (pages / name).exists() and choice % 5 == 4:
        (pages / name).unlink()
        return
    heading = pick(["The vote", "The budget"], choice // 3)
    link = pick(PAGE_LINKS, choice // 6)
    (pages / name).write_text(
        f"# {heading} {name[:-3]}\n\n## {heading}\n\nSee [more]({link}).\n", encoding="utf-8"
    )


EDITS: dict[str, Edit] = {
    "change a fact": change_fact,
    "add a fact": add_fact,
    "rename a fact": rename_fact,
    "delete a fact": delete_fact,
    "change the settings": change_settings,
    "change a template override": change_template,
    "change a hand-written page": change_page,
}


def outcome(root: Path, **options: object) -> str | dict[str, str]:
    """The built site's files, or the kind of error that refused the build."""
    try:
        pipeline.build(Project.open(root), **options)  # type: ignore[arg-type]
    except BackstoryError as error:
        return type(error).__name__
    return tree(root / "site")


def clean_copy(root: Path, folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    shutil.copy(root / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(root / "content", folder / "content")
    if (root / "templates").is_dir():
        shutil.copytree(root / "templates", folder / "templates")
    return folder


def starting_site(root: Path) -> None:
    """The small site with two more hand-written pages: one in the navigation by its own
    heading, one linking to a section of it; links to anchors are checked."""
    shutil.copytree(SMALL_SITE, root, ignore=shutil.ignore_patterns(".backstory", "site"))
    pages = root / "content" / "pages"
    (pages / "notes.md").write_text("# Notes\n\n## The vote\n\nIt passed.\n", encoding="utf-8")
    (pages / "guide.md").write_text("# Guide\n\nSee [the vote](notes.md#the-vote).\n", "utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("  - About: about.md\n", "  - About: about.md\n  - notes.md\n")
    config.write_text(text + "  links:\n    anchors: warn\n", encoding="utf-8")


EDIT_SEQUENCES = st.lists(
    st.tuples(st.sampled_from(sorted(EDITS)), st.integers(0, 10_000)), min_size=1, max_size=4
)


@pytest.mark.slow
@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(edits=EDIT_SEQUENCES)
# Every kind of edit at least once, whatever the random examples draw: the settings; a page
# that links to another which then goes; a page in the navigation by its heading that gets
# another; facts changed, added, renamed and deleted; a template override.
@example(edits=[("change the settings", 3), ("change the settings", 2), ("change the settings", 1)])
@example(edits=[("change a hand-written page", 6), ("change a hand-written page", 14)])
@example(edits=[("change a hand-written page", 26), ("change a hand-written page", 10)])
@example(edits=[("change a fact", 5), ("add a fact", 4), ("rename a fact", 1)])
@example(edits=[("delete a fact", 11), ("change a template override", 0)])
def test_a_cached_build_is_a_clean_build_after_any_edits(edits: list[tuple[str, int]]) -> None:
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(site_build, "MIN_PAGES_PER_WORKER", 1)  # workers even for a small site
        root = Path(folder) / "site-root"
        starting_site(root)
        assert isinstance(outcome(root, jobs=2), dict)
        for name, choice in edits:
            EDITS[name](root, choice)
            cached = outcome(root, jobs=2)
            clean = outcome(clean_copy(root, Path(folder) / "clean"), use_cache=False, jobs=1)
            if isinstance(cached, dict) and isinstance(clean, dict):
                assert differences(cached, clean) == [], (name, choice)
            else:
                assert cached == clean, (name, choice)
