"""Every page in headless Chromium under the server's Content-Security-Policy, in Chinese: no
policy violation and no console error while each page does its work (Socket.IO connects, the QR
code shows, a call is spoken with the server's voice, consoles sign in), and a device page's
token, given in the address fragment, never appears in a URL the page requests."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .browser import CHROMIUM, FLAGS, screenshot
from .conftest import Client
from .display.conftest import SCREENS
from .server import sqlite_server
from playwright.sync_api import sync_playwright

TV = {"width": 1920, "height": 1080}
DESK = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# Chromium logs every 4xx as an error; these two are answers: the browser's own favicon ask, and
# the staff console asking who is signed in (401: nobody yet, so it shows the sign-in form).
ANSWERS_NOT_ERRORS = ("/favicon.ico", "/api/v1/auth/me")
# Reported by the page itself, so a violation is seen even where Chromium logs nothing.
WATCH_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.reportViolation(e.effectiveDirective + " blocked " + (e.blockedURI || "inline") +
                         " at " + e.sourceFile + ":" + e.lineNumber);
}, true);
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with sqlite_server(tmp_path_factory.mktemp("csp-hall"), SCREENS) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, timeout=30000,
                              args=[*FLAGS, "--autoplay-policy=no-user-gesture-required"])
        yield b
        b.close()


class Watched:
    """A fresh browser profile whose pages report policy violations, console errors, uncaught
    exceptions and every URL they request."""

    def __init__(self, browser, viewport: dict) -> None:
        self.problems: list[str] = []
        self.requested: list[str] = []
        self.context = browser.new_context(viewport=viewport, locale="zh-CN")
        self.context.set_default_timeout(10000)
        self.context.expose_function("reportViolation",
                                     lambda text: self.problems.append("CSP: " + text))
        self.context.add_init_script(WATCH_VIOLATIONS)

    def page(self):
        page = self.context.new_page()
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.problems.append(f"exception: {e}"))
        page.on("request", lambda r: self.requested.append(r.url))
        return page

    def _console(self, message) -> None:
        url = message.location.get("url") or ""
        if message.type == "error" and not url.endswith(ANSWERS_NOT_ERRORS):
            self.problems.append(f"console: {message.text} ({url})")

    def assert_clean(self, page) -> None:
        page.wait_for_timeout(500)  # a late violation (an image, a reconnect) still counts
        assert self.problems == []


@pytest.fixture
def watched(browser):
    opened: list[Watched] = []

    def open_(viewport: dict = DESK) -> Watched:
        opened.append(Watched(browser, viewport))
        return opened[-1]
    yield open_
    for w in opened:
        w.context.close()


def sign_in(page, server, who: str) -> None:
    page.fill("input[name=username]", who)
    page.fill("input[name=password]", server.passwords[who])
    page.click("#login-form button[type=submit]")


def test_the_start_page(watched, server):
    w = watched()
    page = w.page()
    page.goto(f"{server.url}/")
    expect(page.locator("h1")).to_have_text("queuehall")
    assert page.evaluate("getComputedStyle(document.body).maxWidth") != "none"  # its CSS applies
    w.assert_clean(page)


def test_the_kiosk_issues_a_ticket_and_its_phone_page_follows_it(watched, server):
    token = server.tokens["kiosk-1"]
    w = watched({"width": 1080, "height": 1920})
    kiosk = w.page()
    kiosk.goto(f"{server.url}/kiosk/#token={token}")
    kiosk.wait_for_selector("body[data-ready='1']")
    assert "token" not in kiosk.url
    kiosk.locator("#categories button").first.click()
    expect(kiosk.get_by_test_id("confirmation")).to_be_visible()
    kiosk.wait_for_function("() => document.getElementById('t-qr').naturalWidth > 0")
    number = kiosk.get_by_test_id("ticket-number").inner_text()
    screenshot(kiosk, "csp_kiosk_confirmation_zh")
    w.assert_clean(kiosk)
    assert not [url for url in w.requested if token in url]

    status_token = kiosk.evaluate(
        "() => document.getElementById('t-qr').src.split('/kiosk/qr/')[1].replace('.svg', '')")
    phone = watched(PHONE)
    page = phone.page()
    page.goto(f"{server.url}/t/{status_token}")
    expect(page.get_by_test_id("ticket-number")).to_have_text(number)
    page.wait_for_selector("body[data-live='1']")  # its Socket.IO connection under the policy
    screenshot(page, "csp_phone_status_zh")
    phone.assert_clean(page)


def test_a_kiosk_link_made_before_with_the_token_in_the_query_still_works(watched, server):
    w = watched({"width": 1080, "height": 1920})
    page = w.page()
    page.goto(f"{server.url}/kiosk/?token={server.tokens['kiosk-1']}")
    page.wait_for_selector("body[data-ready='1']")
    assert "token" not in page.url
    expect(page.locator("#categories button").first).to_be_visible()
    w.assert_clean(page)


def test_the_screens_connect_and_speak_with_the_server_voice(watched, server):
    kiosk = Client(server.url).as_device(server.tokens["kiosk-1"])
    staff = Client(server.url).login("staff1", server.passwords["staff1"])
    staff.post("/api/v1/sites/test/windows/1/sign-in", {"post": "A"})
    staff.post("/api/v1/sites/test/windows/1/open")
    screens = {}
    for kind, device in (("hall", "hall-1"), ("window", "window-1"), ("evaluator", "evaluator-1")):
        w = watched(TV)
        page = w.page()
        page.goto(f"{server.url}/display/{kind}#token={server.tokens[device]}")
        assert "token" not in page.url
        screens[kind] = (w, page, device)
    for kind, var in (("hall", "hallScreen"), ("window", "windowScreen"),
                      ("evaluator", "evaluatorPad")):
        screens[kind][1].wait_for_function(f"() => {var}.socket && {var}.socket.connected && "
                                           f"{var}.lastSeq !== null")

    kiosk.post("/api/v1/sites/test/tickets", {"category": "social"})
    ticket = staff.post("/api/v1/sites/test/windows/1/call-next").json()
    hall = screens["hall"][1]
    expect(hall.locator("#rows li").first).to_contain_text(ticket["number"])
    # headless Chromium has no zh-CN voice: the WAV from /display/voice, played from a blob: URL
    hall.wait_for_function("() => hallScreen.voice.log.length >= 1", timeout=20000)
    assert hall.evaluate("() => hallScreen.voice.log[0].how") == "server"
    expect(screens["window"][1].locator("#ticket")).to_have_text(ticket["number"])
    staff.post(f"/api/v1/sites/test/tickets/{ticket['id']}/start")
    staff.post(f"/api/v1/sites/test/tickets/{ticket['id']}/finish")
    pad = screens["evaluator"][1]
    expect(pad.locator("#rate")).to_be_visible()
    pad.locator("[data-level='2']").click()
    expect(pad.locator("#why")).to_be_visible()
    assert pad.evaluate("getComputedStyle(document.getElementById('why-prompt')).fontSize") == "44px"
    pad.locator("[data-reason='long_wait']").click()
    expect(pad.locator("#thanks")).to_be_visible()
    assert pad.evaluate("() => evaluatorPad.lastSubmit") == 200
    for kind, (w, page, device) in screens.items():
        screenshot(page, f"csp_display_{kind}_zh")
        w.assert_clean(page)
        assert not [url for url in w.requested if server.tokens[device] in url], kind


def test_the_staff_console_signs_in_and_calls(watched, server):
    Client(server.url).as_device(server.tokens["kiosk-1"]).post(
        "/api/v1/sites/test/tickets", {"category": "realty"})
    w = watched()
    page = w.page()
    page.goto(f"{server.url}/counter/")
    sign_in(page, server, "staff3")
    expect(page.locator("#pick")).to_be_visible()
    page.select_option("#pick-window", "4")
    page.click("#pick-form button[type=submit]")
    expect(page.locator("#window-name")).to_have_text("4号窗口")
    expect(page.locator("#window-state")).to_have_text("服务中")  # 签到上岗 opens it too
    page.keyboard.press("F2")
    expect(page.locator("#current-number")).not_to_have_text("—")
    screenshot(page, "csp_counter_console_zh")
    w.assert_clean(page)


def test_the_manager_console_pages(watched, server):
    w = watched(TV)
    page = w.page()
    page.goto(f"{server.url}/manager/")
    expect(page.locator("#login-form")).to_be_visible()
    sign_in(page, server, "manager")
    expect(page.locator("#live")).to_have_class("live on")  # Socket.IO under the policy
    expect(page.locator("#windows .window").first).to_be_visible()
    screenshot(page, "csp_manager_hall_zh")
    page.goto(f"{server.url}/manager/reports")
    page.wait_for_function("() => [...document.querySelectorAll('#charts img')]"
                           ".every(i => i.complete && i.naturalWidth > 0)")
    screenshot(page, "csp_manager_reports_zh")
    page.goto(f"{server.url}/manager/staffing")
    page.click("#advice-form button[type=submit]")
    expect(page.locator("#advice-result table").first).to_be_visible(timeout=30000)
    screenshot(page, "csp_manager_staffing_zh")
    w.assert_clean(page)
