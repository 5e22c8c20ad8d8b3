"""The arrivals outlook of the next open days, and its back-test, from the event log's issued
events: the site's history handed to queue_core.planning.forecast.

The days the hall is closed are the weekdays its opening hours leave out and its holiday list
(config.toml `holidays`): a holiday neither trains nor is tested nor forecast, and the outlook's
next open days skip it. A holiday that is not on the list is a day without events: it does not
train either (only recorded days do)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..adapters.orm import Event, Site
from ..domain.events import EventKind as E
from ..planning import erlang, forecast
from .opening import days_span, holidays, site_hours, today
from .queries import get_site
from .queue_state import categories_of, window_loads

OUTLOOK_DAYS = 3
WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def issued_history(session: Session, site: Site, first: date, last: date) -> list[forecast.Count]:
    """Tickets issued per service day, half hour and category, from the issued events."""
    zone = ZoneInfo(site.timezone)
    start, end = days_span(site, first, last)
    counts: dict[tuple[date, int, str], int] = defaultdict(int)
    for at, payload in session.execute(
            select(Event.at, Event.payload)
            .where(Event.site_id == site.id, Event.type == E.ISSUED, Event.at >= start,
                   Event.at < end)):
        local = at.astimezone(zone)
        slot = (local.hour * 60 + local.minute) // 30 * 30
        counts[(local.date(), slot, payload.get("category"))] += 1
    return [forecast.Count(d, slot, code, n) for (d, slot, code), n in counts.items() if code]


def _history(session: Session, site: Site, until: date) -> list[forecast.Count]:
    first = until - timedelta(days=forecast.FACTOR_WEEKS * 7 + 7)
    return issued_history(session, site, first, until)


def outlook(session: Session, site_code: str, now: datetime, *, target_minutes: float,
            target_share: float, backtest_days: int, days: int = OUTLOOK_DAYS) -> dict:
    """Expected arrivals per half hour and category on the next `days` open days, the windows
    each half hour needs for the target (Erlang C on the expected count, configured service
    times), a warning where that is more than the category's A windows, and the model's
    back-test on the last `backtest_days` recorded days."""
    site = get_site(session, site_code)
    day = today(site, now)
    weekdays, closed = site_hours(site).weekdays, holidays(site)
    history = _history(session, site, day)
    categories = {c.code: c for c in categories_of(session, site)}
    windows = window_loads(session, site)
    a_windows = {code: sum(1 for w in windows if c.id in w.a_ids) for code, c in categories.items()}
    out_days, warnings = [], []
    ahead = forecast.next_open_days(day, days, weekdays, closed)
    for d in ahead:
        f = forecast.forecast(history, d, open_weekdays=weekdays, holidays=closed)
        per_category = {}
        for code, c in categories.items():
            counts = {slot: n for (slot, k), n in f.counts.items() if k == code}
            needed = {slot: erlang.windows_for_target(n / 30 * c.service_minutes, c.service_minutes,
                                                      target_minutes, target_share)
                      for slot, n in counts.items()}
            per_category[code] = {
                "a_windows": a_windows[code], "surge_factor": f.factors.get(code, 1.0),
                "slots": [{"start": _hhmm(s), "arrivals": round(counts[s], 1),
                           "windows_needed": needed[s]} for s in sorted(counts)]}
            for run in forecast.window_shortfalls(needed, a_windows[code]):
                span = f"{_hhmm(run['start'])}–{_hhmm(run['end'])}"
                warnings.append({
                    "date": d.isoformat(), "category": code, "from": _hhmm(run["start"]),
                    "until": _hhmm(run["end"]), "more_windows": run["more"],
                    "text_zh": f"{WEEKDAYS_ZH[d.weekday()]} {span} {c.name_zh} 需增开 "
                               f"{run['more']} 个窗口",
                    "text_en": f"{WEEKDAYS_EN[d.weekday()]} {span} {c.name_en or code} needs "
                               f"{run['more']} more window{'s' if run['more'] > 1 else ''}"})
        out_days.append({"date": d.isoformat(), "weekday": d.isoweekday(), "surge": f.surge,
                         "based_on": [b.isoformat() for b in f.based_on],
                         "expected_arrivals": round(f.total(), 1), "categories": per_category})
    return {"today": day.isoformat(), "target_minutes": target_minutes,
            "target_share": target_share,
            "model": {"weeks": forecast.WEEKS, "factor_weeks": forecast.FACTOR_WEEKS,
                      "surge_days": [forecast.SURGE_DAYS.start, forecast.SURGE_DAYS.stop - 1],
                      # the holidays the outlook skipped
                      "holidays": [h.isoformat() for h in sorted(closed)
                                   if ahead and day < h < ahead[-1]]},
            "days": out_days, "warnings": warnings,
            "backtest": backtest(session, site, day, last=backtest_days)}


def backtest(session: Session, site: Site, day: date, *, last: int) -> dict:
    """The forecast's error on the last `last` recorded days before `day`, each predicted from
    the days before it."""
    first = day - timedelta(days=forecast.FACTOR_WEEKS * 7 + last * 2)
    history = issued_history(session, site, first, day - timedelta(days=1))
    return forecast.backtest(history, last=last, open_weekdays=site_hours(site).weekdays,
                             holidays=holidays(site))
