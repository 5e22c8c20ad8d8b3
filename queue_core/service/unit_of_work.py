"""One transaction per use case: lock the site, change state, append events, publish after commit."""
from __future__ import annotations

import threading
import weakref
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Executable, Result, bindparam, insert, select, update
from sqlalchemy.orm.attributes import set_committed_value

from ..adapters.clock import Clock
from ..adapters.db import Database
from ..adapters.orm import Event, Site, Ticket, Window
from ..adapters.publisher import Publisher
from ..domain.errors import NotFound
from ..domain.events import EventKind, check_event
from ..domain.rights import Kind


@dataclass(frozen=True)
class Actor:
    """Who asks: a signed-in staff member, a device (kiosk, screen) or the system itself."""

    kind: str                 # staff | device | system
    id: int | None = None
    role: str | None = None   # staff | manager | admin, for staff
    site_id: int | None = None  # None: every site (admin)
    name: str = ""

    @property
    def is_manager(self) -> bool:
        return self.kind == "system" or self.role in ("manager", "admin")

    @property
    def rights_kind(self) -> Kind:
        """The row of the rights table (domain/rights.py) this actor reads: a device by its
        kind, a person by their role; the system itself acts as an administrator."""
        return Kind.ADMIN if self.kind == "system" else Kind(self.role)


SYSTEM = Actor(kind="system", name="system")

_LOCK_SITE = select(Site).where(Site.code == bindparam("code")).with_for_update()


class _Outbox:
    """Committed events of one publisher (one hall: one database and its write lock) waiting to
    be published, in commit order. They are
    queued while the write lock is still held and published once it is released (publishing
    — sockets, phones, the print job's rendering — never delays the next writer); whoever
    publishes drains the queue in order, so screens still get a process's events in sequence."""

    def __init__(self) -> None:
        self.queue: deque[tuple[str, list[dict]]] = deque()
        self.publishing = threading.Lock()

    def publish(self, publisher: Publisher) -> None:
        with self.publishing:
            while self.queue:
                publisher.publish(*self.queue.popleft())


_OUTBOXES: "weakref.WeakKeyDictionary[Publisher, _Outbox]" = weakref.WeakKeyDictionary()
_OUTBOXES_LOCK = threading.Lock()


def _outbox(publisher: Publisher) -> _Outbox:
    with _OUTBOXES_LOCK:
        box = _OUTBOXES.get(publisher)
        if box is None:
            box = _OUTBOXES[publisher] = _Outbox()
        return box


class UnitOfWork:
    """`with UnitOfWork(...) as uow:` — everything inside commits together or not at all."""

    def __init__(self, db: Database, publisher: Publisher, clock: Clock,
                 process: str | None = None) -> None:
        # `process`: who runs this unit of work, for work it leaves to this process (print jobs)
        self.db, self.publisher, self.clock, self.process = db, publisher, clock, process

    def __enter__(self) -> "UnitOfWork":
        self._lock = self.db.write_lock()
        self._lock.__enter__()
        self.session = self.db.writer()
        self.now: datetime = self.clock.now()
        self._events: list[Event] = []
        self._site: Site | None = None
        self._locked: list[Site] = []
        self._committed = False
        self._connection: Connection | None = None
        return self

    def __exit__(self, *exc: object) -> None:
        self._release()
        if self._committed:
            self._committed = False
            _outbox(self.publisher).publish(self.publisher)

    def _release(self) -> None:
        """End the transaction (rolled back unless committed) and let the next writer in."""
        try:
            self.session.rollback()
            self.session.close()
        finally:
            self._lock.__exit__(None, None, None)

    @property
    def connection(self) -> Connection:
        """The transaction's own connection, for the hot path's Core statements: without the
        session's per-statement work (which cost about as much as SQLite running them). Like a
        Core statement through the session, nothing run on it flushes pending ORM changes."""
        if self._connection is None:
            self._connection = self.session.connection()
        return self._connection

    def execute(self, statement: Executable, params: dict | None = None) -> Result:
        return self.connection.execute(statement, params)

    def lock_site(self, code: str) -> Site:
        """Take the site's write lock: per-site changes, and so event numbers, are serialized."""
        site = self.session.scalars(_LOCK_SITE, {"code": code}).first()
        if site is None:
            raise NotFound(what="site", key=code)
        self._site = site
        self._locked.append(site)
        # Time is read again now that the lock is ours: a ticket's times must follow its number
        # (PostgreSQL queues writers on this row lock, after `__enter__` read the clock).
        self.now = self.clock.now()
        return site

    def record(self, type_: EventKind, *, ticket: Ticket | None = None,
               window: Window | None = None, actor: Actor | None = None,
               **payload: Any) -> dict:
        """Append an event with the next sequence number of the locked site; its kind and
        fields must be those declared in domain/events.py (ValueError otherwise)."""
        site = self._site
        assert site is not None, "lock_site() first"
        type_ = check_event(type_, set(payload), ticket is not None, window is not None).value
        # The site's counter moves here and is written once, at commit; the event is one Core
        # insert now (the ORM's flush of both cost several times as much, inside the lock).
        set_committed_value(site, "event_seq", site.event_seq + 1)
        if ticket is not None:
            payload = {"number": ticket.number, "category": ticket.category.code,
                       "priority_class": ticket.priority_class, "status": ticket.status, **payload}
        if window is not None:
            payload = {"window": window.number, **payload}
        if actor is not None and actor.kind != "system":
            payload = {"by": {"kind": actor.kind, "id": actor.id, "name": actor.name}, **payload}
        event = {"site_id": site.id, "seq": site.event_seq, "type": type_, "at": self.now,
                 "ticket_id": ticket.id if ticket else None,
                 "window_id": window.id if window else None,
                 "staff_id": actor.id if actor and actor.kind == "staff" else None,
                 "payload": payload}
        self.execute(_INSERT_EVENT, event)
        self._events.append(event)
        return event

    def commit(self) -> None:
        # Most use cases touch one site; an account's change may be recorded on several.
        codes = {site.id: site.code for site in self._locked}
        for site in {id(site): site for site in self._locked}.values():
            if any(e["site_id"] == site.id for e in self._events):
                self.execute(_SET_EVENT_SEQ, {"of_site": site.id, "seq": site.event_seq})
        self.session.commit()
        self._connection = None
        outbox = _outbox(self.publisher)
        for site_id, code in codes.items():
            events = [_public(**e) for e in self._events if e["site_id"] == site_id]
            if events:
                outbox.queue.append((code, events))  # published by __exit__
                self._committed = True
        self._events = []


_INSERT_EVENT = insert(Event.__table__)
_SET_EVENT_SEQ = (update(Site.__table__).where(Site.__table__.c.id == bindparam("of_site"))
                  .values(event_seq=bindparam("seq")))


def event_json(event: Event) -> dict:
    """The public form of an event: what screens and the events API receive."""
    return _public(event.seq, event.type, event.at, event.ticket_id, event.payload)


def _public(seq: int, type: str, at: datetime, ticket_id: int | None, payload: dict,
            **_row: object) -> dict:
    return {"seq": seq, "type": type, "at": at.isoformat(), "ticket_id": ticket_id, **payload}
