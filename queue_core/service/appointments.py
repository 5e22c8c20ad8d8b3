"""Appointments (预约): managers book a slot in a category; the applicant checks in at a kiosk
with the code and gets a ticket through the same numbering as a walk-in (an appointment ticket,
served first, when on time; a normal one when late)."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..adapters.orm import Appointment, Site, Ticket
from ..domain.calendar import local_time, service_date
from ..domain.errors import (AppointmentCancelled, AppointmentExpired, AppointmentSlotTooLong,
                             AppointmentTooEarly, AppointmentUsed, Forbidden, InvalidInput,
                             InvalidTransition, NotFound)
from ..domain.events import EventKind
from ..domain.model import OPEN_STATUSES, PriorityClass
from . import print_jobs
from .access import require_manager, require_site
from .day import roll_over
from .issuing import new_ticket, view_of
from .opening import days_span, today
from .queue_state import find_category, window_loads
from .unit_of_work import Actor, UnitOfWork

CODE_DIGITS = 8  # typed on the kiosk's keypad; 10^8 codes, and check-in is rate limited
MAX_SLOT = timedelta(days=1)


@dataclass(frozen=True)
class CheckInRules:
    """When a check-in counts as on time ([sites.appointments], stored by apply-config)."""

    early: timedelta = timedelta(minutes=30)
    late: timedelta = timedelta(minutes=15)


def check_in_rules(site: Site) -> CheckInRules:
    """The site's check-in window as apply-config stored it (the defaults before it did)."""
    stored, default = (site.calling or {}).get("appointments", {}), CheckInRules()
    return CheckInRules(
        early=timedelta(minutes=stored.get("early_minutes", default.early.total_seconds() / 60)),
        late=timedelta(minutes=stored.get("late_minutes", default.late.total_seconds() / 60)))


def arrival(now: datetime, slot_start: datetime, slot_end: datetime, rules: CheckInRules,
            timezone: str) -> str:
    """too_early | on_time | late | expired: late is still served that day, in the normal queue."""
    if now < slot_start - rules.early:
        return "too_early"
    if now <= slot_end + rules.late:
        return "on_time"
    if service_date(now, timezone) == service_date(slot_start, timezone):
        return "late"
    return "expired"


def book(uow: UnitOfWork, site_code: str, category_code: str, slot_start: datetime,
         slot_end: datetime, actor: Actor) -> dict:
    """Book a slot; the answer carries the code the applicant types at the kiosk."""
    if slot_start.tzinfo is None or slot_end.tzinfo is None:
        raise InvalidInput(field="slot_start")  # a time without its zone is ambiguous
    if slot_end <= slot_start:
        raise InvalidInput(field="slot_end")
    if slot_end - slot_start > MAX_SLOT:
        raise AppointmentSlotTooLong(slot_start=slot_start.isoformat(timespec="minutes"),
                                     slot_end=slot_end.isoformat(timespec="minutes"))
    with uow:
        site = uow.lock_site(site_code)
        require_manager(actor, site)
        if slot_end <= uow.now:
            raise InvalidInput(field="slot_end")  # a slot that is already over
        category = find_category(uow.session, site, category_code)
        appointment = Appointment(site_id=site.id, category=category, category_id=category.id,
                                  code=_new_code(uow, site), slot_start=slot_start,
                                  slot_end=slot_end, status="booked", created_at=uow.now)
        uow.session.add(appointment)
        uow.session.flush()
        # No code in the event: events reach the hall screens.
        uow.record(EventKind.APPOINTMENT_BOOKED, actor=actor, appointment=appointment.id,
                   category=category.code, slot_start=slot_start.isoformat(),
                   slot_end=slot_end.isoformat())
        uow.commit()
        return appointment_view(appointment, site)


def cancel(uow: UnitOfWork, site_code: str, code: str, actor: Actor) -> dict:
    """Cancel a booked appointment (again: no change); a checked-in one has a ticket to cancel."""
    with uow:
        site = uow.lock_site(site_code)
        require_manager(actor, site)
        appointment = _find(uow, site, code)
        if appointment.status == "checked_in":
            raise InvalidTransition(status="checked_in")
        if appointment.status == "booked":
            appointment.status = "cancelled"
            uow.record(EventKind.APPOINTMENT_CANCELLED, actor=actor, appointment=appointment.id,
                       category=appointment.category.code)
            uow.commit()
        return appointment_view(appointment, site)


