"""The voice at peak: how long an announcement lasts (chime + phrase, from the real WAVs of the
default pack the server makes, and of espeak-ng saying the whole phrase), and how late calls are
spoken when they come at 15 a minute and in bursts, through the screens' own queueing rule
(display/static/announcer.js run in headless Chromium on a virtual clock with those durations).

    .venv/bin/python bench/bench_voice.py [--write-results]
"""
from __future__ import annotations

import argparse
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from display.voice import CallVoice, VoiceCache, call_reading  # noqa: E402
from display.voice_pack import VoicePack, write_default_pack  # noqa: E402

TEMPLATE = "请{number}号到{window}号窗口办理"
ANNOUNCER = ROOT / "display" / "static" / "announcer.js"
RESULTS = ROOT / "bench" / "RESULTS.md"


def spelled(number: str) -> str:
    return " ".join(number)


def durations(engine: str, folder: Path) -> tuple[dict[tuple[str, int], dict], float]:
    """Every call of a 20-window hall with prefixes A–C and numbers 1–120: announcement length
    from the pack (as the server joins it) and from espeak-ng saying the phrase whole."""
    started = time.perf_counter()
    write_default_pack(folder / "pack", engine)
    made = time.perf_counter() - started
    pack = VoicePack(folder / "pack")
    voice = CallVoice(folder / "pack", False, VoiceCache(folder / "cache", 2**30), engine)
    table = {}
    for prefix in "ABC":
        for n in range(1, 121):
            for window in range(1, 21):
                number = f"{prefix}{n:03d}"
                reading = call_reading(TEMPLATE, spelled(number), str(window))
                spoken = pack.speak(pack.split(reading)[0])
                table[(number, window)] = {"total": spoken.duration, "chime": spoken.chime_ms / 1000}
    synth = [voice.say(call_reading(TEMPLATE, spelled(f"A{n:03d}"), str(w)))
             for n, w in ((1, 1), (23, 5), (101, 12), (999, 20))]
    assert all(s.source == "pack" for s in synth)
    return table, made


def whole_phrase(engine: str, folder: Path) -> list[tuple[str, float]]:
    """For comparison: espeak-ng saying the whole phrase, as the fallback does, and as the server
    did before voice packs (-v cmn -s 150, which read the characters as English pinyin)."""
    from display.voice_pack import synthesize
    import wave
    rows = []
    for reading in ("请A零零一号到十二号窗口办理", "请A零二三号到五号窗口办理"):
        rows.append((f"espeak-ng cmn-Latn-pinyin, whole phrase, chime: {reading}",
                     synthesize(engine, reading).duration))
    old = folder / "old.wav"
    subprocess.run([engine, "-v", "cmn", "-s", "150", "-w", str(old), "--", "请A 0 0 1号到12号窗口办理"],
                   check=True, capture_output=True)
    with wave.open(str(old)) as w:
        rows.append(("before: espeak-ng -v cmn -s 150 '请A 0 0 1号到12号窗口办理' (English pinyin), "
                     "plus the old 1.1 s chime", w.getnframes() / w.getframerate() + 1.1))
    return rows


def scenarios(table: dict) -> dict[str, list[dict]]:
    """Call streams (ms, number, window): sustained 15/min evenly and at random (Poisson), and
    bursts; numbers and windows as a hall would use them."""
    rng = random.Random(15)
    keys = list(table)
    serial = iter(range(10**9))

    def call(at_ms: float, recall: bool = False) -> dict:
        """A new ticket (numbers never repeat); it lasts as long as one of the measured calls."""
        number, window = rng.choice(keys)
        return {"at": at_ms, "number": f"T{next(serial)}", "window": window, "recall": recall,
                "text": f"{number}|{window}"}

    even = [call(4000 * i) for i in range(15 * 60 * 8)]           # 8 h at one call every 4 s
    poisson, t = [], 0.0
    while t < 8 * 3600 * 1000:
        t += rng.expovariate(15 / 60000)
        poisson.append(call(t))
    bursts = []
    for i in range(15 * 60):                                       # 1 h: 15/min + a burst of 9
        bursts.append(call(4000 * i))                              # every 10 minutes
        if i % 150 == 75:
            bursts += [call(4000 * i + 200 * k) for k in range(1, 10)]
    # every 10th call is a recall of the call before it (staff pressed 重呼 at once)
    recalls = [dict(c, recall=True, number=even[i - 1]["number"]) if i % 10 == 5 else c
               for i, c in enumerate(even[:900])]
    return {"15/min evenly, 8 h": even, "15/min at random (Poisson), 8 h": poisson,
            "15/min evenly + a burst of 9 every 10 min, 1 h": sorted(bursts, key=lambda c: c["at"]),
            "15/min evenly, every 10th a recall, 1 h": recalls,
            "a burst of 9 at once": [dict(call(0), window=w) for w in range(1, 10)]}


