"""Applicants' phones follow their own ticket: after each commit the publisher only notes what
changed; one background task per process works the views out (a burst of calls coalesces into
one read) and sends each ticket its own update in its room. No phone re-reads its status per
hall event, and no phone sees another ticket or the hall's staff events."""
from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from ..adapters.clock import Clock
from ..adapters.db import Database
from ..adapters.publisher import ticket_room
from ..service.ticket_feed import Change, phone_views

log = logging.getLogger(__name__)

YIELD_EVERY = 50  # phone updates sent between two chances for requests to run


class PhoneFeed:
    """A publisher for phones. `spread`: a message queue carries emits to other processes, so
    every view is sent; alone, only tickets with a phone connected here are worked out."""

    def __init__(self, socketio, db: Database, clock: Clock, *, spread: bool) -> None:
        self.socketio, self.db, self.clock, self.spread = socketio, db, clock, spread
        self._pending: dict[str, Change] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._running = False
        self._sent: dict[int, tuple] = {}  # alone: what each watched ticket was last sent

    def publish(self, site_code: str, events: Sequence[dict]) -> None:
        with self._lock:
            self._pending.setdefault(site_code, Change()).add(events)
            start, self._running = not self._running, True
        if start:
            self.socketio.start_background_task(self._run)
        self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            with self._lock:
                pending, self._pending = self._pending, {}
            for site_code, change in pending.items():
                try:
                    self.push(site_code, change)
                except Exception:  # a bad moment of the database must not end the feed
                    log.exception("phone updates of site %s failed", site_code)

    def push(self, site_code: str, change: Change) -> int:
        """Send the changed tickets' views; returns how many were sent."""
        watched = None if self.spread else self._watched_here()
        if watched == set():
            self._sent.clear()
            return 0
        audience = None
        if watched is not None:
            audience = {int(room.removeprefix("ticket:")) for room in watched}
            change = change.watched(audience)
        if not change:
            return 0
        with self.db.reader() as session:
            views = phone_views(session, site_code, self.clock.now(), change, audience)
        sent = 0
        for n, (ticket_id, view) in enumerate(views.items()):
            if n % YIELD_EVERY == YIELD_EVERY - 1:
                self.socketio.sleep(0)  # let a kiosk's or a window's request in meanwhile
            room = ticket_room(ticket_id)
            if watched is not None:  # alone, an unchanged view need not go out again
                if room not in watched or self._sent.get(ticket_id) == _live(view):
                    continue
                self._sent[ticket_id] = _live(view)
            self.socketio.emit("ticket", view, to=room)
            sent += 1
        if watched is not None:
            for ticket_id in [t for t in self._sent if ticket_room(t) not in watched]:
                del self._sent[ticket_id]
        return sent

    def _watched_here(self) -> set[str]:
        """Ticket rooms with a phone connected to this process."""
        rooms = self.socketio.server.manager.rooms.get("/", {})
        return {room for room, members in list(rooms.items())
                if isinstance(room, str) and room.startswith("ticket:") and members}


def _live(view: dict) -> tuple:
    """The part of a view a phone shows (not its event number)."""
    estimate = view["estimated_wait_minutes"]
    return (view["status"], view["window"], view["people_ahead"],
            estimate and (estimate["low"], estimate["high"], estimate.get("basis")))
