"""At the window: calling by policy, the ticket lifecycle, posts, permissions and audit events."""
import pytest
from sqlalchemy import select, update

from queue_core.adapters.orm import Category, Event, Site, Ticket
from queue_core.domain.errors import (InvalidTransition, NotSignedIn, NothingToCall, PostTaken,
                                      WindowBusy, WindowNotOpen)
from queue_core.domain.model import Action
from queue_core.service import calling, queries, windows

from .helpers import act, call, issue, staff_window

A = Action


def test_window_calls_oldest_a_ticket_and_records_why(hall, kiosk, people):
    issue(hall, kiosk, "social")
    issue(hall, kiosk, "social")
    staff_window(hall, 2, people["staff1"])
    called = call(hall, 2, people["staff1"])
    assert called["number"] == "A001" and called["status"] == "called"
    assert called["call_reason"]["rule"] == "arrival" and not called["call_reason"]["via_backup"]


def test_full_lifecycle_emits_one_event_per_step(hall, kiosk, people, clock):
    issue(hall, kiosk)
    staff_window(hall, 1, people["staff1"])
    clock.advance(minutes=4)
    t = call(hall, 1, people["staff1"])
    act(hall, t["id"], A.RECALL, people["staff1"])
    act(hall, t["id"], A.START, people["staff1"])
    act(hall, t["id"], A.SUSPEND, people["staff1"])
    act(hall, t["id"], A.RESUME, people["staff1"])
    clock.advance(minutes=7)
    done = act(hall, t["id"], A.FINISH, people["staff1"])
    assert done["status"] == "done" and done["recall_count"] == 1
    with hall.db.reader() as s:
        events = list(s.scalars(select(Event).where(Event.ticket_id == t["id"]).order_by(Event.seq)))
    assert [e.type for e in events] == ["issued", "called", "recalled", "started", "suspended",
                                        "resumed", "finished"]
    assert events[1].payload["wait_seconds"] == 240 and events[-1].payload["service_seconds"] == 420
    assert events[1].payload["by"]["name"] == "Staff1" and events[1].payload["window"] == 1


def test_no_show_then_reinstate_puts_ticket_at_the_back(hall, kiosk, people, clock):
    first = issue(hall, kiosk)
    issue(hall, kiosk)
    staff_window(hall, 2, people["staff1"])
    call(hall, 2, people["staff1"])
    act(hall, first["id"], A.NO_SHOW, people["staff1"])
    clock.advance(minutes=1)
    act(hall, first["id"], A.REINSTATE, people["staff2"])
    assert call(hall, 2, people["staff1"])["number"] == "A002"


def test_transfer_to_category_keeps_issue_time_and_number(hall, kiosk, people, clock):
    t = issue(hall, kiosk, "social")
    staff_window(hall, 2, people["staff1"])
    staff_window(hall, 3, people["staff2"])
    call(hall, 2, people["staff1"])
    act(hall, t["id"], A.START, people["staff1"])
    clock.advance(minutes=30)
    moved = calling.transfer(hall.uow(), "test", t["id"], people["staff1"], to_category="tax")
    assert (moved["number"], moved["status"], moved["category"]["code"]) == ("A001", "waiting", "tax")
    assert moved["issued_at"] == t["issued_at"] and moved["queued_at"] == t["issued_at"]
    again = call(hall, 3, people["staff2"])
    assert again["id"] == t["id"] and again["call_reason"]["waited_seconds"] == 1800


def test_transfer_to_a_window_reserves_the_ticket_for_it(hall, kiosk, people):
    t = issue(hall, kiosk, "social")
    issue(hall, kiosk, "social")
    staff_window(hall, 1, people["staff1"])
    staff_window(hall, 2, people["staff2"])
    call(hall, 1, people["staff1"])
    calling.transfer(hall.uow(), "test", t["id"], people["staff1"], to_window=2)
    assert call(hall, 1, people["staff1"])["number"] == "A002"
    reserved = call(hall, 2, people["staff2"])
    assert reserved["id"] == t["id"] and reserved["call_reason"]["rule"] == "transferred_to_window"


def test_b_post_takes_over_when_no_a_post_is_signed_in(hall, kiosk, people):
    issue(hall, kiosk, "tax")
    staff_window(hall, 1, people["staff1"])  # A: social, B: tax; window 3 (tax A) is closed
    called = call(hall, 1, people["staff1"])
    assert called["call_reason"]["backup_trigger"] == "no_a_post"


def test_b_work_waits_while_its_a_window_is_staffed(hall, kiosk, people):
    issue(hall, kiosk, "tax")
    staff_window(hall, 1, people["staff1"])
    staff_window(hall, 3, people["staff2"])
    with pytest.raises(NothingToCall):
        call(hall, 1, people["staff1"])
    assert call(hall, 3, people["staff2"])["number"] == "B001"


def test_staff_must_be_signed_in_at_the_window(hall, kiosk, people):
    issue(hall, kiosk)
    staff_window(hall, 1, people["staff1"])
    with pytest.raises(NotSignedIn):
        call(hall, 1, people["staff2"])
    t = call(hall, 1, people["staff1"])
    with pytest.raises(NotSignedIn):
        act(hall, t["id"], A.START, people["staff2"])
    act(hall, t["id"], A.START, people["boss"])  # a manager may act anywhere


