"""The hall simulator: reproducible per seed, agrees with Erlang C, and calls through the policy."""
import pytest

from queue_core.domain.model import PriorityClass
from queue_core.domain.policy import CallRules
from queue_core.planning.erlang import erlang_c, mean_wait
from queue_core.planning.simulator import (Arrival, CategorySpec, PlannedWindow, WindowPlan,
                                           poisson_arrivals, simulate)

RULES = CallRules()


def windows(n, a="x", b=(), until=1e9, first=1):
    return WindowPlan(tuple(PlannedWindow(first + i, frozenset({a}), frozenset(b),
                                          periods=((0.0, until),)) for i in range(n)))


def skewed_peak():
    """A morning where social alone would swamp its two windows (2.8 erlangs) while tax is
    quiet (0.8 erlang on two); each category's windows back the other up."""
    cats = {"social": CategorySpec("social", 6, 20), "tax": CategorySpec("tax", 10, 25)}
    arrivals = poisson_arrivals({"social": [(540, 720, 28)], "tax": [(540, 720, 5)]}, seed=11)
    plan = WindowPlan((
        PlannedWindow(1, frozenset({"social"}), frozenset({"tax"}), ((510, 1050),)),
        PlannedWindow(2, frozenset({"social"}), frozenset({"tax"}), ((510, 1050),)),
        PlannedWindow(3, frozenset({"tax"}), frozenset({"social"}), ((510, 1050),)),
        PlannedWindow(4, frozenset({"tax"}), frozenset({"social"}), ((510, 1050),)),
    ))
    return cats, arrivals, plan


def test_same_seed_gives_the_same_day_and_another_seed_another():
    cats, arrivals, plan = skewed_peak()
    run = lambda seed: simulate(arrivals, plan, cats, RULES, seed=seed, target_minutes=15)
    first, again, other = run(5), run(5), run(6)
    assert first.tickets == again.tickets and first.as_dict() == again.as_dict()
    assert first.tickets != other.tickets


def test_the_order_arrivals_are_given_in_does_not_matter():
    cats, arrivals, plan = skewed_peak()
    forward = simulate(arrivals, plan, cats, RULES, seed=2, target_minutes=15)
    backward = simulate(list(reversed(arrivals)), plan, cats, RULES, seed=2, target_minutes=15)
    assert forward.as_dict() == backward.as_dict()


@pytest.mark.parametrize("servers,distribution", [(1, "exponential"), (4, "exponential")])
def test_long_run_matches_erlang_c(servers, distribution):
    # M/M/c at 70 % load: the share that waits and the mean wait approach Erlang C.
    service, rho = 5.0, 0.7
    per_hour = rho * servers / service * 60
    arrivals = poisson_arrivals({"x": [(0, 30_000 / per_hour * 60, per_hour)]}, seed=7)
    result = simulate(arrivals, windows(servers), {"x": CategorySpec("x", service, 30)}, RULES,
                      seed=8, target_minutes=10, distribution=distribution)
    load = rho * servers
    waited = sum(1 for t in result.tickets if t.wait > 0) / len(result.tickets)
    assert waited == pytest.approx(erlang_c(servers, load), abs=0.03)
    assert result.figures().mean_wait_minutes == pytest.approx(mean_wait(servers, load, service),
                                                               rel=0.15)
    assert result.busy_minutes / (servers * arrivals[-1].at) == pytest.approx(rho, abs=0.03)


def test_lognormal_service_keeps_the_mean():
    arrivals = [Arrival(float(i), "x") for i in range(4000)]
    result = simulate(arrivals, windows(50), {"x": CategorySpec("x", 6, 20)}, RULES, seed=1,
                      target_minutes=10, distribution="lognormal", cv=0.8)
    services = [t.service for t in result.tickets]
    assert sum(services) / len(services) == pytest.approx(6, rel=0.05)


def test_a_only_queues_wait_at_least_as_long_as_the_policy_on_a_skewed_peak():
    cats, arrivals, plan = skewed_peak()
    for seed in (1, 2, 3):
        policy = simulate(arrivals, plan, cats, RULES, seed=seed, target_minutes=15)
        a_only = simulate(arrivals, plan.a_only(), cats, RULES, seed=seed, target_minutes=15)
        p, a = policy.figures(), a_only.figures()
        assert p.mean_wait_minutes < a.mean_wait_minutes
        assert p.within_target_share >= a.within_target_share
        assert a_only.figures(a_only.of_category("social")).p90_wait_minutes > 15
        assert a_only.served_on_a_share == 1.0 > policy.served_on_a_share


