#!/usr/bin/env python3
"""Benchmark Backstory's publishing on a synthetic newsroom archive, with Hugo and Eleventy
building the same pages in the same run, and print the figures against the targets.

The archive is in the contract's format (a story a day, about a dozen fact files each, ids
prefixed ``bench-``), generated in memory-backed storage when the machine has it. Every figure
is a whole process as run from the shell, the median of ``--rounds`` rounds (3 by default);
within a round the measurements run one after another, in an order that turns each round, so
that a slower minute of a shared machine does not fall on one of them only:

- a clean ``backstory build`` (no ``.backstory/``, no ``site/``: a newsroom's first CI run) in
  one process (``--jobs 1``) and with one worker per core;
- ``backstory build`` after a one-quote commit, with the cache the previous build left: the
  whole process, and as the build reports them Backstory's own stages (check, render, write),
  the engine and the search index (Pagefind, which indexes the whole site in every build), with
  how many files were rendered again and pages built again;
- Hugo and Eleventy building the same pages (``peers.py``) from nothing.

Peak memory is that of the whole process tree (the build and its workers): the largest sum of
their proportional set sizes, sampled every 50 ms. This is a measurement, not a test: it exits
0 and prints a table; a peer that is not installed is named and left out.

    python scripts/bench.py                 # 100 and 1000 stories (make bench)
    python scripts/bench.py 100 1000 3000   # sizes
    python scripts/bench.py 10000 --rounds 1 --no-peers
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peers

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
LAST_STORY = dt.date(2025, 12, 31)
"""A story a day from the first date, or, for an archive too large to end before the last date,
a story a day up to it: fixed dates, never the clock, and in the past (a build refuses facts
dated after tomorrow)."""


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
        first = min(FIRST_STORY, LAST_STORY - dt.timedelta(days=stories - 1))
        _write_story(write, rng, s, organizations, first)
    return count


def _write_story(
    write: Callable[[str, str, dict], None],
    rng: random.Random,
    s: int,
    organizations: list[str],
    first_story: dt.date,
) -> None:
    """Story number ``s`` of the archive, with its people, sources, events and quotes."""
    story = f"bench-story-{s}"
    # A story a day, as a newsroom's archive grows; its events in the weeks before it.
    published = first_story + dt.timedelta(days=s)

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


def default_scratch() -> Path:
    """Where archives are generated: memory-backed storage when the machine has it.

    Why: creating tens of thousands of small files costs from 0.03 to 0.8 ms each on this
    machine's disk from one minute to the next, which would measure the disk, not the tools;
    every generator reads and writes in the same place, so the comparison stays fair.
    """
    shared_memory = Path("/dev/shm")
    if shared_memory.is_dir() and os.access(shared_memory, os.W_OK):
        return shared_memory / "backstory-bench"
    return Path(__file__).resolve().parent.parent / ".backstory" / "bench"


BACKSTORY = [sys.executable, "-m", "backstory"]


class TreeMemory(threading.Thread):
    """Samples a process and its descendants every 50 ms: the largest sum of their
    proportional set sizes (shared pages counted once across the tree), in MiB."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_mib, self.done = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.05):
            total = sum(_pss_kib(pid) for pid in _tree(self.pid))
            self.peak_mib = max(self.peak_mib, total / 1024)


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                children = Path(f"/proc/{current}/task/{task}/children").read_text().split()
                todo.extend(int(child) for child in children)
        except OSError:
            continue
    return found


