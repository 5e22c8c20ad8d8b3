"""SQLAlchemy tables of the live hall state and the append-only event log."""
from __future__ import annotations

from datetime import date, datetime, timezone
from itertools import chain

from sqlalchemy import (JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer,
                        LargeBinary, String, TypeDecorator, UniqueConstraint, event, text)
from sqlalchemy.orm import (DeclarativeBase, Mapped, Session, SessionTransaction, mapped_column,
                            relationship)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in Python, naive UTC in the database (SQLite keeps no offsets)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return value.replace(tzinfo=timezone.utc) if value is not None else None


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict: JSON}


class Site(Base):
    __tablename__ = "sites"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120), default="")
    timezone: Mapped[str] = mapped_column(String(64))
    opens: Mapped[str] = mapped_column(String(5))
    closes: Mapped[str] = mapped_column(String(5))
    weekdays: Mapped[str] = mapped_column(String(16))          # "1,2,3,4,5"
    calling: Mapped[dict] = mapped_column(default=dict)        # CallingSettings as JSON
    ticket_layout: Mapped[dict] = mapped_column(default=dict)
    service_date: Mapped[date | None] = mapped_column(Date)    # day of the last rollover
    event_seq: Mapped[int] = mapped_column(Integer, default=0)  # last event sequence number
    # Moved by the database itself (triggers, migration 0012) in the transaction that changes
    # the site's categories, windows, window categories or posts: a copy of the structure
    # read under this version is current while the site row still carries it.
    structure_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Category(Base):
    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("site_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    code: Mapped[str] = mapped_column(String(32))
    prefix: Mapped[str] = mapped_column(String(2))
    name_zh: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(80), default="")
    daily_cap: Mapped[int] = mapped_column(Integer)
    wait_target_minutes: Mapped[int] = mapped_column(Integer)
    service_minutes: Mapped[float] = mapped_column(Float)
    hours: Mapped[str | None] = mapped_column(String(11))
    location: Mapped[str] = mapped_column(String(80), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)  # False: removed from config
    backup_override: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class Window(Base):
    __tablename__ = "windows"
    __table_args__ = (UniqueConstraint("site_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    number: Mapped[int] = mapped_column(Integer)
    name_zh: Mapped[str] = mapped_column(String(40), default="")
    name_en: Mapped[str] = mapped_column(String(80), default="")
    state: Mapped[str] = mapped_column(String(8), default="closed")
    pause_reason: Mapped[str | None] = mapped_column(String(200))
    state_since: Mapped[datetime | None]
    priority_streak: Mapped[int] = mapped_column(Integer, default=0)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    categories: Mapped[list[WindowCategory]] = relationship(
        cascade="all, delete-orphan", lazy="selectin")
    posts: Mapped[list[PostAssignment]] = relationship(lazy="selectin", viewonly=True)

    def category_ids(self, role: str) -> set[int]:
        return {wc.category_id for wc in self.categories if wc.role == role}


class WindowCategory(Base):
    """A category a window serves, as its A (primary) or B (backup) work."""

    __tablename__ = "window_categories"
    window_id: Mapped[int] = mapped_column(ForeignKey("windows.id"), primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(1))


class Staff(Base):
    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(8))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))  # None: every site
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # What a window screen shows of the person at the window (姓名, 工号, 照片); each optional.
    staff_number: Mapped[str | None] = mapped_column(String(16))
    photo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)  # read only to serve it
    photo_type: Mapped[str | None] = mapped_column(String(16))
    photo_key: Mapped[str | None] = mapped_column(String(32), index=True, unique=True)  # its address


