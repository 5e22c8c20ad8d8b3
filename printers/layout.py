"""What a ticket says and where: TicketPrint + TicketLayout -> printable blocks (render.py turns
them into ESC/POS bytes in text or image mode)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Union

from printers.columns import text_columns, wrap

# Dots across the printable width and 12-dot columns of font A, for the paper sizes halls buy.
PAPER_DOTS = {58: 384, 80: 576}
COLUMN_DOTS = 12
REPRINT_MARK = "补打 REPRINT"


@dataclass(frozen=True)
class TicketPrint:
    """Everything printed on a ticket; built by the core from a committed ticket."""

    site_name: str
    number: str
    category_zh: str
    category_en: str | None
    priority_mark: str | None
    people_ahead: int
    wait_minutes: tuple[int, int] | None
    issued_at: datetime
    location: str | None
    status_url: str
    footer_lines: tuple[str, ...] = ()
    reprint: bool = False


@dataclass(frozen=True)
class TicketLayout:
    """How one printer lays a ticket out: paper width, text or bitmap mode, languages, QR and cut."""

    paper_mm: Literal[58, 80] = 80
    mode: Literal["text", "image"] = "text"
    show_english: bool = True
    native_qr: bool = True  # GS ( k; image mode may draw the QR into the bitmap instead
    qr_module_dots: int | None = None  # None: chosen from the paper width
    cut: Literal["full", "partial"] = "partial"
    font_path: str | None = None  # image mode; None: first CJK font found under /usr/share/fonts

    def __post_init__(self) -> None:
        if self.paper_mm not in PAPER_DOTS:
            raise ValueError(f"paper_mm must be 58 or 80, got {self.paper_mm!r}")
        if self.mode not in ("text", "image"):
            raise ValueError(f"mode must be 'text' or 'image', got {self.mode!r}")

    @property
    def dots(self) -> int:
        return PAPER_DOTS[self.paper_mm]

    @property
    def columns(self) -> int:
        """32 columns on 58 mm paper, 48 on 80 mm."""
        return self.dots // COLUMN_DOTS

    @property
    def qr_module(self) -> int:
        return self.qr_module_dots or (5 if self.paper_mm == 58 else 7)


@dataclass(frozen=True)
class Line:
    """One printed line, already wrapped to fit at its scale."""

    text: str
    scale: int = 1  # character width and height multiplier, 1..8
    align: Literal["left", "center", "right"] = "center"
    bold: bool = False
    invert: bool = False


@dataclass(frozen=True)
class Rule:
    """A full-width separator line."""

    char: str = "-"


@dataclass(frozen=True)
class Qr:
    payload: str
    module: int


@dataclass(frozen=True)
class Feed:
    lines: int = 1


Block = Union[Line, Rule, Qr, Feed]


def _balanced(text: str, width: int) -> list[str]:
    """Wrap into as few lines as `wrap` would, but as even as possible (no lone "心" on a last line)."""
    lines = wrap(text, width)
    if len(lines) == 1:
        return lines
    while width > 2 and len(wrap(text, width - 1)) == len(lines):
        width -= 1
    return wrap(text, width)


def _wrapped(text: str, layout: TicketLayout, scale: int = 1, pad: bool = False, **style) -> list[Line]:
    width = layout.columns // scale - (2 if pad else 0)
    parts = _balanced(text, width) if style.get("align", "center") == "center" else wrap(text, width)
    # Inverted marks get a space each side so the black bar doesn't touch the first glyph.
    return [Line(f" {part} " if pad else part, scale=scale, **style) for part in parts]


def _pair(zh: str, en: str | None, layout: TicketLayout, **style) -> list[Line]:
    """Chinese and English on one line when they fit, else Chinese lines then English lines."""
    if not en or not layout.show_english:
        return _wrapped(zh, layout, **style)
    joined = f"{zh} {en}"
    if text_columns(joined) <= layout.columns:
        return _wrapped(joined, layout, **style)
    return _wrapped(zh, layout, **style) + _wrapped(en, layout, **style)


def _number_scale(number: str, layout: TicketLayout) -> int:
    """Largest magnification (at most 6) at which the ticket number still fits on one line."""
    for scale in range(6, 1, -1):
        if text_columns(number) * scale <= layout.columns:
            return scale
    return 1


def _wait_text(ticket: TicketPrint) -> tuple[str, str]:
    if ticket.wait_minutes is None:
        return "预计等候时间暂无法估计", "Est. wait: unknown"
    low, high = ticket.wait_minutes
    span = f"{low}" if low == high else f"{low}-{high}"
    return f"预计等候 {span} 分钟", f"Est. wait {span} min"


def ticket_blocks(ticket: TicketPrint, layout: TicketLayout) -> list[Block]:
    """The ticket as a list of blocks, identical for text and image mode."""
    blocks: list[Block] = []
    if ticket.reprint:
        blocks += _wrapped(REPRINT_MARK, layout, scale=2, pad=True, bold=True, invert=True)
    blocks += _wrapped(ticket.site_name, layout, scale=2, bold=True)
    blocks.append(Rule())
    blocks += _wrapped(ticket.category_zh, layout, scale=2, bold=True)
    if ticket.category_en and layout.show_english:
        blocks += _wrapped(ticket.category_en, layout)
    blocks.append(Feed())
    blocks.append(Line(ticket.number, scale=_number_scale(ticket.number, layout), bold=True))
    blocks.append(Feed())
    if ticket.priority_mark:
        blocks += _wrapped(ticket.priority_mark, layout, pad=True, bold=True, invert=True)
    ahead = ticket.people_ahead
    blocks += _pair(f"前面还有 {ahead} 人", f"{ahead} {'person' if ahead == 1 else 'people'} ahead", layout,
                    bold=True)
    blocks += _pair(*_wait_text(ticket), layout)
    if ticket.location:
        blocks += _wrapped(f"请到 {ticket.location}", layout)
    blocks.append(Rule())
    blocks.append(Qr(ticket.status_url, layout.qr_module))
    blocks += _pair("扫码查看排队进度", "Scan for live status", layout)
    blocks += _wrapped(ticket.issued_at.strftime("%Y-%m-%d %H:%M:%S"), layout)
    if ticket.footer_lines:
        blocks.append(Rule())
        for note in ticket.footer_lines:
            blocks += _wrapped(note, layout, align="left")
    if ticket.reprint:
        blocks += _wrapped(f"*** {REPRINT_MARK} ***", layout, bold=True)
    return blocks

