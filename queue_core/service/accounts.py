"""Staff accounts and device tokens: hashed passwords, roles, tokens shown once."""
from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..adapters.db import Database
from ..adapters.orm import Device, SignInAttempt, Site, Staff
from ..adapters.tokens import new_device_token, token_hash
from ..domain import sign_in as sign_in_rules
from ..domain.errors import InvalidInput, NotFound, SignInThrottled, Unauthorized
from ..domain.model import Role
from .unit_of_work import Actor

MIN_PASSWORD = 8
# Checked when the username is unknown, so a wrong name costs as much time as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def create_user(session: Session, username: str, password: str, role: str, display_name: str,
                site_code: str | None = None) -> Staff:
    if role not in {r.value for r in Role}:
        raise InvalidInput(field="role", value=role)
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(field="password", min=MIN_PASSWORD)
    site_id = None
    if site_code:
        site = session.scalars(select(Site).where(Site.code == site_code)).first()
        if site is None:
            raise NotFound(what="site", key=site_code)
        site_id = site.id
    user = session.scalars(select(Staff).where(Staff.username == username)).first()
    if user is None:
        user = Staff(username=username)
        session.add(user)
    user.password_hash = generate_password_hash(password)
    user.role, user.display_name, user.site_id, user.active = role, display_name, site_id, True
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> Staff:
    user = session.scalars(select(Staff).where(Staff.username == username)).first()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        raise Unauthorized(reason="bad_credentials")
    if not user.active or not check_password_hash(user.password_hash, password):
        raise Unauthorized(reason="bad_credentials")
    return user


def sign_in(db: Database, username: str, password: str, address: str, now: datetime) -> Staff:
    """`authenticate`, throttled: each attempt is kept; after a few wrong passwords for this
    account, or from this address, the next try must wait (SignInThrottled, 429) and many
    lock it for a while. The check comes before the password is even looked at."""
    since = now - sign_in_rules.WINDOW
    with db.reader() as session:
        last_ok = session.scalar(select(func.max(SignInAttempt.at)).where(
            SignInAttempt.username == username, SignInAttempt.ok.is_(True),
            SignInAttempt.at >= since)) or since
        by_account = session.scalars(select(SignInAttempt.at).where(
            SignInAttempt.username == username, SignInAttempt.ok.is_(False),
            SignInAttempt.at > last_ok)).all()
        by_address = session.scalars(select(SignInAttempt.at).where(
            SignInAttempt.address == address, SignInAttempt.ok.is_(False),
            SignInAttempt.at >= since)).all()
    wait = max(sign_in_rules.wait_before_next(by_account, now, sign_in_rules.ACCOUNT_LOCK_AFTER),
               sign_in_rules.wait_before_next(by_address, now, sign_in_rules.ADDRESS_LOCK_AFTER,
                                              sign_in_rules.ADDRESS_FREE_FAILURES))
    if wait > timedelta(0):
        raise SignInThrottled(seconds=math.ceil(wait.total_seconds()))
    with db.reader() as session:
        try:
            user = authenticate(session, username, password)
        except Unauthorized:
            user = None
    with db.write_lock(), db.writer() as session:
        session.add(SignInAttempt(at=now, username=username[:64], address=address[:64],
                                  ok=user is not None))
        session.commit()
    if user is None:
        raise Unauthorized(reason="bad_credentials")
    return user


def staff_actor(user: Staff) -> Actor:
    site_id = None if user.role == Role.ADMIN else user.site_id
    return Actor(kind="staff", id=user.id, role=user.role, site_id=site_id, name=user.display_name)


def issue_device_token(session: Session, site_code: str, device_code: str) -> str:
    """A new token for a device (replacing the old one); only its hash is stored."""
    device = session.scalars(select(Device).join(Site, Device.site_id == Site.id).where(
        Site.code == site_code, Device.code == device_code)).first()
    if device is None:
        raise NotFound(what="device", key=device_code)
    token = new_device_token()
    device.token_hash = token_hash(token)
    session.flush()
    return token


def device_for_token(session: Session, token: str) -> Device:
    device = session.scalars(select(Device).where(
        Device.token_hash == token_hash(token), Device.enabled.is_(True))).first()
    if device is None:
        raise Unauthorized(reason="bad_device_token")
    return device


def device_actor(device: Device) -> Actor:
    return Actor(kind="device", id=device.id, role=device.kind, site_id=device.site_id,
                 name=device.code)