class PostAssignment(Base):
    """Who is signed in at which window, as its A or B post, right now."""

    __tablename__ = "post_assignments"
    __table_args__ = (UniqueConstraint("window_id", "post"), UniqueConstraint("staff_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("windows.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    post: Mapped[str] = mapped_column(String(1))
    signed_in_at: Mapped[datetime]
    staff: Mapped[Staff] = relationship(lazy="joined")


class Device(Base):
    """A kiosk or screen; it authenticates with a token of which only the hash is kept."""

    __tablename__ = "devices"
    __table_args__ = (UniqueConstraint("site_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    code: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))       # kiosk | hall_screen | window_screen
    name: Mapped[str] = mapped_column(String(80))
    settings: Mapped[dict] = mapped_column(default=dict)  # printer, window…
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    last_seen: Mapped[datetime | None]


class DailyCounter(Base):
    """Last ticket sequence per site, prefix and day: numbers never repeat or skip, even when
    config moves a prefix to another category during the day."""

    __tablename__ = "daily_counters"
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(2), primary_key=True)
    service_date: Mapped[date] = mapped_column(Date, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("site_id", "service_date", "number"),
        UniqueConstraint("device_id", "request_id"),
        # the head of each (category, class) queue is one index seek (migration 0009)
        Index("ix_tickets_waiting", "site_id", "service_date", "status", "category_id",
              "priority_class", "queued_at", "id"),
        Index("ix_tickets_target", "target_window_id", "site_id", "service_date", "status",
              sqlite_where=text("target_window_id IS NOT NULL"),
              postgresql_where=text("target_window_id IS NOT NULL")),
        Index("ix_tickets_window", "window_id", "status"),
        Index("ix_tickets_origin", "origin_category_id", "service_date"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    origin_category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    service_date: Mapped[date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(8))
    priority_class: Mapped[str] = mapped_column(String(12), default="normal")
    status: Mapped[str] = mapped_column(String(12), default="waiting")
    status_token: Mapped[str] = mapped_column(String(32), unique=True)
    issued_at: Mapped[datetime]
    queued_at: Mapped[datetime]            # position in the queue; kept by transfer
    called_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    window_id: Mapped[int | None] = mapped_column(ForeignKey("windows.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    post: Mapped[str | None] = mapped_column(String(1))
    target_window_id: Mapped[int | None] = mapped_column(ForeignKey("windows.id"))
    recall_count: Mapped[int] = mapped_column(Integer, default=0)
    transfer_count: Mapped[int] = mapped_column(Integer, default=0)
    call_reason: Mapped[dict | None] = mapped_column(JSON)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    request_id: Mapped[str | None] = mapped_column(String(64))
    evaluation_level: Mapped[int | None] = mapped_column(Integer)   # 好差评, 1..5
    evaluation_reason: Mapped[str | None] = mapped_column(String(32))
    evaluated_at: Mapped[datetime | None]
    category: Mapped[Category] = relationship(foreign_keys=[category_id], lazy="joined")


class Appointment(Base):
    """预约: a booked slot in a category; checking in at a kiosk turns it into a ticket."""

    __tablename__ = "appointments"
    __table_args__ = (UniqueConstraint("site_id", "code"),
                      Index("ix_appointments_slot", "site_id", "slot_start"))
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    code: Mapped[str] = mapped_column(String(16))          # what the applicant types or scans
    slot_start: Mapped[datetime]
    slot_end: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(12), default="booked")  # booked|checked_in|cancelled
    created_at: Mapped[datetime]
    checked_in_at: Mapped[datetime | None]
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    category: Mapped[Category] = relationship(lazy="joined")


class Alert(Base):
    """电子监察: a condition a manager must see (wait over target, printer out of paper…).

    One open alert per (site, kind, subject); it clears when the condition ends and is kept."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_open", "site_id", "cleared_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(64))       # category code, window number, device
    detail: Mapped[dict] = mapped_column(default=dict)
    raised_at: Mapped[datetime]
    cleared_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    gone_since: Mapped[datetime | None]  # the condition went away then; clears once it stays away


class Event(Base):
    """Append-only log of every change; `seq` is per site, gap-free, and feeds the screens."""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("site_id", "seq"),
                      Index("ix_events_type", "site_id", "type", "seq"),  # e.g. printer statuses
                      Index("ix_events_at", "site_id", "at"))  # reports read a date range
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    window_id: Mapped[int | None] = mapped_column(ForeignKey("windows.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    payload: Mapped[dict] = mapped_column(default=dict)


class PrintJobRow(Base):
    """A ticket to print, kept from the issuing transaction until it came out (or failed): a
    restarted server or another instance takes over a job whose lease ran out. `copy` 0 is the
    ticket's own print (one per ticket, so a repeated request never prints it twice), 1… are
    reprints; a job whose bytes may have reached the printer prints again only marked 补打."""

    __tablename__ = "print_jobs"
    __table_args__ = (UniqueConstraint("ticket_id", "copy"),
                      Index("ix_print_jobs_open", "state", "lease_until"))
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    printer_code: Mapped[str] = mapped_column(String(32))
    copy: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(12), default="queued")  # queued|printing|printed|failed|expired
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    may_have_printed: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str | None] = mapped_column(String(64))    # the process printing it now
    lease_until: Mapped[datetime]                           # another process may take over after
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


class SignInAttempt(Base):
    """Every sign-in, kept: the throttle counts recent failures per account and per address."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (Index("ix_sign_in_attempts_user", "username", "at"),
                      Index("ix_sign_in_attempts_address", "address", "at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    username: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    ok: Mapped[bool] = mapped_column(Boolean)


class StaffSession(Base):
    """A console sign-in, revocable on the server: the cookie carries a random id whose hash is
    `id`; logout, a password change or a deactivation sets `ended_at`, idleness expires it."""

    __tablename__ = "staff_sessions"
    __table_args__ = (Index("ix_staff_sessions_staff", "staff_id", "ended_at"),
                      Index("ix_staff_sessions_open", "ended_at", "last_seen_at"))
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the cookie's id
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]        # written at most once a minute per session
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(16))  # logout, password, deactivated…
    address: Mapped[str] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(200))


# The hall's structure: what `sites.structure_version` vouches for (the triggers of migration
# 0012 move it on every write to these tables, whoever writes).
STRUCTURE = (Category, Window, WindowCategory, PostAssignment)
STRUCTURE_TABLES = frozenset(model.__tablename__ for model in STRUCTURE)


def structure_changed(session: Session) -> bool:
    """Did this session's transaction write the structure through the ORM (the day's roll-over
    closing windows, a sign-in)? Then the site row it read before (and the version on it) is
    older than the structure it sees now."""
    return session.info.get("structure_changed", False)


@event.listens_for(Session, "before_flush")
def _note_flushed_structure(session: Session, _context, _instances) -> None:
    if any(isinstance(o, STRUCTURE) for o in chain(session.new, session.dirty, session.deleted)):
        session.info["structure_changed"] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_structure_change(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop("structure_changed", None)
