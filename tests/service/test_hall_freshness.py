"""A hall change made by another process (a manager's rebalance, apply-config) counts for the very
next issue or call here: calls read the hall fresh, and the issue path's copy of the structure
is checked against the version on the site row it locks. The other process is a second
Database on the same file or server: its own engines and pools."""
import pytest
from sqlalchemy import event, select, text, update

from queue_core.adapters.db import open_database
from queue_core.adapters.orm import STRUCTURE_TABLES, Category, Site, Window, WindowCategory
from queue_core.adapters.publisher import NullPublisher
from queue_core.domain.errors import CategoryPaused, DailyCapReached, NotFound, NothingToCall
from queue_core.service import accounts, rebalance, windows
from queue_core.service.setup import apply_config
from queue_core.service.structure import structure
from queue_core.service.unit_of_work import UnitOfWork

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


# The issue path keeps each site's structure (categories, windows, their categories and posts)
# under sites.structure_version, which the database moves on every change of it (migration
# 0012's triggers). What follows: such a change made elsewhere after the copy is warm still counts
# for the very next issue, every use case that changes the structure moves the version, and a
# call (its window's priority streak) does not.

def _version(db) -> int:
    with db.reader() as session:
        return session.scalars(select(Site.structure_version).where(Site.code == "test")).one()


def test_a_window_paused_elsewhere_stops_the_next_ticket(hall, kiosk, people, other_process):
    staff_window(hall, 4, people["staff1"])          # realty's only window
    issue(hall, kiosk, "realty")                     # the copy is warm
    with other_process.writer() as session:
        session.execute(update(Window).where(Window.number == 4)
                        .values(state="paused", pause_reason="系统维护"))
        session.commit()
    with pytest.raises(CategoryPaused):
        issue(hall, kiosk, "realty")


def test_a_sign_in_elsewhere_turns_the_next_estimate_from_planned_to_staffed(
        hall, kiosk, people, other_process):
    for _ in range(2):  # the day's first issue rolls the day over and keeps no copy; then warm
        assert issue(hall, kiosk)["estimated_wait_minutes"]["basis"] == "planned"
    windows.sign_in(UnitOfWork(other_process, NullPublisher(), hall.clock), "test", 1, "A",
                    people["staff1"], open_window=True)
    assert issue(hall, kiosk)["estimated_wait_minutes"]["basis"] == "staffed"


def test_a_category_disabled_elsewhere_is_not_found_next(hall, kiosk, other_process):
    issue(hall, kiosk, "realty")
    issue(hall, kiosk, "realty")  # the copy is warm
    with other_process.writer() as session:
        session.execute(update(Category).where(Category.code == "realty").values(enabled=False))
        session.commit()
    with pytest.raises(NotFound):
        issue(hall, kiosk, "realty")


def test_a_warm_copy_reads_no_structure(hall, kiosk):
    """The copy is used: once read, an issue reads neither categories nor windows."""
    issue(hall, kiosk)  # the day's first: its roll-over writes the windows, so it keeps no copy
    issue(hall, kiosk)
    seen: list[str] = []
    listen = lambda conn, cursor, statement, *rest: seen.append(statement)  # noqa: E731
    event.listen(hall.db.writer_engine, "before_cursor_execute", listen)
    try:
        issue(hall, kiosk)
    finally:
        event.remove(hall.db.writer_engine, "before_cursor_execute", listen)
    assert seen and not [s for s in seen if "FROM categories" in s or "FROM windows" in s]


def _apply_shorter_service(hall, settings, people):
    site = settings.sites[0]
    social = site.categories[0].model_copy(update={"service_minutes": 3})
    changed = site.model_copy(update={"categories": [social, *site.categories[1:]]})
    with hall.db.writer() as session:
        apply_config(session, settings.model_copy(update={"sites": [changed]}))
        session.commit()


def _deactivate(hall, settings, people):
    windows.sign_in(hall.uow(), "test", 2, "A", people["staff2"])
    before = _version(hall.db)
    accounts.set_active(hall.uow(), people["system"], "staff2", False)
    return before


