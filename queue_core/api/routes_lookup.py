"""查询码 at the service desk: did a kiosk tap that never got its answer issue a ticket?"""
from __future__ import annotations

from ..domain.rights import Right
from ..service import queries
from . import api
from .auth import hall
from .endpoint import endpoint
from .routes_hall import reading


@endpoint(api, "/sites/<site>/tickets/by-code/<code>", tag="tickets", right=Right.READ_QUEUE,
          summary="Find today's ticket by the 查询码 a kiosk showed when it gave up waiting "
          "(\"K1-7QX4P2\") or by an appointment code: the ticket with its status, kiosk and print "
          "job; 404 no_ticket_for_code when nothing was issued")
def ticket_by_code(actor, site: str, code: str) -> dict:
    found = reading(queries.ticket_by_lookup_code, site, code, hall().clock.now())
    job = found.pop("print_job")
    return found | {"print": hall().printing.job_state(site, job) if job else None}
