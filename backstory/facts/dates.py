"""Dates as the facts give them: a full day, or only a month or a year, and how they sort."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass


@dataclass(frozen=True)
class PartialDateKey:
    """Sort key and display precision of a date given as ``2020``, ``2020-01`` or ``2020-01-13``."""

    year: int
    month: int | None
    day: int | None

    @classmethod
    def parse(cls, text: str) -> PartialDateKey:
        return _parse_partial_date(text)

    @property
    def sort_key(self) -> tuple[int, int, int]:
        # A month or a year sorts before the days it contains.
        return (self.year, self.month or 0, self.day or 0)

    @property
    def first_day(self) -> dt.date:
        """The first day the date may mean: the day, or the first of its month or year."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def full_date(self) -> dt.date | None:
        """The day, when the date gives one."""
        if self.month is None or self.day is None:
            return None
        return dt.date(self.year, self.month, self.day)


@functools.lru_cache(maxsize=65536)
def _parse_partial_date(text: str) -> PartialDateKey:
    # Cached: sorting events asks for the same few thousand dates again and again.
    parts = [int(part) for part in text.split("-")]
    return PartialDateKey(
        parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None
    )
