"""Property: whatever sequence of edits a newsroom makes (facts of every kind added, changed,
renamed and deleted; the settings, a template override or a hand-written page changed), a build
that took files and pages from the caches, with its pages shared among workers, is byte for
byte the site a clean one-process build of the same content gives, every output file of it
(the reader's search bundle too). An edit that breaks the content fails both builds alike."""

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

from .conftest import TESTS
from .test_build_cache import differences, tree

WORDS = ["aftershock", "Río", "toll", "<b>bold</b>", "[@valley-times]", "[[luis-paz]]"]
TEXT_FIELDS = ("name", "title", "text", "summary", "role", "publisher", "label", "note")
"""Fields whose text any fact may change without breaking a reference."""

PACKAGE_TEMPLATES = Path(pipeline.__file__).parents[1] / "site" / "templates"
V2_SITE = TESTS / "fixtures" / "v2-site"

Edit = Callable[[Path, int], None]
"""An edit of a site; the number chooses among its variants."""


def pick(options: list[Any], choice: int) -> Any:
    return options[choice % len(options)]


def facts(root: Path) -> list[Path]:
    return sorted((root / "content").glob("*/*.yml"))


def change_fact(root: Path, choice: int) -> None:
    """Words added to a text field, or a figure's value or a fact's date changed."""
    path = pick(facts(root), choice)
    fact = yaml.safe_load(path.read_text(encoding="utf-8"))
    fields = [k for k in TEXT_FIELDS if isinstance(fact.get(k), str)]
    if isinstance(fact.get("value"), int | float):
        fact["value"] += 1 + choice % 50
    elif fields:
        field = pick(fields, choice // 7)
        fact[field] = f"{fact[field]} {pick(WORDS, choice // 3)}"
    else:
        fact["date"] = pick(["2024-09-13", "2024-09", "2023"], choice)
    path.write_text(yaml.safe_dump(fact, allow_unicode=True, sort_keys=False), encoding="utf-8")


NEW_FACTS: dict[str, Callable[[int, str], dict[str, Any]]] = {
    "actors": lambda n, actor: {"name": f"Person {n}", "type": "person", "role": "witness"},
    "sources": lambda n, actor: {"title": f"Report {n}", "publisher": "Gazette", "type": "article"},
    "events": lambda n, actor: {
        "title": f"Event {n}",
        "date": pick(["2024-09-14", "2024-09", "2023"], n),
        "stories": ["valle-quake"],
        "sources": ["valley-times"],
        "actors": [actor],
    },
    "quotes": lambda n, actor: {
        "text": f"Words {n}.",
        "speaker": actor,
        "date": "2024-09-14",
        "source": "valley-times",
        "via": "interview",
        "stories": ["valle-quake"],
    },
    "stories": lambda n, actor: {
        "title": f"Story {n}",
        "summary": f"About [[{actor}]] [@valley-times].",
        "published": pick(["2024-09-17", "2023-05-01"], n),
        "topics": [pick(["earthquakes", "budget"], n)],
    },
    "figures": lambda n, actor: {
        "label": pick(["Deaths", "Homes destroyed"], n),
        "value": 40 + n,
        "unit": "people",
        "date": "2024-09-15",
        "source": "valley-times",
        "given_by": actor,
        "stories": ["valle-quake"],
    },
    "claims": lambda n, actor: {
        "text": f"Claim {n} about [[{actor}]].",
        "status": "unverified",
        "checked": "2024-09-15",
        "stories": ["valle-quake"],
    },
}


def add_fact(root: Path, choice: int) -> None:
    kind = pick(sorted(NEW_FACTS), choice)
    number = len(facts(root))
    actor = pick(["civil-protection", "luis-paz", "maria-ortega"], choice // 7)
    new = NEW_FACTS[kind](number, actor)
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
    """Mostly a fact nothing names; now and then one that is named, which breaks the content."""
    every = facts(root)
    texts = {path: path.read_text(encoding="utf-8") for path in every}
    unnamed = [
        path
        for path in every
        if not any(
            re.search(rf"(?<![\w-]){re.escape(path.stem)}(?![\w-])", text)
            for other, text in texts.items()
            if other != path
        )
    ]
    pick(unnamed if unnamed and choice % 4 != 3 else every, choice).unlink()


SETTINGS = [
    ("site_description: A fixture for content model version 2.", "site_description: Changed."),
    ("  - About: about.md\n", ""),
    ("  - attr_list\n", "  - attr_list\n  - admonition\n"),
    ("  font: false\n", "  font: false\n  palette:\n    primary: teal\n"),
    ("    timezone: America/Denver\n", "    timezone: Europe/Madrid\n"),
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


PAGE_LINKS = ["about.md", "guide.md", "notes.md#the-vote", "notes.md#the-budget", "index.md"]


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
    """The site of every kind of fact (content model version 2) with two more hand-written
    pages: one in the navigation by its own heading, one linking to a section of it; links
    to anchors are checked."""
    shutil.copytree(V2_SITE, root, ignore=shutil.ignore_patterns(".backstory", "site"))
    pages = root / "content" / "pages"
    (pages / "notes.md").write_text("# Notes\n\n## The vote\n\nIt passed.\n", encoding="utf-8")
    (pages / "guide.md").write_text("# Guide\n\nSee [the vote](notes.md#the-vote).\n", "utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace(
        "  - Home: index.md\n", "  - Home: index.md\n  - About: about.md\n  - notes.md\n"
    )
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
@example(edits=[("change the settings", 3), ("change the settings", 4), ("change the settings", 1)])
@example(edits=[("change a hand-written page", 6), ("change a hand-written page", 14)])
@example(edits=[("change a hand-written page", 26), ("change a hand-written page", 10)])
@example(edits=[("change a fact", 16), ("add a fact", 1), ("add a fact", 2), ("rename a fact", 4)])
@example(edits=[("delete a fact", 5), ("change a fact", 23), ("change a template override", 0)])
def test_a_cached_build_is_a_clean_build_after_any_edits(edits: list[tuple[str, int]]) -> None:
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(site_build, "MIN_PAGES_PER_WORKER", 1)  # workers even for a small site
        root = Path(folder) / "site-root"
        starting_site(root)
        first = outcome(root, jobs=2)
        assert isinstance(first, dict) and "pagefind/pagefind-entry.json" in first
        for name, choice in edits:
            EDITS[name](root, choice)
            cached = outcome(root, jobs=2)
            clean = outcome(clean_copy(root, Path(folder) / "clean"), use_cache=False, jobs=1)
            if isinstance(cached, dict) and isinstance(clean, dict):
                assert differences(cached, clean) == [], (name, choice)
            else:
                assert cached == clean, (name, choice)
