"""The content manager's forms, generated from the content model: a folder collection per kind
of fact and a widget per field, so that the browser's forms can never drift from the contract.

Each field is read from its JSON Schema, the normal form of what the models say: types, choices,
required fields, descriptions, nested models, and the marks the models put in the schema's
extras (see ``facts/models.py``): ``x-references`` (the collections an id names: a pick list),
``x-markdown``, ``x-url`` and ``x-media``. A field whose shape has no widget here is an error
(``UnsupportedField``), never a field left out of the form.

Why Decap CMS's ``markdown`` widget in raw mode only: its rich-text mode escapes the ``[`` of
``[[id]]`` and ``[@source-id]`` in the whole field as soon as it is touched, silently breaking
every link and citation.
"""

from __future__ import annotations

import json
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter
from pydantic.fields import FieldInfo

from ..facts.collections import BY_NAME, COLLECTIONS, Collection
from ..facts.models import SLUG_PATTERN, Id, Language, PartialDate, Time
from ..text import SLUG_MAX_LENGTH

ID_WIDGET = "backstory-id"
"""The id field's widget, defined in ``admin/backstory-cms.js``: editable for a new fact,
shown read-only for an existing one (saving never renames a file)."""
TEXT_OR_MAPPING_WIDGET = "backstory-text-or-mapping"
"""The widget of a list whose items are each a text, or a mapping with that text and more (a
story's unknowns and next steps), defined in ``admin/backstory-cms.js``: Decap's list of forms of
the mapping, which saves an item as the plain text while only the text is given."""
ID_PATTERN = rf"^(?=.{{1,{SLUG_MAX_LENGTH}}}$){SLUG_PATTERN.removeprefix('^')}"
"""The contract's slug rule, length included, as one regular expression for the form."""
ID_RULE = "lowercase letters, digits and single hyphens, such as ryan-luby"
URL_PATTERN = r"^https?://\S+$"
MULTI_LINE_FIELDS = frozenset({"text"})
"""Plain-text fields shown in a box of several lines: a field named ``text`` holds words as
published (a quote, a translation), which run longer than a name or a title."""

_IRREGULAR_PLURALS = {"aliases": "alias", "next": "next step"}
_MARKDOWN_NOTE = "Markdown: `[[id]]` links to a fact, `[@source-id]` cites a source."
_ID_DESCRIPTION = TypeAdapter(Id).json_schema()["description"]


def _description(annotated: Any) -> str:
    infos = [m for m in typing.get_args(annotated)[1:] if isinstance(m, FieldInfo)]
    return next((info.description for info in infos if info.description), "")


def _core(schema: dict[str, Any]) -> dict[str, Any]:
    """A schema without what a field adds to its kind (a description, a default)."""
    return {k: v for k, v in schema.items() if k not in ("description", "default", "title")}


_NAMED_SHAPES = {
    json.dumps(_core(TypeAdapter(kind).json_schema()), sort_keys=True): _description(kind)
    or str(TypeAdapter(kind).json_schema().get("description", ""))
    for kind in (PartialDate, Time, Language)
}
"""The schemas of the models' named kinds of text, each with what its description says of it
(``HH:MM, 24-hour, local time``), for the form's hints and pattern messages. (A time zone's
schema is any text: its name is checked by ``backstory check``.)"""


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
        if _is_date(_without_null(node, context)[0]) or _named(node) == _named_partial_date()
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
        "fields": _fields(schema, context, top=True),
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
        marked = any(key in node for key in ("enum", "format", "pattern", "x-references"))
        if node.get("type") == "string" and not marked:
            texts.append((str(name), bool(node.get("x-markdown"))))
    if not texts:
        raise UnsupportedField(f"{collection.name}: no required text field names its facts")
    others = [name for name, markdown in texts[1:] if not markdown]
    return [texts[0][0], *others[:1]]


