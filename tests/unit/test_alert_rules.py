"""电子监察 rules, pure: which conditions hold, and what a sweep raises or clears."""
from datetime import datetime, timedelta, timezone

from printers.status import severity
from queue_core.domain import alerts as rules
from queue_core.domain.policy import CategoryLoad

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)


def load(code="tax", waiting=1, oldest=5, target=25, override=None) -> CategoryLoad:
    return CategoryLoad(code, waiting, timedelta(minutes=oldest), timedelta(minutes=target),
                        staffed_a_windows=0, backup_override=override)


def window(number, state="open", a=(), b=(), posts=("A",), since=NOW) -> rules.WindowWatch:
    is_open = state == "open"
    return rules.WindowWatch(number, state, since, "break" if state == "paused" else None,
                             has_a_post=is_open and "A" in posts,
                             is_staffed=is_open and bool(posts),
                             a_categories=frozenset(a), b_categories=frozenset(b))


def test_wait_over_target_needs_someone_waiting_past_the_target():
    assert rules.waits_over_target([load(oldest=25)]) == []
    [c] = rules.waits_over_target([load(oldest=26)])
    assert (c.kind, c.subject, c.detail["oldest_wait_minutes"]) == ("wait_over_target", "tax", 26)
    assert rules.waits_over_target([load(waiting=0, oldest=60)]) == []


def test_a_post_absent_is_covered_by_a_staffed_b_window_unless_forced_off():
    paused_a = window(3, state="paused", a={"tax"})
    assert [c.subject for c in rules.a_posts_absent([load()], [paused_a])] == ["tax"]
    b_cover = window(1, a={"social"}, b={"tax"}, posts=("B",))
    assert rules.a_posts_absent([load()], [paused_a, b_cover]) == []
    assert len(rules.a_posts_absent([load(override=False)], [paused_a, b_cover])) == 1
    unstaffed_b = window(1, a={"social"}, b={"tax"}, posts=())
    assert len(rules.a_posts_absent([load()], [unstaffed_b])) == 1


def test_paused_window_alerts_only_past_the_limit():
    limit = timedelta(minutes=15)
    assert rules.windows_paused_too_long([window(2, "paused", since=NOW - limit)], NOW, limit) == []
    [c] = rules.windows_paused_too_long([window(2, "paused", since=NOW - limit * 2)], NOW, limit)
    assert c.subject == "2" and c.detail["paused_minutes"] == 30


def test_printer_going_from_paper_low_to_out_is_a_new_alert():
    low = {("printer_fault", "p1"): {"printer": "p1", "status": "paper_low"}}
    plan = rules.reconcile(low, rules.printer_faults({"p1": "paper_out"}, severity))
    assert plan.clear == [("printer_fault", "p1")]
    assert [(c.subject, c.level) for c in plan.raise_] == [("p1", "critical")]
    same = rules.reconcile(low, rules.printer_faults({"p1": "paper_low"}, severity))
    assert (same.raise_, same.clear) == ([], [])
    back = rules.reconcile(low, rules.printer_faults({"p1": "online"}, severity))
    assert (back.raise_, back.clear) == ([], [("printer_fault", "p1")])


def test_an_open_alert_whose_detail_changes_stays_one_alert():
    open_alerts = {("wait_over_target", "tax"): {"oldest_wait_minutes": 26}}
    plan = rules.reconcile(open_alerts, rules.waits_over_target([load(oldest=40)]))
    assert (plan.raise_, plan.clear) == ([], [])


def test_a_screen_never_seen_or_silent_too_long_is_offline():
    limit = timedelta(minutes=2)
    screens = [rules.ScreenWatch("hall-1", "综合屏", None),
               rules.ScreenWatch("win-1", "1号窗口屏", NOW - timedelta(minutes=1)),
               rules.ScreenWatch("win-2", "2号窗口屏", NOW - timedelta(minutes=3))]
    assert [c.subject for c in rules.screens_offline(screens, NOW, limit)] == ["hall-1", "win-2"]


