"""Erlang C (M/M/c): the probability of waiting, service level, mean wait and the smallest number
of windows for a target, in steady state. The advice uses it only as the first guess of a
category's windows per half hour, which the simulator then corrects: a half hour of a hall day is
no steady state (it starts from whatever queue the last one left, or none), so these figures are
an approximation, not a bound on what any policy can reach.

Offered load `a` is in Erlangs: arrivals per minute times mean service minutes.
"""
from __future__ import annotations

import math


def erlang_b(c: int, a: float) -> float:
    """Blocking probability of M/M/c/c, by the stable recursion B(k) = a·B(k-1) / (k + a·B(k-1))."""
    if c < 0 or a < 0:
        raise ValueError("c and a must not be negative")
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def erlang_c(c: int, a: float) -> float:
    """Probability that an arrival waits (all c windows busy); 1.0 when a >= c (no steady state)."""
    if a <= 0:
        return 0.0
    if c <= 0 or a >= c:
        return 1.0
    b = erlang_b(c, a)
    return c * b / (c - a * (1 - b))


def service_level(c: int, a: float, target_minutes: float, service_minutes: float) -> float:
    """P(wait <= target): 1 - C(c, a)·exp(-(c - a)·t / s)."""
    if a <= 0:
        return 1.0
    if c <= 0 or a >= c:
        return 0.0
    return 1 - erlang_c(c, a) * math.exp(-(c - a) * target_minutes / service_minutes)


def mean_wait(c: int, a: float, service_minutes: float) -> float:
    """Mean wait in minutes over all arrivals: C(c, a)·s / (c - a); infinite when a >= c."""
    if a <= 0:
        return 0.0
    if c <= 0 or a >= c:
        return math.inf
    return erlang_c(c, a) * service_minutes / (c - a)


def windows_for_target(a: float, service_minutes: float, target_minutes: float,
                       target_share: float, max_windows: int = 500) -> int:
    """Smallest c with P(wait <= target) >= share; 0 without load. ValueError past max_windows."""
    if a <= 0:
        return 0
    if not 0 < target_share < 1:
        raise ValueError("target_share must be between 0 and 1")
    c = max(1, math.floor(a) + 1)  # fewer windows than the load never reach a steady state
    while service_level(c, a, target_minutes, service_minutes) < target_share:
        c += 1
        if c > max_windows:
            raise ValueError(f"more than {max_windows} windows needed")
    return c
