"""A busy hall on the live page: sixteen windows and six queues, several windows serving and one
queue over its target, photographed at 1920x1080 and 1366x768 to check the dashboard stays
dense and readable when a real hall fills it."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.hall_toml import category, window

from ..browser import screenshot
from ..conftest import Client
from ..server import sqlite_server
from .conftest import LAPTOP
from .test_hall_browser import SITE, category_row, window_card

MORE = "".join(category(code, prefix, zh, en, daily_cap=300, wait_target_minutes=target,
                        service_minutes=8) for code, prefix, zh, en, target in [
    ("permit", "D", "工程建设审批", "Construction Permits", 30),
    ("business", "E", "企业开办", "Business Registration", 20),
    ("household", "F", "户籍出入境", "Household and Exit-Entry", 1)]) + "".join(
    window(n, a=[a], b=[b])
    for n, a, b in [(5, "permit", "business"), (6, "business", "permit"), (7, "household", "social"),
                    (8, "social", "household"), (9, "social", "tax"), (10, "tax", "social"),
                    (11, "realty", "permit"), (12, "business", "social"), (13, "household", "tax"),
                    (14, "permit", "realty"), (15, "social", "business"), (16, "tax", "realty")])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with sqlite_server(tmp_path_factory.mktemp("busy-hall"), MORE) as srv:
        yield srv


@pytest.fixture(scope="module")
def busy(server):
    """Tickets in every queue; five windows staffed and serving, one paused, the rest closed."""
    kiosk = Client(server.url).as_device(server.tokens["kiosk-1"])
    for code, n in [("social", 9), ("tax", 3), ("realty", 4), ("permit", 5), ("business", 6),
                    ("household", 4)]:
        for _ in range(n):
            assert kiosk.post(f"{SITE}/tickets", {"category": code}).status_code == 201
    serving = {}
    for who, window in [("staff1", 1), ("staff2", 8), ("staff3", 6), ("manager", 5), ("admin", 11)]:
        person = Client(server.url).login(who, server.passwords[who])
        assert person.post(f"{SITE}/windows/{window}/sign-in", {"post": "A"}).status_code == 200
        person.post(f"{SITE}/windows/{window}/open", {})
        ticket = person.post(f"{SITE}/windows/{window}/call-next", {}).json()
        if window != 6:
            person.post(f"{SITE}/tickets/{ticket['id']}/start", {})
        serving[window] = ticket["number"]
    manager = Client(server.url).login("manager", server.passwords["manager"])
    manager.post(f"{SITE}/windows/9/open", {})
    manager.post(f"{SITE}/windows/9/pause", {"reason": "午休"})
    return serving


@pytest.mark.parametrize("lang,viewport,name", [
    ("zh", {"width": 1920, "height": 1080}, "manager_busy_hall_zh"),
    ("en", {"width": 1920, "height": 1080}, "manager_busy_hall_en"),
    ("zh", LAPTOP, "manager_busy_hall_zh_1366"),
])
def test_a_busy_hall_fits_the_console(console, busy, lang, viewport, name):
    page = console("manager", lang=lang, viewport=viewport)
    expect(page.locator("#windows [data-window]")).to_have_count(16, timeout=10000)
    expect(page.locator("#categories tbody tr")).to_have_count(6)
    for window, number in busy.items():
        expect(window_card(page, window).locator(".current .ticket")).to_have_text(number)
    expect(window_card(page, 9).locator(".badge")).to_have_text(
        "暂停：午休" if lang == "zh" else "Paused: 午休")
    # 户籍出入境 has a one-minute target: four waiting at eight minutes each is past it.
    expect(category_row(page, "household")).to_have_class(re.compile(r"lv-(warn|bad)"))
    expect(page.locator("#alerts li.alert").first).to_be_visible(timeout=30000)
    screenshot(page, name)
    if viewport["height"] == 1080:  # a manager's monitor: the whole hall without scrolling
        assert page.evaluate("() => document.documentElement.scrollHeight") <= 1080
