"""Column arithmetic for fixed-pitch thermal printers: CJK glyphs take two columns."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Characters that close a phrase must not start a line (避头: a lone "，" at a line start looks broken).
_NO_LINE_START = set("，。、；：？！）》」』】〕,.;:?!)%")


@lru_cache(maxsize=8192)  # wrapping asks for the same few hundred glyphs over and over
def char_columns(ch: str) -> int:
    """Columns one character occupies on a printer in Chinese mode.

    Wide/fullwidth characters are double-width; so are "ambiguous" non-ASCII ones (·, ×, é, ①),
    because a Chinese printer draws every multi-byte GB18030 character from its 24x24 font.
    """
    if ord(ch) < 0x80:
        return 1
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 1


def text_columns(text: str) -> int:
    """Columns a string occupies."""
    if text.isascii():
        return len(text)
    return sum(char_columns(ch) for ch in text)


def _tokens(text: str) -> list[str]:
    """Split into unbreakable pieces: a run of Latin letters/digits is one word, a CJK char is one."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if ch == " ":
            if word:
                tokens.append(word)
                word = ""
            tokens.append(" ")
        elif char_columns(ch) == 2:
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens


def _split_long(token: str, width: int) -> list[str]:
    """Hard-break a word longer than a line."""
    pieces, piece = [], ""
    for ch in token:
        if text_columns(piece + ch) > width:
            pieces.append(piece)
            piece = ""
        piece += ch
    return pieces + [piece] if piece else pieces


def wrap(text: str, width: int) -> list[str]:
    """Wrap text to lines of at most `width` columns; words stay whole, CJK breaks anywhere."""
    if width < 2:
        raise ValueError(f"line width must be at least 2 columns, got {width}")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _tokens(paragraph):
            if token == " " and not line:
                continue
            if text_columns(line + token) <= width:
                line += token
                continue
            if token[0] in _NO_LINE_START and line:
                # Carry the last character down with the punctuation rather than orphan it.
                lines.append(line[:-1].rstrip())
                line = line[-1] + token
                continue
            if line.strip():
                lines.append(line.rstrip())
            line = ""
            if token == " ":
                continue
            for piece in _split_long(token, width):
                if text_columns(line + piece) > width:
                    lines.append(line)
                    line = ""
                line += piece
        lines.append(line.rstrip())
    return [ln for ln in lines if ln] or [""]


def center_pad(text: str, width: int) -> str:
    """Left padding that centres text in `width` columns (used where a printer can't align)."""
    return " " * max(0, (width - text_columns(text)) // 2) + text
