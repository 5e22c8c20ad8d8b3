"""Print jobs in the database: added inside the issuing (or reprint) transaction, so a ticket
acknowledged is never a ticket forgotten by the printer; journalled as the spooler works; taken
over by any process once its owner's lease runs out; never printed after `max_age` (the
applicant has left the kiosk: the managers are told instead)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from ..adapters.db import Database
from ..adapters.orm import PrintJobRow, Site, Ticket, Window
from ..domain.errors import NotFound
from ..domain.events import EventKind
from .access import require_manager, require_window
from .queue_state import todays_ticket
from .unit_of_work import Actor, UnitOfWork

LEASE = timedelta(seconds=30)  # renewed every few seconds while the owner is alive
OPEN = ("queued", "printing")


_JOBS = PrintJobRow.__table__
_INSERT_JOB = insert(_JOBS).returning(_JOBS.c.id)  # built once: every printed issue runs it
_LAST_COPY = select(func.max(PrintJobRow.copy)).where(PrintJobRow.ticket_id == bindparam("ticket_id"))


def add_job(uow: UnitOfWork, ticket: Ticket, printer: str, *, reprint: bool = False) -> int:
    """A print job in the caller's transaction, its id: copy 0, the ticket's own print, for a
    ticket issued in this same transaction (so it has none yet: one insert, no lookup; a
    repeated request finds it with `own_job`), or the next marked copy (补打)."""
    copy = 0
    if reprint:
        last = uow.session.scalar(_LAST_COPY, {"ticket_id": ticket.id})
        copy = 1 if last is None else last + 1
    return uow.execute(_INSERT_JOB, {
        "site_id": ticket.site_id, "ticket_id": ticket.id, "printer_code": printer, "copy": copy,
        "state": "queued", "attempts": 0, "last_error": None, "may_have_printed": False,
        "owner": uow.process, "lease_until": uow.now + LEASE, "created_at": uow.now,
        "finished_at": None}).scalar_one()


def own_job(session: Session, ticket_id: int) -> PrintJobRow | None:
    return session.scalars(select(PrintJobRow).where(PrintJobRow.ticket_id == ticket_id,
                                                     PrintJobRow.copy == 0)).first()


def reprint(uow: UnitOfWork, site_code: str, ticket_id: int, printer: str, actor: Actor,
            reason: str | None = None) -> int:
    """补打: a marked copy of one of today's tickets (an explicit action, recorded)."""
    with uow:
        site = uow.lock_site(site_code)
        ticket = todays_ticket(uow.session, site, ticket_id, uow.now)
        window = uow.session.get(Window, ticket.window_id) if ticket.window_id else None
        if window is not None:
            require_window(window, actor)  # its staff, or a manager
        else:
            require_manager(actor, site)  # not at any window yet: the hall's manager
        job = add_job(uow, ticket, printer, reprint=True)
        why = {"reason": reason.strip()} if reason and reason.strip() else {}
        uow.record(EventKind.REPRINT_REQUESTED, ticket=ticket, actor=actor, printer=printer,
                   print_job=job, **why)
        uow.commit()
        return job


def job_view(session: Session, site: Site, job_id: int) -> dict:
    job = session.get(PrintJobRow, job_id)
    if job is None or job.site_id != site.id:
        raise NotFound(what="print_job", key=job_id)
    return view(job)


def view(job: PrintJobRow) -> dict:
    return _view(job.id, job.ticket_id, job.printer_code, job.copy, job.state, job.attempts,
                 job.last_error, job.may_have_printed)


def added_view(job_id: int, ticket_id: int, printer: str) -> dict:
    """A ticket's own job as `add_job` wrote it, without reading it back."""
    return _view(job_id, ticket_id, printer, 0, "queued", 0, None, False)


def _view(job_id: int, ticket_id: int, printer: str, copy: int, state: str, attempts: int,
          last_error: str | None, may_have_printed: bool) -> dict:
    return {"job": job_id, "ticket_id": ticket_id, "printer": printer, "copy": copy,
            "state": state, "attempts": attempts, "last_error": last_error,
            "may_have_printed": may_have_printed, "reprint": copy > 0}


@dataclass(frozen=True)
class Takeover:
    """A job this process now owns: print it, marked if bytes of it may already be out."""

    job_id: int
    site_id: int
    ticket_id: int
    printer: str
    marked: bool


def record(db: Database, job_id: int, now: datetime, **changes: object) -> None:
    """Journal a change of a job this process prints (and extend its lease)."""
    with db.write_lock(), db.writer() as session:
        session.execute(update(PrintJobRow).where(PrintJobRow.id == job_id)
                        .values(lease_until=now + LEASE, **changes))
        session.commit()


def renew(db: Database, job_ids: list[int], owner: str, now: datetime) -> None:
    if not job_ids:
        return
    with db.write_lock(), db.writer() as session:
        session.execute(update(PrintJobRow).where(PrintJobRow.id.in_(job_ids),
                                                  PrintJobRow.state.in_(OPEN))
                        .values(owner=owner, lease_until=now + LEASE))
        session.commit()


def take_over(db: Database, owner: str, now: datetime, max_age: timedelta,
              owner_gone: Callable[[str], bool] = lambda _owner: False
              ) -> tuple[list[Takeover], list[PrintJobRow]]:
    """Open jobs whose process died (its lease ran out, or `owner_gone` knows it ended): the
    young ones become this process's, compare-and-set so two processes never both take one;
    the old ones expire unprinted."""
    with db.reader() as session:
        open_jobs = session.scalars(select(PrintJobRow).where(PrintJobRow.state.in_(OPEN))).all()
    stale = [job for job in open_jobs if job.lease_until < now
             or (job.owner and job.owner != owner and owner_gone(job.owner))]
    taken, expired = [], []
    for job in stale:
        too_old = job.created_at < now - max_age
        with db.write_lock(), db.writer() as session:
            changed = session.execute(
                update(PrintJobRow).where(PrintJobRow.id == job.id,
                                          PrintJobRow.lease_until == job.lease_until)
                .values(owner=owner, lease_until=now + LEASE,
                        **({"state": "expired", "finished_at": now} if too_old else {}))
            ).rowcount
            session.commit()
        if changed != 1:
            continue  # another process was quicker
        if too_old:
            expired.append(job)
        else:
            taken.append(Takeover(job.id, job.site_id, job.ticket_id, job.printer_code,
                                  job.may_have_printed or job.copy > 0))
    return taken, expired


def open_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(PrintJobRow)
                          .where(PrintJobRow.state.in_(OPEN))) or 0
