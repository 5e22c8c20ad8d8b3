"""A hall with many services: the kiosk groups the buttons under the place in the hall."""
from __future__ import annotations

import pytest

from ..browser import screenshot
from ..server import start_server
from .conftest import LANDSCAPE, PORTRAIT

EXTRA = [("fund", "D", "住房公积金", "Housing Fund", "二楼 / 2F"),
         ("residency", "E", "户籍", "Household Registration", "二楼 / 2F"),
         ("business", "F", "企业开办", "Business Start-up", "三楼 / 3F"),
         ("permits", "G", "工程建设审批", "Construction Permits", "三楼 / 3F"),
         ("pension", "H", "养老认证", "Pension Check", "二楼 / 2F"),
         ("general", "J", "综合受理", "General Services", "三楼 / 3F")]


def many_services() -> str:
    toml = "".join(f'\n[[sites.categories]]\ncode = "{code}"\nprefix = "{prefix}"\nname_zh = "{zh}"\n'
                   f'name_en = "{en}"\ndaily_cap = 100\nwait_target_minutes = 20\n'
                   f'service_minutes = 5\nlocation = "{where}"\n'
                   for code, prefix, zh, en, where in EXTRA)
    return toml + (f'\n[[sites.windows]]\nnumber = 5\na = {[c[0] for c in EXTRA]}\n'.replace("'", '"'))


@pytest.fixture(scope="module")
def big_hall(tmp_path_factory):
    folder = tmp_path_factory.mktemp("big-hall")
    srv = start_server(folder, f"sqlite:///{folder / 'hall.db'}", many_services())
    yield srv
    srv.stop()


@pytest.mark.parametrize("viewport,orientation", [(PORTRAIT, "portrait"), (LANDSCAPE, "landscape")])
def test_many_services_are_grouped_by_place(browser, big_hall, viewport, orientation):
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(10000)
    try:
        page = context.new_page()
        page.goto(f"{big_hall.url}/kiosk/#token={big_hall.tokens['kiosk-1']}")
        page.wait_for_selector("body[data-ready='1']")
        assert page.locator(".category-button").count() == 9
        assert page.locator("h2.group").all_inner_texts() == ["二楼 / 2F", "三楼 / 3F", "其他"]
        screenshot(page, f"kiosk_grouped_zh_{orientation}")
        page.locator(".category-button[data-code='pension']").click()
        number = page.get_by_test_id("ticket-number")
        number.wait_for()
        assert number.inner_text().startswith("H00")
    finally:
        context.close()
