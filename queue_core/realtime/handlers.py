"""Who may connect and what they receive: those the rights table lets watch the hall (screens,
pads, staff) join their site's room (every committed event, after a snapshot); a phone joins only
its own ticket's room."""
from __future__ import annotations

from flask import current_app, request, session as cookie_session
from flask_login import current_user
from flask_socketio import SocketIO, join_room

from ..adapters.orm import Site
from ..adapters.publisher import site_room, staff_room, ticket_room
from ..service import accounts, devices, queries
from ..service.access import require_site
from ..domain.errors import DomainError
from ..domain.rights import Right, may
from ..supervision import presence
from .console_sockets import ConsoleSockets


def register_socket_handlers(socketio: SocketIO, consoles: ConsoleSockets) -> None:
    @socketio.on("connect")
    def connect(auth: dict | None = None):
        """Devices send {"token": …}; staff use their login session and name a site."""
        hall = current_app.extensions["queuehall"]
        auth = auth if isinstance(auth, dict) else {}
        with hall.db.reader() as session:
            try:
                if auth.get("token"):
                    device = accounts.device_for_token(session, str(auth["token"]))
                    if not may(device.kind, Right.WATCH_HALL):
                        return False  # a kiosk has no use for the hall's feed
                    site = session.get(Site, device.site_id)
                elif auth.get("ticket"):  # the phone page behind a ticket's QR code
                    return _follow_ticket(hall, session, str(auth["ticket"]))
                elif current_user.is_authenticated:
                    site = queries.get_site(session, str(auth.get("site") or request.args.get("site", "")))
                    require_site(current_user.actor, site.id)
                    if not may(current_user.actor.rights_kind, Right.WATCH_HALL):
                        return False
                else:
                    return False
            except DomainError:
                return False
            join_room(site_room(site.code) if auth.get("token") else staff_room(site.code))
            if not auth.get("token"):  # a console: its socket ends with its session
                consoles.connected(request.sid, cookie_session.get(accounts.SESSION_KEY, ""))
            if auth.get("token"):  # a screen is seen for as long as it stays connected
                presence().connected(request.sid, device.id)
            socketio.emit("hello", {"site": site.code, "last_seq": site.event_seq}, to=request.sid)
            snapshot = queries.screen_snapshot(session, site, hall.clock.now())
            if auth.get("token"):
                snapshot["screen"] = devices.screen_settings(device)
            socketio.emit("snapshot", snapshot, to=request.sid)
        return True

    @socketio.on("snapshot")
    def snapshot(request_: dict | None = None):
        """A fresh snapshot on demand (a screen that saw a gap), returned as the ack."""
        hall = current_app.extensions["queuehall"]
        site_code = _joined_site(request.sid)
        if site_code is None:
            return None
        with hall.db.reader() as session:
            return queries.screen_snapshot(session, queries.get_site(session, site_code),
                                           hall.clock.now())

    @socketio.on("disconnect")
    def disconnect(*_reason) -> None:
        presence().disconnected(request.sid)
        consoles.disconnected(request.sid)

    def _follow_ticket(hall, session, token: str) -> bool:
        """A phone: its ticket's status now, then its own updates (no hall feed, no snapshot)."""
        status = queries.ticket_status(session, token, hall.clock.now())
        join_room(ticket_room(status["id"]))
        socketio.emit("ticket", status, to=request.sid)
        return True

    def _joined_site(sid: str) -> str | None:
        prefixes = (site_room(""), staff_room(""))
        rooms = socketio.server.rooms(sid, namespace="/")
        return next((room.split(":", 1)[1] for room in rooms if room.startswith(prefixes)), None)
