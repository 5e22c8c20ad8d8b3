"""The manager's live hall in headless Chromium: what a kiosk and a window console do shows up
live, a window is paused from the page, staff accounts are turned away, and the page is
photographed in Chinese and English at 1920x1080 and 1366x768."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from ..browser import screenshot
from .conftest import LAPTOP

SITE = "/api/v1/sites/test"


def category_row(page, code: str):
    return page.locator(f'#categories tr[data-category="{code}"]')


def window_card(page, number: int):
    return page.locator(f'#windows [data-window="{number}"]')


def audit_line(page, who: str, what: str):
    """The newest line of the page's audit list by `who` that mentions `what`."""
    return page.locator("#audit li").filter(has=page.locator(".by", has_text=who)).filter(
        has_text=what).first


def waiting(client, code: str) -> int:
    return next(c["waiting"] for c in client.get(f"{SITE}/categories").json() if c["code"] == code)


def test_a_kiosk_ticket_and_a_window_call_show_up_live(console, kiosk, staff):
    page = console("manager")
    before = waiting(kiosk, "social")
    expect(category_row(page, "social").locator(".waiting")).to_have_text(str(before), timeout=10000)
    expect(page.locator("#live")).to_have_text("实时", timeout=10000)

    ticket = kiosk.post(f"{SITE}/tickets", {"category": "social"}).json()
    expect(category_row(page, "social").locator(".waiting")).to_have_text(str(before + 1))

    clerk = staff("staff1")
    assert clerk.post(f"{SITE}/windows/1/sign-in", {"post": "A"}).status_code == 200
    assert clerk.post(f"{SITE}/windows/1/open", {}).status_code == 200
    called = clerk.post(f"{SITE}/windows/1/call-next", {}).json()
    assert called["number"] == ticket["number"]

    card = window_card(page, 1)
    expect(card.locator(".current .ticket")).to_have_text(ticket["number"])
    expect(card.locator(".current .status")).to_contain_text("已呼叫")
    expect(card.locator(".badge")).to_have_text("服务中")
    expect(card.locator(".posts")).to_contain_text("李明")
    expect(category_row(page, "social").locator(".waiting")).to_have_text(str(before))
    # who did what (an alert sweep may slip a line of its own in between)
    expect(audit_line(page, "李明", "1号窗口 " + ticket["number"])).to_contain_text("呼叫")
    screenshot(page, "manager_hall_zh")


def test_pausing_a_window_from_the_page_changes_its_badge(console, staff):
    page = console("manager")
    card = window_card(page, 2)
    expect(card.locator(".badge")).to_be_visible(timeout=10000)
    card.locator("[data-adjust-window]").click()
    expect(page.locator("#window-dialog")).to_be_visible()
    page.select_option("#pause-reason", "会议")
    page.click('#window-form [data-state="pause"]')
    expect(card.locator(".badge")).to_have_text("暂停：会议")
    expect(page.locator("#window-dialog-done")).to_have_text("已保存")
    page.click('#window-form button[value="close"]')
    expect(audit_line(page, "王经理", "2号窗口 会议")).to_contain_text("暂停窗口")
    expect(page.locator("#audit")).to_contain_text("取号")  # the kiosk's tickets of the first test
    page.check("#audit-changes")
    expect(page.locator("#audit")).not_to_contain_text("取号")
    expect(page.locator("#audit li").first).to_contain_text("2号窗口 会议")
    # What the page shows is what the hall sees: a staff member reads the same state.
    assert staff("staff2").get(f"{SITE}/windows/2").json()["state"] == "paused"

    card.locator("[data-adjust-window]").click()
    page.click('#window-form [data-state="open"]')
    expect(card.locator(".badge")).to_have_text("服务中")
    page.click('#window-form button[value="close"]')


