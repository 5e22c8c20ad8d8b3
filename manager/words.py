"""The manager console's sentences (pagekit/words.py explains the catalogue): the shared client
(console.js) and the live hall (static/hall/). Codes the server sends take its labels."""
from __future__ import annotations

from pagekit.words import Words, catalogue

CONSOLE: Words = {
    "live": ("实时", "Live"),
    "bad_credentials": ("用户名或密码不正确", "Wrong username or password"),
    "seconds_n": ("{n} 秒", "{n} s"),
    "hours_minutes": ("{h} 小时 {m} 分", "{h} h {m} min"),
    "min_n": ("{n} 分", "{n} min"),
}

HALL: Words = {
    "none": ("无", "none"),
    "sep": ("、", ", "),
    "colon": ("：", ": "),
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

CATALOGUE = catalogue(CONSOLE, HALL)
