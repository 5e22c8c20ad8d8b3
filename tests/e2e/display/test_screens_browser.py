"""Hall and window screens in headless Chromium: a call shows and is spoken, once, even across
a reconnect; screenshots in both languages."""
from __future__ import annotations

import pytest

from ..browser import CHROMIUM, screenshot
from playwright.sync_api import sync_playwright

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--autoplay-policy=no-user-gesture-required"]
TV = {"width": 1920, "height": 1080}


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, timeout=30000)
        yield b
        b.close()


def open_screen(browser, server, page_path: str, device: str, lang: str = "zh"):
    page = browser.new_page(viewport=TV)
    page.goto(f"{server.url}/display/{page_path}?lang={lang}#token={server.tokens[device]}",
              timeout=15000)
    assert "token" not in page.url  # the token moved to localStorage
    page.wait_for_function("() => (window.hallScreen || window.windowScreen).state !== null",
                           timeout=10000)
    return page


def call_at(console, window: int, kiosk, category: str = "social") -> dict:
    kiosk.post("/api/v1/sites/test/tickets", {"category": category})
    called = console.post(f"/api/v1/sites/test/windows/{window}/call-next")
    assert called.status_code == 200, called.text
    return called.json()


def spoken(page, var: str) -> list[str]:
    return page.evaluate(f"() => {var}.voice.log.map(e => e.text + '|' + e.how)")


def test_a_call_shows_on_the_hall_and_window_screens_and_is_spoken(browser, server, kiosk, staff):
    hall = open_screen(browser, server, "hall", "hall-1")
    window = open_screen(browser, server, "window", "window-1")
    console = staff("staff1")
    console.post("/api/v1/sites/test/windows/1/sign-in", {"post": "A"})
    console.post("/api/v1/sites/test/windows/1/open")
    ticket = call_at(console, 1, kiosk)
    hall.wait_for_function(f"() => document.querySelector('#rows li').innerText.includes('{ticket['number']}')",
                           timeout=5000)
    assert "1号窗口" in hall.inner_text("#rows li")
    window.wait_for_function(f"() => document.querySelector('#ticket').innerText === '{ticket['number']}'",
                             timeout=5000)
    # the sign-in event names the person; the snapshot it asks for brings the 工号
    window.wait_for_function("() => document.querySelector('#staff').innerText.includes('1023')",
                             timeout=5000)
    staff = window.inner_text("#staff")
    assert "A岗" in staff and "李明" in staff and "工号 1023" in staff, staff
    hall.wait_for_function("() => hallScreen.voice.log.length >= 1", timeout=15000)
    said = spoken(hall, "hallScreen")
    assert said[-1].startswith("请" + " ".join(ticket["number"]) + "号到1号窗口办理")
    assert said[-1].split("|")[1] in ("browser", "server")  # a real voice, not the chime
    console.post(f"/api/v1/sites/test/tickets/{ticket['id']}/recall")
    hall.wait_for_function("() => hallScreen.voice.log.length >= 2", timeout=15000)
    hall.wait_for_timeout(300)
    screenshot(hall, "display_hall_zh")
    screenshot(window, "display_window_zh")
    console.post(f"/api/v1/sites/test/tickets/{ticket['id']}/start")
    window.wait_for_function("() => document.querySelector('#label').innerText === '正在办理'",
                             timeout=5000)
    console.post("/api/v1/sites/test/windows/1/pause", {"reason": "午休"})
    window.wait_for_function("() => document.querySelector('#state').innerText.includes('午休')",
                             timeout=5000)
    screenshot(window, "display_window_paused_zh")
    console.post(f"/api/v1/sites/test/tickets/{ticket['id']}/finish")
    console.post("/api/v1/sites/test/windows/1/open")
    hall.close()
    window.close()


