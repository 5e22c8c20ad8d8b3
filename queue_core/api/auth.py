"""Who is calling: a device by its bearer token, or staff by their login session."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, request
from flask_login import LoginManager, UserMixin, current_user
from sqlalchemy import bindparam, select

from ..adapters.orm import Device, Staff
from ..adapters.tokens import token_hash
from ..domain.errors import Forbidden, Unauthorized
from ..domain.rights import Right, may
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


_ACTIVE_STAFF = select(Staff.id, Staff.username, Staff.display_name, Staff.role,
                       Staff.site_id).where(Staff.id == bindparam("staff_id"),
                                            Staff.active.is_(True))


@login_manager.user_loader
def _load_user(user_id: str) -> SignedInStaff | None:
    if not user_id.isdigit():
        return None
    # Every staff request passes here: plain columns on a pooled connection, no ORM session.
    with hall().db.reader_engine.connect() as connection:
        staff = connection.execute(_ACTIVE_STAFF, {"staff_id": int(user_id)}).first()
    return signed_in(staff) if staff is not None else None


def signed_in(staff) -> SignedInStaff:
    """`staff`: a Staff, or a row with its id, username, display_name, role and site_id."""
    return SignedInStaff(staff.id, staff.username, staff.role, accounts.staff_actor(staff))


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() or None if header.startswith("Bearer ") else None


def current_actor(right: Right) -> Actor | None:
    """The caller as an Actor, if the rights table gives its kind `right` (401 for nobody)."""
    actor = _identify()
    if right == Right.PUBLIC:
        return actor
    if actor is None:
        raise Unauthorized()
    if not may(actor.rights_kind, right):
        raise Forbidden(action=right.value)
    return actor


def _identify() -> Actor | None:
    if "actor" in g:
        return g.actor
    token = bearer_token()
    actor = None
    if token:
        actor = _device_actor(token)
    elif current_user.is_authenticated:
        actor = current_user.actor
    if actor is not None and actor.kind == "device":
        presence().seen([actor.id])  # throttled: at most one write per device per 30 s
    g.actor = actor
    return actor


# Built once: every kiosk request asks, and building a statement costs more than running it.
_DEVICE_BY_TOKEN = select(Device.id, Device.kind, Device.site_id, Device.code).where(
    Device.token_hash == bindparam("token_hash"), Device.enabled.is_(True))


def _device_actor(token: str) -> Actor:
    """The kiosk or screen holding `token` (as accounts.device_for_token and device_actor, read
    as plain columns: every kiosk request passes here)."""
    with hall().db.reader_engine.connect() as connection:
        device = connection.execute(_DEVICE_BY_TOKEN,
                                    {"token_hash": token_hash(token)}).first()
    if device is None:
        raise Unauthorized(reason="bad_device_token")
    return accounts.device_actor(device)


def hall():
    return current_app.extensions["queuehall"]


def presence():
    from ..supervision import presence as of_app  # the Flask-level tracker of this process
    return of_app()
