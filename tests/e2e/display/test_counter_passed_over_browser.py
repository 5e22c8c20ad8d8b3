"""The staff console says when a call passed over an older ticket the window could have called,
which one and why, instead of "longest wait": the record that answers a dispute at the counter."""
from __future__ import annotations

from playwright.sync_api import expect

from .test_counter_browser import take_window
from .test_counter_labels_browser import backdate
from .test_screens_browser import browser  # noqa: F401  (one Chromium per module)


def test_the_console_names_the_older_backup_ticket_a_call_passed_over(browser, server,  # noqa: F811
                                                                       kiosk):
    # Window 1: 社保 as A, 税务 as B. Nobody is at 税务's A window, so its ticket may be called
    # here, but it waited only 10 minutes longer (B overtakes A after 15): A work goes first.
    tax = kiosk.post("/api/v1/sites/test/tickets", {"category": "tax"}).json()
    backdate(server, tax["id"], 10)
    social = kiosk.post("/api/v1/sites/test/tickets", {"category": "social"}).json()
    one = take_window(browser, server, "staff1", 1)
    one.keyboard.press("F2")
    expect(one.locator("#current-number")).to_have_text(social["number"], timeout=5000)
    reason = one.locator("#current-reason")
    expect(reason).to_contain_text("本窗口A类业务优先于B类")
    expect(reason).to_contain_text(f"先于更早的 {tax['number']}（已等 10 分钟）")
    expect(reason).not_to_contain_text("等候最久")
    one.close()
