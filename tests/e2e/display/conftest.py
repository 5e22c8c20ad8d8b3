"""One running server per module for the screen and console tests, with a window screen per
window 1 and 2; on SQLite and on PostgreSQL (a database of its own)."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
import socketio

from tests.support.hall_toml import screen

from ...conftest import BACKENDS
from ..server import sqlite_server, start_server
from .databases import own_postgres_database

SCREENS = (screen("window-1", "1号窗口屏", "window", window=1)
           + screen("window-2", "2号窗口屏", "window", window=2)
           + screen("evaluator-1", "1号窗口评价器", "evaluator", window=1))


@contextmanager
def running_server(tmp_path_factory, backend: str):
    folder = tmp_path_factory.mktemp(f"display-server-{backend}")
    if backend == "postgresql":
        with own_postgres_database() as url:
            srv = start_server(folder, url, SCREENS)
            try:
                yield srv
            finally:
                srv.stop()
        return
    with sqlite_server(folder, SCREENS) as srv:
        yield srv


@pytest.fixture(scope="module", params=BACKENDS)
def server(request, tmp_path_factory):
    """Each module's screens and consoles against SQLite, then PostgreSQL."""
    with running_server(tmp_path_factory, request.param) as srv:
        yield srv


class Screen:
    """A screen as a python-socketio client: keeps its snapshots and events."""

    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url, token
        self.snapshots: list[dict] = []
        self.events: list[dict] = []
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("snapshot", self.snapshots.append)
        self.sio.on("event", self.events.append)

    def connect(self) -> "Screen":
        self.sio.connect(self.url, auth={"token": self.token}, wait_timeout=10,
                         transports=["websocket"])
        return self

    def wait_for(self, predicate, timeout: float = 5.0):
        for _ in range(int(timeout / 0.05)):
            found = predicate(self)
            if found:
                return found
            self.sio.sleep(0.05)
        raise AssertionError("screen did not receive what was expected")

    def close(self) -> None:
        self.sio.disconnect()


@pytest.fixture
def screen(server):
    opened: list[Screen] = []

    def open_screen(device: str = "hall-1") -> Screen:
        s = Screen(server.url, server.tokens[device]).connect()
        opened.append(s)
        return s
    yield open_screen
    for s in opened:
        s.close()
