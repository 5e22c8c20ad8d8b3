"""Two halls on one deployment: an administrator picks the hall on the console and sees that hall
only; a hall's manager sees their own hall and no picker."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..server import sqlite_server
from .test_hall_browser import category_row

TOWN = """
[[sites]]
code = "town"
name_zh = "城关镇便民服务中心"
name_en = "Town Service Center"
opens = "00:00"
closes = "24:00"
weekdays = [1, 2, 3, 4, 5, 6, 7]

[[sites.categories]]
code = "civil"
prefix = "M"
name_zh = "民政事务"
name_en = "Civil Affairs"
daily_cap = 100
wait_target_minutes = 20
service_minutes = 5

[[sites.windows]]
number = 1
a = ["civil"]
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with sqlite_server(tmp_path_factory.mktemp("two-halls"), TOWN) as srv:
        yield srv


def test_an_administrator_picks_the_hall_and_sees_only_that_hall(console):
    page = console("admin")
    expect(page.locator(".site-name")).to_have_text("测试政务服务中心", timeout=10000)
    expect(category_row(page, "social")).to_be_visible()
    page.select_option(".site-pick select", "town")
    expect(page.locator(".site-name")).to_have_text("城关镇便民服务中心")
    expect(category_row(page, "civil")).to_be_visible()
    expect(category_row(page, "social")).to_have_count(0)
    expect(page.locator("#windows [data-window]")).to_have_count(1)
    expect(page.locator("#live")).to_have_text("实时")
    # the other pages keep the chosen hall
    page.click("nav.pages >> text=排班建议")
    expect(page.locator(".site-name")).to_have_text("城关镇便民服务中心")
    expect(page.locator("#whatif-category")).to_contain_text("民政事务")


def test_a_halls_manager_has_no_hall_picker(console):
    page = console("manager")
    expect(category_row(page, "social")).to_be_visible(timeout=10000)
    expect(page.locator(".site-pick")).to_have_count(0)
    page.goto(page.url.split("?")[0] + "?site=town")  # asking for another hall changes nothing
    expect(page.locator(".site-name")).to_have_text("测试政务服务中心")
    expect(category_row(page, "social")).to_be_visible()
