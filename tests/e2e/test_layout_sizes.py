"""Every hall-facing and staff-facing page at the screen sizes it is really used at, in zh and en,
with a demo hall's realistic content (long English service names, two-letter prefixes, 4-digit
numbers, windows numbered 12 and up, a long notice), checked with bounding boxes, not pictures:
no text runs out of its box or is cut off by a hidden overflow (acceptable only with an ellipsis
and the whole text in a title), nothing leaves the screen sideways (nor below it on a page that
cannot scroll), no two texts or controls lie on top of each other, touch targets are at least
44 px, and text stays above a size floor (on TV pages a share of the screen, so a 4K panel and a
small window display are read as well as a 1080p TV).

One server, one browser; a page whose layout is CSS alone is opened once per language and
resized, a page that fits its content on load (the hall screen, the kiosk) is loaded per size.
Screenshots go to $QUEUEHALL_LAYOUT_SHOTS or a temp folder."""
from __future__ import annotations

import io
import json
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from playwright.sync_api import expect, sync_playwright

from tests.support.hall_toml import category, screen, window

from .browser import CHROMIUM, FLAGS
from .conftest import Client
from .server import sqlite_server

SITE = "/api/v1/sites/test"
STAFF_PASSWORD = "window-pass-1"
# Long names as real halls write them; two-letter prefixes (GJ 公积金, QY 企业 …).
CATEGORIES = [("fund", "GJ", "住房公积金提取与转移", "Housing Provident Fund Withdrawal and Transfer"),
              ("business", "QY", "企业开办一窗通办", "Business Start-up and Company Registration"),
              ("permits", "GC", "工程建设项目审批联合办理", "Construction Project Approval and Permits"),
              ("entry", "CR", "出入境证件办理", "Exit-Entry Documents (Passports, Travel Permits)"),
              ("vehicle", "JD", "机动车与驾驶证业务", "Motor Vehicle and Driving Licence Services")]
WINDOWS = {12: "fund", 13: "business", 14: "permits", 15: "entry", 16: "vehicle"}
FIRST_SEQ = 1234  # each two-letter prefix starts the day at 1234: 4-digit numbers
# A notice as long as halls write them: it scrolls by (a marquee), so it may be wider than the TV.
NOTICE = ("请留意叫号，过号请到服务台重新取号。办理不动产登记、住房公积金提取业务请携带身份证原件及相关材料；"
          "老年人、残疾人、军人等优先群体可到1号窗口优先办理；大厅内请保持安静，禁止吸烟。"
          # Long enough (about 170 characters) that a fixed 30 s crossing would be unreadable.
          "本周六上午九点至十二点办理社保、医保、公积金业务，下午暂停；如需帮助请联系大厅值班人员或拨打服务热线。")
PAUSE_REASON = "系统故障，等待信息中心远程处理，请到其他窗口办理"
EXTRA = "".join(category(code, prefix, zh, en, daily_cap=9999, wait_target_minutes=20,
                         service_minutes=8, location="二楼东区 / 2F East")
                for code, prefix, zh, en in CATEGORIES) + "".join(
    window(n, name_zh=f"{n}号综合受理窗口", name_en=f"General Intake Counter {n}", a=[code],
           b=["social"]) for n, code in WINDOWS.items()) + (
    screen("hall-notice", "综合屏（公告）", "hall", notice=NOTICE)
    + screen("window-12", "12号窗口屏", "window", window=12)
    + screen("window-14", "14号窗口屏", "window", window=14)
    + screen("evaluator-13", "13号窗口评价器", "evaluator", window=13))

SIZES = {"phone-360": (360, 640), "phone-390": (390, 844),
         "kiosk-portrait": (1080, 1920), "kiosk-landscape": (1920, 1080), "kiosk-small": (1280, 800),
         "tv-1080": (1920, 1080), "tv-768": (1366, 768), "tv-4k": (3840, 2160),
         "tv-portrait": (1080, 1920), "window-720": (1280, 720), "window-480": (800, 480),
         "pad-800": (1280, 800), "pad-480": (800, 480),
         "desk-768": (1366, 768), "desk-1080": (1920, 1080), "desk-800": (1280, 800)}
DESKS = ("desk-768", "desk-1080", "desk-800")


def text_floor(kind: str, width: int, height: int) -> float:
    """The smallest text a page may show. A TV is read across the hall: 2.5% of its shorter side
    (27 px on a 1080p panel, 54 px on a 4K one), never under 16 px; a touch page at arm's length
    16 px; a phone 12 px; a desk console 11 px."""
    return {"tv": max(16.0, 0.025 * min(width, height)), "touch": 16.0, "phone": 12.0,
            "desk": 11.0}[kind]


