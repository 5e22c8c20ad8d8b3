"""The reports page in headless Chromium against the real server: a manager signs in, sees
today's figures as tables and charts in Chinese and English, and downloads a CSV that Excel and
Python read; staff are refused, a backwards range is explained."""
from __future__ import annotations

import csv
import io

import pytest
import requests
from playwright.sync_api import expect

from .browser import chromium, screenshot
from .conftest import Client
from .server import sqlite_server

DESK = {"width": 1440, "height": 900}
EVALUATOR = """
[[sites.screens]]
code = "evaluator-1"
name = "1号窗口评价器"
kind = "evaluator"
window = 1
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with sqlite_server(tmp_path_factory.mktemp("reports-server"), EVALUATOR) as srv:
        yield srv


@pytest.fixture(scope="module")
def day(server):
    """Today at the hall: 3 social and 1 tax ticket; window 1 serves two social tickets (rated
    5, and 2 for a long wait), the third does not come (no-show); the tax ticket still waits."""
    kiosk = Client(server.url).as_device(server.tokens["kiosk-1"])
    staff = Client(server.url).login("staff1", server.passwords["staff1"])
    tickets = [kiosk.post("/api/v1/sites/test/tickets", {"category": c}).json()
               for c in ("social", "social", "social", "tax")]
    assert staff.post("/api/v1/sites/test/windows/1/sign-in", {"post": "A"}).status_code == 200
    assert staff.post("/api/v1/sites/test/windows/1/open").status_code == 200
    pad = {"Authorization": f"Bearer {server.tokens['evaluator-1']}"}
    for ticket, rating in zip(tickets[:2], [{"level": 5}, {"level": 2, "reason": "long_wait"}]):
        called = staff.post("/api/v1/sites/test/windows/1/call-next").json()
        assert called["number"] == ticket["number"]
        staff.post(f"/api/v1/sites/test/tickets/{ticket['id']}/start")
        assert staff.post(f"/api/v1/sites/test/tickets/{ticket['id']}/finish").status_code == 200
        rated = requests.post(f"{server.url}/api/v1/sites/test/tickets/{ticket['id']}/evaluation",
                              json=rating, headers=pad, timeout=10)
        assert rated.status_code == 200, rated.text
    assert staff.post("/api/v1/sites/test/windows/1/call-next").json()["number"] == tickets[2]["number"]
    assert staff.post(f"/api/v1/sites/test/tickets/{tickets[2]['id']}/no-show").status_code == 200
    return tickets


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def manager_page(browser, server, lang: str = "zh"):
    page = browser.new_page(viewport=DESK, accept_downloads=True)
    page.goto(f"{server.url}/manager/reports?lang={lang}", timeout=15000)
    page.fill("#login-form input[name=username]", "manager")
    page.fill("#login-form input[name=password]", server.passwords["manager"])
    page.click("#login-form button[type=submit]")
    expect(page.locator("#table-categories")).to_be_visible(timeout=10000)
    return page


def cells(page, table: str, first_cell: str) -> list[str]:
    row = page.locator(f"#table-{table} tbody tr", has=page.locator("td", has_text=first_cell)).first
    return row.locator("td").all_inner_texts()


def charts_drawn(page) -> bool:
    return page.evaluate("""() => [...document.querySelectorAll('#charts img')]
        .every(img => img.complete && img.naturalWidth > 0)""")


def test_manager_sees_todays_figures_tables_and_charts_in_chinese(browser, server, day):
    page = manager_page(browser, server, "zh")
    social = cells(page, "categories", "社保医保")
    # 业务类别, 代码, 等候目标, 取号, 呼叫, 办结, 过号, 转办, 取消, …
    assert social[:9] == ["社保医保", "social", "20", "3", "3", "2", "1", "0", "0"]
    assert cells(page, "categories", "税务办理")[3] == "1"
    assert cells(page, "categories", "合计")[3:7] == ["4", "3", "2", "1"]
    window = cells(page, "windows", "1号窗口")
    assert window[1:4] == ["3", "2", "1"]  # called, served, no-show
    assert cells(page, "staff", "李明")[1] == "staff1"
    assert cells(page, "satisfaction", "非常满意")[2] == "1"
    assert cells(page, "satisfaction", "等候时间长")[2] == "1"
    expect(page.locator("#kpis")).to_contain_text("50.0%")  # satisfied: 1 of 2
    page.wait_for_function("""() => [...document.querySelectorAll('#charts img')]
        .every(img => img.complete)""", timeout=10000)
    assert page.locator("#charts img").count() == 3 and charts_drawn(page)
    screenshot(page, "manager_reports_zh")
    page.close()


def test_a_chart_is_svg_with_chinese_labels_for_managers_only(server, day):
    manager = Client(server.url).login("manager", server.passwords["manager"])
    svg = manager.get("/manager/charts/waits.svg?lang=zh")
    assert svg.status_code == 200 and svg.headers["Content-Type"].startswith("image/svg+xml")
    assert "社保医保" in svg.text and "90% 等候" in svg.text
    staff = Client(server.url).login("staff2", server.passwords["staff2"])
    assert staff.get("/manager/charts/waits.svg").status_code == 403
    assert manager.get("/manager/charts/nothing.svg").status_code == 404


def test_the_csv_download_opens_with_chinese_headers_and_the_same_figures(browser, server, day):
    page = manager_page(browser, server, "zh")
    with page.expect_download() as download:
        page.click("#table-categories a.csv")
    name = download.value.suggested_filename
    assert name.startswith("queuehall-test-categories-") and name.endswith(".csv")
    raw = open(download.value.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    social = next(r for r in rows if r["业务类别"] == "社保医保")
    assert (social["取号"], social["办结"], social["过号"], social["等候达标率"]) == ("3", "2", "1", "1.0")
    assert next(r for r in rows if r["业务类别"] == "合计")["取号"] == "4"
    page.close()


def test_the_page_switches_to_english(browser, server, day):
    page = manager_page(browser, server, "zh")
    page.click("text=English")
    expect(page.locator("#table-categories h2")).to_contain_text("By service", timeout=10000)
    assert cells(page, "categories", "Social Insurance")[3:7] == ["3", "3", "2", "1"]
    assert cells(page, "windows", "Window 1")[1] == "3"
    assert cells(page, "satisfaction", "Very satisfied")[2] == "1"
    page.wait_for_function("""() => [...document.querySelectorAll('#charts img')]
        .every(img => img.complete)""", timeout=10000)
    assert charts_drawn(page)
    screenshot(page, "manager_reports_en")
    page.close()


def test_a_backwards_range_is_explained_not_a_crash(browser, server, day):
    page = manager_page(browser, server, "zh")
    page.fill("#range input[name=from]", "2026-11-20")
    page.fill("#range input[name=to]", "2026-11-10")
    page.click("#range button[type=submit]")
    expect(page.locator("#problem")).to_contain_text("开始不能晚于结束", timeout=10000)
    screenshot(page, "manager_reports_bad_range_zh")
    page.close()
    manager = Client(server.url, "en").login("manager", server.passwords["manager"])
    refused = manager.get("/api/v1/sites/test/reports?from=2026-11-20&to=2026-11-10")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "invalid_date_range"
    assert "from must not be after to" in refused.json()["error"]["message"]


def test_reports_are_for_managers(browser, server, day):
    staff = Client(server.url).login("staff1", server.passwords["staff1"])
    assert staff.get("/api/v1/sites/test/reports").status_code == 403
    assert staff.get("/api/v1/sites/test/reports.csv").status_code == 403
    assert Client(server.url).get("/api/v1/sites/test/reports").status_code == 401
    page = browser.new_page(viewport=DESK)
    page.goto(f"{server.url}/manager/reports", timeout=15000)
    page.fill("#login-form input[name=username]", "staff1")
    page.fill("#login-form input[name=password]", server.passwords["staff1"])
    page.click("#login-form button[type=submit]")
    expect(page.locator("#refused")).to_be_visible(timeout=10000)
    assert page.locator("#table-categories").count() == 0
    page.close()


def test_the_json_report_of_today_matches_the_day(server, day):
    manager = Client(server.url).login("manager", server.passwords["manager"])
    report = manager.get("/api/v1/sites/test/reports").json()
    assert report["from"] == report["to"] and report["days"] == 1
    social = next(r for r in report["categories"] if r["category"] == "social")
    assert (social["issued"], social["served"], social["no_show"], social["rated"]) == (3, 2, 1, 2)
    assert report["satisfaction"]["levels"] == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1}
    assert report["satisfaction"]["bad_reasons"] == {"long_wait": 1}
    assert sum(a["issued"] for a in report["arrivals"]) == 4
    staff1 = next(s for s in report["staff"] if s["username"] == "staff1")
    assert (staff1["called"], staff1["served"], staff1["no_show"]) == (3, 2, 1)
    csv_text = manager.get(f"/api/v1/sites/test/reports.csv?table=staff&lang=en"
                           f"&from={report['from']}&to={report['to']}").content.decode("utf-8-sig")
    staff_rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert [(r["Account"], r["Served"]) for r in staff_rows] == [("staff1", "2")]


def test_todays_report_follows_the_hall_live(browser, server, day):
    """Last in this module: it issues one more ticket."""
    page = manager_page(browser, server, "zh")
    expect(page.locator("#live")).to_have_text("实时", timeout=10000)
    issued = page.locator("#kpis .kpi").first
    expect(issued).to_contain_text("4")
    page.click("#table-arrivals summary")  # an opened section stays open across a refresh
    kiosk = Client(server.url).as_device(server.tokens["kiosk-1"])
    assert kiosk.post("/api/v1/sites/test/tickets", {"category": "realty"}).status_code == 201
    expect(issued).to_contain_text("5", timeout=10000)
    assert cells(page, "categories", "不动产登记")[3] == "1"
    assert page.locator("#table-arrivals details").get_attribute("open") is not None
    page.close()
