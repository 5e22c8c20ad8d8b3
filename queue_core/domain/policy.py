"""The calling policy: which waiting ticket a window calls next, and why.

A pure function of the queue state so it can be unit-tested and run by the simulator.
Eligible categories of a window: its A categories plus each B category that is backup-active
(岗位AB角). Among eligible tickets: tickets transferred to this very window, then appointments,
then priority groups (capped streak so normal tickets never starve), then A before B unless a
B ticket has waited much longer; ties by arrival. A choice names the oldest eligible ticket it
passed over, if any, and the rule that beat it, so a dispute at the counter can be answered.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from enum import StrEnum

from .model import PriorityClass


class Rule(StrEnum):
    """Why a ticket won a call (kept with the call; the pages show its label)."""

    TRANSFERRED_TO_WINDOW = "transferred_to_window"
    APPOINTMENT = "appointment"
    PRIORITY = "priority"
    PRIORITY_CAP = "priority_cap"      # the priority streak cap gave a normal ticket its turn
    ARRIVAL = "arrival"
    BACKUP_OVERTAKE = "backup_overtake"  # a B ticket waited much longer than the A tickets
    A_FIRST = "a_first"                # beat an older B ticket: A work first unless B overtakes
    SPECIAL = "special"                # 特呼: staff called this number out of turn, with a reason


class Trigger(StrEnum):
    """Why a B category was active for the window that called it."""

    FORCED_ON = "forced_on"
    NO_A_POST = "no_a_post"
    BACKLOG = "backlog"
    OVER_TARGET = "over_target"
    IDLE_PULL = "idle_pull"


@dataclass(frozen=True)
class Candidate:
    ticket_id: int
    category: str
    priority_class: PriorityClass
    waited: timedelta
    target_window: int | None = None  # transferred to one window: only it may call the ticket
    number: str | None = None         # the ticket's number, for the record of a passed-over one


@dataclass(frozen=True)
class CategoryLoad:
    """What the policy needs to know about one category right now."""

    code: str
    waiting: int
    oldest_wait: timedelta
    wait_target: timedelta
    staffed_a_windows: int             # open windows serving it as A with an A post signed in
    backup_override: bool | None = None  # manager forced B posts on (True) or off (False)


@dataclass(frozen=True)
class WindowView:
    number: int
    a_categories: frozenset[str]
    b_categories: frozenset[str]
    priority_streak: int = 0  # consecutive priority calls made by this window


@dataclass(frozen=True)
class CallRules:
    backlog_per_a_window: int = 8          # B posts help when more wait per staffed A window
    priority_streak_cap: int = 3           # after this many priority calls, call a normal ticket
    b_overtake: timedelta = timedelta(minutes=15)  # B ticket beats A when it waited this much longer
    idle_pull_b: bool = True               # a window with no eligible work may pull any B work


@dataclass(frozen=True)
class PassedOver:
    """The oldest eligible ticket a call did not take, and the rule that beat it."""

    ticket_id: int
    number: str | None
    category: str
    priority_class: str
    waited: timedelta
    beaten_by: str

    def record(self) -> dict[str, object]:
        return {"ticket_id": self.ticket_id, "number": self.number, "category": self.category,
                "priority_class": self.priority_class,
                "waited_seconds": int(self.waited.total_seconds()), "beaten_by": self.beaten_by}


@dataclass(frozen=True)
class Choice:
    ticket_id: int
    category: str
    rule: str                        # why this ticket won (stable code, translated in the UI)
    via_backup: bool                 # reached through one of the window's B categories
    backup_trigger: str | None       # why the B category was active
    priority_streak_after: int
    detail: Mapping[str, object] = field(default_factory=dict)
    passed_over: PassedOver | None = None  # an older eligible ticket this call did not take

    def reason(self) -> dict[str, object]:
        """The record kept with the call (and in its event), to answer a dispute at the counter."""
        passed = {"passed_over": self.passed_over.record()} if self.passed_over else {}
        return {"rule": self.rule, "category": self.category, "via_backup": self.via_backup,
                "backup_trigger": self.backup_trigger, **self.detail, **passed}


def backup_trigger(load: CategoryLoad | None, rules: CallRules) -> str | None:
    """Why B posts should take this category now, or None when its A posts cope."""
    if load is None:
        return None
    if load.backup_override is not None:
        return Trigger.FORCED_ON if load.backup_override else None
    if load.waiting == 0:
        return None
    if load.staffed_a_windows == 0:
        return Trigger.NO_A_POST
    if load.waiting / load.staffed_a_windows > rules.backlog_per_a_window:
        return Trigger.BACKLOG
    if load.oldest_wait > load.wait_target:
        return Trigger.OVER_TARGET
    return None


def choose_next(window: WindowView, candidates: Sequence[Candidate],
                loads: Mapping[str, CategoryLoad], rules: CallRules) -> Choice | None:
    """Pick the ticket this window calls now, and say why; None when nothing is eligible."""
    pool = [c for c in candidates if c.target_window is None]
    triggers = {code: backup_trigger(loads.get(code), rules) for code in window.b_categories}
    active_b = {code for code, trigger in triggers.items() if trigger}
    eligible = [c for c in pool
                if c.category in window.a_categories or c.category in active_b]
    if not eligible and rules.idle_pull_b:
        eligible = [c for c in pool if c.category in window.b_categories]
        triggers = {code: Trigger.IDLE_PULL for code in window.b_categories}

    mine = [c for c in candidates if c.target_window == window.number]
    if mine:
        winner = _oldest(mine)
        return _choice(winner, window, Rule.TRANSFERRED_TO_WINDOW, None, window.priority_streak,
                       _passed_over(winner, eligible, Rule.TRANSFERRED_TO_WINDOW))
    if not eligible:
        return None

    def pick(group: list[Candidate], rule: str, streak_after: int) -> Choice:
        winner, overtook = _prefer_a(group, window, rules)
        chosen_rule = Rule.BACKUP_OVERTAKE if overtook else rule
        trigger = triggers.get(winner.category) if winner.category not in window.a_categories else None
        return _choice(winner, window, chosen_rule, trigger, streak_after,
                       _passed_over(winner, eligible, rule))

    appointments = _of_class(eligible, PriorityClass.APPOINTMENT)
    if appointments:
        return pick(appointments, Rule.APPOINTMENT, window.priority_streak)
    priority = _of_class(eligible, PriorityClass.PRIORITY)
    normal = _of_class(eligible, PriorityClass.NORMAL)
    if priority and (window.priority_streak < rules.priority_streak_cap or not normal):
        return pick(priority, Rule.PRIORITY, window.priority_streak + 1)
    rule = Rule.PRIORITY_CAP if priority else Rule.ARRIVAL
    return pick(normal, rule, 0)


def call_order(window: WindowView, candidates: Sequence[Candidate],
               loads: Mapping[str, CategoryLoad], rules: CallRules) -> list[Choice]:
    """The choices successive calls by this window alone would make, in order: the queue as the
    window's console lists it. Each step is choose_next over what a call offers it (the head of
    each (category, class) queue and the oldest ticket transferred here), so the list cannot
    disagree with the calls and n tickets cost n small steps; the loads shrink as tickets leave.
    Tickets it would never call now (B work while backup is off) are left out."""
    def queue_key(c: Candidate) -> tuple:
        return (c.category, c.priority_class) if c.target_window is None else ("", "")
    queues: dict[tuple, deque[Candidate]] = {}
    for c in sorted((c for c in candidates
                     if c.target_window in (None, window.number)), key=_age_order):
        queues.setdefault(queue_key(c), deque()).append(c)
    loads = dict(loads)
    order: list[Choice] = []
    while queues:
        heads = [q[0] for q in queues.values()]
        choice = choose_next(window, heads, loads, rules)
        if choice is None:
            break
        order.append(choice)
        key = queue_key(next(c for c in heads if c.ticket_id == choice.ticket_id))
        queues[key].popleft()
        if not queues[key]:
            del queues[key]
        window = replace(window, priority_streak=choice.priority_streak_after)
        load = loads.get(choice.category)
        if load is not None:
            rest = [q[0].waited for (cat, _), q in queues.items() if cat == choice.category]
            loads[choice.category] = replace(load, waiting=max(0, load.waiting - 1),
                                             oldest_wait=max(rest, default=timedelta(0)))
    return order


def _of_class(cands: Iterable[Candidate], cls: PriorityClass) -> list[Candidate]:
    return [c for c in cands if c.priority_class == cls]


def _age_order(c: Candidate) -> tuple[timedelta, int]:
    # Longest wait first; ticket id breaks ties so the order is total and reproducible.
    return (-c.waited, c.ticket_id)


def _oldest(cands: Iterable[Candidate]) -> Candidate:
    return min(cands, key=_age_order)


def _prefer_a(group: list[Candidate], window: WindowView,
              rules: CallRules) -> tuple[Candidate, bool]:
    """Oldest A ticket, unless the oldest B ticket has waited `b_overtake` longer."""
    a_side = [c for c in group if c.category in window.a_categories]
    b_side = [c for c in group if c.category not in window.a_categories]
    if not a_side:
        return _oldest(b_side), False
    oldest_a = _oldest(a_side)
    if b_side:
        oldest_b = _oldest(b_side)
        if oldest_b.waited - oldest_a.waited >= rules.b_overtake:
            return oldest_b, True
    return oldest_a, False


def _passed_over(winner: Candidate, eligible: Sequence[Candidate],
                 class_rule: str) -> PassedOver | None:
    """The oldest eligible ticket that waited longer than the winner, and what beat it: the
    class order (appointment, priority, the priority cap) or a transfer to this window when it
    is of another class or was transferred, else A work before B (same class, the B ticket not
    `b_overtake` older). Reading queue heads is enough: behind a head nobody waited longer."""
    older = [c for c in eligible if c.waited > winner.waited and c.ticket_id != winner.ticket_id]
    if not older:
        return None
    first = _oldest(older)
    beaten_by = (class_rule if class_rule == Rule.TRANSFERRED_TO_WINDOW
                 or first.priority_class != winner.priority_class else Rule.A_FIRST)
    return PassedOver(first.ticket_id, first.number, first.category, str(first.priority_class),
                      first.waited, beaten_by)


def _choice(c: Candidate, window: WindowView, rule: str, trigger: str | None,
            streak_after: int, passed_over: PassedOver | None = None) -> Choice:
    return Choice(ticket_id=c.ticket_id, category=c.category, rule=rule,
                  via_backup=c.category not in window.a_categories, backup_trigger=trigger,
                  priority_streak_after=streak_after,
                  detail={"waited_seconds": int(c.waited.total_seconds()),
                          "priority_class": str(c.priority_class)},
                  passed_over=passed_over)
