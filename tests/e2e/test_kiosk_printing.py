"""A kiosk's ticket comes out of its network printer once committed; a printer out of paper
raises an alert for managers and never loses the ticket."""
import time

import pytest

from tests.support.printer_replies import REPLY_PAPER_OUT

from .conftest import Client
from .printers.fake_printer import FakePrinter
from .server import start_server

PRINTING_KIOSK = """
[[sites.printers]]
code = "p1"
uri = "{uri}"
paper_mm = 58

[[sites.kiosks]]
code = "kiosk-p"
name = "带打印机的取号机"
printer = "p1"
"""


@pytest.fixture(scope="module")
def printer():
    with FakePrinter() as fake:
        yield fake


@pytest.fixture(scope="module")
def printing_server(printer, tmp_path_factory):
    folder = tmp_path_factory.mktemp("printing")
    srv = start_server(folder, f"sqlite:///{folder / 'hall.db'}",
                       PRINTING_KIOSK.format(uri=printer.uri), public_url="http://hall.example")
    yield srv
    srv.stop()


def test_issued_ticket_prints_with_number_category_and_qr(printing_server, printer):
    kiosk = Client(printing_server.url).as_device(printing_server.tokens["kiosk-p"])
    ticket = kiosk.post("/api/v1/sites/test/tickets", {"category": "social", "request_id": "t1"}).json()
    assert ticket["print"]["printer"] == "p1" and ticket["print"]["state"] in ("queued", "printing")
    [printed] = printer.wait_for_tickets(1, timeout=10)
    assert ticket["number"] in printed.text and "社保医保" in printed.text
    assert printed.qr_payloads == [f"http://hall.example/t/{ticket['status_token']}"]
    again = kiosk.post("/api/v1/sites/test/tickets", {"category": "social", "request_id": "t1"}).json()
    assert again["id"] == ticket["id"]
    time.sleep(0.5)
    assert len(printer.tickets()) == 1  # a repeated tap never prints a second ticket


def test_paper_out_alerts_managers_and_keeps_the_ticket(printing_server, printer):
    kiosk = Client(printing_server.url).as_device(printing_server.tokens["kiosk-p"])
    printed_before = len(printer.tickets())
    printer.status = dict(REPLY_PAPER_OUT)
    ticket = kiosk.post("/api/v1/sites/test/tickets", {"category": "tax"}).json()
    assert ticket["number"].startswith("B")
    screen = Client(printing_server.url).as_device(printing_server.tokens["hall-1"])
    deadline, alerts = time.monotonic() + 20, []
    while not alerts and time.monotonic() < deadline:
        events = screen.get("/api/v1/sites/test/events?since=0&limit=1000").json()["events"]
        alerts = [e for e in events if e["type"] == "printer_status" and e["alert"]]
        time.sleep(0.2)
    assert alerts and alerts[-1]["printer"] == "p1" and alerts[-1]["status"] == "paper_out"
    assert len(printer.tickets()) == printed_before
    status = Client(printing_server.url).get(f"/api/v1/tickets/{ticket['status_token']}").json()
    assert status["status"] == "waiting"  # the ticket stands; the kiosk shows it on screen
    printers = kiosk.get("/api/v1/sites/test/printers").json()  # screens have no printers
    assert printers == [{"code": "p1", "status": "paper_out"}]
