"""Domain errors: each has a stable code the API maps to an HTTP status and a translated message."""
from __future__ import annotations


class DomainError(Exception):
    """A rule refused an action. `code` is stable; `params` fill the translated message."""

    code = "domain_error"
    http_status = 409

    def __init__(self, **params: object) -> None:
        super().__init__(f"{self.code} {params}" if params else self.code)
        self.params = params


class NotFound(DomainError):
    code = "not_found"
    http_status = 404


class InvalidInput(DomainError):
    code = "invalid_input"
    http_status = 400


class InvalidLookupCode(InvalidInput):
    """查询码: not a kiosk's code ("K1-7QX4P2") nor an 8-digit appointment code."""

    code = "invalid_lookup_code"


class NoTicketForCode(NotFound):
    """No ticket was issued today for a kiosk's 查询码 or an appointment code."""

    code = "no_ticket_for_code"


class InvalidDateRange(InvalidInput):
    """A report's first day is after its last, or the range is longer than allowed."""

    code = "invalid_date_range"


class DailyCapReached(DomainError):
    code = "daily_cap_reached"


class OutsideOpeningHours(DomainError):
    code = "outside_opening_hours"


class ClosedForHoliday(DomainError):
    """The day is on the hall's holiday list: closed all day, whatever the hours say."""

    code = "closed_for_holiday"


class CategoryClosed(DomainError):
    code = "category_closed"


class InvalidTransition(DomainError):
    """The ticket is not in a state that allows this action."""

    code = "invalid_transition"


class WindowNotOpen(DomainError):
    code = "window_not_open"


class WindowBusy(DomainError):
    """The window still has a called or serving ticket."""

    code = "window_busy"


class NothingToCall(DomainError):
    code = "nothing_to_call"


class NotForThisWindow(DomainError):
    """特呼 of a ticket the window may not call (not its categories, or reserved elsewhere)."""

    code = "not_for_this_window"


class PostTaken(DomainError):
    code = "post_taken"


class NotSignedIn(DomainError):
    code = "not_signed_in"
    http_status = 403


class Forbidden(DomainError):
    code = "forbidden"
    http_status = 403


class Unauthorized(DomainError):
    code = "unauthorized"
    http_status = 401


class SignInThrottled(DomainError):
    """Too many wrong passwords for this account or from this address: wait `seconds`."""

    code = "sign_in_throttled"
    http_status = 429


class CategoryPaused(DomainError):
    """Every window serving the category is paused (暂停) and none is open."""

    code = "category_paused"


class AppointmentTooEarly(DomainError):
    """预约: check-in opens a set time before the slot; the params say when."""

    code = "appointment_too_early"


class AppointmentCancelled(DomainError):
    code = "appointment_cancelled"


class AppointmentUsed(DomainError):
    """The code was checked in and its ticket is already finished (a code serves once)."""

    code = "appointment_used"


class AppointmentExpired(DomainError):
    """The slot's day is over: a late arrival is only taken on the day of the slot."""

    code = "appointment_expired"


class AppointmentSlotTooLong(InvalidInput):
    """A slot is a time of day to come, not a span of days (check-in is only on the slot's day)."""

    code = "appointment_slot_too_long"


class CapBelowIssued(DomainError):
    """限号: a daily cap cannot go below the tickets already issued today (set it equal to stop
    issuing now)."""

    code = "cap_below_issued"


class CategoryInBothPosts(DomainError):
    """A window serves a category either as its A or as its B work, not both."""

    code = "category_in_both_posts"
    http_status = 400
