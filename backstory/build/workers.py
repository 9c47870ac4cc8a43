"""Work shared among forked worker processes: each child starts as a copy of the parent (on
Linux, without copying its memory until written), does its share and sends its results back.

Why fork and not a pool of fresh processes: the engine's settings, files, navigation and theme
take seconds to load on a large archive; a forked child has them already. Results travel back
as pickles over a pipe: they come from a copy of this very process, never from outside.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import selectors
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ..errors import BuildError

Item = TypeVar("Item")


def available_cores() -> int:
    """The cores this process may run on (the default number of workers)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform != "darwin"


class WorkerFailed(Exception):
    """A worker raised: the exception's type name, its message and its traceback."""

    def __init__(self, kind: str, message: str, details: str, partial: Any):
        super().__init__(f"{kind}: {message}")
        self.kind, self.message, self.details = kind, message, details
        self.partial = partial
        """What the worker had done before it failed (``work``'s progress argument)."""


def run_forked(
    shares: Sequence[Sequence[Item]],
    work: Callable[[Sequence[Item], list[Any]], None],
) -> list[list[Any]]:
    """Run ``work(share, results)`` for each share in a forked child; returns each child's
    ``results`` list, in the order of the shares. ``work`` appends to ``results`` as it goes, so
    that a failure still reports what was done (``WorkerFailed.partial``); the first failure
    is raised once every child has finished."""
    if gc.isenabled():  # a stage that paused the collector (see check.py) leaves it to the end
        gc.collect()
    gc.freeze()  # the children's collections then skip (and do not copy) the parent's objects
    children: list[tuple[int, int]] = []
    try:
        for share in shares:
            children.append(_fork(share, work))
        return _collect(children)
    finally:
        gc.unfreeze()
        for pid, _ in children:
            with contextlib.suppress(ProcessLookupError, ChildProcessError):
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)


Work = Callable[[Sequence[Any], list[Any]], None]


def _fork(share: Sequence[Any], work: Work) -> tuple[int, int]:
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(reading)
        _child(share, work, writing)
    os.close(writing)
    return pid, reading


def _child(share: Sequence[Any], work: Work, out: int) -> None:
    status = 0
    results: list[Any] = []
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops its children
        try:
            work(share, results)
            outcome: tuple[Any, ...] = ("done", results)
        except BaseException as error:
            outcome = ("failed", type(error).__name__, str(error), traceback.format_exc(), results)
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(out, "wb") as stream:
            stream.write(data)
    except BaseException:
        status = 1
    finally:
        os._exit(status)


def _collect(children: list[tuple[int, int]]) -> list[list[Any]]:
    """Read every child's pipe to its end (all at once, so that none waits on a full pipe),
    then wait for them."""
    received: dict[int, bytearray] = {fd: bytearray() for _, fd in children}
    with selectors.DefaultSelector() as selector:
        for _, fd in children:
            selector.register(fd, selectors.EVENT_READ)
        open_pipes = len(children)
        while open_pipes:
            for key, _ in selector.select():
                chunk = os.read(key.fd, 1 << 20)
                if chunk:
                    received[key.fd] += chunk
                else:
                    selector.unregister(key.fd)
                    os.close(key.fd)
                    open_pipes -= 1
    outcomes = []
    for pid, fd in children:
        _, status = os.waitpid(pid, 0)
        if not received[fd]:
            raise BuildError(f"a build worker stopped without a result ({_exit_reason(status)})")
        outcomes.append(pickle.loads(bytes(received[fd])))
    children.clear()
    for outcome in outcomes:
        if outcome[0] == "failed":
            raise WorkerFailed(*outcome[1:])
    return [outcome[1] for outcome in outcomes]


def _exit_reason(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
