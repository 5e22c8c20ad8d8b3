"""The QR code on a ticket opens its status on a phone: place in the queue, then the window."""
from __future__ import annotations

import pytest
import requests
import socketio

from ..browser import screenshot
from ..conftest import Client
from ..server import eventually

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_phone_page_follows_the_ticket_until_it_is_called(browser, hall_server, lang):
    kiosk = Client(hall_server.url).as_device(hall_server.tokens["kiosk-1"])
    ticket = kiosk.post("/api/v1/sites/test/tickets", {"category": "realty"}).json()
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10000)
    try:
        page = context.new_page()
        page.goto(f"{hall_server.url}/t/{ticket['status_token']}?lang={lang}")
        page.wait_for_selector("body[data-status='waiting']")
        page.wait_for_selector("body[data-live='1']")  # Socket.IO: no polling from here on
        assert page.get_by_test_id("ticket-number").inner_text() == ticket["number"]
        assert page.get_by_test_id("people-ahead").inner_text() == str(ticket["people_ahead"])
        screenshot(page, f"phone_status_waiting_{lang}")
        staff = Client(hall_server.url).login("staff1", hall_server.passwords["staff1"])
        staff.post("/api/v1/sites/test/windows/4/sign-in", {"post": "A"})
        staff.post("/api/v1/sites/test/windows/4/open")
        while True:  # call realty tickets at window 4 until this one is called
            called = staff.post("/api/v1/sites/test/windows/4/call-next").json()
            assert "id" in called, called
            if called["id"] == ticket["id"]:
                break
            staff.post(f"/api/v1/sites/test/tickets/{called['id']}/no-show")
        page.wait_for_selector("body[data-status='called']", timeout=3000)
        call = page.get_by_test_id("call").inner_text()
        assert call == ("请到 4 号窗口办理" if lang == "zh" else "Please go to window 4")
        screenshot(page, f"phone_status_called_{lang}")
        staff.post(f"/api/v1/sites/test/tickets/{ticket['id']}/no-show")
    finally:
        context.close()


def test_a_phone_gets_only_its_own_ticket_pushed(hall_server):
    kiosk = Client(hall_server.url).as_device(hall_server.tokens["kiosk-1"])
    first = kiosk.post("/api/v1/sites/test/tickets", {"category": "realty"}).json()
    mine = kiosk.post("/api/v1/sites/test/tickets", {"category": "realty"}).json()
    phone = socketio.Client(reconnection=False)
    pushed, hall_events = [], []
    phone.on("ticket", pushed.append)
    phone.on("event", hall_events.append)
    phone.on("snapshot", hall_events.append)
    phone.connect(hall_server.url, auth={"ticket": mine["status_token"]}, wait_timeout=10,
                  transports=["websocket"])
    try:
        assert eventually(lambda: pushed)
        assert pushed[0]["number"] == mine["number"]
        assert pushed[0]["people_ahead"] == first["people_ahead"] + 1
        staff = Client(hall_server.url).login("staff1", hall_server.passwords["staff1"])
        staff.post("/api/v1/sites/test/windows/4/sign-in", {"post": "A"})
        staff.post("/api/v1/sites/test/windows/4/open")
        while True:  # tickets other tests left waiting go first
            called = staff.post("/api/v1/sites/test/windows/4/call-next").json()
            assert "id" in called, called
            if called["id"] == first["id"]:
                break
            staff.post(f"/api/v1/sites/test/tickets/{called['id']}/no-show")
        assert eventually(lambda: pushed[-1]["people_ahead"] == 0 and pushed[-1]["seq"] > pushed[0]["seq"])
        staff.post(f"/api/v1/sites/test/tickets/{first['id']}/no-show")
        called = staff.post("/api/v1/sites/test/windows/4/call-next").json()
        assert called["id"] == mine["id"]
        assert eventually(lambda: pushed[-1]["status"] == "called" and pushed[-1]["window"] == 4)
        assert {p["id"] for p in pushed} == {mine["id"]}  # nothing of the other ticket
        assert hall_events == []  # no hall feed: no staff names, sign-ins or pause reasons
        staff.post(f"/api/v1/sites/test/tickets/{called['id']}/no-show")
        staff.post("/api/v1/sites/test/windows/4/sign-out")
    finally:
        phone.disconnect()


def test_only_a_real_ticket_token_opens_the_live_feed(hall_server):
    stranger = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        stranger.connect(hall_server.url, auth={"ticket": "not-a-ticket"}, wait_timeout=10,
                         transports=["websocket"])


def test_a_poll_that_changed_nothing_is_answered_304(hall_server):
    kiosk = Client(hall_server.url).as_device(hall_server.tokens["kiosk-1"])
    ticket = kiosk.post("/api/v1/sites/test/tickets", {"category": "realty"}).json()
    url = f"{hall_server.url}/api/v1/tickets/{ticket['status_token']}"
    first = requests.get(url, timeout=5)
    assert first.status_code == 200 and first.headers["ETag"]
    same = requests.get(url, headers={"If-None-Match": first.headers["ETag"]}, timeout=5)
    assert same.status_code == 304 and same.content == b""
    kiosk.post("/api/v1/sites/test/tickets", {"category": "realty"})  # the hall moved on
    moved = requests.get(url, headers={"If-None-Match": first.headers["ETag"]}, timeout=5)
    assert moved.status_code == 200 and moved.json()["number"] == ticket["number"]
    assert moved.headers["ETag"] != first.headers["ETag"]
