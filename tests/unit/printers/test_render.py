"""Rendered tickets decoded back: number, GB18030 Chinese, QR payload, cut, sizes, both paper widths."""

from __future__ import annotations

from dataclasses import replace

import pytest

from printers.columns import text_columns
from tests.support.escpos_decode import decode
from printers.layout import TicketLayout
from printers.render import render_ticket
from tests.unit.printers.conftest import LONG_CATEGORY

WIDTHS = {58: 32, 80: 48}


@pytest.mark.parametrize("paper_mm", [58, 80])
def test_text_ticket_decodes_to_what_the_applicant_should_see(ticket, paper_mm):
    data = render_ticket(ticket, TicketLayout(paper_mm=paper_mm))
    printed = decode(data)
    number = [line for line in printed.lines if line.text == "A023"]
    assert number and number[0].width >= 5 and number[0].height >= 5  # very large
    assert LONG_CATEGORY in "".join(line.text for line in printed.lines if line.width == 2)
    assert "Social security card" in printed.text
    assert "前面还有 12 人" in printed.text and "预计等候 15-25 分钟" in printed.text
    assert "二楼 B区 / 2F Zone B" in printed.text and "2026-11-24 09:31:05" in printed.text
    assert "过号请重新取号" in printed.text and "优先 Priority" in printed.text
    assert printed.qr_payloads == [ticket.status_url]
    assert len(printed.cuts) == 1 and data.endswith(b"\x1dV\x01")
    assert "补打" not in printed.text


@pytest.mark.parametrize("paper_mm", [58, 80])
def test_text_ticket_uses_chinese_mode_and_gb18030_not_images(ticket, paper_mm):
    data = render_ticket(ticket, TicketLayout(paper_mm=paper_mm))
    assert data.startswith(b"\x1b@\x1c&")  # reset, then FS & (Chinese mode)
    assert "社会保障卡".encode("gb18030") in data
    assert b"\x1d(k" in data  # native QR (GS ( k)
    assert not decode(data).rasters
    assert len(data) < 2048  # small enough for 9600 baud in about 1.5 s


@pytest.mark.parametrize("paper_mm", [58, 80])
def test_every_line_fits_the_paper(ticket, paper_mm):
    for line in decode(render_ticket(ticket, TicketLayout(paper_mm=paper_mm))).lines:
        assert text_columns(line.text) * line.width <= WIDTHS[paper_mm], line


def test_long_category_wraps_more_on_narrow_paper(ticket):
    def category_lines(mm):
        lines = decode(render_ticket(ticket, TicketLayout(paper_mm=mm))).lines
        return [line for line in lines if line.width == 2 and any(ch in line.text for ch in LONG_CATEGORY)]

    assert len(category_lines(58)) > len(category_lines(80)) >= 2


def test_english_can_be_switched_off(ticket):
    text = decode(render_ticket(ticket, TicketLayout(show_english=False))).text
    assert "Social security" not in text and "people ahead" not in text and "前面还有 12 人" in text


def test_unknown_wait_and_no_optional_parts(ticket):
    bare = replace(ticket, wait_minutes=None, priority_mark=None, location=None, category_en=None, footer_lines=())
    text = decode(render_ticket(bare, TicketLayout())).text
    assert "暂无法估计" in text and "优先" not in text and "请到" not in text


def test_reprint_mark_is_visible(ticket):
    lines = decode(render_ticket(replace(ticket, reprint=True), TicketLayout(paper_mm=58))).lines
    banner = [line for line in lines if "补打" in line.text]
    assert banner and banner[0].invert and "REPRINT" in banner[0].text


def test_long_numbers_shrink_to_fit(ticket):
    lines = decode(render_ticket(replace(ticket, number="VIP10234"), TicketLayout(paper_mm=58))).lines
    [number] = [line for line in lines if line.text == "VIP10234"]
    assert 8 * number.width <= 32 and number.width >= 2


@pytest.mark.parametrize("paper_mm", [58, 80])
def test_image_mode_prints_bitmaps_of_full_paper_width(ticket, paper_mm):
    layout = TicketLayout(paper_mm=paper_mm, mode="image")
    printed = decode(render_ticket(ticket, layout))
    assert printed.rasters and all(r.width_bytes * 8 == layout.dots for r in printed.rasters)
    assert printed.lines == [] or all(not line.text.strip() for line in printed.lines)  # no Chinese text codes
    assert printed.qr_payloads == [ticket.status_url] and len(printed.cuts) == 1


def test_image_mode_can_draw_the_qr_itself(ticket):
    printed = decode(render_ticket(ticket, TicketLayout(mode="image", native_qr=False)))
    assert printed.qr_payloads == [] and sum(r.height for r in printed.rasters) > 1000  # QR inside


def test_bad_layout_is_rejected():
    with pytest.raises(ValueError, match="paper_mm"):
        TicketLayout(paper_mm=76)
