"""The spooler against a fake network printer: retries, status, exactly-once tickets, reprints."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import replace

from printers.settings import PrinterSettings
from printers import spooler as spooler_module
from printers.spooler import JobState, RetryPolicy, Spooler
from printers.status import PrinterStatus
from tests.support.printer_replies import REPLY_COVER_OPEN, REPLY_ONLINE, REPLY_PAPER_LOW, REPLY_PAPER_OUT
from tests.e2e.printers.conftest import FAST_RETRY
from tests.e2e.printers.fake_printer import FakePrinter
from tests.support.spooler import wait_for

WAIT = 10.0  # upper bound only; every scenario finishes in well under a second or two


class Recorder:
    """Collects spooler callbacks the way the core's event log would."""

    def __init__(self) -> None:
        self.done, self.failed, self.statuses = [], [], []
        self.lock = threading.Lock()

    def kwargs(self) -> dict:
        return dict(on_job_done=self.done.append, on_job_failed=self.failed.append,
                    on_printer_status=lambda code, status: self.statuses.append((code, status)))


def spooler_for(uri: str, recorder: Recorder | None = None, retry: RetryPolicy = FAST_RETRY, **extra) -> Spooler:
    settings = PrinterSettings(code="kiosk1", uri=uri, paper_mm=58, **extra)
    return Spooler([settings], retry=retry, **(recorder.kwargs() if recorder else {}))


def unmarked(tickets) -> list:
    return [t for t in tickets if "补打" not in t.text]


def test_ticket_comes_out_once_with_number_and_qr(ticket, layout):
    recorder = Recorder()
    with FakePrinter() as printer, spooler_for(printer.uri, recorder) as spooler:
        job = wait_for(spooler, spooler.submit("t-1", "kiosk1", ticket, layout).job_id, WAIT)
        assert job.state is JobState.PRINTED and job.attempts == 1
        [printed] = printer.tickets()
        assert "A023" in printed.text and "社保业务" in printed.text and "补打" not in printed.text
        assert printed.qr_payloads == ["http://127.0.0.1:8000/t/Xy3"]
        assert [j.job_id for j in recorder.done] == ["t-1"] and not recorder.failed
        assert spooler.printer_status("kiosk1") is PrinterStatus.ONLINE


def test_submitting_the_same_ticket_twice_prints_it_once(ticket, layout):
    with FakePrinter() as printer, spooler_for(printer.uri) as spooler:
        first = spooler.submit("t-1", "kiosk1", ticket, layout)
        again = spooler.submit("t-1", "kiosk1", ticket, layout)
        assert again.job_id == first.job_id
        wait_for(spooler, "t-1", WAIT)
        time.sleep(0.2)  # a second job, if any, would have started by now
        assert len(printer.tickets()) == 1


def test_submit_returns_at_once_while_the_printer_stalls(ticket, layout):
    with FakePrinter(default="stall") as printer, spooler_for(printer.uri) as spooler:
        started = time.monotonic()
        job = spooler.submit("t-1", "kiosk1", ticket, layout)
        assert time.monotonic() - started < 0.05
        assert job.state is JobState.QUEUED


def test_stalled_printer_is_retried_and_the_ticket_is_clean(ticket, layout):
    # The stall is caught by the status query before any ticket byte is sent: no reprint mark needed.
    with FakePrinter(["stall"]) as printer, spooler_for(printer.uri) as spooler:
        job = wait_for(spooler, spooler.submit("t-1", "kiosk1", ticket, layout).job_id, WAIT)
        assert job.state is JobState.PRINTED and job.attempts == 2
        assert not job.printed_with_mark
        assert [t.text.count("A023") for t in printer.tickets()] == [1]
        assert "补打" not in printer.tickets()[0].text


def test_hangup_before_the_ticket_retries_without_reprint_mark(ticket, layout):
    with FakePrinter(["hangup"]) as printer, spooler_for(printer.uri) as spooler:
        job = wait_for(spooler, spooler.submit("t-1", "kiosk1", ticket, layout).job_id, WAIT)
        assert job.state is JobState.PRINTED and job.attempts == 2
        assert len(unmarked(printer.tickets())) == 1


