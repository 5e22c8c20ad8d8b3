"""Staffing advice and what-if: windows each category needs per half hour for a wait target,
and the effect of opening more windows, measured with the simulator next to two references on
the same arrivals: strict A-only queues and full pooling (every window serving every category).
Neither reference is a bound: pooling is first-come-first-served, which a policy can beat on a
mean, and a finite day of changing demand has no steady state for Erlang C to describe.

A figure is never one random day: each replication redraws the arrivals (from the day's rates)
and the service times, and the answer gives the range over replications."""
from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from ..domain.policy import CallRules
from . import erlang
from .simulator import (Arrival, CategorySpec, Figures, PlannedWindow, Rates, SimResult,
                        WindowPlan, poisson_arrivals, simulate, with_service_times)

# The plans whose figures the advice and the what-if give (labels: queue_core/labels.py).
ROWS = ("policy", "advised", "a_only", "pooled", "baseline", "changed")
SLOT_MINUTES = 30
DRAIN_MINUTES = 8 * 60   # advised windows keep serving whoever is left after the last slot
REPLICATIONS = 3         # simulated days the advice must hold for (seed, seed + 1, …)
EVALUATIONS = 5          # simulated days the figures and their ranges are reported over
MAX_ROUNDS = 6           # correction rounds per category and direction: bounds the work per request


@dataclass(frozen=True)
class Target:
    minutes: float   # e.g. 15: an applicant is called within 15 minutes…
    share: float     # …for 90% of applicants


@dataclass(frozen=True)
class Scenario:
    """Everything a run depends on; the same scenario and seed give the same result."""

    arrivals: tuple[Arrival, ...]
    categories: Mapping[str, CategorySpec]
    rules: CallRules
    target: Target
    seed: int
    distribution: str = "exponential"
    cv: float = 1.0
    # Arrivals per hour by category and piece of the day that `arrivals` is one draw of
    # (None: the arrivals are all there is, and replications redraw service times only).
    rates: Rates | None = None
    priority_share: float = 0.0

    def replication(self, r: int) -> "Scenario":
        """Replication 0 is the scenario itself (the recorded day, or the synthetic draw); any
        other is another day like it: arrivals redrawn from the rates, service times from
        seed + r."""
        if r == 0:
            return self
        arrivals = (self.arrivals if self.rates is None else
                    tuple(poisson_arrivals(self.rates, self.seed + r, self.priority_share)))
        return replace(self, arrivals=arrivals, seed=self.seed + r)

    @cached_property
    def applicants(self) -> list[Arrival]:
        """The arrivals with their service times drawn once from the seed: every plan and every
        part of the day serves the same applicants for the same time."""
        return with_service_times(self.arrivals, self.categories, self.seed, self.distribution,
                                  self.cv)

    def run(self, plan: WindowPlan, arrivals: Sequence[Arrival] | None = None) -> SimResult:
        return simulate(self.applicants if arrivals is None else arrivals, plan, self.categories,
                        self.rules, seed=self.seed, target_minutes=self.target.minutes,
                        distribution=self.distribution, cv=self.cv)


@dataclass(frozen=True)
class CategorySlot:
    arrivals: int
    windows_needed: int
    erlang_windows: int


@dataclass(frozen=True)
class Slot:
    start: float
    end: float
    categories: dict[str, CategorySlot]


def slots(arrivals: Sequence[Arrival], opens: float, closes: float,
          length: float = SLOT_MINUTES) -> list[tuple[float, float]]:
    """Half hours of the opening day, without the empty ones at its start and end."""
    first = math.floor(opens / length) * length
    bounds = []
    start = first
    while start < closes:
        bounds.append((start, start + length))
        start += length
    busy = [i for i, (s, e) in enumerate(bounds) if any(s <= a.at < e for a in arrivals)]
    return bounds[busy[0]:busy[-1] + 1] if busy else []


