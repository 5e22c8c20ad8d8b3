"""The evaluator pad (评价器) of window 1: after finish it asks for a rating; a bad rating asks
why; the rating is stored with the ticket, once, and only this window's pad may give it."""
from __future__ import annotations

import requests
from playwright.sync_api import expect

from .test_screens_browser import browser  # noqa: F401  (one Chromium per module)
from ..browser import screenshot

PAD = {"width": 1280, "height": 800}


def serve_one(console, kiosk) -> dict:
    kiosk.post("/api/v1/sites/test/tickets", {"category": "social"})
    ticket = console.post("/api/v1/sites/test/windows/1/call-next").json()
    console.post(f"/api/v1/sites/test/tickets/{ticket['id']}/start")
    assert console.post(f"/api/v1/sites/test/tickets/{ticket['id']}/finish").status_code == 200
    return ticket


def test_a_bad_rating_asks_why_and_is_stored_once_with_the_ticket(browser, server, kiosk, staff):  # noqa: F811
    pad = browser.new_page(viewport=PAD)
    pad.goto(f"{server.url}/display/evaluator#token={server.tokens['evaluator-1']}", timeout=15000)
    pad.wait_for_function("() => evaluatorPad.screen !== undefined && evaluatorPad.screen !== null",
                          timeout=10000)
    screenshot(pad, "display_evaluator_idle_zh")
    console = staff("staff1")
    console.post("/api/v1/sites/test/windows/1/sign-in", {"post": "A"})
    console.post("/api/v1/sites/test/windows/1/open")
    ticket = serve_one(console, kiosk)
    expect(pad.locator("#prompt")).to_contain_text(ticket["number"], timeout=5000)
    screenshot(pad, "display_evaluator_rate_zh")
    pad.click("[data-level=\"2\"]")
    expect(pad.locator("#why")).to_be_visible()
    screenshot(pad, "display_evaluator_reason_zh")
    pad.get_by_text("等候时间长").click()
    expect(pad.locator("#thanks")).to_be_visible(timeout=5000)
    assert pad.evaluate("() => evaluatorPad.lastSubmit") == 200

    device = {"Authorization": f"Bearer {server.tokens['evaluator-1']}"}
    feed = requests.get(f"{server.url}/api/v1/sites/test/events?since=0&limit=500",
                        headers=device, timeout=10).json()
    rated = [e for e in feed["events"] if e["type"] == "evaluated"]
    assert [(e["ticket_id"], e["level"], e["reason"]) for e in rated] == [(ticket["id"], 2, "long_wait")]
    url = f"{server.url}/api/v1/sites/test/tickets/{ticket['id']}/evaluation"
    again = requests.post(url, json={"level": 5}, headers=device, timeout=10)
    assert again.status_code == 409  # once per ticket
    other = requests.post(url, json={"level": 5},
                          headers={"Authorization": f"Bearer {server.tokens['hall-1']}"}, timeout=10)
    assert other.status_code == 403  # only the window's own pad

    second = serve_one(console, kiosk)
    url = f"{server.url}/api/v1/sites/test/tickets/{second['id']}/evaluation"
    assert requests.post(url, json={"level": 1}, headers=device, timeout=10).status_code == 400
    expect(pad.locator("#prompt")).to_contain_text(second["number"], timeout=10000)
    pad.click("[data-level=\"5\"]")
    expect(pad.locator("#thanks")).to_be_visible(timeout=5000)
    assert pad.evaluate("() => evaluatorPad.lastSubmit") == 200
    pad.close()


def test_the_pad_in_english(browser, server, kiosk, staff):  # noqa: F811
    pad = browser.new_page(viewport=PAD)
    pad.goto(f"{server.url}/display/evaluator?lang=en#token={server.tokens['evaluator-1']}",
             timeout=15000)
    expect(pad.locator("#title")).to_have_text("Window 1 rating pad", timeout=10000)
    pad.wait_for_function("() => evaluatorPad.screen !== undefined && evaluatorPad.screen !== null",
                          timeout=10000)
    screenshot(pad, "display_evaluator_idle_en")
    console = staff("staff1")
    console.post("/api/v1/sites/test/windows/1/sign-in", {"post": "A"})
    console.post("/api/v1/sites/test/windows/1/open")
    ticket = serve_one(console, kiosk)
    expect(pad.locator("#prompt")).to_contain_text(ticket["number"], timeout=10000)
    screenshot(pad, "display_evaluator_rate_en")
    pad.click("[data-level=\"2\"]")
    expect(pad.locator("#why")).to_be_visible()
    screenshot(pad, "display_evaluator_reason_en")
    pad.close()


def test_the_pad_asks_for_a_rating_even_when_the_finish_came_in_a_gap(browser, server, kiosk, staff):  # noqa: F811
    """Events can reach a screen out of order (a resync fills the gap); the pad must still ask
    for the rating of a ticket whose `finished` event it only learnt from the catch-up."""
    pad = browser.new_page(viewport=PAD)
    pad.goto(f"{server.url}/display/evaluator#token={server.tokens['evaluator-1']}", timeout=15000)
    pad.wait_for_function("() => evaluatorPad.lastSeq !== null", timeout=10000)
    # Lose the next `finished` event on the way in, as a network blip would.
    pad.evaluate("""() => {
        const original = evaluatorPad.onEvent.bind(evaluatorPad);
        let dropped = false;
        evaluatorPad.onEvent = (ev) => {
            if (!dropped && ev.type === "finished") { dropped = true; return; }
            original(ev);
        };
    }""")
    console = staff("staff1")
    console.post("/api/v1/sites/test/windows/1/sign-in", {"post": "A"})
    console.post("/api/v1/sites/test/windows/1/open")
    ticket = serve_one(console, kiosk)
    kiosk.post("/api/v1/sites/test/tickets", {"category": "social"})  # the next event shows the gap
    expect(pad.locator("#prompt")).to_contain_text(ticket["number"], timeout=10000)
    pad.close()
