"""电子监察: which alert conditions hold in the hall right now, as a pure function of its state.

The service layer compares these conditions with the open alerts: a new condition raises an
alert, an ended one clears it. One open alert per (kind, subject).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .policy import CategoryLoad


@dataclass(frozen=True)
class Thresholds:
    """电子监察 thresholds of a site ([sites.alerts] in config.toml, stored by apply-config)."""

    pause_minutes: int = 15            # a window paused this long
    screen_offline_minutes: int = 2    # a screen not seen this long
    sweep_seconds: int = 15            # how often the conditions are checked
    clear_after_seconds: int = 60      # a condition gone this long clears (no flapping)
    cover_horizon_minutes: int = 30    # how far ahead a category's cover is weighed against demand

WAIT_OVER_TARGET = "wait_over_target"
WINDOW_PAUSED_TOO_LONG = "window_paused_too_long"
A_POST_ABSENT = "a_post_absent"
PRINTER_FAULT = "printer_fault"
SCREEN_OFFLINE = "screen_offline"
TICKET_NOT_PRINTED = "ticket_not_printed"
NO_EFFECTIVE_COVER = "no_effective_cover"
KINDS = (WAIT_OVER_TARGET, WINDOW_PAUSED_TOO_LONG, A_POST_ABSENT, PRINTER_FAULT, SCREEN_OFFLINE,
         TICKET_NOT_PRINTED, NO_EFFECTIVE_COVER)
# A Condition's level, most severe first: the order the manager console lists open alerts in.
LEVELS = ("critical", "warning")

# A change of this detail is a new alert (paper low → paper out must be seen afresh); other
# detail, such as how long the oldest ticket has waited, may change under one alert.
VARIANT_FIELD = {PRINTER_FAULT: "status"}
# Device health flickers (a printer dropping data, a screen reconnecting), and so does a cover
# weighed against a recent arrival rate: such an alert clears only once its condition has stayed
# away a while. A called ticket or an opened window is final.
SETTLING = frozenset({PRINTER_FAULT, SCREEN_OFFLINE, NO_EFFECTIVE_COVER})


def variant(kind: str, detail: Mapping[str, object]) -> object:
    return detail.get(VARIANT_FIELD[kind]) if kind in VARIANT_FIELD else None


@dataclass(frozen=True)
class Condition:
    """Something a manager must see."""

    kind: str
    subject: str
    level: str = "critical"                 # critical | warning
    detail: Mapping[str, object] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.subject)


@dataclass(frozen=True)
class WindowWatch:
    """A window as supervision sees it."""

    number: int
    state: str                      # open | paused | closed
    state_since: datetime | None
    pause_reason: str | None
    has_a_post: bool                # open with an A post signed in
    is_staffed: bool                # open with any post signed in
    a_categories: frozenset[str]
    b_categories: frozenset[str]


@dataclass(frozen=True)
class ScreenWatch:
    code: str
    name: str
    last_seen: datetime | None


def waits_over_target(loads: Iterable[CategoryLoad]) -> list[Condition]:
    """A category whose oldest waiting ticket has waited longer than its target."""
    return [Condition(WAIT_OVER_TARGET, load.code, detail={
                "category": load.code, "waiting": load.waiting,
                "oldest_wait_minutes": int(load.oldest_wait.total_seconds() // 60),
                "target_minutes": int(load.wait_target.total_seconds() // 60)})
            for load in loads if load.waiting and load.oldest_wait > load.wait_target]


def windows_paused_too_long(windows: Iterable[WindowWatch], now: datetime,
                            limit: timedelta) -> list[Condition]:
    return [Condition(WINDOW_PAUSED_TOO_LONG, str(w.number), detail={
                "window": w.number, "reason": w.pause_reason,
                "since": w.state_since.isoformat() if w.state_since else None,
                "paused_minutes": int((now - w.state_since).total_seconds() // 60)
                if w.state_since else None, "limit_minutes": int(limit.total_seconds() // 60)})
            for w in windows
            if w.state == "paused" and w.state_since is not None and now - w.state_since > limit]


def a_posts_absent(loads: Iterable[CategoryLoad],
                   windows: Iterable[WindowWatch]) -> list[Condition]:
    """People wait in a category that no open window serves as A with its A post signed in,
    and no staffed open window covers as B (or B posts were forced off for it)."""
    windows = list(windows)
    result = []
    for load in loads:
        if not load.waiting:
            continue
        a_cover = [w.number for w in windows if w.has_a_post and load.code in w.a_categories]
        b_cover = [w.number for w in windows if w.is_staffed and load.code in w.b_categories]
        if load.backup_override is False:
            b_cover = []
        if not a_cover and not b_cover:
            result.append(Condition(A_POST_ABSENT, load.code, detail={
                "category": load.code, "waiting": load.waiting,
                "a_windows": sorted(w.number for w in windows if load.code in w.a_categories),
                "backup_forced_off": load.backup_override is False}))
    return result


@dataclass(frozen=True)
class Demand:
    """A category's expected work over the coming horizon."""

    code: str
    arrivals_per_hour: float   # expected over the horizon (the recent rate, within its hours)
    service_minutes: float     # mean service time
    waiting: int = 0
    backup_forced_off: bool = False

    @property
    def load(self) -> float:
        """Windows it keeps busy (erlangs): arrivals per minute times service minutes."""
        return self.arrivals_per_hour / 60 * self.service_minutes


