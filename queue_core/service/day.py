"""Day rollover: when the site's date changes, yesterday's open tickets expire and windows close."""
from __future__ import annotations

from sqlalchemy import select

from ..adapters.orm import Site, Ticket
from ..domain.events import EventKind
from ..domain.model import OPEN_STATUSES, Action, WindowState, next_status
from .queue_state import today, windows_of
from .unit_of_work import UnitOfWork


def roll_over(uow: UnitOfWork, site: Site) -> None:
    """Bring the locked site to today; cheap when already there (one date comparison)."""
    day = today(site, uow.now)
    if site.service_date == day:
        return
    stale = uow.session.scalars(select(Ticket).where(
        Ticket.site_id == site.id, Ticket.service_date < day,
        Ticket.status.in_([str(s) for s in OPEN_STATUSES])).order_by(Ticket.id))
    for ticket in stale:
        ticket.status = next_status(ticket.status, Action.EXPIRE)
        uow.record(EventKind.EXPIRED, ticket=ticket)
    for window in windows_of(uow.session, site):
        for post in list(window.posts):
            uow.session.delete(post)
            uow.record(EventKind.POST_SIGNED_OUT, window=window, post=post.post,
                       staff=post.staff_id, reason="day_end")
        uow.session.expire(window, ["posts"])
        if window.state != WindowState.CLOSED:
            window.state, window.pause_reason, window.state_since = WindowState.CLOSED, None, uow.now
            uow.record(EventKind.WINDOW_CLOSED, window=window, reason="day_end")
        window.priority_streak = 0
    uow.session.flush()
    site.service_date = day
    uow.record(EventKind.DAY_STARTED, service_date=day.isoformat())

