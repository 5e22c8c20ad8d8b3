"""Tickets: issue, public status by token, the waiting list, and lifecycle actions."""
from __future__ import annotations

from flask import Response, jsonify, request

from ..domain.errors import InvalidInput
from ..domain.model import Action
from ..domain.rights import Right
from ..service import calling, devices, issuing, print_jobs, queries
from . import api
from .auth import device_settings, hall
from .endpoint import endpoint
from .rate_limit import issue_limit
from .routes_hall import reading
from .schemas import (IssueBody, PrinterStatusBody, ReinstateBody, ReprintBody, TicketsQuery,
                      TransferBody)


@endpoint(api, "/sites/<site>/tickets", "POST", summary="Issue a ticket (kiosk or staff)",
          tag="tickets", right=Right.ISSUE, body=IssueBody, status=201,
          decorators=(issue_limit,))
def issue(actor, site: str, body: IssueBody) -> dict:
    """Committed with its print job, then printed: a printer fault or a crash never loses or
    duplicates a ticket, and a repeated request id is the same ticket and the same job."""
    # The kiosk's printer from its settings, read with its token for this request: fresh.
    printer = devices.printer_in(device_settings()) if actor.kind == "device" else None
    ticket = issuing.issue_ticket(hall().uow(), site, body.category, actor,
                                  priority_class=body.priority_class, request_id=body.request_id,
                                  printer=printer)
    return with_print_state(site, ticket, printer)


def with_print_state(site: str, ticket: dict, printer: str | None = None) -> dict:
    """The ticket with its print job's state; `printer`: where a job added by this request
    prints (a repeated request's job is read back: it may be older, on another printer)."""
    job = ticket.pop("print_job", None)
    added = (print_jobs.added_view(job, ticket["id"], printer)
             if job and printer and not ticket["repeated"] else None)
    ticket["print"] = hall().printing.job_state(site, job, added) if job else None
    return ticket


@endpoint(api, "/sites/<site>/tickets/<id:ticket_id>/reprint", "POST", tag="tickets",
          right=Right.REPRINT, body=ReprintBody,
          summary="Reprint a ticket, marked 补打/REPRINT (explicit action only)")
def reprint(actor, site: str, ticket_id: int, body: ReprintBody) -> dict:
    printer = body.printer or (devices.printer_in(device_settings())
                               if actor.kind == "device" else None)
    if printer is None or printer not in {p.code for p in hall().settings.site(site).printers}:
        raise InvalidInput(field="printer")
    job = print_jobs.reprint(hall().uow(), site, ticket_id, printer, actor, body.reason)
    return hall().printing.job_state(site, job)


@endpoint(api, "/sites/<site>/print-jobs/<id:job_id>", tag="tickets", right=Right.PRINTING,
          summary="A print job's outcome: queued, printing, printed, failed or expired")
def print_job(actor, site: str, job_id: int) -> dict:
    return hall().printing.job_state(site, job_id)


@endpoint(api, "/sites/<site>/printers", summary="Printers and their last known status",
          tag="hall", right=Right.PRINTING)
def printers(actor, site: str) -> list:
    return hall().printing.statuses(site)


@endpoint(api, "/sites/<site>/printers/<code>/status", "POST", tag="hall", right=Right.REPORT_PRINTER,
          body=PrinterStatusBody, summary="A kiosk agent reports its own printer's status "
          "(the printer is named after the kiosk); paper out or offline alerts managers")
def report_printer_status(actor, site: str, code: str, body: PrinterStatusBody) -> dict:
    if code != actor.name:
        raise InvalidInput(field="code")
    devices.record_printer_status(hall().uow(), site, code, body.status.value)
    return {"code": code, "status": body.status.value}


@endpoint(api, "/tickets/<token>", summary="A ticket's public status (the QR code link); "
          "answers 304 to If-None-Match while nothing changed", tag="tickets")
def ticket_status(actor, token: str) -> Response:
    with hall().db.reader() as session:
        version = queries.ticket_status_version(session, token)
        if version is not None and version in request.if_none_match:
            answer = Response(status=304)
        else:
            answer = jsonify(queries.ticket_status(session, token, hall().clock.now()))
    if version is not None:
        answer.set_etag(version)
        answer.headers["Cache-Control"] = "no-cache"  # always revalidate: the 304 is cheap
    return answer


@endpoint(api, "/sites/<site>/tickets", tag="tickets", summary="The first `limit` waiting "
          "tickets, oldest first, and `total` waiting; with window=, in the order that window's "
          "calls take them", right=Right.READ_QUEUE, query=TicketsQuery)
def waiting_tickets(actor, site: str, query: TicketsQuery) -> dict:
    return reading(queries.waiting_tickets, site, hall().clock.now(), query.category,
                   query.window, query.limit)


@endpoint(api, "/sites/<site>/tickets/<id:ticket_id>/transfer", "POST", tag="tickets",
          right=Right.SERVE, body=TransferBody,
          summary="Transfer (转办) to another category or window, keeping the issue time")
def transfer(actor, site: str, ticket_id: int, body: TransferBody) -> dict:
    return calling.transfer(hall().uow(), site, ticket_id, actor,
                            to_category=body.to_category, to_window=body.to_window)


def _ticket_action(action: Action, slug: str, summary: str) -> None:
    def act(actor, site: str, ticket_id: int) -> dict:
        return calling.act_on_ticket(hall().uow(), site, ticket_id, action, actor)

    act.__name__ = f"ticket_{action.value}"
    endpoint(api, f"/sites/<site>/tickets/<id:ticket_id>/{slug}", "POST", summary=summary,
             tag="tickets", right=Right.SERVE)(act)


for _action, _slug, _summary in [
    (Action.RECALL, "recall", "Recall (重呼) the called ticket"),
    (Action.START, "start", "Start serving the called ticket"),
    (Action.FINISH, "finish", "Finish serving"),
    (Action.NO_SHOW, "no-show", "Mark no-show (过号)"),
    (Action.SUSPEND, "suspend", "Suspend (挂起) service"),
    (Action.RESUME, "resume", "Resume a suspended ticket"),
    (Action.CANCEL, "cancel", "Cancel a ticket"),
]:
    _ticket_action(_action, _slug, _summary)


@endpoint(api, "/sites/<site>/tickets/<id:ticket_id>/reinstate", "POST", tag="tickets",
          right=Right.SERVE, body=ReinstateBody,
          summary="过号重排: put a no-show ticket back in the queue, with the reason")
def ticket_reinstate(actor, site: str, ticket_id: int, body: ReinstateBody) -> dict:
    return calling.act_on_ticket(hall().uow(), site, ticket_id, Action.REINSTATE, actor,
                                 body.reason)
