"""`queuehall serve` and the start page warn when ticket QR codes point where phones cannot go."""
from __future__ import annotations

import requests

from ..browser import screenshot
from ..server import sqlite_server

WARNING_ZH = "手机扫码将无法打开排队进度页"


def test_a_loopback_public_url_is_warned_about_at_start_and_on_the_start_page(tmp_path, browser):
    with sqlite_server(tmp_path) as srv:  # the test hall keeps public_url at http://127.0.0.1:8000
        log = (srv.folder / "server.log").read_text(encoding="utf-8")
        assert WARNING_ZH in log and "phones scanning them cannot open" in log
        page_zh = requests.get(srv.url + "/?lang=zh", timeout=10).text
        assert WARNING_ZH in page_zh and "http://127.0.0.1:8000" in page_zh
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        try:
            page = context.new_page()
            for lang in ("zh", "en"):
                page.goto(f"{srv.url}/?lang={lang}")
                assert page.get_by_test_id("qr-warning").is_visible()
                screenshot(page, f"start_qr_warning_{lang}")
        finally:
            context.close()


def test_a_hall_reached_at_another_address_than_public_url_is_warned_about(hall_server):
    # hall_server: public_url http://hall.example, served on 127.0.0.1 (no warning at start)
    assert "phones scanning them" not in (hall_server.folder / "server.log").read_text(encoding="utf-8")
    assert 'data-testid="qr-warning"' not in requests.get(hall_server.url + "/", timeout=10).text
    elsewhere = requests.get(hall_server.url + "/?lang=en", headers={"Host": "10.0.0.5:8000"},
                             timeout=10).text
    assert "differs from the address the hall is served at, http://10.0.0.5:8000/" in elsewhere
