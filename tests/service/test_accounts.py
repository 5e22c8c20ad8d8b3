"""Sessions end on the server (logout, a password change, a deactivation, idleness), accounts
are looked after by the right people, every change and every failed sign-in is on the audit
trail, and the login cookie carries the right flags. Over HTTP, in-process, on each backend."""
from __future__ import annotations

import os
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from queue_core.adapters.db import open_database
from queue_core.adapters.orm import Site, Staff
from queuehall.app import create_app
from queue_core.cli import main as cli
from queue_core.config import load_settings
from queue_core.service import accounts

from ..conftest import HALL_TOML, make_settings, prepare

PASSWORD = "password123"


@pytest.fixture
def accounts_hall(settings):
    """The test site with staff1, staff2, a manager and an admin, and a second site "north"
    with its own manager and staff."""
    db = open_database(settings.server.database_url, "NORMAL")
    with db.writer() as session:
        session.add(Site(code="north", name_zh="北区中心", timezone="Asia/Shanghai", opens="08:30",
                         closes="17:30", weekdays="1,2,3,4,5", calling={}, ticket_layout={}))
        session.flush()
        for username, role, site in [("staff1", "staff", "test"), ("staff2", "staff", "test"),
                                     ("boss", "manager", "test"), ("boss2", "manager", "test"),
                                     ("root", "admin", None), ("nstaff", "staff", "north"),
                                     ("nboss", "manager", "north")]:
            accounts.create_user(session, username, PASSWORD, role, username.title(), site)
        session.commit()
    db.dispose()
    return settings


@pytest.fixture
def app(accounts_hall, clock):
    return create_app(accounts_hall, clock=clock)


@pytest.fixture
def sign_in(app):
    def signed_in(name: str, password: str = PASSWORD, **environ):
        client = app.test_client()
        client.environ_base.update({"HTTP_ACCEPT_LANGUAGE": "en", **environ})
        r = login(client, name, password)
        assert r.status_code == 200, r.get_data(as_text=True)
        client.environ_base["HTTP_X_CSRFTOKEN"] = r.get_json()["csrf_token"]
        return client
    signed_in.anonymous = app.test_client
    return signed_in


def login(client, name: str, password: str):
    csrf = client.get("/api/v1/auth/csrf").get_json()["csrf_token"]
    return client.post("/api/v1/auth/login", json={"username": name, "password": password},
                       headers={"X-CSRFToken": csrf})


def me(client) -> int:
    return client.get("/api/v1/auth/me").status_code


def error(r) -> str:
    return r.get_json()["error"]["code"]


def audit(client, site: str = "test") -> list[dict]:
    r = client.get(f"/api/v1/sites/{site}/audit?limit=1000")
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()


# --- sessions end on the server ---------------------------------------------------------------

def test_a_copied_cookie_stops_working_after_logout(sign_in):
    staff = sign_in("staff1")
    cookie = staff.get_cookie("session").value
    assert me(staff) == 200
    assert staff.post("/api/v1/auth/logout").status_code == 200
    replay = sign_in.anonymous()
    replay.set_cookie("session", cookie)
    assert me(replay) == 401
    assert me(staff) == 401


def test_changing_ones_password_ends_the_other_sessions_not_this_one_nor_anyone_elses(sign_in):
    here, there, colleague = sign_in("staff1"), sign_in("staff1"), sign_in("staff2")
    r = here.post("/api/v1/auth/password",
                  json={"current_password": PASSWORD, "new_password": "a-new-secret"})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.get_json()["sessions_ended"] == 1
    assert (me(here), me(there), me(colleague)) == (200, 401, 200)
    assert login(sign_in.anonymous(), "staff1", PASSWORD).status_code == 401
    assert me(sign_in("staff1", "a-new-secret")) == 200


def test_ones_own_password_needs_the_current_one_and_a_long_enough_new_one(sign_in):
    staff = sign_in("staff1")
    wrong = staff.post("/api/v1/auth/password",
                       json={"current_password": "not-it", "new_password": "a-new-secret"})
    assert (wrong.status_code, error(wrong)) == (400, "wrong_password")
    short = staff.post("/api/v1/auth/password",
                       json={"current_password": PASSWORD, "new_password": "short"})
    assert (short.status_code, error(short)) == (400, "invalid_input")
    assert "密码" not in short.get_json()["error"]["message"]  # English was asked for
    assert me(sign_in("staff1")) == 200  # the password did not change
    failures = [e for e in audit(sign_in("boss")) if e["type"] == "sign_in_failed"]
    assert [(f["account"], f["reason"]) for f in failures] == [("staff1", "password_change")]


