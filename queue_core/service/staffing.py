"""Staffing advice and what-if for a hall day: recorded (or synthetic) arrivals, measured service
times and the window plan read from the database, then handed to queue_core.planning."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..adapters.concurrency import offload
from ..adapters.orm import Category, Site, Ticket
from ..domain.calendar import hhmm_minutes, local_time, minutes_after_midnight
from ..domain.errors import InvalidInput, NotFound
from ..domain.estimate import service_minutes
from ..domain.model import PriorityClass, TicketStatus
from ..planning import staffing
from ..planning.simulator import (Arrival, CategorySpec, PlannedWindow, WindowPlan,
                                  observed_rates, poisson_arrivals)
from .queries import get_site
from .opening import category_hours, site_hours, today
from .queue_state import call_rules, categories_of, window_loads

# A synthetic day when a date has no recorded arrivals: the usual 政务 hall rhythm, relative
# arrivals per half hour from 08:30 (a morning peak 09:00–11:00, a lunch dip, a smaller
# afternoon peak). Categories share the demand in proportion to their daily caps, and the
# whole is scaled so that at the peak the hall's windows would be SYNTHETIC_PEAK_LOAD busy if
# every window served every category: a busy day the hall can carry, if staffed where needed.
SYNTHETIC_PROFILE = (
    (510, 0.6), (540, 1.0), (570, 1.0), (600, 1.0), (630, 0.9), (660, 0.6), (690, 0.3),
    (720, 0.1), (750, 0.1), (780, 0.2), (810, 0.4), (840, 0.6), (870, 0.7), (900, 0.7),
    (930, 0.6), (960, 0.5), (990, 0.3), (1020, 0.2),
)
SYNTHETIC_PEAK_LOAD = 0.9
SOURCES = ("recorded", "recorded+synthetic", "synthetic")   # where the arrivals came from
PLAN_KINDS = ("staffed_now", "all_windows")                  # where the window plan came from
SYNTHETIC_PRIORITY_SHARE = 0.05
SKILLS = ("skills_table", "any_category")   # what limited the B posts the advice may suggest
# The B-post search per request: at most this many simulated days and seconds (a 14-window
# hall tries ~80 candidates a round, 3 days each), then it answers with what it has measured.
# The whole answer for the demo hall (config.toml, 12 windows, a synthetic day) takes ~5 s of
# CPU on a 2-core machine; these bound a bigger hall's.
B_POST_SIMULATIONS = 750
B_POST_SECONDS = 10.0
HALL_SECONDS = staffing.HALL_SECONDS
JUDGE_SECONDS = 6.0   # the three plans on fresh days: at most this long (fewer days, said so)


def minutes_of(moment: datetime, timezone: str) -> float:
    """Minutes after the site's local midnight."""
    return minutes_after_midnight(local_time(moment, timezone))



def hhmm(minutes: float) -> str:
    return f"{int(minutes) // 60:02d}:{int(minutes) % 60:02d}"


def recorded_arrivals(session: Session, site: Site, day: date,
                      categories: dict[int, Category]) -> list[Arrival]:
    """Every ticket issued that service day, in the category it was issued for, at its time."""
    rows = session.execute(
        select(Ticket.origin_category_id, Ticket.priority_class, Ticket.issued_at)
        .where(Ticket.site_id == site.id, Ticket.service_date == day)
        .order_by(Ticket.issued_at, Ticket.id))
    return [Arrival(minutes_of(r.issued_at, site.timezone), categories[r.origin_category_id].code,
                    PriorityClass(r.priority_class))
            for r in rows if r.origin_category_id in categories]


def measured_services(session: Session, site: Site, day: date) -> dict[int, list[float]]:
    """Service minutes of the tickets finished that day, per category."""
    measured: dict[int, list[float]] = defaultdict(list)
    for r in session.execute(
            select(Ticket.category_id, Ticket.started_at, Ticket.finished_at)
            .where(Ticket.site_id == site.id, Ticket.service_date == day,
                   Ticket.status == TicketStatus.DONE, Ticket.started_at.is_not(None))):
        measured[r.category_id].append((r.finished_at - r.started_at).total_seconds() / 60)
    return measured


