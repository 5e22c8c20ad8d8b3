"""At the window: call next, recall, start, finish, no-show, reinstate, transfer, suspend,
resume and cancel. Each is one transaction with one event."""
from __future__ import annotations

from sqlalchemy import select

from ..adapters.orm import Device, Ticket, Window
from ..domain.errors import (Forbidden, InvalidInput, InvalidTransition, NotForThisWindow,
                             NotFound, NothingToCall, WindowNotOpen)
from ..domain.evaluation import check_evaluation
from ..domain.events import EventKind
from ..domain.model import Action, TicketStatus, WindowState, next_status
from ..domain.policy import Rule, choose_next
from .access import AT_WINDOW, BUSY, require_idle, require_manager, require_staff, require_window
from .day import roll_over
from .opening import today
from .queue_state import (candidates_for, find_category, find_window, hall_state, todays_ticket)
from .unit_of_work import Actor, UnitOfWork
from .views import staff_ticket_view

def call_next(uow: UnitOfWork, site_code: str, window_number: int, actor: Actor) -> dict:
    """The window calls the ticket the policy picks; two windows never get the same ticket."""
    with uow:
        site = uow.lock_site(site_code)
        roll_over(uow, site)
        window, post = _ready_to_call(uow, site, window_number, actor)
        state = hall_state(uow.session, site, uow.now)
        choice = choose_next(state.view(window),
                             candidates_for(uow.session, site, window, state, uow.now),
                             state.loads, state.rules)
        if choice is None:
            raise NothingToCall(window=window.number)
        window.priority_streak = choice.priority_streak_after
        ticket = _call(uow, uow.session.get(Ticket, choice.ticket_id), window, post, actor,
                       choice.reason())
        uow.commit()
        return staff_ticket_view(ticket, window)


def call_ticket(uow: UnitOfWork, site_code: str, window_number: int, actor: Actor, *,
                reason: str, ticket_id: int | None = None, number: str | None = None) -> dict:
    """特呼: the window calls one waiting ticket out of turn (an applicant the desk sends, a
    family together), with the reason kept in the call. Only a ticket this window could call
    at all: of its A or B categories, or transferred to it; the priority streak is untouched."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(field="reason")
    if (ticket_id is None) == (number is None):
        raise InvalidInput(field="ticket_id|number")
    with uow:
        site = uow.lock_site(site_code)
        roll_over(uow, site)
        window, post = _ready_to_call(uow, site, window_number, actor)
        ticket = (todays_ticket(uow.session, site, ticket_id, uow.now) if ticket_id is not None
                  else _ticket_numbered(uow, site, number))
        if ticket.status != TicketStatus.WAITING:
            raise InvalidTransition(status=ticket.status)
        mine = window.category_ids("A") | window.category_ids("B")
        if not (ticket.target_window_id == window.id
                or (ticket.target_window_id is None and ticket.category_id in mine)):
            raise NotForThisWindow(number=ticket.number, window=window.number)
        _call(uow, ticket, window, post, actor, {
            "rule": Rule.SPECIAL.value, "category": ticket.category.code,
            "via_backup": ticket.category_id not in window.category_ids("A"),
            "backup_trigger": None, "note": reason,
            "waited_seconds": int((uow.now - ticket.queued_at).total_seconds()),
            "priority_class": str(ticket.priority_class)})
        uow.commit()
        return staff_ticket_view(ticket, window)


def _ready_to_call(uow: UnitOfWork, site, number: int, actor: Actor) -> tuple[Window, str | None]:
    """The window, open and with nobody at its counter, and the caller's post there."""
    window = find_window(uow.session, site, number)
    post = require_window(window, actor)
    if window.state != WindowState.OPEN:
        raise WindowNotOpen(window=window.number, state=window.state)
    require_idle(uow, window)
    return window, post


def _ticket_numbered(uow: UnitOfWork, site, number: str) -> Ticket:
    ticket = uow.session.scalars(select(Ticket).where(
        Ticket.site_id == site.id, Ticket.service_date == today(site, uow.now),
        Ticket.number == number.upper())).first()
    if ticket is None:
        raise NotFound(what="ticket", key=number)
    return ticket


def _call(uow: UnitOfWork, ticket: Ticket, window: Window, post: str | None, actor: Actor,
          reason: dict) -> Ticket:
    """The ticket goes to the window, with why; one `called` event."""
    ticket.status = next_status(ticket.status, Action.CALL)
    ticket.called_at, ticket.window_id, ticket.target_window_id = uow.now, window.id, None
    ticket.staff_id = actor.id if actor.kind == "staff" else None
    ticket.post, ticket.call_reason = post, reason
    uow.record(EventKind.CALLED, ticket=ticket, window=window, actor=actor, post=post,
               reason=reason, wait_seconds=int((uow.now - ticket.queued_at).total_seconds()))
    return ticket


