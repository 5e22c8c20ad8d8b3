"""The audit trail for managers: every event of the site with who did it, newest first."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..adapters.orm import Event, Site
from .unit_of_work import event_json


def audit_trail(session: Session, site: Site, since: int = 0, before: int | None = None,
                limit: int = 100) -> list[dict]:
    """Events with seq > `since` (and < `before`, to page back), newest first; each carries
    "by" when a person or device did it."""
    query = (select(Event).where(Event.site_id == site.id, Event.seq > since)
             .order_by(Event.seq.desc()).limit(limit))
    if before is not None:
        query = query.where(Event.seq < before)
    return [event_json(e) for e in session.scalars(query)]
