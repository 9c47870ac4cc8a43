"""The Spanish edition of the bilingual fixture, rendered: golden Markdown, the edition gate,
text without a translation marked as such, Backstory's words and dates in Spanish, the errors of
translation files, and the translators' commands (``i18n status``, ``i18n stamp``)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from backstory.build.pipeline import plan_content, render_site
from backstory.cli import cli
from backstory.project import Project
from backstory.site.wording import Wording

from .conftest import GOLDEN

GOLDEN_SITE = GOLDEN / "bilingual-site"

ONLY_IN_ENGLISH = (
    "stories/ferry-service.md",  # its question has no translation
    "actors/carla-diaz.md",  # only the ferry story shows her
    "events/ferry-suspended.md",  # only the ferry story holds it
    "topics/transport.md",  # only the ferry story has this topic
)
"""Pages of the English edition that the Spanish one must not have."""
ONLY_IN_ENGLISH_IDS = ("ferry-service", "carla-diaz", "ferry-suspended", "ferry-notice")
"""Facts that only the untranslated story shows: nothing in Spanish may name them."""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def editions(root: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The English and Spanish Markdown pages of a site, by path."""
    rendered = render_site(Project.open(root))
    main = {p: t for p, t in rendered.pages.items() if p.endswith(".md")}
    spanish = {p: t for p, t in rendered.editions.get("es", {}).items() if p.endswith(".md")}
    assert all(isinstance(t, str) for t in [*main.values(), *spanish.values()])
    return main, spanish  # type: ignore[return-value]


def body(page: str) -> str:
    """A page's Markdown without its front matter."""
    if page.startswith("---\n"):
        return page[page.index("\n---\n", 3) + 5 :]
    return page


LINK = re.compile(r"\]\(<?([^)>\s]+)>?\)|href=\"([^\"]+)\"")


def local_links(path: str, page: str) -> list[str]:
    """The pages a Markdown page links to within its edition, as paths of the docs folder."""
    found = []
    for match in LINK.finditer(body(page)):
        target = (match.group(1) or match.group(2)).split("#", 1)[0]
        if not target or re.match(r"^[a-z]+:", target):
            continue
        found.append(posixpath.normpath(posixpath.join(posixpath.dirname(path), target)))
    return found


# --- golden Markdown ---------------------------------------------------------------------------


def test_bilingual_pages_match_golden_markdown(
    bilingual_site: Path, check_golden, update_golden: bool
) -> None:
    main, spanish = editions(bilingual_site)
    pages = {**main, **{f"es/{path}": text for path, text in spanish.items()}}
    for path, text in pages.items():
        check_golden(GOLDEN_SITE / path, text)
    on_disk = {p.relative_to(GOLDEN_SITE).as_posix() for p in GOLDEN_SITE.rglob("*.md")}
    if update_golden:
        for stale in on_disk - set(pages):
            (GOLDEN_SITE / stale).unlink()
    else:
        assert on_disk == set(pages), "golden files and rendered pages differ in their set of pages"
    assert "es/stories/river-bridge.md" in pages and "es/actors/ben-okafor.md" in pages


# --- the edition gate --------------------------------------------------------------------------


def test_only_fully_translated_stories_and_what_they_show_are_in_spanish(
    bilingual_site: Path,
) -> None:
    main, spanish = editions(bilingual_site)
    for path in ONLY_IN_ENGLISH:
        assert path in main, path
        assert path not in spanish, f"{path} is in the Spanish edition"
    assert "stories/river-bridge.md" in spanish
    for path in ("actors/river-council.md", "actors/marta-ruiz.md", "events/council-vote.md"):
        assert path in spanish, path  # shown by the translated story
    # A translated draft is still a draft.
    assert "stories/draft-story.md" not in spanish and "events/secret-plan.md" not in spanish
    # Every Spanish page has its English counterpart at the same path.
    assert set(spanish) - set(main) == set()


