"""Staff sign-in for the consoles: CSRF token, login, logout (ending the server-side session),
who am I."""
from __future__ import annotations

from flask import request, session
from flask_login import login_user, logout_user
from flask_wtf.csrf import generate_csrf

from ..domain.rights import Right
from ..service import accounts
from . import api
from .auth import SESSION_KEY, hall, signed_in
from .endpoint import endpoint
from .schemas import LoginBody


@endpoint(api, "/auth/csrf", summary="CSRF token for this session (send it as X-CSRFToken)",
          tag="auth")
def csrf_token(actor) -> dict:
    return {"csrf_token": generate_csrf()}


@endpoint(api, "/auth/login", "POST", summary="Sign in with username and password", tag="auth",
          body=LoginBody)
def login(actor, body: LoginBody) -> dict:
    signed = accounts.sign_in(hall().uow(), body.username, body.password,
                              request.remote_addr or "-", request.user_agent.string,
                              replaces=_session_id())
    user = signed_in(signed.staff)
    session.clear()  # a new session on login: no fixation
    session[SESSION_KEY] = signed.session_id
    login_user(user)
    return {"user": _user_json(user.actor), "csrf_token": generate_csrf()}


@endpoint(api, "/auth/logout", "POST", summary="Sign out (this session ends on the server too)",
          tag="auth")
def logout(actor) -> dict:
    session_id = _session_id()
    if session_id:
        accounts.end_session(hall().uow(), session_id)
    logout_user()
    session.clear()
    return {"ok": True}


def _session_id() -> str | None:
    value = session.get(SESSION_KEY)
    return value if isinstance(value, str) else None


@endpoint(api, "/auth/me", summary="The signed-in staff member", tag="auth", right=Right.OWN_ACCOUNT)
def me(actor) -> dict:
    return {"user": _user_json(actor), "csrf_token": generate_csrf()}


def _user_json(actor) -> dict:
    return {"id": actor.id, "name": actor.name, "role": actor.role, "site_id": actor.site_id}
