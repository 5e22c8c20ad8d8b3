"""A watched hall keeps working: with 200 sockets open (screens and applicants' phones), issuing
and calling still answer at once, every screen gets every call, every phone its own ticket."""
from __future__ import annotations

import asyncio
import sqlite3
import threading
import time

import pytest
import requests
import socketio

from .conftest import Client
from .server import sqlite_server

SCREENS, PHONES, CALLS = 20, 180, 12
ANSWER_WITHIN = 3.0  # seconds: what a kiosk or a window would call "at once" on a busy machine


class Crowd:
    """Hundreds of Socket.IO clients on one asyncio loop in a background thread."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.clients: list[socketio.AsyncClient] = []

    def run(self, coroutine, timeout: float = 120):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def connect(self, auths: list[dict], on: dict) -> list[socketio.AsyncClient]:
        async def one(auth):
            client = socketio.AsyncClient(reconnection=False)
            for name, handler in on.items():
                client.on(name, handler(client))
            await client.connect(self.url, auth=auth, transports=["websocket"], wait_timeout=30)
            return client

        async def all_of_them():
            made = []
            for start in range(0, len(auths), 50):
                made += await asyncio.gather(*(one(a) for a in auths[start:start + 50]))
            return made

        made = self.run(all_of_them())
        self.clients += made
        return made

    def close(self) -> None:
        async def disconnect_all():
            await asyncio.gather(*(c.disconnect() for c in self.clients), return_exceptions=True)
        try:
            self.run(disconnect_all(), timeout=60)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    with sqlite_server(tmp_path_factory.mktemp("connections")) as server:
        yield server


def timed(call) -> tuple[float, requests.Response]:
    started = time.monotonic()
    answer = call()
    return time.monotonic() - started, answer


def test_200_open_sockets_leave_issuing_and_calling_prompt(hall):
    kiosk = Client(hall.url).as_device(hall.tokens["kiosk-1"])
    categories = ["social", "social", "realty"]  # (tax has a daily cap of 3 in the test hall)
    tickets = [kiosk.post("/api/v1/sites/test/tickets", {"category": categories[n % 3]}).json()
               for n in range(PHONES)]
    called_seen: dict[int, list[int]] = {}
    pushed: dict[int, list[dict]] = {}
    crowd = Crowd(hall.url)
    try:
        screens = crowd.connect([{"token": hall.tokens["hall-1"]}] * SCREENS, {
            "event": lambda c: lambda e: e["type"] == "called"
            and called_seen.setdefault(id(c), []).append(e["ticket_id"])})
        phones = crowd.connect([{"ticket": t["status_token"]} for t in tickets], {
            "ticket": lambda c: lambda v: pushed.setdefault(id(c), []).append(v)})
        assert all(c.connected for c in screens + phones)
        health = requests.get(hall.url + "/api/v1/health", timeout=10).json()
        assert health["connections"] >= SCREENS + PHONES

        seconds, issued = timed(lambda: kiosk.post("/api/v1/sites/test/tickets", {"category": "social"}))
        assert issued.status_code == 201 and seconds < ANSWER_WITHIN
        staff = Client(hall.url).login("staff1", hall.passwords["staff1"])
        staff.post("/api/v1/sites/test/windows/1/sign-in", {"post": "A"})
        staff.post("/api/v1/sites/test/windows/1/open")
        called_ids = []
        for _ in range(CALLS):
            seconds, called = timed(lambda: staff.post("/api/v1/sites/test/windows/1/call-next"))
            assert called.status_code == 200 and seconds < ANSWER_WITHIN, called.text
            called_ids.append(called.json()["id"])
            staff.post(f"/api/v1/sites/test/tickets/{called_ids[-1]}/no-show")

        def every_screen_has_every_call():
            return all(called_seen.get(id(s), [])[-CALLS:] == called_ids for s in screens)

        deadline = time.monotonic() + 10
        while not every_screen_has_every_call() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert every_screen_has_every_call()
        # Each phone got its ticket on connect, and a called phone learnt it was called.
        by_ticket = {t["id"]: pushed.get(id(p), []) for t, p in zip(tickets, phones)}
        assert all(views and {v["id"] for v in views} == {t} for t, views in by_ticket.items())
        for ticket_id in called_ids:
            if ticket_id in by_ticket:
                assert any(v["status"] == "called" for v in by_ticket[ticket_id])
        staff.post("/api/v1/sites/test/windows/1/close")
    finally:
        crowd.close()
    deadline = time.monotonic() + 10  # health counts open sockets, not closed ones not yet swept
    while requests.get(hall.url + "/api/v1/health", timeout=10).json()["connections"] and \
            time.monotonic() < deadline:
        time.sleep(0.2)
    assert requests.get(hall.url + "/api/v1/health", timeout=10).json()["connections"] == 0


def test_a_write_waiting_on_another_process_does_not_stall_the_server(hall):
    """SQLite makes a writer wait while another process (say `queuehall apply-config`) holds the
    write lock; that wait must not freeze every other connection of the gevent server."""
    kiosk = Client(hall.url).as_device(hall.tokens["kiosk-1"])
    other = sqlite3.connect(hall.folder / "hall.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    answers = {}
    waiting = threading.Thread(target=lambda: answers.update(issued=kiosk.post(
        "/api/v1/sites/test/tickets", {"category": "realty"})))
    try:
        waiting.start()
        time.sleep(0.5)  # the issue is now waiting for the lock
        seconds, health = timed(lambda: requests.get(hall.url + "/api/v1/health", timeout=10))
        assert health.ok and seconds < 1.0
        assert waiting.is_alive()
    finally:
        other.execute("COMMIT")
        other.close()
        waiting.join(15)
    assert answers["issued"].status_code == 201
