"""The manager's API on the real server: rebalancing over HTTP with a session and CSRF token,
staff refused, bad input answered in JSON, and alerts (电子监察) live over Socket.IO."""
from __future__ import annotations

import time

import pytest
import socketio

from ..conftest import BACKENDS, database_url
from .conftest import Client
from .server import start_server

SITE = "/api/v1/sites/test"


@pytest.fixture(scope="module", params=BACKENDS)
def server(request, tmp_path_factory):
    """The test hall with a quick alert sweep, so the background task is seen working."""
    folder = tmp_path_factory.mktemp(f"manager-{request.param}")
    srv = start_server(folder, database_url(request.param, folder),
                       site_extra="\n[sites.alerts]\nsweep_seconds = 5\nclear_after_seconds = 3\n")
    yield srv
    srv.stop()


@pytest.fixture
def manager(server) -> Client:
    return Client(server.url).login("manager", server.passwords["manager"])


class Listener:
    """A manager console's Socket.IO connection to the site room, keeping every event."""

    def __init__(self, server, client: Client) -> None:
        self.events: list[dict] = []
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("event", self.events.append)
        cookie = "; ".join(f"{c.name}={c.value}" for c in client.http.cookies)
        self.sio.connect(server.url, headers={"Cookie": cookie}, auth={"site": "test"},
                         wait_timeout=10, transports=["websocket"])

    def wait_for(self, match, deadline_seconds: float = 20) -> dict:
        """The first event matching `match`, waiting for it to arrive (not a timing check)."""
        deadline = time.monotonic() + deadline_seconds
        while time.monotonic() < deadline:
            found = next((e for e in self.events if match(e)), None)
            if found:
                return found
            self.sio.sleep(0.1)
        raise AssertionError(f"no such event among {[e['type'] for e in self.events]}")

    def close(self) -> None:
        self.sio.disconnect()


@pytest.fixture
def listener(server, manager):
    live = Listener(server, manager)
    yield live
    live.close()


def poll(get, until, deadline_seconds: float = 60):
    """Ask again until the answer satisfies `until` (the sweep runs in the background)."""
    deadline = time.monotonic() + deadline_seconds
    while True:
        answer = get()
        if until(answer) or time.monotonic() > deadline:
            return answer
        time.sleep(0.5)


def test_manager_rebalances_and_the_next_call_follows(server, manager, listener, kiosk_client,
                                                      staff_client):
    ticket = kiosk_client.post(f"{SITE}/tickets", {"category": "tax"}).json()
    r = manager.post(f"{SITE}/windows/2/categories", {"a": ["tax"], "b": ["social"]})
    assert r.status_code == 200, r.text
    assert (r.json()["a_categories"], r.json()["b_categories"]) == (["tax"], ["social"])
    staff = staff_client("staff1")
    staff.post(f"{SITE}/windows/2/sign-in", {"post": "A"})
    staff.post(f"{SITE}/windows/2/open")
    called = staff.post(f"{SITE}/windows/2/call-next").json()
    assert called["number"] == ticket["number"]
    event = listener.wait_for(lambda e: e["type"] == "rebalanced"
                              and e["change"] == "window_categories")
    assert event["window"] == 2 and event["by"]["name"] == "王经理"

    row = manager.post(f"{SITE}/categories/realty/backup", {"override": True}).json()
    assert (row["code"], row["backup_override"]) == ("realty", True)
    row = manager.post(f"{SITE}/categories/realty/backup", {"override": None}).json()
    assert row["backup_override"] is None
    row = manager.post(f"{SITE}/categories/social/daily-cap", {"daily_cap": 300}).json()
    assert (row["daily_cap"], row["available"]) == (300, True)

    first = kiosk_client.post(f"{SITE}/tickets", {"category": "social"}).json()
    moved = manager.post(f"{SITE}/categories/social/move-waiting", {"to": "realty", "count": 1})
    assert moved.status_code == 200, moved.text
    assert moved.json() == {"moved": 1, "numbers": [first["number"]]}
    waiting = staff.get(f"{SITE}/tickets?category=realty").json()["tickets"]
    assert [t["number"] for t in waiting] == [first["number"]]
    listener.wait_for(lambda e: e["type"] == "rebalanced" and e["change"] == "move_waiting")

    trail = manager.get(f"{SITE}/audit?limit=20").json()
    assert [e["seq"] for e in trail] == sorted((e["seq"] for e in trail), reverse=True)
    changes = [e["change"] for e in trail if e["type"] == "rebalanced"]
    assert changes[:4] == ["move_waiting", "daily_cap", "backup_override", "backup_override"]
    assert all(e["by"]["name"] == "王经理" for e in trail if e["type"] == "rebalanced")


def test_manager_opens_and_pauses_a_window_without_signing_in(server, manager):
    r = manager.post(f"{SITE}/windows/4/open")
    assert r.status_code == 200 and r.json()["state"] == "open"
    r = manager.post(f"{SITE}/windows/4/pause", {"reason": "高峰调配"})
    assert (r.json()["state"], r.json()["pause_reason"]) == ("paused", "高峰调配")
    event = next(e for e in manager.get(f"{SITE}/audit?limit=5").json()
                 if e["type"] == "window_paused")
    assert event["by"]["name"] == "王经理" and event["window"] == 4
    manager.post(f"{SITE}/windows/4/close")


