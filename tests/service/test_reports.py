"""Reports against hand-computed days: two service days of a small hall driven through the use
cases on a set clock, and every figure checked against what a person works out on paper."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from queue_core.adapters.orm import Device, Site
from queue_core.domain.errors import InvalidDateRange, InvalidInput
from queue_core.domain.model import Action
from queue_core.service import accounts, calling, queries
from queue_core.service.reports import report_table, site_report

from .helpers import act, call, issue, staff_window

SHANGHAI = timezone(timedelta(hours=8))
MONDAY, TUESDAY = date(2026, 11, 23), date(2026, 11, 24)


def at(day: date, hhmm: str) -> datetime:
    hours, minutes = hhmm.split(":")
    return datetime(day.year, day.month, day.day, int(hours), int(minutes), tzinfo=SHANGHAI)


class Day:
    """Moves the clock to a local time of the day, then runs a use case."""

    def __init__(self, hall, clock, day: date) -> None:
        self.hall, self.clock, self.day = hall, clock, day

    def __call__(self, hhmm: str) -> "Day":
        self.clock.set(at(self.day, hhmm).astimezone(timezone.utc))
        return self


def evaluator(hall, window: int):
    with hall.db.writer() as session:
        site = session.scalars(select(Site).where(Site.code == "test")).one()
        device = Device(site_id=site.id, code=f"pad-{window}", kind="evaluator_screen",
                        name=f"{window}号窗口评价器", settings={"window": window})
        session.add(device)
        session.commit()
        return accounts.device_actor(device)


def rate(hall, ticket: dict, level: int, pad, reason: str | None = None) -> None:
    calling.evaluate(hall.uow(), "test", ticket["id"], level, reason, pad)


def report(hall, first: date, last: date) -> dict:
    with hall.db.reader() as session:
        return site_report(session, queries.get_site(session, "test"), first, last)


def row(rows: list[dict], key: str, value) -> dict:
    return next(r for r in rows if r[key] == value)


def figures(r: dict) -> dict:
    keys = ("issued", "called", "served", "no_show", "transferred", "cancelled",
            "avg_wait_minutes", "p90_wait_minutes", "within_target_share",
            "avg_service_minutes", "p90_service_minutes", "rated", "avg_rating")
    return {k: r[k] for k in keys}


def run_monday(hall, clock, people, kiosk) -> dict:
    """Monday (local times): windows 1 (staff1, A social) and 3 (staff2, A tax) open at 09:00.

    A001 09:00 → called 09:04 (wait 4) by w1, served 09:05–09:11 (6), rated 5
    A002 09:10 → called 09:13 (wait 3), served 09:13–09:20 (7), rated 2 long_wait
    B001 09:20 → called 09:25 (wait 5) by w3, started 09:26, transferred to social 09:30;
                 called again 09:45 by w1 (not a second wait), served 09:46–09:56 (10), rated 4
    A003 09:40 → called 09:58 (wait 18), recalled 10:00, no-show 10:02
    A004 09:50 → called 10:15 (wait 25, over the 20 min target), served 10:15–10:28 (13),
                 rated 1 attitude
    A005 10:05 → cancelled 10:06 while waiting
    """
    t = Day(hall, clock, MONDAY)
    staff1, staff2 = people["staff1"], people["staff2"]
    t("09:00")
    staff_window(hall, 1, staff1)
    staff_window(hall, 3, staff2)
    pad1 = evaluator(hall, 1)
    a001 = issue(hall, kiosk, "social")
    t("09:04")
    assert call(hall, 1, staff1)["number"] == "A001"
    t("09:05")
    act(hall, a001["id"], Action.START, staff1)
    t("09:10")
    a002 = issue(hall, kiosk, "social")
    t("09:11")
    act(hall, a001["id"], Action.FINISH, staff1)
    rate(hall, a001, 5, pad1)
    t("09:13")
    assert call(hall, 1, staff1)["number"] == "A002"
    act(hall, a002["id"], Action.START, staff1)
    t("09:20")
    b001 = issue(hall, kiosk, "tax")
    act(hall, a002["id"], Action.FINISH, staff1)
    rate(hall, a002, 2, pad1, "long_wait")
    t("09:25")
    assert call(hall, 3, staff2)["number"] == "B001"
    t("09:26")
    act(hall, b001["id"], Action.START, staff2)
    t("09:30")
    calling.transfer(hall.uow(), "test", b001["id"], staff2, to_category="social")
    t("09:40")
    a003 = issue(hall, kiosk, "social")
    t("09:45")
    assert call(hall, 1, staff1)["number"] == "B001"  # queued at 09:20, before A003
    t("09:46")
    act(hall, b001["id"], Action.START, staff1)
    t("09:50")
    a004 = issue(hall, kiosk, "social")
    t("09:56")
    act(hall, b001["id"], Action.FINISH, staff1)
    t("09:57")
    rate(hall, b001, 4, pad1)
    t("09:58")
    assert call(hall, 1, staff1)["number"] == "A003"
    t("10:00")
    act(hall, a003["id"], Action.RECALL, staff1)
    t("10:02")
    act(hall, a003["id"], Action.NO_SHOW, staff1)
    t("10:05")
    a005 = issue(hall, kiosk, "social")
    t("10:06")
    act(hall, a005["id"], Action.CANCEL, staff1)
    t("10:15")
    assert call(hall, 1, staff1)["number"] == "A004"
    act(hall, a004["id"], Action.START, staff1)
    t("10:28")
    act(hall, a004["id"], Action.FINISH, staff1)
    rate(hall, a004, 1, pad1, "attitude")
    return {"pad1": pad1}


def run_tuesday(hall, clock, people, kiosk) -> None:
    """Tuesday, the hall opens at 07:00 (before midnight UTC, 23:00 Monday UTC):

    B001 07:10 → called 07:50 by w3 (wait 40), served 07:50–08:05 (15), rated 3
    A001 07:40 → still waiting at the end
    """
    with hall.db.writer() as session:
        session.scalars(select(Site).where(Site.code == "test")).one().opens = "07:00"
        session.commit()
    t = Day(hall, clock, TUESDAY)
    staff2 = people["staff2"]
    pad3 = evaluator(hall, 3)
    t("07:10")
    b001 = issue(hall, kiosk, "tax")
    assert b001["number"] == "B001"
    t("07:40")
    issue(hall, kiosk, "social")
    t("07:45")
    staff_window(hall, 3, staff2)
    t("07:50")
    assert call(hall, 3, staff2)["number"] == "B001"
    act(hall, b001["id"], Action.START, staff2)
    t("08:05")
    act(hall, b001["id"], Action.FINISH, staff2)
    t("08:06")
    rate(hall, b001, 3, pad3)


def test_a_monday_by_category_matches_the_hand_computed_figures(hall, clock, people, kiosk):
    run_monday(hall, clock, people, kiosk)
    monday = report(hall, MONDAY, MONDAY)
    assert (monday["from"], monday["to"], monday["days"]) == ("2026-11-23", "2026-11-23", 1)
    social = row(monday["categories"], "category", "social")
    # first waits 4, 3, 18, 25 (B001's second call is no new wait); services 6, 7, 10, 13
    assert figures(social) == {
        "issued": 5, "called": 5, "served": 4, "no_show": 1, "transferred": 0, "cancelled": 1,
        "avg_wait_minutes": 12.5, "p90_wait_minutes": 25.0, "within_target_share": 0.75,
        "avg_service_minutes": 9.0, "p90_service_minutes": 13.0, "rated": 4, "avg_rating": 3.0}
    tax = row(monday["categories"], "category", "tax")
    assert figures(tax) == {
        "issued": 1, "called": 1, "served": 0, "no_show": 0, "transferred": 1, "cancelled": 0,
        "avg_wait_minutes": 5.0, "p90_wait_minutes": 5.0, "within_target_share": 1.0,
        "avg_service_minutes": None, "p90_service_minutes": None, "rated": 0, "avg_rating": None}
    realty = row(monday["categories"], "category", "realty")
    assert (realty["issued"], realty["avg_wait_minutes"], realty["within_target_share"]) == (0, None, None)
    # waits 3, 4, 5, 18, 25: p90 is the 5th of 5; 4 of 5 within their category's target
    assert figures(monday["totals"]) == {
        "issued": 6, "called": 6, "served": 4, "no_show": 1, "transferred": 1, "cancelled": 1,
        "avg_wait_minutes": 11.0, "p90_wait_minutes": 25.0, "within_target_share": 0.8,
        "avg_service_minutes": 9.0, "p90_service_minutes": 13.0, "rated": 4, "avg_rating": 3.0}


def test_a_monday_by_window_and_staff_member(hall, clock, people, kiosk):
    run_monday(hall, clock, people, kiosk)
    monday = report(hall, MONDAY, MONDAY)
    assert [w["window"] for w in monday["windows"]] == [1, 2, 3, 4]
    one = figures(row(monday["windows"], "window", 1))
    assert one == {
        "issued": 0, "called": 5, "served": 4, "no_show": 1, "transferred": 0, "cancelled": 0,
        "avg_wait_minutes": 12.5, "p90_wait_minutes": 25.0, "within_target_share": 0.75,
        "avg_service_minutes": 9.0, "p90_service_minutes": 13.0, "rated": 4, "avg_rating": 3.0}
    three = figures(row(monday["windows"], "window", 3))
    assert three == {
        "issued": 0, "called": 1, "served": 0, "no_show": 0, "transferred": 1, "cancelled": 0,
        "avg_wait_minutes": 5.0, "p90_wait_minutes": 5.0, "within_target_share": 1.0,
        "avg_service_minutes": None, "p90_service_minutes": None, "rated": 0, "avg_rating": None}
    assert row(monday["windows"], "window", 2)["called"] == 0
    # Staff: the same work as their windows; the cancel of a waiting ticket is nobody's row.
    assert [s["username"] for s in monday["staff"]] == ["staff1", "staff2"]
    assert figures(monday["staff"][0]) == one
    assert figures(monday["staff"][1]) == three
    assert monday["staff"][0]["name"] == "Staff1"


def test_a_monday_arrivals_per_half_hour_in_local_time(hall, clock, people, kiosk):
    run_monday(hall, clock, people, kiosk)
    arrivals = report(hall, MONDAY, MONDAY)["arrivals"]
    # opening 08:30 to the half hour before closing (17:30)
    assert [a["slot"] for a in arrivals][:4] == ["08:30", "09:00", "09:30", "10:00"]
    assert arrivals[-1]["slot"] == "17:00" and len(arrivals) == 18
    counted = {a["slot"]: (a["issued"], a["by_category"]) for a in arrivals if a["issued"]}
    assert counted == {"09:00": (3, {"social": 2, "tax": 1, "realty": 0}),
                       "09:30": (2, {"social": 2, "tax": 0, "realty": 0}),
                       "10:00": (1, {"social": 1, "tax": 0, "realty": 0})}


def test_a_monday_satisfaction_and_its_link_to_the_wait(hall, clock, people, kiosk):
    run_monday(hall, clock, people, kiosk)
    satisfaction = report(hall, MONDAY, MONDAY)["satisfaction"]
    assert satisfaction["rated"] == 4
    assert satisfaction["levels"] == {"1": 1, "2": 1, "3": 0, "4": 1, "5": 1}
    assert (satisfaction["avg_rating"], satisfaction["satisfied_share"]) == (3.0, 0.5)
    assert satisfaction["bad_reasons"] == {"long_wait": 1, "attitude": 1}
    # A001 waited 4 (5), A002 3 (2), B001 5 at its first call (4), A004 25 (1)
    assert [(b["from_minutes"], b["to_minutes"], b["rated"], b["avg_rating"], b["satisfied_share"])
            for b in satisfaction["by_wait_band"]] == [
        (0, 5, 2, 3.5, 0.5), (5, 15, 1, 4.0, 1.0), (15, 30, 1, 1.0, 0.0), (30, None, 0, None, None)]


def test_two_days_add_up_and_a_day_ends_at_local_midnight(hall, clock, people, kiosk):
    run_monday(hall, clock, people, kiosk)
    run_tuesday(hall, clock, people, kiosk)
    # Tuesday 07:10 in Shanghai is Monday 23:10 UTC: it belongs to Tuesday only.
    monday = report(hall, MONDAY, MONDAY)
    assert monday["totals"]["issued"] == 6
    assert row(monday["categories"], "category", "tax")["issued"] == 1
    tuesday = report(hall, TUESDAY, TUESDAY)
    assert figures(row(tuesday["categories"], "category", "tax")) == {
        "issued": 1, "called": 1, "served": 1, "no_show": 0, "transferred": 0, "cancelled": 0,
        "avg_wait_minutes": 40.0, "p90_wait_minutes": 40.0, "within_target_share": 0.0,
        "avg_service_minutes": 15.0, "p90_service_minutes": 15.0, "rated": 1, "avg_rating": 3.0}
    assert {a["slot"]: a["issued"] for a in tuesday["arrivals"] if a["issued"]} == {
        "07:00": 1, "07:30": 1}

    both = report(hall, MONDAY, TUESDAY)
    assert both["days"] == 2
    tax = row(both["categories"], "category", "tax")
    # waits 5 and 40: p90 is the 2nd of 2; one of two within 25 minutes
    assert figures(tax) == {
        "issued": 2, "called": 2, "served": 1, "no_show": 0, "transferred": 1, "cancelled": 0,
        "avg_wait_minutes": 22.5, "p90_wait_minutes": 40.0, "within_target_share": 0.5,
        "avg_service_minutes": 15.0, "p90_service_minutes": 15.0, "rated": 1, "avg_rating": 3.0}
    assert row(both["categories"], "category", "social")["issued"] == 6
    # waits 3, 4, 5, 18, 25, 40 → mean 95/6, p90 the 6th of 6; 4 of 7 within target: Tuesday's
    # A001, never called, waited past its target by the day's end (a missed one too);
    # services 6, 7, 10, 13, 15 → mean 10.2, p90 the 5th of 5
    assert figures(both["totals"]) == {
        "issued": 8, "called": 7, "served": 5, "no_show": 1, "transferred": 1, "cancelled": 1,
        "avg_wait_minutes": 15.8, "p90_wait_minutes": 40.0, "within_target_share": 0.571,
        "avg_service_minutes": 10.2, "p90_service_minutes": 15.0, "rated": 5, "avg_rating": 3.0}
    staff2 = row(both["staff"], "username", "staff2")
    assert (staff2["called"], staff2["served"], staff2["avg_wait_minutes"], staff2["rated"]) == (
        2, 1, 22.5, 1)
    assert {a["slot"]: (a["issued"], a["per_day"]) for a in both["arrivals"] if a["issued"]} == {
        "07:00": (1, 0.5), "07:30": (1, 0.5), "09:00": (3, 1.5), "09:30": (2, 1.0),
        "10:00": (1, 0.5)}
    satisfaction = both["satisfaction"]
    assert (satisfaction["rated"], satisfaction["satisfied_share"]) == (5, 0.6)
    assert satisfaction["by_wait_band"][3]["rated"] == 1  # B001 of Tuesday waited 40 minutes


def test_tables_for_export_label_every_column_in_the_callers_language(hall, clock, people, kiosk):
    run_monday(hall, clock, people, kiosk)
    monday = report(hall, MONDAY, MONDAY)
    columns, rows = report_table(monday, "categories", "zh")
    assert dict(columns)["p90_wait_minutes"] == "90%等候（分）"
    assert [r["category"] for r in rows] == ["社保医保", "税务办理", "不动产登记", "合计"]
    columns, rows = report_table(monday, "windows", "en")
    assert rows[0]["window"] == "Window 1" and "issued" not in dict(columns)
    columns, rows = report_table(monday, "satisfaction", "zh")
    assert {(r["group"], r["item"]): r["count"] for r in rows}[("差评原因", "服务态度差")] == 1


@pytest.mark.parametrize("first,last", [(TUESDAY, MONDAY), (MONDAY, MONDAY + timedelta(days=366))])
def test_a_backwards_or_too_long_range_is_refused(hall, first, last):
    with pytest.raises(InvalidDateRange):
        report(hall, first, last)


def test_todays_stats_come_from_the_same_figures(hall, clock, people, kiosk):
    run_monday(hall, clock, people, kiosk)
    with hall.db.reader() as session:
        today = queries.stats_today(session, queries.get_site(session, "test"), clock.now())
    social = row(today["categories"], "category", "social")
    assert (social["issued"], social["served"], social["p90_wait_minutes"],
            social["within_target_share"], social["waiting"]) == (5, 4, 25.0, 0.75, 0)
    assert today["totals"]["issued"] == 6


def todays_share(hall, clock) -> tuple[dict, dict]:
    """达标率 as the console's headline reads it (stats_today) and as the day's report has it."""
    with hall.db.reader() as session:
        site = queries.get_site(session, "test")
        live = queries.stats_today(session, site, clock.now())
        day = date.fromisoformat(live["service_date"])
        return live, site_report(session, site, day, day, clock.now())


def test_over_target_waiters_lower_the_share_and_the_console_agrees_with_the_report(
        hall, clock, people, kiosk):
    run_monday(hall, clock, people, kiosk)
    t = Day(hall, clock, MONDAY)
    t("10:30")
    issue(hall, kiosk, "social")
    issue(hall, kiosk, "social")
    late = issue(hall, kiosk, "tax")
    # 10 minutes in: within the 20 min target, not yet counted either way
    t("10:40")
    live, report_ = todays_share(hall, clock)
    assert (live["totals"]["within_target_share"], live["totals"]["waiting"]) == (0.8, 3)
    assert row(live["categories"], "category", "social")["within_target_share"] == 0.75
    # 25 minutes in: the two social waiters are past 20 min (missed); the tax one (25 min
    # target) is not, and is cancelled at 26 minutes, past its target: missed too
    t("10:55")
    live, report_ = todays_share(hall, clock)
    social = row(live["categories"], "category", "social")
    assert (social["within_target"], social["over_target"], social["within_target_share"]) == (
        3, 3, 0.5)
    assert row(live["categories"], "category", "tax")["within_target_share"] == 1.0
    t("10:56")
    act(hall, late["id"], Action.CANCEL, people["staff1"])
    live, report_ = todays_share(hall, clock)
    assert row(live["categories"], "category", "tax")["within_target_share"] == 0.5
    # Monday's four met and one missed, then two social waiters and a late cancel: 4 of 8
    assert live["totals"]["within_target_share"] == 0.5
    for key in ("within_target", "over_target", "within_target_share"):
        assert live["totals"][key] == report_["totals"][key]
    assert [(r["category"], r["within_target_share"]) for r in live["categories"]] == [
        (r["category"], r["within_target_share"]) for r in report_["categories"]]


def test_a_ticket_cancelled_or_still_waiting_within_target_is_not_counted(
        hall, clock, people, kiosk):
    t = Day(hall, clock, MONDAY)
    t("09:00")
    staff_window(hall, 1, people["staff1"])
    early = issue(hall, kiosk, "social")
    issue(hall, kiosk, "social")
    t("09:05")
    act(hall, early["id"], Action.CANCEL, people["staff1"])
    live, report_ = todays_share(hall, clock)
    social = row(report_["categories"], "category", "social")
    assert (social["within_target"], social["over_target"], social["within_target_share"]) == (
        0, 0, None)
    assert live["totals"]["within_target_share"] is None


@pytest.mark.parametrize("first,last", [(date(1, 1, 1), date(1, 1, 1)),
                                        (date(9999, 12, 31), date(9999, 12, 31))])
def test_days_at_the_ends_of_the_calendar_are_invalid_input_not_a_crash(hall, first, last):
    with pytest.raises(InvalidInput):
        report(hall, first, last)
