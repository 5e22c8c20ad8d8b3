"""Discrete-event simulation of a hall day through the real calling policy.

Time is in minutes after local midnight. Every idle open window asks
`queue_core.domain.policy.choose_next` with the same views the live hall builds
(queue_core/service/queue_state.py), so what is simulated is what the windows would call.
A run is a pure function of its inputs: service times come from random.Random(seed), drawn once
per arrival in arrival order, so two plans run with the same seed serve the same applicants with
the same service times (common random numbers) and their difference is the plan's alone.
"""
from __future__ import annotations

import heapq
import math
import random
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta

from ..domain.model import PriorityClass
from ..domain.policy import CallRules, Candidate, CategoryLoad, WindowView, choose_next
from ..domain.stats import mean, percentile

CLASSES = (PriorityClass.APPOINTMENT, PriorityClass.PRIORITY, PriorityClass.NORMAL)

# Arrivals per hour by category, in pieces of the day: {code: ((from, until, per_hour), …)}.
Rates = Mapping[str, Sequence[tuple[float, float, float]]]


@dataclass(frozen=True)
class Arrival:
    at: float                 # minutes after local midnight
    category: str
    priority_class: PriorityClass = PriorityClass.NORMAL
    service: float | None = None  # minutes; None: drawn from the seed


def with_service_times(arrivals: Sequence[Arrival], categories: Mapping[str, CategorySpec],
                       seed: int, distribution: str = "exponential",
                       cv: float = 1.0) -> list[Arrival]:
    """The arrivals, sorted, each with its service time fixed, so any subset of them (one
    category, a part of the day) is served exactly as in the whole day."""
    ordered = sorted(arrivals, key=lambda a: a.at)
    drawn = service_times(ordered, categories, seed, distribution, cv)
    return [a if a.service is not None else replace(a, service=s) for a, s in zip(ordered, drawn)]


@dataclass(frozen=True)
class CategorySpec:
    code: str
    service_minutes: float        # mean service time
    wait_target_minutes: float    # the category's own target (drives the over_target B trigger)


@dataclass(frozen=True)
class PlannedWindow:
    number: int
    a: frozenset[str]
    b: frozenset[str] = frozenset()
    periods: tuple[tuple[float, float], ...] = ((0.0, 24 * 60.0),)  # open [from, until) minutes
    posts: frozenset[str] = frozenset({"A"})                       # staffed posts (A, B)


@dataclass(frozen=True)
class WindowPlan:
    windows: tuple[PlannedWindow, ...]

    def a_only(self) -> "WindowPlan":
        """Strict A-only queues: every window serves its A categories and nothing else."""
        return WindowPlan(tuple(replace(w, b=frozenset()) for w in self.windows))

    def pooled(self, categories: Iterable[str]) -> "WindowPlan":
        """Full pooling: every window serves every category as its A work."""
        every = frozenset(categories)
        return WindowPlan(tuple(replace(w, a=every, b=frozenset(), posts=frozenset({"A"}))
                                for w in self.windows))

    def with_extra(self, category: str, count: int, start: float, end: float) -> "WindowPlan":
        """`count` more windows serving `category` as A work from `start` to `end`."""
        first = max((w.number for w in self.windows), default=0) + 1
        extra = tuple(PlannedWindow(first + i, frozenset({category}), periods=((start, end),))
                      for i in range(count))
        return WindowPlan(self.windows + extra)


@dataclass(frozen=True)
class Served:
    """One applicant's outcome; `wait` of an unserved applicant is censored at the day's end."""

    index: int
    category: str
    arrived: float
    wait: float
    window: int | None
    via_backup: bool
    service: float


@dataclass(frozen=True)
class Figures:
    arrivals: int
    served: int
    mean_wait_minutes: float | None
    p90_wait_minutes: float | None
    within_target_share: float | None

    def as_dict(self) -> dict:
        r = lambda v, n=2: None if v is None else round(v, n)
        return {"arrivals": self.arrivals, "served": self.served,
                "unserved": self.arrivals - self.served,
                "mean_wait_minutes": r(self.mean_wait_minutes),
                "p90_wait_minutes": r(self.p90_wait_minutes),
                "within_target_share": r(self.within_target_share, 4)}


