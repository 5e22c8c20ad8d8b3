"""The hall screen read from the seats: with 12 windows and a burst of calls, the last calls are
big rows (one per window, each number once) above the 请…准备 line and the notice bar, nothing
overflows, the flash never blends into low contrast and the clock is the hall's time, at
1920×1080, 1080×1920 and 1366×768 in zh and en. The window screen shows its staff's name, 工号,
photo and post, and nothing of it reaches the hall screen."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from playwright.sync_api import sync_playwright

from tests.support.hall_toml import category, screen, window

from ..browser import CHROMIUM, screenshot
from ..conftest import Client
from ..server import sqlite_server

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--autoplay-policy=no-user-gesture-required"]  # no 点击启用声音 prompt over the rows
# 1920×1080 on a 55" panel: 0.63 mm per CSS px. A call's digits at least 60 mm high.
MM_PER_PX = 0.63
MIN_DIGITS_MM = 60
LONG_NAMES = ["Housing Provident Fund Withdrawal and Transfer", "Business Registration and Licensing",
              "Motor Vehicle and Driving Licence Services", "Household Registration (Hukou)",
              "Entry and Exit Permits", "Pension and Retirement Benefits",
              "Medical Insurance Reimbursement", "Construction Project Approval",
              "Notarization and Legal Aid"]
EXTRA = "".join(category(f"c{i}", chr(ord("D") + i), f"业务类别{i + 4}号综合受理", name,
                         daily_cap=500, wait_target_minutes=20, service_minutes=6)
                for i, name in enumerate(LONG_NAMES)) + "".join(
    window(n, a=[f"c{n - 5}"]) for n in range(5, 13)) + screen("window-1", "1号窗口屏", "window",
                                                               window=1)
WINDOW_CATEGORY = {1: "social", 2: "social", 3: "tax", 4: "realty",
                   **{n: f"c{n - 5}" for n in range(5, 13)}}
VIEWS = {"tv": (1920, 1080), "portrait": (1080, 1920), "small": (1366, 768)}
SCREEN_TZ = "America/New_York"  # the TV's own clock zone, not the hall's (Asia/Shanghai)


def png_photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 160), (70, 110, 160)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    """12 windows, 12 categories, a person signed in at each window (工号 20nn; window 1's with
    a photo), tickets waiting in every category and a burst of calls: every window calls, then
    window 1 recalls and windows 2 and 3 call again."""
    folder = tmp_path_factory.mktemp("hall-layout")
    with sqlite_server(folder, EXTRA) as srv:
        env = {**os.environ, "QUEUEHALL_CONFIG": str(folder / "config.toml")}
        env.pop("QUEUEHALL_DATABASE_URL", None)
        photo = folder / "photo.png"
        photo.write_bytes(png_photo())
        users = [["create-user", f"w{n}", "--role", "staff", "--name", f"员工{n}", "--site", "test",
                  "--number", f"20{n:02d}", "--password", "window-pass-1",
                  *(["--photo", str(photo)] if n == 1 else [])] for n in range(1, 13)]
        # `queuehall create-user` twelve times, in one process (each start costs seconds here)
        subprocess.run([sys.executable, "-c", "import sys, json\nfrom queue_core.cli import main\n"
                        "for args in json.loads(sys.argv[1]): main(args, standalone_mode=False)",
                        json.dumps(users)], cwd=folder, env=env, check=True, capture_output=True,
                       timeout=120)
        kiosk = Client(srv.url).as_device(srv.tokens["kiosk-1"])
        consoles = {}
        for n in range(1, 13):
            c = consoles[n] = Client(srv.url).login(f"w{n}", "window-pass-1")
            assert c.post(f"/api/v1/sites/test/windows/{n}/sign-in", {"post": "A"}).ok
            assert c.post(f"/api/v1/sites/test/windows/{n}/open").ok
        for category in set(WINDOW_CATEGORY.values()):
            for _ in range(3):
                assert kiosk.post("/api/v1/sites/test/tickets", {"category": category}).ok
        called = {}
        for n in [*range(1, 13), 2, 3]:
            if n in called:  # 过号, and call the next
                assert consoles[n].post(f"/api/v1/sites/test/tickets/{called[n]['id']}/no-show").ok
            r = consoles[n].post(f"/api/v1/sites/test/windows/{n}/call-next")
            assert r.status_code == 200, r.text
            called[n] = r.json()
        assert consoles[1].post(f"/api/v1/sites/test/tickets/{called[1]['id']}/recall").ok
        yield srv, consoles, called, kiosk


def open_hall(browser, srv, view: str, lang: str):
    width, height = VIEWS[view]
    context = browser.new_context(viewport={"width": width, "height": height},
                                  timezone_id=SCREEN_TZ)
    page = context.new_page()
    page.goto(f"{srv.url}/display/hall?lang={lang}#token={srv.tokens['hall-1']}", timeout=15000)
    page.wait_for_function("() => document.querySelectorAll('#rows li[data-seq]').length >= 5"
                           " && document.querySelectorAll('#next-numbers span').length > 0",
                           timeout=15000)
    page.wait_for_timeout(300)
    return context, page


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, timeout=30000)
        yield b
        b.close()


LAYOUT = """() => {
  const box = e => e.getBoundingClientRect();
  const rows = [...document.querySelectorAll('#rows li')].map(li => ({
    box: box(li).toJSON(), number: li.querySelector('.num').innerText,
    window: li.querySelector('.win').innerText,
    fits: li.scrollWidth <= li.clientWidth + 1}));
  const digits = (() => {
    const num = document.querySelector('#rows .num'), style = getComputedStyle(num);
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = style.fontWeight + ' ' + style.fontSize + ' ' + style.fontFamily;
    const m = ctx.measureText('0123456789');
    return m.actualBoundingBoxAscent + m.actualBoundingBoxDescent; })();
  const outside = [...document.body.querySelectorAll('*')].filter(e => {
    if (e.closest('.notice') || e.tagName === 'SCRIPT') return false;  // the notice scrolls by
    const b = box(e);
    return b.width && (b.left < -0.5 || b.top < -0.5 || b.right > innerWidth + 0.5 ||
                       b.bottom > innerHeight + 0.5);
  }).map(e => e.id || e.className || e.tagName);
  const cut = [...document.querySelectorAll('#rows li *, #waiting .n, #next-numbers span, #clock, #title, #next .label')]
    .filter(e => {
      const b = box(e), p = box(e.parentElement.closest('li, #next, header') || e.parentElement);
      return e.scrollWidth > e.clientWidth + 1 || b.right > p.right + 0.5 || b.left < p.left - 0.5
             || b.bottom > p.bottom + 0.5 || b.top < p.top - 0.5; })
    .map(e => [e.tagName, e.className || e.id, e.innerText, e.scrollWidth, e.clientWidth,
               box(e).toJSON()]);
  return {rows, digits, outside, cut, u: Math.min(innerWidth, innerHeight) / 100,
          maxRows: parseInt(getComputedStyle(document.getElementById('rows')).getPropertyValue('--rows')),
          next: box(document.getElementById('next')).toJSON(),
          nextNumbers: [...document.querySelectorAll('#next-numbers span')].map(e => e.innerText),
          waiting: [...document.querySelectorAll('#waiting li')].map(e => box(e).toJSON()),
          notice: box(document.querySelector('.notice')).toJSON(),
          clock: document.getElementById('clock').innerText,
          text: document.body.innerText};
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("view", list(VIEWS))
def test_the_last_calls_are_big_rows_that_fit_above_the_notice_bar(browser, hall, view, lang):
    srv, _, called, _ = hall
    context, page = open_hall(browser, srv, view, lang)
    try:
        got = page.evaluate(LAYOUT)
        screenshot(page, f"display_hall_{view}_{lang}")
    finally:
        context.close()
    rows = got["rows"]
    assert len(rows) == got["maxRows"] == (6 if view == "portrait" else 5)
    # newest first: the recall at window 1, then windows 3 and 2 calling again, then 12, 11…
    assert [r["number"] for r in rows[:3]] == [called[1]["number"], called[3]["number"],
                                               called[2]["number"]]
    label = "1号窗口" if lang == "zh" else "Window 1"
    assert rows[0]["window"] == label
    # the digits' height: ≥ 60 mm on the 55" TV, and as large a share of a smaller screen
    assert got["digits"] * MM_PER_PX * 10.8 / got["u"] >= MIN_DIGITS_MM, got["digits"]
    for r in rows:
        assert r["fits"], r
        assert r["box"]["bottom"] <= got["next"]["top"] + 0.5, (r, got["next"])
    assert got["next"]["bottom"] <= got["notice"]["top"] + 0.5
    for w in got["waiting"]:
        assert w["bottom"] <= got["next"]["top"] + 0.5, w
    assert len(got["waiting"]) == 12
    assert not got["outside"], got["outside"]
    assert not got["cut"], got["cut"]
    shown = [r["number"] for r in rows] + got["nextNumbers"]
    assert len(shown) == len(set(shown)), shown  # a number never appears twice
    for person in range(1, 13):  # nothing of the staff on the hall screen
        assert f"员工{person}" not in got["text"] and f"20{person:02d}" not in got["text"]
    # the hall's time (Shanghai), not the browser's zone (New York: 12 or 13 hours apart)
    hall_now = datetime.now(ZoneInfo("Asia/Shanghai"))
    shown_times = {(hall_now + timedelta(seconds=d)).strftime("%H:%M") for d in (-5, 0, 5)}
    assert any(t in got["clock"] for t in shown_times), (got["clock"], shown_times)


CONTRAST = """async () => {
  const parts = ['li', '.num', '.to', '.arrow', '.tag', '.win'];
  const li = document.querySelector('#rows li.flash');
  const animations = document.getAnimations();
  animations.forEach(a => a.pause());
  const frames = [];
  for (let t = 0; t < 6000; t += 20) {
    animations.forEach(a => { a.currentTime = t; });
    const bg = getComputedStyle(li).backgroundColor;
    frames.push(parts.map(p => [p, p === 'li' ? getComputedStyle(li).color
                                             : getComputedStyle(li.querySelector(p)).color, bg, t]));
  }
  return {frames: frames.flat(), count: animations.filter(a => a.animationName.startsWith('flash')).length};
}"""


def luminance(css: str) -> float:
    r, g, b = (float(v) for v in css[css.index("(") + 1:css.index(")")].split(",")[:3])

    def channel(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_a_new_call_blinks_without_a_low_contrast_frame(browser, hall):
    srv, consoles, called, _ = hall
    context, page = open_hall(browser, srv, "tv", "zh")
    try:
        # a recall: its row has every part (number, 重呼 tag, arrow, window)
        assert consoles[4].post(f"/api/v1/sites/test/tickets/{called[4]['id']}/recall").ok
        page.wait_for_function("() => document.querySelector('#rows li.flash .tag') !== null",
                               timeout=10000)
        page.wait_for_timeout(400)
        screenshot(page, "display_hall_flash_zh")
        got = page.evaluate(CONTRAST)
    finally:
        context.close()
    assert got["count"] == 4  # the row, its arrow (with the tag over it), the tag, the window
    worst = min(((contrast(fg, bg), part, t, fg, bg) for part, fg, bg, t in got["frames"]))
    assert worst[0] >= 4.5, worst
    backgrounds = {bg for _, _, bg, _ in got["frames"]}
    assert len(backgrounds) == 2, backgrounds  # blue and yellow, nothing in between


def test_the_window_screen_shows_its_staff_name_number_photo_and_post(browser, hall):
    srv, consoles, called, _ = hall
    for lang, post, number in (("zh", "A岗", "工号 2001"), ("en", "Post A", "Staff No. 2001")):
        context = browser.new_context(viewport={"width": 1920, "height": 1080},
                                      timezone_id=SCREEN_TZ)
        page = context.new_page()
        page.goto(f"{srv.url}/display/window?lang={lang}#token={srv.tokens['window-1']}",
                  timeout=15000)
        page.wait_for_function("() => document.querySelector('#staff img') !== null"
                               " && document.querySelector('#staff img').naturalWidth > 0",
                               timeout=10000)
        staff = page.inner_text("#staff")
        assert "员工1" in staff and number in staff and post in staff, staff
        assert page.inner_text("#ticket") == called[1]["number"]
        screenshot(page, f"display_window_staff_{lang}")
        box = page.evaluate("() => document.querySelector('#staff').getBoundingClientRect().bottom")
        assert box <= 1080
        context.close()
    # paused with its reason, then open again
    assert consoles[1].post("/api/v1/sites/test/windows/1/pause", {"reason": "系统维护"}).ok
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.goto(f"{srv.url}/display/window#token={srv.tokens['window-1']}", timeout=15000)
    page.wait_for_function("() => document.querySelector('#state').innerText.includes('系统维护')",
                           timeout=10000)
    assert "暂停服务" in page.inner_text("#state")
    screenshot(page, "display_window_paused_reason_zh")
    context.close()
    assert consoles[1].post("/api/v1/sites/test/windows/1/open").ok


def test_a_staff_photo_is_served_by_its_key_only(hall):
    srv, *_ = hall
    http = Client(srv.url)
    assert http.get("/display/staff-photo/not-a-key").status_code == 404
    snapshot_photo = None
    import socketio
    sio = socketio.Client(reconnection=False)
    got = []
    sio.on("snapshot", got.append)
    sio.connect(srv.url, auth={"token": srv.tokens["window-1"]}, transports=["websocket"],
                wait_timeout=10)
    try:
        for _ in range(100):
            if got:
                break
            sio.sleep(0.05)
    finally:
        sio.disconnect()
    posts = {w["number"]: w["posts"] for w in got[0]["windows"]}
    assert posts[2][0]["photo"] is None and posts[2][0]["staff_number"] == "2002"
    snapshot_photo = posts[1][0]["photo"]
    r = http.get(f"/display/staff-photo/{snapshot_photo}")
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/png"
    assert r.content == png_photo()
    assert got[0]["site"]["timezone"] == "Asia/Shanghai"
