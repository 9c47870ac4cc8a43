"""The built site against the standards' own checkers: the W3C Nu HTML checker on every page,
and Lighthouse (mobile) on the story page."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from .pages import STORY

pytestmark = pytest.mark.browser

THEME_KNOWN = (
    "Attribute “autocomplete” is only allowed when the input type is",
    "Attribute “autocorrect” not allowed",
)
"""The theme's own known errors (its checkbox toggles carry autocomplete="off"; its search
field carries autocorrect), which the site cannot change."""


def test_the_nu_checker_finds_no_error_in_any_page(real_site: Path, nu_checker: list[str]) -> None:
    site = real_site / "site"
    pages = sorted(str(p) for p in site.rglob("*.html"))
    assert len(pages) > 40
    done = subprocess.run(
        [*nu_checker, "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = json.loads(done.stderr or done.stdout or "{}")
    messages = report.get("messages")
    assert messages is not None, done.stderr[-2000:]
    errors = [
        f"{m.get('url', '?').split('/site/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
        and not any(m["message"].startswith(known) for known in THEME_KNOWN)
    ]
    assert errors == [], "\n".join(errors[:30])
    known = [m for m in messages if any(m["message"].startswith(k) for k in THEME_KNOWN)]
    assert known, "the checker saw the theme's known errors (is it reading the pages?)"


def test_lighthouse_scores_the_story_page_100_on_a_phone(
    site_url: str, lighthouse: list[str], browser_tools, tmp_path: Path
) -> None:
    report = tmp_path / "lighthouse.json"
    done = subprocess.run(
        [
            *lighthouse,
            site_url + STORY,
            "--only-categories=accessibility,best-practices,seo",
            "--form-factor=mobile",
            "--output=json",
            f"--output-path={report}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "CHROME_PATH": browser_tools.chromium},
    )
    assert done.returncode == 0 and report.is_file(), done.stderr[-2000:]
    result = json.loads(report.read_text())
    scores = {name: category["score"] for name, category in result["categories"].items()}
    failing = [
        f"{name}: {audit['title']}"
        for name, audit in result["audits"].items()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in ("binary", "numeric")
    ]
    assert scores == {"accessibility": 1, "best-practices": 1, "seo": 1}, failing
