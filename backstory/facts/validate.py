"""Validate stage: check loaded files against the content model and report every problem
at its line and column."""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ValidationError

from ..diagnostics import Diagnostic, did_you_mean
from ..text import slugify
from .collections import BY_NAME
from .fields import markdown_fields
from .load import LoadedFile, Location
from .markup import Reference, find_link_urls, find_references, unsafe_url_reason
from .media import media_path_problem, media_references
from .models import UNION_TAGS, Fact, is_slug
from .rules import rule_problems


@dataclass(frozen=True)
class ValidFact:
    """A fact that passed validation, with the file it came from (for positions later)."""

    id: str
    collection: str
    model: Fact
    file: LoadedFile

    @cached_property
    def references(self) -> list[tuple[Location, Reference]]:
        """Every ``[[id]]`` and ``[@id]`` in the fact's markdown fields, with their field."""
        return [
            (location, reference)
            for location, text in markdown_fields(self.model)
            for reference in find_references(text)
        ]


Validation = tuple[ValidFact | None, list[Diagnostic]]
ValidationMemo = dict[tuple[str, str], Validation]
"""Earlier validations by file path and content hash, for a process that checks again and again."""


def validate_facts(
    files: Iterable[LoadedFile], memo: ValidationMemo | None = None
) -> tuple[list[ValidFact], list[Diagnostic]]:
    """Check every loaded file; return the valid facts and all problems found.

    With ``memo``, a file whose path and content hash were validated before is not validated
    again: the same ValidFact is returned, and the memo is left holding this call's files only.
    """
    facts: list[ValidFact] = []
    diagnostics: list[Diagnostic] = []
    kept: ValidationMemo = {}
    for file in files:
        if memo is None:
            fact, problems = validate_file(file)
        else:
            key = (file.path, file.digest)
            known = memo.get(key) if file.digest else None
            fact, problems = known if known is not None else validate_file(file)
            kept[key] = (fact, problems)
        diagnostics.extend(problems)
        if fact is not None:
            facts.append(fact)
    if memo is not None:
        memo.clear()
        memo.update(kept)
    return facts, diagnostics


def validate_file(file: LoadedFile) -> tuple[ValidFact | None, list[Diagnostic]]:
    """Check one file: its id, its fields against the model, and the rules models can't state."""
    problems: list[Diagnostic] = []

    def report(
        location: Location,
        message: str,
        *,
        key: bool = False,
        hint: str | None = None,
        offset: int | None = None,
    ) -> None:
        position = file.position(location, key=key, offset=offset)
        problems.append(
            Diagnostic(file.path, position.line, position.column, "error", message, hint)
        )

    if not is_slug(file.stem):
        report(
            (),
            f"the file name '{file.stem}' is not a valid id: use lowercase letters, digits and "
            "single hyphens, at most 80 characters",
            hint=f"rename it to '{slugify(file.stem)}'" if slugify(file.stem) else None,
        )
    model_class = BY_NAME[file.collection].model
    model, explained = _checked_model(model_class, file.data)
    for location, message, on_key, hint in explained:
        report(location, message, key=on_key, hint=hint)
    if model is not None:
        if model.id is not None and model.id != file.stem:
            report(
                ("id",),
                f"id '{model.id}' differs from the file name '{file.stem}'; they must match",
            )
        for location, message in rule_problems(model):
            report(location, message)
        for location, message, offset in _link_problems(model):
            report(location, message, offset=offset)
    if problems:
        return None, problems
    assert model is not None
    return ValidFact(file.stem, file.collection, model, file), []


def _checked_model(
    model_class: type[Fact], data: dict[str, Any]
) -> tuple[Fact | None, list[tuple[Location, str, bool, str | None]]]:
    """The model built from a file's data, or the explained reasons it can't be built."""
    try:
        return model_class.model_validate(data), []
    except ValidationError as error:
        details = error.errors(include_url=False)
    misread = _texts_misread_as_fields(model_class, details)
    explained: list[tuple[Location, str, bool, str | None]] = [
        (location, f"{describe(location)}: expected text, got a mapping", False, COLON_HINT)
        for location in misread
    ]
    for detail in details:
        if _union_item(detail["loc"]) not in misread:
            explained.append(_explain(model_class, detail, data))
    return None, explained


