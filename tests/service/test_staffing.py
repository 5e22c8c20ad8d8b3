"""Staffing advice and what-if from a recorded morning of the test hall, and their endpoints."""
from datetime import date, timedelta

import pytest

from queuehall.app import create_app
from queue_core.domain.model import Action
from queue_core.service import staffing

from queue_core.config import load_settings
from queue_core.service.setup import apply_config

from ..conftest import HALL_TOML
from .helpers import act, call, issue, staff_window

MONDAY = date(2026, 11, 23)


@pytest.fixture
def busy_monday(hall, kiosk, people, clock):
    """Monday 09:00–09:30: 30 social tickets (one a minute) and 3 tax tickets; window 1 serves
    three social applicants in 12 minutes each. Then the clock moves to Tuesday morning."""
    for minute in range(30):
        issue(hall, kiosk, "social")
        if minute in (5, 15, 25):
            issue(hall, kiosk, "tax")
        clock.advance(minutes=1)
    staff_window(hall, 1, people["staff1"])
    for _ in range(3):
        ticket = call(hall, 1, people["staff1"])
        act(hall, ticket["id"], Action.START, people["staff1"])
        clock.advance(minutes=12)
        act(hall, ticket["id"], Action.FINISH, people["staff1"])
    clock.advance(days=1)
    return hall


def advice(hall, **kw):
    args = dict(day=MONDAY, target_minutes=15, target_share=0.9, source="recorded", seed=1) | kw
    with hall.db.reader() as session:
        return staffing.staffing_advice(session, "test", hall.clock.now(), **args)


def test_advice_from_recorded_arrivals_staffs_the_morning_rush(busy_monday):
    result = advice(busy_monday)
    assert result["source"] == "recorded" and result["arrivals"] == 33
    first = result["slots"][0]
    assert (first["start"], first["end"]) == ("09:00", "09:30")
    social = first["categories"]["social"]
    assert social["arrivals"] == 30 and first["categories"]["tax"]["arrivals"] == 3
    # 30 applicants in half an hour at ~9 minutes each: far more than the two social windows.
    assert social["erlang_windows"] >= 6 and social["windows_needed"] >= 4
    # Measured: three services of 12 minutes, pulled toward the configured 6 (weight 3).
    assert result["service_minutes"]["social"] == pytest.approx(9.0)
    summary = result["summary"]
    assert summary["policy"]["within_target_share"] < 0.9
    assert summary["advised"]["categories"]["social"]["within_target_share"] >= 0.9
    assert summary["a_only"]["mean_wait_minutes"] >= summary["policy"]["mean_wait_minutes"]
    # Every row is over the same simulated days, with how far they were apart.
    for row in ("policy", "advised", "a_only", "pooled"):
        figures = summary[row]
        assert figures["replications"] == result["replications"]["figures"] == 5
        low, high = figures["within_target_share_range"]
        assert low <= figures["within_target_share"] <= high
        assert 0 <= figures["met_target"] <= 5
    assert summary["policy"]["met_target"] < summary["advised"]["met_target"]
    # Pooling is a reference, not a bound: nothing in the answer calls it one.
    assert "pooled_bound" not in summary and "erlang_c" not in summary["pooled"]


def test_advice_is_the_same_for_the_same_seed(busy_monday):
    assert advice(busy_monday, seed=7) == advice(busy_monday, seed=7)
    assert advice(busy_monday, seed=7)["summary"] != advice(busy_monday, seed=8)["summary"]


def test_a_day_without_tickets_gets_a_synthetic_peak(hall):
    result = advice(hall, day=MONDAY + timedelta(days=7))
    assert result["source"] == "synthetic" and result["arrivals"] > 50
    assert result["slots"][0]["start"] == "08:30"
    social = lambda start, end, key: sum(s["categories"]["social"][key] for s in result["slots"]
                                         if start <= s["start"] < end)
    # The morning peak (09:00–11:00) against as long a stretch around lunch (11:30–13:30).
    assert social("09:00", "11:00", "arrivals") > 2 * social("11:30", "13:30", "arrivals")
    assert social("09:00", "11:00", "windows_needed") > social("11:30", "13:30", "windows_needed")
    # Real estate is only issued until noon in the test hall.
    assert all(s["categories"]["realty"]["arrivals"] == 0 for s in result["slots"]
               if s["start"] >= "12:00")


