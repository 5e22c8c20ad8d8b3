"""Service days and opening hours in the site's timezone."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Hours:
    """Daily opening hours; weekdays are ISO numbers (1 = Monday)."""

    opens: time
    closes: time
    weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})

    def is_open(self, local: datetime) -> bool:
        return (local.isoweekday() in self.weekdays
                and self.opens <= local.time().replace(tzinfo=None) < self.closes)


def local_time(now_utc: datetime, timezone: str) -> datetime:
    return now_utc.astimezone(ZoneInfo(timezone))


def service_date(now_utc: datetime, timezone: str) -> date:
    """The day a ticket belongs to: the calendar date in the site's timezone."""
    return local_time(now_utc, timezone).date()


def parse_hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))
