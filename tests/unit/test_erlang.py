"""Erlang C against values derived independently and the published call-centre example."""
import math
from fractions import Fraction

import pytest

from queue_core.planning.erlang import (erlang_b, erlang_c, mean_wait, service_level,
                                        windows_for_target)


def erlang_c_by_definition(c: int, a: Fraction) -> Fraction:
    """The textbook sum, in exact rationals: (a^c/c!)(c/(c-a)) / (sum_k<c a^k/k! + that)."""
    top = a ** c / math.factorial(c) * Fraction(c) / (c - a)
    return top / (sum(a ** k / math.factorial(k) for k in range(c)) + top)


@pytest.mark.parametrize("rho", [0.1, 0.5, 0.9, 0.99])
def test_one_window_waits_with_probability_rho_as_in_mm1(rho):
    assert erlang_c(1, rho) == pytest.approx(rho)
    # M/M/1: mean wait in queue = rho * s / (1 - rho)
    assert mean_wait(1, rho, 6.0) == pytest.approx(rho * 6.0 / (1 - rho))


@pytest.mark.parametrize("a", [0.3, 1.0, 1.7])
def test_two_windows_match_the_mm2_closed_form(a):
    assert erlang_c(2, a) == pytest.approx(a * a / (2 + a))


@pytest.mark.parametrize("c,a", [(3, Fraction(5, 2)), (7, Fraction(9, 2)), (20, Fraction(37, 2)),
                                 (50, Fraction(45))])
def test_recursion_equals_the_defining_sum(c, a):
    assert erlang_c(c, float(a)) == pytest.approx(float(erlang_c_by_definition(c, a)), rel=1e-12)


def test_erlang_b_matches_tabulated_blocking():
    # Erlang B tables: 10 erlangs on 10 circuits block 21.46 %; 5 erlangs on 10 block 1.84 %.
    assert erlang_b(10, 10.0) == pytest.approx(0.2146, abs=5e-5)
    assert erlang_b(10, 5.0) == pytest.approx(0.01838, abs=5e-5)


# The classic call-centre example: 100 calls in 30 minutes, 3 minutes handling time = 10 erlangs,
# target 80 % answered within 20 seconds. Published: P(wait) 68.21 %, 44.94 %, 28.53 %, 17.41 %
# for 11..14 agents; service level 79.6 % with 13 and 88.8 % with 14; ASA about 8 s with 14.
@pytest.mark.parametrize("agents,p_wait,level", [(11, 0.6821, 0.3896), (12, 0.4494, 0.6402),
                                                 (13, 0.2853, 0.7956), (14, 0.1741, 0.8884)])
def test_classic_call_centre_example(agents, p_wait, level):
    assert erlang_c(agents, 10.0) == pytest.approx(p_wait, abs=5e-5)
    assert service_level(agents, 10.0, 20 / 60, 3.0) == pytest.approx(level, abs=5e-4)


def test_classic_example_needs_fourteen_agents_for_80_in_20_seconds():
    assert windows_for_target(10.0, 3.0, 20 / 60, 0.8) == 14
    assert mean_wait(14, 10.0, 3.0) * 60 == pytest.approx(7.84, abs=0.01)


def test_smallest_windows_is_the_first_count_that_meets_the_target():
    for load, service, t, share in [(0.4, 6, 15, 0.9), (3.2, 10, 15, 0.9), (12.5, 8, 5, 0.95)]:
        c = windows_for_target(load, service, t, share)
        assert service_level(c, load, t, service) >= share
        assert c - 1 <= load or service_level(c - 1, load, t, service) < share


def test_overload_has_no_steady_state():
    assert erlang_c(3, 3.0) == 1.0 and service_level(3, 4.0, 15, 6) == 0.0
    assert math.isinf(mean_wait(3, 3.5, 6))
    assert windows_for_target(0.0, 6, 15, 0.9) == 0
    assert windows_for_target(3.5, 6, 15, 0.9) >= 4
