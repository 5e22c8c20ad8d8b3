"""The database restarting is a clear, retryable answer: 503 `database_unavailable` with a
message in the caller's language and Retry-After, nothing half-written, and the same server
works again once the database is back (no restart)."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import requests

from .conftest import Client
from .server import free_port, start_server

pytestmark = pytest.mark.postgres


def pg_bin() -> Path | None:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return versions[-1].parent if versions else None


class PrivatePostgres:
    """A PostgreSQL cluster of this test's own, on a free port, that the test may stop."""

    def __init__(self) -> None:
        # Its own folder under /tmp: pytest's are private to root, and the server runs as postgres.
        self.folder = Path(tempfile.mkdtemp(prefix="queuehall-pg-"))
        self.bin, self.port = pg_bin(), free_port()
        self.url = f"postgresql+psycopg://queuehall@127.0.0.1:{self.port}/hall"
        shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.folder / "data"), "-A", "trust", "-U", "queuehall",
                  "--no-sync")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "queuehall", "hall")

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", str(self.bin / tool), *args],
                       check=True, capture_output=True, timeout=60, cwd=self.folder)

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-l", str(self.folder / "pg.log"),
                  "-w", "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                  "-c fsync=off", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def hall_on_own_postgres(tmp_path):
    if os.geteuid() != 0 or pg_bin() is None or shutil.which("runuser") is None:
        pytest.skip("needs root and the PostgreSQL server binaries (make test installs them)")
    database = PrivatePostgres()
    try:
        hall = start_server(tmp_path / "hall", database.url)
        yield database, hall
        hall.stop()
    finally:
        database.remove()


@pytest.mark.parametrize("lang, message", [("zh", "数据库暂时不可用"), ("en", "database is briefly")])
def test_a_database_restart_answers_503_and_recovers_without_a_restart(hall_on_own_postgres,
                                                                       lang, message):
    database, hall = hall_on_own_postgres
    kiosk = Client(hall.url, lang).as_device(hall.tokens["kiosk-1"])
    before = kiosk.post("/api/v1/sites/test/tickets", {"category": "social"})
    assert before.status_code == 201
    database.stop()
    during = kiosk.post("/api/v1/sites/test/tickets", {"category": "social"})
    assert during.status_code == 503 and int(during.headers["Retry-After"]) > 0
    error = during.json()["error"]
    assert error["code"] == "database_unavailable" and message in error["message"]
    health = requests.get(hall.url + "/api/v1/health", timeout=10)
    assert health.status_code == 503
    database.start()
    after = kiosk.post("/api/v1/sites/test/tickets", {"category": "social"})
    if after.status_code == 503:  # the pool's first checkout may still meet a dead connection
        after = kiosk.post("/api/v1/sites/test/tickets", {"category": "social"})
    assert after.status_code == 201
    assert after.json()["number"] == "A002"  # nothing was half-written during the outage
