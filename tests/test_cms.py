"""The content manager (``backstory cms``): forms generated from the content model, the admin
page in the site, its settings, the vendored bundle and the local backend. The browser test is
``tests/browser/test_cms.py``."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import pytest
import yaml
from click.testing import CliRunner
from pydantic import BaseModel, Field

from backstory.build.pipeline import build
from backstory.cli import cli
from backstory.editor import local_backend
from backstory.errors import LocalBackendError, ProjectError
from backstory.facts.collections import COLLECTIONS, Collection
from backstory.facts.models import Fact, Markdown, Text
from backstory.project import Project
from backstory.site import cms, cms_forms

from .conftest import GOLDEN, REPO

ADMIN = REPO / "backstory" / "site" / "admin"
CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def nested_models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for argument in typing.get_args(annotation) for m in nested_models(argument)]


def model_fields(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every field of a model and of the models inside it, as paths."""
    for name, field in model.model_fields.items():
        key = field.alias or name
        yield (*prefix, key)
        for inner in nested_models(field.annotation):
            yield from model_fields(inner, (*prefix, key))


def form_field(fields: list[dict[str, Any]], path: tuple[str, ...]) -> dict[str, Any] | None:
    """The form's field at a path of names (into objects and lists of objects)."""
    found = next((f for f in fields if f["name"] == path[0]), None)
    if found is None or len(path) == 1:
        return found
    return form_field(found.get("fields") or found.get("item_fields") or [], path[1:])


def forms() -> dict[str, dict[str, Any]]:
    return {form["name"]: form for form in cms_forms.collection_forms()}


# --- the forms follow the models ---------------------------------------------------------------


def test_every_field_of_every_model_has_a_widget() -> None:
    generated = forms()
    assert list(generated) == [c.name for c in COLLECTIONS]
    missing = []
    for collection in COLLECTIONS:
        for path in model_fields(collection.model):
            field = form_field(generated[collection.name]["fields"], path)
            if field is None or not field.get("widget"):
                missing.append(f"{collection.name}: {'.'.join(path)}")
    assert missing == []


class _Odd(Fact):
    """A model with a field the content manager cannot show."""

    name: Text
    counts: dict[str, int] = Field(default_factory=dict)


class _Either(Fact):
    name: Text
    when: int | Markdown


@pytest.mark.parametrize("model", [_Odd, _Either])
def test_a_field_without_a_widget_is_an_error(model: type[Fact]) -> None:
    with pytest.raises(cms_forms.UnsupportedField):
        cms_forms.collection_form(Collection("odds", "odd", model, has_page=False, linkable=False))


def test_each_collection_is_a_folder_of_fact_files_named_by_their_id() -> None:
    for name, form in forms().items():
        assert form["folder"] == f"content/{name}"
        assert (form["extension"], form["format"], form["create"]) == ("yml", "yml", True)
        assert (form["identifier_field"], form["slug"]) == ("id", "{{id}}")
        id_field = form["fields"][0]
        assert id_field["name"] == "id" and id_field["widget"] == cms_forms.ID_WIDGET
        assert id_field["required"] is True
        pattern = id_field["pattern"][0]
        assert re.match(pattern, "ryan-luby") and re.match(pattern, "a" * 80)
        for wrong in ("Ryan-Luby", "ryan_luby", "ryan--luby", "-x", "a" * 81, ""):
            assert not re.match(pattern, wrong), wrong


