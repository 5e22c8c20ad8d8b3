"""Preview snapshots of rendered tickets (tests/artifacts/*.png), for both widths, text and image mode."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from printers.layout import PAPER_DOTS, TicketLayout
from printers.render import render_ticket
from tests.support.preview import MARGIN, render_preview

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def _dark_rows(image: Image.Image) -> list[int]:
    paper = image.crop((MARGIN, MARGIN, image.width - MARGIN, image.height - MARGIN)).point(lambda v: v < 128)
    return [y for y in range(paper.height) if paper.crop((0, y, paper.width, y + 1)).getbbox()]


@pytest.mark.parametrize("mode", ["text", "image"])
@pytest.mark.parametrize("paper_mm", [58, 80])
def test_preview_snapshot(ticket, paper_mm, mode):
    ARTIFACTS.mkdir(exist_ok=True)
    data = render_ticket(ticket, TicketLayout(paper_mm=paper_mm, mode=mode))
    image = render_preview(data, paper_mm)
    image.save(ARTIFACTS / f"ticket_{paper_mm}mm_{mode}.png")
    assert image.width == PAPER_DOTS[paper_mm] + 2 * MARGIN
    assert 900 < image.height < 2500  # a ticket, not a scroll
    assert len(_dark_rows(image)) > 400  # text, number and QR are drawn


def test_text_and_image_mode_look_alike(ticket):
    """Image mode keeps the text-mode layout, so a site can switch printers without a new design."""
    text = render_preview(render_ticket(ticket, TicketLayout(paper_mm=58)), 58)
    image = render_preview(render_ticket(ticket, TicketLayout(paper_mm=58, mode="image")), 58)
    assert abs(text.height - image.height) < 60


def test_reprint_snapshot(ticket):
    ARTIFACTS.mkdir(exist_ok=True)
    data = render_ticket(replace(ticket, reprint=True, priority_mark="预约 Appointment"), TicketLayout(paper_mm=58))
    render_preview(data, 58).save(ARTIFACTS / "ticket_58mm_reprint.png")
