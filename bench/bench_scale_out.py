"""Scale-out: two `queuehall serve` instances behind haproxy against one instance alone, with the
same client in the same run. Measured: issue throughput with kiosks of two sites tapping back to
back, and call -> screen latency (p50/p99) with 500 Socket.IO screens connected.

One deployment serves every configuration: the local PostgreSQL (a database of its own,
`queuehall_scaleout`), one redis-server (message queue and rate limits), instances a and b with
one config (the test hall, open around the clock, plus a second site "town"; issue rate limit
and daily caps lifted), and two haproxy processes from deploy/haproxy: one in front of a and b,
one in front of a alone (what the proxy costs by itself). Configurations, in turn, each round:

  one       instance a, addressed directly
  one+proxy haproxy -> a
  two       haproxy -> a, b (sticky cookie per kiosk; sockets spread by round robin)

Issuing: --kiosks clients (threads, one keep-alive connection each, keeping haproxy's cookie as a
browser does), half on each site, back to back for --seconds after a warm-up. Screens: 500 hall
screens (python-socketio, websocket transport, 2 client processes) connected through the
configuration, window 2 calls every --gap s (call-next then no-show) through it; latency from
just before call-next to the `called` event at each screen. CPU: the instances' process groups,
haproxy, PostgreSQL, this client and its socket processes, and the machine as a whole.

Usage: .venv/bin/python bench/bench_scale_out.py [--write-results] [--rounds 2] [--seconds 8]
Needs haproxy, redis-server and the local PostgreSQL (`make test-deps pg-up`). A run takes
about 4 minutes.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from bench_api import (group_cpu_seconds, machine, machine_busy_seconds,  # noqa: E402
                       percentile, stop_group, wait_for_quiet)
from bench_screens import Crowd, Spec, delivery, postgres_cpu, raise_nofile  # noqa: E402
from deployment import (API, QUEUEHALL, RESULTS, Instance, Redis, bench_config,  # noqa: E402
                        code_version, create_database, drop_database, run_demo, server_env,
                        start_haproxy, write_results)
from lean_http import TRANSPORT_ERRORS, JsonClient  # noqa: E402
from tests.e2e.test_topology import haproxy_binary  # noqa: E402

SECTION = "## Scale-out: two instances behind haproxy against one alone"
DATABASE = "queuehall_scaleout"
SITES = {"test": ("kiosk-1", ["social", "tax", "realty"]), "town": ("kiosk-t", ["civil", "permit"])}
SCREENS, CALLED, WINDOW = 500, "social", 2
TOWN = """
[[sites]]
code = "town"
name_zh = "城关镇便民服务中心"
name_en = "Town Service Center"
opens = "00:00"
closes = "24:00"
weekdays = [1, 2, 3, 4, 5, 6, 7]

[[sites.categories]]
code = "civil"
prefix = "M"
name_zh = "民政事务"
daily_cap = 100
wait_target_minutes = 20
service_minutes = 5

[[sites.categories]]
code = "permit"
prefix = "P"
name_zh = "证照办理"
daily_cap = 100
wait_target_minutes = 20
service_minutes = 5

[[sites.windows]]
number = 1
a = ["civil", "permit"]

