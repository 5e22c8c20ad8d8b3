"""Names and states of the hall: ticket lifecycle, windows, posts and roles."""
from __future__ import annotations

from enum import StrEnum

from .errors import InvalidTransition


class TicketStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"      # 过号: the applicant did not come when called
    SUSPENDED = "suspended"  # 挂起: service paused, e.g. the applicant fetches a document
    CANCELLED = "cancelled"
    EXPIRED = "expired"      # still open when the service day ended


OPEN_STATUSES = frozenset({TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING,
                           TicketStatus.NO_SHOW, TicketStatus.SUSPENDED})


class PriorityClass(StrEnum):
    NORMAL = "normal"
    PRIORITY = "priority"        # elderly, disabled, military…: served before normal tickets
    APPOINTMENT = "appointment"  # 预约 checked in on time: served first


class WindowState(StrEnum):
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


class Post(StrEnum):
    A = "A"  # primary post of the window
    B = "B"  # backup post (岗位AB角)


class Role(StrEnum):
    STAFF = "staff"
    MANAGER = "manager"
    ADMIN = "admin"


class Action(StrEnum):
    CALL = "call"
    RECALL = "recall"
    START = "start"
    FINISH = "finish"
    NO_SHOW = "no_show"
    REINSTATE = "reinstate"
    TRANSFER = "transfer"
    SUSPEND = "suspend"
    RESUME = "resume"
    CANCEL = "cancel"
    EXPIRE = "expire"


S = TicketStatus
# Which action moves a ticket from which status to which. Transfer puts the ticket back in a
# queue (another category or a given window) under the same number and original issue time.
TRANSITIONS: dict[Action, tuple[frozenset[TicketStatus], TicketStatus]] = {
    Action.CALL: (frozenset({S.WAITING}), S.CALLED),
    Action.RECALL: (frozenset({S.CALLED}), S.CALLED),
    Action.START: (frozenset({S.CALLED}), S.SERVING),
    Action.FINISH: (frozenset({S.SERVING}), S.DONE),
    Action.NO_SHOW: (frozenset({S.CALLED}), S.NO_SHOW),
    Action.REINSTATE: (frozenset({S.NO_SHOW}), S.WAITING),
    Action.TRANSFER: (frozenset({S.CALLED, S.SERVING, S.WAITING}), S.WAITING),
    Action.SUSPEND: (frozenset({S.SERVING}), S.SUSPENDED),
    Action.RESUME: (frozenset({S.SUSPENDED}), S.SERVING),
    Action.CANCEL: (frozenset({S.WAITING, S.CALLED, S.NO_SHOW, S.SUSPENDED}), S.CANCELLED),
    Action.EXPIRE: (OPEN_STATUSES, S.EXPIRED),
}


def next_status(current: TicketStatus | str, action: Action) -> TicketStatus:
    """The status after `action`, or InvalidTransition if the ticket cannot take it now."""
    allowed_from, target = TRANSITIONS[action]
    if TicketStatus(current) not in allowed_from:
        raise InvalidTransition(action=str(action), status=str(current))
    return target


def format_number(prefix: str, seq: int, digits: int = 3) -> str:
    """Ticket number shown and printed: prefix + zero-padded daily sequence (A001)."""
    return f"{prefix}{seq:0{digits}d}"
