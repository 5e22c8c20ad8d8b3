"""Honest wait estimates: people ahead times measured service time over the windows serving."""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

PRIOR_WEIGHT = 3  # the configured expectation counts as this many measured services


def service_minutes(expected: float, measured: Sequence[float]) -> float:
    """Mean service time, pulled toward the configured expectation until enough are measured."""
    return (sum(measured) + PRIOR_WEIGHT * expected) / (len(measured) + PRIOR_WEIGHT)


class WaitRange(NamedTuple):
    """Minutes until a ticket is called. `planned`: nobody serving it is signed in yet, so it
    is worked out over the windows planned for the category — an estimate, and said to be one."""

    low: int
    high: int
    planned: bool = False


def wait_range(ahead: int, minutes_per_service: float, a_windows: int,
               backup_windows: int, planned_windows: int = 0) -> WaitRange | None:
    """(low, high) minutes until this ticket is called; None when no window serves it now and
    none is planned to.

    Low assumes every window that may serve the category helps; high assumes only its A
    windows do (or only the backup ones when no A window is staffed) and one more ahead.
    Before anyone serving it signs in (the morning, a lunch break) the windows configured for
    it stand in for the staffed ones.
    """
    if a_windows + backup_windows == 0:
        if planned_windows == 0:
            return None
        return _range(ahead, minutes_per_service, planned_windows, planned_windows, planned=True)
    return _range(ahead, minutes_per_service, a_windows + backup_windows,
                  a_windows or backup_windows)


def _range(ahead: int, minutes: float, all_windows: int, own_windows: int,
           planned: bool = False) -> WaitRange:
    low = math.floor(ahead * minutes / all_windows)
    high = math.ceil((ahead + 1) * minutes / own_windows)
    return WaitRange(low, max(low, high), planned)


NEAR_TARGET = 0.75  # share of the wait target after which a queue needs a manager's eye


def wait_level(waiting: int, oldest_wait_minutes: float, estimate_high: int | None,
               target_minutes: int) -> str:
    """How a queue stands against its wait target, as the manager's console colours it:
    "over" once its oldest ticket waited past the target, "near" when that wait passed 3/4 of
    it or a new ticket's estimate exceeds it, else "ok"."""
    if waiting and oldest_wait_minutes > target_minutes:
        return "over"
    if waiting and (oldest_wait_minutes > NEAR_TARGET * target_minutes
                    or (estimate_high or 0) > target_minutes):
        return "near"
    return "ok"
