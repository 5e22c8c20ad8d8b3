"""The hall's holiday list (config.toml `holidays`): stored by apply-config, closing the hall for
issuing all day with a message that says why, and left out of the forecast and its back-test."""
from datetime import date, timedelta

import pytest

from queue_core.app import create_app
from queue_core.domain.errors import ClosedForHoliday
from queue_core.service import accounts, forecast
from queue_core.service.setup import apply_config

from .helpers import issue

# The clock's day (tests/conftest.py MONDAY_9AM).
MONDAY = date(2026, 11, 23)


def with_holidays(hall, settings, *days: date) -> None:
    site = settings.sites[0].model_copy(update={"holidays": list(days)})
    with hall.db.writer() as s:
        apply_config(s, settings.model_copy(update={"sites": [site]}))
        s.commit()


def test_issuing_on_a_holiday_is_refused_with_the_date_in_zh_and_en(hall, settings, kiosk):
    issue(hall, kiosk)  # an ordinary Monday issues
    with_holidays(hall, settings, MONDAY)
    with pytest.raises(ClosedForHoliday) as refused:
        issue(hall, kiosk)
    assert refused.value.params == {"date": "2026-11-23"}

    app = create_app(settings, clock=hall.clock)
    with hall.db.writer() as s:
        token = accounts.issue_device_token(s, "test", "kiosk-1")
        s.commit()
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    r = client.post("/api/v1/sites/test/tickets", json={"category": "social"}, headers=auth)
    assert r.status_code == 409
    assert r.get_json()["error"]["code"] == "closed_for_holiday"
    assert r.get_json()["error"]["message"] == "今天（2026-11-23）是节假日，大厅休息，不办理业务"
    r = client.post("/api/v1/sites/test/tickets", json={"category": "social"},
                    headers={**auth, "Accept-Language": "en"})
    assert r.get_json()["error"]["message"] == "The hall is closed today (2026-11-23): a holiday"
    # The kiosk's list greys every service out for the same reason.
    listed = client.get("/api/v1/sites/test/categories", headers=auth).get_json()
    assert {c["unavailable_reason"] for c in listed} == {"closed_for_holiday"}

    with_holidays(hall, settings)  # taken off the list: the hall issues again
    assert issue(hall, kiosk)


@pytest.fixture
def two_weeks(hall, kiosk, clock):
    """Mon 9 .. Fri 20 Nov 2026 at 09:00 (no 1st-5th day): 10 social tickets each open day, 40
    on Wed 11 Nov, a day that will be on the holiday list (in this history the hall opened).
    Then the clock is back on Monday 23 Nov 09:00."""
    start = clock.now()
    clock.advance(days=-14)
    for d in range(14):
        day = MONDAY - timedelta(days=14 - d)
        if day.isoweekday() <= 5:
            n = 40 if day == date(2026, 11, 11) else 10
            for _ in range(n):
                issue(hall, kiosk, "social")
                clock.advance(seconds=30)
            clock.advance(seconds=-30 * n)
        clock.advance(days=1)
    assert clock.now() == start
    return hall


def test_holidays_neither_train_nor_are_tested_nor_forecast(two_weeks, settings):
    hall = two_weeks

    def outlook():
        with hall.db.reader() as s:
            return forecast.outlook(s, "test", hall.clock.now(), target_minutes=15,
                                    target_share=0.9, backtest_days=20)

    plain = outlook()
    wednesday = next(d for d in plain["days"] if d["date"] == "2026-11-25")
    assert wednesday["expected_arrivals"] == 25.0   # (40 + 10) / 2, before the holiday list
    assert "2026-11-11" in [d["date"] for d in plain["backtest"]["per_day"]]

    with_holidays(hall, settings, date(2026, 11, 11), date(2026, 11, 24))
    result = outlook()
    # Tuesday 24 Nov is a holiday: the outlook's next open days skip it, and says so.
    assert [d["date"] for d in result["days"]] == ["2026-11-25", "2026-11-26", "2026-11-27"]
    assert result["model"]["holidays"] == ["2026-11-24"]
    # Wednesday 11 Nov's crowd no longer trains the Wednesday forecast, nor is it back-tested.
    assert result["days"][0]["expected_arrivals"] == 10.0
    assert result["days"][0]["based_on"] == ["2026-11-18"]
    assert "2026-11-11" not in [d["date"] for d in result["backtest"]["per_day"]]
