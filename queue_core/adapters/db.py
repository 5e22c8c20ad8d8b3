"""Engines and sessions: SQLite in WAL mode by default, PostgreSQL by URL, same code."""
from __future__ import annotations

import threading
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from .concurrency import cooperative, offload


@dataclass
class Database:
    """Writes go through `writer` (serialized per site), reads through `reader`."""

    url: str
    writer_engine: Engine
    reader_engine: Engine
    _write_lock: threading.Lock = field(default_factory=threading.Lock)
    # This process's copy of each site's structure, by site id (service/structure.py keeps it)
    structures: dict = field(default_factory=dict, repr=False, compare=False)

    def writer(self) -> Session:
        return self._writer()

    def reader(self) -> Session:
        return self._reader()

    def __post_init__(self) -> None:
        self._writer = sessionmaker(self.writer_engine, expire_on_commit=False)
        self._reader = sessionmaker(self.reader_engine, expire_on_commit=False)

    def write_lock(self) -> AbstractContextManager:
        """Held for a whole write transaction on SQLite: the database has one writer anyway, and
        waiting here is fair and prompt where SQLite's busy handler sleeps up to 100 ms between
        retries. PostgreSQL queues writers on the site's row lock instead."""
        return self._write_lock if self.is_sqlite else nullcontext()

    @property
    def is_sqlite(self) -> bool:
        return self.writer_engine.dialect.name == "sqlite"

    def dispose(self) -> None:
        self.writer_engine.dispose()
        self.reader_engine.dispose()


def open_database(url: str, sqlite_synchronous: str = "FULL") -> Database:
    """Open the database at `url`; SQLite files get WAL, a busy timeout and BEGIN IMMEDIATE writes."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
        return Database(url, engine, engine)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    writer = _sqlite_engine(url, sqlite_synchronous, begin="BEGIN IMMEDIATE")
    reader = _sqlite_engine(url, sqlite_synchronous, begin="BEGIN")
    return Database(url, writer, reader)


def _sqlite_engine(url: str, synchronous: str, begin: str) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                           pool_size=8, max_overflow=24)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's "begin" event decide how a transaction starts (pysqlite would defer).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: a ticket acknowledged to the kiosk survives even a power cut.
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        # Writers take the write lock up front, so two writers never deadlock upgrading locks.
        # While another process writes, SQLite waits in its C busy handler: on a gevent server
        # that wait goes to a native thread, or every connection would stall with it.
        if begin == "BEGIN IMMEDIATE" and cooperative():
            offload(connection.connection.driver_connection.execute, begin)
        else:
            connection.exec_driver_sql(begin)

    return engine
