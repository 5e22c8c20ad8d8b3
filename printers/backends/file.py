"""File printers: a device node (/dev/usb/lp0) or a plain file; relative paths are from the working directory."""

from __future__ import annotations

from urllib.parse import SplitResult

from escpos.printer import File

from printers.backends.base import PrinterBackend


class AppendingFile(File):
    """python-escpos' File truncates on open; a spool file should keep every ticket written to it."""

    def open(self, raise_not_found: bool = True) -> None:
        if self._device:
            self.close()
        try:
            self.device = open(self.devfile, "ab")
        except OSError:
            self.device = None
            raise


class FileBackend(PrinterBackend):
    scheme = "file"

    def __init__(self, uri: str, path: str) -> None:
        super().__init__(uri)
        self.path = path

    @classmethod
    def from_uri(cls, uri: str, parts: SplitResult) -> "FileBackend":
        cls.options(uri, parts)
        # file:///var/x.bin -> /var/x.bin; file://data/x.bin -> data/x.bin (netloc is the first path segment)
        path = parts.netloc + parts.path
        if not path or path.endswith("/"):
            raise ValueError(f"printer URI {uri!r}: missing file name, e.g. file:///var/queuehall/kiosk1.bin")
        return cls(uri, path)

    def open(self, timeout: float) -> File:
        printer = AppendingFile(self.path)
        printer.open()
        return printer
