"""Events are published after the write lock is released (a slow screen, phone or printer never
delays the next writer), still in commit order and only once committed."""
import threading

import pytest

from tests.support.clock import FixedClock
from queue_core.app import Hall
from queue_core.domain.errors import WindowNotOpen

from ..conftest import MONDAY_9AM
from .helpers import call, issue


class LockWatchingPublisher:
    def __init__(self) -> None:
        self.db = None
        self.sent: list[tuple[str, dict, bool]] = []
        self.guard = threading.Lock()

    def publish(self, site_code, events) -> None:
        held = self.db.is_sqlite and self.db._write_lock.locked()
        with self.guard:
            self.sent.extend((site_code, e, held) for e in events)


@pytest.fixture
def watched(hall):
    publisher = LockWatchingPublisher()
    publisher.db = hall.db
    return Hall(hall.settings, hall.db, publisher, FixedClock(MONDAY_9AM)), publisher


def test_published_after_the_lock_in_commit_order(watched, kiosk, backend):
    hall, publisher = watched

    def issue_some() -> None:
        for _ in range(15):
            issue(hall, kiosk)

    threads = [threading.Thread(target=issue_some) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seqs = [e["seq"] for _, e, _ in publisher.sent]
    assert sum(e["type"] == "issued" for _, e, _ in publisher.sent) == 60
    if backend == "sqlite":  # one writer at a time in the process: published in commit order
        assert seqs == sorted(seqs)
        assert not any(held for _, _, held in publisher.sent)


def test_nothing_published_for_a_refused_change(watched, people):
    hall, publisher = watched
    with pytest.raises(WindowNotOpen):  # after the day roll-over recorded its events
        call(hall, 1, people["boss"])
    assert publisher.sent == []
