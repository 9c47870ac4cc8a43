"""Unfinished work never publishes: a TODO or a placeholder id left in a published fact, or a fact
dated after tomorrow, is an error for build and deploy and a warning for check; drafts (what
``backstory new story`` writes) and what only they use are not published, so theirs never block."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from backstory.cli import cli
from backstory.facts.lint import LOOKING, PUBLISHING, Purpose


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def problems(err: str, severity: str) -> list[str]:
    return [line for line in err.splitlines() if f": {severity}: " in line]


def digest(folder: Path) -> str:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()


def test_the_purpose_of_a_run_decides_how_serious_unfinished_work_is() -> None:
    assert (LOOKING.unfinished(), LOOKING.future_date()) == ("warning", "warning")
    assert (PUBLISHING.unfinished(), PUBLISHING.future_date()) == ("error", "error")
    assert Purpose(publishing=True, allow_future=True).future_date() is None
    assert Purpose(publishing=False, allow_future=True).future_date() is None


@pytest.mark.slow
def test_a_new_story_left_as_written_never_publishes(small_site: Path) -> None:
    code, _, err = run(small_site, "new", "story", "bridge-money")
    assert code == 0
    assert "note: the story is a draft (draft: true)" in err
    code, _, err = run(small_site, "build")
    assert code == 0, err
    assert problems(err, "error") == []
    site = small_site / "site"
    assert not (site / "stories" / "bridge-money").exists()
    assert "TODO" not in (site / "index.html").read_text(encoding="utf-8")
    before = digest(site)

    # Once the editor deletes draft: true, the placeholders stop the build, each at its place.
    story = small_site / "content" / "stories" / "bridge-money.yml"
    story.write_text(story.read_text().replace("draft: true\n", ""))
    code, _, err = run(small_site, "build")
    assert code == 1
    todo = "error: this file still holds a TODO placeholder; replace it before publishing"
    assert problems(err, "error") == [
        f"content/stories/bridge-money.yml:{line}:{column}: {todo}"
        for line, column in ((7, 9), (9, 11), (18, 16), (19, 14))
    ]
    assert err.splitlines()[-1] == "build stopped: the site was not changed"
    assert digest(site) == before
    lines = story.read_text().splitlines()
    assert lines[6][8:].startswith("TODO") and lines[18][13:].startswith("TODO")

    # check only looks: the same findings are warnings, and it succeeds.
    code, _, err = run(small_site, "check")
    assert code == 0
    assert [line.split(": ", 1)[1] for line in problems(err, "warning") if "TODO" in line] == [
        "warning: this file still holds a TODO placeholder; replace it before publishing"
    ] * 4


def test_placeholders_in_published_facts_are_errors_only_when_publishing(
    small_site: Path,
) -> None:
    actor = small_site / "content" / "actors" / "ben-okafor.yml"
    actor.write_text(actor.read_text() + "summary: >-\n  An engineer. TODO: say where he works\n")
    source = small_site / "content" / "sources" / "gazette-bridge.yml"
    source.write_text(source.read_text().replace("publisher: ", "publisher: source-id "))
    code, _, err = run(small_site, "build")
    assert code == 1
    assert problems(err, "error") == [
        "content/actors/ben-okafor.yml:5:16: error: this file still holds a TODO placeholder; replace it before publishing",
        "content/sources/gazette-bridge.yml:2:12: error: this file still holds the placeholder id 'source-id'; write the id of a real fact before publishing",
    ]
    code, _, err = run(small_site, "check")
    assert code == 0
    assert len([line for line in problems(err, "warning") if "placeholder" in line]) == 2
    code, _, _ = run(small_site, "check", "--strict")
    assert code == 1


def test_a_draft_and_what_only_it_uses_may_hold_placeholders(small_site: Path) -> None:
    event = small_site / "content" / "events" / "secret-plan.yml"  # only the draft story has it
    event.write_text(event.read_text().replace("title: ", "title: TODO "))
    story = small_site / "content" / "stories" / "draft-story.yml"
    story.write_text(story.read_text().replace("summary: ", "summary: TODO "))
    assert "TODO" not in run(small_site, "check")[2]
    code, _, err = run(small_site, "render", "--out", str(small_site / "rendered"))
    assert code == 0, err
    # Asked to publish the drafts too, their placeholders are refused.
    code, _, err = run(small_site, "build", "--drafts")
    assert code == 1
    assert [line.split(": error: ")[0] for line in problems(err, "error")] == [
        "content/events/secret-plan.yml:1:8",
        "content/stories/draft-story.yml:2:10",
    ]


def test_a_fact_dated_after_tomorrow_needs_allow_future_to_publish(small_site: Path) -> None:
    quote = small_site / "content" / "quotes" / "lopez-safety.yml"
    quote.write_text(quote.read_text().replace("date: 2024-03-04", "date: 2099-03-04"))
    event = small_site / "content" / "events" / "council-vote.yml"
    text = event.read_text()
    event.write_text(
        text[: text.index("date: ")]
        + "date: 2099-05\n"
        + text[text.index("\n", text.index("date: ")) + 1 :]
    )
    future = "is in the future (after tomorrow); correct the date, or publish with --allow-future if it is meant"
    code, _, err = run(small_site, "build")
    assert code == 1
    assert [line.split(": error: ")[1] for line in problems(err, "error")] == [
        f"date: 2099-05 {future}",
        f"date: 2099-03-04 {future}",
    ]
    assert [line.split(": error: ")[0] for line in problems(err, "error")] == [
        "content/events/council-vote.yml:2:7",
        "content/quotes/lopez-safety.yml:3:7",
    ]
    code, _, err = run(small_site, "check")
    assert code == 0 and len([w for w in problems(err, "warning") if future in w]) == 2
    code, _, err = run(small_site, "check", "--allow-future")
    assert code == 0 and future not in err


def test_tomorrow_is_not_the_future(small_site: Path) -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    quote = small_site / "content" / "quotes" / "lopez-safety.yml"
    quote.write_text(quote.read_text().replace("date: 2024-03-04", f"date: {tomorrow}"))
    code, _, err = run(small_site, "check")
    assert code == 0
    assert "in the future" not in err
    day_after = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    quote.write_text(quote.read_text().replace(f"date: {tomorrow}", f"date: {day_after}"))
    assert "in the future" in run(small_site, "check")[2]


def test_a_placeholder_used_as_an_id_is_reported_once(small_site: Path) -> None:
    actor = small_site / "content" / "actors" / "cara-diaz.yml"  # published: nothing refers to it
    actor.write_text(
        "name: Cara Díaz\ntype: person\naffiliation: organization-id\n"
        "summary: Works with [[actor-id]] [@gazette-bridge].\n",
        encoding="utf-8",
    )
    code, _, err = run(small_site, "build")
    assert code == 1
    assert [line.split(": error: ")[1] for line in problems(err, "error")] == [
        "affiliation: unknown actor 'organization-id'",
        "[[actor-id]]: unknown actor, event, story, figure or claim 'actor-id'",
    ]


def test_deploy_refuses_unfinished_work_and_publishes_nothing(
    small_site: Path, tmp_path: Path
) -> None:
    import subprocess

    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    quote = small_site / "content" / "quotes" / "lopez-safety.yml"
    quote.write_text(quote.read_text().replace("date: 2024-03-04", "date: 2099-03-04"))
    code, _, err = run(small_site, "deploy", "--remote", str(remote))
    assert code == 1
    assert "content/quotes/lopez-safety.yml:3:7: error: date: 2099-03-04 is in the future" in err
    assert err.splitlines()[-1] == "deploy stopped: nothing was published"
    branches = subprocess.run(
        ["git", "-C", str(remote), "branch", "--list"], capture_output=True, text=True, check=True
    )
    assert branches.stdout == ""
