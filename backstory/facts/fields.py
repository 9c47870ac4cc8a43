"""What the content model says about each value of a fact, read from the models themselves.

The models mark their fields in their JSON Schema extras (see ``models.py``): ``x-references``
(an id of those collections), ``x-markdown`` (a Markdown field) and ``x-url`` (a web address).
Walking a fact with its model's annotations finds every such value with its location in the
file, so the validator, the resolver and the editors' tools all read one definition.
"""

from __future__ import annotations

import functools
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
    if location:
        return _walk_fields(model, location)
    known = _WALKED.get(id(model))
    if known is None or known[0] is not model:
        if len(_WALKED) >= _WALKED_LIMIT:
            _WALKED.clear()
        known = _WALKED[id(model)] = (model, tuple(_walk_fields(model, location)))
    return iter(known[1])


_WALKED: dict[int, tuple[BaseModel, tuple[Marked, ...]]] = {}
"""What ``walk`` found in each fact, by the fact's identity (the model is kept with it, so the
identity is never reused). Why: a check walks every fact some ten times (validation, references,
images, rules), and a fact, frozen, always gives the same values."""
_WALKED_LIMIT = 250_000
"""Past this many facts the memo starts again: a preview that runs for days stays small."""


def _walk_fields(model: BaseModel, location: Location) -> Iterator[Marked]:
    for name, key, annotation, extra in _fields_of(type(model)):
        value = getattr(model, name)
        if value is None:
            continue
        yield from _walk_value(value, annotation, (*location, key), extra)


@functools.cache
def _fields_of(model: type[BaseModel]) -> tuple[tuple[str, str, Any, dict[str, Any]], ...]:
    """Each field of a model: its name, its key in the file, its annotation and its extras.
    (Read once per model class: a check walks tens of thousands of facts.)"""
    return tuple(
        (name, info.alias or name, info.annotation, _extras(info))
        for name, info in model.model_fields.items()
    )


def _extras(info: FieldInfo) -> dict[str, Any]:
    extra = info.json_schema_extra
    return dict(extra) if isinstance(extra, dict) else {}


Shape = tuple[str, Any, dict[str, Any]]
_SHAPES: dict[int, tuple[Any, Shape]] = {}
"""Each annotation's shape by the annotation's identity (hashing a typing annotation costs
more than reading it); the annotation is kept with it, so the identity is never reused."""


def _shape(annotation: Any) -> Shape:
    """What an annotation says of its values, read once per annotation: ("annotated", the
    annotation inside, the extras it adds), ("union", its members, {}) or ("list", the items'
    annotation, {}), which also stands for a plain value."""
    known = _SHAPES.get(id(annotation))
    if known is not None and known[0] is annotation:
        return known[1]
    shape = _read_shape(annotation)
    _SHAPES[id(annotation)] = (annotation, shape)
    return shape


def _read_shape(annotation: Any) -> Shape:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *metadata = typing.get_args(annotation)
        added: dict[str, Any] = {}
        for item in metadata:
            if isinstance(item, FieldInfo):
                added.update(_extras(item))
        return ("annotated", base, added)
    if origin in (typing.Union, types.UnionType):
        return ("union", typing.get_args(annotation), {})
    arguments = typing.get_args(annotation)
    return ("list", arguments[0] if arguments else Any, {})


def _walk_value(
    value: Any, annotation: Any, location: Location, extra: dict[str, Any]
) -> Iterator[Marked]:
    kind, inner, added = _shape(annotation)
    if kind == "annotated":
        yield from _walk_value(value, inner, location, {**extra, **added} if added else extra)
    elif kind == "union":
        for member in inner:
            if _fits(member, value):
                yield from _walk_value(value, member, location, extra)
                return
    elif isinstance(value, BaseModel):
        yield from walk(value, location)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk_value(item, inner, (*location, index), extra)
    else:
        yield Marked(location, value, extra)


def _fits(annotation: Any, value: Any) -> bool:
    """Whether a value is of one member of a union (the members are text, models, lists, None)."""
    while _shape(annotation)[0] == "annotated":
        annotation = _shape(annotation)[1]
    origin = typing.get_origin(annotation) or annotation
    if annotation is type(None):
        return value is None
    if origin is typing.Literal:
        return value in typing.get_args(annotation)
    return isinstance(origin, type) and isinstance(value, origin)


def markdown_fields(model: BaseModel) -> list[tuple[Location, str]]:
    """Every Markdown field of a fact with its location, in reading order."""
    return [(m.location, m.value) for m in walk(model) if m.markdown]


def reference_fields(model: BaseModel) -> list[Marked]:
    """Every id a fact gives in its fields (not in its text), with the collections it may name."""
    return [m for m in walk(model) if m.references]