def test_no_spanish_page_links_to_a_page_the_edition_lacks(bilingual_site: Path) -> None:
    rendered = render_site(Project.open(bilingual_site))
    spanish = rendered.editions["es"]
    checked = 0
    for path, output in spanish.items():
        text = output if isinstance(output, str) else output.decode("utf-8")
        for fact_id in ONLY_IN_ENGLISH_IDS:
            assert fact_id not in text, f"es/{path} names {fact_id}"
        assert "ferry" not in text.lower(), f"es/{path} shows the untranslated story's facts"
        if path.endswith(".md"):
            for target in local_links(path, text):
                checked += 1
                assert target in spanish or f"{target}/index.md" in spanish, (
                    f"es/{path} links to {target}, which the Spanish edition does not have"
                )
    assert checked > 50  # the pages do link to each other
    # The river council is in both stories: its Spanish page lists only the translated one.
    council = spanish["actors/river-council.md"]
    assert isinstance(council, str)
    assert "stories/river-bridge.md" in council
    # The edition's data and feed say the same.
    api_stories = sorted(p for p in spanish if p.startswith("api/stories/"))
    assert api_stories == ["api/stories/river-bridge.json"]


def test_the_gate_opens_when_the_last_question_is_translated(bilingual_site: Path) -> None:
    translation = bilingual_site / "translations/es/stories/ferry-service.yml"
    translation.write_text(
        translation.read_text(encoding="utf-8")
        + "questions:\n"
        + "  - question: ¿Por qué se detuvo el ferry?\n"
        + '    answer: "[[carla-diaz]] dice que el muelle necesita pilotes nuevos [@ferry-notice]."\n',
        encoding="utf-8",
    )
    _main, spanish = editions(bilingual_site)
    for path in ONLY_IN_ENGLISH:
        assert path in spanish, path
    assert "¿Por qué se detuvo el ferry?" in spanish["stories/ferry-service.md"]


def test_a_story_with_any_question_untranslated_has_no_spanish_page(bilingual_site: Path) -> None:
    # The river story has two questions; without their translation the story, and every actor
    # and event only it shows, leave the Spanish edition.
    translation = bilingual_site / "translations/es/stories/river-bridge.yml"
    text = translation.read_text(encoding="utf-8")
    start, end = text.index("questions:"), text.index("next:")
    translation.write_text(text[:start] + text[end:], encoding="utf-8")
    main, spanish = editions(bilingual_site)
    assert "stories/river-bridge.md" in main
    assert not [p for p in spanish if p.split("/")[0] in ("stories", "actors", "events")]
    assert "Por qué River Town cerró su puente" not in "".join(spanish.values())


def test_the_spanish_nav_lists_only_pages_the_edition_has(bilingual_site: Path) -> None:
    plan = plan_content(Project.open(bilingual_site))
    (edition,) = plan.editions
    paths = {job.path for job in edition.jobs}
    # The hand-written About page has no Spanish version: it is left out.
    assert edition.nav == [
        {"Inicio": "index.md"},
        {"Todas las historias": "archive.md"},
        {"Cronología": "timeline.md"},
        {"Fuentes": "sources.md"},
    ]
    assert all(target in paths for entry in edition.nav for target in entry.values())
    # Once it has one, the Spanish nav lists it.
    about = bilingual_site / "translations/es/pages/about.md"
    about.parent.mkdir(parents=True)
    about.write_text("# Acerca de\n\nUn sitio pequeño para pruebas.\n", encoding="utf-8")
    (edition,) = plan_content(Project.open(bilingual_site)).editions
    assert edition.nav[-1] == {"Acerca de": "about.md"}
    assert "about.md" in {job.path for job in edition.jobs}


# --- text without a translation, quotes --------------------------------------------------------

NOTICE = (
    '<p class="bs-untranslated-notice" role="note">Parte de esta página todavía no está '
    "traducida: se muestra en su idioma original.</p>"
)


def test_untranslated_text_is_shown_in_english_marked_with_a_notice(bilingual_site: Path) -> None:
    _main, spanish = editions(bilingual_site)
    story = spanish["stories/river-bridge.md"]
    # The story's unknowns and Ben Okafor's role have no translation.
    assert '<span lang="en" markdown="span">How much a new bridge would cost.</span>' in story
    assert '<span lang="en">bridge engineer &lt;b&gt;senior&lt;/b&gt;</span>' in story
    assert NOTICE in story
    assert story.index(NOTICE) < story.index("## Lo que sabemos")  # at the top
    # Text that has a translation is not marked.
    assert "\n- El concejo vuelve a reunirse en abril" in story
    # A page whose every text is translated has no notice and no English text outside quotes
    # and source titles (cited as published).
    vote = spanish["events/council-vote.md"]
    assert "bs-untranslated-notice" not in vote
    assert "Council votes to close the bridge" not in vote
    # English pages never carry the notice.
    main, _ = editions(bilingual_site)
    assert not [path for path, text in main.items() if "bs-untranslated-notice" in text]