@dataclass(frozen=True)
class PageSpec:
    name: str
    sizes: tuple[str, ...]
    kind: str                                  # tv | touch | phone | desk: the text floor, taps
    open: Callable[["Hall", object, str], None]  # navigate and wait until its content shows
    reload: bool = False                       # True: its script fits the content on load
    apart: str = ""                            # key elements that must not overlap each other
    keys: tuple[tuple[str, float], ...] = ()   # (selector, least font size as a share of min(w, h))
    shows: Callable[["Hall", str], list[str]] = lambda hall, lang: []  # the hall's data on it
    marquee: str = ""                          # a deliberate scrolling ticker (see MARQUEE)
    may_truncate: str = ""                     # where "…" with the whole text in a title is fine
    overlay: str = ""                          # an opaque layer meant to hide what lies under it
    full_page: bool = True


@dataclass
class Hall:
    """The running demo hall and what the staging made: numbers called and their phone tokens."""
    srv: object
    numbers: dict[str, list[dict]]             # category -> tickets issued, in order
    called: dict[int, dict] = field(default_factory=dict)  # window -> ticket called there
    staff: dict[int, Client] = field(default_factory=dict)

    def token(self, device: str) -> str:
        return self.srv.tokens[device]


def png_photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 160), (70, 110, 160)).save(out, "PNG")
    return out.getvalue()


def start_each_day_at(folder: Path, seq: int) -> None:
    """Today's counters of the two-letter prefixes at seq - 1, so numbers have four digits
    (a thousand tickets issued through the API first would take minutes)."""
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    with sqlite3.connect(folder / "hall.db", timeout=30) as db:
        site = db.execute("SELECT id FROM sites WHERE code = 'test'").fetchone()[0]
        db.executemany("INSERT INTO daily_counters (site_id, prefix, service_date, last_seq) "
                       "VALUES (?, ?, ?, ?)", [(site, p, today, seq - 1) for _, p, _, _ in CATEGORIES])


def create_window_staff(folder: Path) -> None:
    """`queuehall create-user` for the staff of windows 12-16 (names, 工号, one photo), in one
    process (each start costs seconds here)."""
    env = {**os.environ, "QUEUEHALL_CONFIG": str(folder / "config.toml")}
    env.pop("QUEUEHALL_DATABASE_URL", None)
    photo = folder / "photo.png"
    photo.write_bytes(png_photo())
    users = [["create-user", f"w{n}", "--role", "staff", "--name", f"欧阳明{n}", "--site", "test",
              "--number", f"2026{n:04d}", "--password", STAFF_PASSWORD,
              *(["--photo", str(photo)] if n == 12 else [])] for n in WINDOWS]
    subprocess.run([sys.executable, "-c", "import sys, json\nfrom queue_core.cli import main\n"
                    "for args in json.loads(sys.argv[1]): main(args, standalone_mode=False)",
                    json.dumps(users)], cwd=folder, env=env, check=True, capture_output=True,
                   timeout=120)


