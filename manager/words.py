"""The manager console's sentences (pagekit/words.py explains the catalogue): the shared client
(console.js) and the live hall (static/hall/). Codes the server sends take its labels."""
from __future__ import annotations

from pagekit.words import Words, catalogue

CONSOLE: Words = {
    "page.hall": ("实时大厅", "Live hall"),
    "page.reports": ("报表", "Reports"),
    "page.staffing": ("排班建议", "Staffing"),
    "site_pick": ("大厅", "Hall"),
    "signout": ("退出", "Sign out"),
    "sign_in_title": ("管理员登录", "Manager sign-in"),
    "refused.title": ("无权访问管理控制台", "The manager console is not open to you"),
    "refused.use": ("您以“{name}”（窗口工作人员）身份登录。管理控制台仅限大厅经理和系统管理员使用，请使用",
                    "You are signed in as “{name}” (window staff). The manager console is for hall "
                    "managers and administrators: use the "),
    "refused.or": ("，或退出后以管理员账号登录。", ", or sign out and sign in with a manager account."),
    "live": ("实时", "Live"),
    "bad_credentials": ("用户名或密码不正确", "Wrong username or password"),
    "seconds_n": ("{n} 秒", "{n} s"),
    "hours_minutes": ("{h} 小时 {m} 分", "{h} h {m} min"),
    "min_n": ("{n} 分", "{n} min"),
}

