"""Recovery in the scale-out topology: haproxy (deploy/haproxy) in front of two `queuehall serve`
instances on one PostgreSQL and one Redis, kiosks issuing and a window calling through the proxy,
hall screens connected. Measured: how long issuing is interrupted (and how long a kiosk tap
waits, retrying the same request id as the kiosk page does) after a kill -9 of one instance, a
Redis outage and a PostgreSQL restart; when screens get calls live again; and whether any
ticket is lost or doubled (it must be none).

Usage: .venv/bin/python bench/bench_failover.py [--write-results] [--rounds 3]
Needs root (a private PostgreSQL cluster is started and stopped, not the machine's), the
PostgreSQL server binaries, redis-server and haproxy (`make test-deps`).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from bench_api import machine  # noqa: E402
from deployment import RESULTS, code_version, lifted, write_results  # noqa: E402
from tests.e2e.conftest import Client  # noqa: E402
from tests.e2e.printers.fake_printer import FakePrinter  # noqa: E402
import tests.e2e.server as e2e_server  # noqa: E402
from tests.e2e.server import _serve, _wait_until_up  # noqa: E402
from tests.e2e.test_database_outage import PrivatePostgres, pg_bin  # noqa: E402
from tests.e2e.test_topology import (SITE, Issue, Screen, Topology, all_events,  # noqa: E402
                                     haproxy_binary, instance_of, issue, printed_numbers,
                                     staff_loop, topology)

SECTION = "## Failover: an instance killed, Redis away, PostgreSQL restarting (scale-out topology)"
KIOSKS, TAP_PAUSE, DOWN_SECONDS, AFTER_SECONDS = 4, 0.3, 5.0, 6.0
TWICE = ("; such a ticket is one an instance had printed but not yet recorded as printed when "
         "it was killed: taken over, it prints again marked, as it must when bytes may be out")
PROBES, PROBE_PAUSE = 2, 0.2  # probes: a request every 0.2 s, the same id again every 0.1 s


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


@dataclass
class Round:
    scenario: str
    failed_at: float
    back_at: float  # the part back (the instance restarted, Redis or PostgreSQL up again)
    live_from: float  # screens are timed from here: the kill (they move), or the part back
    taps: list[Issue] = field(default_factory=list)
    probes: list[Issue] = field(default_factory=list)
    live_again: list[float] = field(default_factory=list)  # per screen, s after back_at

    def attempts(self) -> list[tuple[object, str | None, float]]:
        """The probes' requests (answered at a[2]): they retry every 0.1 s, unlike a kiosk."""
        return sorted((a for probe in self.probes for a in probe.answers), key=lambda a: a[2])

    def interrupted(self) -> tuple[float, int]:
        """(seconds from the failure to the first answered request after the last failed one,
        failed requests); (0, 0) if no request failed."""
        after = [a for a in self.attempts() if a[2] >= self.failed_at]
        failed = [a for a in after if a[0] not in (200, 201)]
        if not failed:
            return 0.0, 0
        last = failed[-1][2]
        ok = next((a[2] for a in after if a[2] > last and a[0] in (200, 201)), None)
        return (ok - self.failed_at if ok else float("nan")), len(failed)

    def after_back(self) -> float:
        """Seconds from the part being back to the first answered request after the last failed
        one (0 if none failed after it was back)."""
        after = [a for a in self.attempts() if a[2] >= self.back_at]
        failed = [a for a in after if a[0] not in (200, 201)]
        if not failed:
            return 0.0
        ok = next((a[2] for a in after if a[2] > failed[-1][2] and a[0] in (200, 201)), None)
        return ok - self.back_at if ok else float("nan")

    def longest_tap(self) -> float:
        """The longest a kiosk tap waited for its ticket, retries included (from the failure on)."""
        waits = [tap.answers[-1][2] - tap.started for tap in self.taps
                 if tap.answers and tap.answers[-1][2] >= self.failed_at]
        return max(waits, default=0.0)


