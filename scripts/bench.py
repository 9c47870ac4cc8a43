#!/usr/bin/env python3
"""Benchmark Backstory on a synthetic newsroom archive and print the figures.

Generates N stories in the contract's format (a story a day, about a dozen fact files each,
ids prefixed ``bench-`` so they never collide with real content) in a temporary folder, then
measures, each against a baseline taken in the same run:

- ``backstory check``, cold and with a warm parse cache, against a bare libyaml load of the files;
- Backstory's own stages (check, render, write) against the engine build of the pages they wrote;
- peak memory of the whole build;
- after one quote changes: the files rewritten, the time the preview of ``backstory serve``
  takes to have it (its refresh and its warm engine, in this process), and a full publishing
  rebuild; then the preview time of one edit of each other kind of fact.

Each size runs in a fresh process so peak memory is its own. This is a measurement, not a test:
it always exits 0 and prints a table.

    python scripts/bench.py            # N = 1000
    python scripts/bench.py 100 1000   # several sizes
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]

CONFIG = """\
site_name: Benchmark archive
docs_dir: .backstory/docs
theme:
  name: material
  custom_dir: .backstory/theme
  font: false
extra_css:
  - assets/backstory.css
plugins: []
markdown_extensions:
  - toc:
      permalink: true
  - attr_list
  - md_in_html
nav:
  - Home: index.md
  - All stories: archive.md
  - Timeline: timeline.md
  - Topics: topics/index.md
  - Sources: sources.md
validation:
  nav:
    omitted_files: ignore
