"""``backstory find``: an editor finds a fact's id from a few words of its name, title or text."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from backstory.cli import cli
from backstory.diagnostics import Diagnostic


def find(root: Path, *words: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), "find", *words])
    return result.exit_code, result.stdout, result.stderr


def test_find_ignores_accents_and_case_and_gives_id_kind_and_line(small_site: Path) -> None:
    code, out, _ = find(small_site, "LÓPEZ")
    assert code == 0
    assert out.splitlines() == [
        "ana-lopez     actor  content/actors/ana-lopez.yml:1  Ana López",
        "lopez-safety  quote  content/quotes/lopez-safety.yml:1  The bridge is not safe, and we will not wait for it to fall.",
    ]
    code, out, _ = find(small_site, "ana", "lopez")  # every word, in any field of the fact
    assert [line.split()[0] for line in out.splitlines()] == ["ana-lopez"]


def test_find_looks_in_aliases_titles_and_quotes_at_their_line(small_site: Path) -> None:
    code, out, _ = find(small_site, "the council")
    assert out.splitlines()[0].split() == [
        "river-council",
        "actor",
        "content/actors/river-council.yml:4",
        "the",
        "council",
    ]
    assert code == 0
    code, out, _ = find(small_site, "inspect")
    assert out.splitlines() == [
        "bridge-inspection  event  content/events/bridge-inspection.yml:1  Engineers inspect the old bridge"
    ]
    story = small_site / "content" / "stories" / "long.yml"
    story.write_text(
        "summary: S\npublished: 2024-03-05\ntitle: >-\n  A very long title about the River Town "
        "bridge and everything that the council said and did about it in March\n",
        encoding="utf-8",
    )
    code, out, _ = find(small_site, "everything")
    assert out.splitlines() == [
        "long  story  content/stories/long.yml:3  A very long title about the River Town bridge and everything that the c…"
    ]


def test_find_searches_files_that_do_not_validate(small_site: Path) -> None:
    actor = small_site / "content" / "actors" / "cara-diaz.yml"
    actor.write_text("name: Cara Díaz\ntype: persn\n", encoding="utf-8")
    (small_site / "content" / "actors" / "broken.yml").write_text("name: [\n")
    code, out, err = find(small_site, "diaz")
    assert code == 0
    assert out.splitlines() == ["cara-diaz  actor  content/actors/cara-diaz.yml:1  Cara Díaz"]
    assert "note: 1 file(s) could not be read and were not searched; run backstory check" in err


def test_find_says_when_nothing_matches_and_speaks_json(small_site: Path) -> None:
    code, out, err = find(small_site, "helicopter")
    assert code == 1
    assert out == ""
    assert err.strip() == "no fact matches 'helicopter'"
    code, out, _ = find(small_site, "okafor", "--format", "json")
    assert code == 0
    assert json.loads(out)[0] == {
        "id": "ben-okafor",
        "kind": "actor",
        "path": "content/actors/ben-okafor.yml",
        "line": 1,
        "shown": "Ben Okafor",
    }


def test_github_annotations_escape_the_file_name_as_github_specifies() -> None:
    diagnostic = Diagnostic("content/a,b:c%.yml", 2, 3, "warning", "50% done: a, b\nc")
    assert diagnostic.format_github() == (
        "::warning file=content/a%2Cb%3Ac%25.yml,line=2,col=3::50%25 done: a, b%0Ac"
    )
