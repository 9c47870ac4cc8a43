"""A whole build with ``SiteEngine``'s steps: the pages shared among forked workers, and each
page's HTML taken from the page cache when nothing it depends on changed.

What a page depends on is named by two keys (``PageKeys``) and the files its links looked up
(checked again one by one); see ``build/page_cache.py`` for how records are stored.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import sysconfig
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..cache import digest_of, folder_digest
from ..page_cache import LogLine, Lookup, PageCache, PageRecord
from ..workers import run_forked
from .pages import PageLog, RecordingFiles, SiteEngine, lookups_hold, theme_reads, told

log = logging.getLogger(__name__)


@dataclass
class _Reading:
    """What reading one page gave that its record keeps."""

    source_key: str
    lookups: tuple[Lookup, ...]
    log: tuple[LogLine, ...]


@dataclass
class BuildReport:
    """What the engine did: the pages it built, those it took from the page cache, and why the
    build was MkDocs' own one-process build (None when it was not)."""

    built: int = 0
    cached: int = 0
    workers: int = 0
    plain_engine: str | None = None


class PageKeys:
    """The keys a page's record is stored under: its source key names everything its reading
    depends on (its Markdown and place in the files, the settings; what its links look up is
    checked apart), its page key adds what the theme shows (the theme's files, the
    navigation and, when the templates show it, the build's date). Backstory's code and the
    installed packages are in the cache file's format."""

    def __init__(self, config: Any, config_file: Path, epoch: int | None, variant: str = ""):
        tracking = logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG
        # ``variant``: the settings Backstory adds to mkdocs.yml's (an edition's, the 404's).
        self.reading = digest_of(_settings_text(config_file), f"anchors={tracking}", variant)
        reads = theme_reads(tuple(config.theme.dirs), tuple(config.theme.static_templates))
        dated = bool(reads & {"build_date_utc", "update_date"})
        self.theme = digest_of(
            self.reading, _theme_digest(config.theme.dirs), f"{epoch if dated else ''}"
        )

    def source_key(self, file: Any) -> str:
        content = file.content_bytes
        return digest_of(
            self.reading,
            file.src_uri,
            file.dest_uri,
            file.url,
            file.inclusion.name,
            hashlib.sha256(content).digest(),
        )

    def page_key(self, source_key: str, nav_key: str) -> str:
        return digest_of(self.theme, nav_key, source_key)


def _settings_text(config_file: Path) -> bytes:
    """The settings as written, with the files they inherit and the environment variables
    they name (``!ENV``)."""
    parts = [config_file.read_bytes()]
    text = parts[0].decode("utf-8", "replace")
    inherited = re.search(r"^INHERIT:\s*['\"]?([^'\"\n]+)", text, re.MULTILINE)
    if inherited:
        with contextlib.suppress(OSError):
            parts.append((config_file.parent / inherited.group(1).strip()).read_bytes())
    for names in re.findall(r"!ENV\s*\[?([\w ,'\"]+)", text):
        for name in re.findall(r"\w+", names):
            parts.append(f"{name}={os.environ.get(name)}".encode())
    return b"\x00".join(parts)


def _theme_digest(dirs: Sequence[str]) -> str:
    """The theme's files: installed themes by the packages' versions (the cache's format),
    other folders (the overrides) by their content."""
    installed = {Path(sysconfig.get_paths()[k]).resolve() for k in ("purelib", "platlib")}
    parts = []
    for folder in map(Path, dirs):
        resolved = folder.resolve()
        if any(resolved.is_relative_to(root) for root in installed):
            parts.append(f"installed {resolved.name}")
        else:
            parts.append(folder_digest(folder))
    return digest_of(*parts)


def nav_key(nav: Any) -> str:
    """Identifies what the theme shows of the navigation on every page: its sections, links and
    pages with their titles, addresses and front matter."""

    def item(entry: Any) -> tuple[Any, ...]:
        if entry.is_section:
            return ("section", entry.title, tuple(item(child) for child in entry.children))
        if entry.is_link:
            return ("link", entry.title, entry.url)
        return ("page", entry.title, entry.url, entry.file.src_uri, repr(entry.meta))

    return digest_of(repr(tuple(item(entry) for entry in nav.items)))


