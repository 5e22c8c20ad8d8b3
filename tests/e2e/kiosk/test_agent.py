"""A kiosk PC runs `python -m kiosk` against the core in another process and prints on its own
printer: a tap on the agent's page issues at the core and the ticket comes out locally, once."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import requests

from ..browser import screenshot
from ..printers.fake_printer import FakePrinter
from ..server import free_port
from .conftest import LANDSCAPE, issued_today


@pytest.fixture(scope="module")
def agent_printer():
    with FakePrinter() as fake:
        yield fake


@pytest.fixture(scope="module")
def agent(hall_server, agent_printer):
    port = free_port()
    log = open(hall_server.folder / "agent.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--server", hall_server.url, "--port", str(port),
         "--printer", agent_printer.uri, "--paper-mm", "58"],
        env={**os.environ, "QUEUEHALL_KIOSK_TOKEN": hall_server.tokens["kiosk-1"]},
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if requests.get(url + "/kiosk/device", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError((hall_server.folder / "agent.log").read_text())
            time.sleep(0.2)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def test_the_agent_issues_at_the_core_and_prints_locally_once(browser, agent, hall_server,
                                                              agent_printer):
    context = browser.new_context(viewport=LANDSCAPE)
    context.set_default_timeout(10000)
    try:
        page = context.new_page()
        page.goto(agent + "/kiosk/")
        page.wait_for_selector("body[data-ready='1']")
        assert page.locator("#site-name").inner_text() == "测试政务服务中心"
        before = issued_today(hall_server, "social")
        page.locator(".category-button[data-code='social']").dblclick()
        number = page.get_by_test_id("ticket-number")
        number.wait_for()
        [printed] = agent_printer.wait_for_tickets(1, timeout=10)
        assert number.inner_text() in printed.text and "测试政务服务中心" in printed.text
        assert printed.qr_payloads[0].startswith(hall_server.url + "/t/")
        assert page.get_by_test_id("print-note").get_attribute("data-problem") == ""
        screenshot(page, "kiosk_agent_ticket_zh_landscape")
        time.sleep(0.5)
        assert issued_today(hall_server, "social") == before + 1
        assert len(agent_printer.tickets()) == 1
    finally:
        context.close()


def test_the_agent_says_so_when_the_core_refuses(agent, hall_server):
    response = requests.post(agent + "/api/v1/sites/test/tickets", json={"category": "nope"},
                             headers={"Accept-Language": "en"}, timeout=10)
    assert response.status_code == 404 and response.json()["error"]["message"]