def test_connection_dropped_mid_ticket_reprints_with_mark(ticket, layout):
    with FakePrinter(["drop"], cut_after=300) as printer, spooler_for(printer.uri) as spooler:
        job = wait_for(spooler, spooler.submit("t-1", "kiosk1", ticket, layout).job_id, WAIT)
        assert job.state is JobState.PRINTED and job.attempts == 2 and job.printed_with_mark
        partial, retry = printer.connections[0], printer.connections[1]
        assert 0 < len(partial.printed) <= 300  # half a ticket came out, without a cut
        tickets = printer.tickets()
        assert len(tickets) == 1 and "补打" in tickets[0].text and "REPRINT" in tickets[0].text
        assert len(retry.printed) > len(partial.printed)


def test_printer_freezing_mid_ticket_reprints_with_mark(ticket, layout):
    with FakePrinter(["freeze"], cut_after=300) as printer, spooler_for(printer.uri) as spooler:
        job = wait_for(spooler, spooler.submit("t-1", "kiosk1", ticket, layout).job_id, WAIT)
        assert job.state is JobState.PRINTED and job.printed_with_mark
        assert not unmarked(printer.tickets())  # never two plain tickets for one request


def test_paper_out_fails_the_job_tells_the_kiosk_and_alerts(ticket, layout):
    recorder = Recorder()
    with FakePrinter(status=REPLY_PAPER_OUT) as printer, spooler_for(printer.uri, recorder) as spooler:
        job = wait_for(spooler, spooler.submit("t-1", "kiosk1", ticket, layout).job_id, WAIT)
        assert job.state is JobState.FAILED and job.attempts == FAST_RETRY.max_attempts
        assert job.show_on_screen and job.printer_status is PrinterStatus.PAPER_OUT
        assert "paper_out" in job.last_error
        assert printer.tickets() == [] and all(not c.printed for c in printer.connections)
        assert ("kiosk1", PrinterStatus.PAPER_OUT) in recorder.statuses
        assert [j.job_id for j in recorder.failed] == ["t-1"]


def test_cover_open_is_reported(ticket, layout):
    recorder = Recorder()
    with FakePrinter(status=REPLY_COVER_OPEN) as printer, spooler_for(printer.uri, recorder) as spooler:
        wait_for(spooler, spooler.submit("t-1", "kiosk1", ticket, layout).job_id, WAIT)
        assert spooler.printer_status("kiosk1") is PrinterStatus.COVER_OPEN


def test_paper_low_still_prints_but_warns(ticket, layout):
    recorder = Recorder()
    with FakePrinter(status=REPLY_PAPER_LOW) as printer, spooler_for(printer.uri, recorder) as spooler:
        job = wait_for(spooler, spooler.submit("t-1", "kiosk1", ticket, layout).job_id, WAIT)
        assert job.state is JobState.PRINTED and len(printer.tickets()) == 1
        assert recorder.statuses[-1] == ("kiosk1", PrinterStatus.PAPER_LOW)


def test_printer_switched_off_fails_and_shows_ticket_on_screen(ticket, layout):
    with socket.socket() as probe:  # a free port with nothing listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    recorder = Recorder()
    with spooler_for(f"tcp://127.0.0.1:{port}", recorder) as spooler:
        job = wait_for(spooler, spooler.submit("t-1", "kiosk1", ticket, layout).job_id, WAIT)
        assert job.state is JobState.FAILED and job.show_on_screen
        assert not job.may_have_printed  # nothing was ever sent
        assert spooler.printer_status("kiosk1") is PrinterStatus.OFFLINE
        assert recorder.statuses == [("kiosk1", PrinterStatus.OFFLINE)]


def test_polling_notices_paper_refilled(ticket, layout):
    recorder = Recorder()
    polling = RetryPolicy(io_timeout=0.5, poll_interval=0.1)
    with FakePrinter(status=REPLY_PAPER_OUT) as printer, spooler_for(printer.uri, recorder, polling) as spooler:
        deadline = time.monotonic() + WAIT
        while spooler.printer_status("kiosk1") is not PrinterStatus.PAPER_OUT and time.monotonic() < deadline:
            time.sleep(0.02)
        assert spooler.submit("t-1", "kiosk1", ticket, layout).show_on_screen  # kiosk knows at once
        printer.status = dict(REPLY_ONLINE)
        while spooler.printer_status("kiosk1") is not PrinterStatus.ONLINE and time.monotonic() < deadline:
            time.sleep(0.02)
        assert recorder.statuses[:1] == [("kiosk1", PrinterStatus.PAPER_OUT)]
        assert ("kiosk1", PrinterStatus.ONLINE) in recorder.statuses


