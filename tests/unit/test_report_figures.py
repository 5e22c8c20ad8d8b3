"""Report arithmetic on plain values: half-hour slots, wait bands, and folding a few events."""
from datetime import datetime

import pytest

from queue_core.domain.stats import (MET, MISSED, LoggedEvent, PeriodTally, half_hour_slot,
                                     half_hour_slots, percentile, target_outcome, wait_band)


@pytest.mark.parametrize("hhmm,slot", [("09:00", "09:00"), ("09:29", "09:00"), ("09:30", "09:30"),
                                       ("09:59", "09:30"), ("00:05", "00:00"), ("23:45", "23:30")])
def test_a_time_falls_in_the_half_hour_it_starts_in(hhmm, slot):
    hours, minutes = map(int, hhmm.split(":"))
    assert half_hour_slot(datetime(2026, 11, 23, hours, minutes)) == slot


def test_slots_run_from_first_to_last_inclusive():
    assert half_hour_slots("08:30", "10:00") == ["08:30", "09:00", "09:30", "10:00"]
    assert half_hour_slots("08:45", "09:10") == ["08:30", "09:00"]


@pytest.mark.parametrize("minutes,band", [(0, (0, 5)), (4.99, (0, 5)), (5, (5, 15)),
                                          (14.9, (5, 15)), (15, (15, 30)), (30, (30, None)),
                                          (600, (30, None))])
def test_a_wait_belongs_to_the_band_its_lower_bound_opens(minutes, band):
    assert wait_band(minutes) == band


def test_p90_is_the_nearest_rank():
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) == 9
    assert percentile([3, 25, 4, 18], 90) == 25
    assert percentile([], 90) is None


def event(type_, ticket, minute, window=None, staff=None, **payload):
    return LoggedEvent(type_, datetime(2026, 11, 23, 9, minute), ticket, window, staff, payload)


def test_a_ticket_called_twice_waits_once_and_a_transfer_counts_where_it_left():
    tally = PeriodTally({"social": 20, "tax": 25})
    for e in [event("issued", 1, 0, category="tax"),
              event("called", 1, 10, 3, 7, category="tax", wait_seconds=600),
              event("transferred", 1, 12, 3, 7, category="social"),
              event("called", 1, 30, 1, 8, category="social", wait_seconds=1800),
              event("finished", 1, 40, 1, 8, category="social", service_seconds=600),
              event("evaluated", 1, 41, 1, None, category="social", level=2, reason="long_wait")]:
        tally.add(e)
    tax, social = tally.categories["tax"].figures(), tally.categories["social"].figures()
    assert (tax["issued"], tax["called"], tax["transferred"], tax["avg_wait_minutes"]) == (1, 1, 1, 10.0)
    assert (social["called"], social["served"], social["avg_wait_minutes"], social["rated"]) == (
        1, 1, None, 1)
    assert tally.staff[8].ratings == [2] and tally.staff[7].ratings == []  # who served it
    figures = tally.satisfaction.figures()
    assert figures["by_wait_band"][1]["rated"] == 1  # its wait was 10 minutes, to the first call
    assert figures["bad_reasons"] == {"long_wait": 1}


@pytest.mark.parametrize("waited,target,called,outcome", [
    (20, 20, True, MET), (21, 20, True, MISSED),       # called: on or past the target
    (21, 20, False, MISSED), (20, 20, False, None),    # never called: missed only once past it
    (90, None, True, None)])                           # no target: not counted
def test_one_definition_of_the_share_within_target(waited, target, called, outcome):
    assert target_outcome(waited, target, called) == outcome


def test_an_expired_ticket_waited_until_its_day_ended_not_until_the_next_request():
    tally = PeriodTally({"social": 600})  # a ten-hour target
    tally.add(LoggedEvent("issued", datetime(2026, 11, 23, 15, 0), 1, None, None,
                          {"category": "social"}))
    tally.add(LoggedEvent("expired", datetime(2026, 11, 24, 9, 0), 1, None, None, {}))
    assert (tally.categories["social"].within_target, tally.categories["social"].over_target) == (
        0, 0)  # 9 hours to midnight, within ten: not counted, though 18 hours to the expiry
