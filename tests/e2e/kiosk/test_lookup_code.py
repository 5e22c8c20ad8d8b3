"""A kiosk that never got its answer sends the applicant to the service desk with a 查询码, shown
big on the screen; with it the desk finds the ticket the tap got, or learns that none was issued."""
from __future__ import annotations

import re

import pytest

from ..browser import screenshot
from ..conftest import Client
from .conftest import LANDSCAPE, PORTRAIT, issued_today

FAST_RETRIES = {"retryDelays": [100, 200, 300]}  # the same give-up, sooner than the real ~15 s
TEXT = {"zh": "请到服务台，出示查询码", "en": "Please go to the service desk and show this code"}


def give_up_screen(page, lang: str):
    page.wait_for_selector("body[data-screen='failed']", timeout=15000)
    assert page.locator("#error-text").inner_text() == TEXT[lang]
    code = page.get_by_test_id("lookup-code")
    assert code.is_visible()
    return code.inner_text()


def assert_shown_whole(page, viewport: dict) -> None:
    """The code is big, on one line, inside the screen, and nothing scrolls sideways."""
    for selector in ("#lookup-code", "#lookup", "#error-text", "#error-back"):
        box = page.locator(selector).bounding_box()
        assert box and box["x"] >= 0 and box["y"] >= 0, selector
        assert box["x"] + box["width"] <= viewport["width"], (selector, box)
        assert box["y"] + box["height"] <= viewport["height"], (selector, box)
    code = page.locator("#lookup-code").bounding_box()
    assert code["height"] >= 80, code  # readable from a step back
    assert page.evaluate("(() => { const e = document.getElementById('lookup-code');"
                         " return e.scrollWidth <= e.clientWidth + 1; })()")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def desk(hall_server, lang: str = "zh") -> Client:
    return Client(hall_server.url, lang).login("staff1", hall_server.passwords["staff1"])


def look_up_at_the_desk(browser, hall_server, code: str, lang: str, name: str):
    """The service desk's console: sign in, type the code as read out (lower case, a space)."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{hall_server.url}/counter/?lang={lang}", timeout=15000)
    page.fill("input[name=username]", "staff1")
    page.fill("input[name=password]", hall_server.passwords["staff1"])
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#lookup:not([hidden])", timeout=10000)
    page.fill("#lookup-code", code.lower().replace("-", " "))
    page.click("#lookup-form button[type=submit]")
    page.wait_for_selector("#lookup-result:not([hidden])", timeout=5000)
    screenshot(page, name)
    result = page.locator("#lookup-result")
    text, kind = result.inner_text(), result.get_attribute("class")
    page.close()
    return text, kind


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_a_ticket_committed_without_an_answer_is_found_at_the_desk_by_its_code(
        open_kiosk, browser, hall_server, orientation):
    """The server issues the ticket but its answer never reaches the kiosk (the connection drops
    on the way back): the kiosk retries the same request, gives up, shows the code, and the desk
    finds the one ticket that tap got."""
    viewport = PORTRAIT if orientation == "portrait" else LANDSCAPE
    page = open_kiosk("kiosk-p", viewport, init=FAST_RETRIES)
    request_ids = []

    def answer_lost(route):
        request_ids.append(route.request.post_data_json["request_id"])
        route.fetch()   # the server commits the ticket…
        route.abort()   # …and the answer is lost on the way back

    page.route("**/api/v1/sites/*/tickets", answer_lost)
    before = issued_today(hall_server, "realty")
    page.locator(".category-button[data-code='realty']").click()
    code = give_up_screen(page, "zh")
    assert re.fullmatch(r"KP-[2-9A-HJKMNP-Z]{6}", code), code
    assert len(request_ids) == 4 and len(set(request_ids)) == 1  # one tap, retried as itself
    assert request_ids[0].startswith(code[3:] + "-")
    assert_shown_whole(page, viewport)
    screenshot(page, f"kiosk_gave_up_zh_{orientation}")
    assert issued_today(hall_server, "realty") == before + 1

    found = desk(hall_server).get(f"/api/v1/sites/test/tickets/by-code/{code}")
    assert found.status_code == 200, found.text
    ticket = found.json()["ticket"]
    assert ticket["category"]["code"] == "realty" and ticket["status"] == "waiting"
    assert found.json()["kiosk"]["code"] == "kiosk-p"
    text, kind = look_up_at_the_desk(browser, hall_server, code, "zh", "counter_lookup_found_zh")
    assert kind == "found"
    assert f"{code}：已取号 {ticket['number']}（不动产登记），等候中；取号机 P" in text, text


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_an_unreachable_server_gives_a_code_the_desk_finds_no_ticket_for(open_kiosk, browser,
                                                                         hall_server, orientation):
    viewport = PORTRAIT if orientation == "portrait" else LANDSCAPE
    page = open_kiosk("kiosk-p", viewport, init=FAST_RETRIES)
    page.get_by_test_id("lang-switch").click()
    page.wait_for_selector("html[lang='en']")
    page.route("**/api/v1/sites/*/tickets", lambda route: route.abort())
    before = issued_today(hall_server, "social")
    page.locator(".category-button[data-code='social']").click()
    code = give_up_screen(page, "en")
    assert page.locator("#lookup .label").inner_text() == "Lookup code"
    assert_shown_whole(page, viewport)
    screenshot(page, f"kiosk_gave_up_en_{orientation}")
    assert issued_today(hall_server, "social") == before

    r = desk(hall_server, "en").get(f"/api/v1/sites/test/tickets/by-code/{code}")
    assert r.status_code == 404 and r.json()["error"]["code"] == "no_ticket_for_code"
    assert code in r.json()["error"]["message"]
    text, kind = look_up_at_the_desk(browser, hall_server, code, "en", "counter_lookup_none_en")
    assert kind == "none" and text == r.json()["error"]["message"]


def test_a_refusal_shows_no_code(open_kiosk):
    """A clear answer (here: an unknown appointment code) is not a lost answer: no 查询码."""
    page = open_kiosk("kiosk-p")
    page.get_by_test_id("check-in").click()
    for digit in "99999999":
        page.locator(f"#keypad button[data-key='{digit}']").click()
    page.get_by_test_id("key-confirm").click()
    page.wait_for_selector("body[data-screen='failed']")
    assert page.get_by_test_id("lookup").is_hidden()
    assert "预约" in page.locator("#error-text").inner_text()
