"""Rebalancing by a manager changes the very next call or issue, and is an audit event with who
did it; staff may not rebalance."""
import pytest
from sqlalchemy import select

from queue_core.adapters.orm import Event
from queue_core.domain.errors import (CapBelowIssued, CategoryInBothPosts, DailyCapReached,
                                      Forbidden, InvalidInput, NotFound, NothingToCall)
from queue_core.domain.model import Action
from queue_core.service import rebalance, windows
from queue_core.service.queries import get_site, window_view
from queue_core.service.queue_state import find_window

from .helpers import act, call, issue, staff_window


def rebalanced_events(hall) -> list[dict]:
    with hall.db.reader() as s:
        return [e.payload for e in s.scalars(select(Event).where(Event.type == "rebalanced")
                                             .order_by(Event.seq))]


def test_forcing_backup_on_lets_a_b_window_call_that_category_next(hall, kiosk, people):
    staff_window(hall, 3, people["staff2"])          # tax has its A post: no automatic backup
    staff_window(hall, 1, people["staff1"])          # window 1: A social, B tax
    issue(hall, kiosk, "tax")
    with pytest.raises(NothingToCall):
        call(hall, 1, people["staff1"])
    row = rebalance.set_backup_override(hall.uow(), "test", "tax", True, people["boss"])
    assert row["code"] == "tax" and row["backup_override"] is True
    called = call(hall, 1, people["staff1"])
    assert called["number"] == "B001"
    assert called["call_reason"]["via_backup"]
    assert called["call_reason"]["backup_trigger"] == "forced_on"
    assert rebalanced_events(hall)[-1] | {"by": None} == {
        "by": None, "change": "backup_override", "category": "tax", "old": None, "new": True}
    assert rebalanced_events(hall)[-1]["by"]["name"] == "Boss"


def test_forcing_backup_off_keeps_b_posts_on_their_own_work(hall, kiosk, people):
    staff_window(hall, 1, people["staff1"])          # nobody at tax's A window 3
    issue(hall, kiosk, "tax")
    issue(hall, kiosk, "tax")
    first = call(hall, 1, people["staff1"])
    assert first["call_reason"]["backup_trigger"] == "no_a_post"
    act(hall, first["id"], Action.NO_SHOW, people["staff1"])
    rebalance.set_backup_override(hall.uow(), "test", "tax", False, people["boss"])
    with pytest.raises(NothingToCall):
        call(hall, 1, people["staff1"])
    rebalance.set_backup_override(hall.uow(), "test", "tax", None, people["boss"])
    assert call(hall, 1, people["staff1"])["number"] == "B002"


def test_new_window_categories_change_what_it_calls_next(hall, kiosk, people):
    staff_window(hall, 2, people["staff1"])          # window 2: A social only
    issue(hall, kiosk, "tax")
    with pytest.raises(NothingToCall):
        call(hall, 2, people["staff1"])
    view = rebalance.set_window_categories(hall.uow(), "test", 2, ["tax"], ["social"],
                                           people["boss"])
    assert (view["a_categories"], view["b_categories"]) == (["tax"], ["social"])
    called = call(hall, 2, people["staff1"])
    assert called["number"] == "B001" and not called["call_reason"]["via_backup"]
    event = rebalanced_events(hall)[-1]
    assert event["change"] == "window_categories" and event["window"] == 2
    assert event["old"] == {"a": ["social"], "b": []}
    assert event["new"] == {"a": ["tax"], "b": ["social"]}
    assert event["by"]["name"] == "Boss"


def test_window_categories_are_validated(hall, people):
    with pytest.raises(InvalidInput):
        rebalance.set_window_categories(hall.uow(), "test", 2, [], ["tax"], people["boss"])
    with pytest.raises(CategoryInBothPosts):
        rebalance.set_window_categories(hall.uow(), "test", 2, ["tax"], ["tax"], people["boss"])
    with pytest.raises(NotFound):
        rebalance.set_window_categories(hall.uow(), "test", 2, ["nope"], [], people["boss"])
    with hall.db.reader() as s:
        site = get_site(s, "test")
        view = window_view(s, site, find_window(s, site, 2), hall.clock.now())
    assert (view["a_categories"], view["b_categories"]) == (["social"], [])
    assert rebalanced_events(hall) == []


def test_moved_tickets_keep_numbers_and_order_in_the_new_queue(hall, kiosk, people, clock):
    for _ in range(3):
        issue(hall, kiosk, "social")
        clock.advance(minutes=1)
    issue(hall, kiosk, "tax")
    moved = rebalance.move_waiting(hall.uow(), "test", "social", "tax", 2, people["boss"])
    assert moved == {"moved": 2, "numbers": ["A001", "A002"]}
    staff_window(hall, 3, people["staff2"])          # A tax
    staff_window(hall, 2, people["staff1"])          # A social
    assert call(hall, 3, people["staff2"])["number"] == "A001"
    assert call(hall, 2, people["staff1"])["number"] == "A003"
    with hall.db.reader() as s:
        events = list(s.scalars(select(Event).where(Event.type == "transferred")))
    assert [(e.payload["number"], e.payload["category"], e.payload["by"]["name"])
            for e in events] == [("A001", "tax", "Boss"), ("A002", "tax", "Boss")]
    summary = rebalanced_events(hall)[-1]
    assert (summary["change"], summary["moved"], summary["numbers"]) == ("move_waiting", 2,
                                                                       ["A001", "A002"])