def advise(scenario: Scenario, opens: float, closes: float) -> list[Slot]:
    """Windows each category needs per slot: Erlang C on the slot's arrivals, then corrected
    with the simulator, since a queue carries over from one half hour into the next. The
    simulated share is taken over REPLICATIONS simulated days (arrivals and service times
    redrawn), so the advice does not hang on one lucky or unlucky morning."""
    bounds = slots(scenario.arrivals, opens, closes)
    draws = [scenario.replication(r).applicants for r in range(REPLICATIONS)]
    needed: dict[str, list[int]] = {}
    first_guess: dict[str, list[int]] = {}
    counts: dict[str, list[int]] = {}
    for code, spec in scenario.categories.items():
        mine = [[a for a in draw if a.category == code] for draw in draws]
        per_draw = [[sum(1 for a in m if s <= a.at < e) for s, e in bounds] for m in mine]
        counts[code] = per_draw[0]
        first_guess[code] = [_erlang_windows(n, spec, scenario.target) for n in counts[code]]
        needed[code] = _adjust(scenario, code, mine, bounds, per_draw, first_guess[code])
    return [Slot(s, e, {code: CategorySlot(counts[code][i], needed[code][i], first_guess[code][i])
                        for code in scenario.categories})
            for i, (s, e) in enumerate(bounds)]


def advised_plan(advice: Sequence[Slot], first_number: int = 1) -> WindowPlan:
    """Dedicated windows as advised: the i-th window of a category is open in each slot that
    needs more than i; the last ones stay to serve whoever still waits."""
    windows = []
    codes = sorted({c for slot in advice for c in slot.categories})
    for code in codes:
        plan = _dedicated(code, [(s.start, s.end) for s in advice],
                          [s.categories[code].windows_needed for s in advice], first_number)
        windows.extend(plan.windows)
        first_number += len(plan.windows)
    return WindowPlan(tuple(windows))


def _erlang_windows(n: int, spec: CategorySpec, target: Target) -> int:
    if n == 0:
        return 0
    load = n / SLOT_MINUTES * spec.service_minutes
    return erlang.windows_for_target(load, spec.service_minutes, target.minutes, target.share)


def _adjust(scenario: Scenario, code: str, draws: list[list[Arrival]],
            bounds: list[tuple[float, float]], per_draw: list[list[int]],
            guess: list[int]) -> list[int]:
    """Add windows where the simulator misses the target, then take back those it does not
    need. A category on windows of its own does not depend on the others, so it runs alone.
    Slots are corrected together, a round per simulation, to keep the work per request small."""
    if not any(draws):
        return list(guess)
    # Never fewer windows than the slot's own work needs (its offered load over the simulated
    # days, rounded up): the target could sometimes be met by pushing a half hour's work onto
    # the next one, but that is not advice a hall can staff by.
    service = scenario.categories[code].service_minutes
    counts = [sum(ns) / len(ns) for ns in zip(*per_draw)]
    floor = [math.ceil(n * service / SLOT_MINUTES - 1e-9) if n else 0 for n in counts]
    cap = [max(f, *ns, 1) for f, ns in zip(floor, zip(*per_draw))]
    k = [max(g, f) for g, f in zip(guess, floor)]

    def failing(ks: list[int]) -> set[int]:
        plan = _dedicated(code, bounds, ks)
        results = [scenario.run(plan, arrivals) for arrivals in draws]
        return {i for i, (s, e) in enumerate(bounds)
                if counts[i] and _share(results, s, e) < scenario.target.share}

    return _correct(k, floor, cap, failing)


def _correct(k: list[int], floor: list[int], cap: list[int], failing,
             rounds: int = MAX_ROUNDS) -> list[int]:
    """Windows per slot corrected with the simulator (`failing`: the slots a count misses the
    target in): add where it misses, up to `cap`, then take back what is not needed, never
    below `floor` nor in a slot still missing. Rounds are bounded by `rounds` each way."""
    k = list(k)
    missed = failing(k)
    for _ in range(rounds):
        changed = False
        for i in sorted(missed):
            if i + 1 < len(k) and k[i + 1] == 0:
                k[i + 1], changed = 1, True   # late arrivals of slot i need someone in i + 1
            elif k[i] < cap[i]:
                k[i], changed = k[i] + 1, True
        if not changed:
            break
        missed = failing(k)
        if not missed:
            break
    # Take back a window in every other slot at once; keep the cuts that miss nothing new. A
    # slot still missing is not cut: a cut there would count as missing nothing new.
    for _ in range(rounds):
        changed = False
        for parity in (0, 1):
            cut = [i for i in range(parity, len(k), 2) if k[i] > floor[i] and i not in missed]
            if not cut:
                continue
            trial = [v - 1 if i in cut else v for i, v in enumerate(k)]
            worse = failing(trial) - missed
            keep = [i for i in cut if i not in worse and i + 1 not in worse]
            if not worse:
                k, changed = trial, True
            elif keep:
                trial = [v - 1 if i in keep else v for i, v in enumerate(k)]
                if not failing(trial) - missed:
                    k, changed = trial, True
        if not changed:
            break
    return k


