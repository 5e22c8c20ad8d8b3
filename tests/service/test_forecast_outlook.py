"""The 3-day arrivals outlook and its back-test from a recorded week of the test hall."""
import pytest

from queue_core.service import forecast

from .helpers import issue
from .test_staffing import client_as  # noqa: F401  (the signed-in test clients)

OUTLOOK = "/api/v1/sites/test/staffing/outlook"


@pytest.fixture
def recorded_week(hall, kiosk, clock):
    """Mon 23 Nov 2026: 30 social tickets 09:00–09:30 (one a minute); Tue–Fri: 3 each at
    09:00–09:03. Then the clock moves to Saturday 09:00."""
    for day in range(5):
        for _ in range(30 if day == 0 else 3):
            issue(hall, kiosk, "social")
            clock.advance(minutes=1)
        clock.advance(days=1, minutes=-(30 if day == 0 else 3))
    return hall


def test_outlook_warns_monday_morning_and_reports_its_backtest(recorded_week):
    with recorded_week.db.reader() as session:
        result = forecast.outlook(session, "test", recorded_week.clock.now(), target_minutes=15,
                                  target_share=0.9, backtest_days=10)
    assert result["today"] == "2026-11-28"
    assert [d["date"] for d in result["days"]] == ["2026-11-30", "2026-12-01", "2026-12-02"]
    monday = result["days"][0]
    assert monday["based_on"] == ["2026-11-23"] and not monday["surge"]
    social = monday["categories"]["social"]
    assert social["a_windows"] == 2
    assert social["slots"] == [{"start": "09:00", "arrivals": 30.0,
                                "windows_needed": social["slots"][0]["windows_needed"]}]
    needed = social["slots"][0]["windows_needed"]
    assert needed >= 7   # 6 Erlangs of social work in that half hour
    assert result["warnings"] == [{
        "date": "2026-11-30", "category": "social", "from": "09:00", "until": "09:30",
        "more_windows": needed - 2,
        "text_zh": f"周一 09:00–09:30 社保医保 需增开 {needed - 2} 个窗口",
        "text_en": f"Mon 09:00–09:30 Social Insurance needs {needed - 2} more windows"}]
    assert result["days"][1]["surge"] and result["days"][1]["expected_arrivals"] == 3.0
    test = result["backtest"]
    # Tue–Fri, each from the days before it: Tuesday, seeing only Monday, expects 30.
    assert [d["date"] for d in test["per_day"]] == ["2026-11-24", "2026-11-25", "2026-11-26",
                                                    "2026-11-27"]
    assert test["per_day"][0] == {"date": "2026-11-24", "actual": 3, "predicted": 30.0,
                                  "abs_error": 27.0}
    assert test["mean_abs_error"] > 0 and test["relative_error"] > 1


def test_manager_gets_the_outlook_over_http_and_a_bad_query_is_a_400(recorded_week, client_as):
    boss = client_as("boss")
    r = boss.get(f"{OUTLOOK}?target_minutes=15&backtest_days=5")
    assert r.status_code == 200
    assert r.get_json()["warnings"][0]["category"] == "social"
    r = boss.get(f"{OUTLOOK}?backtest_days=0")
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "invalid_input"
    assert client_as("staff1").get(OUTLOOK).status_code == 403
