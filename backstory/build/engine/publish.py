"""Build a site folder: what ``backstory build`` runs. The pages are shared among worker
processes and taken from the page cache where their inputs did not change (``pages``); a site
whose plugins or theme the shared steps cannot vouch for is built by MkDocs' own ``build()``,
in one process, as is any site with an engine version ``internals`` was not tested with."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ...errors import BuildError
from ..page_cache import PageCache
from ..workers import WorkerFailed
from .pages import (
    FILE_READING_EXTENSIONS,
    SiteEngine,
    counted_warnings,
    fast_path_problem,
    refuse_counted,
)
from .site_build import BuildReport, PageFailed, PageKeys, SiteBuild

log = logging.getLogger(__name__)


class _Collect(logging.Handler):
    """Keeps the engine's warnings and errors so they can be reported as build errors."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _engine_logging(verbose: bool) -> Iterator[_Collect]:
    engine_log = logging.getLogger("mkdocs")
    collector = _Collect()
    saved = (engine_log.handlers[:], engine_log.propagate, engine_log.level)
    engine_log.handlers = [collector]
    engine_log.propagate = verbose
    engine_log.setLevel(logging.DEBUG if verbose else logging.INFO)
    try:
        yield collector
    finally:
        engine_log.handlers, engine_log.propagate, _ = saved
        engine_log.setLevel(saved[2])


@contextlib.contextmanager
def _build_date(epoch: int | None) -> Iterator[None]:
    """Pins the engine's notion of "now" (SOURCE_DATE_EPOCH): output never depends on the clock."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


@dataclass(frozen=True)
class EngineEdition:
    """How the engine builds an edition in another language from the site's settings: its
    docs folder, its address and its navigation, with the theme in its language."""

    language: str
    docs_dir: Path
    site_url: str | None
    nav: list[Any]
    site_name: str | None = None
    site_description: str | None = None
    words: Mapping[str, str] = field(default_factory=dict)
    """Translations of words the settings give the engine (the palette toggles' names, the
    headings' permalink title)."""


def configure(config: Any, edition: EngineEdition | None, not_found: list[dict[str, str]]) -> None:
    """The site's settings as the engine reads them, for the main edition or another one.
    ``not_found`` (what the 404 page says in each edition's words) reaches the theme's
    templates as ``extra.backstory_not_found``; an edition's translations of the theme's own
    words (``site.multilingual.THEME_WORDS``) as ``extra.backstory_words``."""
    config.extra["backstory_not_found"] = not_found
    if edition is None:
        return
    config.theme["language"] = edition.language
    config.extra["backstory_edition"] = edition.language
    config.extra["backstory_words"] = dict(edition.words)
    if edition.site_url:
        config.site_url = edition.site_url
    if edition.site_name:
        config.site_name = edition.site_name
    if edition.site_description:
        config.site_description = edition.site_description
    toc = config.mdx_configs.get("toc")
    permalink = edition.words.get("Permanent link")
    if isinstance(toc, dict) and toc.get("permalink") and permalink:
        toc.setdefault("permalink_title", permalink)  # the headings' links, in the edition's words
    for choice in config.theme.get("palette") or []:
        toggle = choice.get("toggle") if isinstance(choice, dict) else None
        if isinstance(toggle, dict) and toggle.get("name") in edition.words:
            toggle["name"] = edition.words[toggle["name"]]


def build_into(
    config_file: Path,
    out_dir: Path,
    *,
    epoch: int | None = None,
    verbose: bool = False,
    cache_dir: Path | None = None,
    read_cache: bool = True,
    jobs: int = 1,
    edition: EngineEdition | None = None,
    not_found: list[dict[str, str]] | None = None,
) -> BuildReport:
    """Build the site of ``config_file``, or one of its editions, strictly into ``out_dir``
    (made anew), with ``jobs`` worker processes and the page cache in ``cache_dir`` (None: no
    cache; ``read_cache`` False: nothing is taken from it, and it is written anew). Raises
    BuildError, with the engine's messages, when the engine refuses the pages."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, MkDocsException

    shutil.rmtree(out_dir, ignore_errors=True)
    with _engine_logging(verbose) as collector, _build_date(epoch):
        try:
            overrides: dict[str, Any] = {}
            if edition is not None:
                overrides = {"docs_dir": str(edition.docs_dir), "nav": edition.nav}
            config = load_config(
                config_file=str(config_file), site_dir=str(out_dir), strict=True, **overrides
            )
            configure(config, edition, not_found or [])
            variant = _variant_of(edition, not_found or [])
            return _build(config, config_file, epoch, cache_dir, read_cache, jobs, variant)
        except (Abort, ConfigurationError, MkDocsException, PageFailed) as error:
            shutil.rmtree(out_dir, ignore_errors=True)
            details = collector.messages or [str(error)]
            raise BuildError(
                "the site engine refused the pages:\n" + "\n".join(f"  {m}" for m in details)
            ) from None
        except WorkerFailed as error:
            shutil.rmtree(out_dir, ignore_errors=True)
            raise RuntimeError(f"a build worker failed: {error}\n{error.details}") from None
        except BaseException:
            shutil.rmtree(out_dir, ignore_errors=True)
            raise


def _variant_of(edition: EngineEdition | None, not_found: list[dict[str, str]]) -> str:
    """What ``configure`` gives the engine beyond ``mkdocs.yml`` (an edition's address, name,
    navigation and words; the 404 page's greetings), as text for the page cache's keys."""
    given = asdict(edition) if edition is not None else None
    return json.dumps([given, not_found], sort_keys=True, default=str)


def _build(
    config: Any,
    config_file: Path,
    epoch: int | None,
    cache_dir: Path | None,
    read_cache: bool,
    jobs: int,
    variant: str = "",
) -> BuildReport:
    from mkdocs.commands.build import build

    problem = fast_path_problem(config)
    if problem is not None:
        log.info("the engine builds the site in one process, without the page cache: %s", problem)
        build(config)
        return BuildReport(plain_engine=problem)
    if any(name in config.markdown_extensions for name in FILE_READING_EXTENSIONS):
        log.info("no page is taken from the page cache: a Markdown extension reads other files")
        cache_dir = None
    engine = SiteEngine(config)
    keys = PageKeys(config, config_file, epoch, variant) if cache_dir is not None else None
    cache = PageCache(cache_dir, read=read_cache)
    site = SiteBuild(engine, keys, cache, jobs=jobs)
    with counted_warnings(config) as counter:
        try:
            report = site.run()
            refuse_counted(counter)
        except Exception as error:
            engine.config.plugins.on_build_error(error=error)
            _log_build_error(error)
            raise
    if keys is not None:
        cache.save(site.records)
    return report


def _log_build_error(error: Exception) -> None:
    """MkDocs' build logs a build error of its own before it stops (its ``BuildError``)."""
    from mkdocs.exceptions import Abort
    from mkdocs.exceptions import BuildError as EngineBuildError

    if isinstance(error, EngineBuildError):
        logging.getLogger("mkdocs.commands.build").error(str(error))
        raise Abort("Aborted with a BuildError!") from None