def _share(results: list[SimResult], start: float, end: float) -> float:
    mine = [t for r in results for t in r.tickets if start <= t.arrived < end]
    return results[0].figures(mine).within_target_share or 0.0


def _dedicated(code: str, bounds: list[tuple[float, float]], ks: list[int],
               first_number: int = 1) -> WindowPlan:
    windows = []
    for i in range(max(ks, default=0)):
        periods: list[list[float]] = []
        for (s, e), k in zip(bounds, ks):
            if k > i:
                if periods and periods[-1][1] == s:
                    periods[-1][1] = e
                else:
                    periods.append([s, e])
        periods[-1][1] += DRAIN_MINUTES if periods[-1][1] == bounds[-1][1] else 0
        windows.append(PlannedWindow(first_number + i, frozenset({code}),
                                     periods=tuple((s, e) for s, e in periods)))
    return WindowPlan(tuple(windows))


def replicated(scenario: Scenario, plan: WindowPlan, replications: int = EVALUATIONS) -> dict:
    """A plan's figures over `replications` simulated days, all applicants together, with how
    far the days were apart (lowest and highest share within target and mean wait) and on how
    many days the whole hall met the target share."""
    results = [scenario.replication(r).run(plan) for r in range(replications)]
    merged = SimResult(tuple(t for r in results for t in r.tickets), scenario.target.minutes,
                       sum(r.busy_minutes for r in results), sum(r.open_minutes for r in results))
    days = [r.figures() for r in results if r.tickets]
    spread = lambda values, n: ([round(min(values), n), round(max(values), n)]
                                if values else None)
    shares = [f.within_target_share for f in days]
    return {**merged.as_dict(), "replications": replications,
            "within_target_share_range": spread(shares, 4),
            "mean_wait_minutes_range": spread([f.mean_wait_minutes for f in days], 2),
            "met_target": sum(1 for v in shares if v >= scenario.target.share)}


def compare(scenario: Scenario, plans: Mapping[str, WindowPlan]) -> dict:
    """Each named plan over the same simulated days, plus the two references for the first:
    the same windows as strict A-only queues, and fully pooled."""
    current = next(iter(plans.values()))
    every = {**plans, "a_only": current.a_only(), "pooled": current.pooled(scenario.categories)}
    return {name: replicated(scenario, plan) for name, plan in every.items()}


def what_if(scenario: Scenario, plan: WindowPlan, category: str, extra_windows: int,
            start: float, end: float) -> dict:
    """Baseline plan against the plan with `extra_windows` more for `category` from `start`.

    Both runs serve the same applicants with the same service times, so everything before
    `start` is identical; figures cover the applicants called at or after `start` (or never),
    the only ones a change at `start` can affect."""
    if category not in scenario.categories:
        raise ValueError(f"unknown category {category!r}")
    changed = plan.with_extra(category, extra_windows, start, end)
    affected = lambda r: [t for t in r.tickets if t.window is None or t.arrived + t.wait >= start]

    def shaped(result: SimResult) -> dict:
        mine = affected(result)
        codes = sorted(scenario.categories)
        return {**result.figures(mine).as_dict(),
                "utilisation": None if result.utilisation is None else round(result.utilisation, 4),
                "served_on_a_share": (None if result.served_on_a_share is None
                                      else round(result.served_on_a_share, 4)),
                "categories": {c: result.figures([t for t in mine if t.category == c]).as_dict()
                               for c in codes}}

    pooled = scenario.run(changed.pooled(scenario.categories))
    return {"baseline": shaped(scenario.run(plan)), "changed": shaped(scenario.run(changed)),
            "pooled": shaped(pooled), "a_only": shaped(scenario.run(changed.a_only())),
            "windows": {"baseline": len(plan.windows), "changed": len(changed.windows)}}