[[sites.kiosks]]
code = "kiosk-t"
name = "城关取号机"
"""


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class StickyClient(JsonClient):
    """A keep-alive JSON client that keeps haproxy's SERVERID cookie, as a kiosk's browser does."""

    def post(self, path: str, body: dict | None = None) -> tuple[int, dict | None]:
        headers = {**self.headers, "Content-Type": "application/json"}
        try:
            self.conn.request("POST", path, json.dumps(body or {}), headers)
            response = self.conn.getresponse()
            raw = response.read()
        except TRANSPORT_ERRORS:
            self.conn.close()
            raise
        cookie = response.getheader("Set-Cookie") or ""
        if cookie.startswith("SERVERID="):
            self.headers["Cookie"] = cookie.split(";", 1)[0]
        return response.status, json.loads(raw) if raw else None


class Deployment:
    """PostgreSQL database, Redis, instances a and b, haproxy in front of both and of a alone."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="queuehall-scale-out-"))
        self.instances: list[Instance] = []
        self.haproxies: list[subprocess.Popen] = []
        self.redis: Redis | None = None
        try:
            self._start()
        except BaseException:
            self.close()
            raise

    def _start(self) -> None:
        database = create_database(DATABASE)
        self.redis = Redis(self.folder)
        text = bench_config(database, TOWN, message_queue=f"{self.redis.url}/0",
                            rate_limit_storage=f"{self.redis.url}/1",
                            secret_key_file=str(self.folder / "secret_key"))
        env = server_env()
        self.urls, self.pgids = {}, {}
        for name in ("a", "b"):
            folder = self.folder / name
            folder.mkdir()
            config = folder / "config.toml"
            config.write_text(text, encoding="utf-8")
            if name == "a":  # one `queuehall demo` for the shared database: one set of tokens
                self.passwords, self.tokens = run_demo(folder, config, env)
                town = subprocess.run([str(QUEUEHALL), "--config", str(config), "device-token",
                                       "town", "kiosk-t"], cwd=folder, timeout=60,
                                      capture_output=True, text=True, check=True, env=env)
                self.tokens["kiosk-t"] = town.stdout.strip().splitlines()[-1]
            instance = Instance(folder, config, env, name)
            self.instances.append(instance)
            self.urls[name] = instance.url
            self.pgids[name] = instance.process.pid  # started in a session of its own
        staff = self.staff(self.urls["a"])
        for action, body in (("sign-in", {"post": "A"}), ("open", None)):
            status, answer = staff.post(f"{API}/sites/test/windows/{WINDOW}/{action}", body)
            if status != 200:
                raise RuntimeError(f"window {WINDOW} {action}: {status} {answer}")
        self.targets = {"one": self.urls["a"], "one+proxy": self._haproxy("a"),
                        "two": self._haproxy("a", "b")}

    @property
    def haproxy_pgids(self) -> list[int]:
        return [p.pid for p in self.haproxies]

    def _haproxy(self, *names: str) -> str:
        process, url = start_haproxy(self.folder, {n: self.urls[n] for n in names})
        self.haproxies.append(process)
        return url

    def connections(self) -> dict[str, int]:
        return {n: requests.get(u + API + "/health", timeout=10).json()["connections"]
                for n, u in self.urls.items()}

    def staff(self, url: str) -> JsonClient:
        """staff1 signed in through `url` (window 2's A post, taken once at the start)."""
        s = requests.Session()
        csrf = s.get(url + API + "/auth/csrf", timeout=10).json()["csrf_token"]
        r = s.post(url + API + "/auth/login", json={"username": "staff1",
                   "password": self.passwords["staff1"]}, headers={"X-CSRFToken": csrf},
                   timeout=10)
        r.raise_for_status()
        s.headers["X-CSRFToken"] = r.json()["csrf_token"]
        return JsonClient.like(s, url)

    def close(self) -> None:
        for process in reversed(self.haproxies):
            stop_group(process)
        for instance in reversed(self.instances):
            instance.stop()
        if self.redis is not None:
            self.redis.stop()
        drop_database(DATABASE)
        shutil.rmtree(self.folder, ignore_errors=True)


class Cpu:
    """Cores used over a window by the instances, haproxy, PostgreSQL, the client, the machine."""

    def __init__(self, dep: Deployment) -> None:
        self.dep = dep
        self.start = self._read()

    def _read(self) -> dict[str, float]:
        t = os.times()
        return {"wall": time.monotonic(),
                **{n: group_cpu_seconds(pgid) for n, pgid in self.dep.pgids.items()},
                "haproxy": sum(group_cpu_seconds(p) for p in self.dep.haproxy_pgids),
                "postgres": postgres_cpu(),
                "client": t.user + t.system + t.children_user + t.children_system,
                "machine": machine_busy_seconds()}

    def cores(self, extra_client: float = 0.0) -> dict[str, float]:
        end = self._read()
        wall = end["wall"] - self.start["wall"]
        used = {k: (end[k] - self.start[k]) / wall for k in end if k != "wall"}
        used["client"] += extra_client / wall
        return used


