"""The authorization matrix: every operation of /api/v1/openapi.json asked by every kind of
caller, against the answer this table expects. A new endpoint without a row fails the test.

  ok   the caller gets past authorization (a 2xx, or a refusal of the request itself such as
       409 already called; never 401/403 and never a 5xx)
  401  nobody signed in and no device token
  403  signed in or a device, but not this caller's job (or not their window, not their site)

Columns: nobody · kiosk · hall screen · window screen of window 2 · evaluator pad of window 2 ·
staff1 (signed in at window 1) acting on window 2 and its tickets · the manager of another site ·
the site's manager · an administrator."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import select

from queue_core.adapters.orm import Device, Site
from queuehall.app import create_app
from queue_core.domain.errors import DomainError
from queue_core.domain.model import Action
from queue_core.service import accounts, appointments, calling, issuing, windows
from queue_core.service.setup import apply_config
from queue_core.service.unit_of_work import SYSTEM
from printers.settings import PrinterSettings

from ..conftest import MONDAY_9AM

CALLERS = ["nobody", "kiosk", "hall", "win2", "pad2", "staff1", "other", "mgr", "admin"]

MATRIX = """
operation                                         nobody kiosk hall win2 pad2 staff1 other mgr admin
GET  /auth/csrf                                   ok     ok    ok   ok   ok   ok     ok    ok  ok
POST /auth/login                                  ok     ok    ok   ok   ok   ok     ok    ok  ok
POST /auth/logout                                 ok     ok    ok   ok   ok   ok     ok    ok  ok
GET  /auth/me                                     401    403   403  403  403  ok     ok    ok  ok
GET  /health                                      ok     ok    ok   ok   ok   ok     ok    ok  ok
GET  /sites                                       ok     ok    ok   ok   ok   ok     ok    ok  ok
GET  /labels                                      ok     ok    ok   ok   ok   ok     ok    ok  ok
GET  /sites/{site}/categories                     ok     ok    ok   ok   ok   ok     403   ok  ok
GET  /sites/{site}/windows                        401    403   ok   ok   ok   ok     403   ok  ok
GET  /sites/{site}/events                         401    403   ok   ok   ok   ok     403   ok  ok
GET  /sites/{site}/stats/today                    401    403   403  403  403  ok     403   ok  ok
GET  /sites/{site}/windows/{number}               401    403   ok   ok   ok   ok     403   ok  ok
GET  /sites/{site}/windows/{number}/stats/today   401    403   403  403  403  ok     403   ok  ok
POST /sites/{site}/windows/{number}/sign-in       401    403   403  403  403  ok     403   ok  ok
POST /sites/{site}/windows/{number}/sign-out      401    403   403  403  403  ok     403   ok  ok
POST /sites/{site}/windows/{number}/open          401    403   403  403  403  403    403   ok  ok
POST /sites/{site}/windows/{number}/pause         401    403   403  403  403  403    403   ok  ok
POST /sites/{site}/windows/{number}/close         401    403   403  403  403  403    403   ok  ok
POST /sites/{site}/windows/{number}/call-next     401    403   403  403  403  403    403   ok  ok
POST /sites/{site}/windows/{number}/call          401    403   403  403  403  403    403   ok  ok
POST /sites/{site}/tickets                        401    ok    403  403  403  ok     403   ok  ok
GET  /sites/{site}/tickets                        401    403   403  403  403  ok     403   ok  ok
GET  /tickets/{token}                             ok     ok    ok   ok   ok   ok     ok    ok  ok
POST /sites/{site}/tickets/{ticket_id}/recall     401    403   403  403  403  403    403   ok  ok
POST /sites/{site}/tickets/{ticket_id}/start      401    403   403  403  403  403    403   ok  ok
POST /sites/{site}/tickets/{ticket_id}/finish     401    403   403  403  403  403    403   ok  ok
POST /sites/{site}/tickets/{ticket_id}/no-show    401    403   403  403  403  403    403   ok  ok
POST /sites/{site}/tickets/{ticket_id}/suspend    401    403   403  403  403  403    403   ok  ok
POST /sites/{site}/tickets/{ticket_id}/resume     401    403   403  403  403  403    403   ok  ok
POST /sites/{site}/tickets/{ticket_id}/cancel     401    403   403  403  403  403    403   ok  ok
POST /sites/{site}/tickets/{ticket_id}/reinstate  401    403   403  403  403  ok     403   ok  ok
POST /sites/{site}/tickets/{ticket_id}/transfer   401    403   403  403  403  403    403   ok  ok
POST /sites/{site}/tickets/{ticket_id}/reprint    401    403   403  403  403  403    403   ok  ok
POST /sites/{site}/tickets/{ticket_id}/evaluation 401    403   403  403  ok   403    403   403 403
GET  /sites/{site}/printers                       401    ok    403  403  403  ok     403   ok  ok
POST /sites/{site}/printers/{code}/status         401    ok    403  403  403  403    403   403 403
GET  /sites/{site}/print-jobs/{job_id}            401    ok    403  403  403  ok     403   ok  ok
POST /sites/{site}/appointments                   401    403   403  403  403  403    403   ok  ok
GET  /sites/{site}/appointments                   401    403   403  403  403  403    403   ok  ok
POST /sites/{site}/appointments/{code}/cancel     401    403   403  403  403  403    403   ok  ok
POST /sites/{site}/appointments/check-in          401    ok    403  403  403  ok     403   ok  ok
POST /sites/{site}/windows/{number}/categories    401    403   403  403  403  403    403   ok  ok
POST /sites/{site}/windows/b-posts                401    403   403  403  403  403    403   ok  ok
POST /sites/{site}/categories/{code}/backup       401    403   403  403  403  403    403   ok  ok
POST /sites/{site}/categories/{code}/daily-cap    401    403   403  403  403  403    403   ok  ok
POST /sites/{site}/categories/{code}/move-waiting 401    403   403  403  403  403    403   ok  ok
GET  /sites/{site}/alerts                         401    403   403  403  403  403    403   ok  ok
POST /sites/{site}/alerts/{alert_id}/acknowledge  401    403   403  403  403  403    403   ok  ok
GET  /sites/{site}/devices                        401    403   403  403  403  403    403   ok  ok
GET  /sites/{site}/audit                          401    403   403  403  403  403    403   ok  ok
GET  /sites/{site}/reports                        401    403   403  403  403  403    403   ok  ok
GET  /sites/{site}/reports.csv                    401    403   403  403  403  403    403   ok  ok
GET  /sites/{site}/staffing/advice                401    403   403  403  403  403    403   ok  ok
POST /sites/{site}/staffing/what-if               401    403   403  403  403  403    403   ok  ok
GET  /sites/{site}/staffing/b-posts               401    403   403  403  403  403    403   ok  ok
GET  /sites/{site}/staffing/outlook               401    403   403  403  403  403    403   ok  ok
GET  /sites/{site}/tickets/by-code/{code}         401    403   403  403  403  ok     403   ok  ok
POST /auth/password                               401    403   403  403  403  ok     ok    ok  ok
GET  /accounts                                    401    403   403  403  403  403    ok    ok  ok
GET  /accounts/sessions                           401    403   403  403  403  403    ok    ok  ok
POST /accounts/{username}/password                401    403   403  403  403  403    403   ok  ok
POST /accounts/{username}/deactivate              401    403   403  403  403  403    403   ok  ok
POST /accounts/{username}/reactivate              401    403   403  403  403  403    403   ok  ok
"""


def expected_table() -> dict[tuple[str, str], dict[str, str]]:
    lines = [line.split() for line in MATRIX.strip().splitlines()[1:]]
    return {(method, path): dict(zip(CALLERS, answers, strict=True))
            for method, path, *answers in lines}


@dataclass
class World:
    """The hall every request is made against, and what a row's request needs."""

    app: object
    hall: object
    people: dict
    tokens: dict
    cache: dict = field(default_factory=dict)

    def uow(self):
        return self.hall.uow()

    def ticket(self, status: str) -> int:
        """A fresh ticket of today in `status`, at window 2 when it is at a window."""
        staff2 = self.people["staff2"]
        self.window2_ready()
        if status == "waiting":
            return issuing.issue_ticket(self.uow(), "test", "social", SYSTEM)["id"]
        issuing.issue_ticket(self.uow(), "test", "social", SYSTEM, priority_class="priority")
        ticket = calling.call_next(self.uow(), "test", 2, staff2)["id"]
        steps = {"called": [], "no_show": [Action.NO_SHOW], "serving": [Action.START],
                 "suspended": [Action.START, Action.SUSPEND],
                 "done": [Action.START, Action.FINISH]}[status]
        for action in steps:
            calling.act_on_ticket(self.uow(), "test", ticket, action, staff2)
        return ticket

    def window2_ready(self) -> None:
        """Window 2 open with staff2 on its A post and nobody at the counter."""
        staff2 = self.people["staff2"]
        for step in (lambda: windows.sign_in(self.uow(), "test", 2, "A", staff2),
                     lambda: windows.set_window_state(self.uow(), "test", 2, "open", SYSTEM)):
            try:
                step()
            except DomainError:
                pass  # already so
        current = self.app.test_client().get(
            "/api/v1/sites/test/windows/2", headers=self.tokens["hall"]).get_json()
        for ticket in [current["current"], *current["suspended"]]:
            if ticket:
                done = Action.FINISH if ticket["status"] == "serving" else Action.CANCEL
                calling.act_on_ticket(self.uow(), "test", ticket["id"], done, SYSTEM)


