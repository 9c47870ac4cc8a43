"""The content manager's admin page, ``admin/``: Decap CMS, vendored from the npm registry at a
pinned version (``scripts/vendor_decap_cms.py``), with the configuration of its forms generated
from the content model (``cms_forms``) and Backstory's additions (``admin/backstory-cms.js``).

A site asks for the page in its builds with ``extra.backstory.cms`` in ``mkdocs.yml``, which also
names the GitHub repository that the production backend edits through pull requests (Decap's
editorial workflow). ``backstory cms`` writes the page on demand; ``backstory cms --serve``
serves it with the preview and Decap's local backend, which reads and writes ``content/``.

The page makes no request to any host but its own, the local backend on 127.0.0.1 and, with
the GitHub backend, GitHub's API: its Content-Security-Policy says so to the browser.
"""

from __future__ import annotations

import functools
import gzip
import html
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ..errors import ProjectError
from ..facts.load import yaml_document
from ..facts.media import MEDIA_FOLDER
from .cms_forms import collection_forms

ADMIN_FOLDER = "admin"
"""Where the admin page is published: ``<site>/admin/``."""
LOCAL_HOST = "127.0.0.1"
LOCAL_BACKEND_PORT = 8081
"""decap-server's port, unless told otherwise."""
BUNDLE = "decap-cms.js"
PAGE_MARKER = '<meta name="backstory-admin" content="no-live-reload">'
"""Marks the admin page, which the preview serves without its reload script: a reload would
interrupt an editor's work in the form."""

_SETTING = "extra.backstory.cms"
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_KEYS = ("repo", "branch", "base_url", "auth_endpoint")
GITHUB_HOSTS = {
    "connect": ("https://api.github.com", "https://www.githubstatus.com"),
    "img": ("https://avatars.githubusercontent.com",),
}
"""What Decap's GitHub backend reaches from the editor's browser: the API, the status page it
checks before saving, and the avatar it shows."""


@dataclass(frozen=True)
class CmsSettings:
    """``extra.backstory.cms`` in ``mkdocs.yml``: present, it asks for ``admin/`` in every build
    and configures the GitHub backend."""

    enabled: bool = False
    repo: str | None = None
    """The GitHub repository the production backend edits: ``owner/name``."""
    branch: str = "main"
    base_url: str | None = None
    """The OAuth client that signs editors in to GitHub (Decap's default is Netlify's)."""
    auth_endpoint: str | None = None


def cms_settings(config: dict[str, Any]) -> CmsSettings:
    """The content manager's settings of an ``mkdocs.yml`` mapping; ProjectError when wrong."""
    extra = config.get("extra")
    backstory = extra.get("backstory") if isinstance(extra, dict) else None
    value = backstory.get("cms") if isinstance(backstory, dict) else None
    if value is None or value is False:
        return CmsSettings()
    if not isinstance(value, dict):
        raise _setting_error("", "expected the settings of the content manager, such as repo:")
    unknown = sorted(str(key) for key in value if key not in _KEYS)
    if unknown:
        raise _setting_error(
            f".{unknown[0]}", "unknown setting; the settings are " + ", ".join(_KEYS)
        )
    for key in _KEYS:
        if key in value and not isinstance(value[key], str):
            raise _setting_error(f".{key}", "expected text")
    repo = value.get("repo")
    if repo is None or not _REPO.match(repo):
        raise _setting_error(".repo", "expected the GitHub repository as owner/name")
    base_url = value.get("base_url")
    if base_url is not None and not base_url.startswith("https://"):
        raise _setting_error(".base_url", "expected an https:// address")
    return CmsSettings(
        enabled=True,
        repo=repo,
        branch=value.get("branch") or "main",
        base_url=base_url,
        auth_endpoint=value.get("auth_endpoint"),
    )


def _setting_error(where: str, message: str) -> ProjectError:
    return ProjectError(f"mkdocs.yml: {_SETTING}{where}: {message}")


