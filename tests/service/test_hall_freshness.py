"""A hall change made by another process (a manager's rebalance, apply-config) counts for the very
next issue or call here: the issue and call paths keep no copy of caps or window categories.
The other process is a second Database on the same file or server: its own engines and pools."""
import pytest
from sqlalchemy import select, update

from queue_core.adapters.db import open_database
from queue_core.adapters.orm import Category, Window, WindowCategory
from queue_core.domain.errors import DailyCapReached, NothingToCall

from .helpers import call, issue, staff_window


@pytest.fixture
def other_process(settings):
    db = open_database(settings.server.database_url, "NORMAL")
    yield db
    db.dispose()


def _set_cap(db, code: str, cap: int) -> None:
    with db.writer() as session:
        session.execute(update(Category).where(Category.code == code).values(daily_cap=cap))
        session.commit()


def test_a_cap_lowered_elsewhere_refuses_the_very_next_ticket(hall, kiosk, other_process):
    assert [issue(hall, kiosk)["number"] for _ in range(2)] == ["A001", "A002"]
    _set_cap(other_process, "social", 2)
    with pytest.raises(DailyCapReached):
        issue(hall, kiosk)
    _set_cap(other_process, "social", 3)
    assert issue(hall, kiosk)["number"] == "A003"


def test_a_category_moved_to_a_window_elsewhere_is_called_there_next(hall, kiosk, people,
                                                                      other_process):
    staff_window(hall, 4, people["staff1"])  # window 4 serves realty (A) and tax (B)
    ticket = issue(hall, kiosk, "social")
    with pytest.raises(NothingToCall):
        call(hall, 4, people["staff1"])
    with other_process.writer() as session:
        window = session.scalars(select(Window).where(Window.number == 4)).one()
        social = session.scalars(select(Category).where(Category.code == "social")).one()
        session.add(WindowCategory(window_id=window.id, category_id=social.id, role="A"))
        session.commit()
    assert call(hall, 4, people["staff1"])["number"] == ticket["number"]


def test_a_window_given_a_category_elsewhere_shortens_the_next_estimate(hall, kiosk, people,
                                                                        other_process):
    staff_window(hall, 1, people["staff1"])
    staff_window(hall, 4, people["staff2"])
    issue(hall, kiosk)
    before = issue(hall, kiosk)["estimated_wait_minutes"]  # 1 ahead, window 1 alone: 12 min
    with other_process.writer() as session:
        window = session.scalars(select(Window).where(Window.number == 4)).one()
        social = session.scalars(select(Category).where(Category.code == "social")).one()
        session.add(WindowCategory(window_id=window.id, category_id=social.id, role="A"))
        session.commit()
    after = issue(hall, kiosk)["estimated_wait_minutes"]  # 2 ahead, windows 1 and 4
    assert (before["high"], after["high"]) == (12, 9)
