"""The screens' voice in headless Chromium: the queueing rule of announcer.js on a virtual clock
(a burst of 9 calls, 15 calls a minute for an hour, merges and recalls), and the hall screen's
"点击启用声音" prompt under Chromium's default autoplay policy, gone after a tap."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from ..browser import CHROMIUM, FLAGS, screenshot
from ..conftest import Client

ANNOUNCER = Path(__file__).parents[3] / "display" / "static" / "announcer.js"
TV = {"width": 1920, "height": 1080}
CHIME, PHRASE = 560, 2500  # ms, about the default pack's (bench/bench_voice.py measures them)


@pytest.fixture(scope="module")
def playwright():
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def rule(playwright):
    """A page holding announcer.js, to run its rule on a virtual clock."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, timeout=30000)
    page = browser.new_page()
    page.set_content("<html lang='zh-CN'><body></body></html>")
    page.add_script_tag(path=str(ANNOUNCER))
    yield lambda calls, **opts: page.evaluate(
        "([calls, opts]) => QueuehallAnnouncer.simulate(calls, opts)",
        [calls, {"chimeMs": CHIME, "phraseMs": PHRASE, "repeat": 1, **opts}])
    browser.close()


def call(at_s: float, n: int, window: int = 1, recall: bool = False) -> dict:
    return {"at": at_s * 1000, "number": f"A{n:03d}", "window": window, "recall": recall}


def test_a_burst_of_nine_calls_speaks_what_it_can_within_ten_seconds_and_drops_the_rest(rule):
    run = rule([call(0, n, n) for n in range(1, 10)])
    spoken = [(s["number"], s["delay"], s["chime"]) for s in run["spoken"]]
    # one chime opens the run; the calls after it follow back to back, 0.3 s apart
    assert spoken == [("A001", 0, True), ("A002", 3360, False), ("A003", 6160, False),
                      ("A004", 8960, False)]
    assert [d["number"] for d in run["dropped"]] == [f"A{n:03d}" for n in range(5, 10)]
    assert all(d["reason"] == "stale" and d["droppedAt"] > 10000 for d in run["dropped"])


def test_a_recall_in_a_burst_is_still_spoken_and_a_recalled_waiting_call_is_said_once(rule):
    calls = [call(0, n, n) for n in range(1, 8)] + [call(0.5, 6, 6, recall=True),
                                                      call(1, 1, 1, recall=True)]
    run = rule(calls)
    said = [s["number"] for s in run["spoken"]]
    assert said[:4] == ["A001", "A002", "A003", "A004"]
    assert said.count("A006") == 1 and "A006" not in [d["number"] for d in run["dropped"]]
    merged = next(s for s in run["spoken"] if s["number"] == "A006")
    assert merged["recall"] and merged["merged"] == 1 and merged["delay"] > 10000
    assert said[-1] == "A001" and run["spoken"][-1]["recall"]  # recalled after it was said


@pytest.mark.parametrize("repeat", [1, 2])
def test_fifteen_calls_a_minute_for_an_hour_are_all_spoken_within_ten_seconds(rule, repeat):
    calls = [call(4 * i, i % 999 + 1, i % 12 + 1) for i in range(15 * 60)]
    run = rule(calls, repeat=repeat)
    first = [s for s in run["spoken"] if not s["repetition"]]
    assert run["dropped"] == [] and len(first) == len(calls)
    assert max(s["delay"] for s in first) <= 10000
    assert all(s["endedAt"] - s["startedAt"] <= 3500 for s in run["spoken"])
    repeats = [s for s in run["spoken"] if s["repetition"]]
    assert (len(repeats) > 0) == (repeat == 2)  # said twice while the hall keeps up


def test_a_second_saying_waits_for_no_one(rule):
    run = rule([call(0, 1), call(1, 2, 2), call(20, 3, 3)], repeat=2)
    said = [(s["number"], s["repetition"]) for s in run["spoken"]]
    # A001's repetition is skipped: A002 was waiting; A002 and A003 are said twice
    assert said == [("A001", False), ("A002", False), ("A002", True), ("A003", False),
                    ("A003", True)]


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)  # a page matter: one backend
def test_the_hall_screen_asks_for_a_tap_until_sound_is_allowed(playwright, server):
    # No --autoplay-policy flag: Chromium's default keeps the page silent until a tap.
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, timeout=30000)
    staff = Client(server.url).login("staff1", server.passwords["staff1"])
    staff.post("/api/v1/sites/test/windows/1/sign-in", {"post": "A"})
    staff.post("/api/v1/sites/test/windows/1/open")
    kiosk = Client(server.url).as_device(server.tokens["kiosk-1"])
    try:
        for lang, text, other in (("zh", "点击启用声音", "Tap to enable sound"),
                                  ("en", "Tap to enable sound", "点击启用声音")):
            page = browser.new_page(viewport=TV)
            page.goto(f"{server.url}/display/hall?lang={lang}#token={server.tokens['hall-1']}")
            prompt = page.locator("#sound-prompt")
            expect(prompt).to_be_visible()
            expect(prompt).to_contain_text(text)
            expect(prompt).to_contain_text(other)
            page.wait_for_function("() => hallScreen.lastSeq !== null")
            # a call while silent: shown, not heard, the prompt stays
            kiosk.post("/api/v1/sites/test/tickets", {"category": "social"})
            muted = staff.post("/api/v1/sites/test/windows/1/call-next").json()
            page.wait_for_function("() => hallScreen.voice.log.length >= 1", timeout=15000)
            assert page.evaluate("() => hallScreen.voice.log[0].how") == "muted"
            expect(prompt).to_be_visible()
            page.wait_for_timeout(300)
            screenshot(page, f"display_hall_sound_prompt_{lang}")
            page.mouse.click(960, 900)  # a tap anywhere
            expect(prompt).to_be_hidden()
            assert page.evaluate("() => hallScreen.voice.player.ctx.state") == "running"
            staff.post(f"/api/v1/sites/test/tickets/{muted['id']}/no-show")
            kiosk.post("/api/v1/sites/test/tickets", {"category": "social"})
            heard = staff.post("/api/v1/sites/test/windows/1/call-next").json()
            page.wait_for_function("() => hallScreen.voice.log.length >= 2", timeout=20000)
            last = page.evaluate("() => hallScreen.voice.log[hallScreen.voice.log.length - 1]")
            assert last["how"] == "server" and " ".join(heard["number"]) in last["text"]
            screenshot(page, f"display_hall_sound_on_{lang}")
            staff.post(f"/api/v1/sites/test/tickets/{heard['id']}/no-show")
            page.close()
    finally:
        browser.close()
