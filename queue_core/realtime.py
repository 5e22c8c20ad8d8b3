"""Socket.IO: screens and consoles join their site's room and receive every committed event."""
from __future__ import annotations

from flask import current_app, request
from flask_login import current_user
from flask_socketio import SocketIO, join_room

from .adapters.orm import Site
from .adapters.publisher import site_room
from .service import accounts, queries
from .domain.errors import DomainError


def register_socket_handlers(socketio: SocketIO) -> None:
    @socketio.on("connect")
    def connect(auth: dict | None = None):
        """Devices send {"token": …}; staff use their login session and name a site."""
        hall = current_app.extensions["queuehall"]
        auth = auth if isinstance(auth, dict) else {}
        with hall.db.reader() as session:
            try:
                if auth.get("token"):
                    device = accounts.device_for_token(session, str(auth["token"]))
                    site = session.get(Site, device.site_id)
                elif current_user.is_authenticated:
                    site = queries.get_site(session, str(auth.get("site") or request.args.get("site", "")))
                    if current_user.actor.site_id not in (None, site.id):
                        return False
                else:
                    return False
            except DomainError:
                return False
            join_room(site_room(site.code))
            socketio.emit("hello", {"site": site.code, "last_seq": site.event_seq}, to=request.sid)
        return True
