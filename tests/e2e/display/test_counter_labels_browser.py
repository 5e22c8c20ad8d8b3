"""The staff console says why a ticket was called in words, from the server's labels: a ticket
transferred to this window, a B category active because its waits passed the target (the page
used to show `transferred_to_window` and `over_target` raw: its own table said `overdue`)."""
from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from queue_core.adapters.orm import Ticket

from ..conftest import Client
from .test_counter_browser import take_window
from .test_screens_browser import browser  # noqa: F401  (one Chromium per module)


def backdate(server, ticket_id: int, minutes: int) -> None:
    """The applicant has been waiting `minutes` already (as if issued that long ago)."""
    config = (server.folder / "config.toml").read_text(encoding="utf-8")
    url = re.search(r'^database_url = "(.+)"$', config, re.M).group(1)
    engine = create_engine(url)
    with Session(engine) as session:
        ticket = session.get(Ticket, ticket_id)
        ticket.queued_at -= timedelta(minutes=minutes)
        ticket.issued_at -= timedelta(minutes=minutes)
        session.commit()
    engine.dispose()


def test_the_console_shows_why_a_ticket_was_called_in_words(browser, server, kiosk):  # noqa: F811
    staff1 = Client(server.url).login("staff1", server.passwords["staff1"])
    window1 = "/api/v1/sites/test/windows/1"
    assert staff1.post(window1 + "/sign-in", {"post": "A"}).status_code == 200
    assert staff1.post(window1 + "/open", {}).status_code == 200

    # 转办 to window 2: window 2's console says the ticket was transferred to it.
    ticket = kiosk.post("/api/v1/sites/test/tickets", {"category": "social"}).json()
    assert staff1.post(window1 + "/call-next", {}).json()["id"] == ticket["id"]
    assert staff1.post(f"/api/v1/sites/test/tickets/{ticket['id']}/transfer",
                       {"to_window": 2}).status_code == 200
    two = take_window(browser, server, "staff2", 2)
    two.keyboard.press("F2")
    expect(two.locator("#current-number")).to_have_text(ticket["number"], timeout=5000)
    expect(two.locator("#current-reason")).to_contain_text("转办到本窗口")
    expect(two.locator("#current-reason")).not_to_contain_text("transferred_to_window")

    # Window 3 serves 社保 as its B work; window 1's A post is in, and 社保's oldest ticket has
    # waited past its 20-minute target: window 3 calls it, and says why.
    late = kiosk.post("/api/v1/sites/test/tickets", {"category": "social"}).json()
    backdate(server, late["id"], 40)
    three = take_window(browser, server, "staff3", 3)
    three.keyboard.press("F2")
    expect(three.locator("#current-number")).to_have_text(late["number"], timeout=5000)
    reason = three.locator("#current-reason")
    expect(reason).to_contain_text("（B岗业务）；该类别等候超时，启用B岗；已等候 40 分钟")
    expect(reason).not_to_contain_text("over_target")
    for page in (two, three):
        page.close()
