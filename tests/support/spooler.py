"""Waiting for a spooler job in a test (the hall never waits: it follows jobs by callbacks)."""
from __future__ import annotations

import time

from printers.spooler import PrintJob, Spooler


def wait_for(spooler: Spooler, job_id: str, timeout: float) -> PrintJob:
    """The job once printed or failed, or as it stands after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not (job := spooler.job(job_id)).done and time.monotonic() < deadline:
        time.sleep(0.01)
    return job