def check_in(uow: UnitOfWork, site_code: str, code: str, actor: Actor,
             rules: CheckInRules | None = None, printer: str | None = None) -> dict:
    """Turn a code into a ticket once; a repeat (a second tap, a lost answer) gets that ticket."""
    if actor.kind == "device" and actor.role != "kiosk":
        raise Forbidden(action="check_in")
    with uow:
        site = uow.lock_site(site_code)
        require_site(actor, site.id)
        rules = rules or check_in_rules(site)
        appointment = _find(uow, site, code)
        if appointment.status == "cancelled":
            raise AppointmentCancelled()
        if appointment.status == "checked_in":
            return _repeat(uow, site, appointment)
        when = arrival(uow.now, appointment.slot_start, appointment.slot_end, rules,
                       site.timezone)
        if when == "too_early":
            raise AppointmentTooEarly(slot=_slot_text(appointment, site, uow.now),
                                      earliest=_time_text(appointment.slot_start - rules.early,
                                                          site, uow.now))
        if when == "expired":
            raise AppointmentExpired(slot=_slot_text(appointment, site, uow.now))
        roll_over(uow, site)
        late = when == "late"
        cls = PriorityClass.NORMAL if late else PriorityClass.APPOINTMENT
        windows = window_loads(uow.session, site, appointment.category_id)
        ticket, queue = new_ticket(uow, site, appointment.category, cls, windows,
                                   device_id=actor.id if actor.kind == "device" else None)
        appointment.status, appointment.checked_in_at = "checked_in", uow.now
        appointment.ticket_id = ticket.id
        view = view_of(uow, site, ticket, windows, queue)
        job = print_jobs.add_job(uow, ticket, printer) if printer else None
        uow.record(EventKind.ISSUED, ticket=ticket, actor=actor, people_ahead=view["people_ahead"],
                   estimated_wait_minutes=view["estimated_wait_minutes"],
                   print_job=job)
        uow.record(EventKind.APPOINTMENT_CHECKED_IN, ticket=ticket, actor=actor,
                   appointment=appointment.id, late=late)
        uow.commit()
        return view | {"repeated": False, "late": late, "print_job": job,
                       "appointment": appointment_view(appointment, site)}


def list_for_day(session: Session, site: Site, day: date) -> list[dict]:
    """A day's appointments, by slot, with their ticket once checked in (a read: no lock)."""
    start, end = days_span(site, day)
    rows = session.scalars(select(Appointment).where(
        Appointment.site_id == site.id, Appointment.slot_start >= start,
        Appointment.slot_start < end)
        .order_by(Appointment.slot_start, Appointment.id))
    return [appointment_view(a, site, session.get(Ticket, a.ticket_id) if a.ticket_id else None)
            for a in rows]


def appointment_view(appointment: Appointment, site: Site, ticket: Ticket | None = None) -> dict:
    return {"id": appointment.id, "code": appointment.code,
            "category": appointment.category.code,
            "category_name_zh": appointment.category.name_zh,
            "category_name_en": appointment.category.name_en,
            "slot_start": local_time(appointment.slot_start, site.timezone).isoformat(),
            "slot_end": local_time(appointment.slot_end, site.timezone).isoformat(),
            "status": appointment.status,
            "checked_in_at": appointment.checked_in_at.isoformat()
            if appointment.checked_in_at else None,
            "ticket_id": appointment.ticket_id,
            "ticket_number": ticket.number if ticket else None}


def _repeat(uow: UnitOfWork, site: Site, appointment: Appointment) -> dict:
    ticket = uow.session.get(Ticket, appointment.ticket_id)
    if ticket.status not in [str(s) for s in OPEN_STATUSES] or \
            ticket.service_date != today(site, uow.now):
        raise AppointmentUsed(number=ticket.number)
    late = ticket.priority_class != PriorityClass.APPOINTMENT
    job = print_jobs.own_job(uow.session, ticket.id)
    return view_of(uow, site, ticket) | {"repeated": True, "late": late,
                                         "print_job": job.id if job else None,
                                         "appointment": appointment_view(appointment, site)}


def _find(uow: UnitOfWork, site: Site, code: str) -> Appointment:
    code = code.strip()
    appointment = uow.session.scalars(select(Appointment).where(
        Appointment.site_id == site.id, Appointment.code == code)).first() \
        if code.isdigit() else None
    if appointment is None:
        raise NotFound(what="appointment", key=code[:16])
    return appointment


def _new_code(uow: UnitOfWork, site: Site) -> str:
    while True:  # a clash is one in millions; the unique constraint is the last word
        code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
        if uow.session.scalars(select(Appointment.id).where(
                Appointment.site_id == site.id, Appointment.code == code)).first() is None:
            return code


def _time_text(moment: datetime, site: Site, now: datetime) -> str:
    """'09:30', or '2026-11-24 09:30' when it is not today."""
    local = local_time(moment, site.timezone)
    if local.date() == today(site, now):
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def _slot_text(appointment: Appointment, site: Site, now: datetime) -> str:
    end = local_time(appointment.slot_end, site.timezone).strftime("%H:%M")
    return f"{_time_text(appointment.slot_start, site, now)}–{end}"
