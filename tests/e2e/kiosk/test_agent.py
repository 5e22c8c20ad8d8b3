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

from tests.support.printer_replies import REPLY_PAPER_OUT

from ..browser import screenshot
from ..conftest import Client
from ..printers.fake_printer import FakePrinter
from ..server import free_port
from .conftest import LANDSCAPE, issued_today
from .test_appointment_check_in import book, tap_code


@pytest.fixture(scope="module")
def agent_printer():
    with FakePrinter() as fake:
        yield fake


@pytest.fixture(scope="module")
def run_agent(hall_server):
    """Start `python -m kiosk` processes for (device, printer uri); stopped after the module."""
    processes = []

    def run(device: str, printer_uri: str) -> str:
        port = free_port()
        log = open(hall_server.folder / f"agent-{device}.log", "wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "--server", hall_server.url, "--port", str(port),
             "--printer", printer_uri, "--paper-mm", "58"],
            env={**os.environ, "QUEUEHALL_KIOSK_TOKEN": hall_server.tokens[device]},
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        processes.append(process)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                if requests.get(url + "/kiosk/device", timeout=2).ok:
                    return url
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError((hall_server.folder / f"agent-{device}.log").read_text())
            time.sleep(0.2)

    yield run
    for process in processes:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def agent(run_agent, agent_printer):
    return run_agent("kiosk-1", agent_printer.uri)


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


def test_the_agents_printer_out_of_paper_shows_on_screen_and_alerts_managers(browser, run_agent,
                                                                             hall_server):
    with FakePrinter(status=dict(REPLY_PAPER_OUT)) as empty:
        url = run_agent("kiosk-a", empty.uri)
        context = browser.new_context(viewport={"width": 1080, "height": 1920})
        context.set_default_timeout(10000)
        try:
            page = context.new_page()
            page.goto(url + "/kiosk/")
            page.wait_for_selector("body[data-ready='1']")
            page.locator(".category-button[data-code='realty']").click()
            page.get_by_test_id("ticket-number").wait_for()
            page.locator("#print-note[data-problem='printer_down']").wait_for(timeout=15000)
            page.wait_for_selector("#device-status[data-printer='paper_out']", timeout=15000)
            screenshot(page, "kiosk_agent_printer_down_zh_portrait")
        finally:
            context.close()
        screen = Client(hall_server.url).as_device(hall_server.tokens["hall-1"])
        deadline, alerts = time.monotonic() + 10, []
        while not alerts and time.monotonic() < deadline:
            events = screen.get("/api/v1/sites/test/events?since=0&limit=1000").json()["events"]
            alerts = [e for e in events if e["type"] == "printer_status" and e["alert"]
                      and e["printer"] == "kiosk-a"]
            time.sleep(0.2)
        assert alerts and alerts[-1]["status"] == "paper_out"
        assert empty.tickets() == []


def test_a_kiosk_reports_only_its_own_printer(hall_server):
    kiosk = Client(hall_server.url).as_device(hall_server.tokens["kiosk-a"])
    assert kiosk.post("/api/v1/sites/test/printers/p1/status",
                      {"status": "paper_out"}).status_code == 400
    screen = Client(hall_server.url).as_device(hall_server.tokens["hall-1"])
    assert screen.post("/api/v1/sites/test/printers/hall-1/status",
                       {"status": "offline"}).status_code == 403


def test_an_appointment_checked_in_at_the_agent_prints_locally_once(browser, agent, hall_server,
                                                                    agent_printer):
    booked = book(hall_server, -5)
    context = browser.new_context(viewport=LANDSCAPE)
    context.set_default_timeout(10000)
    try:
        page = context.new_page()
        page.goto(agent + "/kiosk/")
        page.wait_for_selector("body[data-ready='1']")
        printed_before = len(agent_printer.tickets())
        tap_code(page, booked["code"])
        page.get_by_test_id("key-confirm").click()
        number = page.get_by_test_id("ticket-number")
        number.wait_for()
        assert page.get_by_test_id("ticket-mark").inner_text() == "预约"
        printed = agent_printer.wait_for_tickets(printed_before + 1, timeout=10)
        assert number.inner_text() in printed[-1].text and "预约" in printed[-1].text
        again = requests.post(f"{agent}/api/v1/sites/test/appointments/check-in",
                              json={"code": booked["code"]}, timeout=10)
        assert again.json()["number"] == number.inner_text() and again.json()["repeated"]
        time.sleep(1.0)  # a second paper ticket would have come out by now
        assert len(agent_printer.tickets()) == printed_before + 1
    finally:
        context.close()
