"""The window console on a hall's first day, in headless Chromium: 签到上岗 opens the window in
one step, the buttons never move whatever the state, the queue is listed in the order calls
take it, and 特呼, 过号重排 and 补打 work from the keyboard with their reasons recorded."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ...conftest import BACKENDS
from ..server import sqlite_server, start_server
from .conftest import SCREENS
from .databases import own_postgres_database
from .test_counter_browser import DESK, sign_in
from .test_screens_browser import browser  # noqa: F401  (one Chromium per module)
from ..browser import screenshot

PRINTER = """
[[sites.printers]]
code = "kp-1"
uri = "file://{path}"
"""


@pytest.fixture(scope="module", params=BACKENDS)
def server(request, tmp_path_factory):
    """Screens, and a printer for 补打 (a file)."""
    folder = tmp_path_factory.mktemp(f"counter-{request.param}")
    extra = SCREENS + PRINTER.format(path=folder / "kp-1.bin")
    if request.param == "postgresql":
        with own_postgres_database() as url:
            srv = start_server(folder, url, extra)
            yield srv
            srv.stop()
        return
    with sqlite_server(folder, extra) as srv:
        yield srv


def take(page, number: int, post: str = "A") -> None:
    expect(page.locator("#pick")).to_be_visible(timeout=10000)
    page.select_option("#pick-window", str(number))
    page.check(f"#pick-form input[name=post][value={post}]")
    page.keyboard.press("Enter")  # 签到上岗: one step, the window opens with it


def boxes(page) -> dict:
    return {b.get_attribute("data-act"): b.bounding_box()
            for b in page.locator("button[data-act]").all()}


def queue_numbers(page) -> list[str]:
    return page.locator("#queue tbody tr[data-number]").evaluate_all(
        "rows => rows.map(r => r.dataset.number)")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sign_in_opens_the_window_and_the_buttons_never_move(browser, server, kiosk, lang):  # noqa: F811
    page = sign_in(browser, server, "staff2", lang)
    take(page, 2)
    open_text = "服务中" if lang == "zh" else "Open"
    expect(page.locator("#window-state")).to_have_text(open_text, timeout=10000)
    expect(page.locator('[data-act="call"]')).to_be_enabled()
    idle = boxes(page)
    assert len(idle) == 13 and all(b and b["width"] > 0 for b in idle.values())
    kiosk.post("/api/v1/sites/test/tickets", {"category": "social"})
    page.keyboard.press("F2")
    expect(page.locator("#current-number")).not_to_have_text("—", timeout=5000)
    assert boxes(page) == idle  # called
    page.keyboard.press("F4")
    expect(page.locator('[data-act="finish"]')).to_be_enabled(timeout=5000)
    assert boxes(page) == idle  # serving
    page.click('[data-act="close"]')  # refused while serving: the error line shows
    expect(page.locator("#error")).to_be_visible(timeout=5000)
    assert boxes(page) == idle
    screenshot(page, f"counter_serving_error_{lang}")
    page.keyboard.press("F5")
    expect(page.locator("#current-number")).to_have_text("—", timeout=5000)
    page.keyboard.press("p")
    page.click('#pause-form button[value="ok"]')
    expect(page.locator("#window-state")).not_to_have_text(open_text, timeout=5000)
    expect(page.locator('[data-act="call"]')).to_be_disabled()
    assert boxes(page) == idle  # paused: every button where it was, some disabled
    page.click('[data-act="open"]')
    expect(page.locator("#window-state")).to_have_text(open_text, timeout=5000)
    page.click("#signout")
    expect(page.locator("#login")).to_be_visible(timeout=10000)
    page.close()


def test_queue_in_call_order_then_special_call_reinstate_and_reprint(
        browser, server, kiosk, screen):  # noqa: F811
    hall = screen("hall-1")
    page = sign_in(browser, server, "staff1")
    take(page, 1)  # 社保 A, 税务 B
    expect(page.locator("#window-state")).to_have_text("服务中", timeout=10000)
    post = lambda **kw: kiosk.post("/api/v1/sites/test/tickets", kw).json()  # noqa: E731
    early, later = post(category="social"), post(category="social")
    priority = post(category="social", priority_class="priority")
    # The priority ticket first although it came last: the order the calls will take.
    expect(page.locator("#queue tbody")).to_contain_text(priority["number"], timeout=5000)
    expect(page.locator("#queue tbody tr").first).to_contain_text("优先群体优先")
    assert queue_numbers(page)[:3] == [priority["number"], early["number"], later["number"]]
    screenshot(page, "counter_queue_order_zh")

    # 特呼 (F9 or a click on the number): `later` out of turn, with a reason.
    page.click(f'#queue button[data-special="{later["number"]}"]')
    expect(page.locator("#special-dialog")).to_be_visible()
    expect(page.locator("#special-number")).to_have_value(later["number"])
    page.select_option("#special-reason", "家属同办")
    screenshot(page, "counter_special_dialog_zh")
    page.click('#special-form button[value="ok"]')
    expect(page.locator("#current-number")).to_have_text(later["number"], timeout=5000)
    expect(page.locator("#current-reason")).to_contain_text("特呼")
    expect(page.locator("#current-reason")).to_contain_text("家属同办")
    hall.wait_for(lambda s: any(e["type"] == "called" and e["number"] == later["number"]
                                and e["reason"]["rule"] == "special"
                                and e["reason"]["note"] == "家属同办" for e in s.events))
    assert queue_numbers(page)[:2] == [priority["number"], early["number"]]

    # 补打 (R) of the ticket at the window, on the hall's printer, with a reason.
    page.keyboard.press("r")
    expect(page.locator("#reprint-dialog")).to_be_visible()
    expect(page.locator("#reprint-ticket")).to_have_text(later["number"])
    page.select_option("#reprint-reason", "号码票丢失")
    screenshot(page, "counter_reprint_dialog_zh")
    page.click('#reprint-form button[value="ok"]')
    hall.wait_for(lambda s: any(e["type"] == "reprint_requested"
                                and e["number"] == later["number"] for e in s.events))
    expect(page.locator("#error")).to_be_hidden()

    # 过号 (F6), then 过号重排 (F10): back in the queue, behind those waiting.
    page.keyboard.press("F6")
    expect(page.locator("#no-shows")).to_contain_text(later["number"], timeout=5000)
    page.keyboard.press("F10")
    expect(page.locator("#reinstate-dialog")).to_be_visible()
    page.select_option("#reinstate-reason", "申请人返回")
    page.click('#reinstate-form button[value="ok"]')
    hall.wait_for(lambda s: any(e["type"] == "reinstated" and e["number"] == later["number"]
                                and e["reason"] == "申请人返回" for e in s.events))
    expect(page.locator("#queue tbody tr").last).to_contain_text(later["number"], timeout=5000)
    expect(page.locator("#no-shows")).not_to_contain_text(later["number"])
    screenshot(page, "counter_after_reinstate_zh")

    # The list is what the calls take: F2 calls its head each time.
    for expected in queue_numbers(page):
        page.keyboard.press("F2")
        expect(page.locator("#current-number")).to_have_text(expected, timeout=5000)
        page.keyboard.press("F6")
        expect(page.locator("#current-number")).to_have_text("—", timeout=5000)
    page.click("#signout")
    expect(page.locator("#login")).to_be_visible(timeout=10000)
    page.close()


def test_special_call_of_a_number_the_window_may_not_call_is_refused_in_english(
        browser, server, kiosk):  # noqa: F811
    page = sign_in(browser, server, "staff3", "en")
    take(page, 4)  # 不动产 A, 税务 B
    expect(page.locator("#window-state")).to_have_text("Open", timeout=10000)
    other = kiosk.post("/api/v1/sites/test/tickets", {"category": "social"}).json()
    page.keyboard.press("F9")
    page.fill("#special-number", other["number"])
    page.fill("#special-form input[name=other]", "asked at the desk")
    screenshot(page, "counter_special_dialog_en")
    page.click('#special-form button[value="ok"]')
    expect(page.locator("#error")).to_contain_text("is not one window 4 may call", timeout=5000)
    expect(page.locator("#current-number")).to_have_text("—")
    screenshot(page, "counter_special_refused_en")
    page.click("#signout")
    expect(page.locator("#login")).to_be_visible(timeout=10000)
    page.close()


@pytest.mark.parametrize("lang, more", [("zh", "还有 {} 位"), ("en", "{} more")])
def test_a_long_queue_lists_its_first_50_and_says_how_many_more(browser, server, kiosk,
                                                                 lang, more):  # noqa: F811
    page = sign_in(browser, server, "staff2", lang)
    take(page, 2)  # 社保 A
    expect(page.locator("#queue tbody tr").first).to_be_visible(timeout=10000)
    queue = lambda: page.request.get(  # noqa: E731  (the page's own session)
        f"{server.url}/api/v1/sites/test/tickets?window=2").json()
    for _ in range(max(0, 53 - queue()["total"])):
        assert kiosk.post("/api/v1/sites/test/tickets", {"category": "social"}).status_code == 201
    total = queue()["total"]
    assert total > 50
    page.evaluate("window.counterConsole.refresh()")
    expect(page.locator("#queue tbody tr.more")).to_have_text(more.format(total - 50),
                                                                timeout=5000)
    assert len(queue_numbers(page)) == 50
    assert queue_numbers(page) == [t["number"] for t in queue()["tickets"]]
    screenshot(page, f"counter_long_queue_{lang}")
    page.click("#signout")
    expect(page.locator("#login")).to_be_visible(timeout=10000)
    page.close()
