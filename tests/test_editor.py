"""Editor commands: ``backstory new`` (a commented starter fact file) and ``backstory init`` (a new
site with an example story), and the pre-commit hook."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from backstory.build.pipeline import build, check_content
from backstory.cli import cli
from backstory.editor import scaffold, starter
from backstory.editor.installation import installed_backstory
from backstory.editor.schema import render_schemas
from backstory.facts.collections import BY_KIND, BY_NAME, NAMES
from backstory.project import Project

from .conftest import REPO

TODAY = dt.date(2024, 5, 1)


def run(*args: str, today: dt.date = TODAY) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), obj={"today": today}, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def new(root: Path, *args: str) -> tuple[int, str, str]:
    return run("--root", str(root), "new", *args)


def errors_of(root: Path) -> list[str]:
    result = check_content(Project.open(root), today=TODAY)
    return [d.format() for d in result.diagnostics if d.severity == "error"]


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# --- backstory new ---------------------------------------------------------------------------

REQUIRED = {
    "actor": {"name", "type"},
    "source": {"title", "publisher"},
    "event": {"title", "date", "stories", "sources"},
    "quote": {"text", "speaker", "date", "source", "event"},
    "story": {"title", "summary", "published", "questions"},
    "figure": {"label", "value", "date", "source", "stories"},
    "claim": {"text", "status", "checked", "stories"},
}


@pytest.mark.parametrize("kind", list(REQUIRED))
def test_new_writes_a_commented_starter_file(small_site: Path, kind: str) -> None:
    code, out, err = new(small_site, kind, "fresh-fact")
    collection = BY_KIND[kind].name
    path = small_site / "content" / collection / "fresh-fact.yml"
    assert code == 0, err
    assert out.strip() == f"content/{collection}/fresh-fact.yml"
    assert "backstory check" in err
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == f"# yaml-language-server: $schema=../../schemas/{collection}.schema.json"
    data = yaml.safe_load(text)
    # A new story is a draft: left as written, it never reaches the published site.
    assert set(data) == REQUIRED[kind] | ({"draft"} if kind == "story" else set())
    assert data.get("draft") is (True if kind == "story" else None)
    # Every field written is explained by a comment just above it.
    for index, line in enumerate(lines):
        if line and not line.startswith(("#", " ")):
            assert lines[index - 1].startswith("# "), line
    # Optional fields are there to uncomment.
    optional = set(BY_NAME[collection].model.model_fields) - set(data) - {"id"}
    for key in optional:
        assert f"# {key}: " in text, key


def test_new_dates_are_today_where_a_date_is_due(small_site: Path) -> None:
    for kind, key in (("event", "date"), ("quote", "date"), ("story", "published")):
        new(small_site, kind, f"dated-{kind}")
        collection = BY_KIND[kind].name
        text = (small_site / "content" / collection / f"dated-{kind}.yml").read_text()
        assert f"\n{key}: 2024-05-01\n" in text
    new(small_site, "source", "undated-source")
    assert "date" not in yaml.safe_load(
        (small_site / "content/sources/undated-source.yml").read_text()
    )


def test_new_lists_allowed_values_from_the_contract(small_site: Path) -> None:
    new(small_site, "actor", "someone")
    new(small_site, "quote", "something-said")
    new(small_site, "source", "somewhere")
    assert "person, organization" in (small_site / "content/actors/someone.yml").read_text()
    quote = (small_site / "content/quotes/something-said.yml").read_text()
    assert (
        "email, statement, interview, press-conference, court-filing, social-media, report" in quote
    )
    source = (small_site / "content/sources/somewhere.yml").read_text()
    assert "article, wire, email, statement, document, court-record, interview, data" in source


def test_new_refuses_an_id_that_is_not_a_slug(small_site: Path) -> None:
    before = tree(small_site)
    code, out, err = new(small_site, "story", "My Story")
    assert code == 1
    assert err.strip() == (
        "error: 'My Story' is not a valid id: use lowercase letters, digits and single hyphens, "
        "at most 80 characters (try 'my-story')"
    )
    assert out == ""
    code, _, err = new(small_site, "actor", "Zoë_Ann.yml")
    assert code == 1 and "(try 'zoe-ann')" in err
    assert tree(small_site) == before


def test_new_refuses_an_id_used_by_any_collection(small_site: Path) -> None:
    before = tree(small_site)
    code, _, err = new(small_site, "story", "ana-lopez")
    assert code == 1
    assert err.strip() == (
        "error: the id 'ana-lopez' is already used by content/actors/ana-lopez.yml; "
        "ids must be unique across all collections"
    )
    (small_site / "content/sources/other.yaml").write_text("title: T\npublisher: P\n")
    code, _, err = new(small_site, "source", "other")
    assert code == 1 and "content/sources/other.yaml" in err
    assert tree(small_site) == before | {"content/sources/other.yaml": b"title: T\npublisher: P\n"}


def test_new_never_overwrites_a_file(small_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Even when a file appears between the checks and the write, mode "x" keeps it.
    target = small_site / "content/actors/ana-lopez.yml"
    before = target.read_bytes()
    monkeypatch.setattr(
        scaffold, "plan_fact", lambda *args, **kwargs: scaffold.NewFact(target, "name: X\n")
    )
    code, _, err = new(small_site, "actor", "ana-lopez")
    assert code == 1
    assert (
        "content/actors/ana-lopez.yml already exists; backstory new never overwrites a file" in err
    )
    assert target.read_bytes() == before


def test_new_fills_fields_from_options_and_quotes_them_safely(small_site: Path) -> None:
    tricky = 'It\'s "fine": #1 - {not: a map} & *not an alias* !!python/object'
    code, _, err = new(
        small_site,
        "quote",
        "okafor-tricky",
        "--text",
        tricky,
        "--speaker",
        "ben-okafor",
        "--source",
        "gazette-bridge",
        "--story",
        "river-bridge",
        "--date",
        "2024-03-05",
    )
    assert code == 0, err
    text = (small_site / "content/quotes/okafor-tricky.yml").read_text(encoding="utf-8")
    assert yaml.safe_load(text) == {
        "text": tricky,
        "speaker": "ben-okafor",
        "date": dt.date(2024, 3, 5),
        "source": "gazette-bridge",
        "stories": ["river-bridge"],
    }
    assert "\n# event: event-id\n" in text  # with a story given, the event is optional
    assert "next: run backstory check" in err
    assert errors_of(small_site) == []


def test_every_kind_made_with_its_options_passes_check(small_site: Path) -> None:
    commands = [
        ("actor", "cleo-marsh", "--name", "Cléo Marsh: engineer", "--type", "person"),
        (
            "source",
            "radio-report",
            "--title",
            "Bridge: what now?",
            "--publisher",
            "River FM",
            "--type",
            "interview",
            "--url",
            "https://example.org/radio",
            "--date",
            "2024-03-06",
        ),
        (
            "event",
            "bridge-fenced",
            "--title",
            "The bridge is fenced off",
            "--date",
            "2024-03",
            "--story",
            "river-bridge",
            "--source",
            "radio-report",
            "--source",
            "gazette-bridge",
        ),
        (
            "quote",
            "marsh-fence",
            "--text",
            "The fence is a start.",
            "--speaker",
            "cleo-marsh",
            "--source",
            "radio-report",
            "--event",
            "bridge-fenced",
            "--date",
            "2024-03-06",
        ),
        (
            "story",
            "new-bridge",
            "--title",
            "Will River Town get a new bridge?",
            "--date",
            "2024-03-07",
        ),
    ]
    for command in commands:
        code, _, err = new(small_site, *command)
        assert code == 0, err
    assert errors_of(small_site) == []
    actor = yaml.safe_load(
        (small_site / "content/actors/cleo-marsh.yml").read_text(encoding="utf-8")
    )
    assert actor == {"name": "Cléo Marsh: engineer", "type": "person"}
    event = yaml.safe_load((small_site / "content/events/bridge-fenced.yml").read_text())
    assert event["date"] == "2024-03" and event["sources"] == ["radio-report", "gazette-bridge"]
    story = yaml.safe_load((small_site / "content/stories/new-bridge.yml").read_text())
    assert story["published"] == dt.date(2024, 3, 7)


def test_placeholder_ids_fail_check_until_replaced(small_site: Path) -> None:
    code, _, err = new(small_site, "quote", "half-done", "--text", "Words.")
    assert code == 0
    assert "replace each TODO and placeholder id" in err
    assert errors_of(small_site) == [
        "content/quotes/half-done.yml:9:10: error: speaker: unknown actor 'actor-id'",
        "content/quotes/half-done.yml:13:9: error: source: unknown source 'source-id'",
        "content/quotes/half-done.yml:17:8: error: event: unknown event 'event-id'",
    ]


def test_new_refuses_options_that_do_not_apply(small_site: Path) -> None:
    code, _, err = new(small_site, "actor", "someone", "--speaker", "ana-lopez")
    assert code == 2
    assert "--speaker does not apply to an actor; an actor takes --name, --type" in err
    assert not (small_site / "content/actors/someone.yml").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("actor", "x", "--type", "persn"),
            "error: --type 'persn' is not allowed here; write one of: person, organization (did you mean 'person'?)",
        ),
        (
            ("story", "x", "--date", "16/01/2020"),
            "error: --date: expected a date written YYYY-MM-DD, such as 2020-01-16 (got '16/01/2020')",
        ),
        (
            ("event", "x", "--date", "January 2020"),
            "error: --date: expected a date written YYYY-MM-DD, or YYYY-MM or YYYY when only the month or year is known (got 'January 2020')",
        ),
        (
            ("source", "x", "--url", "javascript:alert(1)"),
            "error: --url 'javascript:alert(1)': links may only use http, https or mailto, not 'javascript:'",
        ),
        (
            ("quote", "x", "--speaker", "Ana López"),
            "error: --speaker 'Ana López' is not an id (ids look like 'ana-lopez')",
        ),
        (("quote", "x", "--source", "a", "--source", "b"), "error: a quote takes one --source"),
        (
            ("actor", "x", "--name", "  "),
            "error: --name is empty; give the text or leave the option out",
        ),
    ],
)
def test_new_refuses_bad_values(small_site: Path, args: tuple[str, ...], message: str) -> None:
    before = tree(small_site)
    code, _, err = new(small_site, *args)
    assert code == 1
    assert err.strip() == message
    assert tree(small_site) == before


def test_new_notes_references_that_do_not_exist_yet(small_site: Path) -> None:
    code, out, err = new(
        small_site,
        "event",
        "later",
        "--story",
        "river-brige",
        "--source",
        "fresh-source",
        "--source",
        "ana-lopez",
    )
    assert code == 0 and out.strip() == "content/events/later.yml"
    assert (
        "note: --story 'river-brige': no story has that id yet (did you mean 'river-bridge'?)"
        in err
    )
    assert (
        "note: --source 'fresh-source': no source has that id yet; add it with: backstory new source fresh-source"
        in err
    )
    assert "note: --source 'ana-lopez' is an actor, not a source" in err


def test_new_needs_a_site(tmp_path: Path) -> None:
    code, _, err = run("--root", str(tmp_path), "new", "actor", "someone")
    assert code == 2 and "no mkdocs.yml" in err


def test_new_uses_the_clock_by_default(small_site: Path) -> None:
    result = CliRunner().invoke(cli, ["--root", str(small_site), "new", "story", "today"])
    assert result.exit_code == 0
    text = (small_site / "content/stories/today.yml").read_text()
    assert f"published: {dt.date.today().isoformat()}" in text


# --- backstory init --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("init") / "new-site"
    code, _, err = run("init", str(root))
    assert code == 0, err
    return root


def test_init_writes_a_site(initialised: Path) -> None:
    files = set(tree(initialised))
    for expected in (
        "mkdocs.yml",
        "README.md",
        ".gitignore",
        ".github/workflows/site.yml",
        ".vscode/settings.json",
        "content/pages/about.md",
    ):
        assert expected in files
    for collection in NAMES:
        assert any(f.startswith(f"content/{collection}/") for f in files), collection
    for name, text in render_schemas().items():
        assert (initialised / "schemas" / name).read_text(encoding="utf-8") == text
    settings = json.loads((initialised / ".vscode/settings.json").read_text())
    for collection in NAMES:
        assert (
            settings["yaml.schemas"][f"./schemas/{collection}.schema.json"]
            == f"content/{collection}/*.{{yml,yaml}}"
        )
    config = Project.open(initialised).config
    assert config["docs_dir"] == ".backstory/docs"
    assert config["theme"]["custom_dir"] == ".backstory/theme" and config["theme"]["font"] is False
    assert config["extra_css"] == ["assets/backstory.css"]
    assert [next(iter(item.values())) for item in config["nav"]] == [
        "index.md",
        "archive.md",
        "timeline.md",
        "topics/index.md",
        "sources.md",
        "corrections.md",
        "about.md",
    ]
    assert config["validation"]["nav"]["omitted_files"] == "ignore"
    ignored = (initialised / ".gitignore").read_text().split()
    assert {"site/", ".backstory/", ".venv/"} <= set(ignored)
    workflow = yaml.safe_load((initialised / ".github/workflows/site.yml").read_text())
    steps = workflow["jobs"]["site"]["steps"]
    assert [s["uses"] for s in steps if "uses" in s][:3] == [
        "actions/checkout@v4",
        "actions/setup-python@v5",
        "actions/setup-node@v4",
    ]
    # The README's set-up, then the Makefile's test target (see test_init_installation.py).
    assert [s["run"].splitlines()[-1] for s in steps if "run" in s] == [
        f".venv/bin/python -m pip install {installed_backstory().shell()}",
        "make test FORMAT=github",
    ]
    makefile = (initialised / "Makefile").read_text()
    assert "test: $(BIN)/backstory $(PAGEFIND)" in makefile and "npm ci" in makefile
    npm = json.loads((initialised / "package.json").read_text())
    assert npm["dependencies"] == {"pagefind": "1.6.0"}, "the search's indexer, pinned"
    assert json.loads((initialised / "package-lock.json").read_text())["packages"][""] == {
        "name": npm["name"],
        "dependencies": npm["dependencies"],
        "devDependencies": npm["devDependencies"],
    }
    assert "node_modules/" in ignored


def test_init_example_checks_clean_and_builds(initialised: Path) -> None:
    code, _, err = run("--root", str(initialised), "check", "--strict")
    assert code == 0, err
    assert "ok: 1 stories, 2 events, 2 quotes, 2 actors, 1 sources" in err
    result = check_content(Project.open(initialised))
    assert result.diagnostics == []
    graph = result.graph
    assert graph is not None
    assert any(quote.disputes for quote in graph.quotes.values())
    story = next(iter(graph.stories.values()))
    assert story.questions and story.unknowns and story.next


@pytest.mark.slow
def test_init_example_builds_with_the_engine(initialised: Path) -> None:
    build(Project.open(initialised))
    site = initialised / "site"
    assert (site / "index.html").exists()
    assert (site / "about" / "index.html").exists()
    assert list((site / "stories").glob("*/index.html"))


def test_init_starter_files_point_at_their_schemas(initialised: Path) -> None:
    for path in sorted((initialised / "content").glob("*/*.yml")):
        first = path.read_text().splitlines()[0]
        schema = first.removeprefix("# yaml-language-server: $schema=")
        assert schema != first, path
        assert (path.parent / schema).resolve().is_file(), path


def test_init_names_nothing_of_the_denver_story(initialised: Path) -> None:
    for relative, data in tree(initialised).items():
        if relative.startswith(("site/", ".backstory/")):
            continue
        text = data.decode("utf-8")
        assert not re.search(r"\b(denver|ice)\b", text, re.IGNORECASE), relative


def test_init_then_new_gives_a_file_that_checks(tmp_path: Path) -> None:
    root = tmp_path / "fresh"
    assert run("init", str(root))[0] == 0
    code, _, err = new(
        root,
        "quote",
        "reyes-more-hours",
        "--text",
        "We will ask for Monday back.",
        "--speaker",
        "dana-reyes",
        "--source",
        "courier-library-vote",
        "--event",
        "council-votes-monday-closure",
        "--date",
        "2024-03-05",
    )
    assert code == 0, err
    assert "note:" not in err  # the schemas are there, the references exist
    assert errors_of(root) == []


def test_init_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    code, _, err = run("init", str(tmp_path))
    assert code == 1
    assert err.strip() == f"error: {tmp_path} is not empty; give a new or empty folder"
    assert tree(tmp_path) == {"notes.txt": b"mine"}


def test_init_into_an_empty_folder_and_relative_to_root(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, _, _ = run("--root", str(tmp_path), "init", "empty")
    assert code == 0
    assert (tmp_path / "empty" / "mkdocs.yml").is_file()


def test_starter_files_are_package_data() -> None:
    names = {name for name, _ in starter.starter_files()}
    assert {
        "mkdocs.yml",
        "README.md",
        "Makefile",
        ".gitignore",
        ".github/workflows/site.yml",
    } <= names


# --- pre-commit ------------------------------------------------------------------------------


def test_pre_commit_hook() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "backstory-check")
    assert hook["entry"] == "backstory check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert hook["files"] == "^content/"
