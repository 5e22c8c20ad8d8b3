"""Sign-in throttling (等保: 登录失败处理): after a few wrong passwords each further try must
wait longer, and many in a row lock the account (or the client address) for a while."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

WINDOW = timedelta(minutes=15)  # failures older than this are forgotten
FREE_FAILURES = 3               # typing mistakes cost nothing
ACCOUNT_LOCK_AFTER = 10         # then the account waits out the window
ADDRESS_LOCK_AFTER = 30         # one address trying many accounts is locked (no waits before:
ADDRESS_FREE_FAILURES = ADDRESS_LOCK_AFTER - 1  # a hall's PCs may share one address)


def wait_before_next(failures: Iterable[datetime], now: datetime, lock_after: int,
                     free: int = FREE_FAILURES) -> timedelta:
    """How long a caller with these failures must wait before the next try (zero: go on):
    2, 4, 8… seconds after the last failure once past the free ones, the rest of the window
    after `lock_after` of them."""
    recent = sorted(f for f in failures if now - f < WINDOW)
    if len(recent) <= free:
        return timedelta(0)
    if len(recent) >= lock_after:
        until = recent[-1] + WINDOW
    else:
        until = recent[-1] + timedelta(seconds=2 ** (len(recent) - free))
    return max(timedelta(0), until - now)
