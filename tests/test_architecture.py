"""The package's shape: one subpackage per stage, imports only down the pipeline, no cycles, the
engine behind one adapter, and the graph frozen once built."""

from __future__ import annotations

import ast
import dataclasses
import importlib
from collections import defaultdict
from pathlib import Path

import pytest

from .conftest import REPO

PACKAGE = REPO / "backstory"

CORE = ("backstory.diagnostics", "backstory.errors", "backstory.text")
"""The modules every stage shares; they import only each other."""

LAYERS = {
    "backstory": 0,
    "core": 0,
    "backstory.facts": 1,
    "backstory.project": 2,
    "backstory.site": 3,
    "backstory.build": 4,
    "backstory.preview": 5,
    "backstory.editor": 5,
    "backstory.cli": 6,
    "backstory.__main__": 7,
}
"""Each part of the package and its place in the pipeline: a module may import its own part and
the parts below it, never a part above it or beside it."""

STAGE_PACKAGES = ("facts", "site", "build", "build/engine", "preview", "editor", "cli")
ENGINE_ADAPTER = "backstory.build.engine"
ENGINE_INTERNALS = "backstory.build.engine.internals"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def part_of(module: str) -> str:
    """The part of the package (a key of LAYERS) a module belongs to."""
    if module in CORE:
        return "core"
    for size in range(module.count(".") + 1, 0, -1):
        candidate = ".".join(module.split(".")[:size])
        if candidate in LAYERS:
            return candidate
    raise AssertionError(f"{module} belongs to no part of the pipeline; add it to LAYERS")


def imports_of(path: Path) -> list[tuple[str, int, list[str]]]:
    """Every import in a module, also inside functions: (module, line, imported names)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [alias.name for alias in node.names]
            found.append((base, node.lineno, names))
            # ``from . import x``: x is a module of the package
            found += [(f"{base}.{n}", node.lineno, []) for n in names if _is_module(f"{base}.{n}")]
    return found


def _is_module(name: str) -> bool:
    path = REPO / Path(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_each_stage_is_a_subpackage_that_says_its_job_and_what_it_may_import() -> None:
    for folder in STAGE_PACKAGES:
        init = PACKAGE / folder / "__init__.py"
        assert init.is_file(), folder
        doc = ast.get_docstring(ast.parse(init.read_text()))
        assert doc and "May import:" in doc, f"{folder}/__init__.py must say its job and imports"
    top_level = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top_level == [
        "__init__.py",
        "__main__.py",
        "diagnostics.py",
        "errors.py",
        "project.py",
        "text.py",
    ]


def test_every_module_has_a_docstring() -> None:
    for path in MODULES:
        assert ast.get_docstring(ast.parse(path.read_text())), path.relative_to(REPO)


def test_imports_only_go_down_the_pipeline() -> None:
    wrong = []
    for path in MODULES:
        here = part_of(module_name(path))
        for target, line, _names in imports_of(path):
            if target != "backstory" and not target.startswith("backstory."):
                continue
            there = part_of(target)
            if there == "backstory":
                continue  # the package's version
            if there != here and LAYERS[there] >= LAYERS[here]:
                wrong.append(f"{path.relative_to(REPO)}:{line}: {here} imports {target}")
    assert wrong == []


def module_graph() -> dict[str, set[str]]:
    """Which of the package's modules each module imports (a module importing its own parent
    package is left out: that runs the package's docstring, not a cycle)."""
    graph: dict[str, set[str]] = defaultdict(set)
    names = {module_name(p) for p in MODULES}
    for path in MODULES:
        here = module_name(path)
        for target, _line, _names in imports_of(path):
            if target in names and target != here and not here.startswith(target + "."):
                graph[here].add(target)
    return graph


def test_modules_import_each_other_without_cycles() -> None:
    graph = module_graph()
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*trail, node, target]))
            if target not in state:
                visit(target, [*trail, node])
        state[node] = 2

    for name in sorted({module_name(p) for p in MODULES}):
        if name not in state:
            visit(name, [])


def test_only_the_engine_adapter_imports_mkdocs_or_material() -> None:
    found = []
    for path in MODULES:
        name = module_name(path)
        for target, line, _names in imports_of(path):
            root = target.split(".")[0]
            if root in ("mkdocs", "material") and not name.startswith(ENGINE_ADAPTER):
                found.append(f"{path.relative_to(REPO)}:{line}: {target}")
    assert found == []


def test_private_engine_functions_are_used_in_one_module_only() -> None:
    found = []
    for path in MODULES:
        name = module_name(path)
        tree = ast.parse(path.read_text())
        for target, line, names in imports_of(path):
            private = [n for n in names if n.startswith("_")]
            if (
                target.split(".")[0] in ("mkdocs", "material")
                and private
                and name != ENGINE_INTERNALS
            ):
                found.append(f"{path.relative_to(REPO)}:{line}: {private}")
        for node in ast.walk(tree):
            engine_private = ("search_index", "generate_search_index")
            if (
                isinstance(node, ast.Attribute)
                and node.attr in engine_private
                and name != ENGINE_INTERNALS
            ):
                found.append(f"{path.relative_to(REPO)}:{node.lineno}: .{node.attr}")
    assert found == []


def test_the_adapter_says_clearly_when_the_engine_is_not_a_tested_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from backstory.build.engine import internals

    assert internals.unsupported_engine() is None
    versions = {"mkdocs": "2.0.1", "mkdocs-material": "9.6.0"}
    monkeypatch.setattr(internals.metadata, "version", lambda package: versions[package])
    assert internals.unsupported_engine() == (
        "mkdocs 2.0.1 is installed, Backstory was tested with >=1.6,<1.7"
    )


def test_an_untested_engine_makes_the_preview_rebuild_everything(
    small_site: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from backstory.build.engine import internals, warm
    from backstory.build.pipeline import render_site, write_site
    from backstory.project import Project

    project = Project.open(small_site)
    write_site(project, render_site(project).pages)
    monkeypatch.setattr(internals, "unsupported_engine", lambda: "mkdocs 2.0.1 is installed")
    builder = warm.PreviewBuilder(project, tmp_path / "preview", "http://127.0.0.1:8000/")
    builder.build_everything()
    full_builds = []
    monkeypatch.setattr(builder, "build_everything", lambda: full_builds.append(1))
    builder.update(["index.md"], [])
    assert full_builds == [1]


def test_the_graph_is_frozen_once_built(small_site: Path) -> None:
    from backstory.build.pipeline import check_content
    from backstory.project import Project

    graph = check_content(Project.open(small_site)).graph
    assert graph is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        graph.stories = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        graph.stories["new"] = graph.stories["river-bridge"]  # type: ignore[index]
    with pytest.raises(AttributeError):
        graph.story_events["river-bridge"].append("x")  # type: ignore[attr-defined]


def test_every_backstory_error_maps_to_an_exit_code() -> None:
    errors = importlib.import_module("backstory.errors")
    family = [
        value
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, errors.BackstoryError)
    ]
    assert len(family) >= 9
    for error in family:
        assert error.exit_code in (1, 2), error
