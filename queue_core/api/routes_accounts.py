"""Accounts: one's own password; for managers (their site's staff) and admins (everyone):
passwords, deactivation, and who is signed in. Each change ends the sessions it must and is on
the audit trail."""
from __future__ import annotations

from flask import request, session
from pydantic import BaseModel, ConfigDict, Field

from ..domain.rights import Right
from ..service import accounts
from . import api
from .auth import SESSION_KEY, hall
from .endpoint import endpoint
from .schemas import Body

class OwnPasswordBody(Body):
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256,
                              description=f"at least {accounts.MIN_PASSWORD} characters")


class PasswordBody(Body):
    new_password: str = Field(min_length=1, max_length=256,
                              description=f"at least {accounts.MIN_PASSWORD} characters")


class SiteQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")  # ?lang=en is for the error messages
    site: str | None = Field(None, min_length=1, max_length=32,
                             description="one site's accounts (a manager sees only their own)")


@endpoint(api, "/auth/password", "POST", tag="accounts", right=Right.OWN_ACCOUNT,
          body=OwnPasswordBody,
          summary="Change one's own password (with the current one); other sessions end")
def change_own_password(actor, body: OwnPasswordBody) -> dict:
    return accounts.change_own_password(hall().uow(), actor, body.current_password,
                                        body.new_password, request.remote_addr or "-",
                                        keep=_current_session())


@endpoint(api, "/accounts", tag="accounts", right=Right.ACCOUNTS, query=SiteQuery,
          summary="Accounts a manager (their site's) or an admin looks after")
def list_accounts(actor, query: SiteQuery) -> list:
    with hall().db.reader() as session:
        return accounts.list_accounts(session, actor, query.site)


@endpoint(api, "/accounts/sessions", tag="accounts", right=Right.ACCOUNTS, query=SiteQuery,
          summary="Who is signed in: open sessions with since, last seen and address")
def signed_in_sessions(actor, query: SiteQuery) -> list:
    with hall().db.reader() as session:
        return accounts.open_sessions(session, actor, hall().clock.now(),
                                      hall().settings.server.session_idle, query.site,
                                      current=_current_session())


@endpoint(api, "/accounts/<username>/password", "POST", tag="accounts", right=Right.ACCOUNTS,
          body=PasswordBody,
          summary="Set another account's password; every session of that account ends")
def set_password(actor, username: str, body: PasswordBody) -> dict:
    return accounts.set_password(hall().uow(), actor, username, body.new_password)


@endpoint(api, "/accounts/<username>/deactivate", "POST", tag="accounts", right=Right.ACCOUNTS,
          summary="Deactivate an account: its sessions end, its window post is freed, "
          "sign-in is refused")
def deactivate(actor, username: str) -> dict:
    return accounts.set_active(hall().uow(), actor, username, False)


@endpoint(api, "/accounts/<username>/reactivate", "POST", tag="accounts", right=Right.ACCOUNTS,
          summary="Reactivate an account: it may sign in again")
def reactivate(actor, username: str) -> dict:
    return accounts.set_active(hall().uow(), actor, username, True)


def _current_session() -> str | None:
    value = session.get(SESSION_KEY)
    return value if isinstance(value, str) else None
