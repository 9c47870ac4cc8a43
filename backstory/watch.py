"""Watches fact files and templates during ``backstory serve`` and regenerates the pages when
they change; the engine's server then notices the new pages and reloads the browser."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from watchdog import events
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

READ_ONLY_EVENTS = ("opened", "closed_no_write")
"""Reading a file changes nothing; reacting to it would rebuild after every build that reads."""

DEBOUNCE_SECONDS = 0.1
"""Editors save a file in several writes; wait this long for them to settle."""


class _Changed(FileSystemEventHandler):
    def __init__(self, changed: threading.Event):
        self.changed = changed

    def on_any_event(self, event: FileSystemEvent) -> None:
        path = str(event.src_path)
        if event.event_type in READ_ONLY_EVENTS or event.is_directory:
            return
        if "/." in path or path.endswith("~"):
            return
        self.changed.set()


def watch_sources(
    folders: list[Path], regenerate: Callable[[], object], stop: threading.Event
) -> threading.Thread:
    """Start a thread that calls ``regenerate`` after files under ``folders`` change."""
    changed = threading.Event()
    observer = Observer()
    for folder in folders:
        if folder.is_dir():
            observer.schedule(_Changed(changed), str(folder), recursive=True)
    observer.start()

    def loop() -> None:
        try:
            while not stop.is_set():
                if changed.wait(timeout=0.5):
                    stop.wait(DEBOUNCE_SECONDS)
                    changed.clear()
                    regenerate()
        finally:
            observer.stop()
            observer.join(timeout=2)

    thread = threading.Thread(target=loop, name="backstory-watch", daemon=True)
    thread.start()
    return thread


class ChangeObserver(Observer):  # type: ignore[misc,valid-type]
    """A file-event observer that reports changes only, never reads."""

    def schedule(self, event_handler, path, *, recursive=False, event_filter=None):  # type: ignore[no-untyped-def]
        return super().schedule(
            event_handler, path, recursive=recursive, event_filter=event_filter or CHANGE_EVENTS
        )


CHANGE_EVENTS = [
    events.FileCreatedEvent,
    events.FileModifiedEvent,
    events.FileMovedEvent,
    events.FileDeletedEvent,
    events.FileClosedEvent,
    events.DirCreatedEvent,
    events.DirDeletedEvent,
    events.DirMovedEvent,
]
