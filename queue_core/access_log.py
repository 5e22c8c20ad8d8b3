"""gunicorn's access log without secrets: a screen's or kiosk's device token (in `?token=` on a
page's first load, or anywhere as `dev_…`) and a phone's status token (/t/<token>,
/api/v1/tickets/<token>, the kiosk's QR image) are written as ***."""
from __future__ import annotations

import re

from gunicorn.glogging import Logger

SECRETS = re.compile(r"(?<=token=)[^&\s\"']+|\bdev_[A-Za-z0-9_-]{8,}"
                     r"|(?<=/t/)[A-Za-z0-9_-]{8,}|(?<=/api/v1/tickets/)[A-Za-z0-9_-]{8,}"
                     r"|(?<=/kiosk/qr/)[A-Za-z0-9_-]{8,}")
LOGGED_FROM_REQUEST = ("r", "q", "U", "f")  # request line, query, path, referer


def redact(text: str) -> str:
    return SECRETS.sub("***", text)


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        for key in LOGGED_FROM_REQUEST:
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms
