"""Printer backends chosen by URI scheme, each opening a python-escpos printer."""

from __future__ import annotations

from urllib.parse import urlsplit

from escpos.escpos import Escpos

from printers.backends.base import PrinterBackend
from printers.backends.dummy import DummyBackend
from printers.backends.file import FileBackend
from printers.backends.network import NetworkBackend
from printers.backends.serial import SerialBackend
from printers.backends.usb import UsbBackend

BACKENDS: dict[str, type[PrinterBackend]] = {
    backend.scheme: backend for backend in (NetworkBackend, UsbBackend, SerialBackend, FileBackend, DummyBackend)
}
DEFAULT_TIMEOUT = 5.0


def parse_printer_uri(uri: str) -> PrinterBackend:
    """The backend for a printer URI; ValueError saying what is wrong for a bad one."""
    if not isinstance(uri, str) or not uri.strip():
        raise ValueError("printer URI is empty; expected e.g. tcp://10.0.0.31:9100 or dummy://")
    uri = uri.strip()
    if "://" not in uri:
        raise ValueError(f"printer URI {uri!r} has no scheme; expected one of "
                         f"{', '.join(s + '://' for s in BACKENDS)}")
    parts = urlsplit(uri)
    backend = BACKENDS.get(parts.scheme.lower())
    if backend is None:
        raise ValueError(f"printer URI {uri!r}: unknown scheme {parts.scheme!r}; expected one of "
                         f"{', '.join(s + '://' for s in BACKENDS)}")
    if parts.fragment:
        raise ValueError(f"printer URI {uri!r}: unexpected fragment #{parts.fragment}")
    return backend.from_uri(uri, parts)


def open_printer(uri: str, timeout: float = DEFAULT_TIMEOUT) -> Escpos:
    """An open python-escpos printer for the URI; connect, write and read time out after `timeout` s."""
    return parse_printer_uri(uri).open(timeout)


__all__ = ["BACKENDS", "PrinterBackend", "open_printer", "parse_printer_uri"]