HALL: Words = {
    # the page (templates/manager/hall.html)
    "hall.today": ("今日概况", "Today"),
    "hall.queues": ("排队情况", "Queues"),
    "hall.on_target": ("达标", "on target"),
    "hall.near_target": ("接近目标", "near target"),
    "hall.over_target": ("超出目标", "over target"),
    "hall.col.waiting": ("等候", "Waiting"),
    "hall.col.oldest": ("最长等候", "Oldest wait"),
    "hall.col.estimate": ("预计等候", "Estimate"),
    "hall.col.target": ("目标", "Target"),
    "hall.col.issued_cap": ("今日取号 / 限号", "Issued / cap"),
    "hall.col.p90": ("90% 等候", "P90 wait"),
    "hall.col.b_posts": ("B岗", "B posts"),
    "hall.windows": ("窗口", "Windows"),
    "hall.alerts": ("电子监察告警", "Alerts"),
    "hall.history": ("显示历史", "History"),
    "hall.devices": ("设备状态", "Devices"),
    "hall.audit": ("操作记录", "Recent actions"),
    "hall.changes_only": ("只看调整", "Changes only"),
    "hall.window_state": ("窗口状态", "Window state"),
    "hall.open": ("开放", "Open"),
    "hall.other_reason": ("其他原因", "Other reason"),
    "hall.pause": ("暂停", "Pause"),
    "hall.close": ("关闭", "Close"),
    "hall.categories_ab": ("业务类别（A岗主办 / B岗备办）", "Categories (A primary / B backup)"),
    "hall.save_categories": ("保存类别", "Save categories"),
    "hall.done": ("完成", "Done"),
    "hall.backup_posts": ("B岗备办", "Backup (B) posts"),
    "hall.backup_auto": ("自动（按规则启用）", "Automatic (by the rules)"),
    "hall.apply": ("应用", "Apply"),
    "hall.daily_cap": ("每日限号", "Daily cap"),
    "hall.save_cap": ("保存限号", "Save cap"),
    "hall.move_waiting": ("移动等候中的号码", "Move waiting tickets"),
    "hall.move_to": ("移到", "To"),
    "hall.move_count": ("数量", "How many"),
    "hall.move_all": ("全部", "all"),
    "hall.move": ("移动", "Move"),
    # what the scripts (static/hall/) fill in
    "sep": ("、", ", "),
    "adjust": ("调整", "Adjust"),
    "post_empty": ("未签到", "—"),
    "idle": ("空闲", "Idle"),
    "for_duration": ("已持续 {d}", "for {d}"),
    "forced_on": ("强制开启", "Forced on"),
    "forced_off": ("强制关闭", "Forced off"),
    "auto": ("自动", "Auto"),
    "not_issuing": ("停止取号", "not issuing"),
    "summary.issued": ("今日取号", "Issued today"),
    "summary.served": ("已办结", "Served"),
    "summary.waiting": ("等候中", "Waiting"),
    "summary.no_show": ("过号", "No-shows"),
    "summary.on_target": ("等候达标率", "Within target"),
    "summary.open": ("开放窗口", "Open windows"),
    "summary.alerts": ("未处理告警", "Open alerts"),
    "no_alerts": ("当前无告警", "No alerts"),
    "acknowledge": ("确认", "Acknowledge"),
    "acked_by": ("{who} 于 {at} 确认", "acknowledged by {who} at {at}"),
    "raised_at": ("{at} 发生", "raised {at}"),
    "cleared_at": ("{at} 已解除", "cleared {at}"),
    # the alerts' details (domain/alerts.py), one sentence per kind
    "alert.wait_over_target": ("{category}：{waiting} 人等候，最长已等 {oldest} 分（目标 {target} 分）",
                               "{category}: {waiting} waiting, oldest {oldest} min "
                               "(target {target} min)"),
    "alert.window_paused_too_long": ("{window}已暂停 {paused} 分，超过 {limit} 分",
                                     "{window} paused {paused} min, limit {limit} min"),
    "alert.window_paused_too_long_reason": ("{window}已暂停 {paused} 分（{reason}），超过 {limit} 分",
                                            "{window} paused {paused} min ({reason}), "
                                            "limit {limit} min"),
    "alert.a_post_absent": ("{category}：{waiting} 人等候，无A岗在岗，也无B岗补位",
                            "{category}: {waiting} waiting, no A post signed in, no B cover"),
    "alert.a_post_absent_forced_off": ("{category}：{waiting} 人等候，无A岗在岗，B岗已被强制关闭",
                                       "{category}: {waiting} waiting, no A post signed in, "
                                       "B posts forced off"),
    "alert.printer_fault": ("打印机 {printer}：{status}", "Printer {printer}: {status}"),
    "alert.screen_offline": ("{screen} 自 {at} 起离线", "{screen} offline since {at}"),
    "alert.screen_never": ("{screen} 从未连接", "{screen} never connected"),
    "alert.ticket_not_printed": ("{number} 号未能打印（打印机 {printer}），请为取号人补打或直接叫号",
                                 "{number} did not print (printer {printer}): reprint it for the "
                                 "applicant or just call it"),
    "alert.no_effective_cover": ("{category}：未来 {horizon} 分钟预计每小时 {arrivals} 人，需 {needed} "
                                 "个窗口，实际可用约 {effective} 个（A岗窗口 {a}，B岗窗口 {b}），"
                                 "{waiting} 人等候，等候时间将持续增长",
                                 "{category}: {arrivals} an hour expected over the next {horizon} "
                                 "min need {needed} windows, about {effective} available "
                                 "(A windows {a}, B windows {b}), {waiting} waiting: waits will "
                                 "keep growing"),
    "no_devices": ("无设备", "No devices"),
    "device_online": ("在线", "online"),
    "device_offline": ("离线", "offline"),
    "last_seen_at": ("最后在线 {at}", "last seen {at}"),
    "never_seen": ("从未连接", "never connected"),
    "no_audit": ("暂无操作", "Nothing yet"),
    "by_system": ("系统", "system"),
    "by_device": ("设备", "device"),
    # rebalancing changes in the audit (service/rebalance.py)
    "change.categories": ("类别 A：{a}", "A: {a}"),
    "change.categories_b": ("类别 A：{a} B：{b}", "A: {a} B: {b}"),
    "change.backup_on": ("{category} B岗强制开启", "{category} B posts forced on"),
    "change.backup_off": ("{category} B岗强制关闭", "{category} B posts forced off"),
    "change.backup_auto": ("{category} B岗改为自动", "{category} B posts automatic"),
    "change.daily_cap": ("{category} 限号 {old} → {new}", "{category} cap {old} → {new}"),
    "change.move_waiting": ("{category} 移动 {moved} 个号码 → {to}",
                            "moved {moved} from {category} → {to}"),
    "saved": ("已保存", "Saved"),
    "moved_n": ("已移动 {n} 个号码", "Moved {n} ticket(s)"),
    "moved_numbers": ("已移动 {n} 个号码：{numbers}", "Moved {n} ticket(s): {numbers}"),
    "categories_ab": ("A：{a}　B：{b}", "A: {a}   B: {b}"),
    "issued_of_cap": ("今日已取 {issued} / 限 {cap}", "{issued} issued today, cap {cap}"),
    "adjust_title": ("{what} · 调整", "Adjust {what}"),
}

