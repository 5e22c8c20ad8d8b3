"""The one base every printer backend follows: parse its URI form, open a python-escpos printer."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar
from urllib.parse import SplitResult, parse_qs

from escpos.escpos import Escpos


class PrinterBackend(ABC):
    """A kind of printer connection, chosen by the URI scheme (tcp://, usb://, serial://, file://, dummy://)."""

    scheme: ClassVar[str]
    can_read: ClassVar[bool] = False  # whether status replies (DLE EOT) can come back over this link
    blocks: ClassVar[bool] = False  # its driver waits inside C (libusb): no event loop can switch away
    allowed_options: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, uri: str) -> None:
        self.uri = uri

    @classmethod
    @abstractmethod
    def from_uri(cls, uri: str, parts: SplitResult) -> "PrinterBackend":
        """Validate the URI's parts for this backend; raise ValueError naming what is wrong."""

    @abstractmethod
    def open(self, timeout: float) -> Escpos:
        """Connect and return an open python-escpos printer; raises OSError-like errors when it can't."""

    @classmethod
    def options(cls, uri: str, parts: SplitResult) -> dict[str, str]:
        """Query options (?baud=9600) as single values; unknown or repeated ones are errors."""
        query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=False)
        unknown = set(query) - cls.allowed_options
        if unknown:
            allowed = ", ".join(sorted(cls.allowed_options)) or "none"
            names = ", ".join(sorted(unknown))
            raise ValueError(f"printer URI {uri!r}: unknown option(s) {names} (allowed: {allowed})")
        for name, values in query.items():
            if len(values) != 1:
                raise ValueError(f"printer URI {uri!r}: option {name!r} given more than once")
        return {name: values[0] for name, values in query.items()}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.uri!r})"


def parse_int(uri: str, what: str, text: str, low: int, high: int, base: int = 10) -> int:
    """An integer URI part within [low, high], or a ValueError naming the part."""
    try:
        value = int(text, base)
    except ValueError:
        raise ValueError(f"printer URI {uri!r}: {what} {text!r} is not a number") from None
    if not low <= value <= high:
        raise ValueError(f"printer URI {uri!r}: {what} {value} is outside {low}..{high}")
    return value
