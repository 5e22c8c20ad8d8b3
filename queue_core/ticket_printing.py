"""Printing committed tickets on the kiosks' printers: durable jobs from the database, taken over
when their process dies; printer health as events for managers."""
from __future__ import annotations

import logging
import os
import socket
from pathlib import Path
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone

from sqlalchemy import bindparam, select

from printers.layout import TicketPrint
from printers.settings import build_layout
from printers.spooler import JobState, PrintJob, Spooler
from printers.ticket_json import ticket_print
from printers.status import PrinterStatus

from .adapters.clock import Clock
from .adapters.concurrency import offload
from .adapters.db import Database
from .adapters.orm import Category, PrintJobRow, Site, Ticket
from .config import Settings, SiteSettings
from .service import print_jobs, queries
from .service.views import ticket_view

log = logging.getLogger(__name__)

StatusSink = Callable[[str, str, str], None]  # (site code, printer code, status)
MAX_AGE = timedelta(minutes=2)  # later, the applicant has left the kiosk: tell staff instead


class TicketPrinting:
    """Prints the print jobs the use cases add (a publisher: a committed `issued` or
    `reprint_requested` event names its job), journals each step of the spooler in the job's
    row, and takes over jobs whose process died. One spooler per site, started on first use."""

    def __init__(self, settings: Settings, db: Database, clock: Clock, on_status: StatusSink,
                 max_age: timedelta = MAX_AGE) -> None:
        self.settings, self.db, self.clock, self.on_status = settings, db, clock, on_status
        self.max_age = max_age
        self.owner = f"{socket.gethostname()}:{os.getpid()}"
        self._spoolers: dict[str, Spooler] = {}
        self._mine: dict[int, str] = {}  # job id → site code, jobs this process prints now
        self._unrecorded: set[int] = set()  # printed while the database was away: not in its row

    def spooler(self, site_code: str) -> Spooler:
        if site_code not in self._spoolers:
            site = self.settings.site(site_code)
            self._spoolers[site_code] = Spooler(
                site.printers,
                on_printer_status=lambda code, status: self._status(site_code, code, status),
                on_job_changed=self._journal, run_blocking=offload)
        return self._spoolers[site_code]

    def publish(self, site_code: str, events: Sequence[dict]) -> None:
        for event in events:
            if event.get("print_job") and event["type"] == "issued":
                self.dispatch(site_code, event["print_job"], issued=event)
            elif event.get("print_job") and event["type"] == "reprint_requested":
                self.dispatch(site_code, event["print_job"], marked=True)

    def dispatch(self, site_code: str, job_id: int, marked: bool = False,
                 issued: dict | None = None) -> None:
        """Hand a job of the database to this process's spooler (after its transaction). Just
        issued, the `issued` event has its place and estimate; otherwise (a reprint, a job taken
        over) they are read as of now."""
        with self.db.reader_engine.connect() as connection:
            job = connection.execute(_JOB_TO_PRINT, {"job_id": job_id}).one()
        if issued is not None:
            wait = issued["estimated_wait_minutes"]
            ticket = ticket_view(_ticket_of(job), ahead=issued["people_ahead"],
                                 estimate=(wait["low"], wait["high"]) if wait else None)
        else:
            with self.db.reader() as session:
                ticket = queries.ticket_status(session, job.ticket_status_token, self.clock.now())
        site = self.settings.site(site_code)
        printer = next((p for p in site.printers if p.code == job.printer_code), None)
        if printer is None:
            log.error("print job %s names printer %s, not configured here", job_id,
                      job.printer_code)
            return
        self._mine[job_id] = site_code
        # A job this process gave up on (its attempts failed while the database was away) and
        # now takes back over: submitting its id again would return the failed job unprinted.
        self.spooler(site_code).forget(spooler_id(job_id))
        self.spooler(site_code).submit(
            spooler_id(job_id), printer.code,
            self.ticket_print(site, ticket, marked or job.may_have_printed or job.copy > 0),
            build_layout(printer, site.ticket))

    def job_state(self, site_code: str, job_id: int, added: dict | None = None) -> dict:
        """What a kiosk shows of a job: its row, with the live state when this process prints it.
        `added`: the row's view as the request that added it wrote it (print_jobs.added_view):
        then the row is read only when this process does not print the job."""
        spooler = self._spoolers.get(site_code)
        live = spooler.job(spooler_id(job_id)) if spooler else None
        if added is not None and live is not None:
            # The row changes after its insert only by this spooler's journal, which the live job
            # is ahead of: its error too.
            view = {**added, "last_error": live.last_error[:200] if live.last_error else None}
        else:
            with self.db.reader() as session:
                view = print_jobs.job_view(session, queries.get_site(session, site_code), job_id)
        if live is None:
            return {**view, "printer_status": self._printer_status(site_code, view["printer"]),
                    "show_on_screen": view["state"] in ("failed", "expired")}
        return {**view, "state": live.state.value, "attempts": live.attempts,
                "may_have_printed": live.may_have_printed,
                "printer_status": live.printer_status.value, "show_on_screen": live.show_on_screen}

    def keep_up(self) -> list[PrintJobRow]:
        """Every few seconds: renew the leases of this process's open jobs, take over those
        whose process died (printed marked if bytes of them may be out); returns the jobs that
        expired unprinted."""
        now = self.clock.now()
        for job_id, site_code in list(self._mine.items()):
            live = self._spoolers[site_code].job(spooler_id(job_id))
            if live is not None and job_id in self._unrecorded:
                # Its row still says "printing" with bytes maybe out: once its lease ran out,
                # another process would print it again, marked. Tell the row now (and keep the
                # job, and its lease, while the database is still away).
                self._journal(live)
            if live is None or live.done:
                del self._mine[job_id]
                self._unrecorded.discard(job_id)
        print_jobs.renew(self.db, list(self._mine), self.owner, now)
        taken, expired = print_jobs.take_over(self.db, self.owner, now, self.max_age,
                                              owner_gone=ended_here)
        for job in taken:
            with self.db.reader() as session:
                site_code = session.get(Site, job.site_id).code
            log.warning("taking over print job %s of ticket %s (marked: %s)", job.job_id,
                        job.ticket_id, job.marked)
            self.dispatch(site_code, job.job_id, marked=job.marked)
        return expired

    def statuses(self, site_code: str) -> list[dict]:
        site = self.settings.site(site_code)
        return [{"code": p.code, "status": self._printer_status(site_code, p.code)}
                for p in site.printers]

    def _printer_status(self, site_code: str, printer_code: str) -> str:
        spooler = self._spoolers.get(site_code)
        return (spooler.printer_status(printer_code) if spooler else PrinterStatus.UNKNOWN).value

    def ticket_print(self, site: SiteSettings, ticket: dict, reprint: bool) -> TicketPrint:
        return ticket_print(ticket, site_name=site.name_zh, timezone=site.timezone,
                            public_url=self.settings.server.public_url,
                            location=site.ticket.location,
                            footer_lines=tuple(site.ticket.footer_lines), reprint=reprint)

    def close(self) -> None:
        for spooler in self._spoolers.values():
            spooler.close()

    def _journal(self, job: PrintJob) -> None:
        """The spooler's steps that matter after a crash, in the job's row: that bytes may be
        out (before the first one goes), a failed attempt, the outcome. An attempt's start is
        not written (the lease says who has it): each write is a commit on the disk."""
        if job.state is JobState.PRINTING and not job.may_have_printed:
            return
        finished = (datetime.fromtimestamp(job.finished_at, timezone.utc)
                    if job.finished_at else None)
        job_id = int(job.job_id.removeprefix("job-"))
        try:
            print_jobs.record(self.db, job_id, self.clock.now(),
                              state=job.state.value, attempts=job.attempts,
                              last_error=job.last_error[:200] if job.last_error else None,
                              may_have_printed=job.may_have_printed, finished_at=finished,
                              owner=self.owner)
        except Exception:
            if job.state is JobState.PRINTED:  # keep_up tells the row once it can
                self._unrecorded.add(job_id)
            raise
        self._unrecorded.discard(job_id)

    def _status(self, site_code: str, printer_code: str, status: PrinterStatus) -> None:
        try:
            self.on_status(site_code, printer_code, status.value)
        except Exception:  # a failed alert must not kill the printer's worker thread
            log.exception("could not record status %s of printer %s", status, printer_code)