# The reports page (templates/manager/reports.html, manager/reports.py); its tables' columns
# come with the report (the CSV's too, queue_core/service/reports.py).
REPORTS: Words = {
    "reports.title": ("统计报表", "Reports"),
    "reports.from": ("开始日期", "From"),
    "reports.to": ("结束日期", "To"),
    "reports.show": ("查询", "Show"),
    "reports.days": ("{n} 天", "{n} days"),
    "reports.day_one": ("{n} 天", "{n} day"),
    "reports.zone": ("时间按 {zone}", "times in {zone}"),
    "reports.issued": ("取号", "Issued"),
    "reports.served": ("办结", "Served"),
    "reports.waits": ("平均 / 90% 等候（分）", "Avg / P90 wait (min)"),
    "reports.on_target": ("等候达标率", "Within wait target"),
    "reports.satisfied": ("满意率（评价数）", "Satisfied (ratings)"),
    "reports.csv": ("下载 CSV", "Download CSV"),
    "reports.show_slots": ("展开 {n} 个时段", "Show {n} half hours"),
    "reports.nothing": ("该时段无记录", "Nothing in this period"),
    "reports.notes": ("说明：等候时间为取号至首次呼叫；办理时间为开始至办结；达标率为等候不超过该业务目标的比例；"
                      "满意率为“基本满意”及以上评价所占比例。数据来自事件日志。",
                      'Notes: the wait runs from the ticket to its first call; service from start '
                      'to finish; "within wait target" is the share of waits within their '
                      'service\'s target; "satisfied" counts ratings of Acceptable and better. '
                      'Figures come from the event log.'),
    "reports.live": ("包含今天：数据随大厅事件实时更新。", "Includes today: figures follow the hall live."),
    # the tables' titles and the quick ranges (manager/reports.py)
    "reports.table_categories": ("按业务类别", "By service"),
    "reports.table_windows": ("按窗口", "By window"),
    "reports.table_staff": ("按工作人员", "By staff member"),
    "reports.table_arrivals": ("每半小时取号", "Arrivals per half hour"),
    "reports.table_satisfaction": ("好差评", "Ratings (好差评)"),
    "reports.range_today": ("今天", "Today"),
    "reports.range_yesterday": ("昨天", "Yesterday"),
    "reports.range_last_7": ("近 7 天", "Last 7 days"),
    "reports.range_last_30": ("近 30 天", "Last 30 days"),
    "reports.range_this_month": ("本月", "This month"),
}

