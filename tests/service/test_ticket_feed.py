"""Phones are pushed what their status page would read: people ahead, estimate, window."""
from sqlalchemy import event, select

from queue_core.adapters.orm import Ticket
from queue_core.domain.model import Action
from queue_core.service import calling, queries
from queue_core.service.ticket_feed import Change, phone_views

from .helpers import act, call, issue, staff_window

LIVE = ("status", "window", "people_ahead", "estimated_wait_minutes")


def read_status(hall, ticket_id):
    with hall.db.reader() as session:
        token = session.get(Ticket, ticket_id).status_token
        return queries.ticket_status(session, token, hall.clock.now())


def pushed_after(hall, events):
    change = Change()
    change.add(e for _, e in events)
    with hall.db.reader() as session:
        return change, phone_views(session, "test", hall.clock.now(), change)


def test_every_push_equals_what_the_status_page_reads(hall, kiosk, people, clock):
    tickets = [issue(hall, kiosk, "social"), issue(hall, kiosk, "tax"),
               issue(hall, kiosk, "social", priority_class="priority"),
               issue(hall, kiosk, "social"), issue(hall, kiosk, "tax")]
    staff_window(hall, 1, people["staff1"])
    clock.advance(minutes=3)
    hall.publisher.sent.clear()
    called = call(hall, 1, people["staff1"])
    assert called["id"] == tickets[2]["id"]  # the priority ticket first
    act(hall, called["id"], Action.START, people["staff1"])
    clock.advance(minutes=5)
    act(hall, called["id"], Action.FINISH, people["staff1"])
    calling.transfer(hall.uow(), "test", tickets[3]["id"], people["boss"], to_category="tax")
    change, views = pushed_after(hall, hall.publisher.sent)
    assert set(views) >= {t["id"] for t in tickets}  # social and tax both moved
    for ticket_id, view in views.items():
        status = read_status(hall, ticket_id)
        assert {k: view[k] for k in LIVE} == {k: status[k] for k in LIVE}, status["number"]
    assert views[called["id"]]["status"] == "done" and views[called["id"]]["window"] == 1
    assert [views[t["id"]]["people_ahead"] for t in tickets if t["id"] != called["id"]] == [0, 0, 1, 2]


def test_a_call_moves_only_its_own_category(hall, kiosk, people):
    social, tax = issue(hall, kiosk, "social"), issue(hall, kiosk, "tax")
    issue(hall, kiosk, "social")
    staff_window(hall, 2, people["staff1"])  # window 2 serves social only
    hall.publisher.sent.clear()
    called = call(hall, 2, people["staff1"])
    change, views = pushed_after(hall, hall.publisher.sent)
    assert change.categories == {"social"} and called["id"] == social["id"]
    assert tax["id"] not in views and views[social["id"]]["status"] == "called"


def test_window_changes_reach_every_waiting_phone_and_alerts_none(hall, kiosk, people):
    tickets = [issue(hall, kiosk, c) for c in ("social", "tax", "realty")]
    hall.publisher.sent.clear()
    staff_window(hall, 1, people["staff1"])
    change, views = pushed_after(hall, hall.publisher.sent)
    assert change.categories is None and {t["id"] for t in tickets} <= set(views)
    quiet = Change()
    quiet.add([{"type": "alert_raised", "alert": 1, "kind": "wait_over_target"},
               {"type": "evaluated", "ticket_id": 7, "category": "social", "window": 1}])
    assert not quiet


def test_waiting_views_come_from_a_few_statements_not_one_per_ticket(hall, kiosk, people):
    for _ in range(30):
        issue(hall, kiosk, "social")
    staff_window(hall, 2, people["staff1"])
    statements = []

    def count(conn, cursor, statement, *rest):
        statements.append(statement)

    with hall.db.reader() as session:
        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", count)
        try:
            views = phone_views(session, "test", hall.clock.now(), Change(categories={"social"}))
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert len(views) == 30 and len(statements) <= 6


def test_a_normal_ticket_joining_the_back_moves_nobody_else(hall, kiosk):
    first = issue(hall, kiosk, "social")
    hall.publisher.sent.clear()
    second = issue(hall, kiosk, "social")
    priority = issue(hall, kiosk, "social", priority_class="priority")
    change = Change()
    change.add([e for _, e in hall.publisher.sent if e["ticket_id"] == second["id"]])
    assert change.tickets == {second["id"]} and change.categories == set()
    change.add([e for _, e in hall.publisher.sent if e["ticket_id"] == priority["id"]])
    assert change.categories == {"social"}  # a priority ticket goes ahead of the others
    with hall.db.reader() as session:  # a waiting ticket alone is worked out on its own
        alone = phone_views(session, "test", hall.clock.now(), Change(tickets={second["id"]}))
    status = read_status(hall, second["id"])
    assert {k: alone[second["id"]][k] for k in LIVE} == {k: status[k] for k in LIVE}
    assert status["people_ahead"] == 2 and first["id"] not in alone