def _link_problems(model: Fact) -> list[tuple[Location, str, int | None]]:
    """Unsafe links inside markdown fields (with where in the field each is written), and
    images that are not files of ``content/media/``."""
    found: list[tuple[Location, str, int | None]] = []
    for location, text in markdown_fields(model):
        for url, offset in find_link_urls(text):
            reason = unsafe_url_reason(url)
            if reason:
                found.append((location, reason, offset))
    for location, path in media_references(model):
        reason = media_path_problem(path)
        if reason:
            found.append((location, reason, None))
    return found


COLON_HINT = (
    "a colon followed by a space made YAML read the text as a field: put the whole "
    "text in quotation marks"
)


def _explain(
    model_class: type[BaseModel], detail: Any, data: dict[str, Any]
) -> tuple[Location, str, bool, str | None]:
    """Turn one pydantic error into (location, message, points-at-key, hint) for an editor."""
    location: Location = tuple(
        part for part in detail["loc"] if isinstance(part, (str, int)) and part not in UNION_TAGS
    )
    kind = detail["type"]
    given = detail.get("input")
    where = (
        describe(location[:-1]) if kind in ("missing", "extra_forbidden") else describe(location)
    )
    prefix = f"{where}: " if where else ""
    if kind == "missing":
        return location[:-1], f"{prefix}missing required field '{location[-1]}'", False, None
    if kind == "extra_forbidden":
        name = str(location[-1])
        allowed = _fields_at(model_class, location[:-1])
        return (
            location,
            f"{prefix}unknown field '{name}'",
            True,
            did_you_mean(name, allowed)
            or ("fields here: " + ", ".join(allowed) if allowed else None),
        )
    if kind == "literal_error":
        expected = detail.get("ctx", {}).get("expected", "")
        options = [
            part.strip(" '")
            for part in expected.replace(" or ", ",").split(",")
            if part.strip(" '")
        ]
        return (
            location,
            f"{prefix}{_shown(given)} is not allowed; write one of: {', '.join(options)}",
            False,
            did_you_mean(str(given), options) if isinstance(given, str) else None,
        )
    messages = {
        "string_type": f"expected text, got {_shown(given)}",
        "list_type": f"expected a list, got {_shown(given)}; "
        "write each item on its own line starting with '- '",
        "model_type": f"expected a mapping of fields (name: value), got {_shown(given)}",
        "dict_type": f"expected a mapping of fields (name: value), got {_shown(given)}",
        "model_attributes_type": f"expected a mapping of fields (name: value), got {_shown(given)}",
        "bool_type": f"expected true or false, got {_shown(given)}",
        "bool_parsing": f"expected true or false, got {_shown(given)}",
        "string_too_short": "must not be empty",
        "too_short": "needs at least one item",
    }
    message = messages.get(kind, detail["msg"])
    if kind == "too_short" and not isinstance(given, list):
        message = detail["msg"]
    hint = None
    if kind == "string_type" and isinstance(given, dict) and len(given) == 1:
        hint = COLON_HINT
    return location, f"{prefix}{message}", False, hint


def _union_item(loc: tuple[Any, ...]) -> Location | None:
    """The location of the text-or-mapping item an error sits in, if it sits in its mapping form."""
    if "as-mapping" not in loc:
        return None
    return tuple(part for part in loc[: loc.index("as-mapping")] if part not in UNION_TAGS)


def _texts_misread_as_fields(model_class: type[BaseModel], details: list[Any]) -> list[Location]:
    """Items that may be text or a mapping (an unknown, a next step) which were meant as text,
    but YAML read ``- The cost: nobody knows`` as a mapping of one unknown field."""
    found = []
    for detail in details:
        item = _union_item(detail["loc"])
        given = detail.get("input")
        if item is None or detail["type"] != "missing" or not isinstance(given, dict):
            continue
        if len(given) == 1 and next(iter(given)) not in _fields_at(model_class, item):
            found.append(item)
    return found


def describe(location: Location) -> str:
    """A location in a file's data as an editor reads it: ``questions[2].answer``."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 40 else f"'{value[:37]}...'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _fields_at(model_class: type[BaseModel], location: Location) -> list[str]:
    """The field names a (possibly nested) model accepts at a location."""
    current: Any = model_class
    for part in location:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = _by_name_or_alias(current).get(str(part))
        if field is None:
            return []
        current = _inner_model(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return sorted(_by_name_or_alias(current))
    return []


def _by_name_or_alias(model: type[BaseModel]) -> dict[str, Any]:
    """A model's fields by the names fact files write (the alias, such as ``from``)."""
    return {info.alias or name: info for name, info in model.model_fields.items()}


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType, typing.Annotated):
        for argument in typing.get_args(annotation):
            found = _inner_model(argument)
            if found is not None:
                return found
    return None
