"""The staff console's queue list, the screens' snapshot and the reports read only what they
show: every statement reads through an index (none scans the tickets or the events, which grow
with every day kept), and a list or a snapshot reads as much with 3,000 waiting as with 900."""
import random
import secrets
from datetime import timedelta

import pytest
from sqlalchemy import event, insert, select, update

from queue_core.adapters.orm import Category, Event, Site, Ticket
from queue_core.domain.model import Action, TicketStatus
from queue_core.service import queries
from queue_core.service.opening import today
from queue_core.service.queue_state import CLASS_RANK

from .helpers import act, call, issue, staff_window


def sqlite_only(backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("SQLite's EXPLAIN QUERY PLAN and VM steps; PostgreSQL plans by its statistics")


def add_waiting(hall, kiosk, n: int, rng: random.Random, events: bool = True,
                classes: tuple = (8, 2, 1)) -> None:
    """`n` more tickets waiting today in every category and class (and as many events),
    inserted in bulk: what a long day leaves, without issuing them one by one."""
    model = issue(hall, kiosk)
    with hall.db.writer() as session:
        session.execute(update(Category).values(daily_cap=100_000))
        row = session.get(Ticket, model["id"])
        columns = {c.key: getattr(row, c.key) for c in Ticket.__table__.columns if c.key != "id"}
        categories = session.scalars(select(Category.id).where(
            Category.site_id == row.site_id, Category.enabled.is_(True))).all()
        site = session.get(Site, row.site_id)
        start = session.scalar(select(Ticket.seq).order_by(Ticket.seq.desc()).limit(1))
        tickets = [{**columns, "seq": start + i, "number": f"Z{start + i:05d}",
                    "status_token": secrets.token_hex(12), "request_id": None,
                    "category_id": rng.choice(categories),
                    "priority_class": rng.choices(["normal", "priority", "appointment"],
                                                  classes)[0],
                    "queued_at": columns["queued_at"] + timedelta(seconds=i)}
                   for i in range(1, n + 1)]
        session.execute(insert(Ticket), tickets)
        if events:
            session.execute(insert(Event), [
                {"site_id": site.id, "seq": site.event_seq + i, "type": "printer_status",
                 "at": columns["issued_at"] + timedelta(seconds=i),
                 "payload": {"printer": "p1", "status": "ok"}}
                for i in range(1, n + 1)])
            site.event_seq += n
        session.commit()


def reads(hall):
    """What the pages read: the console's lists, a screen's snapshot, today's stats and a
    month's report, the events a screen catches up on."""
    now = hall.clock.now()
    with hall.db.reader() as session:
        site = queries.get_site(session, "test")
        day = today(site, now)
        queries.waiting_tickets(session, site, now, window=1)
        queries.waiting_tickets(session, site, now)
        queries.waiting_tickets(session, site, now, category="tax", limit=10)
        queries.screen_snapshot(session, site, now)
        queries.stats_today(session, site, now)
        queries.site_report(session, site, day - timedelta(days=30), day, now)
        queries.events_since(session, site, site.event_seq - 5, 100)


def statements(hall, run) -> list[tuple[str, tuple]]:
    seen = []

    def keep(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    engine = hall.db.reader_engine
    event.listen(engine, "before_cursor_execute", keep)
    try:
        run(hall)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    return seen


def plans(hall, seen) -> dict[str, list[str]]:
    with hall.db.reader_engine.connect() as connection:
        cursor = connection.connection.driver_connection.cursor()
        return {statement: [row[3] for row in cursor.execute(
                    f"EXPLAIN QUERY PLAN {statement}", parameters)]
                for statement, parameters in seen}


def test_no_read_of_a_page_scans_the_tickets_or_the_events(hall, kiosk, people, clock, backend):
    sqlite_only(backend)
    staff_window(hall, 1, people["staff1"])
    add_waiting(hall, kiosk, 200, random.Random(4))
    for _ in range(3):
        act(hall, call(hall, 1, people["staff1"])["id"], Action.NO_SHOW, people["staff1"])
    seen = plans(hall, statements(hall, reads))
    assert len(seen) >= 15
    scans = {s: p for s, p in seen.items()
             if any(step.startswith(("SCAN tickets", "SCAN events")) for step in p)}
    assert not scans
    report = next(p for s, p in seen.items()
                  if "FROM events" in s and "events.at >=" in s and "events.at <" in s)
    assert any("USING INDEX ix_events_at" in step for step in report), report
    # a count reads the index alone, never a ticket row
    counts = {s: p for s, p in seen.items() if "count(" in s and "FROM tickets" in s}
    assert counts and all(all("COVERING INDEX" in step for step in p if "tickets" in step)
                           for p in counts.values()), counts
    transferred = next(p for s, p in seen.items() if "tickets.target_window_id IN" in s)
    assert any("ix_tickets_target" in step for step in transferred), transferred


def vm_steps(hall) -> int:
    """SQLite virtual machine steps of the console's list and a screen's snapshot, counts of
    the waiting aside (the number waiting is what they show: the index is counted)."""
    now, steps = hall.clock.now(), [0]

    def tick() -> int:
        steps[0] += 1
        return 0

    per_statement = []
    engine = hall.db.reader_engine

    def before(conn, cursor, statement, parameters, context, executemany) -> None:
        steps[0] = 0

    def after(conn, cursor, statement, parameters, context, executemany) -> None:
        per_statement.append((statement, steps[0]))

    with hall.db.reader() as session:
        site = queries.get_site(session, "test")
        raw = session.connection().connection.driver_connection
        raw.set_progress_handler(tick, 1)
        event.listen(engine, "before_cursor_execute", before)
        event.listen(engine, "after_cursor_execute", after)
        try:
            queries.waiting_tickets(session, site, now, window=1)
            queries.waiting_tickets(session, site, now)
            queries.screen_snapshot(session, site, now)
        finally:
            event.remove(engine, "before_cursor_execute", before)
            event.remove(engine, "after_cursor_execute", after)
            raw.set_progress_handler(None, 1)
    return sum(n for statement, n in per_statement if "count(" not in statement)


def test_a_list_and_a_snapshot_read_as_much_with_3000_waiting_as_with_900(hall, kiosk, people,
                                                                         backend):
    """Once each queue holds more than a list shows (50), more waiting costs nothing but the
    counts in the index."""
    sqlite_only(backend)
    staff_window(hall, 1, people["staff1"])
    rng = random.Random(60)
    add_waiting(hall, kiosk, 900, rng, classes=(1, 1, 1))  # ~100 in each (category, class)
    few = vm_steps(hall)
    add_waiting(hall, kiosk, 2100, rng, classes=(1, 1, 1))
    many = vm_steps(hall)
    assert many <= 1.1 * few, (few, many)


def calls(hall, people, clock, n: int) -> list[str]:
    numbers = []
    for _ in range(n):
        ticket = call(hall, 1, people["staff1"])
        act(hall, ticket["id"], Action.NO_SHOW, people["staff1"])
        numbers.append(ticket["number"])
        clock.advance(seconds=30)
    return numbers


def test_the_snapshot_shows_each_categorys_next_ticket_and_todays_last_calls(
        hall, kiosk, people, clock):
    staff_window(hall, 1, people["staff1"])
    for _ in range(3):
        issue(hall, kiosk)
    calls(hall, people, clock, 3)  # yesterday's: not on today's screens
    clock.advance(days=1)
    add_waiting(hall, kiosk, 80, random.Random(8), events=False)
    staff_window(hall, 1, people["staff1"])
    called = calls(hall, people, clock, 11)
    now = hall.clock.now()
    with hall.db.reader() as session:
        site = queries.get_site(session, "test")
        snapshot = queries.screen_snapshot(session, site, now, recent=8)
        longer = queries.screen_snapshot(session, site, now, recent=20)
        waiting = session.scalars(select(Ticket).where(
            Ticket.site_id == site.id, Ticket.service_date == today(site, now),
            Ticket.status == TicketStatus.WAITING)).all()
        first = {}
        for t in sorted(waiting, key=lambda t: (CLASS_RANK[t.priority_class], t.queued_at, t.id)):
            first.setdefault(t.category.code, t)
    assert len(first) == 3
    assert snapshot["next_up"] == [
        {"number": t.number, "category": code}
        for code, t in sorted(first.items(), key=lambda kv: (kv[1].queued_at, kv[1].id))]
    assert [c["number"] for c in snapshot["recent_calls"]] == called[::-1][:8]
    assert [c["number"] for c in longer["recent_calls"]] == called[::-1]
