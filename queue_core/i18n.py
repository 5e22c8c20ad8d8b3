"""User-facing text in Simplified Chinese (default) and English: API errors and call reasons."""
from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("zh", "en")

ERRORS: dict[str, tuple[str, str]] = {
    "not_found": ("未找到{what}：{key}", "No {what} found: {key}"),
    "route_not_found": ("接口不存在", "No such endpoint"),
    "method_not_allowed": ("不支持该请求方法 {method}（可用：{allowed}）",
                           "Method {method} not allowed (allowed: {allowed})"),
    "payload_too_large": ("请求内容过大", "The request is too large"),
    "invalid_input": ("输入有误：{field}", "Invalid input: {field}"),
    "invalid_lookup_code": ("查询码有误：{code}（应为取号机显示的查询码，如 K1-7QX4P2，或 8 位预约码）",
                            "Invalid lookup code {code} (the code the kiosk showed, such as "
                            "K1-7QX4P2, or an 8-digit appointment code)"),
    "no_ticket_for_code": ("今天没有用查询码 {code} 取出的号码：申请人尚未取到号，请为其取号",
                           "No ticket was issued today for code {code}: the applicant has no "
                           "ticket yet; take one for them"),
    "invalid_json": ("请求内容不是有效的 JSON", "The request body is not valid JSON"),
    "invalid_date_range": ("日期范围有误：{first} 至 {last}（开始不能晚于结束，最多 {max_days} 天）",
                           "Invalid date range {first} to {last} (from must not be after to, "
                           "at most {max_days} days)"),
    "daily_cap_reached": ("今日该业务号已取完（限 {cap} 个）",
                          "Today's tickets for this service are all taken (cap {cap})"),
    "outside_opening_hours": ("当前不在办理时间（{opens}–{closes}）",
                              "Outside opening hours ({opens}–{closes})"),
    "closed_for_holiday": ("今天（{date}）是节假日，大厅休息，不办理业务",
                           "The hall is closed today ({date}): a holiday"),
    "category_closed": ("该业务当前不办理（办理时间 {hours}）",
                        "This service is not available now (hours {hours})"),
    "invalid_transition": ("当前号码状态为“{status}”，不能执行该操作",
                           "The ticket is {status}; this action is not possible now"),
    "window_not_open": ("{window}号窗口未开启", "Window {window} is not open"),
    "window_busy": ("{window}号窗口仍有 {number} 号在办理，请先完成或过号",
                    "Window {window} still has {number}; finish it or mark it no-show first"),
    "nothing_to_call": ("暂无可呼叫的号码", "Nobody is waiting for this window"),
    "not_for_this_window": ("{number} 号不是{window}号窗口可呼叫的号码（业务不符或已转办到其他窗口）",
                            "Ticket {number} is not one window {window} may call (another "
                            "service, or transferred to another window)"),
    "post_taken": ("{window}号窗口的 {post} 岗已有人签到",
                   "Post {post} of window {window} is already taken"),
    "not_signed_in": ("您未签到{window}号窗口", "You are not signed in at window {window}"),
    "forbidden": ("无权执行该操作", "You may not do this"),
    "unauthorized": ("请先登录或提供有效的设备令牌", "Please sign in or give a valid device token"),
    "sign_in_throttled": ("密码错误次数过多，请 {seconds} 秒后再试",
                          "Too many wrong passwords; try again in {seconds} s"),
    "wrong_password": ("当前密码不正确", "The current password is wrong"),
    "own_account": ("不能对自己的账号执行该操作（修改自己的密码需提供当前密码）",
                    "You cannot do this to your own account (your own password needs the "
                    "current one)"),
    "csrf_failed": ("页面已过期，请刷新后重试", "The page has expired; reload and try again"),
    "rate_limited": ("操作过于频繁，请稍后再试", "Too many requests; please wait a moment"),
    "internal_error": ("系统内部错误，请联系管理员", "Internal error; please call the administrator"),
    "database_unavailable": ("系统数据库暂时不可用，请稍候重试",
                             "The database is briefly unavailable; please try again in a moment"),
    "cap_below_issued": ("今日已发 {issued} 个号，限号不能低于此数（设为 {issued} 即停止取号）",
                         "{issued} tickets were already issued today; the cap cannot be lower "
                         "(set it to {issued} to stop issuing)"),
    "category_in_both_posts": ("业务“{category}”不能同时作为 A 岗和 B 岗业务",
                               "Category {category} cannot be both A and B work of a window"),
    "category_paused": ("该业务暂停办理（{reason}），请稍后再来取号",
                        "This service is paused ({reason}); please come back later"),
    "appointment_too_early": ("还未到签到时间：您预约的是 {slot}，请于 {earliest} 之后再来签到",
                              "Too early to check in: your appointment is {slot}; "
                              "please come back after {earliest}"),
    "appointment_cancelled": ("该预约已取消，请在取号机上直接取号或咨询工作人员",
                              "This appointment was cancelled; take a ticket or ask the staff"),
    "appointment_used": ("该预约码已使用过（号码 {number}），不能再次签到",
                         "This appointment code was already used (ticket {number})"),
    "appointment_slot_too_long": ("预约时段不能超过一天：{slot_start} 至 {slot_end}",
                                  "An appointment slot may not be longer than a day: "
                                  "{slot_start} to {slot_end}"),
    "appointment_expired": ("该预约（{slot}）已过期，请直接取号或重新预约",
                            "This appointment ({slot}) has expired; take a ticket or book again"),
}

WHAT: dict[str, tuple[str, str]] = {
    "site": ("服务中心", "site"), "category": ("业务类别", "category"), "window": ("窗口", "window"),
    "ticket": ("号码", "ticket"), "device": ("设备", "device"), "alert": ("告警", "alert"),
    "appointment": ("预约", "appointment"), "account": ("账号", "account"),
}

STATUS: dict[str, tuple[str, str]] = {
    "waiting": ("等候中", "waiting"), "called": ("已呼叫", "called"),
    "serving": ("办理中", "being served"), "done": ("已办结", "done"),
    "no_show": ("已过号", "no-show"), "suspended": ("已挂起", "suspended"),
    "cancelled": ("已取消", "cancelled"), "expired": ("已过期", "expired"),
}


class _Defaulting(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def error_message(code: str, params: Mapping[str, object], lang: str) -> str:
    template = pick(ERRORS.get(code, ERRORS["internal_error"]), lang)
    values = _Defaulting({k: str(v) for k, v in params.items()})
    if "what" in params and str(params["what"]) in WHAT:
        values["what"] = pick(WHAT[str(params["what"])], lang)
    if "status" in params and str(params["status"]) in STATUS:
        values["status"] = pick(STATUS[str(params["status"])], lang)
    return template.format_map(values)
