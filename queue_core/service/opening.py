"""A site's service day and opening hours, read from its row, and whether a category issues
now: every use case and query asks here rather than assembling them again."""
from __future__ import annotations

from datetime import date, datetime

from ..adapters.orm import Category, Site
from ..domain import availability
from ..domain.calendar import Hours, day_bounds, local_time, parse_days, service_date
from ..domain.errors import DomainError


def today(site: Site, now: datetime) -> date:
    """The site's service day at `now`."""
    return service_date(now, site.timezone)


def days_span(site: Site, first: date, last: date | None = None) -> tuple[datetime, datetime]:
    """The moments of service days `first`..`last` (default `first`), half open."""
    return day_bounds(first, site.timezone, last)


def holidays(site: Site) -> frozenset[date]:
    """The holiday list apply-config stored (config.toml `holidays`)."""
    return parse_days((site.calling or {}).get("holidays") or ())


def site_hours(site: Site) -> Hours:
    return Hours.parse(site.opens, site.closes, site.weekdays, holidays(site))


def category_hours(site: Site, category: Category) -> Hours | None:
    """The category's enabled hours on the site's open days; None when it follows the site's."""
    return (Hours.parse_span(category.hours, site.weekdays, holidays(site))
            if category.hours else None)


def is_open(site: Site, now: datetime) -> bool:
    return site_hours(site).is_open(local_time(now, site.timezone))


def refusal(site: Site, category: Category, now: datetime, paused_because: str | None,
            issued_today: int) -> DomainError | None:
    """Why the category issues no ticket now (None: it does); see domain/availability.py."""
    return availability.refusal(availability.CategoryNow(
        code=category.code, local=local_time(now, site.timezone), site_hours=site_hours(site),
        category_hours=category_hours(site, category), paused_because=paused_because,
        issued_today=issued_today, daily_cap=category.daily_cap))