def test_priority_and_appointment_are_called_before_earlier_normal_tickets():
    cats = {"x": CategorySpec("x", 10, 20)}
    arrivals = [Arrival(0.0, "x"), Arrival(1.0, "x"), Arrival(2.0, "x"),
                Arrival(3.0, "x", PriorityClass.PRIORITY), Arrival(4.0, "x", PriorityClass.APPOINTMENT)]
    plan = WindowPlan((PlannedWindow(1, frozenset({"x"}), periods=((10.0, 1e9),)),))
    result = simulate(arrivals, plan, cats, RULES, seed=1, target_minutes=15)
    called = sorted(result.tickets, key=lambda t: t.arrived + t.wait)
    # The window opens with all five waiting: the appointment, the priority ticket, then arrival.
    assert [t.arrived for t in called] == [4.0, 3.0, 0.0, 1.0, 2.0]


def test_backup_window_helps_only_once_its_b_category_needs_it():
    # Window 2 is A for tax and B for social; backlog_per_a_window 8 on the one social window.
    cats = {"social": CategorySpec("social", 10, 60), "tax": CategorySpec("tax", 10, 60)}
    plan = WindowPlan((PlannedWindow(1, frozenset({"social"})),
                       PlannedWindow(2, frozenset({"tax"}), frozenset({"social"}))))
    rules = CallRules(backlog_per_a_window=8, idle_pull_b=False)
    few = simulate([Arrival(float(i) / 10, "social") for i in range(5)], plan, cats, rules,
                   seed=1, target_minutes=15)
    assert {t.window for t in few.tickets} == {1}
    many = simulate([Arrival(float(i) / 10, "social") for i in range(12)], plan, cats, rules,
                    seed=1, target_minutes=15)
    backed = [t for t in many.tickets if t.window == 2]
    assert backed and all(t.via_backup for t in backed)


def test_closed_windows_call_nobody_and_the_left_over_are_counted_as_missed():
    cats = {"x": CategorySpec("x", 600, 20)}  # one long service outlasts the 5 open minutes
    plan = WindowPlan((PlannedWindow(1, frozenset({"x"}), periods=((60.0, 65.0),)),))
    arrivals = [Arrival(0.0, "x"), Arrival(1.0, "x"), Arrival(70.0, "x")]
    result = simulate(arrivals, plan, cats, RULES, seed=1, target_minutes=15)
    served = [t for t in result.tickets if t.window is not None]
    assert [(t.arrived, t.wait) for t in served] == [(0.0, 60.0)]
    f = result.figures()
    assert (f.arrivals, f.served, f.within_target_share) == (3, 1, 0.0)
    assert result.open_minutes == 5.0


def test_a_day_of_a_twelve_window_hall_runs_well_within_a_second():
    import time
    cats = {c: CategorySpec(c, 8, 20) for c in "abcdef"}
    arrivals = poisson_arrivals({c: [(510, 1050, 20)] for c in cats}, seed=1)
    plan = WindowPlan(tuple(PlannedWindow(i + 1, frozenset({"abcdef"[i % 6]}),
                                          frozenset({"abcdef"[(i + 1) % 6]}), ((510, 1050),))
                            for i in range(12)))
    started = time.process_time()
    result = simulate(arrivals, plan, cats, RULES, seed=1, target_minutes=15)
    assert len(result.tickets) > 1000
    assert time.process_time() - started < 1.0


def test_a_subset_of_applicants_keeps_its_service_times():
    from queue_core.planning.simulator import with_service_times
    cats, arrivals, plan = skewed_peak()
    applicants = with_service_times(arrivals, cats, seed=4)
    social = [a for a in applicants if a.category == "social"]
    whole = simulate(applicants, plan, cats, RULES, seed=4, target_minutes=15)
    alone = simulate(social, plan, cats, RULES, seed=99, target_minutes=15)
    served = lambda r: sorted((t.arrived, t.service) for t in r.tickets if t.category == "social")
    assert served(whole) == served(alone)


