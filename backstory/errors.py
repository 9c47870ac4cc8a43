"""The user-facing failures of Backstory, as one family the command line maps to exit codes.

Every exception a user can cause and fix (bad content, a folder that is not a site, a build the
engine refuses, a deploy git rejects...) is a ``BackstoryError``. Anything else that escapes a
command is a bug: the command line says so and exits 3.
"""

from __future__ import annotations

from collections.abc import Iterable

from .diagnostics import Diagnostic


class BackstoryError(Exception):
    """A failure the user can act on; its message says what went wrong and, where it can, how
    to fix it."""

    exit_code = 1


class ContentError(BackstoryError):
    """Content problems stop a command; carries every diagnostic of the run."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(diagnostics)
        super().__init__(f"{len(self.diagnostics)} problem(s) in the content")


class ProjectError(BackstoryError):
    """The folder is not a Backstory site, or its ``mkdocs.yml`` cannot be read."""

    exit_code = 2

    def __init__(self, message: str, diagnostic: Diagnostic | None = None):
        super().__init__(message)
        self.diagnostic = diagnostic


class WriteError(BackstoryError):
    """A generated folder cannot be written safely."""


class BuildError(BackstoryError):
    """The site engine refused the generated pages."""


class BuildLocked(BuildError):
    """Another build of the same site is running."""


class EngineVersionError(BuildError):
    """The installed engine is not a version Backstory was tested with, where that matters."""


class ScaffoldError(BackstoryError):
    """A starter file or site cannot be made: a bad id, an id in use, a file that exists."""


class LocalBackendError(BackstoryError):
    """The content manager's local backend (decap-server) cannot be found or started."""


class DeployError(BackstoryError):
    """Publishing failed; the message says why (git's own words where git failed)."""

    def __init__(self, message: str, stderr: str = ""):
        super().__init__(message)
        self.stderr = stderr
