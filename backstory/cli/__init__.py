"""The ``backstory`` command line: a thin click wrapper over the library. It owns the terminal.

``app`` holds the group, its options, how problems are printed and how failures become exit
codes; ``site_commands``, ``editor_commands`` and ``cms_commands`` hold the commands, each
importing only what it uses when it runs.

May import: every other part of the package.
"""

from __future__ import annotations

import sys

from . import cms_commands, editor_commands, i18n_commands, site_commands
from .app import cli

__all__ = ["cli", "cms_commands", "editor_commands", "i18n_commands", "main", "site_commands"]


def main() -> None:
    """Entry point of the ``backstory`` script."""
    sys.exit(cli.main(prog_name="backstory"))
