"""The commands that check, build, preview and publish a site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..diagnostics import errors_in
from ..errors import BackstoryError, ContentError, ProjectError
from .app import (
    EXIT_CONTENT,
    STOPPED,
    VERBOSE,
    cli,
    format_option,
    open_project,
    report,
    strict_option,
)

_status_console: Any = None

allow_future_option = click.option(
    "--allow-future",
    is_flag=True,
    help="Accept facts dated more than a day after today (otherwise an error when publishing, "
    "a warning when checking).",
)


def _status(message: str) -> Any:
    """A spinner on the terminal while a long step runs (rich, on stderr)."""
    global _status_console
    if _status_console is None:
        from rich.console import Console

        _status_console = Console(stderr=True, highlight=False, soft_wrap=True)
    return _status_console.status(message)


@cli.command()
@click.option("--drafts", is_flag=True, help="Check as if drafts were published.")
@strict_option
@allow_future_option
@format_option
@click.option("--no-cache", is_flag=True, help="Parse every file again, ignoring the parse cache.")
@click.pass_context
def check(
    ctx: click.Context,
    drafts: bool,
    strict: bool,
    allow_future: bool,
    output_format: str,
    no_cache: bool,
) -> None:
    """Validate the content only; exit 1 when there are errors (or warnings, with --strict).

    Unfinished work (a TODO, a placeholder id, a fact dated after tomorrow) is a warning here;
    build and deploy refuse it."""
    from ..build.pipeline import check_content
    from ..facts.lint import Purpose
    from ..site.plan import handwritten_pages

    project = open_project(ctx)
    result = check_content(
        project,
        include_drafts=drafts,
        use_cache=not no_cache,
        need_graph=False,
        purpose=Purpose(publishing=False, allow_future=allow_future),
    )
    _, page_problems = handwritten_pages(project)
    diagnostics = result.diagnostics + page_problems
    report(diagnostics, output_format)
    if errors_in(diagnostics) or (strict and diagnostics):
        ctx.exit(EXIT_CONTENT)
    if output_format == "text":
        counts = result.counts
        line = (
            f"ok: {counts['stories']} stories, {counts['events']} events, {counts['quotes']} "
            f"quotes, {counts['actors']} actors, {counts['sources']} sources"
        )
        line += "".join(f", {counts[c]} {c}" for c in ("figures", "claims") if counts.get(c))
        click.echo(line, err=True)


def _build(
    ctx: click.Context,
    project: Any,
    *,
    drafts: bool,
    strict: bool,
    allow_future: bool,
    output_format: str,
    use_cache: bool = True,
    jobs: int | None = None,
) -> Any:
    """Build the site and print its warnings; a failure is printed and exits (see ``fail``)."""
    from ..build.pipeline import build

    with _status("Building the site..."):
        built = build(
            project,
            include_drafts=drafts,
            strict=strict,
            verbose=bool(ctx.meta.get(VERBOSE)),
            allow_future=allow_future,
            use_cache=use_cache,
            jobs=jobs,
        )
    report(built.warnings, output_format)
    return built


no_cache_option = click.option(
    "--no-cache",
    is_flag=True,
    help="Build from nothing: take nothing from the caches in .backstory/ (they are written anew).",
)
jobs_option = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes that build the pages (default: one per core).",
)


@cli.command()
@click.option("--drafts", is_flag=True, help="Include stories marked draft: true.")
@strict_option
@allow_future_option
@format_option
@no_cache_option
@jobs_option
@click.pass_context
def build(
    ctx: click.Context,
    drafts: bool,
    strict: bool,
    allow_future: bool,
    output_format: str,
    no_cache: bool,
    jobs: int | None,
) -> None:
    """Check, render and build the site into site/; on any error the old site stays as it was.

    A build publishes: a TODO or a placeholder id left in a published fact, or a fact dated
    after tomorrow, is an error (drafts are not published, so theirs are not). Files and pages
    whose inputs did not change since the last build are taken from the cache in .backstory/
    (--no-cache: build everything); the pages are built by one worker per core (--jobs).
    """
    from ..build.pipeline import stage_summary

    project = open_project(ctx)
    ctx.meta[STOPPED] = "build stopped: the site was not changed"
    built = _build(
        ctx,
        project,
        drafts=drafts,
        strict=strict,
        allow_future=allow_future,
        output_format=output_format,
        use_cache=not no_cache,
        jobs=jobs,
    )
    report_, engine = built.report, built.engine
    assert report_ is not None and engine is not None
    click.echo(
        f"built {project.site_dir.relative_to(project.root)}/ "
        f"({len(report_.written)} page(s) written, {len(report_.unchanged)} unchanged, "
        f"{len(report_.removed)} removed; the engine built {engine.built} page(s) and took "
        f"{engine.cached} from the cache)",
        err=True,
    )
    click.echo(stage_summary(built), err=True)


@cli.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the Markdown pages into.",
)
@click.option("--drafts", is_flag=True, help="Include stories marked draft: true.")
@format_option
@click.pass_context
def render(ctx: click.Context, out_dir: Path, drafts: bool, output_format: str) -> None:
    """Write the generated Markdown pages only, for reading and diffing; an edition in another
    language goes in DIR/<language>/, as on the site."""
    from ..build.pipeline import render_site
    from ..build.write import write_tree

    project = open_project(ctx)
    rendered = render_site(project, include_drafts=drafts)
    files = dict(rendered.pages)
    for language, pages in rendered.editions.items():
        files.update({f"{language}/{path}": text for path, text in pages.items()})
    written = write_tree(files, out_dir)
    click.echo(
        f"rendered {len(files)} file(s) into {out_dir} "
        f"({len(written.written)} written, {len(written.removed)} removed)",
        err=True,
    )


@cli.command()
@click.option(
    "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on."
)
@click.option("--drafts", is_flag=True, help="Include stories marked draft: true.")
@click.pass_context
def serve(ctx: click.Context, dev_addr: str, drafts: bool) -> None:
    """Preview the site; pages are regenerated when a fact file or template changes."""
    preview_site(ctx, open_project(ctx), dev_addr=dev_addr, drafts=drafts)


def preview_site(
    ctx: click.Context, project: Any, *, dev_addr: str, drafts: bool, cms_port: int | None = None
) -> None:
    """Serve the preview until interrupted (``backstory serve``); with ``cms_port``, with the
    content manager's page talking to a local backend on that port (``backstory cms --serve``)."""
    from ..build.engine.server import serve_site
    from ..preview.session import PreviewSession, Refresh
    from ..site.cms import PAGE_MARKER

    session = PreviewSession(project.root, include_drafts=drafts, cms_port=cms_port)
    shown_warnings: list[Any] = []

    def refused(problems: list[str]) -> Refresh:
        click.echo("still serving the last good pages", err=True)
        return Refresh(problems=problems)

    def refresh() -> Refresh:
        # Every page of the preview shows the refused refresh's errors, as printed here.
        try:
            done = session.refresh()
        except ContentError as error:
            report(error.diagnostics, "text")
            return refused([d.format() for d in errors_in(error.diagnostics)])
        except ProjectError as error:
            shown = error.diagnostic.format() if error.diagnostic else f"error: {error}"
            click.echo(shown, err=True)
            return refused([shown])
        except BackstoryError as error:
            click.echo(f"error: {error}", err=True)
            return refused([f"error: {error}"])
        if done.warnings != shown_warnings:  # warnings are printed when they change
            report(done.warnings, "text")
            shown_warnings[:] = done.warnings
        written = len(done.written) + sum(len(e.written) for e in done.editions)
        removed = len(done.removed) + sum(len(e.removed) for e in done.editions)
        if written or removed:
            click.echo(f"regenerated {written} file(s), removed {removed}", err=True)
        return done

    first = refresh()
    if first.problems and not (project.docs_dir / "index.md").exists():
        ctx.exit(EXIT_CONTENT)
    from ..facts.translations import TRANSLATIONS_FOLDER

    translations = project.root / TRANSLATIONS_FOLDER
    watched = [project.content_dir, project.templates_dir, project.config_file, translations]
    serve_site(
        project,
        dev_addr=dev_addr,
        refresh=refresh,
        watched=watched,
        first=first,
        unreloaded=PAGE_MARKER.encode(),
        search_records=session.search_records,
    )


