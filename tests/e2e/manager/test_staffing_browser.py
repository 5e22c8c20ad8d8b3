"""The staffing page in headless Chromium: per half hour advice from the server's simulator for a
target, and the what-if panel's figures for opening more windows for a category."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from ..browser import screenshot


def test_advice_shows_windows_needed_per_half_hour(console, kiosk):
    for code in ("social", "social", "tax"):
        kiosk.post("/api/v1/sites/test/tickets", {"category": code})
    page = console("manager", path="/manager/staffing")
    table = page.locator("#advice")
    expect(table).to_be_visible(timeout=60000)  # the first advice runs when the page opens
    expect(table.locator("thead")).to_contain_text("社保医保")
    first = table.locator("tbody tr").first
    expect(first.locator("td").first).to_have_text(re.compile(r"^\d\d:\d\d–\d\d:\d\d$"))
    # Today's recorded tickets (and the forecast for the rest of the day, if the synthetic
    # day's hours are not over yet): at least this half hour.
    assert table.locator("tbody tr").count() >= 1
    expect(page.locator("#advice-summary")).to_contain_text("按建议排班")
    expect(page.locator("#advice-summary")).to_contain_text("完全合并排队（参照，不是下限）")
    # The figures say how sure they are: a range over the simulated days, and the days met.
    expect(page.locator("#advice-summary thead")).to_contain_text("范围（各模拟日）")
    expect(page.locator('#advice-summary tr[data-row="advised"] td').nth(4)).to_have_text(
        re.compile(r"^[\d.]+%–[\d.]+%$"))
    expect(page.locator("#advice-spread")).to_contain_text("5 个模拟日")

    page.select_option("#advice-form select[name=source]", "synthetic")
    page.fill("#advice-form input[name=target_minutes]", "10")
    page.click("#advice-form button[type=submit]")
    expect(page.locator("#advice-meta")).to_contain_text("模拟高峰日", timeout=60000)
    assert table.locator("tbody tr").count() >= 10  # a whole synthetic day, whatever the hour
    screenshot(page, "manager_staffing_zh")


def test_what_if_panel_shows_the_change_for_more_windows(console, kiosk):
    for _ in range(3):  # applicants of today, whatever the hour
        kiosk.post("/api/v1/sites/test/tickets", {"category": "social"})
    page = console("manager", path="/manager/staffing", lang="en")
    page.select_option("#whatif-category", "social")
    page.fill("#whatif-form input[name=extra_windows]", "2")
    # From the morning: from "now" late in the day nobody is left to serve, and the figures
    # would rightly be empty.
    page.fill("#whatif-from", "09:00")
    page.click("#whatif-form button[type=submit]")
    table = page.locator("#whatif")
    expect(table).to_be_visible(timeout=60000)
    for row in ("As planned", "With extra windows", "fully pooled (reference)", "A posts only"):
        expect(table).to_contain_text(row)
    expect(page.locator("#whatif-from")).not_to_have_value("")  # the server's "now", shown
    changed = table.locator('tr[data-row="changed"] td')
    expect(changed.nth(1)).to_have_text(re.compile(r"^[\d.]+ min$"))      # mean wait
    expect(changed.nth(3)).to_have_text(re.compile(r"^[\d.]+%$"))         # within target
    expect(page.locator("#whatif-category-figures")).to_be_visible()
    expect(page.locator("#advice")).to_be_visible(timeout=60000)
    screenshot(page, "manager_staffing_en")


def test_a_what_if_the_server_refuses_shows_its_message(console):
    page = console("manager", path="/manager/staffing", lang="en")
    page.fill("#whatif-form input[name=extra_windows]", "50")  # over the server's limit
    page.click("#whatif-form button[type=submit]")
    expect(page.locator("#whatif-error")).to_be_visible(timeout=30000)
    expect(page.locator("#whatif")).to_have_count(0)


def test_a_what_if_for_an_unknown_category_says_so_not_that_the_service_is_missing(console):
    # The page took any 404 but one error code the server never sends for "staffing advice is
    # not available on this server yet"; a 404 is the server's answer, shown as it says it.
    page = console("manager", path="/manager/staffing", lang="en")
    page.wait_for_selector("#whatif-category option", state="attached", timeout=15000)
    page.evaluate("""() => document.querySelector("#whatif-category")
                       .add(new Option("gone", "gone", true, true))""")
    page.fill("#whatif-form input[name=extra_windows]", "1")
    page.click("#whatif-form button[type=submit]")
    error = page.locator("#whatif-error")
    expect(error).to_have_text("No category found: gone", timeout=30000)


def _b_posts(page) -> str:
    """Search B posts on the synthetic peak day (the same day whatever the hour) and wait."""
    expect(page.locator("#advice")).to_be_visible(timeout=60000)
    page.select_option("#advice-form select[name=source]", "synthetic")
    page.click("#bposts-form button[type=submit]")
    expect(page.locator("#bposts-meta")).to_be_visible(timeout=90000)
    return page.locator("#bposts-result").inner_text()


def test_b_posts_are_said_as_sentences_with_their_effect_in_zh_and_en(console):
    page = console("manager", path="/manager/staffing")
    text = _b_posts(page)
    print(text)
    changes = page.locator("#bposts-changes li")
    assert changes.count() >= 1, text
    expect(changes.first).to_have_text(re.compile(
        r"^在 [\d、]+ 号窗口增设.+为B岗：.+平均等候 [\d.]+ → [\d.]+ 分（目标内 \d+% → \d+%）$"))
    expect(page.locator("#bposts-meta")).to_contain_text("未设技能表")
    expect(page.locator("#bposts-plan tbody tr")).not_to_have_count(0)
    # Windows to open per half hour for the whole hall.
    rows = page.locator("#hall-plan tbody tr")
    assert rows.count() >= 10   # the synthetic day, whatever the hour
    expect(rows.first.locator("td").nth(1)).to_have_text(re.compile(r"^\d+$"))
    # Today, the B posts with today's windows and the hall plan on the same 20 fresh days,
    # each with its window-hours and days met; the verdict says whether the plan costs waits.
    expect(page.locator("#bposts-result")).to_contain_text("检验：搜索未用过的 20 个模拟日")
    judged = page.locator("#bposts-judged tbody tr")
    expect(judged).to_have_count(3)
    expect(judged.nth(0).locator("td").first).to_have_text("现状（窗口全开，不增设B岗）")
    expect(judged.nth(2).locator("td").nth(4)).to_have_text(re.compile(r"^\d+/20 天（\d+%–\d+%）$"))
    expect(judged.nth(0).locator("td").nth(3)).to_have_text("96.0")   # 4 windows open 24 h
    expect(page.locator("#hall-verdict")).to_have_text(re.compile(
        r"^分时开窗(与窗口照旧全开一样好|并不比窗口照旧全开更好：它节省 [\d.]+ 窗口工时，代价是等候更长)"))
    expect(page.locator("#judged-note")).to_contain_text("全厅且每个类别都有 90% 的人在 15 分钟内被叫到，当天才算达标")
    panel, table = page.locator("#bposts-panel").bounding_box(), rows.first.bounding_box()
    assert panel["x"] <= table["x"] and table["x"] + table["width"] <= panel["x"] + panel["width"]
    screenshot(page, "manager_staffing_bposts_zh")

    page = console("manager", path="/manager/staffing", lang="en")
    text = _b_posts(page)
    print(text)
    expect(page.locator("#bposts-changes li").first).to_have_text(re.compile(
        r"^Add .+ as B on windows? [\d, and]+: .+ mean wait [\d.]+ → [\d.]+ min "
        r"\(within target \d+% → \d+%\)$"))
    expect(page.locator("#bposts-meta")).to_contain_text("no skills table")
    expect(page.locator("#bposts-judged tbody tr").nth(1).locator("td").first).to_have_text(
        "Advised B posts, every window open")
    expect(page.locator("#hall-verdict")).to_have_text(re.compile(r"^Windows per half hour (do as well|are not better)"))
    # Applying the advice changes the windows' B posts (one request, the rebalance use case).
    page.click("#bposts-apply")
    expect(page.locator("#bposts-applied")).to_have_text(
        re.compile(r"^Applied: the B posts of windows? [\d, ]+ changed"), timeout=15000)
    screenshot(page, "manager_staffing_bposts_en")


def _seed_history(server, weeks: int = 3) -> None:
    """Past days in the server's database: 40 social tickets 09:00–09:30 (Shanghai) on each of
    the last `weeks` weeks' days (the e2e hall opens every day). Written as the issued events
    the forecast reads, with negative sequence numbers so they never meet the live feed's."""
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from sqlalchemy import create_engine, delete, select
    from sqlalchemy.orm import Session

    from queue_core.adapters.orm import Event, Site

    zone = ZoneInfo("Asia/Shanghai")
    engine = create_engine(f"sqlite:///{server.folder / 'hall.db'}")
    with Session(engine) as session, session.begin():
        site = session.scalars(select(Site).where(Site.code == "test")).one()
        session.execute(delete(Event).where(Event.site_id == site.id, Event.seq < 0))
        today = datetime.now(zone).date()
        seq = 0
        for back in range(1, weeks * 7 + 1):
            day = today - timedelta(days=back)
            for i in range(40):
                seq -= 1
                at = datetime.combine(day, time(9, 0), zone) + timedelta(seconds=45 * i)
                session.add(Event(site_id=site.id, seq=seq, type="issued", at=at,
                                  payload={"category": "social"}))
    engine.dispose()


