"""Ticket lifecycle, numbering, estimates, opening hours and statistics helpers."""
from datetime import datetime, time, timezone

import pytest

from queue_core.domain.calendar import Hours, service_date
from queue_core.domain.errors import InvalidTransition
from queue_core.domain.estimate import service_minutes, wait_level, wait_range
from queue_core.domain.model import Action, TicketStatus, format_number, next_status
from queue_core.domain.stats import percentile

S = TicketStatus


@pytest.mark.parametrize("status,action,after", [
    (S.WAITING, Action.CALL, S.CALLED), (S.CALLED, Action.START, S.SERVING),
    (S.SERVING, Action.FINISH, S.DONE), (S.CALLED, Action.NO_SHOW, S.NO_SHOW),
    (S.NO_SHOW, Action.REINSTATE, S.WAITING), (S.SERVING, Action.SUSPEND, S.SUSPENDED),
    (S.SUSPENDED, Action.RESUME, S.SERVING), (S.SERVING, Action.TRANSFER, S.WAITING),
    (S.WAITING, Action.CANCEL, S.CANCELLED), (S.CALLED, Action.EXPIRE, S.EXPIRED),
])
def test_allowed_transitions(status, action, after):
    assert next_status(status, action) == after


@pytest.mark.parametrize("status,action", [
    (S.WAITING, Action.FINISH), (S.DONE, Action.CALL), (S.SERVING, Action.NO_SHOW),
    (S.CANCELLED, Action.REINSTATE), (S.DONE, Action.EXPIRE),
])
def test_refused_transitions_name_the_state(status, action):
    with pytest.raises(InvalidTransition) as err:
        next_status(status, action)
    assert err.value.params["status"] == status


def test_numbers_are_prefix_and_padded_sequence():
    assert format_number("A", 7) == "A007" and format_number("B", 1234) == "B1234"


def test_estimate_is_a_range_over_serving_windows():
    assert wait_range(10, 6.0, 2, 1) == (20, 33, False)
    assert wait_range(0, 6.0, 1, 0) == (0, 6, False)
    assert wait_range(5, 6.0, 0, 0) is None
    assert wait_range(5, 6.0, 0, 0, planned_windows=0) is None


def test_before_anyone_signs_in_the_planned_windows_give_an_estimate_marked_as_such():
    assert wait_range(5, 6.0, 0, 0, planned_windows=2) == (15, 18, True)
    assert wait_range(5, 6.0, 1, 0, planned_windows=2) == (30, 36, False)  # staffed wins


def test_measured_service_time_pulls_away_from_the_seed():
    assert service_minutes(6.0, []) == 6.0
    assert service_minutes(6.0, [10.0] * 30) == pytest.approx((300 + 18) / 33)


def test_service_day_follows_the_site_timezone():
    late_utc = datetime(2026, 3, 1, 17, 30, tzinfo=timezone.utc)  # 01:30 next day in Shanghai
    assert service_date(late_utc, "Asia/Shanghai").isoformat() == "2026-03-02"
    assert service_date(late_utc, "UTC").isoformat() == "2026-03-01"


def test_opening_hours_and_weekdays():
    hours = Hours(time(8, 30), time(17, 30), frozenset({1, 2, 3, 4, 5}))
    monday = datetime(2026, 11, 23, 9, 0)
    assert hours.is_open(monday)
    assert not hours.is_open(monday.replace(hour=8, minute=29))
    assert not hours.is_open(monday.replace(hour=17, minute=30))
    assert not hours.is_open(datetime(2026, 11, 22, 10, 0))  # Sunday


def test_percentile_nearest_rank():
    assert percentile([15, 20, 35, 40, 50], 90) == 50
    assert percentile(list(range(1, 11)), 90) == 9
    assert percentile([], 90) is None


def test_a_queue_is_coloured_against_its_wait_target():
    # target 20 min: under 15 min waited and a short estimate is fine
    assert wait_level(4, 10, 12, 20) == "ok"
    # past 3/4 of the target, or a new ticket would wait longer than the target
    assert wait_level(4, 16, 12, 20) == "near"
    assert wait_level(4, 5, 25, 20) == "near"
    # the oldest ticket already waited past the target
    assert wait_level(4, 21, 12, 20) == "over"
    # an empty queue is never a problem, whatever the estimate says
    assert wait_level(0, 0, 30, 20) == "ok"
