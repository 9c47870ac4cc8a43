"""JSON Schemas of the fact files, generated from the same models the validator uses, so that
editors' tools (VS Code's YAML extension) autocomplete fields and flag mistakes as they type."""

from __future__ import annotations

import json
from typing import Any

from ..facts.collections import BY_NAME, NAMES
from ..facts.models import SLUG_PATTERN
from ..text import SLUG_MAX_LENGTH

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def collection_schema(collection: str) -> dict[str, Any]:
    """The JSON Schema of one collection's fact files."""
    model = BY_NAME[collection].model
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = SCHEMA_DIALECT
    schema["$id"] = f"{collection}.schema.json"
    schema["title"] = f"Backstory {BY_NAME[collection].kind}"
    schema["description"] = (model.__doc__ or "").strip()
    properties = schema.get("properties", {})
    if "id" in properties:
        properties["id"] = {
            "type": "string",
            "pattern": SLUG_PATTERN,
            "maxLength": SLUG_MAX_LENGTH,
            "description": "optional; when given it must equal the file name",
        }
    cleaned: dict[str, Any] = _drop_titles(schema)
    return cleaned


def render_schemas() -> dict[str, str]:
    """Every collection's schema as ``{file name: JSON text}``, deterministic."""
    return {
        f"{collection}.schema.json": json.dumps(
            collection_schema(collection), indent=2, sort_keys=True, ensure_ascii=False
        )
        + "\n"
        for collection in NAMES
    }


def _drop_titles(node: Any, top: bool = True) -> Any:
    """Pydantic titles every property after its Python name; editors show the description."""
    if isinstance(node, dict):
        return {
            key: _drop_titles(value, False)
            for key, value in node.items()
            if not (key == "title" and not top and isinstance(value, str))
        }
    if isinstance(node, list):
        return [_drop_titles(item, False) for item in node]
    return node
