"""Redis between server processes: Socket.IO's message queue and the shared rate-limit counters.
Redis is a convenience at scale, not a part the hall stops without: connections give up fast,
rate limits fall back to each process, and health says when Redis is unreachable."""
from __future__ import annotations

import logging

import redis
import socketio

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 1.0  # seconds: an unreachable Redis must not hold an issue or a call for long


def socketio_manager(url: str) -> socketio.RedisManager | None:
    """Socket.IO's Redis queue for `url` (None: one process, no queue). A publish while Redis is
    down is logged and dropped; screens catch up from the event log when events flow again."""
    if not url:
        return None
    return socketio.RedisManager(url, channel="flask-socketio",
                                 redis_options={"socket_connect_timeout": CONNECT_TIMEOUT})


def uses_redis(url: str) -> bool:
    return url.startswith(("redis://", "rediss://"))


def redis_state(urls: list[str]) -> str | None:
    """"ok", "unreachable", or None when nothing here uses Redis."""
    used = sorted({u for u in urls if uses_redis(u)})
    if not used:
        return None
    for url in used:
        try:
            redis.Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT,
                                 socket_timeout=CONNECT_TIMEOUT).ping()
        except redis.RedisError as exc:
            log.warning("Redis at %s is unreachable: %s", url.split("@")[-1], exc)
            return "unreachable"
    return "ok"
