"""The code itself: lint-clean and type-checked, as the house style asks."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPO


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=REPO, capture_output=True, text=True, check=False
    )


def test_ruff_finds_nothing() -> None:
    result = run("ruff", "check", "backstory", "tests", "scripts")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing() -> None:
    result = run("mypy", "backstory")
    assert result.returncode == 0, result.stdout + result.stderr
