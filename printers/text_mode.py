"""Text-mode rendering: GB18030 text in the printer's Chinese mode, native QR, a few hundred bytes."""

from __future__ import annotations

from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy

from printers.layout import Block, Feed, Line, Qr, Rule, TicketLayout

ESC_INIT = b"\x1b@"
FS_CHINESE_ON = b"\x1c&"  # FS &: select Chinese (Kanji) character mode, bytes >= 0x81 start a GB18030 char


class _StyledPrinter:
    """Wraps a python-escpos printer and sends a style command only when the style changes."""

    def __init__(self, printer: Dummy) -> None:
        self.printer = printer
        self.align, self.scale, self.bold, self.invert = "left", 1, False, False

    def style(self, align: str, scale: int = 1, bold: bool = False, invert: bool = False) -> None:
        changes: dict = {}
        if align != self.align:
            changes["align"] = align
        if bold != self.bold:
            changes["bold"] = bold
        if invert != self.invert:
            changes["invert"] = invert
        if scale != self.scale:
            changes.update(custom_size=True, width=scale, height=scale)
        if changes:
            self.printer.set(**changes)
        self.align, self.scale, self.bold, self.invert = align, scale, bold, invert

    def line(self, text: str) -> None:
        # python-escpos' text() only knows single-byte code pages, so Chinese goes out raw as GB18030.
        self.printer._raw(text.encode("gb18030") + b"\n")


def render_blocks(blocks: list[Block], layout: TicketLayout) -> bytes:
    """ESC/POS bytes for the blocks in text mode, ending with a cut."""
    printer = Dummy()
    printer._raw(ESC_INIT + FS_CHINESE_ON)
    out = _StyledPrinter(printer)
    for block in blocks:
        if isinstance(block, Line):
            out.style(block.align, block.scale, block.bold, block.invert)
            out.line(block.text)
        elif isinstance(block, Rule):
            out.style("left")
            out.line(block.char * layout.columns)
        elif isinstance(block, Feed):
            # Back to normal size first: some printers make a blank line as tall as the current size.
            out.style(out.align)
            printer._raw(b"\n" * block.lines)
        elif isinstance(block, Qr):
            # Alignment applies to the QR symbol too; python-escpos refuses center= for native QR.
            out.style("center")
            printer.qr(block.payload, ec=QR_ECLEVEL_M, size=block.module, native=True)
            printer._raw(b"\n")
    out.style("left")
    printer.cut(mode="PART" if layout.cut == "partial" else "FULL")
    return printer.output
