"""Short forms of the use cases for service tests."""
from queue_core.domain.model import Action
from queue_core.service import calling, issuing, windows


def issue(hall, actor, category="social", **kw):
    return issuing.issue_ticket(hall.uow(), "test", category, actor, **kw)


def staff_window(hall, number, actor, post="A"):
    windows.sign_in(hall.uow(), "test", number, post, actor)
    return windows.set_window_state(hall.uow(), "test", number, "open", actor)


def call(hall, number, actor):
    return calling.call_next(hall.uow(), "test", number, actor)


def act(hall, ticket_id, action: Action, actor):
    return calling.act_on_ticket(hall.uow(), "test", ticket_id, action, actor)
