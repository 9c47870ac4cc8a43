"""Publish a built site folder to a branch of a git remote (GitHub Pages' ``gh-pages``, say).

Runs the ``git`` command line: the branch's last commit is fetched into a temporary repository,
its files are replaced by the site's (plus an empty ``.nojekyll``, so that GitHub Pages serves
folders that start with an underscore), and a commit is made and pushed only when a file changed.
The branch's history is kept and never force-pushed: if someone else pushed in between, git refuses
and the deploy fails with git's own message.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ..errors import DeployError

log = logging.getLogger(__name__)

DEFAULT_AUTHOR = "Backstory <backstory@localhost>"
DEFAULT_MESSAGE = "Publish the site with Backstory"
NOJEKYLL = ".nojekyll"
_AUTHOR = re.compile(r"^\s*([^<>]+?)\s*<([^<>\s]+)>\s*$")


@dataclass(frozen=True)
class DeployReport:
    """What a deploy did: the commit it pushed (None when nothing changed) and the files changed."""

    remote: str
    branch: str
    commit: str | None
    added: tuple[str, ...] = ()
    modified: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()

    @property
    def changed(self) -> tuple[str, ...]:
        """Every path the commit added, modified or deleted, sorted."""
        return tuple(sorted((*self.added, *self.modified, *self.deleted)))

    @property
    def published(self) -> bool:
        return self.commit is not None


def deploy_site(
    site_dir: Path,
    remote: str,
    branch: str = "gh-pages",
    message: str | None = None,
    *,
    author: str = DEFAULT_AUTHOR,
) -> DeployReport:
    """Make ``branch`` of ``remote`` hold exactly the files of ``site_dir`` (plus ``.nojekyll``);
    commit and push only when something changed. Raises DeployError."""
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        raise DeployError(f"there is no built site in {site_dir}: build the site first")
    name, email = _parse_author(author)
    shown_remote = redact(remote)
    with tempfile.TemporaryDirectory(prefix="backstory-deploy-") as folder:
        git = _Git(Path(folder), _environment(name, email), remote)
        git("init", "--quiet")
        for key, value in _REPOSITORY_SETTINGS.items():
            git("config", key, value)
        git("remote", "add", "origin", remote)
        git("symbolic-ref", "HEAD", f"refs/heads/{branch}")
        heads = git("ls-remote", "--heads", "origin", f"refs/heads/{branch}")
        if heads.strip():
            git("fetch", "--quiet", "--depth", "1", "origin", f"refs/heads/{branch}")
            # Only the index takes the branch's files: the work tree is filled from site_dir
            # below, so that a file the site no longer has shows as deleted.
            git("reset", "--quiet", "--mixed", "FETCH_HEAD")
        else:
            log.info("%s has no branch %s yet; it starts one", shown_remote, branch)
        _copy_site(site_dir, Path(folder))
        (Path(folder) / NOJEKYLL).write_bytes(b"")
        # --force: a .gitignore in the site, or the user's global excludes, must not hide a file.
        git("add", "--all", "--force", ".")
        added, modified, deleted = _staged_changes(git)
        if not (added or modified or deleted):
            log.info("%s %s already holds this site; nothing to publish", shown_remote, branch)
            return DeployReport(shown_remote, branch, None)
        git("commit", "--quiet", "--no-verify", "-m", message or DEFAULT_MESSAGE)
        commit = git("rev-parse", "HEAD").strip()
        git("push", "--quiet", "origin", f"HEAD:refs/heads/{branch}")
        log.info(
            "published %s to %s %s (%d files changed)",
            commit[:12],
            shown_remote,
            branch,
            len(added) + len(modified) + len(deleted),
        )
        return DeployReport(shown_remote, branch, commit, added, modified, deleted)


def redact(remote: str) -> str:
    """A remote URL without the password or token it may carry, for messages."""
    parts = urlsplit(remote)
    if parts.password is None:
        return remote
    host = parts.hostname or ""
    if parts.port is not None:
        host += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


_REPOSITORY_SETTINGS = {
    # A user's global settings must not change the published bytes or stop the commit.
    "core.autocrlf": "false",
    "core.safecrlf": "false",
    "core.symlinks": "true",
    "commit.gpgsign": "false",
}


class _Git:
    """Runs git in one repository; a failure becomes a DeployError with git's stderr."""

    def __init__(self, work_tree: Path, environment: dict[str, str], remote: str):
        self.work_tree = work_tree
        self.environment = environment
        self.remote = remote

    def __call__(self, *arguments: str) -> str:
        try:
            result = subprocess.run(
                ["git", *arguments],
                cwd=self.work_tree,
                env=self.environment,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                check=False,
            )
        except FileNotFoundError:
            raise DeployError("git is not installed or not on PATH: install it to deploy") from None
        if result.returncode != 0:
            stderr = result.stderr.replace(self.remote, redact(self.remote)).strip()
            reason = stderr or f"exit status {result.returncode}"
            raise DeployError(f"git {arguments[0]} failed: {reason}", stderr)
        return result.stdout


def _environment(name: str, email: str) -> dict[str, str]:
    environment = dict(os.environ)
    for variable in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        environment.pop(variable, None)  # set by a git hook that runs us; they would redirect git
    environment.update(
        GIT_AUTHOR_NAME=name,
        GIT_AUTHOR_EMAIL=email,
        GIT_COMMITTER_NAME=name,
        GIT_COMMITTER_EMAIL=email,
        GIT_TERMINAL_PROMPT="0",  # fail instead of waiting for a password nobody will type
    )
    return environment


def _parse_author(author: str) -> tuple[str, str]:
    match = _AUTHOR.match(author)
    if match is None:
        raise DeployError(f"the author {author!r} is not written 'Name <email>'")
    return match.group(1), match.group(2)


def _copy_site(site_dir: Path, work_tree: Path) -> None:
    for entry in sorted(site_dir.iterdir()):
        if entry.name == ".git":
            continue
        target = work_tree / entry.name
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, target, symlinks=True)
        else:
            shutil.copy2(entry, target, follow_symlinks=False)


def _staged_changes(git: _Git) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The paths the next commit adds, modifies and deletes (a rename counts as both)."""
    output = git("diff", "--cached", "--name-status", "--no-renames", "-z")
    fields = output.split("\0")
    changes: dict[str, list[str]] = {"A": [], "M": [], "D": []}
    for status, path in zip(fields[0::2], fields[1::2], strict=False):
        # A type change (file <-> symlink) is a modification of that path.
        changes.get(status[:1], changes["M"]).append(path)
    return tuple(sorted(changes["A"])), tuple(sorted(changes["M"])), tuple(sorted(changes["D"]))