def test_staff_and_devices_may_not_rebalance(server, staff_client, kiosk_client):
    staff = staff_client("staff2")
    for path, body in [("windows/1/categories", {"a": ["tax"]}),
                       ("categories/tax/backup", {"override": True}),
                       ("categories/tax/daily-cap", {"daily_cap": 10}),
                       ("categories/tax/move-waiting", {"to": "social"})]:
        for caller in (staff, kiosk_client):
            r = caller.post(f"{SITE}/{path}", body)
            assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden", (path, r.text)
    assert staff.get(f"{SITE}/alerts").status_code == 403
    assert Client(server.url).get(f"{SITE}/audit").status_code == 401


def test_bad_rebalancing_input_is_a_clear_json_error(server, manager, kiosk_client):
    en = Client(server.url, lang="en").login("manager", server.passwords["manager"])
    cases = [
        (manager, "windows/1/categories", {"a": []}, 400, "invalid_input"),
        (manager, "windows/1/categories", {"a": ["tax"], "b": ["tax"]}, 400,
         "category_in_both_posts"),
        (manager, "windows/1/categories", {"a": ["nope"]}, 404, "not_found"),
        (manager, "windows/99/categories", {"a": ["tax"]}, 404, "not_found"),
        (manager, "categories/tax/backup", {"override": "yes"}, 400, "invalid_input"),
        (manager, "categories/tax/backup", {}, 400, "invalid_input"),
        (manager, "categories/tax/daily-cap", {"daily_cap": -1}, 400, "invalid_input"),
        (manager, "categories/nope/daily-cap", {"daily_cap": 5}, 404, "not_found"),
        (manager, "categories/tax/move-waiting", {"to": "tax"}, 400, "invalid_input"),
        (manager, "categories/tax/move-waiting", {"to": "social", "count": 0}, 400,
         "invalid_input"),
    ]
    for client, path, body, status, code in cases:
        r = client.post(f"{SITE}/{path}", body)
        assert (r.status_code, r.json().get("error", {}).get("code")) == (status, code), (
            path, body, r.text)
    for _ in range(3):   # tax's cap is 3 in the test hall; earlier tests may have issued some
        kiosk_client.post(f"{SITE}/tickets", {"category": "tax"})
    zh = manager.post(f"{SITE}/categories/tax/daily-cap", {"daily_cap": 0})
    assert zh.status_code == 409 and zh.json()["error"]["code"] == "cap_below_issued"
    assert "限号不能低于" in zh.json()["error"]["message"]
    english = en.post(f"{SITE}/categories/tax/daily-cap", {"daily_cap": 0}).json()["error"]
    assert "cannot be lower" in english["message"]
    broken = manager.post(f"{SITE}/categories/tax/daily-cap", data="{not json",
                          headers={"Content-Type": "application/json"})
    assert broken.status_code == 400 and broken.json()["error"]["code"] == "invalid_json"


def test_paper_out_alerts_the_manager_at_once_and_is_acknowledged(server, manager, listener,
                                                                  kiosk_client, staff_client):
    r = kiosk_client.post(f"{SITE}/printers/kiosk-1/status", {"status": "paper_out"})
    assert r.status_code == 200, r.text
    raised = listener.wait_for(lambda e: e["type"] == "alert_raised"
                               and e["kind"] == "printer_fault")
    assert raised["subject"] == "kiosk-1" and raised["detail"]["status"] == "paper_out"
    open_alerts = manager.get(f"{SITE}/alerts?open=1").json()
    [alert] = [a for a in open_alerts if a["kind"] == "printer_fault"]
    assert alert["id"] == raised["alert"] and alert["acknowledged_by"] is None

    refused = staff_client("staff3").post(f"{SITE}/alerts/{alert['id']}/acknowledge")
    assert refused.status_code == 403
    acked = manager.post(f"{SITE}/alerts/{alert['id']}/acknowledge")
    assert acked.status_code == 200, acked.text
    assert acked.json()["acknowledged_by"]["name"] == "王经理"
    assert acked.json()["cleared_at"] is None
    assert manager.post(f"{SITE}/alerts/999999/acknowledge").status_code == 404

    kiosk = {d["code"]: d for d in manager.get(f"{SITE}/devices").json()}["kiosk-1"]
    assert kiosk["online"] is True and kiosk["printer"] == {"code": "kiosk-1",
                                                          "status": "paper_out"}

    kiosk_client.post(f"{SITE}/printers/kiosk-1/status", {"status": "online"})
    listener.wait_for(lambda e: e["type"] == "alert_cleared" and e["alert"] == alert["id"])
    kept = [a for a in manager.get(f"{SITE}/alerts").json() if a["id"] == alert["id"]]
    assert kept and kept[0]["cleared_at"] and kept[0]["acknowledged_by"]["name"] == "王经理"


def test_background_sweep_reports_a_screen_offline_until_it_connects(server, manager):
    def screen_alerts():
        return [a for a in manager.get(f"{SITE}/alerts?open=1").json()
                if a["kind"] == "screen_offline" and a["subject"] == "hall-1"]

    assert poll(screen_alerts, bool), "the sweep never reported the unseen hall screen"
    screen = socketio.Client(reconnection=False)
    screen.connect(server.url, auth={"token": server.tokens["hall-1"]}, wait_timeout=10,
                   transports=["websocket"])
    try:
        assert poll(screen_alerts, lambda found: not found) == []
        hall_screen = {d["code"]: d for d in manager.get(f"{SITE}/devices").json()}["hall-1"]
        assert hall_screen["online"] is True and hall_screen["kind"] == "hall_screen"
    finally:
        screen.disconnect()
