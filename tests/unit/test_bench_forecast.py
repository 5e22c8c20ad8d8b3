"""bench/bench_forecast.py: the forecast back-tested on its synthetic history is close to the
noise floor (a forecast that lost the weekday pattern or the 1st-5th surge would not be)."""
from bench import bench_forecast


def test_backtest_is_near_the_poisson_floor_on_ordinary_and_surge_days():
    result = bench_forecast.run(seed=1, days=40)
    assert len(result["tested"]) == 40
    assert result["cells"]["all"]["mae"] < 1.25 * result["floor"]["cells"]
    assert result["days"]["all"]["wape"] < 0.08
    # surge days are forecast as surge days: their daily error is no worse than the others'
    assert result["days"]["surge"]["wape"] < 0.08
    # holidays neither trained nor were tested
    assert not set(result["tested"]) & bench_forecast.HOLIDAYS
