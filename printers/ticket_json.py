"""What goes on paper for a ticket as the core's API describes it (its public JSON view): used by
the core's printing and by a kiosk agent printing locally what a remote core issued."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from printers.layout import TicketPrint

MARKS = {"priority": "优先 Priority", "appointment": "预约 Appointment"}


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
