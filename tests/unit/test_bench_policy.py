"""bench/bench_policy.py --county: the whole-hall plan and the confidence it records are the ones
the server's b-posts answer gives for the same scenario (queue_core.service.staffing computes
them in _b_posts_and_hall), and its section shows them: the half hours, the plan judged on other
days next to today's, the days met with their interval."""
import argparse
import re

import pytest

from bench import bench_policy as bp
from queue_core.planning.simulator import poisson_arrivals
from queue_core.planning.staffing import Scenario, Target, recommend_b
from queue_core.service.staffing import _b_posts_and_hall


@pytest.fixture(scope="module")
def county():
    cats, rates, plan, rules = bp.county()
    search = Scenario(tuple(poisson_arrivals(rates, bp.SEARCH_SEED, bp.PRIORITY_SHARE)), cats,
                      rules, Target(15, 0.9), bp.SEARCH_SEED, rates=rates,
                      priority_share=bp.PRIORITY_SHARE)
    found = recommend_b(search, plan, bp.COUNTY_SKILLS, max_changes=4)
    # What the server answers for this scenario (its time budgets are far from binding here).
    server = _b_posts_and_hall(search, plan, bp.COUNTY_SKILLS, 4, bp.OPEN, bp.CLOSE)
    return plan, found, bp.county_hall(search, plan, found), server


def test_the_bench_hall_plan_and_confidence_are_the_servers(county):
    plan, found, h, (served, hall, sure) = county
    assert served["steps"] == found["steps"] and found["steps"]
    assert h["hall"] == hall
    assert sure["days"] == h["confidence"]["days"] == 20
    for key in ("today", "advised"):
        assert h["confidence"][key] == sure[key]
    # The plan rebuilt from the half hours opens what they say, no more: its window-hours are
    # the half hours' open windows, fewer than today's.
    assert h["hours"](h["opened"]) == pytest.approx(sum(s["open"] for s in hall["slots"]) / 2)
    assert hall["window_hours"]["advised"] == pytest.approx(h["hours"](h["opened"]), abs=0.05)
    assert hall["window_hours"]["advised"] < hall["window_hours"]["today"] == h["hours"](plan)


def test_the_county_section_shows_the_hall_plan_and_the_confidence(county, capsys):
    _, _, h, (_, hall, sure) = county
    assert bp.county_main(argparse.Namespace(seeds=2, target=15.0, write_results=False)) == 0
    out = capsys.readouterr().out
    halves = [[c.strip() for c in line.strip("|").split("|")] for line in out.splitlines()
              if re.match(r"\| \d\d:\d\d–\d\d:\d\d \|", line)]
    assert [(r[0], int(r[2]), r[3]) for r in halves] == [
        (f"{bp.hhmm(s['start'])}–{bp.hhmm(s['end'])}", s["open"],
         ", ".join(map(str, s["windows"]))) for s in hall["slots"]]
    # Closed and open windows make the hall's 14 in every half hour.
    assert all(len(r[3].split(", ")) + len([x for x in r[4].split(", ") if x != "—"]) == 14
               for r in halves)
    # The judged tables (exponential, lognormal) carry the plan with its window-hours, next to
    # today's with every window open.
    judged = [[c.strip() for c in line.strip("|").split("|")] for line in out.splitlines()
              if line.startswith(f"| {bp.HALL_ROW} |") or line.startswith("| as configured |")]
    assert [r[1] for r in judged] == [f"{hall['window_hours'][k]:.1f}"
                                      for k in ("today", "advised")] * 2
    for key, name in (("today", "today (as configured)"),
                      ("advised", "advised B posts, every window open")):
        c = sure[key]
        assert (f"| {name} | {c['met_days']} of 20 | {c['share_met'] * 100:.0f} % "
                f"({c['interval'][0] * 100:.0f}–{c['interval'][1] * 100:.0f} %) |") in out
    saved = hall["window_hours"]["today"] - hall["window_hours"]["advised"]
    assert f"it saves {saved:.1f} of {hall['window_hours']['today']:.1f} window-hours" in out
    assert f'"{sure["advised"]["met_days"]} of 20" is a count of fresh mornings' in out