def test_a_ticket_at_a_window_is_that_window_s_alone(hall, kiosk, people):
    """Cancelling, no-showing or resuming a ticket called or parked at another window is refused,
    even for staff signed in elsewhere; a waiting or no-show ticket is any site staff's."""
    staff_window(hall, 1, people["staff1"])
    staff_window(hall, 2, people["staff2"])
    called = issue(hall, kiosk)["id"]
    parked = issue(hall, kiosk)["id"]
    waiting = issue(hall, kiosk)["id"]
    assert call(hall, 2, people["staff2"])["id"] == called
    for action in (A.CANCEL, A.NO_SHOW, A.RECALL):
        with pytest.raises(NotSignedIn):
            act(hall, called, action, people["staff1"])
    act(hall, called, A.START, people["staff2"])
    act(hall, called, A.SUSPEND, people["staff2"])
    assert call(hall, 2, people["staff2"])["id"] == parked
    act(hall, parked, A.NO_SHOW, people["staff2"])
    for action in (A.RESUME, A.CANCEL):
        with pytest.raises(NotSignedIn):
            act(hall, called, action, people["staff1"])
        with pytest.raises(NotSignedIn):
            act(hall, called, action, people["staff3"])  # signed in nowhere
    act(hall, parked, A.REINSTATE, people["staff1"])  # back from the service desk
    act(hall, waiting, A.CANCEL, people["staff3"])
    act(hall, called, A.CANCEL, people["boss"])  # a manager may, anywhere in the hall
    with hall.db.reader() as session:
        assert [session.get(Ticket, t).status for t in (called, parked, waiting)] == \
            ["cancelled", "waiting", "cancelled"]


def test_window_rules(hall, kiosk, people):
    windows.sign_in(hall.uow(), "test", 1, "A", people["staff1"])
    with pytest.raises(WindowNotOpen):
        call(hall, 1, people["staff1"])
    with pytest.raises(PostTaken):
        windows.sign_in(hall.uow(), "test", 1, "A", people["staff2"])
    windows.set_window_state(hall.uow(), "test", 1, "open", people["staff1"])
    issue(hall, kiosk)
    issue(hall, kiosk)
    call(hall, 1, people["staff1"])
    with pytest.raises(WindowBusy):
        call(hall, 1, people["staff1"])
    with pytest.raises(WindowBusy):
        windows.set_window_state(hall.uow(), "test", 1, "closed", people["staff1"])
    paused = windows.set_window_state(hall.uow(), "test", 1, "paused", people["staff1"], "午休")
    assert paused["state"] == "paused" and paused["pause_reason"] == "午休"


def test_signing_in_elsewhere_moves_the_post(hall, people):
    windows.sign_in(hall.uow(), "test", 1, "A", people["staff1"])
    moved = windows.sign_in(hall.uow(), "test", 2, "B", people["staff1"])
    assert [p["post"] for p in moved["posts"]] == ["B"]
    with hall.db.reader() as s:
        types = [e.type for e in s.scalars(select(Event).order_by(Event.seq))]
    assert types[-3:] == ["post_signed_in", "post_signed_out", "post_signed_in"]


def test_refused_action_changes_nothing(hall, kiosk, people):
    t = issue(hall, kiosk)
    staff_window(hall, 1, people["staff1"])
    with pytest.raises(InvalidTransition):
        act(hall, t["id"], A.FINISH, people["boss"])
    with hall.db.reader() as s:
        assert s.get(Ticket, t["id"]).status == "waiting"
        assert s.scalar(select(Event.type).order_by(Event.seq.desc())) == "window_opened"


def test_a_call_that_passes_over_an_older_ticket_records_which_and_why(hall, kiosk, people,
                                                                      clock):
    # Window 1 serves social as A and backs tax up; tax has no A post signed in, so its ticket
    # is eligible there, but it waited 10 minutes longer, under the 15 that let B overtake.
    tax = issue(hall, kiosk, "tax")
    clock.advance(minutes=10)
    issue(hall, kiosk, "social")
    staff_window(hall, 1, people["staff1"])
    called = call(hall, 1, people["staff1"])
    assert called["number"] == "A001"
    reason = called["call_reason"]
    assert reason["rule"] == "arrival"
    assert reason["passed_over"] == {"ticket_id": tax["id"], "number": "B001", "category": "tax",
                                     "priority_class": "normal", "waited_seconds": 600,
                                     "beaten_by": "a_first"}
    with hall.db.reader() as s:
        event = s.scalars(select(Event).where(Event.type == "called")).one()
    assert event.payload["reason"]["passed_over"]["number"] == "B001"
    # The next call takes the tax ticket: nothing older was passed over.
    act(hall, called["id"], A.NO_SHOW, people["staff1"])
    assert "passed_over" not in call(hall, 1, people["staff1"])["call_reason"]



def test_a_category_disabled_with_tickets_still_waiting_is_still_called(hall, kiosk, people):
    """Disabling a category (apply-config, or a manager) stops new tickets; applicants already in
    the hall with its tickets are still called: at its windows, and where they were sent."""
    sent, queued = issue(hall, kiosk, "realty"), issue(hall, kiosk, "realty")
    staff_window(hall, 4, people["staff1"])  # realty's A window
    staff_window(hall, 1, people["staff2"])  # social's
    call(hall, 4, people["staff1"])
    act(hall, sent["id"], A.START, people["staff1"])
    calling.transfer(hall.uow(), "test", sent["id"], people["staff1"], to_window=1)
    with hall.db.writer() as session:
        session.execute(update(Category).where(Category.code == "realty").values(enabled=False))
        session.commit()
    with hall.db.reader() as session:
        site = session.scalars(select(Site).where(Site.code == "test")).one()
        listed = queries.waiting_tickets(session, site, hall.clock.now(), window=1)
    assert [t["id"] for t in listed["tickets"]] == [sent["id"]]
    assert call(hall, 1, people["staff2"])["id"] == sent["id"]
    assert call(hall, 4, people["staff1"])["id"] == queued["id"]
