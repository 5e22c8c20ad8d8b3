"""Fixtures for spooler tests against the fake network printer."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from printers.layout import TicketLayout, TicketPrint
from printers.spooler import RetryPolicy

# Short timeouts keep each failure scenario well under a second.
FAST_RETRY = RetryPolicy(max_attempts=3, first_delay=0.05, factor=2.0, max_delay=0.2, io_timeout=0.5,
                         poll_interval=None)


@pytest.fixture
def ticket() -> TicketPrint:
    return TicketPrint(
        site_name="高新区政务服务中心",
        number="A023",
        category_zh="社保业务",
        category_en="Social Security",
        priority_mark=None,
        people_ahead=3,
        wait_minutes=(10, 20),
        issued_at=datetime(2026, 11, 24, 9, 30, tzinfo=timezone(timedelta(hours=8))),
        location="二楼 B区 / 2F Zone B",
        status_url="http://127.0.0.1:8000/t/Xy3",
        footer_lines=("过号请重新取号",),
    )


@pytest.fixture
def layout() -> TicketLayout:
    return TicketLayout(paper_mm=58)
