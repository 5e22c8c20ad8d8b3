"""Windows and posts: open, pause with a reason, close; staff sign in and out as A or B post."""
from __future__ import annotations

from sqlalchemy import select

from ..adapters.orm import PostAssignment, Window
from ..domain.errors import InvalidInput, PostTaken
from ..domain.events import EventKind
from ..domain.model import Post, WindowState
from .access import require_idle, require_staff, require_window
from .day import roll_over
from .queries import window_view
from .queue_state import find_window
from .unit_of_work import Actor, UnitOfWork

STATE_EVENTS = {WindowState.OPEN: EventKind.WINDOW_OPENED,
                WindowState.PAUSED: EventKind.WINDOW_PAUSED,
                WindowState.CLOSED: EventKind.WINDOW_CLOSED}


def set_window_state(uow: UnitOfWork, site_code: str, number: int, state: str, actor: Actor,
                     reason: str | None = None) -> dict:
    """Open, pause (暂停, a reason is required) or close a window."""
    try:
        target = WindowState(state)
    except ValueError:
        raise InvalidInput(field="state", value=state) from None
    reason = (reason or "").strip() or None
    if target == WindowState.PAUSED and reason is None:
        raise InvalidInput(field="reason")
    with uow:
        site = uow.lock_site(site_code)
        roll_over(uow, site)
        window = find_window(uow.session, site, number)
        require_window(window, actor)
        if target == WindowState.CLOSED:
            require_idle(uow, window)
        window.state, window.state_since = target, uow.now
        window.pause_reason = reason if target == WindowState.PAUSED else None
        uow.record(STATE_EVENTS[target], window=window, actor=actor, reason=window.pause_reason)
        uow.commit()
        return window_view(uow.session, site, window, uow.now)


def sign_in(uow: UnitOfWork, site_code: str, number: int, post: str, actor: Actor,
            open_window: bool = False) -> dict:
    """Take the window's A or B post; a staff member signed in elsewhere moves here. With
    `open_window` (签到上岗), a window not yet open opens in the same transaction."""
    try:
        post = Post(post)
    except ValueError:
        raise InvalidInput(field="post", value=post) from None
    with uow:
        site = uow.lock_site(site_code)
        require_staff(actor, site)
        if actor.kind != "staff":
            raise InvalidInput(field="actor")
        roll_over(uow, site)
        window = find_window(uow.session, site, number)
        holder = next((p for p in window.posts if p.post == post), None)
        if holder is not None and holder.staff_id != actor.id:
            raise PostTaken(window=number, post=str(post))
        current = uow.session.scalars(select(PostAssignment).where(
            PostAssignment.staff_id == actor.id)).first()
        if current is not None:
            old_window = uow.session.get(Window, current.window_id)
            uow.session.delete(current)
            uow.session.flush()
            uow.session.expire(old_window, ["posts"])
            uow.record(EventKind.POST_SIGNED_OUT, window=old_window, actor=actor, post=current.post)
        uow.session.add(PostAssignment(window_id=window.id, staff_id=actor.id, post=post,
                                       signed_in_at=uow.now))
        uow.session.flush()
        uow.session.expire(window, ["posts"])
        uow.record(EventKind.POST_SIGNED_IN, window=window, actor=actor, post=str(post))
        if open_window and window.state != WindowState.OPEN:
            window.state, window.state_since, window.pause_reason = WindowState.OPEN, uow.now, None
            uow.record(EventKind.WINDOW_OPENED, window=window, actor=actor, reason=None)
        uow.commit()
        return window_view(uow.session, site, window, uow.now)


def sign_out(uow: UnitOfWork, site_code: str, number: int, actor: Actor) -> dict:
    with uow:
        site = uow.lock_site(site_code)
        roll_over(uow, site)
        window = find_window(uow.session, site, number)
        current = next((p for p in window.posts if p.staff_id == actor.id), None)
        if current is not None:
            uow.session.delete(current)
            uow.session.flush()
            uow.session.expire(window, ["posts"])
            uow.record(EventKind.POST_SIGNED_OUT, window=window, actor=actor, post=current.post)
            uow.commit()
        return window_view(uow.session, site, window, uow.now)
