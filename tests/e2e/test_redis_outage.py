"""Redis down stops nothing that does not need it: with Redis as the message queue and the
rate-limit store (the scale-out settings), issuing and calling go on while it is away, health
says so, and screens get the calls again once it is back."""
from __future__ import annotations

import shutil
import subprocess
import time

import pytest
import requests
import socketio

from .conftest import Client
from .server import eventually, free_port, start_server


class RedisServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                import redis
                redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
                return
            except Exception:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@pytest.fixture
def redis_and_hall(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (make test installs it)")
    redis_server = RedisServer()
    redis_server.start()
    hall = start_server(tmp_path, f"sqlite:///{tmp_path / 'hall.db'}",
                        message_queue=redis_server.url, rate_limit_storage=redis_server.url)
    yield redis_server, hall
    hall.stop()
    redis_server.stop()


def test_issuing_and_calling_go_on_while_redis_is_down(redis_and_hall):
    redis_server, hall = redis_and_hall
    health = lambda: requests.get(hall.url + "/api/v1/health", timeout=10).json()
    assert health()["redis"] == "ok"
    events = []
    screen = socketio.Client(reconnection=False)
    screen.on("event", events.append)
    screen.connect(hall.url, auth={"token": hall.tokens["hall-1"]}, wait_timeout=10,
                   transports=["websocket"])
    try:
        kiosk = Client(hall.url).as_device(hall.tokens["kiosk-1"])
        staff = Client(hall.url).login("staff1", hall.passwords["staff1"])
        staff.post("/api/v1/sites/test/windows/2/sign-in", {"post": "A"})
        staff.post("/api/v1/sites/test/windows/2/open")
        redis_server.stop()

        issued = [kiosk.post("/api/v1/sites/test/tickets", {"category": "social"})
                  for _ in range(5)]
        assert [r.status_code for r in issued] == [201] * 5
        called = staff.post("/api/v1/sites/test/windows/2/call-next")
        assert called.status_code == 200 and called.json()["id"] == issued[0].json()["id"]
        assert health()["redis"] == "unreachable"

        redis_server.start()  # same port: the queue's listener reconnects by itself
        assert eventually(lambda: health()["redis"] == "ok", 15)
        staff.post(f"/api/v1/sites/test/tickets/{called.json()['id']}/no-show")

        def next_call_reaches_the_screen() -> bool:
            answer = staff.post("/api/v1/sites/test/windows/2/call-next").json()
            staff.post(f"/api/v1/sites/test/tickets/{answer['id']}/no-show")
            return eventually(lambda: any(e["type"] == "called" and e["ticket_id"] == answer["id"]
                                        for e in events), 3)

        assert eventually(next_call_reaches_the_screen, 20)
        # What the screen missed while Redis was away is in the event log it resyncs from.
        missed = staff.get("/api/v1/sites/test/events?since=0&limit=500").json()["events"]
        assert any(e["type"] == "called" and e["ticket_id"] == called.json()["id"] for e in missed)
    finally:
        screen.disconnect()
