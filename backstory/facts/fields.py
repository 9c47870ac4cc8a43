"""What the content model says about each value of a fact, read from the models themselves.

The models mark their fields in their JSON Schema extras (see ``models.py``): ``x-references``
(an id of those collections), ``x-markdown`` (a Markdown field) and ``x-url`` (a web address).
Walking a fact with its model's annotations finds every such value with its location in the
file, so the validator, the resolver and the editors' tools all read one definition.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

Location = tuple[str | int, ...]


@dataclass(frozen=True)
class Marked:
    """One value of a fact and what the model says of it."""

    location: Location
    value: Any
    extra: dict[str, Any]

    @property
    def references(self) -> tuple[str, ...]:
        """The collections an id here may name; empty when the value is not an id."""
        return tuple(self.extra.get("x-references", ()))

    @property
    def markdown(self) -> bool:
        return bool(self.extra.get("x-markdown"))

    @property
    def url(self) -> bool:
        return bool(self.extra.get("x-url"))


def walk(model: BaseModel, location: Location = ()) -> Iterator[Marked]:
    """Every plain value of a model (and of the models inside it), in the order of the fields,
    with the extras that its field and annotation give."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if value is None:
            continue
        key = info.alias or name
        extra = _extras(info)
        yield from _walk_value(value, info.annotation, (*location, key), extra)


def _extras(info: FieldInfo) -> dict[str, Any]:
    extra = info.json_schema_extra
    return dict(extra) if isinstance(extra, dict) else {}


def _walk_value(
    value: Any, annotation: Any, location: Location, extra: dict[str, Any]
) -> Iterator[Marked]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *metadata = typing.get_args(annotation)
        for item in metadata:
            if isinstance(item, FieldInfo):
                extra = {**extra, **_extras(item)}
        yield from _walk_value(value, base, location, extra)
    elif origin in (typing.Union, types.UnionType):
        for member in typing.get_args(annotation):
            if _fits(member, value):
                yield from _walk_value(value, member, location, extra)
                return
    elif isinstance(value, BaseModel):
        yield from walk(value, location)
    elif isinstance(value, list):
        arguments = typing.get_args(annotation)
        item_annotation = arguments[0] if arguments else Any
        for index, item in enumerate(value):
            yield from _walk_value(item, item_annotation, (*location, index), extra)
    else:
        yield Marked(location, value, extra)


def _fits(annotation: Any, value: Any) -> bool:
    """Whether a value is of one member of a union (the members are text, models, lists, None)."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if annotation is type(None):
        return value is None
    origin = typing.get_origin(annotation) or annotation
    if origin is typing.Literal:
        return value in typing.get_args(annotation)
    return isinstance(origin, type) and isinstance(value, origin)


def markdown_fields(model: BaseModel) -> list[tuple[Location, str]]:
    """Every Markdown field of a fact with its location, in reading order."""
    return [(m.location, m.value) for m in walk(model) if m.markdown]


def reference_fields(model: BaseModel) -> list[Marked]:
    """Every id a fact gives in its fields (not in its text), with the collections it may name."""
    return [m for m in walk(model) if m.references]
