"""Sample tickets for layout tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from printers.layout import TicketPrint

LONG_CATEGORY = "社会保障卡申领及补换（含异地就医备案、养老保险关系转移接续）"


@pytest.fixture
def ticket() -> TicketPrint:
    return TicketPrint(
        site_name="高新区政务服务中心",
        number="A023",
        category_zh=LONG_CATEGORY,
        category_en="Social security card application and replacement",
        priority_mark="优先 Priority",
        people_ahead=12,
        wait_minutes=(15, 25),
        issued_at=datetime(2026, 11, 24, 9, 31, 5, tzinfo=timezone(timedelta(hours=8))),
        location="二楼 B区 / 2F Zone B",
        status_url="http://127.0.0.1:8000/t/Xy3abcDEF12345",
        footer_lines=("过号请重新取号，号票当日有效。", "Missed your call? Please take a new ticket."),
    )
