"""bench/bench_policy.py --county: the whole-hall plan and the three judged plans it records are
the ones the server's b-posts answer gives for the same scenario (queue_core.service.staffing
computes them in _b_posts_and_hall), and its section shows them: the half hours, the three
rows on fresh days with window-hours and days met, and the verdict in the notes."""
import argparse
import re

import pytest

from bench import bench_policy as bp
from queue_core.planning import staffing
from queue_core.planning.simulator import poisson_arrivals
from queue_core.planning.staffing import Scenario, Target
from queue_core.service.staffing import _b_posts_and_hall


@pytest.fixture(scope="module")
def county():
    cats, rates, plan, rules = bp.county()
    search = Scenario(tuple(poisson_arrivals(rates, bp.SEARCH_SEED, bp.PRIORITY_SHARE)), cats,
                      rules, Target(15, 0.9), bp.SEARCH_SEED, rates=rates,
                      priority_share=bp.PRIORITY_SHARE)
    # What the server answers for this scenario, with its time budgets (far from binding here).
    server = _b_posts_and_hall(search, plan, bp.COUNTY_SKILLS, 4, bp.OPEN, bp.CLOSE)
    return plan, bp.county_hall(search, plan), server


def test_the_bench_hall_plan_and_judged_rows_are_the_servers(county):
    plan, h, (found, hall, judged) = county
    assert h["found"]["steps"] == found["steps"] and found["steps"]
    assert h["hall"] == hall and hall["stopped"] == "searched" and hall["replications"] == 10
    assert h["judged"] == judged and judged["days"] == 20 and judged["first"] == 10
    rows = judged["rows"]
    # Window-hours over the real opening hours: today's 14 windows 08:30–13:00 are 63; the
    # plan's half hours are a floor for its hours, the drain after 12:00 comes on top.
    assert rows["today"]["window_hours"] == rows["b_posts"]["window_hours"] == 63.0
    half_hours = sum(s["open"] for s in hall["slots"]) / 2
    assert half_hours <= rows["hall_plan"]["window_hours"] < 63.0
    assert judged["verdict"] == staffing.verdict(rows["b_posts"], rows["hall_plan"])
    # Medical's own A windows (4, 5) open at the peak: not left for last behind social's.
    peak = max(hall["slots"], key=lambda s: s["offered_erlangs"])
    assert {4, 5} <= set(peak["windows"]) and hall["order"].index(4) < 6


def test_the_county_section_shows_the_hall_plan_and_the_judged_rows(county, capsys):
    _, h, (_, hall, judged) = county
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
    for key, name in bp.PLAN_ROWS.items():
        c = judged["rows"][key]
        assert (f"| {name} | {c['mean_wait_minutes']:.1f} | "
                f"{c['within_target_share'] * 100:.1f} % | {c['window_hours']:.1f} | "
                f"{c['met_days']} of 20 | {c['share_met'] * 100:.0f} % "
                f"({c['interval'][0] * 100:.0f}–{c['interval'][1] * 100:.0f} %) |") in out
    assert f"Verdict: `{judged['verdict']}`, {judged['saved_window_hours']:.1f} window-hours" in out
    plainly = ("not better than the B posts with today's windows" if judged["verdict"] ==
               "costs_waits" else "as good as the B posts with today's windows")
    assert plainly in out
    b = judged["rows"]["b_posts"]
    assert f'"{b["met_days"]} of 20" is a count of fresh mornings' in out
