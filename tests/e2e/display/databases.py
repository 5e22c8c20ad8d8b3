"""A PostgreSQL database of a test module's own, for a server that outlives one test."""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from ...conftest import PG_URL


@contextmanager
def own_postgres_database(purpose: str = "display"):
    """A fresh database beside the shared test one (which other tests reset under a running
    server's feet), dropped afterwards; the test role may create databases."""
    if not PG_URL:
        pytest.skip("QUEUEHALL_TEST_PG_URL is not set (make test sets it)")
    parts = urlsplit(PG_URL)
    name = f"queuehall_e2e_{purpose}_{os.getpid()}"
    admin = urlunsplit(parts._replace(scheme="postgresql"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        with psycopg.connect(admin, autocommit=True) as conn:
            for attempt in range(40):
                try:
                    conn.execute(drop)
                    break
                except psycopg.errors.InsufficientPrivilege:
                    # An autovacuum worker (the superuser's) is in the database: the test role
                    # may not end it, and it ends by itself within moments.
                    if attempt == 39:
                        raise
                    time.sleep(0.25)