def _fields(schema: dict[str, Any], context: _Schema, *, top: bool = False) -> list[dict[str, Any]]:
    required = set(schema.get("required", []))
    fields = []
    for name, node in schema["properties"].items():
        if top and name == "id":
            fields.append(_id_field())
            continue
        fields.append(_field(str(name), node, context, required=name in required))
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
    shape, nullable = _without_null(node, context)
    field: dict[str, Any] = {"label": _label(name), "name": name}
    try:
        field.update(_widget(name, shape, context))
    except UnsupportedField as error:
        raise UnsupportedField(f"{name}: {error}") from None
    field["required"] = required and not nullable
    hint = _hint(node.get("description") or shape.get("description") or _named(shape), field)
    if hint:
        field["hint"] = hint
    if field["widget"] == "object" and not field["required"]:
        _needed_only_when_given(field)
    return field


def _needed_only_when_given(field: dict[str, Any]) -> None:
    """The required fields of an optional mapping (an image), optional in the form: Decap checks
    them even when the mapping is absent, and would refuse to save any fact without one. The
    hint says so, and ``backstory check`` requires them of a mapping that is given."""
    for child in field["fields"]:
        if child.get("required"):
            child["required"] = False
            note = f"Needed when the {field['label'].lower()} is given."
            child["hint"] = f"{child['hint']} {note}" if child.get("hint") else note


def _without_null(node: dict[str, Any], context: _Schema) -> tuple[dict[str, Any], bool]:
    """The field's shape with an optional ``null`` taken out, and whether it was there."""
    options = node.get("anyOf")
    if options is None or _named(node) is not None:
        return context.resolve(node), False
    kept = [option for option in options if option != {"type": "null"}]
    outer = {k: v for k, v in node.items() if k not in ("anyOf", "default")}
    if [option.get("type") for option in kept] == ["integer", "number"]:
        return {"type": "number", **outer}, len(kept) < len(options)
    if len(kept) != 1:
        raise UnsupportedField(f"a choice of {len(kept)} shapes has no widget")
    return {**context.resolve(kept[0]), **outer}, len(kept) < len(options)


def _widget(name: str, shape: dict[str, Any], context: _Schema) -> dict[str, Any]:
    """The widget and its options for a field's shape (without null)."""
    many = shape.get("type") == "array"
    targets = shape.get("x-references") or (shape.get("items") or {}).get("x-references")
    if targets:
        return _reference_widget(list(targets), many=many, shape=shape)
    named = _named(shape)
    if named is not None:
        widget: dict[str, Any] = {"widget": "string"}
        pattern = _core(shape).get("pattern") or _partial_date_pattern(shape)
        if pattern:
            widget["pattern"] = [pattern, named]
        return widget
    if "enum" in shape:
        return {"widget": "select", "options": [str(value) for value in shape["enum"]]}
    kind = shape.get("type")
    if kind == "object" and "properties" in shape:
        return {"widget": "object", "collapsed": False, "fields": _fields(shape, context)}
    if many:
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
    if shape.get("x-markdown"):
        return {
            "widget": "markdown",
            "modes": ["raw"],
            "buttons": [],  # the formatting buttons work in rich-text mode only
            "editor_components": [],
            "sanitize_preview": True,
        }
    if shape.get("x-media"):
        # A file of content/media/, chosen or uploaded there; never an address on another host.
        return {"widget": "image", "choose_url": False}
    widget: dict[str, Any] = {"widget": "text" if name in MULTI_LINE_FIELDS else "string"}
    if shape.get("x-url"):
        widget["pattern"] = [URL_PATTERN, "an address starting with https:// or http://"]
    elif "pattern" in shape:
        widget["pattern"] = [shape["pattern"], f"written as {shape['pattern']}"]
    return widget