def category_specs(categories: dict[int, Category],
                   measured: dict[int, list[float]]) -> dict[str, CategorySpec]:
    """Mean service time per category: measured, pulled toward the configured expectation
    while few are measured (the same rule as the live wait estimate)."""
    return {c.code: CategorySpec(c.code, max(0.1, service_minutes(c.service_minutes,
                                                                  measured.get(c.id, []))),
                                 c.wait_target_minutes)
            for c in categories.values()}


def synthetic_arrivals(site: Site, categories: dict[int, Category], windows: int, seed: int,
                       after: float = 0.0) -> list[Arrival]:
    """A Poisson day after SYNTHETIC_PROFILE, within the site's and each category's hours."""
    return poisson_arrivals(synthetic_rates(site, categories, windows, after), seed,
                            SYNTHETIC_PRIORITY_SHARE)


def synthetic_rates(site: Site, categories: dict[int, Category], windows: int,
                    after: float = 0.0) -> dict[str, list[tuple[float, float, float]]]:
    """Arrivals per hour of the synthetic day, by category and half hour, from `after` on."""
    opens, closes = site_hours(site).minutes
    work = sum(c.daily_cap * c.service_minutes for c in categories.values())
    per_cap = SYNTHETIC_PEAK_LOAD * windows * 60 / work if work else 0.0  # peak arrivals/h per cap
    rates = {}
    for c in categories.values():
        start, end = (category_hours(site, c) or site_hours(site)).minutes
        pieces = []
        for slot, weight in SYNTHETIC_PROFILE:
            lo, hi = max(slot, start, opens, after), min(slot + 30, end, closes)
            if hi > lo:
                pieces.append((lo, hi, c.daily_cap * per_cap * weight))
        rates[c.code] = pieces
    return rates


def recorded_rates(arrivals: list[Arrival], opens: float, until: float) -> dict:
    """The recorded arrivals' rates per half hour up to `until`, for drawing days like it."""
    start = min([opens] + [a.at for a in arrivals]) // staffing.SLOT_MINUTES * staffing.SLOT_MINUTES
    end = max([until] + [a.at + 1e-6 for a in arrivals])
    bounds = []
    while start < end:
        bounds.append((start, min(start + staffing.SLOT_MINUTES, end)))
        start += staffing.SLOT_MINUTES
    return observed_rates(arrivals, bounds)


def window_plan(session: Session, site: Site, categories: dict[int, Category], day: date,
                now: datetime) -> tuple[WindowPlan, str]:
    """Today with staff signed in: the windows staffed now, with their posts. Otherwise (another
    day, or nobody signed in yet) every enabled window with its A post, open all day."""
    opens, closes = site_hours(site).minutes
    loads = window_loads(session, site)
    staffed = [w for w in loads if w.is_staffed] if day == today(site, now) else []
    chosen = staffed or loads
    codes = lambda ids: frozenset(categories[i].code for i in ids if i in categories)
    plan = WindowPlan(tuple(
        PlannedWindow(w.number, codes(w.a_ids), codes(w.b_ids), ((opens, closes),),
                      w.posts if staffed else frozenset({"A"}))
        for w in chosen))
    return plan, "staffed_now" if staffed else "all_windows"


def _scenario(session: Session, site: Site, day: date, now: datetime, source: str, seed: int,
              target: staffing.Target) -> tuple[staffing.Scenario, dict[int, Category], str]:
    categories = {c.id: c for c in categories_of(session, site)}
    if not categories:
        raise NotFound(what="category", key="*")
    windows = len(window_loads(session, site))
    arrivals: list[Arrival] = []
    used = source
    rates: dict = {}
    if source == "recorded":
        arrivals = recorded_arrivals(session, site, day, categories)
        opens, closes = site_hours(site).minutes
        if arrivals and day == today(site, now):  # the rest of today is not known: forecast it
            at = minutes_of(now, site.timezone)
            later = synthetic_arrivals(site, categories, windows, seed, at)
            used = "recorded+synthetic" if later else used
            rates = recorded_rates(arrivals, opens, at)
            for code, pieces in synthetic_rates(site, categories, windows, at).items():
                rates[code] = [*rates.get(code, ()), *pieces]
            arrivals += later
        elif arrivals:
            rates = recorded_rates(arrivals, opens, closes)
    if not arrivals:
        arrivals = synthetic_arrivals(site, categories, windows, seed)
        rates = synthetic_rates(site, categories, windows)
        used = "synthetic"
    # Redrawn days keep the share of priority and appointment tickets, as priority tickets.
    special = sum(1 for a in arrivals if a.priority_class != PriorityClass.NORMAL)
    specs = category_specs(categories, measured_services(session, site, day))
    scenario = staffing.Scenario(tuple(arrivals), specs, call_rules(site), target, seed,
                                 rates=rates, priority_share=special / len(arrivals))
    return scenario, categories, used


