"""HTTP benchmark of queue_core: issuing and calling on the real server (gunicorn, 1 process).

For each backend the script makes a fresh database (a temp SQLite file, or a fresh PostgreSQL
database `queuehall_bench`), runs `queuehall demo` and `queuehall serve` in a temp folder, and
drives the server over keep-alive HTTP from this process (client threads, one lean_http.JsonClient
each). Client and server share the machine's cores.

  floor   the same client against bench/floor_app.py (a Flask endpoint doing no work, served
          like queuehall): what the framework and the machine cost before queuehall does anything.
  issue   N clients POST /sites/gaoxin/tickets as kiosks, round-robin over the 7 categories;
          then 8 kiosks paced at --pace tickets/s in all (open loop: latency counts from when
          each request was due).
  calling N clients each own one window (admin session) and loop call-next -> start -> finish;
          the call-next latency is reported, and calls/s counts whole cycles.

Each phase has a warm-up (not counted) and then a measured window. Afterwards the script checks
the server's books against what the clients saw (no number issued twice, every prefix numbered
1..n without gaps, no ticket called twice, stats/today totals = acknowledged requests) and fails
loudly (exit status 1) when they disagree.

Usage: .venv/bin/python bench/bench_api.py [--backend sqlite|postgresql|all] [--seconds 6]
                                           [--pace 20] [--write-results]
"""
from __future__ import annotations

import argparse
import atexit
import collections
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lean_http import TRANSPORT_ERRORS, JsonClient  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
QUEUEHALL = Path(sys.executable).with_name("queuehall")
RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "## Issuing and calling over HTTP (queue_core)"
SITE = "gaoxin"
API = "/api/v1"
CATEGORIES = ["social", "tax", "realty", "business", "fund", "residency", "general"]
WINDOWS = 12
PG_ADMIN_URL = "postgresql+psycopg://queuehall:queuehall@127.0.0.1:5432/postgres"
PG_BENCH_DB = "queuehall_bench"
PG_BENCH_URL = f"postgresql+psycopg://queuehall:queuehall@127.0.0.1:5432/{PG_BENCH_DB}"
RESULTS_DATE = time.strftime("%Y-%m-%d", time.gmtime())  # UTC day of the run
TIMEOUT = 30
OTHER_LOAD = 0.4  # cores used by neither server nor client above which a row is flagged
PACED_CLIENTS = 8  # kiosks in the paced (open-loop) issue row


# Findings written under the tables (they explain the figures; re-check them when the server
# changes). In-process figures come from bench/profile_issue.py.
NOTES = """\
How to read this run: the floor rows are bench/floor_app.py, a Flask endpoint that parses the
JSON and answers without doing anything, served by gunicorn exactly like queuehall and driven by
the same client: this machine's ceiling for any Flask endpoint in one process. A closed loop
keeps N requests in the server at once, so latency at N clients is about N x the server time
per request: p99 < 20 ms at 8 clients would ask for about 1.5 ms of server time per issue,
which is the framework with its extensions and no database. The paced row (8 kiosks offering 20
tickets/s in all, about a hundred times a busy hall's peak) is what kiosks see under a heavy but
unsaturated load. The "server CPU ms" column is the server's process group's CPU over the
measured window divided by the requests (or cycles) answered in it.

Server cost is best read in-process, where CPU time depends much less on other load:
`.venv/bin/python bench/profile_issue.py` (Flask test client, one thread; `--statements` lists
the SQL of one issue, `--call` profiles call-next -> start -> finish, `--profile N` prints
cProfile's top N). Compare in-process figures only within one session, alternating runs; the
sections below do.

Why the ratio targets are not met. A served issue costs 6-7 ms of server CPU on SQLite against
the floor's 0.3 ms. In-process, the request's own thread spends about 3 ms: the site's write
lock about 1.4 ms (7 statements and a COMMIT with synchronous=FULL, whose fsync is 0.3 ms of
it), Flask with its extensions (login, limiter, CSRF hook, the Socket.IO middleware, security
headers, validation) about 1 ms, the device read 0.3 ms, the print dispatch 0.5 ms; the
spooler's thread adds about 2 ms per printed ticket (layout, ESC/POS, the journal's writes);
gunicorn, gevent and HTTP add about 2 ms more per request than the floor pays. Four times the
floor is about 1.3 ms of server CPU for a printed, durable, audited ticket: less than its
database statements alone cost through SQLAlchemy (0.05-0.15 ms each, 16 per issue across both
threads). Throughput: one process runs Python on one core at a time (the GIL), so it issues at
most 1000 / (CPU ms per issue) tickets/s: 140-150/s here. PostgreSQL costs more per issue
(9-10 ms: the driver, round trips and the server's own CPU on the same 2 cores)."""


class BenchFailure(Exception):
    """The server's books disagree with what the clients saw."""


# --------------------------------------------------------------------------------------------
# The server under test


