"""Print spooler: queued, retried, exactly-once ticket printing that never blocks issuing."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from dataclasses import dataclass, replace
from enum import Enum
from typing import Callable, Iterable

from escpos.escpos import Escpos
from escpos.exceptions import Error as EscposError

from printers.backends import open_printer, parse_printer_uri
from printers.layout import TicketLayout, TicketPrint
from printers.render import render_ticket
from printers.settings import PrinterSettings
from printers.status import PrinterStatus, read_status

log = logging.getLogger(__name__)


class JobState(str, Enum):
    QUEUED = "queued"
    PRINTING = "printing"
    PRINTED = "printed"
    FAILED = "failed"


@dataclass(frozen=True)
class PrintJob:
    """A snapshot of one print request; the spooler replaces it as the job moves on."""

    job_id: str
    printer_code: str
    ticket: TicketPrint
    layout: TicketLayout
    state: JobState = JobState.QUEUED
    attempts: int = 0
    last_error: str | None = None
    # Set once bytes may have reached the printer: every later attempt carries the 补打/REPRINT mark.
    may_have_printed: bool = False
    printed_with_mark: bool = False
    printer_status: PrinterStatus = PrinterStatus.UNKNOWN
    submitted_at: float = 0.0
    finished_at: float | None = None

    @property
    def done(self) -> bool:
        return self.state in (JobState.PRINTED, JobState.FAILED)

    @property
    def show_on_screen(self) -> bool:
        """The kiosk should show the ticket (number + QR) on screen: printing failed or the printer is down."""
        if self.state is JobState.PRINTED:
            return False
        return self.state is JobState.FAILED or not self.printer_status.can_print


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    first_delay: float = 0.5  # seconds before the 2nd attempt, doubling up to max_delay
    factor: float = 2.0
    max_delay: float = 5.0
    io_timeout: float = 3.0  # connect, write and status-read timeout of one attempt
    poll_interval: float | None = 15.0  # idle status polling; None turns it off

    def delay(self, attempt: int) -> float:
        return min(self.max_delay, self.first_delay * self.factor ** (attempt - 1))


class UnknownPrinter(KeyError):
    """A job named a printer code that is not configured."""


class PrinterDown(Exception):
    def __init__(self, status: PrinterStatus) -> None:
        super().__init__(f"printer reports {status.value}")
        self.status = status


class NoAnswer(Exception):
    """The printer did not answer a status query in time (stalled or switched off)."""


class JournalUnavailable(Exception):
    """The job's record could not be kept before its bytes go out: sending now could print a
    copy nobody knows may exist, so this attempt fails and a later one tries again."""


RETRYABLE = (OSError, EscposError, PrinterDown, NoAnswer, JournalUnavailable)
Connect = Callable[[PrinterSettings, float], Escpos]
JobCallback = Callable[[PrintJob], None]
StatusCallback = Callable[[str, PrinterStatus], None]
RunBlocking = Callable[..., object]  # run_blocking(fn, *args) -> fn(*args), perhaps on another thread


def connect_by_uri(settings: PrinterSettings, timeout: float) -> Escpos:
    return open_printer(settings.uri, timeout=timeout)


# Finished jobs are remembered so that a repeated submit (a kiosk retrying its request) does not
# print twice; a retry comes within seconds, so the most recent ones are enough, and a server
# that prints all day keeps a bounded memory.
KEEP_FINISHED = 1000


class Spooler:
    """One worker thread per printer; submit() only records and enqueues, so issuing never waits on paper."""

    def __init__(
        self,
        printers: Iterable[PrinterSettings],
        retry: RetryPolicy = RetryPolicy(),
        connect: Connect = connect_by_uri,
        on_job_done: JobCallback | None = None,
        on_job_failed: JobCallback | None = None,
        on_printer_status: StatusCallback | None = None,
        run_blocking: RunBlocking | None = None,
        on_job_changed: JobCallback | None = None,
    ) -> None:
        self._printers = {p.code: p for p in printers}
        self._retry, self._connect = retry, connect
        self._on_done, self._on_failed, self._on_status = on_job_done, on_job_failed, on_printer_status
        self._run_blocking = run_blocking
        # Called after every change of a job, in the worker, before it goes on (a durable
        # journal); before a job's first byte is sent it must succeed, or the attempt fails.
        self._on_changed = on_job_changed
        self._jobs: dict[str, PrintJob] = {}
        self._finished: deque[str] = deque()  # ids of finished jobs, oldest first
        self._status = {code: PrinterStatus.UNKNOWN for code in self._printers}
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._queues: dict[str, queue.Queue[str | None]] = {code: queue.Queue() for code in self._printers}
        self._workers = [
            threading.Thread(target=self._work, args=(code,), name=f"spooler-{code}", daemon=True)
            for code in self._printers
        ]
        for worker in self._workers:
            worker.start()

    # --- the kiosk/core side -------------------------------------------------------------

    def submit(self, job_id: str, printer_code: str, ticket: TicketPrint, layout: TicketLayout) -> PrintJob:
        """Queue a ticket; a job id already known returns that job unchanged (submissions are idempotent)."""
        return self._enqueue(PrintJob(job_id, printer_code, ticket, layout))

    def job(self, job_id: str) -> PrintJob | None:
        with self._changed:
            return self._jobs.get(job_id)

    def forget(self, job_id: str) -> None:
        """Drop a job that failed, so that its id may be submitted again (a job this process
        gave up on, taken back over from the database once its lease ran out)."""
        with self._changed:
            job = self._jobs.get(job_id)
            if job is not None and job.state is JobState.FAILED:
                del self._jobs[job_id]

    def printer_status(self, printer_code: str) -> PrinterStatus:
        with self._changed:
            if printer_code not in self._status:
                raise UnknownPrinter(printer_code)
            return self._status[printer_code]

    def close(self, timeout: float = 5.0) -> None:
        """Stop the workers; jobs not yet printed stay queued (the core may resubmit them on restart)."""
        self._stop.set()
        for q in self._queues.values():
            q.put(None)
        for worker in self._workers:
            worker.join(timeout)

    def __enter__(self) -> "Spooler":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- bookkeeping ----------------------------------------------------------------------

    def _enqueue(self, job: PrintJob) -> PrintJob:
        if job.printer_code not in self._printers:
            raise UnknownPrinter(job.printer_code)
        with self._changed:
            if job.job_id in self._jobs:
                return self._jobs[job.job_id]
            job = replace(job, submitted_at=time.time(), printer_status=self._status[job.printer_code])
            self._jobs[job.job_id] = job
        self._queues[job.printer_code].put(job.job_id)
        return job

    def _update(self, job_id: str, _strict: bool = False, **changes: object) -> PrintJob:
        with self._changed:
            before = self._jobs[job_id]
            job = self._jobs[job_id] = replace(before, **changes)
            if job.done and not before.done:
                self._remember_finished(job_id)
            self._changed.notify_all()
        if self._on_changed is not None:
            try:
                self._on_changed(job)
            except Exception as error:
                if _strict:
                    # Not recorded, not done: nothing went out, so the next attempt must not
                    # think bytes may have (it would print the ticket marked 补打 for nothing).
                    with self._changed:
                        self._jobs[job_id] = replace(self._jobs[job_id], **{
                            name: getattr(before, name) for name in changes})
                    raise JournalUnavailable(_describe(error)) from error
                log.exception("could not record the change of print job %s", job_id)
        return job

    def _remember_finished(self, job_id: str) -> None:
        """(lock held) Keep the last KEEP_FINISHED finished jobs, forget older ones."""
        self._finished.append(job_id)
        while len(self._finished) > KEEP_FINISHED:
            old = self._finished.popleft()
            job = self._jobs.get(old)
            if job is not None and job.done:
                del self._jobs[old]

    def _set_status(self, code: str, status: PrinterStatus) -> None:
        with self._changed:
            before, self._status[code] = self._status[code], status
        if status is not before:
            log.info("printer %s: %s -> %s", code, before.value, status.value)
            self._call(self._on_status, code, status)

    def _call(self, callback: Callable | None, *args: object) -> None:
        if callback is None:
            return
        try:
            callback(*args)
        except Exception:  # a failing listener must not kill the printer's worker thread
            log.exception("spooler callback %r failed", callback)

    # --- the worker side ------------------------------------------------------------------

    def _work(self, code: str) -> None:
        settings, jobs = self._printers[code], self._queues[code]
        if self._retry.poll_interval is not None:
            self._poll(settings)
        while not self._stop.is_set():
            try:
                job_id = jobs.get(timeout=self._retry.poll_interval)
            except queue.Empty:
                self._poll(settings)
                continue
            if job_id is None:
                return
            self._run(job_id, settings)

    def _reads_status(self, settings: PrinterSettings) -> bool:
        return settings.answers_status and parse_printer_uri(settings.uri).can_read

    def _poll(self, settings: PrinterSettings) -> None:
        if not self._reads_status(settings):
            return
        try:
            printer = self._io(settings, self._connect, settings, self._retry.io_timeout)
        except RETRYABLE:
            self._set_status(settings.code, PrinterStatus.OFFLINE)
            return
        try:
            status = self._io(settings, read_status, printer)
            self._set_status(settings.code, status or PrinterStatus.OFFLINE)
        except RETRYABLE:
            self._set_status(settings.code, PrinterStatus.OFFLINE)
        finally:
            self._io(settings, _close_quietly, printer)

    def _run(self, job_id: str, settings: PrinterSettings) -> None:
        policy = self._retry
        for attempt in range(1, policy.max_attempts + 1):
            if self._stop.is_set():
                return
            self._update(job_id, state=JobState.PRINTING, attempts=attempt)
            try:
                self._attempt(job_id, settings)
            except RETRYABLE as error:
                job = self._update(job_id, state=JobState.QUEUED, last_error=_describe(error),
                                   printer_status=self.printer_status(settings.code))
                log.warning("print job %s attempt %d on %s failed: %s", job_id, attempt, settings.code,
                            job.last_error)
                if attempt < policy.max_attempts and self._stop.wait(policy.delay(attempt)):
                    return
                continue
            except Exception as error:  # a bug (e.g. in rendering) won't go away by retrying
                log.exception("print job %s cannot be printed", job_id)
                self._update(job_id, last_error=_describe(error))
                break
            job = self._update(job_id, state=JobState.PRINTED, finished_at=time.time(), last_error=None,
                               printer_status=self.printer_status(settings.code))
            self._call(self._on_done, job)
            return
        job = self._update(job_id, state=JobState.FAILED, finished_at=time.time(),
                           printer_status=self.printer_status(settings.code))
        self._call(self._on_failed, job)

    def _attempt(self, job_id: str, settings: PrinterSettings) -> None:
        """One try: connect, check status, send the ticket, and confirm the printer took it."""
        reads_status = self._reads_status(settings)
        try:
            printer = self._io(settings, self._connect, settings, self._retry.io_timeout)
        except RETRYABLE:
            self._set_status(settings.code, PrinterStatus.OFFLINE)
            raise
        try:
            if reads_status:
                self._check(settings, printer)
            job = self.job(job_id)
            marked = job.may_have_printed
            data = render_ticket(replace(job.ticket, reprint=job.ticket.reprint or marked), job.layout)
            # From the first byte on we can't be sure nothing came out, so any retry prints 补打
            # (kept by the journal first, so another process taking the job over knows it too).
            self._update(job_id, _strict=True, may_have_printed=True,
                         printed_with_mark=marked or job.ticket.reprint)
            self._io(settings, printer._raw, data)
            if reads_status:
                # A status reply comes after the printer has read everything sent before the query.
                self._check(settings, printer)
            else:
                self._set_status(settings.code, PrinterStatus.ONLINE)
        finally:
            self._io(settings, _close_quietly, printer)

    def _io(self, settings: PrinterSettings, fn: Callable, *args: object):
        """A call into the printer's driver. A driver that blocks in C (USB) goes through
        `run_blocking`, so a printer stuck on its timeout never stalls an event-loop server."""
        if self._run_blocking is not None and parse_printer_uri(settings.uri).blocks:
            return self._run_blocking(fn, *args)
        return fn(*args)

    def _check(self, settings: PrinterSettings, printer: Escpos) -> None:
        code = settings.code
        try:
            status = self._io(settings, read_status, printer)
        except OSError:
            self._set_status(code, PrinterStatus.OFFLINE)
            raise
        if status is None:
            self._set_status(code, PrinterStatus.OFFLINE)
            raise NoAnswer("printer did not answer the status query in time")
        self._set_status(code, status)
        if not status.can_print:
            raise PrinterDown(status)


def _describe(error: BaseException) -> str:
    text = str(error).strip().replace("\n", " ")
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _close_quietly(printer: Escpos) -> None:
    try:
        printer.close()
    except (OSError, EscposError) as error:  # the job's outcome is already decided
        log.debug("closing printer failed: %s", error)


def job_view(job: PrintJob) -> dict:
    """A job as a kiosk shows it."""
    return {"job": job.job_id, "printer": job.printer_code, "state": job.state.value,
            "printer_status": job.printer_status.value, "show_on_screen": job.show_on_screen,
            "reprint": job.ticket.reprint}