def run_queue(table: dict, streams: dict) -> list[dict]:
    from playwright.sync_api import sync_playwright
    phrase = {f"{n}|{w}": round((d["total"] - d["chime"]) * 1000) for (n, w), d in table.items()}
    chime = round(statistics.median(d["chime"] for d in table.values()) * 1000)
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.set_content("<html lang='zh-CN'><body></body></html>")
        page.add_script_tag(path=str(ANNOUNCER))
        for name, calls in streams.items():
            for repeat in (1, 2):
                started = time.perf_counter()
                run = page.evaluate("""([calls, phrase, chime, repeat]) => {
                    const r = QueuehallAnnouncer.simulate(calls, {chimeMs: chime, repeat: repeat,
                        phraseMs: c => phrase[c.text]});
                    return {spoken: r.spoken.map(s => [s.delay, s.endedAt - s.shownAt,
                                                       s.endedAt - s.startedAt, s.repetition,
                                                       s.recall]),
                            dropped: r.dropped.length};
                }""", [calls, phrase, chime, repeat])
                first = [s for s in run["spoken"] if not s[3]]
                delays = sorted(s[0] / 1000 for s in first)
                rows.append({
                    "scenario": name, "repeat": repeat, "calls": len(calls),
                    "spoken": len(first), "twice": sum(1 for s in run["spoken"] if s[3]),
                    "dropped": run["dropped"],
                    "p50": statistics.median(delays), "p95": delays[int(0.95 * (len(delays) - 1))],
                    "worst": delays[-1], "worst_end": max(s[1] for s in first) / 1000,
                    "longest": max(s[2] for s in run["spoken"]) / 1000,
                    "worst_recall": max((s[0] / 1000 for s in first if s[4]), default=None),
                    "seconds": time.perf_counter() - started})
        browser.close()
    return rows


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    espeak = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True).stdout.strip()
    chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True,
                              text=True).stdout.strip()
    return (f"`nproc` {len(__import__('os').sched_getaffinity(0))}, {cpu}, `{platform.platform()}`, "
            f"Python {platform.python_version()}, {espeak.split(' Data')[0]}, {chromium}")


def report(table: dict, made: float, whole: list, rows: list) -> str:
    totals = sorted(d["total"] for d in table.values())
    chimes = sorted(d["chime"] for d in table.values())
    common = [d["total"] for (n, w), d in table.items() if w <= 12]
    lines = [
        "## Voice: announcement length and delay at peak (display)", "",
        f"Reproduce: `.venv/bin/python bench/bench_voice.py --write-results`. Date {date.today()}. "
        f"Machine: {machine()}.", "",
        "Announcements are the server's WAVs: the default voice pack generated by "
        f"`display/voice_pack.py` (45 segments in {made:.1f} s), joined per call by the same code "
        "as /display/voice, for every call of a 20-window hall (prefixes A–C, numbers 001–120: "
        f"{len(table)} calls). Template 请{{number}}号到{{window}}号窗口办理.", "",
        "| announcement (chime + phrase) | min s | median s | max s |", "|---|---:|---:|---:|",
        f"| all {len(table)} calls, windows 1–20 | {totals[0]:.2f} | {statistics.median(totals):.2f} | {totals[-1]:.2f} |",
        f"| windows 1–12 | {min(common):.2f} | {statistics.median(common):.2f} | {max(common):.2f} |",
        f"| of which the chime (and the pause after it) | {chimes[0]:.2f} | {statistics.median(chimes):.2f} | {chimes[-1]:.2f} |",
        "", "| the same call said whole | s |", "|---|---:|"]
    lines += [f"| {name} | {secs:.2f} |" for name, secs in whole]
    lines += [
        "", "The queue: display/static/announcer.js's rule (`QueuehallAnnouncer.simulate`, the "
        "same Announcer and CallQueue the screens run, on a virtual clock in headless Chromium) "
        "with each call lasting its measured WAV (the phrase alone when it follows another call "
        "within 1.5 s: calls said back to back share the chime; 0.3 s between announcements). "
        "Delay: from the call showing on the screen to its announcement starting; a call that "
        "could not start within 10 s is dropped (it stays on the screen), a recall never is. "
        "repeat 2: the second saying only while no other call waits (\"twice\": how many were).",
        "", "| calls | repeat | calls | spoken | twice | dropped | delay p50 s | p95 s | worst s | worst to end of phrase s | longest announcement s | worst recall s | run s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        recall = "–" if r["worst_recall"] is None else f"{r['worst_recall']:.1f}"
        lines.append(f"| {r['scenario']} | {r['repeat']} | {r['calls']} | {r['spoken']} | "
                     f"{r['twice']} | {r['dropped']} | {r['p50']:.1f} | {r['p95']:.1f} | "
                     f"{r['worst']:.1f} | {r['worst_end']:.1f} | {r['longest']:.2f} | {recall} | "
                     f"{r['seconds']:.1f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-results", action="store_true",
                        help="replace this section of bench/RESULTS.md")
    args = parser.parse_args()
    engine = shutil.which("espeak-ng")
    if engine is None:
        sys.exit("espeak-ng is not installed (make test-deps)")
    with tempfile.TemporaryDirectory() as tmp:
        table, made = durations(engine, Path(tmp))
        whole = whole_phrase(engine, Path(tmp))
    rows = run_queue(table, scenarios(table))
    text = report(table, made, whole, rows)
    print(text)
    if args.write_results:
        current = RESULTS.read_text(encoding="utf-8")
        head = "## Voice: announcement length and delay at peak (display)"
        if head in current:
            start = current.index(head)
            end = current.find("\n## ", start + len(head))
            current = current[:start] + text + (current[end + 1:] if end >= 0 else "")
        else:
            current = current.rstrip("\n") + "\n\n" + text
        RESULTS.write_text(current, encoding="utf-8")


if __name__ == "__main__":
    main()
