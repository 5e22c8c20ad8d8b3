"""Sends committed events to the Socket.IO room of their site."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ..domain.events import as_seen_by_devices


def site_room(site_code: str) -> str:
    """Screens and pads of a site: every event, those for people only as placeholders."""
    return f"site:{site_code}"


def staff_room(site_code: str) -> str:
    """The consoles of a site: every event in full."""
    return f"staff:{site_code}"


def ticket_room(ticket_id: int) -> str:
    """The phones following one ticket: only that ticket's own status."""
    return f"ticket:{ticket_id}"


class Publisher(Protocol):
    def publish(self, site_code: str, events: Sequence[dict]) -> None: ...


class NullPublisher:
    """For the CLI and for service tests: keeps what would have been sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict]] = []

    def publish(self, site_code: str, events: Sequence[dict]) -> None:
        self.sent.extend((site_code, e) for e in events)


class Publishers:
    """Several publishers in order (the screens' feed, then the phones')."""

    def __init__(self, *publishers: Publisher) -> None:
        self.publishers = publishers

    def publish(self, site_code: str, events: Sequence[dict]) -> None:
        for publisher in self.publishers:
            publisher.publish(site_code, events)


class SocketIOPublisher:
    def __init__(self, socketio) -> None:
        self.socketio = socketio

    def publish(self, site_code: str, events: Sequence[dict]) -> None:
        for e in events:
            self.socketio.emit("event", e, to=staff_room(site_code))
            self.socketio.emit("event", as_seen_by_devices(e), to=site_room(site_code))
