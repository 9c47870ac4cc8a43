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


def start_serve(
    site: Path, tmp_path: Path, host: str = "127.0.0.1"
) -> tuple[subprocess.Popen[bytes], str, Path]:
    """``backstory serve`` on a free port, its temporary files under ``tmp_path/tmp``, once it
    answers: the process, the site's address and its log."""
    port = free_port()
    log = tmp_path / "serve.log"
    (tmp_path / "tmp").mkdir(exist_ok=True)
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "backstory", "serve", "--dev-addr", f"{host}:{port}"],
            cwd=site,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(tmp_path / "tmp")},
        )
    base = f"http://{host}:{port}/river/"  # the fixture's site_url path
    if not wait_for(lambda: fetch(base) is not None, 60):
        process.terminate()
        process.wait(timeout=10)
        pytest.fail(log.read_text())
    return process, base, log


@pytest.fixture
def server(small_site: Path, tmp_path: Path):
    process, base, log = start_serve(small_site, tmp_path)
    try:
        yield base, log
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_stopped_by_a_signal_removes_its_preview_folder(
    small_site: Path, tmp_path: Path
) -> None:
    process, _, log = start_serve(small_site, tmp_path)
    previews = list((tmp_path / "tmp").glob("backstory-preview-*"))
    assert len(previews) == 1 and previews[0].is_dir()
    process.terminate()  # SIGTERM, as a service manager or a CI runner stops it
    assert process.wait(timeout=20) == 0, log.read_text()
    assert list((tmp_path / "tmp").glob("backstory-preview-*")) == []


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
