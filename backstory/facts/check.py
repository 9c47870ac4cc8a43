"""The fact stages joined up: load, validate, resolve and lint a site's content, collecting every
problem and warning of the run."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import astuple, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .. import __version__
from ..diagnostics import Diagnostic, errors_in
from .collections import NAMES
from .graph import Graph
from .lint import LOOKING, Purpose, UnusableFiles, lint_facts, unfinished_translations
from .load import FileCache, LoadedFile, ignored_files, list_content, load_content
from .markup import find_references
from .media import media_files, media_problems
from .resolve import build_graph, check_references, published_ids, referenced_ids
from .translations import Edition, check_translations, translation_paths
from .validate import ValidationMemo, ValidFact, validate_facts

COUNTED = ("stories", "events", "quotes", "actors", "sources", "figures", "claims")
"""The collections a check reports counts of (valid facts, drafts included), in the order the
summary line names them."""


class CheckCache(FileCache, Protocol):
    """A parse cache (see ``FileCache``) that also keeps the last check's result."""

    @property
    def enabled(self) -> bool: ...

    def forget_missing(self, present: set[str]) -> None: ...

    def result(self, key: str) -> list[tuple[Any, ...]] | None: ...

    def store_result(self, key: str, diagnostics: list[tuple[Any, ...]]) -> None: ...

    def save(self) -> None: ...


@dataclass
class CheckResult:
    """The outcome of checking a site's content: its graph (when valid and asked for), every
    diagnostic, and how many valid facts each collection holds."""

    graph: Graph | None
    diagnostics: list[Diagnostic]
    counts: dict[str, int] = field(default_factory=dict)
    editions: list[Edition] = field(default_factory=list)
    """The site in its other languages (``translations/``), when a graph was asked for."""

    @property
    def ok(self) -> bool:
        return not errors_in(self.diagnostics)


def check_facts(
    root: Path,
    content_dir: Path,
    *,
    include_drafts: bool = False,
    today: dt.date | None = None,
    cache: CheckCache | None = None,
    need_graph: bool = True,
    memo: ValidationMemo | None = None,
    timezone: str = "UTC",
    purpose: Purpose = LOOKING,
    language: str = "en",
) -> CheckResult:
    """Load, validate and resolve every fact of the site, collecting all problems and warnings.
    ``timezone`` is the site's, that of times the facts give without one; ``language`` that of
    its content.

    ``purpose`` says whether the run publishes (then unfinished work is an error, see
    ``lint.Purpose``). ``today`` (the clock by default) only dates warnings and the check for
    facts dated in the future; it never changes the pages. With a
    ``cache``, unchanged files are not parsed again, and when nothing changed at all and no
    graph is needed, the previous run's diagnostics are reused as they are. A process that
    checks again and again passes its validation ``memo`` too.
    """
    with without_cyclic_collection():
        today = today or dt.date.today()
        inputs = _Inputs(root, content_dir, include_drafts, today, timezone, purpose, language)
        return _check(inputs, cache, need_graph, memo)


@contextmanager
def without_cyclic_collection() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a stage allocates its many small objects.

    Why: each collection walks every live object, and a check or render of a large archive
    keeps hundreds of thousands alive, so collections cost a fifth of the work. The objects
    these stages create are freed by reference counting; the collector runs again at the end.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class _Inputs:
    """What a check's result depends on besides the files."""

    root: Path
    content_dir: Path
    include_drafts: bool
    today: dt.date
    timezone: str
    purpose: Purpose
    language: str = "en"


