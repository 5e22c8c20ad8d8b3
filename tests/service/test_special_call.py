"""特呼 (a call out of turn), 过号重排 and 补打 with their reasons, on SQLite and PostgreSQL:
only a waiting ticket this window could call, by its staff or a manager, the reason kept in the
`called` event; bad requests are refused in the caller's language."""
import pytest
from sqlalchemy import select

from queue_core.adapters.orm import Event
from queue_core.service import accounts
from queuehall.app import create_app

from .test_authorization_matrix import with_a_printer

W1 = "/api/v1/sites/test/windows/1"
T = "/api/v1/sites/test/tickets"


@pytest.fixture
def app(settings, clock, tmp_path):
    settings = with_a_printer(settings, tmp_path)
    app = create_app(settings, clock=clock)
    app.config["WTF_CSRF_ENABLED"] = False
    with app.extensions["queuehall"].db.writer() as s:
        for name, role in [("staff1", "staff"), ("staff2", "staff"), ("boss", "manager")]:
            accounts.create_user(s, name, "password123", role, name.title(), "test")
        s.commit()
    return app


def client(app, name: str, lang: str = "zh"):
    c = app.test_client()
    c.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    assert c.post("/api/v1/auth/login", json={"username": name,
                                               "password": "password123"}).status_code == 200
    return c


def events(app, kind: str) -> list[dict]:
    with app.extensions["queuehall"].db.reader() as s:
        return [e.payload for e in s.scalars(select(Event).where(Event.type == kind)
                                              .order_by(Event.seq))]


@pytest.fixture
def desk(app):
    """staff1 at window 1 (社保 A, 税务 B), open; staff2 at window 2 (社保 A), open."""
    one, two = client(app, "staff1"), client(app, "staff2")
    for c, n in ((one, 1), (two, 2)):
        assert c.post(f"/api/v1/sites/test/windows/{n}/sign-in",
                      json={"post": "A", "open": True}).status_code == 200
    boss = client(app, "boss")
    issue = lambda cat="social", **kw: boss.post(T, json={"category": cat, **kw}).get_json()  # noqa: E731
    return one, two, boss, issue


def test_special_call_takes_the_named_ticket_out_of_turn_and_keeps_the_reason(app, desk, clock):
    one, _, _, issue = desk
    first, second, third = issue(), issue(), issue()
    clock.advance(seconds=90)
    called = one.post(f"{W1}/call", json={"number": third["number"].lower(),
                                          "reason": "家属同办"})
    assert called.status_code == 200, called.get_json()
    body = called.get_json()
    assert body["number"] == third["number"] and body["status"] == "called"
    assert body["call_reason"]["rule"] == "special" and body["call_reason"]["note"] == "家属同办"
    event = events(app, "called")[-1]
    assert event["number"] == third["number"] and event["window"] == 1
    assert event["reason"]["rule"] == "special" and event["reason"]["note"] == "家属同办"
    assert event["wait_seconds"] == 90 and event["by"]["name"] == "Staff1"
    # the queue goes on in its own order afterwards, and the list says so
    listed = one.get(f"{T}?window=1").get_json()["tickets"]
    assert [t["number"] for t in listed] == [first["number"], second["number"]]
    one.post(f"{T}/{body['id']}/no-show")
    assert one.post(f"{W1}/call-next").get_json()["number"] == first["number"]


@pytest.mark.parametrize("lang, text", [("zh", "不是1号窗口可呼叫的号码"),
                                        ("en", "is not one window 1 may call")])
def test_special_call_refuses_what_the_window_may_not_call(app, desk, lang, text):
    one, two, boss, issue = desk
    one = client(app, "staff1", lang)
    realty = issue("realty")  # window 1 serves 社保 and 税务 only
    refused = one.post(f"{W1}/call", json={"ticket_id": realty["id"], "reason": "x"})
    assert refused.status_code == 409 and text in refused.get_json()["error"]["message"]
    social = issue()  # reserved for window 2 by a transfer: not window 1's to call
    assert boss.post(f"{T}/{social['id']}/transfer", json={"to_window": 2}).status_code == 200
    assert one.post(f"{W1}/call", json={"ticket_id": social["id"],
                                        "reason": "x"}).get_json()["error"]["code"] == \
        "not_for_this_window"
    # a reason is required; one ticket, by id or number; an unknown number is a 404
    for bad in ({"number": social["number"]}, {"number": social["number"], "reason": ""},
                {"number": social["number"], "ticket_id": social["id"], "reason": "x"}):
        assert one.post(f"{W1}/call", json=bad).status_code == 400
    assert one.post(f"{W1}/call", json={"number": "Z999", "reason": "x"}).status_code == 404
    # staff2 may not call at window 1; window 2 may call what was transferred to it
    assert two.post(f"{W1}/call", json={"number": social["number"], "reason": "x"}) \
        .status_code == 403  # not signed in there
    called = two.post("/api/v1/sites/test/windows/2/call",
                      json={"number": social["number"], "reason": "转办过来"})
    assert called.status_code == 200
    # not waiting any more; and a window with a ticket at the counter calls nobody else
    again = one.post(f"{W1}/call", json={"number": social["number"], "reason": "x"})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "invalid_transition"
    waiting = issue()
    assert one.post(f"{W1}/call", json={"number": waiting["number"], "reason": "x"}).status_code == 200
    busy = one.post(f"{W1}/call", json={"number": issue()["number"], "reason": "x"})
    assert busy.get_json()["error"]["code"] == "window_busy"


def test_a_manager_may_call_out_of_turn_at_any_window(app, desk):
    _, _, boss, issue = desk
    ticket = issue("tax")  # window 1's B work
    called = boss.post(f"{W1}/call", json={"ticket_id": ticket["id"], "reason": "领导安排"})
    assert called.status_code == 200
    assert called.get_json()["call_reason"]["via_backup"] is True


def test_reinstate_and_reprint_keep_their_reasons(app, desk):
    one, _, _, issue = desk
    ticket = issue()
    assert one.post(f"{W1}/call-next").get_json()["id"] == ticket["id"]
    assert one.post(f"{T}/{ticket['id']}/no-show").status_code == 200
    window = one.get(W1).get_json()
    assert [t["number"] for t in window["no_shows"]] == [ticket["number"]]
    back = one.post(f"{T}/{ticket['id']}/reinstate", json={"reason": "申请人返回"})
    assert back.status_code == 200 and back.get_json()["status"] == "waiting"
    assert events(app, "reinstated")[-1]["reason"] == "申请人返回"
    assert one.get(W1).get_json()["no_shows"] == []
    assert one.post(f"{W1}/call-next").get_json()["id"] == ticket["id"]
    printed = one.post(f"{T}/{ticket['id']}/reprint", json={"printer": "kp-1",
                                                             "reason": "票据丢失"})
    assert printed.status_code == 200, printed.get_json()
    assert events(app, "reprint_requested")[-1]["reason"] == "票据丢失"
