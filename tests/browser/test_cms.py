"""Editing facts in the browser: ``backstory cms --serve`` runs the preview and the local backend
(decap-server) on 127.0.0.1; an editor creates a quote through the admin page's form, picking its
speaker and source from lists, and changes an actor's role. The files written pass ``backstory
check``, look as ``backstory new`` writes them, and show on the site.

The screenshots of the editors' guide (``content/pages/images/cms-*.png``) are taken here: every
run writes them to ``tests/artifacts/cms/``, and ``pytest tests/browser/test_cms.py
--update-golden`` replaces the guide's copies.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from backstory.editor.local_backend import SCRIPT

from .conftest import ARTIFACTS, LOCAL_HOST, REPO, BrowserTools, Recorder, keep_to_this_host

pytestmark = pytest.mark.browser

SCREENSHOTS = REPO / "content" / "pages" / "images"
STORY = "denver-ice-subpoenas"
QUOTE = "luby-ordinance-complies"
QUOTE_TEXT = "Our immigration ordinance fully complies with federal law."
SOURCE = "Denver officials won't hand over information sought by ICE 9NEWS"
EVENT = "Denver says it will not hand over the information ICE subpoenaed"
NEW_ROLE = "spokesman for the City Attorney's Office"
NEW_TITLE = "ICE's subpoenas to Denver: how a fight over jail records reached a judge"
DECAP_REJECTED_PUBLISH = "undefined"
"""The page error Decap raises when a publish stops at the form's validation (harmless)."""


LOADED = """() => ![...document.querySelectorAll("canvas")].some(bar => {
    const style = getComputedStyle(bar);
    return style.position === "fixed" && style.display !== "none" && style.opacity !== "0";
})"""
"""Whether Decap's progress bar (a canvas along the top of the window) is gone: nothing loads."""


@dataclass(frozen=True)
class Served:
    root: Path
    url: str
    """The preview's address; the admin page is at ``url + "/admin/"``."""
    process: subprocess.Popen[bytes]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOCAL_HOST, 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> bytes | None:
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with direct.open(url, timeout=2) as response:
            return bytes(response.read())
    except (OSError, urllib.error.URLError):
        return None


@pytest.fixture
def cms_tools(browser_tools: BrowserTools) -> Path:
    """Node and decap-server (``npm ci``), or why not: a failure under CI=true, else a skip."""
    script = REPO / SCRIPT
    missing = []
    if shutil.which("node") is None:
        missing.append("Node.js (apt-get install nodejs)")
    if not script.is_file():
        missing.append(f"decap-server at {SCRIPT} (run 'npm ci' in {REPO})")
    if missing:
        message = "the content manager's browser test needs " + "; ".join(missing)
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message + " (CI=true: browser tests may not be skipped)", pytrace=False)
        pytest.skip(message)
    return script


@pytest.fixture
def served(cms_tools: Path, tmp_path: Path) -> Iterator[Served]:
    """A copy of this repository's site, with ``backstory cms --serve`` running on it."""
    root = tmp_path / "site-root"
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "content", root / "content")
    (root / "node_modules").symlink_to(REPO / "node_modules")  # the site's own decap-server
    preview, backend = _free_port(), _free_port()
    log = (ARTIFACTS / "cms").joinpath("serve.log")
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "backstory", "--root", str(root), "cms", "--serve"]
    command += ["--dev-addr", f"{LOCAL_HOST}:{preview}", "--backend-port", str(backend)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://{LOCAL_HOST}:{preview}"
    try:
        deadline = time.monotonic() + 120
        while _get(url + "/admin/") is None:
            assert process.poll() is None, "backstory cms --serve stopped:\n" + log.read_text()
            assert time.monotonic() < deadline, "the preview did not start:\n" + log.read_text()
            time.sleep(0.1)
        yield Served(root, url, process)
    finally:
        _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Interrupt the command as Ctrl-C does (it stops decap-server), then make sure nothing of
    its process group is left."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(20)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(5)


@pytest.fixture
def editing(browser: Any, served: Served) -> Iterator[tuple[Any, Recorder]]:
    """A browser context on the preview that records every request and blocks (and records)
    any to a host other than 127.0.0.1, as a reader's browser would be checked."""
    record = Recorder()
    context = browser.new_context(
        service_workers="block",
        viewport={"width": 1100, "height": 760},
        timezone_id="America/Denver",
        locale="en-US",
    )
    context.set_default_timeout(20_000)
    keep_to_this_host(context, record)
    try:
        yield context, record
    finally:
        context.close()


def _watch(page: Any, record: Recorder) -> Any:
    def console(message: Any) -> None:
        if message.type == "error":
            record.console_errors.append(message.text)

    def page_error(error: Any) -> None:
        if str(getattr(error, "message", error)) != DECAP_REJECTED_PUBLISH:
            record.console_errors.append(f"uncaught {error}")

    page.on("console", console)
    page.on("pageerror", page_error)
    return page


def _shot(page: Any, name: str, update: bool, *, top: Any = None, until: Any = None) -> None:
    """A screenshot for the editors' guide: the viewport, scrolled to ``top`` (a field's
    label) and cut below ``until`` (a field and its hint), once the form is at rest: no focus, no list still
    loading, notifications hidden."""
    from playwright.sync_api import expect

    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.mouse.move(0, 0)
    if top is not None:
        top.evaluate("label => label.scrollIntoView({block: 'start'})")
    page.wait_for_load_state("networkidle")  # the pick lists have their options
    expect(page.locator('[class*="loadingIndicator"]')).to_have_count(0)
    page.wait_for_function(LOADED)
    target = ARTIFACTS / "cms" / name
    clip = None
    if until is not None:
        box = until.bounding_box()
        viewport = page.viewport_size
        clip = {"x": 0, "y": 0, "width": viewport["width"], "height": box["y"] + box["height"] + 40}
    page.screenshot(
        path=str(target),
        clip=clip,
        animations="disabled",
        caret="hide",
        scale="css",
        style=".Toastify { display: none !important; }",  # notifications come and go
    )
    if update:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, SCREENSHOTS / name)