def _list_widget(name: str, shape: dict[str, Any], context: _Schema) -> dict[str, Any]:
    items_node = shape.get("items", {})
    items = context.resolve(items_node)
    singular = _singular(name)
    widget: dict[str, Any] = {"widget": "list", "label_singular": _label(singular)}
    if items.get("type") == "object" and "properties" in items:
        widget["fields"] = _fields(items, context)
        widget["summary"] = (
            "{{fields." + str(items.get("required", [*items["properties"]])[0]) + "}}"
        )
    elif "oneOf" in items or "anyOf" in items:
        widget.update(_text_or_mapping(items, context))
    else:
        item = _field(singular.replace(" ", "_"), items_node, context, required=True)
        item["label"] = _label(singular)
        item.pop("hint", None)
        widget["field"] = item
    if shape.get("minItems"):
        widget["min"] = shape["minItems"]
    return widget


def _text_or_mapping(items: dict[str, Any], context: _Schema) -> dict[str, Any]:
    """A list whose items are each a text, or a mapping holding that text (its first required
    field, of the same shape) and more: a list of forms of the mapping, whose widget saves an
    item as the plain text while only the text is given."""
    options = [context.resolve(option) for option in items.get("oneOf") or items["anyOf"]]
    texts = [o for o in options if o.get("type") == "string"]
    mappings = [o for o in options if o.get("type") == "object" and "properties" in o]
    if len(texts) != 1 or len(mappings) != 1 or len(options) != 2:
        raise UnsupportedField("a choice of shapes other than a text or a mapping has no widget")
    mapping = mappings[0]
    key = str(mapping.get("required", [""])[0])
    if _core(mapping["properties"].get(key, {})) != _core(texts[0]):
        raise UnsupportedField("the mapping does not hold the text as its first required field")
    return {
        "widget": TEXT_OR_MAPPING_WIDGET,
        "text_field": key,
        # Not "fields": Decap would then read every item as a mapping on load and save.
        "item_fields": _fields(mapping, context),
        "summary": "{{fields." + key + "}}",
    }


def _reference_widget(targets: list[str], *, many: bool, shape: dict[str, Any]) -> dict[str, Any]:
    """A pick list of the facts of one collection, by the name that lists show; ids of one of
    several collections are typed, checked against the id rule."""
    unknown = [target for target in targets if target not in BY_NAME]
    if unknown:
        raise UnsupportedField(f"references name no collection: {unknown}")
    if len(targets) > 1:
        kinds = " or ".join(BY_NAME[target].kind for target in targets)
        typed: dict[str, Any] = {"widget": "string", "pattern": [ID_PATTERN, ID_RULE]}
        if many:
            return {"widget": "list", "field": {"label": f"ID of a {kinds}", "name": "id", **typed}}
        return typed
    target = BY_NAME[targets[0]]
    shown = display_fields(target)
    widget: dict[str, Any] = {
        "widget": "relation",
        "collection": target.name,
        "value_field": "{{slug}}",
        "search_fields": list(shown),
        "display_fields": list(shown),
    }
    if many:
        widget["multiple"] = True
        if shape.get("minItems"):
            widget["min"] = shape["minItems"]
    return widget


def _named(shape: dict[str, Any]) -> str | None:
    """What the description of a named kind of text (a partial date, a time, a language tag)
    says, when the shape is one; None otherwise."""
    return _NAMED_SHAPES.get(json.dumps(_core(shape), sort_keys=True))


def _named_partial_date() -> str:
    return _NAMED_SHAPES[json.dumps(_core(TypeAdapter(PartialDate).json_schema()), sort_keys=True)]


def _partial_date_pattern(shape: dict[str, Any]) -> str | None:
    """A partial date may be written as a number (a year); the form takes text."""
    texts = [o for o in shape.get("anyOf", ()) if o.get("type") == "string" and "pattern" in o]
    return str(texts[0]["pattern"]) if texts else None


def _is_date(shape: dict[str, Any]) -> bool:
    return shape.get("type") == "string" and shape.get("format") == "date"


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
    if not description or description == _ID_DESCRIPTION:
        return None
    return _sentence(description)


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."
