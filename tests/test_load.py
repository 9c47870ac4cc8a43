"""Load stage: plain data with positions, and a located error for every kind of bad file."""

from __future__ import annotations

import pytest

from backstory.diagnostics import Diagnostic
from backstory.facts.load import MAX_FILE_BYTES, LoadedFile, Position, load_content, load_file


def load(text: str | bytes) -> LoadedFile | Diagnostic:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return load_file(raw, "content/actors/someone.yml", "actors")


def error_of(text: str | bytes) -> str:
    result = load(text)
    assert isinstance(result, Diagnostic), f"expected an error, loaded {result!r}"
    return result.format()


def test_values_keep_their_positions() -> None:
    loaded = load("name: Ana\ntype: person\naliases:\n  - A. L.\n  - Ana L\n")
    assert isinstance(loaded, LoadedFile)
    assert loaded.data == {"name": "Ana", "type": "person", "aliases": ["A. L.", "Ana L"]}
    assert loaded.stem == "someone"
    assert loaded.position(("aliases", 1)) == Position(5, 5)
    assert loaded.position(("type",), key=True) == Position(2, 1)
    assert loaded.position(("type",)) == Position(2, 7)
    # A location that is not in the file falls back to the nearest enclosing value.
    assert loaded.position(("aliases", 7)) == Position(4, 3)


def test_dates_stay_text_for_the_validator() -> None:
    loaded = load("published: 2020-01-16\nbad: 2024-02-30\n")
    assert isinstance(loaded, LoadedFile)
    assert loaded.data == {"published": "2020-01-16", "bad": "2024-02-30"}


def test_byte_order_mark_is_accepted() -> None:
    loaded = load(b"\xef\xbb\xbfname: Ana\n")
    assert isinstance(loaded, LoadedFile)
    assert loaded.data == {"name": "Ana"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "",
            "content/actors/someone.yml:1:1: error: the file is empty; a fact file holds one mapping of fields",
        ),
        (
            "# only a comment\n",
            "content/actors/someone.yml:1:1: error: the file is empty; a fact file holds one mapping of fields",
        ),
        (
            "- a\n- b\n",
            "content/actors/someone.yml:1:1: error: the file holds a list; a fact file holds one mapping of fields (name: value)",
        ),
        (
            "just words\n",
            "content/actors/someone.yml:1:1: error: the file holds a single value; a fact file holds one mapping of fields (name: value)",
        ),
        (
            "name: A\nname: B\n",
            "content/actors/someone.yml:2:1: error: duplicate field 'name' (first given on line 1); keep one",
        ),
        (
            "name: !!python/object/apply:os.system ['true']\n",
            "content/actors/someone.yml:1:7: error: YAML tag '!!python/object/apply:os.system' is not allowed; fact files hold plain text, numbers, dates, lists and mappings",
        ),
        (
            "name: !custom x\n",
            "content/actors/someone.yml:1:7: error: YAML tag '!custom' is not allowed; fact files hold plain text, numbers, dates, lists and mappings",
        ),
        (
            "base: &b {a: 1}\nother:\n  <<: *b\n",
            "content/actors/someone.yml:3:3: error: merge keys (<<) are not supported; write the fields out",
        ),
        (
            "name: A\naliases:\n\t- B\n",
            "content/actors/someone.yml:3:1: error: a tab character is used for indentation; indent with spaces",
        ),
        (
            "name: [A, B\ntype: person\n",
            "content/actors/someone.yml:2:5: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence on line 1)",
        ),
        (
            "name: A\n  type: person\n",
            "content/actors/someone.yml:2:7: error: invalid YAML: mapping values are not allowed in this context",
        ),
        (
            b"name: caf\xe9\n",
            "content/actors/someone.yml:1:10: error: the file is not UTF-8: byte 0xe9 cannot be read; save the file as UTF-8",
        ),
    ],
)
def test_bad_files_get_one_located_error(text: str | bytes, expected: str) -> None:
    assert error_of(text) == expected