def _bench_config(folder: Path, database_url: str) -> Path:
    text_ = (ROOT / "config.toml").read_text(encoding="utf-8")
    subs = [(r'(?m)^database_url = "[^"]*"', f'database_url = "{database_url}"'),
            (r'(?m)^secret_key_file = "[^"]*"', f'secret_key_file = "{folder / "data" / "secret_key"}"'),
            (r'(?m)^issue_rate_limit = "[^"]*"', 'issue_rate_limit = "100000 per minute"'),
            (r'(?m)^daily_cap = \d+', "daily_cap = 9999"),
            (r'(?m)^opens = "[^"]*"', 'opens = "00:00"'),
            (r'(?m)^closes = "[^"]*"', 'closes = "24:00"'),
            (r'(?m)^weekdays = \[[^\]]*\]', "weekdays = [1, 2, 3, 4, 5, 6, 7]")]
    for pattern, repl in subs:
        text_, n = re.subn(pattern, repl.replace("\\", "\\\\"), text_)
        if n == 0:
            raise RuntimeError(f"config.toml: no line matches {pattern}")
    path = folder / "bench-config.toml"
    path.write_text(text_, encoding="utf-8")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_group(process: subprocess.Popen, patience: float = 10) -> None:
    """SIGTERM a process group we started (a server, Redis), SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(patience)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
    except ProcessLookupError:
        pass


def _pg_admin(sql: str) -> None:
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


class Server:
    """A fresh database and `queuehall serve` in a temp folder; `close()` undoes everything."""

    def __init__(self, backend: str) -> None:
        self.backend = backend
        self.folder = Path(tempfile.mkdtemp(prefix=f"queuehall-bench-{backend}-"))
        self.process: subprocess.Popen | None = None
        self.pg_created = False
        self.closed = False
        atexit.register(self.close)
        if backend == "postgresql":
            _pg_admin(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
            _pg_admin(f"CREATE DATABASE {PG_BENCH_DB}")
            self.pg_created = True
            self.database_url = PG_BENCH_URL
        else:
            self.database_url = f"sqlite:///{self.folder / 'data' / 'bench.db'}"
        self.config = _bench_config(self.folder, self.database_url)
        env = {k: v for k, v in os.environ.items() if not k.startswith("QUEUEHALL_")}
        env["QUEUEHALL_DATABASE_URL"] = self.database_url
        self.env = env
        demo = subprocess.run([str(QUEUEHALL), "--config", str(self.config), "demo"],
                              cwd=self.folder, env=env, capture_output=True, text=True,
                              timeout=120, check=False)
        if demo.returncode != 0:
            raise RuntimeError(f"queuehall demo failed:\n{demo.stdout}\n{demo.stderr}")
        creds = (self.folder / "data" / "demo-credentials.txt").read_text(encoding="utf-8")
        self.passwords = dict(re.findall(r"^\s+\w+\s+(\w+)\s+password (\S+)$", creds, re.MULTILINE))
        self.tokens = dict(re.findall(r"^\s+device (\S+)\s+token (\S+)$", creds, re.MULTILINE))
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = self.folder / "server.log"
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [str(QUEUEHALL), "--config", str(self.config), "serve", "--port", str(port)],
                cwd=self.folder, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        self.probe = CpuProbe(self.process.pid)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if requests.get(self.url + API + "/health", timeout=1).ok:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("server did not start:\n" + self.log_path.read_text(errors="replace"))

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self.process is not None:
            stop_group(self.process)
        if self.pg_created:
            try:
                _pg_admin(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
            except Exception as exc:  # noqa: BLE001 - cleanup must go on
                print(f"warning: could not drop {PG_BENCH_DB}: {exc}", file=sys.stderr)
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- clients ---------------------------------------------------------------------------

    def kiosk(self, which: int = 0) -> requests.Session:
        s = requests.Session()
        s.headers.update(self.kiosk_headers(which))
        return s

    def kiosk_headers(self, which: int = 0) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[f'kiosk-{which % 2 + 1}']}"}

    def admin(self) -> requests.Session:
        s = requests.Session()
        csrf = s.get(self.url + API + "/auth/csrf", timeout=TIMEOUT).json()["csrf_token"]
        r = s.post(self.url + API + "/auth/login",
                   json={"username": "admin", "password": self.passwords["admin"]},
                   headers={"X-CSRFToken": csrf}, timeout=TIMEOUT)
        if r.status_code != 200:
            raise RuntimeError(f"admin login failed: {r.status_code} {r.text}")
        s.headers["X-CSRFToken"] = r.json()["csrf_token"]
        return s

    def waiting(self, admin: requests.Session) -> int:
        return self.stats(admin)["totals"]["waiting"]

    def stats(self, admin: requests.Session) -> dict:
        r = admin.get(f"{self.url}{API}/sites/{SITE}/stats/today", timeout=TIMEOUT)
        r.raise_for_status()
        return r.json()


class FloorServer:
    """bench/floor_app.py under gunicorn with `queuehall serve`'s settings: the framework floor."""

    def __init__(self) -> None:
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [str(gunicorn), "--worker-class", "gevent", "--workers", "1",
             "--worker-connections", "2000", "--bind", f"127.0.0.1:{port}", "floor_app:app"],
            cwd=Path(__file__).resolve().parent, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)
        atexit.register(self.close)
        self.probe = CpuProbe(self.process.pid)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                status, _ = JsonClient(self.url, timeout=1).post(
                    f"{API}/sites/{SITE}/tickets", {"category": "social"})
                if status == 201:
                    return
            except TRANSPORT_ERRORS:
                time.sleep(0.1)
        raise RuntimeError("floor server did not start")

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(10)


# --------------------------------------------------------------------------------------------
# CPU accounting: who used the cores during a measured window