def test_moving_all_waiting_tickets_then_nothing_left(hall, kiosk, people):
    issue(hall, kiosk, "social")
    issue(hall, kiosk, "social")
    assert rebalance.move_waiting(hall.uow(), "test", "social", "realty", None,
                                  people["boss"])["moved"] == 2
    assert rebalance.move_waiting(hall.uow(), "test", "social", "realty", None,
                                  people["boss"]) == {"moved": 0, "numbers": []}
    with pytest.raises(InvalidInput):
        rebalance.move_waiting(hall.uow(), "test", "social", "social", None, people["boss"])
    with pytest.raises(NotFound):
        rebalance.move_waiting(hall.uow(), "test", "social", "nope", None, people["boss"])


def test_moving_tickets_does_not_free_places_under_the_cap(hall, kiosk, people):
    for _ in range(3):
        issue(hall, kiosk, "tax")                    # tax cap is 3
    rebalance.move_waiting(hall.uow(), "test", "tax", "social", None, people["boss"])
    with pytest.raises(DailyCapReached):
        issue(hall, kiosk, "tax")


def test_a_lower_cap_refuses_the_next_issue(hall, kiosk, people):
    issue(hall, kiosk, "social")
    issue(hall, kiosk, "social")
    row = rebalance.set_daily_cap(hall.uow(), "test", "social", 2, people["boss"])
    assert (row["daily_cap"], row["remaining_today"], row["available"]) == (2, 0, False)
    with pytest.raises(DailyCapReached):
        issue(hall, kiosk, "social")
    with pytest.raises(CapBelowIssued) as refused:
        rebalance.set_daily_cap(hall.uow(), "test", "social", 1, people["boss"])
    assert refused.value.params["issued"] == 2
    rebalance.set_daily_cap(hall.uow(), "test", "social", 3, people["boss"])
    assert issue(hall, kiosk, "social")["number"] == "A003"
    caps = [(e["old"], e["new"]) for e in rebalanced_events(hall)]
    assert caps == [(500, 2), (2, 3)]


def test_staff_may_not_rebalance(hall, people, kiosk):
    staff = people["staff1"]
    for action in [lambda: rebalance.set_backup_override(hall.uow(), "test", "tax", True, staff),
                   lambda: rebalance.set_daily_cap(hall.uow(), "test", "tax", 10, staff),
                   lambda: rebalance.set_window_categories(hall.uow(), "test", 1, ["tax"], [],
                                                           staff),
                   lambda: rebalance.move_waiting(hall.uow(), "test", "tax", "social", None,
                                                  staff),
                   lambda: rebalance.set_backup_override(hall.uow(), "test", "tax", True, kiosk)]:
        with pytest.raises(Forbidden):
            action()
    assert rebalanced_events(hall) == []


def test_manager_opens_and_pauses_any_window_and_is_named(hall, kiosk, people):
    issue(hall, kiosk, "realty")
    opened = windows.set_window_state(hall.uow(), "test", 4, "open", people["boss"])
    assert opened["state"] == "open"
    paused = windows.set_window_state(hall.uow(), "test", 4, "paused", people["boss"], "peak")
    assert (paused["state"], paused["pause_reason"]) == ("paused", "peak")
    with hall.db.reader() as s:
        events = list(s.scalars(select(Event).where(Event.type.in_(
            ["window_opened", "window_paused"])).order_by(Event.seq)))
    assert [(e.type, e.payload["by"]["name"]) for e in events] == [("window_opened", "Boss"),
                                                                  ("window_paused", "Boss")]


def test_the_advised_b_posts_are_added_in_one_transaction_and_audited(hall, people):
    boss = people["boss"]
    # Window 2 (A social) gets tax and realty; window 4 already has tax as B: left as it is.
    changed = rebalance.add_b_posts(hall.uow(), "test", [(2, "tax"), (2, "realty"), (4, "tax")],
                                    boss)
    assert [w["number"] for w in changed] == [2]
    events = rebalanced_events(hall)
    assert events[-1]["new"] == {"a": ["social"], "b": ["realty", "tax"]}
    assert events[-1]["old"] == {"a": ["social"], "b": []} and len(events) == 1
    # An unknown category anywhere in the list changes nothing at all.
    with pytest.raises(NotFound):
        rebalance.add_b_posts(hall.uow(), "test", [(3, "realty"), (3, "ghost")], boss)
    with hall.db.reader() as s:
        site = get_site(s, "test")
        assert "realty" not in window_view(s, site, find_window(s, site, 3), hall.clock.now())["b_categories"]
    assert len(rebalanced_events(hall)) == 1
    with pytest.raises(Forbidden):
        rebalance.add_b_posts(hall.uow(), "test", [(3, "realty")], people["staff1"])
