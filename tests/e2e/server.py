"""Start the real server (gunicorn via `queuehall serve`) in a temp folder for end-to-end tests."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

HALL_TOML = Path(__file__).resolve().parent.parent / "fixtures" / "hall.toml"
QUEUEHALL = Path(sys.executable).with_name("queuehall")


@dataclass
class RunningServer:
    url: str
    folder: Path
    process: subprocess.Popen
    passwords: dict[str, str]
    tokens: dict[str, str]

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)

    def kill_and_restart(self) -> None:
        """kill -9 (the master and its worker, as a power cut would), then serve again on the
        same port and database, without `demo`: what a process manager does after a crash."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        self.process = _serve(self.folder, int(self.url.rsplit(":", 1)[1]))
        _wait_until_up(self.url, self.process, self.folder)


def eventually(condition, seconds: float = 5.0):
    """Poll `condition` until it gives something truthy or `seconds` pass; its last value (a
    wait for something only a background task or another process brings, not a timing check)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    return condition()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def always_open_config(database_url: str, site_extra: str = "", **server: str) -> str:
    """The test hall, open around the clock (the server runs on the real clock)."""
    text = HALL_TOML.read_text(encoding="utf-8")
    text = re.sub(r'opens = "08:30"\ncloses = "17:30"\nweekdays = \[1, 2, 3, 4, 5\]',
                  'opens = "00:00"\ncloses = "24:00"\nweekdays = [1, 2, 3, 4, 5, 6, 7]', text)
    text = text.replace('hours = "08:30-12:00"\n', "")
    extra = "".join(f'{k} = "{v}"\n' for k, v in server.items())
    text = text.replace("[server]\n", f'[server]\ndatabase_url = "{database_url}"\n{extra}')
    return text + site_extra  # tables appended at the end belong to the last site


@contextmanager
def sqlite_server(folder: Path, site_extra: str = "") -> Iterator[RunningServer]:
    """A server on a fresh SQLite file in `folder`, stopped when the block ends."""
    srv = start_server(folder, f"sqlite:///{folder / 'hall.db'}", site_extra)
    try:
        yield srv
    finally:
        srv.stop()


def start_server(folder: Path, database_url: str, site_extra: str = "",
                 **server: str) -> RunningServer:
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "config.toml"
    config.write_text(always_open_config(database_url, site_extra, **server), encoding="utf-8")
    env = {**os.environ, "QUEUEHALL_CONFIG": str(config)}
    env.pop("QUEUEHALL_DATABASE_URL", None)
    subprocess.run([str(QUEUEHALL), "demo"], cwd=folder, env=env, check=True,
                   capture_output=True, timeout=120)
    credentials = (folder / "data" / "demo-credentials.txt").read_text(encoding="utf-8")
    passwords = dict(re.findall(r"^\s+\w+\s+(\w+)\s+password (\S+)$", credentials, re.M))
    tokens = dict(re.findall(r"^\s+device (\S+)\s+token (\S+)$", credentials, re.M))
    port = free_port()
    process = _serve(folder, port)
    url = f"http://127.0.0.1:{port}"
    _wait_until_up(url, process, folder)
    return RunningServer(url, folder, process, passwords, tokens)


def _serve(folder: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "QUEUEHALL_CONFIG": str(folder / "config.toml")}
    env.pop("QUEUEHALL_DATABASE_URL", None)
    log = open(folder / "server.log", "ab")
    return subprocess.Popen([str(QUEUEHALL), "serve", "--port", str(port)],
                            cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def _wait_until_up(url: str, process: subprocess.Popen, folder: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/api/v1/health", timeout=1).ok:
                return
        except (requests.ConnectionError, requests.Timeout):  # still booting (a busy machine)
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not start: " + (folder / "server.log").read_text())
