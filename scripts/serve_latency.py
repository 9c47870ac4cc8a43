#!/usr/bin/env python3
"""Measure how long ``backstory serve`` takes to show an edited fact.

Starts the preview server on a copy of the repository's own site (or on a synthetic archive
of N stories), then edits a quote several times and polls the page that shows it until the new
words are served: the time a reader of the preview waits after saving a file. With
``--search``, also the time until the preview's search (Pagefind, indexed again a moment after
each edit) finds the new words, asked as the header's search asks it, in headless Chromium.
Prints the figures; it is a measurement, not a test, and exits 0.

    python scripts/serve_latency.py              # the repository's own content
    python scripts/serve_latency.py --stories 1000 --search
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


SEARCH = """async (query) => {
  const pagefind = await import(new URL("pagefind/pagefind.js", document.baseURI).href);
  const found = await pagefind.search(query);
  return found.results.length;
}"""


class PreviewSearch:
    """The preview's search, asked from a page loaded afresh each time (a reader who opens the
    search after the edit)."""

    def __init__(self, base: str):
        from playwright.sync_api import sync_playwright

        self.base = base
        self.playwright = sync_playwright().start()
        chromium = "/usr/bin/chromium"
        self.browser = self.playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox"]
        )

    def finds(self, words: str) -> bool:
        page = self.browser.new_page()
        try:
            page.goto(self.base, wait_until="load")
            return bool(page.evaluate(SEARCH, words))
        except Exception:  # the index being replaced, a page not served yet: ask again
            return False
        finally:
            page.close()

    def close(self) -> None:
        self.browser.close()
        self.playwright.stop()


def edit_and_wait(
    quote: Path, page: str, rounds: int, search: PreviewSearch | None
) -> tuple[list[float], list[float]]:
    """Edit the quote ``rounds`` times; after each save, the seconds until its page shows the
    new words and (with ``search``) until the search finds them."""
    original = quote.read_text()
    timings: list[float] = []
    searched: list[float] = []
    for round_number in range(rounds):
        marker = f"Latencymark{round_number}x"
        quote.write_text(original.replace("text: ", f"text: {marker} ", 1))
        saved = time.monotonic()
        while marker not in (fetch(page) or ""):
            if time.monotonic() - saved > 60:
                break
            time.sleep(0.02)
        timings.append(time.monotonic() - saved)
        if search is not None:
            while not search.finds(marker) and time.monotonic() - saved < 300:
                time.sleep(0.1)
            searched.append(time.monotonic() - saved)
        time.sleep(1.0)  # an editor's pace
    return timings, searched


def prepare(root: Path, stories: int) -> None:
    if stories:
        sys.path.insert(0, str(REPO / "scripts"))
        from bench import generate_archive

        generate_archive(root, stories)
    else:
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copytree(REPO / "content", root / "content")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--stories", type=int, default=0, help="synthetic stories (0: the repo's own)"
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--search", action="store_true", help="also measure when the preview's search finds it"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "scripts"))
    from bench import use_repository_pagefind

    use_repository_pagefind()
    with tempfile.TemporaryDirectory(prefix="backstory-serve-") as folder:
        root = Path(folder)
        prepare(root, args.stories)
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        server = subprocess.Popen(
            [sys.executable, "-m", "backstory", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            started = time.monotonic()
            while fetch(base) is None:
                if server.poll() is not None or time.monotonic() - started > 600:
                    print("the preview server did not start", file=sys.stderr)
                    return 0
                time.sleep(0.2)
            print(f"preview ready after {time.monotonic() - started:.1f} s")
            quote = sorted((root / "content" / "quotes").glob("*.yml"))[0]
            speaker = yaml.safe_load(quote.read_text())["speaker"]
            page = f"{base}actors/{speaker}/"
            search = PreviewSearch(base) if args.search else None
            if search is not None:
                while not search.finds("subpoena") and time.monotonic() - started < 900:
                    time.sleep(0.5)
                print(f"preview search ready after {time.monotonic() - started:.1f} s")
            timings, searched = edit_and_wait(quote, page, args.rounds, search)
            if search is not None:
                search.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    label = f"{args.stories} synthetic stories" if args.stories else "the repository's own content"
    print(f"save-to-served latency for {label}, {args.rounds} edits of one quote:")
    print(
        f"  min {min(timings):.2f} s   median {statistics.median(timings):.2f} s   "
        f"max {max(timings):.2f} s   (target: under 1 s)"
    )
    if searched:
        print("save-to-found latency of the preview's search, same edits:")
        print(
            f"  min {min(searched):.2f} s   median {statistics.median(searched):.2f} s   "
            f"max {max(searched):.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