def test_what_if_two_more_social_windows_shortens_the_wait(busy_monday):
    with busy_monday.db.reader() as session:
        result = staffing.what_if(session, "test", busy_monday.clock.now(), category="social",
                                  extra_windows=2, start="09:10", day=MONDAY, seed=3,
                                  target_minutes=15)
    base, changed = result["baseline"], result["changed"]
    assert result["windows"] == {"baseline": 4, "changed": 6} and result["from"] == "09:10"
    assert changed["categories"]["social"]["mean_wait_minutes"] \
        < base["categories"]["social"]["mean_wait_minutes"]
    assert changed["within_target_share"] >= base["within_target_share"]
    assert changed["categories"]["social"]["arrivals"] == base["categories"]["social"]["arrivals"]


def b_posts(hall, **kw):
    args = dict(day=MONDAY, target_minutes=15, target_share=0.9, source="recorded", seed=1,
                max_changes=2) | kw
    with hall.db.reader() as session:
        return staffing.b_posts(session, "test", hall.clock.now(), **args)


def test_b_posts_put_the_swamped_category_on_the_window_that_lacks_it(busy_monday):
    result = b_posts(busy_monday)
    assert result["skills"]["kind"] == "any_category"
    # Social (30 in half an hour) is served on windows 1–3 already; only window 4 may add it.
    first = result["changes"][0]
    assert (first["add_b"], first["windows"]) == ("social", [4])
    before, after = first["category_mean_wait_minutes"]
    assert after < before
    assert result["after"]["mean_wait_minutes"] < result["before"]["mean_wait_minutes"]
    assert 0 < result["simulations"] <= result["limits"]["simulations"]
    # Windows to open per half hour for the whole hall (4 windows), with the B posts added,
    # searched on 10 simulated days.
    hall = result["hall"]
    assert hall["slots"] and all(1 <= s["open"] <= 4 and len(s["windows"]) == s["open"]
                                 for s in hall["slots"])
    assert hall["slots"][0]["start"] == "09:00" and sorted(hall["order"]) == [1, 2, 3, 4]
    assert hall["replications"] == 10 and (hall["opens"], hall["closes"]) == ("08:30", "17:30")
    # Today, the B posts with today's windows and the hall plan, judged on 20 fresh days (after
    # every search day), each with window-hours over the opening hours and the days met.
    judged = result["judged"]
    assert judged["days"] == 20 and judged["first"] == 10 and judged["arrivals_redrawn"]
    rows = judged["rows"]
    assert set(rows) == {"today", "b_posts", "hall_plan"}
    assert rows["today"]["window_hours"] == rows["b_posts"]["window_hours"] == 4 * 9.0
    assert rows["hall_plan"]["window_hours"] < 36.0
    assert rows["b_posts"]["mean_wait_minutes"] < rows["today"]["mean_wait_minutes"]
    for row in rows.values():
        low, high = row["interval"]
        assert low <= row["share_met"] <= high and 0 <= row["met_days"] <= 20
        assert set(row["categories"]) == set(rows["today"]["categories"])
    worse = (rows["hall_plan"]["mean_wait_minutes"] > rows["b_posts"]["mean_wait_minutes"]
             or rows["hall_plan"]["met_days"] < rows["b_posts"]["met_days"])
    assert judged["verdict"] == ("costs_waits" if worse else judged["verdict"])
    assert judged["saved_window_hours"] == pytest.approx(
        rows["b_posts"]["window_hours"] - rows["hall_plan"]["window_hours"], abs=0.11)


def test_a_hall_search_out_of_time_advises_every_window_open_and_says_so(busy_monday,
                                                                          monkeypatch):
    """A plan with fewer windows is advised only once the simulator has checked it: when the
    search runs out of time, every window stays open and the answer says why."""
    monkeypatch.setattr("queue_core.service.staffing.HALL_SECONDS", 0.0)
    hall = b_posts(busy_monday)["hall"]
    assert hall["stopped"] == "budget"
    assert hall["slots"] and all(s["open"] == 4 for s in hall["slots"])


def test_b_posts_keep_to_the_skills_table_apply_config_stored(busy_monday, settings, tmp_path):
    text = HALL_TOML.read_text(encoding="utf-8").replace(
        'a = ["realty"]', 'a = ["realty"]\nmay_serve = ["realty", "tax"]', 1)
    path = tmp_path / "skills.toml"
    path.write_text(text, encoding="utf-8")
    edited = load_settings(path).model_copy(update={"server": settings.server})
    with busy_monday.db.writer() as session:
        apply_config(session, edited)
        session.commit()
    result = b_posts(busy_monday)
    assert result["skills"]["kind"] == "skills_table"
    assert result["skills"]["may_serve"]["4"] == ["realty", "tax"]
    assert result["skills"]["may_serve"]["1"] == ["realty", "social", "tax"]   # not named: any
    # Window 4's staff may not serve social, and every other window serves it already: social
    # gets no B post (tax, short on some simulated days, may be tried on window 2).
    assert all(s["add_b"] != "social" for s in result["steps"])
    assert all(s["add_b"] in result["skills"]["may_serve"][str(s["window"])]
               for s in result["steps"])


