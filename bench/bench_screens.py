"""Connections: hall screens and applicants' phones on the real server (`queuehall serve`).

Every scenario starts a fresh server with `queuehall serve`'s defaults (gunicorn, one gevent
worker, `--worker-connections` from `[server] max_connections`) on the test hall
(tests/fixtures/hall.toml, open around the clock, issue rate limit and daily caps lifted, SQLite
with the default synchronous=FULL in a temp folder unless said otherwise). Socket.IO clients are
python-socketio `AsyncClient`s (websocket transport) spread over --procs client processes,
connecting --batch at a time in all; HTTP measurements use one lean keep-alive client
(bench/lean_http.py) in this process. Time stamps are time.monotonic() (CLOCK_MONOTONIC, shared
by all processes). Server memory is the VmRSS of the gunicorn worker (the master's child), server
CPU its utime+stime from /proc/<pid>/stat.

  1 baseline   no sockets: issue p50/p99 (sequential POST tickets round-robin over the 3
               categories) and call-next p50/p99 (call-next + no-show cycles at window 2, paced).
  2 1000       20 screens + 980 phones (each following its own waiting ticket, round-robin over
               the categories); with all connected: the health endpoint's count, the baseline's
               issue and call-next measurements again (p99 and ratio to the baseline), every
               `called` event's arrival at the 20 screens, and the phones' "ticket" updates.
  3 500        20 screens + 480 phones, and 500 screens: call -> screen latency, RSS per socket.
  4 redis      PostgreSQL (database queuehall_bench) and a redis-server of our own; two instances
               with one config (message_queue and rate_limit_storage on Redis, one secret key);
               500 screens on each, calls made through instance 1: events on each instance.
  5 phone cost server CPU per hall event per phone: K paced call-next + no-show cycles with no
               sockets, the same with P phones following waiting tickets of the called category,
               the same without sockets again; then the poll fallback: CPU of GET
               /api/v1/tickets/<token>, full answer vs 304 to If-None-Match.

Other work on the machine is measured during each scenario; a scenario it disturbed runs once
more (while the run is young enough), and the rows say so. A full run takes about 6 minutes on a
quiet 2-core machine (up to about 14 when it has to wait for quiet and repeat scenarios).

Usage: .venv/bin/python bench/bench_screens.py [--write-results] [--quick] [--scenarios 1,2,3,4,5]
"""
from __future__ import annotations

import argparse
import asyncio
import bisect
import atexit
import collections
import json
import multiprocessing as mp
import os
import queue as queue_mod
import resource
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))
from bench_api import (PG_BENCH_DB, machine, machine_busy_seconds, percentile,  # noqa: E402
                       python_speed, wait_for_quiet)
from deployment import (API, CLK_TCK, RESULTS, TIMEOUT, Instance, Redis, bench_config,  # noqa: E402
                        code_version, create_database, drop_database, run_demo, server_env,
                        write_results)
from lean_http import TRANSPORT_ERRORS, JsonClient  # noqa: E402

SECTION = "## Connections: screens and phones (display)"
OLD_SECTION = "## Call to screen latency (display)"
SITE = "test"
CATEGORIES = ["social", "tax", "realty"]   # the test hall's categories
CALLED = "social"                          # window 2 serves social only (A post)
WINDOW = 2
RESULTS_DATE = time.strftime("%Y-%m-%d", time.gmtime())


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} {time.monotonic():.1f}] {msg}", file=sys.stderr,
          flush=True)