def test_quotes_keep_their_words_and_label_their_translations(bilingual_site: Path) -> None:
    main, spanish = editions(bilingual_site)
    story = spanish["stories/river-bridge.md"]
    # An English quote: the words as said, marked English; the edition's translation labelled
    # with its translator.
    assert (
        '<blockquote lang="en"><p>The bridge is not safe, and we will not wait for it to fall.'
        "</p></blockquote>" in story
    )
    assert (
        '<span class="bs-translation-label">Traducción de Mesa de River Desk:</span> '
        "<q>El puente no es seguro, y no vamos a esperar a que se caiga.</q>" in story
    )
    # A quote said in Spanish is shown as said in the Spanish edition...
    assert "\n> Ahora cruzo el río en una hora, no en cinco minutos.\n" in story
    # ...and in the English edition marked Spanish, with the outlet's translation labelled.
    english = main["stories/river-bridge.md"]
    assert (
        '<blockquote lang="es"><p>Ahora cruzo el río en una hora, no en cinco minutos.</p>'
        "</blockquote>" in english
    )
    assert re.search(
        r'<span class="bs-translation-label" lang="en">Translation published by River Gazette'
        r".*</span> <q>Now I cross the river in an hour, not in five minutes\.</q>",
        english,
    )
    # A quote with no Spanish translation is shown in English only, with no made-up label.
    okafor = story[story.index('id="quote-okafor-disagrees"') :]
    okafor = okafor[: okafor.index("</figure>")]
    assert '<blockquote lang="en">' in okafor and "bs-translation" not in okafor


# --- Backstory's own words, dates and numbers --------------------------------------------------

SPANISH_HEADINGS = (
    "Lo que sabemos",
    "Cronología",
    "Lo que no sabemos",
    "Qué puede pasar",
    "Quién es quién",
    "Citas",
    "Fuentes",
    "Correcciones",
)
ENGLISH_HEADINGS = (
    "What we know",
    "Timeline",
    "What we don't know",
    "What happens next",
    "Who's who",
    "Quotes",
    "Sources",
    "Corrections",
)


def headings(page: str) -> list[str]:
    return re.findall(r"^## (.+)$", body(page), re.MULTILINE)


def test_the_story_page_uses_backstorys_words_in_each_language(bilingual_site: Path) -> None:
    main, spanish = editions(bilingual_site)
    spanish_headings = headings(spanish["stories/river-bridge.md"])
    english_headings = headings(main["stories/river-bridge.md"])
    for shown in SPANISH_HEADINGS:
        assert shown in spanish_headings, shown
    for shown in ENGLISH_HEADINGS:
        assert shown in english_headings, shown
        assert shown not in spanish_headings, shown
    story = spanish["stories/river-bridge.md"]
    assert '<p class="bs-kind">Explicativo</p>' in story
    assert 'Publicado el <time datetime="2024-03-05">5 de marzo de 2024</time>' in story
    assert '<time datetime="2024-02">febrero de 2024</time>' in story
    assert '<time datetime="2024-03-04">4 de marzo de 2024</time>' in story
    assert "en una conferencia de prensa" in story  # a quote's medium
    assert "(documento)" in story and "(artículo)" in story  # sources' types
    # The edition's name and description come from translations/es/site.yml.
    home = spanish["index.md"]
    assert "# River Desk en español" in home and "Un sitio de prueba bilingüe" in home


@pytest.mark.parametrize("locale", ["es", "es_US"])
@pytest.mark.parametrize(
    ("value", "shown"),
    [("2020-01-16", "16 de enero de 2020"), ("2020-01", "enero de 2020"), ("2020", "2020")],
)
def test_spanish_dates_follow_cldr(locale: str, value: str, shown: str) -> None:
    assert Wording("es", locale).date(value) == shown