def test_advised_windows_meet_the_target_and_what_if_changes_nothing_before_it_starts():
    from queue_core.planning.staffing import Scenario, Target, advise, advised_plan, what_if
    cats, arrivals, plan = skewed_peak()
    scenario = Scenario(tuple(arrivals), cats, RULES, Target(15, 0.9), seed=5)
    advice = advise(scenario, 510, 1050)
    for code in cats:
        result = scenario.run(advised_plan(advice))
        assert result.figures(result.of_category(code)).within_target_share >= 0.9
    # Never fewer windows than a half hour's own work: n applicants of 6 minutes in 30 minutes.
    assert all(s.categories["social"].windows_needed >= s.categories["social"].arrivals * 6 / 30
               for s in advice)
    assert max(s.categories["social"].windows_needed for s in advice) >= 3
    before = scenario.run(plan)
    after = scenario.run(plan.with_extra("social", 2, 600, 1050))
    early = lambda r: [t for t in r.tickets if t.arrived + t.wait < 600]
    assert early(before) == early(after)
    compared = what_if(scenario, plan, "social", 2, 600, 1050)
    assert compared["changed"]["categories"]["social"]["mean_wait_minutes"] \
        < compared["baseline"]["categories"]["social"]["mean_wait_minutes"]


def test_a_window_open_in_two_periods_that_touch_stays_open():
    cats = {"x": CategorySpec("x", 600, 20)}
    plan = WindowPlan((PlannedWindow(1, frozenset({"x"}), periods=((0.0, 30.0), (30.0, 60.0))),))
    result = simulate([Arrival(40.0, "x")], plan, cats, RULES, seed=1, target_minutes=15)
    assert result.tickets[0].window == 1 and result.open_minutes == 60.0


def test_replications_redraw_the_arrivals_as_well_as_the_service_times():
    from queue_core.planning.staffing import Scenario, Target
    cats, arrivals, _ = skewed_peak()
    rates = {"social": [(540, 720, 28)], "tax": [(540, 720, 5)]}
    scenario = Scenario(tuple(arrivals), cats, RULES, Target(15, 0.9), seed=11, rates=rates)
    assert scenario.replication(0) is scenario
    other = scenario.replication(1)
    assert other.seed == 12 and other.arrivals != scenario.arrivals
    assert {a.category for a in other.arrivals} == {"social", "tax"}
    assert 540 <= min(a.at for a in other.arrivals) and max(a.at for a in other.arrivals) < 720
    # Without rates there is nothing to redraw arrivals from: only the service times change.
    fixed = Scenario(tuple(arrivals), cats, RULES, Target(15, 0.9), seed=11).replication(1)
    assert fixed.arrivals == tuple(arrivals) and fixed.applicants != scenario.applicants


def test_figures_over_replications_state_their_range():
    from queue_core.planning.staffing import Scenario, Target, compare, replicated
    cats, arrivals, plan = skewed_peak()
    rates = {"social": [(540, 720, 28)], "tax": [(540, 720, 5)]}
    scenario = Scenario(tuple(arrivals), cats, RULES, Target(15, 0.9), seed=11, rates=rates)
    result = replicated(scenario, plan, 4)
    days = [scenario.replication(r).run(plan).figures() for r in range(4)]
    shares = [d.within_target_share for d in days]
    assert result["replications"] == 4
    assert result["within_target_share_range"] == [round(min(shares), 4), round(max(shares), 4)]
    assert result["met_target"] == sum(1 for s in shares if s >= 0.9)
    assert result["arrivals"] == sum(d.arrivals for d in days)
    rows = compare(scenario, {"policy": plan})
    assert set(rows) == {"policy", "a_only", "pooled"}


def test_erlang_c_steady_state_is_no_bound_on_a_half_hour_that_starts_empty():
    # 10 applicants of 6 minutes in half an hour on two windows: 2 erlangs on 2 windows, which
    # Erlang C calls overloaded (nobody within target), yet a hall that opens with nobody
    # waiting calls most of them within 15 minutes, even fully pooled.
    from queue_core.planning.erlang import service_level
    assert service_level(2, 2.0, 15, 6) == 0.0
    cats = {"x": CategorySpec("x", 6, 20)}
    shares = []
    for seed in range(20):
        arrivals = poisson_arrivals({"x": [(540, 570, 20)]}, seed=seed)
        result = simulate(arrivals, windows(2, until=1e9), cats, RULES, seed=seed,
                          target_minutes=15)
        shares.append(result.figures().within_target_share)
    assert sum(shares) / len(shares) > 0.5


