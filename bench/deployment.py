"""What the deployment benchmarks (bench_screens, bench_scale_out, bench_failover) start and tear
down, in one place: the hall's config with its limits lifted, a PostgreSQL database of their own,
`queuehall demo` and its credentials, `queuehall serve` instances, redis-server, haproxy, and
where the results are written."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (str(BENCH), str(ROOT)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from bench_api import PG_ADMIN_URL, _pg_admin, stop_group  # noqa: E402
from tests.e2e.server import always_open_config, free_port  # noqa: E402
from tests.e2e.test_topology import haproxy_binary, render_haproxy, wait_for_port  # noqa: E402

QUEUEHALL = Path(sys.executable).with_name("queuehall")
RESULTS = BENCH / "RESULTS.md"
API = "/api/v1"
TIMEOUT = 30
CLK_TCK = os.sysconf("SC_CLK_TCK")
# What a benchmark lifts from the test hall: it issues thousands of tickets in minutes.
LIFTED = [(r'(?m)^issue_rate_limit = "[^"]*"', 'issue_rate_limit = "1000000 per minute"'),
          (r"(?m)^daily_cap = \d+", "daily_cap = 9999")]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def lifted(text: str, subs: list[tuple[str, str]] = ()) -> str:
    """A hall config with the issue rate limit and the daily caps lifted (and `subs`)."""
    for pattern, repl in [*LIFTED, *subs]:
        text, n = re.subn(pattern, repl, text)
        if n == 0:
            raise RuntimeError(f"hall config: no line matches {pattern}")
    return text


def bench_config(database_url: str, site_extra: str = "", subs: list[tuple[str, str]] = (),
                 **server: str) -> str:
    """The test hall, open around the clock, limits lifted, on `database_url`."""
    return lifted(always_open_config(database_url, site_extra, **server), subs)


def server_env() -> dict[str, str]:
    """This environment without QUEUEHALL_* (a server takes its settings from its config)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("QUEUEHALL_")}


def create_database(name: str) -> str:
    """A fresh database `name` on the local PostgreSQL (dropped first if a run left it)."""
    _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _pg_admin(f"CREATE DATABASE {name}")
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def drop_database(name: str) -> None:
    try:
        _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    except Exception as exc:  # noqa: BLE001 - cleanup goes on
        log(f"warning: could not drop {name}: {exc}")


def run_demo(folder: Path, config: Path, env: dict[str, str]) -> tuple[dict, dict]:
    """`queuehall demo` in `folder`: migrate and seed; (passwords, device tokens) it printed."""
    demo = subprocess.run([str(QUEUEHALL), "--config", str(config), "demo"], cwd=folder,
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    if demo.returncode != 0:
        raise RuntimeError(f"queuehall demo failed:\n{demo.stdout}\n{demo.stderr}")
    creds = (folder / "data" / "demo-credentials.txt").read_text(encoding="utf-8")
    return (dict(re.findall(r"^\s+\w+\s+(\w+)\s+password (\S+)$", creds, re.M)),
            dict(re.findall(r"^\s+device (\S+)\s+token (\S+)$", creds, re.M)))


class Instance:
    """One `queuehall --config X serve --port P`: a gunicorn master and its gevent worker, in a
    process group of its own."""

    def __init__(self, folder: Path, config: Path, env: dict, name: str) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / f"server-{name}.log"
        self._worker: int | None = None
        with open(self.log_path, "wb") as out:
            self.process = subprocess.Popen(
                [str(QUEUEHALL), "--config", str(config), "serve", "--port", str(self.port)],
                cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if requests.get(self.url + API + "/health", timeout=2).ok:
                    self.worker_pid()
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server {name} did not start:\n" + self.log_tail())

    def worker_pid(self) -> int:
        if self._worker is None or not Path(f"/proc/{self._worker}").exists():
            pid = self.process.pid
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            if len(children) != 1:
                raise RuntimeError(f"gunicorn master {pid} has workers {children}")
            if self._worker is not None:
                log(f"WARNING: server {self.name}: worker {self._worker} replaced by {children[0]}")
            self._worker = int(children[0])
        return self._worker

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.worker_pid()}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.worker_pid()}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime

    def health(self) -> dict:
        return requests.get(self.url + API + "/health", timeout=TIMEOUT).json()

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def log_findings(self) -> list[str]:
        """Anything in the server's log that is not a normal 2xx-4xx access line."""
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return []
        odd = []
        for line in lines:
            if re.search(r'" 5\d\d ', line) or re.search(
                    r"Traceback|\bERROR\b|\[ERROR\]|CRITICAL|WORKER TIMEOUT|WARNING|Exception"
                    r"|dropping client|Error", line):
                odd.append(line.strip())
        return odd

    def stop(self) -> None:
        stop_group(self.process, patience=15)


class Redis:
    """A redis-server on a free port, nothing kept on disk."""

    def __init__(self, folder: Path) -> None:
        exe = shutil.which("redis-server")
        if exe is None:
            raise RuntimeError("redis-server is not installed (make test-deps installs it)")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}"
        with open(folder / "redis.log", "wb") as out:
            self.process = subprocess.Popen(
                [exe, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", str(folder)],
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        stop_group(self.process)


def start_haproxy(folder: Path, backends: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """haproxy (deploy/haproxy's config) in front of `backends` (name -> URL), once its health
    checks have put an instance in: (its process, its URL)."""
    port, tag = free_port(), "".join(backends)
    config = folder / f"haproxy-{tag}.cfg"
    config.write_text(render_haproxy(f"127.0.0.1:{port}", [
        f"{n}={u.removeprefix('http://')}" for n, u in backends.items()]))
    with open(folder / f"haproxy-{tag}.log", "ab") as out:
        process = subprocess.Popen([haproxy_binary(), "-db", "-f", str(config)], stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    wait_for_port(port, 10)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while requests.get(url + API + "/health", timeout=5).status_code != 200:
        if time.monotonic() > deadline:
            raise RuntimeError(f"haproxy {tag}: no instance up")
        time.sleep(0.2)
    return process, url


def code_version() -> str:
    """The commit the server ran from, and whether its code had uncommitted changes."""
    def git(*cmd: str) -> str:
        return subprocess.run(["git", *cmd], cwd=ROOT, capture_output=True, text=True,
                              timeout=30, check=False).stdout.strip()
    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--", "queue_core", "printers", "deploy",
                "pyproject.toml")
    return f"commit {head}" + (" with uncommitted changes to the server code" if dirty else "")


def write_results(section: str, body: str, replaces: tuple[str, ...] = ()) -> None:
    """Replace the section of bench/RESULTS.md headed `section` (or one of `replaces`, an older
    heading of it) with `body`, or add it at the end."""
    content = RESULTS.read_text(encoding="utf-8")
    block = section + "\n\n" + body.strip() + "\n"
    for header in (section, *replaces):
        start = content.find("\n" + header + "\n")
        if start != -1:
            nxt = content.find("\n## ", start + 1)
            rest = content[nxt + 1:] if nxt != -1 else ""
            content = content[:start + 1] + block + ("\n" + rest if rest else "")
            break
    else:
        content = content.rstrip("\n") + "\n\n" + block
    RESULTS.write_text(content, encoding="utf-8")
