"""The content manager's forms, generated from the content model: a folder collection per kind
of fact and a widget per field, so that the browser's forms can never drift from the contract.

Each field is read from its JSON Schema, the normal form of what the models say (types,
choices, required, descriptions, nested models, and the ``references`` each id field carries);
a field whose shape has no widget here is an error (``UnsupportedField``), never a field left
out of the form.

Why Decap CMS's ``markdown`` widget in raw mode only: its rich-text mode escapes the ``[`` of
``[[id]]`` and ``[@source-id]`` in the whole field as soon as it is touched, silently breaking
every link and citation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter

from ..facts.collections import BY_NAME, COLLECTIONS, Collection
from ..facts.models import MARKDOWN_MEDIA_TYPE, REFERENCES, SLUG_PATTERN, Id, PartialDate
from ..text import SLUG_MAX_LENGTH

ID_WIDGET = "backstory-id"
"""The id field's widget, defined in ``admin/backstory-cms.js``: editable for a new fact,
shown read-only for an existing one (saving never renames a file)."""
ID_PATTERN = rf"^(?=.{{1,{SLUG_MAX_LENGTH}}}$){SLUG_PATTERN.removeprefix('^')}"
"""The contract's slug rule, length included, as one regular expression for the form."""
ID_RULE = "lowercase letters, digits and single hyphens, such as ryan-luby"
MULTI_LINE_FIELDS = frozenset({"text"})
"""Plain-text fields shown in a box of several lines: a field named ``text`` holds words as
published (a quote), which run longer than a name or a title."""

_IRREGULAR_PLURALS = {"aliases": "alias"}
_PARTIAL_DATE_SCHEMA = TypeAdapter(PartialDate).json_schema()
PARTIAL_DATE_PATTERN = str(_PARTIAL_DATE_SCHEMA["anyOf"][0]["pattern"])
_ID_DESCRIPTION = TypeAdapter(Id).json_schema()["description"]
_MARKDOWN_NOTE = "Markdown: `[[id]]` links to a fact, `[@source-id]` cites a source."


class UnsupportedField(Exception):
    """A field of the models has no widget in the content manager."""


@dataclass(frozen=True)
class _Schema:
    """One model's JSON Schema, for resolving ``$ref`` to the models inside it."""

    definitions: dict[str, Any]

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        reference = node.get("$ref")
        if reference is None:
            return node
        name = str(reference).rsplit("/", 1)[-1]
        return {**self.definitions[name], **{k: v for k, v in node.items() if k != "$ref"}}


def collection_forms() -> list[dict[str, Any]]:
    """The content manager's collections: one per collection of the registry, in its order."""
    return [collection_form(collection) for collection in COLLECTIONS]


def collection_form(collection: Collection) -> dict[str, Any]:
    """One folder collection: ``content/<name>/<id>.yml``, the file name being the id."""
    schema = collection.model.model_json_schema(mode="validation")
    context = _Schema(schema.get("$defs", {}))
    shown, *others = display_fields(collection)
    dates = [
        name
        for name, node in schema["properties"].items()
        if _is_date(context.resolve(node)) or _is_partial_date(node)
    ]
    return {
        "name": collection.name,
        "label": collection.name.capitalize(),
        "label_singular": collection.kind.capitalize(),
        "description": _sentence((collection.model.__doc__ or "").strip().split("\n")[0]),
        "folder": f"content/{collection.name}",
        "extension": "yml",
        "format": "yml",
        "create": True,
        "identifier_field": "id",
        "slug": "{{id}}",
        "summary": "{{" + shown + "}}" + "".join(f" ({{{{{other}}}}})" for other in others),
        "sortable_fields": [{"field": shown, "default_sort": True}, *dates],
        "editor": {"preview": False},
        "fields": _fields(collection.model.model_fields, schema, context, top=True),
    }


def display_fields(collection: Collection) -> list[str]:
    """What lists and pick lists show of a fact: the field that names it (its first required
    field of plain text or Markdown: an actor's name, a story's title, a quote's text) and, where
    there is one, the next required field of plain text, which tells apart facts of the same
    name (two wire stories of one title, told apart by their publishers)."""
    schema = collection.model.model_json_schema(mode="validation")
    texts = []
    for name in schema.get("required", []):
        node = schema["properties"][name]
        plain = "enum" not in node and "format" not in node and not node.get(REFERENCES)
        if node.get("type") == "string" and plain:
            texts.append((str(name), node.get("contentMediaType") == MARKDOWN_MEDIA_TYPE))
    if not texts:
        raise UnsupportedField(f"{collection.name}: no required text field names its facts")
    others = [name for name, markdown in texts[1:] if not markdown]
    return [texts[0][0], *others[:1]]


def _fields(
    names: Any, schema: dict[str, Any], context: _Schema, *, top: bool = False
) -> list[dict[str, Any]]:
    required = set(schema.get("required", []))
    properties = schema["properties"]
    fields = []
    for name in names:
        if top and name == "id":
            fields.append(_id_field())
            continue
        fields.append(_field(str(name), properties[name], context, required=name in required))
    return fields


def _id_field() -> dict[str, Any]:
    return {
        "label": "ID (file name)",
        "name": "id",
        "widget": ID_WIDGET,
        "required": True,  # an existing fact's widget answers with its file name
        "pattern": [ID_PATTERN, ID_RULE],
        "hint": "The file name, and the id that other facts and `[[id]]` links use. It cannot "
        "be changed after the first save.",
    }


