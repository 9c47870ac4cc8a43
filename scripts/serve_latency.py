#!/usr/bin/env python3
"""Measure how long ``backstory serve`` takes to show an edited fact.

Starts the preview server on a copy of the repository's own site (or on a synthetic archive
of N stories), then edits a quote several times and polls the page that shows it until the new
words are served: the time a reader of the preview waits after saving a file. Prints the
figures; it is a measurement, not a test, and exits 0.

    python scripts/serve_latency.py              # the repository's own content
    python scripts/serve_latency.py --stories 1000
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
    args = parser.parse_args()
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
            original = quote.read_text()
            timings = []
            for round_number in range(args.rounds):
                marker = f"Latencymark{round_number}x"
                quote.write_text(original.replace("text: ", f"text: {marker} ", 1))
                saved = time.monotonic()
                while marker not in (fetch(page) or ""):
                    if time.monotonic() - saved > 60:
                        break
                    time.sleep(0.02)
                timings.append(time.monotonic() - saved)
                time.sleep(1.0)  # an editor's pace: the preview writes its search index meanwhile
        finally:
            server.terminate()
            server.wait(timeout=10)
    label = f"{args.stories} synthetic stories" if args.stories else "the repository's own content"
    print(f"save-to-served latency for {label}, {args.rounds} edits of one quote:")
    print(
        f"  min {min(timings):.2f} s   median {statistics.median(timings):.2f} s   "
        f"max {max(timings):.2f} s   (target: under 1 s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
