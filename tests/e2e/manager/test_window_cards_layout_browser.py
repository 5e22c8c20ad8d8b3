"""Window cards of the live hall with 14 windows, long names and every state, measured at
1366x768 and 1920x1080 in zh and en: every Adjust button visible and clickable (on screen or
reachable by scrolling the page, never clipped by a card or panel), no text running out of or
cut off in its card, no two cards or two parts of a card overlapping."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.hall_toml import category, window

from ..browser import screenshot
from ..conftest import Client
from ..server import sqlite_server
from .conftest import FULL_HD, LAPTOP
from .test_hall_browser import SITE, window_card

WINDOWS = 14
EXTRA = "".join(category(code, prefix, zh, en, daily_cap=300, wait_target_minutes=20,
                         service_minutes=8) for code, prefix, zh, en in [
    ("permit", "D", "工程建设项目审批联合办理", "Construction Project Permits and Approvals"),
    ("business", "E", "企业开办一窗通办", "Business Registration and Licensing")]) + "".join(
    window(n, name_zh=f"{n}号综合受理窗口", name_en=f"General Intake Counter {n}", a=[a],
           b=[b, "social"])
    for n, a, b in [(5, "permit", "business"), (6, "business", "permit"), (7, "tax", "realty"),
                    (8, "tax", "permit"), (9, "realty", "business"), (10, "permit", "tax"),
                    (11, "business", "realty"), (12, "permit", "business"),
                    (13, "business", "permit"), (14, "permit", "realty")])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with sqlite_server(tmp_path_factory.mktemp("window-cards"), EXTRA) as srv:
        yield srv


@pytest.fixture(scope="module")
def hall(server):
    """Windows serving long-named services, one called, window 12 paused for a long reason."""
    kiosk = Client(server.url).as_device(server.tokens["kiosk-1"])
    for code in ("permit", "business") * 3:
        assert kiosk.post(f"{SITE}/tickets", {"category": code}).status_code == 201
    for who, window, start in [("staff1", 5, True), ("staff2", 6, False), ("manager", 10, True)]:
        person = Client(server.url).login(who, server.passwords[who])
        assert person.post(f"{SITE}/windows/{window}/sign-in",
                           {"post": "A", "open": True}).status_code == 200
        ticket = person.post(f"{SITE}/windows/{window}/call-next", {}).json()
        if start:
            assert person.post(f"{SITE}/tickets/{ticket['id']}/start", {}).status_code == 200
    manager = Client(server.url).login("manager", server.passwords["manager"])
    assert manager.post(f"{SITE}/windows/12/open", {}).status_code == 200
    assert manager.post(f"{SITE}/windows/12/pause",
                        {"reason": "系统故障，等待信息中心远程处理"}).status_code == 200


MEASURE = """() => {
  const boxes = (el) => el.getBoundingClientRect();
  const inside = (a, b) => a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  const problems = [];
  const cards = [...document.querySelectorAll('#windows [data-window]')];
  cards.forEach((card, i) => {
    const n = card.dataset.window, box = boxes(card);
    cards.slice(i + 1).forEach((other) => {
      if (overlap(box, boxes(other))) problems.push(`cards ${n} and ${other.dataset.window} overlap`);
    });
    // every part with text: inside its card, not cut off, not on top of another part
    const parts = [...card.querySelectorAll('h3, .since, .badge, .post, button, .ticket, .status, .timer, .cats span')]
      .filter((el) => el.textContent.trim() && el.getClientRects().length);
    parts.forEach((el, j) => {
      const r = boxes(el), name = `${n}: ${el.className || el.tagName} "${el.textContent.trim()}"`;
      if (!inside(r, box)) problems.push(`${name} runs out of its card`);
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== 'inline') problems.push(`${name} is cut off`);
      parts.slice(j + 1).forEach((o) => {
        if (!el.contains(o) && !o.contains(el) && overlap(r, boxes(o))) problems.push(`${name} overlaps "${o.textContent.trim()}"`);
      });
    });
    // the Adjust button: not clipped by any scrolling or hiding ancestor, and on top where it is
    const button = card.querySelector('[data-adjust-window]'), b = boxes(button);
    for (let up = button.parentElement; up && up !== document.body; up = up.parentElement) {
      const s = getComputedStyle(up);
      if ((s.overflowX !== 'visible' || s.overflowY !== 'visible') && !inside(b, boxes(up)))
        problems.push(`${n}: Adjust clipped by ${up.id || up.className || up.tagName}`);
    }
  });
  // the queues table above the cards: its Adjust buttons stay inside its panel
  const queues = boxes(document.getElementById('categories-panel'));
  document.querySelectorAll('[data-adjust-category]').forEach((b) => {
    if (!inside(boxes(b), queues)) problems.push(`queue ${b.dataset.adjustCategory}: Adjust outside its panel`);
  });
  // the headline strip, 达标率 included
  document.querySelectorAll('#summary .kpi').forEach((k) => {
    [...k.children].forEach((c) => { if (!inside(boxes(c), boxes(k))) problems.push(`headline ${k.className}: "${c.textContent}" runs out`); });
    const figure = k.querySelector('b');
    if (boxes(figure).height > parseFloat(getComputedStyle(figure).fontSize) * 1.8) problems.push(`headline ${k.className}: "${figure.textContent}" wraps`);
  });
  const page = document.documentElement;
  if (page.scrollWidth > page.clientWidth) problems.push(`page scrolls sideways: ${page.scrollWidth} > ${page.clientWidth}`);
  return problems;
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("viewport", [LAPTOP, FULL_HD], ids=["1366", "1920"])
def test_window_cards_fit_and_every_adjust_button_works(console, hall, lang, viewport):
    page = console("manager", lang=lang, viewport=viewport)
    expect(page.locator("#windows [data-window]")).to_have_count(WINDOWS, timeout=10000)
    expect(window_card(page, 5).locator(".current .ticket")).to_have_text("D001")
    expect(window_card(page, 12).locator(".badge")).to_contain_text("系统故障")
    # three called within target, three still waiting within it (not counted yet)
    expect(page.locator("#summary .kpi-on_target b")).to_have_text("100%")
    expect(page.locator("#summary .kpi-on_target")).to_have_attribute("title", "3 / 3")
    screenshot(page, f"manager_window_cards_{lang}_{viewport['width']}")
    assert page.evaluate(MEASURE) == []
    for n in range(1, WINDOWS + 1):
        button = window_card(page, n).locator("[data-adjust-window]")
        button.scroll_into_view_if_needed()
        expect(button).to_be_visible()
        expect(button).to_be_in_viewport()
        # the button itself takes a click at its centre (nothing lies on top of it)
        assert button.evaluate("""(b) => { const r = b.getBoundingClientRect();
            return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === b; }""")
    window_card(page, 12).locator("[data-adjust-window]").click()
    expect(page.locator("#window-dialog")).to_be_visible()
    expect(page.locator("#window-dialog-title")).to_contain_text("12")