def effective_cover(demands: Mapping[str, Demand],
                    windows: Iterable[WindowWatch]) -> dict[str, tuple[float, list, list]]:
    """Windows each category can count on: (effective windows, its A windows, its B windows).

    A staffed open window calls its A work first: it counts for its A categories (split evenly
    when it has several with demand). What its A work leaves of it (its share of their load
    taken off) is all its B categories can count on, split in proportion to what their own A
    windows leave unserved. B posts forced off count for nothing."""
    staffed = [w for w in windows if w.is_staffed]
    busy_with = lambda w: [c for c in w.a_categories if c in demands and demands[c].load > 0] \
        or sorted(w.a_categories)
    a_share: dict[str, float] = {}
    a_windows: dict[str, list[int]] = {}
    for w in staffed:
        mine = busy_with(w)
        for c in mine:
            a_share[c] = a_share.get(c, 0.0) + 1 / len(mine)
            a_windows.setdefault(c, []).append(w.number)
    unmet = {c: max(0.0, d.load - a_share.get(c, 0.0)) for c, d in demands.items()
             if not d.backup_forced_off}
    cover = dict(a_share)
    b_windows: dict[str, list[int]] = {}
    for w in staffed:
        mine = busy_with(w)
        a_work = sum(demands[c].load * (1 / len(mine)) / a_share[c]
                     for c in mine if c in demands and a_share.get(c))
        spare = max(0.0, 1 - a_work)
        wanting = {c: unmet[c] for c in w.b_categories if unmet.get(c)}
        for c in w.b_categories:
            if c in unmet:
                b_windows.setdefault(c, []).append(w.number)
        for c, need in wanting.items():
            cover[c] = cover.get(c, 0.0) + spare * need / sum(wanting.values())
    return {c: (cover.get(c, 0.0), a_windows.get(c, []), b_windows.get(c, []))
            for c in demands}