def path_values(world: World, method: str, path: str) -> dict:
    """What a row's path asks for: window 2 and its tickets, categories of the test hall."""
    status = {"recall": "called", "start": "called", "finish": "serving", "no-show": "called",
              "suspend": "serving", "resume": "suspended", "cancel": "called",
              "reinstate": "no_show", "transfer": "serving", "reprint": "called",
              "evaluation": "done"}
    values = {"site": "test", "number": 2, "code": "social"}
    if "{ticket_id}" in path:
        values["ticket_id"] = world.ticket(status[path.rsplit("/", 1)[1]])
    if path.endswith("{code}/cancel"):
        values["code"] = _booking(world)["code"]
    if path.endswith("{code}/status"):
        values["code"] = "kiosk-1"  # a kiosk reports the printer named after it
    if "{token}" in path:
        with world.hall.db.reader() as session:
            from queue_core.adapters.orm import Ticket
            values["token"] = session.scalars(select(Ticket.status_token)).first()
    if "{job_id}" in path:
        values["job_id"] = world.cache.setdefault("job", _print_job(world))
    if path.endswith("by-code/{code}"):
        values["code"] = world.cache.setdefault("lookup", _lookup_code(world))
    if "{username}" in path:
        values["username"] = "staff3"
    if "{alert_id}" in path:
        values["alert_id"] = _alert(world)
    if method == "POST" and path.endswith("/call-next"):
        world.window2_ready()
        issuing.issue_ticket(world.uow(), "test", "social", SYSTEM)
    if method == "POST" and path.endswith("/call"):  # 特呼 of a fresh waiting ticket
        world.window2_ready()
        world.cache["special"] = issuing.issue_ticket(world.uow(), "test", "social", SYSTEM)["number"]
    return values