def act_on_ticket(uow: UnitOfWork, site_code: str, ticket_id: int, action: Action,
                  actor: Actor, reason: str | None = None) -> dict:
    """Any action on a ticket called, served or suspended at a window belongs to that window's
    staff (or a manager); a waiting or no-show ticket may be cancelled or reinstated by any
    staff of the site (the applicant is at the service desk, not at a window). `reason`: why a
    no-show is reinstated (过号重排), kept with the event; no other action takes one."""
    reason = (reason or "").strip() or None
    if reason is not None and action != Action.REINSTATE:
        raise InvalidInput(field="reason")
    handlers = {Action.RECALL: _recall, Action.START: _start, Action.FINISH: _finish,
                Action.NO_SHOW: _no_show, Action.SUSPEND: _suspend, Action.RESUME: _resume,
                Action.REINSTATE: _reinstate, Action.CANCEL: _cancel}
    with uow:
        site = uow.lock_site(site_code)
        roll_over(uow, site)
        ticket = todays_ticket(uow.session, site, ticket_id, uow.now)
        window = uow.session.get(Window, ticket.window_id) if ticket.window_id else None
        if window is not None and ticket.status in AT_WINDOW:
            require_window(window, actor)
        else:
            require_staff(actor, site)
        new_status = next_status(ticket.status, action)
        extra = handlers[action](uow, ticket, window) or {}
        if reason is not None:
            extra["reason"] = reason
        ticket.status = new_status
        uow.record(_EVENT_NAMES[action], ticket=ticket, window=window, actor=actor, **extra)
        uow.commit()
        return staff_ticket_view(ticket, window)


def transfer(uow: UnitOfWork, site_code: str, ticket_id: int, actor: Actor, *,
             to_category: str | None = None, to_window: int | None = None) -> dict:
    """转办: back in a queue under the same number and original issue time, either in another
    category or reserved for one window."""
    if (to_category is None) == (to_window is None):
        raise InvalidInput(field="to_category|to_window")
    with uow:
        site = uow.lock_site(site_code)
        roll_over(uow, site)
        ticket = todays_ticket(uow.session, site, ticket_id, uow.now)
        window = uow.session.get(Window, ticket.window_id) if ticket.window_id else None
        if window is not None and ticket.status in BUSY:
            require_window(window, actor)
        else:
            require_manager(actor, site)  # moving a waiting ticket is rebalancing
        ticket.status = next_status(ticket.status, Action.TRANSFER)
        target_window = find_window(uow.session, site, to_window) if to_window is not None else None
        if to_category is not None:
            ticket.category = find_category(uow.session, site, to_category)
        from_window = window.number if window else None
        ticket.window_id, ticket.staff_id, ticket.post = None, None, None
        ticket.target_window_id = target_window.id if target_window else None
        ticket.called_at = ticket.started_at = None
        ticket.transfer_count += 1
        uow.record(EventKind.TRANSFERRED, ticket=ticket, window=window, actor=actor,
                   from_window=from_window, to_category=to_category, to_window=to_window)
        uow.commit()
        return staff_ticket_view(ticket)


def _recall(uow: UnitOfWork, ticket: Ticket, window: Window | None) -> dict:
    ticket.recall_count += 1
    return {"recall_count": ticket.recall_count}


def _start(uow: UnitOfWork, ticket: Ticket, window: Window | None) -> None:
    ticket.started_at = uow.now


def _finish(uow: UnitOfWork, ticket: Ticket, window: Window | None) -> dict:
    ticket.finished_at = uow.now
    return {"service_seconds": int((uow.now - ticket.started_at).total_seconds())}


def _no_show(uow: UnitOfWork, ticket: Ticket, window: Window | None) -> None:
    ticket.finished_at = uow.now


def _suspend(uow: UnitOfWork, ticket: Ticket, window: Window | None) -> None:
    return None


def _resume(uow: UnitOfWork, ticket: Ticket, window: Window | None) -> None:
    require_idle(uow, window, except_id=ticket.id)


def _reinstate(uow: UnitOfWork, ticket: Ticket, window: Window | None) -> None:
    # 过号重排: a reinstated ticket queues again behind those already waiting.
    ticket.queued_at, ticket.window_id, ticket.finished_at = uow.now, None, None
    ticket.called_at = ticket.staff_id = ticket.post = None


def _cancel(uow: UnitOfWork, ticket: Ticket, window: Window | None) -> None:
    ticket.finished_at = uow.now


_EVENT_NAMES = {Action.RECALL: EventKind.RECALLED, Action.START: EventKind.STARTED,
                Action.FINISH: EventKind.FINISHED, Action.NO_SHOW: EventKind.NO_SHOW,
                Action.SUSPEND: EventKind.SUSPENDED, Action.RESUME: EventKind.RESUMED,
                Action.REINSTATE: EventKind.REINSTATED, Action.CANCEL: EventKind.CANCELLED}


def evaluate(uow: UnitOfWork, site_code: str, ticket_id: int, level: int, reason: str | None,
             actor: Actor) -> dict:
    """好差评 from the evaluator pad of the window that finished the ticket, once per ticket."""
    with uow:
        site = uow.lock_site(site_code)
        ticket = todays_ticket(uow.session, site, ticket_id, uow.now)
        window = uow.session.get(Window, ticket.window_id) if ticket.window_id else None
        if window is None or not _may_evaluate(uow, actor, window):
            raise Forbidden(action="evaluate")
        if ticket.status != TicketStatus.DONE or ticket.evaluation_level is not None:
            raise InvalidTransition(status=ticket.status)
        ticket.evaluation_reason = check_evaluation(level, reason)
        ticket.evaluation_level, ticket.evaluated_at = level, uow.now
        uow.record(EventKind.EVALUATED, ticket=ticket, window=window, actor=actor, level=level,
                   reason=ticket.evaluation_reason)
        uow.commit()
        return {"ticket_id": ticket.id, "number": ticket.number, "level": level,
                "reason": ticket.evaluation_reason}


def _may_evaluate(uow: UnitOfWork, actor: Actor, window: Window) -> bool:
    """Only the pad of this window (a device whose settings name it) gives a rating."""
    if actor.kind != "device" or actor.role != "evaluator_screen" or actor.site_id != window.site_id:
        return False
    device = uow.session.get(Device, actor.id)
    return device is not None and (device.settings or {}).get("window") == window.number