@dataclass
class Result:
    config: str
    kind: str                       # "issue" | "screens"
    rate: float = 0.0               # tickets/s (issue)
    latencies: list[float] = field(default_factory=list)
    per_site: dict[str, int] = field(default_factory=dict)
    errors: collections.Counter = field(default_factory=collections.Counter)
    cpu: dict[str, float] = field(default_factory=dict)
    received: str = ""
    spread: dict[str, int] = field(default_factory=dict)


def issue_phase(dep: Deployment, config: str, kiosks: int, warmup: float, seconds: float,
                seen: list) -> Result:
    url = dep.targets[config]
    sites = list(SITES)
    samples, lock = [], threading.Lock()
    start_at = time.monotonic() + 0.5
    begin, stop = start_at + warmup, start_at + warmup + seconds

    def kiosk(i: int) -> None:
        site = sites[i % len(sites)]
        device, categories = SITES[site]
        client = StickyClient(url, {"Authorization": f"Bearer {dep.tokens[device]}"}, 30)
        k = i
        time.sleep(max(0.0, start_at - time.monotonic()))
        while (t0 := time.monotonic()) < stop:
            k += 1
            try:
                status, body = client.post(f"{API}/sites/{site}/tickets",
                                           {"category": categories[k % len(categories)]})
                key = "" if status == 201 else f"HTTP {status}"
            except TRANSPORT_ERRORS as exc:
                status, body, key = 0, None, type(exc).__name__
            t1 = time.monotonic()
            with lock:
                samples.append((site, t0, t1, key))
                if status == 201:
                    seen.append((site, body["id"], body["number"]))

    threads = [threading.Thread(target=kiosk, args=(i,), daemon=True) for i in range(kiosks)]
    for th in threads:
        th.start()
    time.sleep(max(0.0, begin - time.monotonic()))
    cpu = Cpu(dep)
    time.sleep(max(0.0, stop - time.monotonic()))
    used = cpu.cores()
    for th in threads:
        th.join(60)
    measured = [s for s in samples if begin <= s[2] < stop]
    ok = [s for s in measured if not s[3]]
    return Result(config, "issue", rate=len(ok) / seconds,
                  latencies=[s[2] - s[1] for s in ok],
                  per_site=dict(collections.Counter(s[0] for s in ok)),
                  errors=collections.Counter(s[3] for s in measured if s[3]), cpu=used)


def screens_phase(dep: Deployment, config: str, calls: int, gap: float) -> Result:
    url = dep.targets[config]
    staff = dep.staff(url)
    kiosk = JsonClient(dep.urls["a"], {"Authorization": f"Bearer {dep.tokens['kiosk-1']}"})
    for _ in range(calls + 5):  # the called category has enough waiting
        kiosk.post(f"{API}/sites/test/tickets", {"category": CALLED})
    crowd = Crowd([Spec("s", url, "screen", dep.tokens["hall-1"]) for _ in range(SCREENS)],
                  procs=2, batch=100)
    result = Result(config, "screens")
    try:
        if crowd.failed:
            result.errors["socket not connected"] += crowd.failed
        time.sleep(2)
        result.spread = dep.connections()
        crowd.collect()  # forget what came before
        children = _children_cpu(crowd)
        cpu, sent = Cpu(dep), {}
        due = time.monotonic()
        for _ in range(calls):
            time.sleep(max(0.0, due - time.monotonic()))
            due += gap
            t0 = time.monotonic()
            status, ticket = staff.post(f"{API}/sites/test/windows/{WINDOW}/call-next")
            if status != 200:
                result.errors[f"call-next HTTP {status}"] += 1
                continue
            sent[ticket["id"]] = t0
            status, _ = staff.post(f"{API}/sites/test/tickets/{ticket['id']}/no-show")
            if status != 200:
                result.errors[f"no-show HTTP {status}"] += 1
        time.sleep(2)  # the last events on their way
        result.cpu = cpu.cores(_children_cpu(crowd) - children)
        got = delivery(crowd.collect(), "s", crowd.count(), sent)
        result.latencies = got.latencies
        result.received = f"{got.received}/{got.expected}"
    finally:
        crowd.close()
    return result


