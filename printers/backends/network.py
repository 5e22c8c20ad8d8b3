"""Network printers: raw TCP, usually port 9100 (tcp://10.0.0.31:9100)."""

from __future__ import annotations

from urllib.parse import SplitResult

from escpos.printer import Network

from printers.backends.base import PrinterBackend, parse_int

DEFAULT_PORT = 9100


class NetworkBackend(PrinterBackend):
    scheme = "tcp"
    can_read = True

    def __init__(self, uri: str, host: str, port: int) -> None:
        super().__init__(uri)
        self.host, self.port = host, port

    @classmethod
    def from_uri(cls, uri: str, parts: SplitResult) -> "NetworkBackend":
        cls.options(uri, parts)
        if parts.path not in ("", "/"):
            raise ValueError(f"printer URI {uri!r}: a tcp printer has no path (got {parts.path!r})")
        try:
            host, port = parts.hostname, parts.port
        except ValueError:  # urllib's message for a bad port ("Port could not be cast...")
            raise ValueError(f"printer URI {uri!r}: port must be a number 1..65535") from None
        if not host:
            raise ValueError(f"printer URI {uri!r}: missing host, expected tcp://HOST[:PORT]")
        if port is not None:
            parse_int(uri, "port", str(port), 1, 65535)
        return cls(uri, host, port or DEFAULT_PORT)

    def open(self, timeout: float) -> Network:
        printer = Network(self.host, self.port, timeout=timeout)
        printer.open()  # raises DeviceNotFoundError when nothing listens or the connect times out
        return printer
