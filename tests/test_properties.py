"""Property-based tests: random valid fact graphs render and build; random damage to valid files
always gives a located error, never a traceback."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from backstory.build.pipeline import build, check_content, render_site
from backstory.diagnostics import Diagnostic
from backstory.errors import ContentError
from backstory.facts.lint import PLACEHOLDER
from backstory.facts.load import LoadedFile, load_file
from backstory.project import Project

from .conftest import MINIMAL_CONFIG, SMALL_SITE

WORDS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda s: s.strip() != "" and not PLACEHOLDER.search(s))
"""Text an editor writes: never a starter's placeholder (TODO, actor-id), which is unfinished work
that a build refuses (tests/test_unfinished.py)."""


def _words_without_brackets(draw: st.DrawFn) -> str:
    return draw(WORDS).replace("[", "(").replace("]", ")").replace("|", "/")


@st.composite
def prose(draw: st.DrawFn, actors: list[str], stories: list[str], sources: list[str]) -> str:
    """Markdown with random links, citations and links with words of their own."""
    pieces = [draw(WORDS).replace("[", "(").replace("]", ")")]
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["actor", "story", "cite", "words"]))
        if kind == "actor":
            pieces.append(f"[[{draw(st.sampled_from(actors))}]]")
        elif kind == "story":
            pieces.append(f"[[{draw(st.sampled_from(stories))}]]")
        elif kind == "cite":
            pieces.append(f"[@{draw(st.sampled_from(sources))}]")
        else:
            words = _words_without_brackets(draw)
            pieces.append(f"[[{draw(st.sampled_from(actors))}|{words}]]")
    text = " ".join(pieces)
    assume(not PLACEHOLDER.search(text))
    return text


def _quote_files(
    draw: st.DrawFn, actors: list[str], sources: list[str], stories: list[str], events: list[str]
) -> dict[str, dict]:
    files: dict[str, dict] = {}
    quotes = [f"quote-{i}" for i in range(draw(st.integers(0, 4)))]
    for quote in quotes:
        data = {
            "text": draw(WORDS),
            "speaker": draw(st.sampled_from(actors)),
            "date": "2024-01-02",
            "source": draw(st.sampled_from(sources)),
        }
        if events and draw(st.booleans()):
            data["event"] = draw(st.sampled_from(events))
        else:
            data["stories"] = draw(st.lists(st.sampled_from(stories), min_size=1, unique=True))
        others = [q for q in quotes if q != quote]
        if others and draw(st.booleans()):
            data["disputes"] = [draw(st.sampled_from(others))]
        files[f"content/quotes/{quote}.yml"] = data
    return files


@st.composite
def fact_graphs(draw: st.DrawFn) -> dict[str, dict]:
    """A random but valid set of facts: ``{relative path: mapping}``."""
    actors = [f"actor-{i}" for i in range(draw(st.integers(1, 5)))]
    sources = [f"source-{i}" for i in range(draw(st.integers(1, 4)))]
    stories = [f"story-{i}" for i in range(draw(st.integers(1, 3)))]
    types = [draw(st.sampled_from(["person", "organization"])) for _ in actors]
    organizations = [a for a, t in zip(actors, types, strict=False) if t == "organization"]
    text = prose(actors, stories, sources)
    files: dict[str, dict] = {}
    for actor, kind in zip(actors, types, strict=False):
        data: dict = {"name": draw(WORDS), "type": kind}
        if kind == "person" and organizations and draw(st.booleans()):
            data["affiliation"] = draw(st.sampled_from(organizations))
        if draw(st.booleans()):
            data["summary"] = draw(text)
        files[f"content/actors/{actor}.yml"] = data
    for source in sources:
        files[f"content/sources/{source}.yml"] = {"title": draw(WORDS), "publisher": draw(WORDS)}
    for story in stories:
        files[f"content/stories/{story}.yml"] = {
            "title": draw(WORDS),
            "summary": draw(text),
            "published": "2024-01-01",
            "questions": [
                {"question": draw(WORDS), "answer": draw(text)}
                for _ in range(draw(st.integers(0, 2)))
            ],
            "unknowns": [draw(text) for _ in range(draw(st.integers(0, 2)))],
        }
    events = [f"event-{index}" for index in range(draw(st.integers(0, 4)))]
    for event in events:
        files[f"content/events/{event}.yml"] = {
            "title": draw(WORDS),
            "date": draw(st.sampled_from(["2020", "2020-02", "2020-02-03", "2021-12-31"])),
            "stories": draw(st.lists(st.sampled_from(stories), min_size=1, unique=True)),
            "sources": draw(st.lists(st.sampled_from(sources), min_size=1, unique=True)),
            "actors": draw(st.lists(st.sampled_from(actors), unique=True)),
        }
    files.update(_quote_files(draw, actors, sources, stories, events))
    return files


def write_site(root: Path, files: dict[str, dict]) -> None:
    (root / "mkdocs.yml").write_text(MINIMAL_CONFIG)
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


UNRESOLVED = re.compile(r"(?<!\\)\[\[[^\]]*\]\]|(?<!\\)\[@[a-z0-9-]+\](?!\()")
LINK = re.compile(r"(?<!\\)\]\(([^)<>\s]+\.md)(#[^)]*)?\)")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fact_graphs())
def test_random_valid_graphs_render_with_every_reference_linked(files: dict[str, dict]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_site(root, files)
        result = check_content(Project.open(root))
        assert [d for d in result.diagnostics if d.severity == "error"] == []
        pages = render_site(Project.open(root)).pages
        for path, text in pages.items():
            if not path.endswith(".md"):
                continue
            assert not UNRESOLVED.search(text), f"unresolved link or citation form on {path}"
            for target, _anchor in LINK.findall(text):
                resolved = _normalise((Path(path).parent / target).as_posix())
                assert resolved in pages, f"{path} links to missing page {target}"


def _normalise(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fact_graphs())
def test_random_valid_graphs_build_strictly(files: dict[str, dict]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_site(root, files)
        build(Project.open(root))
        assert (root / "site" / "index.html").is_file()


VALID_FILES = sorted((SMALL_SITE / "content").rglob("*.yml"))


@st.composite
def damaged_files(draw: st.DrawFn) -> tuple[Path, str, int]:
    """A valid fixture file damaged at one line, and that line's number (from 1)."""
    path = draw(st.sampled_from(VALID_FILES))
    lines = path.read_text(encoding="utf-8").splitlines()
    top_level = [i for i, line in enumerate(lines) if re.match(r"^[a-z_]+:", line)]
    # Lines whose whole value is on the line itself (not a block that continues below).
    inline = [i for i in top_level if re.match(r"^[a-z_]+: [^>|\s]", lines[i])]
    kind = draw(st.sampled_from(["unknown-field", "tab", "unclosed", "tag", "duplicate"]))
    index = draw(st.sampled_from(inline if kind in ("unclosed", "tag") else top_level))
    if kind == "unknown-field":
        lines.insert(index, f"zz{draw(st.integers(0, 999))}: value")
    elif kind == "tab":
        lines.insert(index, "\tindented: value")
    elif kind == "unclosed":
        key = lines[index].split(":", 1)[0]
        lines[index] = f"{key}: [unclosed"
        lines.insert(index + 1, "next_field: x")
        index += 1
    elif kind == "tag":
        key = lines[index].split(":", 1)[0]
        lines[index] = f"{key}: !!python/name:os.system"
    else:  # the same field twice: reported on its second occurrence
        lines.insert(index, lines[index])
        index += 1
    return path, "\n".join(lines) + "\n", index + 1


