"""Arrivals per half hour forecast from a hall's history, and its back-test: pure functions.

The model, meant to be explained to a manager in one sentence: a day's count for a half hour and
category is the mean of the same weekday's counts over the last `weeks` recorded such days,
scaled by the category's day-of-month factor when the day is one of the 1st–5th (the social
insurance surge). The factor is the category's arrivals on recorded 1st–5th days over what the
same weekdays brought on the other recorded days, within `factor_weeks`; weekday means are taken with
surge days divided by it first, so a surge in the last weeks does not inflate an ordinary day.
Closed days (not in the hall's weekdays, or listed as holidays) get no forecast and never train:
only recorded days (days with at least one arrival) do.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

SURGE_DAYS = range(1, 6)   # day of month: 社保 and similar monthly deadlines draw crowds
WEEKS = 6                  # same-weekday days a forecast averages
FACTOR_WEEKS = 13          # history the day-of-month factor is measured over (three months)


@dataclass(frozen=True)
class Count:
    """Arrivals of one category in one half hour (its start, minutes after midnight) of a day."""

    day: date
    slot: int
    category: str
    count: int


@dataclass(frozen=True)
class Forecast:
    """Expected arrivals of `day` per (slot, category), and what they were made from."""

    day: date
    counts: dict[tuple[int, str], float]
    based_on: tuple[date, ...]             # the same-weekday days averaged (all days if none)
    surge: bool                            # the day is one of SURGE_DAYS
    factors: dict[str, float] = field(default_factory=dict)  # day-of-month factor per category

    def total(self) -> float:
        return sum(self.counts.values())


def is_surge(day: date) -> bool:
    return day.day in SURGE_DAYS


def _by_day(history: Iterable[Count]) -> dict[date, dict[tuple[int, str], int]]:
    days: dict[date, dict[tuple[int, str], int]] = defaultdict(lambda: defaultdict(int))
    for c in history:
        days[c.day][(c.slot, c.category)] += c.count
    return days


def surge_factors(days: Mapping[date, Mapping[tuple[int, str], int]]) -> dict[str, float]:
    """Per category: its arrivals on surge days over what the same weekdays brought on other
    days (their mean), so a surge window that happens to hold two busy Mondays is not read as
    a surge. 1.0 where either kind of day is missing."""
    usual: dict[tuple[int, str], int] = defaultdict(int)  # (weekday, code)
    seen = defaultdict(int)                                              # usual days per weekday
    for day, cells in days.items():
        if not is_surge(day):
            seen[day.weekday()] += 1
            for (_, code), count in cells.items():
                usual[(day.weekday(), code)] += count
    got: dict[str, float] = defaultdict(float)
    expected: dict[str, float] = defaultdict(float)
    codes = {code for cells in days.values() for _, code in cells}
    for day, cells in days.items():
        if is_surge(day) and seen[day.weekday()]:
            for code in codes:
                got[code] += sum(n for (_, c), n in cells.items() if c == code)
                expected[code] += usual[(day.weekday(), code)] / seen[day.weekday()]
    return {code: got[code] / expected[code] if expected[code] else 1.0 for code in sorted(codes)}


def forecast(history: Iterable[Count], day: date, *, open_weekdays: Iterable[int] = (1, 2, 3, 4, 5),
             holidays: Iterable[date] = (), weeks: int = WEEKS,
             factor_weeks: int = FACTOR_WEEKS) -> Forecast:
    """The forecast of `day` from the recorded days before it (later ones are ignored, so a
    back-test can pass the whole history)."""
    closed = set(holidays)
    days = {d: cells for d, cells in _by_day(history).items()
            if d < day and d not in closed and (day - d).days <= factor_weeks * 7}
    if day.isoweekday() not in set(open_weekdays) or day in closed or not days:
        return Forecast(day, {}, (), is_surge(day))
    factors = surge_factors(days)
    same = sorted((d for d in days if d.weekday() == day.weekday()), reverse=True)[:weeks]
    used = same or sorted(days, reverse=True)[:weeks * 5]  # a weekday never seen: all days
    sums: dict[tuple[int, str], float] = defaultdict(float)
    for d in used:
        for (slot, code), count in days[d].items():
            sums[(slot, code)] += count / (factors[code] if is_surge(d) else 1.0)
    scale = lambda code: factors.get(code, 1.0) if is_surge(day) else 1.0
    counts = {key: total / len(used) * scale(key[1]) for key, total in sums.items()}
    return Forecast(day, counts, tuple(sorted(used)), is_surge(day),
                    {c: round(f, 3) for c, f in sorted(factors.items())})


@dataclass(frozen=True)
class BacktestDay:
    day: date
    actual: int
    predicted: float
    abs_error: float   # summed over its half hours and categories


def backtest(history: Iterable[Count], *, last: int = 10, open_weekdays: Iterable[int] = (1, 2, 3, 4, 5),
             holidays: Iterable[date] = (), weeks: int = WEEKS,
             factor_weeks: int = FACTOR_WEEKS) -> dict:
    """Train on the days before D, predict D, for each of the `last` recorded days that have
    history before them. Errors are per half-hour cell (slot and category, over the cells either
    the forecast or the day has): the mean absolute error in applicants, and the relative error
    (the summed absolute error over the arrivals, 'WAPE', which a quiet half hour cannot blow
    up as a per-cell percentage would)."""
    history = list(history)
    days = _by_day(history)
    closed = set(holidays)
    tested = [d for d in sorted(days) if d not in closed and any(e < d for e in days)][-last:]
    rows, cells, abs_sum, actual_sum = [], 0, 0.0, 0
    for d in tested:
        f = forecast(history, d, open_weekdays=open_weekdays, holidays=closed, weeks=weeks,
                     factor_weeks=factor_weeks)
        keys = set(f.counts) | set(days[d])
        err = sum(abs(f.counts.get(k, 0.0) - days[d].get(k, 0)) for k in keys)
        actual = sum(days[d].values())
        rows.append(BacktestDay(d, actual, round(f.total(), 2), round(err, 2)))
        cells += len(keys)
        abs_sum += err
        actual_sum += actual
    return {
        "days": len(rows),
        "cells": cells,
        "mean_abs_error": round(abs_sum / cells, 3) if cells else None,
        "relative_error": round(abs_sum / actual_sum, 3) if actual_sum else None,
        "per_day": [{"date": r.day.isoformat(), "actual": r.actual, "predicted": r.predicted,
                     "abs_error": r.abs_error} for r in rows],
    }


def window_shortfalls(needed: Mapping[int, int], have: int, slot_minutes: int = 30) -> list[dict]:
    """Runs of consecutive half hours where `needed` windows exceed `have`: each with its span
    and the most windows missing in it."""
    runs: list[dict] = []
    for slot in sorted(needed):
        more = needed[slot] - have
        if more <= 0:
            continue
        if runs and runs[-1]["end"] == slot:
            runs[-1]["end"] = slot + slot_minutes
            runs[-1]["more"] = max(runs[-1]["more"], more)
        else:
            runs.append({"start": slot, "end": slot + slot_minutes, "more": more})
    return runs


def next_open_days(after: date, count: int, open_weekdays: Iterable[int],
                   holidays: Iterable[date] = ()) -> list[date]:
    """The `count` open days following `after`."""
    weekdays, closed, found, d = set(open_weekdays), set(holidays), [], after
    if not weekdays:
        return []
    while len(found) < count:
        d += timedelta(days=1)
        if d.isoweekday() in weekdays and d not in closed:
            found.append(d)
    return found
