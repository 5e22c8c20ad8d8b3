"""Issuing tickets: number, cap, hours, idempotent requests, people ahead and wait estimate."""
from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import bindparam, case, func, insert, select, true, update

from ..adapters.orm import Category, DailyCounter, Site, Ticket
from ..adapters.tokens import new_status_token
from ..domain.errors import Forbidden, InvalidInput
from ..domain.events import EventKind
from ..domain.model import PriorityClass, TicketStatus, format_number
from . import print_jobs
from .access import require_site
from .day import roll_over
from .opening import refusal, today
from .queue_state import (_ISSUED_COUNT, _QUEUE, _RECENT_SERVICES, _WAITING_IN_CATEGORY,
                          WindowLoad, _called_before, estimate, hall_state, measured_minutes,
                          paused_because, queue_and_ahead)
from .structure import structure
from .unit_of_work import Actor, UnitOfWork
from .views import ticket_view


def issue_ticket(uow: UnitOfWork, site_code: str, category_code: str, actor: Actor, *,
                 priority_class: str = "normal", request_id: str | None = None,
                 printer: str | None = None) -> dict:
    """Issue the next number of a category; the same (device, request_id) gets the same ticket.
    With `printer`, its print job is part of the same transaction (`print_job`: its id)."""
    with uow:
        site = uow.lock_site(site_code)
        require_site(actor, site.id)
        device_id = actor.id if actor.kind == "device" else None
        if request_id and device_id:
            earlier = uow.session.scalars(select(Ticket).where(
                Ticket.device_id == device_id, Ticket.request_id == request_id)).first()
            if earlier is not None:
                job = print_jobs.own_job(uow.session, earlier.id)
                return view_of(uow, site, earlier) | {"repeated": True,
                                                      "print_job": job.id if job else None}
        roll_over(uow, site)
        hall = structure(uow, site)  # this process's copy while the site row vouches for it
        category = hall.category(category_code)
        cls = _priority_class(priority_class, actor)
        windows = hall.serving(category.id)
        ticket, queue = new_ticket(uow, site, category, cls, windows, device_id=device_id,
                                   request_id=request_id)
        view = view_of(uow, site, ticket, windows, queue)
        job = print_jobs.add_job(uow, ticket, printer) if printer else None
        uow.record(EventKind.ISSUED, ticket=ticket, actor=actor, people_ahead=view["people_ahead"],
                   estimated_wait_minutes=view["estimated_wait_minutes"], print_job=job)
        uow.commit()
        return view | {"repeated": False, "print_job": job}


def new_ticket(uow: UnitOfWork, site: Site, category: Category, cls: PriorityClass,
               windows: list[WindowLoad], *, device_id: int | None = None,
               request_id: str | None = None) -> tuple[Ticket, Queue]:
    """The next number of a category on the locked site, within its hours and cap (shared by
    issuing and appointment check-in); `windows`: the windows serving the category, read once
    for the pause rule here and the estimate in `view_of`. The caller records the events and
    commits. The ticket is written, not added to the session: change it by its id. With it,
    its queue as `view_of` needs it, read in the statement that counted the cap."""
    day = today(site, uow.now)
    rows = uow.execute(_before_issuing(cls), {
        "site_id": site.id, "day": day, "category_id": category.id, "queued_at": uow.now,
        "ticket_id": _AFTER_EVERY_TICKET}).all()
    ahead, waiting, oldest, issued = rows[0][:4]
    # in the order of `_RECENT_SERVICES` (a join need not keep it): the same sum to the last bit
    recent = measured_minutes(sorted((r for r in rows if r.finished_at is not None),
                                     key=lambda r: r.finished_at, reverse=True))
    refused = refusal(site, category, uow.now, paused_because(windows, category.id), issued)
    if refused is not None:
        raise refused
    seq = _next_seq(uow, site, category.prefix, day)
    values = dict(site_id=site.id, category_id=category.id, origin_category_id=category.id,
                  service_date=day, seq=seq, number=format_number(category.prefix, seq),
                  priority_class=str(cls), status=str(TicketStatus.WAITING),
                  status_token=new_status_token(), issued_at=uow.now, queued_at=uow.now,
                  recall_count=0, transfer_count=0, device_id=device_id, request_id=request_id)
    # One Core insert (an ORM flush cost several times as much, inside the site's lock); the
    # Ticket returned holds the same values for the event and the views, outside the session.
    ticket = Ticket(**values, category=category)
    ticket.id = uow.execute(_INSERT_TICKET, values).scalar_one()
    # The new ticket joins its queue: one more waiting, none of them ahead of it but those
    # counted, and it is the oldest only in an empty queue.
    return ticket, Queue(ahead, waiting + 1, min(oldest, uow.now) if oldest else uow.now,
                         recent)


