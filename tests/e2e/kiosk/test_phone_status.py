"""The QR code on a ticket opens its status on a phone: place in the queue, then the window."""
from __future__ import annotations

import time

import pytest
import socketio

from ..browser import screenshot
from ..conftest import Client

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
        page.wait_for_selector("body[data-live='1']")  # Socket.IO: no 3 s polling from here on
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


def test_only_a_real_ticket_token_opens_the_live_feed(hall_server):
    kiosk = Client(hall_server.url).as_device(hall_server.tokens["kiosk-1"])
    ticket = kiosk.post("/api/v1/sites/test/tickets", {"category": "social"}).json()
    phone = socketio.Client(reconnection=False)
    hello = []
    phone.on("hello", hello.append)
    phone.connect(hall_server.url, auth={"ticket": ticket["status_token"]}, wait_timeout=10,
                  transports=["websocket"])
    try:
        deadline = time.monotonic() + 5
        while not hello and time.monotonic() < deadline:
            time.sleep(0.05)
        assert hello and hello[0]["site"] == "test"
    finally:
        phone.disconnect()
    stranger = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        stranger.connect(hall_server.url, auth={"ticket": "not-a-ticket"}, wait_timeout=10,
                         transports=["websocket"])