@dataclass
class SiteBuild:
    """A whole build with ``SiteEngine``'s steps: the pages shared among ``jobs`` forked
    workers, each page's HTML taken from ``cache`` when its keys match.

    The order of the work: the navigation's pages are read first (every page shows their
    titles); then each page is either taken from the cache or read and written by a worker;
    then, in this process, every page's record is applied in the pages' order (its messages
    told again, what the sitemap and the anchor check need of it), and the site-wide templates
    and the anchor check follow.
    """

    engine: SiteEngine
    keys: PageKeys | None
    cache: PageCache
    jobs: int = 1
    release: bool = True
    """Free each page's text once written (a build); the preview keeps them."""
    records: dict[str, PageRecord] = field(default_factory=dict)
    report: BuildReport = field(default_factory=BuildReport)
    _readings: dict[str, _Reading] = field(default_factory=dict)
    _page_log: PageLog = field(default_factory=PageLog)
    _found: dict[str, Any] = field(default_factory=dict)
    """What each path that a cached page's links looked up finds in this build's files."""

    def run(self) -> BuildReport:
        engine = self.engine
        engine.prepare()
        pages = [file.page for file in engine.doc_files]
        sources = {p.file.src_uri: self.keys.source_key(p.file) for p in pages} if self.keys else {}
        self._read_navigation(pages, sources)
        navigation = nav_key(engine.nav)
        cached, missing = self._split(pages, sources, navigation)
        engine.start_writing()
        damaged = [page for page in cached if not self._copy_cached(page)]
        for page in damaged:  # its HTML changed or vanished since it was found: build it
            cached.remove(page)
            missing.append(page)
            del self.records[page.file.src_uri]
        self._build_missing(missing, sources, navigation)
        for page in pages:
            told(self.records[page.file.src_uri].reading_log)
        for page in pages:
            self._apply(page, self.records[page.file.src_uri])
        engine.write_site_templates(pages_written=True)
        engine.check_anchors()
        engine.finish()
        self.report.cached, self.report.built = len(cached), len(missing)
        return self.report

    def _read_navigation(self, pages: list[Any], sources: dict[str, str]) -> None:
        """Read the navigation's pages here, or take what the cache knows of them."""
        in_site = {id(page) for page in pages}
        for page in self.engine.nav.pages:
            if id(page) not in in_site:
                continue
            record = self._usable(page, sources)
            if record is not None and record.source_key == sources[page.file.src_uri]:
                page.title, page.meta = record.title, dict(record.meta)
            else:
                self._read(page, sources)

    def _usable(self, page: Any, sources: dict[str, str]) -> PageRecord | None:
        if self.keys is None:
            return None
        record = self.cache.record(page.file.src_uri)
        if record is None or record.source_key != sources[page.file.src_uri]:
            return None
        return record if lookups_hold(record.lookups, self.engine.files, self._found) else None

    def _split(
        self, pages: list[Any], sources: dict[str, str], navigation: str
    ) -> tuple[list[Any], list[Any]]:
        """The pages whose record in the cache is good for this build, and the others."""
        cached, missing = [], []
        for page in pages:
            uri = page.file.src_uri
            record = self._usable(page, sources)
            if (
                record is not None
                and self.keys is not None
                and record.page_key == self.keys.page_key(sources[uri], navigation)
                and (record.html is None or self.cache.has_html(record.html))
            ):
                self.records[uri] = record
                cached.append(page)
            else:
                missing.append(page)
        return cached, missing

    def _copy_cached(self, page: Any) -> bool:
        """Write a cached page's HTML; False when it cannot be read back as it was stored."""
        record = self.records[page.file.src_uri]
        if record.html is None:
            return True
        data = self.cache.html(record.html)
        if data is None:
            return False
        target = page.file.abs_dest_path
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as stream:
            stream.write(data)
        return True

    def _read(self, page: Any, sources: dict[str, str]) -> None:
        files = RecordingFiles(self.engine.files) if self.keys is not None else None
        with self._page_log.kept() as lines:
            self.engine.read_page(page, files)
        lookups = tuple(sorted(files.lookups.values())) if files is not None else ()
        self._readings[page.file.src_uri] = _Reading(
            sources.get(page.file.src_uri, ""), lookups, tuple(lines)
        )

    def _build_missing(self, missing: list[Any], sources: dict[str, str], navigation: str) -> None:
        """Build the pages the cache could not give: shared among the workers when there are
        enough of them to be worth a process each, here otherwise."""
        if not (self.jobs > 1 and len(missing) >= MIN_PAGES_PER_WORKER * self.jobs):
            for page in missing:
                uri, record = self._build_page(page, sources, navigation)
                self.records[uri] = record
            return

        def work(share: Sequence[Any], results: list[Any]) -> None:
            for page in share:
                try:
                    results.append(self._build_page(page, sources, navigation))
                except Exception as error:
                    lines = getattr(error, "engine_log", ())
                    results.append(_Failure(type(error).__name__, str(error), lines))
                    return

        shares = [missing[i :: self.jobs] for i in range(self.jobs)]
        self.report.workers = self.jobs
        for results in run_forked(shares, work):
            for result in results:
                if isinstance(result, _Failure):
                    told(result.log)
                    raise PageFailed(result.kind, result.message)
                self.records[result[0]] = result[1]

    def _build_page(
        self, page: Any, sources: dict[str, str], navigation: str
    ) -> tuple[str, PageRecord]:
        """Read (unless read already) and write one page; its record."""
        uri = page.file.src_uri
        if uri not in self._readings:
            self._read(page, sources)
        reading = self._readings[uri]
        with self._page_log.kept() as lines:
            self.engine.write_page(page)
        html = self._keep_html(page)
        source_key = reading.source_key
        page_key = self.keys.page_key(source_key, navigation) if self.keys is not None else ""
        record = PageRecord(
            source_key=source_key,
            page_key=page_key,
            lookups=reading.lookups,
            title=page.title,
            meta=page.meta,
            anchors=tuple(sorted(page.present_anchor_ids or ())),
            links=_links_of(page),
            reading_log=reading.log,
            writing_log=tuple(lines),
            html=html,
        )
        if self.release:
            _release(page)
        return uri, record

    def _keep_html(self, page: Any) -> str | None:
        try:
            with open(page.file.abs_dest_path, "rb") as stream:
                data = stream.read()
        except FileNotFoundError:  # the engine wrote nothing: the page was empty
            return None
        if not self.cache.enabled:
            return hashlib.sha256(data).hexdigest()
        return self.cache.keep_html(data)

    def _apply(self, page: Any, record: PageRecord) -> None:
        """Make this process's page what the record says (when another process built it or it
        came from the cache), and tell its writing messages again."""
        uri = page.file.src_uri
        if uri not in self._readings:  # read by a worker or taken from the cache
            page.title, page.meta = record.title, dict(record.meta)
            page.present_anchor_ids = set(record.anchors)
            page.links_to_anchors = self._links(page, record)
        told(record.writing_log)

    def _links(self, page: Any, record: PageRecord) -> dict[Any, dict[str, str]] | None:
        if record.links is None or not _tracks_anchors():
            return None
        links = {}
        for target, anchors in record.links:
            file = self.engine.files.get_file_from_path(target)
            if file is not None:
                links[file] = dict(anchors)
        return links


MIN_PAGES_PER_WORKER = 16
"""Fewer pages to build than this per worker are built in this process: a fork costs more."""


@dataclass(frozen=True)
class _Failure:
    """A worker's page step raised: the exception's kind and message, the engine's messages."""

    kind: str
    message: str
    log: tuple[LogLine, ...]


class PageFailed(Exception):
    """A page step raised in a worker: the kind of exception and its message."""

    def __init__(self, kind: str, message: str):
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message


def _tracks_anchors() -> bool:
    return logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG


def _links_of(page: Any) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...] | None:
    links = getattr(page, "links_to_anchors", None)
    if links is None:
        return None
    return tuple((file.src_uri, tuple(anchors.items())) for file, anchors in links.items())


def _release(page: Any) -> None:
    """Free a written page's texts, keeping its title (the navigation shows it)."""
    page.title = page.title
    page.markdown, page.content, page.toc = "", "", []