def test_outlook_shows_the_next_days_shortfalls_and_the_backtest_error_in_zh_and_en(
        console, server):
    _seed_history(server)
    page = console("manager", path="/manager/staffing")
    days = page.locator("#outlook-result .outlook-day")
    expect(days).to_have_count(3, timeout=60000)
    # Every day's 09:00 half hour brings 40 social applicants: more than its 2 A windows.
    expect(days.first.locator("h3")).to_have_text(re.compile(r"^周. \d\d月\d\d日 · 预计 40 人"))
    short = days.first.locator("li.short").first
    expect(short).to_have_text(re.compile(r"^周. 09:00–09:30 社保医保 需增开 \d+ 个窗口$"))
    expect(page.locator("#outlook-backtest")).to_have_text(re.compile(
        r"^预测误差（回测最近 10 个有记录的日子.*平均差 [\d.]+ 人，相对误差 \d+%$"))
    # The panel sits in the side column, above the what-if, inside the viewport's width.
    panel, whatif = page.locator("#outlook-panel"), page.locator("#whatif-panel")
    box, below = panel.bounding_box(), whatif.bounding_box()
    assert box["y"] + box["height"] <= below["y"] + 1
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1920
    lines = days.first.locator("li.short").first.bounding_box()
    assert box["x"] <= lines["x"] and lines["x"] + lines["width"] <= box["x"] + box["width"]
    screenshot(page, "manager_staffing_outlook_zh")

    page = console("manager", path="/manager/staffing", lang="en")
    days = page.locator("#outlook-result .outlook-day")
    expect(days).to_have_count(3, timeout=60000)
    expect(days.first.locator("li.short").first).to_have_text(re.compile(
        r"^\w{3} 09:00–09:30 Social Insurance needs \d+ more windows?$"))
    expect(page.locator("#outlook-backtest")).to_contain_text("Forecast error (back-test on the last 10")
    screenshot(page, "manager_staffing_outlook_en")
