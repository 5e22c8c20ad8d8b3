"""Rebalancing and alerts from the live hall in headless Chromium, checked against what the API
then says: a window's A/B categories, B posts forced on, a daily cap, waiting tickets moved,
and an alert that appears live, is acknowledged with the manager's name and stays in history."""
from __future__ import annotations

from playwright.sync_api import expect

from ..browser import screenshot
from .test_hall_browser import SITE, audit_line, category_row, window_card


def test_the_window_dialog_changes_a_windows_a_and_b_categories(console, staff):
    page = console("manager")
    card = window_card(page, 2)
    expect(card).to_contain_text("社保医保", timeout=10000)
    card.locator("[data-adjust-window]").click()
    page.check('#window-categories input[name="a"][value="tax"]')
    page.check('#window-categories input[name="b"][value="realty"]')
    screenshot(page, "manager_window_dialog_zh")
    page.click("#save-categories")
    expect(page.locator("#window-dialog-done")).to_have_text("已保存")
    page.click('#window-form button[value="close"]')
    expect(card.locator(".cats")).to_contain_text("A 社保医保、税务办理")
    expect(card.locator(".cats")).to_contain_text("B 不动产登记")
    expect(audit_line(page, "王经理", "2号窗口 类别 A：社保医保、税务办理 B：不动产登记")).to_be_visible()
    seen = staff("staff2").get(f"{SITE}/windows/2").json()
    assert (seen["a_categories"], seen["b_categories"]) == (["social", "tax"], ["realty"])


def test_a_window_without_any_a_category_is_refused_with_the_servers_reason(console):
    page = console("manager")
    card = window_card(page, 3)
    expect(card).to_be_visible(timeout=10000)
    card.locator("[data-adjust-window]").click()
    for box in page.locator('#window-categories input[name="a"]:checked').all():
        box.uncheck()
    page.click("#save-categories")
    expect(page.locator("#window-dialog-error")).to_be_visible()
    expect(page.locator("#window-dialog-error")).not_to_be_empty()
    page.click('#window-form button[value="close"]')
    expect(card.locator(".cats")).to_contain_text("A 税务办理")


def test_forcing_b_posts_on_shows_in_the_queue_table(console, staff):
    page = console("manager")
    row = category_row(page, "tax")
    expect(row.locator(".backup")).to_have_text("自动", timeout=10000)
    row.locator("[data-adjust-category]").click()
    page.check('#category-form input[name="backup"][value="on"]')
    page.click("#save-backup")
    expect(row.locator(".backup")).to_have_text("强制开启")
    screenshot(page, "manager_category_dialog_zh")
    page.click('#category-form button[value="close"]')
    tax = next(c for c in staff().get(f"{SITE}/categories").json() if c["code"] == "tax")
    assert tax["backup_override"] is True
    expect(audit_line(page, "王经理", "税务办理 B岗强制开启")).to_contain_text("调整")

    row.locator("[data-adjust-category]").click()
    page.check('#category-form input[name="backup"][value="auto"]')
    page.click("#save-backup")
    expect(row.locator(".backup")).to_have_text("自动")
    page.click('#category-form button[value="close"]')


def test_daily_cap_and_moving_waiting_tickets(console, kiosk, staff):
    first = kiosk.post(f"{SITE}/tickets", {"category": "realty"}).json()
    second = kiosk.post(f"{SITE}/tickets", {"category": "realty"}).json()
    page = console("manager")
    row = category_row(page, "realty")
    expect(row).to_be_visible(timeout=10000)
    row.locator("[data-adjust-category]").click()
    issued = next(c for c in staff().get(f"{SITE}/categories").json()
                  if c["code"] == "realty")["issued_today"]

    page.fill("#daily-cap", str(issued - 1))  # below what was already promised today
    page.click("#save-cap")
    expect(page.locator("#category-dialog-error")).to_be_visible()
    expect(page.locator("#category-dialog-error")).to_contain_text(str(issued))
    page.fill("#daily-cap", str(issued + 5))
    page.click("#save-cap")
    expect(page.locator("#category-dialog-done")).to_have_text("已保存")
    expect(row).to_contain_text(f"{issued} / {issued + 5}")

    page.select_option("#move-to", "social")
    page.fill("#move-count", "1")
    page.click("#move-waiting")
    expect(page.locator("#category-dialog-done")).to_have_text(f"已移动 1 个号码：{first['number']}")
    page.click('#category-form button[value="close"]')
    waiting = {t["number"]: t["category"]["code"] for t in staff().get(f"{SITE}/tickets").json()["tickets"]}
    assert waiting[first["number"]] == "social" and waiting[second["number"]] == "realty"


def test_an_alert_appears_live_and_is_acknowledged_by_name(console, kiosk):
    page = console("manager")
    expect(page.locator("#alerts")).to_be_visible(timeout=10000)
    expect(page.locator("#live")).to_have_text("实时", timeout=10000)
    assert kiosk.post(f"{SITE}/printers/kiosk-1/status", {"status": "paper_out"}).status_code == 200
    alert = page.locator("#alerts li.alert", has_text="打印机 kiosk-1：缺纸")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("打印机故障")
    expect(page.locator('#devices [data-device="kiosk-1"]')).to_contain_text("缺纸")
    screenshot(page, "manager_alert_zh")
    alert.locator("[data-ack]").click()
    expect(alert).to_contain_text("王经理 于")
    expect(alert.locator("[data-ack]")).to_have_count(0)

    # The paper is refilled: once the printer stayed fine a while (this hall: 2 s, then the next
    # sweep) the alert clears and leaves the open list, but history keeps it.
    assert kiosk.post(f"{SITE}/printers/kiosk-1/status", {"status": "online"}).status_code == 200
    expect(alert).to_have_count(0, timeout=20000)
    page.check("#alert-history")
    kept = page.locator("#alerts li.alert.cleared", has_text="打印机 kiosk-1：缺纸")
    expect(kept).to_contain_text("王经理 于")
    expect(kept).to_contain_text("已解除")


def test_english_dialogs_force_b_posts_off_and_say_so(console):
    page = console("manager", lang="en")
    card = window_card(page, 4)
    expect(card).to_contain_text("Real Estate", timeout=10000)
    card.locator("[data-adjust-window]").click()
    expect(page.locator("#window-dialog-title")).to_have_text("Adjust Window 4")
    expect(page.locator("#window-categories")).to_contain_text("Social Insurance")
    screenshot(page, "manager_window_dialog_en")
    page.click('#window-form button[value="close"]')

    row = category_row(page, "realty")
    row.locator("[data-adjust-category]").click()
    page.check('#category-form input[name="backup"][value="off"]')
    page.click("#save-backup")
    expect(row.locator(".backup")).to_have_text("Forced off")
    expect(page.locator("#category-dialog-done")).to_have_text("Saved")
    screenshot(page, "manager_category_dialog_en")
    page.check('#category-form input[name="backup"][value="auto"]')
    page.click("#save-backup")
    expect(row.locator(".backup")).to_have_text("Auto")
    page.click('#category-form button[value="close"]')