def test_reprint_is_explicit_and_marked(ticket, layout):
    """补打 is a job of its own whose ticket says so (the core dispatches it marked)."""
    with FakePrinter() as printer, spooler_for(printer.uri) as spooler:
        wait_for(spooler, spooler.submit("t-1", "kiosk1", ticket, layout).job_id, WAIT)
        copy = wait_for(spooler, spooler.submit("t-2", "kiosk1", replace(ticket, reprint=True), layout).job_id, WAIT)
        assert copy.state is JobState.PRINTED and copy.printed_with_mark
        first, second = printer.tickets()
        assert "补打" not in first.text and "补打" in second.text and "A023" in second.text


def test_printer_without_status_support_prints_blind(ticket, layout):
    # answers_status=False: a printer that ignores DLE EOT must not make every job time out.
    with FakePrinter(default="ok") as printer, spooler_for(printer.uri, answers_status=False) as spooler:
        job = wait_for(spooler, spooler.submit("t-1", "kiosk1", ticket, layout).job_id, WAIT)
        assert job.state is JobState.PRINTED
        assert len(printer.wait_for_tickets(1)) == 1
        assert printer.connections[0].queries == []


def test_file_printer_appends_each_ticket(tmp_path, ticket, layout, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    with spooler_for("file://data/kiosk1.bin") as spooler:
        for job_id in ("t-1", "t-2"):
            assert wait_for(spooler, spooler.submit(job_id, "kiosk1", ticket, layout).job_id, WAIT).state is JobState.PRINTED
    from tests.support.escpos_decode import decode
    assert len(decode((tmp_path / "data" / "kiosk1.bin").read_bytes()).cuts) == 2


def test_a_failed_job_forgotten_can_be_submitted_again_and_prints(ticket, layout):
    """A job this process gave up on and later takes back over (from the database) prints;
    submitting its id again without forgetting it returns the failed job unchanged."""
    with FakePrinter(default="hangup") as printer, spooler_for(printer.uri) as spooler:
        failed = wait_for(spooler, spooler.submit("t-1", "kiosk1", ticket, layout).job_id, WAIT)
        assert failed.state is JobState.FAILED
        printer.default = "ok"
        assert spooler.submit("t-1", "kiosk1", ticket, layout).state is JobState.FAILED
        spooler.forget("t-1")
        again = wait_for(spooler, spooler.submit("t-1", "kiosk1", ticket, layout).job_id, WAIT)
        assert again.state is JobState.PRINTED and len(printer.tickets()) == 1
        spooler.forget("t-1")  # a printed job is kept: its id is never printed twice
        assert spooler.submit("t-1", "kiosk1", ticket, layout).state is JobState.PRINTED


def test_a_journal_away_before_the_first_byte_does_not_mark_the_next_attempt(ticket, layout):
    """The journal refusing "bytes may be out" stops the attempt before any byte is sent: the
    retry that prints is not marked 补打 (nothing came out before it)."""
    refused = []

    def journal(job) -> None:
        if job.may_have_printed and not refused:
            refused.append(job.attempts)
            raise OSError("database away")

    with FakePrinter() as printer, Spooler(
            [PrinterSettings(code="kiosk1", uri=printer.uri, paper_mm=58)], retry=FAST_RETRY,
            on_job_changed=journal) as spooler:
        job = wait_for(spooler, spooler.submit("t-1", "kiosk1", ticket, layout).job_id, WAIT)
        assert job.state is JobState.PRINTED and job.attempts == 2 and refused == [1]
        [printed] = printer.tickets()
        assert "补打" not in printed.text


def test_a_spooler_printing_all_day_remembers_only_its_recent_jobs(tmp_path, ticket, layout,
                                                                   monkeypatch):
    """Every job used to stay in memory for the process's life (3,000 tickets: 3,000 jobs with
    their ticket and layout); the last KEEP_FINISHED finished ones are enough for a repeated
    submit not to print twice."""
    monkeypatch.setattr(spooler_module, "KEEP_FINISHED", 5)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    with spooler_for("file://data/kiosk1.bin") as spooler:
        for n in range(12):
            wait_for(spooler, spooler.submit(f"t-{n}", "kiosk1", ticket, layout).job_id, WAIT)
        assert spooler.job("t-0") is None and spooler.job("t-6") is None
        assert [spooler.job(f"t-{n}").state for n in range(7, 12)] == [JobState.PRINTED] * 5
        assert spooler.submit("t-11", "kiosk1", ticket, layout).state is JobState.PRINTED
    from tests.support.escpos_decode import decode
    assert len(decode((tmp_path / "data" / "kiosk1.bin").read_bytes()).cuts) == 12
