"""The site's editions side by side: each edition's jobs and navigation, and the links between
pages that exist in more than one (a visible link at the top, ``hreflang`` alternates).

The main edition is at the site's root, each other edition at ``/<language>/`` with the same
paths. A page links to its counterpart only when both exist.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from ..facts.graph import Graph
from ..facts.load import yaml_strings_mapping
from ..facts.translations import Edition
from ..project import Project
from .api import api_jobs
from .catalogs import has_catalog, translations_for
from .editions import edition_graph
from .feeds import feed_jobs
from .outputs import Output, OutputJob, fixed_text
from .pages import page_jobs
from .templates import make_environment
from .urls import SiteAddress, SiteOptions, page_path
from .wording import N_, Wording

SWITCH_WORDS = N_("Read in %(language)s")
"""The link at the top of a page to the same page in another edition, in that edition's words."""

PERMALINK_WORDS = N_("Permanent link")
"""The title of a heading's permalink (the table of contents extension's default)."""
THEME_WORDS = (
    N_("Switch to dark mode"),
    N_("Switch to light mode"),
    PERMALINK_WORDS,
    N_("Made with %(backstory)s and %(material)s"),
    N_("Stories feed"),
    N_("Corrections feed"),
    N_("%(site)s: stories"),
    N_("%(site)s: corrections"),
    N_("Kind"),
    N_("Topic"),
    N_("Home: the newest stories"),
    N_("All stories"),
    N_("Topics"),
    N_("Timeline"),
    N_("Sources"),
    N_("Page"),
)
"""Words of the engine's settings in ``mkdocs.yml`` (the theme's palette toggles, the headings'
permalinks) and of Backstory's theme overrides (``theme/``), translated in an edition (the
overrides read them from ``config.extra.backstory_words``)."""

NAV_WORDS = {
    "Home": N_("Home"),
    "All stories": N_("All stories"),
    "Timeline": N_("Timeline"),
    "Topics": N_("Topics"),
    "Sources": N_("Sources"),
    "Corrections": N_("Corrections"),
    "About": N_("About"),
}
"""The titles of the navigation's generated pages, as a new site's ``mkdocs.yml`` gives them."""
NOT_FOUND_WORDS = {
    "title": N_("Page not found"),
    "text": N_(
        "Error 404: there is no page at this address. It may have moved, or the link that led "
        "here may be mistyped."
    ),
    "search": N_(
        "Search the site with the search button at the top of the page, or start again from "
        "one of these pages:"
    ),
    "link": N_("Go to the home page"),
}
"""What the 404 page says, in each edition's words (see the theme's ``404.html``)."""


def not_found_greetings(
    address: SiteAddress, wordings: Mapping[str, Wording], main_language: str
) -> list[dict[str, str]]:
    """The 404 page's words for each edition, main first, each with the address path of its
    home page (from the server's root, as a 404 page is served at any depth)."""
    root = urlsplit(address.site_url).path.rstrip("/") + "/" if address.site_url else "/"
    ordered = [main_language, *sorted(set(wordings) - {main_language})]
    return [
        {
            "language": language,
            "home": root if language == main_language else f"{root}{language}/",
            **{key: wordings[language].gettext(words) for key, words in NOT_FOUND_WORDS.items()},
        }
        for language in ordered
    ]


@dataclass(frozen=True)
class EditionPlan:
    """One edition in another language: its graph, a job per file of its docs folder, its
    navigation, and how it words things."""

    language: str
    graph: Graph
    jobs: list[OutputJob]
    nav: list[Any]
    options: SiteOptions
    wording: Wording
    warnings: list[str] = field(default_factory=list)


def edition_options(
    main: SiteOptions, language: str, site: Mapping[str, str] | None = None
) -> SiteOptions:
    """The options of an edition: the main site's, in ``language``, at ``/<language>/``, with
    the name and description its ``site.yml`` gives."""
    site = site or {}
    site_url = main.site_url.rstrip("/") + f"/{language}/" if main.site_url else None
    name = site.get("name", main.name)
    description = site.get("description", main.description)
    return SiteOptions(name, description, site_url, main.directory_urls, language)


def story_counterparts(
    main: SiteOptions, stories: Mapping[str, set[str]], language: str | None = None
) -> dict[str, dict[str, str]]:
    """For the edition in ``language`` (the main one when None), each of its stories' pages in
    the other editions: story id to {language: public URL}. Empty without a ``site_url``."""
    if not main.site_url:
        return {}
    here = language or main.language
    page = {s: main.address.page_location(page_path("stories", s)) for s in stories[here]}
    found: dict[str, dict[str, str]] = {}
    for other, ids in stories.items():
        if other == here:
            continue
        address = main.address if other == main.language else edition_options(main, other).address
        for story_id in sorted(ids & set(page)):
            found.setdefault(story_id, {})[other] = address.url(page[story_id])
    return found


def edition_wording(project: Project, language: str) -> Wording:
    """How an edition words things: its catalog, and the CLDR locale its dates and numbers
    follow (``extra.backstory.locales`` in ``mkdocs.yml``, such as ``es: es_US``; the language
    itself when unset)."""
    locales = project.backstory_settings.get("locales")
    chosen = locales.get(language) if isinstance(locales, dict) else None
    locale = str(chosen) if chosen else language
    gettext = translations_for(language).gettext
    return Wording(language, locale.replace("-", "_"), gettext)


