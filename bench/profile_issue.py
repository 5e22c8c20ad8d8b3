"""In-process profile of ticket issuing: server CPU and SQL statements per issue, and a cProfile.

Builds the bench hall (config.toml with caps lifted and the hall open around the clock, as
bench_api.py does) in a temp folder, then issues tickets as a kiosk through Flask's test client
in one thread — the whole request path (auth, rate limit, CSRF hook, endpoint, service, JSON)
without sockets or gunicorn. CPU time is `time.process_time()` per request, far less noisy than
wall time on a shared machine; SQL statements are counted with a SQLAlchemy
`before_cursor_execute` listener on both engines.

The floor is bench/floor_app.py (the do-nothing Flask endpoint bench_api.py serves as its floor
row) driven the same way in the same process; the issue's CPU is printed as a multiple of it.
Served by gunicorn both also pay for the HTTP parsing (about 0.3 ms per request on the machine
of bench/RESULTS.md), so the ratio in-process is the stricter one.

Usage: .venv/bin/python bench/profile_issue.py [--backend sqlite|postgresql] [--tickets 600]
                                               [--profile 30] [--statements] [--call]
  --profile N     print cProfile's top N functions by cumulative time (0: no cProfile)
  --statements    print the SQL of one issue (and one call-next with --call)
  --call          also profile call-next -> start -> finish as an admin at window 1
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_api import (CATEGORIES, PG_BENCH_DB, PG_BENCH_URL, SITE, _bench_config,  # noqa: E402
                       _pg_admin)
from queue_core.adapters import migrate  # noqa: E402
from queue_core.adapters.db import open_database  # noqa: E402
from queuehall.app import create_app  # noqa: E402
from queue_core.config import load_settings  # noqa: E402
from queue_core.service import accounts  # noqa: E402
from queue_core.service.setup import apply_config  # noqa: E402
from queue_core.service.unit_of_work import UnitOfWork  # noqa: E402

API = "/api/v1"


class StatementCounter:
    """Counts (and optionally keeps) the SQL statements sent by the app's engines."""

    def __init__(self, engines) -> None:
        self.count, self.keep, self.kept = 0, False, []
        for engine in {id(e): e for e in engines}.values():
            event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.count += 1
        if self.keep:
            self.kept.append(" ".join(statement.split()))


class SerializedTime:
    """CPU the request's thread spends inside a UnitOfWork, where the site's write lock is held
    (SQLite: the process's lock and BEGIN IMMEDIATE; PostgreSQL: the site row's lock): the part
    of a request that cannot overlap with another write to the same site, however many
    processes serve it."""

    def __init__(self) -> None:
        self.total = 0.0
        enter, release = UnitOfWork.__enter__, UnitOfWork._release

        def timed_enter(uow):
            uow.serialized_from = time.thread_time()
            return enter(uow)

        def timed_release(uow):  # publishing comes after it, outside the lock
            try:
                return release(uow)
            finally:
                self.total += time.thread_time() - uow.serialized_from

        UnitOfWork.__enter__, UnitOfWork._release = timed_enter, timed_release