def test_a_printer_fault_that_flickers_stays_one_alert_until_it_settles():
    settle = timedelta(seconds=60)
    out = {("printer_fault", "p1"): {"printer": "p1", "status": "offline"}}
    key = ("printer_fault", "p1")
    back = rules.reconcile(out, rules.printer_faults({"p1": "online"}, severity), now=NOW, settle=settle)
    assert (back.raise_, back.clear, back.gone_since) == ([], [], {key: NOW})
    again = rules.reconcile(out, rules.printer_faults({"p1": "offline"}, severity), now=NOW + settle / 6,
                            gone_since={key: NOW}, settle=settle)
    assert (again.raise_, again.clear, again.gone_since) == ([], [], {key: None})
    quiet = rules.reconcile(out, [], now=NOW + settle / 2, gone_since={key: NOW}, settle=settle)
    assert (quiet.raise_, quiet.clear, quiet.gone_since) == ([], [], {})
    settled = rules.reconcile(out, [], now=NOW + settle, gone_since={key: NOW}, settle=settle)
    assert settled.clear == [key]


# --- no effective cover: capacity weighed against arrivals, before the waits explode ----------

def demand(code, per_hour, service, waiting=0, forced_off=False):
    return rules.Demand(code, per_hour, service, waiting, forced_off)


def test_one_busy_backup_window_is_no_effective_cover():
    # The case: realty's A windows are closed; its only backup is a tax window that is
    # itself half busy with tax. Realty: 8 an hour at 15 minutes = 2 windows' work.
    demands = [demand("realty", 8, 15, waiting=5), demand("tax", 3, 10)]
    windows = [window(6, state="closed", a={"realty"}), window(7, state="closed", a={"realty"}),
               window(8, a={"tax"}, b={"realty"})]
    assert rules.a_posts_absent([load("realty", waiting=5)], windows) == []  # "covered"
    [c] = rules.no_effective_cover(demands, windows, timedelta(minutes=30))
    assert (c.kind, c.subject, c.level) == ("no_effective_cover", "realty", "warning")
    assert c.detail["windows_needed"] == 2.0 and c.detail["effective_windows"] == 0.5
    assert (c.detail["a_windows"], c.detail["b_windows"]) == ([], [8])
    assert c.detail["horizon_minutes"] == 30


def test_enough_a_windows_or_enough_spare_backup_is_cover():
    demands = [demand("realty", 8, 15), demand("tax", 3, 10)]
    both_open = [window(6, a={"realty"}), window(7, a={"realty"}),
                 window(8, a={"tax"}, b={"realty"})]
    assert rules.no_effective_cover(demands, both_open, timedelta(minutes=30)) == []
    # One realty window (1 of the 2 needed) and two idle tax windows backing it up.
    spare = [window(6, a={"realty"}), window(8, a={"tax"}, b={"realty"}),
             window(9, a={"tax"}, b={"realty"})]
    cover, a_windows, b_windows = rules.effective_cover(
        {d.code: d for d in demands}, spare)["realty"]
    assert (a_windows, b_windows) == ([6], [8, 9]) and cover == 1 + 2 * (1 - 0.25)
    assert rules.no_effective_cover(demands, spare, timedelta(minutes=30)) == []


def test_backup_forced_off_or_unstaffed_counts_for_nothing():
    windows_ = [window(6, a={"realty"}), window(8, a={"tax"}, b={"realty"}),
                window(9, a={"tax"}, b={"realty"}, posts=())]
    assert rules.no_effective_cover([demand("realty", 6, 15), demand("tax", 0, 10)], windows_,
                                    timedelta(minutes=30)) == []
    [c] = rules.no_effective_cover([demand("realty", 6, 15, forced_off=True)], windows_,
                                   timedelta(minutes=30))
    assert c.detail["effective_windows"] == 1.0
    # No arrivals expected (its hours are over): no alert, whatever waits.
    assert rules.no_effective_cover([demand("realty", 0, 15, waiting=9)], windows_[1:],
                                    timedelta(minutes=30)) == []


def test_a_window_shared_by_two_backup_categories_splits_its_spare_by_their_need():
    demands = {"realty": demand("realty", 8, 15), "social": demand("social", 20, 6),
               "tax": demand("tax", 0, 10)}
    shared = [window(8, a={"tax"}, b={"realty", "social"})]
    cover = rules.effective_cover(demands, shared)
    # realty needs 2 windows, social 2: the idle tax window is half each.
    assert cover["realty"][0] == cover["social"][0] == 0.5