def test_widgets_follow_the_types_of_the_contract() -> None:
    generated = forms()

    def field(collection: str, *path: str) -> dict[str, Any]:
        found = form_field(generated[collection]["fields"], path)
        assert found is not None, path
        return found

    assert field("actors", "name")["widget"] == "string"
    assert field("actors", "type") | {"hint": None} == {
        "label": "Type",
        "name": "type",
        "widget": "select",
        "options": ["person", "organization"],
        "required": True,
        "hint": None,
    }
    summary = field("actors", "summary")
    assert summary["widget"] == "markdown" and summary["modes"] == ["raw"]
    assert summary["required"] is False
    assert field("stories", "summary")["required"] is True
    assert field("actors", "aliases")["widget"] == "list"
    assert field("actors", "aliases")["field"]["widget"] == "string"
    links = field("actors", "links")
    assert [(f["name"], f["widget"], f["required"]) for f in links["fields"]] == [
        ("title", "string", True),
        ("url", "string", True),
    ]
    date = field("stories", "published")
    assert date["widget"] == "datetime" and date["time_format"] is False
    assert date["format"] == "YYYY-MM-DD" and date["required"] is True
    assert field("sources", "date")["required"] is False
    for collection in ("events", "quotes", "figures"):
        partial = field(collection, "date")
        assert partial["widget"] == "string" and partial["required"] is True
        for good in ("2020-01-16", "2020-01", "2020"):
            assert re.match(partial["pattern"][0], good)
        assert not re.match(partial["pattern"][0], "January 2020")
    time = field("quotes", "time")
    assert re.match(time["pattern"][0], "20:05") and not re.match(time["pattern"][0], "8pm")
    assert time["pattern"][1] == "HH:MM, 24-hour, local time; only with a full date"
    url = field("sources", "url")
    assert re.match(url["pattern"][0], "https://example.org/a")
    assert not re.match(url["pattern"][0], "javascript:alert(1)")
    assert field("actors", "same_as")["field"]["pattern"] == url["pattern"]
    image = field("actors", "image")
    assert image["widget"] == "object" and image["required"] is False
    # Decap checks the required fields of an absent mapping: optional in the form, and said so.
    assert form_field(image["fields"], ("file",)) == {
        "label": "File",
        "name": "file",
        "widget": "image",
        "choose_url": False,
        "required": False,
        "hint": "A path under content/media/, such as council.jpg. Needed when the image is given.",
    }
    assert field("figures", "value") | {"hint": None} == {
        "label": "Value",
        "name": "value",
        "widget": "number",
        "value_type": "float",
        "required": True,
        "hint": None,
    }
    role_start = field("actors", "roles", "from")
    assert role_start["widget"] == "datetime" and role_start["required"] is False
    asserted = field("claims", "asserted_by")
    assert asserted["widget"] == "list" and asserted["field"]["pattern"][0] == cms_forms.ID_PATTERN
    assert field("quotes", "text")["widget"] == "text"
    assert field("stories", "draft")["widget"] == "boolean"
    assert field("stories", "draft")["required"] is False
    unknowns = field("stories", "unknowns")
    assert unknowns["widget"] == cms_forms.TEXT_OR_MAPPING_WIDGET
    assert unknowns["text_field"] == "text"
    assert [f["name"] for f in unknowns["item_fields"]] == ["text", "since", "answered_by"]
    assert unknowns["item_fields"][0]["widget"] == "markdown"
    corrections = field("stories", "corrections")
    assert [(f["name"], f["widget"]) for f in corrections["fields"]] == [
        ("date", "datetime"),
        ("text", "markdown"),
    ]
    assert field("quotes", "via")["options"][:2] == ["email", "statement"]


def test_required_fields_and_choices_come_from_the_models() -> None:
    generated = forms()
    for collection in COLLECTIONS:
        for name, info in collection.model.model_fields.items():
            field = form_field(generated[collection.name]["fields"], (info.alias or name,))
            assert field is not None
            if name != "id":
                assert field["required"] is info.is_required(), f"{collection.name}.{name}"
            choices = [
                a
                for a in (info.annotation, *typing.get_args(info.annotation))
                if typing.get_origin(a) is Literal
            ]
            if choices:
                assert field["options"] == list(typing.get_args(choices[0]))


def test_hints_are_the_descriptions_of_the_fields() -> None:
    generated = forms()
    assert form_field(generated["actors"]["fields"], ("name",))["hint"] == (
        "The name as it appears in print, such as Jane Q. Public; for an anonymous source, the "
        "description the report gives."
    )
    assert form_field(generated["stories"]["fields"], ("summary",))["hint"] == (
        'The one-paragraph answer to "what is going on". Markdown: `[[id]]` links to a fact, '
        "`[@source-id]` cites a source."
    )
    assert form_field(generated["events"]["fields"], ("sources",))["hint"] == (
        "No unsourced facts."
    )


