"""Put a finished site folder in place in one step, so that a build killed at any moment leaves
the old site or the new one, never a mix or nothing."""

from __future__ import annotations

import ctypes
import os
import shutil
from pathlib import Path

_RENAME_EXCHANGE = 2


def exchange(first: Path, second: Path) -> bool:
    """Swap two directories in one atomic step (Linux renameat2); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(
        at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), _RENAME_EXCHANGE
    )
    return bool(result == 0)


def swap_into_place(staging: Path, site_dir: Path, work_dir: Path) -> None:
    """Replace ``site_dir`` with ``staging``, never by copying over it.

    Where the atomic exchange is unavailable, two renames are used, and a build that was killed
    between them is repaired by the next one (see recover_site).
    """
    retired = work_dir / "site-retired"
    shutil.rmtree(retired, ignore_errors=True)
    if site_dir.exists() and exchange(staging, site_dir):
        shutil.rmtree(staging, ignore_errors=True)
        return
    if site_dir.exists():
        os.replace(site_dir, retired)
    os.replace(staging, site_dir)
    shutil.rmtree(retired, ignore_errors=True)


def recover_site(site_dir: Path, work_dir: Path) -> None:
    """Put the last good site back if a build was killed between its two renames."""
    retired = work_dir / "site-retired"
    if not site_dir.exists() and retired.is_dir():
        os.replace(retired, site_dir)
