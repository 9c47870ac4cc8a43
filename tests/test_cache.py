"""The parse cache: reused while content is unchanged, never trusted when broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from backstory.build import parse_cache as cache_module
from backstory.build import pipeline
from backstory.facts import check as check_module
from backstory.facts import load as load_module
from backstory.project import Project


def parse_count(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every file the cache had to parse."""
    parsed: list[str] = []
    real = load_module.load_file

    def counting(raw: bytes, path: str, collection: str):
        parsed.append(path)
        return real(raw, path, collection)

    monkeypatch.setattr(load_module, "load_file", counting)
    return parsed


def test_unchanged_files_are_not_parsed_again(
    small_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project.open(small_site)
    first = pipeline.check_content(project)
    parsed = parse_count(monkeypatch)
    second = pipeline.check_content(project)
    assert parsed == []
    assert second.diagnostics == first.diagnostics
    assert second.graph is not None and list(second.graph.stories) == list(first.graph.stories)


def test_a_changed_file_is_parsed_again(small_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = Project.open(small_site)
    pipeline.check_content(project)
    parsed = parse_count(monkeypatch)
    actor = small_site / "content" / "actors" / "ana-lopez.yml"
    actor.write_text(actor.read_text().replace("role: mayor", "role: former mayor"))
    result = pipeline.check_content(project)
    assert parsed == ["content/actors/ana-lopez.yml"]
    assert result.graph is not None and result.graph.actors["ana-lopez"].role == "former mayor"


def test_a_broken_file_is_reported_even_when_it_was_cached(small_site: Path) -> None:
    project = Project.open(small_site)
    pipeline.check_content(project, need_graph=False)
    actor = small_site / "content" / "actors" / "ana-lopez.yml"
    actor.write_text("name: [broken\n")
    result = pipeline.check_content(project, need_graph=False)
    assert [d.path for d in result.diagnostics if d.severity == "error"] == [
        "content/actors/ana-lopez.yml"
    ]


def test_nothing_changed_reuses_the_previous_result(
    small_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project.open(small_site)
    first = pipeline.check_content(project, need_graph=False)

    def no_validation(*args: object, **kwargs: object) -> None:
        raise AssertionError("validated again although nothing changed")

    monkeypatch.setattr(check_module, "validate_facts", no_validation)
    second = pipeline.check_content(project, need_graph=False)
    assert second.diagnostics == first.diagnostics
    assert second.counts == first.counts


@pytest.mark.parametrize("damage", [b"", b"not marshal data at all", b"\xe3\x00\x00garbage"])
def test_a_corrupt_cache_is_discarded(
    small_site: Path, damage: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project.open(small_site)
    first = pipeline.check_content(project)
    folder = small_site / ".backstory" / "cache"
    for file in folder.glob("*.marshal"):
        file.write_bytes(damage)
    parsed = parse_count(monkeypatch)
    second = pipeline.check_content(project)
    assert len(parsed) == len(list((small_site / "content").rglob("*.yml")))
    assert second.diagnostics == first.diagnostics


def test_no_cache_parses_everything_and_writes_nothing(
    small_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project.open(small_site)
    parsed = parse_count(monkeypatch)
    pipeline.check_content(project, use_cache=False)
    assert not (small_site / ".backstory" / "cache").exists()
    assert len(parsed) == len(list((small_site / "content").rglob("*.yml")))


def test_the_cache_is_keyed_by_version(small_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = Project.open(small_site)
    pipeline.check_content(project)
    monkeypatch.setattr(cache_module, "_FORMAT", cache_module._FORMAT + " (another version)")
    parsed = parse_count(monkeypatch)
    pipeline.check_content(project)
    assert len(parsed) == len(list((small_site / "content").rglob("*.yml")))