def test_recommended_b_posts_help_the_swamped_category_and_keep_to_the_skills_table():
    from queue_core.planning.staffing import Scenario, Target, recommend_b
    cats = {"social": CategorySpec("social", 6, 20), "tax": CategorySpec("tax", 10, 25)}
    rates = {"social": [(540, 660, 28)], "tax": [(540, 660, 5)]}
    arrivals = poisson_arrivals(rates, seed=3)
    # Strict A-only posts: social's two windows are swamped (2.8 erlangs), tax's two idle.
    plan = WindowPlan(tuple(PlannedWindow(n, frozenset({a}), periods=((510, 1050),))
                            for n, a in ((1, "social"), (2, "social"), (3, "tax"), (4, "tax"))))
    scenario = Scenario(tuple(arrivals), cats, RULES, Target(15, 0.9), seed=3, rates=rates)
    found = recommend_b(scenario, plan, max_changes=2)
    steps = found["steps"]
    assert steps and all(s["add_b"] == "social" and s["window"] in (3, 4) for s in steps)
    before, after = steps[0]["category_mean_wait_minutes"]
    assert after < before / 2
    assert steps[-1]["mean_wait_minutes"][1] < steps[0]["mean_wait_minutes"][0]
    # One change names every window the consecutive social steps added, first before → last after.
    [change] = found["changes"]
    assert change["windows"] == [s["window"] for s in steps]
    assert change["category_mean_wait_minutes"] == [before, steps[-1]["category_mean_wait_minutes"][1]]
    assert found["after"]["categories"]["social"]["mean_wait_minutes"] == change["category_mean_wait_minutes"][1]
    assert found["before"]["mean_wait_minutes"] == steps[0]["mean_wait_minutes"][0]
    # Only window 4's staff may serve social: the search keeps to it.
    only_4 = recommend_b(scenario, plan, {3: frozenset({"tax"}), 4: frozenset({"tax", "social"})},
                         max_changes=2)["steps"]
    assert [(s["window"], s["add_b"]) for s in only_4] == [(4, "social")]
    # Nobody may serve social anywhere else: nothing to try, and the answer says so.
    none = recommend_b(scenario, plan, {3: frozenset({"tax"}), 4: frozenset({"tax"})})
    assert none["steps"] == [] and none["stopped"] == "no_candidate"


def test_the_b_post_search_stops_at_its_budget_and_keeps_what_it_measured():
    from queue_core.planning.staffing import Scenario, Target, recommend_b
    cats = {"social": CategorySpec("social", 6, 20), "tax": CategorySpec("tax", 10, 25)}
    rates = {"social": [(540, 660, 28)], "tax": [(540, 660, 5)]}
    plan = WindowPlan(tuple(PlannedWindow(n, frozenset({a}), periods=((510, 1050),))
                            for n, a in ((1, "social"), (2, "social"), (3, "tax"), (4, "tax"))))
    scenario = Scenario(tuple(poisson_arrivals(rates, seed=3)), cats, RULES, Target(15, 0.9),
                        seed=3, rates=rates)
    # The plan itself (3 days) and one candidate (3 more): then the budget is spent.
    found = recommend_b(scenario, plan, max_simulations=7)
    assert found["stopped"] == "budget" and found["simulations"] == 6
    assert [(s["window"], s["add_b"]) for s in found["steps"]] == [(3, "social")]
    assert recommend_b(scenario, plan, max_simulations=3)["steps"] == []


def test_the_hall_plan_opens_windows_for_the_hall_as_a_whole_per_half_hour():
    from queue_core.planning.staffing import (Scenario, Target, confidence, hall_plan,
                                              hall_windows, window_order)
    cats = {"social": CategorySpec("social", 6, 20), "tax": CategorySpec("tax", 10, 25)}
    # A 09:00–10:00 peak (2.4 + 1.0 erlangs), then a quiet hour (0.5 erlang in all).
    rates = {"social": [(540, 600, 24), (600, 660, 3)], "tax": [(540, 600, 6), (600, 660, 1.2)]}
    # Six windows, each taking the other category as B: one hall, not two.
    plan = WindowPlan(tuple(PlannedWindow(n, frozenset({a}), frozenset({b}), ((510, 1050),))
                            for n, a, b in ((1, "social", "tax"), (2, "social", "tax"),
                                            (3, "social", "tax"), (4, "tax", "social"),
                                            (5, "tax", "social"), (6, "social", "tax"))))
    scenario = Scenario(tuple(poisson_arrivals(rates, seed=5)), cats, RULES, Target(15, 0.9),
                        seed=5, rates=rates)
    # Windows open busiest work first, each weighed by the windows already open for it.
    order = window_order(plan, {"social": 24 * 6, "tax": 6 * 10})
    assert sorted(order) == [1, 2, 3, 4, 5, 6] and order[0] in (1, 2, 3, 6)
    assert window_order(plan, {"social": 10, "tax": 100})[0] in (4, 5)
    result = hall_plan(scenario, plan, 540, 660, seconds=None)
    opened = [s["open"] for s in result["slots"]]
    assert len(opened) == 4 and all(1 <= k <= 6 for k in opened)
    assert result["replications"] == 10 and result["stopped"] == "searched"
    # Busier half hours open at least as many windows as quieter ones; the quiet hour needs
    # far fewer than the six of today's plan.
    assert min(opened[:2]) >= max(opened[2:]) and max(opened[2:]) <= 3
    assert result["slots"][0]["windows"] == sorted(result["order"][:opened[0]])
    # Judged on fresh days, with the hours the windows are used (the last ones until nobody
    # waits): fewer window-hours than six windows 09:00–11:00, and the hall near its target.
    windows = hall_windows(plan, result, 660)
    sure = confidence(scenario, {"all": plan, "plan": windows}, days=6, hours=(540, 660),
                      tails={"plan": result["slots"][-1]["end"]})
    assert sure["first"] == 10 and sure["all"]["window_hours"] == 12.0
    assert sure["plan"]["window_hours"] < 12.0 and sure["plan"]["within_target_share"] >= 0.85
    assert set(sure["plan"]["categories"]) == {"social", "tax"}


