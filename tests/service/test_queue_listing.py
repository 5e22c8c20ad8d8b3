"""A window's console lists its queue in the order its calls take it (one rule, the policy's):
the list read before calling is the calls made, and its head is always the next call."""
import random

from sqlalchemy import update

from queue_core.adapters.orm import Category
from queue_core.domain.errors import NothingToCall
from queue_core.domain.model import Action
from queue_core.service import calling, queries

from .helpers import act, call, issue, staff_window


def listing(hall, window: int) -> list[dict]:
    with hall.db.reader() as session:
        site = queries.get_site(session, "test")
        return queries.waiting_tickets(session, site, hall.clock.now(), window=window,
                                       limit=500)["tickets"]


def random_queues(hall, kiosk, people, clock, rng, n: int) -> None:
    with hall.db.writer() as session:  # room for the random queues (tax's cap is 3)
        session.execute(update(Category).values(daily_cap=1000))
        session.commit()
    ids = []
    for _ in range(n):
        cls = rng.choices(["normal", "priority", "appointment"], [8, 2, 1])[0]
        actor = people["boss"] if cls == "appointment" else kiosk
        ids.append(issue(hall, actor, rng.choice(["social", "tax"]), priority_class=cls)["id"])
        clock.advance(seconds=rng.choice([0, 30, 200]))
    for ticket_id in rng.sample(ids, 4):  # 转办 to window 1 (before its own queue) or 2
        calling.transfer(hall.uow(), "test", ticket_id, people["boss"],
                         to_window=rng.choice([1, 2]))


def test_the_listed_order_is_the_order_the_window_calls_in(hall, kiosk, people, clock):
    rng = random.Random(15)
    staff_window(hall, 1, people["staff1"])  # 社保 A, 税务 B
    random_queues(hall, kiosk, people, clock, rng, 50)
    listed = listing(hall, 1)
    callable_ = [t for t in listed if t["call_rule"]]
    assert {t["call_rule"] for t in callable_} >= {"priority", "arrival", "appointment",
                                                   "transferred_to_window"}
    called = []
    while True:
        try:
            ticket = call(hall, 1, people["staff1"])
        except NothingToCall:
            break
        called.append((ticket["number"], ticket["call_reason"]["rule"]))
        act(hall, ticket["id"], Action.NO_SHOW, people["staff1"])
    assert called == [(t["number"], t["call_rule"]) for t in callable_]
    assert listed[len(callable_):] == []  # nothing this window may not call now


def test_the_head_of_the_list_is_the_next_call_while_the_hall_moves(hall, kiosk, people, clock):
    rng = random.Random(1115)
    staff_window(hall, 1, people["staff1"])
    staff_window(hall, 3, people["staff3"], post="A")  # 税务 A: window 1's B work waits for it
    random_queues(hall, kiosk, people, clock, rng, 30)
    for _ in range(25):
        window = rng.choice([1, 3])
        actor = people["staff1" if window == 1 else "staff3"]
        head = next((t for t in listing(hall, window) if t["call_rule"]), None)
        if head is None:
            continue
        ticket = call(hall, window, actor)
        assert (ticket["id"], ticket["call_reason"]["rule"]) == (head["id"], head["call_rule"])
        act(hall, ticket["id"], Action.START, actor)
        act(hall, ticket["id"], Action.FINISH, actor)
        clock.advance(seconds=rng.choice([10, 120, 400]))
        if rng.random() < 0.4:
            issue(hall, kiosk, rng.choice(["social", "tax"]))


def test_a_short_list_is_the_head_of_the_whole_queue_and_says_how_many_wait(hall, kiosk, people,
                                                                             clock):
    """The list reads only the first `limit` of each queue: its `limit` tickets are exactly the
    first of the whole list, callable or not, and `total` counts every one."""
    rng = random.Random(12)
    staff_window(hall, 1, people["staff1"])  # 社保 A, 税务 B
    staff_window(hall, 3, people["staff3"])  # 税务 A: window 1's B work is off, listed last
    random_queues(hall, kiosk, people, clock, rng, 60)
    whole = listing(hall, 1)
    assert {t["call_rule"] for t in whole} >= {None, "arrival", "transferred_to_window"}
    with hall.db.reader() as session:
        site = queries.get_site(session, "test")
        now = hall.clock.now()
        everyone = queries.waiting_tickets(session, site, now, limit=500)
        assert everyone["total"] == len(everyone["tickets"]) == 60
        for limit in (1, 2, 5, 13, 40):
            short = queries.waiting_tickets(session, site, now, window=1, limit=limit)
            assert short["tickets"] == whole[:limit]
            assert short["total"] == len(whole) and short["limit"] == limit
            oldest = queries.waiting_tickets(session, site, now, limit=limit)
            assert oldest["tickets"] == everyone["tickets"][:limit] and oldest["total"] == 60
            tax = queries.waiting_tickets(session, site, now, category="tax", limit=limit)
            assert tax["tickets"] == [t for t in everyone["tickets"]
                                      if t["category"]["code"] == "tax"][:limit]
    assert [t["queued_at"] for t in everyone["tickets"]] == sorted(
        t["queued_at"] for t in everyone["tickets"])
