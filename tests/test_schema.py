"""JSON Schemas: generated from the validator's models, committed, and in agreement with them."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from backstory.editor.schema import render_schemas
from backstory.facts.collections import NAMES as MODELS

from .conftest import REPO, SMALL_SITE, V2_SITE


def test_committed_schemas_match_the_models() -> None:
    for name, text in render_schemas().items():
        committed = REPO / "schemas" / name
        assert committed.exists(), f"schemas/{name} is missing: run backstory schema --out schemas"
        assert committed.read_text(encoding="utf-8") == text, (
            f"schemas/{name} is out of date: run backstory schema --out schemas"
        )


def test_vscode_maps_every_collection_to_its_schema() -> None:
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text())
    mapped = settings["yaml.schemas"]
    for collection in MODELS:
        assert (
            mapped[f"./schemas/{collection}.schema.json"] == f"content/{collection}/*.{{yml,yaml}}"
        )


@pytest.mark.parametrize("site", [REPO, SMALL_SITE, V2_SITE], ids=["repo", "small-site", "v2-site"])
def test_valid_content_passes_its_schema(site) -> None:
    schemas = {name.split(".")[0]: json.loads(text) for name, text in render_schemas().items()}
    # Editors' tools read YAML 1.2, where dates are strings: load the same way.
    loader = yaml.BaseLoader
    for collection in MODELS:
        for path in sorted((site / "content" / collection).glob("*.yml")):
            data = yaml.load(path.read_text(), Loader=loader)
            data = _typed(data)
            jsonschema.validate(data, schemas[collection])


def test_schema_rejects_what_the_validator_rejects() -> None:
    schemas = {name.split(".")[0]: json.loads(text) for name, text in render_schemas().items()}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "Ana", "type": "persn"}, schemas["actors"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "Ana", "type": "person", "sumary": "x"}, schemas["actors"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"title": "T", "summary": "S"}, schemas["stories"])


BOOLEAN_FIELDS = ("draft", "anonymous")
NUMBER_FIELDS = ("value",)


def _typed(value, key=None):
    """BaseLoader reads every scalar as text; turn booleans and numbers back as YAML 1.2 does."""
    if isinstance(value, dict):
        return {k: _typed(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    if key in BOOLEAN_FIELDS and value in ("true", "false"):
        return value == "true"
    if key in NUMBER_FIELDS:
        return float(value) if "." in value else int(value)
    return value
