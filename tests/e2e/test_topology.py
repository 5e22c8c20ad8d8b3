"""The scale-out topology, run for real: haproxy with the shipped configuration (deploy/haproxy:
sticky sessions, health checks) in front of two `queuehall serve` instances on one PostgreSQL and
one Redis, a printing kiosk's network printer, and hall screens, kiosks and a staff console all
going through the proxy. One instance is killed with SIGKILL in the middle of the load: every
acknowledged request has exactly one ticket, numbers have no gap and no repeat, every screen ends
up with every call (a screen on the dead instance reconnects through the proxy and catches up
from the events feed, as display/static/screen.js does), and every ticket comes out of the
printer once (marked 补打 only if its bytes may already have been out)."""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import socketio

from tests.support.escpos_decode import decode

from sqlalchemy import create_engine, make_url, text

from ..conftest import PG_URL, reset_postgres
from .conftest import Client
from .printers.fake_printer import FakePrinter
from .server import RunningServer, free_port, start_server
from .test_kiosk_printing import PRINTING_KIOSK

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
RENDER = ROOT / "deploy" / "haproxy" / "render.py"
SITE = "/api/v1/sites/test"
RETRY_DELAYS = (0.5, 1, 2, 3, 4, 5)  # kiosk/static/kiosk.js: the same request id for about 15 s
RETRYABLE = {502, 503, 504}
NUMBER_LINE = re.compile(r"^\s*([A-Z]{1,2}\d{3,4})\s*$")


