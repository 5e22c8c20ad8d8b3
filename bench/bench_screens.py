"""Call-to-screen latency: time from a staff "call next" request to the `called` event arriving
at each of N connected screen clients (N = 10, 100, 500), and server memory per screen.

Reproduce: `.venv/bin/python bench/bench_screens.py --write-results`.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import requests
import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.e2e.server import QUEUEHALL, always_open_config, free_port  # noqa: E402

CLIENT_PROCESSES = 4
RESULTS = Path(__file__).with_name("RESULTS.md")
SETUP = ("The server is the real one (`queuehall serve`, gunicorn gthread, one process, threads = "
         "screens + 64) on SQLite in a temp folder; screens are python-socketio clients (websocket "
         "transport) spread over 4 client processes on the same machine, sharing its cores with the "
         "server; timestamps are CLOCK_MONOTONIC, shared by all processes.")


def screens_process(url: str, token: str, count: int, ready, stop, out) -> None:
    """Hold `count` screens open; report (ticket_id, monotonic arrival) of every call."""
    arrivals: list[tuple[int, float]] = []
    clients = []
    for _ in range(count):
        c = socketio.Client(reconnection=False)
        c.on("event", lambda e: e["type"] == "called" and arrivals.append(
            (e["ticket_id"], time.monotonic())))
        for attempt in range(5):
            try:
                c.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=20)
                break
            except socketio.exceptions.ConnectionError:
                time.sleep(0.5 * (attempt + 1))
        clients.append(c)
    ready.put(sum(1 for c in clients if c.connected))
    stop.wait()
    out.put(arrivals)
    for c in clients:
        c.disconnect()


def rss_kb(pid: int) -> int:
    """Resident memory of the gunicorn worker (the child of the master we started)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    target = int(children[0]) if children else pid
    for line in Path(f"/proc/{target}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def start(folder: Path, threads: int):
    config = folder / "config.toml"
    config.write_text(always_open_config(f"sqlite:///{folder}/hall.db"), encoding="utf-8")
    env = {**os.environ, "QUEUEHALL_CONFIG": str(config)}
    subprocess.run([str(QUEUEHALL), "demo"], cwd=folder, env=env, check=True, capture_output=True)
    creds = (folder / "data" / "demo-credentials.txt").read_text(encoding="utf-8")
    import re
    passwords = dict(re.findall(r"^\s+\w+\s+(\w+)\s+password (\S+)$", creds, re.M))
    tokens = dict(re.findall(r"^\s+device (\S+)\s+token (\S+)$", creds, re.M))
    port = free_port()
    proc = subprocess.Popen([str(QUEUEHALL), "serve", "--port", str(port), "--threads", str(threads)],
                            cwd=folder, env=env, stdout=open(folder / "server.log", "wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if requests.get(url + "/api/v1/health", timeout=2).ok:
                return proc, url, passwords, tokens
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def staff_session(url: str, password: str) -> requests.Session:
    s = requests.Session()
    csrf = s.get(url + "/api/v1/auth/csrf").json()["csrf_token"]
    r = s.post(url + "/api/v1/auth/login", json={"username": "staff1", "password": password},
               headers={"X-CSRFToken": csrf})
    s.headers["X-CSRFToken"] = r.json()["csrf_token"]
    return s


def run(n: int, calls: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        proc, url, passwords, tokens = start(Path(tmp), threads=n + 64)
        try:
            kiosk = requests.Session()
            kiosk.headers["Authorization"] = f"Bearer {tokens['kiosk-1']}"
            for _ in range(calls):
                kiosk.post(url + "/api/v1/sites/test/tickets", json={"category": "social"})
            staff = staff_session(url, passwords["staff1"])
            staff.post(url + "/api/v1/sites/test/windows/2/sign-in", json={"post": "A"})
            staff.post(url + "/api/v1/sites/test/windows/2/open")
            time.sleep(1)
            base = rss_kb(proc.pid)
            ready, out, stop = mp.Queue(), mp.Queue(), mp.Event()
            shares = [n // CLIENT_PROCESSES + (i < n % CLIENT_PROCESSES) for i in range(CLIENT_PROCESSES)]
            workers = [mp.Process(target=screens_process, args=(url, tokens["hall-1"], k, ready, stop, out))
                       for k in shares if k]
            for w in workers:
                w.start()
            connected = sum(ready.get(timeout=300) for _ in workers)
            time.sleep(2)
            loaded = rss_kb(proc.pid)
            sent: dict[int, float] = {}
            for _ in range(calls):
                t0 = time.monotonic()
                called = staff.post(url + "/api/v1/sites/test/windows/2/call-next").json()
                sent[called["id"]] = t0
                staff.post(url + f"/api/v1/sites/test/tickets/{called['id']}/no-show")
                time.sleep(0.3)
            time.sleep(2)
            stop.set()
            arrivals = [a for _ in workers for a in out.get(timeout=60)]
            for w in workers:
                w.join(30)
        finally:
            os.killpg(proc.pid, 15)
            proc.wait(10)
    lat = sorted((t - sent[tid]) * 1000 for tid, t in arrivals if tid in sent)
    expected = connected * calls
    return {"n": n, "connected": connected, "calls": calls, "received": len(lat),
            "expected": expected, "p50": statistics.median(lat),
            "p99": lat[min(len(lat) - 1, int(len(lat) * 0.99))], "max": lat[-1],
            "kb_per_screen": (loaded - base) / max(1, connected)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10,100,500")
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--write-results", action="store_true")
    args = parser.parse_args()
    rows = [run(int(n), args.calls) for n in args.sizes.split(",")]
    table = ["| screens | connected | calls | events received/expected | p50 ms | p99 ms | max ms | server RSS per screen KiB |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        table.append(f"| {r['n']} | {r['connected']} | {r['calls']} | {r['received']}/{r['expected']} | "
                     f"{r['p50']:.1f} | {r['p99']:.1f} | {r['max']:.1f} | {r['kb_per_screen']:.0f} |")
    print("\n".join(table))
    if args.write_results:
        machine = f"`nproc` {os.cpu_count()}, {platform.processor() or platform.machine()}, Python {platform.python_version()}"
        section = (f"\n## Call to screen latency (display)\n\nReproduce: `.venv/bin/python bench/bench_screens.py "
                   f"--write-results`. Date {date.today().isoformat()}. Machine: {machine}.\n\n"
                   + SETUP + " Latency is from just before the `call-next`"
                   " request is sent to the `called` event's arrival at each screen (one sample per screen per"
                   " call; calls 0.3 s apart). Memory is the gunicorn worker's RSS growth divided by the screens"
                   " connected.\n\n" + "\n".join(table) + "\n")
        text = RESULTS.read_text(encoding="utf-8")
        marker = "\n## Call to screen latency (display)\n"
        if marker in text:
            head, _, rest = text.partition(marker)
            nxt = rest.find("\n## ")
            text = head + (rest[nxt:] if nxt >= 0 else "")
        RESULTS.write_text(text.rstrip("\n") + "\n" + section, encoding="utf-8")


if __name__ == "__main__":
    main()
