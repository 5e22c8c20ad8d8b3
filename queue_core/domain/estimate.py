"""Honest wait estimates: people ahead times measured service time over the windows serving."""
from __future__ import annotations

import math
from collections.abc import Sequence

PRIOR_WEIGHT = 3  # the configured expectation counts as this many measured services


def service_minutes(expected: float, measured: Sequence[float]) -> float:
    """Mean service time, pulled toward the configured expectation until enough are measured."""
    return (sum(measured) + PRIOR_WEIGHT * expected) / (len(measured) + PRIOR_WEIGHT)


def wait_range(ahead: int, minutes_per_service: float, a_windows: int,
               backup_windows: int) -> tuple[int, int] | None:
    """(low, high) minutes until this ticket is called; None when no window serves it now.

    Low assumes every window that may serve the category helps; high assumes only its A
    windows do (or only the backup ones when no A window is staffed) and one more ahead.
    """
    if a_windows + backup_windows == 0:
        return None
    low = math.floor(ahead * minutes_per_service / (a_windows + backup_windows))
    high = math.ceil((ahead + 1) * minutes_per_service / (a_windows or backup_windows))
    return low, max(low, high)


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
