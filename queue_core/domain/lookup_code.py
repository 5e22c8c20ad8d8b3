"""查询码: the short code a kiosk shows when it gave up waiting for the server, so the service
desk can tell whether that tap got a ticket. The kiosk starts each request id with a random key
in an alphabet without look-alikes; the code shown is the kiosk's tag and that key ("K1-7QX4P2").
An appointment check-in shows the 8-digit appointment code instead."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import InvalidLookupCode

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud or typed without doubt
KEY_LENGTH = 6                                  # 31^6, about 9×10^8 keys
APPOINTMENT_DIGITS = 8
_SEPARATORS = re.compile(r"[\s\-_.·:]+")


@dataclass(frozen=True)
class LookupCode:
    text: str                    # as staff should read it back: "K1-7QX4P2" or "12345678"
    key: str | None = None       # the request id's first characters
    appointment: str | None = None

    @property
    def request_id_prefix(self) -> str:
        return f"{self.key}-"


def device_tag(device_code: str) -> str:
    """A kiosk's short tag for its codes: "kiosk-1" -> "K1", "lobby-east-2" -> "LE2" (the first
    letter of each word, numbers whole). Only a hint for people: the key alone finds the ticket."""
    parts = re.findall(r"[A-Za-z]+|[0-9]+", device_code)
    return "".join(p if p.isdigit() else p[0] for p in parts).upper()[:4] or "K"


def parse(text: str) -> LookupCode:
    """What staff typed, forgiving case, spaces and dashes: "k1 7qx4p2", "K1-7QX4P2", "7QX4P2",
    or an appointment code."""
    compact = _SEPARATORS.sub("", text or "").upper()
    if len(compact) == APPOINTMENT_DIGITS and compact.isdigit():
        return LookupCode(text=compact, appointment=compact)
    key = compact[-KEY_LENGTH:]
    if len(compact) > 16 or len(key) != KEY_LENGTH or any(c not in ALPHABET for c in key):
        raise InvalidLookupCode(code=(text or "").strip()[:20])
    tag = compact[:-KEY_LENGTH]
    return LookupCode(text=f"{tag}-{key}" if tag else key, key=key)