_TICKET_FIELDS = ("id", "number", "priority_class", "status", "status_token", "service_date",
                  "issued_at", "called_at", "recall_count")
_CATEGORY_FIELDS = ("code", "prefix", "name_zh", "name_en", "location")
# A job with its ticket as a ticket view needs it, in one statement on a plain connection:
# every printed issue reads it right after its commit (two ORM loads cost several times more).
_JOB_TO_PRINT = (
    select(PrintJobRow.printer_code, PrintJobRow.may_have_printed, PrintJobRow.copy,
           *(getattr(Ticket, f).label(f"ticket_{f}") for f in _TICKET_FIELDS),
           *(getattr(Category, f).label(f"category_{f}") for f in _CATEGORY_FIELDS))
    .join(Ticket, Ticket.id == PrintJobRow.ticket_id)
    .join(Category, Category.id == Ticket.category_id)
    .where(PrintJobRow.id == bindparam("job_id")))


def _ticket_of(row) -> Ticket:
    """The ticket of a `_JOB_TO_PRINT` row, as a detached object for `ticket_view`."""
    category = Category(**{f: getattr(row, f"category_{f}") for f in _CATEGORY_FIELDS})
    return Ticket(**{f: getattr(row, f"ticket_{f}") for f in _TICKET_FIELDS}, category=category)


def spooler_id(job_id: int) -> str:
    return f"job-{job_id}"


def ended_here(owner: str) -> bool:
    """A job owner (host:pid) that was a process of this machine and is no more: a restarted
    server resumes its predecessor's jobs at once instead of waiting out their lease."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):  # no such process (or no /proc: then rely on the lease)
        return Path("/proc/self").exists()
    return state == "Z"  # killed, not yet reaped by its parent
