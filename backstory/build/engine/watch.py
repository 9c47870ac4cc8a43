"""File events for ``backstory serve``: which changes to the fact files, templates and settings
start a refresh of the preview."""

from __future__ import annotations

from watchdog import events
from watchdog.observers import Observer


class ChangeObserver(Observer):  # type: ignore[misc,valid-type]
    """A file-event observer that reports changes only, never reads.

    Why: the engine's server rebuilds on any event, and a build reads the files it watches;
    reporting reads would start a rebuild after every rebuild.
    """

    def schedule(self, event_handler, path, *, recursive=False, event_filter=None):  # type: ignore[no-untyped-def]
        return super().schedule(
            _FoldersAsChanges(event_handler),
            path,
            recursive=recursive,
            event_filter=event_filter or CHANGE_EVENTS,
        )


class _FoldersAsChanges(events.FileSystemEventHandler):
    """Passes a folder created, moved or deleted on as a change of that path.

    Why: the engine's server ignores folder events, but a ``templates/`` folder that appears
    while the preview runs must start a refresh (which then watches the new folder too).
    """

    def __init__(self, handler: events.FileSystemEventHandler):
        self.handler = handler

    def dispatch(self, event: events.FileSystemEvent) -> None:
        if event.is_directory:
            event = events.FileModifiedEvent(event.src_path)
        self.handler.dispatch(event)


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