# --- over HTTP -------------------------------------------------------------------------------

@pytest.fixture
def client_as(settings, clock, people):
    app = create_app(settings, clock=clock)

    def signed_in(name: str):
        client = app.test_client()
        csrf = client.get("/api/v1/auth/csrf").get_json()["csrf_token"]
        r = client.post("/api/v1/auth/login", json={"username": name, "password": "password123"},
                        headers={"X-CSRFToken": csrf})
        assert r.status_code == 200, r.get_data(as_text=True)
        client.environ_base["HTTP_X_CSRFTOKEN"] = r.get_json()["csrf_token"]
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client
    signed_in.anonymous = app.test_client
    return signed_in


ADVICE = "/api/v1/sites/test/staffing/advice"
WHAT_IF = "/api/v1/sites/test/staffing/what-if"
B_POSTS = "/api/v1/sites/test/staffing/b-posts"


def test_manager_gets_advice_and_what_if_over_http(busy_monday, client_as):
    boss = client_as("boss")
    r = boss.get(f"{ADVICE}?date=2026-11-23&target_minutes=15&target_share=0.9&source=recorded&seed=1")
    assert r.status_code == 200
    body = r.get_json()
    assert body["slots"][0]["categories"]["social"]["arrivals"] == 30
    assert set(body["summary"]) >= {"policy", "advised", "a_only", "pooled"}
    r = boss.post(WHAT_IF, json={"category": "social", "extra_windows": 2, "from": "09:10",
                                 "date": "2026-11-23", "seed": 1})
    assert r.status_code == 200
    body = r.get_json()
    assert {"baseline", "changed", "pooled", "a_only"} <= set(body)
    assert body["changed"]["mean_wait_minutes"] < body["baseline"]["mean_wait_minutes"]


def test_manager_gets_b_posts_over_http_and_a_bad_query_is_a_400(busy_monday, client_as):
    boss = client_as("boss")
    r = boss.get(f"{B_POSTS}?date=2026-11-23&max_changes=1")
    assert r.status_code == 200
    body = r.get_json()
    assert [(c["add_b"], c["windows"]) for c in body["changes"]] == [("social", [4])]
    assert body["stopped"] == "max_changes" and body["limits"]["max_changes"] == 1
    r = boss.get(f"{B_POSTS}?max_changes=0")
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "invalid_input"


def test_window_staff_may_not_see_staffing_advice(client_as):
    r = client_as("staff1").get(ADVICE)
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "forbidden"
    r = client_as("staff1").post(WHAT_IF, json={"category": "social", "extra_windows": 1})
    assert r.status_code == 403
    assert client_as.anonymous().get(ADVICE).status_code == 401


@pytest.mark.parametrize("query", ["target_share=1.5", "target_minutes=0", "date=2026-13-01",
                                   "source=guess", "seed=-1", "bogus=1"])
def test_bad_advice_query_is_a_400_with_a_message(client_as, query):
    r = client_as("boss").get(f"{ADVICE}?{query}")
    assert r.status_code == 400
    error = r.get_json()["error"]
    assert error["code"] == "invalid_input" and error["message"].startswith("Invalid input")


@pytest.mark.parametrize("body,status,code", [
    ({"category": "social", "extra_windows": 0}, 400, "invalid_input"),
    ({"category": "social", "extra_windows": 2, "from": "25:00"}, 400, "invalid_input"),
    ({"category": "social", "extra_windows": 2, "from": "07:00"}, 400, "invalid_input"),
    ({"extra_windows": 2}, 400, "invalid_input"),
    ({"category": "nosuch", "extra_windows": 2, "from": "09:00"}, 404, "not_found"),
])
def test_bad_what_if_is_a_4xx_with_a_stable_code(client_as, body, status, code):
    r = client_as("boss").post(WHAT_IF, json=body)
    assert r.status_code == status and r.get_json()["error"]["code"] == code


def test_what_if_without_csrf_token_is_refused(client_as):
    boss = client_as("boss")
    del boss.environ_base["HTTP_X_CSRFTOKEN"]
    r = boss.post(WHAT_IF, json={"category": "social", "extra_windows": 1})
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "csrf_failed"