def staffing_advice(session: Session, site_code: str, now: datetime, *, day: date | None,
                    target_minutes: float, target_share: float, source: str, seed: int) -> dict:
    """Windows each category needs per half hour for the target, and how the current plan does
    under the calling policy next to strict A-only queues and full pooling (references, not
    bounds), each over several simulated days with its range."""
    site = get_site(session, site_code)
    day = day or today(site, now)
    target = staffing.Target(target_minutes, target_share)
    scenario, categories, used = _scenario(session, site, day, now, source, seed, target)
    plan, plan_kind = window_plan(session, site, categories, day, now)
    opens, closes = site_hours(site).minutes
    # Seconds of pure simulation: on a native thread, so screens and issuing go on meanwhile.
    advice, summary = offload(_advise_and_compare, scenario, plan, opens, closes)
    return {
        "date": day.isoformat(), "target_minutes": target_minutes, "target_share": target_share,
        "source": used, "seed": seed, "arrivals": len(scenario.arrivals),
        "replications": {"advice": staffing.REPLICATIONS, "figures": staffing.EVALUATIONS},
        "plan": {"kind": plan_kind, "windows": [_window_json(w) for w in plan.windows]},
        "service_minutes": {c: round(s.service_minutes, 2) for c, s in scenario.categories.items()},
        "slots": [{"start": hhmm(s.start), "end": hhmm(s.end),
                   "categories": {code: {"arrivals": c.arrivals, "windows_needed": c.windows_needed,
                                         "erlang_windows": c.erlang_windows}
                                  for code, c in s.categories.items()}}
                  for s in advice],
        "summary": summary,
    }


def what_if(session: Session, site_code: str, now: datetime, *, category: str, extra_windows: int,
            start: str | None, day: date | None, seed: int, target_minutes: float) -> dict:
    """The day as planned against the day with `extra_windows` more for `category` from `start`
    (default: now, or opening time outside opening hours) until closing, with the same
    applicants and service times."""
    site = get_site(session, site_code)
    day = day or today(site, now)
    target = staffing.Target(target_minutes, 0.9)
    scenario, categories, used = _scenario(session, site, day, now, "recorded", seed, target)
    if category not in scenario.categories:
        raise NotFound(what="category", key=category)
    plan, plan_kind = window_plan(session, site, categories, day, now)
    opens, closes = site_hours(site).minutes
    if start:
        begin = hhmm_minutes(start)
        if not opens <= begin < closes:
            raise InvalidInput(field="from")
    else:  # now, or the opening time when the hall is closed now
        begin = minutes_of(now, site.timezone)
        begin = begin if opens <= begin < closes else opens
    result = offload(staffing.what_if, scenario, plan, category, extra_windows, begin, closes)
    return {"date": day.isoformat(), "category": category, "extra_windows": extra_windows,
            "from": hhmm(begin), "until": hhmm(closes), "target_minutes": target_minutes,
            "source": used, "seed": seed, "plan": plan_kind, **result}


def skills(site: Site, plan: WindowPlan,
           categories: dict[int, Category]) -> tuple[dict[int, frozenset[str]], str]:
    """The skills table apply-config stored (config.toml `may_serve` per window): which
    categories each window of the plan may serve. A window it does not name may serve any."""
    stored = (site.calling or {}).get("may_serve") or {}
    every = frozenset(c.code for c in categories.values())
    table = {w.number: (frozenset(stored[str(w.number)]) & every
                        if str(w.number) in stored else every)
             for w in plan.windows}
    return table, "skills_table" if stored else "any_category"


