"""Who is calling: a device by its bearer token, or staff by their login session."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, request, session
from flask_login import LoginManager, UserMixin, current_user
from sqlalchemy import bindparam, select

from ..adapters.orm import Device
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


SESSION_KEY = accounts.SESSION_KEY


@login_manager.user_loader
def _load_user(user_id: str) -> SignedInStaff | None:
    """The signed-in staff member, while their server-side session is open (not signed out,
    not ended by a password change or deactivation, not idle too long)."""
    session_id = session.get(SESSION_KEY)
    if not user_id.isdigit() or not isinstance(session_id, str):
        return None
    # Every staff request passes here: one indexed row on a pooled connection, no ORM session.
    staff = accounts.session_user(hall().db, session_id, hall().clock.now(),
                                  hall().settings.server.session_idle)
    return signed_in(staff) if staff is not None and staff.id == int(user_id) else None


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
        actor, g.device_settings = _device_actor(token)
    elif current_user.is_authenticated:
        actor = current_user.actor
    if actor is not None and actor.kind == "device":
        presence().seen([actor.id])  # throttled: at most one write per device per 30 s
    g.actor = actor
    return actor


# Built once: every kiosk request asks, and building a statement costs more than running it.
# The settings come with it (a kiosk's printer): the same fresh read, no second statement.
_DEVICE_BY_TOKEN = select(Device.id, Device.kind, Device.site_id, Device.code,
                          Device.settings).where(
    Device.token_hash == bindparam("token_hash"), Device.enabled.is_(True))


def _device_actor(token: str) -> tuple[Actor, dict]:
    """The kiosk or screen holding `token` and its settings as apply-config stored them (as
    accounts.device_for_token and device_actor, read as plain columns: every kiosk request
    passes here; read each time, so a disabled device stops at once)."""
    with hall().db.reader_engine.connect() as connection:
        device = connection.execute(_DEVICE_BY_TOKEN,
                                    {"token_hash": token_hash(token)}).first()
    if device is None:
        raise Unauthorized(reason="bad_device_token")
    return accounts.device_actor(device), device.settings or {}


def device_settings() -> dict:
    """The calling device's stored settings, read with its token in this request ({} for staff)."""
    _identify()
    return g.get("device_settings") or {}


def hall():
    return current_app.extensions["queuehall"]


def presence():
    from ..supervision import presence as of_app  # the Flask-level tracker of this process
    return of_app()