def test_an_admin_setting_a_password_ends_every_session_of_that_account(sign_in):
    first, second, other = sign_in("staff1"), sign_in("staff1"), sign_in("staff2")
    root = sign_in("root")
    r = root.post("/api/v1/accounts/staff1/password", json={"new_password": "from-the-admin"})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.get_json()["sessions_ended"] == 2
    assert (me(first), me(second), me(other), me(root)) == (401, 401, 200, 200)
    assert me(sign_in("staff1", "from-the-admin")) == 200
    changed = next(e for e in audit(root) if e["type"] == "password_changed")
    assert (changed["account"], changed["by"]["name"], changed["sessions_ended"]) == \
        ("staff1", "Root", 2)


def test_deactivation_ends_sessions_and_refuses_sign_in_until_reactivated(sign_in):
    staff, boss = sign_in("staff1"), sign_in("boss")
    r = boss.post("/api/v1/accounts/staff1/deactivate")
    assert r.status_code == 200, r.get_data(as_text=True)
    assert (r.get_json()["active"], r.get_json()["sessions_ended"]) == (False, 1)
    assert me(staff) == 401
    refused = login(sign_in.anonymous(), "staff1", PASSWORD)
    assert (refused.status_code, error(refused)) == (401, "unauthorized")
    assert boss.post("/api/v1/accounts/staff1/reactivate").get_json()["active"] is True
    assert me(sign_in("staff1")) == 200
    kinds = [(e["type"], e["account"], e["by"]["name"]) for e in audit(boss)
             if e["type"].startswith("account_")]
    assert kinds == [("account_activated", "staff1", "Boss"),
                     ("account_deactivated", "staff1", "Boss")]  # newest first


def test_a_deactivated_person_gives_up_their_window_post(sign_in):
    staff, boss = sign_in("staff1"), sign_in("boss")
    assert staff.post("/api/v1/sites/test/windows/1/sign-in", json={"post": "A"}).status_code == 200
    assert boss.post("/api/v1/accounts/staff1/deactivate").status_code == 200
    taken = sign_in("staff2").post("/api/v1/sites/test/windows/1/sign-in", json={"post": "A"})
    assert taken.status_code == 200, taken.get_data(as_text=True)


def test_an_idle_session_expires_and_a_busy_one_does_not(sign_in, clock, accounts_hall):
    idle = accounts_hall.server.session_idle
    busy, quiet = sign_in("staff1"), sign_in("staff2")
    for _ in range(3):
        clock.advance(seconds=idle.total_seconds() * 0.6)
        assert me(busy) == 200
    assert me(quiet) == 401


def test_managers_see_who_is_signed_in_at_their_site(sign_in):
    sign_in("staff1", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="counter-pc")
    gone = sign_in("staff2")
    sign_in("nstaff")
    boss = sign_in("boss")
    assert gone.post("/api/v1/auth/logout").status_code == 200
    listed = boss.get("/api/v1/accounts/sessions").get_json()
    assert sorted(s["username"] for s in listed) == ["boss", "staff1"]
    staff1 = next(s for s in listed if s["username"] == "staff1")
    assert (staff1["role"], staff1["site"], staff1["address"], staff1["user_agent"]) == \
        ("staff", "test", "10.1.2.3", "counter-pc")
    assert staff1["since"] and staff1["last_seen"] and not staff1["current"]
    assert next(s for s in listed if s["username"] == "boss")["current"]
    everyone = sign_in("root").get("/api/v1/accounts/sessions").get_json()
    assert sorted(s["username"] for s in everyone) == ["boss", "nstaff", "root", "staff1"]
    north = boss.get("/api/v1/accounts/sessions?site=north")
    assert (north.status_code, error(north)) == (403, "forbidden")


@pytest.mark.parametrize("who, url, expected", [
    ("anonymous", "/api/v1/accounts/staff2/deactivate", 401),
    ("staff1", "/api/v1/accounts/staff2/deactivate", 403),    # staff look after nobody
    ("nboss", "/api/v1/accounts/staff2/deactivate", 403),     # another site's manager
    ("boss", "/api/v1/accounts/nstaff/deactivate", 403),
    ("boss", "/api/v1/accounts/boss2/deactivate", 403),       # a manager is not staff
    ("boss", "/api/v1/accounts/root/password", 403),
    ("boss", "/api/v1/accounts/boss/deactivate", 403),        # nobody deactivates themself
    ("root", "/api/v1/accounts/root/deactivate", 403),
    ("root", "/api/v1/accounts/root/password", 403),          # own: with the current one
    ("boss", "/api/v1/accounts/nobody/deactivate", 404),
    ("boss", "/api/v1/accounts/staff2/deactivate", 200),
    ("boss", "/api/v1/accounts/staff2/password", 200),
    ("root", "/api/v1/accounts/nstaff/deactivate", 200),      # an admin, anywhere
    ("root", "/api/v1/accounts/boss2/password", 200),
])
def test_who_may_look_after_which_account(sign_in, who, url, expected):
    client = sign_in.anonymous() if who == "anonymous" else sign_in(who)
    body = {"new_password": "long-enough-1"} if url.endswith("password") else None
    r = client.post(url, json=body)
    assert r.status_code == expected, r.get_data(as_text=True)
    if expected == 403 and url.rsplit("/", 2)[1] == who:
        assert error(r) == "own_account"
    listed = client.get("/api/v1/accounts")
    assert listed.status_code == {"anonymous": 401, "staff1": 403}.get(who, 200)


