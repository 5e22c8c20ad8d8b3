"""The issuing benchmark still runs end to end: a short SQLite run of bench/bench_api.py (real
server, floor server, closed-loop and paced issuing, calling, the books check) exits 0 and
prints every row. The figures themselves are not asserted: they belong in bench/RESULTS.md."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_api_runs_and_checks_its_books():
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_api.py"), "--backend", "sqlite",
         "--seconds", "0.6", "--warmup", "0.2", "--clients", "1,2", "--windows", "1",
         "--pace", "10", "--queue-lengths", "5,40", "--quiet-wait", "0"],
        capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-3000:]
    table = [[cell.strip() for cell in line.strip("|").split("|")]
             for line in run.stdout.splitlines() if re.match(r"\| (floor|sqlite) \|", line)]
    rows = [(cells[0], cells[1]) for cells in table]
    assert all(cells[6] == "0" for cells in table), table  # the errors column
    assert [r for r in rows if r[0] == "floor"] == [("floor", "1"), ("floor", "2")]
    assert ("sqlite", "8 at 10/s") in rows
    # the issue rows, one calling row at 1 window, then the queue-length rows
    assert [r[1] for r in rows if r[0] == "sqlite"] == ["1", "2", "8 at 10/s", "1", "5", "40"]
    assert re.search(r"a call with 40 waiting costs ≤ 1\.2× one with 5: .* \(×[\d.]+\)",
                     run.stdout)
    assert re.search(r"Check \(sqlite\): \d+ tickets issued .*: OK\.", run.stdout)
