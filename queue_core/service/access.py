"""Who may act where: devices and staff on their own site, staff only at the window they are
signed in to, managers at any window of their site, an admin anywhere."""
from __future__ import annotations

from sqlalchemy import select

from ..adapters.orm import Site, Ticket, Window
from ..domain.errors import Forbidden, NotSignedIn, WindowBusy
from ..domain.model import TicketStatus
from .unit_of_work import Actor, UnitOfWork


BUSY = (TicketStatus.CALLED, TicketStatus.SERVING)
AT_WINDOW = (*BUSY, TicketStatus.SUSPENDED)  # the window's own: parked there, not back in a queue


def require_site(actor: Actor | None, site_id: int) -> None:
    """Kiosks, screens, staff and managers act only on their own site; an admin (no site) and
    the system on any. Nobody signed in (`None`) is the rights table's business, not this one's."""
    if actor is not None and actor.site_id is not None and actor.site_id != site_id:
        raise Forbidden(action="other_site")


def require_idle(uow: UnitOfWork, window: Window, except_id: int | None = None) -> None:
    """Refuse while the window still has a called or serving ticket (other than `except_id`)."""
    current = uow.session.scalars(select(Ticket).where(
        Ticket.window_id == window.id, Ticket.status.in_([str(s) for s in BUSY]))).first()
    if current is not None and current.id != except_id:
        raise WindowBusy(window=window.number, number=current.number)


def post_of(window: Window, actor: Actor) -> str | None:
    return next((p.post for p in window.posts if p.staff_id == actor.id), None) \
        if actor.kind == "staff" else None


def require_window(window: Window, actor: Actor) -> str | None:
    """The actor's post at the window (None for a manager who is not signed in there)."""
    require_site(actor, window.site_id)
    post = post_of(window, actor)
    if post is not None or actor.is_manager:
        return post
    if actor.kind != "staff":
        raise Forbidden(action="window_action")
    raise NotSignedIn(window=window.number)


def require_staff(actor: Actor, site: Site) -> None:
    if actor.kind not in ("staff", "system"):
        raise Forbidden(action="staff_only")
    require_site(actor, site.id)


def require_manager(actor: Actor, site: Site) -> None:
    require_staff(actor, site)
    if not actor.is_manager:
        raise Forbidden(action="manager_only")