def test_oversized_file_is_refused() -> None:
    text = "summary: " + "x" * MAX_FILE_BYTES + "\n"
    assert "a fact file may be at most 1,048,576 bytes" in error_of(text)


def test_alias_bomb_is_stopped_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 10)}]")
    message = error_of("\n".join(lines) + "\n")
    assert "expands to more than" in message


def test_deep_nesting_is_refused() -> None:
    text = "a: " + "[" * 200 + "]" * 200 + "\n"
    assert "nested too deeply" in error_of(text)


def test_load_content_reads_collections_and_ignores_other_files(make_site) -> None:
    root = make_site(
        {
            "content/actors/ana.yml": "name: Ana\ntype: person\n",
            "content/actors/README.md": "not a fact",
            "content/actors/broken.yml": "name: [\n",
            "content/images/ana.yml": "ignored: true\n",
            "content/notes.txt": "left alone",
        }
    )
    files, problems = load_content(root)
    assert [f.path for f in files] == ["content/actors/ana.yml"]
    assert [p.path for p in problems] == ["content/actors/broken.yml"]


def test_files_that_look_like_facts_but_are_ignored_are_named_once(make_site) -> None:
    from backstory.facts.load import ignored_files

    root = make_site(
        {
            "content/quotes/said.YML": "text: x\n",
            "content/quotes/other.Yaml": "text: x\n",
            "content/quote/said.yml": "text: x\n",
            "content/Actors/ana.yml": "name: Ana\n",
            "content/images/notes/a.yaml": "x: 1\n",
            "content/actors/old/deeper/ana.yml": "name: Ana\n",
            "content/ana.yml": "name: Ana\n",
            # Left alone: pages, media, READMEs, other files, hidden files.
            "content/pages/data.yml": "x: 1\n",
            "content/media/photo.yml": "x: 1\n",
            "content/README.md": "notes",
            "content/actors/README.md": "notes",
            "content/quote/notes.txt": "notes",
            "content/stories/.draft.yml.swp": "x",
            "content/.hidden/ana.yml": "x: 1\n",
            "content/actors/ben.yml": "name: Ben\ntype: person\n",
        }
    )
    assert [d.format() for d in ignored_files(root)] == [
        "content/Actors/ana.yml:1:1: warning: this file is ignored: 'Actors' is not a collection folder (did you mean 'actors'?)",
        "content/actors/old/deeper/ana.yml:1:1: warning: this file is ignored: facts are read only directly in content/actors/, not in its subfolders (move it to content/actors/)",
        "content/ana.yml:1:1: warning: this file is ignored: a fact goes in the folder of its collection (such as content/actors/ or content/stories/)",
        "content/images/notes/a.yaml:1:1: warning: this file is ignored: 'images' is not a collection folder (facts go in content/actors/, content/sources/, content/events/, content/quotes/, content/stories/, content/figures/, content/claims/)",
        "content/quote/said.yml:1:1: warning: this file is ignored: 'quote' is not a collection folder (did you mean 'quotes'?)",
        "content/quotes/other.Yaml:1:1: warning: this file is ignored: a fact file's name ends in .yml or .yaml in lowercase, not .Yaml (rename it to other.yaml)",
        "content/quotes/said.YML:1:1: warning: this file is ignored: a fact file's name ends in .yml or .yaml in lowercase, not .YML (rename it to said.yml)",
    ]


def test_check_reports_ignored_files_once_also_from_its_cache(small_site) -> None:
    from click.testing import CliRunner

    from backstory.cli import cli

    (small_site / "content" / "quote").mkdir()
    (small_site / "content" / "quote" / "said.yml").write_text("text: x\n")
    expected = "content/quote/said.yml:1:1: warning: this file is ignored: 'quote' is not a collection folder (did you mean 'quotes'?)"
    for _ in range(2):  # the second run reuses the cached result of the first
        result = CliRunner().invoke(cli, ["--root", str(small_site), "check"])
        assert result.exit_code == 0
        assert result.stderr.splitlines().count(expected) == 1
    strict = CliRunner().invoke(cli, ["--root", str(small_site), "check", "--strict"])
    assert strict.exit_code == 1
