"""The content manager's command: ``backstory cms`` writes the admin page (Decap CMS with forms
made from the content model) into the site, and ``backstory cms --serve`` serves it with the
preview and the local backend, so that facts can be edited in the browser."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import click

from .app import cli, open_project

if TYPE_CHECKING:
    from ..project import Project

LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


@cli.command()
@click.option(
    "--serve",
    "serve_admin",
    is_flag=True,
    help="Serve the admin page with the preview and the local backend (decap-server) on "
    "127.0.0.1, instead of writing it.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write the admin page into (default: admin/ in the site folder).",
)
@click.option(
    "--dev-addr",
    default="127.0.0.1:8000",
    show_default=True,
    help="Address of the preview and the admin page (with --serve).",
)
@click.option(
    "--backend-port",
    type=click.IntRange(1, 65535),
    default=8081,
    show_default=True,
    help="Port of the local backend, which reads and writes content/ (with --serve).",
)
@click.option("--drafts", is_flag=True, help="Include stories marked draft: true (with --serve).")
@click.pass_context
def cms(
    ctx: click.Context,
    serve_admin: bool,
    out_dir: Path | None,
    dev_addr: str,
    backend_port: int,
    drafts: bool,
) -> None:
    """Write the content manager's admin page into the site (site/admin/), or serve it.

    The page is Decap CMS with a form for every kind of fact, generated from the content model.
    With --serve, it is served on 127.0.0.1 with the preview, and each save writes a fact file
    under content/ that the preview shows at once. To publish the page with every build (and
    edit through GitHub pull requests), set extra.backstory.cms in mkdocs.yml.
    """
    project = open_project(ctx)
    if serve_admin:
        _serve(ctx, project, dev_addr=dev_addr, backend_port=backend_port, drafts=drafts)
        return
    from ..build.write import write_files
    from ..site.cms import ADMIN_FOLDER, admin_files, cms_settings
    from ..site.urls import SiteOptions

    settings = cms_settings(project.config)
    files = admin_files(
        settings, site_name=SiteOptions.from_config(project.config).name, local_port=backend_port
    )
    folder = ctx.obj["root"] / out_dir if out_dir else project.site_dir / ADMIN_FOLDER
    write_files(files, folder)
    click.echo(f"wrote the admin page into {folder} ({len(files)} files)", err=True)
    if not settings.enabled:
        click.echo(
            "note: set extra.backstory.cms in mkdocs.yml (the GitHub repository) for the page "
            "to edit through pull requests and to be part of every build",
            err=True,
        )


def _serve(
    ctx: click.Context, project: Project, *, dev_addr: str, backend_port: int, drafts: bool
) -> None:
    from ..editor.local_backend import start_local_backend
    from .site_commands import preview_site

    host = dev_addr.rpartition(":")[0].strip("[]")
    if host not in LOOPBACK_HOSTS:
        raise click.UsageError(
            f"--dev-addr {dev_addr}: the local backend serves this computer only; use "
            "127.0.0.1:PORT"
        )
    backend = start_local_backend(project.root, port=backend_port)
    # Stopped as by Ctrl-C (the preview shuts down, then decap-server), not left running.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        mount = urlsplit(str(project.config.get("site_url") or "/")).path.rstrip("/")
        click.echo(f"edit the facts at http://{dev_addr}{mount}/admin/", err=True)
        click.echo(f"local backend (decap-server) at {backend.url}", err=True)
        preview_site(ctx, project, dev_addr=dev_addr, drafts=drafts, cms_port=backend_port)
    finally:
        signal.signal(signal.SIGTERM, previous)
        backend.stop()


def _interrupt(_signal: int, _frame: Any) -> None:
    raise KeyboardInterrupt
