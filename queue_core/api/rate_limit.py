"""Rate limit on issuing, per device (kiosk) or staff account; storage from config (Redis at scale)."""
from __future__ import annotations

import hashlib
import time

from flask import current_app, request
from flask_limiter import Limiter
from flask_login import current_user
from limits.storage import MemoryStorage

from .auth import bearer_token


def _caller_key() -> str:
    token = bearer_token()
    if token:
        return "device:" + hashlib.sha256(token.encode()).hexdigest()[:24]
    if current_user.is_authenticated:
        return f"staff:{current_user.staff_id}"
    return f"ip:{request.remote_addr}"


limiter = Limiter(key_func=_caller_key, default_limits=[])

issue_limit = limiter.limit(lambda: current_app.config["ISSUE_RATE_LIMIT"],
                            key_func=_caller_key)


class SweepingMemoryStorage(MemoryStorage):
    """In-process counters (`memory://` in config). limits' own memory storage starts a timer
    thread on nearly every hit to drop expired keys, which costs milliseconds per request under
    load; reads already ignore expired keys, so sweeping once a second in the caller is enough."""

    STORAGE_SCHEME = ["sweeping-memory"]
    SWEEP_SECONDS = 1.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options) -> None:
        super().__init__(uri, wrap_exceptions, **options)
        self._last_sweep = 0.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # replaces the timer-thread scheduler
        now = time.monotonic()
        if now - self._last_sweep >= self.SWEEP_SECONDS:
            self._last_sweep = now
            self._MemoryStorage__expire_events()


def storage_uri(configured: str) -> str:
    return configured.replace("memory://", "sweeping-memory://", 1) \
        if configured.startswith("memory://") else configured