def raise_nofile(want: int = 16384) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = want if hard == resource.RLIM_INFINITY else min(want, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


# --------------------------------------------------------------------------------------------
# Servers: one or two `queuehall serve` instances, their database, and a redis-server
# (bench/deployment.py starts each)


class Deployment:
    """A fresh hall: temp folder, database, `queuehall demo`, and 1..n instances serving it."""

    def __init__(self, instances: int = 1, backend: str = "sqlite", redis: bool = False) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="queuehall-bench-screens-"))
        self.instances: list[Instance] = []
        self.redis: Redis | None = None
        self.pg_created = False
        self.closed = False
        atexit.register(self.close)
        try:
            self._start(instances, backend, redis)
        except BaseException:
            self.close()
            raise

    def _start(self, instances: int, backend: str, redis: bool) -> None:
        server: dict[str, str] = {"secret_key_file": str(self.folder / "data" / "secret_key")}
        if backend == "postgresql":
            database_url = create_database(PG_BENCH_DB)
            self.pg_created = True
        else:
            database_url = f"sqlite:///{self.folder / 'hall.db'}"
        if redis:
            self.redis = Redis(self.folder)
            server["message_queue"] = f"{self.redis.url}/0"
            server["rate_limit_storage"] = f"{self.redis.url}/1"
        # the server's default sync (FULL: an acknowledged ticket survives a power cut)
        text = bench_config(database_url, subs=[(r'(?m)^sqlite_synchronous = "[^"]*"\n', "")],
                            **server)
        self.config = self.folder / "config.toml"
        self.config.write_text(text, encoding="utf-8")
        env = server_env()
        self.passwords, self.tokens = run_demo(self.folder, self.config, env)
        for i in range(instances):
            self.instances.append(Instance(self.folder, self.config, env, str(i + 1)))

    @property
    def main(self) -> Instance:
        return self.instances[0]

    def log_findings(self) -> dict[str, list[str]]:
        return {i.name: i.log_findings() for i in self.instances}

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        for inst in self.instances:
            try:
                inst.stop()
            except Exception as exc:  # noqa: BLE001 - cleanup goes on
                log(f"warning: stopping server {inst.name}: {exc}")
        if self.redis is not None:
            self.redis.stop()
        if self.pg_created:
            drop_database(PG_BENCH_DB)
        shutil.rmtree(self.folder, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# HTTP: kiosk and staff over lean keep-alive connections


def http_get(client: JsonClient, path: str, headers: dict | None = None):
    """(status, response, raw body) over the client's keep-alive connection; once more on a
    fresh connection when the server had closed an idle one (gunicorn's keep-alive is 2 s)."""
    for attempt in (1, 2):
        try:
            client.conn.request("GET", path, None, {**client.headers, **(headers or {})})
            response = client.conn.getresponse()
            raw = response.read()
            return response.status, response, raw
        except TRANSPORT_ERRORS:
            client.conn.close()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


class Hall:
    """The kiosk and one signed-in staff member (window 2, A post, open) of one instance."""

    def __init__(self, dep: Deployment, inst: Instance) -> None:
        self.inst = inst
        self.kiosk = JsonClient(inst.url, {"Authorization": f"Bearer {dep.tokens['kiosk-1']}"},
                                TIMEOUT)
        s = requests.Session()
        csrf = s.get(inst.url + API + "/auth/csrf", timeout=TIMEOUT).json()["csrf_token"]
        r = s.post(inst.url + API + "/auth/login",
                   json={"username": "staff1", "password": dep.passwords["staff1"]},
                   headers={"X-CSRFToken": csrf}, timeout=TIMEOUT)
        if r.status_code != 200:
            raise RuntimeError(f"staff login: {r.status_code} {r.text[:200]}")
        s.headers["X-CSRFToken"] = r.json()["csrf_token"]
        for action, body in (("sign-in", {"post": "A"}), ("open", None)):
            r = s.post(f"{inst.url}{API}/sites/{SITE}/windows/{WINDOW}/{action}", json=body,
                       timeout=TIMEOUT)
            if r.status_code != 200:
                raise RuntimeError(f"window {WINDOW} {action}: {r.status_code} {r.text[:200]}")
        self.staff = JsonClient.like(s, inst.url)
        self.errors: collections.Counter = collections.Counter()

    def touch(self) -> None:
        """Open the kiosk's and the staff's connections again if the server closed them while
        idle, so that a measurement does not start with a dead keep-alive connection."""
        for client in (self.kiosk, self.staff):
            http_get(client, f"{API}/health")

    def issue(self, category: str) -> dict:
        status, j = self.kiosk.post(f"{API}/sites/{SITE}/tickets", {"category": category})
        if status != 201:
            raise RuntimeError(f"issue {category}: HTTP {status} {str(j)[:200]}")
        return j

    def issue_many(self, categories: list[str]) -> list[dict]:
        self.touch()
        return [self.issue(c) for c in categories]

    def last_seq(self) -> int:
        status, _, raw = http_get(self.staff, f"{API}/sites/{SITE}/events?since=0&limit=1")
        if status != 200:
            raise RuntimeError(f"events: HTTP {status} {raw[:200]!r}")
        return json.loads(raw)["last_seq"]

    def measure_issue(self, n: int, warmup: int = 10) -> list[float]:
        """n sequential issues (after `warmup` unmeasured ones), round-robin over categories."""
        self.touch()
        latencies = []
        for k in range(warmup + n):
            t0 = time.monotonic()
            try:
                status, j = self.kiosk.post(f"{API}/sites/{SITE}/tickets",
                                            {"category": CATEGORIES[k % len(CATEGORIES)]})
            except TRANSPORT_ERRORS as exc:
                self.errors[f"issue {type(exc).__name__}"] += 1
                continue
            t1 = time.monotonic()
            if status != 201:
                self.errors[f"issue HTTP {status} {_code(j)}"] += 1
            elif k >= warmup:
                latencies.append(t1 - t0)
        return latencies

    def call_cycles(self, n: int, gap: float, sent: dict[int, float] | None = None
                    ) -> list[float]:
        """n call-next + no-show cycles at window 2, one starting every `gap` s; call-next
        latencies; `sent` gets ticket id -> monotonic time just before its call-next."""
        self.touch()
        latencies = []
        due = time.monotonic()
        for _ in range(n):
            time.sleep(max(0.0, due - time.monotonic()))
            due += gap
            t0 = time.monotonic()
            try:
                status, j = self.staff.post(f"{API}/sites/{SITE}/windows/{WINDOW}/call-next")
            except TRANSPORT_ERRORS as exc:
                self.errors[f"call-next {type(exc).__name__}"] += 1
                continue
            t1 = time.monotonic()
            if status != 200:
                self.errors[f"call-next HTTP {status} {_code(j)}"] += 1
                continue
            latencies.append(t1 - t0)
            if sent is not None:
                sent[j["id"]] = t0
            try:
                status, j2 = self.staff.post(f"{API}/sites/{SITE}/tickets/{j['id']}/no-show")
                if status != 200:
                    self.errors[f"no-show HTTP {status} {_code(j2)}"] += 1
            except TRANSPORT_ERRORS as exc:
                self.errors[f"no-show {type(exc).__name__}"] += 1
        return latencies


def _code(body) -> str:
    return str(body.get("code", "")) if isinstance(body, dict) else ""


# --------------------------------------------------------------------------------------------
# Socket.IO clients in other processes


@dataclass
class Spec:
    """One socket to open: a screen (device token) or a phone (ticket status token)."""

    group: str      # which instance it connects to (a label for the results)
    url: str
    kind: str       # "screen" | "phone"
    secret: str


def _client_process(index: int, specs: list[Spec], batch: int, cmd_q, out_q) -> None:
    try:
        asyncio.run(_client_main(index, specs, batch, cmd_q, out_q))
    except BaseException as exc:  # noqa: BLE001 - reported to the driver
        out_q.put(("crash", index, repr(exc)))


async def _client_main(index: int, specs: list[Spec], batch: int, cmd_q, out_q) -> None:
    import socketio  # in the child only

    raise_nofile()
    loop = asyncio.get_running_loop()
    parent = os.getppid()
    state = {"stopping": False}
    called: list[tuple[str, int, int, float]] = []   # (group, socket no, ticket id, arrival)
    first_status: collections.Counter = collections.Counter()   # group -> phones with status
    updates: collections.Counter = collections.Counter()        # group -> "ticket" pushes
    unchanged: collections.Counter = collections.Counter()      # ... showing nothing new
    updated: dict[str, set[int]] = collections.defaultdict(set)  # group -> phones with a push
    arrivals: dict[str, list[float]] = collections.defaultdict(list)  # group -> push arrivals
    lost: list[str] = []                                         # unexpected disconnects
    other: collections.Counter = collections.Counter()           # unexpected messages

    def make(no: int, spec: Spec):
        c = socketio.AsyncClient(reconnection=False)
        if spec.kind == "screen":
            def on_event(e):
                if isinstance(e, dict) and e.get("type") == "called":
                    called.append((spec.group, no, e.get("ticket_id"), time.monotonic()))
            c.on("event", on_event)
        else:
            seen = {"n": 0, "last": None}

            def on_ticket(t):
                seen["n"] += 1
                live = (tuple(t.get(k) for k in ("status", "window", "people_ahead"))
                        + (str(t.get("estimated_wait_minutes")),)) if isinstance(t, dict) else t
                if seen["n"] == 1:
                    first_status[spec.group] += 1
                else:
                    updates[spec.group] += 1
                    unchanged[spec.group] += live == seen["last"]
                    updated[spec.group].add(no)
                    arrivals[spec.group].append(time.monotonic())
                seen["last"] = live
            c.on("ticket", on_ticket)
            c.on("event", lambda e: other.update([f"{spec.group} phone got event"]))
            c.on("snapshot", lambda e: other.update([f"{spec.group} phone got snapshot"]))

        def on_disconnect(*reason):
            if not state["stopping"]:
                lost.append(f"{spec.group} {spec.kind} {no} at {time.monotonic():.3f} {reason}")
        c.on("disconnect", on_disconnect)
        return c

    async def connect(no: int, spec: Spec):
        auth = {"token": spec.secret} if spec.kind == "screen" else {"ticket": spec.secret}
        last = None
        for attempt in range(4):
            c = make(no, spec)
            try:
                await asyncio.wait_for(
                    c.connect(spec.url, auth=auth, transports=["websocket"], wait_timeout=20),
                    30)
                return c, None
            except Exception as exc:  # noqa: BLE001 - retried, then counted
                last = f"{type(exc).__name__}: {exc}"
                try:
                    await asyncio.wait_for(c.disconnect(), 5)
                except Exception:  # noqa: BLE001
                    pass
                await asyncio.sleep(0.5 * (attempt + 1))
        return None, last

    t0 = time.monotonic()
    clients, errors = [], []
    for i in range(0, len(specs), batch):
        done = await asyncio.gather(*(connect(i + k, s) for k, s in enumerate(specs[i:i + batch])))
        for (c, err), s in zip(done, specs[i:i + batch]):
            if c is not None:
                clients.append((s, c))
            else:
                errors.append(err)
        out_q.put(("progress", index, len(clients), len(errors), time.monotonic() - t0))
    connected = collections.Counter(f"{s.group} {s.kind}" for s, _ in clients)
    out_q.put(("ready", index, dict(connected), errors[:5], len(errors), time.monotonic() - t0))

    def next_command():
        """The driver's next command; "stop" when the driver is gone (no orphan clients)."""
        while True:
            try:
                return cmd_q.get(timeout=5)
            except queue_mod.Empty:
                if os.getppid() != parent:
                    return "stop"

    while True:
        cmd = await loop.run_in_executor(None, next_command)
        if cmd == "collect":
            alive = collections.Counter(f"{s.group} {s.kind}" for s, c in clients if c.connected)
            out_q.put(("data", index, {
                "called": list(called), "first_status": dict(first_status),
                "updates": dict(updates), "updated": {g: len(v) for g, v in updated.items()},
                "arrivals": dict(arrivals), "unchanged": dict(unchanged),
                "lost": list(lost), "other": dict(other), "alive": dict(alive)}))
            for kept in (called, updates, updated, other, arrivals, unchanged):
                kept.clear()
        elif cmd == "stop":
            state["stopping"] = True
            for i in range(0, len(clients), 100):
                await asyncio.gather(*(asyncio.wait_for(c.disconnect(), 10)
                                       for _, c in clients[i:i + 100]), return_exceptions=True)
            out_q.put(("stopped", index))
            return


class Crowd:
    """Sockets spread round-robin over `procs` client processes; connected on creation."""

    def __init__(self, specs: list[Spec], procs: int, batch: int) -> None:
        self.specs = specs
        ctx = mp.get_context("spawn")
        procs = max(1, min(procs, len(specs)))
        self.out_q = ctx.Queue()
        self.cmd_qs = [ctx.Queue() for _ in range(procs)]
        per_proc_batch = max(1, batch // procs)
        self.procs = [ctx.Process(target=_client_process,
                                  args=(i, specs[i::procs], per_proc_batch, self.cmd_qs[i],
                                        self.out_q), daemon=True)
                      for i in range(procs)]
        self.closed = False
        atexit.register(self.close)
        t0 = time.monotonic()
        for p in self.procs:
            p.start()
        try:
            ready = self._gather("ready", 120 + 0.2 * len(specs))
        except BaseException:
            self.close()
            raise
        self.connect_seconds = time.monotonic() - t0
        self.connected: collections.Counter = collections.Counter()
        self.failed = 0
        self.errors: list[str] = []
        for _, _, connected, errors, failed, _ in ready:
            self.connected.update(connected)
            self.failed += failed
            self.errors += errors

    def _gather(self, kind: str, timeout: float) -> list[tuple]:
        deadline = time.monotonic() + timeout
        got = []
        progress: dict[int, tuple] = {}
        while len(got) < len(self.procs):
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError(f"client processes: {len(got)}/{len(self.procs)} '{kind}' "
                                   f"answers within {timeout:.0f} s; last progress "
                                   f"(connected, failed, seconds) per process: {progress}")
            try:
                msg = self.out_q.get(timeout=min(left, 5))
            except queue_mod.Empty:
                dead = [p.pid for p in self.procs if not p.is_alive()]
                if dead:
                    raise RuntimeError(f"client processes {dead} died") from None
                continue
            if msg[0] == "crash":
                raise RuntimeError(f"client process {msg[1]} crashed: {msg[2]}")
            if msg[0] == "progress":
                progress[msg[1]] = msg[2:]
            elif msg[0] == kind:
                got.append(msg)
        return got

    def count(self, group: str | None = None, kind: str | None = None) -> int:
        return sum(n for key, n in self.connected.items()
                   if (group is None or key.split()[0] == group)
                   and (kind is None or key.split()[1] == kind))

    def collect(self) -> dict:
        for q in self.cmd_qs:
            q.put("collect")
        merged: dict = {"called": [], "first_status": collections.Counter(),
                        "updates": collections.Counter(), "updated": collections.Counter(),
                        "unchanged": collections.Counter(), "lost": [], "other": collections.Counter(),
                        "alive": collections.Counter(), "arrivals": collections.defaultdict(list)}
        for msg in self._gather("data", 120):
            data = msg[2]
            merged["called"] += [(g, (msg[1], no), tid, t) for g, no, tid, t in data["called"]]
            merged["lost"] += data["lost"]
            for g, times in data["arrivals"].items():
                merged["arrivals"][g] += times
            for key in ("first_status", "updates", "updated", "unchanged", "other", "alive"):
                merged[key].update(data[key])
        return merged

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        for q in self.cmd_qs:
            try:
                q.put("stop")
            except Exception:  # noqa: BLE001
                pass
        try:
            self._gather("stopped", 60)
        except Exception as exc:  # noqa: BLE001 - killed below
            log(f"warning: client processes did not stop cleanly: {exc}")
        for p in self.procs:
            if p.pid is None:   # never started
                continue
            p.join(10)
            if p.is_alive():
                p.kill()
                p.join(5)


def warm_up_sockets(inst: Instance, token: str, ticket: str) -> None:
    """One screen and one phone in and out before the memory baseline (lazy imports, caches)."""
    import socketio
    for auth in ({"token": token}, {"ticket": ticket}):
        c = socketio.Client(reconnection=False)
        c.connect(inst.url, auth=auth, transports=["websocket"], wait_timeout=20)
        time.sleep(0.3)
        c.disconnect()
    time.sleep(0.5)


# --------------------------------------------------------------------------------------------
# Results


@dataclass
class Delivery:
    """`called` events at the screens of one group."""

    screens: int
    calls: int
    received: int
    latencies: list[float]     # seconds, one per (screen, call)

    @property
    def expected(self) -> int:
        return self.screens * self.calls


def delivery(data: dict, group: str, screens: int, sent: dict[int, float]) -> Delivery:
    seen = {}
    for g, who, ticket_id, t in data["called"]:
        if g == group and ticket_id in sent:
            seen.setdefault((who, ticket_id), t - sent[ticket_id])
    return Delivery(screens, len(sent), len(seen), list(seen.values()))


def since_last_call(arrivals: list[float], sent: dict[int, float]) -> list[float]:
    """For each phone update: seconds since the latest call started before it arrived (calls
    are --gap apart, far longer than an update takes, so this is the call -> phone delay)."""
    starts = sorted(sent.values())
    out = []
    for t in arrivals:
        k = bisect.bisect_right(starts, t)
        if k:
            out.append(t - starts[k - 1])
    return out


class LoadMeter:
    """Cores the rest of the machine used during a scenario: all busy time minus this bench's
    own (this process and its children once reaped: client processes, servers, redis-server),
    and minus PostgreSQL's when the scenario runs on it."""

    def __init__(self, postgres: bool = False) -> None:
        self.postgres = postgres
        self.t, self.busy, self.own = time.monotonic(), machine_busy_seconds(), self._own()

    def _own(self) -> float:
        t = os.times()
        own = t.user + t.system + t.children_user + t.children_system
        return own + (postgres_cpu() if self.postgres else 0.0)

    def other(self) -> float:
        wall = time.monotonic() - self.t
        return max(0.0, (machine_busy_seconds() - self.busy) - (self._own() - self.own)) / wall


def postgres_cpu() -> float:
    """CPU seconds of the PostgreSQL server: the postmaster with its reaped children, plus the
    live children (backends and background processes)."""
    procs = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            raw = stat.read_text()
        except OSError:
            continue
        comm = raw[raw.find("(") + 1:raw.rfind(")")]
        f = raw.rsplit(")", 1)[1].split()
        procs[int(stat.parent.name)] = (comm, int(f[1]), [int(x) for x in f[11:15]])
    total = 0
    for pid, (comm, ppid, (ut, st, cut, cst)) in procs.items():
        if not comm.startswith("postgres"):
            continue
        parent_is_pg = procs.get(ppid, ("",))[0].startswith("postgres")
        total += ut + st + (0 if parent_is_pg else cut + cst)
    return total / CLK_TCK


OTHER_LOAD = 0.4  # cores used by other work during a scenario above which its rows get a †


@dataclass
class Row:
    scenario: str
    screens: int
    phones: int
    connected: int = 0
    health: str = "-"
    delivery: Delivery | None = None
    issue: list[float] = field(default_factory=list)
    call: list[float] = field(default_factory=list)
    phone_updates: str = "-"
    kib_per_socket: float | None = None
    connect_seconds: float | None = None
    notes: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    load: tuple[float, float] | None = None   # cores used by other work: before, during


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    baseline: Row | None = None
    phone_cost: dict | None = None
    skipped: list[str] = field(default_factory=list)
    loads: list[str] = field(default_factory=list)


def ms(x: float | None) -> str:
    return "-" if x is None or x != x else f"{x * 1e3:.1f}"


def p(values: list[float], q: float) -> float:
    return percentile(values, q)


def server_findings(dep: Deployment, label: str) -> list[str]:
    out = []
    for name, lines in dep.log_findings().items():
        if lines:
            out.append(f"{label}, server {name}: {len(lines)} odd log lines, e.g. "
                       + " | ".join(lines[:3]))
            for line in lines[:10]:
                log(f"  server {name} log: {line}")
    return out


# --------------------------------------------------------------------------------------------
# Scenarios


class Scenario:
    """Waits for a quiet machine, then measures the other load while the scenario runs."""

    def __init__(self, args, report: Report, label: str, postgres: bool = False) -> None:
        self.args, self.report, self.label, self.postgres = args, report, label, postgres
        self.rows: list[Row] = []

    def __enter__(self) -> "Scenario":
        self.before = wait_for_quiet(self.args.quiet_wait)
        log(f"[{self.label}] background load {self.before:.2f} cores")
        self.meter = LoadMeter(self.postgres)
        return self

    def __exit__(self, *exc) -> None:
        during = self.meter.other()
        self.report.loads.append(f"{self.label}: {self.before:.2f} / {during:.2f}")
        for row in self.rows:
            row.load = (self.before, during)
        if self.label == "5" and self.report.phone_cost is not None:
            self.report.phone_cost["load"] = (self.before, during)


def scenario_baseline(args, report: Report) -> None:
    with Scenario(args, report, "1") as sc:
        dep = Deployment()
        try:
            hall = Hall(dep, dep.main)
            hall.issue_many([CALLED] * (args.calls + 10))
            row = Row("1. baseline, no sockets", 0, 0)
            row.issue = hall.measure_issue(args.issues)
            row.call = hall.call_cycles(args.calls, args.gap)
            if hall.errors:
                row.notes.append(f"HTTP errors: {dict(hall.errors)}")
            row.findings = server_findings(dep, "1")
            report.rows.append(row)
            sc.rows.append(row)
            report.baseline = row
            log(f"[1] issue p50 {ms(p(row.issue, 50))} p99 {ms(p(row.issue, 99))} ms; "
                f"call-next p50 {ms(p(row.call, 50))} p99 {ms(p(row.call, 99))} ms")
        finally:
            dep.close()


def _phone_tickets(hall: Hall, n: int, categories: list[str]) -> list[str]:
    hall.touch()
    return [hall.issue(categories[k % len(categories)])["status_token"] for k in range(n)]


def _phone_cell(calls: dict, sent: dict[int, float], n_phones: int,
                issues: dict | None) -> str:
    lat = since_last_call(calls["arrivals"]["1"], sent)
    cell = (f"{calls['updates']['1']} in the calls ({calls['updated']['1']} of {n_phones} "
            f"phones{_unchanged(calls)}; call→phone p50 / p99 {ms(p(lat, 50))} / "
            f"{ms(p(lat, 99))} ms)")
    if issues is not None:
        cell += f", {issues['updates']['1']} in the issues{_unchanged(issues, True)}"
    return cell


def _unchanged(data: dict, alone: bool = False) -> str:
    n = data["unchanged"]["1"]
    if not n:
        return ""
    return f" ({n} unchanged)" if alone else f", {n} unchanged"


def scenario_sockets(args, report: Report, short: str, label: str, screens: int, phones: int,
                     *, http: bool) -> None:
    """screens + phones on one server; calls (and with `http`, the baseline's measurements)."""
    with Scenario(args, report, short) as sc:
        dep = Deployment()
        crowd = None
        try:
            inst = dep.main
            hall = Hall(dep, inst)
            calls = args.calls if http else args.screen_calls
            hall.issue_many([CALLED] * (calls + 10))       # the tickets the calls will take
            t0 = time.monotonic()
            tokens = _phone_tickets(hall, max(phones, 1), CATEGORIES)
            log(f"[{label}] {len(tokens)} phone tickets issued in {time.monotonic() - t0:.1f} s")
            warm_up_sockets(inst, dep.tokens["hall-1"], tokens[0])
            base_rss = inst.rss_kib()
            specs = ([Spec("1", inst.url, "screen", dep.tokens["hall-1"])
                      for _ in range(screens)]
                     + [Spec("1", inst.url, "phone", t) for t in tokens[:phones]])
            crowd = Crowd(specs, args.procs, args.batch)
            time.sleep(3)
            loaded_rss = inst.rss_kib()
            connected = crowd.count()
            health = inst.health()
            row = Row(label, screens, phones, connected=connected,
                      health=f"{health.get('connections')} / {health.get('max_connections')}",
                      connect_seconds=crowd.connect_seconds)
            row.kib_per_socket = (loaded_rss - base_rss) / max(1, connected)
            log(f"[{label}] {connected}/{len(specs)} connected in {crowd.connect_seconds:.1f} s "
                f"(failed {crowd.failed} {crowd.errors[:2]}); health {health}; RSS {base_rss} "
                f"-> {loaded_rss} KiB ({row.kib_per_socket:.1f} KiB per socket)")
            if crowd.failed:
                row.notes.append(f"{crowd.failed} sockets failed to connect, e.g. "
                                 f"{crowd.errors[:2]}")
            crowd.collect()                                     # drop what came in so far
            during_issues = None
            if http:
                row.issue = hall.measure_issue(args.issues)
                log(f"[{label}] issue p50 {ms(p(row.issue, 50))} p99 {ms(p(row.issue, 99))} ms")
                time.sleep(1)
                during_issues = crowd.collect()
            sent: dict[int, float] = {}
            log(f"[{label}] {calls} calls ...")
            row.call = hall.call_cycles(calls, args.gap, sent)
            time.sleep(2)
            data = crowd.collect()
            row.delivery = delivery(data, "1", crowd.count("1", "screen"), sent)
            n_phones = crowd.count("1", "phone")
            if n_phones:
                row.phone_updates = _phone_cell(data, sent, n_phones, during_issues)
                if data["first_status"]["1"] != n_phones:
                    row.notes.append(f"only {data['first_status']['1']} of {n_phones} phones "
                                     f"got their status on connect")
            for part in (during_issues, data):
                if part and part["other"]:
                    row.notes.append(f"unexpected messages: {dict(part['other'])}")
            if data["lost"]:
                row.notes.append(f"{len(data['lost'])} sockets dropped, e.g. {data['lost'][:2]}")
            if hall.errors:
                row.notes.append(f"HTTP errors: {dict(hall.errors)}")
            d = row.delivery
            log(f"[{label}] called events {d.received}/{d.expected}; call->screen p50 "
                f"{ms(p(d.latencies, 50))} p99 {ms(p(d.latencies, 99))} max "
                f"{ms(max(d.latencies, default=None))} ms; call-next p99 {ms(p(row.call, 99))} "
                f"ms; phone updates {row.phone_updates}")
            crowd.close()
            row.findings = server_findings(dep, label)
            report.rows.append(row)
            sc.rows.append(row)
        finally:
            if crowd is not None:
                crowd.close()
            dep.close()


def scenario_redis(args, report: Report) -> None:
    label = "4. two instances, Redis, PostgreSQL"
    with Scenario(args, report, "4", postgres=True) as sc:
        try:
            dep = Deployment(instances=2, backend="postgresql", redis=True)
        except Exception as exc:  # noqa: BLE001 - no PostgreSQL or Redis here: say so, go on
            report.skipped.append(f"scenario 4 skipped: {type(exc).__name__}: {exc}"[:400])
            log(report.skipped[-1])
            return
        crowd = None
        try:
            one, _ = dep.instances
            hall = Hall(dep, one)
            hall.issue_many([CALLED] * (args.screen_calls + 10))
            t = hall.issue(CALLED)
            for inst in dep.instances:
                warm_up_sockets(inst, dep.tokens["hall-1"], t["status_token"])
            base = {i.name: i.rss_kib() for i in dep.instances}
            n = args.redis_screens
            specs = [Spec(i.name, i.url, "screen", dep.tokens["hall-1"])
                     for _ in range(n) for i in dep.instances]
            crowd = Crowd(specs, args.procs, args.batch)
            time.sleep(3)
            loaded = {i.name: i.rss_kib() for i in dep.instances}
            healths = {i.name: i.health() for i in dep.instances}
            log(f"[4] {crowd.count()}/{len(specs)} connected in {crowd.connect_seconds:.1f} s; "
                f"health {healths}")
            crowd.collect()
            sent: dict[int, float] = {}
            calls = hall.call_cycles(args.screen_calls, args.gap, sent)
            time.sleep(2)
            data = crowd.collect()
            rows = []
            for inst in dep.instances:
                screens = crowd.count(inst.name, "screen")
                h = healths[inst.name]
                row = Row(f"{label}: instance {inst.name}", n, 0, connected=screens,
                          health=f"{h.get('connections')} / {h.get('max_connections')}",
                          connect_seconds=crowd.connect_seconds)
                row.delivery = delivery(data, inst.name, screens, sent)
                row.kib_per_socket = (loaded[inst.name] - base[inst.name]) / max(1, screens)
                if inst is one:
                    row.call = calls
                lost = [x for x in data["lost"] if x.startswith(f"{inst.name} ")]
                if lost:
                    row.notes.append(f"{len(lost)} sockets dropped, e.g. {lost[:2]}")
                d = row.delivery
                log(f"[4] instance {inst.name}: called events {d.received}/{d.expected}; p50 "
                    f"{ms(p(d.latencies, 50))} p99 {ms(p(d.latencies, 99))} max "
                    f"{ms(max(d.latencies, default=None))} ms")
                rows.append(row)
            if hall.errors:
                rows[0].notes.append(f"HTTP errors: {dict(hall.errors)}")
            crowd.close()
            rows[-1].findings = server_findings(dep, "4")
            report.rows += rows
            sc.rows += rows
        finally:
            if crowd is not None:
                crowd.close()
            dep.close()


def scenario_phone_cost(args, report: Report) -> None:
    with Scenario(args, report, "5"):
        dep = Deployment()
        crowd = None
        try:
            inst = dep.main
            hall = Hall(dep, inst)
            k, n = args.cost_cycles, args.cost_phones
            hall.issue_many([CALLED] * (3 * k + 15))       # warm-up and three phases
            tokens = _phone_tickets(hall, n, [CALLED])     # behind them: every call moves them
            warm_up_sockets(inst, dep.tokens["hall-1"], tokens[0])
            hall.call_cycles(5, args.cost_gap)             # warm-up, not counted

            def phase(name: str) -> dict:
                time.sleep(1)
                seq0, cpu0, t0 = hall.last_seq(), inst.cpu_seconds(), time.monotonic()
                hall.call_cycles(k, args.cost_gap)
                time.sleep(1.5)                            # the phone feed's last batch
                cpu, wall = inst.cpu_seconds() - cpu0, time.monotonic() - t0
                events = hall.last_seq() - seq0
                log(f"[5] {name}: {cpu:.2f} s CPU for {events} events in {wall:.1f} s")
                return {"cpu": cpu, "events": events, "wall": wall}

            without = phase("no sockets")
            crowd = Crowd([Spec("1", inst.url, "phone", t) for t in tokens], args.procs,
                          args.batch)
            time.sleep(3)
            crowd.collect()
            phones = crowd.count("1", "phone")
            with_phones = phase(f"{phones} phones")
            data = crowd.collect()
            crowd.close()
            crowd = None
            time.sleep(2)
            again = phase("no sockets again")
            base = (without["cpu"] / without["events"] + again["cpu"] / again["events"]) / 2
            extra = with_phones["cpu"] - base * with_phones["events"]
            updates = data["updates"]["1"]
            cost = {"cycles": k, "gap": args.cost_gap, "phones": phones, "without": without,
                    "with": with_phones, "again": again,
                    "per_event_phone_ms": extra / with_phones["events"] / max(1, phones) * 1e3,
                    "per_update_ms": extra / max(1, updates) * 1e3,
                    "updates": updates, "updated": data["updated"]["1"],
                    "unchanged": data["unchanged"]["1"],
                    "lost": len(data["lost"])}
            log(f"[5] {cost['per_event_phone_ms']:.4f} ms per event per phone; {updates} "
                f"updates received ({cost['per_update_ms']:.3f} ms per update)")

            # The poll fallback: full answers, then 304s, over the same tickets
            poll = JsonClient(inst.url, {}, TIMEOUT)
            etags = {}
            for t in tokens:
                _, resp, _ = http_get(poll, f"{API}/tickets/{t}")
                etags[t] = resp.getheader("ETag")

            def polls(conditional: bool) -> tuple[float, list[float], collections.Counter]:
                statuses: collections.Counter = collections.Counter()
                lat = []
                http_get(poll, f"{API}/health")
                cpu0 = inst.cpu_seconds()
                for i in range(args.polls):
                    t = tokens[i % len(tokens)]
                    headers = {"If-None-Match": etags[t]} if conditional and etags[t] else None
                    t0 = time.monotonic()
                    status, _, _ = http_get(poll, f"{API}/tickets/{t}", headers)
                    lat.append(time.monotonic() - t0)
                    statuses[status] += 1
                return inst.cpu_seconds() - cpu0, lat, statuses

            time.sleep(1)
            cost["poll_full"] = polls(False)
            cost["poll_304"] = polls(True)
            for key in ("poll_full", "poll_304"):
                cpu, lat, statuses = cost[key]
                log(f"[5] {key}: {cpu / args.polls * 1e3:.3f} ms CPU per request, p50 "
                    f"{ms(p(lat, 50))} ms, statuses {dict(statuses)}")
            cost["findings"] = server_findings(dep, "5")
            if hall.errors:
                cost["findings"].append(f"5: HTTP errors {dict(hall.errors)}")
            report.phone_cost = cost
        finally:
            if crowd is not None:
                crowd.close()
            dep.close()


# --------------------------------------------------------------------------------------------
# Tables and RESULTS.md


def _dagger(load: tuple[float, float] | None) -> str:
    return " †" if load and load[1] > OTHER_LOAD else ""


def tables(report: Report) -> str:
    base = report.baseline
    out = []
    if report.rows:
        out += ["| scenario | sockets (screens + phones) | connected / health (of max) | "
                "connect s | called events received/expected | call→screen p50 / p99 / max ms "
                "| issue p50 / p99 ms | call-next p50 / p99 ms | phones' ticket updates | "
                "server RSS per socket KiB |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|"]
    for r in report.rows:
        d = r.delivery
        lat = (f"{ms(p(d.latencies, 50))} / {ms(p(d.latencies, 99))} / "
               f"{ms(max(d.latencies, default=None))}" if d else "-")
        got = f"{d.received}/{d.expected}" if d else "-"
        vs = base is not None and r.scenario.startswith("2.")

        def cell(values: list[float], base_values: list[float]) -> str:
            if not values:
                return "-"
            text = f"{ms(p(values, 50))} / {ms(p(values, 99))}"
            if vs and base_values:
                text += f" (p99 ×{p(values, 99) / p(base_values, 99):.2f})"
            return text
        sockets = (f"{r.screens + r.phones} ({r.screens} + {r.phones})"
                   if r.screens or r.phones else "0")
        conn = f"{r.connected} / {r.health}" if r.screens or r.phones else "-"
        secs = f"{r.connect_seconds:.1f}" if r.connect_seconds is not None else "-"
        kib = f"{r.kib_per_socket:.1f}" if r.kib_per_socket is not None else "-"
        out.append(f"| {r.scenario}{_dagger(r.load)} | {sockets} | {conn} | {secs} | {got} | "
                   f"{lat} | {cell(r.issue, base.issue if base else [])} | "
                   f"{cell(r.call, base.call if base else [])} | {r.phone_updates} | {kib} |")
    c = report.phone_cost
    if c:
        full_cpu, full_lat, full_st = c["poll_full"]
        nm_cpu, nm_lat, nm_st = c["poll_304"]
        out += [""] if out else []
        w, a, b = c["without"], c["with"], c["again"]
        out += [f"| 5. phone cost{_dagger(c.get('load'))} | server CPU |", "|---|---:|",
                f"| {c['cycles']} call-next + no-show cycles ({c['gap']:g} s apart), no sockets "
                f"| {w['cpu']:.2f} s for {w['events']} events ({w['cpu'] / w['events'] * 1e3:.1f}"
                f" ms each) |",
                f"| the same with {c['phones']} phones following waiting {CALLED} tickets | "
                f"{a['cpu']:.2f} s for {a['events']} events ({a['cpu'] / a['events'] * 1e3:.1f}"
                f" ms each) |",
                f"| the same again after the phones left | {b['cpu']:.2f} s for {b['events']} "
                f"events ({b['cpu'] / b['events'] * 1e3:.1f} ms each) |",
                f"| **per hall event per phone** | **{c['per_event_phone_ms']:.4f} ms** |",
                f"| per ticket update sent ({c['updates']} received by {c['updated']} phones, "
                f"{c['updates'] / max(1, a['events']):.0f} per event"
                f"{'; ' + str(c['unchanged']) + ' unchanged' if c['unchanged'] else ''}) | "
                f"{c['per_update_ms']:.3f} ms |",
                f"| poll: GET /api/v1/tickets/<token>, full answer ({_statuses(full_st)}; "
                f"p50 {ms(p(full_lat, 50))} ms) | "
                f"{full_cpu / max(1, sum(full_st.values())) * 1e3:.2f} ms per request |",
                f"| poll: the same with If-None-Match ({_statuses(nm_st)}; p50 "
                f"{ms(p(nm_lat, 50))} ms) | "
                f"{nm_cpu / max(1, sum(nm_st.values())) * 1e3:.2f} ms per request |"]
    return "\n".join(out)


def _statuses(c: collections.Counter) -> str:
    return ", ".join(f"{n}× {s}" for s, n in sorted(c.items()))


def targets(report: Report) -> list[str]:
    lines = []
    base = report.baseline

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    for r in report.rows:
        d = r.delivery
        if r.scenario.startswith("2."):
            if base and r.issue and base.issue:
                x = p(r.issue, 99) / p(base.issue, 99)
                lines.append(f"- issue p99 with {r.connected} sockets ≤ 2× the baseline's: "
                             f"{ms(p(r.issue, 99))} vs {ms(p(base.issue, 99))} ms (×{x:.2f}) — "
                             f"{verdict(x <= 2)}.")
            if base and r.call and base.call:
                x = p(r.call, 99) / p(base.call, 99)
                lines.append(f"- call-next p99 with {r.connected} sockets ≤ 2× the baseline's: "
                             f"{ms(p(r.call, 99))} vs {ms(p(base.call, 99))} ms (×{x:.2f}) — "
                             f"{verdict(x <= 2)}.")
            if d:
                lines.append(f"- every `called` event reaches all {d.screens} screens: "
                             f"{d.received}/{d.expected} — {verdict(d.received == d.expected)}.")
                lines.append(f"- call→screen p99 < 250 ms at {r.connected} sockets: "
                             f"{ms(p(d.latencies, 99))} ms — "
                             f"{verdict(p(d.latencies, 99) < 0.250)}.")
            lines.append(f"- the health endpoint reports the connections: {r.health} with "
                         f"{r.connected} connected.")
        elif r.scenario.startswith("3.") and r.phones and d:
            lines.append(f"- call→screen p99 < 100 ms at {r.connected} sockets ({r.screens} "
                         f"screens + {r.phones} phones): {ms(p(d.latencies, 99))} ms — "
                         f"{verdict(p(d.latencies, 99) < 0.100)}.")
            if r.kib_per_socket is not None:
                lines.append(f"- server memory < 50 KiB per connection: "
                             f"{r.kib_per_socket:.1f} KiB — {verdict(r.kib_per_socket < 50)}.")
        elif r.scenario.startswith("3.") and d:
            lines.append(f"- (500 screens, every call fans out to 500: p99 "
                         f"{ms(p(d.latencies, 99))} ms, {r.kib_per_socket:.1f} KiB per socket; "
                         f"the old gthread server: p99 562 ms, 194 KiB per connection; the "
                         f"section this one replaces, 2026-11-24: 368 ms, 136 KiB per screen.)")
        elif r.scenario.startswith("4.") and d:
            lines.append(f"- two instances behind Redis, {r.scenario.split(': ')[1]}: "
                         f"{d.received}/{d.expected} `called` events, {d.expected - d.received} "
                         f"lost (p99 {ms(p(d.latencies, 99))} ms) — "
                         f"{verdict(d.received == d.expected)}.")
    c = report.phone_cost
    if c:
        lines.append(f"- server CPU per hall event per phone ≤ 0.1 ms: "
                     f"{c['per_event_phone_ms']:.4f} ms — "
                     f"{verdict(c['per_event_phone_ms'] <= 0.1)}.")
    return lines


HOW_TO_READ = """\
How to read it: every scenario ran on a fresh server. "connected / health" compares the sockets
the clients hold with the health endpoint's `connections` / `max_connections`; health still
counts the two warm-up sockets that left a few seconds earlier (engine.io drops a closed session
from that table only on its service task's next pass, up to about 20 s later). Call→screen runs
from just before the `call-next` request to the `called` event's arrival in a client process
(CLOCK_MONOTONIC), so it includes the call, the fan-out and the clients' own scheduling on the
same 2 cores; received/expected counts (screen, call) pairs. The ratios compare p99 under load
with scenario 1's (the p99 of 100 paced calls is their second-largest value: expect tens of per
cent of noise). Window 2 calls `social` tickets, so each call moves the `social` phones (a third
of the phones in 2 and 3); "call→phone" is from call-next to a phone's update, "unchanged" counts
updates that repeated what the phone already had. RSS per socket is the worker's VmRSS growth
3 s after connecting, over the sockets connected. Phone cost: the worker's CPU over a phase of
paced call-next + no-show cycles with the phones connected, minus the mean CPU per event of the
same phase without sockets (before and after), divided by the committed events (difference of
`last_seq` from GET /api/v1/sites/test/events: a `called` and a `no_show` per cycle) and by the
phones; they all follow `social` tickets, so every call moves every phone (the worst case). The
poll rows are the fallback without a socket (a GET every 3 s): CPU per full answer and per 304.
Load is the cores other work used before / during each scenario (in 4 without PostgreSQL); a †
marks more than {other} core during it, and such a scenario runs once more ("run again"; only
the last run is shown) while the whole run is younger than {retry:.0f} s."""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scenarios", default="1,2,3,4,5", help="which scenarios to run (1-5)")
    ap.add_argument("--quick", action="store_true",
                    help="small sizes, to check that everything runs (about 3 minutes)")
    ap.add_argument("--phones", type=int, default=980, help="phones beside 20 screens (2)")
    ap.add_argument("--phones3", type=int, default=480, help="phones beside 20 screens (3)")
    ap.add_argument("--screens3", type=int, default=500, help="the all-screens row (3)")
    ap.add_argument("--redis-screens", type=int, default=500, help="screens per instance (4)")
    ap.add_argument("--issues", type=int, default=200, help="measured issues (1, 2)")
    ap.add_argument("--calls", type=int, default=100, help="measured call cycles (1, 2)")
    ap.add_argument("--screen-calls", type=int, default=30, help="calls in scenarios 3 and 4")
    ap.add_argument("--gap", type=float, default=0.3, help="seconds between calls (1-4)")
    ap.add_argument("--cost-phones", type=int, default=500, help="phones (5)")
    ap.add_argument("--cost-cycles", type=int, default=60, help="call cycles per phase (5)")
    ap.add_argument("--cost-gap", type=float, default=0.25, help="seconds between calls (5)")
    ap.add_argument("--polls", type=int, default=1000, help="GETs per poll row (5)")
    ap.add_argument("--procs", type=int, default=4, help="client processes (2-4)")
    ap.add_argument("--batch", type=int, default=50, help="sockets connecting at once, in all")
    ap.add_argument("--quiet-wait", type=float, default=45,
                    help="seconds to wait for other load on the machine to stop (0: do not)")
    ap.add_argument("--retry-until", type=float, default=420,
                    help="a scenario disturbed by other work runs once more while the run is "
                         "younger than this many seconds")
    ap.add_argument("--write-results", action="store_true",
                    help=f"replace the section '{SECTION}' of bench/RESULTS.md")
    args = ap.parse_args()
    if args.quick:
        args.phones, args.phones3, args.screens3, args.redis_screens = 180, 80, 100, 100
        args.issues, args.calls, args.screen_calls = 50, 20, 10
        args.cost_phones, args.cost_cycles, args.polls = 100, 20, 200
    scenarios = {int(x) for x in args.scenarios.split(",")}
    if not scenarios <= {1, 2, 3, 4, 5}:
        ap.error("scenarios are 1 to 5")
    raise_nofile()

    def on_term(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_term)

    started = time.monotonic()
    version = code_version()
    log(f"server code: {version}")
    speed = python_speed()
    log(f"Python speed probe: {speed:.2f} s CPU for 10 million loop steps")
    report = Report()
    failed: list[str] = []
    plan = [(1, "1", lambda: scenario_baseline(args, report)),
            (2, "2", lambda: scenario_sockets(args, report, "2", f"2. {20 + args.phones} sockets",
                                              20, args.phones, http=True)),
            (3, "3a", lambda: scenario_sockets(args, report, "3a",
                                               f"3. {20 + args.phones3} sockets", 20,
                                               args.phones3, http=False)),
            (3, "3b", lambda: scenario_sockets(args, report, "3b", f"3. {args.screens3} screens",
                                               args.screens3, 0, http=False)),
            (4, "4", lambda: scenario_redis(args, report)),
            (5, "5", lambda: scenario_phone_cost(args, report))]
    for number, name, run in plan:
        if number not in scenarios:
            continue
        for attempt in (1, 2):
            n_rows = len(report.rows)
            try:
                run()
            except Exception as exc:  # noqa: BLE001 - the other scenarios still run
                failed.append(f"scenario {name} FAILED: {type(exc).__name__}: {exc}"[:2000])
                log(failed[-1])
                break
            new = report.rows[n_rows:]
            loads = [r.load for r in new] + ([report.phone_cost.get("load")]
                                             if name == "5" and report.phone_cost else [])
            disturbed = max((x[1] for x in loads if x), default=0.0)
            if (attempt == 2 or disturbed <= OTHER_LOAD
                    or time.monotonic() - started > args.retry_until):
                break
            log(f"[{name}] other work used {disturbed:.2f} cores meanwhile: once more")
            del report.rows[n_rows:]
            if report.baseline in new:
                report.baseline = None
            if name == "5":
                report.phone_cost = None
            report.loads[-1] += " (run again)"
    elapsed = time.monotonic() - started

    body = tables(report)
    goal = targets(report)
    notes = [f"- {r.scenario}: {n}" for r in report.rows for n in r.notes]
    findings = [f for r in report.rows for f in r.findings]
    if report.phone_cost:
        findings += report.phone_cost["findings"]
        if report.phone_cost["lost"]:
            notes.append(f"- 5: {report.phone_cost['lost']} phones dropped during the phase")
    notes += [f"- {s}" for s in report.skipped]
    notes += [f"- {s}" for s in failed]
    print(body)
    print("\nTargets:\n" + "\n".join(goal))
    if notes:
        print("\nNotes:\n" + "\n".join(notes))
    print("\nServer logs: " + ("\n".join(findings) if findings else "no errors, warnings or 5xx"))
    print("Load before / during (cores): " + "; ".join(report.loads))
    log(f"total {elapsed:.0f} s")
    if failed:
        log("not writing the results: a scenario failed" if args.write_results else "")
        return 1
    if args.write_results:
        cmd = " ".join([".venv/bin/python bench/bench_screens.py",
                        *[a for a in sys.argv[1:] if a != "--write-results"], "--write-results"])
        setup = (
            f"The server is `queuehall serve` with its defaults (gunicorn, one gevent worker, "
            f"`--worker-connections` 2000 from `[server] max_connections`) on the test hall "
            f"(tests/fixtures/hall.toml open around the clock, issue rate limit and daily caps "
            f"lifted), SQLite with the default synchronous=FULL in a temp folder; scenario 4 "
            f"runs two such instances on PostgreSQL 15 (database {PG_BENCH_DB}) with one config "
            f"file (`message_queue` and `rate_limit_storage` on a redis-server started for the "
            f"run, one `secret_key_file`). Sockets are python-socketio AsyncClients (websocket "
            f"transport) in {args.procs} client processes, {args.batch} connecting at a time; "
            f"a screen connects with the `hall-1` device token, a phone with its own freshly "
            f"issued waiting ticket's status token (round-robin over social, tax and realty in "
            f"2 and 3). Issue: {args.issues} sequential POST tickets from one keep-alive "
            f"http.client connection (bench/lean_http.py), round-robin over the categories, "
            f"after 10 unmeasured. Calls: call-next + no-show cycles at window 2 (staff1, A "
            f"post), one every {args.gap:g} s: {args.calls} in 1 and 2, {args.screen_calls} in "
            f"3 and 4 (through instance 1, screens on both). Clients and server share the "
            f"machine's {os.cpu_count()} cores. Load, cores used by other work before / during "
            f"each scenario: {'; '.join(report.loads)}. The whole run took "
            f"{elapsed / 60:.1f} min.")
        section = "\n".join([
            f"Reproduce: `{cmd}` (scenario 4 needs PostgreSQL, `make pg-up`, and "
            f"redis-server). Date {RESULTS_DATE}, server code at {version}. Machine: "
            f"{machine()}; Python speed probe (10 million loop steps): {speed:.2f} s CPU.",
            "", setup, "", body, "", "Targets:", *goal,
            *(["", "Notes:", *notes] if notes else []),
            "", "Server logs: " + ("; ".join(findings) if findings
                                   else "no errors, warnings or 5xx answers in any scenario."),
            "", HOW_TO_READ.format(other=OTHER_LOAD, retry=args.retry_until)])
        write_results(SECTION, section, replaces=(OLD_SECTION,))
        log(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
