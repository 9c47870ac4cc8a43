"""The ``backstory`` command group: its options, how problems are printed, and the one place
where failures become exit codes.

Exit codes: 0 success, 1 content or build errors, 2 usage errors, 3 a bug in Backstory.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from typing import Any, NoReturn

import click

from .. import __version__
from ..diagnostics import Diagnostic, diagnostics_as_json, errors_in
from ..errors import BackstoryError, ContentError, ProjectError

EXIT_CONTENT = 1
EXIT_BUG = 3

FORMAT = "backstory.format"
"""``ctx.meta`` key: how the running command prints problems (text, github or json)."""
STOPPED = "backstory.stopped"
"""``ctx.meta`` key: the line the running command prints after a failure, if any."""
VERBOSE = "backstory.verbose"


def fail(ctx: click.Context, error: BackstoryError) -> NoReturn:
    """Print a user-facing failure the way its command prints problems, then exit with its code.

    The one place where Backstory's errors meet the terminal: content problems are listed in the
    command's format, a folder that is not a site is a usage error (exit 2), anything else is
    one ``error:`` line; then the command's "stopped" line, when it has one.
    """
    if isinstance(error, ProjectError):
        raise click.UsageError(str(error), ctx) from None
    if isinstance(error, ContentError):
        report(error.diagnostics, str(ctx.meta.get(FORMAT, "text")))
    else:
        click.echo(f"error: {error}", err=True)
    stopped = ctx.meta.get(STOPPED)
    if stopped:
        click.echo(stopped, err=True)
    ctx.exit(error.exit_code)


class Command(click.Command):
    """A command whose Backstory errors are printed and mapped to exit codes by ``fail``."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BackstoryError as error:
            fail(ctx, error)


class Group(click.Group):
    """Turns an unexpected exception into exit code 3 and a request to report it."""

    command_class = Command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            raise
        except Exception as error:
            verbose = bool(ctx.meta.get(VERBOSE))
            click.echo(
                f"backstory: internal error ({type(error).__name__}: {error}). This is a bug in "
                "Backstory, not in your content; please report it"
                + (" with the traceback below." if verbose else ", with the output of --verbose."),
                err=True,
            )
            if verbose:
                traceback.print_exc()
            ctx.exit(EXIT_BUG)


def open_project(ctx: click.Context) -> Any:
    """The site the command runs on (``--root``); ProjectError when it is not one."""
    from ..project import Project

    return Project.open(ctx.obj["root"])


def report(diagnostics: list[Diagnostic], output_format: str) -> None:
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


def format_option(function: Any) -> Any:
    """``--format``, remembered in ``ctx.meta`` so that ``fail`` prints in it too."""

    def remember(ctx: click.Context, _param: click.Parameter, value: str) -> str:
        ctx.meta[FORMAT] = value
        return value

    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "github", "json"]),
        default="text",
        show_default=True,
        callback=remember,
        help="How to print problems: text for people, github for Actions annotations, "
        "json for tools.",
    )(function)


strict_option = click.option(
    "--strict", is_flag=True, help="Fail on warnings too (unused sources, stale dates, ...)."
)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
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
    ctx.meta[VERBOSE] = verbose
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")
