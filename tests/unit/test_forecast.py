"""The arrivals forecast recovers a known weekly pattern and 1st–5th surge, and its back-test
reports the error it makes."""
import random
from datetime import date, timedelta

import pytest

from queue_core.planning.forecast import (Count, backtest, forecast, next_open_days,
                                          surge_factors, window_shortfalls)

SLOTS = (540, 570, 600, 630)


def expected(day: date, slot: int, code: str) -> float:
    """Mondays twice as busy at 09:00–10:00; social insurance ×2.5 on the 1st–5th."""
    base = {"social": 6.0, "tax": 4.0}[code]
    if day.isoweekday() == 1 and slot < 600:
        base *= 2
    if code == "social" and day.day <= 5:
        base *= 2.5
    return base


def history(first: date, last: date, noise: bool = False, seed: int = 7) -> list[Count]:
    rnd = random.Random(seed)
    out, d = [], first
    while d <= last:
        if d.isoweekday() <= 5:
            for slot in SLOTS:
                for code in ("social", "tax"):
                    mean = expected(d, slot, code)
                    n = round(rnd.gauss(mean, mean ** 0.5)) if noise else round(mean)
                    out.append(Count(d, slot, code, max(0, n)))
        d += timedelta(days=1)
    return out


HISTORY = history(date(2026, 1, 5), date(2026, 3, 31))


def test_recovers_weekday_pattern_and_surge():
    monday_surge = forecast(HISTORY, date(2026, 4, 6) - timedelta(days=4))  # Thu 2 April
    assert monday_surge.surge
    assert monday_surge.factors["social"] == pytest.approx(2.5, abs=0.01)
    assert monday_surge.factors["tax"] == pytest.approx(1.0, abs=0.01)
    for day in (date(2026, 4, 1), date(2026, 4, 6), date(2026, 4, 13)):  # Wed surge, Mon, Mon
        f = forecast(HISTORY, day)
        for slot in SLOTS:
            for code in ("social", "tax"):
                assert f.counts[(slot, code)] == pytest.approx(expected(day, slot, code), abs=0.05)
    assert len(forecast(HISTORY, date(2026, 4, 13)).based_on) == 6   # six Mondays averaged


def test_closed_days_get_no_forecast_and_never_train():
    assert forecast(HISTORY, date(2026, 4, 4)).counts == {}          # a Saturday
    assert forecast(HISTORY, date(2026, 4, 6), holidays={date(2026, 4, 6)}).counts == {}
    # A holiday Monday with a crowd recorded does not lift the next Monday once excluded.
    crowd = HISTORY + [Count(date(2026, 3, 30), 540, "tax", 100)]
    assert forecast(crowd, date(2026, 4, 13)).counts[(540, "tax")] > 8 + 10
    excluded = forecast(crowd, date(2026, 4, 13), holidays={date(2026, 3, 30)})
    assert excluded.counts[(540, "tax")] == pytest.approx(8.0)


def test_without_surge_days_in_history_the_factor_is_one():
    days = {date(2026, 3, 10): {(540, "social"): 5}, date(2026, 3, 11): {(540, "social"): 7}}
    assert surge_factors(days) == {"social": 1.0}


def test_backtest_exact_on_a_clean_pattern_and_reports_noise():
    clean = backtest(HISTORY, last=10)
    assert clean["days"] == 10 and clean["mean_abs_error"] == pytest.approx(0, abs=0.01)
    noisy = backtest(history(date(2026, 1, 5), date(2026, 3, 31), noise=True), last=25)
    assert noisy["days"] == 25 and noisy["cells"] == 25 * len(SLOTS) * 2
    # Poisson-like noise of sd √mean: a cell's error is about 0.8 √mean, ~2 applicants here.
    assert 0.5 < noisy["mean_abs_error"] < 3.5
    assert 0.05 < noisy["relative_error"] < 0.4
    # On surge days the whole hall is ~1.6× an ordinary day: ignoring the surge would miss by
    # ~35 %; the forecast's total over those days is within 15 %.
    surge_rows = [r for r in noisy["per_day"] if int(r["date"][-2:]) <= 5]
    actual, predicted = (sum(r[k] for r in surge_rows) for k in ("actual", "predicted"))
    assert len(surge_rows) == 4 and abs(predicted - actual) < 0.15 * actual


def test_shortfall_runs_and_open_days():
    needed = {540: 3, 570: 4, 600: 2, 630: 5}
    assert window_shortfalls(needed, 2) == [{"start": 540, "end": 600, "more": 2},
                                            {"start": 630, "end": 660, "more": 3}]
    assert next_open_days(date(2026, 4, 3), 3, (1, 2, 3, 4, 5), {date(2026, 4, 6)}) == [
        date(2026, 4, 7), date(2026, 4, 8), date(2026, 4, 9)]
