"""An applicant taps through the kiosk in headless Chromium: one tap gives one printed ticket,
in Chinese and English, on portrait and landscape screens."""
from __future__ import annotations

import time

import pytest

from ..browser import screenshot
from ..conftest import Client
from .conftest import LANDSCAPE, PORTRAIT, issued_today

NAMES = {"zh": ("社保医保", "不动产登记"), "en": ("Social Insurance", "Real Estate")}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_one_tap_prints_the_ticket_shown_on_the_confirmation(open_kiosk, printer, lang,
                                                              orientation):
    page = open_kiosk("kiosk-p", PORTRAIT if orientation == "portrait" else LANDSCAPE)
    if lang == "en":
        page.get_by_test_id("lang-switch").click()
        page.wait_for_selector("html[lang='en']")
    social, _ = NAMES[lang]
    button = page.locator(".category-button", has_text=social)
    assert button.is_enabled() and button.locator(".waiting").inner_text()
    screenshot(page, f"kiosk_start_{lang}_{orientation}")
    printed_before = len(printer.tickets())
    button.click()
    number = page.get_by_test_id("ticket-number")
    number.wait_for()
    shown = number.inner_text()
    assert shown.startswith("A")
    assert page.get_by_test_id("print-note").get_attribute("data-problem") == ""
    src = page.locator("#t-qr").get_attribute("src")
    assert page.request.get(page.url.split("/kiosk/")[0] + src).headers["content-type"].startswith(
        "image/svg")
    screenshot(page, f"kiosk_ticket_{lang}_{orientation}")
    printed = printer.wait_for_tickets(printed_before + 1, timeout=10)
    assert len(printed) == printed_before + 1 and shown in printed[-1].text
    assert printed[-1].qr_payloads[0].startswith("http://hall.example/t/")
    page.get_by_test_id("finish").click()
    page.wait_for_selector("body[data-screen='start']")
    assert page.locator("html").get_attribute("lang") == "zh-CN"  # the next person starts in Chinese


def test_a_double_tap_issues_and_prints_one_ticket(open_kiosk, hall_server, printer):
    page = open_kiosk("kiosk-p")
    before, printed_before = issued_today(hall_server, "realty"), len(printer.tickets())
    page.locator(".category-button[data-code='realty']").dblclick()
    page.get_by_test_id("ticket-number").wait_for()
    time.sleep(1.0)
    assert issued_today(hall_server, "realty") == before + 1
    assert len(printer.wait_for_tickets(printed_before + 1, timeout=5)) == printed_before + 1


def test_a_priority_ticket_is_marked(open_kiosk):
    page = open_kiosk("kiosk-p")
    page.get_by_test_id("priority").click()
    page.locator(".category-button[data-code='social']").click()
    page.get_by_test_id("ticket-number").wait_for()
    assert page.locator("#t-mark").is_visible() and page.locator("#t-mark").inner_text() == "优先"


def test_a_category_taken_up_for_today_is_disabled_with_the_reason(open_kiosk, hall_server):
    stale = open_kiosk("kiosk-p")  # shows 税务办理 still open
    assert stale.locator(".category-button[data-code='tax']").is_enabled()
    kiosk = Client(hall_server.url).as_device(hall_server.tokens["kiosk-1"])
    while issued_today(hall_server, "tax") < 3:  # the test hall caps 税务办理 at 3 a day
        assert kiosk.post("/api/v1/sites/test/tickets", {"category": "tax"}).status_code == 201
    stale.locator(".category-button[data-code='tax']").click()
    stale.get_by_test_id("error").wait_for()
    assert "今日该业务号已取完" in stale.locator("#error-text").inner_text()
    screenshot(stale, "kiosk_refused_zh_portrait")
    stale.locator("#error-back").click()
    stale.wait_for_selector(".category-button[data-code='tax']:disabled")
    for lang, reason in [("zh", "今日已取完"), ("en", "All taken today")]:
        page = open_kiosk("kiosk-p", LANDSCAPE)
        if lang == "en":
            page.get_by_test_id("lang-switch").click()
        tax = page.locator(".category-button[data-code='tax']")
        assert tax.is_disabled() and tax.locator(".reason").inner_text() == reason
        screenshot(page, f"kiosk_capped_{lang}_landscape")