def test_spanish_spans_times_and_numbers() -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    us = Wording("es", "es_US")
    assert us.span("2020-02-18", dt.date(2020, 2, 20)) == "18–20 de febrero de 2020"
    assert us.number(54000) == "54,000"  # US Spanish groups digits as US English does
    assert Wording("es", "es").number(54000) == "54.000"
    evening = dt.datetime(2020, 1, 16, 20, 5, tzinfo=ZoneInfo("America/Denver"))
    shown = us.time(evening)
    assert shown.startswith("8:05") and shown.endswith(" MST") and "p" in shown
    assert Wording().time(evening) == "8:05 p.m. MST"


# --- errors in translation files ---------------------------------------------------------------


def test_every_error_in_the_translations_is_located_and_reported_at_once(
    bilingual_site: Path,
) -> None:
    es = bilingual_site / "translations/es"
    (es / "actors/ana-lopes.yml").write_text("role: alcaldesa\n", encoding="utf-8")
    (es / "actors/marta-ruiz.yml").write_text("name: Marta Ruíz\nrole: vecina\n", encoding="utf-8")
    (es / "events/council-vote.yml").write_text(
        "title: El concejo vota\ndate: 2024-03-05\n", encoding="utf-8"
    )
    story = es / "stories/river-bridge.yml"
    text = story.read_text(encoding="utf-8")
    start, end = text.index("  - question: ¿Quién"), text.index("next:")
    story.write_text(text[:start] + text[end:], encoding="utf-8")
    code, _out, err = run("--root", str(bilingual_site), "check")
    assert code == 1
    assert [line for line in err.splitlines() if ": error: " in line] == [
        "translations/es/actors/ana-lopes.yml:1:1: error: no actor has the id 'ana-lopes': a "
        "translation's file name is the id of the fact it translates (did you mean 'ana-lopez'?)",
        "translations/es/actors/marta-ruiz.yml:1:1: error: name: a person's name is never translated",
        "translations/es/events/council-vote.yml:2:1: error: date: not translatable: facts are shared across editions",
        "translations/es/stories/river-bridge.yml:7:3: error: questions: the original has 2 item(s) "
        "and this translation 1; translate each of them, in the original's order",
    ]
    assert "Traceback" not in err


def test_a_translation_of_a_broken_fact_is_not_reported_again(bilingual_site: Path) -> None:
    actor = bilingual_site / "content/actors/marta-ruiz.yml"
    actor.write_text(actor.read_text().replace("role:", "rol:"), encoding="utf-8")
    code, _out, err = run("--root", str(bilingual_site), "check")
    assert code == 1
    assert [line for line in err.splitlines() if ": error: " in line] == [
        "content/actors/marta-ruiz.yml:3:1: error: unknown field 'rol' (did you mean 'role' or 'roles'?)"
    ]


def test_a_build_refuses_translation_errors_and_writes_nothing(bilingual_site: Path) -> None:
    from backstory.build.pipeline import build
    from backstory.errors import ContentError

    (bilingual_site / "translations/es/events/council-vote.yml").write_text(
        "title: El concejo vota\nstories: [river-bridge]\n", encoding="utf-8"
    )
    with pytest.raises(ContentError) as refused:
        build(Project.open(bilingual_site))
    assert [d.format() for d in refused.value.diagnostics if d.severity == "error"] == [
        "translations/es/events/council-vote.yml:2:1: error: stories: not translatable: facts "
        "are shared across editions"
    ]
    assert not (bilingual_site / "site").exists()


# --- the translators' commands -----------------------------------------------------------------


