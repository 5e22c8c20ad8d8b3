"""Appointments (预约): managers book and cancel; a kiosk (or staff) checks a code in."""
from __future__ import annotations

from ..domain.rights import Right
from ..service import appointments, devices
from ..service.access import require_manager
from ..service.queue_state import today
from . import api
from .auth import device_settings, hall
from .routes_tickets import with_print_state
from .endpoint import endpoint
from .rate_limit import issue_limit
from .routes_hall import reading
from .schemas import AppointmentBody, AppointmentsQuery, CheckInBody

A = "/sites/<site>/appointments"


@endpoint(api, A, "POST", summary="Book an appointment slot; the answer has the check-in code",
          tag="appointments", right=Right.MANAGE, body=AppointmentBody, status=201)
def book_appointment(actor, site: str, body: AppointmentBody) -> dict:
    return appointments.book(hall().uow(), site, body.category, body.slot_start, body.slot_end,
                             actor)


@endpoint(api, A, summary="A day's appointments (today by default), by slot",
          tag="appointments", right=Right.MANAGE, query=AppointmentsQuery)
def list_appointments(actor, site: str, query: AppointmentsQuery) -> list:
    def listed(session, site_row, now):
        require_manager(actor, site_row)
        return appointments.list_for_day(session, site_row,
                                         query.date or today(site_row, now))
    return reading(listed, site, hall().clock.now())


@endpoint(api, f"{A}/<code>/cancel", "POST", summary="Cancel a booked appointment",
          tag="appointments", right=Right.MANAGE)
def cancel_appointment(actor, site: str, code: str) -> dict:
    return appointments.cancel(hall().uow(), site, code, actor)


@endpoint(api, f"{A}/check-in", "POST", tag="appointments", right=Right.CHECK_IN,
          body=CheckInBody, decorators=(issue_limit,),
          summary="Check in with an appointment code (kiosk): the ticket as issuing returns it, "
                  "with the appointment and whether it was late (then: normal queue)")
def check_in_appointment(actor, site: str, body: CheckInBody) -> dict:
    # The kiosk's printer from its settings, read with its token for this request (as issuing).
    printer = devices.printer_in(device_settings()) if actor.kind == "device" else None
    # A repeat is the same ticket and the same print job: never a second paper ticket.
    ticket = appointments.check_in(hall().uow(), site, body.code, actor, printer=printer)
    return with_print_state(site, ticket, printer)