def test_the_opening_order_gives_each_category_its_own_a_window_before_b_posts_count():
    from queue_core.planning.staffing import window_order
    # Medical is served as B on social's three windows; its own A windows must not come last,
    # and residency (B nowhere) gets its A window among the first.
    plan = WindowPlan((
        *(PlannedWindow(n, frozenset({"social"}), frozenset({"medical"})) for n in (1, 2, 3)),
        *(PlannedWindow(n, frozenset({"medical"}), frozenset({"social"})) for n in (4, 5)),
        *(PlannedWindow(n, frozenset({"realty"})) for n in (6, 7, 8)),
        PlannedWindow(9, frozenset({"residency"}))))
    order = window_order(plan, {"social": 108, "medical": 70, "realty": 210, "residency": 70})
    assert set(order[:4]) >= {4, 9} and order.index(4) < order.index(2)


def test_a_day_counts_as_met_only_when_every_category_meets_the_target():
    from queue_core.planning.staffing import Scenario, Target, confidence
    cats = {"social": CategorySpec("social", 6, 20), "tax": CategorySpec("tax", 10, 25)}
    rates = {"social": [(540, 660, 40)], "tax": [(540, 660, 2)]}
    # Plenty of windows for social, none for tax: the hall's share passes, tax's never does.
    plan = WindowPlan(tuple(PlannedWindow(n, frozenset({"social"}), periods=((510, 1050),))
                            for n in range(1, 8)))
    scenario = Scenario(tuple(poisson_arrivals(rates, seed=3)), cats, RULES, Target(15, 0.9),
                        seed=3, rates=rates)
    sure = confidence(scenario, {"plan": plan}, days=5)
    assert sure["plan"]["within_target_share_range"][0] >= 0.9
    assert sure["plan"]["met_days"] == 0


def test_confidence_is_stated_over_fresh_days_with_an_interval():
    from queue_core.planning.staffing import Scenario, Target, confidence, wilson
    cats = {"social": CategorySpec("social", 6, 20), "tax": CategorySpec("tax", 10, 25)}
    rates = {"social": [(540, 660, 28)], "tax": [(540, 660, 5)]}
    swamped = WindowPlan(tuple(PlannedWindow(n, frozenset({a}), periods=((510, 1050),))
                               for n, a in ((1, "social"), (2, "social"), (3, "tax"), (4, "tax"))))
    helped = WindowPlan(tuple(PlannedWindow(n, frozenset({a}), frozenset({"social"} - {a}),
                                            periods=((510, 1050),))
                              for n, a in ((1, "social"), (2, "social"), (3, "tax"), (4, "tax"))))
    scenario = Scenario(tuple(poisson_arrivals(rates, seed=3)), cats, RULES, Target(15, 0.9),
                        seed=3, rates=rates)
    sure = confidence(scenario, {"today": swamped, "advised": helped}, days=10)
    assert sure["days"] == 10 and sure["arrivals_redrawn"]
    assert sure["advised"]["met_days"] > sure["today"]["met_days"]
    low, high = sure["advised"]["interval"]
    assert low <= sure["advised"]["share_met"] <= high and high - low > 0.1  # 10 days say little
    assert wilson(10, 10)[1] == 1.0 and wilson(0, 10)[0] == 0.0 and wilson(5, 10)[0] > 0.2
