"""Shared fixtures: a migrated test hall on SQLite (and PostgreSQL when configured), a set clock."""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from queue_core.adapters import migrate
from tests.support.clock import FixedClock
from queue_core.adapters.db import open_database
from queue_core.adapters.publisher import NullPublisher
from queue_core.app import Hall
from queue_core.config import load_settings
from queue_core.service import accounts
from queue_core.service.setup import apply_config
from queue_core.service.unit_of_work import SYSTEM

HALL_TOML = Path(__file__).parent / "fixtures" / "hall.toml"
PG_URL = os.environ.get("QUEUEHALL_TEST_PG_URL")
# Monday 2026-11-23, 09:00 in Shanghai.
MONDAY_9AM = datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc)

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def database_url(backend: str, tmp_path: Path) -> str:
    if backend == "postgresql":
        if not PG_URL:
            pytest.skip("QUEUEHALL_TEST_PG_URL is not set (make test sets it)")
        reset_postgres(PG_URL)
        return PG_URL
    return f"sqlite:///{tmp_path / 'hall.db'}"


def make_settings(url: str, tmp_path: Path, **server):
    os.environ["QUEUEHALL_DATABASE_URL"] = url
    try:
        settings = load_settings(HALL_TOML)
    finally:
        del os.environ["QUEUEHALL_DATABASE_URL"]
    values = {"secret_key_file": str(tmp_path / "secret"), **server}
    return settings.model_copy(update={"server": settings.server.model_copy(update=values)})


def prepare(settings) -> None:
    """Migrate and seed, as `queuehall demo` does."""
    db = open_database(settings.server.database_url, "NORMAL")
    migrate.upgrade(db)
    with db.writer() as session:
        apply_config(session, settings)
        session.commit()
    db.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def settings(backend, tmp_path):
    settings = make_settings(database_url(backend, tmp_path), tmp_path)
    prepare(settings)
    return settings


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY_9AM)


@pytest.fixture
def hall(settings, clock):
    db = open_database(settings.server.database_url, "NORMAL")
    yield Hall(settings, db, NullPublisher(), clock)
    db.dispose()


@pytest.fixture
def people(hall):
    """Staff accounts of the test hall, as Actors: staff1..3, a manager."""
    with hall.db.writer() as session:
        made = {name: accounts.staff_actor(accounts.create_user(
                    session, name, "password123", role, name.title(), "test"))
                for name, role in [("staff1", "staff"), ("staff2", "staff"), ("staff3", "staff"),
                                   ("boss", "manager")]}
        session.commit()
    made["system"] = SYSTEM
    return made


@pytest.fixture
def kiosk(hall):
    from sqlalchemy import select

    from queue_core.adapters.orm import Device
    with hall.db.reader() as session:
        device = session.scalars(select(Device).where(Device.code == "kiosk-1")).one()
        return accounts.device_actor(device)