def test_printer_out_of_paper_shows_the_ticket_on_screen_and_alerts_managers(
        open_kiosk, hall_server, empty_printer):
    page = open_kiosk("kiosk-q")
    page.locator(".category-button[data-code='social']").click()
    page.get_by_test_id("ticket-number").wait_for()
    note = page.locator("#print-note[data-problem='printer_down']")
    note.wait_for(timeout=15000)
    assert "打印机故障" in note.inner_text() and page.locator("#t-qr").is_visible()
    page.wait_for_selector("#device-status[data-printer='paper_out']", timeout=15000)
    assert "缺纸" in page.get_by_test_id("device-status").inner_text()
    screenshot(page, "kiosk_printer_down_zh_portrait")
    assert empty_printer.tickets() == []
    screen = Client(hall_server.url).as_device(hall_server.tokens["hall-1"])
    events = screen.get("/api/v1/sites/test/events?since=0&limit=1000").json()["events"]
    assert any(e["type"] == "printer_status" and e["alert"] and e["printer"] == "p2"
               for e in events)


def test_a_page_without_a_device_token_asks_for_staff(browser, hall_server):
    context = browser.new_context(viewport=PORTRAIT)
    try:
        page = context.new_page()
        page.goto(f"{hall_server.url}/kiosk/", timeout=10000)
        page.wait_for_selector("#setup:not([hidden])", timeout=10000)
        assert "设备令牌" in page.locator("#setup").inner_text()
    finally:
        context.close()


def test_the_demo_credentials_give_each_kiosk_its_page_link(hall_server):
    credentials = (hall_server.folder / "data" / "demo-credentials.txt").read_text(encoding="utf-8")
    for kiosk in ("kiosk-1", "kiosk-p", "kiosk-q"):
        link = f"kiosk page http://hall.example/kiosk/#token={hall_server.tokens[kiosk]}"
        assert link in credentials


def test_an_abandoned_english_screen_returns_to_chinese(open_kiosk):
    page = open_kiosk("kiosk-p", init={"idleSeconds": 1})
    page.get_by_test_id("lang-switch").click()
    page.get_by_test_id("priority").click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.wait_for_selector("html[lang='zh-CN']", timeout=5000)
    assert page.get_by_test_id("priority").get_attribute("aria-pressed") == "false"


def test_a_lost_connection_is_said_plainly(open_kiosk):
    page = open_kiosk("kiosk-p", init={"refreshSeconds": 0.5})
    page.route("**/api/v1/sites/*/categories", lambda route: route.abort())
    page.wait_for_selector("#device-status[data-online='0']", timeout=5000)
    assert "网络连接中断" in page.get_by_test_id("device-status").inner_text()
    page.unroute("**/api/v1/sites/*/categories")
    page.wait_for_selector("#device-status[data-online='1']", timeout=5000)


def test_a_briefly_unavailable_server_is_retried_with_the_same_request(open_kiosk, hall_server,
                                                                       printer):
    """While the database restarts the server answers 503: the kiosk says "please wait", tries
    the same request again and shows the one ticket it finally got."""
    page = open_kiosk("kiosk-p")
    bodies, refused = [], []

    def database_restarting(route):
        bodies.append(route.request.post_data_json)
        if len(refused) < 2:
            refused.append(1)
            route.fulfill(status=503, content_type="application/json", headers={"Retry-After": "5"},
                          body='{"error": {"code": "database_unavailable", "message": "x"}}')
        else:
            route.continue_()

    page.route("**/api/v1/sites/*/tickets", database_restarting)
    before = issued_today(hall_server, "realty")
    page.locator(".category-button[data-code='realty']").click()
    page.wait_for_selector("#busy .big:has-text('正在重试')")
    screenshot(page, "kiosk_retrying_zh")
    page.get_by_test_id("ticket-number").wait_for(timeout=10000)
    assert len(bodies) == 3 and len({b["request_id"] for b in bodies}) == 1
    assert issued_today(hall_server, "realty") == before + 1
