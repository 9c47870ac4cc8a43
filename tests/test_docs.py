"""The documentation keeps up with the code: every command and every content field is explained."""

from __future__ import annotations

import datetime as dt
import typing
from typing import Any

from pydantic import BaseModel

from backstory.cli import cli
from backstory.facts.collections import COLLECTIONS

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
GUIDE = (REPO / "content" / "pages" / "editors-guide.md").read_text(encoding="utf-8")


def nested_models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for argument in typing.get_args(annotation) for m in nested_models(argument)]


def fields_of(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every field of a model and of the models inside it, as ``links.title``."""
    found = []
    for python_name, field in model.model_fields.items():
        name = field.alias or python_name  # as fact files write it: roles' from
        found.append(prefix + name)
        for inner in nested_models(field.annotation):
            found += fields_of(inner, prefix + name + ".")
    return found


def test_every_command_is_in_the_readme_or_the_editors_guide() -> None:
    missing = [name for name in cli.commands if f"backstory {name}" not in README + GUIDE]
    assert missing == []


def test_every_option_of_every_command_is_in_its_help() -> None:
    for name, command in cli.commands.items():
        assert command.help, name
        for parameter in command.params:
            if parameter.param_type_name == "option":
                assert getattr(parameter, "help", None), f"backstory {name} {parameter.name}"


def test_every_content_field_is_in_the_editors_guide() -> None:
    missing = []
    for collection in COLLECTIONS:
        for path in fields_of(collection.model):
            name = path.rsplit(".", 1)[-1]
            if name == "id":
                continue  # the file name is the id; the guide says so in its own words
            if f"`{name}`" not in GUIDE and f"{name}:" not in GUIDE:
                missing.append(f"{collection.name}: {path}")
    assert missing == []
    assert "The file name is the fact's id" in GUIDE


def _flat(text: str) -> str:
    """Text with its line breaks and runs of spaces as single spaces (the guide wraps lines)."""
    return " ".join(text.split())


GUIDED_CASES = (
    "quotes-inside-double-quotes",
    "quotes-inside-single-quotes",
    "merge-conflict-markers",
    "unquoted-colon",
    "unquoted-colon-in-a-list",
)
"""Bad-input cases whose exact message (hint included) the editors' guide explains."""


def test_the_guide_quotes_the_yaml_hints_exactly() -> None:
    from .conftest import TESTS

    for case in GUIDED_CASES:
        expected = (TESTS / "bad-input" / case / "expected.txt").read_text(encoding="utf-8")
        for line in expected.splitlines():
            message = line.split(": error: ", 1)[1]
            assert _flat(f"`{message}`") in _flat(GUIDE), f"{case}: {message}"


def test_the_guide_quotes_the_ignored_file_and_unfinished_work_messages(make_site) -> None:
    from backstory.facts.lint import PUBLISHING, lint_facts
    from backstory.facts.load import ignored_files, load_content
    from backstory.facts.validate import validate_facts

    root = make_site(
        {
            "content/quotes/quote.YML": "x: 1\n",
            "content/quote/said.yml": "x: 1\n",
            "content/quotes/old/said.yml": "x: 1\n",
            "content/said.yml": "x: 1\n",
            "content/actors/a.yml": "name: TODO\ntype: person\nrole: source-id\n",
            "content/sources/s.yml": "title: T\npublisher: P\ndate: 2099-03-04\n",
        }
    )
    messages = [d.format_github().split("::", 2)[2] for d in ignored_files(root)]
    facts, _ = validate_facts(load_content(root)[0])
    found = lint_facts(facts, today=dt.date(2024, 1, 1), purpose=PUBLISHING)
    messages += [d.message for d in found if d.severity == "error"]
    assert len(messages) == 7
    for message in messages:
        assert _flat(f"`{message}`") in _flat(GUIDE), message
