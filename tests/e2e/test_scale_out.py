"""Two server processes on one PostgreSQL database and one Redis: a call made through one
reaches a screen connected to the other, and numbering stays exact across both."""
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import socketio

from ..conftest import PG_URL, database_url
from .conftest import Client
from .server import free_port, start_server

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def redis_url():
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (make test installs it)")
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def two_servers(redis_url, tmp_path_factory):
    if not PG_URL:
        pytest.skip("QUEUEHALL_TEST_PG_URL is not set (make test sets it)")
    folder = tmp_path_factory.mktemp("scale")
    url = database_url("postgresql", folder)
    shared = {"message_queue": redis_url, "rate_limit_storage": redis_url,
              "secret_key_file": str(folder / "secret_key")}
    first = start_server(folder / "a", url, **shared)
    # The second `queuehall demo` renews the demo passwords and tokens: use its credentials.
    second = start_server(folder / "b", url, **shared)
    yield first, second
    first.stop()
    second.stop()


def test_call_through_one_instance_reaches_a_screen_on_the_other(two_servers):
    first, second = two_servers
    received = []
    screen = socketio.Client(reconnection=False)
    screen.on("event", received.append)
    screen.connect(second.url, auth={"token": second.tokens["hall-1"]}, wait_timeout=10,
                   transports=["websocket"])
    try:
        kiosk = Client(first.url).as_device(second.tokens["kiosk-1"])
        ticket = kiosk.post("/api/v1/sites/test/tickets", {"category": "social"}).json()
        staff = Client(first.url).login("staff1", second.passwords["staff1"])
        staff.post("/api/v1/sites/test/windows/2/sign-in", {"post": "A"})
        staff.post("/api/v1/sites/test/windows/2/open")
        assert staff.post("/api/v1/sites/test/windows/2/call-next").json()["id"] == ticket["id"]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any(e["type"] == "called" for e in received):
            screen.sleep(0.1)
        called = [e for e in received if e["type"] == "called"]
        assert called and called[0]["number"] == ticket["number"] and called[0]["window"] == 2
    finally:
        screen.disconnect()


def test_a_phone_on_one_instance_follows_its_ticket_called_through_the_other(two_servers):
    first, second = two_servers
    kiosk = Client(first.url).as_device(second.tokens["kiosk-1"])
    ahead = kiosk.post("/api/v1/sites/test/tickets", {"category": "social"}).json()
    mine = kiosk.post("/api/v1/sites/test/tickets", {"category": "social"}).json()
    pushed = []
    phone = socketio.Client(reconnection=False)
    phone.on("ticket", pushed.append)
    phone.connect(second.url, auth={"ticket": mine["status_token"]}, wait_timeout=10,
                  transports=["websocket"])
    try:
        staff = Client(first.url).login("staff2", second.passwords["staff2"])
        staff.post("/api/v1/sites/test/windows/1/sign-in", {"post": "A"})
        staff.post("/api/v1/sites/test/windows/1/open")
        called = []
        while not called or called[-1] != mine["id"]:
            answer = staff.post("/api/v1/sites/test/windows/1/call-next").json()
            assert "id" in answer, answer
            called.append(answer["id"])
            staff.post(f"/api/v1/sites/test/tickets/{called[-1]}/no-show")
        assert ahead["id"] in called
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any(v["status"] == "no_show" for v in pushed):
            phone.sleep(0.1)
        statuses = [v["status"] for v in pushed]
        assert statuses[0] == "waiting" and "called" in statuses and statuses[-1] == "no_show"
        assert {v["id"] for v in pushed} == {mine["id"]}
    finally:
        phone.disconnect()


def test_numbers_stay_unique_when_two_instances_issue_at_once(two_servers):
    first, second = two_servers
    token = second.tokens["kiosk-1"]

    def issue_many(base: str) -> list[str]:
        kiosk = Client(base).as_device(token)
        return [kiosk.post("/api/v1/sites/test/tickets", {"category": "tax" if i % 2 else "realty"})
                .json().get("number") for i in range(20)]

    with ThreadPoolExecutor(4) as pool:
        numbers = [n for batch in pool.map(issue_many, [first.url, second.url] * 2) for n in batch]
    issued = [n for n in numbers if n]
    assert len(issued) == len(set(issued))
    realty = sorted(n for n in issued if n.startswith("C"))
    assert realty == [f"C{i:03d}" for i in range(1, len(realty) + 1)]