def prepare_hall(folder: Path, backend: str):
    if backend == "postgresql":
        _pg_admin(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
        _pg_admin(f"CREATE DATABASE {PG_BENCH_DB}")
        url = PG_BENCH_URL
    else:
        url = f"sqlite:///{folder / 'data' / 'bench.db'}"
    os.environ["QUEUEHALL_DATABASE_URL"] = url
    settings = load_settings(_bench_config(folder, url))
    db = open_database(url)
    migrate.upgrade(db)
    with db.writer() as session:
        apply_config(session, settings)
        accounts.create_user(session, "admin", "admin-password", "admin", "Admin", None)
        token = accounts.issue_device_token(session, SITE, "kiosk-1")
        session.commit()
    db.dispose()
    return settings, token


def measure(label: str, n: int, request, counter: StatementCounter) -> dict[str, float]:
    cpu: list[float] = []
    own: list[float] = []
    locked: list[float] = []
    statements: list[int] = []
    for i in range(n):
        before_stmt, before_locked = counter.count, SERIALIZED.total
        t0, t0_thread = time.process_time(), time.thread_time()
        request(i)
        cpu.append((time.process_time() - t0) * 1000)
        own.append((time.thread_time() - t0_thread) * 1000)
        locked.append((SERIALIZED.total - before_locked) * 1000)
        statements.append(counter.count - before_stmt)
    # the first fifth warms caches and pools
    steady, steady_own, steady_locked = cpu[n // 5:], own[n // 5:], locked[n // 5:]
    print(f"{label}: {n} requests, steady last {len(steady)}:\n"
          f"  process CPU per request: median {statistics.median(steady):.2f} ms, "
          f"mean {statistics.fmean(steady):.2f} ms, "
          f"p90 {sorted(steady)[int(len(steady) * 0.9)]:.2f} ms "
          f"=> at most ~{1000 / statistics.fmean(steady):.0f} requests/s per core\n"
          f"  of which the request's own thread: median {statistics.median(steady_own):.2f} ms, "
          f"mean {statistics.fmean(steady_own):.2f} ms, "
          f"p10 {sorted(steady_own)[len(steady_own) // 10]:.2f} ms (the rest: the printer spooler's thread "
          f"rendering and writing the ticket, and other background threads)\n"
          f"  of which inside the write transaction (serialized per site): median "
          f"{statistics.median(steady_locked):.2f} ms => at most "
          f"~{1000 / max(statistics.fmean(steady_locked), 1e-3):.0f} requests/s per site "
          f"with any number of processes\n"
          f"  SQL statements per request: median {statistics.median(statements):.0f} "
          f"(min {min(statements)}, max {max(statements)})")
    return {"cpu": statistics.median(steady), "own": statistics.median(steady_own)}


FLOOR_REQUESTS = 3000


def measure_floor(issued: dict[str, float]) -> None:
    """bench/floor_app.py through a test client in this process: the framework's own cost."""
    from floor_app import app as floor_app
    client = floor_app.test_client()
    cpu = []
    for i in range(FLOOR_REQUESTS):
        t0 = time.process_time()
        r = client.post(f"{API}/sites/{SITE}/tickets", json={"category": CATEGORIES[i % 7]})
        cpu.append((time.process_time() - t0) * 1000)
        assert r.status_code == 201
    floor = statistics.median(cpu[FLOOR_REQUESTS // 5:])
    print(f"floor (bench/floor_app.py, {FLOOR_REQUESTS} requests): process CPU per request "
          f"median {floor:.3f} ms => an issue costs {issued['cpu'] / floor:.1f}x the floor "
          f"(process), {issued['own'] / floor:.1f}x (the request's own thread); served by "
          f"gunicorn both pay for HTTP too, so bench_api.py's ratio is the lower one")


SERIALIZED = SerializedTime()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--tickets", type=int, default=600)
    ap.add_argument("--profile", type=int, default=30)
    ap.add_argument("--statements", action="store_true")
    ap.add_argument("--call", action="store_true")
    args = ap.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="queuehall-profile-"))
    cwd = os.getcwd()
    try:
        os.chdir(folder)
        settings, token = prepare_hall(folder, args.backend)
        app = create_app(settings)
        hall = app.extensions["queuehall"]
        counter = StatementCounter([hall.db.writer_engine, hall.db.reader_engine])
        kiosk = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}

        def issue(i: int) -> None:
            r = kiosk.post(f"{API}/sites/{SITE}/tickets", headers=headers,
                           json={"category": CATEGORIES[i % len(CATEGORIES)]})
            assert r.status_code == 201, (r.status_code, r.get_data(as_text=True))

        measure("issue (warm-up)", 50, issue, counter)
        if args.statements:
            counter.keep, counter.kept = True, []
            issue(0)
            counter.keep = False
            print(f"\nSQL of one issue ({len(counter.kept)} statements):")
            print("\n".join(f"  {s[:160]}" for s in counter.kept))
            print()
        measure_floor(measure("issue", args.tickets, issue, counter))
        if args.profile:
            prof = cProfile.Profile(time.thread_time)  # the request thread only, not the spooler
            prof.enable()
            for i in range(args.tickets):
                issue(i)
            prof.disable()
            out = io.StringIO()
            stats = pstats.Stats(prof, stream=out).sort_stats("cumulative")
            stats.print_stats(args.profile)
            stats.print_stats("queue_core|auth|rate_limit|flask_limiter|flask_login", args.profile)
            print(out.getvalue())
        if args.call:
            profile_calling(app, counter, args, headers)
    finally:
        os.chdir(cwd)
        shutil.rmtree(folder, ignore_errors=True)
        if args.backend == "postgresql":
            _pg_admin(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
    return 0


CALL_CYCLES = 50


def profile_calling(app, counter: StatementCounter, args, kiosk_headers: dict) -> None:
    kiosk = app.test_client()
    for _ in range(CALL_CYCLES + 1):  # window 1 serves social (A): enough to call
        r = kiosk.post(f"{API}/sites/{SITE}/tickets", headers=kiosk_headers,
                       json={"category": "social"})
        assert r.status_code == 201, r.get_data(as_text=True)
    admin = app.test_client()
    csrf = admin.get(f"{API}/auth/csrf").get_json()["csrf_token"]
    r = admin.post(f"{API}/auth/login", json={"username": "admin", "password": "admin-password"},
                   headers={"X-CSRFToken": csrf})
    assert r.status_code == 200, r.get_data(as_text=True)
    headers = {"X-CSRFToken": r.get_json()["csrf_token"]}
    base = f"{API}/sites/{SITE}/windows/1"
    for path in ("sign-in", "open"):
        r = admin.post(f"{base}/{path}", json={"post": "A"} if path == "sign-in" else {},
                       headers=headers)
        assert r.status_code == 200, (path, r.get_data(as_text=True))

    def cycle(i: int) -> None:
        r = admin.post(f"{base}/call-next", headers=headers)
        assert r.status_code == 200, r.get_data(as_text=True)
        ticket = r.get_json()["id"]
        for action in ("start", "finish"):
            r = admin.post(f"{API}/sites/{SITE}/tickets/{ticket}/{action}", headers=headers)
            assert r.status_code == 200, r.get_data(as_text=True)

    if args.statements:
        counter.keep, counter.kept = True, []
        cycle(0)
        counter.keep = False
        print(f"\nSQL of one call-next -> start -> finish ({len(counter.kept)} statements):")
        print("\n".join(f"  {s[:160]}" for s in counter.kept))
        print()
    measure("call-next -> start -> finish (a \"request\" here is a cycle of 3)", CALL_CYCLES,
            cycle, counter)


if __name__ == "__main__":
    sys.exit(main())
