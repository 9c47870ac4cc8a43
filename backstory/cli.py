"""The ``backstory`` command: a thin click wrapper over the pipeline. It owns the terminal.

Exit codes: 0 success, 1 content or build errors, 2 usage errors, 3 a bug in Backstory.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from . import __version__, pipeline
from .diagnostics import BuildError, ContentError, Diagnostic, diagnostics_as_json, errors_in
from .project import Project, ProjectError
from .write import WriteError

EXIT_CONTENT = 1
EXIT_BUG = 3

_stderr = Console(stderr=True, highlight=False, soft_wrap=True)


class _Group(click.Group):
    """Turns an unexpected exception into exit code 3 and a request to report it."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            raise
        except Exception as error:
            verbose = bool(ctx.meta.get("backstory.verbose"))
            click.echo(
                f"backstory: internal error ({type(error).__name__}: {error}). This is a bug in "
                "Backstory, not in your content; please report it"
                + (" with the traceback below." if verbose else ", with the output of --verbose."),
                err=True,
            )
            if verbose:
                traceback.print_exc()
            ctx.exit(EXIT_BUG)


def _project(ctx: click.Context) -> Project:
    root = ctx.obj["root"]
    try:
        return Project.open(root)
    except ProjectError as error:
        raise click.UsageError(str(error)) from None


def _report(diagnostics: list[Diagnostic], output_format: str) -> None:
    """Print diagnostics in the chosen format, and a one-line summary for people."""
    if output_format == "json":
        click.echo(diagnostics_as_json(diagnostics))
        return
    for diagnostic in sorted(diagnostics):
        if output_format == "github":
            click.echo(diagnostic.format_github())
        else:
            click.echo(diagnostic.format(), err=True)
    errors = len(errors_in(diagnostics))
    warnings = len(diagnostics) - errors
    if errors or warnings:
        click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)


_format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "github", "json"]),
    default="text",
    show_default=True,
    help="How to print problems: text for people, github for Actions annotations, json for tools.",
)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The site's root folder (the one with mkdocs.yml).",
)
@click.option("-v", "--verbose", is_flag=True, help="Show the engine's log and tracebacks of bugs.")
@click.version_option(__version__, prog_name="backstory")
@click.pass_context
def cli(ctx: click.Context, root: Path, verbose: bool) -> None:
    """Turn structured news facts into an explainer website."""
    ctx.ensure_object(dict)
    ctx.obj["root"] = root
    ctx.meta["backstory.verbose"] = verbose
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")


_strict_option = click.option(
    "--strict", is_flag=True, help="Fail on warnings too (unused sources, stale dates, ...)."
)


@cli.command()
@click.option("--drafts", is_flag=True, help="Check as if drafts were published.")
@_strict_option
@_format_option
@click.option("--no-cache", is_flag=True, help="Parse every file again, ignoring the parse cache.")
@click.pass_context
def check(ctx: click.Context, drafts: bool, strict: bool, output_format: str, no_cache: bool) -> None:
    """Validate the content only; exit 1 when there are errors (or warnings, with --strict)."""
    project = _project(ctx)
    result = pipeline.check_content(
        project, include_drafts=drafts, use_cache=not no_cache, need_graph=False
    )
    _, page_problems = pipeline.handwritten_pages(project)
    diagnostics = result.diagnostics + page_problems
    _report(diagnostics, output_format)
    if errors_in(diagnostics) or (strict and diagnostics):
        ctx.exit(EXIT_CONTENT)
    if output_format == "text":
        counts = result.counts
        click.echo(
            f"ok: {counts['stories']} stories, {counts['events']} events, {counts['quotes']} "
            f"quotes, {counts['actors']} actors, {counts['sources']} sources",
            err=True,
        )


def _build_or_stop(
    ctx: click.Context,
    project: Project,
    *,
    drafts: bool,
    strict: bool,
    output_format: str,
    stopped: str,
) -> pipeline.RenderedSite:
    """Build the site, printing its warnings; on any error print why, then ``stopped``, and exit 1."""
    verbose = bool(ctx.meta.get("backstory.verbose"))
    try:
        with _stderr.status("Building the site..."):
            built = pipeline.build(project, include_drafts=drafts, strict=strict, verbose=verbose)
    except ContentError as error:
        _report(error.diagnostics, output_format)
        click.echo(stopped, err=True)
        ctx.exit(EXIT_CONTENT)
    except (BuildError, WriteError) as error:
        click.echo(f"error: {error}", err=True)
        click.echo(stopped, err=True)
        ctx.exit(EXIT_CONTENT)
    _report(built.warnings, output_format)
    return built


