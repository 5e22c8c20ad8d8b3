"""A clock that moves only when told to: tests set the hall's time (the app takes any Clock)."""
from __future__ import annotations

from datetime import datetime, timedelta


class FixedClock:
    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> datetime:
        self._now += timedelta(**delta)
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment
