"""Whether a category issues a ticket now, and if not, why: the one rule behind the kiosk's
greyed-out buttons and issuing's refusals, so the two can never disagree."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .calendar import Hours
from .errors import (CategoryClosed, CategoryPaused, ClosedForHoliday, DailyCapReached,
                     DomainError, OutsideOpeningHours)


@dataclass(frozen=True)
class CategoryNow:
    """What the rule reads about one category at one moment (`local`: the site's time)."""

    code: str
    local: datetime
    site_hours: Hours
    category_hours: Hours | None  # its enabled hours, when narrower than the site's
    paused_because: str | None    # 暂停办理: the pause reason when no serving window is open
    issued_today: int
    daily_cap: int


def refusal(now: CategoryNow) -> DomainError | None:
    """The reason a ticket cannot be taken now, or None when it can.

    When several hold, the one a hall names first wins: a holiday (节假日休息, with the date),
    the hall closed (不在办理时间, with the hours to come back in), then the service outside its own hours, then the service paused
    (暂停办理: it may resume within minutes), then the daily cap (今日已取完). So a capped category
    after closing time reads 不在办理时间 on the kiosk and in issuing's refusal alike.
    """
    if now.site_hours.is_holiday(now.local.date()):
        return ClosedForHoliday(date=now.local.date().isoformat())
    if not now.site_hours.is_open(now.local):
        return OutsideOpeningHours(opens=now.site_hours.opens_text,
                                   closes=now.site_hours.closes_text)
    if now.category_hours is not None and not now.category_hours.is_open(now.local):
        return CategoryClosed(category=now.code, hours=now.category_hours.span)
    if now.paused_because is not None:
        return CategoryPaused(category=now.code, reason=now.paused_because)
    if now.issued_today >= now.daily_cap:
        return DailyCapReached(category=now.code, cap=now.daily_cap)
    return None
