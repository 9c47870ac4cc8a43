#!/usr/bin/env python3
"""Measure what the reader's search costs a reader, on the synthetic archive of ``bench.py``.

For each archive size: build the site (``backstory build``, which runs Pagefind), serve it on
127.0.0.1, and in headless Chromium open a story page, check that nothing of the search was
downloaded before the reader opens it, open it with the header's button, type a query and
wait for its results; then add up what was downloaded for that first search. Beside it, the
size of the index Material's search plugin would have had every page download (built once with
that plugin, into a separate folder, for the comparison only).

Sizes are given raw (as this loopback server sends them, uncompressed) and gzip-equivalent (the
text files gzipped at level 9, as a web host sends them; Pagefind's index files are gzip
already). This is a measurement, not a test: it prints a table and exits 0.

    python scripts/search_payload.py                 # 100, 1,000 and 3,000 stories
    python scripts/search_payload.py 1000 --dir /tmp
"""

from __future__ import annotations

import argparse
import functools
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO))

from bench import generate_archive, use_repository_pagefind  # noqa: E402

QUERIES = ("subpoena", "Person 17-2", "court ruling")
"""A word on every story's pages, a person's name, and two words of the archive's text."""
TEXT_SUFFIXES = (".js", ".css", ".json", ".html")
CHROMIUM = os.environ.get("BACKSTORY_CHROMIUM", "/usr/bin/chromium")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def sizes_of(site: Path, paths: list[str]) -> tuple[int, int]:
    """Raw and gzip-equivalent bytes of these site paths."""
    raw = packed = 0
    for path in paths:
        data = (site / path).read_bytes()
        raw += len(data)
        packed += len(gzip.compress(data, 9)) if path.endswith(TEXT_SUFFIXES) else len(data)
    return raw, packed


def first_search(site: Path, page_path: str, query: str) -> dict[str, object]:
    """What a reader's browser downloads of the search: before opening it, and for a first
    search of ``query`` from ``page_path``."""
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    fetched: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("requestfinished", lambda request: fetched.append(request.url))
            page.goto(base + page_path, wait_until="networkidle")
            before = [u for u in fetched if "/pagefind/" in u]
            started = time.perf_counter()
            page.locator("[data-bs-search]").click()
            field = page.locator("pagefind-input input")
            field.wait_for(state="visible")
            field.press_sequentially(query, delay=30)
            page.locator("pagefind-results a.pf-result-link").first.wait_for(timeout=60_000)
            page.wait_for_load_state("networkidle")
            shown = time.perf_counter() - started
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    files = sorted({unquote(urlsplit(u).path).lstrip("/") for u in fetched if "/pagefind/" in u})
    raw, packed = sizes_of(site, files)
    return {"before": len(before), "files": len(files), "raw": raw, "gz": packed, "seconds": shown}


def lunr_index(root: Path) -> tuple[int, int]:
    """Material's search index for the same pages: built once with its plugin, aside."""
    from backstory.build.engine.publish import build_into

    config = (root / "mkdocs.yml").read_text().replace("plugins: []", "plugins:\n  - search")
    lunr_config = root / "mkdocs-lunr.yml"
    lunr_config.write_text(config)
    out = root / "site-lunr"
    build_into(lunr_config, out)
    data = (out / "search" / "search_index.json").read_bytes()
    shutil.rmtree(out)
    return len(data), len(gzip.compress(data, 9))


def measure(stories: int, folder: Path) -> dict[str, object]:
    root = folder / f"search-{stories}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    generate_archive(root, stories)
    started = time.perf_counter()
    # A story a day: an archive of 3,000 runs past today, which only --allow-future builds.
    subprocess.run(
        [sys.executable, "-m", "backstory", "build", "--allow-future"],
        cwd=root,
        check=True,
        capture_output=True,
    )
    built = time.perf_counter() - started
    site = root / "site"
    bundle = site / "pagefind"
    bundle_files = [p for p in bundle.rglob("*") if p.is_file()]
    # Pagefind alone, once more into a fresh folder: its share of the build.
    from backstory.build.pipeline import check_content, site_search_records
    from backstory.build.search import index_site
    from backstory.project import Project
    from backstory.site.plan import plan_site

    project = Project.open(root)
    plan = plan_site(project, check_content(project))
    again = root / "pagefind-again"
    started = time.perf_counter()
    index_site(site, again, site_search_records(project, plan), site_root=root)
    indexed = time.perf_counter() - started
    shutil.rmtree(again)
    story = f"/stories/bench-story-{stories // 2}/"
    searches = {query: first_search(site, story, query) for query in QUERIES}
    lunr_raw, lunr_gz = lunr_index(root)
    return {
        "stories": stories,
        "pages": len(list(site.rglob("*.html"))),
        "bundle_files": len(bundle_files),
        "bundle_bytes": sum(p.stat().st_size for p in bundle_files),
        "build": built,
        "index": indexed,
        "searches": searches,
        "lunr": (lunr_raw, lunr_gz),
    }


def kb(size: int) -> str:
    return f"{size / 1000:,.0f} kB"


def report(results: list[dict[str, object]]) -> None:
    print()
    print(
        "| stories | HTML pages | index files / bytes | Pagefind run | search files before "
        "opening | first search (raw / gzip-equivalent), per query | Material's lunr index "
        "(raw / gzip), on every page |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in results:
        searches = r["searches"]
        assert isinstance(searches, dict)
        before = max(s["before"] for s in searches.values())
        firsts = "; ".join(
            f"{q!r}: {kb(s['raw'])} / {kb(s['gz'])} ({s['files']} files, {s['seconds']:.1f} s)"
            for q, s in searches.items()
        )
        lunr_raw, lunr_gz = r["lunr"]  # type: ignore[misc]
        print(
            f"| {r['stories']:,} | {r['pages']:,} | {r['bundle_files']:,} / "
            f"{kb(int(r['bundle_bytes']))} | {r['index']:.1f} s | {before} | {firsts} | "
            f"{kb(lunr_raw)} / {kb(lunr_gz)} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000, 3000])
    parser.add_argument("--dir", type=Path, default=Path("/dev/shm"), help="where archives go")
    args = parser.parse_args()
    use_repository_pagefind()
    folder = Path(tempfile.mkdtemp(prefix="backstory-search-", dir=args.dir))
    results = []
    try:
        for stories in args.sizes:
            result = measure(stories, folder)
            results.append(result)
            report([result])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\nChromium at {CHROMIUM}; archives in {args.dir}")
    report(results)


if __name__ == "__main__":
    main()