def test_calls_made_while_the_hall_screen_was_offline_show_and_are_spoken_once(
        browser, server, kiosk, staff):
    hall = open_screen(browser, server, "hall", "hall-1")
    console = staff("staff2")
    console.post("/api/v1/sites/test/windows/2/sign-in", {"post": "A"})
    console.post("/api/v1/sites/test/windows/2/open")
    first = call_at(console, 2, kiosk)
    hall.wait_for_function("() => hallScreen.voice.log.length >= 1", timeout=15000)
    console.post(f"/api/v1/sites/test/tickets/{first['id']}/no-show")
    hall.evaluate("() => hallScreen.socket.disconnect()")
    missed = []
    for _ in range(2):
        t = call_at(console, 2, kiosk)
        missed.append(t["number"])
        console.post(f"/api/v1/sites/test/tickets/{t['id']}/no-show")
    hall.evaluate("() => hallScreen.socket.connect()")
    hall.wait_for_function("() => hallScreen.voice.log.length >= 3", timeout=20000)
    hall.wait_for_timeout(1500)
    said = [s.split("|")[0] for s in spoken(hall, "hallScreen")]
    for number in missed:
        assert sum(" ".join(number) in s for s in said) == 1, said
    assert sum(" ".join(first["number"]) in s for s in said) == 1, said
    # both listed; the row of window 2 shows its latest call
    listed = hall.evaluate("() => hallScreen.state.recent_calls.map(c => c.number)")
    assert all(n in listed for n in missed), listed
    assert missed[-1] in hall.inner_text("#rows")
    hall.close()


def test_english_screens_and_a_screen_without_a_token(browser, server, staff):
    hall = open_screen(browser, server, "hall", "hall-1", "en")
    assert "Waiting" in hall.inner_text("main")
    screenshot(hall, "display_hall_en")
    window = open_screen(browser, server, "window", "window-2", "en")
    window.wait_for_function("() => document.querySelector('#title').innerText.startsWith('Window 2')",
                             timeout=5000)
    screenshot(window, "display_window_en")
    console = staff("staff2")
    console.post("/api/v1/sites/test/windows/2/sign-in", {"post": "A"})
    console.post("/api/v1/sites/test/windows/2/open")
    console.post("/api/v1/sites/test/windows/2/pause", {"reason": "Lunch break"})
    window.wait_for_function("() => document.querySelector('#state').innerText.includes('Lunch break')",
                             timeout=5000)
    screenshot(window, "display_window_paused_en")
    console.post("/api/v1/sites/test/windows/2/open")
    fresh = browser.new_page(viewport=TV)
    fresh.goto(f"{server.url}/display/hall")
    assert "token" in fresh.inner_text("body")
    for p in (hall, window, fresh):
        p.close()


def test_a_lost_event_is_noticed_by_its_sequence_gap_and_the_call_still_shows(
        browser, server, kiosk, staff):
    hall = open_screen(browser, server, "hall", "hall-1")
    # Lose the next `called` event on its way in, as a flaky network would.
    hall.evaluate("""() => {
        window.dropNextCall = true;
        hallScreen.socket.off("event");
        hallScreen.socket.on("event", ev => {
            if (window.dropNextCall && ev.type === "called") { window.dropNextCall = false; return; }
            hallScreen.onEvent(ev);
        });
    }""")
    console = staff("staff2")
    console.post("/api/v1/sites/test/windows/2/sign-in", {"post": "A"})
    console.post("/api/v1/sites/test/windows/2/open")
    lost = call_at(console, 2, kiosk)
    console.post(f"/api/v1/sites/test/tickets/{lost['id']}/no-show")
    # The event reaches the page some time after the HTTP answers: wait until it was dropped.
    hall.wait_for_function("() => window.dropNextCall === false", timeout=5000)
    after = call_at(console, 2, kiosk)
    hall.wait_for_function(
        f"() => document.querySelector('#rows li').innerText.includes('{after['number']}')", timeout=5000)
    # one row per window: the lost call was listed, then replaced by this window's next call
    assert lost["number"] in hall.evaluate("() => hallScreen.state.recent_calls.map(c => c.number)")
    hall.wait_for_function("() => hallScreen.voice.log.length >= 2", timeout=20000)
    said = [s.split("|")[0] for s in spoken(hall, "hallScreen")]
    assert sum(" ".join(lost["number"]) in s for s in said) == 1, said
    console.post(f"/api/v1/sites/test/tickets/{after['id']}/no-show")
    hall.close()