@dataclass(frozen=True)
class SimResult:
    tickets: tuple[Served, ...]
    target_minutes: float
    busy_minutes: float
    open_minutes: float

    def figures(self, tickets: Sequence[Served] | None = None) -> Figures:
        """Mean and p90 wait and share within target; an unserved applicant counts as missed."""
        tickets = self.tickets if tickets is None else tickets
        waits = [t.wait for t in tickets]
        served = sum(1 for t in tickets if t.window is not None)
        within = sum(1 for t in tickets if t.window is not None and t.wait <= self.target_minutes)
        return Figures(len(tickets), served, mean(waits), percentile(waits, 90),
                       within / len(tickets) if tickets else None)

    def of_category(self, code: str) -> list[Served]:
        return [t for t in self.tickets if t.category == code]

    @property
    def utilisation(self) -> float | None:
        return self.busy_minutes / self.open_minutes if self.open_minutes else None

    @property
    def served_on_a_share(self) -> float | None:
        """Share of calls a window made on its own A work (not through a B post)."""
        served = [t for t in self.tickets if t.window is not None]
        return sum(1 for t in served if not t.via_backup) / len(served) if served else None

    def as_dict(self) -> dict:
        codes = sorted({t.category for t in self.tickets})
        return {**self.figures().as_dict(),
                "utilisation": None if self.utilisation is None else round(self.utilisation, 4),
                "served_on_a_share": (None if self.served_on_a_share is None
                                      else round(self.served_on_a_share, 4)),
                "categories": {c: self.figures(self.of_category(c)).as_dict() for c in codes}}


def service_times(arrivals: Sequence[Arrival], categories: Mapping[str, CategorySpec], seed: int,
                  distribution: str = "exponential", cv: float = 1.0) -> list[float]:
    """One service time per arrival, in arrival order, from random.Random(seed).

    exponential: mean = the category's service minutes; lognormal: that mean with coefficient
    of variation `cv` (measured service in halls is skewed: most are quick, some take long)."""
    rng = random.Random(seed)
    if distribution == "exponential":
        return [rng.expovariate(1 / categories[a.category].service_minutes) for a in arrivals]
    if distribution == "lognormal":
        sigma = math.sqrt(math.log(1 + cv * cv))
        return [rng.lognormvariate(math.log(categories[a.category].service_minutes)
                                   - sigma * sigma / 2, sigma) for a in arrivals]
    raise ValueError(f"unknown distribution {distribution!r}")


@dataclass
class _Window:
    plan: PlannedWindow
    open: bool = False
    busy_until: float | None = None
    streak: int = 0
    opened_at: float = 0.0


@dataclass
class _Queues:
    """Waiting applicants per (category, class), each FIFO by arrival."""

    heads: dict[tuple[str, PriorityClass], deque] = field(default_factory=dict)
    waiting: dict[str, int] = field(default_factory=dict)

    def push(self, index: int, arrival: Arrival) -> None:
        self.heads.setdefault((arrival.category, arrival.priority_class), deque()).append(index)
        self.waiting[arrival.category] = self.waiting.get(arrival.category, 0) + 1

    def pop(self, index: int, arrival: Arrival) -> None:
        queue = self.heads[(arrival.category, arrival.priority_class)]
        assert queue[0] == index
        queue.popleft()
        self.waiting[arrival.category] -= 1


FREE, CLOSE, OPEN, ARRIVE = 0, 1, 2, 3  # same-minute order: finish, close, (re)open, arrive


def simulate(arrivals: Sequence[Arrival], plan: WindowPlan, categories: Mapping[str, CategorySpec],
             rules: CallRules, *, seed: int, target_minutes: float,
             distribution: str = "exponential", cv: float = 1.0) -> SimResult:
    """Run the day: each idle open window calls what choose_next picks; returns every outcome."""
    order = sorted(range(len(arrivals)), key=lambda i: (arrivals[i].at, i))
    arrivals = [arrivals[i] for i in order]
    unknown = {a.category for a in arrivals} - set(categories)
    if unknown:
        raise ValueError(f"arrivals of unknown categories {sorted(unknown)}")
    services = [a.service if a.service is not None else s
                for a, s in zip(arrivals, service_times(arrivals, categories, seed, distribution,
                                                         cv))]
    windows = {w.number: _Window(w)
               for w in sorted(plan.windows, key=lambda w: w.number)}
    events: list[tuple[float, int, int, int]] = []
    for i, a in enumerate(arrivals):
        events.append((a.at, ARRIVE, i, i))
    for number, w in windows.items():
        for start, end in w.plan.periods:
            if end > start:
                events.append((start, OPEN, number, 0))
                events.append((end, CLOSE, number, 0))
    heapq.heapify(events)
    queues = _Queues()
    staffed_a: dict[str, int] = {}  # open windows with an A post serving the category as A
    outcome: dict[int, Served] = {}
    busy = open_minutes = 0.0
    end_of_day = max([a.at for a in arrivals] + [end for w in plan.windows
                                                 for _, end in w.periods], default=0.0)

    while events:
        now, kind, key, _ = heapq.heappop(events)
        if kind == ARRIVE:
            queues.push(key, arrivals[key])
        elif kind == FREE:
            windows[key].busy_until = None
        elif kind == OPEN:
            w = windows[key]
            if not w.open:
                w.open, w.opened_at = True, now
                _count_a_posts(w, staffed_a, +1)
        elif kind == CLOSE:
            w = windows[key]
            if w.open:
                w.open = False
                open_minutes += now - w.opened_at
                _count_a_posts(w, staffed_a, -1)
        # Same-minute events are applied before anyone calls, as the live hall would see them.
        if events and events[0][0] == now:
            continue
        busy += _dispatch(now, windows, queues, arrivals, services, categories, rules, outcome,
                          events, staffed_a)

    tickets = tuple(outcome.get(i) or Served(i, a.category, a.at, max(0.0, end_of_day - a.at),
                                             None, False, 0.0)
                    for i, a in enumerate(arrivals))
    return SimResult(tickets, target_minutes, busy, open_minutes)


