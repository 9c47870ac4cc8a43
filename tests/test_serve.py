"""``backstory serve`` for real: it serves the site, shows an edit, and keeps the last good pages
when a file breaks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def server(small_site: Path, tmp_path: Path):
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "backstory", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=small_site,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            base = f"http://127.0.0.1:{port}/river/"  # the fixture's site_url path
            assert wait_for(lambda: fetch(base) is not None, 60), log.read_text()
            yield base, log
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_serve_shows_edits_and_survives_a_broken_file(server, small_site: Path) -> None:
    base, log = server
    page = base + "actors/ana-lopez/"
    assert "we will not wait for it to fall" in (fetch(page) or "")
    quote = small_site / "content" / "quotes" / "lopez-safety.yml"
    time.sleep(1)  # the file watcher registers its watches just after the server answers
    quote.write_text(quote.read_text().replace("we will not wait", "we shall not wait"))
    assert wait_for(lambda: "we shall not wait" in (fetch(page) or "")), log.read_text()

    quote.write_text("text: [unclosed\n")
    assert wait_for(
        lambda: "content/quotes/lopez-safety.yml:2:1: error: invalid YAML" in log.read_text()
    ), log.read_text()
    assert "still serving the last good pages" in log.read_text()
    time.sleep(1)
    assert "we shall not wait" in (fetch(page) or "")
    assert "Traceback" not in log.read_text()


def test_serve_adds_and_removes_pages(server, small_site: Path) -> None:
    base, log = server
    time.sleep(1)  # the file watcher registers its watches just after the server answers
    actor = small_site / "content" / "actors" / "cara-diaz.yml"
    actor.write_text("name: Cara Díaz\ntype: person\nrole: bridge engineer\n", encoding="utf-8")
    assert wait_for(lambda: "Cara Díaz" in (fetch(base + "actors/cara-diaz/") or "")), (
        log.read_text()
    )
    actor.unlink()
    assert wait_for(lambda: fetch(base + "actors/cara-diaz/") is None), log.read_text()

    templates = small_site / "templates"
    templates.mkdir()
    (templates / "event.md.j2").write_text("# {{ event.title | text }}\n\nTemplated by the site.\n")
    assert wait_for(
        lambda: "Templated by the site." in (fetch(base + "events/council-vote/") or "")
    ), log.read_text()
    assert "Traceback" not in log.read_text()


def test_serve_survives_broken_settings(server, small_site: Path) -> None:
    base, log = server
    time.sleep(1)  # the file watcher registers its watches just after the server answers
    settings = small_site / "mkdocs.yml"
    good = settings.read_text()
    settings.write_text(good + "\nnav: [unclosed\n")
    assert wait_for(lambda: "still serving the last good pages" in log.read_text()), log.read_text()
    assert "mkdocs.yml" in log.read_text()
    assert fetch(base + "actors/ana-lopez/") is not None
    settings.write_text(good.replace("name: material", "name: no-such-theme"))
    assert wait_for(lambda: "the site engine refused the pages" in log.read_text()), log.read_text()
    assert fetch(base + "actors/ana-lopez/") is not None
    settings.write_text(good.replace("site_name: ", "site_name: Renamed "))
    assert wait_for(lambda: "Renamed" in (fetch(base) or "")), log.read_text()
    assert "Traceback" not in log.read_text()
