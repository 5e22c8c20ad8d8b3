"""Bad input over HTTP: always a JSON error with a stable code, in the caller's language, never a 500."""
import pytest

from .conftest import Client

ISSUE = "/api/v1/sites/test/tickets"


@pytest.mark.parametrize("body,code", [
    ("{not json", "invalid_json"),
    ('{"category": 5}', "invalid_input"),
    ('{"category": "social", "extra": 1}', "invalid_input"),
    ('["social"]', "invalid_input"),
    ('{"category": "social", "priority_class": "vip"}', "invalid_input"),
    ('{"category": "social", "request_id": "has spaces!"}', "invalid_input"),
    ('{"category": "nope"}', "not_found"),
])
def test_malformed_issue_requests_get_a_clear_refusal(kiosk_client, body, code):
    r = kiosk_client.post(ISSUE, data=body, headers={"Content-Type": "application/json"})
    assert 400 <= r.status_code < 500 and r.json()["error"]["code"] == code


def test_messages_follow_accept_language(server):
    zh = Client(server.url, "zh-CN").as_device(server.tokens["kiosk-1"])
    en = Client(server.url, "en-US,en;q=0.9").as_device(server.tokens["kiosk-1"])
    assert zh.post(ISSUE, {"category": "nope"}).json()["error"]["message"] == "未找到业务类别：nope"
    assert en.post(ISSUE, {"category": "nope"}).json()["error"]["message"] == \
        "No category found: nope"


@pytest.mark.parametrize("method,path,status,code", [
    ("post", ISSUE, 401, "unauthorized"),
    ("get", "/api/v1/sites/test/stats/today", 401, "unauthorized"),
    ("get", "/api/v1/nowhere", 404, "route_not_found"),
    ("delete", ISSUE, 405, "method_not_allowed"),
    ("get", "/api/v1/tickets/not-a-real-token", 404, "not_found"),
    ("get", "/api/v1/sites/nosuch/categories", 404, "not_found"),
])
def test_anonymous_and_unknown_requests(server, method, path, status, code):
    r = getattr(Client(server.url).http, method)(server.url + path, timeout=10)
    assert r.status_code == status and r.json()["error"]["code"] == code


def test_wrong_device_token_is_unauthorized(server):
    r = Client(server.url).as_device("dev_forged").post(ISSUE, {"category": "social"})
    assert r.status_code == 401


def test_kiosk_cannot_call_numbers(kiosk_client):
    r = kiosk_client.post("/api/v1/sites/test/windows/1/call-next")
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"


def test_staff_post_without_csrf_token_is_refused(staff_client):
    staff = staff_client("staff3")
    del staff.http.headers["X-CSRFToken"]
    r = staff.post("/api/v1/sites/test/windows/4/sign-in", {"post": "A"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "csrf_failed"


def test_wrong_password_is_refused_without_saying_which_part(server):
    c = Client(server.url, "en")
    csrf = c.get("/api/v1/auth/csrf").json()["csrf_token"]
    for user in ["staff1", "nobody"]:
        r = c.post("/api/v1/auth/login", {"username": user, "password": "wrong-password"},
                   headers={"X-CSRFToken": csrf})
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"


def test_staff_cannot_act_at_a_window_they_are_not_signed_in_to(staff_client):
    staff = staff_client("staff3")
    r = staff.post("/api/v1/sites/test/windows/1/call-next")
    assert r.status_code == 403 and r.json()["error"]["code"] == "not_signed_in"


@pytest.mark.parametrize("path,body", [
    ("/api/v1/sites/test/windows/99999999999999999999/open", None),
    ("/api/v1/sites/test/windows/4/pause", {"reason": ""}),
    ("/api/v1/sites/test/windows/4/sign-in", {"post": "C"}),
    ("/api/v1/sites/test/tickets/1/transfer", {"to_category": "tax", "to_window": 2}),
    ("/api/v1/sites/test/tickets/999999/finish", None),
])
def test_staff_bad_input_never_gives_500(staff_client, path, body):
    r = staff_client("manager").post(path, body)
    assert 400 <= r.status_code < 500, r.text
    assert r.json()["error"]["code"]


@pytest.mark.parametrize("method,path,body,status,code", [
    ("post", "/api/v1/auth/login", "[" * 990 + "]" * 990, 400, "invalid_json"),
    ("get", "/api/v1/sites/test/events?since=9223372036854775808", None, 400, "invalid_input"),
    ("get", "/api/v1/sites/test/appointments?date=9999-12-31", None, 400, "invalid_input"),
    ("get", "/api/v1/sites/test/appointments?date=0001-01-01", None, 400, "invalid_input"),
    ("post", "/api/v1/auth/login", '{"username": "' + "x" * 400_000 + '"}', 413,
     "payload_too_large"),
])
def test_what_once_gave_a_500_is_a_clear_refusal(server, method, path, body, status, code):
    manager = Client(server.url).login("manager", server.passwords["manager"])
    headers = {"Content-Type": "application/json"}
    r = getattr(manager.http, method)(server.url + path, data=body, headers=headers, timeout=10)
    assert r.status_code == status and r.json()["error"]["code"] == code, r.text[:200]


def test_a_voice_phrase_with_a_control_character_is_refused(server):
    r = Client(server.url).get("/display/voice?text=%00",
                               headers={"X-Device-Token": server.tokens["hall-1"]})
    assert r.status_code == 400


def test_tokens_never_reach_the_access_log(server, kiosk_client):
    screen = server.tokens["hall-1"]
    Client(server.url).get(f"/display/hall?token={screen}")
    ticket = kiosk_client.post(ISSUE, {"category": "social"}).json()
    Client(server.url).get(f"/t/{ticket['status_token']}")
    Client(server.url).get(f"/api/v1/tickets/{ticket['status_token']}")
    Client(server.url).get(f"/kiosk/qr/{ticket['status_token']}.svg")
    log = (server.folder / "server.log").read_text(encoding="utf-8", errors="replace")
    assert "GET /display/hall?token=*** " in log and "GET /t/*** " in log
    assert screen not in log and server.tokens["kiosk-1"] not in log
    assert ticket["status_token"] not in log


@pytest.mark.parametrize("lang, message", [("zh", "密码错误次数过多"), ("en", "Too many wrong passwords")])
def test_wrong_passwords_in_a_row_make_the_next_try_wait(server, lang, message):
    client = Client(server.url, lang)
    csrf = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    tries = [client.post("/api/v1/auth/login", {"username": f"intruder-{lang}", "password": "x"},
                         headers={"X-CSRFToken": csrf}) for _ in range(5)]
    assert [t.status_code for t in tries[:4]] == [401] * 4
    assert tries[4].status_code == 429 and int(tries[4].headers["Retry-After"]) >= 1
    error = tries[4].json()["error"]
    assert error["code"] == "sign_in_throttled" and message in error["message"]
