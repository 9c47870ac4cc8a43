"""A site made by ``backstory init`` installs the Backstory that made it, the way that one was
installed (PEP 610's ``direct_url.json``), and builds on a fresh machine by following its own
README: the last test does exactly that, in a new folder with a fresh virtual environment."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml

from backstory.editor.installation import Installation, installation_from, installed_backstory
from backstory.editor.starter import init_site

from .conftest import REPO


@pytest.mark.parametrize(
    ("record", "arguments", "folder"),
    [
        (None, ("backstory==1.2.3",), None),
        ("not json", ("backstory==1.2.3",), None),
        (
            {
                "url": "https://github.com/news/backstory",
                "vcs_info": {"vcs": "git", "commit_id": "ab12" * 10, "requested_revision": "main"},
            },
            ("backstory @ git+https://github.com/news/backstory@" + "ab12" * 10,),
            None,
        ),
        (
            {
                "url": "https://example.org/src.git",
                "subdirectory": "tool",
                "vcs_info": {"vcs": "git", "commit_id": "c0ffee"},
            },
            ("backstory @ git+https://example.org/src.git@c0ffee#subdirectory=tool",),
            None,
        ),
        (
            {"url": "file:///srv/git/backstory", "vcs_info": {"vcs": "git", "commit_id": "c0ffee"}},
            ("backstory @ git+file:///srv/git/backstory@c0ffee",),
            "/srv/git/backstory",
        ),
        (
            {
                "url": "https://files.example.org/backstory-1.2.3-py3-none-any.whl",
                "archive_info": {"hashes": {"sha256": "f00d"}},
            },
            ("backstory @ https://files.example.org/backstory-1.2.3-py3-none-any.whl#sha256=f00d",),
            None,
        ),
        (
            {"url": "file:///home/ed/dist/backstory-1.2.3-py3-none-any.whl", "archive_info": {}},
            ("/home/ed/dist/backstory-1.2.3-py3-none-any.whl",),
            "/home/ed/dist/backstory-1.2.3-py3-none-any.whl",
        ),
        (
            {"url": "file:///src/back%20story", "dir_info": {"editable": True}},
            ("-e", "/src/back story"),
            "/src/back story",
        ),
        ({"url": "file:///src/backstory", "dir_info": {}}, ("/src/backstory",), "/src/backstory"),
    ],
)
def test_the_installation_comes_from_pep_610s_record(
    record: object, arguments: tuple[str, ...], folder: str | None
) -> None:
    text = record if isinstance(record, str) or record is None else json.dumps(record)
    installation = installation_from("1.2.3", text)
    assert installation.arguments == arguments
    assert installation.folder == folder
    assert installation.portable is (folder is None)


def test_the_running_backstory_is_described_by_its_own_record() -> None:
    from importlib import metadata

    distribution = metadata.distribution("backstory")
    expected = installation_from(distribution.version, distribution.read_text("direct_url.json"))
    assert installed_backstory() == expected


def setup_commands(readme: str) -> list[str]:
    """The commands of the README's "Set up once" block, as an editor would copy them."""
    section = readme.split("## Set up once", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None, "the README has no set-up commands"
    return block.group(1).strip().splitlines()


def workflow_commands(site: Path) -> list[str]:
    workflow = yaml.safe_load((site / ".github" / "workflows" / "site.yml").read_text())
    return [
        step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step
    ]


@pytest.mark.parametrize(
    "installation",
    [
        Installation("9.9.9", ("backstory==9.9.9",), "the Python Package Index (PyPI)"),
        Installation(
            "9.9.9",
            ("backstory @ git+https://example.org/a$b.git@c0ffee#subdirectory=tool",),
            "git at https://example.org/a$b.git, commit c0ffee",
        ),
    ],
    ids=["index", "git"],
)
def test_readme_makefile_and_workflow_install_the_same_backstory(
    tmp_path: Path, installation: Installation
) -> None:
    site = tmp_path / "site"
    init_site(site, installation)
    readme = (site / "README.md").read_text()
    install = f".venv/bin/python -m pip install {installation.shell()}"
    assert setup_commands(readme) == ["python3 -m venv .venv", install, ". .venv/bin/activate"]
    assert f"(version 9.9.9), from\n{installation.source}." in readme
    assert "builds only where" not in readme  # portable: no warning about a folder
    assert workflow_commands(site) == [
        "python3 -m venv .venv\n" + install + "\n",
        "make test FORMAT=github",
    ]
    assert "a folder on the computer" not in (site / ".github/workflows/site.yml").read_text()
    if shutil.which("make"):
        # make reads '$' and '#' itself: what it hands the shell must be the README's command.
        planned = subprocess.run(
            ["make", "-n", ".venv/bin/backstory"],
            cwd=site,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert install in planned.splitlines()


def test_a_site_installed_from_a_folder_says_where_it_builds(tmp_path: Path) -> None:
    site = tmp_path / "site"
    init_site(
        site,
        installation_from(
            "0.1.0", '{"url": "file:///src/backstory", "dir_info": {"editable": true}}'
        ),
    )
    readme = (site / "README.md").read_text()
    assert ".venv/bin/python -m pip install -e /src/backstory" in setup_commands(readme)
    assert "**this site builds only where\nthat folder exists**" in readme
    workflow = (site / ".github/workflows/site.yml").read_text()
    assert (
        workflow.startswith("# Checks the facts")
        and "installed from /src/backstory, a folder" in workflow
    )
    assert "BACKSTORY := -e /src/backstory\n" in (site / "Makefile").read_text()


def _clean_environment() -> dict[str, str]:
    """This process's environment (pip's own configuration included) outside any virtual
    environment, as an editor's terminal would be."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONHOME", "PYTHONPATH")
    }
    if os.environ.get("VIRTUAL_ENV"):
        bin_dir = str(Path(os.environ["VIRTUAL_ENV"]) / "bin")
        env["PATH"] = os.pathsep.join(
            p for p in env.get("PATH", "").split(os.pathsep) if p != bin_dir
        )
    return env


WHEELHOUSE = Path(tempfile.gettempdir()) / "backstory-test-wheels"
"""Wheels of Backstory's dependencies (and of its build backend), downloaded once with pip's
own configuration; the site's install then reads them offline."""


def _install_offline(
    site: Path, commands: list[str], env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    offline = {
        **env,
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": " ".join(filter(None, [str(WHEELHOUSE), env.get("PIP_FIND_LINKS")])),
    }
    return subprocess.run(
        ["sh", "-ec", "\n".join(commands)], cwd=site, env=offline, capture_output=True, text=True
    )


def _download_wheels(env: dict[str, str]) -> None:
    WHEELHOUSE.mkdir(exist_ok=True)
    for what in ([str(REPO)], ["hatchling", "editables"]):
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--dest", str(WHEELHOUSE), *what],
            env=env,
            check=True,
            capture_output=True,
        )


@pytest.mark.slow
def test_a_new_site_installs_and_builds_by_following_its_own_readme(tmp_path: Path) -> None:
    env = _clean_environment()
    made = subprocess.run(
        [sys.executable, "-m", "backstory", "init", "newsroom"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    site = tmp_path / "newsroom"
    readme = (site / "README.md").read_text()
    commands = setup_commands(readme)
    # This checkout is installed from its folder here, so the site must install from it too.
    assert f".venv/bin/python -m pip install {installed_backstory().shell()}" in commands
    assert workflow_commands(site)[0].splitlines() == commands[:2]

    started = time.monotonic()
    installed = _install_offline(site, commands, env)
    if installed.returncode != 0:  # the first run on this machine: fetch the wheels once
        print("offline install failed; downloading the wheels:", installed.stderr[-2000:])
        _download_wheels(env)
        shutil.rmtree(site / ".venv")
        installed = _install_offline(site, commands, env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    install_seconds = time.monotonic() - started
    backstory = site / ".venv" / "bin" / "backstory"
    assert backstory.is_file()

    # The README's everyday pair: make site, then what CI runs (the workflow's last step).
    for command in (["make", "site"], workflow_commands(site)[1].split()):
        done = subprocess.run(command, cwd=site, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"
        assert "pip install" not in done.stdout  # the README's set-up is enough for make
    assert (site / "site" / "index.html").is_file()
    assert list((site / "site" / "stories").glob("*/index.html"))
    print(f"fresh virtual environment and install: {install_seconds:.1f} s")
