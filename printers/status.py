"""Printer status from real-time DLE EOT queries: online, paper low/out, cover open, offline."""

from __future__ import annotations

import errno
from enum import Enum

from escpos.escpos import Escpos

DLE_EOT = b"\x10\x04"
PRINTER, OFFLINE_CAUSE, PAPER_SENSOR = 1, 2, 4


CRITICAL, WARNING = "critical", "warning"


class PrinterStatus(str, Enum):
    """What a printer reports, and how much it matters: the one table of printer states that the
    spooler, the hall's alerts and the API read."""

    ONLINE = "online"
    PAPER_LOW = "paper_low"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    UNKNOWN = "unknown"

    @classmethod
    def of(cls, value: str) -> "PrinterStatus":
        """A reported status by its value; one this library does not know reads as unknown."""
        try:
            return cls(value)
        except ValueError:
            return cls.UNKNOWN

    @property
    def severity(self) -> str | None:
        """CRITICAL when no ticket comes out (a person must go to the printer), WARNING when
        that will happen soon (paper low), None when nothing is to be done. Unknown is not a
        fault: a printer that cannot report its state (file, dummy, blind) still prints."""
        return _SEVERITY.get(self)

    @property
    def can_print(self) -> bool:
        return self.severity != CRITICAL


_SEVERITY = {PrinterStatus.PAPER_OUT: CRITICAL, PrinterStatus.COVER_OPEN: CRITICAL,
             PrinterStatus.OFFLINE: CRITICAL, PrinterStatus.PAPER_LOW: WARNING}


def severity(status: str) -> str | None:
    """The severity of a status reported as text (an event's payload, a kiosk agent's report)."""
    return PrinterStatus.of(status).severity


def _is_timeout(error: OSError) -> bool:
    # socket.timeout is TimeoutError; pyusb reports a read timeout as USBTimeoutError(errno ETIMEDOUT).
    return isinstance(error, TimeoutError) or getattr(error, "errno", None) == errno.ETIMEDOUT


def ask(printer: Escpos, n: int) -> int | None:
    """One DLE EOT n query; the status byte, or None when the link can't read or nothing came back in time.

    Connection errors (reset, broken pipe) propagate: the caller treats them as the printer going away.
    """
    try:
        reply = printer.query_status(DLE_EOT + bytes([n]))
    except NotImplementedError:  # file and dummy printers can't read
        return None
    except OSError as error:
        if _is_timeout(error):
            return None
        raise
    # An earlier, late reply may still sit in the buffer; the newest byte answers this query.
    return reply[-1] if reply else None


def read_status(printer: Escpos) -> PrinterStatus | None:
    """The printer's status from DLE EOT 1, 2 and 4; None when it does not answer."""
    state = ask(printer, PRINTER)
    if state is None:
        return None
    if state & 0x08:  # bit 3: offline; DLE EOT 2 says why
        cause = ask(printer, OFFLINE_CAUSE) or 0
        if cause & 0x04:
            return PrinterStatus.COVER_OPEN
        if cause & 0x20:
            return PrinterStatus.PAPER_OUT
    paper = ask(printer, PAPER_SENSOR)
    if paper is not None and paper & 0x60:  # bits 5-6: roll paper end
        return PrinterStatus.PAPER_OUT
    if state & 0x08:
        return PrinterStatus.OFFLINE
    if paper is not None and paper & 0x0C:  # bits 2-3: roll paper near end
        return PrinterStatus.PAPER_LOW
    return PrinterStatus.ONLINE
