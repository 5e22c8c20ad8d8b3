"""Device presence: when a kiosk or screen was last seen, for the devices list and the
screen-offline alert. Written at most once per device per interval, never per request."""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError

from ..adapters.clock import Clock
from ..adapters.db import Database
from ..adapters.orm import Device

log = logging.getLogger(__name__)
WRITE_EVERY = timedelta(seconds=30)


class Presence:
    """Per process: devices seen by this process, and the Socket.IO connections of screens
    (a connected screen is seen for as long as it stays connected)."""

    def __init__(self, db: Database, clock: Clock, every: timedelta = WRITE_EVERY) -> None:
        self.db, self.clock, self.every = db, clock, every
        self._written: dict[int, datetime] = {}
        self._connections: dict[str, int] = {}   # Socket.IO session id → device id
        self._lock = threading.Lock()

    def seen(self, device_ids: Iterable[int]) -> None:
        """Record that these devices are alive now (skipping those written recently)."""
        now = self.clock.now()
        with self._lock:
            due = sorted({d for d in device_ids
                          if d not in self._written or now - self._written[d] >= self.every})
            for d in due:
                self._written[d] = now
        if not due:
            return
        try:
            with self.db.write_lock(), self.db.writer() as session:
                session.execute(update(Device).where(Device.id.in_(due)).values(last_seen=now))
                session.commit()
        except SQLAlchemyError:  # presence is best effort: never fail the request it rides on
            log.exception("could not record last_seen of devices %s", due)
            with self._lock:
                for d in due:
                    self._written.pop(d, None)

    def connected(self, sid: str, device_id: int) -> None:
        with self._lock:
            self._connections[sid] = device_id
        self.seen([device_id])

    def disconnected(self, sid: str) -> None:
        with self._lock:
            self._connections.pop(sid, None)

    def refresh_connected(self) -> None:
        """Called by the periodic sweep: every screen still connected is seen."""
        with self._lock:
            ids = set(self._connections.values())
        self.seen(ids)
