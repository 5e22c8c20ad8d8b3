"""The kiosk pages inside the main server: a kiosk is whoever holds a kiosk device token."""
from __future__ import annotations

from flask import current_app

from queue_core.adapters.orm import Site
from queue_core.api.auth import bearer_token
from queue_core.domain import lookup_code
from queue_core.domain.errors import Forbidden, Unauthorized
from queue_core.service import accounts, devices, queries

from .web import kiosk_blueprint


def _hall():
    return current_app.extensions["queuehall"]


def device_view() -> dict:
    """The calling kiosk, its site and its printer (the touch page starts from this)."""
    token = bearer_token()
    if not token:
        raise Unauthorized()
    hall = _hall()
    with hall.db.reader() as session:
        device = accounts.device_for_token(session, token)
        if device.kind != "kiosk":
            raise Forbidden(action="kiosk")
        site = session.get(Site, device.site_id)
        info = {"site": {"code": site.code, "name_zh": site.name_zh, "name_en": site.name_en},
                "code": device.code, "name": device.name,
                # 查询码 the page shows if it gives up waiting: this tag, then its request
                # id's first characters (drawn from this alphabet)
                "lookup": {"tag": lookup_code.device_tag(device.code),
                           "alphabet": lookup_code.ALPHABET, "length": lookup_code.KEY_LENGTH}}
    info["printer"] = devices.printer_in(device.settings)  # as apply-config last stored it
    return info


def ticket_known(token: str) -> bool:
    """Whether a phone's status token names a ticket (one indexed read)."""
    with _hall().db.reader() as session:
        return queries.ticket_status_version(session, token) is not None


kiosk = kiosk_blueprint(device_view, lambda: _hall().settings.server.public_url, ticket_known)
