"""USB printers by vendor and product id (usb://0x0416:0x5011); needs pyusb and libusb."""

from __future__ import annotations

from urllib.parse import SplitResult

from escpos.printer import Usb

from printers.backends.base import PrinterBackend, parse_int


class UsbBackend(PrinterBackend):
    scheme = "usb"
    can_read = True
    blocks = True
    allowed_options = frozenset({"in_ep", "out_ep"})

    def __init__(self, uri: str, vendor_id: int, product_id: int, endpoints: dict[str, int]) -> None:
        super().__init__(uri)
        self.vendor_id, self.product_id, self.endpoints = vendor_id, product_id, endpoints

    @classmethod
    def from_uri(cls, uri: str, parts: SplitResult) -> "UsbBackend":
        options = cls.options(uri, parts)
        ids = (parts.netloc + parts.path).strip("/").split(":")
        if len(ids) != 2 or not all(ids):
            raise ValueError(f"printer URI {uri!r}: expected usb://VENDOR:PRODUCT in hex, e.g. usb://0x0416:0x5011")
        vendor = parse_int(uri, "vendor id", ids[0], 1, 0xFFFF, base=16)
        product = parse_int(uri, "product id", ids[1], 1, 0xFFFF, base=16)
        endpoints = {name: parse_int(uri, name, value, 0, 0xFF, base=0) for name, value in options.items()}
        return cls(uri, vendor, product, endpoints)

    def open(self, timeout: float) -> Usb:
        printer = Usb(self.vendor_id, self.product_id, timeout=int(timeout * 1000), **self.endpoints)
        printer.open()
        return printer
