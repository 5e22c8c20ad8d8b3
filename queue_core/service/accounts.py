"""Staff accounts and device tokens: hashed passwords, roles, server-side sessions that can be
ended, deactivation; tokens shown once."""
from __future__ import annotations

import math
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..adapters.db import Database
from ..adapters.orm import (Device, PostAssignment, SignInAttempt, Site, Staff, StaffSession,
                            Window)
from ..adapters.tokens import new_device_token, token_hash
from ..domain import sign_in as sign_in_rules
from ..domain.errors import (DomainError, Forbidden, InvalidInput, NotFound, SignInThrottled,
                             Unauthorized)
from ..domain.events import EventKind
from ..domain.model import Role
from .unit_of_work import Actor, UnitOfWork

MIN_PASSWORD = 8
STAFF_NUMBER = re.compile(r"[A-Za-z0-9-]{1,16}")  # 工号 as halls print them: digits, letters
MAX_PHOTO = 512 * 1024
TOUCH_EVERY = timedelta(minutes=1)  # how often a session's last_seen_at is written
# Checked when the username is unknown, so a wrong name costs as much time as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def create_user(session: Session, username: str, password: str, role: str, display_name: str,
                site_code: str | None = None, staff_number: str | None = None,
                photo: bytes | None = None) -> Staff:
    """`staff_number` (工号) and `photo` are what a window screen shows besides the name; None
    keeps an existing account's, an empty value removes it."""
    if role not in {r.value for r in Role}:
        raise InvalidInput(field="role", value=role)
    if staff_number and not STAFF_NUMBER.fullmatch(staff_number):
        raise InvalidInput(field="staff_number", value=staff_number)
    photo_type = _image_type(photo) if photo else None
    if photo and photo_type is None:
        raise InvalidInput(field="photo", max_kb=MAX_PHOTO // 1024)
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(field="password", min=MIN_PASSWORD)
    site_id = _site_id(session, site_code)
    user = session.scalars(select(Staff).where(Staff.username == username)).first()
    if user is None:
        user = Staff(username=username)
        session.add(user)
    else:  # a new password: the old one's sessions end
        session.execute(update(StaffSession).where(
            StaffSession.staff_id == user.id, StaffSession.ended_at.is_(None)).values(
            ended_at=datetime.now(timezone.utc), end_reason="password"))
    user.password_hash = generate_password_hash(password)
    user.role, user.display_name, user.site_id, user.active = role, display_name, site_id, True
    if staff_number is not None:
        user.staff_number = staff_number or None
    if photo is not None:  # a new address too, so no screen keeps showing a cached old face
        user.photo, user.photo_type = photo or None, photo_type
        user.photo_key = secrets.token_urlsafe(16) if photo else None
    session.flush()
    return user


def _image_type(photo: bytes) -> str | None:
    """The photo's media type when it is a JPEG, PNG or WebP image of at most MAX_PHOTO bytes."""
    if len(photo) > MAX_PHOTO:
        return None
    if photo.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if photo.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if photo[:4] == b"RIFF" and photo[8:12] == b"WEBP":
        return "image/webp"
    return None


def staff_photo(session: Session, key: str) -> tuple[bytes, str]:
    """A staff member's photo by its address (given to screens in their snapshot)."""
    user = session.scalars(select(Staff).where(Staff.photo_key == key)).first()
    if user is None or user.photo is None:
        raise NotFound(what="photo", key=key)
    return user.photo, user.photo_type or "application/octet-stream"


def _password_problem(user: Staff | None, password: str) -> str | None:
    """Why `password` does not sign `user` in (None: it does); always costs one hash check."""
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return "unknown_account"
    if not check_password_hash(user.password_hash, password):
        return "wrong_password"
    return None if user.active else "deactivated"


@dataclass(frozen=True)
class SignedIn:
    staff: Staff
    session_id: str  # for the cookie; the database keeps only its hash


def sign_in(uow: UnitOfWork, username: str, password: str, address: str,
            user_agent: str = "", replaces: str | None = None) -> SignedIn:
    """Check a password, throttled, and open a new server-side session. Each attempt is kept; after a
    few wrong passwords for this account, or from this address, the next try must wait
    (SignInThrottled, 429) and many lock it for a while. The check comes before the password
    is even looked at. A failure is on the audit trail of the account's site (every site when
    the account is unknown or has none). `replaces`: this browser's previous session id."""
    now = uow.clock.now()
    _check_throttle(uow.db, username, address, now)
    with uow.db.reader() as session:  # the hash check is slow: outside the write lock
        user = session.scalars(select(Staff).where(Staff.username == username)).first()
        problem = _password_problem(user, password)
    with uow:
        uow.session.add(SignInAttempt(at=now, username=username[:64], address=address[:64],
                                      ok=problem is None))
        if problem is not None:
            _audit(uow, user, EventKind.SIGN_IN_FAILED, None, account=username[:64],
                   address=address[:64], reason=problem)
        else:
            if replaces:
                _end_sessions(uow, StaffSession.id == token_hash(replaces), "replaced")
            session_id = _start_session(uow, user.id, address, user_agent)
        uow.commit()
    if problem is not None:
        raise Unauthorized(reason="bad_credentials")
    return SignedIn(user, session_id)


def _check_throttle(db: Database, username: str, address: str, now: datetime) -> None:
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


# --- sessions ------------------------------------------------------------------------------

def _start_session(uow: UnitOfWork, staff_id: int, address: str, user_agent: str) -> str:
    session_id = secrets.token_urlsafe(32)
    uow.session.add(StaffSession(id=token_hash(session_id), staff_id=staff_id,
                                 created_at=uow.now, last_seen_at=uow.now, address=address[:64],
                                 user_agent=user_agent[:200]))
    return session_id


def _end_sessions(uow: UnitOfWork, which, reason: str) -> int:
    """End the open sessions matching `which`; how many were open."""
    result = uow.session.execute(update(StaffSession).where(
        which, StaffSession.ended_at.is_(None)).values(ended_at=uow.now, end_reason=reason))
    return result.rowcount


def end_session(uow: UnitOfWork, session_id: str, reason: str = "logout") -> None:
    """Sign out: the cookie's session no longer counts, wherever a copy of it is."""
    with uow:
        _end_sessions(uow, StaffSession.id == token_hash(session_id), reason)
        uow.commit()


SESSION_KEY = "sid"  # the Flask session's random id of the server-side console session

# Built once: every staff request reads its session (one indexed row, joined to its account).
_SESSION_USER = (select(Staff.id, Staff.username, Staff.display_name, Staff.role, Staff.site_id,
                        StaffSession.last_seen_at)
                 .join(Staff, Staff.id == StaffSession.staff_id)
                 .where(StaffSession.id == bindparam("session_hash"),
                        StaffSession.ended_at.is_(None), Staff.active.is_(True)))


def session_user(db: Database, session_id: str, now: datetime, idle: timedelta):
    """The active account behind an open session (a row with id, username, display_name, role,
    site_id), or None when the session was ended, idled out or its account deactivated. Notes
    the session as seen at most once a minute, so a busy console writes little."""
    session_hash = token_hash(session_id)
    with db.reader_engine.connect() as connection:
        row = connection.execute(_SESSION_USER, {"session_hash": session_hash}).first()
    if row is None:
        return None
    quiet = now - row.last_seen_at
    if quiet < TOUCH_EVERY:
        return row
    with db.write_lock(), db.writer_engine.begin() as connection:
        if quiet >= idle:
            connection.execute(update(StaffSession).where(
                StaffSession.id == session_hash, StaffSession.ended_at.is_(None)).values(
                ended_at=now, end_reason="idle"))
            return None
        connection.execute(update(StaffSession).where(StaffSession.id == session_hash).values(
            last_seen_at=now))
    return row


def open_session_ids(db: Database, session_ids: set[str], now: datetime,
                     idle: timedelta) -> set[str]:
    """Which of these console sessions are still open (not ended, not idle, account active)."""
    by_hash = {token_hash(s): s for s in session_ids}
    with db.reader_engine.connect() as connection:
        rows = connection.execute(
            select(StaffSession.id).join(Staff, Staff.id == StaffSession.staff_id).where(
                StaffSession.id.in_(by_hash), StaffSession.ended_at.is_(None),
                StaffSession.last_seen_at > now - idle, Staff.active.is_(True)))
        return {by_hash[row.id] for row in rows}


def open_sessions(session: Session, actor: Actor, now: datetime, idle: timedelta,
                  site_code: str | None = None, current: str | None = None) -> list[dict]:
    """Who is signed in: open sessions, newest first; a manager sees their own site's."""
    query = (select(StaffSession, Staff, Site.code)
             .join(Staff, Staff.id == StaffSession.staff_id)
             .outerjoin(Site, Site.id == Staff.site_id)
             .where(StaffSession.ended_at.is_(None), StaffSession.last_seen_at > now - idle,
                    Staff.active.is_(True))
             .order_by(StaffSession.created_at.desc()))
    site_id = _site_in_view(session, actor, site_code)
    if site_id is not None:
        query = query.where(Staff.site_id == site_id)
    current_hash = token_hash(current) if current else None
    return [{"username": staff.username, "name": staff.display_name, "role": staff.role,
             "site": code, "since": row.created_at.isoformat(),
             "last_seen": row.last_seen_at.isoformat(), "address": row.address,
             "user_agent": row.user_agent, "current": row.id == current_hash}
            for row, staff, code in session.execute(query)]


def list_accounts(session: Session, actor: Actor, site_code: str | None = None) -> list[dict]:
    """The accounts a manager (their site's) or an admin (all, or one site's) looks after."""
    query = (select(Staff, Site.code).outerjoin(Site, Site.id == Staff.site_id)
             .order_by(Staff.username))
    site_id = _site_in_view(session, actor, site_code)
    if site_id is not None:
        query = query.where(Staff.site_id == site_id)
    return [_account_json(staff, code) for staff, code in session.execute(query)]


def _site_id(session: Session, site_code: str | None) -> int | None:
    if not site_code:
        return None
    site = session.scalars(select(Site).where(Site.code == site_code)).first()
    if site is None:
        raise NotFound(what="site", key=site_code)
    return site.id


def _site_in_view(session: Session, actor: Actor, site_code: str | None) -> int | None:
    """The site whose accounts `actor` sees (None: every site, for an admin)."""
    site_id = _site_id(session, site_code)
    if _is_admin(actor):
        return site_id
    if actor.site_id is None or site_id not in (None, actor.site_id):
        raise Forbidden(action="other_site")
    return actor.site_id


def _account_json(staff: Staff, site_code: str | None) -> dict:
    return {"username": staff.username, "name": staff.display_name, "role": staff.role,
            "site": site_code, "active": staff.active}


# --- passwords and deactivation --------------------------------------------------------------

class WrongPassword(DomainError):
    """Changing one's own password needs the current one."""

    code = "wrong_password"
    http_status = 400  # a wrong field, not a missing right


class OwnAccount(DomainError):
    """Nobody deactivates themself, or sets their own password without the current one."""

    code = "own_account"
    http_status = 403


def change_own_password(uow: UnitOfWork, actor: Actor, current: str, new: str, address: str,
                        keep: str | None) -> dict:
    """A person's own password, given the current one (throttled and audited like a sign-in,
    since a stolen session could guess it). Every other session of the account ends;
    `keep`, the session asking, goes on."""
    now = uow.clock.now()
    with uow.db.reader() as session:
        user = session.get(Staff, actor.id)
        username = user.username if user else ""
    _check_throttle(uow.db, username, address, now)
    problem = _password_problem(user, current)
    if problem is None:
        _check_new_password(new, current)
        new_hash = generate_password_hash(new)
    with uow:
        uow.session.add(SignInAttempt(at=now, username=username[:64], address=address[:64],
                                      ok=problem is None))
        if problem is not None:
            _audit(uow, user, EventKind.SIGN_IN_FAILED, actor, account=username,
                   address=address[:64], reason="password_change")
            uow.commit()
            raise WrongPassword()
        staff = uow.session.get(Staff, actor.id)
        staff.password_hash = new_hash
        others = StaffSession.staff_id == staff.id
        if keep:
            others = others & (StaffSession.id != token_hash(keep))
        ended = _end_sessions(uow, others, "password")
        _audit(uow, staff, EventKind.PASSWORD_CHANGED, actor, **_about(staff), sessions_ended=ended)
        uow.commit()
        return {**_account_json(staff, None), "sessions_ended": ended}


def set_password(uow: UnitOfWork, actor: Actor, username: str, new: str) -> dict:
    """An admin, or the manager of the account's site, sets another person's password; every
    session of that account ends."""
    _check_new_password(new)
    new_hash = generate_password_hash(new)  # slow: before the lock
    with uow:
        staff = _managed_account(uow, actor, username, "password")
        staff.password_hash = new_hash
        ended = _end_sessions(uow, StaffSession.staff_id == staff.id, "password")
        _audit(uow, staff, EventKind.PASSWORD_CHANGED, actor, **_about(staff), sessions_ended=ended)
        uow.commit()
        return {**_account_json(staff, None), "sessions_ended": ended}


def set_active(uow: UnitOfWork, actor: Actor, username: str, active: bool) -> dict:
    """Deactivate (every session ends, the window post is given up, sign-in is refused) or
    reactivate an account."""
    with uow:
        staff = _managed_account(uow, actor, username, "deactivate")
        ended = 0
        if staff.active != active:
            staff.active = active
            if not active:
                ended = _end_sessions(uow, StaffSession.staff_id == staff.id, "deactivated")
            kind = EventKind.ACCOUNT_ACTIVATED if active else EventKind.ACCOUNT_DEACTIVATED
            _audit(uow, staff, kind, actor, **_about(staff), sessions_ended=ended)
            if not active:
                _give_up_posts(uow, staff, actor)
        uow.commit()
        return {**_account_json(staff, None), "sessions_ended": ended}


def _managed_account(uow: UnitOfWork, actor: Actor, username: str, action: str) -> Staff:
    """The account `username`, if `actor` may look after it: an admin (or the command line)
    any account but their own, a manager the staff of their own site."""
    staff = uow.session.scalars(select(Staff).where(Staff.username == username)).first()
    if staff is None:
        raise NotFound(what="account", key=username)
    if actor.kind == "staff" and actor.id == staff.id:
        raise OwnAccount(action=action)
    if _is_admin(actor):
        return staff
    if actor.role == "manager" and staff.role == Role.STAFF and staff.site_id == actor.site_id:
        return staff
    raise Forbidden(action="account")


def _is_admin(actor: Actor) -> bool:
    return actor.kind == "system" or (actor.kind == "staff" and actor.role == Role.ADMIN)


def _check_new_password(new: str, current: str | None = None) -> None:
    if len(new) < MIN_PASSWORD:
        raise InvalidInput(field="new_password", min=MIN_PASSWORD)
    if new == current:
        raise InvalidInput(field="new_password")


def _give_up_posts(uow: UnitOfWork, staff: Staff, actor: Actor) -> None:
    """A deactivated person no longer holds a window's post (others may take it)."""
    for post in uow.session.scalars(select(PostAssignment).where(
            PostAssignment.staff_id == staff.id)).all():
        window = uow.session.get(Window, post.window_id)
        uow.session.delete(post)
        uow.session.flush()
        uow.session.expire(window, ["posts"])
        site = uow.session.get(Site, window.site_id)
        uow.lock_site(site.code)
        uow.record(EventKind.POST_SIGNED_OUT, window=window, actor=actor, post=post.post,
                   staff=staff.display_name)


def _about(staff: Staff) -> dict:
    return {"account": staff.username, "name": staff.display_name, "role": staff.role}


def _audit(uow: UnitOfWork, staff: Staff | None, type_: EventKind, actor: Actor | None,
           **payload: object) -> None:
    """An account's event on the audit trail of its site; an account of every site (an admin)
    or an unknown name goes on every site's."""
    query = select(Site.code).order_by(Site.id)  # always the same order: no lock cycles
    if staff is not None and staff.site_id is not None:
        query = query.where(Site.id == staff.site_id)
    for code in uow.session.scalars(query).all():
        uow.lock_site(code)
        uow.record(type_, actor=actor, **payload)


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
