"""Regression tests for the bugs a review of the code found: each failed before its fix."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from backstory.build.pipeline import build, check_content, render_site
from backstory.cli import cli
from backstory.project import Project

from .conftest import graph_with


def story(title: str, topics: list[str], published: str = "2024-03-05") -> str:
    return (
        f"title: {title}\nsummary: About {title}.\npublished: {published}\n"
        f"topics: {json.dumps(topics, ensure_ascii=False)}\n"
    )


def test_topics_whose_slugs_collide_get_a_page_each(small_site: Path) -> None:
    graph = graph_with(
        small_site,
        {
            "stories/c-story.yml": story("C story", ["C"], "2024-01-01"),
            "stories/cpp-story.yml": story("C++ story", ["C++"], "2024-01-02"),
            "stories/ru-one.yml": story("Russian one", ["Иммиграция"]),
            "stories/ru-two.yml": story("Russian two", ["Депортация"]),
            "stories/same.yml": story("Same topic", ["c"]),
        },
    )
    by_name = {topic.name: topic for topic in graph.topics.values()}
    assert by_name["C"].slug == "c" and by_name["C++"].slug == "c-2"  # first used keeps it
    assert set(by_name["C"].story_ids) == {"c-story", "same"}  # "c" is the same topic as "C"
    assert by_name["C++"].story_ids == ("cpp-story",)
    assert by_name["Иммиграция"].slug != by_name["Депортация"].slug
    pages = render_site(Project.open(small_site)).pages
    assert "C++ story" in pages["topics/c-2.md"] and "C++ story" not in pages["topics/c.md"]


def draft_only_facts(root: Path) -> None:
    content = root / "content"
    (content / "actors" / "secret-source.yml").write_text(
        "name: Quinn Hidden\ntype: person\nrole: whistleblower\n"
    )
    (content / "sources" / "leaked-memo.yml").write_text(
        "title: The leaked memo\npublisher: Nobody Yet\n"
    )
    (content / "quotes" / "hidden-words.yml").write_text(
        "text: Nobody should read this yet.\nspeaker: secret-source\ndate: 2024-04-01\n"
        "source: leaked-memo\nstories: [draft-story]\n"
    )


def test_facts_only_a_draft_uses_appear_nowhere_in_a_published_build(small_site: Path) -> None:
    draft_only_facts(small_site)
    build(Project.open(small_site))
    site = small_site / "site"
    everything = "\n".join(p.read_text(errors="replace") for p in site.rglob("*") if p.is_file())
    for text in (
        "Quinn Hidden",
        "secret-source",
        "leaked-memo",
        "The leaked memo",
        "hidden-words",
        "Nobody should read this yet",
        "A story not yet published",
        "draft-story",
    ):
        assert text not in everything, text
    assert not (site / "actors" / "secret-source").exists()
    # Asked for, drafts and what they use are shown.
    graph = check_content(Project.open(small_site), include_drafts=True).graph
    assert graph is not None
    assert "secret-source" in graph.actors and "leaked-memo" in graph.sources


def test_an_actor_a_published_fact_also_uses_stays_published(small_site: Path) -> None:
    draft_only_facts(small_site)
    event = small_site / "content" / "events" / "council-vote.yml"
    event.write_text(event.read_text().replace("actors: [", "actors: [secret-source, "))
    graph = check_content(Project.open(small_site)).graph
    assert graph is not None
    assert "secret-source" in graph.actors and "leaked-memo" not in graph.sources


def test_check_drafts_lints_the_drafts_too(small_site: Path) -> None:
    runner = CliRunner()
    plain = runner.invoke(cli, ["--root", str(small_site), "check"]).stderr
    drafts = runner.invoke(cli, ["--root", str(small_site), "check", "--drafts"]).stderr
    warning = "content/stories/draft-story.yml:1:1: warning: this story has no questions"
    assert warning not in plain and warning in drafts


def test_schema_out_is_relative_to_the_root(small_site: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "backstory",
            "--root",
            str(small_site),
            "schema",
            "--out",
            "schemas",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (small_site / "schemas" / "quotes.schema.json").is_file()
    assert not (elsewhere / "schemas").exists()


def test_a_file_that_fails_validation_still_counts_as_referring(small_site: Path) -> None:
    quote = small_site / "content" / "quotes" / "okafor-disagrees.yml"
    quote.write_text(quote.read_text() + "mood: angry\n")  # an unknown field: the file is invalid
    result = check_content(Project.open(small_site), use_cache=False, need_graph=False)
    messages = [d.format() for d in result.diagnostics]
    assert any("unknown field 'mood'" in m for m in messages)
    assert not any("ben-okafor" in m and "nothing refers" in m for m in messages), messages


def test_a_file_that_cannot_be_read_silences_the_unused_warnings(small_site: Path) -> None:
    quote = small_site / "content" / "quotes" / "okafor-disagrees.yml"
    quote.write_text("text: [broken\n")
    result = check_content(Project.open(small_site), use_cache=False, need_graph=False)
    assert not any("nothing refers" in d.message for d in result.diagnostics)


def test_a_build_is_byte_identical_whatever_the_hash_seed(small_site: Path, tmp_path: Path) -> None:
    digests = []
    for seed in ("1", "4242"):
        copy = tmp_path / f"seed-{seed}"
        shutil.copytree(small_site, copy)
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "backstory", "build"],
            cwd=copy,
            env=environment,
            check=True,
            capture_output=True,
        )
        digests.append(
            {
                p.relative_to(copy / "site").as_posix(): p.read_bytes()
                for p in sorted((copy / "site").rglob("*"))
                if p.is_file()
            }
        )
    assert digests[0].keys() == digests[1].keys()
    differing = [path for path in digests[0] if digests[0][path] != digests[1][path]]
    assert differing == []


@pytest.mark.parametrize("exchange_works", [True, False])
def test_a_build_killed_at_any_step_of_the_swap_leaves_the_old_site_or_the_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange_works: bool
) -> None:
    from backstory.build import swap

    class Killed(BaseException):
        """Stands for the process being killed: nothing after it runs."""

    def make(folder: Path, text: str) -> None:
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(text)
        (folder / "page").mkdir()
        (folder / "page" / "index.html").write_text(text)

    def state(site: Path) -> str | None:
        files = {
            p.relative_to(site).as_posix(): p.read_text() for p in site.rglob("*") if p.is_file()
        }
        kinds = set(files.values())
        return kinds.pop() if len(kinds) == 1 and len(files) == 2 else None

    real = {"replace": os.replace, "rmtree": shutil.rmtree, "exchange": swap.exchange}
    step = 0
    while True:
        step += 1
        root = tmp_path / f"step-{step}"
        site, work, staging = root / "site", root / "work", root / "work" / "staging"
        make(site, "old")
        make(staging, "new")
        calls = 0

        def counted(name: str, step: int = step):
            def call(*args, **kwargs):
                nonlocal calls
                calls += 1
                if calls == step:
                    raise Killed
                if name == "exchange" and not exchange_works:
                    return False
                return real[name](*args, **kwargs)

            return call

        monkeypatch.setattr(swap.os, "replace", counted("replace"))
        monkeypatch.setattr(swap.shutil, "rmtree", counted("rmtree"))
        monkeypatch.setattr(swap, "exchange", counted("exchange"))
        try:
            swap.swap_into_place(staging, site, work)
            finished = True
        except Killed:
            finished = False
        monkeypatch.undo()
        swap.recover_site(site, work)  # what the next build does first
        assert state(site) in ("old", "new"), f"killed at step {step}: {state(site)}"
        if finished:
            assert state(site) == "new"
            break
    assert step >= 3  # every step of the swap was interrupted once


def test_a_source_cited_only_in_an_event_summary_counts_everywhere(small_site: Path) -> None:
    from backstory.site.jsonld import story_data
    from backstory.site.urls import SiteAddress

    content = small_site / "content"
    (content / "sources" / "engineer-report.yml").write_text(
        "title: The engineer's report\npublisher: River Town Engineering\n"
    )
    event = content / "events" / "bridge-built.yml"
    event.write_text(event.read_text() + "summary: As the report says [@engineer-report].\n")
    graph = check_content(Project.open(small_site)).graph
    assert graph is not None
    assert "engineer-report" in graph.story_sources["river-bridge"]
    pages = render_site(Project.open(small_site)).pages
    story_page = pages["stories/river-bridge.md"]
    assert "Also behind this story:" in story_page and "The engineer&#39;s report" in story_page
    api = json.loads(pages["api/stories/river-bridge.json"])
    assert "engineer-report" in [s["id"] for s in api["sources"]]
    data = story_data(graph, "river-bridge", SiteAddress(), "Site")
    assert "The engineer's report" in [c["name"] for c in data["citation"]]
    assert "River Town Engineering" in pages["sources.md"].split("engineer-report")[1][:400]


def test_a_reference_to_the_wrong_kind_of_fact_fails_the_build_with_its_position(
    small_site: Path,
) -> None:
    # The check reports a source named as a speaker; the build must stop there, not crash
    # while indexing the facts (exit 3).
    quote = small_site / "content" / "quotes" / "lopez-safety.yml"
    text = quote.read_text(encoding="utf-8")
    speaker = next(line for line in text.splitlines() if line.startswith("speaker:"))
    quote.write_text(text.replace(speaker, "speaker: council-minutes"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--root", str(small_site), "build"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert "content/quotes/lopez-safety.yml:" in result.stderr
    assert "'council-minutes' is a source, not an actor" in result.stderr
    assert "internal error" not in result.stderr
    assert not (small_site / "site").exists()