def cms_config(settings: CmsSettings, *, local_port: int = LOCAL_BACKEND_PORT) -> dict[str, Any]:
    """Decap CMS's configuration: the backends, the media folder and a form per collection."""
    backend: dict[str, Any] = {
        "name": "github",
        "repo": settings.repo or "owner/name",
        "branch": settings.branch,
    }
    if settings.base_url:
        backend["base_url"] = settings.base_url
    if settings.auth_endpoint:
        backend["auth_endpoint"] = settings.auth_endpoint
    return {
        "backend": backend,
        # Used only when the page is opened on this computer and decap-server answers there.
        "local_backend": {"url": _local_backend_url(local_port)},
        # Each edit a branch and a pull request (draft, in review, ready), checked by the same
        # CI as a hand edit; the local backend saves to the files directly.
        "publish_mode": "editorial_workflow",
        "media_folder": f"content/{MEDIA_FOLDER}",
        # What an image field gets: media/<file>, which facts may write for content/media/<file>.
        "public_folder": MEDIA_FOLDER,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": collection_forms(),
    }


def admin_files(
    settings: CmsSettings, *, site_name: str, local_port: int = LOCAL_BACKEND_PORT
) -> dict[str, str]:
    """Every file of the admin page, by path relative to ``admin/``."""
    return dict(_admin_files(settings, site_name, local_port))


@functools.lru_cache(maxsize=8)
def _admin_files(settings: CmsSettings, site_name: str, local_port: int) -> dict[str, str]:
    # Made once per process and settings: the preview plans the site again after every edit.
    config = (
        "# The content manager's configuration, generated by Backstory from the content model.\n"
        "# Do not edit: set extra.backstory.cms in mkdocs.yml and run backstory cms again.\n"
        + yaml_document(cms_config(settings, local_port=local_port))
    )
    return {
        "index.html": admin_page(site_name, local_port=local_port),
        "config.yml": config,
        "backstory-cms.js": _package_text("backstory-cms.js"),
        BUNDLE: bundle_text(),
        f"{BUNDLE}.LICENSE.txt": _package_text(f"{BUNDLE}.LICENSE.txt"),
        "LICENSE": _package_text("LICENSE"),
    }


def admin_page(site_name: str, *, local_port: int = LOCAL_BACKEND_PORT) -> str:
    """The admin page's HTML: Backstory's additions first (they hold Decap's start), then Decap."""
    title = html.escape(f"Edit the facts: {site_name}")
    policy = html.escape(content_security_policy(local_port), quote=False)
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <meta http-equiv="Content-Security-Policy" content="{policy}">
  {PAGE_MARKER}
  <title>{title}</title>
  <link rel="icon" href="data:,">
  <link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
  <script src="backstory-cms.js"></script>
  <script src="{BUNDLE}"></script>
</body>
</html>
"""


def content_security_policy(local_port: int) -> str:
    """What the admin page may load and reach. Decap needs ``'unsafe-eval'`` (its configuration
    is checked by compiled validators) and inline styles (its components style themselves)."""
    connect = " ".join(["'self'", _local_origin(local_port), *GITHUB_HOSTS["connect"]])
    images = " ".join(["'self'", "data:", "blob:", *GITHUB_HOSTS["img"]])
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src {images}",
            "font-src 'self' data:",
            f"connect-src {connect}",
            "frame-src 'none'",
            "object-src 'none'",
            "base-uri 'self'",
        ]
    )


def _local_origin(port: int) -> str:
    return f"http://{LOCAL_HOST}:{port}"


def _local_backend_url(port: int) -> str:
    return f"{_local_origin(port)}/api/v1"


@functools.lru_cache(maxsize=1)
def bundle_text() -> str:
    """Decap CMS's bundle, byte for byte the pinned npm package's ``dist/decap-cms.js``."""
    packed = resources.files("backstory.site").joinpath(ADMIN_FOLDER, f"{BUNDLE}.gz")
    return gzip.decompress(packed.read_bytes()).decode("utf-8")


def _package_text(name: str) -> str:
    return resources.files("backstory.site").joinpath(ADMIN_FOLDER, name).read_text("utf-8")