CLK_TCK = os.sysconf("SC_CLK_TCK")


def group_cpu_seconds(pgid: int) -> float:
    """user+system CPU of the live processes in a process group (the gunicorn master + worker)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid:  # fields[0] is the state; pgrp is the 5th field of the line
            total += int(fields[11]) + int(fields[12])
    return total / CLK_TCK


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent not idle (all cores), from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values[:8]) - idle) / CLK_TCK


@dataclass
class CpuUse:
    """Cores busy on average over a window: the server process group, this client process,
    and the whole machine (which includes PostgreSQL and anything else running)."""

    server: float
    client: float
    machine: float


class CpuProbe:
    def __init__(self, server_pgid: int) -> None:
        self.pgid = server_pgid

    def snapshot(self) -> tuple[float, float, float, float]:
        return (time.perf_counter(), group_cpu_seconds(self.pgid), time.process_time(),
                machine_busy_seconds())

    @staticmethod
    def between(a, b) -> CpuUse:
        wall = b[0] - a[0]
        return CpuUse((b[1] - a[1]) / wall, (b[2] - a[2]) / wall, (b[3] - a[3]) / wall)


# --------------------------------------------------------------------------------------------
# Load generation


@dataclass
class Ledger:
    """Everything the server acknowledged, across all phases, for the correctness check."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    issued: list[tuple[int, str]] = field(default_factory=list)   # (id, number) of each 201
    called: list[int] = field(default_factory=list)              # ticket id of each call-next 200
    finished: list[int] = field(default_factory=list)
    print_jobs: int = 0                                          # 201s that queued a print job