# Why the B-post search stopped (labels: queue_core/labels.py staffing_stops).
STOPS = ("on_target", "no_gain", "no_candidate", "max_changes", "budget")


def recommend_b(scenario: Scenario, plan: WindowPlan,
                may_serve: Mapping[int, frozenset[str]] | None = None, *, max_changes: int = 3,
                replications: int = REPLICATIONS, min_gain: float = 0.05,
                max_simulations: int | None = None, seconds: float | None = None) -> dict:
    """Which B posts to add: a greedy local search over the windows' B sets with the simulator
    (the live choose_next), over the same simulated days for every candidate. Each round tries
    every category that misses the target as B on every window that does not serve it yet (and
    whose staff may serve it, per `may_serve`: window → categories), keeps the change that cuts
    the hall's mean wait most, and stops when none cuts it by `min_gain` or after `max_changes`.
    The work is bounded by `max_simulations` simulated days and `seconds`: when either runs
    out, the best change measured so far is still kept if it helps, and `stopped` says so.

    Each step says what it does to the category it helps ("add realty as B on window 2: realty
    mean wait 31 → 9 min"); `before` and `after` are the plan's figures without and with all
    the steps, over the same simulated days."""
    days = [scenario.replication(r) for r in range(replications)]
    deadline = None if seconds is None else time.monotonic() + seconds
    runs = 0

    def measure(p: WindowPlan) -> tuple[float, dict[str, Figures]]:
        nonlocal runs
        results = [day.run(p) for day in days]
        runs += len(days)
        merged = SimResult(tuple(t for r in results for t in r.tickets), scenario.target.minutes,
                           0.0, 0.0)
        per = {c: merged.figures(merged.of_category(c)) for c in scenario.categories}
        return merged.figures().mean_wait_minutes or 0.0, per

    def spent() -> bool:
        return ((max_simulations is not None and runs + len(days) > max_simulations)
                or (deadline is not None and time.monotonic() > deadline))

    steps: list[dict] = []
    current, (wait, per) = plan, measure(plan)
    first = (wait, per)
    stopped = "max_changes"
    for _ in range(max_changes):
        # The categories that miss the target, the longest waits first: a search cut short by
        # its budget has tried those that need it most.
        short = sorted((c for c, f in per.items()
                        if f.arrivals and (f.within_target_share or 0) < scenario.target.share),
                       key=lambda c: -(per[c].mean_wait_minutes or 0))
        if not short:
            stopped = "on_target"
            break
        best, tried, out = None, 0, False
        for code in short:
            for w in current.windows:
                if code in w.a | w.b or (may_serve is not None
                                         and code not in may_serve.get(w.number, frozenset())):
                    continue
                if spent():
                    out = True
                    break
                trial = WindowPlan(tuple(replace(x, b=x.b | {code}) if x is w else x
                                         for x in current.windows))
                trial_wait, trial_per = measure(trial)
                tried += 1
                if best is None or trial_wait < best[0]:
                    best = (trial_wait, trial_per, trial, w.number, code)
            if out:
                break
        if best is None or best[0] > wait * (1 - min_gain):
            stopped = "budget" if out else "no_candidate" if not tried else "no_gain"
            break
        new_wait, new_per, current, number, code = best
        steps.append({"window": number, "add_b": code,
                      "category_mean_wait_minutes": [_r(per[code].mean_wait_minutes),
                                                     _r(new_per[code].mean_wait_minutes)],
                      "category_within_target_share": [_r(per[code].within_target_share, 4),
                                                       _r(new_per[code].within_target_share, 4)],
                      "mean_wait_minutes": [_r(wait), _r(new_wait)]})
        wait, per = new_wait, new_per
        if out:
            stopped = "budget"
            break
    figures = lambda w, p: {"mean_wait_minutes": _r(w),
                            "categories": {c: f.as_dict() for c, f in p.items()}}
    return {"steps": steps, "changes": grouped(steps), "stopped": stopped, "simulations": runs,
            "replications": replications, "before": figures(*first), "after": figures(wait, per)}


