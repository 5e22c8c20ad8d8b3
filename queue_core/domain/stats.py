"""Figures a hall is judged by, computed from plain numbers."""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .evaluation import BAD_BELOW, LEVELS


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100): the smallest value with p% at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def half_hour_slot(local: datetime) -> str:
    """The half hour a local time falls in, as its start: 09:47 → "09:30"."""
    return f"{local.hour:02d}:{30 if local.minute >= 30 else 0:02d}"


def half_hour_slots(first: str, last: str) -> list[str]:
    """Every half-hour slot from `first` to `last` inclusive ("08:30", "09:00", …)."""
    start, end = _slot_minutes(first), _slot_minutes(last)
    return [f"{m // 60:02d}:{m % 60:02d}" for m in range(start, end + 1, 30)]


def _slot_minutes(slot: str) -> int:
    hours, minutes = slot.split(":")
    return int(hours) * 60 + (30 if int(minutes) >= 30 else 0)


# Bands of waiting time (minutes, lower bound included) for 好差评 against the wait behind it.
WAIT_BANDS: tuple[tuple[int, int | None], ...] = ((0, 5), (5, 15), (15, 30), (30, None))


def wait_band(minutes: float) -> tuple[int, int | None]:
    for low, high in WAIT_BANDS:
        if high is None or minutes < high:
            return low, high
    raise AssertionError("the last band is open")  # pragma: no cover


# 达标率 (share within the wait target), the one definition the reports and the live hall use.
MET, MISSED = "met", "missed"


def target_outcome(waited_minutes: float, target: float | None, called: bool) -> str | None:
    """How one ticket counts toward 达标率: MET, MISSED or None (not counted).

    Called within its category's target: met; called after it: missed. Never called (still
    waiting, or cancelled or expired while waiting): missed once it has waited past the target,
    not counted before that - the hall has not failed it yet, nor served it. So a hall full of
    over-target waiters reads low at once, not only when they are finally called. A category
    without a target counts nothing."""
    if target is None:
        return None
    if waited_minutes > target:
        return MISSED
    return MET if called else None


@dataclass
class Tally:
    """Counts and samples (minutes) of one report row: a category, a window or a staff member."""

    issued: int = 0
    called: int = 0
    served: int = 0
    no_show: int = 0
    transferred: int = 0
    cancelled: int = 0
    waits: list[float] = field(default_factory=list)
    services: list[float] = field(default_factory=list)
    within_target: int = 0
    over_target: int = 0
    ratings: list[int] = field(default_factory=list)

    def add_wait(self, minutes: float, target: float | None) -> None:
        self.waits.append(minutes)
        self.judge(target_outcome(minutes, target, called=True))

    def judge(self, outcome: str | None) -> None:
        if outcome == MET:
            self.within_target += 1
        elif outcome == MISSED:
            self.over_target += 1

    def merge(self, other: "Tally") -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.waits += other.waits
        self.services += other.services
        self.within_target += other.within_target
        self.over_target += other.over_target
        self.ratings += other.ratings

    def figures(self) -> dict:
        return {**{name: getattr(self, name) for name in COUNTS},
                "avg_wait_minutes": _round(mean(self.waits)),
                "p90_wait_minutes": _round(percentile(self.waits, 90)),
                "avg_service_minutes": _round(mean(self.services)),
                "p90_service_minutes": _round(percentile(self.services, 90)),
                "within_target": self.within_target, "over_target": self.over_target,
                "within_target_share": _round(
                    share(self.within_target, self.within_target + self.over_target), 3),
                "rated": len(self.ratings), "avg_rating": _round(mean(self.ratings), 2)}


COUNTS = ("issued", "called", "served", "no_show", "transferred", "cancelled")


def _round(value: float | None, digits: int = 1) -> float | None:
    return round(value, digits) if value is not None else None


@dataclass(frozen=True)
class LoggedEvent:
    """One entry of the event log as the report reads it; `local_at` is in the site's timezone."""

    type: str
    local_at: datetime
    ticket_id: int | None
    window: int | None
    staff_id: int | None
    payload: Mapping


@dataclass
class Satisfaction:
    """好差评 of a period: ratings per level, reasons of bad ones, ratings per wait band."""

    levels: Counter = field(default_factory=Counter)
    bad_reasons: Counter = field(default_factory=Counter)
    by_band: dict[tuple[int, int | None], list[int]] = field(
        default_factory=lambda: {band: [] for band in WAIT_BANDS})

    def add(self, level: int, reason: str | None, wait_minutes: float | None) -> None:
        self.levels[level] += 1
        if reason:
            self.bad_reasons[reason] += 1
        if wait_minutes is not None:
            self.by_band[wait_band(wait_minutes)].append(level)

    def figures(self) -> dict:
        ratings = list(self.levels.elements())
        return {"rated": len(ratings),
                "levels": {str(level): self.levels[level] for level in LEVELS},
                "avg_rating": _round(mean(ratings), 2),
                "satisfied_share": _round(_satisfied_share(ratings), 3),
                "bad_reasons": dict(self.bad_reasons.most_common()),
                "by_wait_band": [{"from_minutes": low, "to_minutes": high, "rated": len(levels),
                                  "avg_rating": _round(mean(levels), 2),
                                  "satisfied_share": _round(_satisfied_share(levels), 3)}
                                 for (low, high), levels in self.by_band.items()]}


