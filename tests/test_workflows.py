"""The GitHub Actions workflows: what triggers them, what they run, and pinned actions."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from .conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$")
"""``owner/repo[/path]@v4``, ``@v4.1.2`` or a full commit SHA; never a branch."""


def workflow(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as the boolean true.
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def commands(data: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in steps(data))


def uses(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each action a workflow uses, without its version, with the step's inputs."""
    return {
        step["uses"].split("@")[0]: step.get("with", {}) for step in steps(data) if "uses" in step
    }


@pytest.mark.parametrize("name", sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def test_every_action_is_pinned_to_a_version(name: str) -> None:
    data = workflow(name)
    used = [step["uses"] for step in steps(data) if "uses" in step]
    used += [job["uses"] for job in data["jobs"].values() if "uses" in job]
    assert used
    for action in used:
        assert PINNED.match(action), f"{name}: '{action}' is not pinned to a version"


def test_check_runs_on_pull_requests() -> None:
    data = workflow("check.yml")
    assert set(data["on"]) == {"pull_request"}
    assert data["permissions"] == {"contents": "read"}


def test_publish_runs_on_pushes_to_main() -> None:
    data = workflow("publish.yml")
    assert set(data["on"]) == {"push"}
    assert data["on"]["push"]["branches"] == ["main"]


@pytest.mark.parametrize("name", ["check.yml", "publish.yml"])
def test_both_workflows_run_every_check(name: str) -> None:
    data = workflow(name)
    python = uses(data)["actions/setup-python"]
    assert str(python["python-version"]) == "3.11"
    assert python["cache"] == "pip"
    run = commands(data)
    expected = [
        "pip install -r requirements.lock",
        "pip install --no-deps -e .",
        "backstory check --format github",
        "apt-get install -y chromium chromium-driver",
        "npm ci",
        "make test",
        "backstory build --strict",
    ]
    positions = [run.find(command) for command in expected]
    assert -1 not in positions, [c for c, p in zip(expected, positions, strict=False) if p == -1]
    assert positions == sorted(positions), "the checks run in this order"


def test_publish_deploys_the_built_site_to_pages() -> None:
    data = workflow("publish.yml")
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    build_actions = [step.get("uses", "").split("@")[0] for step in build["steps"]]
    assert "actions/configure-pages" in build_actions
    upload = next(
        s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@")
    )
    assert upload["with"]["path"] == "site"
    assert build_actions.index("actions/upload-pages-artifact") > max(
        i for i, s in enumerate(build["steps"]) if "backstory build" in s.get("run", "")
    )
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert data["concurrency"]["group"] == "pages"
    assert data["permissions"] == {"contents": "read"}


def test_publish_restores_and_saves_the_build_cache() -> None:
    data = workflow("publish.yml")
    build = data["jobs"]["build"]["steps"]
    caching = [i for i, s in enumerate(build) if s.get("uses", "").startswith("actions/cache@")]
    assert len(caching) == 1, "one actions/cache step (it restores, then saves after the job)"
    step = build[caching[0]]["with"]
    assert step["path"] == ".backstory"
    assert step["key"].endswith("-${{ github.sha }}"), "each run saves a cache of its own"
    prefix = step["key"].removesuffix("${{ github.sha }}")
    assert step["restore-keys"].strip() == prefix, "the newest earlier cache is restored"
    first_backstory = min(i for i, s in enumerate(build) if "backstory " in s.get("run", ""))
    assert caching[0] < first_backstory


def test_pull_requests_read_the_build_cache_and_save_none() -> None:
    data = workflow("check.yml")
    actions = uses(data)
    assert "actions/cache" not in actions
    restore = actions["actions/cache/restore"]
    assert restore["path"] == ".backstory"
    publish = uses(workflow("publish.yml"))["actions/cache"]
    assert restore["restore-keys"] == publish["restore-keys"]
