"""Statistics of a site over a range of service days, folded from the event log: per category,
window and staff member, arrivals per half hour and 好差评 against waiting time."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..adapters.concurrency import pause
from ..adapters.orm import Category, Event, Site, Staff, Window
from ..domain.errors import InvalidDateRange, InvalidInput
from ..domain.events import EventKind as E
from ..domain.stats import LoggedEvent, PeriodTally, Tally, half_hour_slots
from .opening import days_span, site_hours, today

MAX_DAYS = 366
EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)
REPORTED = (E.ISSUED, E.CALLED, E.FINISHED, E.NO_SHOW, E.TRANSFERRED, E.CANCELLED, E.EXPIRED,
            E.EVALUATED)


def site_report(session: Session, site: Site, first: date, last: date,
                now: datetime | None = None) -> dict:
    """The report of service days `first`..`last` (inclusive, in the site's timezone), as it
    stands at `now` (tickets still waiting then count toward 达标率 by their wait so far);
    without `now`, as at the end of the range."""
    days = (last - first).days + 1
    if days < 1 or days > MAX_DAYS:
        raise InvalidDateRange(first=first.isoformat(), last=last.isoformat(), max_days=MAX_DAYS)
    for field, day in (("from", first), ("to", last)):
        if not EARLIEST <= day <= LATEST:  # beyond these, local midnight has no UTC datetime
            raise InvalidInput(field=field, value=day.isoformat())
    zone = ZoneInfo(site.timezone)
    start, end = days_span(site, first, last)
    categories = list(session.scalars(select(Category).where(Category.site_id == site.id)
                                      .order_by(Category.position, Category.id)))
    tally = PeriodTally({c.code: c.wait_target_minutes for c in categories})
    rows = session.execute(
        select(Event.type, Event.at, Event.ticket_id, Event.staff_id, Event.payload)
        .where(Event.site_id == site.id, Event.at >= start, Event.at < end,
               Event.type.in_(REPORTED))
        .order_by(Event.seq))
    for n, (type_, at, ticket_id, staff_id, payload) in enumerate(rows):
        if n % 500 == 499:
            pause()  # a long range folds for seconds: let screens and issuing in meanwhile
        tally.add(LoggedEvent(type_, at.astimezone(zone), ticket_id, payload.get("window"),
                              staff_id, payload))
    tally.finish((min(now, end) if now is not None else end).astimezone(zone))
    return {
        "site": {"code": site.code, "name_zh": site.name_zh, "name_en": site.name_en,
                 "timezone": site.timezone},
        "from": first.isoformat(), "to": last.isoformat(), "days": days,
        "categories": _category_rows(categories, tally),
        "windows": _window_rows(session, site, tally),
        "staff": _staff_rows(session, tally),
        "totals": tally.totals().figures(),
        "arrivals": _arrivals(site, categories, tally, days),
        "satisfaction": tally.satisfaction.figures(),
    }


def _category_rows(categories: list[Category], tally: PeriodTally) -> list[dict]:
    known = {c.code for c in categories}
    rows = [{"category": c.code, "name_zh": c.name_zh, "name_en": c.name_en,
             "wait_target_minutes": c.wait_target_minutes, **tally.categories[c.code].figures()}
            for c in categories if c.enabled or _active(tally.categories.get(c.code))]
    # A category removed from the database altogether still shows under its code.
    rows += [{"category": code, "name_zh": code, "name_en": code, "wait_target_minutes": None,
              **row.figures()} for code, row in sorted(tally.categories.items())
             if code not in known]
    return rows


def _window_rows(session: Session, site: Site, tally: PeriodTally) -> list[dict]:
    windows = {w.number: w for w in session.scalars(
        select(Window).where(Window.site_id == site.id).order_by(Window.number))}
    numbers = sorted({n for n, w in windows.items() if w.enabled} | set(tally.windows))
    return [{"window": n,
             "name_zh": windows[n].name_zh if n in windows else "",
             "name_en": windows[n].name_en if n in windows else "",
             **tally.windows[n].figures()} for n in numbers]


def _staff_rows(session: Session, tally: PeriodTally) -> list[dict]:
    if not tally.staff:
        return []
    people = {s.id: s for s in session.scalars(select(Staff).where(Staff.id.in_(tally.staff)))}
    return sorted(({"staff_id": staff_id,
                    "username": people[staff_id].username if staff_id in people else "",
                    "name": people[staff_id].display_name if staff_id in people
                    else f"#{staff_id}", **row.figures()}
                   for staff_id, row in tally.staff.items()),
                  key=lambda r: (-r["served"], r["name"]))


def _active(row: Tally | None) -> bool:
    return row is not None and (row.issued or row.called or row.served or row.ratings)


def _arrivals(site: Site, categories: list[Category], tally: PeriodTally,
              days: int) -> list[dict]:
    """Tickets issued per half hour of the day (site time), from opening to closing and any
    slot outside them that had arrivals, summed over the days of the range."""
    hours = site_hours(site)
    closing = hours.minutes[1] - 1  # the last minute open ("24:00" → 23:59)
    slots = {hours.opens_text, f"{closing // 60:02d}:{closing % 60:02d}", *tally.arrivals}
    ordered = half_hour_slots(min(slots), max(slots))
    codes = [c.code for c in categories]
    totals = {slot: sum(tally.arrivals[slot].values()) for slot in ordered}
    return [{"slot": slot, "issued": totals[slot], "per_day": round(totals[slot] / days, 1),
             "by_category": {code: tally.arrivals[slot][code] for code in codes}}
            for slot in ordered]


def today_range(site: Site, now: datetime) -> tuple[date, date]:
    day = today(site, now)
    return day, day



# The report as tables (CSV export and the reports page): (key, zh, en) per column.
TABLES = ("categories", "windows", "staff", "arrivals", "satisfaction")
FIGURES = [
    ("issued", "取号", "Issued"), ("called", "呼叫", "Called"), ("served", "办结", "Served"),
    ("no_show", "过号", "No-shows"), ("transferred", "转办", "Transferred"),
    ("cancelled", "取消", "Cancelled"),
    ("avg_wait_minutes", "平均等候（分）", "Avg wait (min)"),
    ("p90_wait_minutes", "90%等候（分）", "P90 wait (min)"),
    ("within_target_share", "等候达标率", "Within wait target"),
    ("avg_service_minutes", "平均办理（分）", "Avg service (min)"),
    ("p90_service_minutes", "90%办理（分）", "P90 service (min)"),
    ("rated", "评价数", "Ratings"), ("avg_rating", "平均评分", "Avg rating"),
]
AT_WINDOWS = [c for c in FIGURES if c[0] not in ("issued", "cancelled")]
LEVEL_NAMES = {5: ("非常满意", "Very satisfied"), 4: ("满意", "Satisfied"),
               3: ("基本满意", "Acceptable"), 2: ("不满意", "Dissatisfied"),
               1: ("非常不满意", "Very dissatisfied")}
REASON_NAMES = {"long_wait": ("等候时间长", "Long wait"), "attitude": ("服务态度差", "Unfriendly staff"),
                "not_explained": ("解释不清楚", "Not explained clearly"),
                "not_resolved": ("事项未办成", "Matter not resolved"),
                "too_many_visits": ("多次跑腿", "Had to come back again"), "other": ("其他", "Other")}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def _name(row: dict, lang: str) -> str:
    return row["name_zh"] if lang == "zh" else (row["name_en"] or row["name_zh"])


def window_label(row: dict, lang: str) -> str:
    name = _name(row, lang)
    number = f"{row['window']}号窗口" if lang == "zh" else f"Window {row['window']}"
    return f"{number} {name}".strip() if name and name != number else number


def band_label(band: dict, lang: str) -> str:
    low, high = band["from_minutes"], band["to_minutes"]
    if high is None:
        return f"{low} 分钟以上" if lang == "zh" else f"{low}+ min"
    return f"{low}–{high} 分钟" if lang == "zh" else f"{low}–{high} min"


def report_table(report: dict, table: str, lang: str) -> tuple[list[tuple[str, str]], list[dict]]:
    """One table of a report: its columns as (key, label in `lang`) and its rows keyed alike."""
    if table == "categories":
        columns = [("category", ("业务类别", "Category")), ("code", ("代码", "Code")),
                   ("wait_target_minutes", ("等候目标（分）", "Wait target (min)"))]
        rows = [{**r, "category": _name(r, lang), "code": r["category"]}
                for r in report["categories"]]
        rows.append({**report["totals"], "category": _pick(("合计", "Total"), lang), "code": "",
                     "wait_target_minutes": None})
        figures = FIGURES
    elif table == "windows":
        columns = [("window", ("窗口", "Window"))]
        rows = [{**r, "window": window_label(r, lang)} for r in report["windows"]]
        figures = AT_WINDOWS
    elif table == "staff":
        columns = [("name", ("工作人员", "Staff")), ("username", ("账号", "Account"))]
        rows, figures = report["staff"], AT_WINDOWS
    elif table == "arrivals":
        names = {r["category"]: _name(r, lang) for r in report["categories"]}
        columns = [("slot", ("时段", "Half hour")), ("issued", ("取号", "Issued")),
                   ("per_day", ("日均", "Per day"))]
        columns += [(code, (name, name)) for code, name in names.items()]
        rows = [{"slot": r["slot"], "issued": r["issued"], "per_day": r["per_day"],
                 **r["by_category"]}
                for r in report["arrivals"]]
        figures = []
    elif table == "satisfaction":
        return _satisfaction_table(report["satisfaction"], lang)
    else:
        raise ValueError(table)
    labelled = [(key, _pick(pair, lang)) for key, pair in columns]
    labelled += [(key, _pick((zh, en), lang)) for key, zh, en in figures]
    return labelled, rows


def _satisfaction_table(figures: dict, lang: str) -> tuple[list[tuple[str, str]], list[dict]]:
    columns = [("group", _pick(("分组", "Group"), lang)), ("item", _pick(("项目", "Item"), lang)),
               ("count", _pick(("评价数", "Ratings"), lang)),
               ("avg_rating", _pick(("平均评分", "Avg rating"), lang)),
               ("satisfied_share", _pick(("满意率", "Satisfied share"), lang))]
    level, reason, band = (_pick(p, lang) for p in (("评价等级", "Level"), ("差评原因", "Bad rating reason"),
                                                   ("等候时长", "Wait")))
    rows = [{"group": level, "item": f"{n} {_pick(LEVEL_NAMES[n], lang)}",
             "count": figures["levels"][str(n)], "avg_rating": None, "satisfied_share": None}
            for n in sorted(LEVEL_NAMES, reverse=True)]
    rows += [{"group": reason, "item": _pick(REASON_NAMES.get(code, (code, code)), lang),
              "count": count, "avg_rating": None, "satisfied_share": None}
             for code, count in figures["bad_reasons"].items()]
    rows += [{"group": band, "item": band_label(b, lang), "count": b["rated"],
              "avg_rating": b["avg_rating"], "satisfied_share": b["satisfied_share"]}
             for b in figures["by_wait_band"]]
    rows.append({"group": _pick(("合计", "Total"), lang), "item": "", "count": figures["rated"],
                 "avg_rating": figures["avg_rating"], "satisfied_share": figures["satisfied_share"]})
    return columns, rows
