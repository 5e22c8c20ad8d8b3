"""Staff sign-in for the consoles: CSRF token, login, logout, who am I."""
from __future__ import annotations

from flask import request, session
from flask_login import login_user, logout_user
from flask_wtf.csrf import generate_csrf

from ..domain.rights import Right
from ..service import accounts
from . import api
from .auth import hall, signed_in
from .endpoint import endpoint
from .schemas import LoginBody


@endpoint(api, "/auth/csrf", summary="CSRF token for this session (send it as X-CSRFToken)",
          tag="auth")
def csrf_token(actor) -> dict:
    return {"csrf_token": generate_csrf()}


@endpoint(api, "/auth/login", "POST", summary="Sign in with username and password", tag="auth",
          body=LoginBody)
def login(actor, body: LoginBody) -> dict:
    staff = accounts.sign_in(hall().db, body.username, body.password,
                             request.remote_addr or "-", hall().clock.now())
    user = signed_in(staff)
    session.clear()  # a new session on login: no fixation
    login_user(user)
    return {"user": _user_json(user.actor), "csrf_token": generate_csrf()}


@endpoint(api, "/auth/logout", "POST", summary="Sign out", tag="auth")
def logout(actor) -> dict:
    logout_user()
    session.clear()
    return {"ok": True}


@endpoint(api, "/auth/me", summary="The signed-in staff member", tag="auth", right=Right.OWN_ACCOUNT)
def me(actor) -> dict:
    return {"user": _user_json(actor), "csrf_token": generate_csrf()}


def _user_json(actor) -> dict:
    return {"id": actor.id, "name": actor.name, "role": actor.role, "site_id": actor.site_id}
