"""What applicants' phones show, worked out once per batch of hall events: each ticket whose own
state changed, and every waiting ticket of a category whose queue or windows changed (people
ahead, wait estimate). A few statements for the whole batch, never a status read per phone."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from ..adapters.orm import Ticket, Window
from ..domain.events import EventKind as E
from ..domain.estimate import WaitRange, service_minutes, wait_range
from ..domain.model import PriorityClass, TicketStatus
from .queries import get_site
from .views import wait_json
from .queue_state import (CLASS_RANK, estimate, hall_state, measured_service_minutes,
                          people_ahead, today)

# Events that change no ticket, queue or window an applicant sees.
QUIET_EVENTS = frozenset({E.ALERT_RAISED, E.ALERT_CLEARED, E.ALERT_ACKNOWLEDGED, E.EVALUATED,
                          E.PRINTER_STATUS, E.APPOINTMENT_BOOKED, E.APPOINTMENT_CANCELLED,
                          E.REPRINT_REQUESTED})
# Ticket events that change only that ticket for the phones: it was already out of the waiting
# queue, so nobody's place or estimate moves (a finish does: it measures a service time).
OWN_TICKET_ONLY = frozenset({E.RECALLED, E.STARTED, E.NO_SHOW, E.SUSPENDED, E.RESUMED})


def moves_the_queue(event: dict) -> bool:
    """Whether the waiting tickets of the event's category may have moved. A normal ticket
    joins the back of its queue; a priority or appointment ticket goes ahead of some."""
    if event["type"] in OWN_TICKET_ONLY:
        return False
    if event["type"] == E.ISSUED:
        return event.get("priority_class") != "normal"
    return True


@dataclass
class Change:
    """What a batch of events touched: tickets, and categories (None: every category)."""

    tickets: set[int] = field(default_factory=set)
    categories: set[str] | None = field(default_factory=set)

    def add(self, events: Iterable[dict]) -> None:
        for event in events:
            if event["type"] in QUIET_EVENTS:
                continue
            if event.get("ticket_id"):
                self.tickets.add(event["ticket_id"])
                if not moves_the_queue(event):
                    continue
            codes = {event[k] for k in ("category", "from_category", "to_category") if event.get(k)}
            if codes and self.categories is not None:
                self.categories |= codes
            elif not codes and not event.get("ticket_id"):
                self.categories = None  # a window, its posts or the day: any estimate may move

    def __bool__(self) -> bool:
        return bool(self.tickets) or self.categories is None or bool(self.categories)

    def watched(self, ticket_ids: set[int]) -> "Change":
        """The part worth working out when only these tickets have a phone."""
        return Change(self.tickets & ticket_ids,
                      None if self.categories is None else set(self.categories))


_WAITING = (select(Ticket.id, Ticket.category_id, Ticket.priority_class, Ticket.queued_at)
            .where(Ticket.site_id == bindparam("site_id"), Ticket.service_date == bindparam("day"),
                   Ticket.status == TicketStatus.WAITING,
                   Ticket.category_id.in_(bindparam("category_ids", expanding=True))))

_TICKETS = (select(Ticket.id, Ticket.status, Window.number, Ticket.category_id)
            .outerjoin(Window, Ticket.window_id == Window.id)
            .where(Ticket.id.in_(bindparam("ids", expanding=True))))


def phone_views(session: Session, site_code: str, now: datetime, change: Change,
                audience: set[int] | None = None) -> dict[int, dict]:
    """ticket id → the live part of its public status (as `queries.ticket_status` has it);
    with `audience`, only for those tickets (the ones with a phone)."""
    site = get_site(session, site_code)
    state = hall_state(session, site, now)
    day = today(site, now)
    categories = [c for c in state.categories.values()
                  if change.categories is None or c.code in change.categories]
    views: dict[int, dict] = {}
    seq = site.event_seq  # a phone keeps the newest of what it got (connect read or push)
    alone: list[int] = []  # waiting tickets whose queue did not move: worked out one by one
    if change.tickets:
        for ticket_id, status, window, category_id in session.execute(
                _TICKETS, {"ids": sorted(change.tickets)}):
            if status != TicketStatus.WAITING:
                views[ticket_id] = _view(seq, ticket_id, status, window=window)
            elif not any(c.id == category_id for c in categories):
                alone.append(ticket_id)
    for ticket_id in alone:
        ticket = session.get(Ticket, ticket_id)
        ahead = people_ahead(session, ticket)
        views[ticket_id] = _view(seq, ticket_id, TicketStatus.WAITING, ahead=ahead,
                                 estimate=estimate(session, state, ticket.category, ahead, day))
    if not categories:
        return views
    queues: dict[int, list] = {c.id: [] for c in categories}
    rows = session.execute(_WAITING, {"site_id": site.id, "day": day,
                                      "category_ids": list(queues)})
    for row in rows:
        queues[row.category_id].append(row)
    for category in categories:
        queue = sorted(queues[category.id], key=_call_order)
        if not queue:
            continue
        minutes = service_minutes(category.service_minutes,
                                  measured_service_minutes(session, category, day))
        a, b = state.serving_windows(category)
        planned = state.planned_windows(category)
        for ahead, row in enumerate(queue):
            if audience is None or row.id in audience:
                views[row.id] = _view(seq, row.id, TicketStatus.WAITING, ahead=ahead,
                                      estimate=wait_range(ahead, minutes, a, b, planned))
    return views


def _call_order(row) -> tuple:
    """Who is called first within a category: class, then arrival (as `people_ahead` counts)."""
    return CLASS_RANK[PriorityClass(row.priority_class)], row.queued_at, row.id


def _view(seq: int, ticket_id: int, status: str, *, window: int | None = None, ahead: int = 0,
          estimate: WaitRange | None = None) -> dict:
    return {"seq": seq, "id": ticket_id, "status": str(status), "window": window, "people_ahead": ahead,
            "estimated_wait_minutes": wait_json(estimate)}