# The staffing page (static/staffing.js and its template). Rows, sources, stops and plan kinds
# are the server's labels (staffing_rows, staffing_sources, staffing_stops).
STAFFING: Words = {
    # the page (templates/manager/staffing.html)
    "advice.title": ("每半小时各类别所需窗口数", "Windows each category needs per half hour"),
    "advice.date": ("日期", "Date"),
    "advice.target_minutes": ("等候目标（分钟）", "Wait target (min)"),
    "advice.target_share": ("达标比例（%）", "Share within target (%)"),
    "advice.source": ("到达数据", "Arrivals"),
    "advice.advise": ("计算建议", "Advise"),
    "advice.note": ("按模拟器回放：在当前叫号规则下，每个时段为达到目标所需的开放窗口数；括号内为该类别单独"
                             "排队时 Erlang C 稳态公式的估算：模拟的起点，不是下限（半小时不是稳态）。",
                             "From the simulator: open windows each half hour needs to meet the "
                             "target under the calling policy; in brackets the Erlang C steady-state "
                             "estimate for the category alone: the simulation’s starting point, not "
                             "a bound (a half hour is no steady state)."),
    "outlook.title": ("未来 3 个办理日预测", "Outlook: the next 3 open days"),
    "outlook.note": ("按历史取号预测每半小时到达（近几周同一星期几的均值，每月 1–5 日按高峰系数放大，"
                              "节假日不计），列出各类别 A 岗窗口不够、需增开窗口的时段；目标取左侧的等候目标和达标比例。",
                              "Arrivals per half hour forecast from past tickets (the mean of the "
                              "same weekday over recent weeks, scaled up on the 1st–5th of a month, "
                              "holidays left out), and the half hours where the A windows of a "
                              "category fall short; the target is the one on the left."),
    "whatif.title": ("假如现在加开窗口", "What if we open more windows now"),
    "whatif.extra_windows": ("加开窗口数", "Extra windows"),
    "whatif.from": ("从（空＝现在）", "From (empty: now)"),
    "whatif.from_hint": ("留空为现在（大厅所在时区）", "empty: now, in the hall’s time zone"),
    "whatif.simulate": ("模拟", "Simulate"),
    "bposts.title": ("建议增设的B岗", "B posts to add"),
    "bposts.max_changes": ("最多几处调整", "Changes at most"),
    "bposts.search": ("搜索B岗", "Search B posts"),
    "bposts.note": ("用左侧的日期、目标和到达数据，按当前叫号规则模拟：逐一尝试把未达标的类别设为各窗口的B岗，"
                             "只在技能表允许的窗口（config.toml 的 may_serve），保留最能缩短全厅等候的一处，最多数处。",
                             "With the date, target and arrivals on the left, under the calling "
                             "policy: tries each category short of the target as a B post on each "
                             "window the skills table allows (config.toml may_serve), keeps the one "
                             "that cuts the hall’s wait most, a few times at most."),
    # what the script fills in
    "advice.slot": ("时段", "Half hour"),
    "advice.total": ("合计", "Total"),
    "advice.arrivals_n": ("{n} 到达", "{n} arrivals"),
    "advice.erlang_n": ("Erlang C 稳态估算（起点，非下限）{n}",
                          "Erlang C steady-state estimate (starting point, not a bound) {n}"),
    "advice.meta": ("{date} · {source} · 共 {arrivals} 人到达 · {plan}",
                      "{date} · {source} · {arrivals} arrivals · {plan}"),
    "advice.spread": ("每行为 {n} 个模拟日的合计（到达和办理时长每日重新抽取）；"
                        "“范围”为各日目标内比例的最低–最高，“达标天数”为全厅达到目标比例的天数。"
                        "完全合并（每个窗口办理所有类别、先到先办）和仅A岗是参照，不是上下限。",
                        "Each row is {n} simulated days together (arrivals and service times redrawn "
                        "each day); 'range' is the lowest–highest share within target of a day, "
                        "'days met' the days the whole hall met the target share. Full pooling "
                        "(every window serving every category, first come first served) and A "
                        "posts only are references, not bounds."),
    "whatif.pooled": ("加开后 · 完全合并（参照）",
                               "With extra windows, fully pooled (reference)"),
    "whatif.a_only": ("加开后 · 仅A岗各自排队（参照）",
                               "With extra windows, A posts only (reference)"),
    "whatif.span": ("比较 {start}–{end} 之间被呼叫（或未被呼叫）的人",
                      "Compares applicants called (or never called) between {start} and {end}"),
    "figure.mean_wait_minutes": ("平均等候", "Mean wait"),
    "figure.p90_wait_minutes": ("90% 等候", "P90 wait"),
    "figure.within_target_share": ("目标内比例", "Within target"),
    "figure.within_target_share_range": ("范围（各模拟日）", "Range (per day)"),
    "figure.met_target": ("达标天数", "Days met"),
    "figure.served": ("已办", "Served"),
    "figure.unserved": ("未办", "Unserved"),
    "figure.utilisation": ("窗口利用率", "Utilisation"),
    "figure.served_on_a_share": ("A岗业务占比", "On A work"),
    "figure.scenario": ("方案", "Scenario"),
    "advice.no_arrivals": ("所选日期没有到达数据", "No arrivals for that date"),
    "whatif.category_only": ("仅看{category}", "{category} only"),
    "whatif.windows_change": ("窗口数：{before} → {after}", "Windows: {before} → {after}"),
    "simulating": ("计算中…", "Simulating…"),
    # B posts to add: "在 3、5 号窗口…" / "on windows 3 and 5"
    "bposts.and": ("、", " and "),
    "bposts.window_one": ("{list}", "window {list}"),
    "bposts.window_many": ("{list}", "windows {list}"),
    "bposts.change": ("在 {windows} 号窗口增设{category}为B岗：{category}平均等候 {before} → {after} 分"
                        "（目标内 {share_before} → {share_after}）",
                        "Add {category} as B on {windows}: {category} mean wait {before} → {after} min "
                        "(within target {share_before} → {share_after})"),
    "bposts.nothing": ("不建议增设B岗", "No B post to add"),
    "bposts.stopped": ("停止原因：{why}", "Stopped: {why}"),
    "bposts.simulations": ("共模拟 {n} 天次", "{n} simulated days in all"),
    "plan.window": ("窗口", "Window"),
    "plan.a": ("A岗", "A"),
    "plan.b_now": ("B岗（现在）", "B (now)"),
    "plan.b_advised": ("B岗（建议后）", "B (advised)"),
    "bposts.apply": ("应用这些B岗", "Apply these B posts"),
    "bposts.applied": ("已应用：{windows} 号窗口的B岗已更新（已记入操作日志）",
                         "Applied: the B posts of window {windows} changed (in the audit log)"),
    # the whole hall's plan
    "hall_plan.title": ("全厅每半小时开放窗口（各窗口A岗不变，B岗按上面的建议）",
                            "Windows the hall opens per half hour (A posts as they are, B posts "
                            "as advised above)"),
    "hall_plan.budget": ("计算量已达上限，未能测算分时开窗方案，故按全部窗口开放建议",
                         "The search ran out of time before it could check a plan with fewer"
                         " windows, so it advises every window open"),
    "hall_plan.open": ("开放窗口数", "Windows open"),
    "hall_plan.windows": ("窗口", "Windows"),
    "hall_plan.category": ("{category}平均等候：现状 {today}，增设B岗 {b_posts}，再分时开窗 {plan} 分",
                               "{category} mean wait: today {today}, with the B posts {b_posts}, "
                               "and windows per half hour {plan} min"),
    # the three plans judged on fresh days
    "judged.title": ("检验：搜索未用过的 {days} 个模拟日", "Checked on {days} simulated days no search used"),
    "judged.plan": ("方案", "Plan"),
    "judged.window_hours": ("窗口工时", "Window-hours"),
    "judged.days_met": ("达标天数（95% 区间）", "Days met (95% interval)"),
    "judged.met": ("{met}/{days} 天（{low}–{high}）", "{met} of {days} ({low}–{high})"),
    "judged.today": ("现状（窗口全开，不增设B岗）", "Today (every window open, no new B posts)"),
    "judged.b_posts": ("增设建议B岗，窗口照旧全开", "Advised B posts, every window open"),
    "judged.hall_plan": ("增设建议B岗，按上表分时开窗", "Advised B posts, windows per half hour as above"),
    "judged.note": ("三个方案用同样的 {days} 个模拟日（到达和办理时长每日重新抽取，上面的搜索都未用过）。"
                     "全厅且每个类别都有 {share} 的人在 {minutes} 分钟内被叫到，当天才算达标。"
                     "窗口工时按开放时间 {opens}–{closes} 计；最后半小时开着的窗口算到不再有人等候为止。"
                     "分时开窗在另外 {n} 个模拟日上搜索得出。",
                     "The three plans on the same {days} simulated days (arrivals and service "
                     "times redrawn, none used by the searches above). A day counts as met only "
                     "when the hall and every category called {share} within {minutes} min. "
                     "Window-hours over the opening hours {opens}–{closes}; windows open in the "
                     "last half hour count until nobody waits. The half-hourly plan was searched "
                     "on {n} other simulated days."),
    "judged.no_worse": ("分时开窗与窗口照旧全开一样好：平均等候 {wait_b} → {wait_plan} 分，目标内 "
                         "{share_b} → {share_plan}，达标天数 {met_b} → {met_plan}，节省 {saved} 窗口工时。",
                         "Windows per half hour do as well as every window open: mean wait "
                         "{wait_b} → {wait_plan} min, within target {share_b} → {share_plan}, days "
                         "met {met_b} → {met_plan}, and {saved} window-hours saved."),
    "judged.costs_waits": ("分时开窗并不比窗口照旧全开更好：它节省 {saved} 窗口工时，代价是等候更长——"
                            "平均等候 {wait_b} → {wait_plan} 分，目标内 {share_b} → {share_plan}，"
                            "达标天数 {met_b} → {met_plan}。",
                            "Windows per half hour are not better than every window open: they "
                            "save {saved} window-hours at a cost in waits — mean wait {wait_b} → "
                            "{wait_plan} min, within target {share_b} → {share_plan}, days met "
                            "{met_b} → {met_plan}."),
    # the outlook of the next open days
    "outlook.weekdays": (["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
                          ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]),
    "outlook.date": ("{month}月{day}日", "{date}"),
    "outlook.day": ("{weekday} {date} · 预计 {n} 人", "{weekday} {date} · {n} arrivals expected"),
    "outlook.surge": ("月初高峰", "1st–5th surge"),
    "outlook.enough": ("各类别 A 岗窗口足够", "Every category's A windows suffice"),
    "outlook.no_history": ("没有历史取号数据，无法预测", "No past tickets to forecast from"),
    "outlook.backtest": ("预测误差（回测最近 {days} 个有记录的日子，每天只用它之前的数据预测）："
                          "每半小时每类别平均差 {error} 人，相对误差 {relative}%",
                          "Forecast error (back-test on the last {days} recorded days, each "
                          "predicted from the days before it): {error} applicants per half hour "
                          "and category on average, {relative}% relative"),
    "outlook.no_backtest": ("历史不足，尚不能回测预测误差", "Too little history to back-test the forecast yet"),
}

CATALOGUE = catalogue(CONSOLE, HALL, REPORTS, STAFFING)
