"""Read ESC/POS bytes back: a tokenizer (also used by the fake printer) and a ticket decoder for tests and previews."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Union

ESC, GS, FS, DLE, LF = 0x1B, 0x1D, 0x1C, 0x10, 0x0A

# Commands with a fixed number of parameter bytes after the two-byte prefix.
_FIXED = {
    (ESC, ord("@")): 0, (ESC, ord("!")): 1, (ESC, ord("a")): 1, (ESC, ord("E")): 1, (ESC, ord("-")): 1,
    (ESC, ord("M")): 1, (ESC, ord("d")): 1, (ESC, ord("2")): 0, (ESC, ord("3")): 1, (ESC, ord("t")): 1,
    (ESC, ord("R")): 1, (ESC, ord("G")): 1, (ESC, ord("J")): 1, (ESC, ord("{")): 1, (ESC, ord("V")): 1,
    (ESC, ord(" ")): 1, (ESC, ord("p")): 3, (ESC, ord("B")): 2,
    (GS, ord("!")): 1, (GS, ord("B")): 1, (GS, ord("H")): 1, (GS, ord("h")): 1, (GS, ord("w")): 1,
    (GS, ord("f")): 1, (GS, ord("L")): 2, (GS, ord("W")): 2, (GS, ord("b")): 1,
    (FS, ord("&")): 0, (FS, ord(".")): 0, (FS, ord("!")): 1, (FS, ord("-")): 1, (FS, ord("W")): 1,
    (FS, ord("C")): 1, (FS, ord("S")): 2,
    (DLE, 0x04): 1,
}


class Incomplete(Exception):
    """The data ends in the middle of a command."""


@dataclass(frozen=True)
class Token:
    kind: str  # "text", "lf", "cmd"
    raw: bytes
    name: bytes = b""  # command prefix, e.g. b"\x1da" (ESC a) or b"\x1d(k"
    params: bytes = b""


def _need(data: bytes, end: int) -> None:
    if end > len(data):
        raise Incomplete()


def _command(data: bytes, i: int) -> Token:
    _need(data, i + 2)
    head = (data[i], data[i + 1])
    if head in _FIXED:
        end = i + 2 + _FIXED[head]
        _need(data, end)
        return Token("cmd", data[i:end], data[i:i + 2], data[i + 2:end])
    if head == (GS, ord("V")):  # cut: function A (m) or B (m, n)
        _need(data, i + 3)
        end = i + 4 if data[i + 2] in (65, 66, 97, 98, 103, 104) else i + 3
        _need(data, end)
        return Token("cmd", data[i:end], data[i:i + 2], data[i + 2:end])
    if head == (GS, ord("(")):  # GS ( x pL pH data...
        _need(data, i + 5)
        end = i + 5 + data[i + 3] + 256 * data[i + 4]
        _need(data, end)
        return Token("cmd", data[i:end], data[i:i + 3], data[i + 5:end])
    if head == (GS, ord("v")):  # GS v 0 m xL xH yL yH raster
        _need(data, i + 8)
        width_bytes = data[i + 4] + 256 * data[i + 5]
        height = data[i + 6] + 256 * data[i + 7]
        end = i + 8 + width_bytes * height
        _need(data, end)
        return Token("cmd", data[i:end], data[i:i + 3], data[i + 3:end])
    raise ValueError(f"unknown ESC/POS command {data[i:i + 2]!r} at byte {i}")


def tokens(data: bytes) -> Iterator[Token]:
    """Split ESC/POS bytes into text runs, line feeds and commands; raises Incomplete at a cut-off tail."""
    i = 0
    while i < len(data):
        byte = data[i]
        if byte == LF:
            yield Token("lf", data[i:i + 1])
            i += 1
        elif byte in (ESC, GS, FS, DLE):
            token = _command(data, i)
            yield token
            i += len(token.raw)
        elif byte < 0x20:
            i += 1  # CR and other controls print nothing on a ticket
        else:
            end = i
            # GB18030 bytes are all >= 0x30, so a text run never swallows a command.
            while end < len(data) and data[end] >= 0x20:
                end += 1
            yield Token("text", data[i:end])
            i = end


def scan(data: bytes) -> tuple[list[Token], int]:
    """Complete tokens at the start of data, and how many bytes they use (the rest awaits more data)."""
    found: list[Token] = []
    used = 0
    try:
        for token in tokens(data):
            found.append(token)
            used += len(token.raw)
    except Incomplete:
        pass
    return found, used


@dataclass
class Style:
    align: str = "left"
    width: int = 1
    height: int = 1
    bold: bool = False
    invert: bool = False
    chinese: bool = False


@dataclass(frozen=True)
class PrintedLine:
    text: str
    align: str
    width: int
    height: int
    bold: bool
    invert: bool


@dataclass(frozen=True)
class QrCode:
    payload: str
    module: int
    align: str


@dataclass(frozen=True)
class Raster:
    width_bytes: int
    height: int
    bits: bytes


@dataclass(frozen=True)
class FeedLines:
    lines: int


@dataclass(frozen=True)
class Cut:
    partial: bool


Item = Union[PrintedLine, QrCode, Raster, FeedLines, Cut]


@dataclass
class DecodedTicket:
    items: list[Item] = field(default_factory=list)
    status_queries: list[int] = field(default_factory=list)
    truncated: bool = False  # the data stopped inside a command, as when a connection drops mid-ticket

    @property
    def lines(self) -> list[PrintedLine]:
        return [item for item in self.items if isinstance(item, PrintedLine)]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def qr_payloads(self) -> list[str]:
        return [item.payload for item in self.items if isinstance(item, QrCode)]

    @property
    def cuts(self) -> list[Cut]:
        return [item for item in self.items if isinstance(item, Cut)]

    @property
    def rasters(self) -> list[Raster]:
        return [item for item in self.items if isinstance(item, Raster)]


_ALIGN = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}


class _Decoder:
    def __init__(self) -> None:
        self.style = Style()
        self.line_style = Style()
        self.pending = b""
        self.qr_module = 3
        self.qr_data = ""
        self.out = DecodedTicket()

    def text(self, raw: bytes) -> None:
        if not self.pending:
            self.line_style = Style(**vars(self.style))  # alignment and size are taken at line start
        self.pending += raw

    def end_line(self) -> None:
        s = self.line_style if self.pending else self.style
        text = self.pending.decode("gb18030" if s.chinese else "cp437", errors="replace")
        self.out.items.append(PrintedLine(text, s.align, s.width, s.height, s.bold, s.invert))
        self.pending = b""

    def command(self, token: Token) -> None:
        name, p, s = token.name, token.params, self.style
        if name == b"\x1b@":
            self.style = Style()
        elif name == b"\x1ba":
            s.align = _ALIGN.get(p[0], "left")
        elif name == b"\x1bE":
            s.bold = bool(p[0] & 1)
        elif name == b"\x1d!":
            s.width, s.height = (p[0] >> 4) + 1, (p[0] & 0x0F) + 1
        elif name == b"\x1b!":
            s.width, s.height, s.bold = (2 if p[0] & 0x20 else 1), (2 if p[0] & 0x10 else 1), bool(p[0] & 0x08)
        elif name == b"\x1dB":
            s.invert = bool(p[0] & 1)
        elif name == b"\x1c&":
            s.chinese = True
        elif name == b"\x1c.":
            s.chinese = False
        elif name == b"\x1bd":
            self.flush()
            self.out.items.append(FeedLines(p[0]))
        elif name == b"\x1dV":
            self.flush()
            self.out.items.append(Cut(partial=p[0] in (1, 49, 66, 98)))
        elif name == b"\x10\x04":
            self.out.status_queries.append(p[0])
        elif name == b"\x1d(k":
            self.qr(p)
        elif name == b"\x1dv0":
            self.flush()
            width_bytes, height = p[1] + 256 * p[2], p[3] + 256 * p[4]
            self.out.items.append(Raster(width_bytes, height, p[5:]))

    def qr(self, p: bytes) -> None:
        # p = cn fn [m] data; cn 49 ('1') is QR code.
        cn, fn = p[0], p[1]
        if cn != 49:
            return
        if fn == ord("C"):
            self.qr_module = p[2]
        elif fn == ord("P"):
            self.qr_data = p[3:].decode("utf-8", errors="replace")
        elif fn == ord("Q"):
            self.flush()
            self.out.items.append(QrCode(self.qr_data, self.qr_module, self.style.align))

    def flush(self) -> None:
        if self.pending:
            self.end_line()


def decode(data: bytes) -> DecodedTicket:
    """Decode a whole ESC/POS job into printed lines, QR codes, rasters, feeds and cuts."""
    decoder = _Decoder()
    found, used = scan(data)
    for token in found:
        if token.kind == "text":
            decoder.text(token.raw)
        elif token.kind == "lf":
            decoder.end_line()
        else:
            decoder.command(token)
    decoder.flush()
    decoder.out.truncated = used < len(data)
    return decoder.out