def _satisfied_share(levels: Sequence[int]) -> float | None:
    # 好评: 基本满意 and better; 差评: below it (a reason is required there).
    return share(sum(1 for level in levels if level >= BAD_BELOW), len(levels))


class PeriodTally:
    """Folds a period's event log, in sequence order, into per-category, per-window and
    per-staff rows, arrivals per half hour and satisfaction.

    A ticket's wait is counted once, at its first call (the applicant's wait for a window);
    service time at each finish; a transfer counts against the category the ticket left.
    A ticket never called is judged for 达标率 (target_outcome) when it leaves the queue
    (cancelled, expired) or, still waiting, by `finish(until)`; its wait runs from its issue
    (its place in the queue) to then, at most to the end of its service day."""

    def __init__(self, wait_targets: Mapping[str, float]) -> None:
        self.wait_targets = wait_targets
        self.categories: dict[str, Tally] = defaultdict(Tally)
        self.windows: dict[int, Tally] = defaultdict(Tally)
        self.staff: dict[int, Tally] = defaultdict(Tally)
        self.arrivals: dict[str, Counter] = defaultdict(Counter)
        self.satisfaction = Satisfaction()
        self._category_of: dict[int, str] = {}
        self._first_wait: dict[int, float] = {}
        self._served_by: dict[int, tuple[int | None, int | None]] = {}
        self._waiting: dict[int, datetime] = {}  # never called yet: ticket → issued (local)

    def add(self, event: LoggedEvent) -> None:
        handler = getattr(self, "_on_" + event.type, None)
        if handler is not None:
            handler(event)

    def _rows(self, event: LoggedEvent, category: str) -> list[Tally]:
        rows = [self.categories[category]]
        if event.window is not None:
            rows.append(self.windows[event.window])
            if event.staff_id is not None:
                rows.append(self.staff[event.staff_id])
        return rows

    def _category(self, event: LoggedEvent) -> str:
        return self._category_of.get(event.ticket_id, event.payload["category"])

    def _on_issued(self, event: LoggedEvent) -> None:
        category = event.payload["category"]
        self._category_of[event.ticket_id] = category
        self.categories[category].issued += 1
        self._waiting[event.ticket_id] = event.local_at
        self.arrivals[half_hour_slot(event.local_at)][category] += 1

    def _on_called(self, event: LoggedEvent) -> None:
        category = event.payload["category"]
        self._category_of[event.ticket_id] = category
        self._waiting.pop(event.ticket_id, None)
        rows = self._rows(event, category)
        first = event.ticket_id not in self._first_wait
        if first:
            self._first_wait[event.ticket_id] = event.payload["wait_seconds"] / 60
        for row in rows:
            row.called += 1
            if first:
                row.add_wait(event.payload["wait_seconds"] / 60, self.wait_targets.get(category))

    def _on_finished(self, event: LoggedEvent) -> None:
        self._served_by[event.ticket_id] = (event.window, event.staff_id)
        for row in self._rows(event, self._category(event)):
            row.served += 1
            row.services.append(event.payload["service_seconds"] / 60)

    def _on_no_show(self, event: LoggedEvent) -> None:
        for row in self._rows(event, self._category(event)):
            row.no_show += 1

    def _on_transferred(self, event: LoggedEvent) -> None:
        for row in self._rows(event, self._category(event)):
            row.transferred += 1
        self._category_of[event.ticket_id] = event.payload["category"]

    def _on_cancelled(self, event: LoggedEvent) -> None:
        self.categories[self._category(event)].cancelled += 1
        self._left_waiting(event.ticket_id, event.local_at)

    def _on_expired(self, event: LoggedEvent) -> None:
        self._left_waiting(event.ticket_id, event.local_at)

    def _left_waiting(self, ticket_id: int, at: datetime) -> None:
        issued = self._waiting.pop(ticket_id, None)
        if issued is None:
            return  # called before, or issued outside the period
        category = self._category_of[ticket_id]
        # an open ticket expires at the next day's first request: it waited until its day ended
        end = min(at, issued.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1))
        waited = (end - issued).total_seconds() / 60
        self.categories[category].judge(
            target_outcome(waited, self.wait_targets.get(category), called=False))

    def finish(self, until: datetime) -> None:
        """Judge the tickets still waiting at `until` (local; now, or the period's end)."""
        for ticket_id in list(self._waiting):
            self._left_waiting(ticket_id, until)

    def _on_evaluated(self, event: LoggedEvent) -> None:
        level = event.payload["level"]
        window, staff_id = self._served_by.get(event.ticket_id, (event.window, None))
        self.categories[self._category(event)].ratings.append(level)
        if window is not None:
            self.windows[window].ratings.append(level)
        if staff_id is not None:
            self.staff[staff_id].ratings.append(level)
        self.satisfaction.add(level, event.payload.get("reason"),
                              self._first_wait.get(event.ticket_id))

    def totals(self) -> Tally:
        total = Tally()
        for row in self.categories.values():
            total.merge(row)
        return total
