"""The manager console shows the hall's time, not the browser's: a PC set to New York still reads
Shanghai times on alerts, the audit and the clock; alerts carry their severity, critical first."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from ..browser import screenshot
from .conftest import FULL_HD


def open_in_new_york(browser, server, lang: str):
    context = browser.new_context(viewport=FULL_HD, timezone_id="America/New_York",
                                  locale="zh-CN" if lang == "zh" else "en-GB")
    page = context.new_page()
    page.goto(f"{server.url}/manager/?lang={lang}", timeout=15000)
    page.fill("input[name=username]", "manager")
    page.fill("input[name=password]", server.passwords["manager"])
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state()
    return context, page


def test_times_are_the_halls_and_alerts_show_their_severity(browser, server, kiosk):
    assert kiosk.post("/api/v1/sites/test/printers/kiosk-1/status",
                      {"status": "paper_out"}).status_code == 200
    for lang, critical in (("zh", "严重"), ("en", "Critical")):
        context, page = open_in_new_york(browser, server, lang)
        alert = page.locator("#alerts li.alert[data-level=critical]").first
        expect(alert).to_be_visible(timeout=10000)
        expect(alert.locator(".level")).to_have_text(critical)
        shanghai = datetime.now(ZoneInfo("Asia/Shanghai"))
        new_york = datetime.now(ZoneInfo("America/New_York"))
        raised = alert.locator(".meta").inner_text()
        assert shanghai.strftime("%H:") in raised and new_york.strftime("%H:") not in raised
        assert shanghai.strftime("%H:%M") in page.locator("#clock").inner_text() or \
            datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%H:%M") in page.locator("#clock").inner_text()
        assert "UTC" not in page.locator("#alerts").inner_text()
        first_time = page.locator("#audit time").first.inner_text()
        assert first_time.startswith(shanghai.strftime("%H:")) or \
            first_time.startswith(datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%H:"))
        # critical before warning whatever came first
        levels = page.locator("#alerts li.alert").evaluate_all("ls => ls.map(l => l.dataset.level)")
        assert levels == sorted(levels, key=["critical", "warning"].index)
        screenshot(page, f"manager_site_time_new_york_{lang}")
        context.close()
    kiosk.post("/api/v1/sites/test/printers/kiosk-1/status", {"status": "online"})