def grouped(steps: Sequence[dict]) -> list[dict]:
    """Consecutive steps for the same category as one change ("add realty as B on windows 2
    and 12: realty mean wait 31 → 9 min"): its windows, the category's figures before the
    first step and after the last, and the hall's mean wait likewise."""
    changes: list[dict] = []
    for s in steps:
        last = changes[-1] if changes else None
        if last and last["add_b"] == s["add_b"]:
            last["windows"].append(s["window"])
            for key in ("category_mean_wait_minutes", "category_within_target_share",
                        "mean_wait_minutes"):
                last[key] = [last[key][0], s[key][1]]
        else:
            changes.append({"add_b": s["add_b"], "windows": [s["window"]],
                            **{k: list(v) for k, v in s.items() if isinstance(v, list)}})
    return changes


def _r(v: float | None, n: int = 2) -> float | None:
    return None if v is None else round(v, n)


GOAL_SLACK = 0.05   # hall_plan: how far below every-window-open a half hour may fall
HALL_DAYS = 10      # simulated days hall_plan is searched on (3 fitted light days closed windows
                    # that typical days need: county bench, 86.6 % on fresh days against 92.1 %)
HALL_SECONDS = 6.0  # hall_plan's search stops correcting after this long (the plan so far)


def window_order(plan: WindowPlan, work: Mapping[str, float]) -> list[int]:
    """The order the plan's windows open in as the hall gets busier: each next one is the window
    whose A categories have the most work per A window already open for them (and, at half
    weight, whose B categories have the most per window of any kind open for them), except that
    every category with work first gets one A window of its own, so the fewest windows a half
    hour opens serve every category as A. A category served as B elsewhere still gets its own A
    windows in turn: counting B windows against the A work left the county bench's medical with
    window 5 never open and window 4 for one hour, served only after social's A work on
    social's windows (mean wait 0.4 -> 7.0 min on fresh days); residency, B nowhere, was
    unserved in quiet half hours when its windows came 10th and 14th."""
    given_a: dict[str, int] = {}
    given: dict[str, int] = {}
    left, order = list(plan.windows), []
    share = lambda codes, n: sum(work.get(c, 0.0) / (1 + n.get(c, 0)) for c in codes)
    while left:
        uncovered = lambda w: any(work.get(c, 0.0) > 0 and not given_a.get(c) for c in w.a)
        w = max(left, key=lambda w: (uncovered(w), share(w.a, given_a) + share(w.b, given) / 2,
                                     -w.number))
        order.append(w.number)
        left.remove(w)
        for c in w.a:
            given_a[c] = given_a.get(c, 0) + 1
        for c in w.a | w.b:
            given[c] = given.get(c, 0) + 1
    return order


def hall_windows(plan: WindowPlan, hall: Mapping, closes: float) -> WindowPlan:
    """The windows a hall plan opens (hall_plan's answer: its half hours, each naming the
    windows open, and the opening order): the windows open in the last half hour stay until
    closing time, to serve whoever still waits (counted as used: see confidence)."""
    slots_ = hall["slots"]
    by_number = {w.number: w for w in plan.windows}
    windows = []
    for number in hall["order"]:
        periods: list[list[float]] = []
        for s in slots_:
            if number in s["windows"]:
                if periods and periods[-1][1] == s["start"]:
                    periods[-1][1] = s["end"]
                else:
                    periods.append([s["start"], s["end"]])
        if periods:
            if periods[-1][1] == slots_[-1]["end"]:
                periods[-1][1] = max(closes, periods[-1][1])
            windows.append(replace(by_number[number], periods=tuple((a, b) for a, b in periods)))
    return WindowPlan(tuple(windows))