def _check(
    inputs: _Inputs, cache: CheckCache | None, need_graph: bool, memo: ValidationMemo | None
) -> CheckResult:
    root, content_dir = inputs.root, inputs.content_dir
    listing = list_content(content_dir)
    files, diagnostics = load_content(root, content_dir, cache=cache, listing=listing)
    # Not part of the cached result: no file's hash says whether a file elsewhere is ignored.
    ignored = ignored_files(root, content_dir, listing)
    if cache is not None:
        cache.forget_missing({f.path for f in files})
    use_result = cache is not None and cache.enabled and not diagnostics
    key = _inputs_key(files, inputs) if use_result else None
    if cache is not None and key is not None and not need_graph:
        stored = cache.result(key)
        if stored is not None:
            counts = dict(stored[0][1])
            reused = [Diagnostic(*row) for row in stored[1:]]
            return CheckResult(None, sorted(reused + ignored), counts)
    facts, problems = validate_facts(files, memo)
    unreadable = bool(diagnostics)
    diagnostics += problems
    unavailable = _unavailable(files, facts, diagnostics)
    by_id, problems = check_references(facts, unavailable=unavailable)
    diagnostics += problems
    diagnostics += media_problems(by_id.values(), media_files(inputs.content_dir))
    include_drafts = inputs.include_drafts
    editions, problems = check_translations(inputs.root, by_id, unavailable)
    diagnostics += problems
    # A graph is built only from facts that all hold together: a reference to the wrong kind
    # of fact (a source as a quote's speaker) is reported above, and would break its indexes.
    graph = (
        build_graph(
            by_id,
            include_drafts=include_drafts,
            timezone=inputs.timezone,
            language=inputs.language,
        )
        if need_graph and not errors_in(diagnostics)
        else None
    )
    references = {fact_id: referenced_ids(fact) for fact_id, fact in by_id.items()}
    broken_stories = [i for i, collection in unavailable.items() if collection == "stories"]
    published = published_ids(
        by_id,
        include_drafts=include_drafts,
        references=references,
        unavailable_stories=broken_stories,
    )
    diagnostics += unfinished_translations(
        [
            (fact_id, translation.file)
            for edition in editions
            for fact_id, translation in edition.translations.items()
            if fact_id in published
        ],
        inputs.purpose,
    )
    used = {target for targets in references.values() for target in targets}
    unusable = UnusableFiles(_mentioned_ids(files, facts), unreadable)
    diagnostics += lint_facts(
        by_id.values(),
        today=inputs.today,
        published=published,
        used=used,
        unusable=unusable,
        purpose=inputs.purpose,
    )
    diagnostics.sort()
    counts = {c: sum(1 for f in facts if f.collection == c) for c in COUNTED}
    if cache is not None:
        if key is not None:
            rows: list[tuple[object, ...]] = [("counts", tuple(counts.items()))]
            rows += [astuple(d) for d in diagnostics]
            cache.store_result(key, rows)
        cache.save()
    ok = not errors_in(diagnostics)
    return CheckResult(
        graph if ok else None, sorted(diagnostics + ignored), counts, editions if ok else []
    )


def _unavailable(
    files: list[LoadedFile], facts: list[ValidFact], diagnostics: list[Diagnostic]
) -> dict[str, str]:
    """Files that exist but failed to load or validate, by id: references to them are not
    errors again (the error is in that file)."""
    valid = {fact.file.path for fact in facts}
    unavailable = {f.stem: f.collection for f in files if f.path not in valid}
    for diagnostic in diagnostics:
        folder, _, name = diagnostic.path.rpartition("/")
        collection = folder.rpartition("/")[2]
        if diagnostic.path not in valid and collection in NAMES:
            unavailable[name.rsplit(".", 1)[0]] = collection
    return unavailable


def _mentioned_ids(files: list[LoadedFile], facts: list[ValidFact]) -> frozenset[str]:
    """Every text value of the files that loaded but failed validation: any of them may be a
    reference, so the facts they name are not reported as unused."""
    valid = {fact.file.path for fact in facts}
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.add(value.strip())
            found.update(reference.target for reference in find_references(value))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for file in files:
        if file.path not in valid:
            walk(file.data)
    return frozenset(found)


def _inputs_key(files: list[LoadedFile], inputs: _Inputs) -> str:
    """Identifies a check's inputs: every file's content hash, the translation files', the
    media files, the options and the date."""
    options = (
        f"{__version__}|{inputs.include_drafts}|{inputs.today.isoformat()}|{inputs.timezone}"
        f"|{inputs.purpose!r}|{inputs.language}"
    )
    media = "|".join(sorted(media_files(inputs.content_dir)))
    digest = hashlib.sha256(f"{options}|{media}".encode())
    for file in sorted(files, key=lambda f: f.path):
        digest.update(f"\n{file.path}:{file.digest}".encode())
    for path in translation_paths(inputs.root):
        digest.update(f"\n{path}:{hashlib.sha256(path.read_bytes()).hexdigest()}".encode())
    return digest.hexdigest()