def body_for(world: World, method: str, path: str) -> dict | None:
    if method != "POST":
        return None
    slot = MONDAY_9AM + timedelta(hours=1)
    bodies = {
        "/auth/login": {"username": "staff3", "password": "password123"},
        "/sites/{site}/tickets": {"category": "social"},
        "/sites/{site}/windows/{number}/sign-in": {"post": "B"},
        "/sites/{site}/windows/{number}/pause": {"reason": "午休"},
        "/sites/{site}/tickets/{ticket_id}/transfer": {"to_category": "tax"},
        "/sites/{site}/tickets/{ticket_id}/reprint": {"printer": "kp-1"},
        "/sites/{site}/tickets/{ticket_id}/evaluation": {"level": 5},
        "/sites/{site}/printers/{code}/status": {"status": "online"},
        "/sites/{site}/appointments": {"category": "social", "slot_start": slot.isoformat(),
                                       "slot_end": (slot + timedelta(minutes=30)).isoformat()},
        "/sites/{site}/windows/{number}/categories": {"a": ["social"], "b": ["tax"]},
        "/sites/{site}/windows/b-posts": {"posts": [{"window": 2, "category": "tax"}]},
        "/sites/{site}/categories/{code}/backup": {"override": None},
        "/sites/{site}/categories/{code}/daily-cap": {"daily_cap": 400},
        "/sites/{site}/categories/{code}/move-waiting": {"to": "tax", "count": 1},
        "/sites/{site}/staffing/what-if": {"category": "social", "extra_windows": 1},
        "/auth/password": {"current_password": "password123", "new_password": "a-new-password"},
        "/accounts/{username}/password": {"new_password": "password123"},
    }
    if path == "/sites/{site}/windows/{number}/call":
        return {"number": world.cache["special"], "reason": "家属同办"}
    if path == "/sites/{site}/appointments/check-in":
        return {"code": _booking(world, MONDAY_9AM)["code"]}
    return bodies.get(path, {})