def _children_cpu(crowd: Crowd) -> float:
    """CPU seconds of the live socket client processes (not yet reaped into os.times())."""
    total = 0
    for p in crowd.procs:
        try:
            f = Path(f"/proc/{p.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(f[11]) + int(f[12])
    return total / os.sysconf("SC_CLK_TCK")


def check(seen: list) -> list[str]:
    problems = []
    if len({(s, i) for s, i, _ in seen}) != len(seen):
        problems.append("a ticket id acknowledged twice")
    if len({(s, n) for s, _, n in seen}) != len(seen):
        problems.append("a number issued twice in a site")
    return problems


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def body(results: list[Result], args, problems: list[str], load: dict, took: float) -> str:
    configs = list(dict.fromkeys(r.config for r in results))
    issue = {c: [r for r in results if r.config == c and r.kind == "issue"] for c in configs}
    screens = {c: [r for r in results if r.config == c and r.kind == "screens"] for c in configs}
    base_rate = median([r.rate for r in issue["one"]])

    def cores(rs: list[Result], key: str) -> str:
        return f"{median([r.cpu.get(key, 0.0) for r in rs]):.2f}"

    def ms(x: float) -> str:
        return f"{x * 1e3:.0f}"

    rows = []
    for c in configs:
        rs = issue[c]
        lat = [x for r in rs for x in r.latencies]
        rate = median([r.rate for r in rs])
        sites = " / ".join(f"{median([r.per_site.get(s, 0) / args.seconds for r in rs]):.0f}"
                           for s in SITES)
        errors = sum((r.errors for r in rs), collections.Counter())
        rows.append(f"| {c} | {rate:.0f} ({', '.join(f'{r.rate:.0f}' for r in rs)}) | "
                    f"{rate / base_rate:.2f} | {sites} | {ms(percentile(lat, 50))} / "
                    f"{ms(percentile(lat, 99))} | {cores(rs, 'a')} + {cores(rs, 'b')} | "
                    f"{cores(rs, 'haproxy')} | {cores(rs, 'postgres')} | {cores(rs, 'client')} | "
                    f"{cores(rs, 'machine')} | {dict(errors) or 0} |")
    base_p99 = percentile([x for r in screens["one"] for x in r.latencies], 99)
    srows = []
    for c in configs:
        rs = screens[c]
        lat = [x for r in rs for x in r.latencies]
        p99 = percentile(lat, 99)
        errors = sum((r.errors for r in rs), collections.Counter())
        srows.append(f"| {c} | {', '.join(r.received for r in rs)} | "
                     f"{' / '.join(str(r.spread) for r in rs[:1])} | {ms(percentile(lat, 50))} | "
                     f"{ms(p99)} | {p99 / base_p99:.2f} | {cores(rs, 'a')} + {cores(rs, 'b')} | "
                     f"{cores(rs, 'haproxy')} | {cores(rs, 'client')} | {cores(rs, 'machine')} | "
                     f"{dict(errors) or 0} |")
    return "\n".join([
        f"Reproduce: `.venv/bin/python bench/bench_scale_out.py --write-results` (haproxy, "
        f"redis-server and the local PostgreSQL: `make test-deps pg-up`). Date "
        f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, server code at "
        f"{code_version()}. Machine: {machine()}. Load before the run: {load['before']}; other "
        f"work on the machine during the measured windows (cores busy less this run's): "
        f"median {load['other']:.2f}.",
        "",
        "One deployment, every configuration in the same run and each round in turn "
        f"({args.rounds} rounds; medians, the rounds in brackets): the local PostgreSQL (its "
        "own database), one redis-server (message queue and rate limits), instances a and b "
        "(`queuehall serve`: gunicorn, one gevent worker each) and haproxy from deploy/haproxy "
        "(`option http-server-close`: a new connection to the instance per request). **one**: "
        "instance a directly; **one+proxy**: haproxy in front of a alone (what the proxy costs); "
        "**two**: haproxy in front of a and b. Everything, client included, on this 2-core "
        "machine.",
        "",
        f"Issuing: {args.kiosks} kiosks back to back (threads with keep-alive connections that "
        f"keep haproxy's sticky cookie, as a browser does), half on site test (3 categories), "
        f"half on site town (2 categories), {args.seconds:g} s measured after a "
        f"{args.warmup:g} s warm-up. Cores: busy on average in the measured window (a + b: the "
        f"instances' process groups).",
        "",
        "| configuration | tickets/s | vs one | test / town per s | p50 / p99 ms | cores a + b "
        "| haproxy | PostgreSQL | client | machine | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        *rows,
        "",
        f"Screens: {SCREENS} hall screens (python-socketio, websocket transport, 2 client "
        f"processes) connected through the configuration (through haproxy they spread round "
        f"robin, one TCP connection each), window 2 calls every {args.gap:g} s ({args.calls} "
        f"calls, call-next then no-show, through the configuration); latency from just before "
        f"call-next to the `called` event at each screen, over all screens and calls of the "
        f"rounds.",
        "",
        "| configuration | events received | sockets per instance | p50 ms | p99 ms | p99 vs one "
        "| cores a + b | haproxy | client | machine | errors |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
        *srows,
        "",
        f"Tickets acknowledged in all: {load['tickets']}; numbers doubled or ids acknowledged "
        f"twice: {'; '.join(problems) if problems else 'none'}. The run took {took / 60:.1f} min.",
    ])


READING = "<!-- reading: kept by bench_scale_out.py -->"


def kept_reading() -> str:
    content = RESULTS.read_text(encoding="utf-8")
    start = content.find("\n" + SECTION + "\n")
    if start == -1 or READING not in content[start:]:
        return ""
    section = content[start + 1:]
    nxt = section.find("\n## ")
    section = section[:nxt] if nxt != -1 else section
    return section[section.find(READING):]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=8.0, help="measured seconds per issue phase")
    ap.add_argument("--warmup", type=float, default=2.0)
    ap.add_argument("--kiosks", type=int, default=8, help="issuing clients in all (both sites)")
    ap.add_argument("--calls", type=int, default=30, help="calls per screens phase")
    ap.add_argument("--gap", type=float, default=0.5, help="seconds between calls")
    ap.add_argument("--quiet-wait", type=float, default=120,
                    help="wait up to this long for other work on the machine to stop")
    ap.add_argument("--write-results", action="store_true",
                    help=f"replace (or add) the section '{SECTION}' of bench/RESULTS.md")
    args = ap.parse_args()
    if haproxy_binary() is None or shutil.which("redis-server") is None:
        sys.exit("cannot run: haproxy and redis-server are needed (make test-deps)")
    raise_nofile()
    uptime = Path("/proc/loadavg").read_text().split()[:3]
    other = wait_for_quiet(args.quiet_wait)
    load = {"before": f"load average {' '.join(uptime)}, {other:.2f} cores busy by other work "
                      f"when it started"}
    began = time.monotonic()
    dep = Deployment()
    results: list[Result] = []
    seen: list = []
    try:
        for n in range(args.rounds):
            for config in dep.targets:
                r = issue_phase(dep, config, args.kiosks, args.warmup, args.seconds, seen)
                results.append(r)
                log(f"round {n + 1} {config}: issue {r.rate:.0f}/s "
                    f"p99 {percentile(r.latencies, 99) * 1e3:.0f} ms, machine "
                    f"{r.cpu['machine']:.2f} cores, errors {dict(r.errors)}")
        for n in range(args.rounds):
            for config in dep.targets:
                r = screens_phase(dep, config, args.calls, args.gap)
                results.append(r)
                log(f"round {n + 1} {config}: screens {r.received}, p99 "
                    f"{percentile(r.latencies, 99) * 1e3:.0f} ms, spread {r.spread}, "
                    f"errors {dict(r.errors)}")
    finally:
        took = time.monotonic() - began
        dep.close()
    # Other work in each measured window: the machine's busy cores less ours (PostgreSQL's
    # count is the whole cluster's, which other users of it share).
    load["other"] = median([max(0.0, r.cpu["machine"] - sum(
        r.cpu.get(k, 0.0) for k in ("a", "b", "haproxy", "postgres", "client"))) for r in results])
    load["tickets"] = len(seen)
    problems = check(seen)
    text = body(results, args, problems, load, took)
    print(text)
    if args.write_results:
        notes = kept_reading()
        write_results(SECTION, text.strip() + ("\n\n" + notes.strip() if notes else ""))
        log(f"wrote {RESULTS.relative_to(ROOT)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
