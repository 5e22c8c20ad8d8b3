"""A call reads only the head of each queue: it must pick exactly the ticket the policy picks
over every waiting ticket (and name the same older ticket it passed over), whatever the queues
look like."""
import random

from sqlalchemy import select, update

from queue_core.adapters.orm import Category, Ticket
from queue_core.domain.errors import NothingToCall
from queue_core.domain.model import Action, PriorityClass, TicketStatus
from queue_core.domain.policy import Candidate, choose_next
from queue_core.service import calling
from queue_core.service.queries import get_site
from queue_core.service.queue_state import candidates_for, find_window, hall_state, today

from .helpers import act, call, issue, staff_window

CATEGORIES = ["social", "tax", "realty"]


def brute_force_choice(hall, number: int):
    """The policy's choice over every waiting ticket the window may call (no heads)."""
    with hall.db.reader() as session:
        site = get_site(session, "test")
        now = hall.clock.now()
        window = find_window(session, site, number)
        state = hall_state(session, site, now)
        ids = window.category_ids("A") | window.category_ids("B")
        waiting = session.scalars(select(Ticket).where(
            Ticket.site_id == site.id, Ticket.service_date == today(site, now),
            Ticket.status == TicketStatus.WAITING)).all()
        every = [Candidate(t.id, t.category.code, PriorityClass(t.priority_class),
                           now - t.queued_at, number if t.target_window_id else None,
                           number=t.number)
                 for t in waiting
                 if t.target_window_id == window.id
                 or (t.target_window_id is None and t.category_id in ids)]
        heads = candidates_for(session, site, window, state, now)
        assert {c.ticket_id for c in heads} <= {c.ticket_id for c in every}
        return (choose_next(state.view(window), every, state.loads, state.rules),
                choose_next(state.view(window), heads, state.loads, state.rules))


def test_call_picks_what_the_policy_picks_over_all_waiting_tickets(hall, kiosk, people, clock):
    rng = random.Random(20261130)
    with hall.db.writer() as session:  # room for the random queues (tax's cap is 3)
        session.execute(update(Category).values(daily_cap=1000))
        session.commit()
    staff = ["staff1", "staff2", "staff3", "boss"]
    for number, name in enumerate(staff, start=1):
        staff_window(hall, number, people[name], post=rng.choice("AB"))
    tickets = []
    for _ in range(120):
        cls = rng.choices(["normal", "priority", "appointment"], [8, 2, 1])[0]
        actor = people["boss"] if cls == "appointment" else kiosk
        tickets.append(issue(hall, actor, rng.choice(CATEGORIES), priority_class=cls)["id"])
        if rng.random() < 0.5:  # same-second arrivals too: ties go by ticket id
            clock.advance(seconds=rng.choice([1, 30, 200]))
    for ticket_id in rng.sample(tickets, 8):  # 转办 to one window
        calling.transfer(hall.uow(), "test", ticket_id, people["boss"],
                         to_window=rng.randint(1, 4))
    calls = 0
    while True:
        open_windows = [n for n in range(1, 5) if brute_force_choice(hall, n)[0] is not None]
        if not open_windows:
            break
        number = rng.choice(open_windows)
        expected, from_heads = brute_force_choice(hall, number)
        assert from_heads == expected
        actor = people[staff[number - 1]]
        called = call(hall, number, actor)
        assert called["id"] == expected.ticket_id
        assert called["call_reason"]["rule"] == expected.rule
        calls += 1
        clock.advance(seconds=rng.choice([0, 20, 100]))
        if rng.random() < 0.15:  # 过号 then back in the queue, behind everyone
            act(hall, called["id"], Action.NO_SHOW, actor)
            act(hall, called["id"], Action.REINSTATE, actor)
        else:
            act(hall, called["id"], Action.START, actor)
            act(hall, called["id"], Action.FINISH, actor)
    assert calls >= 120
    try:
        call(hall, 1, people["staff1"])
    except NothingToCall:
        pass
    else:
        raise AssertionError("a ticket was left that the brute force did not see")
