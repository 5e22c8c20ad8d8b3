"""The staff console in headless Chromium: sign in, take a window, and serve tickets with the
keyboard while a hall screen (a real Socket.IO client) sees every call."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .test_screens_browser import browser  # noqa: F401  (one Chromium per module)
from ..browser import screenshot

DESK = {"width": 1366, "height": 900}


def sign_in(browser, server, who: str, lang: str = "zh"):  # noqa: F811
    page = browser.new_page(viewport=DESK)
    page.goto(f"{server.url}/counter/?lang={lang}", timeout=15000)
    page.fill("input[name=username]", who)
    page.fill("input[name=password]", server.passwords[who])
    page.click("#login-form button[type=submit]")
    return page


def test_staff_call_recall_serve_transfer_suspend_and_pause_from_the_console(
        browser, server, kiosk, screen):  # noqa: F811
    hall = screen("hall-1")
    page = sign_in(browser, server, "staff3")
    expect(page.locator("#pick")).to_be_visible(timeout=10000)
    screenshot(page, "counter_pick_zh")
    page.select_option("#pick-window", "4")
    page.click("#pick-form button[type=submit]")
    expect(page.locator("#window-name")).to_have_text("4号窗口", timeout=10000)
    expect(page.locator("#posts")).to_contain_text("A岗 陈静")
    # 签到上岗 opened the window too: nothing more to press before calling
    expect(page.locator("#window-state")).to_have_text("服务中", timeout=5000)
    expect(page.locator('[data-act="open"]')).to_be_disabled()

    first = kiosk.post("/api/v1/sites/test/tickets", {"category": "realty"}).json()
    second = kiosk.post("/api/v1/sites/test/tickets", {"category": "realty"}).json()
    expect(page.locator("#queue tbody")).to_contain_text(second["number"], timeout=5000)
    page.keyboard.press("F2")  # call next
    expect(page.locator("#current-number")).to_have_text(first["number"], timeout=5000)
    expect(page.locator("#current-reason")).to_contain_text("按到达顺序")
    hall.wait_for(lambda s: any(e["type"] == "called" and e["number"] == first["number"]
                                and e["window"] == 4 for e in s.events))
    page.keyboard.press("F3")  # recall
    hall.wait_for(lambda s: any(e["type"] == "recalled" and e["number"] == first["number"]
                                for e in s.events))
    page.keyboard.press("F4")  # start
    expect(page.locator("#current-status")).to_contain_text("办理中", timeout=5000)
    screenshot(page, "counter_console_zh")
    page.keyboard.press("F5")  # finish
    expect(page.locator("#current-number")).to_have_text("—", timeout=5000)
    expect(page.locator("#stats")).to_contain_text("办结1", timeout=5000)

    page.keyboard.press("F2")
    expect(page.locator("#current-number")).to_have_text(second["number"], timeout=5000)
    page.keyboard.press("F4")
    expect(page.locator("#current-status")).to_contain_text("办理中", timeout=5000)
    page.keyboard.press("F8")  # suspend: the applicant fetches a document
    expect(page.locator("#suspended")).to_contain_text(second["number"], timeout=5000)
    page.click(f'[data-resume="{second["id"]}"]')
    expect(page.locator("#current-number")).to_have_text(second["number"], timeout=5000)
    page.keyboard.press("F7")  # transfer
    expect(page.locator("#transfer-dialog")).to_be_visible()
    page.select_option("#transfer-category", "social")
    page.click('#transfer-form button[value="ok"]')
    expect(page.locator("#current-number")).to_have_text("—", timeout=5000)
    hall.wait_for(lambda s: any(e["type"] == "transferred" and e["ticket_id"] == second["id"]
                                for e in s.events))

    page.keyboard.press("p")  # pause with a reason
    page.select_option("#pause-reason", "午休")
    page.click('#pause-form button[value="ok"]')
    expect(page.locator("#window-state")).to_have_text("暂停：午休", timeout=5000)
    expect(page.locator('[data-act="call"]')).to_be_disabled()
    page.click('[data-act="open"]')
    expect(page.locator("#window-state")).to_have_text("服务中", timeout=5000)
    page.close()


@pytest.mark.parametrize("lang,title", [("zh", "窗口工作台"), ("en", "Window console")])
def test_console_pages_in_both_languages(browser, server, kiosk, lang, title):  # noqa: F811
    page = browser.new_page(viewport=DESK)
    page.goto(f"{server.url}/counter/?lang={lang}", timeout=15000)
    expect(page.locator("#login")).to_be_visible(timeout=10000)
    assert page.locator("h1").inner_text() == title
    screenshot(page, f"counter_login_{lang}")
    page.close()
    page = sign_in(browser, server, "staff2", lang)
    expect(page.locator("#pick")).to_be_visible(timeout=10000)
    screenshot(page, f"counter_pick_{lang}")
    page.select_option("#pick-window", "2")
    page.click("#pick-form button[type=submit]")
    expect(page.locator("#window-state")).not_to_be_empty(timeout=10000)
    if page.locator('[data-act="open"]').is_enabled():  # the other language's run opened it
        page.click('[data-act="open"]')
    expect(page.locator('[data-act="call"]')).to_be_enabled(timeout=5000)
    kiosk.post("/api/v1/sites/test/tickets", {"category": "social"})
    page.click('[data-act="call"]')
    expect(page.locator("#current-number")).not_to_have_text("—", timeout=5000)
    screenshot(page, f"counter_console_{lang}")
    page.click('[data-act="no_show"]')
    expect(page.locator("#current-number")).to_have_text("—", timeout=5000)
    page.click("#signout")
    expect(page.locator("#login")).to_be_visible(timeout=10000)
    page.close()


def call_until(page, number: str) -> None:
    """Call next (F2) until `number` is at the window; earlier tickets are marked no-show (F6)."""
    current = page.locator("#current-number")
    for _ in range(12):
        page.keyboard.press("F2")
        expect(current).not_to_have_text("—", timeout=5000)
        if current.inner_text() == number:
            return
        page.keyboard.press("F6")
        expect(current).to_have_text("—", timeout=5000)
    raise AssertionError(f"{number} was never called")


def take_window(browser, server, who: str, number: int):  # noqa: F811
    page = sign_in(browser, server, who)
    expect(page.locator("#pick")).to_be_visible(timeout=10000)
    page.select_option("#pick-window", str(number))
    page.click("#pick-form button[type=submit]")
    expect(page.locator("#window-state")).not_to_be_empty(timeout=10000)
    if page.locator('[data-act="open"]').is_enabled():
        page.click('[data-act="open"]')
    expect(page.locator("#window-state")).to_have_text("服务中", timeout=5000)
    return page


def test_transfer_to_a_window_then_suspend_resume_and_close_from_the_consoles(
        browser, server, kiosk, screen):  # noqa: F811
    hall = screen("hall-1")
    one = take_window(browser, server, "staff1", 1)
    two = take_window(browser, server, "staff2", 2)
    ticket = kiosk.post("/api/v1/sites/test/tickets", {"category": "social"}).json()

    # 转办 to window 2: only that window calls it, and before its own queue.
    call_until(one, ticket["number"])
    one.keyboard.press("F4")
    expect(one.locator("#current-status")).to_contain_text("办理中", timeout=5000)
    one.keyboard.press("F7")
    one.check('#transfer-form input[name=kind][value=window]')
    one.select_option("#transfer-window", "2")
    one.click('#transfer-form button[value="ok"]')
    expect(one.locator("#current-number")).to_have_text("—", timeout=5000)
    hall.wait_for(lambda s: any(e["type"] == "transferred" and e["ticket_id"] == ticket["id"]
                                and e["to_window"] == 2 for e in s.events))
    kiosk.post("/api/v1/sites/test/tickets", {"category": "social"})  # a walk-in after it
    two.keyboard.press("F2")
    expect(two.locator("#current-number")).to_have_text(ticket["number"], timeout=5000)
    hall.wait_for(lambda s: any(e["type"] == "called" and e["ticket_id"] == ticket["id"]
                                and e["window"] == 2 for e in s.events))

    # 挂起 and 恢复: while another ticket is at the window, resuming is refused plainly.
    two.keyboard.press("F4")
    expect(two.locator("#current-status")).to_contain_text("办理中", timeout=5000)
    two.keyboard.press("F8")
    expect(two.locator("#suspended")).to_contain_text(ticket["number"], timeout=5000)
    expect(two.locator("#current-number")).to_have_text("—", timeout=5000)
    hall.wait_for(lambda s: any(e["type"] == "suspended" and e["ticket_id"] == ticket["id"]
                                for e in s.events))
    other = kiosk.post("/api/v1/sites/test/tickets", {"category": "social"}).json()
    call_until(two, other["number"])
    two.click(f'[data-resume="{ticket["id"]}"]')
    expect(two.locator("#error")).to_contain_text(f"仍有 {other['number']} 号在办理", timeout=5000)
    expect(two.locator("#suspended")).to_contain_text(ticket["number"])
    two.keyboard.press("F6")  # the other applicant did not come
    expect(two.locator("#current-number")).to_have_text("—", timeout=5000)
    # The no-show's event can redraw the window before its answer clears the error line above
    # the list: wait until the page has settled, or the click lands where the button was.
    expect(two.locator("#error")).to_be_hidden(timeout=5000)
    two.click(f'[data-resume="{ticket["id"]}"]')
    expect(two.locator("#current-number")).to_have_text(ticket["number"], timeout=5000)
    expect(two.locator("#current-status")).to_contain_text("办理中")
    expect(two.locator("#error")).to_be_hidden()
    hall.wait_for(lambda s: any(e["type"] == "resumed" and e["ticket_id"] == ticket["id"]
                                for e in s.events))

    # 关闭窗口: refused while serving, then closed once finished; the screens see it.
    two.click('[data-act="close"]')
    expect(two.locator("#error")).to_contain_text("仍有", timeout=5000)
    expect(two.locator("#window-state")).to_have_text("服务中")
    two.keyboard.press("F5")
    expect(two.locator("#current-number")).to_have_text("—", timeout=5000)
    two.click('[data-act="close"]')
    expect(two.locator("#window-state")).to_have_text("已关闭", timeout=5000)
    expect(two.locator('[data-act="call"]')).to_be_disabled()
    expect(two.locator("#stats")).to_contain_text("办结1", timeout=5000)
    screenshot(two, "counter_closed_zh")
    hall.wait_for(lambda s: any(e["type"] == "window_closed" and e["window"] == 2
                                for e in s.events))
    snap = hall.sio.call("snapshot", {}, timeout=5)
    assert next(w for w in snap["windows"] if w["number"] == 2)["state"] == "closed"
    for page in (one, two):
        page.click("#signout")
        expect(page.locator("#login")).to_be_visible(timeout=10000)
        page.close()


def test_a_ticket_transferred_to_a_window_shows_in_that_windows_queue_only(
        browser, server, kiosk):  # noqa: F811
    one = take_window(browser, server, "staff1", 1)  # 社保 A, 税务 B
    two = take_window(browser, server, "staff2", 2)  # 社保 only
    ticket = kiosk.post("/api/v1/sites/test/tickets", {"category": "tax"}).json()
    expect(one.locator("#queue tbody")).to_contain_text(ticket["number"], timeout=5000)
    call_until(one, ticket["number"])
    one.keyboard.press("F7")
    one.check('#transfer-form input[name=kind][value=window]')
    one.select_option("#transfer-window", "2")
    one.click('#transfer-form button[value="ok"]')
    expect(one.locator("#current-number")).to_have_text("—", timeout=5000)
    # Window 2 does not serve 税务, yet this ticket is now its to call; window 1 may not call it.
    expect(two.locator("#queue tbody")).to_contain_text(ticket["number"], timeout=5000)
    expect(one.locator("#queue tbody")).not_to_contain_text(ticket["number"], timeout=5000)
    screenshot(two, "counter_transferred_in_zh")
    two.keyboard.press("F2")
    expect(two.locator("#current-number")).to_have_text(ticket["number"], timeout=5000)
    two.keyboard.press("F6")
    expect(two.locator("#current-number")).to_have_text("—", timeout=5000)
    for page in (one, two):
        page.click("#signout")
        expect(page.locator("#login")).to_be_visible(timeout=10000)
        page.close()
