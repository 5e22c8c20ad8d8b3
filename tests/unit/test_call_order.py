"""The console's queue order is the calls' order: call_order must equal choose_next called again
and again over every remaining ticket, with the window's streak and the loads kept up to date."""
import random
from dataclasses import replace
from datetime import timedelta

import pytest

from queue_core.domain.model import PriorityClass
from queue_core.domain.policy import (Candidate, CallRules, CategoryLoad, WindowView,
                                      call_order, choose_next)

CATS = ["social", "tax", "realty"]


def brute_force(window, cands, loads, rules):
    """Successive calls over all remaining tickets (no heads), loads shrinking as in call_order."""
    left, loads, order = list(cands), dict(loads), []
    while (choice := choose_next(window, left, loads, rules)) is not None:
        order.append(choice)
        left = [c for c in left if c.ticket_id != choice.ticket_id]
        window = replace(window, priority_streak=choice.priority_streak_after)
        rest = [c.waited for c in left
                if c.category == choice.category and c.target_window is None]
        load = loads[choice.category]
        loads[choice.category] = replace(load, waiting=load.waiting - 1,
                                         oldest_wait=max(rest, default=timedelta(0)))
    return order


@pytest.mark.parametrize("seed", range(40))
def test_call_order_is_successive_calls_over_all_tickets(seed):
    rng = random.Random(seed)
    cands = [Candidate(i, rng.choice(CATS), rng.choice(list(PriorityClass)),
                       timedelta(minutes=rng.choice([0, 1, 5, 12, 30, 45, 60])),
                       rng.choice([None] * 8 + [1, 2]))
             for i in range(rng.randint(0, 60))]
    rules = CallRules(backlog_per_a_window=rng.choice([2, 8]), priority_streak_cap=2,
                      b_overtake=timedelta(minutes=15), idle_pull_b=rng.random() < 0.5)
    window = WindowView(1, frozenset({"social"}), frozenset({"tax"}), rng.randint(0, 2))
    loads = {code: CategoryLoad(code, sum(1 for c in cands if c.category == code),
                                max((c.waited for c in cands if c.category == code),
                                    default=timedelta(0)),
                                timedelta(minutes=rng.choice([10, 40])), rng.randint(0, 2))
             for code in CATS}
    mine = [c for c in cands if c.target_window in (None, 1)]
    assert call_order(window, cands, loads, rules) == brute_force(window, mine, loads, rules)


def test_transferred_tickets_first_then_appointments_priority_capped_then_arrival():
    m = lambda n: timedelta(minutes=n)  # noqa: E731
    N, P, A = PriorityClass.NORMAL, PriorityClass.PRIORITY, PriorityClass.APPOINTMENT
    cands = [Candidate(1, "social", N, m(50)), Candidate(2, "social", P, m(10)),
             Candidate(3, "social", P, m(9)), Candidate(4, "social", P, m(8)),
             Candidate(5, "social", A, m(1)), Candidate(6, "tax", N, m(5), target_window=1),
             Candidate(7, "social", N, m(40)), Candidate(8, "social", N, m(60), target_window=2)]
    loads = {"social": CategoryLoad("social", 6, m(50), m(30), 1)}
    window = WindowView(1, frozenset({"social"}), frozenset())
    order = call_order(window, cands, loads, CallRules(priority_streak_cap=2))
    assert [c.ticket_id for c in order] == [6, 5, 2, 3, 1, 4, 7]  # 8 is window 2's
    assert [c.rule for c in order][:5] == ["transferred_to_window", "appointment", "priority",
                                           "priority", "priority_cap"]
