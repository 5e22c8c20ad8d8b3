"""A console's socket lives no longer than its session. Signing out, a password change, a
deactivation or the idle limit ends the session on the server (service/accounts); each process
then drops the sockets it holds for ended sessions at its next sweep (supervision.sweep_once, every
sweep_seconds), so a copied cookie's socket stops receiving the hall's feed too. Each process sees
only its own sockets, which is all it can disconnect: no coordination between instances."""
from __future__ import annotations

import threading
from datetime import timedelta

from ..adapters.clock import Clock
from ..adapters.db import Database
from ..service import accounts


class ConsoleSockets:
    def __init__(self, socketio, db: Database, clock: Clock, idle: timedelta) -> None:
        self.socketio, self.db, self.clock, self.idle = socketio, db, clock, idle
        self._sessions: dict[str, str] = {}  # socket id -> the console session's id
        self._lock = threading.Lock()

    def connected(self, sid: str, session_id: str) -> None:
        with self._lock:
            self._sessions[sid] = session_id

    def disconnected(self, sid: str) -> None:
        with self._lock:
            self._sessions.pop(sid, None)

    def sweep(self) -> list[str]:
        """Disconnect the sockets whose session has ended; returns their socket ids."""
        with self._lock:
            held = dict(self._sessions)
        if not held:
            return []
        still_open = accounts.open_session_ids(self.db, set(held.values()), self.clock.now(),
                                               self.idle)
        ended = [sid for sid, session_id in held.items() if session_id not in still_open]
        for sid in ended:
            self.disconnected(sid)
            self.socketio.server.disconnect(sid, namespace="/")
        return ended
