"""Printing committed tickets on a kiosk's printer, and printer health as events for managers."""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from printers.layout import TicketPrint
from printers.settings import build_layout
from printers.spooler import PrintJob, Spooler
from printers.status import PrinterStatus

from ..config import Settings, SiteSettings
from .concurrency import offload

log = logging.getLogger(__name__)

MARKS = {"priority": "优先 Priority", "appointment": "预约 Appointment"}
StatusSink = Callable[[str, str, str], None]  # (site code, printer code, status)


class TicketPrinting:
    """One spooler per site, started on the first print so a process that never prints
    (CLI, tests, screens-only instances) runs no printer threads."""

    def __init__(self, settings: Settings, on_status: StatusSink) -> None:
        self.settings, self.on_status = settings, on_status
        self._spoolers: dict[str, Spooler] = {}

    def spooler(self, site_code: str) -> Spooler:
        if site_code not in self._spoolers:
            site = self.settings.site(site_code)
            self._spoolers[site_code] = Spooler(
                site.printers,
                on_printer_status=lambda code, status: self._status(site_code, code, status),
                run_blocking=offload)
        return self._spoolers[site_code]

    def printer_for(self, site_code: str, device_code: str) -> str | None:
        site = self.settings.site(site_code)
        return next((k.printer for k in site.kiosks if k.code == device_code), None)

    def print_ticket(self, site_code: str, printer_code: str, ticket: dict,
                     reprint: bool = False) -> dict:
        """Queue the ticket (a committed ticket's public view); returns the job's state now."""
        site = self.settings.site(site_code)
        printer = next(p for p in site.printers if p.code == printer_code)
        spooler = self.spooler(site_code)
        job_id = f"ticket-{ticket['id']}"
        if reprint and spooler.job(job_id) is not None:
            job = spooler.reprint(job_id)
        else:
            job = spooler.submit(job_id if not reprint else f"{job_id}/reprint",
                                 printer_code, self.ticket_print(site, ticket, reprint),
                                 build_layout(printer, site.ticket))
        return job_view(job)

    def statuses(self, site_code: str) -> list[dict]:
        site = self.settings.site(site_code)
        spooler = self._spoolers.get(site_code)
        return [{"code": p.code, "status": (spooler.printer_status(p.code) if spooler
                                            else PrinterStatus.UNKNOWN).value}
                for p in site.printers]

    def ticket_print(self, site: SiteSettings, ticket: dict, reprint: bool) -> TicketPrint:
        return ticket_print(ticket, site_name=site.name_zh, timezone=site.timezone,
                            public_url=self.settings.server.public_url,
                            location=site.ticket.location,
                            footer_lines=tuple(site.ticket.footer_lines), reprint=reprint)

    def close(self) -> None:
        for spooler in self._spoolers.values():
            spooler.close()

    def _status(self, site_code: str, printer_code: str, status: PrinterStatus) -> None:
        try:
            self.on_status(site_code, printer_code, status.value)
        except Exception:  # a failed alert must not kill the printer's worker thread
            log.exception("could not record status %s of printer %s", status, printer_code)


def ticket_print(ticket: dict, *, site_name: str, timezone: str, public_url: str,
                 location: str | None = None, footer_lines: tuple[str, ...] = (),
                 reprint: bool = False) -> TicketPrint:
    """What goes on paper for a committed ticket's public view (also used by a kiosk agent that
    prints locally what a remote core issued)."""
    wait = ticket["estimated_wait_minutes"]
    issued = datetime.fromisoformat(ticket["issued_at"]).astimezone(ZoneInfo(timezone))
    return TicketPrint(
        site_name=site_name, number=ticket["number"],
        category_zh=ticket["category"]["name_zh"],
        category_en=ticket["category"]["name_en"] or None,
        priority_mark=MARKS.get(ticket["priority_class"]),
        people_ahead=ticket["people_ahead"] or 0,
        wait_minutes=(wait["low"], wait["high"]) if wait else None,
        issued_at=issued, location=ticket["location"] or location,
        status_url=f"{public_url.rstrip('/')}/t/{ticket['status_token']}",
        footer_lines=footer_lines, reprint=reprint)


def job_view(job: PrintJob) -> dict:
    return {"job": job.job_id, "printer": job.printer_code, "state": job.state.value,
            "printer_status": job.printer_status.value, "show_on_screen": job.show_on_screen,
            "reprint": job.reprint_of is not None or job.ticket.reprint}