def test_i18n_status_lists_what_is_missing_located_and_what_blocks_each_story(
    bilingual_site: Path,
) -> None:
    code, out, err = run("--root", str(bilingual_site), "i18n", "status", "--lang", "es")
    assert code == 0 and out == ""
    lines = err.splitlines()
    assert (
        "content/actors/ben-okafor.yml:3:7: warning: no Spanish translation of role: write "
        "translations/es/actors/ben-okafor.yml (start it with: backstory new actor ben-okafor "
        "--translation es)" in lines
    )
    assert (
        "content/events/ferry-suspended.yml:1:8: warning: no Spanish translation of title, summary: "
        "write translations/es/events/ferry-suspended.yml (start it with: backstory new event "
        "ferry-suspended --translation es)" in lines
    )
    assert (
        "content/quotes/okafor-disagrees.yml:1:7: warning: no Spanish translation of text: write "
        "translations/es/quotes/okafor-disagrees.yml (start it with: backstory new quote "
        "okafor-disagrees --translation es)" in lines
    )
    assert (
        "translations/es/stories/river-bridge.yml:1:1: warning: no Spanish translation of unknowns "
        "(the original is content/stories/river-bridge.yml)" in lines
    )
    # The quote said in Spanish needs nothing; nor does a draft.
    assert not [line for line in lines if "ruiz-crossing" in line or "draft-story" in line]
    assert "Spanish (es): 1 of 2 published stories have a page" in lines
    assert (
        "  ferry-service: not in Spanish: needs 1 of 1 questions and answers; "
        "2 fact(s) untranslated, 2 not stamped" in lines
    )
    assert any(
        line.startswith("  river-bridge: in Spanish; 3 fact(s) untranslated") for line in lines
    )
    # Without --lang, every edition is listed: the same here.
    assert run("--root", str(bilingual_site), "i18n", "status")[2] == err


def test_i18n_status_strict_fails_until_the_edition_is_complete(make_site) -> None:
    root = make_site(
        {
            "content/stories/bridge.yml": (
                "title: Why the bridge closed\nsummary: The council closed it.\n"
                "published: 2024-03-05\n"
            ),
            "translations/es/stories/bridge.yml": (
                "title: Por qué cerró el puente\nsummary: El concejo lo cerró.\n"
            ),
        }
    )
    code, _out, err = run("--root", str(root), "i18n", "status", "--strict")
    assert code == 1, err
    assert "translations/es/stories/bridge.yml:1:1: warning: not stamped" in err
    assert run("--root", str(root), "i18n", "status")[0] == 0  # without --strict: a report
    code, _out, err = run("--root", str(root), "i18n", "stamp", "es")
    assert code == 0, err
    assert "stamped 1 translation(s) in translations/es/stamps.yml" in err
    code, _out, err = run("--root", str(root), "i18n", "status", "--strict")
    assert code == 0, err
    assert "  bridge: in Spanish" in err.splitlines()
    # An edition with nothing translated yet lacks everything.
    code, _out, err = run("--root", str(root), "i18n", "status", "--lang", "fr", "--strict")
    assert code == 1
    assert "content/stories/bridge.yml:1:8: warning: no French translation of title, summary" in err


def test_i18n_stamp_then_an_edit_of_the_original_makes_the_translation_stale(
    bilingual_site: Path,
) -> None:
    from .conftest import tree_snapshot

    translations = bilingual_site / "translations"
    before = tree_snapshot(translations)
    code, _out, err = run("--root", str(bilingual_site), "i18n", "stamp", "es", "river-bridge")
    assert code == 0, err
    after = tree_snapshot(translations)
    # Stamping writes the stamps file and nothing else.
    assert {p for p in after if after[p] != before.get(p)} == {"es/stamps.yml"}
    stamps = (translations / "es/stamps.yml").read_text(encoding="utf-8")
    assert re.search(r"^stories/river-bridge: [0-9a-f]{16}$", stamps, re.MULTILINE)
    _code, _out, err = run("--root", str(bilingual_site), "i18n", "status", "--lang", "es")
    assert "translations/es/stories/river-bridge.yml:1:1: warning: not stamped" not in err
    assert "stale" not in err
    # A date is no text: changing it leaves the translation as good as it was.
    story = bilingual_site / "content/stories/river-bridge.yml"
    story.write_text(story.read_text().replace("updated: 2024-03-06", "updated: 2024-03-07"))
    assert "stale" not in run("--root", str(bilingual_site), "i18n", "status")[2]
    # The original's text changes: the translation is stale until it is stamped again.
    story.write_text(story.read_text().replace("How much a new bridge", "What a new bridge"))
    code, _out, err = run("--root", str(bilingual_site), "i18n", "status", "--lang", "es")
    assert code == 0
    assert (
        "translations/es/stories/river-bridge.yml:1:1: warning: stale: "
        "content/stories/river-bridge.yml changed after this translation was stamped (bring the "
        "translation up to date, then run: backstory i18n stamp es river-bridge)"
    ) in err.splitlines()
    assert any(
        line.startswith("  river-bridge: in Spanish;") and "1 stale" in line
        for line in err.splitlines()
    )
    assert run("--root", str(bilingual_site), "i18n", "status", "--strict")[0] == 1
    run("--root", str(bilingual_site), "i18n", "stamp", "es", "river-bridge")
    assert "stale" not in run("--root", str(bilingual_site), "i18n", "status")[2]


