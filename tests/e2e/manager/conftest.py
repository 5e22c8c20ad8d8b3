"""One running server for the manager console tests, a headless Chromium, and sign-in helpers."""
from __future__ import annotations

import pytest

from ..browser import chromium
from ..server import sqlite_server

SCREENS = """
[[sites.screens]]
code = "window-1"
name = "1号窗口屏"
kind = "window"
window = 1

[sites.alerts]
sweep_seconds = 5
clear_after_seconds = 2
"""
FULL_HD = {"width": 1920, "height": 1080}
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with sqlite_server(tmp_path_factory.mktemp("manager-server"), SCREENS) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def console(browser, server):
    """Open a manager console page signed in as `who` (through the page's own sign-in form)."""
    pages = []

    def open_page(who: str = "manager", path: str = "/manager/", lang: str = "zh",
                  viewport: dict = FULL_HD):
        # the browser's own locale too, so date and time inputs read as a manager there sees them
        context = browser.new_context(viewport=viewport, locale="zh-CN" if lang == "zh" else "en-GB")
        page = context.new_page()
        page.goto(f"{server.url}{path}?lang={lang}", timeout=15000)
        page.fill("input[name=username]", who)
        page.fill("input[name=password]", server.passwords[who])
        page.click("#login-form button[type=submit]")
        page.wait_for_load_state()
        pages.append(context)
        return page
    yield open_page
    for context in pages:
        context.close()
