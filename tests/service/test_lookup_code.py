"""查询码 at the service desk, over the API in-process: a kiosk that gave up waiting shows a code;
staff of that hall find the ticket its tap got (number, category, status, print job), or hear
plainly that nothing was issued; a kiosk or another hall's staff may not look."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from printers.settings import PrinterSettings
from queuehall.app import create_app
from queue_core.adapters.orm import Staff
from queue_core.config import KioskSettings
from queue_core.domain import lookup_code
from queue_core.service import accounts, appointments

from ..conftest import MONDAY_9AM, database_url, make_settings, prepare

BY_CODE = "/api/v1/sites/test/tickets/by-code/"


@pytest.fixture
def app(backend, tmp_path, clock):
    """The test hall, its kiosk printing to a file, and a second hall ("town") with its own staff."""
    settings = make_settings(database_url(backend, tmp_path), tmp_path)
    test = settings.sites[0]
    test = test.model_copy(update={
        "printers": [PrinterSettings(code="p1", uri=f"file://{tmp_path / 'p1.bin'}")],
        "kiosks": [KioskSettings(code="kiosk-1", name="取号机 1", printer="p1")]})
    town = test.model_copy(update={"code": "town", "name_zh": "城关镇便民服务中心", "printers": [],
                                   "kiosks": [], "screens": []})
    settings = settings.model_copy(update={"sites": [test, town]})
    prepare(settings)
    app = create_app(settings, clock=clock)
    with app.extensions["queuehall"].db.writer() as session:
        for name, role, site in [("desk", "staff", "test"), ("boss", "manager", "test"),
                                 ("townie", "staff", "town")]:
            accounts.create_user(session, name, "password123", role, name.title(), site)
        app.kiosk_token = accounts.issue_device_token(session, "test", "kiosk-1")
        session.commit()
    yield app
    app.extensions["queuehall"].printing.close()


def signed_in(app, username: str, lang: str = "zh"):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    csrf = client.get("/api/v1/auth/csrf").get_json()["csrf_token"]
    r = client.post("/api/v1/auth/login", json={"username": username, "password": "password123"},
                    headers={"X-CSRFToken": csrf})
    assert r.status_code == 200, r.get_json()
    return client


def kiosk_tap(app, key: str, category: str = "tax") -> dict:
    """A tap as the kiosk page makes it: the request id starts with the code's key."""
    r = app.test_client().post("/api/v1/sites/test/tickets",
                               json={"category": category, "request_id": f"{key}-a1b2c3d4e5f6"},
                               headers={"Authorization": f"Bearer {app.kiosk_token}"})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def test_the_kiosk_learns_its_tag_and_the_alphabet_of_its_codes(app):
    device = app.test_client().get("/kiosk/device", headers={
        "Authorization": f"Bearer {app.kiosk_token}"}).get_json()
    assert device["lookup"] == {"tag": "K1", "alphabet": lookup_code.ALPHABET, "length": 6}
    assert not set("01OIL") & set(lookup_code.ALPHABET)


def test_a_committed_ticket_is_found_by_the_code_the_kiosk_showed(app):
    kiosk_tap(app, "2ABCDE")  # another tap of the same kiosk
    ticket = kiosk_tap(app, "7QX4P2")
    desk = signed_in(app, "desk")
    for typed in ("K1-7QX4P2", "k1 7qx4p2", "7QX4P2"):
        r = desk.get(BY_CODE + typed)
        assert r.status_code == 200, r.get_json()
        found = r.get_json()
        assert found["ticket"]["number"] == ticket["number"] and found["ticket"]["id"] == ticket["id"]
    assert found["code"] == "7QX4P2"
    assert found["ticket"]["category"]["code"] == "tax" and found["ticket"]["status"] == "waiting"
    assert "status_token" not in found["ticket"]  # the holder's phone key stays theirs
    assert found["kiosk"] == {"code": "kiosk-1", "name": "取号机 1"}
    assert found["print"]["ticket_id"] == ticket["id"]
    assert found["print"]["state"] in {"queued", "printing", "printed"}


def test_a_manager_of_the_hall_may_look_too(app):
    ticket = kiosk_tap(app, "M9N8P7")
    r = signed_in(app, "boss").get(BY_CODE + "K1-M9N8P7")
    assert r.status_code == 200 and r.get_json()["ticket"]["number"] == ticket["number"]


def test_an_appointment_check_in_is_found_by_its_appointment_code(app, clock):
    hall = app.extensions["queuehall"]
    with hall.db.reader() as session:
        manager = accounts.staff_actor(session.scalars(select(Staff).where(
            Staff.username == "boss")).one())
    start = MONDAY_9AM + timedelta(minutes=10)
    code = appointments.book(hall.uow(), "test", "social", start, start + timedelta(minutes=30),
                             manager)["code"]
    desk = signed_in(app, "desk", "en")
    before = desk.get(BY_CODE + code)
    assert before.status_code == 404 and code in before.get_json()["error"]["message"]
    r = app.test_client().post("/api/v1/sites/test/appointments/check-in", json={"code": code},
                               headers={"Authorization": f"Bearer {app.kiosk_token}"})
    assert r.status_code in (200, 201), r.get_json()
    found = desk.get(BY_CODE + code).get_json()
    assert found["ticket"]["number"] == r.get_json()["number"]
    assert found["ticket"]["priority_class"] == "appointment"


@pytest.mark.parametrize("lang,message", [
    ("zh", "今天没有用查询码 K1-2345AB 取出的号码：申请人尚未取到号，请为其取号"),
    ("en", "No ticket was issued today for code K1-2345AB: the applicant has no ticket yet; "
           "take one for them"),
])
def test_a_code_that_got_no_ticket_says_so_plainly(app, lang, message):
    kiosk_tap(app, "7QX4P2")
    r = signed_in(app, "desk", lang).get(BY_CODE + "k1-2345ab")
    assert r.status_code == 404
    assert r.get_json()["error"]["code"] == "no_ticket_for_code"
    assert r.get_json()["error"]["message"] == message


@pytest.mark.parametrize("typed", ["K1-7QX4P", "K1-7QX4P0", "K1-IIIIII", "x" * 40])
def test_what_cannot_be_a_code_is_a_clear_400(app, typed):
    r = signed_in(app, "desk", "en").get(BY_CODE + typed)
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "invalid_lookup_code"
    assert "K1-7QX4P2" in r.get_json()["error"]["message"]  # says what a code looks like


def test_another_halls_staff_and_the_kiosk_may_not_look(app):
    kiosk_tap(app, "7QX4P2")
    r = signed_in(app, "townie").get(BY_CODE + "K1-7QX4P2")
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "forbidden"
    r = app.test_client().get(BY_CODE + "K1-7QX4P2",
                              headers={"Authorization": f"Bearer {app.kiosk_token}"})
    assert r.status_code == 403
    assert app.test_client().get(BY_CODE + "K1-7QX4P2").status_code == 401


def test_yesterdays_ticket_is_not_todays_answer(app, clock):
    kiosk_tap(app, "7QX4P2")
    clock.advance(days=1)
    r = signed_in(app, "desk").get(BY_CODE + "K1-7QX4P2")
    assert r.status_code == 404