class Queue(NamedTuple):
    """What a ticket's estimate needs of its queue: the people ahead of it, the category's
    waiting count and oldest arrival, the minutes of its recent services."""

    ahead: int
    waiting: int
    oldest: datetime | None
    measured: list[float]


# A ticket about to be issued is queued now and gets an id above every ticket there is: bound
# as its id, this puts it behind all of them in the order of calls (`_called_before`).
_AFTER_EVERY_TICKET = 2**31 - 1


@cache
def _before_issuing(priority_class: str):
    """Before a ticket of `priority_class` is inserted, in one statement: the people who will
    be ahead of it, its category's waiting count and oldest arrival and its recent services
    (its estimate), and the tickets issued in the category today (its cap). One row per
    recent service, each with the counts (one with none)."""
    queue = select(func.count(case((_called_before(priority_class), 1))), *_QUEUE,
                   _ISSUED_COUNT.correlate(None).scalar_subquery()).where(*_WAITING_IN_CATEGORY)
    queue, recent = queue.subquery("queue"), _RECENT_SERVICES.subquery("recent")
    return select(queue, recent).select_from(queue.outerjoin(recent, true()))


_INSERT_TICKET = insert(Ticket.__table__).returning(Ticket.__table__.c.id)
_COUNTERS = DailyCounter.__table__
_BUMP_COUNTER = (update(_COUNTERS)
                 .where(_COUNTERS.c.site_id == bindparam("of_site"),
                        _COUNTERS.c.prefix == bindparam("of_prefix"),
                        _COUNTERS.c.service_date == bindparam("of_day"))
                 .values(last_seq=_COUNTERS.c.last_seq + 1).returning(_COUNTERS.c.last_seq))


def _next_seq(uow: UnitOfWork, site: Site, prefix: str, day: date) -> int:
    """The prefix's next daily sequence number, in one statement on the hot path (the site is
    locked, so no other writer moves the counter meanwhile)."""
    seq = uow.execute(_BUMP_COUNTER,
                      {"of_site": site.id, "of_prefix": prefix, "of_day": day}).scalar()
    if seq is None:  # the prefix's first ticket of the day
        uow.execute(insert(_COUNTERS).values(site_id=site.id, prefix=prefix, service_date=day,
                                             last_seq=1))
        seq = 1
    return seq



def view_of(uow: UnitOfWork, site: Site, ticket: Ticket,
            windows: list[WindowLoad] | None = None, queue: Queue | None = None) -> dict:
    """The issued ticket as a kiosk shows it: people ahead and the wait estimate as of now
    (`windows`: those serving its category, `queue`: its place, when already read in this
    transaction)."""
    ahead, waiting, oldest = queue[:3] if queue else queue_and_ahead(uow.session, ticket)
    state = hall_state(uow.session, site, uow.now, ticket.category, windows,  # its category's part
                       queue=(waiting, oldest))
    wait = estimate(uow.connection, state, ticket.category, ahead, ticket.service_date,
                    queue.measured if queue else None)
    return ticket_view(ticket, ahead=ahead, estimate=wait)


def _priority_class(value: str, actor: Actor) -> PriorityClass:
    try:
        cls = PriorityClass(value)
    except ValueError:
        raise InvalidInput(field="priority_class", value=value) from None
    if cls == PriorityClass.APPOINTMENT and actor.kind != "staff":
        raise Forbidden(action="issue_appointment")  # kiosks check appointments in instead
    return cls
