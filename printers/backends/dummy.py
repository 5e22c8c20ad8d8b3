"""Dummy printer (dummy://): keeps the bytes in memory; for demos and tests."""

from __future__ import annotations

from urllib.parse import SplitResult

from escpos.printer import Dummy

from printers.backends.base import PrinterBackend


class DummyBackend(PrinterBackend):
    scheme = "dummy"

    @classmethod
    def from_uri(cls, uri: str, parts: SplitResult) -> "DummyBackend":
        cls.options(uri, parts)
        if parts.netloc or parts.path.strip("/"):
            raise ValueError(f"printer URI {uri!r}: dummy:// takes no host or path")
        return cls(uri)

    def open(self, timeout: float) -> Dummy:
        return Dummy()
