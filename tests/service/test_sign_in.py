"""Sign-in throttling: typing mistakes are free, then each try waits longer, then the account
(or an address trying many accounts) is locked for a while; every attempt is kept."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from queue_core.adapters.orm import SignInAttempt
from queue_core.domain import sign_in as rules
from queue_core.domain.errors import SignInThrottled, Unauthorized
from queue_core.service import accounts


def attempt(hall, clock, password, username="staff1", address="10.0.0.5"):
    return accounts.sign_in(hall.uow(), username, password, address).staff


def wrong(hall, clock, times, **who):
    for _ in range(times):
        with pytest.raises(Unauthorized):
            attempt(hall, clock, "wrong", **who)
        clock.advance(seconds=60)  # past any wait


def test_waits_grow_after_the_free_mistakes_then_the_account_locks(hall, people, clock):
    wrong(hall, clock, rules.FREE_FAILURES + 1)
    clock.advance(seconds=-59)  # one second after the fourth failure: 2 s to wait
    with pytest.raises(SignInThrottled) as refused:
        attempt(hall, clock, "password123")
    assert refused.value.params["seconds"] == 1
    clock.advance(seconds=1)
    assert attempt(hall, clock, "password123").username == "staff1"  # and the count restarts
    wrong(hall, clock, rules.FREE_FAILURES)
    assert attempt(hall, clock, "password123").username == "staff1"


def test_many_wrong_passwords_lock_the_account_even_for_the_right_one(hall, people, clock):
    wrong(hall, clock, rules.FREE_FAILURES)
    for n in range(rules.FREE_FAILURES, rules.ACCOUNT_LOCK_AFTER):
        with pytest.raises(Unauthorized):
            attempt(hall, clock, "wrong")
        clock.advance(seconds=2 ** (n - rules.FREE_FAILURES + 1))  # just the wait it earned
    with pytest.raises(SignInThrottled) as refused:
        attempt(hall, clock, "password123")
    assert refused.value.params["seconds"] > 10 * 60
    clock.advance(minutes=16)
    assert attempt(hall, clock, "password123").username == "staff1"
    with hall.db.reader() as session:
        kept = session.scalars(select(SignInAttempt).order_by(SignInAttempt.id)).all()
    assert [a.ok for a in kept][-1] is True and len(kept) > rules.FREE_FAILURES
    assert {a.address for a in kept} == {"10.0.0.5"}


def test_one_address_trying_many_accounts_is_stopped(hall, people, clock):
    for n in range(rules.ADDRESS_LOCK_AFTER):
        with pytest.raises(Unauthorized):
            attempt(hall, clock, "wrong", username=f"guess{n}")
        clock.advance(seconds=1)
    with pytest.raises(SignInThrottled):
        attempt(hall, clock, "password123", username="staff2")
    assert attempt(hall, clock, "password123", username="staff2",
                   address="10.0.0.6").username == "staff2"  # the hall's other PCs go on


def test_wait_rule():
    now = rules.WINDOW * 0 + __import__("datetime").datetime(2026, 11, 23)
    at = lambda *seconds: [now - timedelta(seconds=s) for s in seconds]
    assert rules.wait_before_next(at(1, 2, 3), now, 10) == timedelta(0)
    assert rules.wait_before_next(at(1, 2, 3, 4), now, 10) == timedelta(seconds=1)
    assert rules.wait_before_next(at(1, 2, 3, 4, 5), now, 10) == timedelta(seconds=3)
    assert rules.wait_before_next(at(*range(1, 11)), now, 10) == rules.WINDOW - timedelta(seconds=1)
    assert rules.wait_before_next(at(*range(1000, 1010)), now, 10) == timedelta(0)  # forgotten