def _booking(world: World, start=None) -> dict:
    start = start or MONDAY_9AM + timedelta(hours=2)
    return appointments.book(world.uow(), "test", "social", start, start + timedelta(minutes=30),
                             SYSTEM)


def _print_job(world: World) -> int:
    answer = world.app.test_client().post("/api/v1/sites/test/tickets", json={"category": "social"},
                                          headers=world.tokens["kiosk"]).get_json()
    assert answer.get("print"), answer
    return answer["print"]["job"]


def _lookup_code(world: World) -> str:
    """查询码 of a kiosk's tap: its tag and the request id's key."""
    world.app.test_client().post("/api/v1/sites/test/tickets", headers=world.tokens["kiosk"],
                                 json={"category": "social", "request_id": "7QX4P2-1"})
    return "K1-7QX4P2"


def _alert(world: World) -> int:
    world.app.test_client().post("/api/v1/sites/test/printers/kiosk-1/status",
                                 json={"status": "paper_out"}, headers=world.tokens["kiosk"])
    alerts = world.cache["clients"]["mgr"].get("/api/v1/sites/test/alerts").get_json()
    return alerts[0]["id"]


def with_a_printer(settings, tmp_path):
    """The test hall with kiosk-1 printing on kp-1 (a file), so reprints have somewhere to go."""
    site = settings.sites[0]
    site = site.model_copy(update={
        "printers": [PrinterSettings(code="kp-1", uri=f"file://{tmp_path / 'kp-1.bin'}")],
        "kiosks": [k.model_copy(update={"printer": "kp-1"}) for k in site.kiosks]})
    return settings.model_copy(update={"sites": [site, *settings.sites[1:]]})


@pytest.fixture
def world(settings, clock, tmp_path):
    settings = with_a_printer(settings, tmp_path)
    app = create_app(settings, clock=clock)
    app.config["WTF_CSRF_ENABLED"] = False  # CSRF has tests of its own; this one is about rights
    hall = app.extensions["queuehall"]
    with hall.db.writer() as session:
        apply_config(session, settings)  # kiosk-1 -> kp-1 is read from the database
        test = session.scalars(select(Site).where(Site.code == "test")).one()
        session.add(Site(code="other", name_zh="另一个中心", timezone=test.timezone,
                         opens=test.opens, closes=test.closes, weekdays=test.weekdays,
                         calling={}, ticket_layout={}))
        session.add_all([Device(site_id=test.id, code="win-2", kind="window_screen",
                                name="2号窗口屏", settings={"window": 2}),
                         Device(site_id=test.id, code="pad-2", kind="evaluator_screen",
                                name="2号评价器", settings={"window": 2})])
        session.flush()
        tokens = {name: {"Authorization": "Bearer " + accounts.issue_device_token(
                      session, "test", code)}
                  for name, code in [("kiosk", "kiosk-1"), ("hall", "hall-1"),
                                     ("win2", "win-2"), ("pad2", "pad-2")]}
        people = {name: accounts.staff_actor(accounts.create_user(
                      session, name, "password123", role, name.title(), site))
                  for name, role, site in [("staff1", "staff", "test"), ("staff2", "staff", "test"),
                                           ("staff3", "staff", "test"), ("mgr", "manager", "test"),
                                           ("other", "manager", "other"),
                                           ("admin", "admin", None)]}
        session.commit()
    world = World(app, hall, people, tokens)
    windows.sign_in(world.uow(), "test", 1, "A", people["staff1"])
    windows.set_window_state(world.uow(), "test", 1, "open", people["staff1"])
    world.window2_ready()
    clients = {"nobody": app.test_client()}
    for name in ("kiosk", "hall", "win2", "pad2"):
        clients[name] = app.test_client()
    for name in ("staff1", "other", "mgr", "admin"):
        client = app.test_client()
        assert client.post("/api/v1/auth/login",
                           json={"username": name, "password": "password123"}).status_code == 200
        clients[name] = client
    world.cache["clients"] = clients
    return world


def test_every_operation_has_a_row(world):
    doc = world.app.test_client().get("/api/v1/openapi.json").get_json()
    operations = {(method.upper(), path.removeprefix("/api/v1"))
                  for path, ops in doc["paths"].items() for method in ops}
    table = set(expected_table())
    assert operations - table == set(), "operations without a row in the matrix"
    assert table - operations == set(), "rows for operations that no longer exist"


