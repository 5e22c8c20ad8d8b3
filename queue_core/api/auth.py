"""Who is calling: a device by its bearer token, or staff by their login session."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, request
from flask_login import LoginManager, UserMixin, current_user

from ..adapters.orm import Staff
from ..domain.errors import Forbidden, Unauthorized
from ..service import accounts
from ..service.unit_of_work import Actor

login_manager = LoginManager()


@dataclass
class SignedInStaff(UserMixin):
    """The session's view of a staff account."""

    staff_id: int
    username: str
    role: str
    actor: Actor

    def get_id(self) -> str:
        return str(self.staff_id)


@login_manager.user_loader
def _load_user(user_id: str) -> SignedInStaff | None:
    if not user_id.isdigit():
        return None
    with hall().db.reader() as session:
        staff = session.get(Staff, int(user_id))
        return signed_in(staff) if staff is not None and staff.active else None


def signed_in(staff: Staff) -> SignedInStaff:
    return SignedInStaff(staff.id, staff.username, staff.role, accounts.staff_actor(staff))


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() or None if header.startswith("Bearer ") else None


def current_actor(required: str) -> Actor | None:
    """The caller as an Actor; raises when `required` (public, device, staff, manager,
    staff_or_device) is not met."""
    actor = _identify()
    if required == "public":
        return actor
    if actor is None:
        raise Unauthorized()
    allowed = {"device": {"device"}, "staff": {"staff"}, "manager": {"staff"},
               "staff_or_device": {"staff", "device"}}[required]
    if actor.kind not in allowed or (required == "manager" and not actor.is_manager):
        raise Forbidden(action=required)
    return actor


def _identify() -> Actor | None:
    if "actor" in g:
        return g.actor
    token = bearer_token()
    actor = None
    if token:
        with hall().db.reader() as session:
            actor = accounts.device_actor(accounts.device_for_token(session, token))
    elif current_user.is_authenticated:
        actor = current_user.actor
    if actor is not None and actor.kind == "device":
        presence().seen([actor.id])  # throttled: at most one write per device per 30 s
    g.actor = actor
    return actor


def hall():
    return current_app.extensions["queuehall"]


def presence():
    from ..supervision import presence as of_app  # the Flask-level tracker of this process
    return of_app()