def test_account_lists_follow_the_managers_site(sign_in):
    mine = sign_in("boss").get("/api/v1/accounts").get_json()
    assert [a["username"] for a in mine] == ["boss", "boss2", "staff1", "staff2"]
    assert sign_in("root").get("/api/v1/accounts?site=north").get_json() == [
        {"username": "nboss", "name": "Nboss", "role": "manager", "site": "north", "active": True},
        {"username": "nstaff", "name": "Nstaff", "role": "staff", "site": "north", "active": True}]


# --- failed sign-ins on the audit trail ----------------------------------------------------

def test_failed_sign_ins_show_on_the_audit_trail_of_the_accounts_site(sign_in, clock):
    anonymous = sign_in.anonymous()
    for name in ["staff1", "nstaff", "no-such-person", "root"]:
        assert login(anonymous, name, "wrong-password").status_code == 401
        clock.advance(seconds=1)
    assert login(anonymous, "staff2", PASSWORD).status_code == 200  # success is no failure
    failed = [(e["account"], e["reason"], e["address"]) for e in audit(sign_in("boss"))
              if e["type"] == "sign_in_failed"]
    assert failed == [("root", "wrong_password", "127.0.0.1"),            # every site's admin
                      ("no-such-person", "unknown_account", "127.0.0.1"),  # no site known
                      ("staff1", "wrong_password", "127.0.0.1")]           # newest first
    north = [e["account"] for e in audit(sign_in("nboss"), "north")
             if e["type"] == "sign_in_failed"]
    assert north == ["root", "no-such-person", "nstaff"]


def test_a_deactivated_accounts_sign_in_is_a_failure_on_the_audit_trail(sign_in):
    boss = sign_in("boss")
    boss.post("/api/v1/accounts/staff1/deactivate")
    assert login(sign_in.anonymous(), "staff1", PASSWORD).status_code == 401
    failed = next(e for e in audit(boss) if e["type"] == "sign_in_failed")
    assert (failed["account"], failed["reason"]) == ("staff1", "deactivated")


# --- the cookie ------------------------------------------------------------------------------

def _login_cookie(tmp_path, clock, base_url="http://localhost", **server) -> str:
    settings = make_settings(f"sqlite:///{tmp_path / 'cookies.db'}", tmp_path, **server)
    prepare(settings)
    db = open_database(settings.server.database_url, "NORMAL")
    with db.writer() as session:
        accounts.create_user(session, "staff1", PASSWORD, "staff", "Staff", "test")
        session.commit()
    db.dispose()
    client = create_app(settings, clock=clock).test_client()
    csrf = client.get("/api/v1/auth/csrf", base_url=base_url).get_json()["csrf_token"]
    r = client.post("/api/v1/auth/login", json={"username": "staff1", "password": PASSWORD},
                    headers={"X-CSRFToken": csrf, "Referer": f"{base_url}/counter/"},
                    base_url=base_url)  # over https the CSRF check wants a same-site Referer
    assert r.status_code == 200, r.get_data(as_text=True)
    assert client.get("/api/v1/auth/me", base_url=base_url).status_code == 200
    return next(c for c in r.headers.getlist("Set-Cookie") if c.startswith("session="))


def flags(cookie: str) -> set[str]:
    return {part.strip().lower() for part in cookie.split(";")[1:]}


def test_the_login_cookie_is_secure_only_when_the_hall_is_served_over_https(tmp_path, clock):
    plain = _login_cookie(tmp_path / "http", clock, public_url="http://hall.example:8000")
    assert {"httponly", "samesite=lax"} <= flags(plain) and "secure" not in flags(plain)
    https = _login_cookie(tmp_path / "https", clock, "https://localhost",
                          public_url="https://hall.example")
    assert {"secure", "httponly", "samesite=lax"} <= flags(https)
    told = _login_cookie(tmp_path / "told", clock, "https://localhost",
                         public_url="http://hall.example", secure_cookies=True)
    assert "secure" in flags(told)
    behind_proxy = _login_cookie(tmp_path / "off", clock, public_url="https://hall.example",
                                 secure_cookies=False)
    assert "secure" not in flags(behind_proxy)