def no_effective_cover(demands: Iterable[Demand], windows: Iterable[WindowWatch],
                       horizon: timedelta) -> list[Condition]:
    """A category whose projected capacity (its staffed A windows plus the share of B windows it
    can count on) stays below its arrivals over the horizon: its queue can only grow, so its
    waits will explode, though a backup window still "covers" it. Raised before they do."""
    demands = {d.code: d for d in demands}
    result = []
    for code, (cover, a_windows, b_windows) in effective_cover(demands, list(windows)).items():
        d = demands[code]
        if d.load > 0 and cover < d.load:
            result.append(Condition(NO_EFFECTIVE_COVER, code, "warning", detail={
                "category": code, "arrivals_per_hour": round(d.arrivals_per_hour, 1),
                "service_minutes": round(d.service_minutes, 1),
                "windows_needed": round(d.load, 2), "effective_windows": round(cover, 2),
                "a_windows": a_windows, "b_windows": b_windows, "waiting": d.waiting,
                "horizon_minutes": int(horizon.total_seconds() // 60)}))
    return result


def printer_faults(statuses: Mapping[str, str],
                   severity: Callable[[str], str | None]) -> list[Condition]:
    """The last reported status of each printer that needs a person, at its severity
    ("critical" or "warning"; None: fine). `severity` is the printers library's table of states
    (printers/status.py), which the spooler reads too."""
    levels = {code: (status, severity(status)) for code, status in sorted(statuses.items())}
    return [Condition(PRINTER_FAULT, code, level, detail={"printer": code, "status": status})
            for code, (status, level) in levels.items() if level is not None]


@dataclass(frozen=True)
class UnprintedTicket:
    """A waiting ticket whose paper never came out: printing failed, or it was too late to."""

    number: str
    printer: str
    state: str  # failed | expired


def tickets_not_printed(tickets: Iterable[UnprintedTicket]) -> list[Condition]:
    """Staff should hand the applicant a 补打 copy (or call the number anyway): until the
    ticket is called, or a marked copy printed."""
    return [Condition(TICKET_NOT_PRINTED, t.number, "warning",
                      detail={"number": t.number, "printer": t.printer, "state": t.state})
            for t in tickets]


def screens_offline(screens: Iterable[ScreenWatch], now: datetime,
                    limit: timedelta) -> list[Condition]:
    """A configured screen not seen for longer than `limit` (or never seen)."""
    return [Condition(SCREEN_OFFLINE, s.code, detail={
                "device": s.code, "name": s.name,
                "last_seen": s.last_seen.isoformat() if s.last_seen else None})
            for s in screens if s.last_seen is None or now - s.last_seen > limit]


@dataclass(frozen=True)
class Reconciliation:
    raise_: list[Condition]
    clear: list[tuple[str, str]]   # keys of open alerts whose condition ended or changed
    # Open alerts whose condition just went away (now) or came back before settling (None).
    gone_since: dict[tuple[str, str], datetime | None] = field(default_factory=dict)


def reconcile(open_alerts: Mapping[tuple[str, str], Mapping[str, object]],
              conditions: Iterable[Condition], *, now: datetime | None = None,
              gone_since: Mapping[tuple[str, str], datetime | None] | None = None,
              settle: timedelta = timedelta(0)) -> Reconciliation:
    """Compare open alerts (key → detail) with the conditions holding now. A device alert
    (SETTLING) clears once its condition has stayed away for `settle`: a printer that drops
    data and comes back within seconds is one alert, not a flicker of them. A different fault
    (paper low → out) is a new alert at once; other kinds clear as soon as they end."""
    gone_since = gone_since or {}
    current = {c.key: c for c in conditions}
    clear: list[tuple[str, str]] = []
    marks: dict[tuple[str, str], datetime | None] = {}
    for key, detail in open_alerts.items():
        since = gone_since.get(key)
        hold = settle if key[0] in SETTLING else timedelta(0)
        if key in current:
            if variant(key[0], current[key].detail) != variant(key[0], detail):
                clear.append(key)
            elif since is not None:
                marks[key] = None
        elif since is None and hold > timedelta(0):
            marks[key] = now
        elif since is None or now - since >= hold:
            clear.append(key)
    raise_ = [c for key, c in current.items() if key not in open_alerts or key in clear]
    return Reconciliation(raise_, clear, marks)