STRUCTURE_CHANGES = {
    "sign_in": lambda hall, s, p: windows.sign_in(hall.uow(), "test", 1, "A", p["staff1"]),
    "open": lambda hall, s, p: windows.set_window_state(hall.uow(), "test", 1, "open", p["boss"]),
    "pause": lambda hall, s, p: windows.set_window_state(hall.uow(), "test", 1, "paused",
                                                         p["boss"], "午休"),
    "window_categories": lambda hall, s, p: rebalance.set_window_categories(
        hall.uow(), "test", 2, ["tax"], ["social"], p["boss"]),
    "backup_override": lambda hall, s, p: rebalance.set_backup_override(
        hall.uow(), "test", "tax", True, p["boss"]),
    "daily_cap": lambda hall, s, p: rebalance.set_daily_cap(hall.uow(), "test", "tax", 9,
                                                            p["boss"]),
    "apply_config": _apply_shorter_service,
}


@pytest.mark.parametrize("change", sorted(STRUCTURE_CHANGES))
def test_every_structure_change_moves_the_version(hall, settings, people, change):
    before = _version(hall.db)
    STRUCTURE_CHANGES[change](hall, settings, people)
    assert _version(hall.db) > before


def test_signing_out_and_giving_up_a_post_move_the_version(hall, people):
    windows.sign_in(hall.uow(), "test", 1, "A", people["staff1"])
    before = _version(hall.db)
    windows.sign_out(hall.uow(), "test", 1, people["staff1"])
    assert _version(hall.db) > before
    before = _deactivate(hall, None, people)
    assert _version(hall.db) > before


def test_the_next_days_roll_over_moves_the_version(hall, kiosk, people):
    staff_window(hall, 1, people["staff1"])
    issue(hall, kiosk)
    before = _version(hall.db)
    hall.clock.advance(days=1)
    ticket = issue(hall, kiosk)                      # the roll-over closes window 1
    assert _version(hall.db) > before
    assert ticket["estimated_wait_minutes"]["basis"] == "planned"  # nobody signed in today
    assert issue(hall, kiosk)["estimated_wait_minutes"]["basis"] == "planned"


def test_a_call_does_not_move_the_version(hall, kiosk, people):
    staff_window(hall, 1, people["staff1"])
    issue(hall, kiosk)
    before = _version(hall.db)
    call(hall, 1, people["staff1"])                  # moves the window's priority streak only
    assert _version(hall.db) == before


@pytest.mark.parametrize("table, change", [
    ("categories", "UPDATE categories SET daily_cap = 7 WHERE code = 'tax'"),
    ("windows", "UPDATE windows SET state = 'open' WHERE number = 1"),
    ("window_categories", "DELETE FROM window_categories WHERE role = 'B'"),
    ("post_assignments", "INSERT INTO post_assignments (window_id, staff_id, post, signed_in_at) "
                         "SELECT w.id, s.id, 'A', CURRENT_TIMESTAMP FROM windows w, staff s "
                         "WHERE w.number = 1 AND s.username = 'staff1'"),
])
def test_plain_sql_on_a_structure_table_moves_the_version(hall, people, other_process, table,
                                                          change):
    """Whoever writes, however: the database itself moves the version."""
    assert table in STRUCTURE_TABLES
    before = _version(hall.db)
    with other_process.writer() as session:
        session.execute(text(change))
        session.commit()
    assert _version(hall.db) > before


def test_a_transaction_that_changed_the_structure_keeps_no_copy(hall):
    """What it read may still roll back, under a version another process may then commit."""
    with hall.uow() as uow:
        site = uow.lock_site("test")
        window = uow.session.scalars(select(Window).where(Window.number == 1)).one()
        window.state = "open"
        uow.session.flush()
        assert structure(uow, site).windows[0].state == "open"
        site_id = site.id
    assert site_id not in hall.db.structures
    with hall.uow() as uow:
        site = uow.lock_site("test")
        assert structure(uow, site).windows[0].state == "closed"  # rolled back
        version = site.structure_version
    assert hall.db.structures[site_id].version == version