@settings(max_examples=150, deadline=None)
@given(damaged_files())
def test_damaged_files_give_an_error_at_the_damaged_line(damage: tuple[Path, str, int]) -> None:
    path, text, line = damage
    collection = path.parent.name
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site"
        shutil.copytree(SMALL_SITE, root, ignore=shutil.ignore_patterns(".backstory", "site"))
        (root / "content" / collection / path.name).write_text(text, encoding="utf-8")
        try:
            render_site(Project.open(root))
        except ContentError as error:
            located = [d for d in error.diagnostics if d.severity == "error"]
        else:
            raise AssertionError("a damaged file rendered without an error")
        assert located, "no error was reported"
        mine = [d for d in located if d.path.endswith(f"{collection}/{path.name}")]
        assert mine, f"no error names the damaged file: {located}"
        assert any(d.line == line for d in mine), f"expected an error on line {line}: {mine}"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_the_loader_never_raises_on_arbitrary_bytes(raw: bytes) -> None:
    result = load_file(raw, "content/actors/fuzz.yml", "actors")
    assert isinstance(result, (LoadedFile, Diagnostic))
    if isinstance(result, Diagnostic):
        assert result.line >= 1 and result.column >= 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab:- \n\t[]{}&*!|>'\"#%@`,?", max_size=120))
