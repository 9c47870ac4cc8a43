"""A new site for a newsroom (``backstory init``): the starter site shipped in the package, with
a small example story to replace, the JSON Schemas and the editor settings that use them, and a
README, a Makefile and a CI workflow that install the very Backstory that made the site."""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from ..build.write import create_file
from ..errors import ScaffoldError
from ..facts.collections import NAMES
from .installation import Installation, installed_backstory
from .schema import render_schemas

STARTER = "starter"
"""The package folder whose files ``backstory init`` copies into a new site, as they are."""


def init_site(target: Path, installation: Installation | None = None) -> list[Path]:
    """Create a new site in ``target`` (new or empty): the starter files, with an example story,
    plus the JSON Schemas and the VS Code settings that map them; its README, Makefile and CI
    workflow install ``installation`` (the running Backstory, as it was installed, by default).
    Returns the files written."""
    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target} is a file; give a new or empty folder")
    if target.is_dir() and any(target.iterdir()):
        raise ScaffoldError(f"{target} is not empty; give a new or empty folder")
    fill = _placeholders(installation or installed_backstory())
    files = {relative: _filled(text, fill) for relative, text in starter_files()}
    for name, text in render_schemas().items():
        files[f"schemas/{name}"] = text
    files[".vscode/settings.json"] = vscode_settings()
    written = []
    target.mkdir(parents=True, exist_ok=True)
    for relative, text in sorted(files.items()):
        create_file(target / relative, text)
        written.append(target / relative)
    return written


def starter_files() -> Iterable[tuple[str, str]]:
    """The starter site shipped in the package, as (relative path, text)."""
    return sorted(_walk(resources.files("backstory.editor") / STARTER, ""))


def _placeholders(installation: Installation) -> dict[str, str]:
    """What the starter's ``@@name@@`` placeholders stand for."""
    shell = installation.shell()
    note = ci_note = ""
    if not installation.portable:
        note = (
            "\nThat folder is on the computer this site was made on: **this site builds only where"
            "\nthat folder exists**, and its CI workflow cannot install it on GitHub. To build"
            " elsewhere,\nreplace the command by a released version (`backstory==X.Y.Z`) or a git"
            " address\n(`backstory @ git+https://...@COMMIT`).\n"
        )
        ci_note = (
            f"# Backstory is installed from {installation.folder}, a folder on the computer this\n"
            "# site was made on: name a released version or a git address in the install step\n"
            "# (and in Makefile and README.md) before this runs on GitHub.\n"
        )
    return {
        "backstory_install": shell,
        # make reads '$' and '#' itself; escaped, the shell receives them as they are.
        "backstory_install_make": shell.replace("$", "$$").replace("#", "\\#"),
        "backstory_version": installation.version,
        "backstory_source": installation.source,
        "backstory_note": note,
        "backstory_ci_note": ci_note,
    }


def _filled(text: str, fill: dict[str, str]) -> str:
    for name, value in fill.items():
        text = text.replace(f"@@{name}@@", value)
    if "@@backstory_" in text:  # pragma: no cover - a placeholder of the starter without a value
        raise AssertionError(f"unknown placeholder in the starter: {text[text.index('@@') :][:40]}")
    return text


def _walk(folder: Traversable, prefix: str) -> Iterable[tuple[str, str]]:
    for entry in folder.iterdir():
        if entry.name in ("__pycache__", ".DS_Store"):
            continue
        relative = f"{prefix}{entry.name}"
        if entry.is_dir():
            yield from _walk(entry, relative + "/")
        else:
            yield relative, entry.read_text(encoding="utf-8")


def vscode_settings() -> str:
    """VS Code settings that give each collection's files its JSON Schema (YAML extension)."""
    mapping = {
        f"./schemas/{collection}.schema.json": f"content/{collection}/*.{{yml,yaml}}"
        for collection in NAMES
    }
    return json.dumps({"yaml.schemas": mapping}, indent=2) + "\n"
