"""Config models for printers and layouts, and DLE EOT status decoding."""

from __future__ import annotations

import pytest
from escpos.printer import Dummy

from printers.settings import PrinterSettings, TicketLayoutSettings, build_layout
from printers.status import PrinterStatus, read_status, severity
from tests.support.printer_replies import (REPLY_COVER_OPEN, REPLY_ONLINE, REPLY_PAPER_LOW,
                                           REPLY_PAPER_OUT)


def test_printer_settings_validate_the_uri():
    settings = PrinterSettings(code="kiosk1", uri="tcp://10.0.0.31:9100", paper_mm=58)
    assert settings.mode == "text"
    with pytest.raises(ValueError, match="missing host"):
        PrinterSettings(code="kiosk1", uri="tcp://:9100")
    with pytest.raises(ValueError):
        PrinterSettings(code="kiosk1", uri="dummy://", paper_mm=76)


def test_layout_built_from_settings():
    printer = PrinterSettings(code="k", uri="dummy://", paper_mm=58, mode="image")
    site = TicketLayoutSettings(location="一楼大厅", footer_lines=["过号请重新取号"], show_english=False)
    layout = build_layout(printer, site)
    assert (layout.paper_mm, layout.mode, layout.show_english, layout.columns) == (58, "image", False, 32)


class AnsweringPrinter(Dummy):
    """A python-escpos printer whose reads return scripted DLE EOT replies."""

    def __init__(self, replies: dict[int, int] | None) -> None:
        super().__init__()
        self.replies, self.last = replies, None

    def _raw(self, msg: bytes) -> None:
        self.last = msg

    def _read(self) -> bytes:
        if self.replies is None:
            raise TimeoutError()
        return bytes([self.replies[self.last[-1]]])


@pytest.mark.parametrize(
    ("replies", "status"),
    [
        (REPLY_ONLINE, PrinterStatus.ONLINE),
        (REPLY_PAPER_LOW, PrinterStatus.PAPER_LOW),
        (REPLY_PAPER_OUT, PrinterStatus.PAPER_OUT),
        (REPLY_COVER_OPEN, PrinterStatus.COVER_OPEN),
        ({1: 0x1A, 2: 0x52, 4: 0x12}, PrinterStatus.OFFLINE),
        (None, None),
    ],
)
def test_status_bytes_decode(replies, status):
    assert read_status(AnsweringPrinter(replies)) is status


def test_printers_that_cannot_read_have_no_status():
    assert read_status(Dummy()) is None


@pytest.mark.parametrize(("status", "level", "prints"), [
    ("online", None, True), ("unknown", None, True), ("paper_low", "warning", True),
    ("paper_out", "critical", False), ("cover_open", "critical", False),
    ("offline", "critical", False), ("on_fire", None, True),  # a state nobody knows: unknown
])
def test_one_table_says_how_much_a_printer_state_matters(status, level, prints):
    assert severity(status) == level
    assert PrinterStatus.of(status).can_print is prints