# --- the command line ------------------------------------------------------------------------

@pytest.fixture
def run(tmp_path, monkeypatch):
    """`queuehall …` in-process against the test hall on a SQLite file (as an operator would)."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("QUEUEHALL_DATABASE_URL", url)
    umask = os.umask(0o022)
    os.umask(umask)
    runner = CliRunner()

    def queuehall(*args: str, ok: bool = True):
        result = runner.invoke(cli, ["--config", str(HALL_TOML), *args])
        assert (result.exit_code == 0) == ok, result.output
        return result.output
    queuehall("migrate")
    queuehall("apply-config")
    queuehall("create-user", "staff1", "--role", "staff", "--name", "李明", "--site", "test",
              "--password", PASSWORD)
    queuehall("create-user", "boss", "--role", "manager", "--name", "王经理", "--site", "test",
              "--password", PASSWORD)
    settings = load_settings(HALL_TOML)  # with the database of the environment, as above
    queuehall.settings = settings.model_copy(update={"server": settings.server.model_copy(
        update={"secret_key_file": str(tmp_path / "secret")})})
    yield queuehall
    os.umask(umask)  # `queuehall` sets its own for the files it makes


def test_commands_set_passwords_deactivate_reactivate_and_list_sessions(run):
    app = create_app(run.settings)  # the real clock, as the command has

    def client(name, password=PASSWORD):
        c = app.test_client()
        return c if login(c, name, password).status_code == 200 else None
    staff, boss = client("staff1"), client("boss")
    listed = run("sessions")
    assert "staff1" in listed and "boss" in listed and "127.0.0.1" in listed
    assert "boss" in run("sessions", "--site", "test")

    assert "1 session(s) ended" in run("deactivate-user", "staff1")
    assert me(staff) == 401 and me(boss) == 200
    assert client("staff1") is None
    assert "staff1" not in run("sessions")
    run("reactivate-user", "staff1")
    staff = client("staff1")
    assert staff is not None

    assert "1 session(s) ended" in run("set-password", "staff1", "--password", "by-the-operator")
    assert me(staff) == 401 and client("staff1") is None
    assert me(client("staff1", "by-the-operator")) == 200
    assert "invalid_input" in run("set-password", "boss", "--password", "short", ok=False)
    assert "not_found" in run("deactivate-user", "nobody", ok=False)
    with app.test_client() as boss_again:
        login(boss_again, "boss", PASSWORD)
        trail = [e["type"] for e in boss_again.get("/api/v1/sites/test/audit").get_json()
                 if e["type"] != "sign_in_failed"]  # the old password, tried above
    assert trail[:3] == ["password_changed", "account_activated", "account_deactivated"]


def test_create_user_sets_the_staff_number_and_photo_a_window_screen_shows(run, tmp_path):
    photo = tmp_path / "face.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    run("create-user", "staff2", "--role", "staff", "--name", "张华", "--site", "test",
        "--number", "1024", "--photo", str(photo), "--password", PASSWORD)
    db = open_database(run.settings.server.database_url)

    def staff2():
        with db.reader() as session:
            s = session.scalars(select(Staff).where(Staff.username == "staff2")).one()
            return s.staff_number, s.photo_key, s.photo_type
    number, key, media = staff2()
    assert (number, media) == ("1024", "image/png") and len(key) >= 20
    app = create_app(run.settings)
    got = app.test_client().get(f"/display/staff-photo/{key}")
    assert got.status_code == 200 and got.data == photo.read_bytes()
    assert app.test_client().get("/display/staff-photo/guessed").status_code == 404
    # a new password alone keeps them; an empty number removes it
    run("create-user", "staff2", "--role", "staff", "--name", "张华", "--site", "test",
        "--password", PASSWORD)
    assert staff2() == (number, key, media)
    run("create-user", "staff2", "--role", "staff", "--name", "张华", "--site", "test",
        "--number", "", "--password", PASSWORD)
    assert staff2()[0] is None
    # refused: a number with spaces, a file that is no image, a photo too large
    not_image = tmp_path / "face.txt"
    not_image.write_text("hello")
    big = tmp_path / "big.jpg"
    big.write_bytes(b"\xff\xd8\xff" + b"\0" * accounts.MAX_PHOTO)
    for extra in (["--number", "10 24"], ["--photo", str(not_image)], ["--photo", str(big)]):
        assert "invalid_input" in run("create-user", "staff2", "--role", "staff", "--name", "张华",
                                      "--site", "test", "--password", PASSWORD, *extra, ok=False)
    db.dispose()