def test_staff_accounts_are_refused_with_a_clear_message(console, staff):
    page = console("staff2")
    expect(page.locator("#refused")).to_be_visible(timeout=10000)
    expect(page.locator("#refused")).to_contain_text("仅限大厅经理和系统管理员")
    expect(page.locator("#categories")).to_have_count(0)
    assert staff("staff2").get("/manager/").status_code == 403
    assert staff("staff2").get("/manager/staffing").status_code == 403
    screenshot(page, "manager_refused_zh")


def test_signing_out_elsewhere_brings_the_open_page_back_to_the_sign_in_form(console, kiosk):
    page = console("manager")
    expect(page.locator("#live")).to_have_text("实时", timeout=10000)
    other = page.context.new_page()  # a second tab of the same browser
    other.goto(page.url)
    other.click("#signout")
    expect(other.locator("#login-form")).to_be_visible()
    kiosk.post(f"{SITE}/tickets", {"category": "social"})  # the hall moves on; the page re-reads
    expect(page.locator("#login-form")).to_be_visible()
    expect(page.locator("#categories")).to_have_count(0)


def test_the_start_page_leads_signed_out_visitors_to_the_sign_in_form(server, browser):
    page = browser.new_page()
    page.goto(f"{server.url}/?lang=en", timeout=15000)
    page.get_by_text("Manager console (live hall, reports, staffing)").click()
    expect(page.locator("#login-form")).to_contain_text("Manager sign-in")
    page.fill("input[name=username]", "manager")
    page.fill("input[name=password]", "not-the-password")
    page.click("#login-form button[type=submit]")
    expect(page.locator("#error")).to_have_text("Wrong username or password")
    expect(page.locator("#categories")).to_have_count(0)
    screenshot(page, "manager_sign_in_failed_en")
    page.close()


def test_english_and_small_screen_pictures(console, kiosk):
    for code in ("social", "tax", "realty"):
        kiosk.post(f"{SITE}/tickets", {"category": code})
    page = console("admin", lang="en")
    expect(page.locator("h2").first).to_contain_text("Queues")
    expect(category_row(page, "social")).to_contain_text("Social Insurance")
    expect(window_card(page, 1).locator(".badge")).to_have_text(re.compile("Open|Paused|Closed"))
    screenshot(page, "manager_hall_en")
    small = console("manager", viewport=LAPTOP)
    expect(category_row(small, "realty")).to_contain_text("不动产登记", timeout=10000)
    screenshot(small, "manager_hall_zh_1366")


def test_a_lost_event_is_noticed_by_its_sequence_gap_and_everything_is_read_again(
        console, kiosk):
    page = console("manager")
    expect(page.locator("#live")).to_have_text("实时", timeout=10000)
    page.wait_for_function("() => managerHall.state.resyncs >= 1")
    # Lose the next alert event on its way in, as a flaky network would: only a resync after
    # the gap in sequence numbers can bring the alert to the page.
    page.evaluate("""() => {
        window.dropped = null;
        window.resyncsBefore = managerHall.state.resyncs;
        managerHall.live.socket.off("event");
        managerHall.live.socket.on("event", ev => {
            if (window.dropped === null && ev.type === "alert_raised" && ev.subject === "kiosk-1") {
                window.dropped = ev.seq; return;
            }
            managerHall.live.onEvent(ev);
        });
    }""")
    assert kiosk.post(f"{SITE}/printers/kiosk-1/status", {"status": "cover_open"}).status_code == 200
    page.wait_for_function("() => window.dropped !== null")
    kiosk.post(f"{SITE}/tickets", {"category": "social"})  # the next event shows the gap
    # The gap is noticed once that event reaches the page, some time after the HTTP answers.
    page.wait_for_function("() => managerHall.state.resyncs > window.resyncsBefore", timeout=5000)
    expect(page.locator("#alerts li.alert", has_text="打印机盖未关")).to_be_visible()
    kiosk.post(f"{SITE}/printers/kiosk-1/status", {"status": "online"})
