"""The translators' commands: ``backstory i18n status`` (what each edition in another language
lacks) and ``backstory i18n stamp`` (record that translations match their originals). Thin
wrappers over ``editor.translating``."""

from __future__ import annotations

from typing import Any

import click

from .app import EXIT_CONTENT, cli, format_option, open_project, report


@cli.group(name="i18n")
def i18n() -> None:
    """Editions in other languages: what they lack, and stamps for their translations."""


def _checked(ctx: click.Context) -> tuple[Any, Any]:
    """The site and its checked content; content errors stop the command (see ``fail``)."""
    from ..build.pipeline import check_content
    from ..errors import ContentError

    project = open_project(ctx)
    checked = check_content(project)
    if not checked.ok:
        raise ContentError(checked.diagnostics)
    return project, checked


def _editions(ctx: click.Context, checked: Any, language: str | None) -> list[Any]:
    editions = list(checked.editions)
    if language is None:
        if not editions:
            raise click.UsageError(
                "the site has no edition in another language: translations/<language>/ holds "
                "none (start one with: backstory new story <id> --translation es)",
                ctx,
            )
        return editions
    chosen = [e for e in editions if e.language == language]
    if not chosen:
        from ..facts.translations import Edition

        return [Edition(language, {})]  # nothing translated yet: everything is missing
    return chosen


@i18n.command()
@click.option("--lang", "language", metavar="LANG", help="Only this edition (such as es).")
@click.option("--strict", is_flag=True, help="Exit 1 when anything is missing or stale (for CI).")
@format_option
@click.pass_context
def status(ctx: click.Context, language: str | None, strict: bool, output_format: str) -> None:
    """List every fact a published story needs that has no translation or a stale one, then
    say, for each story, whether it has a page in the edition and what blocks it."""
    from ..editor.translating import edition_status, language_name
    from ..site.urls import SiteOptions

    project, checked = _checked(ctx)
    original = SiteOptions.from_config(project.config).language
    incomplete = False
    for edition in _editions(ctx, checked, language):
        found = edition_status(checked.graph, edition, original)
        report(found.diagnostics, output_format)
        incomplete = incomplete or not found.complete
        if output_format != "json":
            name = language_name(edition.language)
            published = sum(1 for story in found.stories if story.in_edition)
            click.echo(
                f"{name} ({edition.language}): {published} of {len(found.stories)} "
                "published stories have a page",
                err=True,
            )
            for story in found.stories:
                click.echo(f"  {story.summary(edition.language)}", err=True)
    if strict and incomplete:
        ctx.exit(EXIT_CONTENT)


@i18n.command()
@click.argument("language", metavar="LANG")
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.pass_context
def stamp(ctx: click.Context, language: str, ids: tuple[str, ...]) -> None:
    """Record that the translations of IDs (all of LANG's when none is given) match their
    originals as they are now, in translations/LANG/stamps.yml. Run it after checking a
    translation against its original; a build never does."""
    from ..editor.translating import stamp_translations

    project, checked = _checked(ctx)
    editions = [e for e in checked.editions if e.language == language]
    if not editions:
        raise click.UsageError(f"translations/{language}/ has no translation to stamp", ctx)
    try:
        stamped = stamp_translations(project.root, checked.graph.facts, editions[0], ids)
    except KeyError as error:
        raise click.UsageError(
            f"'{error.args[0]}' has no translation in translations/{language}/", ctx
        ) from None
    click.echo(
        f"stamped {len(stamped)} translation(s) in translations/{language}/stamps.yml", err=True
    )
