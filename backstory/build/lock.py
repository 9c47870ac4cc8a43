"""One build of a site at a time: a lock file in the site's work folder."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import BuildLocked


@contextlib.contextmanager
def build_lock(work_dir: Path) -> Iterator[None]:
    """Hold the site's build lock, or fail at once with a clear message when it is taken."""
    work_dir.mkdir(parents=True, exist_ok=True)
    lock_path = work_dir / "build.lock"
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildLocked(
                f"another build of this site is running ({holder}); wait for it to finish"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
