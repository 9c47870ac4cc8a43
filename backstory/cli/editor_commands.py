"""The editors' commands: ``backstory new`` (a commented starter fact file) and ``backstory
init`` (a new site with an example story). Thin wrappers over ``editor``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from ..facts.collections import BY_KIND
from ..text import with_article
from .app import cli, open_project


@cli.command()
@click.argument("kind", type=click.Choice(list(BY_KIND)), metavar="KIND")
@click.argument("fact_id", metavar="ID")
@click.option("--title", help="The title (source, event, story).")
@click.option("--name", help="The name as printed (actor).")
@click.option(
    "--type", "type_", help="The type (actor: person or organization; source: article, wire, ...)."
)
@click.option("--speaker", help="The speaker's actor id (quote).")
@click.option(
    "--source", multiple=True, help="A source id (quote, figure: one; event: repeatable)."
)
@click.option("--event", help="The id of the event the quote is about (quote).")
@click.option(
    "--story", multiple=True, help="A story id, repeatable (event, quote, figure, claim)."
)
@click.option(
    "--date",
    help="YYYY-MM-DD: the date of an event, quote, figure or source; a story's published "
    "date; a claim's checked date. Default: today (none for a source).",
)
@click.option("--publisher", help="The publisher (source).")
@click.option("--url", help="The http or https address (source).")
@click.option("--text", help="The words, verbatim (quote); the statement (claim).")
@click.option("--label", help="What is counted (figure).")
@click.option("--value", help="The number, digits only (figure).")
@click.option("--status", help="confirmed, disputed, unverified or false (claim).")
@click.option(
    "--translation",
    metavar="LANG",
    help="Instead, start the translation of the existing fact ID into LANG (such as es): "
    "translations/LANG/<collection>/ID.yml, its text to translate.",
)
@click.pass_context
def new(
    ctx: click.Context,
    /,
    kind: str,
    fact_id: str,
    type_: str | None,
    translation: str | None,
    **options: Any,
) -> None:
    """Write a commented starter fact file content/<collection>/ID.yml.

    KIND is actor, source, event, quote, story, figure or claim. The file lists the required
    fields with placeholders to replace and explains each field; options fill fields in. It
    refuses an invalid id or one already in use, and never overwrites a file. With
    --translation LANG it starts the translation of the fact ID instead.
    """
    from ..editor.scaffold import OPTIONS_OF_COLLECTION, new_fact

    options["type"] = type_
    given = {key: value for key, value in options.items() if value not in (None, ())}
    if translation is not None:
        if given:
            raise click.UsageError(f"--{next(iter(given))} does not apply to --translation")
        _new_translation(ctx, kind, fact_id, translation)
        return
    allowed = OPTIONS_OF_COLLECTION[BY_KIND[kind].name]
    misplaced = [key for key in given if key not in allowed]
    if misplaced:
        raise click.UsageError(
            f"--{misplaced[0]} does not apply to {with_article(kind)}; "
            f"{with_article(kind)} takes " + ", ".join(f"--{key}" for key in allowed)
        )
    project = open_project(ctx)
    today: dt.date | None = ctx.obj.get("today")  # tests inject the date through obj
    made = new_fact(project.root, kind, fact_id, given, today=today)
    click.echo(made.path.relative_to(project.root).as_posix())
    for note in made.notes:
        click.echo(f"note: {note}", err=True)
    if made.has_placeholders:
        click.echo(
            "next: replace each TODO and placeholder id, then run: backstory check", err=True
        )
    else:
        click.echo("next: run backstory check", err=True)
    if kind == "story":
        click.echo(
            "note: the story is a draft (draft: true) and stays off the site until you delete "
            "that line; backstory serve --drafts previews it",
            err=True,
        )


def _new_translation(ctx: click.Context, kind: str, fact_id: str, language: str) -> None:
    from ..build.pipeline import check_content
    from ..diagnostics import did_you_mean
    from ..editor.translating import new_translation
    from ..errors import ContentError
    from ..facts.models import LANGUAGE_TAG
    from ..site.urls import SiteOptions

    if not LANGUAGE_TAG.match(language):
        raise click.UsageError(f"'{language}' is not a language tag such as es or es-US")
    project = open_project(ctx)
    checked = check_content(project, include_drafts=True)
    if checked.graph is None:
        raise ContentError(checked.diagnostics)
    collection = BY_KIND[kind].name
    fact = checked.graph.facts.get(fact_id)
    if fact is None or fact.collection != collection:
        same_kind = [i for i, f in checked.graph.facts.items() if f.collection == collection]
        hint = did_you_mean(fact_id, same_kind)
        raise click.UsageError(
            f"no {kind} has the id '{fact_id}'" + (f" ({hint})" if hint else ""), ctx
        )
    original = SiteOptions.from_config(project.config).language
    try:
        made = new_translation(project.root, fact, language, original)
    except FileExistsError:
        shown = f"translations/{language}/{collection}/{fact_id}.yml"
        raise click.UsageError(f"{shown} already exists; edit it instead", ctx) from None
    click.echo(made.relative_to(project.root).as_posix())
    click.echo("next: translate each field, remove its '# ', then run: backstory check", err=True)


@cli.command()
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
@click.pass_context
def init(ctx: click.Context, directory: Path) -> None:
    """Create a new site in DIR (new or empty), with an example story to replace.

    Its README, Makefile and CI workflow install this very Backstory, the way it was installed
    here: a version from the package index, a git commit, or a folder of this computer."""
    from ..editor.installation import installed_backstory
    from ..editor.starter import init_site

    target = ctx.obj["root"] / directory
    installation = installed_backstory()
    written = init_site(target, installation)
    click.echo(f"created a site in {target} ({len(written)} files)", err=True)
    click.echo(f"it installs Backstory with: pip install {installation.shell()}", err=True)
    if not installation.portable:
        click.echo(
            f"note: that is a folder of this computer ({installation.folder}): the site builds "
            "only where it exists; README.md says how to name a released version instead",
            err=True,
        )
    click.echo(f"next: cd {target} && make site; see README.md there", err=True)


@cli.command()
@click.argument("text", nargs=-1, required=True, metavar="TEXT")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people (id, kind, file:line, the matching words), json for tools.",
)
@click.pass_context
def find(ctx: click.Context, text: tuple[str, ...], output_format: str) -> None:
    """List the facts whose id, name, alias, title or text holds every word of TEXT.

    Accents and case do not matter: "lopez" finds "Ana López". Each line gives the fact's id
    (to write in [[id]] or a reference field), its kind and its file:line. Exits 1 when
    nothing matches.
    """
    import json
    from dataclasses import asdict

    from ..facts.load import load_content
    from ..facts.lookup import find_facts

    project = open_project(ctx)
    files, unreadable = load_content(project.root, project.content_dir)
    query = " ".join(text)
    found = find_facts(files, query)
    if output_format == "json":
        click.echo(json.dumps([asdict(f) for f in found], indent=2, ensure_ascii=False))
    else:
        id_width = max((len(f.id) for f in found), default=0)
        kind_width = max((len(f.kind) for f in found), default=0)
        for fact in found:
            click.echo(
                f"{fact.id:<{id_width}}  {fact.kind:<{kind_width}}  "
                f"{fact.path}:{fact.line}  {fact.shown}"
            )
    if unreadable:
        click.echo(
            f"note: {len(unreadable)} file(s) could not be read and were not searched; "
            "run backstory check",
            err=True,
        )
    if not found:
        click.echo(f"no fact matches '{query}'", err=True)
        ctx.exit(1)
