"""Ticket size and render time, text mode vs image mode, on 58 and 80 mm paper, and time to send at 9600 baud."""

from __future__ import annotations

import platform
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from printers.layout import TicketLayout, TicketPrint  # noqa: E402
from printers.render import render_ticket  # noqa: E402

TICKET = TicketPrint(
    site_name="高新区政务服务中心",
    number="A023",
    category_zh="社会保障卡申领及补换（含异地就医备案、养老保险关系转移接续）",
    category_en="Social security card application and replacement",
    priority_mark="优先 Priority",
    people_ahead=12,
    wait_minutes=(15, 25),
    issued_at=datetime(2026, 11, 24, 9, 31, 5, tzinfo=timezone(timedelta(hours=8))),
    location="二楼 B区 / 2F Zone B",
    status_url="http://127.0.0.1:8000/t/Xy3abcDEF12345",
    footer_lines=("过号请重新取号，号票当日有效。", "Missed your call? Please take a new ticket."),
)
BAUD = 9600


def measure(layout: TicketLayout, rounds: int) -> tuple[int, float]:
    render_ticket(TICKET, layout)  # warm caches (fonts) outside the timing
    started = time.perf_counter()
    for _ in range(rounds):
        data = render_ticket(TICKET, layout)
    return len(data), (time.perf_counter() - started) / rounds


def main() -> None:
    print(f"python {platform.python_version()} on {platform.platform()}")
    print(f"{'paper':>5} {'mode':>5} {'native QR':>9} {'bytes':>7} {'render ms':>9} {'9600 baud s':>11}")
    for paper_mm in (58, 80):
        for mode, native_qr, rounds in (("text", True, 500), ("image", True, 30), ("image", False, 30)):
            size, seconds = measure(TicketLayout(paper_mm=paper_mm, mode=mode, native_qr=native_qr), rounds)
            # 8N1 serial: 10 bit times per byte.
            print(f"{paper_mm:>5} {mode:>5} {str(native_qr):>9} {size:>7} {seconds * 1000:>9.2f} "
                  f"{size * 10 / BAUD:>11.2f}")


if __name__ == "__main__":
    main()