def test_references_are_pick_lists_of_their_collection_by_name() -> None:
    generated = forms()
    speaker = form_field(generated["quotes"]["fields"], ("speaker",))
    assert speaker == {
        "label": "Speaker",
        "name": "speaker",
        "widget": "relation",
        "collection": "actors",
        "value_field": "{{slug}}",
        "search_fields": ["name"],
        "display_fields": ["name"],
        "required": True,
    }
    source = form_field(generated["quotes"]["fields"], ("source",))
    assert (source["collection"], source["display_fields"]) == ("sources", ["title", "publisher"])
    assert forms()["sources"]["summary"] == "{{title}} ({{publisher}})"
    stories = form_field(generated["events"]["fields"], ("stories",))
    assert (stories["collection"], stories["multiple"], stories["min"]) == ("stories", True, 1)
    checked = 0
    for collection in COLLECTIONS:
        for name, (targets, many) in reference_targets(collection.model).items():
            field = form_field(generated[collection.name]["fields"], (name,))
            assert field is not None
            if len(targets) > 1:
                assert field["widget"] == ("list" if many else "string"), name
                continue
            assert field["widget"] == "relation", f"{collection.name}.{name}"
            assert field["collection"] == targets[0]
            assert field.get("multiple", False) is many, f"{collection.name}.{name}"
            checked += 1
    assert checked >= 15


def reference_targets(model: type[BaseModel]) -> dict[str, tuple[tuple[str, ...], bool]]:
    """The id fields of a model, read from its JSON Schema: the collections each names, and
    whether it is a list."""
    found = {}
    for name, node in model.model_json_schema()["properties"].items():
        shapes = [node, *node.get("anyOf", [])]
        for shape in shapes:
            for candidate, many in ((shape, False), (shape.get("items", {}), True)):
                if isinstance(candidate, dict) and candidate.get("x-references"):
                    found[name] = (tuple(candidate["x-references"]), many)
    return found


ID_DESCRIPTION = "the id of another fact (its file name without .yml)"


def _names_an_id(node: Any) -> bool:
    if isinstance(node, dict):
        if node.get("description") == ID_DESCRIPTION:
            return True
        return any(_names_an_id(node.get(key)) for key in ("items", "anyOf", "oneOf"))
    if isinstance(node, list):
        return any(_names_an_id(item) for item in node)
    return False


def _marked(node: Any) -> bool:
    if isinstance(node, dict):
        return bool(node.get("x-references")) or any(
            _marked(node.get(key)) for key in ("items", "anyOf", "oneOf")
        )
    if isinstance(node, list):
        return any(_marked(item) for item in node)
    return False


def test_every_id_field_is_a_pick_list_of_the_collections_it_names() -> None:
    """An id field without ``x-references`` in the models would be a typed box, not a list."""
    unmarked = []
    for collection in COLLECTIONS:
        schema = collection.model.model_json_schema()
        for definition in [schema, *schema.get("$defs", {}).values()]:
            for name, node in definition.get("properties", {}).items():
                if _names_an_id(node) and not _marked(node):
                    unmarked.append(f"{collection.name}: {name}")
    assert unmarked == []


def test_every_boolean_is_optional_and_false_by_default() -> None:
    """The admin page leaves an unticked box out of the file (as an emptied field): right only
    while every boolean of the contract means the same absent as false."""
    for collection in COLLECTIONS:
        models = [collection.model]
        while models:
            model = models.pop()
            for name, info in model.model_fields.items():
                models += nested_models(info.annotation)
                if bool in (info.annotation, *typing.get_args(info.annotation)):
                    assert not info.is_required() and info.default is False, name


def test_the_configuration_is_the_golden_one(check_golden: Callable[[Path, str], None]) -> None:
    text = cms.admin_files(cms.CmsSettings(), site_name="Backstory")["config.yml"]
    check_golden(GOLDEN / "cms" / "config.yml", text)


# --- settings ----------------------------------------------------------------------------------


