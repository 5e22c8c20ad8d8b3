"""The statements of an issue each read through an index: none scans the tickets table, whose
size grows with every day kept (the estimate's recent services once did, on every issue)."""
import pytest
from sqlalchemy import event

from .helpers import issue


def test_no_statement_of_an_issue_scans_the_tickets_table(hall, kiosk, backend):
    if backend != "sqlite":
        pytest.skip("SQLite's EXPLAIN QUERY PLAN; PostgreSQL plans by its statistics")
    issue(hall, kiosk)  # the day's first ticket: the rollover and the counter's insert
    seen = []

    def keep(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(hall.db.writer_engine, "before_cursor_execute", keep)
    try:
        issue(hall, kiosk, printer="p1")
    finally:
        event.remove(hall.db.writer_engine, "before_cursor_execute", keep)
    # the site; the queue, the cap's count and the recent services in one; the print dispatch's
    assert len(seen) >= 3 and any("LEFT OUTER JOIN" in s for s, _ in seen)
    with hall.db.writer_engine.connect() as connection:
        cursor = connection.connection.driver_connection.cursor()
        plans = {statement: [row[3] for row in cursor.execute(f"EXPLAIN QUERY PLAN {statement}",
                                                                parameters)]
                 for statement, parameters in seen}
    scans = {s: p for s, p in plans.items() if any(step.startswith("SCAN tickets") for step in p)}
    assert not scans
