"""The arrivals forecast (queue_core.planning.forecast) back-tested on a synthetic history of its
own: how far off a manager's 3-day outlook is, per half hour and per day.

History (seed 1; Poisson counts per half hour and category; Monday-Friday, 08:30-17:30):

  category   applicants on an ordinary Wednesday   weekday factor Mon/Tue/Wed/Thu/Fri
  social          120                               1.25 / 1.05 / 1.0 / 0.95 / 0.85
  tax              60                               same
  realty           40                               same
  general          80                               same

  - a day's shape: the usual hall rhythm (a 09:00-11:00 peak, a lunch dip, a smaller afternoon
    peak; SHAPE below), the same for every category;
  - the 1st-5th of a month: social x 1.8, tax x 1.3 (the monthly deadlines), realty and general
    as usual;
  - holidays (on the hall's list, closed, no arrivals): 2026-06-19, 2026-09-25, 2026-10-01..07;
  - 2026-05-04 .. 2026-11-27: 30 weeks.

Back-test: each of the last DAYS recorded days is forecast from the days before it only (the
model's 6 same-weekday days and 13 weeks of surge history), and compared with what it brought.
Errors: MAE in applicants and MAPE (mean of |error| / actual, over the units with any arrival)
per half hour and category, per half hour for the hall, and per day for the hall; WAPE (summed
|error| over summed arrivals) beside each, which a quiet half hour cannot inflate. The model
forecasts the mean; the Poisson noise of a half hour alone is sqrt(mean), so a perfect model's
MAE is about 0.8 sqrt(mean): that floor is printed next to the figures.
"""
from __future__ import annotations

import argparse
import datetime
import math
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_policy import machine, write_results  # noqa: E402
from queue_core.planning import forecast  # noqa: E402

SECTION = "## Arrivals forecast: back-test on a synthetic history"
WEDNESDAY = {"social": 120, "tax": 60, "realty": 40, "general": 80}
WEEKDAY = {1: 1.25, 2: 1.05, 3: 1.0, 4: 0.95, 5: 0.85}
SURGE = {"social": 1.8, "tax": 1.3}
SHAPE = ((510, 0.6), (540, 1.0), (570, 1.0), (600, 1.0), (630, 0.9), (660, 0.6), (690, 0.3),
         (720, 0.1), (750, 0.1), (780, 0.2), (810, 0.4), (840, 0.6), (870, 0.7), (900, 0.7),
         (930, 0.6), (960, 0.5), (990, 0.3), (1020, 0.2))
HOLIDAYS = frozenset([datetime.date(2026, 6, 19), datetime.date(2026, 9, 25),
                      *(datetime.date(2026, 10, d) for d in range(1, 8))])
FIRST, LAST = datetime.date(2026, 5, 4), datetime.date(2026, 11, 27)
DAYS = 40


def expected(day: datetime.date) -> dict[tuple[int, str], float]:
    """The true mean count of each half hour and category of an open day."""
    weight = sum(w for _, w in SHAPE)
    return {(slot, code): n * WEEKDAY[day.isoweekday()] * w / weight
            * (SURGE.get(code, 1.0) if forecast.is_surge(day) else 1.0)
            for code, n in WEDNESDAY.items() for slot, w in SHAPE}


def poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: the means here are small (under 30)."""
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def history(seed: int) -> list[forecast.Count]:
    rng, counts, day = random.Random(seed), [], FIRST
    while day <= LAST:
        if day.isoweekday() <= 5 and day not in HOLIDAYS:
            for (slot, code), mean in sorted(expected(day).items()):
                n = poisson(rng, mean)
                if n:
                    counts.append(forecast.Count(day, slot, code, n))
        day += datetime.timedelta(days=1)
    return counts


def errors(pairs: list[tuple[float, int]]) -> dict:
    """MAE, MAPE (units with any arrival) and WAPE of (predicted, actual) pairs."""
    pct = [abs(p - a) / a for p, a in pairs if a]
    return {"n": len(pairs), "mae": statistics.fmean(abs(p - a) for p, a in pairs),
            "mape": statistics.fmean(pct) if pct else float("nan"),
            "wape": sum(abs(p - a) for p, a in pairs) / max(1, sum(a for _, a in pairs)),
            "mean_actual": statistics.fmean(a for _, a in pairs)}


def run(seed: int, days: int) -> dict:
    counts = history(seed)
    by_day: dict[datetime.date, dict[tuple[int, str], int]] = defaultdict(dict)
    for c in counts:
        by_day[c.day][(c.slot, c.category)] = c.count
    tested = sorted(by_day)[-days:]
    cells, slots, totals = defaultdict(list), defaultdict(list), defaultdict(list)
    floor: dict[str, list[float]] = defaultdict(list)
    noise = lambda mean: math.sqrt(2 / math.pi * mean)   # about E|Poisson(mean) - mean|
    for d in tested:
        f = forecast.forecast(counts, d, holidays=HOLIDAYS)
        kind = "surge" if forecast.is_surge(d) else "other"
        truth = expected(d)
        for key in truth:
            pair = (f.counts.get(key, 0.0), by_day[d].get(key, 0))
            for k in (kind, "all"):
                cells[k].append(pair)
            floor["cells"].append(noise(truth[key]))
        for slot, _ in SHAPE:
            pair = (sum(v for (s, _), v in f.counts.items() if s == slot),
                    sum(v for (s, _), v in by_day[d].items() if s == slot))
            for k in (kind, "all"):
                slots[k].append(pair)
            floor["slots"].append(noise(sum(v for (s, _), v in truth.items() if s == slot)))
        for k in (kind, "all"):
            totals[k].append((f.total(), sum(by_day[d].values())))
        floor["days"].append(noise(sum(truth.values())))
    return {"tested": tested, "cells": {k: errors(v) for k, v in cells.items()},
            "slots": {k: errors(v) for k, v in slots.items()},
            "days": {k: errors(v) for k, v in totals.items()},
            "floor": {unit: statistics.fmean(v) for unit, v in floor.items()}}


def table(result: dict) -> str:
    lines = ["| unit | days | units | mean actual | MAE | MAPE | WAPE |",
             "|---|---|---:|---:|---:|---:|---:|"]
    names = {"cells": "half hour × category", "slots": "half hour (hall)", "days": "day (hall)"}
    kinds = {"all": "all tested", "surge": "1st–5th", "other": "other days"}
    for unit in ("cells", "slots", "days"):
        for kind in ("all", "surge", "other"):
            e = result[unit].get(kind)
            if e:
                lines.append(f"| {names[unit]} | {kinds[kind]} | {e['n']} | {e['mean_actual']:.1f} "
                             f"| {e['mae']:.2f} | {100 * e['mape']:.1f} % | "
                             f"{100 * e['wape']:.1f} % |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--days", type=int, default=DAYS, help="recorded days back-tested")
    ap.add_argument("--write-results", action="store_true",
                    help=f"replace the section '{SECTION}' of bench/RESULTS.md")
    args = ap.parse_args()
    started = time.process_time()
    result = run(args.seed, args.days)
    cpu = time.process_time() - started
    tested = result["tested"]
    surge_days = sum(1 for d in tested if forecast.is_surge(d))
    body = (f"{len(tested)} days back-tested ({tested[0]} – {tested[-1]}, {surge_days} of them "
            f"1st–5th), each forecast from the days before it:\n\n" + table(result) +
            f"\n\nPoisson noise alone (a forecast of the true mean) would give a MAE of about "
            f"{result['floor']['cells']:.2f} per half hour and category, "
            f"{result['floor']['slots']:.2f} per half hour of the hall and "
            f"{result['floor']['days']:.1f} per day of the hall.")
    print(body)
    print(f"\n({cpu:.1f} s CPU)", file=sys.stderr)
    if args.write_results:
        cmd = "`.venv/bin/python bench/bench_forecast.py --write-results`"
        if args.seed != 1 or args.days != DAYS:
            cmd = (f"`.venv/bin/python bench/bench_forecast.py --seed {args.seed} "
                   f"--days {args.days} --write-results`")
        intro = (f"Reproduce: {cmd}. Date {datetime.date.today().isoformat()}. Machine: "
                 f"{machine()}. {cpu:.1f} s CPU. The synthetic history (30 weeks of four "
                 "categories with a weekday pattern, a 1st–5th surge for social ×1.8 and tax "
                 "×1.3, nine holidays on the hall's list) and the error measures are documented "
                 "at the top of bench/bench_forecast.py; the model is planning/forecast.py, the "
                 "one behind GET …/staffing/outlook and its back-test.")
        write_results(intro + "\n\n" + body + "\n\n" + NOTES, SECTION)
        print("wrote bench/RESULTS.md", file=sys.stderr)
    return 0


NOTES = """\
Reading it: a half hour of one category is mostly noise (a few applicants: the MAPE there is
large however good the model), which is why the outlook warns per run of half hours and the
back-test reports WAPE; the hall's half hour and the hall's day are what staffing is planned
on. The 1st–5th rows show whether the surge factor carries: it is measured per category over
13 weeks of history, so a surge day is forecast from about a dozen earlier surge days."""


if __name__ == "__main__":
    raise SystemExit(main())
