"""One running server for the screen and console tests, with a window screen per window 1 and 2."""
from __future__ import annotations

import pytest
import socketio

from ..conftest import Client
from ..server import start_server

SCREENS = """
[[sites.screens]]
code = "window-1"
name = "1号窗口屏"
kind = "window"
window = 1

[[sites.screens]]
code = "window-2"
name = "2号窗口屏"
kind = "window"
window = 2

[[sites.screens]]
code = "evaluator-1"
name = "1号窗口评价器"
kind = "evaluator"
window = 1
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("display-server")
    srv = start_server(folder, f"sqlite:///{folder}/hall.db", SCREENS)
    yield srv
    srv.stop()


@pytest.fixture
def kiosk(server) -> Client:
    return Client(server.url).as_device(server.tokens["kiosk-1"])


@pytest.fixture
def staff(server):
    return lambda name="staff1", lang="zh": Client(server.url, lang).login(name, server.passwords[name])


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