def settings(value: Any) -> cms.CmsSettings:
    return cms.cms_settings({"extra": {"backstory": {"cms": value}}})


def test_settings_ask_for_the_admin_page_and_name_the_repository() -> None:
    assert cms.cms_settings({}) == cms.CmsSettings(enabled=False)
    assert cms.cms_settings({"extra": {"analytics": None}}).enabled is False
    assert settings(False).enabled is False
    assert settings({"repo": "newsroom/explainers"}) == cms.CmsSettings(
        enabled=True, repo="newsroom/explainers", branch="main"
    )
    full = settings(
        {
            "repo": "newsroom/explainers",
            "branch": "production",
            "base_url": "https://auth.example.org",
            "auth_endpoint": "oauth/authorize",
        }
    )
    config = cms.cms_config(full)
    assert config["backend"] == {
        "name": "github",
        "repo": "newsroom/explainers",
        "branch": "production",
        "base_url": "https://auth.example.org",
        "auth_endpoint": "oauth/authorize",
    }
    assert config["publish_mode"] == "editorial_workflow"
    assert config["local_backend"] == {"url": "http://127.0.0.1:8081/api/v1"}
    assert config["media_folder"] == "content/media"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "extra.backstory.cms: expected the settings of the content manager, such as repo:"),
        ({}, "extra.backstory.cms.repo: expected the GitHub repository as owner/name"),
        (
            {"repo": "explainers"},
            "extra.backstory.cms.repo: expected the GitHub repository as owner/name",
        ),
        (
            {"repo": "a/b", "brnach": "x"},
            "extra.backstory.cms.brnach: unknown setting; the settings are repo, branch, base_url, auth_endpoint",
        ),
        ({"repo": "a/b", "branch": 3}, "extra.backstory.cms.branch: expected text"),
        (
            {"repo": "a/b", "base_url": "http://auth.example.org"},
            "extra.backstory.cms.base_url: expected an https:// address",
        ),
    ],
)
def test_wrong_settings_are_refused(value: Any, message: str) -> None:
    with pytest.raises(ProjectError) as error:
        settings(value)
    assert str(error.value) == f"mkdocs.yml: {message}"


# --- the admin page ----------------------------------------------------------------------------


def test_the_admin_page_loads_only_its_own_files() -> None:
    files = cms.admin_files(cms.CmsSettings(), site_name="Tom & Jerry's <news>", local_port=9123)
    assert set(files) == {
        "index.html",
        "config.yml",
        "backstory-cms.js",
        "decap-cms.js",
        "decap-cms.js.LICENSE.txt",
        "LICENSE",
    }
    from bs4 import BeautifulSoup

    page = BeautifulSoup(files["index.html"], "html.parser")
    assert page.title.string == "Edit the facts: Tom & Jerry's <news>"
    assert [s["src"] for s in page.find_all("script")] == ["backstory-cms.js", "decap-cms.js"]
    assert page.find("link", rel="cms-config-url")["href"] == "config.yml"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self' 'unsafe-eval'"
    assert directives["connect-src"] == (
        "'self' http://127.0.0.1:9123 https://api.github.com https://www.githubstatus.com"
    )
    assert cms.PAGE_MARKER in files["index.html"]
    config = yaml.safe_load(files["config.yml"])
    assert config["local_backend"] == {"url": "http://127.0.0.1:9123/api/v1"}