def stage(srv, folder: Path) -> Hall:
    """Tickets waiting in every service (the tax cap reached, so a kiosk card is greyed out with
    its reason), windows 1, 2 and 12-16 calling (12 recalls: the widest row), window 14 paused
    for a long reason, window 13's pad ready for a rating."""
    create_window_staff(folder)
    start_each_day_at(folder, FIRST_SEQ)
    kiosk = Client(srv.url).as_device(srv.tokens["kiosk-1"])
    numbers: dict[str, list[dict]] = {}
    for code, count in [("fund", 4), ("business", 10), ("permits", 3), ("entry", 3),
                        ("vehicle", 3), ("social", 4), ("realty", 2), ("tax", 3)]:
        for _ in range(count):
            r = kiosk.post(f"{SITE}/tickets", {"category": code})
            assert r.status_code == 201, r.text
            numbers.setdefault(code, []).append(r.json())
    assert numbers["fund"][0]["number"] == f"GJ{FIRST_SEQ}"
    got = Hall(srv, numbers)
    people = {1: "staff1", 2: "staff2", **{n: f"w{n}" for n in WINDOWS}}
    for window, who in people.items():
        person = Client(srv.url).login(who, srv.passwords.get(who, STAFF_PASSWORD))
        assert person.post(f"{SITE}/windows/{window}/sign-in", {"post": "A", "open": True}).ok
        r = person.post(f"{SITE}/windows/{window}/call-next", {})
        assert r.status_code == 200, r.text
        got.called[window], got.staff[window] = r.json(), person
    assert got.staff[12].post(f"{SITE}/tickets/{got.called[12]['id']}/recall", {}).ok
    assert got.staff[14].post(f"{SITE}/windows/14/pause", {"reason": PAUSE_REASON}).ok
    return got


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    folder = tmp_path_factory.mktemp("layout-sizes")
    with sqlite_server(folder, EXTRA) as srv:
        yield stage(srv, folder)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:  # sound allowed: no 点击启用声音 prompt over a screen
        b = p.chromium.launch(executable_path=CHROMIUM, timeout=30000,
                              args=[*FLAGS, "--autoplay-policy=no-user-gesture-required"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("QUEUEHALL_LAYOUT_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return Path(folder)
    return tmp_path_factory.mktemp("layout-shots")


# --- how each page is opened ---------------------------------------------------------------

def open_kiosk(hall: Hall, page, lang: str) -> None:
    page.goto(f"{hall.srv.url}/kiosk/#token={hall.token('kiosk-1')}")
    page.wait_for_selector("body[data-ready='1']")
    if lang == "en":
        page.get_by_test_id("lang-switch").click()
        expect(page.locator("#categories")).to_contain_text("Housing Provident Fund")
    page.wait_for_timeout(100)


def open_kiosk_elder(hall: Hall, page, lang: str) -> None:
    open_kiosk(hall, page, lang)
    page.get_by_test_id("elder").click()
    expect(page.locator("body.elder")).to_have_count(1)
    page.wait_for_timeout(100)


def open_kiosk_keypad(hall: Hall, page, lang: str) -> None:
    open_kiosk(hall, page, lang)
    page.get_by_test_id("check-in").click()
    expect(page.get_by_test_id("keypad-screen")).to_be_visible()
    for digit in "1234":
        page.locator(f"#keypad [data-key='{digit}']").click()


def open_kiosk_ticket(hall: Hall, page, lang: str) -> None:
    open_kiosk(hall, page, lang)
    page.locator(".category-button[data-code='fund']").click()
    expect(page.get_by_test_id("ticket-number")).to_have_text(re.compile(r"^GJ\d{4}$"))
    page.wait_for_function("() => document.getElementById('t-qr').naturalWidth > 0")


def open_status(which: str) -> Callable:
    def open_(hall: Hall, page, lang: str) -> None:
        ticket = hall.called[12] if which == "called" else hall.numbers["fund"][-1]
        token = next(t["status_token"] for t in hall.numbers["fund"] if t["id"] == ticket["id"])
        page.goto(f"{hall.srv.url}/t/{token}?lang={lang}")
        expect(page.get_by_test_id("ticket-number")).to_have_text(ticket["number"])
        if which == "called":
            expect(page.get_by_test_id("call")).to_be_visible()
        else:
            expect(page.get_by_test_id("people-ahead")).not_to_have_text("–")
    return open_


def open_hall_screen(hall: Hall, page, lang: str) -> None:
    page.goto(f"{hall.srv.url}/display/hall?lang={lang}#token={hall.token('hall-notice')}")
    page.wait_for_function("() => document.querySelectorAll('#rows li[data-seq]').length >="
                           " parseInt(getComputedStyle(document.getElementById('rows'))"
                           ".getPropertyValue('--rows'))"
                           " && document.querySelectorAll('#next-numbers span').length > 0"
                           " && document.getElementById('notice').textContent.length > 0")
    page.wait_for_timeout(200)


def open_window_screen(hall: Hall, page, lang: str) -> None:
    page.goto(f"{hall.srv.url}/display/window?lang={lang}#token={hall.token('window-12')}")
    expect(page.locator("#ticket")).to_have_text(hall.called[12]["number"])
    page.wait_for_function("() => { const i = document.querySelector('#staff img');"
                           " return i && i.complete && i.naturalWidth > 0; }")


def open_paused_window_screen(hall: Hall, page, lang: str) -> None:
    page.goto(f"{hall.srv.url}/display/window?lang={lang}#token={hall.token('window-14')}")
    expect(page.locator("#state")).to_contain_text(PAUSE_REASON)


def open_evaluator(why: bool) -> Callable:
    """The pad asks for a rating when its window finishes a ticket (13 finishes its call and
    calls the next); `why`: 不满意 tapped, the reasons shown."""
    def open_(hall: Hall, page, lang: str) -> None:
        page.goto(f"{hall.srv.url}/display/evaluator?lang={lang}#token={hall.token('evaluator-13')}")
        page.wait_for_function("() => evaluatorPad.socket && evaluatorPad.socket.connected"
                               " && evaluatorPad.lastSeq !== null")
        staff, ticket = hall.staff[13], hall.called[13]
        assert staff.post(f"{SITE}/tickets/{ticket['id']}/start", {}).ok
        assert staff.post(f"{SITE}/tickets/{ticket['id']}/finish", {}).ok
        hall.called[13] = staff.post(f"{SITE}/windows/13/call-next", {}).json()
        expect(page.locator("#rate")).to_be_visible()
        if why:
            page.locator("[data-level='2']").click()
            expect(page.locator("#why")).to_be_visible()
    return open_


def sign_in_through_form(hall: Hall, page, who: str) -> None:
    page.fill("input[name=username]", who)
    page.fill("input[name=password]", hall.srv.passwords.get(who, STAFF_PASSWORD))
    page.click("#login-form button[type=submit]")


def open_counter(hall: Hall, page, lang: str) -> None:
    page.goto(f"{hall.srv.url}/counter/?lang={lang}")
    sign_in_through_form(hall, page, "w12")  # signed in at window 12: straight to its console
    expect(page.locator("#current-number")).to_have_text(hall.called[12]["number"])
    expect(page.locator("#queue tbody tr").first).to_be_visible()
    page.wait_for_timeout(200)


def open_manager(path: str) -> Callable:
    def open_(hall: Hall, page, lang: str) -> None:
        page.goto(f"{hall.srv.url}{path}?lang={lang}")
        if page.locator("#login-form").count():
            sign_in_through_form(hall, page, "manager")
            expect(page.locator("#login-form")).to_have_count(0)  # the page loads again
        if path == "/manager/":
            expect(page.locator("#windows [data-window]")).to_have_count(9)
            expect(page.locator("#categories tbody tr")).to_have_count(8)
            expect(page.locator("#live")).to_have_class("live on")
        elif path == "/manager/reports":
            page.wait_for_function("() => [...document.querySelectorAll('#charts img')]"
                                   ".every(i => i.complete && i.naturalWidth > 0)")
        else:
            page.click("#advice-form button[type=submit]")
            expect(page.locator("#advice-result table").first).to_be_visible(timeout=60000)
        page.wait_for_timeout(200)
    return open_


def open_login(path: str) -> Callable:
    def open_(hall: Hall, page, lang: str) -> None:
        page.goto(f"{hall.srv.url}{path}?lang={lang}")
        expect(page.locator("#login-form")).to_be_visible()
    return open_


def open_start(hall: Hall, page, lang: str) -> None:
    page.goto(f"{hall.srv.url}/?lang={lang}")
    expect(page.locator("h2").first).to_be_visible()


def in_lang(zh: str, english: str) -> Callable:
    return lambda hall, lang: [zh if lang == "zh" else english]


TV = ("tv-1080", "tv-768", "tv-4k")
PAGES = [
    PageSpec("kiosk", ("kiosk-portrait", "kiosk-landscape", "kiosk-small"), "touch", open_kiosk,
             reload=True, apart=".category-button, header.bar > *, .priority, .check-in",
             shows=in_lang("住房公积金提取与转移", "Housing Provident Fund Withdrawal and Transfer")),
    # 老年模式: bigger type, fewer columns; its list may scroll, with a "swipe for more" line
    PageSpec("kiosk-elder", ("kiosk-portrait", "kiosk-landscape", "kiosk-small"), "touch",
             open_kiosk_elder, reload=True, apart=".category-button, header.bar > *, .priority, .check-in, #more"),
    PageSpec("kiosk-keypad", ("kiosk-portrait", "kiosk-landscape", "kiosk-small"), "touch",
             open_kiosk_keypad, reload=True, apart="#keypad button, #code, #keypad-back, #keypad-screen h1",
             shows=lambda hall, lang: ["1\n2\n3\n4"]),
    PageSpec("kiosk-ticket", ("kiosk-portrait", "kiosk-landscape", "kiosk-small"), "touch",
             open_kiosk_ticket, reload=True,
             apart="#t-number, .facts > div, .qr-row img, .qr-row p, #finish, #print-note, #t-category",
             keys=(("#t-number", 0.05),)),
    PageSpec("status-waiting", ("phone-360", "phone-390"), "phone", open_status("waiting"),
             apart="#number, #state, #facts > div", keys=(("#number", 0.1),),
             shows=in_lang("住房公积金提取与转移", "Housing Provident Fund Withdrawal and Transfer")),
    PageSpec("status-called", ("phone-360", "phone-390"), "phone", open_status("called"),
             apart="#number, #state, #call, #facts > div", keys=(("#number", 0.1),),
             shows=lambda hall, lang: [hall.called[12]["number"]]),
    PageSpec("hall-screen", (*TV, "tv-portrait"), "tv", open_hall_screen, reload=True,
             apart="#rows li, #rows .num, #rows .to, #rows .win, #next, .notice, #waiting li, header > *",
             # the number 12.4u (digits 60 mm high on a 55" 1080p TV); the window label may be
             # smaller, not under 6u (65 px there: capitals of 30 mm, read from 10 m)
             keys=(("#rows .num", 0.12), ("#rows .win", 0.06)), marquee=".notice span",
             may_truncate="#waiting .name",  # the prefix stays: "GJ Housing Provident Fund…"
             shows=lambda hall, lang: [hall.called[12]["number"], NOTICE], full_page=False),
    PageSpec("window-screen", (*TV, "window-720", "window-480"), "tv", open_window_screen,
             apart="header > *, #label, #ticket, #staff .person, #staff img",
             keys=(("#ticket", 0.2),),
             shows=in_lang("12号综合受理窗口", "General Intake Counter 12"),
             full_page=False),
    PageSpec("window-paused", (*TV, "window-720", "window-480"), "tv", open_paused_window_screen,
             apart="header > *, #state", overlay="#state",  # 暂停服务 covers the last call
             shows=in_lang(PAUSE_REASON, PAUSE_REASON), full_page=False),
    PageSpec("evaluator-rate", ("pad-800", "tv-1080", "pad-480"), "touch", open_evaluator(False),
             apart="#levels button, #prompt, header > *", shows=lambda hall, lang: ["QY12"]),
    PageSpec("evaluator-why", ("pad-800", "tv-1080", "pad-480"), "touch", open_evaluator(True),
             apart="#reasons button, #why-prompt, header > *"),
    PageSpec("counter", DESKS, "desk", open_counter,
             apart="#current-number, #current-status, #current-reason, .actions button, .panel",
             keys=(("#current-number", 0.04),),
             shows=in_lang("住房公积金提取与转移", "Housing Provident Fund Withdrawal and Transfer")),
    PageSpec("counter-login", DESKS, "desk", open_login("/counter/")),
    PageSpec("manager-login", DESKS, "desk", open_login("/manager/")),
    PageSpec("manager-hall", DESKS, "desk", open_manager("/manager/"),
             apart="#windows [data-window], .kpi, .panel", may_truncate=".audit .act, .audit .by",
             shows=in_lang("12号综合受理窗口", "General Intake Counter 12")),
    PageSpec("manager-reports", DESKS, "desk", open_manager("/manager/reports"),
             apart=".kpi, .panel"),
    PageSpec("manager-staffing", DESKS, "desk", open_manager("/manager/staffing"),
             apart=".panel"),
    PageSpec("start", DESKS, "desk", open_start, shows=in_lang("测试政务服务中心", "Test Service Center")),
]
CASES = [pytest.param(spec, lang, size, id=f"{spec.name}-{lang}-{size}")
         for spec in PAGES for lang in ("zh", "en") for size in spec.sizes]


# --- what is measured ----------------------------------------------------------------------

# The page's boxes, as problems in words. Options: apart (selector), keys [[selector, px]],
# floor (px), touch (px or 0), marquee (selector), fit (the page may not scroll).
MEASURE = """(o) => {
  const problems = [];
  const doc = document.documentElement, vw = doc.clientWidth, vh = innerHeight;
  const R = (r) => ({l: r.left, t: r.top, r: r.right, b: r.bottom});
  const fmt = (r) => `[${Math.round(r.l)},${Math.round(r.t)} → ${Math.round(r.r)},${Math.round(r.b)}]`;
  const union = (a, b) => ({l: Math.min(a.l, b.l), t: Math.min(a.t, b.t), r: Math.max(a.r, b.r), b: Math.max(a.b, b.b)});
  const meet = (a, b) => ({l: Math.max(a.l, b.l), t: Math.max(a.t, b.t), r: Math.min(a.r, b.r), b: Math.min(a.b, b.b)});
  const area = (r) => r.r - r.l > 1 && r.b - r.t > 1;
  const seen = (el) => el.checkVisibility({opacityProperty: true, visibilityProperty: true});
  const label = (el) => {
    let s = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '');
    if (!el.id && typeof el.className === 'string' && el.className.trim()) s += '.' + el.className.trim().split(/\\s+/).join('.');
    const t = (el.innerText || el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return t ? `${s} "${t}"` : s;
  };
  const marquees = o.marquee ? [...document.querySelectorAll(o.marquee)] : [];
  const overlays = o.overlay ? [...document.querySelectorAll(o.overlay)].filter(seen) : [];
  const hiddenUnder = (el) => overlays.some((v) => !v.contains(el) && !el.contains(v));
  const inMarquee = (el) => marquees.some((m) => m.contains(el));
  const scroller = (s) => /auto|scroll/.test(s.overflowX + s.overflowY);
  const clipping = (s) => s.overflowX !== 'visible' || s.overflowY !== 'visible';
  const style = (el) => getComputedStyle(el);
  // a full-screen page (a TV, a kiosk, a pad) shows all of itself; a console or a phone page scrolls
  const pageScrollsY = !o.fit && ![style(doc).overflowY, style(document.body).overflowY].some((v) => v === 'hidden' || v === 'clip');
  if (o.fit && Math.max(doc.scrollHeight, document.body.scrollHeight) > vh + 1)
    problems.push(`the page is taller than the screen: ${Math.max(doc.scrollHeight, document.body.scrollHeight)} > ${vh}`);
  // the part of a box its clipping and scrolling ancestors (and itself, with `self`) show now
  const shown = (el, r, self) => {
    for (let up = self ? el : el.parentElement; up && up !== document.body; up = up.parentElement)
      if (clipping(style(up))) r = meet(r, R(up.getBoundingClientRect()));
    return r;
  };
  const reported = new Set();
  const report = (el, text) => {
    for (let up = el; up; up = up.parentElement) if (reported.has(up)) return;  // its box said it
    reported.add(el); problems.push(text);
  };
  const all = [...document.body.querySelectorAll('*')].filter((el) =>
    !['SCRIPT', 'STYLE', 'TEMPLATE', 'BR', 'OPTION'].includes(el.tagName) && seen(el));

  // 1. nothing leaves the screen: each box as its clipping ancestors let it show
  if (doc.scrollWidth > vw + 1) problems.push(`the page scrolls sideways: ${doc.scrollWidth} > ${vw}`);
  for (const el of all) {
    if (inMarquee(el)) continue;
    let r = R(el.getBoundingClientRect()), reachable = false;
    if (!area(r)) continue;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const s = style(up);
      if (!clipping(s)) continue;
      if (scroller(s)) { reachable = true; break; }  // scrolled into view in its own scroller
      r = meet(r, R(up.getBoundingClientRect()));
    }
    if (reachable || !area(r)) continue;
    if (r.l < -1 || r.r > vw + 1) report(el, `${label(el)} leaves the screen sideways ${fmt(r)}`);
    else if (!pageScrollsY && (r.t < -1 || r.b > vh + 1)) report(el, `${label(el)} is cut off by the screen's edge ${fmt(r)}`);
  }

  // 2. every text inside its box, not cut off by a hidden overflow, above the floor
  const frags = [];
  const range = document.createRange();
  for (const el of all) {
    const nodes = [...el.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim());
    if (!nodes.length || inMarquee(el)) continue;
    const s = style(el), fs = parseFloat(s.fontSize), tol = Math.max(1, 0.3 * fs);
    let text = null;
    for (const n of nodes) {
      range.selectNodeContents(n);
      for (const q of range.getClientRects()) {
        if (q.width < 0.5 || q.height < 0.5) continue;
        // for overlaps, each line's em box (its content area is ~1.45 em of a CJK font)
        const inset = Math.max(0, (q.height - fs) / 2);
        const box = shown(el, {l: q.left, r: q.right, t: q.top + inset, b: q.bottom - inset}, true);
        if (area(box) && !hiddenUnder(el)) frags.push({el, node: n, fs, r: box});
        text = text ? union(text, R(q)) : R(q);
      }
    }
    if (!text) continue;
    if (fs < o.floor - 0.01) report(el, `${label(el)} is too small to read: ${fs.toFixed(1)} px < ${o.floor.toFixed(1)} px`);
    let holder = el;
    while (holder !== document.body && /^(inline|contents)$/.test(style(holder).display)) holder = holder.parentElement;
    const h = R(holder.getBoundingClientRect());
    if (!clipping(style(holder)) && (text.l < h.l - 1 || text.r > h.r + 1 || text.t < h.t - tol || text.b > h.b + tol))
      report(el, `text of ${label(el)} runs out of ${holder === el ? 'its box' : label(holder)}: ${fmt(text)} not in ${fmt(h)}`);
    else if (!/^(inline|contents)$/.test(s.display) && !scroller(s) && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0
             && s.textOverflow !== 'ellipsis')
      report(el, `${label(el)} is wider than its box: scrollWidth ${el.scrollWidth} > ${el.clientWidth}`);
    for (let up = el; up && up !== document.body; up = up.parentElement) {
      const us = style(up);
      if (!clipping(us)) continue;
      if (scroller(us)) break;  // reachable by scrolling
      const c = R(up.getBoundingClientRect());
      if (text.l >= c.l - 1 && text.r <= c.r + 1 && text.t >= c.t - tol && text.b <= c.b + tol) continue;
      const full = el.textContent.trim();
      let titled = false;
      for (let t = el; t && !titled; t = t === up ? null : t.parentElement) titled = (t.getAttribute('title') || '').includes(full);
      const allowed = us.textOverflow === 'ellipsis' && titled && o.mayTruncate && el.matches(o.mayTruncate);
      if (!allowed) report(el, `text of ${label(el)} is cut off by ${up === el ? 'its own box' : label(up)}: ${fmt(text)} beyond ${fmt(c)}`);
      break;
    }
  }

  // a placeholder (no text node) cut off by its input's box
  const ruler = document.createElement('canvas').getContext('2d');
  for (const el of all) {
    if (!el.matches('input[placeholder]:placeholder-shown')) continue;
    const ps = getComputedStyle(el, '::placeholder'), s = style(el);
    ruler.font = `${ps.fontStyle} ${ps.fontWeight} ${ps.fontSize} ${ps.fontFamily}`;
    let text = el.placeholder;
    if (ps.textTransform === 'uppercase') text = text.toUpperCase();
    const width = ruler.measureText(text).width + (parseFloat(ps.letterSpacing) || 0) * text.length;
    const room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    if (width > room + 1) report(el, `the placeholder of ${label(el)} "${el.placeholder}" is cut off: ${Math.round(width)} > ${Math.round(room)} px`);
  }

  // 3. no text on top of another text
  frags.sort((a, b) => a.r.l - b.r.l);
  const pairs = new Set();
  for (let i = 0; i < frags.length; i++) {
    const a = frags[i];
    for (let j = i + 1; j < frags.length && frags[j].r.l < a.r.r - 2; j++) {
      const b = frags[j];
      if (a.node === b.node || inMarquee(a.el) !== inMarquee(b.el)) continue;
      const m = meet(a.r, b.r);
      if (m.r - m.l > 2 && m.b - m.t > 0.2 * Math.min(a.fs, b.fs)) {
        const key = label(a.el) + ' / ' + label(b.el);
        if (!pairs.has(key)) { pairs.add(key); problems.push(`text ${label(a.el)} lies on ${label(b.el)}`); }
      }
    }
  }

  // 4. controls and key elements apart; controls not over text; touch targets big enough
  const controls = all.filter((el) => el.matches('button, a[href], input:not([type=hidden]), select, textarea') && !hiddenUnder(el));
  const keyed = o.apart ? all.filter((el) => el.matches(o.apart) && !hiddenUnder(el)) : [];
  const boxes = [...new Set([...controls, ...keyed])].flatMap((el) =>
    [...el.getClientRects()].map((q) => ({el, r: shown(el, R(q), false)})).filter((x) => area(x.r)));
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) continue;
    if (area(meet(a.r, b.r))) {
      const key = label(a.el) + ' / ' + label(b.el);
      if (!pairs.has(key)) { pairs.add(key); problems.push(`${label(a.el)} overlaps ${label(b.el)}`); }
    }
  }
  for (const c of controls) for (const f of frags) {
    if (c.contains(f.el) || f.el.contains(c) || (c.closest('label') && c.closest('label').contains(f.el))) continue;
    const m = meet(shown(c, R(c.getBoundingClientRect()), false), f.r);
    if (m.r - m.l > 2 && m.b - m.t > 0.2 * f.fs) {
      const key = label(c) + ' / ' + label(f.el);
      if (!pairs.has(key)) { pairs.add(key); problems.push(`${label(c)} covers the text ${label(f.el)}`); }
    }
  }
  if (o.touch) for (const c of controls) {
    const r = c.getBoundingClientRect();
    if (r.width && (r.height < o.touch - 0.5 || r.width < o.touch - 0.5))
      problems.push(`${label(c)} is too small to tap: ${Math.round(r.width)}×${Math.round(r.height)} px`);
  }
  const keys = o.keys.map(([sel, least]) => {
    const found = all.filter((el) => el.matches(sel));
    found.forEach((el) => { const fs = parseFloat(style(el).fontSize);
      if (fs < least - 0.01) problems.push(`${label(el)} is ${fs.toFixed(1)} px, under ${least.toFixed(1)} px`); });
    return [sel, found.length];
  });
  return {problems, keys, text: document.body.innerText};
}"""

# The hall screen's notice is a ticker on purpose: a line of any length, said once across the
# foot of the screen, may be wider than the TV, so a still frame shows it cut. It is fine when it
# is a running, endless animation that brings its first character in from the right edge and
# takes its last one out past the left edge (every part of it crosses the screen), slowly enough
# to read (at most 6 em a second).
MARQUEE = """(sel) => {
  const problems = [];
  for (const m of document.querySelectorAll(sel)) {
    const a = m.getAnimations().find((x) => x.effect.getTiming().iterations === Infinity);
    if (!a || a.playState !== 'running') { problems.push('the notice does not scroll'); continue; }
    const bar = m.parentElement.getBoundingClientRect(), range = document.createRange();
    range.selectNodeContents(m);
    const duration = a.effect.getTiming().duration, was = a.currentTime;
    a.pause();
    a.currentTime = 0;
    const first = range.getBoundingClientRect();
    a.currentTime = duration - 1;
    const last = range.getBoundingClientRect();
    a.currentTime = was;
    a.play();
    const fs = parseFloat(getComputedStyle(m).fontSize), speed = (first.left - last.left) / (duration / 1000);
    if (!m.textContent.trim()) problems.push('the notice is empty');
    if (first.left < bar.left - 1) problems.push(`the notice starts cut off: ${first.left} < ${bar.left}`);
    if (last.right > bar.right + 1) problems.push(`the notice's end never shows: ${last.right} > ${bar.right}`);
    if (first.top < bar.top - 0.3 * fs || first.bottom > bar.bottom + 0.3 * fs) problems.push('the notice is taller than its bar');
    if (speed <= 0 || speed / fs > 6) problems.push(`the notice scrolls at ${(speed / fs).toFixed(1)} em/s`);
  }
  return problems;
}"""


class Pages:
    """One browser context and page per (page, language), kept while the sizes go by."""

    def __init__(self, browser) -> None:
        self.browser, self.open = browser, {}

    def get(self, spec: PageSpec, lang: str, size: str, hall: Hall):
        width, height = SIZES[size]
        key = (spec.name, lang)
        if key in self.open:
            page = self.open[key]
            page.set_viewport_size({"width": width, "height": height})
            if spec.reload:  # a real load (the same address but its #token would not be one)
                page.goto("about:blank")
                spec.open(hall, page, lang)
            else:  # two frames: the new size laid out and painted
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            return page
        for other in [k for k in self.open if k[0] != spec.name]:  # done with that page
            self.open.pop(other).context.close()
        context = self.browser.new_context(
            viewport={"width": width, "height": height},
            locale="zh-CN" if lang == "zh" else "en-GB", timezone_id="Asia/Shanghai",
            has_touch=spec.kind in ("touch", "phone"))
        context.set_default_timeout(15000)
        # the kiosk stays on its confirmation and keypad while it is measured
        kiosk = {"doneSeconds": 600, "idleSeconds": 600}
        context.add_init_script(f"window.QUEUEHALL_KIOSK = {json.dumps(kiosk)};")
        page = self.open[key] = context.new_page()
        spec.open(hall, page, lang)
        return page

    def close(self) -> None:
        for page in self.open.values():
            page.context.close()


@pytest.fixture(scope="module")
def pages(browser):
    kept = Pages(browser)
    yield kept
    kept.close()


@pytest.mark.parametrize("spec,lang,size", CASES)
def test_the_page_fits_its_screen(pages, hall, shots, spec, lang, size):
    width, height = SIZES[size]
    page = pages.get(spec, lang, size, hall)
    page.screenshot(path=str(shots / f"{spec.name}_{size}_{lang}.png"), full_page=spec.full_page)
    shortest = min(width, height)
    got = page.evaluate(MEASURE, {
        "apart": spec.apart, "floor": text_floor(spec.kind, width, height),
        "touch": 44 if spec.kind in ("touch", "phone") else 0, "marquee": spec.marquee,
        "fit": spec.kind in ("tv", "touch"), "mayTruncate": spec.may_truncate, "overlay": spec.overlay,
        "keys": [[sel, share * shortest] for sel, share in spec.keys]})
    problems = got["problems"]
    if spec.marquee:
        problems += page.evaluate(MARQUEE, spec.marquee)
    problems += [f"no {sel} on the page" for sel, found in got["keys"] if not found]
    problems += [f"{text!r} is not on the page" for text in spec.shows(hall, lang)
                 if text not in got["text"]]
    assert not problems, f"{spec.name} at {width}x{height} ({lang}):\n" + "\n".join(problems)
