"""Device health as events: printer status changes become alerts in the audit trail."""
from __future__ import annotations

from ..domain.events import EventKind
from . import alerts
from .unit_of_work import UnitOfWork

PRINTER_OK = {"online", "unknown"}


def record_printer_status(uow: UnitOfWork, site_code: str, printer_code: str, status: str) -> None:
    """Append a printer_status event; `alert` marks statuses a manager must act on."""
    with uow:
        site = uow.lock_site(site_code)
        uow.record(EventKind.PRINTER_STATUS, printer=printer_code, status=status,
                   alert=status not in PRINTER_OK)
        alerts.sweep_locked(uow, site)  # a paper-out is raised at once, not at the next sweep
        uow.commit()