def b_posts(session: Session, site_code: str, now: datetime, *, day: date | None,
            target_minutes: float, target_share: float, source: str, seed: int,
            max_changes: int) -> dict:
    """Which B posts to add to the current plan, within the skills table, and what each does:
    planning.staffing.recommend_b on the day's arrivals, bounded by B_POST_SIMULATIONS and
    B_POST_SECONDS."""
    site = get_site(session, site_code)
    day = day or today(site, now)
    target = staffing.Target(target_minutes, target_share)
    scenario, categories, used = _scenario(session, site, day, now, source, seed, target)
    plan, plan_kind = window_plan(session, site, categories, day, now)
    table, skills_kind = skills(site, plan, categories)
    opens, closes = site_hours(site).minutes
    found, hall, judged = offload(_b_posts_and_hall, scenario, plan, table, max_changes, opens,
                                  closes)
    return {"date": day.isoformat(), "target_minutes": target_minutes,
            "target_share": target_share, "source": used, "seed": seed,
            "arrivals": len(scenario.arrivals),
            "plan": {"kind": plan_kind, "windows": [_window_json(w) for w in plan.windows]},
            "skills": {"kind": skills_kind,
                       "may_serve": {str(n): sorted(codes) for n, codes in table.items()}},
            "limits": {"simulations": B_POST_SIMULATIONS, "seconds": B_POST_SECONDS,
                       "max_changes": max_changes},
            "hall": {**hall, "opens": hhmm(opens), "closes": hhmm(closes),
                     "slots": [{**s, "start": hhmm(s["start"]), "end": hhmm(s["end"])}
                               for s in hall["slots"]]},
            "judged": judged, **found}


def _b_posts_and_hall(scenario: staffing.Scenario, plan: WindowPlan,
                      table: dict[int, frozenset[str]], max_changes: int, opens: float,
                      closes: float, seconds: bool = True) -> tuple[dict, dict, dict]:
    """The B posts to add, then how many windows the hall opens per half hour with them (for
    the hall as a whole), and the three plans — today, the B posts with today's windows, the
    hall plan — judged on the same fresh days, none of which either search saw. `seconds`
    False lifts the time budgets (the bench: the same figures every run)."""
    found = staffing.recommend_b(scenario, plan, table, max_changes=max_changes,
                                 max_simulations=B_POST_SIMULATIONS,
                                 seconds=B_POST_SECONDS if seconds else None)
    added: dict[int, set[str]] = {}
    for step in found["steps"]:
        added.setdefault(step["window"], set()).add(step["add_b"])
    with_b = WindowPlan(tuple(replace(w, b=w.b | added.get(w.number, set()))
                              for w in plan.windows))
    hall = staffing.hall_plan(scenario, with_b, opens, closes,
                              seconds=HALL_SECONDS if seconds else None)
    opened = staffing.hall_windows(with_b, hall, closes)
    tail = hall["slots"][-1]["end"] if hall["slots"] else closes
    sure = staffing.confidence(scenario, {"today": plan, "b_posts": with_b, "hall_plan": opened},
                               seconds=JUDGE_SECONDS if seconds else None,
                               hours=(opens, closes), tails={"hall_plan": tail})
    rows = {k: sure.pop(k) for k in ("today", "b_posts", "hall_plan")}
    verdict = staffing.verdict(rows["b_posts"], rows["hall_plan"])
    saved = round(rows["b_posts"]["window_hours"] - rows["hall_plan"]["window_hours"], 1)
    return found, hall, {**sure, "rows": rows, "verdict": verdict, "saved_window_hours": saved}


def _advise_and_compare(scenario: staffing.Scenario, plan: WindowPlan, opens: float,
                        closes: float) -> tuple[list[staffing.Slot], dict]:
    advice = staffing.advise(scenario, opens, closes)
    summary = staffing.compare(scenario, {"policy": plan,
                                          "advised": staffing.advised_plan(advice)})
    return advice, summary


def _window_json(w: PlannedWindow) -> dict:
    return {"number": w.number, "a": sorted(w.a), "b": sorted(w.b), "posts": sorted(w.posts)}
