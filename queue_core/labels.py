"""The zh/en label of every code a page shows: call rules, B triggers, event kinds, alert kinds,
printer and print-job states, staffing rows and sources, ticket statuses, window states, device
kinds, ratings and error messages.

One table served at GET /api/v1/labels, so a page never keeps its own (and never drifts from the
codes the server sends); tests/unit/test_labels.py fails when a code has no label.
"""
from __future__ import annotations

import hashlib
import json
from functools import cache

from .i18n import ERRORS, STATUS, pick
from .service.reports import LEVEL_NAMES, REASON_NAMES

LABELS: dict[str, dict[str, tuple[str, str]]] = {
    # domain/policy.py Rule: why a ticket was called
    "call_rules": {
        "transferred_to_window": ("转办到本窗口", "Transferred to this window"),
        "appointment": ("预约号优先", "Appointment due"),
        "priority": ("优先群体优先", "Priority group first"),
        "priority_cap": ("优先号连续上限已到，轮到普通号",
                         "Priority streak cap reached, a normal ticket's turn"),
        "arrival": ("按到达顺序（等候最久）", "Longest wait (arrival order)"),
        "backup_overtake": ("B类等候远超A类，优先呼叫", "B ticket waited much longer than A tickets"),
        "a_first": ("本窗口A类业务优先于B类", "This window's A work before its B work"),
        "special": ("特呼（指定号码）", "Special call (out of turn)"),
    },
    # domain/policy.py Trigger: why a B category was active
    "backup_triggers": {
        "forced_on": ("管理员开启B岗", "Manager switched B posts on"),
        "no_a_post": ("该类别无A岗在岗，本窗口B岗补位", "No A post signed in for it; this B post covers"),
        "backlog": ("该类别积压，启用B岗", "Backlog activated B posts"),
        "over_target": ("该类别等候超时，启用B岗", "Waits over target activated B posts"),
        "idle_pull": ("窗口空闲，拉取B类业务", "Idle window pulls B work"),
    },
    # domain/events.py EventKind
    "events": {
        "issued": ("取号", "issued"), "called": ("呼叫", "called"), "recalled": ("重呼", "recalled"),
        "started": ("开始办理", "started"), "finished": ("办结", "finished"),
        "no_show": ("过号", "no-show"), "transferred": ("转办", "transferred"),
        "suspended": ("挂起", "suspended"), "resumed": ("恢复", "resumed"),
        "reinstated": ("恢复排队", "reinstated"), "cancelled": ("取消", "cancelled"),
        "expired": ("过期", "expired"), "evaluated": ("评价", "rated"),
        "reprint_requested": ("补打", "reprint"),
        "window_opened": ("开放窗口", "opened"), "window_paused": ("暂停窗口", "paused"),
        "window_closed": ("关闭窗口", "closed"), "post_signed_in": ("签到上岗", "signed in"),
        "post_signed_out": ("签退", "signed out"), "rebalanced": ("调整", "rebalanced"),
        "printer_status": ("打印机状态", "printer status"), "alert_raised": ("告警", "alert"),
        "alert_cleared": ("告警解除", "alert cleared"),
        "alert_acknowledged": ("确认告警", "acknowledged alert"),
        "day_started": ("新的一天", "new day"), "appointment_booked": ("预约", "booked"),
        "appointment_cancelled": ("取消预约", "cancelled booking"),
        "appointment_checked_in": ("预约签到", "checked in"),
        "sign_in_failed": ("登录失败", "sign-in failed"),
        "password_changed": ("修改密码", "password changed"),
        "account_activated": ("启用账号", "account activated"),
        "account_deactivated": ("停用账号", "account deactivated"),
    },
    # domain/alerts.py KINDS
    "alerts": {
        "wait_over_target": ("等候超时", "Wait over target"),
        "window_paused_too_long": ("窗口暂停过久", "Window paused too long"),
        "a_post_absent": ("A岗缺岗无B岗补位", "A post absent, no B cover"),
        "printer_fault": ("打印机故障", "Printer fault"),
        "screen_offline": ("显示屏离线", "Screen offline"),
        "ticket_not_printed": ("号码票未打印", "Ticket not printed"),
        "no_effective_cover": ("窗口力量不足：到达多于可办能力",
                               "No effective cover: arrivals outrun the windows"),
    },
    # domain/alerts.py LEVELS: an alert's severity
    "alert_levels": {"critical": ("严重", "Critical"), "warning": ("提醒", "Warning")},
    # printers/status.py PrinterStatus
    "printer_states": {
        "online": ("打印机正常", "printer OK"), "paper_low": ("纸将用尽", "paper low"),
        "paper_out": ("缺纸", "out of paper"), "cover_open": ("打印机盖未关", "printer cover open"),
        "offline": ("打印机离线", "printer offline"), "unknown": ("打印机状态未知", "printer unknown"),
    },
    # printers/spooler.py JobState, and a job too old to print (service/print_jobs.py)
    "print_job_states": {
        "queued": ("等待打印", "waiting to print"), "printing": ("正在打印", "printing"),
        "printed": ("已打印", "printed"), "failed": ("打印失败", "not printed (printer fault)"),
        "expired": ("未打印（已超时）", "not printed (too late)"),
    },
    # planning/staffing.py ROWS: the plans the staffing advice and what-if simulate
    "staffing_rows": {
        "policy": ("现有窗口 · 当前叫号规则", "Current windows, calling policy"),
        "advised": ("按建议排班", "Advised staffing"),
        "a_only": ("现有窗口 · 仅A岗各自排队（参照）", "Current windows, A posts only (reference)"),
        "pooled": ("现有窗口 · 完全合并排队（参照，不是下限）",
                   "Current windows, fully pooled (reference, not a bound)"),
        "baseline": ("维持现状", "As planned"), "changed": ("加开后", "With extra windows"),
    },
    # service/staffing.py SOURCES and PLAN_KINDS: where the arrivals and the windows came from
    "staffing_sources": {
        "recorded": ("当日实际取号", "recorded tickets"),
        "recorded+synthetic": ("当日实际取号＋其余时段预测", "recorded tickets, rest of day forecast"),
        "synthetic": ("模拟高峰日", "synthetic peak day"),
        "staffed_now": ("现有窗口：当前在岗人员", "current windows: staff signed in now"),
        "all_windows": ("现有窗口：全部窗口（A岗）全天开放",
                        "current windows: every window (A post) all day"),
        # SKILLS: what limited the B posts the advice may suggest
        "skills_table": ("仅限技能表允许的窗口（may_serve）", "within the skills table (may_serve)"),
        "any_category": ("未设技能表，任何窗口可办任何业务",
                         "no skills table: any window may serve any category"),
    },
    # planning/staffing.py STOPS: why the search for B posts stopped
    "staffing_stops": {
        "on_target": ("各类别均已达标", "every category meets the target"),
        "no_gain": ("再加B岗不能明显缩短等候", "no further B post shortens the waits enough"),
        "no_candidate": ("未达标的类别已无可加的窗口（已办理或技能表不允许）",
                         "no window left that may take the categories short of the target"),
        "max_changes": ("已达建议条数上限", "reached the number of changes asked for"),
        "budget": ("计算量已达上限，仅给出已测算的建议",
                   "search cut short by its time limit: advice measured so far"),
    },
    # domain/model.py TicketStatus (the same words as the error messages')
    "ticket_statuses": dict(STATUS),
    # domain/model.py WindowState
    "window_states": {
        "open": ("服务中", "Open"), "paused": ("暂停", "Paused"), "closed": ("已关闭", "Closed"),
    },
    # domain/rights.py Kind, the devices
    "device_kinds": {
        "kiosk": ("取号机", "Kiosk"), "hall_screen": ("综合屏", "Hall screen"),
        "window_screen": ("窗口屏", "Window screen"), "evaluator_screen": ("评价器", "Evaluator pad"),
    },
    # domain/evaluation.py: a rating's levels (5 best) and the reasons asked for below 3, as the
    # evaluator pad offers them and the reports count them
    "evaluation_levels": {str(level): pair for level, pair in LEVEL_NAMES.items()},
    "evaluation_reasons": dict(REASON_NAMES),
    # domain/errors.py codes: the message templates ({…} filled from the error's params)
    "errors": dict(ERRORS),
}


@cache
def labels_json(lang: str) -> tuple[bytes, str]:
    """The table in one language as JSON, and its ETag (the labels change only with the code)."""
    table = {group: {code: pick(pair, lang) for code, pair in codes.items()}
             for group, codes in LABELS.items()}
    body = json.dumps({"lang": lang, "labels": table}, ensure_ascii=False,
                      sort_keys=True).encode()
    return body, hashlib.sha256(body).hexdigest()[:20]