def hall_plan(scenario: Scenario, plan: WindowPlan, opens: float, closes: float,
              replications: int = HALL_DAYS, seconds: float | None = HALL_SECONDS) -> dict:
    """How many windows the hall opens each half hour, for the hall as a whole: the plan's own
    windows with their A and B sets (one hall, not a hall per category), opened in
    window_order, as few per half hour as meet the target over `replications` simulated days
    (arrivals and service times redrawn). Starts from the half hour's offered work (erlangs,
    rounded up), then corrected with the simulator running the live choose_next; `seconds`
    bounds the correction. The plan's figures are not given here: measured on the days it was
    fitted to, they flatter it; confidence() judges it on fresh days."""
    days = [scenario.replication(r) for r in range(replications)]
    every_arrival = [a for day in days for a in day.arrivals]
    bounds = slots(every_arrival, opens, closes)
    service = {c: s.service_minutes for c, s in scenario.categories.items()}
    work = {c: 0.0 for c in service}
    loads = [0.0] * len(bounds)
    counts = [0] * len(bounds)
    for a in every_arrival:
        work[a.category] += service[a.category]
        for i, (s, e) in enumerate(bounds):
            if s <= a.at < e:
                loads[i] += service[a.category] / SLOT_MINUTES / len(days)
                counts[i] += 1
                break
    order = window_order(plan, work)
    n = len(order)
    floor = [min(n, math.ceil(x - 1e-9)) if c else 0 for x, c in zip(loads, counts)]
    cap = [n if c else 0 for c in counts]
    deadline = None if seconds is None else time.monotonic() + seconds

    def answer(ks: list[int]) -> dict:
        return {"slots": [{"start": s, "end": e, "open": k, "windows": sorted(order[:k]),
                           "offered_erlangs": round(x, 2)}
                          for (s, e), k, x in zip(bounds, ks, loads)],
                "order": order, "replications": replications, "closes": closes}

    build = lambda ks: hall_windows(plan, answer(ks), closes)

    # A half hour meets its goal when the hall's share within target, and each category's, is
    # the target or, where even every window open misses it, within GOAL_SLACK of what every
    # window open reaches on the same days: fewer windows never trade a category away.
    def shares(results: list[SimResult]) -> list[dict[str | None, float]]:
        out = []
        for s, e in bounds:
            mine = [t for r in results for t in r.tickets if s <= t.arrived < e]
            got = {None: _share(results, s, e)}
            for c in {t.category for t in mine}:
                got[c] = results[0].figures([t for t in mine if t.category == c]
                                            ).within_target_share or 0.0
            out.append(got)
        return out

    if not bounds:
        return {**answer([]), "stopped": "on_target"}
    every = shares([day.run(build(cap)) for day in days])
    goal = [{c: min(scenario.target.share, v - GOAL_SLACK) for c, v in slot.items()}
            for slot in every]
    def failing(ks: list[int]) -> set[int]:
        if deadline is not None and time.monotonic() > deadline:
            raise _OutOfTime
        got = shares([day.run(build(ks)) for day in days])
        return {i for i in range(len(bounds))
                if counts[i] and any(got[i].get(c, 0.0) < g for c, g in goal[i].items())}

    try:
        k = _correct([max(1, f) if c else 0 for f, c in zip(floor, counts)], floor, cap, failing,
                     rounds=max(MAX_ROUNDS, n))
    except _OutOfTime:   # a search cut short advises closing nothing it has not measured
        return {**answer(cap), "stopped": "budget"}
    return {**answer(k), "stopped": "searched"}


class _OutOfTime(Exception):
    """hall_plan's time is up."""


def _open_hours(plan: WindowPlan, opens: float, closes: float) -> float:
    """Window-hours the plan keeps windows open within the opening hours."""
    return sum(max(0.0, min(e, closes) - max(s, opens))
               for w in plan.windows for s, e in w.periods) / 60