@cli.command()
@click.option(
    "--remote", required=True, help="Git remote URL to publish to (https, ssh or file://)."
)
@click.option("--branch", default="gh-pages", show_default=True, help="Branch that holds the site.")
@click.option("--message", default=None, help="Commit message (default: names the source commit).")
@click.option("--no-build", is_flag=True, help="Publish the existing site/ without building first.")
@strict_option
@allow_future_option
@click.pass_context
def deploy(
    ctx: click.Context,
    remote: str,
    branch: str,
    message: str | None,
    no_build: bool,
    strict: bool,
    allow_future: bool,
) -> None:
    """Build the site and publish it to a git branch (with .nojekyll for GitHub Pages)."""
    from ..build.deploy import deploy_site

    project = open_project(ctx)
    if not no_build:
        ctx.meta[STOPPED] = "deploy stopped: nothing was published"
        _build(
            ctx,
            project,
            drafts=False,
            strict=strict,
            allow_future=allow_future,
            output_format="text",
        )
        ctx.meta[STOPPED] = None
    if not (project.site_dir / "index.html").is_file():
        raise click.UsageError(f"{project.site_dir} holds no built site; run backstory build first")
    published = deploy_site(project.site_dir, remote, branch=branch, message=message)
    if published.commit is None:
        click.echo(f"{published.remote} {published.branch}: already up to date", err=True)
    else:
        click.echo(
            f"published to {published.remote} {published.branch} ({published.commit[:12]}): "
            f"{len(published.added)} added, {len(published.modified)} changed, "
            f"{len(published.deleted)} removed",
            err=True,
        )


@cli.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schemas"),
    show_default=True,
    help="Folder to write the schemas into (relative to --root).",
)
@click.pass_context
def schema(ctx: click.Context, out_dir: Path) -> None:
    """Export a JSON Schema per collection, for editors' autocompletion and checks."""
    from ..build.write import write_files
    from ..editor.schema import render_schemas

    folder = ctx.obj["root"] / out_dir
    for path in write_files(render_schemas(), folder):
        click.echo(f"wrote {path}", err=True)
