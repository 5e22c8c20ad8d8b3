"""Issuing tickets against a real database: numbers, caps, hours, day rollover, estimates."""
import pytest
from sqlalchemy import select

from queue_core.adapters.orm import Event, Ticket
from queue_core.domain.errors import (CategoryClosed, DailyCapReached, Forbidden, NotFound,
                                      OutsideOpeningHours)
from queue_core.service import issuing, queries

from .helpers import issue, staff_window


def test_numbers_count_up_per_category_prefix(hall, kiosk):
    numbers = [issue(hall, kiosk, c)["number"] for c in ["social", "social", "tax", "social"]]
    assert numbers == ["A001", "A002", "B001", "A003"]


def test_people_ahead_counts_earlier_waiting_tickets(hall, kiosk):
    first = issue(hall, kiosk)
    second = issue(hall, kiosk)
    assert (first["people_ahead"], second["people_ahead"]) == (0, 1)


def test_priority_ticket_goes_ahead_of_normal_ones(hall, kiosk):
    issue(hall, kiosk)
    issue(hall, kiosk)
    assert issue(hall, kiosk, priority_class="priority")["people_ahead"] == 0


def test_before_anyone_signs_in_the_estimate_goes_by_the_planned_windows(hall, kiosk):
    issue(hall, kiosk)
    ticket = issue(hall, kiosk)  # one ahead, 6 minutes each, windows 1 and 2 planned as A posts
    assert ticket["estimated_wait_minutes"] == {"low": 3, "high": 6, "basis": "planned"}
    with hall.db.reader() as s:  # the phone page and the category list say the same
        assert queries.ticket_status(s, ticket["status_token"], hall.clock.now())[
            "estimated_wait_minutes"]["basis"] == "planned"
        social = next(c for c in queries.categories_overview(s, queries.get_site(s, "test"),
                                                              hall.clock.now())
                      if c["code"] == "social")
        assert social["estimated_wait_minutes"] == {"low": 6, "high": 9, "basis": "planned"}


def test_estimate_goes_by_the_staffed_windows_once_someone_signs_in(hall, kiosk, people):
    staff_window(hall, 1, people["staff1"])
    issue(hall, kiosk)
    ticket = issue(hall, kiosk)  # one ahead, 6 minutes each, one A window staffed of two
    assert ticket["estimated_wait_minutes"] == {"low": 6, "high": 12, "basis": "staffed"}
    staff_window(hall, 2, people["staff2"])
    ticket = issue(hall, kiosk)  # two ahead, two A windows
    assert ticket["estimated_wait_minutes"] == {"low": 6, "high": 9, "basis": "staffed"}


def test_daily_cap_refuses_clearly_and_issues_nothing(hall, kiosk):
    for _ in range(3):
        issue(hall, kiosk, "tax")
    with pytest.raises(DailyCapReached) as err:
        issue(hall, kiosk, "tax")
    assert err.value.params["cap"] == 3
    with hall.db.reader() as s:
        assert s.scalar(select(Ticket.number).order_by(Ticket.id.desc())) == "B003"


def test_outside_opening_hours_is_refused(hall, kiosk, clock):
    clock.advance(hours=9)  # 18:00 local
    with pytest.raises(OutsideOpeningHours):
        issue(hall, kiosk)


def test_category_with_morning_hours_closes_at_noon(hall, kiosk, clock):
    issue(hall, kiosk, "realty")
    clock.advance(hours=3, minutes=30)  # 12:30 local
    with pytest.raises(CategoryClosed):
        issue(hall, kiosk, "realty")
    assert issue(hall, kiosk, "social")["number"] == "A001"


def test_new_day_restarts_numbers_and_expires_yesterdays_tickets(hall, kiosk, clock):
    old = issue(hall, kiosk)
    clock.advance(days=1)  # Tuesday 09:00
    assert issue(hall, kiosk)["number"] == "A001"
    with hall.db.reader() as s:
        assert s.get(Ticket, old["id"]).status == "expired"
        types = [e.type for e in s.scalars(select(Event).order_by(Event.seq))]
    assert types == ["day_started", "issued", "expired", "day_started", "issued"]


def test_same_request_id_from_a_kiosk_gives_the_same_ticket(hall, kiosk):
    first = issue(hall, kiosk, request_id="tap-1")
    again = issue(hall, kiosk, request_id="tap-1")
    assert again["id"] == first["id"] and again["repeated"]
    assert issue(hall, kiosk, request_id="tap-2")["number"] == "A002"


def test_unknown_category_and_kiosk_appointments_are_refused(hall, kiosk):
    with pytest.raises(NotFound):
        issue(hall, kiosk, "nope")
    with pytest.raises(Forbidden):
        issue(hall, kiosk, priority_class="appointment")


def test_public_status_by_token(hall, kiosk):
    issue(hall, kiosk)
    ticket = issue(hall, kiosk)
    with hall.db.reader() as s:
        status = queries.ticket_status(s, ticket["status_token"], hall.clock.now())
    assert (status["number"], status["people_ahead"], status["status"]) == ("A002", 1, "waiting")


def test_events_are_numbered_without_gaps(hall, kiosk):
    for _ in range(5):
        issue(hall, kiosk)
    with hall.db.reader() as s:
        site = queries.get_site(s, "test")
        feed = queries.events_since(s, site, 0, 100)
    seqs = [e["seq"] for e in feed["events"]]
    assert seqs == list(range(1, len(seqs) + 1)) and feed["last_seq"] == seqs[-1]


def test_the_issue_counts_its_place_as_the_queue_does(hall, kiosk, people, clock):
    """The issue reads its queue before inserting its ticket, in one statement with the cap's
    count: people ahead, waiting count, oldest arrival and recent services are those the queue
    gives for the ticket once inserted, every class mixed, several tickets in one instant."""
    from queue_core.domain.model import Action, PriorityClass
    from queue_core.service.queue_state import measured_service_minutes, queue_and_ahead
    from queue_core.service.structure import structure

    from .helpers import act, call

    staff_window(hall, 1, people["staff1"])
    for minutes in (4, 9, 6):  # three services of social, measured
        issue(hall, kiosk)
        called = call(hall, 1, people["staff1"])
        act(hall, called["id"], Action.START, people["staff1"])
        clock.advance(minutes=minutes)
        act(hall, called["id"], Action.FINISH, people["staff1"])
    classes = ["normal", "normal", "priority", "priority", "appointment", "normal",
               "appointment", "normal"]
    for i, cls in enumerate(classes):
        if i % 3 == 2:
            clock.advance(seconds=30)
        with hall.uow() as uow:
            site = uow.lock_site("test")
            social = structure(uow, site).category("social")
            ticket, queue = issuing.new_ticket(uow, site, social, PriorityClass(cls), [])
            assert queue[:3] == queue_and_ahead(uow.session, ticket), (i, cls)
            assert queue.measured == measured_service_minutes(uow.session, social,
                                                              ticket.service_date)
            uow.commit()
    assert queue.waiting == len(classes) and sorted(queue.measured) == [4, 6, 9]
