"""Print jobs are rows of the issuing transaction: one per ticket however often it is asked for,
reprints are marked copies, and a dead process's job is taken over by exactly one other."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from queue_core.adapters.orm import Event, PrintJobRow
from queue_core.domain.errors import Forbidden, NotSignedIn
from queue_core.service import issuing, print_jobs

from .helpers import call, issue, staff_window


def jobs(hall) -> list[PrintJobRow]:
    with hall.db.reader() as session:
        return list(session.scalars(select(PrintJobRow).order_by(PrintJobRow.id)))


def test_a_ticket_and_its_print_job_commit_together_once(hall, kiosk):
    first = issuing.issue_ticket(hall.uow(), "test", "social", kiosk, request_id="r1", printer="p1")
    again = issuing.issue_ticket(hall.uow(), "test", "social", kiosk, request_id="r1", printer="p1")
    assert again["repeated"] and again["id"] == first["id"]
    assert again["print_job"] == first["print_job"]
    [job] = jobs(hall)
    assert (job.id, job.ticket_id, job.copy, job.state) == (first["print_job"], first["id"], 0,
                                                            "queued")
    assert issue(hall, kiosk)["print_job"] is None  # no printer: no job


def test_a_reprint_is_a_new_marked_copy_and_an_event(hall, kiosk, people):
    ticket = issuing.issue_ticket(hall.uow(), "test", "social", kiosk, printer="p1")
    with pytest.raises(Forbidden):  # a waiting ticket is at no window: only a manager reprints it
        print_jobs.reprint(hall.uow(), "test", ticket["id"], "p1", people["staff1"])
    copy = print_jobs.reprint(hall.uow(), "test", ticket["id"], "p1", people["boss"])
    assert [(j.copy, j.id) for j in jobs(hall)] == [(0, ticket["print_job"]), (1, copy)]
    with hall.db.reader() as session:
        event = session.scalars(select(Event).where(Event.type == "reprint_requested")).one()
        assert event.payload["print_job"] == copy and event.payload["by"]["name"] == "Boss"
    staff_window(hall, 1, people["staff1"])
    assert call(hall, 1, people["staff1"])["id"] == ticket["id"]
    with pytest.raises(NotSignedIn):  # called at window 1: its staff's, not window 2's
        print_jobs.reprint(hall.uow(), "test", ticket["id"], "p1", people["staff2"])
    print_jobs.reprint(hall.uow(), "test", ticket["id"], "p1", people["staff1"])


def test_a_dead_process_job_is_taken_over_once_and_an_old_one_expires(hall, kiosk, clock):
    max_age = timedelta(seconds=60)
    old = issuing.issue_ticket(hall.uow(), "test", "social", kiosk, printer="p1")
    clock.advance(seconds=100)
    young = issuing.issue_ticket(hall.uow(), "test", "tax", kiosk, printer="p1")
    # The old job's lease ran out long ago and it is past its age; the young one's lease holds.
    taken, expired = print_jobs.take_over(hall.db, "b:2", clock.now(), max_age)
    assert taken == [] and [e.id for e in expired] == [old["print_job"]]
    clock.advance(seconds=40)  # now the young job's lease ran out too, at 40 s of age
    taken, expired = print_jobs.take_over(hall.db, "b:2", clock.now(), max_age)
    assert [t.job_id for t in taken] == [young["print_job"]] and not taken[0].marked
    assert print_jobs.take_over(hall.db, "c:3", clock.now(), max_age) == ([], [])  # b:2 has it
    states = {j.id: (j.state, j.owner) for j in jobs(hall)}
    assert states == {old["print_job"]: ("expired", "b:2"), young["print_job"]: ("queued", "b:2")}


def test_a_job_whose_bytes_may_be_out_is_taken_over_marked_at_once_when_its_owner_ended(hall,
                                                                                         kiosk,
                                                                                         clock):
    ticket = issuing.issue_ticket(hall.uow(), "test", "social", kiosk, printer="p1")
    print_jobs.record(hall.db, ticket["print_job"], clock.now(), owner="a:1", state="printing",
                      may_have_printed=True)
    ended = lambda owner: owner == "a:1"  # the lease still runs, but its process is gone
    taken, _ = print_jobs.take_over(hall.db, "b:2", clock.now(), timedelta(minutes=2), ended)
    assert [(t.job_id, t.marked) for t in taken] == [(ticket["print_job"], True)]
    with hall.db.reader() as session:
        assert session.scalar(select(func.count()).select_from(PrintJobRow)
                              .where(PrintJobRow.owner == "b:2")) == 1


def test_a_job_printed_while_the_database_was_away_is_recorded_once_it_is_back(hall, kiosk, clock,
                                                                              monkeypatch):
    """The last journal write (printed) failing must not leave the row at "bytes may be out":
    once its lease ran out another process would print the ticket a second time, marked."""
    from types import SimpleNamespace

    import pytest
    from sqlalchemy.exc import OperationalError

    from printers.spooler import JobState
    from queue_core.ticket_printing import TicketPrinting, spooler_id

    ticket = issuing.issue_ticket(hall.uow(), "test", "social", kiosk, printer="p1")
    printing = TicketPrinting(hall.settings, hall.db, clock, lambda *status: None)
    job = ticket["print_job"]
    live = SimpleNamespace(job_id=spooler_id(job), state=JobState.PRINTED, done=True, attempts=1,
                           last_error=None, may_have_printed=True,
                           finished_at=clock.now().timestamp())
    printing._spoolers["test"] = SimpleNamespace(job=lambda sid: live if sid == live.job_id
                                                 else None, close=lambda: None)
    printing._mine[job] = "test"
    print_jobs.record(hall.db, job, clock.now(), owner=printing.owner, state="printing",
                      may_have_printed=True)  # journalled before the first byte went out
    recorded = print_jobs.record

    def database_away(*args, **kwargs):
        raise OperationalError("UPDATE print_jobs", {}, Exception("connection refused"))

    monkeypatch.setattr(print_jobs, "record", database_away)
    with pytest.raises(OperationalError):
        printing._journal(live)  # the ticket came out; its row cannot be told
    with pytest.raises(OperationalError):
        printing.keep_up()  # still away: the job stays this process's
    monkeypatch.setattr(print_jobs, "record", recorded)
    clock.advance(seconds=5)
    printing.keep_up()
    [row] = jobs(hall)
    assert (row.state, row.may_have_printed) == ("printed", True)
    clock.advance(seconds=100)
    assert print_jobs.take_over(hall.db, "b:2", clock.now(), timedelta(minutes=5)) == ([], [])
