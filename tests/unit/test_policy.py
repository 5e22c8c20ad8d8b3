"""The calling policy: who a window calls next, and why."""
from datetime import timedelta

import pytest

from queue_core.domain.model import PriorityClass
from queue_core.domain.policy import (Candidate, CallRules, CategoryLoad, WindowView,
                                      backup_trigger, choose_next)

N, P, APPT = PriorityClass.NORMAL, PriorityClass.PRIORITY, PriorityClass.APPOINTMENT
RULES = CallRules(backlog_per_a_window=5, priority_streak_cap=2, b_overtake=timedelta(minutes=15),
                  idle_pull_b=False)
WINDOW = WindowView(number=1, a_categories=frozenset({"social"}), b_categories=frozenset({"tax"}))


def cand(tid, category="social", minutes=0, cls=N, target=None):
    return Candidate(tid, category, cls, timedelta(minutes=minutes), target)


def load(code, waiting=1, oldest=0, target=30, a_posts=1, override=None):
    return CategoryLoad(code, waiting, timedelta(minutes=oldest), timedelta(minutes=target),
                        a_posts, override)


def loads(**kw):
    return {"social": load("social"), "tax": load("tax", **kw)}


def test_window_calls_its_longest_waiting_a_ticket():
    choice = choose_next(WINDOW, [cand(1, minutes=3), cand(2, minutes=9)], loads(), RULES)
    assert (choice.ticket_id, choice.rule, choice.via_backup) == (2, "arrival", False)


def test_b_work_is_not_called_while_its_a_posts_cope():
    assert choose_next(WINDOW, [cand(5, "tax", minutes=20)], loads(), RULES) is None


@pytest.mark.parametrize("kw,trigger", [
    ({"a_posts": 0}, "no_a_post"),
    ({"waiting": 11, "a_posts": 2}, "backlog"),
    ({"oldest": 31}, "over_target"),
    ({"override": True}, "forced_on"),
])
def test_b_category_becomes_backup_active(kw, trigger):
    choice = choose_next(WINDOW, [cand(5, "tax", minutes=20)], loads(**kw), RULES)
    assert choice.ticket_id == 5 and choice.via_backup and choice.backup_trigger == trigger
    assert choice.reason()["backup_trigger"] == trigger


def test_manager_can_force_backup_off_even_without_a_post():
    assert backup_trigger(load("tax", a_posts=0, override=False), RULES) is None


def test_a_ticket_first_unless_b_ticket_waited_much_longer():
    active = loads(a_posts=0)
    near = choose_next(WINDOW, [cand(1, minutes=10), cand(2, "tax", minutes=24)], active, RULES)
    assert near.ticket_id == 1
    far = choose_next(WINDOW, [cand(1, minutes=10), cand(2, "tax", minutes=25)], active, RULES)
    assert (far.ticket_id, far.rule, far.via_backup) == (2, "backup_overtake", True)


def test_appointments_before_priority_before_normal():
    cands = [cand(1, minutes=30), cand(2, minutes=5, cls=P), cand(3, minutes=1, cls=APPT)]
    assert choose_next(WINDOW, cands, loads(), RULES).rule == "appointment"
    assert choose_next(WINDOW, cands[:2], loads(), RULES).ticket_id == 2


def test_priority_streak_cap_lets_normal_tickets_through():
    cands = [cand(1, minutes=30), cand(2, minutes=5, cls=P)]
    tired = WindowView(1, WINDOW.a_categories, WINDOW.b_categories, priority_streak=2)
    choice = choose_next(tired, cands, loads(), RULES)
    assert (choice.ticket_id, choice.rule, choice.priority_streak_after) == (1, "priority_cap", 0)
    only_priority = choose_next(tired, cands[1:], loads(), RULES)
    assert only_priority.ticket_id == 2 and only_priority.priority_streak_after == 3


def test_ticket_transferred_to_a_window_goes_only_to_that_window():
    cands = [cand(1, minutes=30), cand(2, "realty", minutes=1, target=1)]
    assert choose_next(WINDOW, cands, loads(), RULES).rule == "transferred_to_window"
    other = WindowView(2, WINDOW.a_categories, WINDOW.b_categories)
    assert choose_next(other, cands, loads(), RULES).ticket_id == 1


def test_idle_window_pulls_b_work_when_allowed():
    idle_rules = CallRules(idle_pull_b=True)
    choice = choose_next(WINDOW, [cand(5, "tax", minutes=1)], loads(), idle_rules)
    assert choice.ticket_id == 5 and choice.backup_trigger == "idle_pull"


def test_ties_go_by_arrival_order():
    choice = choose_next(WINDOW, [cand(7, minutes=4), cand(3, minutes=4)], loads(), RULES)
    assert choice.ticket_id == 3


def test_nothing_to_call_when_no_candidates():
    assert choose_next(WINDOW, [], loads(), RULES) is None


# --- what a call passed over, and why (the record that answers a dispute) -------------------

def test_an_a_ticket_called_before_an_older_b_ticket_names_it_and_the_a_first_rule():
    # tax is backup-active (no A post); its ticket waited 10 minutes longer, under the 15 that
    # would let it overtake.
    choice = choose_next(WINDOW, [cand(1, minutes=5), Candidate(2, "tax", N, timedelta(minutes=15),
                                                                 number="B002")],
                         loads(a_posts=0), RULES)
    assert (choice.ticket_id, choice.rule) == (1, "arrival")
    passed = choice.reason()["passed_over"]
    assert passed == {"ticket_id": 2, "number": "B002", "category": "tax", "priority_class": "normal",
                      "waited_seconds": 900, "beaten_by": "a_first"}


@pytest.mark.parametrize("cands,streak,rule,passed,beaten_by", [
    # a priority ticket before an older normal one
    ([cand(1, minutes=30), cand(2, minutes=2, cls=P)], 0, "priority", 1, "priority"),
    # an appointment before older priority and normal ones: the oldest of them is named
    ([cand(1, minutes=30), cand(2, minutes=40, cls=P), cand(3, minutes=1, cls=APPT)], 0,
     "appointment", 2, "appointment"),
    # the streak cap lets a normal ticket go before an older priority one
    ([cand(1, minutes=3), cand(2, minutes=20, cls=P)], 2, "priority_cap", 2, "priority_cap"),
    # a ticket transferred to this window before older ones of the pool
    ([cand(1, minutes=30), cand(2, "tax", minutes=1, target=1)], 0, "transferred_to_window", 1,
     "transferred_to_window"),
])
def test_a_call_names_the_oldest_eligible_ticket_it_passed_over(cands, streak, rule, passed,
                                                                 beaten_by):
    window = WindowView(1, frozenset({"social"}), frozenset({"tax"}), priority_streak=streak)
    choice = choose_next(window, cands, loads(), RULES)
    assert choice.rule == rule
    assert (choice.passed_over.ticket_id, choice.passed_over.beaten_by) == (passed, beaten_by)


def test_nothing_is_passed_over_when_the_oldest_eligible_ticket_is_called():
    # the older tax ticket is not eligible (its A posts cope), so it was not passed over
    choice = choose_next(WINDOW, [cand(1, minutes=5), cand(2, "tax", minutes=60)], loads(), RULES)
    assert choice.ticket_id == 1 and choice.passed_over is None
    assert "passed_over" not in choice.reason()
    overtaking = choose_next(WINDOW, [cand(1, minutes=5), cand(2, "tax", minutes=30)],
                             loads(a_posts=0), RULES)
    assert overtaking.rule == "backup_overtake" and overtaking.passed_over is None
