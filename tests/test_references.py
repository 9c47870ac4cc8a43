"""Which collection each id field points to: the models' ``references`` metadata, the one
statement of it, read by the content manager's pick lists (``site/cms_forms.py``) and checked
here against what ``backstory check`` enforces."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from backstory.build.pipeline import check_content
from backstory.facts.collections import BY_NAME, COLLECTIONS, kind_of
from backstory.facts.models import referenced_collections
from backstory.project import Project
from backstory.text import with_article

ID_DESCRIPTION = "the id of another fact (its file name without .yml)"


def _names_an_id(node: Any) -> bool:
    if isinstance(node, dict):
        if node.get("description") == ID_DESCRIPTION:
            return True
        return any(_names_an_id(node.get(key)) for key in ("items", "anyOf"))
    if isinstance(node, list):
        return any(_names_an_id(item) for item in node)
    return False


def test_every_id_field_says_which_collection_it_points_to() -> None:
    """The models' ``references`` metadata is the one statement of what an id field names: a
    field of the ``Id`` type without it would be a typed box instead of a pick list."""
    unmarked = []
    for collection in COLLECTIONS:
        schema = collection.model.model_json_schema()
        definitions = [schema, *schema.get("$defs", {}).values()]
        for definition in definitions:
            for name, node in definition.get("properties", {}).items():
                if _names_an_id(node) and not node.get("references"):
                    unmarked.append(f"{collection.name}: {name}")
                for target in node.get("references", []):
                    assert target in BY_NAME, f"{collection.name}.{name} names {target}"
    assert unmarked == []


def _wrong_target(targets: tuple[str, ...], by_collection: dict[str, str]) -> str:
    return next(fact for name, fact in by_collection.items() if name not in targets)


def test_the_resolver_checks_each_reference_against_its_metadata(small_site: Path) -> None:
    """Each reference field points, for ``backstory check``, to the collections its metadata
    names: an id of another kind is reported at that field."""
    examples = {c: next(small_site.glob(f"content/{c}/*.yml")) for c in BY_NAME}
    by_collection = {c: path.stem for c, path in examples.items()}
    checked = 0
    for collection in COLLECTIONS:
        for name, info in collection.model.model_fields.items():
            targets = referenced_collections(info)
            if not targets:
                continue
            path = examples[collection.name]
            original = path.read_text(encoding="utf-8")
            data = yaml.safe_load(original)
            wrong = _wrong_target(targets, by_collection)
            many = "array" in json.dumps(collection.model.model_json_schema()["properties"][name])
            data[name] = [wrong] if many else wrong
            path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
            try:
                result = check_content(Project.open(small_site), use_cache=False, need_graph=False)
            finally:
                path.write_text(original, encoding="utf-8")
            shown = path.relative_to(small_site).as_posix()
            messages = [d.message for d in result.diagnostics if d.path == shown]
            expected = f"{name}: '{wrong}' is {with_article(kind_of(by_collection_of(wrong, by_collection)))}, not {with_article(kind_of(targets[0]))}"
            assert any(m.startswith(expected) for m in messages), (name, messages)
            checked += 1
    assert checked >= 9


def by_collection_of(fact_id: str, by_collection: dict[str, str]) -> str:
    return next(c for c, f in by_collection.items() if f == fact_id)