def _count_a_posts(w: _Window, staffed_a: dict[str, int], step: int) -> None:
    if "A" in w.plan.posts:
        for code in w.plan.a:
            staffed_a[code] = staffed_a.get(code, 0) + step


def _dispatch(now: float, windows: dict[int, _Window], queues: _Queues, arrivals: list[Arrival],
              services: list[float], categories: Mapping[str, CategorySpec], rules: CallRules,
              outcome: dict[int, Served], events: list, staffed_a: dict[str, int]) -> float:
    """Let every idle open window call once; returns the service minutes started.

    Who presses "call next" first is a race in the hall. The simulator settles it the way staff
    do: windows whose policy choice is their own A work call first (by number), then idle
    windows that would call through a B post, with the queue as it is by then."""
    started = 0.0
    loads: dict[str, CategoryLoad] = {}
    for backup_pass in (False, True):
        for w in windows.values():
            if not w.open or w.busy_until is not None or not w.plan.posts:
                continue
            mine = w.plan.a | w.plan.b
            if not any(queues.waiting.get(c) for c in mine):
                continue
            # choose_next reads the loads of the window's B categories only (backup triggers).
            for code in w.plan.b:
                if code not in loads:
                    loads[code] = _load(code, now, queues, arrivals, categories, staffed_a)
            candidates = [Candidate(ticket_id=q[0], category=cat, priority_class=cls,
                                    waited=timedelta(minutes=now - arrivals[q[0]].at))
                          for (cat, cls), q in queues.heads.items() if q and cat in mine]
            view = WindowView(w.plan.number, w.plan.a, w.plan.b, w.streak)
            choice = choose_next(view, candidates, loads, rules)
            if choice is None or (choice.via_backup and not backup_pass):
                continue
            index = choice.ticket_id
            queues.pop(index, arrivals[index])
            w.streak = choice.priority_streak_after
            service = services[index]
            w.busy_until = now + service
            heapq.heappush(events, (now + service, FREE, w.plan.number, 0))
            outcome[index] = Served(index, choice.category, arrivals[index].at,
                                    now - arrivals[index].at, w.plan.number, choice.via_backup,
                                    service)
            started += service
            loads.pop(choice.category, None)  # its queue changed: the next window sees it anew
    return started


def _load(code: str, now: float, queues: _Queues, arrivals: list[Arrival],
          categories: Mapping[str, CategorySpec], staffed_a: dict[str, int]) -> CategoryLoad:
    """A category's CategoryLoad exactly as queue_state.hall_state builds it for the live hall."""
    heads = [queues.heads[(code, cls)][0] for cls in CLASSES if queues.heads.get((code, cls))]
    oldest = min((arrivals[i].at for i in heads), default=None)
    return CategoryLoad(
        code=code, waiting=queues.waiting.get(code, 0),
        oldest_wait=timedelta(minutes=now - oldest) if oldest is not None else timedelta(0),
        wait_target=timedelta(minutes=categories[code].wait_target_minutes),
        staffed_a_windows=staffed_a.get(code, 0))


def observed_rates(arrivals: Sequence[Arrival], bounds: Sequence[tuple[float, float]]) -> dict:
    """The rates a recorded day shows: each category's arrivals per hour in each piece, so
    poisson_arrivals can draw other days like it."""
    rates: dict[str, list[tuple[float, float, float]]] = {}
    for code in sorted({a.category for a in arrivals}):
        mine = [a.at for a in arrivals if a.category == code]
        rates[code] = [(s, e, sum(1 for t in mine if s <= t < e) * 60 / (e - s))
                       for s, e in bounds if e > s]
    return rates


def poisson_arrivals(rates: Rates, seed: int, priority_share: float = 0.0) -> list[Arrival]:
    """A synthetic day: for each category, (from, until, arrivals per hour) pieces of a Poisson
    process; a `priority_share` of applicants belongs to a priority group."""
    rng = random.Random(seed)
    result = []
    for code in sorted(rates):
        for start, end, per_hour in rates[code]:
            t = start
            while per_hour > 0:
                t += rng.expovariate(per_hour / 60)
                if t >= end:
                    break
                cls = PriorityClass.PRIORITY if rng.random() < priority_share else PriorityClass.NORMAL
                result.append(Arrival(t, code, cls))
    return sorted(result, key=lambda a: (a.at, a.category))