def _field(page: Any, name: str, tag: str = "input") -> Any:
    # Decap's field ids are "<name>-field-<counter>": the counter varies, the prefix does not.
    return page.locator(f'{tag}[id^="{name}-field-"]')


def _label(page: Any, name: str) -> Any:
    return page.locator(f'label[for^="{name}-field-"]')


def _type(page: Any, name: str, text: str, expect: Any, tag: str = "input") -> None:
    box = _field(page, name, tag)
    box.fill("")  # Decap's inputs keep what they hold when filled: empty them first
    box.fill(text)
    expect(box).to_have_value(text)


def _pick(page: Any, name: str, typed: str, option: str) -> None:
    box = _field(page, name)
    box.click()
    box.fill(typed)
    page.get_by_role("option", name=option, exact=True).click()


def _publish(page: Any) -> None:
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_role("menuitem", name="Publish now").click()


def _check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backstory", "--root", str(root), "check"],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _wait_for(path: Path, done: Any, timeout: float = 60.0) -> str:
    """The file's text once ``done(text)`` holds: decap-server writes a file in place, so it
    may be seen empty or half written for a moment."""
    deadline = time.monotonic() + timeout
    while True:
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        if done(text):
            return text
        assert time.monotonic() < deadline, f"{path} is not as expected:\n{text}"
        time.sleep(0.05)


