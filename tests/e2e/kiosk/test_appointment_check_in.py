"""预约签到 at the kiosk in headless Chromium: the code is tapped on the on-screen keypad, the
confirmation shows an appointment ticket (printed too); refusals and paused services say why."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from ..browser import screenshot
from ..conftest import Client
from .conftest import LANDSCAPE, PORTRAIT, issued_today

MARK = {"zh": "预约", "en": "Appointment"}


def book(server, minutes_from_now: int, category: str = "social") -> dict:
    """A manager books a 30-minute slot starting `minutes_from_now` (the server's real clock)."""
    manager = Client(server.url).login("manager", server.passwords["manager"])
    start = datetime.now(timezone.utc) + timedelta(minutes=minutes_from_now)
    r = manager.post("/api/v1/sites/test/appointments",
                     {"category": category, "slot_start": start.isoformat(),
                      "slot_end": (start + timedelta(minutes=30)).isoformat()})
    assert r.status_code == 201, r.text
    return r.json()


def tap_code(page, code: str) -> None:
    page.get_by_test_id("check-in").click()
    page.get_by_test_id("keypad-screen").wait_for()
    for digit in code:
        page.locator(f"#keypad button[data-key='{digit}']").click()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_an_applicant_taps_the_code_and_gets_an_appointment_ticket_printed(
        open_kiosk, hall_server, printer, lang, orientation):
    booked = book(hall_server, -5)
    page = open_kiosk("kiosk-p", PORTRAIT if orientation == "portrait" else LANDSCAPE)
    if lang == "en":
        page.get_by_test_id("lang-switch").click()
        page.wait_for_selector("html[lang='en']")
    tap_code(page, booked["code"][:-1] + "0")  # a slip of the finger…
    page.get_by_test_id("key-delete").click()  # …taken back
    confirm = page.get_by_test_id("key-confirm")
    assert confirm.is_disabled()  # 7 digits: not yet
    page.locator(f"#keypad button[data-key='{booked['code'][-1]}']").click()
    assert page.get_by_test_id("code").get_attribute("data-value") == booked["code"]
    screenshot(page, f"kiosk_keypad_{lang}_{orientation}")
    printed_before = len(printer.tickets())
    confirm.click()
    number = page.get_by_test_id("ticket-number")
    number.wait_for()
    shown = number.inner_text()
    assert shown.startswith("A")
    assert page.get_by_test_id("ticket-mark").inner_text() == MARK[lang]
    assert not page.get_by_test_id("late-note").is_visible()
    assert page.locator("#t-qr").is_visible()
    screenshot(page, f"kiosk_appointment_ticket_{lang}_{orientation}")
    printed = printer.wait_for_tickets(printed_before + 1, timeout=10)
    assert shown in printed[-1].text and "预约" in printed[-1].text
    manager = Client(hall_server.url).login("manager", hall_server.passwords["manager"])
    listed = manager.get("/api/v1/sites/test/appointments").json()
    assert next(a for a in listed if a["code"] == booked["code"])["ticket_number"] == shown
    page.get_by_test_id("finish").click()
    page.wait_for_selector("body[data-screen='start']")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_code_too_early_is_refused_with_the_time_to_come_back(open_kiosk, hall_server, lang):
    booked = book(hall_server, 180)
    page = open_kiosk("kiosk-p", LANDSCAPE)
    if lang == "en":
        page.get_by_test_id("lang-switch").click()
        page.wait_for_selector("html[lang='en']")
    tap_code(page, booked["code"])
    page.get_by_test_id("key-confirm").click()
    page.get_by_test_id("error").wait_for()
    text = page.locator("#error-text").inner_text()
    earliest = booked["slot_start"][11:16]  # local; check-in opens 30 min before
    opens = (datetime.fromisoformat(booked["slot_start"]) - timedelta(minutes=30)).strftime("%H:%M")
    assert (("还未到签到时间" in text) if lang == "zh" else ("Too early" in text))
    assert earliest in text and opens in text
    screenshot(page, f"kiosk_check_in_too_early_{lang}_landscape")
    page.locator("#error-back").click()
    page.wait_for_selector("body[data-screen='start']")


def test_an_unknown_code_is_refused_and_nothing_is_issued(open_kiosk, hall_server):
    page = open_kiosk("kiosk-p")
    before = issued_today(hall_server, "social")
    tap_code(page, "00000000")
    page.get_by_test_id("key-confirm").click()
    page.get_by_test_id("error").wait_for()
    assert "未找到预约" in page.locator("#error-text").inner_text()
    assert issued_today(hall_server, "social") == before
    page.locator("#error-back").click()
    page.wait_for_selector("body[data-screen='start']")


def test_the_keypad_back_button_and_an_abandoned_keypad_return_to_the_start(open_kiosk):
    page = open_kiosk("kiosk-p", init={"idleSeconds": 1})
    tap_code(page, "123")
    page.get_by_test_id("keypad-back").click()
    page.wait_for_selector("body[data-screen='start']")
    tap_code(page, "4")
    page.wait_for_selector("body[data-screen='start']", timeout=5000)  # idle: back by itself
    page.get_by_test_id("check-in").click()
    assert page.get_by_test_id("code").get_attribute("data-value") == ""  # nothing left over


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_service_whose_windows_are_all_paused_says_paused_and_why(open_kiosk, hall_server,
                                                                     lang):
    staff = Client(hall_server.url).login("staff3", hall_server.passwords["staff3"])
    w4 = "/api/v1/sites/test/windows/4"  # the only window serving 不动产登记 (realty)
    assert staff.post(f"{w4}/sign-in", {"post": "A"}).status_code == 200
    try:
        assert staff.post(f"{w4}/open").status_code == 200
        assert staff.post(f"{w4}/pause", {"reason": "系统故障"}).status_code == 200
        page = open_kiosk("kiosk-p", LANDSCAPE)
        if lang == "en":
            page.get_by_test_id("lang-switch").click()
            page.wait_for_selector("html[lang='en']")
        realty = page.locator(".category-button[data-code='realty']")
        assert realty.is_disabled()
        expected = {"zh": "暂停办理：系统故障", "en": "Paused: 系统故障"}[lang]
        assert realty.locator(".reason").inner_text() == expected
        assert page.locator(".category-button[data-code='social']").is_enabled()
        screenshot(page, f"kiosk_paused_{lang}_landscape")
        kiosk = Client(hall_server.url, lang).as_device(hall_server.tokens["kiosk-1"])
        refused = kiosk.post("/api/v1/sites/test/tickets", {"category": "realty"})
        assert refused.status_code == 409
        assert refused.json()["error"]["code"] == "category_paused"
        assert "系统故障" in refused.json()["error"]["message"]
    finally:
        staff.post(f"{w4}/close")
        staff.post(f"{w4}/sign-out")


def test_a_late_arrival_is_told_it_is_in_the_normal_queue(open_kiosk, hall_server):
    manager = Client(hall_server.url).login("manager", hall_server.passwords["manager"])
    end = datetime.now(timezone.utc) + timedelta(seconds=2)
    booked = manager.post("/api/v1/sites/test/appointments",
                          {"category": "social", "slot_start": (end - timedelta(minutes=30)).isoformat(),
                           "slot_end": end.isoformat()}).json()
    while datetime.now(timezone.utc) <= end:  # this hall takes no grace after the slot
        time.sleep(0.2)
    page = open_kiosk("kiosk-p")
    tap_code(page, booked["code"])
    page.get_by_test_id("key-confirm").click()
    # The kiosk retries a slow answer for up to 15 s: on a loaded machine (CI once) the ticket
    # came later than Playwright's default 10 s.
    page.get_by_test_id("ticket-number").wait_for(timeout=30_000)
    assert page.get_by_test_id("late-note").inner_text() == "您已超过预约时间，已按普通号排队"
    assert not page.get_by_test_id("ticket-mark").is_visible()  # a normal ticket, not 预约
    screenshot(page, "kiosk_appointment_late_zh_portrait")