def _pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _busy_cpu_seconds() -> float:
    """CPU time the whole machine spent busy so far (every process, every core)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def run(command: list[str], cwd: Path) -> dict[str, float | str]:
    """Run a whole process: its wall time, its CPU time (with its workers), the peak memory
    of its tree, the CPU time other processes of the machine took meanwhile (a shared
    machine's noise, reported beside each figure) and its error output. Raises on failure."""
    busy = _busy_cpu_seconds()
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    memory = TreeMemory(process.pid)
    memory.start()
    assert process.stderr is not None
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    memory.done.set()
    memory.join()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{stderr[-3000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    others = max(0.0, _busy_cpu_seconds() - busy - cpu)
    return {
        "seconds": wall,
        "cpu_seconds": cpu,
        "others_cpu_seconds": others,
        "memory_mib": memory.peak_mib,
        "stderr": stderr,
    }


def clean(root: Path) -> None:
    for name in (".backstory", "site"):
        shutil.rmtree(root / name, ignore_errors=True)


STAGES = re.compile(
    r"own stages (?P<own>[\d.]+) s .*?render [\d.]+ s: (?P<rendered>\d+) file\(s\) rendered.*?"
    r"engine (?P<engine>[\d.]+) s \((?P<built>\d+) page\(s\) built, (?P<cached>\d+) from the "
    r"cache.*?search index (?P<search>[\d.]+) s"
)


def with_stages(measured: dict[str, float | str]) -> dict[str, float | str]:
    """A build's figures with those of its stage summary (its last line of error output)."""
    stages = STAGES.search(str(measured["stderr"]))
    if stages is None:
        raise RuntimeError(f"no stage summary in:\n{str(measured['stderr'])[-2000:]}")
    measured.update({k: float(v) for k, v in stages.groupdict().items()})
    return measured


class Archive:
    """One generated archive and the three generators' sites of it."""

    def __init__(self, folder: Path, stories: int):
        self.folder, self.stories = folder, stories
        self.root = folder / "archive"
        shutil.rmtree(folder, ignore_errors=True)
        self.root.mkdir(parents=True)
        self.fact_files = generate_archive(self.root, stories)
        rendered = folder / "rendered"
        subprocess.run(
            [*BACKSTORY, "--root", str(self.root), "render", "--out", str(rendered)],
            check=True,
            capture_output=True,
        )
        self.pages = peers.write_hugo_site(rendered, folder / "hugo")
        peers.write_eleventy_site(rendered, folder / "eleventy")
        shutil.rmtree(rendered)
        self.quote = self.root / "content" / "quotes" / "bench-quote-0-0.yml"
        self.original_quote = self.quote.read_text(encoding="utf-8")
        self.edits = 0

    def backstory_clean(self, jobs: int | None) -> dict[str, float | str]:
        clean(self.root)
        jobs_option = ["--jobs", str(jobs)] if jobs else []
        return with_stages(run([*BACKSTORY, "build", "--no-cache", *jobs_option], self.root))

    def backstory_one_quote(self) -> dict[str, float | str]:
        """A build after the commit that changes one quote's words, with the cache that the
        previous build left."""
        if not (self.root / ".backstory" / "cache").is_dir():
            run([*BACKSTORY, "build"], self.root)
        self.edits += 1
        self.quote.write_text(
            self.original_quote.replace("text: ", f"text: Edit {self.edits}. ", 1),
            encoding="utf-8",
        )
        return with_stages(run([*BACKSTORY, "build"], self.root))

    def peer(self, name: str) -> dict[str, float | str]:
        site, out = self.folder / name, self.folder / f"{name}-out"
        command = (peers.hugo_command if name == "hugo" else peers.eleventy_command)(site, out)
        assert isinstance(command, list)
        for stale in (out, out.parent / f"{out.name}-cache"):
            shutil.rmtree(stale, ignore_errors=True)
        measured = run(command, site)
        built = sum(1 for _ in out.rglob("index.html"))
        if built != self.pages:
            raise RuntimeError(f"{name} built {built} pages, Backstory has {self.pages}")
        return measured


def measure(
    stories: int, scratch: Path, rounds: int, with_peers: bool, one_process: bool = True
) -> dict[str, object]:
    """Every measurement at one size, interleaved over the rounds."""
    archive = Archive(scratch / f"archive-{stories}", stories)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cases: dict[str, Callable[[], dict[str, float | str]]] = {
        "clean, one process": lambda: archive.backstory_clean(1),
        f"clean, {cores} workers": lambda: archive.backstory_clean(None),
        "one quote changed": archive.backstory_one_quote,
    }
    if not one_process:
        del cases["clean, one process"]
    missing: dict[str, str] = {}
    for name, command in (
        ("hugo", peers.hugo_command(archive.folder / "hugo", archive.folder / "x")),
        ("eleventy", peers.eleventy_command(archive.folder / "eleventy", archive.folder / "x")),
    ):
        if not with_peers:
            missing[name] = "not asked for (--no-peers)"
        elif isinstance(command, str):
            missing[name] = command
        else:
            cases[name] = lambda name=name: archive.peer(name)
    samples: dict[str, list[dict[str, float | str]]] = {name: [] for name in cases}
    names = list(cases)
    for round_number in range(rounds):
        turn = round_number % len(names)
        for name in names[turn:] + names[:turn]:
            print(f"  {stories} stories, round {round_number + 1}: {name}", file=sys.stderr)
            samples[name].append(cases[name]())
    shutil.rmtree(archive.folder, ignore_errors=True)
    return {
        "stories": stories,
        "fact_files": archive.fact_files,
        "pages": archive.pages,
        "cores": cores,
        "missing": missing,
        "results": {name: _summary(runs) for name, runs in samples.items()},
    }


def _summary(runs: list[dict[str, float | str]]) -> dict[str, float]:
    summary = {
        key: statistics.median(float(run[key]) for run in runs)
        for key in runs[0]
        if key != "stderr"
    }
    summary["memory_mib"] = max(float(run["memory_mib"]) for run in runs)
    summary["runs"] = [round(float(run["seconds"]), 2) for run in runs]  # type: ignore[assignment]
    return summary


def machine() -> str:
    model = platform.processor() or "unknown processor"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; {now}"
    )


def versions() -> str:
    from importlib import metadata

    hugo = peers.hugo_binary()
    hugo_version = (
        subprocess.run([str(hugo), "version"], capture_output=True, text=True).stdout.split()[1]
        if hugo
        else "not installed"
    )
    return (
        f"MkDocs {metadata.version('mkdocs')}, Material {metadata.version('mkdocs-material')}, "
        f"Hugo {hugo_version}, Eleventy {peers.eleventy_version() or 'not installed'}"
    )


def print_table(rows: list[dict[str, object]]) -> None:
    def line(label: str, values: list[str]) -> None:
        print(f"{label:<58}" + "".join(f"{v:>16}" for v in values))

    results = [row["results"] for row in rows]  # type: ignore[index]

    def figure(case: str, key: str, form: str) -> list[str]:
        out = []
        for found in results:
            case_name = _case(found, case)
            out.append(form.format(found[case_name][key]) if case_name else "-")  # type: ignore[index]
        return out

    line("stories", [f"{row['stories']}" for row in rows])
    line("fact files / pages", [f"{row['fact_files']} / {row['pages']}" for row in rows])
    line("clean build, one process (s)", figure("clean, one process", "seconds", "{:.1f}"))
    line("  CPU (s) / other processes' CPU meanwhile (s)", _cpu(results, "clean, one"))
    line("clean build, a worker per core (s)", figure("workers", "seconds", "{:.1f}"))
    line("  CPU (s) / other processes' CPU meanwhile (s)", _cpu(results, "workers"))
    line("  of which the search index, Pagefind (s)", figure("workers", "search", "{:.2f}"))
    line(
        "  ratio to one process (target <= 0.6 on 2 cores)", _ratios(rows, "workers", "clean, one")
    )
    line("  pages per second", _rates(rows, "workers"))
    line(
        "  peak memory of the build and its workers (MiB)",
        figure("workers", "memory_mib", "{:.0f}"),
    )
    line(
        "  peak memory, one process (MiB, target < 1024)",
        figure("clean, one", "memory_mib", "{:.0f}"),
    )
    line("one quote changed, warm cache (s)", figure("one quote", "seconds", "{:.2f}"))
    line("  CPU (s) / other processes' CPU meanwhile (s)", _cpu(results, "one quote"))
    line(
        "  ratio to a clean one-process build (target <= 0.05)",
        _ratios(rows, "one quote", "clean, one"),
    )
    line("  ratio to a clean build with workers", _ratios(rows, "one quote", "workers"))
    line(
        "  own stages: check, render, write (s, target <= 1)", figure("one quote", "own", "{:.2f}")
    )
    line("  the engine (s)", figure("one quote", "engine", "{:.2f}"))
    line("  the search index, Pagefind over all pages (s)", figure("one quote", "search", "{:.2f}"))
    line("  files rendered again / pages built again", _rebuilt(results))
    line("Hugo, clean build (s)", figure("hugo", "seconds", "{:.2f}"))
    line("  CPU (s) / other processes' CPU meanwhile (s)", _cpu(results, "hugo"))
    line("  pages per second", _rates(rows, "hugo"))
    line("  warm one-quote Backstory build / Hugo (target < 1)", _ratios(rows, "one quote", "hugo"))
    line("  peak memory (MiB)", figure("hugo", "memory_mib", "{:.0f}"))
    line("Eleventy, clean build (s)", figure("eleventy", "seconds", "{:.2f}"))
    line("  CPU (s) / other processes' CPU meanwhile (s)", _cpu(results, "eleventy"))
    line("  pages per second", _rates(rows, "eleventy"))
    line("  peak memory (MiB)", figure("eleventy", "memory_mib", "{:.0f}"))
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        for case, label in (("clean, one", "one process"), ("workers", "with workers")):
            a, b = _case(first["results"], case), _case(last["results"], case)  # type: ignore[arg-type]
            if a and b:
                grown = last["results"][b]["memory_mib"] - first["results"][a]["memory_mib"]  # type: ignore[index]
                per_page = grown * 1024 / (int(last["pages"]) - int(first["pages"]))  # type: ignore[call-overload]
                print(f"memory growth per page, {label}: {per_page:.1f} KiB")
    for row in rows:
        for name, why in row["missing"].items():  # type: ignore[attr-defined]
            print(f"{row['stories']} stories: {name} not measured: {why}")


def _case(results: dict[str, object], part: str) -> str | None:
    return next((name for name in results if part in name), None)


def _ratios(rows: list[dict[str, object]], top: str, bottom: str) -> list[str]:
    out = []
    for row in rows:
        found = row["results"]
        a, b = _case(found, top), _case(found, bottom)  # type: ignore[arg-type]
        value = found[a]["seconds"] / found[b]["seconds"] if a and b else None  # type: ignore[index]
        out.append(f"{value:.3f}x" if value is not None else "-")
    return out


def _rates(rows: list[dict[str, object]], case: str) -> list[str]:
    out = []
    for row in rows:
        name = _case(row["results"], case)  # type: ignore[arg-type]
        seconds = row["results"][name]["seconds"] if name else None  # type: ignore[index]
        out.append(f"{int(row['pages']) / seconds:.0f}" if seconds else "-")  # type: ignore[call-overload]
    return out


def _cpu(results: list[object], case: str) -> list[str]:
    out = []
    for found in results:
        name = _case(found, case)  # type: ignore[arg-type]
        figures = found[name] if name else None  # type: ignore[index]
        out.append(
            f"{figures['cpu_seconds']:.1f} / {figures['others_cpu_seconds']:.1f}"
            if figures
            else "-"
        )
    return out


def _rebuilt(results: list[object]) -> list[str]:
    out = []
    for found in results:
        name = _case(found, "one quote")  # type: ignore[arg-type]
        figures = found[name] if name else None  # type: ignore[index]
        out.append(f"{figures['rendered']:.0f} / {figures['built']:.0f}" if figures else "-")
    return out


def use_repository_pagefind() -> None:
    """Builds of archives outside the repository use the Pagefind that ``npm ci`` put in it
    (a build looks in the site's own ``node_modules`` first), unless one is configured."""
    found = sorted((REPO / "node_modules" / "@pagefind").glob("*/bin/pagefind*"))
    runnable = [p for p in found if p.suffix in ("", ".exe") and os.access(p, os.X_OK)]
    if runnable and not os.environ.get("PAGEFIND_BINARY_PATH"):
        os.environ["PAGEFIND_BINARY_PATH"] = str(runnable[0])


def main() -> int:
    use_repository_pagefind()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument(
        "sizes", nargs="*", type=int, default=[100, 1000], help="numbers of stories"
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every measurement")
    parser.add_argument("--no-peers", action="store_true", help="measure Backstory only")
    parser.add_argument(
        "--no-one-process", action="store_true", help="leave out the one-process clean build"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--dir", type=Path, default=None, help="where to generate the archives (default: /dev/shm)"
    )
    args = parser.parse_args()
    scratch = args.dir or default_scratch()
    scratch.mkdir(parents=True, exist_ok=True)
    header = f"machine: {machine()}\nengines: {versions()}\narchives in {scratch}"
    print(header, file=sys.stderr)
    rows = []
    for size in args.sizes:
        rows.append(measure(size, scratch, args.rounds, not args.no_peers, not args.no_one_process))
        if args.json:
            args.json.write_text(json.dumps({"header": header, "rows": rows}, indent=2))
    print(header)
    print(f"medians of {args.rounds} interleaved round(s); whole processes")
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
