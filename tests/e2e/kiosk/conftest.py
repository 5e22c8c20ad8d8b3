"""A running server with two printing kiosks (one printer fine, one out of paper) and a browser."""
from __future__ import annotations

import json

import pytest

from tests.support.printer_replies import REPLY_PAPER_OUT

from ...e2e.browser import chromium
from ..conftest import Client
from ..printers.fake_printer import FakePrinter
from ..server import start_server

KIOSKS = """
[[sites.printers]]
code = "p1"
uri = "{ok}"
paper_mm = 80

[[sites.printers]]
code = "p2"
uri = "{out}"
paper_mm = 58

[[sites.kiosks]]
code = "kiosk-p"
name = "取号机 P"
printer = "p1"

[[sites.kiosks]]
code = "kiosk-q"
name = "取号机 Q"
printer = "p2"

[[sites.kiosks]]
code = "kiosk-a"
name = "自助机 A（本机 USB 打印机）"

[sites.appointments]
late_minutes = 0  # late as soon as the slot ends (the server runs on the real clock)
"""

PORTRAIT = {"width": 1080, "height": 1920}
LANDSCAPE = {"width": 1920, "height": 1080}


@pytest.fixture(scope="package")
def printer():
    with FakePrinter() as fake:
        yield fake


@pytest.fixture(scope="package")
def empty_printer():
    with FakePrinter(status=dict(REPLY_PAPER_OUT)) as fake:
        yield fake


@pytest.fixture(scope="package")
def hall_server(printer, empty_printer, tmp_path_factory):
    folder = tmp_path_factory.mktemp("kiosk-hall")
    srv = start_server(folder, f"sqlite:///{folder / 'hall.db'}",
                       KIOSKS.format(ok=printer.uri, out=empty_printer.uri),
                       public_url="http://hall.example")
    yield srv
    srv.stop()


@pytest.fixture(scope="package")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def open_kiosk(browser, hall_server):
    """A fresh kiosk page (new browser profile) for a device token and a viewport."""
    contexts = []

    def open_(device: str = "kiosk-p", viewport: dict = PORTRAIT, init: dict | None = None):
        context = browser.new_context(viewport=viewport)
        context.set_default_timeout(10000)
        if init:  # timings the page reads at start (window.QUEUEHALL_KIOSK)
            context.add_init_script(f"window.QUEUEHALL_KIOSK = {json.dumps(init)};")
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{hall_server.url}/kiosk/#token={hall_server.tokens[device]}")
        page.wait_for_selector("body[data-ready='1']")
        return page

    yield open_
    for context in contexts:
        context.close()


def issued_today(server, category: str) -> int:
    categories = Client(server.url).get("/api/v1/sites/test/categories").json()
    return next(c["issued_today"] for c in categories if c["code"] == category)
