"""A window: its state, call next, open/pause/close, and staff posts."""
from __future__ import annotations

from ..domain.rights import Right
from ..service import calling, queries, windows
from ..service.queue_state import find_window
from . import api
from .auth import hall
from .endpoint import endpoint
from .routes_hall import reading
from .schemas import EvaluationBody, PauseBody, SignInBody, SpecialCallBody

W = "/sites/<site>/windows/<id:number>"


@endpoint(api, W, summary="One window: state, posts, current and suspended tickets",
          tag="windows", right=Right.WATCH_HALL)
def window(actor, site: str, number: int) -> dict:
    def view(session, site_row):
        return queries.window_view(session, site_row, find_window(session, site_row, number),
                                   hall().clock.now())
    return reading(view, site)


@endpoint(api, f"{W}/call-next", "POST", tag="windows", right=Right.SERVE,
          summary="Call the next ticket as the calling policy decides, with the reason")
def call_next(actor, site: str, number: int) -> dict:
    return calling.call_next(hall().uow(), site, number, actor)


@endpoint(api, f"{W}/call", "POST", tag="windows", right=Right.SERVE, body=SpecialCallBody,
          summary="特呼: call one waiting ticket of this window out of turn, with the reason")
def call_ticket(actor, site: str, number: int, body: SpecialCallBody) -> dict:
    return calling.call_ticket(hall().uow(), site, number, actor, reason=body.reason,
                               ticket_id=body.ticket_id, number=body.number)


@endpoint(api, f"{W}/open", "POST", summary="Open the window", tag="windows", right=Right.SERVE)
def open_window(actor, site: str, number: int) -> dict:
    return windows.set_window_state(hall().uow(), site, number, "open", actor)


@endpoint(api, f"{W}/pause", "POST", summary="Pause (暂停) the window with a reason",
          tag="windows", right=Right.SERVE, body=PauseBody)
def pause_window(actor, site: str, number: int, body: PauseBody) -> dict:
    return windows.set_window_state(hall().uow(), site, number, "paused", actor, body.reason)


@endpoint(api, f"{W}/close", "POST", summary="Close the window", tag="windows", right=Right.SERVE)
def close_window(actor, site: str, number: int) -> dict:
    return windows.set_window_state(hall().uow(), site, number, "closed", actor)


@endpoint(api, f"{W}/sign-in", "POST", summary="Sign in at the window as its A or B post",
          tag="windows", right=Right.SERVE, body=SignInBody)
def sign_in(actor, site: str, number: int, body: SignInBody) -> dict:
    return windows.sign_in(hall().uow(), site, number, body.post, actor, open_window=body.open)


@endpoint(api, f"{W}/sign-out", "POST", summary="Sign out of the window", tag="windows",
          right=Right.SERVE)
def sign_out(actor, site: str, number: int) -> dict:
    return windows.sign_out(hall().uow(), site, number, actor)


@endpoint(api, f"{W}/stats/today", summary="Today's calls, finished, no-shows and transfers at "
          "one window", tag="windows", right=Right.READ_QUEUE)
def window_stats_today(actor, site: str, number: int) -> dict:
    def stats(session, site_row):
        return queries.window_stats_today(session, site_row,
                                          find_window(session, site_row, number),
                                          hall().clock.now())
    return reading(stats, site)


@endpoint(api, "/sites/<site>/tickets/<id:ticket_id>/evaluation", "POST", tag="tickets",
          right=Right.RATE, body=EvaluationBody,
          summary="好差评 from the evaluator pad of the window that finished the ticket")
def evaluate(actor, site: str, ticket_id: int, body: EvaluationBody) -> dict:
    return calling.evaluate(hall().uow(), site, ticket_id, body.level, body.reason, actor)