@dataclass
class PhaseResult:
    kind: str
    clients: int
    seconds: float
    latencies: list[float]          # seconds, of the measured requests that succeeded
    ok: int                         # operations completed in the measured window
    errors: collections.Counter
    waiting_before: int
    waiting_after: int
    early_p50: float = 0.0          # p50 of the first and last fifth of the measured window
    late_p50: float = 0.0
    cpu: CpuUse | None = None
    pace: float | None = None       # tickets/s offered in all (open loop), None: back to back

    @property
    def rate(self) -> float:
        return self.ok / self.seconds

    @property
    def cpu_per_op(self) -> float:
        """Server CPU seconds per completed operation (a ticket, a request, a cycle)."""
        return self.cpu.server / self.rate if self.cpu and self.ok else float("nan")

    def pct(self, p: float) -> float:
        return percentile(self.latencies, p)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(-(-p * len(ordered) // 100)) - 1))
    return ordered[k]


def _run_phase(n: int, worker, warmup: float, seconds: float,
               probe: CpuProbe) -> tuple[list, collections.Counter, CpuUse]:
    """Start n threads running worker(i, stop_at, record); record(t_end, latency, ok, key)."""
    start_barrier = threading.Barrier(n + 1)
    samples: list[tuple[float, float, bool, str]] = []
    lock = threading.Lock()
    crashes: list[BaseException] = []
    t = {}

    def record(t_end: float, latency: float, ok: bool, key: str) -> None:
        with lock:
            samples.append((t_end, latency, ok, key))

    def run(i: int) -> None:
        try:
            start_barrier.wait()
            worker(i, t["stop"], record)
        except BaseException as exc:  # noqa: BLE001 - surfaced below
            crashes.append(exc)

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(n)]
    for th in threads:
        th.start()
    t["t0"] = time.perf_counter()
    t["stop"] = t["t0"] + warmup + seconds
    start_barrier.wait()
    begin, end = t["t0"] + warmup, t["stop"]
    time.sleep(max(0.0, begin - time.perf_counter()))
    first = probe.snapshot()
    time.sleep(max(0.0, end - time.perf_counter()))
    cpu = CpuProbe.between(first, probe.snapshot())
    for th in threads:
        th.join()
    if crashes:
        raise crashes[0]
    measured = [s for s in samples if begin <= s[0] < end]
    errors = collections.Counter(s[3] for s in measured if not s[2])
    return [(s[0] - begin, s[1]) for s in measured if s[2]], errors, cpu


def issue_phase(srv: Server, ledger: Ledger, admin: requests.Session, clients: int,
                warmup: float, seconds: float, pace: float | None = None) -> PhaseResult:
    """`clients` kiosks issuing back to back, or at `pace` tickets/s in all (open loop: each
    request is due at a fixed time, and its latency counts from then, so a slow server cannot
    hide its queue by delaying the next request)."""
    before = srv.waiting(admin)
    worker = issue_worker(srv.url, lambda i: srv.kiosk_headers(i), ledger, clients, pace)
    done, errors, cpu = _run_phase(clients, worker, warmup, seconds, srv.probe)
    result = _result("issue", clients, seconds, done, errors, before, srv.waiting(admin), cpu)
    result.pace = pace
    return result


def issue_worker(base_url: str, headers_of, ledger: Ledger | None, clients: int,
                 pace: float | None):
    path = f"{API}/sites/{SITE}/tickets"

    def worker(i: int, stop_at: float, record) -> None:
        client, k = JsonClient(base_url, headers_of(i), TIMEOUT), i
        due = time.perf_counter() + i / pace if pace else 0.0
        while True:
            body = {"category": CATEGORIES[k % len(CATEGORIES)]}
            k += 1
            if pace:
                time.sleep(max(0.0, due - time.perf_counter()))
                t1, due = due, due + clients / pace
            else:
                t1 = time.perf_counter()
            if t1 >= stop_at:
                return
            try:
                status, j = client.post(path, body)
                t2 = time.perf_counter()
                ok = status == 201
                if ok and ledger is not None:
                    with ledger.lock:
                        ledger.issued.append((j["id"], j["number"]))
                        ledger.print_jobs += bool(j.get("print"))
                key = "" if ok else f"HTTP {status} {_code(j)}"
            except TRANSPORT_ERRORS as exc:
                t2, ok, key = time.perf_counter(), False, type(exc).__name__
            record(t2, t2 - t1, ok, key)

    return worker


def floor_phase(floor: "FloorServer", clients: int, warmup: float,
                seconds: float) -> PhaseResult:
    worker = issue_worker(floor.url, lambda i: {}, None, clients, None)
    done, errors, cpu = _run_phase(clients, worker, warmup, seconds, floor.probe)
    return _result("floor", clients, seconds, done, errors, 0, 0, cpu)


def call_phase(srv: Server, ledger: Ledger, admin: requests.Session, clients: int,
               warmup: float, seconds: float) -> PhaseResult:
    """Each client owns window i+1 and loops call-next -> start -> finish."""
    before = srv.waiting(admin)
    sessions = [JsonClient.like(srv.admin(), srv.url) for _ in range(clients)]
    base = f"{API}/sites/{SITE}"
    cycles: list[float] = []
    cycles_lock = threading.Lock()

    def worker(i: int, stop_at: float, record) -> None:
        session, window = sessions[i], i + 1
        while True:
            t1 = time.perf_counter()
            if t1 >= stop_at:
                return
            try:
                status, j = session.post(f"{base}/windows/{window}/call-next")
                t2 = time.perf_counter()
                if status != 200:
                    record(t2, t2 - t1, False, f"call-next HTTP {status} {_code(j)}")
                    if status == 409:
                        time.sleep(0.01)
                    continue
                record(t2, t2 - t1, True, "")
                ticket = j["id"]
                with ledger.lock:
                    ledger.called.append(ticket)
                for action in ("start", "finish"):
                    status, j = session.post(f"{base}/tickets/{ticket}/{action}")
                    if status != 200:
                        raise BenchFailure(f"window {window}: {action} of ticket {ticket}: "
                                           f"HTTP {status} {str(j)[:200]}")
                with ledger.lock:
                    ledger.finished.append(ticket)
                with cycles_lock:
                    cycles.append(time.perf_counter())
            except TRANSPORT_ERRORS as exc:
                t2 = time.perf_counter()
                record(t2, t2 - t1, False, type(exc).__name__)

    t_start = time.perf_counter()
    done, errors, cpu = _run_phase(clients, worker, warmup, seconds, srv.probe)
    # calls/s: whole call-next -> start -> finish cycles ending in the measured window
    begin = t_start + warmup
    result = _result("calling", clients, seconds, done, errors, before, srv.waiting(admin), cpu)
    result.ok = sum(1 for c in cycles if begin <= c < begin + seconds)
    return result


QUEUE_CATEGORIES = ("social", "fund")  # window 1's A and B categories: all of the queue is its


def queue_length_phases(backend: str, lengths: list[int], warmup: float,
                        seconds: float) -> list[PhaseResult]:
    """Does a call cost more when more wait? On a fresh server, window 1 loops call-next ->
    no-show -> reinstate (the ticket goes back to the end of the queue, so the queue keeps its
    length) with `lengths` tickets waiting in its categories, one row per length."""
    srv = Server(backend)
    try:
        admin = srv.admin()
        r = admin.post(f"{srv.url}{API}/sites/{SITE}/windows/1/open", timeout=TIMEOUT)
        if r.status_code != 200:
            raise RuntimeError(f"open window 1: {r.status_code} {r.text}")
        results = []
        for n in lengths:
            top_up(srv, Ledger(), admin, n, QUEUE_CATEGORIES)
            results.append(queue_phase(srv, admin, warmup, seconds))
            print(f"[{backend}] queue    n={n:<4} {_line(results[-1])}  "
                  f"CPU {results[-1].cpu_per_op * 1e3:.2f} ms/cycle", file=sys.stderr, flush=True)
        return results
    finally:
        srv.close()


def queue_phase(srv: Server, admin: requests.Session, warmup: float,
                seconds: float) -> PhaseResult:
    before = srv.waiting(admin)
    session = JsonClient.like(srv.admin(), srv.url)
    base = f"{API}/sites/{SITE}"
    cycles: list[float] = []

    def worker(i: int, stop_at: float, record) -> None:
        while time.perf_counter() < stop_at:
            t1 = time.perf_counter()
            status, j = session.post(f"{base}/windows/1/call-next")
            t2 = time.perf_counter()
            record(t2, t2 - t1, status == 200, "" if status == 200 else f"HTTP {status} {_code(j)}")
            if status != 200:
                raise BenchFailure(f"call-next with {before} waiting: HTTP {status} {str(j)[:200]}")
            for action in ("no-show", "reinstate"):
                status, k = session.post(f"{base}/tickets/{j['id']}/{action}")
                if status != 200:
                    raise BenchFailure(f"{action} of {j['id']}: HTTP {status} {str(k)[:200]}")
            cycles.append(time.perf_counter())

    t_start = time.perf_counter()
    done, errors, cpu = _run_phase(1, worker, warmup, seconds, srv.probe)
    result = _result("queue", 1, seconds, done, errors, before, srv.waiting(admin), cpu)
    begin = t_start + warmup
    result.ok = sum(1 for c in cycles if begin <= c < begin + seconds)
    return result


def top_up(srv: Server, ledger: Ledger, admin: requests.Session, minimum: int,
           categories: tuple[str, ...] = tuple(CATEGORIES)) -> None:
    """Issue (unmeasured) until at least `minimum` tickets wait, so call-next always finds one."""
    missing = minimum - srv.waiting(admin)
    if missing <= 0:
        return
    url = f"{srv.url}{API}/sites/{SITE}/tickets"

    def issue_some(i: int) -> None:
        session = srv.kiosk(i)
        for k in range(i, missing, 4):
            r = session.post(url, json={"category": categories[k % len(categories)]},
                             timeout=TIMEOUT)
            if r.status_code != 201:
                raise RuntimeError(f"top-up issue: HTTP {r.status_code} {r.text[:200]}")
            j = r.json()
            with ledger.lock:
                ledger.issued.append((j["id"], j["number"]))
                ledger.print_jobs += bool(j.get("print"))

    threads = [threading.Thread(target=issue_some, args=(i,)) for i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()


def _code(body: dict | None) -> str:
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        body = body["error"]
    return str(body.get("code", "")) if isinstance(body, dict) else ""


def _result(kind, clients, seconds, done, errors, before, after, cpu) -> PhaseResult:
    lat = [latency for _, latency in done]
    fifth = seconds / 5
    early = [latency for at, latency in done if at < fifth]
    late = [latency for at, latency in done if at >= seconds - fifth]
    return PhaseResult(kind, clients, seconds, lat, len(lat), errors, before, after,
                       percentile(early, 50), percentile(late, 50), cpu)


# --------------------------------------------------------------------------------------------
# Correctness: the server's books against the clients' ledger


def verify(srv: Server, ledger: Ledger, admin: requests.Session) -> list[str]:
    problems: list[str] = []
    numbers = collections.Counter(number for _, number in ledger.issued)
    ids = collections.Counter(i for i, _ in ledger.issued)
    dup_numbers = [n for n, c in numbers.items() if c > 1]
    dup_ids = [i for i, c in ids.items() if c > 1]
    if dup_numbers:
        problems.append(f"{len(dup_numbers)} numbers acknowledged twice, e.g. {dup_numbers[:5]}")
    if dup_ids:
        problems.append(f"{len(dup_ids)} ticket ids acknowledged twice, e.g. {dup_ids[:5]}")
    called = collections.Counter(ledger.called)
    dup_called = [i for i, c in called.items() if c > 1]
    if dup_called:
        problems.append(f"{len(dup_called)} tickets called twice, e.g. {dup_called[:5]}")
    unknown = set(called) - set(ids)
    if unknown:
        problems.append(f"{len(unknown)} called tickets were never issued, e.g. {sorted(unknown)[:5]}")

    totals = srv.stats(admin)["totals"]
    expect = {"issued": len(ledger.issued), "called": len(ledger.called),
              "served": len(ledger.finished),
              "waiting": len(ledger.issued) - len(ledger.called)}
    for key, value in expect.items():
        if totals[key] != value:
            problems.append(f"stats/today {key} = {totals[key]}, clients saw {value}")

    engine = create_engine(srv.database_url)
    try:
        with engine.connect() as conn:
            dup = conn.execute(text(
                "SELECT number, COUNT(*) FROM tickets GROUP BY site_id, service_date, number "
                "HAVING COUNT(*) > 1")).all()
            if dup:
                problems.append(f"database: {len(dup)} numbers stored twice, e.g. {dup[:5]}")
            gaps = conn.execute(text(
                "SELECT substr(number, 1, 1) AS prefix, COUNT(*), MIN(seq), MAX(seq), "
                "COUNT(DISTINCT seq) FROM tickets GROUP BY site_id, service_date, "
                "substr(number, 1, 1)")).all()
            for prefix, count, lo, hi, distinct in gaps:
                if not (lo == 1 and hi == count == distinct):
                    problems.append(f"database: prefix {prefix} has {count} tickets numbered "
                                    f"{lo}..{hi} ({distinct} distinct)")
            twice = conn.execute(text(
                "SELECT ticket_id, COUNT(*) FROM events WHERE type = 'called' "
                "GROUP BY ticket_id HAVING COUNT(*) > 1")).all()
            if twice:
                problems.append(f"database: {len(twice)} tickets have two 'called' events, "
                                f"e.g. {twice[:5]}")
            stored = conn.execute(text("SELECT COUNT(*) FROM tickets")).scalar_one()
            if stored != len(ledger.issued):
                problems.append(f"database holds {stored} tickets, clients were given "
                                f"{len(ledger.issued)}")
    finally:
        engine.dispose()
    return problems


# --------------------------------------------------------------------------------------------
# Driver and report


@dataclass
class BackendRun:
    backend: str
    issue: list[PhaseResult]
    calling: list[PhaseResult]
    issued: int
    called: int
    print_jobs: int
    problems: list[str]
    background: float = 0.0
    queue: list[PhaseResult] = field(default_factory=list)


def background_load(window: float = 1.0) -> float:
    """Cores busy on this machine over `window` seconds while the benchmark is idle."""
    a, t = machine_busy_seconds(), time.perf_counter()
    time.sleep(window)
    return (machine_busy_seconds() - a) / (time.perf_counter() - t)


def wait_for_quiet(max_wait: float, threshold: float = 0.25) -> float:
    """Wait (up to max_wait s) until other work on the machine uses < threshold cores."""
    deadline = time.monotonic() + max_wait
    load = background_load()
    while load >= threshold and time.monotonic() < deadline:
        print(f"machine busy ({load:.2f} cores used by other processes), waiting ...",
              file=sys.stderr, flush=True)
        load = background_load(2.0)
    return load


def bench_backend(backend: str, seconds: float, warmup: float, issue_levels: list[int],
                  call_levels: list[int], quiet_wait: float, pace: float,
                  queue_lengths: list[int] = ()) -> BackendRun:
    idle = wait_for_quiet(quiet_wait)
    print(f"[{backend}] background load {idle:.2f} cores; starting a fresh server ...",
          file=sys.stderr, flush=True)
    srv = Server(backend)
    try:
        ledger = Ledger()
        admin = srv.admin()
        issue = []
        for n in issue_levels:
            res = issue_phase(srv, ledger, admin, n, warmup, seconds)
            print(f"[{backend}] issue    c={n:<2} {_line(res)}", file=sys.stderr, flush=True)
            issue.append(res)
        if pace:
            res = issue_phase(srv, ledger, admin, PACED_CLIENTS, warmup, seconds, pace)
            print(f"[{backend}] issue    c={PACED_CLIENTS} at {pace:g}/s {_line(res)}",
                  file=sys.stderr, flush=True)
            issue.append(res)
        for w in range(1, WINDOWS + 1):
            r = admin.post(f"{srv.url}{API}/sites/{SITE}/windows/{w}/open", timeout=TIMEOUT)
            if r.status_code != 200:
                raise RuntimeError(f"open window {w}: {r.status_code} {r.text}")
        calling = []
        for n in call_levels:
            # enough in every window's categories for the fastest calling seen (~70 cycles/s)
            top_up(srv, ledger, admin, minimum=max(300, int(150 * (warmup + seconds))))
            res = call_phase(srv, ledger, admin, n, warmup, seconds)
            print(f"[{backend}] calling  w={n:<2} {_line(res)}", file=sys.stderr, flush=True)
            calling.append(res)
        problems = verify(srv, ledger, admin)
        run = BackendRun(backend, issue, calling, len(ledger.issued), len(ledger.called),
                         ledger.print_jobs, problems, idle)
    finally:
        srv.close()
    if queue_lengths:  # on a server of their own: the queue is only window 1's
        run.queue = queue_length_phases(backend, queue_lengths, warmup, seconds)
    return run


def bench_floor(seconds: float, warmup: float, levels: list[int]) -> list[PhaseResult]:
    floor = FloorServer()
    try:
        results = []
        for n in levels:
            res = floor_phase(floor, n, warmup, seconds)
            print(f"[floor]  issue    c={n:<2} {_line(res)}", file=sys.stderr, flush=True)
            results.append(res)
        return results
    finally:
        floor.close()


def _line(r: PhaseResult) -> str:
    return (f"p50 {r.pct(50) * 1e3:6.1f} ms  p99 {r.pct(99) * 1e3:6.1f} ms  "
            f"{r.rate:6.0f}/s  errors {sum(r.errors.values())}  "
            f"waiting {r.waiting_before}->{r.waiting_after}")


def _ms(x: float) -> str:
    return f"{x * 1e3:.1f}"


def tables(runs: list[BackendRun], floor: list[PhaseResult]) -> str:
    head = ("| p50 ms | p99 ms | max ms | {rate} | errors | waiting | p50 first/last s ms "
            "| CPU server/client/machine | server CPU ms per {op} |")
    out = [("Issue: `POST /api/v1/sites/gaoxin/tickets` as kiosks (bearer token), keep-alive, "
            "each client back-to-back, round-robin over the 7 categories; \"N at R/s\": N "
            "kiosks offering R tickets/s in all (open loop, latency from when each request was "
            "due). \"floor\": the same requests to bench/floor_app.py, a Flask endpoint that "
            "does nothing, served the same way."), "",
           "| backend | clients " + head.format(rate="tickets/s", op="request"),
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    out += [_row("floor", r) for r in floor]
    for run in runs:
        out += [_row(run.backend, r) for r in run.issue]
    out += ["", ("Calling: each client owns one window (admin session, windows opened by admin) "
                 "and loops `call-next` → `start` → `finish`; latency is of `call-next`, calls/s "
                 "counts whole cycles (3 requests each). 12 is the most: the hall has 12 windows "
                 "and a window holds one ticket at a time, so 32 concurrent callers cannot "
                 "exist."), "",
            "| backend | windows " + head.format(rate="calls/s", op="cycle"),
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for run in runs:
        out += [_row(run.backend, r) for r in run.calling]
    if any(run.queue for run in runs):
        out += ["", ("Queue length: on a fresh server, window 1 loops `call-next` → `no-show` → "
                     "`reinstate` (back to the end of the queue, so the queue keeps its length) "
                     "with the tickets waiting all in its categories (social A, fund B); "
                     "latency is of `call-next`, calls/s counts whole cycles."), "",
                "| backend | waiting " + head.format(rate="calls/s", op="cycle"),
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for run in runs:
            out += [_row(run.backend, r, str(r.waiting_before)) for r in run.queue]
    out += ["", ("\"waiting\": queue length before → after the phase. \"p50 first/last s\": "
                 "median of the first and of the last fifth of the measured window. \"CPU\": "
                 "cores busy on average during the measured window — the server's process "
                 "group, the client process, and the whole machine (incl. PostgreSQL and the "
                 f"kernel); the machine has {os.cpu_count()}. † marks a row during which "
                 f"something other than server and client (PostgreSQL, or other work on the "
                 f"machine) used more than {OTHER_LOAD} core."), ""]
    for run in runs:
        verdict = "OK" if not run.problems else "FAILED: " + "; ".join(run.problems)
        out.append(f"Background load before the {run.backend} run: {run.background:.2f} cores. "
                   f"Check ({run.backend}): {run.issued} tickets issued ({run.print_jobs} with a "
                   f"print job queued), {run.called} called — no number issued twice, numbers "
                   f"1..n per prefix, no ticket called twice, stats/today = client counts: "
                   f"{verdict}.")
    return "\n".join(out)


def _row(backend: str, r: PhaseResult, label: str | None = None) -> str:
    cpu = f"{r.cpu.server:.2f} / {r.cpu.client:.2f} / {r.cpu.machine:.2f}" if r.cpu else "-"
    if r.cpu and r.cpu.machine - r.cpu.server - r.cpu.client > OTHER_LOAD:
        cpu += " †"
    clients = label or (f"{r.clients} at {r.pace:g}/s" if r.pace else str(r.clients))
    return (f"| {backend} | {clients} | {_ms(r.pct(50))} | {_ms(r.pct(99))} | "
            f"{_ms(max(r.latencies, default=float('nan')))} | {r.rate:.0f} | {_errors(r)} | "
            f"{r.waiting_before} → {r.waiting_after} | {_ms(r.early_p50)} / {_ms(r.late_p50)} | "
            f"{cpu} | {r.cpu_per_op * 1e3:.2f} |")


def _errors(r: PhaseResult) -> str:
    n = sum(r.errors.values())
    if not n:
        return "0"
    return f"{n} ({', '.join(f'{k}: {v}' for k, v in r.errors.most_common(3))})"


def targets(runs: list[BackendRun], floor: list[PhaseResult]) -> list[str]:
    lines = []
    floor8 = next((r for r in floor if r.clients == 8), None)
    for run in runs:  # issue 12: ratios within this run
        for n in (1, 8):
            base = next((r for r in floor if r.clients == n), None)
            mine = next((r for r in run.issue if r.clients == n and not r.pace), None)
            if base and mine:
                ratio = mine.cpu_per_op / base.cpu_per_op
                lines.append(f"- {run.backend}: server CPU per issue ≤ 4× the floor's, {n} "
                             f"client{'s' if n > 1 else ''}: {mine.cpu_per_op * 1e3:.2f} vs "
                             f"{base.cpu_per_op * 1e3:.2f} ms (×{ratio:.1f}) — "
                             f"{'met' if ratio <= 4 else 'NOT met'}.")
        if len(run.queue) >= 2:
            short, long_ = run.queue[0], run.queue[-1]
            ratio = long_.cpu_per_op / short.cpu_per_op
            lines.append(f"- {run.backend}: a call with {long_.waiting_before} waiting costs ≤ 1.2× "
                         f"one with {short.waiting_before}: server CPU per call-next → no-show → "
                         f"reinstate cycle {long_.cpu_per_op * 1e3:.2f} vs "
                         f"{short.cpu_per_op * 1e3:.2f} ms (×{ratio:.2f}), call-next p50 "
                         f"{_ms(long_.pct(50))} vs {_ms(short.pct(50))} ms "
                         f"(×{long_.pct(50) / short.pct(50):.2f}) — "
                         f"{'met' if ratio <= 1.2 else 'NOT met'}.")
    for run in runs:
        if run.backend != "sqlite":
            continue
        at8 = next((r for r in run.issue if r.clients == 8 and not r.pace), None)
        if at8 is not None:
            ok = at8.pct(99) < 0.020
            vs = (f" (the floor's: {_ms(floor8.pct(99))} ms, {floor8.rate:.0f} requests/s)"
                  if floor8 else "")
            lines.append(f"- issue p99 < 20 ms at 8 clients on SQLite: {_ms(at8.pct(99))} ms"
                         f"{vs} — {'met' if ok else 'NOT met'}.")
        paced = next((r for r in run.issue if r.pace), None)
        if paced is not None:
            lines.append(f"- (at {paced.pace:g} tickets/s offered by {paced.clients} kiosks: "
                         f"p99 {_ms(paced.pct(99))} ms.)")
        best = max((r for r in run.issue if not r.pace), key=lambda r: r.rate, default=None)
        if best is not None:
            ok = best.rate >= 300
            lines.append(f"- ≥ 300 tickets/s sustained on SQLite: best {best.rate:.0f}/s "
                         f"({best.clients} client{'s' if best.clients > 1 else ''}) — "
                         f"{'met' if ok else 'NOT met'}.")
    for run in runs:
        if run.backend == "postgresql" and run.issue:
            at8 = next((r for r in run.issue if r.clients == 8 and not r.pace), None)
            best = max(run.issue, key=lambda r: r.rate)
            lines.append(f"- (PostgreSQL, for comparison: p99 at 8 clients "
                         f"{_ms(at8.pct(99)) if at8 else '-'} ms, best {best.rate:.0f} tickets/s.)")
    return lines


def python_speed() -> float:
    """Seconds of CPU for a 10-million-step Python loop: how fast this machine runs Python today
    (a shared VM varies from day to day, and every figure above scales with it)."""
    t0, total = time.process_time(), 0
    for i in range(10_000_000):
        total += i
    return time.process_time() - t0


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    def run(*cmd: str) -> str:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
    return (f"`nproc` {run('nproc')}, {cpu}, `{run('uname', '-a')}`, "
            f"Python {platform.python_version()}")


def write_results(section_body: str) -> None:
    content = RESULTS.read_text(encoding="utf-8")
    start = content.index(SECTION) + len(SECTION)
    nxt = content.find("\n## ", start)
    end = len(content) if nxt == -1 else nxt + 1
    RESULTS.write_text(content[:start] + "\n\n" + section_body.strip() + "\n\n" + content[end:],
                       encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--backend", choices=["sqlite", "postgresql", "all"], default="all")
    ap.add_argument("--seconds", type=float, default=6.0, help="measured seconds per phase")
    ap.add_argument("--warmup", type=float, default=1.0, help="warm-up seconds per phase")
    ap.add_argument("--clients", default="1,8,32", help="issue concurrency levels")
    ap.add_argument("--windows", default="1,8,12", help="calling concurrency levels (≤ 12)")
    ap.add_argument("--pace", type=float, default=20,
                    help=f"tickets/s offered by {PACED_CLIENTS} paced kiosks (0: no paced row)")
    ap.add_argument("--queue-lengths", default="10,3000",
                    help="waiting tickets of the queue-length rows ('' : none)")
    ap.add_argument("--quiet-wait", type=float, default=60,
                    help="seconds to wait for other load on the machine to stop (0: do not)")
    ap.add_argument("--write-results", action="store_true",
                    help=f"replace the section '{SECTION}' of bench/RESULTS.md")
    args = ap.parse_args()
    issue_levels = [int(x) for x in args.clients.split(",")]
    call_levels = [int(x) for x in args.windows.split(",")]
    if max(call_levels) > WINDOWS:
        ap.error(f"at most {WINDOWS} windows")
    backends = ["sqlite", "postgresql"] if args.backend == "all" else [args.backend]

    def on_term(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_term)

    started = time.monotonic()
    speed = python_speed()
    print(f"Python speed probe: {speed:.2f} s CPU for 10 million loop steps", file=sys.stderr)
    wait_for_quiet(args.quiet_wait)
    floor = bench_floor(args.seconds, args.warmup, issue_levels)
    queue_lengths = [int(x) for x in args.queue_lengths.split(",") if x]
    runs = [bench_backend(b, args.seconds, args.warmup, issue_levels, call_levels,
                          args.quiet_wait, args.pace, queue_lengths) for b in backends]
    body = tables(runs, floor)
    goal = targets(runs, floor)
    print(body)
    if goal:
        print("\nTargets:\n" + "\n".join(goal))
    print(f"\n(total {time.monotonic() - started:.0f} s)", file=sys.stderr)
    failed = [r for r in runs if r.problems]
    if args.write_results:
        cmd = ".venv/bin/python bench/bench_api.py"
        if args.backend != "all":
            cmd += f" --backend {args.backend}"
        if args.seconds != 6.0:
            cmd += f" --seconds {args.seconds:g}"
        cmd += " --write-results"
        section = "\n".join([
            (f"Reproduce: `{cmd}` (PostgreSQL: `make pg-up` first). Date {RESULTS_DATE}. "
             f"Machine: {machine()}; Python speed probe (10 million loop steps): "
             f"{speed:.2f} s CPU."),
            "",
            ("The server is `queuehall serve` (gunicorn, 1 process, gevent worker) on "
             "127.0.0.1 with a fresh database per backend (SQLite WAL with synchronous=FULL; "
             "PostgreSQL 15 on the same machine); the bench config is config.toml with "
             "daily caps 9999 and the issue rate limit lifted. The clients run in a separate "
             "process on the same machine (one keep-alive http.client connection per client "
             "thread: bench/lean_http.py): client, server (and PostgreSQL) share the "
             f"{os.cpu_count()} cores, so the figures are a lower bound for a dedicated server. "
             f"{args.warmup:g} s warm-up, then {args.seconds:g} s measured per row; phases run "
             "in the order shown on one server, so the queue length carries over from row to "
             "row (see \"waiting\")."),
            "",
            body,
            "",
            "Targets:",
            *goal,
            "",
            NOTES,
        ])
        write_results(section)
        print(f"wrote {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    if failed:
        for r in failed:
            print(f"CORRECTNESS CHECK FAILED ({r.backend}): " + "; ".join(r.problems),
                  file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