def test_i18n_stamp_refuses_an_id_without_a_translation(bilingual_site: Path) -> None:
    code, _out, err = run("--root", str(bilingual_site), "i18n", "stamp", "es", "carla-diaz")
    assert code == 2
    assert "'carla-diaz' has no translation in translations/es/" in err
    assert not (bilingual_site / "translations/es/stamps.yml").exists()


def test_new_translation_starts_a_file_to_translate(bilingual_site: Path) -> None:
    code, out, err = run(
        "--root", str(bilingual_site), "new", "actor", "carla-diaz", "--translation", "es"
    )
    assert code == 0, err
    assert out.strip() == "translations/es/actors/carla-diaz.yml"
    started = (bilingual_site / out.strip()).read_text(encoding="utf-8")
    assert '# role: "ferry operator"' in started
    # A person's name is never translated: the starter does not offer it.
    assert "Carla Díaz" not in started and "# name:" not in started
    # Only comments yet: a check says nothing is translated, and the status still misses it.
    _code, _out, err = run("--root", str(bilingual_site), "check")
    assert (
        "translations/es/actors/carla-diaz.yml:1:1: warning: nothing is translated yet: the file "
        "has only comments" in err
    )
    # Never over an existing translation.
    code, _out, err = run(
        "--root", str(bilingual_site), "new", "actor", "carla-diaz", "--translation", "es"
    )
    assert code == 2 and "translations/es/actors/carla-diaz.yml already exists" in err


def test_render_writes_each_edition_into_its_folder(bilingual_site: Path, tmp_path: Path) -> None:
    from .conftest import tree_snapshot

    before = tree_snapshot(bilingual_site / "translations")
    out = tmp_path / "rendered"
    code, _out, err = run("--root", str(bilingual_site), "render", "--out", str(out))
    assert code == 0, err
    assert (out / "stories/ferry-service.md").is_file()
    assert (out / "es/stories/river-bridge.md").is_file()
    assert not (out / "es/stories/ferry-service.md").exists()
    assert not (out / "es/es").exists()
    assert tree_snapshot(bilingual_site / "translations") == before


# --- the repository's own Spanish edition ------------------------------------------------------


def test_the_repositorys_story_is_published_in_spanish_and_up_to_date(tmp_path: Path) -> None:
    import shutil

    from .conftest import REPO

    root = tmp_path / "repository-site"
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for folder in ("content", "translations", "templates"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    code, _out, err = run("--root", str(root), "i18n", "status", "--lang", "es", "--strict")
    assert code == 0, err
    assert "  denver-ice-subpoenas: in Spanish" in err.splitlines()
    _main, spanish = editions(root)
    story = spanish["stories/denver-ice-subpoenas.md"]
    assert "## Lo que sabemos" in story and "citaciones" in story
    assert "bs-untranslated-notice" not in story


def test_a_broken_stamps_file_is_a_located_warning_until_stamped_again(
    bilingual_site: Path,
) -> None:
    stamps = bilingual_site / "translations/es/stamps.yml"
    stamps.write_text("stories/river-bridge: [unclosed\n", encoding="utf-8")
    code, _out, err = run("--root", str(bilingual_site), "check")
    assert code == 0, err  # stale stamps never stop a build
    (warning,) = [line for line in err.splitlines() if "stamps.yml" in line]
    assert re.match(
        r"translations/es/stamps\.yml:\d+:\d+: warning: the translations' stamps", warning
    )
    assert "every translation counts as stale" in warning
    assert "run 'backstory i18n stamp es'" in err
    assert run("--root", str(bilingual_site), "i18n", "stamp", "es")[0] == 0
    assert "stamps.yml" not in run("--root", str(bilingual_site), "check")[2]
