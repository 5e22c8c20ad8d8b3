"""Service days and opening hours in the site's timezone: the one place either is worked out."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

END_OF_DAY = "24:00"  # a closing time: open until midnight
WORKING_WEEK = frozenset({1, 2, 3, 4, 5})


@dataclass(frozen=True)
class Hours:
    """Daily opening hours; weekdays are ISO numbers (1 = Monday); holidays are dates the hall
    is closed although they fall on one of its weekdays (法定节假日)."""

    opens: time
    closes: time
    weekdays: frozenset[int] = WORKING_WEEK
    holidays: frozenset[date] = frozenset()

    @classmethod
    def parse(cls, opens: str, closes: str, weekdays: Iterable[int] | str = WORKING_WEEK,
              holidays: Iterable[date | str] = ()) -> Hours:
        """From configured text: 'HH:MM' times ('24:00' closes at midnight), the weekdays
        as numbers or as stored ('1,2,3,4,5') and the holidays as dates or 'YYYY-MM-DD'."""
        if isinstance(weekdays, str):
            weekdays = (int(d) for d in weekdays.split(","))
        return cls(parse_hhmm_or_midnight(opens), parse_hhmm_or_midnight(closes),
                   frozenset(weekdays), parse_days(holidays))

    @classmethod
    def parse_span(cls, span: str, weekdays: Iterable[int] | str = WORKING_WEEK,
                   holidays: Iterable[date | str] = ()) -> Hours:
        """From 'HH:MM-HH:MM' (a category's enabled hours)."""
        opens, closes = span.split("-")
        return cls.parse(opens, closes, weekdays, holidays)

    def is_holiday(self, day: date) -> bool:
        return day in self.holidays

    def is_open_day(self, day: date) -> bool:
        return day.isoweekday() in self.weekdays and day not in self.holidays

    def is_open(self, local: datetime) -> bool:
        return (self.is_open_day(local.date())
                and self.opens <= local.time().replace(tzinfo=None) < self.closes)

    @property
    def opens_text(self) -> str:
        return hhmm(self.opens)

    @property
    def closes_text(self) -> str:
        return hhmm(self.closes)

    @property
    def span(self) -> str:
        """'08:30-17:30', as configured."""
        return f"{self.opens_text}-{self.closes_text}"

    @property
    def minutes(self) -> tuple[int, int]:
        """Opening and closing as minutes after midnight (closing at '24:00' is 1440)."""
        return hhmm_minutes(self.opens_text), hhmm_minutes(self.closes_text)


def local_time(now_utc: datetime, timezone: str) -> datetime:
    return now_utc.astimezone(ZoneInfo(timezone))


def service_date(now_utc: datetime, timezone: str) -> date:
    """The day a ticket belongs to: the calendar date in the site's timezone."""
    return local_time(now_utc, timezone).date()


def local_moment(day: date, at: time, timezone: str) -> datetime:
    """The aware datetime of a wall-clock time on a service day at the site."""
    return datetime.combine(day, at, ZoneInfo(timezone))


def day_bounds(first: date, timezone: str, last: date | None = None) -> tuple[datetime, datetime]:
    """From the start of service day `first` to the start of the day after `last` (default
    `first`): the half-open span of moments those days cover, as aware datetimes."""
    start = local_moment(first, time(0), timezone)
    return start, local_moment((last or first) + timedelta(days=1), time(0), timezone)


def minutes_after_midnight(local: datetime) -> float:
    return local.hour * 60 + local.minute + local.second / 60 + local.microsecond / 60e6


def parse_hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def parse_hhmm_or_midnight(text: str) -> time:
    """'24:00' means the end of the day."""
    return time.max if text == END_OF_DAY else parse_hhmm(text)


def hhmm(at: time) -> str:
    return END_OF_DAY if at == time.max else at.strftime("%H:%M")


def parse_days(days: Iterable[date | str]) -> frozenset[date]:
    """Dates as given, or as stored ('YYYY-MM-DD')."""
    return frozenset(d if isinstance(d, date) else date.fromisoformat(d) for d in days)


def hhmm_minutes(text: str) -> int:
    """Minutes after midnight of 'HH:MM' ('24:00' is 1440)."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)