def plan_edition(
    project: Project,
    graph: Graph,
    edition: Edition,
    main_nav: list[Any] | None,
    fixed: Mapping[str, Output],
    media: Callable[[Project, Graph], list[OutputJob]],
    stories: Mapping[str, set[str]],
    pages: Mapping[str, Output],
) -> EditionPlan:
    """Every file of one edition's docs folder, and its navigation. ``stories`` are the ids of
    the stories each edition has a page for, by language; ``pages`` the edition's hand-written
    pages (``translations/<language>/pages/``)."""
    main = SiteOptions.from_config(project.config)
    wording = edition_wording(project, edition.language)
    # Backstory's default description has a translation in the catalog; a site's own needs site.yml
    site = {"description": wording.gettext(main.description)} if main.description else {}
    options = replace(
        edition_options(main, edition.language, {**site, **edition.site}),
        translates=main.language,
        counterparts=story_counterparts(main, stories, edition.language),
    )
    translated = edition_graph(graph, edition, main.language)
    environment = make_environment(project.templates_dir, wording)
    jobs = page_jobs(translated, options, environment)
    jobs += [fixed_text(path, text) for path, text in pages.items()]
    jobs += feed_jobs(options, wording)
    jobs += api_jobs(translated, options)
    jobs += [fixed_text(path, content) for path, content in fixed.items()]
    jobs += media(project, translated)
    paths = {job.path for job in jobs}
    nav = edition_nav(main_nav or [], paths, wording, set(pages))
    warnings = (
        []
        if has_catalog(edition.language)
        else [
            f"Backstory's own words have no catalog in '{edition.language}': "
            "they are shown in English"
        ]
    )
    return EditionPlan(edition.language, translated, jobs, nav, options, wording, warnings)


def edition_nav(
    nav: list[Any], paths: set[str], wording: Wording, titled: Collection[str] = ()
) -> list[Any]:
    """The main navigation for an edition: only the pages the edition has, titles in its
    language where Backstory knows them, sections left empty dropped. A translated hand-written
    page (in ``titled``) is listed by its path alone, so the engine titles it with its heading."""
    kept: list[Any] = []
    for entry in nav:
        if isinstance(entry, str):
            if entry in paths:
                kept.append(entry)
        elif isinstance(entry, dict):
            for title, target in entry.items():
                shown = wording.gettext(NAV_WORDS[title]) if title in NAV_WORDS else title
                if isinstance(target, str) and target in paths:
                    own = target in titled and title not in NAV_WORDS
                    kept.append(target if own else {shown: target})
                elif isinstance(target, list):
                    inner = edition_nav(target, paths, wording, titled)
                    if inner:
                        kept.append({shown: inner})
    return kept


def switch_label(language: str, wording: Wording) -> str:
    """The link to a page in the edition in ``language``, in that edition's words: ``Read in
    English``, ``Leer en español``."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(language.replace("-", "_")).get_display_name() or language
    except (ValueError, UnknownLocaleError):
        name = language
    return wording.gettext(SWITCH_WORDS) % {"language": name}


def with_alternates(
    editions: Mapping[str, list[OutputJob]],
    address: SiteAddress,
    main_language: str,
    labels: Mapping[str, str],
) -> dict[str, list[OutputJob]]:
    """Every edition's jobs, each Markdown page that exists in another edition carrying the
    links to it in its front matter (see the theme's ``main.html``); ``labels`` are the links'
    words, by the language they lead to."""
    paths = {language: {job.path for job in jobs} for language, jobs in editions.items()}
    result: dict[str, list[OutputJob]] = {}
    for language, jobs in editions.items():
        result[language] = [
            _linked(job, language, paths, address, main_language, labels)
            if job.path.endswith(".md")
            else job
            for job in jobs
        ]
    return result


def _linked(
    job: OutputJob,
    language: str,
    paths: Mapping[str, set[str]],
    address: SiteAddress,
    main_language: str,
    labels: Mapping[str, str],
) -> OutputJob:
    others = [other for other in sorted(paths) if other != language and job.path in paths[other]]
    if not others:
        return job
    here = _location(address, job.path, language, main_language)
    links: dict[str, Any] = {}
    absolute: dict[str, str] = {}
    for other in [language, *others]:
        there = _location(address, job.path, other, main_language)
        if address.site_url:
            absolute[other] = address.url(there)
        if other != language:
            links[other] = {
                "href": _relative(here, there),
                "label": labels[other],
            }
    if main_language in absolute:
        absolute["x-default"] = absolute[main_language]
    data = {"editions": links, "alternates": absolute}
    make = job.make

    def linked(graph: Graph) -> Output:
        text = make(graph)
        assert isinstance(text, str)
        return _add_front_matter(text, data)

    return OutputJob(job.path, linked, job.fixed)


def _location(address: SiteAddress, path: str, language: str, main_language: str) -> str:
    location = address.page_location(path)
    return location if language == main_language else f"{language}/{location}"


def _relative(here: str, there: str) -> str:
    """A link from one page's location (``stories/x/``) to another's, relative to it."""
    folder = here.rstrip("/") if here.endswith("/") else posixpath.dirname(here)
    target = posixpath.relpath(there.rstrip("/") or ".", folder or ".")
    return target + "/" if there.endswith("/") or not there else target


def _add_front_matter(text: str, data: dict[str, Any]) -> str:
    """Markdown with ``data`` added to its front matter (made when it has none)."""
    lines = yaml_strings_mapping({"backstory_editions": _flat(data)})
    if text.startswith("---\n"):
        end = text.index("\n---\n", 3)
        return text[: end + 1] + lines + text[end + 1 :]
    return "---\n" + lines + "---\n" + text


def _flat(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value}