def test_the_loader_never_raises_on_yaml_like_text(text: str) -> None:
    result = load_file(text.encode("utf-8"), "content/actors/fuzz.yml", "actors")
    assert isinstance(result, (LoadedFile, Diagnostic))


@settings(max_examples=300, deadline=None)
@given(
    title=st.text(),
    values=st.dictionaries(
        st.one_of(st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True), st.text(min_size=1)),
        st.text(),
        max_size=4,
    ),
)
def test_front_matter_reads_back_as_the_values_written(title: str, values: dict[str, str]) -> None:
    from backstory.site.templates import front_matter

    text = front_matter(title=title, backstory=values)
    assert text.startswith("---\n") and text.endswith("---\n")
    data = yaml.safe_load(text[4:-4]) or {}
    # Titles are HTML-escaped and their whitespace collapsed; other values arrive exactly.
    expected_title = str(escape(" ".join(title.split())))
    assert data.get("title", "") == expected_title
    assert data.get("backstory", {}) == {k: v for k, v in values.items()}


@st.composite
def answers_with_a_reference(draw: st.DrawFn) -> tuple[str, str, int]:
    """An answer written in one of YAML's scalar styles, folded at a random width, with a
    reference somewhere inside it: (the file's text, the reference, its offset in the value)."""
    words = st.lists(
        st.text(alphabet="abcdéñ—.,;'\"", min_size=1, max_size=9), min_size=1, max_size=30
    )
    before, after = draw(words), draw(words)
    reference = draw(st.sampled_from(["[[ana-lopez]]", "[@gazette-bridge]", "[[x|two words]]"]))
    value = " ".join([*before, reference, *after])
    style = draw(st.sampled_from([None, "'", '"', "|", ">"]))
    width = draw(st.integers(20, 60))
    body = yaml.dump({"answer": value}, default_style=style, width=width, allow_unicode=True)
    indented = "".join("    " + line for line in body.splitlines(keepends=True))
    return "questions:\n  - question: Q\n" + indented, reference, value.index(reference)


@settings(max_examples=200, deadline=None)
@given(answers_with_a_reference())
def test_a_reference_inside_a_value_is_located_where_it_is_written(
    case: tuple[str, str, int],
) -> None:
    text, reference, offset = case
    loaded = load_file(text.encode("utf-8"), "content/stories/s.yml", "stories")
    assert isinstance(loaded, LoadedFile), text
    assert loaded.data["questions"][0]["answer"][offset:].startswith(reference)
    position = loaded.position(("questions", 0, "answer"), offset=offset)
    line = text.splitlines()[position.line - 1]
    assert line[position.column - 1 :].startswith(reference.split()[0]), (text, position)
