"""When things happened: a date (a day, a month or a year), perhaps a time of day and a time
zone, and the order of such moments.

Order: moments with a time are ordered by the instant they happened, time zones taken into
account; a day without a time comes before the timed moments of that day (from its midnight
in its time zone), a month before its days, a year before its months. Two moments at the same
instant keep the order of whatever key the caller adds (title, then id, for events).
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass

from .dates import PartialDateKey

UTC = "UTC"


@dataclass(frozen=True)
class Moment:
    """A date as a fact gives it, with its time of day and time zone where given."""

    date: str
    time: str | None = None
    timezone: str | None = None

    def zone(self, default_timezone: str) -> str:
        return self.timezone or default_timezone

    def instant(self, default_timezone: str) -> dt.datetime | None:
        """The moment as an aware datetime, when it has a time of day."""
        return _instant(self.date, self.time, self.zone(default_timezone))

    def sort_key(self, default_timezone: str) -> tuple[float, int]:
        """Orders moments as the module says: (seconds since the epoch, precision rank)."""
        return _sort_key(self.date, self.time, self.zone(default_timezone))


@functools.lru_cache(maxsize=65536)
def _instant(date: str, time: str | None, zone: str) -> dt.datetime | None:
    day = PartialDateKey.parse(date).full_date
    if time is None or day is None:
        return None
    hours, minutes = (int(part) for part in time.split(":"))
    return dt.datetime(day.year, day.month, day.day, hours, minutes, tzinfo=_zone(zone))


@functools.lru_cache(maxsize=65536)
def _sort_key(date: str, time: str | None, zone: str) -> tuple[float, int]:
    instant = _instant(date, time, zone)
    if instant is not None:
        return instant.timestamp(), 3
    key = PartialDateKey.parse(date)
    start = dt.datetime(key.year, key.month or 1, key.day or 1, tzinfo=_zone(zone))
    rank = 2 if key.day is not None else (1 if key.month is not None else 0)
    return start.timestamp(), rank


@functools.lru_cache(maxsize=512)
def _zone(name: str) -> dt.tzinfo:
    return dt.UTC if name == UTC else zoneinfo.ZoneInfo(name)