def test_each_caller_gets_the_answer_of_the_table(world):
    failures, answers = [], {}
    for (method, path), expected in expected_table().items():
        row_succeeded = False
        for caller in CALLERS:  # refused callers first: they change nothing
            values = path_values(world, method, path)
            url = "/api/v1" + path.format(**values)
            client = world.cache["clients"][caller]
            if path in ("/auth/login", "/auth/logout"):
                client = world.app.test_client()  # keep the caller's own session
            headers = world.tokens.get(caller, {})  # devices; people have their session
            response = client.open(url, method=method, json=body_for(world, method, path),
                                   headers=headers)
            got = response.status_code
            answers[(method, path, caller)] = got
            verdict = ("401" if got == 401 else "403" if got == 403
                       else "5xx" if got >= 500 else "ok")
            row_succeeded |= got < 300
            if verdict != expected[caller]:
                failures.append(f"{method} {path} as {caller}: expected {expected[caller]}, "
                                f"got {got} {response.get_data(as_text=True)[:120]}")
        if not row_succeeded and any(v == "ok" for v in expected.values()):
            failures.append(f"{method} {path}: no caller succeeded (the row's request is not "
                            f"realistic): {[answers[(method, path, c)] for c in CALLERS]}")
    assert not failures, "\n".join(failures)


def test_the_hall_feed_is_for_those_who_watch_the_hall(world):
    """Socket.IO reads the same table: screens, pads and the site's people get the site feed;
    a kiosk, nobody and another site's manager are turned away."""
    socketio = world.app.extensions["socketio"]
    clients = world.cache["clients"]

    def connects(caller: str) -> bool:
        token = world.tokens.get(caller, {}).get("Authorization", "")[7:]
        auth = {"token": token} if token else {"site": "test"}
        client = socketio.test_client(world.app, auth=auth, flask_test_client=clients[caller])
        connected = client.is_connected()
        if connected:
            assert [m["name"] for m in client.get_received()][:2] == ["hello", "snapshot"]
            client.disconnect()
        return connected

    assert {caller: connects(caller) for caller in CALLERS} == {
        "nobody": False, "kiosk": False, "hall": True, "win2": True, "pad2": True,
        "staff1": True, "other": False, "mgr": True, "admin": True}


def test_no_device_or_console_reads_a_ticket_s_status_token(world):
    """The token is the key to its holder's phone page: only the kiosk that issued it sees it."""
    world.ticket("called")
    world.ticket("waiting")
    from queue_core.adapters.orm import Ticket
    with world.hall.db.reader() as session:
        tokens = set(session.scalars(select(Ticket.status_token)))
    clients = world.cache["clients"]
    for caller in ("hall", "win2", "pad2", "staff1", "mgr"):
        for url in ("/api/v1/sites/test/windows", "/api/v1/sites/test/windows/2",
                    "/api/v1/sites/test/events", "/api/v1/sites/test/tickets",
                    "/api/v1/sites/test/audit"):
            response = clients[caller].get(url, headers=world.tokens.get(caller, {}))
            text = response.get_data(as_text=True)
            assert not any(token in text for token in tokens), (caller, url)


def test_screens_get_people_s_events_only_as_placeholders(world):
    """A failed sign-in (account and address) or an appointment code is for the consoles: a
    screen's feed and its resync answer carry only the event's number, so it sees no gap."""
    socketio = world.app.extensions["socketio"]
    clients = world.cache["clients"]
    token = world.tokens["hall"]["Authorization"][7:]
    screen = socketio.test_client(world.app, auth={"token": token},
                                  flask_test_client=clients["hall"])
    console = socketio.test_client(world.app, auth={"site": "test"},
                                   flask_test_client=clients["mgr"])
    screen.get_received(), console.get_received()
    world.app.test_client().post("/api/v1/auth/login",
                                 json={"username": "staff1", "password": "wrong-password"})
    _booking(world)
    seen = {name: [m["args"][0] for m in client.get_received() if m["name"] == "event"]
            for name, client in (("screen", screen), ("console", console))}
    assert [e["type"] for e in seen["console"]] == ["sign_in_failed", "appointment_booked"]
    assert seen["screen"] == [{"seq": e["seq"], "type": "hidden"} for e in seen["console"]]
    since = seen["console"][0]["seq"] - 1
    for caller, full in (("hall", False), ("mgr", True)):
        answer = clients[caller].get(f"/api/v1/sites/test/events?since={since}",
                                     headers=world.tokens.get(caller, {})).get_json()
        text = str(answer["events"])
        assert ("staff1" in text and "appointment" in text) == full, (caller, text)
        assert [e["seq"] for e in answer["events"]] == [e["seq"] for e in seen["console"]]
