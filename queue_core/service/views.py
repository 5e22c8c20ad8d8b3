"""JSON-ready shapes of tickets and windows, shared by every use case and query."""
from __future__ import annotations

from collections.abc import Sequence

from ..adapters.orm import Category, Ticket, Window


def category_names(c: Category) -> dict:
    return {"code": c.code, "prefix": c.prefix, "name_zh": c.name_zh, "name_en": c.name_en}


def wait_json(estimate: Sequence | None) -> dict | None:
    """A wait estimate as pages show it; basis "planned": worked out over the windows planned
    for the category before anyone serving it signed in (pages say it is an estimate)."""
    if not estimate:
        return None
    planned = len(estimate) > 2 and estimate[2]
    return {"low": estimate[0], "high": estimate[1], "basis": "planned" if planned else "staffed"}


def ticket_view(ticket: Ticket, *, ahead: int | None = None,
                estimate: Sequence[int] | None = None, window: Window | None = None) -> dict:
    """What a ticket's holder may see (no staff or device details)."""
    return {
        "id": ticket.id,
        "number": ticket.number,
        "category": category_names(ticket.category),
        "priority_class": ticket.priority_class,
        "status": ticket.status,
        "status_token": ticket.status_token,
        "service_date": ticket.service_date.isoformat(),
        "issued_at": ticket.issued_at.isoformat(),
        "called_at": ticket.called_at.isoformat() if ticket.called_at else None,
        "people_ahead": ahead,
        "estimated_wait_minutes": wait_json(estimate),
        "window": window.number if window else None,
        "location": ticket.category.location or None,
        "recall_count": ticket.recall_count,
    }


def staff_ticket_view(ticket: Ticket, window: Window | None = None) -> dict:
    """A ticket as the window console sees it, with why it was called; not its status token
    (the key to its holder's phone page is the holder's alone)."""
    view = ticket_view(ticket, window=window)
    del view["status_token"]
    return {**view, "call_reason": ticket.call_reason,
            "queued_at": ticket.queued_at.isoformat(),
            "started_at": ticket.started_at.isoformat() if ticket.started_at else None,
            "transfer_count": ticket.transfer_count}