def _data(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None


def test_an_editor_adds_a_quote_and_changes_a_role_in_the_browser(
    served: Served, editing: tuple[Any, Recorder], update_golden: bool
) -> None:
    from playwright.sync_api import expect

    context, record = editing
    root = served.root
    story = _watch(context.new_page(), record)
    story.goto(f"{served.url}/stories/{STORY}/")
    expect(story.locator("article h1")).to_contain_text("ICE's subpoenas to Denver")
    expect(story.locator(f"#quote-{QUOTE}")).to_have_count(0)

    admin = _watch(context.new_page(), record)
    admin.goto(f"{served.url}/admin/")
    admin.get_by_role("button", name="Login").click()  # the local backend needs no account
    admin.get_by_test_id("quotes").click()
    expect(admin.get_by_role("link", name="Create entry of type Quote")).to_be_visible()
    expect(admin.get_by_text("Words someone said or wrote, as published.")).to_be_visible()
    _shot(admin, "cms-quotes.png", update_golden)

    # A new quote: the id is checked against the contract's rule before anything is written.
    admin.get_by_role("link", name="Create entry of type Quote").click()
    _type(admin, "id", "Luby ordinance", expect)
    _type(admin, "text", QUOTE_TEXT, expect, tag="textarea")
    _pick(admin, "speaker", "Luby", "Ryan S. Luby")
    _type(admin, "date", "2020-01-16", expect)
    _pick(admin, "source", "Denver officials", SOURCE)
    _pick(admin, "via", "em", "email")
    _pick(admin, "event", "will not hand over", EVENT)
    _pick(
        admin,
        "stories",
        "ICE",
        "ICE's subpoenas to Denver: how a fight over jail records reached a federal judge",
    )
    # ... and taken out again: what an editor empties is left out of the file, not written [].
    admin.get_by_role("button", name=re.compile("^Remove ICE's subpoenas")).click()
    _publish(admin)
    rule = admin.get_by_text("lowercase letters, digits and single hyphens", exact=False)
    expect(rule.first).to_be_visible()
    _shot(admin, "cms-id-rule.png", update_golden, top=_label(admin, "id"))
    assert not (root / "content" / "quotes").joinpath("luby-ordinance.yml").exists()
    _type(admin, "id", QUOTE, expect)
    _shot(admin, "cms-new-quote.png", update_golden, top=_label(admin, "id"))
    _publish(admin)
    admin.wait_for_url(re.compile(f"/entries/{QUOTE}$"))

    expected = (
        f"id: {QUOTE}\n"
        f"text: {QUOTE_TEXT}\n"
        "speaker: ryan-luby\n"
        "date: 2020-01-16\n"
        "source: ap-9news-denver-withholding\n"
        "via: email\n"
        "event: denver-refuses-subpoenas\n"
    )
    quote_file = root / "content" / "quotes" / f"{QUOTE}.yml"
    written = _wait_for(quote_file, lambda text: text.endswith("\n") and "event:" in text)
    assert written == expected
    checked = _check(root)
    assert checked.returncode == 0, checked.stderr
    assert "ok: 1 stories, 6 events, 9 quotes, 20 actors, 9 sources" in checked.stderr
    # The story's page, open in the other tab, reloads with the new quote (the preview).
    expect(story.locator(f"#quote-{QUOTE}")).to_contain_text(QUOTE_TEXT, timeout=30_000)

    # An existing actor: its id is shown, not editable; only the role changes.
    actor_file = root / "content" / "actors" / "ryan-luby.yml"
    before = yaml.safe_load(actor_file.read_text(encoding="utf-8"))
    admin.locator('a[href="#/collections/quotes"]').first.click()  # back to the list
    admin.get_by_test_id("actors").click()
    admin.get_by_role("link", name=re.compile("Ryan S. Luby")).first.click()
    expect(_field(admin, "id")).to_have_value("ryan-luby")
    expect(_field(admin, "id")).not_to_be_editable()
    _type(admin, "role", NEW_ROLE, expect)
    # Cut below the role: the pick list under it redraws its arrow once its options are in.
    _shot(
        admin,
        "cms-actor-role.png",
        update_golden,
        top=_label(admin, "id"),
        until=_field(admin, "role"),
    )
    _publish(admin)
    expect(admin.get_by_text("Changes saved", exact=True)).to_be_visible()
    # Only the role changed (the file is rewritten whole: its values are all kept).
    _wait_for(actor_file, lambda text: _data(text) == {**before, "role": NEW_ROLE})
    assert _check(root).returncode == 0
    person = _watch(context.new_page(), record)
    person.goto(f"{served.url}/actors/ryan-luby/")
    expect(person.get_by_text(NEW_ROLE).first).to_be_visible()

    # The story: its unknowns and next steps mix texts and mappings (with dates, with what
    # happened); a new title leaves every other value as it was.
    story_file = root / "content" / "stories" / f"{STORY}.yml"
    before = yaml.safe_load(story_file.read_text(encoding="utf-8"))
    assert {type(item) for item in before["unknowns"] + before["next"]} == {str, dict}
    admin.locator('a[href="#/collections/actors"]').first.click()
    admin.get_by_test_id("stories").click()
    admin.get_by_role("link", name=re.compile("ICE's subpoenas to Denver")).first.click()
    _type(admin, "title", NEW_TITLE, expect)
    # A mapping item is shown as its form, with its text (and its list's summary of it).
    expect(admin.get_by_text("Whose account of the earlier cooperation").first).to_be_visible()
    _publish(admin)
    _wait_for(story_file, lambda text: _data(text) == {**before, "title": NEW_TITLE})
    assert _check(root).returncode == 0

    assert record.blocked == [], record.blocked
    assert record.console_errors == [], record.console_errors
    assert {urlsplit(url).hostname for url in record.requests} == {LOCAL_HOST}

    # A build of the edited site shows both changes.
    _stop(served.process)
    built = subprocess.run(
        [sys.executable, "-m", "backstory", "--root", str(root), "build"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    page = BeautifulSoup(
        (root / "site" / "stories" / STORY / "index.html").read_text(), "html.parser"
    )
    shown = page.find(id=f"quote-{QUOTE}")
    assert shown is not None and QUOTE_TEXT in shown.get_text()
    assert NEW_TITLE in page.find("h1").get_text()
    actor_page = (root / "site" / "actors" / "ryan-luby" / "index.html").read_text()
    assert NEW_ROLE in BeautifulSoup(actor_page, "html.parser").get_text()
