"""The bad-input corpus: each case adds one small file to the fixture site (under ``content/``,
or under ``translations/`` for a translation's errors); its expected errors are a golden file
beside it (``expected.txt``). Nothing may end in a traceback."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from backstory.cli import cli

from .conftest import TESTS

CASES = sorted(p for p in (TESTS / "bad-input").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_case(case: Path, small_site: Path, check_golden) -> None:
    added = [
        p for folder in ("content", "translations") for p in sorted((case / folder).rglob("*"))
    ]
    assert added, f"{case.name} adds no file under content/ or translations/"
    for source in added:
        if source.is_file():
            target = small_site / source.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["--root", str(small_site), "check"], catch_exceptions=False)
    assert time.monotonic() - started < 5, "checking one bad file must stay fast"
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    check_golden(case / "expected.txt", "\n".join(errors) + "\n" if errors else "")
    assert result.exit_code == (1 if errors else 0)
    assert "Traceback" not in result.stderr + result.stdout
