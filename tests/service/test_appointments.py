"""Appointments (预约) against a real database: book, check in at a kiosk, served first."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from queue_core.adapters.orm import Event
from queue_core.domain.errors import (AppointmentCancelled, AppointmentExpired,
                                      AppointmentTooEarly, AppointmentUsed, CategoryPaused,
                                      Forbidden, NotFound)
from queue_core.domain.model import Action
from queue_core.service import appointments, queries, windows
from queue_core.service.appointments import CheckInRules

from ..conftest import MONDAY_9AM
from .helpers import act, call, issue, staff_window


def book(hall, actor, start_minutes: int, length: int = 30, category: str = "social") -> dict:
    """A slot starting `start_minutes` after Monday 09:00."""
    start = MONDAY_9AM + timedelta(minutes=start_minutes)
    return appointments.book(hall.uow(), "test", category, start, start + timedelta(minutes=length),
                             actor)


def check_in(hall, actor, code: str) -> dict:
    return appointments.check_in(hall.uow(), "test", code, actor, CheckInRules())


def test_on_time_check_in_gives_an_appointment_ticket_that_is_called_first(hall, kiosk, people):
    walk_ins = [issue(hall, kiosk) for _ in range(3)]
    booked = book(hall, people["boss"], 10)  # 09:10–09:40, now 09:00: within the 30 min early
    assert len(booked["code"]) == 8 and booked["code"].isdigit()
    ticket = check_in(hall, kiosk, booked["code"])
    assert ticket["priority_class"] == "appointment" and not ticket["late"]
    assert ticket["number"] == "A004" and ticket["people_ahead"] == 0
    assert ticket["appointment"]["status"] == "checked_in"
    staff_window(hall, 1, people["staff1"])
    assert call(hall, 1, people["staff1"])["number"] == ticket["number"]
    with hall.db.reader() as s:
        types = [e.type for e in s.scalars(select(Event).order_by(Event.seq))]
    assert types.count("issued") == 4 and "appointment_checked_in" in types


def test_too_early_is_refused_with_the_time_to_come_back(hall, kiosk, people):
    booked = book(hall, people["boss"], 120)  # 11:00–11:30
    with pytest.raises(AppointmentTooEarly) as err:
        check_in(hall, kiosk, booked["code"])
    assert err.value.params == {"slot": "11:00–11:30", "earliest": "10:30"}
    assert issue(hall, kiosk)["number"] == "A001"  # no number was used by the refusal


def test_late_arrival_gets_a_normal_ticket_and_is_told_so(hall, kiosk, people, clock):
    booked = book(hall, people["boss"], 0)  # 09:00–09:30, grace until 09:45
    first = issue(hall, kiosk)
    clock.advance(minutes=50)
    ticket = check_in(hall, kiosk, booked["code"])
    assert ticket["late"] and ticket["priority_class"] == "normal"
    assert ticket["people_ahead"] == 1
    staff_window(hall, 1, people["staff1"])
    assert call(hall, 1, people["staff1"])["number"] == first["number"]


def test_a_repeated_check_in_returns_the_same_ticket(hall, kiosk, people):
    booked = book(hall, people["boss"], 0)
    first = check_in(hall, kiosk, booked["code"])
    again = check_in(hall, kiosk, booked["code"])
    assert again["id"] == first["id"] and again["repeated"] and not first["repeated"]
    assert issue(hall, kiosk)["number"] == "A002"


def test_a_code_whose_ticket_was_served_cannot_be_used_again(hall, kiosk, people):
    booked = book(hall, people["boss"], 0)
    ticket = check_in(hall, kiosk, booked["code"])
    staff_window(hall, 1, people["staff1"])
    call(hall, 1, people["staff1"])
    act(hall, ticket["id"], Action.START, people["staff1"])
    act(hall, ticket["id"], Action.FINISH, people["staff1"])
    with pytest.raises(AppointmentUsed) as err:
        check_in(hall, kiosk, booked["code"])
    assert err.value.params["number"] == ticket["number"]


def test_cancelled_and_unknown_codes_are_refused(hall, kiosk, people):
    booked = book(hall, people["boss"], 0)
    cancelled = appointments.cancel(hall.uow(), "test", booked["code"], people["boss"])
    assert cancelled["status"] == "cancelled"
    with pytest.raises(AppointmentCancelled):
        check_in(hall, kiosk, booked["code"])
    with pytest.raises(NotFound):
        check_in(hall, kiosk, "12345678" if booked["code"] != "12345678" else "87654321")
    with pytest.raises(NotFound):
        check_in(hall, kiosk, "abc")


def test_a_slot_of_an_earlier_day_has_expired(hall, kiosk, people, clock):
    booked = book(hall, people["boss"], 0)
    clock.advance(days=1)
    with pytest.raises(AppointmentExpired):
        check_in(hall, kiosk, booked["code"])


def test_kiosks_and_window_staff_may_not_book_or_cancel(hall, kiosk, people):
    with pytest.raises(Forbidden):
        book(hall, kiosk, 0)
    with pytest.raises(Forbidden):
        book(hall, people["staff1"], 0)
    booked = book(hall, people["boss"], 0)
    with pytest.raises(Forbidden):
        appointments.cancel(hall.uow(), "test", booked["code"], kiosk)


def test_check_in_keeps_the_category_cap(hall, kiosk, people):
    booked = book(hall, people["boss"], 0, category="tax")
    for _ in range(3):
        issue(hall, kiosk, "tax")
    from queue_core.domain.errors import DailyCapReached
    with pytest.raises(DailyCapReached):
        check_in(hall, kiosk, booked["code"])


def test_the_day_list_shows_the_ticket_of_a_checked_in_appointment(hall, kiosk, people):
    later = book(hall, people["boss"], 60)
    now = book(hall, people["boss"], 0)
    ticket = check_in(hall, kiosk, now["code"])
    with hall.db.reader() as s:
        site = queries.get_site(s, "test")
        listed = appointments.list_for_day(s, site, MONDAY_9AM.date())
    assert [a["code"] for a in listed] == [now["code"], later["code"]]
    assert listed[0]["ticket_number"] == ticket["number"] and listed[1]["status"] == "booked"


def test_a_category_whose_windows_are_all_paused_says_so_and_issues_nothing(hall, kiosk, people):
    staff_window(hall, 4, people["staff1"])  # realty is served only at window 4
    windows.set_window_state(hall.uow(), "test", 4, "paused", people["staff1"], "系统故障")
    with hall.db.reader() as s:
        overview = {c["code"]: c for c in queries.categories_overview(
            s, queries.get_site(s, "test"), MONDAY_9AM)}
    assert overview["realty"]["unavailable_reason"] == "category_paused"
    assert overview["realty"]["pause_reason"] == "系统故障"
    assert overview["social"]["available"]  # its windows are closed, not paused: tickets wait
    with pytest.raises(CategoryPaused) as err:
        issue(hall, kiosk, "realty")
    assert err.value.params["reason"] == "系统故障"
    windows.set_window_state(hall.uow(), "test", 4, "open", people["staff1"])
    assert issue(hall, kiosk, "realty")["number"] == "C001"


def test_a_service_outside_its_hours_gives_the_hours_to_show(hall, clock):
    clock.advance(hours=3, minutes=30)  # 12:30: 不动产登记 is a morning service
    with hall.db.reader() as s:
        site = queries.get_site(s, "test")
        noon = {c["code"]: c for c in queries.categories_overview(s, site, clock.now())}
        evening = {c["code"]: c for c in queries.categories_overview(
            s, site, clock.advance(hours=5, minutes=30))}  # 18:00
    assert (noon["realty"]["unavailable_reason"], noon["realty"]["hours"]) == \
        ("category_closed", "08:30-12:00")
    assert noon["social"]["available"] and noon["social"]["pause_reason"] is None
    assert (evening["social"]["unavailable_reason"], evening["social"]["hours"]) == \
        ("outside_opening_hours", "08:30-17:30")
