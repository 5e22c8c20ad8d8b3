"""Every kind of event the hall records, and the payload each one carries on the wire.

One table: the service records only these kinds with exactly these fields (UnitOfWork.record
checks, so a typo or a forgotten field fails the first test that takes the path), the labels the
pages show are keyed by these kinds, and screens, consoles, phones and reports read these fields.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EventKind(StrEnum):
    ISSUED = "issued"
    CALLED = "called"
    RECALLED = "recalled"
    STARTED = "started"
    FINISHED = "finished"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    SUSPENDED = "suspended"
    RESUMED = "resumed"
    REINSTATED = "reinstated"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    EVALUATED = "evaluated"
    REPRINT_REQUESTED = "reprint_requested"
    WINDOW_OPENED = "window_opened"
    WINDOW_PAUSED = "window_paused"
    WINDOW_CLOSED = "window_closed"
    POST_SIGNED_IN = "post_signed_in"
    POST_SIGNED_OUT = "post_signed_out"
    REBALANCED = "rebalanced"
    PRINTER_STATUS = "printer_status"
    ALERT_RAISED = "alert_raised"
    ALERT_CLEARED = "alert_cleared"
    ALERT_ACKNOWLEDGED = "alert_acknowledged"
    DAY_STARTED = "day_started"
    APPOINTMENT_BOOKED = "appointment_booked"
    APPOINTMENT_CANCELLED = "appointment_cancelled"
    APPOINTMENT_CHECKED_IN = "appointment_checked_in"
    SIGN_IN_FAILED = "sign_in_failed"
    PASSWORD_CHANGED = "password_changed"
    ACCOUNT_ACTIVATED = "account_activated"
    ACCOUNT_DEACTIVATED = "account_deactivated"


# What UnitOfWork.record adds from its subjects: a ticket's fields, the window's number, and who
# acted (`by`, absent for the system itself).
TICKET_FIELDS = ("number", "category", "priority_class", "status")
WINDOW_FIELDS = ("window",)

REQUIRED, OPTIONAL, NONE = "required", "optional", "none"


@dataclass(frozen=True)
class Payload:
    """The fields a kind carries besides its subjects: `fields` always, `optional` when they
    apply; `ticket`/`window`: whether the event is about a ticket / a window."""

    fields: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    ticket: str = NONE
    window: str = NONE

    def check(self, kind: str, given: set[str], has_ticket: bool, has_window: bool) -> None:
        missing = set(self.fields) - given
        unknown = given - set(self.fields) - set(self.optional)
        if missing or unknown:
            raise ValueError(f"event {kind}: missing {sorted(missing)}, unknown {sorted(unknown)}")
        for subject, rule, present in (("ticket", self.ticket, has_ticket),
                                       ("window", self.window, has_window)):
            if (rule == REQUIRED and not present) or (rule == NONE and present):
                raise ValueError(f"event {kind}: {subject} is {rule}")


_ACCOUNT = ("account", "name", "role", "sessions_ended")
_ALERT = ("alert", "kind", "subject")
_AT_WINDOW = Payload(ticket=REQUIRED, window=OPTIONAL)

PAYLOADS: dict[EventKind, Payload] = {
    EventKind.ISSUED: Payload(("people_ahead", "estimated_wait_minutes", "print_job"),
                              ticket=REQUIRED),
    # reason: policy.Choice.reason(): the rule, and any older eligible ticket it passed over
    EventKind.CALLED: Payload(("post", "reason", "wait_seconds"), ticket=REQUIRED,
                              window=REQUIRED),
    EventKind.RECALLED: Payload(("recall_count",), ticket=REQUIRED, window=OPTIONAL),
    EventKind.STARTED: _AT_WINDOW,
    EventKind.FINISHED: Payload(("service_seconds",), ticket=REQUIRED, window=OPTIONAL),
    EventKind.NO_SHOW: _AT_WINDOW,
    # at a window (from_window, to_category, to_window) or moved by a manager (rebalanced)
    EventKind.TRANSFERRED: Payload(("from_window", "to_category", "to_window"),
                                   ("from_category", "rebalanced"), ticket=REQUIRED,
                                   window=OPTIONAL),
    EventKind.SUSPENDED: _AT_WINDOW,
    EventKind.RESUMED: _AT_WINDOW,
    EventKind.REINSTATED: Payload((), ("reason",), ticket=REQUIRED, window=OPTIONAL),
    EventKind.CANCELLED: _AT_WINDOW,
    EventKind.EXPIRED: Payload(ticket=REQUIRED),
    EventKind.EVALUATED: Payload(("level", "reason"), ticket=REQUIRED, window=REQUIRED),
    EventKind.REPRINT_REQUESTED: Payload(("printer", "print_job"), ("reason",), ticket=REQUIRED),
    EventKind.WINDOW_OPENED: Payload(("reason",), window=REQUIRED),
    EventKind.WINDOW_PAUSED: Payload(("reason",), window=REQUIRED),
    EventKind.WINDOW_CLOSED: Payload(("reason",), window=REQUIRED),
    EventKind.POST_SIGNED_IN: Payload(("post",), window=REQUIRED),
    EventKind.POST_SIGNED_OUT: Payload(("post",), ("staff", "reason"), window=REQUIRED),
    # `change` says which: window_categories (old, new), backup_override (category, old, new),
    # daily_cap (category, old, new, issued_today), move_waiting (category, to_category,
    # requested, moved, numbers)
    EventKind.REBALANCED: Payload(("change",), ("category", "old", "new", "issued_today",
                                                "to_category", "requested", "moved", "numbers"),
                                  window=OPTIONAL),
    EventKind.PRINTER_STATUS: Payload(("printer", "status", "alert")),
    EventKind.ALERT_RAISED: Payload(_ALERT + ("level", "detail")),
    EventKind.ALERT_CLEARED: Payload(_ALERT),
    EventKind.ALERT_ACKNOWLEDGED: Payload(_ALERT),
    EventKind.DAY_STARTED: Payload(("service_date",)),
    EventKind.APPOINTMENT_BOOKED: Payload(("appointment", "category", "slot_start", "slot_end")),
    EventKind.APPOINTMENT_CANCELLED: Payload(("appointment", "category")),
    EventKind.APPOINTMENT_CHECKED_IN: Payload(("appointment", "late"), ticket=REQUIRED),
    EventKind.SIGN_IN_FAILED: Payload(("account", "address", "reason")),
    EventKind.PASSWORD_CHANGED: Payload(_ACCOUNT),
    EventKind.ACCOUNT_ACTIVATED: Payload(_ACCOUNT),
    EventKind.ACCOUNT_DEACTIVATED: Payload(_ACCOUNT),
}


# For the hall's people only (consoles, the audit trail), never for its screens and pads: who
# failed to sign in from where, account changes, appointment codes, alerts. A device receives
# such an event as a placeholder with its sequence number, so its feed has no gap to resync.
PEOPLE_ONLY = frozenset({
    EventKind.SIGN_IN_FAILED, EventKind.PASSWORD_CHANGED, EventKind.ACCOUNT_ACTIVATED,
    EventKind.ACCOUNT_DEACTIVATED, EventKind.APPOINTMENT_BOOKED, EventKind.APPOINTMENT_CANCELLED,
    EventKind.APPOINTMENT_CHECKED_IN, EventKind.ALERT_RAISED, EventKind.ALERT_CLEARED,
    EventKind.ALERT_ACKNOWLEDGED})
HIDDEN = "hidden"


def as_seen_by_devices(event: dict) -> dict:
    """An event as a screen or pad receives it (see PEOPLE_ONLY)."""
    return {"seq": event["seq"], "type": HIDDEN} if event["type"] in PEOPLE_ONLY else event


def check_event(kind: str, payload: set[str], has_ticket: bool, has_window: bool) -> EventKind:
    """The declared kind, or ValueError for an unknown kind or a payload that is not its own."""
    try:
        known = EventKind(kind)
    except ValueError:
        raise ValueError(f"unknown event kind {kind!r}") from None
    PAYLOADS[known].check(kind, payload, has_ticket, has_window)
    return known
