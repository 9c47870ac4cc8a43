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


def test_the_lock_file_pins_every_dependency_within_its_range() -> None:
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    pinned = {}
    for line in (REPO / "requirements.lock").read_text().splitlines():
        if line and not line.startswith((" ", "#")):
            name, _, version = line.partition("==")
            pinned[canonicalize_name(name)] = version.split(";")[0].strip()
    for text in wanted:
        requirement = Requirement(text)
        version = pinned.get(canonicalize_name(requirement.name))
        assert version is not None, f"{requirement.name} is not in requirements.lock: run make lock"
        assert requirement.specifier.contains(version), (
            f"requirements.lock pins {requirement.name} {version}, outside {requirement.specifier}"
        )


def test_ruff_and_mypy_are_pinned_exactly() -> None:
    import tomllib

    test_extra = tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["test"]
    for tool in ("ruff", "mypy"):
        assert any(r.startswith(f"{tool}==") for r in test_extra), tool
