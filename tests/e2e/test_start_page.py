"""The start page a newcomer opens after `make run`, in Chinese and in English."""
import pytest

from .browser import chromium, screenshot


@pytest.mark.parametrize("lang,title,link", [
    ("zh", "测试政务服务中心", "业务类别与排队人数（JSON）"),
    ("en", "Test Service Center", "Categories and queues (JSON)"),
])
def test_start_page_names_the_hall_and_links_the_api(server, lang, title, link):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"{server.url}/?lang={lang}", timeout=15000)
        assert page.locator("h2").first.inner_text() == title
        page.get_by_text(link).click()
        page.wait_for_load_state()
        assert '"code"' in page.content()
        page.goto(f"{server.url}/?lang={lang}")
        screenshot(page, f"start_page_{lang}")