@cli.command()
@click.option("--drafts", is_flag=True, help="Include stories marked draft: true.")
@_strict_option
@_format_option
@click.pass_context
def build(ctx: click.Context, drafts: bool, strict: bool, output_format: str) -> None:
    """Check, render and build the site into site/; on any error the old site stays as it was."""
    project = _project(ctx)
    built = _build_or_stop(
        ctx, project, drafts=drafts, strict=strict, output_format=output_format,
        stopped="build stopped: the site was not changed",
    )
    report = built.report
    assert report is not None
    click.echo(
        f"built {project.site_dir.relative_to(project.root)}/ "
        f"({len(report.written)} page(s) written, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed)",
        err=True,
    )


@cli.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the Markdown pages into.",
)
@click.option("--drafts", is_flag=True, help="Include stories marked draft: true.")
@_format_option
@click.pass_context
def render(ctx: click.Context, out_dir: Path, drafts: bool, output_format: str) -> None:
    """Write the generated Markdown pages only, for reading and diffing."""
    from .write import write_tree

    project = _project(ctx)
    try:
        rendered = pipeline.render_site(project, include_drafts=drafts)
        report = write_tree(rendered.pages, out_dir)
    except ContentError as error:
        _report(error.diagnostics, output_format)
        ctx.exit(EXIT_CONTENT)
    except WriteError as error:
        click.echo(f"error: {error}", err=True)
        ctx.exit(EXIT_CONTENT)
    click.echo(
        f"rendered {len(rendered.pages)} file(s) into {out_dir} "
        f"({len(report.written)} written, {len(report.removed)} removed)",
        err=True,
    )


@cli.command()
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option("--drafts", is_flag=True, help="Include stories marked draft: true.")
@click.pass_context
def serve(ctx: click.Context, dev_addr: str, drafts: bool) -> None:
    """Preview the site; pages are regenerated when a fact file or template changes."""
    from .engine import serve_site
    from .preview import PreviewSession, Refresh

    project = _project(ctx)
    session = PreviewSession(project.root, include_drafts=drafts)

    def refresh() -> Refresh | None:
        try:
            done = session.refresh()
        except ContentError as error:
            _report(error.diagnostics, "text")
            click.echo("still serving the last good pages", err=True)
            return None
        except (WriteError, ProjectError) as error:
            click.echo(f"error: {error}", err=True)
            click.echo("still serving the last good pages", err=True)
            return None
        if done.written or done.removed:
            click.echo(
                f"regenerated {len(done.written)} file(s), removed {len(done.removed)}", err=True
            )
        return done

    if refresh() is None and not (project.docs_dir / "index.md").exists():
        ctx.exit(EXIT_CONTENT)
    watched = [project.content_dir, project.templates_dir, project.config_file]
    serve_site(project, dev_addr=dev_addr, refresh=refresh, watched=watched)


@cli.command()
@click.option("--remote", required=True, help="Git remote URL to publish to (https, ssh or file://).")
@click.option("--branch", default="gh-pages", show_default=True, help="Branch that holds the site.")
@click.option("--message", default=None, help="Commit message (default: names the source commit).")
@click.option("--no-build", is_flag=True, help="Publish the existing site/ without building first.")
@_strict_option
@click.pass_context
def deploy(
    ctx: click.Context, remote: str, branch: str, message: str | None, no_build: bool, strict: bool
) -> None:
    """Build the site and publish it to a git branch (with .nojekyll for GitHub Pages)."""
    from .deploy import DeployError, deploy_site

    project = _project(ctx)
    if not no_build:
        _build_or_stop(
            ctx, project, drafts=False, strict=strict, output_format="text",
            stopped="deploy stopped: nothing was published",
        )
    if not (project.site_dir / "index.html").is_file():
        raise click.UsageError(f"{project.site_dir} holds no built site; run backstory build first")
    try:
        report = deploy_site(project.site_dir, remote, branch=branch, message=message)
    except DeployError as error:
        click.echo(f"error: {error}", err=True)
        ctx.exit(EXIT_CONTENT)
    if report.commit is None:
        click.echo(f"{report.remote} {report.branch}: already up to date", err=True)
    else:
        click.echo(
            f"published to {report.remote} {report.branch} ({report.commit[:12]}): "
            f"{len(report.added)} added, {len(report.modified)} changed, {len(report.deleted)} removed",
            err=True,
        )


@cli.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schemas"),
    show_default=True,
    help="Folder to write the schemas into.",
)
def schema(out_dir: Path) -> None:
    """Export a JSON Schema per collection, for editors' autocompletion and checks."""
    from .schema import render_schemas

    out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in render_schemas().items():
        (out_dir / name).write_text(text, encoding="utf-8")
        click.echo(f"wrote {out_dir / name}", err=True)


def main() -> None:
    """Entry point of the ``backstory`` script."""
    sys.exit(cli.main(prog_name="backstory"))


from .editor_commands import init, new  # noqa: E402  (registered last: they import from this module)

cli.add_command(new)
cli.add_command(init)
