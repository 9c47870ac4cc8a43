"""The command line: output format, exit codes, and one real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from backstory.build import pipeline
from backstory.cli import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error: " in line]


def break_story(root: Path) -> None:
    story = root / "content" / "stories" / "river-bridge.yml"
    text = story.read_text().replace("[[ben-okafor]]", "[[ben-okafr]]").replace("topics:", "topcs:")
    story.write_text(text)


def test_check_clean_site(small_site: Path) -> None:
    code, _out, err = run("--root", str(small_site), "check")
    assert code == 0
    assert "ok: 2 stories, 4 events, 2 quotes, 3 actors, 3 sources" in err


def test_check_reports_every_error_and_exits_1(small_site: Path) -> None:
    break_story(small_site)
    code, _, err = run("--root", str(small_site), "check")
    assert code == 1
    assert errors(err) == [
        "content/stories/river-bridge.yml:7:1: error: unknown field 'topcs' (did you mean 'topics'?)",
    ]
    # The draft story and the event only it holds are not linted unless drafts are asked for.
    assert err.splitlines()[-1] == "1 error(s), 2 warning(s)"
    code, _, err = run("--root", str(small_site), "check", "--drafts")
    assert err.splitlines()[-1] == "1 error(s), 5 warning(s)"
    # Once the schema error is fixed the reference error shows too.
    story = small_site / "content" / "stories" / "river-bridge.yml"
    story.write_text(story.read_text().replace("topcs:", "topics:"))
    code, _out, err = run("--root", str(small_site), "check")
    assert code == 1
    assert errors(err)[0] == (
        "content/stories/river-bridge.yml:13:14: error: [[ben-okafr]]: unknown actor, event, "
        "story, figure or claim 'ben-okafr' (did you mean 'ben-okafor'?)"
    )


def test_check_formats_for_github_and_json(small_site: Path) -> None:
    break_story(small_site)
    code, out, _ = run("--root", str(small_site), "check", "--format", "github")
    assert code == 1
    assert [line for line in out.splitlines() if line.startswith("::error")] == [
        "::error file=content/stories/river-bridge.yml,line=7,col=1::unknown field 'topcs' (did you mean 'topics'?)"
    ]
    assert (
        "::warning file=content/sources/unused-memo.yml,line=1,col=1::nothing cites this source"
        in out
    )
    code, out, _ = run("--root", str(small_site), "check", "--format", "json")
    assert code == 1
    assert [d for d in json.loads(out) if d["severity"] == "error"] == [
        {
            "path": "content/stories/river-bridge.yml",
            "line": 7,
            "column": 1,
            "severity": "error",
            "message": "unknown field 'topcs'",
            "hint": "did you mean 'topics'?",
        }
    ]


def test_build_failure_exits_1_and_keeps_the_site(small_site: Path) -> None:
    code, _, _ = run("--root", str(small_site), "build")
    assert code == 0
    index = small_site / "site" / "index.html"
    before = index.read_bytes()
    break_story(small_site)
    code, _, err = run("--root", str(small_site), "build")
    assert code == 1
    assert "build stopped: the site was not changed" in err
    assert index.read_bytes() == before


def test_render_writes_markdown(small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "rendered"
    code, _, _err = run("--root", str(small_site), "render", "--out", str(out))
    assert code == 0
    assert (out / "stories" / "river-bridge.md").read_text().startswith("---\n")
    assert not (small_site / "site").exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    code, _, err = run("--root", str(tmp_path), "check")
    assert code == 2
    assert "no mkdocs.yml" in err
    code, _, _ = run("no-such-command")
    assert code == 2


def test_unexpected_errors_exit_3_and_ask_for_a_report(
    small_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "check_content", explode)
    code, _, err = run("--root", str(small_site), "check")
    assert code == 3
    assert "internal error (RuntimeError: boom)" in err and "please report it" in err
    assert "Traceback" not in err


def test_real_subprocess_build(small_site: Path) -> None:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    result = subprocess.run(
        [sys.executable, "-m", "backstory", "build"],
        cwd=small_site,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (small_site / "site" / "stories" / "river-bridge" / "index.html").is_file()
    break_story(small_site)
    result = subprocess.run(
        [sys.executable, "-m", "backstory", "check"],
        cwd=small_site,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert errors(result.stderr)[0].startswith("content/stories/river-bridge.yml:7:1: error:")


def test_strict_turns_warnings_into_failures(small_site: Path) -> None:
    code, _, err = run("--root", str(small_site), "check", "--strict")
    assert code == 1
    assert "content/sources/unused-memo.yml:1:1: warning: nothing cites this source" in err
    code, _, err = run("--root", str(small_site), "build", "--strict")
    assert code == 1
    assert not (small_site / "site").exists()


def test_check_no_cache_option(small_site: Path) -> None:
    code, _, err = run("--root", str(small_site), "check", "--no-cache")
    assert code == 0 and "ok:" in err
    assert not (small_site / ".backstory" / "cache").exists()