def _field(name: str, node: dict[str, Any], context: _Schema, *, required: bool) -> dict[str, Any]:
    """A field's widget, with its label, whether it is required and its hint."""
    description = node.get("description")
    shape, nullable = _without_null(node, context)
    field: dict[str, Any] = {"label": _label(name), "name": name}
    field.update(_widget(name, shape, context))
    field["required"] = required and not nullable
    hint = _hint(description or shape.get("description"), field)
    if hint:
        field["hint"] = hint
    return field


def _without_null(node: dict[str, Any], context: _Schema) -> tuple[dict[str, Any], bool]:
    """The field's shape with an optional ``null`` taken out, and whether it was there."""
    options = node.get("anyOf")
    if options is None or _is_partial_date(node):
        return context.resolve(node), False
    kept = [option for option in options if option != {"type": "null"}]
    if len(kept) != 1:
        raise UnsupportedField(f"a choice of {len(kept)} shapes has no widget")
    outer = {k: v for k, v in node.items() if k not in ("anyOf", "default")}
    return {**context.resolve(kept[0]), **outer}, len(kept) < len(options)


def _widget(name: str, shape: dict[str, Any], context: _Schema) -> dict[str, Any]:
    """The widget and its options for a field's shape (without null)."""
    targets = shape.get(REFERENCES)
    if targets:
        return _reference_widget(list(targets), many=shape.get("type") == "array", shape=shape)
    if _is_partial_date(shape):
        return {
            "widget": "string",
            "pattern": [PARTIAL_DATE_PATTERN, "YYYY-MM-DD, YYYY-MM or YYYY"],
        }
    if "enum" in shape:
        return {"widget": "select", "options": [str(value) for value in shape["enum"]]}
    kind = shape.get("type")
    if kind == "object" and "properties" in shape:
        return {
            "widget": "object",
            "collapsed": False,
            "fields": _fields(shape["properties"], shape, context),
        }
    if kind == "array":
        return _list_widget(name, shape, context)
    if kind == "boolean":
        return {"widget": "boolean"}
    if kind in ("integer", "number"):
        return {"widget": "number", "value_type": "int" if kind == "integer" else "float"}
    if kind == "string":
        return _string_widget(name, shape)
    raise UnsupportedField(f"the shape {sorted(shape)} has no widget")


def _string_widget(name: str, shape: dict[str, Any]) -> dict[str, Any]:
    if _is_date(shape):
        return {
            "widget": "datetime",
            "format": "YYYY-MM-DD",
            "date_format": "YYYY-MM-DD",
            "time_format": False,
            "picker_utc": True,
        }
    if shape.get("contentMediaType") == MARKDOWN_MEDIA_TYPE:
        return {
            "widget": "markdown",
            "modes": ["raw"],
            "buttons": [],  # the formatting buttons work in rich-text mode only
            "editor_components": [],
            "sanitize_preview": True,
        }
    widget: dict[str, Any] = {"widget": "text" if name in MULTI_LINE_FIELDS else "string"}
    if "pattern" in shape:
        widget["pattern"] = [shape["pattern"], f"written as {shape['pattern']}"]
    return widget


def _list_widget(name: str, shape: dict[str, Any], context: _Schema) -> dict[str, Any]:
    items, _ = _without_null(shape.get("items", {}), context)
    widget: dict[str, Any] = {"widget": "list"}
    if items.get("type") == "object" and "properties" in items:
        widget["fields"] = _fields(items["properties"], items, context)
        widget["collapsed"] = False
    else:
        item = _field(_singular(name), shape.get("items", {}), context, required=True)
        item.pop("hint", None)
        widget["field"] = item
    if shape.get("minItems"):
        widget["min"] = shape["minItems"]
    return widget


def _reference_widget(targets: list[str], *, many: bool, shape: dict[str, Any]) -> dict[str, Any]:
    """A pick list of the facts of one collection, by the name that lists show; ids of one of
    several collections are typed, checked against the id rule."""
    unknown = [target for target in targets if target not in BY_NAME]
    if unknown:
        raise UnsupportedField(f"references name no collection: {unknown}")
    if len(targets) > 1:
        typed: dict[str, Any] = {"widget": "string", "pattern": [ID_PATTERN, ID_RULE]}
        if many:
            return {"widget": "list", "field": {"label": "ID", "name": "id", **typed}}
        return typed
    target = BY_NAME[targets[0]]
    shown = display_fields(target)
    widget: dict[str, Any] = {
        "widget": "relation",
        "collection": target.name,
        "value_field": "{{slug}}",
        "search_fields": shown,
        "display_fields": shown,
    }
    if many:
        widget["multiple"] = True
        if shape.get("minItems"):
            widget["min"] = shape["minItems"]
    return widget


def _is_date(shape: dict[str, Any]) -> bool:
    return shape.get("type") == "string" and shape.get("format") == "date"


def _is_partial_date(node: dict[str, Any]) -> bool:
    return bool(node.get("anyOf") == _PARTIAL_DATE_SCHEMA["anyOf"])


def _label(name: str) -> str:
    words = [word.upper() if word in ("id", "url") else word for word in name.split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _singular(name: str) -> str:
    if name in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[name]
    if name.endswith("ies"):
        return name[:-3] + "y"
    return name[:-1] if name.endswith("s") else name


def _hint(description: str | None, field: dict[str, Any]) -> str | None:
    """The field's description as a sentence; the Markdown forms for Markdown fields; nothing
    for the plain "an id" description of a pick list, which says it all."""
    if field["widget"] == "markdown":
        generic = description is None or description.startswith("Markdown;")
        return _MARKDOWN_NOTE if generic else f"{_sentence(str(description))} {_MARKDOWN_NOTE}"
    if description is None or description == _ID_DESCRIPTION:
        return None
    return _sentence(description)


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."
