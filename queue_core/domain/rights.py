"""Who may do what: one table of actor kinds × rights, read by every API endpoint and by the
Socket.IO handlers (the README shows it). The table says which kinds of caller may ask at all;
where they may act (their own site, their own window, the ticket's window) is decided by the
use case, because only it knows the ticket and the window (service/access.py)."""
from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """Every kind of caller. Devices are known by their token, people by their session."""

    NOBODY = "nobody"
    KIOSK = "kiosk"
    HALL_SCREEN = "hall_screen"
    WINDOW_SCREEN = "window_screen"
    EVALUATOR = "evaluator_screen"   # 评价器: the rating pad of one window
    STAFF = "staff"
    MANAGER = "manager"
    ADMIN = "admin"


class Right(StrEnum):
    PUBLIC = "public"                  # health, sites, categories, a ticket's status by its token
    ISSUE = "issue"                    # take a ticket
    CHECK_IN = "check_in"              # an appointment's code becomes a ticket
    PRINTING = "printing"              # printers' states and how a print job went
    REPORT_PRINTER = "report_printer"  # a kiosk tells the hall its printer's state
    WATCH_HALL = "watch_hall"          # windows, calls and the event feed of the site
    VOICE = "voice"                    # spoken calls, made on the server
    RATE = "rate"                      # 好差评 of a ticket finished at the pad's window
    SERVE = "serve"                    # a window's work: sign in, call, finish, transfer…
    REPRINT = "reprint"                # 补打: at the ticket's window, or a manager
    READ_QUEUE = "read_queue"          # waiting tickets and today's figures
    MANAGE = "manage"                  # rebalance, caps, appointments, alerts, devices, audit
    REPORTS = "reports"                # reports and staffing advice
    OWN_ACCOUNT = "own_account"        # who am I, my password
    ACCOUNTS = "accounts"              # other people's accounts and sessions


_SCREENS = {Kind.HALL_SCREEN, Kind.WINDOW_SCREEN}
_PEOPLE = {Kind.STAFF, Kind.MANAGER, Kind.ADMIN}
_MANAGERS = {Kind.MANAGER, Kind.ADMIN}

RIGHTS: dict[Right, frozenset[Kind]] = {right: frozenset(kinds) for right, kinds in {
    Right.PUBLIC: set(Kind),
    Right.ISSUE: {Kind.KIOSK} | _PEOPLE,
    Right.CHECK_IN: {Kind.KIOSK} | _PEOPLE,
    Right.PRINTING: {Kind.KIOSK} | _PEOPLE,
    Right.REPORT_PRINTER: {Kind.KIOSK},
    Right.WATCH_HALL: _SCREENS | {Kind.EVALUATOR} | _PEOPLE,
    Right.VOICE: _SCREENS,
    Right.RATE: {Kind.EVALUATOR},
    Right.SERVE: _PEOPLE,
    Right.REPRINT: _PEOPLE,
    Right.READ_QUEUE: _PEOPLE,
    Right.MANAGE: _MANAGERS,
    Right.REPORTS: _MANAGERS,
    Right.OWN_ACCOUNT: _PEOPLE,
    Right.ACCOUNTS: _MANAGERS,
}.items()}


def may(kind: Kind | str, right: Right) -> bool:
    return Kind(kind) in RIGHTS[right]


def table() -> list[tuple[str, list[str]]]:
    """The table as rows of (right, kinds that have it), for the README and the docs."""
    return [(right.value, [k.value for k in Kind if k in kinds]) for right, kinds in RIGHTS.items()]
