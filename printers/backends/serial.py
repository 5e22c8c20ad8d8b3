"""Serial printers (serial:///dev/ttyUSB0?baud=9600&flow=none); needs pyserial."""

from __future__ import annotations

from urllib.parse import SplitResult

from escpos.printer import Serial

from printers.backends.base import PrinterBackend

BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
FLOW_CONTROL = ("dsrdtr", "rtscts", "xonxoff", "none")


class SerialBackend(PrinterBackend):
    scheme = "serial"
    can_read = True
    allowed_options = frozenset({"baud", "flow"})

    def __init__(self, uri: str, device: str, baud: int, flow: str) -> None:
        super().__init__(uri)
        self.device, self.baud, self.flow = device, baud, flow

    @classmethod
    def from_uri(cls, uri: str, parts: SplitResult) -> "SerialBackend":
        options = cls.options(uri, parts)
        device = parts.netloc + parts.path  # serial:///dev/ttyUSB0 or serial://COM3
        if not device.strip("/"):
            raise ValueError(f"printer URI {uri!r}: missing device, e.g. serial:///dev/ttyUSB0?baud=9600")
        baud_text = options.get("baud", "9600")
        if not baud_text.isdigit() or int(baud_text) not in BAUD_RATES:
            raise ValueError(f"printer URI {uri!r}: baud {baud_text!r} is not one of {BAUD_RATES}")
        flow = options.get("flow", "dsrdtr")
        if flow not in FLOW_CONTROL:
            raise ValueError(f"printer URI {uri!r}: flow {flow!r} is not one of {FLOW_CONTROL}")
        return cls(uri, device, int(baud_text), flow)

    def open(self, timeout: float) -> Serial:
        printer = Serial(
            self.device,
            baudrate=self.baud,
            timeout=timeout,
            dsrdtr=self.flow == "dsrdtr",
            xonxoff=self.flow == "xonxoff",
        )
        printer.open()
        if printer.device is not None:
            printer.device.rtscts = self.flow == "rtscts"
            printer.device.write_timeout = timeout  # a stuck handshake line must not hang the spooler
        return printer
