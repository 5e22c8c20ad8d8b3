"""Which reason a category that cannot be taken shows: the hall's precedence, in one rule."""
from datetime import datetime

import pytest

from queue_core.domain.availability import CategoryNow, refusal
from queue_core.domain.calendar import Hours

MONDAY = datetime(2026, 11, 23, 9, 0)
SITE = Hours.parse("08:30", "17:30", "1,2,3,4,5")


def now(local=MONDAY, *, morning_only=False, paused=None, issued=0, cap=10) -> CategoryNow:
    return CategoryNow("tax", local, SITE, Hours.parse_span("08:30-12:00", SITE.weekdays)
                       if morning_only else None, paused, issued, cap)


@pytest.mark.parametrize("case, reason", [
    (now(), None),
    (now(issued=10), "daily_cap_reached"),
    (now(paused="午休", issued=10), "category_paused"),
    (now(MONDAY.replace(hour=13), morning_only=True, paused="午休", issued=10), "category_closed"),
    (now(MONDAY.replace(hour=18), morning_only=True, paused="午休", issued=10),
     "outside_opening_hours"),
    (now(datetime(2026, 11, 22, 10, 0), issued=10), "outside_opening_hours"),  # Sunday
])
def test_closed_hours_come_before_a_pause_and_a_pause_before_the_cap(case, reason):
    refused = refusal(case)
    assert (refused.code if refused else None) == reason


def test_the_refusal_names_the_hours_as_configured():
    late = refusal(now(MONDAY.replace(hour=18)))
    assert late.params == {"opens": "08:30", "closes": "17:30"}
    closed = refusal(now(MONDAY.replace(hour=13), morning_only=True))
    assert closed.params == {"category": "tax", "hours": "08:30-12:00"}


def test_a_hall_open_until_midnight_says_24_00():
    hours = Hours.parse("08:00", "24:00", [1, 2, 3, 4, 5, 6, 7])
    assert hours.is_open(MONDAY.replace(hour=23, minute=59))
    assert hours.span == "08:00-24:00" and hours.minutes == (480, 1440)


def test_a_holiday_closes_the_hall_all_day_and_says_so_first():
    hours = Hours.parse("08:30", "17:30", "1,2,3,4,5", ["2026-11-23"])
    assert not hours.is_open(MONDAY) and hours.is_holiday(MONDAY.date())
    assert hours.is_open(MONDAY.replace(day=24))           # the Tuesday after opens as usual
    refused = refusal(CategoryNow("tax", MONDAY, hours, None, "午休", 10, 10))
    assert refused.code == "closed_for_holiday" and refused.params == {"date": "2026-11-23"}
    # A holiday on a day the hall never opens says the same: the hall is closed that day.
    sunday = Hours.parse("08:30", "17:30", "1,2,3,4,5", ["2026-11-22"])
    assert refusal(CategoryNow("tax", datetime(2026, 11, 22, 10), sunday, None, None, 0, 10)
                   ).code == "closed_for_holiday"
