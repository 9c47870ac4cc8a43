"""A new site for a newsroom (``backstory init``): the starter site shipped in the package, with
a small example story to replace, the JSON Schemas and the editor settings that use them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from ..build.write import create_file
from ..errors import ScaffoldError
from ..facts.collections import NAMES
from .schema import render_schemas

STARTER = "starter"
"""The package folder whose files ``backstory init`` copies into a new site, as they are."""


def init_site(target: Path) -> list[Path]:
    """Create a new site in ``target`` (new or empty): the starter files, with an example story,
    plus the JSON Schemas and the VS Code settings that map them. Returns the files written."""
    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target} is a file; give a new or empty folder")
    if target.is_dir() and any(target.iterdir()):
        raise ScaffoldError(f"{target} is not empty; give a new or empty folder")
    files = dict(starter_files())
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
