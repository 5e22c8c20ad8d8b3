"""ESC/POS-to-PNG preview: draws what a thermal printer would print, to look at layouts in tests."""

from __future__ import annotations

import qrcode
from PIL import Image, ImageDraw

from printers.columns import char_columns, text_columns
from tests.support.escpos_decode import Cut, FeedLines, PrintedLine, QrCode, Raster, decode
from printers.fonts import cell_font, cjk_font
from printers.layout import COLUMN_DOTS, PAPER_DOTS

GLYPH_DOTS, LINE_DOTS, MARGIN = 24, 30, 16


def _x(align: str, width: int, dots: int) -> int:
    return {"left": 0, "center": (dots - width) // 2, "right": dots - width}.get(align, 0)


def _line(draw: ImageDraw.ImageDraw, line: PrintedLine, top: int, dots: int) -> int:
    height = GLYPH_DOTS * line.height
    width = min(dots, text_columns(line.text) * COLUMN_DOTS * line.width)
    left = _x(line.align, width, dots)
    ink = 0
    if line.invert and line.text:
        draw.rectangle([left, top, left + width - 1, top + height - 1], fill=0)
        ink = 255
    font, dy = cell_font(height)
    page = draw._image
    x = left
    for ch in line.text:
        cell = char_columns(ch) * COLUMN_DOTS * line.width
        if x + cell > dots:  # a real printer wraps here; show it so an overlong line is visible
            x, top = 0, top + height + LINE_DOTS - GLYPH_DOTS
        # Draw the glyph as a mask with room for descenders, then stretch it to the cell width
        # (width and height multipliers may differ).
        mask = Image.new("L", (char_columns(ch) * COLUMN_DOTS * line.height, height + height // 4), 0)
        pen = ImageDraw.Draw(mask)
        pen.text((0, dy), ch, font=font, fill=255)
        if line.bold:
            pen.text((max(1, line.height // 2), dy), ch, font=font, fill=255)
        mask = mask.resize((cell, mask.height)).point(lambda v: 255 if v > 127 else 0)
        page.paste(ink, (x, top), mask)
        x += cell
    return top + height + LINE_DOTS - GLYPH_DOTS


def _qr(image: Image.Image, code: QrCode, top: int, dots: int) -> int:
    qr = qrcode.QRCode(border=0, box_size=code.module, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(code.payload)
    qr.make(fit=True)
    symbol = qr.make_image().get_image().convert("L")
    image.paste(symbol, (_x(code.align, symbol.width, dots), top))
    return top + symbol.height


def _raster(image: Image.Image, raster: Raster, top: int) -> int:
    bitmap = Image.frombytes("1", (raster.width_bytes * 8, raster.height), raster.bits)
    # In ESC/POS a set bit is a black dot; in Pillow's mode "1" a set bit is white.
    image.paste(Image.eval(bitmap.convert("L"), lambda v: 255 - v), (0, top))
    return top + raster.height


def _cut(draw: ImageDraw.ImageDraw, cut: Cut, top: int, dots: int) -> int:
    mid = top + LINE_DOTS // 2
    for x in range(0, dots, 12):
        draw.line([x, mid, x + 6, mid], fill=0, width=2)
    label = "partial cut" if cut.partial else "cut"
    draw.text((dots - 8 * len(label) - 4, mid - 18), label, font=cjk_font(14), fill=0)
    return top + LINE_DOTS


def render_preview(data: bytes, paper_mm: int = 80) -> Image.Image:
    """A grey-framed PNG-ready image of the printed paper (1 pixel = 1 printer dot, 203 dpi)."""
    dots = PAPER_DOTS[paper_mm]
    paper = Image.new("L", (dots, 20000), 255)
    draw = ImageDraw.Draw(paper)
    top = 0
    for item in decode(data).items:
        if isinstance(item, PrintedLine):
            top = _line(draw, item, top, dots)
        elif isinstance(item, FeedLines):
            top += LINE_DOTS * item.lines
        elif isinstance(item, QrCode):
            top = _qr(paper, item, top, dots)
        elif isinstance(item, Raster):
            top = _raster(paper, item, top)
        elif isinstance(item, Cut):
            top = _cut(draw, item, top, dots)
    framed = Image.new("L", (dots + 2 * MARGIN, top + 2 * MARGIN), 200)
    framed.paste(paper.crop((0, 0, dots, top)), (MARGIN, MARGIN))
    return framed


def save_preview(data: bytes, paper_mm: int, path: str) -> None:
    render_preview(data, paper_mm).save(path)
