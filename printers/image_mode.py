"""Image-mode rendering for printers without a Chinese font: text drawn to a bitmap with Pillow."""

from __future__ import annotations

import qrcode
from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy
from PIL import Image, ImageDraw

from printers.columns import char_columns, text_columns
from printers.fonts import cell_font
from printers.layout import COLUMN_DOTS, Block, Feed, Line, Qr, Rule, TicketLayout

GLYPH_DOTS = 24  # font A is 12x24 dots per column, so image mode keeps the text-mode layout
LINE_DOTS = 30  # the printer's default line pitch (ESC 2)
ESC_INIT = b"\x1b@"


def _draw_line(draw: ImageDraw.ImageDraw, line: Line, top: int, layout: TicketLayout) -> int:
    scale = line.scale
    width = text_columns(line.text) * COLUMN_DOTS * scale
    left = {"left": 0, "center": (layout.dots - width) // 2, "right": layout.dots - width}[line.align]
    height = GLYPH_DOTS * scale
    ink = 0
    if line.invert:
        draw.rectangle([left, top, left + width - 1, top + height - 1], fill=0)
        ink = 1
    font, dy = cell_font(height, layout.font_path)
    x = left
    for ch in line.text:
        cell = char_columns(ch) * COLUMN_DOTS * scale
        glyph_w = draw.textlength(ch, font=font)
        # Centre each glyph in its cell so columns line up exactly as on a text-mode printer.
        gx = x + (cell - glyph_w) / 2
        draw.text((gx, top + dy), ch, font=font, fill=ink)
        if line.bold:
            draw.text((gx + max(1, scale // 2), top + dy), ch, font=font, fill=ink)
        x += cell
    return top + height + (LINE_DOTS - GLYPH_DOTS)


def _block_height(block: Block) -> int:
    if isinstance(block, Line):
        return GLYPH_DOTS * block.scale + LINE_DOTS - GLYPH_DOTS
    return LINE_DOTS


def _qr_image(payload: str, module: int) -> Image.Image:
    code = qrcode.QRCode(border=1, box_size=module, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(payload)
    code.make(fit=True)
    return code.make_image().get_image().convert("1")


def _bitmap(blocks: list[Block], layout: TicketLayout) -> Image.Image:
    """One bitmap (0 = black) holding consecutive text blocks, and QR codes when not native."""
    images = {id(b): _qr_image(b.payload, b.module) for b in blocks if isinstance(b, Qr)}
    height = sum(images[id(b)].height if isinstance(b, Qr) else _block_height(b) for b in blocks)
    image = Image.new("1", (layout.dots, max(height, 1)), 1)
    draw = ImageDraw.Draw(image)
    top = 0
    for block in blocks:
        if isinstance(block, Line):
            top = _draw_line(draw, block, top, layout)
        elif isinstance(block, Rule):
            mid = top + LINE_DOTS // 2
            for x in range(0, layout.dots, 8):  # dashed, like a row of "-"
                draw.line([x, mid, x + 4, mid], fill=0, width=2)
            top += LINE_DOTS
        elif isinstance(block, Feed):
            top += LINE_DOTS * block.lines
        elif isinstance(block, Qr):
            qr = images[id(block)]
            image.paste(qr, ((layout.dots - qr.width) // 2, top))
            top += qr.height
    return image


def _printer(layout: TicketLayout) -> Dummy:
    printer = Dummy()
    # Give python-escpos the paper width so image() can check it (and stays quiet about "Unknown").
    media = {"dpi": 203, "width": {"mm": layout.paper_mm, "pixels": layout.dots}}
    printer.profile.profile_data = {**printer.profile.profile_data, "media": media}
    return printer


def render_blocks(blocks: list[Block], layout: TicketLayout) -> bytes:
    """ESC/POS bytes for the blocks as raster images (GS v 0), with a native QR unless disabled."""
    printer = _printer(layout)
    printer._raw(ESC_INIT)
    pending: list[Block] = []

    def flush() -> None:
        if pending:
            printer.image(_bitmap(pending, layout), impl="bitImageRaster")
            pending.clear()

    for block in blocks:
        if isinstance(block, Qr) and layout.native_qr:
            flush()
            printer.set(align="center")
            printer.qr(block.payload, ec=QR_ECLEVEL_M, size=block.module, native=True)
            printer._raw(b"\n")
            printer.set(align="left")
        else:
            pending.append(block)
    flush()
    printer.cut(mode="PART" if layout.cut == "partial" else "FULL")
    return printer.output
