"""Room delivery that one client cannot hold up. python-socketio sends a room's packets in one
loop: a socket closed mid-loop raised out of it (the rest of the room got nothing), and a client
that stops reading would queue every later event in memory. Here a closed socket is skipped and
a stalled one is dropped: it reconnects and resyncs from the event log like after a blip."""
from __future__ import annotations

import logging

from engineio.exceptions import SocketIsClosedError

log = logging.getLogger(__name__)

MAX_BACKLOG = 200  # packets waiting for one client; a screen gets a few per call


def guard_fan_out(server, max_backlog: int = MAX_BACKLOG) -> None:
    """Make `server` (a socketio.Server) deliver each room packet client by client, safely."""
    eio = server.eio

    def send(eio_sid: str, pkt) -> None:
        socket = eio.sockets.get(eio_sid)
        if socket is None or socket.closed or socket.closing:
            return
        if socket.queue.qsize() >= max_backlog:
            log.warning("dropping client %s: %d packets unread", eio_sid, socket.queue.qsize())
            socket.close(wait=False, abort=True)
            return
        try:
            socket.send(pkt)
        except SocketIsClosedError:  # closed between the check and the send
            pass

    server._send_eio_packet = send  # the one call the room loop makes per client


SILENT_SECONDS = 60  # Engine.IO pings every 25 s and a live client answers within 20 s


def websocket_deadline(wsgi_app, seconds: float = SILENT_SECONDS):
    """WSGI middleware: a WebSocket whose peer neither reads nor answers for `seconds` is cut.
    Dropping a stalled client frees its queue at once, but its writer would wait on the full
    TCP buffer for as long as the peer stays half-alive (a frozen phone): the socket's own
    timeout ends that wait and, with it, the connection's greenlets."""
    def app(environ, start_response):
        sock = environ.get("gunicorn.socket")
        if sock is not None and environ.get("HTTP_UPGRADE", "").lower() == "websocket":
            sock.settimeout(seconds)
        return wsgi_app(environ, start_response)
    return app
