"""What a kiosk prints for a ticket the core issued, and the QR code it shows on screen."""
from datetime import datetime

from printers.ticket_json import ticket_print
from kiosk.web import qr_svg, status_url

TICKET = {"id": 7, "number": "A007", "priority_class": "priority", "people_ahead": 3,
          "category": {"code": "social", "prefix": "A", "name_zh": "社保医保", "name_en": "Social"},
          "estimated_wait_minutes": {"low": 10, "high": 20}, "issued_at": "2026-11-23T01:05:00+00:00",
          "location": None, "status_token": "tok123"}


def test_the_printed_ticket_carries_the_local_time_wait_and_status_link():
    printed = ticket_print(TICKET, site_name="测试中心", timezone="Asia/Shanghai",
                           public_url="https://hall.example/", location="一楼大厅")
    assert printed.number == "A007" and printed.priority_mark == "优先 Priority"
    assert printed.issued_at.replace(tzinfo=None) == datetime(2026, 11, 23, 9, 5)
    assert printed.wait_minutes == (10, 20) and printed.location == "一楼大厅"
    assert printed.status_url == "https://hall.example/t/tok123"


def test_the_screen_qr_code_is_an_svg_of_the_status_link():
    assert status_url("http://hall.example/", "abc") == "http://hall.example/t/abc"
    svg = qr_svg("http://hall.example/t/abc").decode()
    assert svg.lstrip().startswith("<?xml") or "<svg" in svg[:200]
    assert "<path" in svg


def test_the_screen_qr_code_is_only_drawn_for_status_tokens(tmp_path):
    from flask import Flask

    from kiosk.web import kiosk_blueprint
    app = Flask(__name__)
    app.register_blueprint(kiosk_blueprint(lambda: {}, lambda: "http://hall.example"))
    client = app.test_client()
    assert client.get("/kiosk/qr/Ab_3-x.svg").status_code == 200
    assert client.get("/kiosk/qr/" + "x" * 5000 + ".svg").status_code == 404