class Load:
    """Kiosks tapping (sticky sessions through the proxy, retrying like the kiosk page), window 1
    calling, screens connected; each tap lands in the round running when it started."""

    def __init__(self, hall: Topology) -> None:
        self.hall, self.stop = hall, threading.Event()
        self.taps: list[Issue] = []
        self.probes: list[Issue] = []
        self.staff_answers: list = []
        self.screens = [Screen(hall.proxy, hall.tokens["hall-1"], websocket_only=False)
                        for _ in range(4)]
        for screen in self.screens:
            screen.connect()
        staff = Client(hall.proxy).login("staff1", hall.passwords["staff1"])
        staff.post(f"{SITE}/windows/1/sign-in", {"post": "A"})
        staff.post(f"{SITE}/windows/1/open")
        self.threads = [threading.Thread(target=self._kiosk, args=(f"k{i}",), daemon=True)
                        for i in range(KIOSKS)]
        self.threads += [threading.Thread(target=self._probe, args=(f"p{i}",), daemon=True)
                         for i in range(PROBES)]
        self.threads.append(threading.Thread(target=staff_loop, daemon=True,
                                             args=(staff, self.stop, self.staff_answers, 0.5)))
        for thread in self.threads:
            thread.start()

    def _kiosk(self, name: str) -> None:
        kiosk = Client(self.hall.proxy).as_device(self.hall.tokens["kiosk-p"])
        n = 0
        while not self.stop.is_set():
            n += 1
            self.taps.append(issue(kiosk, f"{name}-{n}", "social"))
            self.stop.wait(TAP_PAUSE)

    def _probe(self, name: str) -> None:
        """Like a kiosk, but the same request id again every 0.1 s: when issuing works again,
        to a tenth of a second."""
        kiosk = Client(self.hall.proxy).as_device(self.hall.tokens["kiosk-p"])
        n = 0
        while not self.stop.is_set():
            n += 1
            done = Issue(f"{name}-{n}", "realty", time.monotonic())
            while done.ticket is None and time.monotonic() < done.started + 60:
                try:
                    answer = kiosk.post(f"{SITE}/tickets", {"category": "realty",
                                                            "request_id": done.request_id})
                except requests.RequestException as exc:
                    done.answers.append((type(exc).__name__, None, time.monotonic()))
                else:
                    done.answers.append((answer.status_code, instance_of(answer),
                                         time.monotonic()))
                    if answer.status_code in (200, 201):
                        done.ticket = answer.json()
                        break
                time.sleep(0.1)
            self.probes.append(done)
            self.stop.wait(PROBE_PAUSE)

    def live_after(self, moment: float, deadline: float) -> list[float]:
        """Per screen: seconds from `moment` until it was pushed an event committed after it."""
        firsts = []
        for screen in self.screens:
            while time.monotonic() < deadline and not any(
                    t > moment for t in screen.live_times):
                time.sleep(0.05)
            firsts.append(min((t for t in screen.live_times if t > moment), default=float("nan"))
                          - moment)
        return firsts

    def close(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(25)
        for screen in self.screens:
            screen.close()


def timed_screen(screen: Screen) -> None:
    """Record when each live event arrives (the benchmark's own addition to the test's screen)."""
    screen.live_times = []
    handler = screen._event

    def on_event(event: dict) -> None:
        screen.live_times.append(time.monotonic())
        handler(event)
    screen.sio.handlers["/"]["event"] = on_event


def kill_instance(hall: Topology, load: Load) -> Round:
    server = hall.servers["a"]
    failed = time.monotonic()
    hall.kill("a")
    time.sleep(1.0)  # systemd's RestartSec=1
    server.process = _serve(server.folder, int(server.url.rsplit(":", 1)[1]))
    _wait_until_up(server.url, server.process, server.folder)
    up = time.monotonic()
    # back in haproxy's rotation: a fresh client (no cookie) is answered by it again
    while time.monotonic() < up + 10:
        if any(instance_of(requests.get(hall.proxy + "/api/v1/health", timeout=2)) == "a"
               for _ in range(2)):
            break
        time.sleep(0.1)
    back = time.monotonic()
    return Round("kill -9 of one instance (restarted after 1 s, as systemd does)", failed, back,
                 live_from=failed)


def redis_outage(hall: Topology, load: Load) -> Round:
    failed = time.monotonic()
    hall.stop_redis()
    time.sleep(DOWN_SECONDS)
    hall.start_redis()
    back = time.monotonic()
    return Round(f"Redis stopped for {DOWN_SECONDS:g} s", failed, back, live_from=back)


def postgres_restart(database: PrivatePostgres) -> callable:
    def run(hall: Topology, load: Load) -> Round:
        failed = time.monotonic()
        database.stop()
        time.sleep(DOWN_SECONDS)
        database.start()
        back = time.monotonic()
        return Round(f"PostgreSQL stopped (fast) for {DOWN_SECONDS:g} s, then started", failed,
                     back, live_from=back)
    return run


def check_tickets(hall: Topology, taps: list[Issue]) -> tuple[int, int, list[str]]:
    """(tickets acknowledged, issued, problems): lost, doubled, numbering gaps or repeats."""
    problems = []
    unanswered = [(t.request_id, [(a[0], a[1], round(a[2] - t.started, 2)) for a in t.answers],
                   t.refusal) for t in taps if t.ticket is None]
    if unanswered:
        problems.append(f"requests never answered with a ticket: {unanswered}")
    ids = [t.ticket["id"] for t in taps if t.ticket]
    if len(set(ids)) != len(ids):
        problems.append("two requests answered with the same ticket")
    events = all_events(hall.proxy, hall.tokens["hall-1"])
    issued = {e["ticket_id"]: e["number"] for e in events if e["type"] == "issued"}
    if set(issued) != set(ids):
        problems.append(f"issued but not acknowledged: {sorted(set(issued) - set(ids))}; "
                        f"acknowledged but not issued: {sorted(set(ids) - set(issued))}")
    by_prefix = defaultdict(list)
    for number in issued.values():
        by_prefix[number[0]].append(int(number[1:]))
    for prefix, seqs in by_prefix.items():
        if sorted(seqs) != list(range(1, len(seqs) + 1)):
            problems.append(f"numbers {prefix}: not 1..{len(seqs)}")
    return len(ids), len(issued), problems


def fmt(values: list[float]) -> str:
    values = [v for v in values if v == v]
    if not values:
        return "–"
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"{statistics.median(values):.2f} (max {max(values):.2f})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=3, help="rounds of each failure")
    ap.add_argument("--write-results", action="store_true",
                    help=f"replace (or add) the section '{SECTION}' of bench/RESULTS.md")
    args = ap.parse_args()
    if haproxy_binary() is None or shutil.which("redis-server") is None:
        sys.exit("cannot run: haproxy and redis-server are needed (make test-deps)")
    if os.geteuid() != 0 or pg_bin() is None:
        sys.exit("cannot run: needs root and the PostgreSQL server binaries (make test-deps)")
    began = time.monotonic()
    database = PrivatePostgres()
    folder = Path(tempfile.mkdtemp(prefix="queuehall-failover-"))
    rounds: list[Round] = []
    problems = ["the run did not finish"]
    try:
        # The test hall with its daily caps and issue rate limit lifted (a run issues thousands).
        hall_toml = folder / "hall.toml"
        hall_toml.write_text(lifted(e2e_server.HALL_TOML.read_text(encoding="utf-8")),
                             encoding="utf-8")
        e2e_server.HALL_TOML = hall_toml
        with FakePrinter() as printer, topology(folder / "hall", printer,
                                                database=database.url) as hall:
            load = Load(hall)
            for screen in load.screens:
                timed_screen(screen)
            scenarios = [kill_instance, redis_outage, postgres_restart(database)]
            try:
                time.sleep(3)
                for n in range(args.rounds):
                    for scenario in scenarios:
                        mark, probe_mark = len(load.taps), len(load.probes)
                        done = scenario(hall, load)
                        done.live_again = load.live_after(done.live_from, done.live_from + 20)
                        time.sleep(AFTER_SECONDS)
                        done.taps = load.taps[mark:]
                        done.probes = load.probes[probe_mark:]
                        rounds.append(done)
                        lost = done.interrupted()
                        log(f"round {n + 1}: {done.scenario}: issuing interrupted {lost[0]:.2f} s "
                            f"({lost[1]} failed requests, {done.after_back():.2f} s after it was "
                            f"back), longest tap {done.longest_tap():.2f} s, "
                            f"screens pushed events again after {fmt(done.live_again)} s")
            finally:
                load.close()
            acknowledged, issued, problems = check_tickets(hall, load.taps + load.probes)
            kiosk = Client(hall.proxy).as_device(hall.tokens["kiosk-p"])
            jobs = {t.ticket["number"]: t.ticket["print"]["job"]
                    for t in load.taps + load.probes if t.ticket}
            deadline = time.monotonic() + 40
            while time.monotonic() < deadline:  # the last print jobs (a takeover may wait 30 s)
                views = {n: kiosk.get(f"{SITE}/print-jobs/{j}").json() for n, j in jobs.items()}
                waiting = {n: v for n, v in views.items() if v.get("state") != "printed"}
                if not waiting:
                    break
                time.sleep(1)
            if waiting:
                problems.append(f"print jobs not printed: {waiting}")
            time.sleep(1)
            out = printed_numbers(printer)
            printed = len({n for n, _ in out})
            marked = sum(1 for _, m in out if m)
            doubled = len(out) - printed
            counts = defaultdict(list)
            for number, is_marked in out:
                counts[number].append("补打" if is_marked else "plain")
            twice = {n: c for n, c in counts.items() if len(c) > 1}
            if any(c.count("plain") > 1 for c in twice.values()):
                problems.append(f"printed twice unmarked: {twice}")
            errors = [line for name in ("a", "b") for line in hall.log(name).splitlines()
                      if re.search(r'HTTP/1\.1" 5(?!03)\d\d ', line)]
            errors += [line for line in hall.log("haproxy").splitlines()
                       if re.search(r' 5(?!03)\d\d \d+ - - ', line)]
    finally:
        database.remove()
        if problems:
            log(f"logs kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    log(f"{acknowledged} tickets acknowledged, {issued} issued, problems: {problems or 'none'}; "
        f"printed {printed} ({marked} marked 补打, {doubled} twice: {twice}); 5xx other than 503 "
        f"in the logs: {errors[:5]}")
    rows = []
    for name in dict.fromkeys(r.scenario for r in rounds):
        mine = [r for r in rounds if r.scenario == name]
        killed = name.startswith("kill")
        rows.append(f"| {name} | {len(mine)} | {fmt([r.interrupted()[0] for r in mine])} | "
                    f"{'–' if killed else fmt([r.after_back() for r in mine])} | "
                    f"{sum(r.interrupted()[1] for r in mine)} | {fmt([r.longest_tap() for r in mine])} | "
                    f"{fmt([v for r in mine for v in r.live_again])} | "
                    f"{sum(len(r.taps) for r in mine)} |")
    rejoined = [r.back_at - r.failed_at for r in rounds if r.scenario.startswith("kill")]
    body = "\n".join([
        f"Reproduce: `.venv/bin/python bench/bench_failover.py --write-results` (root; needs "
        f"haproxy, redis-server and the PostgreSQL server binaries: `make test-deps`). Date "
        f"{time.strftime('%Y-%m-%d', time.gmtime())}, server code at {code_version()}. Machine: "
        f"{machine()}.",
        "",
        f"The topology of tests/e2e/test_topology.py: haproxy (deploy/haproxy, health check every "
        f"1 s, 2 failures to mark an instance down, 1 success to bring it back) in front of two "
        f"`queuehall serve` instances on a private PostgreSQL 15 cluster (fsync off) and one "
        f"redis-server, all on 127.0.0.1 of this machine. Load throughout: {KIOSKS} kiosks (one "
        f"sticky session each) tapping every {TAP_PAUSE:g} s, each tap a new request id sent "
        f"again on network errors and 502/503/504 for about 15 s like the kiosk page; "
        f"{PROBES} probes (sticky sessions too) issuing every {PROBE_PAUSE:g} s, each request "
        f"sent again every 0.1 s until answered; window 1 calling and marking no-shows; 4 "
        f"screens (2 per instance). Each failure runs "
        f"{args.rounds} times in turn, {AFTER_SECONDS:g} s apart.",
        "",
        "| failure | rounds | issuing interrupted s | of which after it was back s | "
        "failed probe requests | longest tap s | screens live again s | taps |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        f"The killed instance answered through haproxy again {fmt(rejoined)} s after the kill "
        f"(1 s before it is started again, its start, then one passing health check).",
        "",
        f"Tickets: {acknowledged} acknowledged, {issued} issued; lost or doubled: "
        f"{'none' if not problems else '; '.join(problems)}. Printed: {printed} numbers "
        f"({marked} marked 补打, {doubled} of them also out whole before: {twice or 'none'}"
        f"{TWICE if twice else ''}). "
        f"Answers 5xx other than 503 in the instances' and haproxy's logs: {len(errors)}. The "
        f"whole run took "
        f"{(time.monotonic() - began) / 60:.1f} min.",
        "",
        "How to read it: \"issuing interrupted\" runs from the failure to the probes' first "
        "answered request after their last failed one (0: no probe request failed), median of the rounds and "
        "max; \"of which after it was back\": from Redis or PostgreSQL being started again (pg_ctl "
        "-w returned) to that answer: reconnecting, and haproxy's next health check. A kiosk "
        "hides all of it by retrying; \"longest tap\" is the longest a tap waited for its "
        "ticket. \"screens live again\": until each screen was pushed an event again, from the "
        "kill (a screen on the dead instance reconnects through haproxy to the other) or from "
        "Redis or PostgreSQL being started again; what a screen missed meanwhile it reads from "
        "the event log.",
    ])
    print(body)
    if args.write_results:
        write_results(SECTION, body)
        log(f"wrote {RESULTS.relative_to(ROOT)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