def haproxy_binary() -> str | None:
    return shutil.which("haproxy") or next(
        (p for p in ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy") if os.access(p, os.X_OK)), None)


def missing_parts() -> str | None:
    """Why this machine cannot run the topology (None: it can)."""
    if haproxy_binary() is None:
        return "haproxy is not installed (make test-deps installs it)"
    if shutil.which("redis-server") is None:
        return "redis-server is not installed (make test-deps installs it)"
    if not PG_URL:
        return "QUEUEHALL_TEST_PG_URL is not set (make test sets it)"
    return None


def own_database(suffix: str) -> str:
    """A database of its own beside the test database (same server and role, name + suffix),
    empty: a test run elsewhere on the machine resets the shared one, not this."""
    shared = make_url(PG_URL)
    mine = shared.set(database=f"{shared.database}_{suffix}")
    engine = create_engine(shared, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                       {"name": mine.database}) is None:
            conn.execute(text(f'CREATE DATABASE "{mine.database}"'))
    engine.dispose()
    url = mine.render_as_string(hide_password=False)
    reset_postgres(url)
    return url


def render_haproxy(bind: str, servers: list[str]) -> str:
    spec = importlib.util.spec_from_file_location("queuehall_deploy_haproxy", RENDER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.render(bind, servers)


def wait_for_port(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def instance_of(response: requests.Response) -> str | None:
    return response.headers.get("X-Queuehall-Instance")


def start_redis(port: int) -> subprocess.Popen:
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                                "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL, start_new_session=True)
    wait_for_port(port, 10)
    return process


@dataclass
class Topology:
    proxy: str
    servers: dict[str, RunningServer]  # by haproxy server name: "a", "b"
    redis_port: int
    redis: subprocess.Popen
    haproxy: subprocess.Popen
    folder: Path
    database: str

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def stop_redis(self) -> None:
        _end(self.redis)

    def start_redis(self) -> None:
        self.redis = start_redis(self.redis_port)

    @property
    def tokens(self) -> dict[str, str]:
        return self.servers["b"].tokens  # the last `queuehall demo` renewed them

    @property
    def passwords(self) -> dict[str, str]:
        return self.servers["b"].passwords

    def kill(self, name: str) -> None:
        """kill -9 of an instance: its gunicorn master and worker (a power cut of one process)."""
        process = self.servers[name].process
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def log(self, name: str) -> str:
        path = self.folder / ("haproxy.log" if name == "haproxy" else f"{name}/server.log")
        return path.read_text(encoding="utf-8", errors="replace")


@contextmanager
def topology(folder: Path, printer: FakePrinter, database: str | None = None,
             **server: str) -> Iterator[Topology]:
    """Redis of its own, PostgreSQL (`database`, or one beside the test database), two instances
    sharing them and one secret key, both with the printing kiosk on `printer`, and haproxy on a
    free port in front; every process stopped when the block ends."""
    folder.mkdir(parents=True, exist_ok=True)
    with ExitStack() as cleanup:
        redis_port = free_port()
        running = [start_redis(redis_port)]  # the one now (a bench restarts it)
        cleanup.callback(lambda: _end(running[0]))
        redis_url = f"redis://127.0.0.1:{redis_port}/0"
        url = database or own_database("topology")
        proxy_port = free_port()
        proxy = f"http://127.0.0.1:{proxy_port}"
        shared = {"message_queue": redis_url, "rate_limit_storage": redis_url,
                  "secret_key_file": str(folder / "secret_key"), "public_url": proxy, **server}
        servers = {}
        for name in ("a", "b"):
            servers[name] = start_server(folder / name, url, PRINTING_KIOSK.format(uri=printer.uri),
                                         **shared)
            cleanup.callback(_stop, servers[name])
        config = folder / "haproxy.cfg"
        config.write_text(render_haproxy(f"127.0.0.1:{proxy_port}", [
            f"{name}={srv.url.removeprefix('http://')}" for name, srv in servers.items()]))
        binary = haproxy_binary()
        check = subprocess.run([binary, "-c", "-f", str(config)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        log = open(folder / "haproxy.log", "ab")
        cleanup.callback(log.close)
        haproxy = subprocess.Popen([binary, "-db", "-f", str(config)], stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        cleanup.callback(_end, haproxy)
        try:
            wait_for_port(proxy_port, 10)
        except RuntimeError:
            raise RuntimeError("haproxy did not start: " + (folder / "haproxy.log").read_text())
        hall = Topology(proxy, servers, redis_port, running[0], haproxy, folder, url)
        try:
            yield hall
        finally:
            running[0] = hall.redis


def _stop(server: RunningServer) -> None:
    if server.process.poll() is None:
        server.stop()


def _end(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


class Screen:
    """A hall screen as display/static/screen.js is one: Socket.IO through the proxy,
    reconnecting by itself; a snapshot ahead of what it saw (after a reconnect) or a gap in the
    sequence numbers is caught up from GET /events?since=<the last seq it saw>."""

    def __init__(self, proxy: str, token: str, websocket_only: bool) -> None:
        self.proxy, self.token = proxy, token
        self.transports = ["websocket"] if websocket_only else None  # None: polling, upgrade
        self.lock = threading.RLock()
        self.first_seq: int | None = None
        self.last_seq: int | None = None
        self.live: dict[int, dict] = {}  # seq → event pushed on the socket
        self.caught: dict[int, dict] = {}  # seq → event read from /events
        self.connects: list[float] = []
        self.disconnects: list[float] = []
        self.errors: list[str] = []
        self.first_instance: str | None = None
        self.http = requests.Session()
        self.sio = socketio.Client(reconnection=True, reconnection_delay=0.5,
                                   reconnection_delay_max=2, randomization_factor=0.2)
        self.sio.on("connect", lambda: self.connects.append(time.monotonic()))
        self.sio.on("disconnect", lambda *_: self.disconnects.append(time.monotonic()))
        self.sio.on("snapshot", self._snapshot)
        self.sio.on("event", self._event)

    def connect(self) -> None:
        self.sio.connect(self.proxy, auth={"token": self.token}, transports=self.transports,
                         wait_timeout=10)
        deadline = time.monotonic() + 10
        while self.first_seq is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert self.first_seq is not None, "no snapshot after connecting"
        self.first_instance = self.instance

    @property
    def instance(self) -> str | None:
        """The instance haproxy's cookie pins this screen to (long-polling first only)."""
        http = getattr(self.sio.eio, "http", None)
        return http.cookies.get("SERVERID") if http is not None else None

    def close(self) -> None:
        try:
            self.sio.disconnect()
        except Exception:  # already gone
            pass

    def _snapshot(self, snap: dict) -> None:
        with self.lock:
            if self.first_seq is None:
                self.first_seq = self.last_seq = snap["last_seq"]
            elif snap["last_seq"] > self.last_seq:
                self._catch_up(snap["last_seq"])

    def _event(self, event: dict) -> None:
        with self.lock:
            self.live.setdefault(event["seq"], event)
            if self.last_seq is None:
                return  # the first snapshot follows and covers it
            if event["seq"] > self.last_seq + 1:
                self._catch_up(event["seq"] - 1)
            self.last_seq = max(self.last_seq, event["seq"])

    def _catch_up(self, until: int) -> None:
        since, tries = self.last_seq, 0
        while since < until:
            try:
                answer = self.http.get(f"{self.proxy}{SITE}/events",
                                       params={"since": since, "limit": 500}, timeout=10,
                                       headers={"Authorization": f"Bearer {self.token}"})
                answer.raise_for_status()
            except requests.RequestException as exc:
                self.errors.append(f"events?since={since}: {exc}")
                tries += 1
                if tries > 10:
                    break  # the screen shows the snapshot anyway; the test will say what is missing
                time.sleep(0.5)
                continue
            page = answer.json()
            for event in page["events"]:
                if event["seq"] <= until:
                    self.caught.setdefault(event["seq"], event)
            if not page["events"] or not page["more"]:
                break
            since = page["events"][-1]["seq"]
        self.last_seq = max(self.last_seq, until)


@dataclass
class Issue:
    """One tap on a kiosk: a request id, sent again on network errors and 502/503/504."""

    request_id: str
    category: str
    started: float
    answers: list[tuple[object, str | None, float]] = field(default_factory=list)
    ticket: dict | None = None
    refusal: str | None = None


def issue(kiosk: Client, request_id: str, category: str,
          in_flight: dict | None = None) -> Issue:
    """`in_flight`: while a request is out, its kiosk's name → (the instance its session is
    pinned to, when it was sent)."""
    done = Issue(request_id, category, time.monotonic())
    name = request_id.rsplit("-", 1)[0]
    for delay in (*RETRY_DELAYS, None):
        if in_flight is not None:
            in_flight[name] = (getattr(kiosk, "pinned", None), time.monotonic())
        try:
            answer = kiosk.post(f"{SITE}/tickets", {"category": category, "request_id": request_id})
        except requests.RequestException as exc:
            answer = None
            done.answers.append((type(exc).__name__, None, time.monotonic()))
        else:
            done.answers.append((answer.status_code, instance_of(answer), time.monotonic()))
            kiosk.pinned = instance_of(answer)
        finally:
            if in_flight is not None:
                in_flight.pop(name, None)
        if answer is not None and answer.status_code in (200, 201):
            done.ticket = answer.json()
            return done
        if answer is not None and answer.status_code not in RETRYABLE:
            done.refusal = answer.text[:300]
            return done
        if delay is None:
            return done
        time.sleep(delay)
    return done


def kiosk_loop(proxy: str, token: str, name: str, stop: threading.Event,
               issued: list[Issue], pause: float, in_flight: dict | None = None) -> None:
    kiosk = Client(proxy).as_device(token)
    n = 0
    while not stop.is_set():
        n += 1
        issued.append(issue(kiosk, f"{name}-{n}", "realty" if n % 3 == 0 else "social",
                            in_flight))
        stop.wait(pause)


def staff_loop(staff: Client, stop: threading.Event, answers: list, pause: float) -> None:
    """Window 1 calls the next ticket and marks it a no-show, over and over; a call whose answer
    was lost (the instance died) is found as the window's current ticket."""
    while not stop.is_set():
        current = None
        try:
            answer = staff.post(f"{SITE}/windows/1/call-next")
            answers.append((answer.status_code, instance_of(answer)))
            if answer.status_code == 200:
                current = answer.json()["id"]
            elif answer.status_code == 409 and answer.json()["error"]["code"] == "window_busy":
                windows = staff.get(f"{SITE}/windows").json()
                current = (next(w for w in windows if w["number"] == 1)["current"] or {}).get("id")
        except (requests.RequestException, ValueError) as exc:  # ValueError: not JSON
            answers.append((type(exc).__name__, None))
        if current is None:
            stop.wait(0.2)
            continue
        for _ in range(20):
            try:
                answer = staff.post(f"{SITE}/tickets/{current}/no-show")
                answers.append((answer.status_code, instance_of(answer)))
                if answer.status_code < 500:
                    break
            except requests.RequestException as exc:
                answers.append((type(exc).__name__, None))
            time.sleep(0.3)
        stop.wait(pause)


def all_events(proxy: str, token: str) -> list[dict]:
    client = Client(proxy).as_device(token)
    events, since = [], 0
    while True:
        page = client.get(f"{SITE}/events?since={since}&limit=1000").json()
        events += page["events"]
        if not page["events"] or not page["more"]:
            return events
        since = page["events"][-1]["seq"]


def printed_numbers(printer: FakePrinter) -> list[tuple[str, bool]]:
    """(number, marked 补打) of every whole ticket that came out."""
    out = []
    for ticket in printer.tickets():
        numbers = [m.group(1) for line in ticket.lines if (m := NUMBER_LINE.match(line.text))]
        out.append((numbers[0] if len(numbers) == 1 else f"?{numbers}", "补打" in ticket.text))
    return out


@pytest.fixture
def printer():
    with FakePrinter() as fake:
        yield fake


@pytest.fixture
def hall(tmp_path, printer):
    reason = missing_parts()
    if reason:
        pytest.skip(reason)
    with topology(tmp_path / "topology", printer) as running:
        yield running


@pytest.fixture
def screens(hall):
    made: list[Screen] = []
    yield made
    for screen in made:  # before the servers stop: no client left reconnecting
        screen.close()


def test_killing_an_instance_behind_haproxy_loses_nothing(hall: Topology, printer: FakePrinter,
                                                          screens: list[Screen]):
    began = time.monotonic()
    proxy = hall.proxy
    answered_by = {instance_of(requests.get(proxy + "/api/v1/health", timeout=5)) for _ in range(4)}
    assert answered_by == {"a", "b"}  # round robin over both, health checks passing

    # Screens: four on long-polling then WebSocket (they need the sticky cookie: the handshake
    # and the upgrade must reach the same process), two on WebSocket only, like the screen page.
    screens += [Screen(proxy, hall.tokens["hall-1"], websocket_only=i >= 4) for i in range(6)]
    for screen in screens:
        screen.connect()
    assert {s.first_instance for s in screens[:4]} == {"a", "b"}, [s.first_instance for s in screens]

    staff = Client(proxy).login("staff1", hall.passwords["staff1"])
    assert staff.post(f"{SITE}/windows/1/sign-in", {"post": "A"}).ok
    assert staff.post(f"{SITE}/windows/1/open").ok

    stop = threading.Event()
    issued: list[Issue] = []
    staff_answers: list = []
    in_flight: dict = {}
    workers = [threading.Thread(target=kiosk_loop, daemon=True, args=(
        proxy, hall.tokens["kiosk-p"], f"k{i}", stop, issued, 0.35, in_flight)) for i in range(4)]
    workers.append(threading.Thread(target=staff_loop, args=(staff, stop, staff_answers, 0.15),
                                    daemon=True))
    try:
        for worker in workers:
            worker.start()
        time.sleep(5)
        # The printer stops answering for a moment so that the instance dies holding print jobs
        # (queued, or waiting on the printer); the survivor must take them over.
        printer.default = "stall"
        time.sleep(1.5)
        seq_at_kill = all_events(proxy, hall.tokens["hall-1"])[-1]["seq"]
        # Kill while a kiosk's request is inside instance a (sent 15 ms ago, not answered yet):
        # its answer is lost, the kiosk sends the same request id again, through the survivor.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not any(
                pinned == "a" and time.monotonic() - sent > 0.015
                for pinned, sent in list(in_flight.values())):
            time.sleep(0.001)
        killed_at = time.monotonic()
        hall.kill("a")
        printer.default = "ok"
        time.sleep(8)
    finally:
        stop.set()
        for worker in workers:
            worker.join(25)
    load_ended = time.monotonic()

    # -- tickets: every request acknowledged, exactly one ticket each, numbers 1..N ------------
    unanswered = [(i.request_id, i.answers, i.refusal) for i in issued if i.ticket is None]
    assert not unanswered, unanswered
    answers = Counter(a[0] for i in issued for a in i.answers)
    odd = [(i.request_id, i.answers) for i in issued
           if any(isinstance(a[0], int) and a[0] not in (200, 201, *RETRYABLE) for a in i.answers)]
    assert not odd, odd  # a 500, a 4xx: not what a kiosk can retry
    by_request = {i.request_id: i.ticket for i in issued}
    assert len(by_request) == len(issued)
    ticket_ids = [t["id"] for t in by_request.values()]
    assert len(set(ticket_ids)) == len(ticket_ids), "two requests got the same ticket"
    events = all_events(proxy, hall.tokens["hall-1"])
    issued_events = {e["ticket_id"]: e for e in events if e["type"] == "issued"}
    assert set(issued_events) == set(ticket_ids), (
        f"tickets without an acknowledged request: {sorted(set(issued_events) - set(ticket_ids))}, "
        f"acknowledged without an issued event: {sorted(set(ticket_ids) - set(issued_events))}")
    numbers = defaultdict(list)
    for event in issued_events.values():
        numbers[event["number"][0]].append(int(event["number"][1:]))
    for prefix, seqs in numbers.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), (prefix, sorted(seqs))
    for request_id, ticket in by_request.items():
        assert issued_events[ticket["id"]]["number"] == ticket["number"], request_id
    after_kill = [i for i in issued if i.started > killed_at + 3]
    assert after_kill and all(a[:2] in ((201, "b"), (200, "b")) for i in after_kill for a in i.answers), \
        [(i.request_id, i.answers) for i in after_kill if len(i.answers) > 1]

    # -- calls: the staff console went on through the survivor --------------------------------
    called = {e["seq"]: e for e in events if e["type"] == "called"}
    assert any(seq > seq_at_kill for seq in called), "no call made after the kill"
    assert not [a for a in staff_answers if isinstance(a[0], int) and a[0] >= 500
                and a[0] not in RETRYABLE], staff_answers

    # -- printing: each ticket once (or once marked 补打 if bytes of it may have been out) ------
    jobs = {t["number"]: t["print"]["job"] for t in by_request.values()}
    kiosk = Client(proxy).as_device(hall.tokens["kiosk-p"])
    deadline, views = time.monotonic() + 40, {}
    while time.monotonic() < deadline:
        views = {n: kiosk.get(f"{SITE}/print-jobs/{job}").json() for n, job in jobs.items()}
        if all(v.get("state") == "printed" for v in views.values()):
            break
        time.sleep(0.5)
    not_printed = {n: v for n, v in views.items() if v.get("state") != "printed"}
    assert not not_printed, not_printed
    time.sleep(1.0)  # nothing more may come out
    out = printed_numbers(printer)
    plain = Counter(n for n, marked in out if not marked)
    marked = Counter(n for n, marked in out if marked)
    assert set(plain) | set(marked) == set(jobs), (
        f"missing: {sorted(set(jobs) - set(plain) - set(marked))}, "
        f"not issued: {sorted((set(plain) | set(marked)) - set(jobs))}")
    assert all(c == 1 for c in plain.values()), {n: c for n, c in plain.items() if c > 1}
    assert all(c == 1 for c in marked.values()), {n: c for n, c in marked.items() if c > 1}
    both = sorted(set(plain) & set(marked))
    assert all(views[n]["may_have_printed"] for n in both), both  # out whole, then again marked
    partial = sum(1 for c in printer.connections if c.printed and not decode(bytes(c.printed)).cuts)

    # -- screens: every call after they connected, live or caught up after a reconnect --------
    last_seq = events[-1]["seq"]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any((s.last_seq or 0) < last_seq for s in screens):
        time.sleep(0.1)
    never_live = {seq for seq in called if all(seq not in s.live for s in screens)}
    report = []
    for number, screen in enumerate(screens):
        want = {seq for seq in called if seq > screen.first_seq}
        got = set(screen.live) | set(screen.caught)
        moved = [t for t in screen.disconnects if t > killed_at]
        report.append(f"screen {number} ({screen.first_instance or 'websocket only'}): {len(want)} calls, "
                      f"{len(want & set(screen.live))} live, {len(want - set(screen.live))} caught up, "
                      f"disconnected {len(moved)}x, errors {screen.errors}")
        assert want <= got, (number, sorted(want - got), report[-1])
        assert screen.last_seq >= last_seq, (number, screen.last_seq, last_seq)
        if not moved:  # on the survivor all along: every call pushed live (unless never sent)
            assert want - set(screen.live) <= never_live, (number, sorted(want - set(screen.live)))
        else:
            assert len(screen.connects) >= 2, (number, "did not reconnect")
    on_dead = [s for s in screens if any(t > killed_at for t in s.disconnects)]
    assert on_dead and len(on_dead) < len(screens)
    assert all(s.first_instance in (None, "a") for s in on_dead)
    assert all(s.first_instance != "a" for s in screens if s not in on_dead)

    first_ok_after_kill = min((a[2] for i in issued for a in i.answers
                               if a[2] > killed_at and a[0] in (200, 201)), default=None)
    print(f"\ntopology: {len(issued)} tickets ({dict(sorted((p, len(s)) for p, s in numbers.items()))}),"
          f" answers {dict(answers)}, {sum(1 for i in issued if len(i.answers) > 1)} requests retried,"
          f" {sum(1 for t in by_request.values() if t.get('repeated'))} answered 'repeated';"
          f" {len(called)} calls ({sum(1 for s in called if s > seq_at_kill)} after the kill),"
          f" never pushed live: {sorted(never_live)}; first ticket after the kill in"
          f" {first_ok_after_kill - killed_at:.2f} s; printed {len(plain)} plain, marked {sorted(marked)}"
          f" (also whole before: {both}), {partial} partial prints; load {load_ended - began:.1f} s")
    print("\n".join(report))
    for i in issued:
        if len(i.answers) > 1:
            print(f"retried {i.request_id}: {[(a[0], a[1], round(a[2] - killed_at, 3)) for a in i.answers]}"
                  f" sent {i.started - killed_at:+.3f} s from the kill → {i.ticket['number']}"
                  f"{' (repeated)' if i.ticket.get('repeated') else ''}")
