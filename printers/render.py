"""A ticket to ESC/POS bytes: the layout's blocks, drawn by the printer's mode (text or image)."""

from __future__ import annotations

from printers import image_mode, text_mode
from printers.layout import TicketLayout, TicketPrint, ticket_blocks


def render_ticket(ticket: TicketPrint, layout: TicketLayout) -> bytes:
    """ESC/POS bytes for one ticket, ending with a cut."""
    mode = image_mode if layout.mode == "image" else text_mode
    return mode.render_blocks(ticket_blocks(ticket, layout), layout)
