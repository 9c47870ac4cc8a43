"""Work shared among forked worker processes: each child starts as a copy of the parent (on
Linux, without copying its memory until written), does its share and sends its results back.

Why fork and not a pool of fresh processes: the engine's settings, files, navigation and theme
take seconds to load on a large archive; a forked child has them already. Results travel back
as pickles over a pipe, in batches: they come from a copy of this very process, never from
outside.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import selectors
import signal
import struct
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


def return_freed_memory(*, collect: bool = False) -> None:
    """Give the memory this process freed back to the system, where the C library allows it
    (glibc's ``malloc_trim``; elsewhere nothing happens); with ``collect``, after a collection
    of the objects that only refer to each other (the engine's pages and navigation).

    Why: Python frees large objects (a rendered page's text) to the C library, which keeps the
    memory for later; workers forked next would start as copies of it. At a thousand stories,
    the build gave back about 120 MB once the rendered files were written."""
    if collect:
        gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


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
    receive: Callable[[Any], None] | None = None,
) -> list[list[Any]]:
    """Run ``work(share, results)`` for each share in a forked child; returns each child's
    ``results`` list, in the order of the shares. ``work`` appends to ``results`` as it goes, so
    that a failure still reports what was done (``WorkerFailed.partial``); the first failure
    is raised once every child has finished. With ``receive``, each result is given to it here
    as soon as it arrives (from any child, in the order each child made them) and not kept:
    the lists returned are then empty."""
    if gc.isenabled():  # a stage that paused the collector (see check.py) leaves it to the end
        gc.collect()
    gc.freeze()  # the children's collections then skip (and do not copy) the parent's objects
    children: list[tuple[int, int]] = []
    try:
        for share in shares:
            children.append(_fork(share, work))
        return _collect(children, receive)
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


BATCH = 64
"""Results a worker sends at a time: it keeps no more than this many (a first build's rendered
files are a hundred megabytes at a thousand stories), and the parent reads each batch as it
comes."""
_LENGTH = struct.Struct("<Q")


class _Outbox(list):  # type: ignore[type-arg]
    """The ``results`` a worker's ``work`` appends to: sent to the parent every ``BATCH``
    results, as a length-prefixed pickle, and forgotten here."""

    def __init__(self, stream: Any):
        super().__init__()
        self.stream = stream

    def append(self, item: Any) -> None:
        super().append(item)
        if len(self) >= BATCH:
            self.send()

    def extend(self, items: Any) -> None:
        for item in items:
            self.append(item)

    def send(self, *outcome: Any) -> None:
        _send(self.stream, ("results", list(self)))
        self.clear()
        if outcome:
            _send(self.stream, outcome)


def _send(stream: Any, message: tuple[Any, ...]) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)))
    stream.write(data)


def _child(share: Sequence[Any], work: Work, out: int) -> None:
    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops its children
        with os.fdopen(out, "wb") as stream:
            results = _Outbox(stream)
            try:
                work(share, results)
                outcome: tuple[Any, ...] = ("done",)
            except BaseException as error:
                outcome = ("failed", type(error).__name__, str(error), traceback.format_exc())
            results.send(*outcome)
    except BaseException:
        status = 1
    finally:
        os._exit(status)


class _Inbox:
    """What one worker sent so far: its results, read batch by batch as the bytes come, and
    its last message (None until it came)."""

    def __init__(self, receive: Callable[[Any], None] | None) -> None:
        self.pending = bytearray()
        self.results: list[Any] = []
        self.outcome: tuple[Any, ...] | None = None
        self.deliver = receive if receive is not None else self.results.append

    def receive(self, chunk: bytes) -> None:
        self.pending += chunk
        while len(self.pending) >= _LENGTH.size:
            (size,) = _LENGTH.unpack_from(self.pending)
            if len(self.pending) < _LENGTH.size + size:
                return
            message = pickle.loads(self.pending[_LENGTH.size : _LENGTH.size + size])
            del self.pending[: _LENGTH.size + size]
            if message[0] == "results":
                for result in message[1]:
                    self.deliver(result)
            else:
                self.outcome = message


def _collect(
    children: list[tuple[int, int]], receive: Callable[[Any], None] | None
) -> list[list[Any]]:
    """Read every child's pipe to its end (all at once, so that none waits on a full pipe),
    then wait for them."""
    inboxes: dict[int, _Inbox] = {fd: _Inbox(receive) for _, fd in children}
    with selectors.DefaultSelector() as selector:
        for _, fd in children:
            selector.register(fd, selectors.EVENT_READ)
        open_pipes = len(children)
        while open_pipes:
            for key, _ in selector.select():
                chunk = os.read(key.fd, 1 << 20)
                if chunk:
                    inboxes[key.fd].receive(chunk)
                else:
                    selector.unregister(key.fd)
                    os.close(key.fd)
                    open_pipes -= 1
    statuses = [os.waitpid(pid, 0)[1] for pid, _ in children]
    fds = [fd for _, fd in children]
    children.clear()
    for fd, status in zip(fds, statuses, strict=True):
        outcome = inboxes[fd].outcome
        if outcome is None:
            raise BuildError(f"a build worker stopped without a result ({_exit_reason(status)})")
        if outcome[0] == "failed":
            _, kind, message, details = outcome
            raise WorkerFailed(kind, message, details, inboxes[fd].results)
    return [inboxes[fd].results for fd in fds]


def _exit_reason(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