def test_the_bundle_is_shipped_gzipped_with_its_licenses() -> None:
    record = json.loads((ADMIN / "decap-cms.json").read_text())
    bundle = gzip.decompress((ADMIN / "decap-cms.js.gz").read_bytes())
    assert hashlib.sha256(bundle).hexdigest() == record["sha256"]
    assert cms.bundle_text().encode("utf-8") == bundle
    assert bundle.startswith(b"/*! For license information please see decap-cms.js.LICENSE.txt */")
    pinned = json.loads((REPO / "vendor" / "decap-cms" / "package.json").read_text())
    assert pinned["dependencies"] == {"decap-cms": record["version"]}
    lock = json.loads((REPO / "vendor" / "decap-cms" / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/decap-cms"]["integrity"] == record["integrity"]
    assert "MIT License" in (ADMIN / "LICENSE").read_text()
    assert "@license React" in (ADMIN / "decap-cms.js.LICENSE.txt").read_text()


def test_the_shipped_bundle_is_the_pinned_package_from_the_registry() -> None:
    """``npm pack`` fetches the pinned tarball (or takes it from npm's cache), checked against
    the lock's integrity; its dist/decap-cms.js must be the shipped bundle, byte for byte."""
    if shutil.which("npm") is None:
        if CI:
            pytest.fail("npm is needed to check the vendored bundle (CI=true: may not skip)")
        pytest.skip("npm not found")
    script = REPO / "scripts" / "vendor_decap_cms.py"
    result = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "ok: the shipped bundle is decap-cms@3.16.3's dist/decap-cms.js" in result.stdout


# --- in the site -------------------------------------------------------------------------------

CMS_SETTING = "\nextra:\n  backstory:\n    cms:\n      repo: newsroom/explainers\n"


@pytest.mark.slow
def test_a_build_includes_the_admin_page_when_the_site_asks(small_site: Path) -> None:
    build(Project.open(small_site))
    assert not (small_site / "site" / "admin").exists()
    config = small_site / "mkdocs.yml"
    config.write_text(config.read_text() + CMS_SETTING)
    build(Project.open(small_site))
    admin = small_site / "site" / "admin"
    assert (admin / "decap-cms.js").read_bytes() == gzip.decompress(
        (ADMIN / "decap-cms.js.gz").read_bytes()
    )
    assert yaml.safe_load((admin / "config.yml").read_text())["backend"]["repo"] == (
        "newsroom/explainers"
    )
    assert (admin / "index.html").read_text() == cms.admin_page("Small Test Site")
    sitemap = (small_site / "site" / "sitemap.xml").read_text()
    assert "admin" not in sitemap


def test_the_cms_command_writes_the_admin_page(small_site: Path) -> None:
    result = CliRunner().invoke(cli, ["--root", str(small_site), "cms"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    admin = small_site / "site" / "admin"
    assert sorted(p.name for p in admin.iterdir()) == sorted(
        cms.admin_files(cms.CmsSettings(), site_name="x")
    )
    assert "wrote the admin page into" in result.stderr
    assert "note: set extra.backstory.cms in mkdocs.yml" in result.stderr
    out = small_site / "elsewhere"
    result = CliRunner().invoke(
        cli,
        ["--root", str(small_site), "cms", "--out", "elsewhere", "--backend-port", "9000"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    assert "http://127.0.0.1:9000/api/v1" in (out / "config.yml").read_text()


def test_the_cms_command_reports_wrong_settings(small_site: Path) -> None:
    config = small_site / "mkdocs.yml"
    config.write_text(config.read_text() + CMS_SETTING.replace("newsroom/explainers", "nope"))
    result = CliRunner().invoke(cli, ["--root", str(small_site), "cms"])
    assert result.exit_code == 2
    assert "extra.backstory.cms.repo: expected the GitHub repository as owner/name" in (
        result.stderr
    )


def test_a_handwritten_page_may_not_use_the_admin_folder(small_site: Path) -> None:
    page = small_site / "content" / "pages" / "admin" / "index.md"
    page.parent.mkdir(parents=True)
    page.write_text("# Mine\n")
    result = CliRunner().invoke(cli, ["--root", str(small_site), "check"])
    assert result.exit_code == 1
    assert "the page name 'admin/index.md' is used by a generated page" in result.stderr


def test_the_preview_serves_the_admin_page_without_its_reload_script() -> None:
    from backstory.build.engine import internals

    server = internals.live_reload_server(
        unreloaded=cms.PAGE_MARKER.encode(),
        builder=lambda: None,
        host="127.0.0.1",
        port=0,
        root=".",
    )
    try:
        admin = cms.admin_page("Site").encode()
        assert server._inject_js_into_html(admin, 1) == admin
        other = b"<html><body><p>page</p></body></html>"
        assert b"livereload" in server._inject_js_into_html(other, 1)
    finally:
        server.server_close()


def test_cms_serve_refuses_an_address_other_computers_reach(small_site: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--root", str(small_site), "cms", "--serve", "--dev-addr", "0.0.0.0:8000"]
    )
    assert result.exit_code == 2
    assert "the local backend serves this computer only" in result.stderr


# --- the local backend -------------------------------------------------------------------------


def test_the_local_backend_needs_decap_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    with pytest.raises(LocalBackendError) as error:
        local_backend.decap_server_command(tmp_path)
    assert str(error.value) == (
        "decap-server (the content manager's local backend) is not installed: install it in the "
        "site's folder with: npm install --save-dev --save-exact decap-server@3.11.3 "
        "(Node.js 18 or newer)"
    )
    script = tmp_path / local_backend.SCRIPT
    script.parent.mkdir(parents=True)
    script.write_text("")
    with pytest.raises(LocalBackendError, match="node is not on the PATH"):
        local_backend.decap_server_command(tmp_path)


def test_the_local_backend_is_the_pinned_version() -> None:
    package = json.loads((REPO / "package.json").read_text())
    assert package["devDependencies"]["decap-server"] == local_backend.VERSION


def test_the_local_backend_refuses_a_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(LocalBackendError) as error:
            local_backend.start_local_backend(tmp_path, port=port, command=["true"])
    assert str(error.value) == (
        f"port {port} on 127.0.0.1 is in use: stop what runs there, or choose another port "
        "with --backend-port"
    )


def test_the_local_backend_reports_a_server_that_stops(tmp_path: Path) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    with pytest.raises(LocalBackendError, match=r"decap-server stopped as it started \(exit 3\)"):
        local_backend.start_local_backend(
            tmp_path, port=port, command=[sys.executable, "-c", "raise SystemExit(3)"]
        )


# --- new sites, and the guide's screenshots ----------------------------------------------------


def test_new_sites_edit_in_the_browser(tmp_path: Path) -> None:
    from backstory.build.pipeline import render_site
    from backstory.editor.starter import init_site

    root = tmp_path / "new-site"
    init_site(root)
    project = Project.open(root)
    settings = cms.cms_settings(project.config)
    assert settings.enabled and settings.repo == "your-organization/your-site"
    package = json.loads((root / "package.json").read_text())
    assert package["devDependencies"] == {"decap-server": local_backend.VERSION}
    assert "node_modules/" in (root / ".gitignore").read_text().split()
    assert "backstory cms --serve" in (root / "README.md").read_text()
    pages = render_site(project).pages
    assert pages["admin/decap-cms.js"] == cms.bundle_text()
    config = yaml.safe_load(pages["admin/config.yml"])
    assert config["backend"] == {
        "name": "github",
        "repo": "your-organization/your-site",
        "branch": "main",
    }
    assert config["publish_mode"] == "editorial_workflow"


def test_images_beside_the_handwritten_pages_are_published(small_site: Path) -> None:
    from backstory.build.pipeline import render_site

    images = small_site / "content" / "pages" / "images"
    images.mkdir()
    (images / "shot.png").write_bytes(b"\x89PNG\r\n\x1a\n-not-really")
    (images / "drawing.svg").write_text("<svg><script>alert(1)</script></svg>")
    pages = render_site(Project.open(small_site)).pages
    assert pages["images/shot.png"] == b"\x89PNG\r\n\x1a\n-not-really"
    assert "images/drawing.svg" not in pages


def test_the_guide_shows_every_screenshot_of_the_browser_test() -> None:
    guide = (REPO / "content" / "pages" / "editors-guide.md").read_text()
    linked = set(re.findall(r"\(images/(cms-[a-z-]+\.png)\)", guide))
    shipped = {p.name for p in (REPO / "content" / "pages" / "images").glob("cms-*.png")}
    taken = set(
        re.findall(r'"(cms-[a-z-]+\.png)"', (REPO / "tests/browser/test_cms.py").read_text())
    )
    assert linked == shipped == taken
    for name in shipped:
        data = (REPO / "content" / "pages" / "images" / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) < 200_000, name
