"""A PostgreSQL database of a test module's own, for a server that outlives one test."""
from __future__ import annotations

import os
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
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                         .format(sql.Identifier(name)))
