"""The appointments API over real HTTP on SQLite and PostgreSQL: a manager books, a kiosk checks
in once, refusals are JSON with a stable code and a message in the caller's language."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ...conftest import BACKENDS
from ..conftest import Client
from ..display.databases import own_postgres_database
from ..server import start_server

A = "/api/v1/sites/test/appointments"


@pytest.fixture(scope="module", params=BACKENDS)
def server(request, tmp_path_factory):
    """Its own database on PostgreSQL: the shared one is reset by other tests meanwhile."""
    folder = tmp_path_factory.mktemp(f"appointments-{request.param}")
    if request.param == "sqlite":
        srv = start_server(folder, f"sqlite:///{folder / 'hall.db'}")
        yield srv
        srv.stop()
        return
    with own_postgres_database("appointments") as url:
        srv = start_server(folder, url)
        yield srv
        srv.stop()


def slot(minutes_from_now: int, length: int = 30) -> dict:
    start = datetime.now(timezone.utc) + timedelta(minutes=minutes_from_now)
    return {"slot_start": start.isoformat(), "slot_end": (start + timedelta(minutes=length)).isoformat()}


def test_a_booked_code_checks_in_once_and_the_day_list_shows_its_ticket(server, kiosk_client,
                                                                        staff_client):
    manager = staff_client("manager")
    booked = manager.post(A, {"category": "social", **slot(-5)})
    assert booked.status_code == 201, booked.text
    code = booked.json()["code"]
    first = kiosk_client.post(f"{A}/check-in", {"code": code})
    assert first.status_code == 200, first.text
    ticket = first.json()
    assert ticket["priority_class"] == "appointment" and ticket["late"] is False
    assert ticket["appointment"]["code"] == code and ticket["status_token"]
    again = kiosk_client.post(f"{A}/check-in", {"code": code}).json()
    assert (again["id"], again["repeated"]) == (ticket["id"], True)
    listed = manager.get(A).json()
    assert next(a for a in listed if a["code"] == code)["ticket_number"] == ticket["number"]
    status = Client(server.url).get(f"/api/v1/tickets/{ticket['status_token']}").json()
    assert status["priority_class"] == "appointment" and status["status"] == "waiting"


def test_refusals_say_why_in_the_callers_language(server, kiosk_client, staff_client):
    manager = staff_client("manager")
    early = manager.post(A, {"category": "social", **slot(240)}).json()
    refused = kiosk_client.post(f"{A}/check-in", {"code": early["code"]})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "appointment_too_early"
    assert "还未到签到时间" in refused.json()["error"]["message"]
    english = Client(server.url, "en").as_device(server.tokens["kiosk-1"])
    message = english.post(f"{A}/check-in", {"code": early["code"]}).json()["error"]["message"]
    assert message.startswith("Too early to check in")
    cancelled = manager.post(f"{A}/{early['code']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    refused = kiosk_client.post(f"{A}/check-in", {"code": early["code"]})
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "appointment_cancelled")
    unknown = kiosk_client.post(f"{A}/check-in", {"code": "1" * 8 if early["code"] != "1" * 8
                                                  else "2" * 8})
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "not_found")
    assert "未找到预约" in unknown.json()["error"]["message"]
    for bad in ({"code": "12ab"}, {"code": ""}, {}, {"code": "1", "extra": 1}):
        r = kiosk_client.post(f"{A}/check-in", bad)
        assert (r.status_code, r.json()["error"]["code"]) == (400, "invalid_input"), bad


def test_only_managers_book_list_and_cancel(server, kiosk_client, staff_client):
    body = {"category": "social", **slot(60)}
    assert kiosk_client.post(A, body).status_code == 403
    assert staff_client("staff1").post(A, body).status_code == 403
    assert Client(server.url).post(A, body).status_code == 401
    assert kiosk_client.get(A).status_code == 403
    manager = staff_client("manager")
    naive = {"category": "social", "slot_start": "2030-01-01T10:00", "slot_end": "2030-01-01T10:30"}
    assert manager.post(A, naive).status_code == 400
    backwards = {"category": "social", **slot(60)}
    backwards["slot_start"], backwards["slot_end"] = backwards["slot_end"], backwards["slot_start"]
    assert manager.post(A, backwards).json()["error"]["code"] == "invalid_input"
    assert manager.post(A, {"category": "nope", **slot(60)}).status_code == 404
    booked = manager.post(A, body).json()
    assert kiosk_client.post(f"{A}/{booked['code']}/cancel").status_code == 403
    screen = Client(server.url).as_device(server.tokens["hall-1"])
    assert screen.post(f"{A}/check-in", {"code": booked["code"]}).status_code == 403
    assert manager.get(f"{A}?date=not-a-date").status_code == 400
    spec = Client(server.url).get("/api/v1/openapi.json").json()
    assert {A, f"{A}/check-in"} <= {p.replace("{site}", "test") for p in spec["paths"]}
