"""create_app(): the core service — the database, clock and event publishers wired into the use
cases, the JSON API and the live feed. The pages are plugged in by the composition root
(queuehall/app.py), which this package never imports."""
from __future__ import annotations

import os
import secrets
import time
from datetime import timedelta
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, request
from flask_socketio import SocketIO
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.routing import IntegerConverter

from pagekit.security_headers import with_security_headers

from .adapters.clock import Clock, SystemClock
from .adapters.concurrency import async_mode
from .adapters.db import Database, open_database
from .adapters.message_queue import socketio_manager, uses_redis
from .adapters.publisher import Publisher, Publishers, SocketIOPublisher
from .api.rate_limit import storage_uri
from .config import Settings, load_settings
from .ticket_printing import TicketPrinting
from .realtime import (ConsoleSockets, PhoneFeed, guard_fan_out, register_socket_handlers,
                       websocket_deadline)
from .service import devices, queries
from .service.unit_of_work import UnitOfWork

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
MAX_BODY_BYTES = 256 * 1024  # the largest real request (a window's categories) is under 2 KB


@dataclass
class Hall:
    """Everything a request needs from outside the domain."""

    settings: Settings
    db: Database
    publisher: Publisher
    clock: Clock
    printing: TicketPrinting | None = None

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.db, self.publisher, self.clock,
                          self.printing.owner if self.printing else None)

    def site_id(self, code: str) -> int:
        """Database id of a site code (sites are never deleted, so the answer can be kept)."""
        if code not in self._site_ids:
            with self.db.reader() as session:
                self._site_ids[code] = queries.get_site(session, code).id
        return self._site_ids[code]

    def __post_init__(self) -> None:
        self._site_ids: dict[str, int] = {}


def create_app(settings: Settings | None = None, *, clock: Clock | None = None,
               config_path: str | None = None) -> Flask:
    settings = settings or load_settings(config_path)
    server = settings.server
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=_secret_key(Path(server.secret_key_file)),
        # The login cookie: never readable by scripts, not sent on cross-site posts, and only
        # over https when the hall is served so ("remember me" is not used, but set it alike).
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=server.cookies_secure, REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax", REMEMBER_COOKIE_SECURE=server.cookies_secure,
        WTF_CSRF_CHECK_DEFAULT=False, WTF_CSRF_TIME_LIMIT=None,
        ISSUE_RATE_LIMIT=server.issue_rate_limit,
        RATELIMIT_STORAGE_URI=storage_uri(server.rate_limit_storage),
        RATELIMIT_HEADERS_ENABLED=True, DEFAULT_LANGUAGE=server.default_language,
        # Redis down: each process counts on its own until it is back (issuing must go on).
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        # Requests already counting on Redis when it goes away: only the first to fail switches
        # to the fallback, the others would be 500s; they go through uncounted instead.
        RATELIMIT_SWALLOW_ERRORS=True,
        RATELIMIT_STORAGE_OPTIONS=({"socket_connect_timeout": 1, "socket_timeout": 1}
                                   if uses_redis(server.rate_limit_storage) else {}),
        JSON_AS_ASCII=False,
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,  # a bigger body is a 413, never a worker's memory
    )
    app.json.ensure_ascii = False
    # Same-origin connections only (the engine.io default): pages are served by this server.
    socketio = SocketIO(app, async_mode=async_mode(),
                        client_manager=socketio_manager(server.message_queue))
    guard_fan_out(socketio.server)
    app.wsgi_app = with_security_headers(websocket_deadline(app.wsgi_app), server.public_url)
    db = open_database(server.database_url, server.sqlite_synchronous)
    clock = clock or SystemClock()
    phones = PhoneFeed(socketio, db, clock, spread=bool(server.message_queue))
    printing = TicketPrinting(settings, db, clock, lambda site, printer, status:
                              devices.record_printer_status(hall.uow(), site, printer, status),
                              max_age=timedelta(seconds=server.print_job_max_age_seconds))
    hall = Hall(settings, db, Publishers(SocketIOPublisher(socketio), phones, printing), clock,
                printing)
    app.extensions["queuehall"] = hall
    _register_api(app)
    consoles = ConsoleSockets(socketio, db, clock, server.session_idle)
    app.extensions["console_sockets"] = consoles
    register_socket_handlers(socketio, consoles)
    return app


class DatabaseId(IntegerConverter):
    """Path integers that fit a database integer: a huge number is a 404, not an overflow."""

    def __init__(self, url_map) -> None:
        super().__init__(url_map, max=2**31 - 1)


def _register_api(app: Flask) -> None:
    from .api import api
    from .api.auth import bearer_token, login_manager
    from .api.errors import register_error_handlers
    from .api.rate_limit import limiter

    app.url_map.converters["id"] = DatabaseId
    csrf = CSRFProtect(app)
    login_manager.init_app(app)
    limiter.init_app(app)

    @app.before_request
    def _csrf_for_sessions() -> None:
        # Only a login session is ambient authority a forged cross-site request could borrow;
        # devices send a bearer token, anonymous callers are refused by authentication anyway.
        if request.blueprint != api.name or request.method in SAFE_METHODS or bearer_token():
            return
        if not app.config.get("WTF_CSRF_ENABLED", True):
            return
        if current_user.is_authenticated or request.endpoint == "api.login":
            csrf.protect()

    app.register_blueprint(api)
    register_error_handlers(app)


def _secret_key(path: Path) -> str:
    """Sessions must survive restarts and be shared by every instance: keep the key in a file,
    created exclusively (two instances starting together must not each make their own)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    for _ in range(50):  # the other instance may be writing it this very moment
        key = path.read_text().strip()
        if key:
            return key
        time.sleep(0.01)
    raise RuntimeError(f"secret key file {path} is empty")