def _used_hours(plan: WindowPlan, result: SimResult, opens: float, closes: float,
                tail: float) -> float:
    """Window-hours of one simulated day: open time within the opening hours, where a window
    open past `tail` (the plan's last half hour) counts only until its last service ends."""
    last: dict[int, float] = {}
    for t in result.tickets:
        if t.window is not None:
            last[t.window] = max(last.get(t.window, 0.0), t.arrived + t.wait + t.service)
    total = 0.0
    for w in plan.windows:
        for s, e in w.periods:
            if e > tail:
                e = max(tail, min(e, last.get(w.number, tail)))
            total += max(0.0, min(e, closes) - max(s, opens))
    return total / 60


CONFIDENCE_DAYS = 20   # fresh simulated days the advice's figures and confidence are stated over
FRESH_FIRST = max(REPLICATIONS, HALL_DAYS)   # the first day no search has seen


def confidence(scenario: Scenario, plans: Mapping[str, WindowPlan], days: int = CONFIDENCE_DAYS,
               first: int = FRESH_FIRST, seconds: float | None = None,
               hours: tuple[float, float] | None = None,
               tails: Mapping[str, float] | None = None) -> dict:
    """How each plan does on `days` simulated days no search saw (replications first,
    first + 1, …: arrivals redrawn from the rates as well as service times): mean wait, share
    within target, each category's, and the days met — a day counts as met only when the hall
    AND every category with applicants called the target share within the target — with a
    95 % Wilson interval for the share of such days. With `hours` (opening, closing), also the
    window-hours each day used; `tails` names the plans whose windows past a time stay only
    while someone waits (see _used_hours). `seconds` bounds the work: fewer days, and `days`
    says so."""
    deadline = None if seconds is None else time.monotonic() + seconds
    runs: dict[str, list[SimResult]] = {name: [] for name in plans}
    used: dict[str, list[float]] = {name: [] for name in plans}
    for r in range(first, first + days):
        if deadline is not None and time.monotonic() > deadline and runs[next(iter(plans))]:
            break
        day = scenario.replication(r)
        for name, plan in plans.items():
            result = day.run(plan)
            runs[name].append(result)
            if hours is not None:
                tail = (tails or {}).get(name, hours[1])
                used[name].append(_used_hours(plan, result, *hours, tail))
    target = scenario.target.share
    out = {"days": len(next(iter(runs.values()))), "first": first,
           "arrivals_redrawn": scenario.rates is not None}
    for name, results in runs.items():
        shares = [r.figures().within_target_share or 0.0 for r in results]
        met = sum(1 for r in results if _met(r, target))
        merged = SimResult(tuple(t for r in results for t in r.tickets), scenario.target.minutes,
                           0.0, 0.0)
        out[name] = {**merged.figures().as_dict(),
                     "categories": {c: merged.figures(merged.of_category(c)).as_dict()
                                    for c in sorted(scenario.categories)},
                     "window_hours": _r(sum(used[name]) / len(used[name]), 1)
                     if used[name] else None,
                     "met_days": met, "share_met": _r(met / len(results), 4) if results else None,
                     "interval": [_r(v, 4) for v in wilson(met, len(results))],
                     "within_target_share_range": [_r(min(shares), 4), _r(max(shares), 4)]
                     if shares else None}
    return out


def _met(result: SimResult, share: float) -> bool:
    """The day met the target: the hall and every category with applicants that day."""
    if (result.figures().within_target_share or 0.0) < share:
        return False
    return all((result.figures(result.of_category(c)).within_target_share or 0.0) >= share
               for c in {t.category for t in result.tickets})


def verdict(b_posts: Mapping, hall: Mapping) -> str:
    """Whether the hall plan is as good as the same B posts with today's windows on the fresh
    days, in the rounding the page shows (mean wait to 0.1 min, shares to 1 %, days met):
    "no_worse", or "costs_waits" — then it is a saving of window-hours paid for in waits, not
    an improvement."""
    pct = lambda v: round((v or 0.0) * 100)
    mins = lambda v: round(v or 0.0, 1)
    same = (mins(hall["mean_wait_minutes"]) <= mins(b_posts["mean_wait_minutes"])
            and pct(hall["within_target_share"]) >= pct(b_posts["within_target_share"])
            and hall["met_days"] >= b_posts["met_days"])
    return "no_worse" if same else "costs_waits"


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a share (honest near 0 and 1, where few days are)."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))