"""

WORDS = [
    "council",
    "court",
    "ruling",
    "subpoena",
    "records",
    "county",
    "sheriff",
    "judge",
    "appeal",
    "budget",
    "vote",
    "hearing",
    "agency",
    "officials",
    "report",
    "statement",
    "deadline",
    "filing",
    "policy",
    "ordinance",
    "federal",
    "state",
    "city",
]


def sentence(rng: random.Random, words: int = 14) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


FIRST_STORY = dt.date(2022, 1, 1)


def generate_archive(root: Path, stories: int, seed: int = 7) -> int:
    """Write a deterministic synthetic archive of ``stories`` stories; returns the file count."""
    rng = random.Random(seed)
    (root / "mkdocs.yml").write_text(CONFIG)
    folders = {
        c: root / "content" / c for c in ("actors", "sources", "events", "quotes", "stories")
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    count = 0

    def write(collection: str, fact_id: str, data: dict) -> None:
        nonlocal count
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
        (folders[collection] / f"{fact_id}.yml").write_text(text)
        count += 1

    organizations = [f"bench-org-{i}" for i in range(max(5, stories // 10))]
    for org in organizations:
        write("actors", org, {"name": f"Organisation {org[10:]}", "type": "organization"})
    for s in range(stories):
        _write_story(write, rng, s, organizations)
    return count


def _write_story(
    write: Callable[[str, str, dict], None], rng: random.Random, s: int, organizations: list[str]
) -> None:
    """Story number ``s`` of the archive, with its people, sources, events and quotes."""
    story = f"bench-story-{s}"
    # A story a day, as a newsroom's archive grows; its events in the weeks before it.
    published = FIRST_STORY + dt.timedelta(days=s)

    def before(days: int, published: dt.date = published) -> str:
        return (published - dt.timedelta(days=days)).isoformat()

    people = [f"bench-person-{s}-{i}" for i in range(3)]
    sources = [f"bench-source-{s}-{i}" for i in range(2)]
    events = [f"bench-event-{s}-{i}" for i in range(4)]
    quotes = [f"bench-quote-{s}-{i}" for i in range(2)]
    for person in people:
        write(
            "actors",
            person,
            {
                "name": f"Person {person[13:]}",
                "type": "person",
                "role": rng.choice(WORDS),
                "affiliation": rng.choice(organizations),
            },
        )
    for source in sources:
        write(
            "sources",
            source,
            {
                "title": sentence(rng, 6),
                "publisher": "Bench Gazette",
                "type": "article",
                "url": f"https://news.example.org/{source}",
                "date": before(1 + len(source) % 3),
            },
        )
    for index, event in enumerate(events):
        write(
            "events",
            event,
            {
                "title": sentence(rng, 8),
                "date": before(7 * (4 - index)),
                "stories": [story],
                "sources": [rng.choice(sources)],
                "actors": rng.sample(people, 2),
                "summary": f"{sentence(rng)} [[{people[0]}]] said so [@{sources[0]}].",
            },
        )
    for index, quote in enumerate(quotes):
        data = {
            "text": sentence(rng, 20),
            "speaker": people[index],
            "date": before(7 * (4 - index)),
            "source": sources[index],
            "via": "statement",
            "event": events[index],
        }
        if index == 1:
            data["disputes"] = [quotes[0]]
        write("quotes", quote, data)
    write(
        "stories",
        story,
        {
            "title": sentence(rng, 7),
            "summary": f"{sentence(rng, 30)} [@{sources[0]}]",
            "published": published.isoformat(),
            "updated": (published + dt.timedelta(days=1)).isoformat(),
            "topics": [rng.choice(WORDS), rng.choice(WORDS)],
            "questions": [
                {
                    "question": sentence(rng, 6) + "?",
                    "answer": f"{sentence(rng, 40)} [[{people[1]}]] [@{sources[1]}]",
                }
                for _ in range(3)
            ],
            "unknowns": [sentence(rng)],
            "next": [sentence(rng)],
        },
    )


def _replace_in(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text().replace(old, new, 1))


PAUSE_BETWEEN_EDITS = 1.0
"""Seconds between two timed edits of the preview, as between an editor's saves: the preview
writes its search index half a second after the last update, and that work belongs to no edit."""

OTHER_EDITS = {
    "event title": lambda content: _replace_in(
        content / "events" / "bench-event-5-0.yml", "title: ", "title: Edited "
    ),
    "source title": lambda content: _replace_in(
        content / "sources" / "bench-source-5-0.yml", "title: ", "title: Edited "
    ),
    "story title": lambda content: _replace_in(
        content / "stories" / "bench-story-5.yml", "title: ", "title: Edited "
    ),
    "actor name": lambda content: _replace_in(
        content / "actors" / "bench-person-5-0.yml", "name: ", "name: Edited "
    ),
    "new actor": lambda content: (content / "actors" / "bench-new-actor.yml").write_text(
        "name: New Actor\ntype: person\n"
    ),
    "deleted quote": lambda content: (content / "quotes" / "bench-quote-5-1.yml").unlink(),
}
"""Other single edits whose preview time the bench reports, each a different kind of fact."""


def default_scratch() -> Path:
    """Where archives are generated: memory-backed storage when the machine has it.

    Why: creating tens of thousands of small files costs from 0.03 to 0.8 ms each on this
    machine's disk from one minute to the next, which would measure the disk, not the tool;
    both Backstory and the engine write to the same place, so the comparison stays fair.
    """
    shared_memory = Path("/dev/shm")
    if shared_memory.is_dir() and os.access(shared_memory, os.W_OK):
        return shared_memory / "backstory-bench"
    return Path(__file__).resolve().parent.parent / ".backstory" / "bench"


def measure(stories: int, scratch: Path) -> dict[str, float]:
    """Run every measurement for one archive size in this process."""
    from backstory.engine import PreviewBuilder, build_site
    from backstory.load import content_files
    from yaml import CSafeLoader

    from backstory import pipeline
    from backstory.preview import PreviewSession
    from backstory.project import Project

    figures: dict[str, float] = {"stories": stories}
    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="archive-", dir=scratch) as folder:
        root = Path(folder)
        figures["files"] = generate_archive(root, stories)
        project = Project.open(root)
        paths = [path for _, path in content_files(project.content_dir)]

        started = time.perf_counter()
        for path in paths:
            yaml.load(path.read_bytes(), Loader=CSafeLoader)
        figures["bare_load_s"] = time.perf_counter() - started

        # As `backstory check` runs it: diagnostics only, no graph kept for rendering.
        started = time.perf_counter()
        result = pipeline.check_content(project, use_cache=False, need_graph=False)
        figures["check_cold_s"] = time.perf_counter() - started
        assert result.ok, [d.format() for d in result.diagnostics[:5]]
        pipeline.check_content(project, need_graph=False)  # fills the cache
        started = time.perf_counter()
        pipeline.check_content(project, need_graph=False)
        figures["check_warm_s"] = time.perf_counter() - started

        started = time.perf_counter()
        rendered = pipeline.render_site(project)
        figures["render_s"] = time.perf_counter() - started
        started = time.perf_counter()
        pipeline.write_site(project, rendered.pages)
        figures["write_s"] = time.perf_counter() - started
        figures["pages"] = sum(1 for p in rendered.pages if p.endswith(".md"))
        started = time.perf_counter()
        build_site(project, epoch=pipeline.build_date_epoch(rendered.graph))
        figures["engine_s"] = time.perf_counter() - started
        figures["own_s"] = figures["render_s"] + figures["write_s"]

        figures["peak_memory_mib"] = _peak_memory_mib()

        # The preview as `backstory serve` keeps it: the session and the warm engine.
        session = PreviewSession(root)
        session.refresh()
        preview = PreviewBuilder(project, project.work_dir / "preview", "http://127.0.0.1:8000/")
        preview.build_everything()
        quote = project.content_dir / "quotes" / "bench-quote-0-0.yml"
        original = quote.read_text()
        timings = []
        for round_number in range(3):
            time.sleep(PAUSE_BETWEEN_EDITS)
            quote.write_text(original.replace("text: ", f"text: Changed {round_number}. ", 1))
            started = time.perf_counter()
            changes = session.refresh()
            figures["change_own_s"] = time.perf_counter() - started
            preview.update(changes.written, changes.removed)
            timings.append(time.perf_counter() - started)
        figures["change_pages_written"] = len(changes.written)
        figures["change_preview_s"] = statistics.median(timings)
        for kind, edit in OTHER_EDITS.items():
            time.sleep(PAUSE_BETWEEN_EDITS)
            edit(project.content_dir)
            started = time.perf_counter()
            changes = session.refresh()
            preview.update(changes.written, changes.removed)
            figures[f"edit_{kind}_s"] = time.perf_counter() - started
        figures["serve_memory_mib"] = _peak_memory_mib()

        # Publishing after these changes: a full render and build, as `backstory build` does.
        started = time.perf_counter()
        rendered = pipeline.render_site(project)
        pipeline.write_site(project, rendered.pages)
        build_site(project, epoch=pipeline.build_date_epoch(rendered.graph))
        figures["change_full_build_s"] = time.perf_counter() - started
    return figures


def _peak_memory_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def print_table(rows: list[dict[str, float]]) -> None:
    def line(label: str, values: list[str]) -> None:
        print(f"{label:<48}" + "".join(f"{v:>14}" for v in values))

    line("stories", [f"{r['stories']:.0f}" for r in rows])
    line("fact files / generated pages", [f"{r['files']:.0f} / {r['pages']:.0f}" for r in rows])
    line("bare libyaml load of the files (s)", [f"{r['bare_load_s']:.2f}" for r in rows])
    line("backstory check, cold (s)", [f"{r['check_cold_s']:.2f}" for r in rows])
    line(
        "  ratio to bare load (target <= 1.5)",
        [f"{r['check_cold_s'] / r['bare_load_s']:.2f}x" for r in rows],
    )
    line("backstory check, warm cache (s)", [f"{r['check_warm_s']:.2f}" for r in rows])
    line(
        "  ratio to bare load (target <= 0.33)",
        [f"{r['check_warm_s'] / r['bare_load_s']:.2f}x" for r in rows],
    )
    line("own stages: check+render+write (s)", [f"{r['own_s']:.2f}" for r in rows])
    line("engine build (s)", [f"{r['engine_s']:.2f}" for r in rows])
    line(
        "  own / engine (target <= 10%)", [f"{100 * r['own_s'] / r['engine_s']:.1f}%" for r in rows]
    )
    line(
        "pages per second, whole build",
        [f"{r['pages'] / (r['own_s'] + r['engine_s']):.0f}" for r in rows],
    )
    line(
        "peak memory of the build (MiB, target < 1024)",
        [f"{r['peak_memory_mib']:.0f}" for r in rows],
    )
    line("one quote changed: files rewritten", [f"{r['change_pages_written']:.0f}" for r in rows])
    line("  preview: own refresh (s)", [f"{r['change_own_s']:.2f}" for r in rows])
    line(
        "  preview: refresh + engine (s, target <= 1)",
        [f"{r['change_preview_s']:.2f}" for r in rows],
    )
    line("  full publishing rebuild (s)", [f"{r['change_full_build_s']:.2f}" for r in rows])
    for kind in OTHER_EDITS:
        line(
            f"preview after another edit: {kind} (s)", [f"{r[f'edit_{kind}_s']:.2f}" for r in rows]
        )
    line("peak memory while serving (MiB)", [f"{r['serve_memory_mib']:.0f}" for r in rows])


def use_repository_pagefind() -> None:
    """Builds of archives outside the repository use the Pagefind that ``npm ci`` put in it
    (a build looks in the site's own ``node_modules`` first), unless one is configured."""
    found = sorted((REPO / "node_modules" / "@pagefind").glob("*/bin/pagefind*"))
    runnable = [p for p in found if p.suffix in ("", ".exe") and os.access(p, os.X_OK)]
    if runnable and not os.environ.get("PAGEFIND_BINARY_PATH"):
        os.environ["PAGEFIND_BINARY_PATH"] = str(runnable[0])


def main() -> int:
    use_repository_pagefind()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000], help="numbers of stories")
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="where to generate the archives (default: /dev/shm when available)",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: one size, JSON out
    args = parser.parse_args()
    scratch = args.dir or default_scratch()
    if args.one is not None:
        print(json.dumps(measure(args.one, scratch)))
        return 0
    rows = []
    for size in args.sizes:
        print(f"measuring {size} stories...", file=sys.stderr)
        output = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--dir", str(scratch)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        rows.append(json.loads(output.strip().splitlines()[-1]))
    print(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {sys.platform}; "
        f"archives in {scratch}"
    )
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
